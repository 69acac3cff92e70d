/* dpkg.c - Debian/Ubuntu versions ([epoch:]upstream[-revision]) ordered exactly as dpkg's
 * verrevcmp (lib/dpkg/version.c): `~` before everything, letters before other symbols, digit runs
 * numerically. Validation follows dpkg's parseversion, rejecting its warnings as well as errors. */
#include "version_impl.h"

#include <string.h>

/* dpkg's order() as a table: digits 0, letters themselves, `~` -1, end (NUL) 0, anything else
 * c + 256. */
#define ORD(c)                                                                                           \
	(short)(((c) >= '0' && (c) <= '9')                                       ? 0                     \
		: (((c) >= 'a' && (c) <= 'z') || ((c) >= 'A' && (c) <= 'Z')) ? (c)                   \
		: (c) == '~'                                                 ? -1                    \
		: (c) == 0                                                   ? 0                     \
									       : (c) + 256)
#define R8(b) ORD(b), ORD(b + 1), ORD(b + 2), ORD(b + 3), ORD(b + 4), ORD(b + 5), ORD(b + 6), ORD(b + 7)
#define R64(b) R8(b), R8(b + 8), R8(b + 16), R8(b + 24), R8(b + 32), R8(b + 40), R8(b + 48), R8(b + 56)
static const short order_tab[256] = {R64(0), R64(64), R64(128), R64(192)};
#undef R64
#undef R8
#undef ORD

static inline int order(int c)
{
	return order_tab[(unsigned char)c];
}

static int verrevcmp(const char *a, const char *ae, const char *b, const char *be)
{
	/* Skip the common prefix, backing up to the start of a digit run it ends in: equal
	 * non-digits compare equal one by one, and digit runs must be compared whole. */
	size_t n = (size_t)(ae - a) < (size_t)(be - b) ? (size_t)(ae - a) : (size_t)(be - b), i = 0;
	while (i < n && a[i] == b[i])
		i++;
	while (i > 0 && vi_digit(a[i - 1]))
		i--;
	a += i;
	b += i;
#define AT(p, e) ((p) < (e) ? (unsigned char)*(p) : 0)
	while (a < ae || b < be) {
		int first_diff = 0;
		while ((a < ae && !vi_digit(*a)) || (b < be && !vi_digit(*b))) {
			int ac = order(AT(a, ae)), bc = order(AT(b, be));
			if (ac != bc)
				return ac - bc;
			a++;
			b++;
		}
		while (a < ae && *a == '0')
			a++;
		while (b < be && *b == '0')
			b++;
		while (a < ae && b < be && vi_digit(*a) && vi_digit(*b)) {
			if (!first_diff)
				first_diff = *a - *b;
			a++;
			b++;
		}
		if (a < ae && vi_digit(*a))
			return 1;
		if (b < be && vi_digit(*b))
			return -1;
		if (first_diff)
			return first_diff;
	}
	return 0;
#undef AT
}

struct evr {
	const char *epoch, *up, *rev;
	size_t elen, ulen, rlen;
};

static void split(const char *v, size_t len, struct evr *o)
{
	const char *end = v + len;
	/* An epoch is the digits before the first ':' (a non-numeric prefix is no epoch). */
	const char *p = v;
	while (p < end && vi_digit(*p))
		p++;
	o->epoch = v;
	o->elen = 0;
	if (p < end && *p == ':' && p > v) {
		o->elen = (size_t)(p - v);
		v = p + 1;
	}
	const char *dash = memrchr(v, '-', (size_t)(end - v));
	o->up = v;
	if (dash) {
		o->ulen = (size_t)(dash - v);
		o->rev = dash + 1;
		o->rlen = (size_t)(end - dash - 1);
	} else {
		o->ulen = (size_t)(end - v);
		o->rev = end;
		o->rlen = 0;
	}
}

static int deb_compare(const char *a, size_t alen, const char *b, size_t blen)
{
	struct evr x, y;
	split(a, alen, &x);
	split(b, blen, &y);
	int c = (x.elen | y.elen) ? sc_version_numcmp(x.epoch, x.elen, y.epoch, y.elen) : 0;
	if (c)
		return c;
	c = verrevcmp(x.up, x.up + x.ulen, y.up, y.up + y.ulen);
	if (c)
		return c;
	return verrevcmp(x.rev, x.rev + x.rlen, y.rev, y.rev + y.rlen);
}

static enum sc_status deb_validate(const char *v, size_t len, struct sc_error *err)
{
	enum sc_status st = sc_version_check_len("deb", v, len, err);
	if (st != SC_OK)
		return st;
#define FAIL(...) return sc_version_fail(err, "deb", "version", v, len, __VA_ARGS__)
	for (size_t i = 0; i < len; i++)
		if (v[i] == ' ' || v[i] == '\t' || v[i] == '\n' || v[i] == '\r')
			FAIL("version string has embedded spaces");
	const char *end = v + len, *up = v;
	const char *colon = memchr(v, ':', len);
	if (colon) {
		if (colon == v)
			FAIL("epoch in version is empty");
		for (const char *p = v; p < colon; p++)
			if (!vi_digit(*p))
				FAIL("epoch in version is not number");
		/* dpkg parses the epoch as an int: at most INT_MAX. */
		if (sc_version_numcmp(v, (size_t)(colon - v), "2147483647", 10) > 0)
			FAIL("epoch in version is too big");
		up = colon + 1;
		if (up == end)
			FAIL("nothing after colon in version number");
	}
	const char *dash = memrchr(up, '-', (size_t)(end - up));
	const char *uend = dash ? dash : end;
	if (dash && dash + 1 == end)
		FAIL("revision number is empty");
	if (uend == up)
		FAIL("version number is empty");
	if (!vi_digit(*up))
		FAIL("version number does not start with digit");
	for (const char *p = up; p < uend; p++)
		if (!vi_alnum(*p) && !strchr(".-+~:", *p))
			FAIL("invalid character in version number");
	if (dash)
		for (const char *p = dash + 1; p < end; p++)
			if (!vi_alnum(*p) && !strchr(".+~", *p))
				FAIL("invalid character in revision number");
#undef FAIL
	return SC_OK;
}

static enum sc_status deb_satisfies(const char *version, const char *range, bool include_prerelease, bool *out,
				    struct sc_error *err)
{
	(void)include_prerelease;
	return sc_version_oprange(&sc_scheme_deb, version, range, out, err);
}

static const char *const ecosystems[] = {"Debian", "Ubuntu", NULL};

const struct sc_scheme sc_scheme_deb = {
	.name = "deb",
	.ecosystems = ecosystems,
	.validate = deb_validate,
	.compare = deb_compare,
	.satisfies = deb_satisfies,
};
