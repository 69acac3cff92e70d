/* fuzz_extract.c - libFuzzer target over every extractor of extractors.def: the first byte picks
 * the extractor (modulo their count), the rest is the file's content. New extractors are fuzzed
 * without extra work. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "shipcheck/sc_scan.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	size_t n = sc_extractor_count();
	if (!n || size < 1)
		return 0;
	const struct sc_extractor *x = sc_extractor_at(data[0] % n);
	char path[128];
	snprintf(path, sizeof(path), "fuzz/%s", x->name);
	struct sc_inventory *inv = sc_inventory_new();
	struct sc_extract_input in = {path, data + 1, size - 1, 0, NULL};
	struct sc_error err = {0};
	x->extract(&in, inv, &err);
	sc_error_clear(&err);
	sc_inventory_free(inv);
	return 0;
}
