/* dpkg.c - Debian/Ubuntu versions ([epoch:]upstream[-revision]) ordered exactly as dpkg's
 * verrevcmp (lib/dpkg/version.c): `~` before everything, letters before other symbols, digit runs
 * numerically. Validation follows dpkg's parseversion, rejecting its warnings as well as errors. */
#include "version_impl.h"

#include <stdint.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif
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

#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define SWAR 1
/* 0x80 in each byte of x that is not an ASCII digit, 0 elsewhere (exact: no carries between
 * bytes, since (b & 0x7f) + 0x76 < 0x100). */
static inline uint64_t nondigit_bytes(uint64_t x)
{
	const uint64_t lo7 = 0x7f7f7f7f7f7f7f7fULL;
	uint64_t y = x ^ 0x3030303030303030ULL;
	return (((y & lo7) + 0x7676767676767676ULL) | y) & ~lo7;
}
/* 0x80 in each byte of x that is '-', 0 elsewhere (exact). */
static inline uint64_t dash_bytes(uint64_t x)
{
	const uint64_t lo7 = 0x7f7f7f7f7f7f7f7fULL;
	x ^= 0x2d2d2d2d2d2d2d2dULL;
	return ~(((x & lo7) + lo7) | x | lo7);
}
#else
#define SWAR 0
#endif

/* Length of the common prefix of a and b (both at least n bytes long), 8 bytes at a time: the
 * first differing byte of a word is found from the lowest set bit of the XOR. */
static inline __attribute__((always_inline)) size_t common_prefix(const char *a, const char *b, size_t n, bool *dash)
{
	size_t i = 0;
#if SWAR
	uint64_t x, y, d = 0;
	for (; i + 8 <= n; i += 8) {
		memcpy(&x, a + i, 8);
		memcpy(&y, b + i, 8);
		if (x != y) {
			unsigned k = (unsigned)__builtin_ctzll(x ^ y);
			*dash = (d | (dash_bytes(x) & ((1ULL << (k & ~7u)) - 1))) != 0;
			return i + k / 8;
		}
		d |= dash_bytes(x);
	}
	if (n >= 8) {
		/* The last (overlapping) word instead of a byte loop over the tail. */
		memcpy(&x, a + n - 8, 8);
		memcpy(&y, b + n - 8, 8);
		if (x != y) {
			unsigned k = (unsigned)__builtin_ctzll(x ^ y);
			*dash = (d | (dash_bytes(x) & ((1ULL << (k & ~7u)) - 1))) != 0;
			return n - 8 + k / 8;
		}
		*dash = (d | dash_bytes(x)) != 0;
		return n;
	}
	if (n >= 4) {
		/* Short strings: the first and the last (overlapping) 4 bytes as one word. */
		uint32_t u, v, u2, v2;
		memcpy(&u, a, 4);
		memcpy(&v, b, 4);
		memcpy(&u2, a + n - 4, 4);
		memcpy(&v2, b + n - 4, 4);
		x = (uint64_t)u | (uint64_t)u2 << (8 * (n - 4));
		y = (uint64_t)v | (uint64_t)v2 << (8 * (n - 4));
		unsigned k = x != y ? (unsigned)__builtin_ctzll(x ^ y) : 64;
		*dash = (dash_bytes(x) & (k < 64 ? (1ULL << (k & ~7u)) - 1 : ~0ULL) & ((1ULL << (8 * n)) - 1)) != 0;
		return k < 64 ? k / 8 : n;
	}
#endif
	while (i < n && a[i] == b[i])
		i++;
	*dash = false;
	for (size_t k = 0; k < i; k++)
		*dash |= a[k] == '-';
	return i;
}

/* Number of digits in s[pos, len) from pos on. */
static inline size_t digits_from(const char *s, size_t pos, size_t len)
{
#if SWAR
	if (len >= 8 && pos < len) {
		/* The word at pos, or the last word shifted so that bytes past the end read as 0. */
		size_t off = pos + 8 <= len ? pos : len - 8;
		uint64_t x, m;
		memcpy(&x, s + off, 8);
		x >>= 8 * (pos - off);
		if ((m = nondigit_bytes(x)))
			return (size_t)__builtin_ctzll(m) / 8;
	}
#endif
	size_t k = pos;
	while (k < len && vi_digit(s[k]))
		k++;
	return k - pos;
}

/* Number of digits right before s[i] (i <= len). */
static inline size_t digits_before(const char *s, size_t i, size_t len)
{
#if SWAR
	if (len >= 8 && i > 0) {
		/* The word ending at i, or the first word shifted so that bytes before s read as 0. */
		size_t off = i >= 8 ? i - 8 : 0;
		uint64_t x, m;
		memcpy(&x, s + off, 8);
		x <<= 8 * (off + 8 - i);
		if ((m = nondigit_bytes(x)))
			return (size_t)__builtin_clzll(m) / 8;
	}
#endif
	size_t k = i;
	while (k > 0 && vi_digit(s[k - 1]))
		k--;
	return i - k;
}

/* Most comparisons are decided by the characters at the first difference i (a[0, i) == b[0, i))
 * and the lengths of the digit runs around it: dpkg's verrevcmp started at i. 0 when they are not
 * enough (runs with leading zeros, a digit against the end, equal orders). */
static inline int decide_at(const char *a, size_t al, const char *b, size_t bl, size_t i, size_t *start)
{
	size_t st = i - digits_before(a, i, al);
	*start = st;
	int ca = i < al ? (unsigned char)a[i] : 0, cb = i < bl ? (unsigned char)b[i] : 0;
	bool xa = i < al && vi_digit(ca), xb = i < bl && vi_digit(cb);
	if (st < i ? a[st] != '0' : (xa && xb && ca != '0' && cb != '0')) {
		/* Inside a digit run without leading zeros, or at the start of two. */
		if (xa && xb) {
			size_t la = digits_from(a, i, al), lb = digits_from(b, i, bl);
			if (la != lb)
				return la > lb ? 1 : -1;
			return ca - cb;
		}
		if (xa != xb)
			return xa ? 1 : -1;
	}
	if (!(xa && xb) && (st == i || a[st] != '0'))
		return order(ca) - order(cb); /* non-digits after equal runs, or a digit against a symbol */
	return 0;
}

/* dpkg's verrevcmp on [a, ae) and [b, be), whose first i bytes are known to be equal: equal
 * non-digits compare equal one by one, so the comparison starts at the first difference, backed
 * up to the start of the digit run it falls in (digit runs must be compared whole). */
static int verrevcmp_from(const char *a, const char *ae, const char *b, const char *be, size_t i)
{
	size_t st;
	int c = decide_at(a, (size_t)(ae - a), b, (size_t)(be - b), i, &st);
	if (c)
		return c;
	a += st;
	b += st;
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
	bool dash;
	return verrevcmp_from(a, ae, b, be, common_prefix(a, b, al < bl ? al : bl, &dash));
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

/* Position of the last '-' in v[from, len), or len when there is none; 8 bytes at a time from the
 * end, since the revision is short. */
static inline size_t last_dash(const char *v, size_t from, size_t len)
{
	size_t p = len;
#if SWAR
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
static int compare_long(const char *a, size_t alen, const char *b, size_t blen)
{
	size_t n = alen < blen ? alen : blen;
	bool pdash;
	size_t i = common_prefix(a, b, n, &pdash);
	if (i == alen && i == blen)
		return 0;
	size_t p = digits_from(a, 0, i), s;
	if (p < i) {
		/* b[0..p] == a[0..p]: the same epoch or none; s is where the upstream starts. */
		s = p > 0 && a[p] == ':' ? p + 1 : 0;
	} else {
		/* The strings differ inside their leading digits or right after them. */
		size_t pa = p + digits_from(a, p, alen), pb = p + digits_from(b, p, blen);
		bool ea = pa > 0 && pa < alen && a[pa] == ':', eb = pb > 0 && pb < blen && b[pb] == ':';
		if (ea || eb) {
			/* A missing epoch is 0; equal values written differently ("01:") are rare. */
			int c = sc_version_numcmp(a, ea ? pa : 0, b, eb ? pb : 0);
			return c ? c : compare_split(a, alen, b, blen);
		}
		s = 0;
	}
	if (!pdash && (i >= alen || a[i] != '-') && (i >= blen || b[i] != '-')) {
		/* No '-' before the first difference nor at it: wherever the last ones are, the
		 * characters and digit runs at i are in both upstreams (or in a string without a
		 * revision), so what decides there decides the whole comparison. */
		size_t st;
		int c = decide_at(a, alen, b, blen, i, &st);
		if (c)
			return c;
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

#if defined(__SSE2__)
/* Strings of at most 32 bytes (nearly all versions) are compared through bit masks, bit k for
 * byte k: which bytes are equal in both, which are digits, which are '-'. Every question the
 * comparison asks (first difference, leading digits, digit runs around a position, '-' before or
 * after it) is then a shift and a count of bits instead of a loop with a branch per byte. Bytes are
 * read in 16-, 8- or 4-byte windows at the start and the end of a string, never past it. */
#define SHORT_MAX 32

static inline uint64_t digit_bits(__m128i v)
{
	__m128i x = _mm_sub_epi8(v, _mm_set1_epi8('0'));
	return (uint64_t)(unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(_mm_min_epu8(x, _mm_set1_epi8(9)), x));
}

static inline uint64_t dash_bits(__m128i v)
{
	return (uint64_t)(unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(v, _mm_set1_epi8('-')));
}

/* The window of s at off: 16, 8 or 4 bytes (w), zero-extended. */
static inline __m128i window(const char *s, size_t off, size_t w)
{
	if (w == 16)
		return _mm_loadu_si128((const __m128i *)(const void *)(s + off));
	if (w == 8)
		return _mm_loadl_epi64((const __m128i *)(const void *)(s + off));
	uint32_t x;
	memcpy(&x, s + off, 4);
	return _mm_cvtsi32_si128((int)x);
}

/* Window width for a string of len (4..32) bytes: two windows, at 0 and at len - w, cover it. */
static inline size_t width(size_t len)
{
	return len >= 16 ? 16 : len >= 8 ? 8 : 4;
}

/* Digit and '-' masks of s (len <= 32); bits at and above len are 0. */
static inline void masks(const char *s, size_t len, uint64_t *digit, uint64_t *dash)
{
	if (len < 4) {
		uint64_t d = 0, h = 0;
		for (size_t k = 0; k < len; k++) {
			d |= (uint64_t)vi_digit(s[k]) << k;
			h |= (uint64_t)(s[k] == '-') << k;
		}
		*digit = d;
		*dash = h;
		return;
	}
	size_t w = width(len);
	__m128i lo = window(s, 0, w), hi = window(s, len - w, w);
	uint64_t keep = (1ULL << w) - 1;
	*digit = (digit_bits(lo) & keep) | (digit_bits(hi) & keep) << (len - w);
	*dash = (dash_bits(lo) & keep) | (dash_bits(hi) & keep) << (len - w);
}

/* Length of the common prefix of a and b, both at least n (<= 32) bytes long. */
static inline size_t prefix_short(const char *a, const char *b, size_t n)
{
	if (n < 4) {
		size_t i = 0;
		while (i < n && a[i] == b[i])
			i++;
		return i;
	}
	size_t w = width(n);
	uint64_t keep = (1ULL << w) - 1;
	uint64_t lo = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(window(a, 0, w), window(b, 0, w)));
	uint64_t hi = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(window(a, n - w, w), window(b, n - w, w)));
	uint64_t ne = ~((lo & keep) | (hi & keep) << (n - w)) & ((1ULL << n) - 1);
	return ne ? (size_t)__builtin_ctzll(ne) : n;
}

/* decide_at with the masks: Da, Db digit masks, i the first difference. */
static inline int decide_masked(const char *a, size_t al, const char *b, size_t bl, uint64_t Da, uint64_t Db,
				size_t i)
{
	uint64_t nd = ~Da & ((1ULL << i) - 1); /* non-digits before i */
	size_t st = nd ? 64 - (size_t)__builtin_clzll(nd) : 0;
	int ca = i < al ? (unsigned char)a[i] : 0, cb = i < bl ? (unsigned char)b[i] : 0;
	bool xa = (Da >> i) & 1, xb = (Db >> i) & 1;
	if (st < i ? a[st] != '0' : (xa && xb && ca != '0' && cb != '0')) {
		if (xa && xb) {
			size_t la = (size_t)__builtin_ctzll(~(Da >> i)), lb = (size_t)__builtin_ctzll(~(Db >> i));
			if (la != lb)
				return la > lb ? 1 : -1;
			return ca - cb;
		}
		if (xa != xb)
			return xa ? 1 : -1;
	}
	if (!(xa && xb) && (st == i || a[st] != '0'))
		return order(ca) - order(cb);
	return 0;
}

static int compare_short(const char *a, size_t alen, const char *b, size_t blen)
{
	size_t n = alen < blen ? alen : blen;
	size_t i = prefix_short(a, b, n);
	if (i == alen && i == blen)
		return 0;
	uint64_t Da, Ha, Db, Hb;
	masks(a, alen, &Da, &Ha);
	masks(b, blen, &Db, &Hb);
	/* Epoch: the leading digits, when a ':' follows them. When the strings differ after that
	 * ':' (or after a non-digit) they have the same epoch or none, and an equal prefix changes
	 * no comparison below, so the upstream is compared from the start of the string. */
	size_t p = (size_t)__builtin_ctzll(~Da);
	if (p >= i) {
		size_t pb = (size_t)__builtin_ctzll(~Db);
		bool ea = p > 0 && p < alen && a[p] == ':', eb = pb > 0 && pb < blen && b[pb] == ':';
		if (ea || eb) {
			int c = sc_version_numcmp(a, ea ? p : 0, b, eb ? pb : 0);
			return c ? c : compare_split(a, alen, b, blen);
		}
	}
	uint64_t before = (1ULL << i) - 1;
	uint64_t ta = Ha >> i, tb = Hb >> i; /* '-' at or after i */
	/* No '-' after the first difference: the same last '-' (or none) in both, verrevcmp from
	 * i decides. No '-' before it nor at it: what decides at i decides the whole comparison
	 * (see compare_long). */
	if ((!ta && !tb) || (!(Ha & before) && !((ta | tb) & 1))) {
		int c = decide_masked(a, alen, b, blen, Da, Db, i);
		if (c)
			return c;
		if (!ta && !tb)
			return verrevcmp_from(a, a + alen, b, b + blen, i);
	}
	size_t da = Ha ? 63 - (size_t)__builtin_clzll(Ha) : alen, db = Hb ? 63 - (size_t)__builtin_clzll(Hb) : blen;
	size_t k = i < da ? i : da;
	k = k < db ? k : db;
	int c = verrevcmp_from(a, a + da, b, b + db, k);
	if (c)
		return c;
	size_t ra = da < alen ? da + 1 : alen, rb = db < blen ? db + 1 : blen;
	return verrevcmp(a + ra, a + alen, b + rb, b + blen);
}
#endif

static int deb_compare(const char *a, size_t alen, const char *b, size_t blen)
{
#if defined(__SSE2__)
	if (alen <= SHORT_MAX && blen <= SHORT_MAX)
		return compare_short(a, alen, b, blen);
#endif
	return compare_long(a, alen, b, blen);
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
