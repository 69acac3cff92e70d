/* fuzz_deb822.c - libFuzzer target: the deb822 paragraph reader and the dpkg extractor on top. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "shipcheck/sc_deb822.h"
#include "shipcheck/sc_scan.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sc_deb822 p;
	sc_deb822_init(&p, "fuzz", (const char *)data, size);
	p.allow_comments = size && (data[0] & 1);
	struct sc_deb822_stanza st = {0};
	struct sc_error err = {0};
	for (int i = 0; i < 100000; i++) {
		bool got;
		if (sc_deb822_next(&p, &st, &got, &err) != SC_OK || !got)
			break;
		for (size_t k = 0; k < st.n; k++) {
			volatile char c = st.fields[k].value_len ? st.fields[k].value[st.fields[k].value_len - 1] : 0;
			(void)c;
		}
	}
	sc_deb822_stanza_free(&st);
	sc_error_clear(&err);
	const struct sc_extractor *x = sc_extractor_find("dpkg");
	struct sc_inventory *inv = sc_inventory_new();
	struct sc_extract_input in = {"var/lib/dpkg/status", data, size, 1, NULL};
	x->extract(&in, inv, &err);
	sc_error_clear(&err);
	sc_inventory_free(inv);
	return 0;
}
