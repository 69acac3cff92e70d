/* go.c - Go module versions as golang.org/x/mod/semver orders them: a required `v`, shorthands
 * `v1` and `v1.2` (= v1.0.0, v1.2.0), SemVer 2.0 prerelease precedence, build metadata (including
 * `+incompatible`) ignored; invalid versions sort before valid ones and equal each other, as
 * semver.Compare does. Constraints use the operator-list syntax. */
#include "version_impl.h"

#include <string.h>

struct gov {
	const char *major, *minor, *patch, *pre, *build;
	size_t majl, minl, patl, prel, buildl;
	const char *shorthand; /* ".0.0", ".0" or "" */
};

static bool ident(int c)
{
	return vi_alnum(c) || c == '-';
}

static bool parse_int(const char **p, const char *e, const char **out, size_t *len)
{
	const char *s = *p;
	if (s >= e || !vi_digit(*s))
		return false;
	const char *q = s + 1;
	while (q < e && vi_digit(*q))
		q++;
	if (*s == '0' && q - s != 1)
		return false;
	*out = s;
	*len = (size_t)(q - s);
	*p = q;
	return true;
}

static bool bad_num(const char *s, size_t n)
{
	size_t i = 0;
	while (i < n && vi_digit(s[i]))
		i++;
	return i == n && n > 1 && s[0] == '0';
}

static bool parse(const char *v, size_t len, struct gov *g)
{
	const char *p = v, *e = v + len;
	memset(g, 0, sizeof(*g));
	if (p >= e || *p != 'v')
		return false;
	p++;
	if (!parse_int(&p, e, &g->major, &g->majl))
		return false;
	if (p == e) {
		g->minor = g->patch = "0";
		g->minl = g->patl = 1;
		g->shorthand = ".0.0";
		return true;
	}
	if (*p != '.')
		return false;
	p++;
	if (!parse_int(&p, e, &g->minor, &g->minl))
		return false;
	if (p == e) {
		g->patch = "0";
		g->patl = 1;
		g->shorthand = ".0";
		return true;
	}
	if (*p != '.')
		return false;
	p++;
	if (!parse_int(&p, e, &g->patch, &g->patl))
		return false;
	g->shorthand = "";
	if (p < e && *p == '-') {
		const char *s = p + 1, *start = s;
		const char *q = s;
		for (; q < e && *q != '+'; q++) {
			if (!ident(*q) && *q != '.')
				return false;
			if (*q == '.') {
				if (start == q || bad_num(start, (size_t)(q - start)))
					return false;
				start = q + 1;
			}
		}
		if (start == q || bad_num(start, (size_t)(q - start)))
			return false;
		g->pre = p;
		g->prel = (size_t)(q - p);
		p = q;
	}
	if (p < e && *p == '+') {
		const char *q = p + 1, *start = q;
		for (; q < e; q++) {
			if (!ident(*q) && *q != '.')
				return false;
			if (*q == '.') {
				if (start == q)
					return false;
				start = q + 1;
			}
		}
		if (start == q)
			return false;
		g->build = p;
		g->buildl = (size_t)(q - p);
		p = q;
	}
	return p == e;
}

static int cmp_int(const char *x, size_t xl, const char *y, size_t yl)
{
	if (xl != yl)
		return xl < yl ? -1 : 1;
	int c = memcmp(x, y, xl);
	return (c > 0) - (c < 0);
}

static bool all_digits(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!vi_digit(s[i]))
			return false;
	return true;
}

static int cmp_pre(const char *x, size_t xl, const char *y, size_t yl)
{
	if (xl == yl && !memcmp(x, y, xl))
		return 0;
	if (xl == 0)
		return 1;
	if (yl == 0)
		return -1;
	const char *xe = x + xl, *ye = y + yl;
	while (x < xe && y < ye) {
		x++; /* skip '-' or '.' */
		y++;
		const char *dx = x, *dy = y;
		while (x < xe && *x != '.')
			x++;
		while (y < ye && *y != '.')
			y++;
		size_t lx = (size_t)(x - dx), ly = (size_t)(y - dy);
		if (lx == ly && !memcmp(dx, dy, lx))
			continue;
		bool nx = all_digits(dx, lx), ny = all_digits(dy, ly);
		if (nx != ny)
			return nx ? -1 : 1;
		if (nx && lx != ly)
			return lx < ly ? -1 : 1;
		int c = memcmp(dx, dy, lx < ly ? lx : ly);
		if (c)
			return c < 0 ? -1 : 1;
		return lx < ly ? -1 : 1;
	}
	return x >= xe ? -1 : 1;
}

static int go_compare(const char *a, size_t alen, const char *b, size_t blen)
{
	struct gov x, y;
	bool ok1 = parse(a, alen, &x), ok2 = parse(b, blen, &y);
	if (!ok1 && !ok2)
		return 0;
	if (!ok1)
		return -1;
	if (!ok2)
		return 1;
	int c = cmp_int(x.major, x.majl, y.major, y.majl);
	if (!c)
		c = cmp_int(x.minor, x.minl, y.minor, y.minl);
	if (!c)
		c = cmp_int(x.patch, x.patl, y.patch, y.patl);
	if (!c)
		c = cmp_pre(x.pre ? x.pre : "", x.prel, y.pre ? y.pre : "", y.prel);
	return c;
}

static enum sc_status go_validate(const char *v, size_t len, struct sc_error *err)
{
	enum sc_status st = sc_version_check_len("go", v, len, err);
	if (st != SC_OK)
		return st;
	struct gov g;
	if (!parse(v, len, &g))
		return sc_version_fail(err, "go", "version", v, len,
				       "expected vMAJOR[.MINOR[.PATCH[-PRERELEASE][+BUILD]]] (golang.org/x/mod/semver)");
	return SC_OK;
}

/* semver.Canonical: "" when invalid. */
bool sc_go_canonical(const char *v, struct sc_strbuf *out)
{
	struct gov g;
	if (!parse(v, strlen(v), &g))
		return false;
	if (g.build)
		sc_strbuf_append(out, v, strlen(v) - g.buildl);
	else {
		sc_strbuf_puts(out, v);
		sc_strbuf_puts(out, g.shorthand);
	}
	return true;
}

static enum sc_status go_satisfies(const char *version, const char *range, bool include_prerelease, bool *out,
				   struct sc_error *err)
{
	(void)include_prerelease;
	return sc_version_oprange(&sc_scheme_go, version, range, out, err);
}

static const char *const ecosystems[] = {"Go", NULL};

const struct sc_scheme sc_scheme_go = {
	.name = "go",
	.ecosystems = ecosystems,
	.validate = go_validate,
	.compare = go_compare,
	.satisfies = go_satisfies,
};
