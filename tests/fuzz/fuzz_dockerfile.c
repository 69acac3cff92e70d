/* fuzz_dockerfile.c - libFuzzer target: the Dockerfile parser (with the shell tokenizer it runs on
 * every RUN) and re-serialisation of what it parsed. scripts/fuzz also reads the real-Dockerfile
 * corpus in ../shared/dockerfiles/corpus in place. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "shipcheck/sc_dockerfile.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sc_dockerfile *df = NULL;
	struct sc_error err = {0};
	struct sc_df_limits lim = {.max_instructions = 5000, .max_line = 1u << 20};
	if (sc_dockerfile_parse("fuzz.Dockerfile", (const char *)data, size, &lim, &df, &err) == SC_OK) {
		struct sc_strbuf sb;
		sc_strbuf_init(&sb, 16u << 20);
		for (size_t i = 0; i < df->n_instrs; i++) {
			sc_df_instr_serialize(df->instrs[i], df->escape, &sb);
			sc_strbuf_putc(&sb, '\n');
			for (size_t k = 0; k < df->instrs[i]->argc; k++)
				(void)strlen(df->instrs[i]->argv[k]);
		}
		for (size_t s = 0; s < df->n_stages; s++)
			(void)sc_df_stage_find(df, df->stages[s].image, df->n_stages);
		sc_strbuf_free(&sb);
		sc_dockerfile_free(df);
	}
	sc_error_clear(&err);
	return 0;
}
