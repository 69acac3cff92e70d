/* fuzz_registry.c - libFuzzer target: what a registry or the user's docker config hands the registry
 * client (lib/registry): a WWW-Authenticate challenge and a docker config.json. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "shipcheck/sc_registry.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);
	memcpy(s, data, size);
	s[size] = '\0';
	struct sc_registry_challenge ch;
	if (sc_registry_challenge_parse(s, &ch))
		sc_registry_challenge_free(&ch);
	free(s);

	static struct sc_registry *reg;
	if (!reg) {
		struct sc_registry_options o = {0};
		struct sc_error e = {0};
		setenv("DOCKER_CONFIG", "/nonexistent-shipcheck-fuzz", 1);
		if (sc_registry_new(&o, &reg, &e) != SC_OK)
			abort();
	}
	struct sc_error err = {0};
	sc_registry_config_parse(reg, "config.json", (const char *)data, size, &err);
	sc_error_clear(&err);
	return 0;
}
