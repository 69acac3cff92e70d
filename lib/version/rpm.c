/* rpm.c - RPM versions ([epoch:]version[-release]) ordered as rpm 4.18's rpmverCmp: epoch (missing
 * = 0), then version and release with rpmvercmp (alphanumeric segments, `~` sorts before
 * everything, `^` after the base version but before anything else; a missing release compares as
 * empty, so 1.0 < 1.0-1). rpm accepts nearly any string; only empty, over-long, white space,
 * control bytes and a non-numeric epoch are rejected. Constraints use the operator-list syntax. */
#include "version_impl.h"

#include <string.h>

static int rpmvercmp(const char *a, size_t alen, const char *b, size_t blen)
{
	const char *one = a, *oe = a + alen, *two = b, *te = b + blen;
	if (alen == blen && !memcmp(a, b, alen))
		return 0;
#define AT(p, e) ((p) < (e) ? (unsigned char)*(p) : 0)
	while (one < oe || two < te) {
		while (one < oe && !vi_alnum(*one) && *one != '~' && *one != '^')
			one++;
		while (two < te && !vi_alnum(*two) && *two != '~' && *two != '^')
			two++;
		if (AT(one, oe) == '~' || AT(two, te) == '~') {
			if (AT(one, oe) != '~')
				return 1;
			if (AT(two, te) != '~')
				return -1;
			one++;
			two++;
			continue;
		}
		if (AT(one, oe) == '^' || AT(two, te) == '^') {
			if (one >= oe)
				return -1;
			if (two >= te)
				return 1;
			if (*one != '^')
				return 1;
			if (*two != '^')
				return -1;
			one++;
			two++;
			continue;
		}
		if (!(one < oe && two < te))
			break;
		const char *s1 = one, *s2 = two;
		bool isnum = vi_digit(*s1);
		if (isnum) {
			while (s1 < oe && vi_digit(*s1))
				s1++;
			while (s2 < te && vi_digit(*s2))
				s2++;
		} else {
			while (s1 < oe && vi_alpha(*s1))
				s1++;
			while (s2 < te && vi_alpha(*s2))
				s2++;
		}
		if (two == s2)
			return isnum ? 1 : -1;
		if (isnum) {
			int c = sc_version_numcmp(one, (size_t)(s1 - one), two, (size_t)(s2 - two));
			if (c)
				return c;
		} else {
			size_t l1 = (size_t)(s1 - one), l2 = (size_t)(s2 - two);
			int c = memcmp(one, two, l1 < l2 ? l1 : l2);
			if (c)
				return c < 0 ? -1 : 1;
			if (l1 != l2)
				return l1 < l2 ? -1 : 1;
		}
		one = s1;
		two = s2;
	}
	if (one >= oe && two >= te)
		return 0;
	return one >= oe ? -1 : 1;
#undef AT
}

struct evr {
	const char *e, *v, *r;
	size_t el, vl, rl;
	bool has_r;
};

/* rpm's parseEVR: leading digits then ':' is the epoch; the last '-' starts the release. */
static void parse(const char *s, size_t len, struct evr *o)
{
	const char *end = s + len, *p = s;
	while (p < end && vi_digit(*p))
		p++;
	const char *se = memrchr(p, '-', (size_t)(end - p));
	if (p < end && *p == ':') {
		o->e = s;
		o->el = (size_t)(p - s);
		if (o->el == 0) {
			o->e = "0";
			o->el = 1;
		}
		o->v = p + 1;
	} else {
		o->e = "0";
		o->el = 1;
		o->v = s;
	}
	if (se) {
		o->vl = (size_t)(se - o->v);
		o->r = se + 1;
		o->rl = (size_t)(end - se - 1);
		o->has_r = true;
	} else {
		o->vl = (size_t)(end - o->v);
		o->r = "";
		o->rl = 0;
		o->has_r = false;
	}
}

static int rpm_compare(const char *a, size_t alen, const char *b, size_t blen)
{
	struct evr x, y;
	parse(a, alen, &x);
	parse(b, blen, &y);
	int c = rpmvercmp(x.e, x.el, y.e, y.el);
	if (!c)
		c = rpmvercmp(x.v, x.vl, y.v, y.vl);
	if (!c)
		c = rpmvercmp(x.r, x.rl, y.r, y.rl);
	return c;
}

static enum sc_status rpm_validate(const char *v, size_t len, struct sc_error *err)
{
	enum sc_status st = sc_version_check_len("rpm", v, len, err);
	if (st != SC_OK)
		return st;
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)v[i];
		if (c <= 0x20 || c >= 0x7f)
			return sc_version_fail(err, "rpm", "version", v, len,
					       "white space, control or non-ASCII byte at offset %zu", i);
	}
	const char *colon = memchr(v, ':', len);
	if (colon) {
		for (const char *p = v; p < colon; p++)
			if (!vi_digit(*p))
				return sc_version_fail(err, "rpm", "version", v, len, "epoch is not a number");
		if (colon + 1 == v + len || colon[1] == '-')
			return sc_version_fail(err, "rpm", "version", v, len, "empty version after the epoch");
	}
	return SC_OK;
}

static enum sc_status rpm_satisfies(const char *version, const char *range, bool include_prerelease, bool *out,
				    struct sc_error *err)
{
	(void)include_prerelease;
	return sc_version_oprange(&sc_scheme_rpm, version, range, out, err);
}

static const char *const ecosystems[] = {"Red Hat", "Rocky Linux", "AlmaLinux", "SUSE", "openSUSE",
					 "Mageia", "openEuler", NULL};

const struct sc_scheme sc_scheme_rpm = {
	.name = "rpm",
	.ecosystems = ecosystems,
	.validate = rpm_validate,
	.compare = rpm_compare,
	.satisfies = rpm_satisfies,
};
