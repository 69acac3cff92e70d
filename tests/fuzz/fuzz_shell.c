/* fuzz_shell.c - libFuzzer target: the POSIX-shell tokenizer for RUN lines. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "shipcheck/sc_dockerfile.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sc_arena *a = sc_arena_new();
	struct sc_sh_script s;
	sc_sh_parse(a, (const char *)data, size, &s);
	for (size_t i = 0; i < s.n; i++) {
		size_t first;
		(void)sc_sh_cmd_program(&s.cmds[i], &first);
		for (size_t k = 0; k < s.cmds[i].argc; k++)
			(void)strlen(s.cmds[i].argv[k]);
	}
	sc_arena_free(a);
	return 0;
}
