/* fuzz_version.c - libFuzzer target for every version scheme (lib/version/schemes.def): the first
 * byte picks the scheme, the second the operation (validate, compare, satisfies with the native
 * range syntax, OSV range JSON); the rest is split at the first newline into two strings.
 * Checks that compare() is antisymmetric on valid versions. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "shipcheck/sc_version.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int sign(int c)
{
	return (c > 0) - (c < 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 2)
		return 0;
	const struct sc_scheme *s = sc_scheme_at(data[0] % sc_scheme_count());
	int op = data[1] % 4;
	bool incpr = data[1] & 4;
	data += 2;
	size -= 2;
	const uint8_t *nl = memchr(data, '\n', size);
	size_t alen = nl ? (size_t)(nl - data) : size;
	const char *a = (const char *)data, *b = nl ? (const char *)nl + 1 : "";
	size_t blen = nl ? size - alen - 1 : 0;
	/* NUL-terminated copies for the string APIs (an embedded NUL just shortens them). */
	char *ca = malloc(alen + 1), *cb = malloc(blen + 1);
	memcpy(ca, a, alen);
	ca[alen] = '\0';
	memcpy(cb, b, blen);
	cb[blen] = '\0';
	struct sc_error err = {0};
	switch (op) {
	case 0:
		(void)s->validate(a, alen, &err);
		break;
	case 1: {
		int c1 = s->compare(a, alen, b, blen), c2 = s->compare(b, blen, a, alen);
		if (s->validate(a, alen, NULL) == SC_OK && s->validate(b, blen, NULL) == SC_OK && sign(c1) != -sign(c2))
			abort();
		int c;
		(void)sc_version_compare(s, ca, cb, &c, &err);
		break;
	}
	case 2: {
		bool out;
		(void)sc_version_satisfies(s, ca, cb, incpr, &out, &err);
		break;
	}
	default: {
		bool out;
		const char *note;
		(void)sc_version_in_range(s, ca, cb, incpr, &out, &note, &err);
		break;
	}
	}
	sc_error_clear(&err);
	free(ca);
	free(cb);
	return 0;
}
