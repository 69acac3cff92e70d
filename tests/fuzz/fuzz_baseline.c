/* fuzz_baseline.c - libFuzzer target: .secrets.baseline parsing (detect-secrets' JSON format) and
 * writing back what was read. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "shipcheck/sc_secrets.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sc_baseline *b = NULL;
	struct sc_error err = {0};
	if (sc_baseline_parse("fuzz.baseline", (const char *)data, size, &b, &err) == SC_OK) {
		char *json = sc_baseline_to_json(b);
		struct sc_baseline *b2 = NULL;
		if (sc_baseline_parse("again", json, strlen(json), &b2, &err) != SC_OK)
			abort(); /* what we write must read back */
		sc_baseline_free(b2);
		free(json);
		sc_baseline_free(b);
	}
	sc_error_clear(&err);
	return 0;
}
