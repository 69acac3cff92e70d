/* dpkg.c - Debian/Ubuntu versions ([epoch:]upstream[-revision]) ordered exactly as dpkg's
 * verrevcmp (lib/dpkg/version.c): `~` before everything, letters before other symbols, digit runs
 * numerically. Validation follows dpkg's parseversion, rejecting its warnings as well as errors. */
#include "version_impl.h"

#include <stdint.h>
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

/* Length of the common prefix of a and b (both at least n bytes long), 8 bytes at a time: the
 * first differing byte of a word is found from the lowest set bit of the XOR. */
static inline size_t common_prefix(const char *a, const char *b, size_t n)
{
	size_t i = 0;
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	uint64_t x, y;
	for (; i + 8 <= n; i += 8) {
		memcpy(&x, a + i, 8);
		memcpy(&y, b + i, 8);
		if (x != y)
			return i + (size_t)__builtin_ctzll(x ^ y) / 8;
	}
	if (n >= 8) {
		/* The last (overlapping) word instead of a byte loop over the tail. */
		memcpy(&x, a + n - 8, 8);
		memcpy(&y, b + n - 8, 8);
		return x != y ? n - 8 + (size_t)__builtin_ctzll(x ^ y) / 8 : n;
	}
	if (n >= 4) {
		/* Short strings: the first and the last (overlapping) 4 bytes. */
		uint32_t u, v;
		memcpy(&u, a, 4);
		memcpy(&v, b, 4);
		if (u != v)
			return (size_t)__builtin_ctz(u ^ v) / 8;
		memcpy(&u, a + n - 4, 4);
		memcpy(&v, b + n - 4, 4);
		return u != v ? n - 4 + (size_t)__builtin_ctz(u ^ v) / 8 : n;
	}
#endif
	while (i < n && a[i] == b[i])
		i++;
	return i;
}

/* dpkg's verrevcmp on [a, ae) and [b, be), whose first i bytes are known to be equal: equal
 * non-digits compare equal one by one, so the comparison starts at the first difference, backed
 * up to the start of the digit run it falls in (digit runs must be compared whole). */
static int verrevcmp_from(const char *a, const char *ae, const char *b, const char *be, size_t i)
{
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

static int verrevcmp(const char *a, const char *ae, const char *b, const char *be)
{
	size_t al = (size_t)(ae - a), bl = (size_t)(be - b);
	return verrevcmp_from(a, ae, b, be, common_prefix(a, b, al < bl ? al : bl));
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

/* The general comparison: split both, then epoch, upstream, revision. */
static int compare_split(const char *a, size_t alen, const char *b, size_t blen)
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

#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
/* 0x80 in each byte of x that is '-', 0 elsewhere (exact: no carries between bytes). */
static inline uint64_t dash_bytes(uint64_t x)
{
	const uint64_t lo7 = 0x7f7f7f7f7f7f7f7fULL;
	x ^= 0x2d2d2d2d2d2d2d2dULL;
	return ~(((x & lo7) + lo7) | x | lo7);
}
#endif

/* Position of the last '-' in v[from, len), or len when there is none; 8 bytes at a time from the
 * end, since the revision is short. */
static inline size_t last_dash(const char *v, size_t from, size_t len)
{
	size_t p = len;
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	uint64_t x, m;
	for (; p >= from + 8; p -= 8) {
		memcpy(&x, v + p - 8, 8);
		if ((m = dash_bytes(x)))
			return p - 8 + (size_t)(63 - __builtin_clzll(m)) / 8;
	}
	if (p > from && p >= 8) {
		/* The rest, v[from, p), is shorter than 8: one word ending at p, bytes before from
		 * masked off. */
		memcpy(&x, v + p - 8, 8);
		m = dash_bytes(x) & (~0ULL << 8 * (from - (p - 8)));
		return m ? p - 8 + (size_t)(63 - __builtin_clzll(m)) / 8 : len;
	}
#endif
	for (; p > from; p--)
		if (v[p - 1] == '-')
			return p - 1;
	return len;
}

/* One pass over the common prefix of the whole strings decides most of the work. When it covers
 * the leading digits and the character after them, both strings have the same epoch (or none),
 * which needs no numeric comparison. When neither string has a '-' after the first difference,
 * both have the same last '-' (or none): equal upstreams when it lies in the common prefix, else no
 * revisions, and either way the result is verrevcmp from the first difference (backing up over
 * digits stops at the '-' or ':'). Otherwise the '-' positions split the strings. The strings
 * differing inside their leading digits go to compare_split. */
static int deb_compare(const char *a, size_t alen, const char *b, size_t blen)
{
	size_t n = alen < blen ? alen : blen;
	size_t i = common_prefix(a, b, n);
	if (i == alen && i == blen)
		return 0;
	size_t p = 0, s;
	while (p < i && vi_digit(a[p]))
		p++;
	if (p < i) {
		/* b[0..p] == a[0..p]: the same epoch or none; s is where the upstream starts. */
		s = p > 0 && a[p] == ':' ? p + 1 : 0;
	} else {
		/* The strings differ inside their leading digits or right after them. */
		size_t pa = p, pb = p;
		while (pa < alen && vi_digit(a[pa]))
			pa++;
		while (pb < blen && vi_digit(b[pb]))
			pb++;
		bool ea = pa > 0 && pa < alen && a[pa] == ':', eb = pb > 0 && pb < blen && b[pb] == ':';
		if (ea || eb) {
			/* A missing epoch is 0; equal values written differently ("01:") are rare. */
			int c = sc_version_numcmp(a, ea ? pa : 0, b, eb ? pb : 0);
			return c ? c : compare_split(a, alen, b, blen);
		}
		s = 0;
	}
	size_t ta = last_dash(a, i, alen), tb = last_dash(b, i, blen);
	if (ta == alen && tb == blen)
		return verrevcmp_from(a, a + alen, b, b + blen, i);
	/* A string without a '-' after i has its last one in the common prefix, if any. */
	size_t da = ta, db = tb;
	if (ta == alen || tb == blen) {
		size_t common = last_dash(a, s, i);
		if (ta == alen && common < i)
			da = common;
		if (tb == blen && common < i)
			db = common;
	}
	/* Some '-' lies after the first difference, so i is inside both upstreams or at the end
	 * of one: k is the common prefix of the upstreams. */
	size_t k = i < da ? i : da;
	k = k < db ? k : db;
	int c = verrevcmp_from(a + s, a + da, b + s, b + db, k - s);
	if (c)
		return c;
	size_t ra = da < alen ? da + 1 : alen, rb = db < blen ? db + 1 : blen;
	return verrevcmp(a + ra, a + alen, b + rb, b + blen);
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
