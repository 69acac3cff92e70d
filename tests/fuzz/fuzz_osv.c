/* fuzz_osv.c - libFuzzer target: the OSV record parser of the vulnerability DB import (JSON, ids,
 * severities and CVSS vectors, affected entries, ranges and events). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "vulndb/vulndb.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sc_arena *a = sc_arena_new();
	struct osv_record r;
	struct sc_error err = {0};
	if (sc_osv_parse("fuzz.json", (const char *)data, size, a, &r, &err) == SC_OK) {
		/* touch what the importer stores */
		size_t n = 0;
		for (size_t i = 0; i < r.n_affected; i++)
			n += r.affected[i].ranges_len + r.affected[i].versions_len + strlen(r.affected[i].norm_name);
		for (size_t i = 0; i < r.n_ids; i++)
			n += strlen(r.ids[i]);
		(void)n;
	}
	sc_error_clear(&err);
	sc_arena_free(a);
	return 0;
}
