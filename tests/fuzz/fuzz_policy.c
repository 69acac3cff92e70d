/* fuzz_policy.c - libFuzzer target: .shipcheck.yml parsing and validation. */
#include <stdint.h>
#include <stdlib.h>

#include "shipcheck/sc_policy.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sc_policy *p = NULL;
	struct sc_error err = {0};
	if (sc_policy_parse("fuzz.yml", (const char *)data, size, &p, &err) == SC_OK)
		sc_policy_free(p);
	sc_error_clear(&err);
	return 0;
}
