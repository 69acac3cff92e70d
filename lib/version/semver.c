/* semver.c - SemVer 2.0 parsing and precedence (semver.org), shared by the npm (node-semver) and
 * crates.io schemes. The "semver" scheme is strict SemVer 2.0 with Cargo's requirement syntax. */
#include "version_impl.h"

#include <stdlib.h>
#include <string.h>

static bool ws(int c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

/* A number `0|[1-9][0-9]*`; *p advanced. */
static const char *number(const char **p, const char *e, enum sv_mode mode, uint64_t *out, const char *what)
{
	const char *s = *p;
	if (s >= e || !vi_digit(*s))
		return what;
	if (*s == '0' && s + 1 < e && vi_digit(s[1]))
		return "numbers must not have leading zeros";
	uint64_t v = 0;
	bool over = false;
	for (; s < e && vi_digit(*s); s++) {
		unsigned d = (unsigned)(*s - '0');
		if (v > (UINT64_MAX - d) / 10)
			over = true;
		else
			v = v * 10 + d;
	}
	if (over || (mode == SV_NPM && v > SV_MAX_SAFE))
		return mode == SV_NPM ? "number larger than 2^53-1" : "number larger than 2^64-1";
	*p = s;
	*out = v;
	return NULL;
}

static bool ident_char(int c)
{
	return vi_alnum(c) || c == '-';
}

const char *sc_sv_parse(const char *s, size_t len, enum sv_mode mode, struct sv *out)
{
	const char *e = s + len;
	if (mode == SV_NPM) {
		if (len > 256)
			return "longer than 256 characters";
		while (s < e && ws((unsigned char)*s))
			s++;
		while (e > s && ws((unsigned char)e[-1]))
			e--;
		if (s < e && *s == 'v')
			s++;
	}
	if (s == e)
		return "empty";
	const char *why;
	if ((why = number(&s, e, mode, &out->major, "expected a major version number")))
		return why;
	if (s >= e || *s != '.')
		return "expected MAJOR.MINOR.PATCH";
	s++;
	if ((why = number(&s, e, mode, &out->minor, "expected a minor version number")))
		return why;
	if (s >= e || *s != '.')
		return "expected MAJOR.MINOR.PATCH";
	s++;
	if ((why = number(&s, e, mode, &out->patch, "expected a patch version number")))
		return why;
	out->pre = out->build = NULL;
	out->prelen = out->buildlen = 0;
	if (s < e && *s == '-') {
		s++;
		out->pre = s;
		for (;;) {
			const char *id = s;
			bool numeric = true;
			while (s < e && ident_char(*s)) {
				numeric = numeric && vi_digit(*s);
				s++;
			}
			if (s == id)
				return "empty prerelease identifier";
			if (numeric && *id == '0' && s - id > 1)
				return "numeric prerelease identifier with a leading zero";
			if (s < e && *s == '.') {
				s++;
				continue;
			}
			break;
		}
		out->prelen = (size_t)(s - out->pre);
	}
	if (s < e && *s == '+') {
		s++;
		out->build = s;
		for (;;) {
			const char *id = s;
			while (s < e && ident_char(*s))
				s++;
			if (s == id)
				return "empty build identifier";
			if (s < e && *s == '.') {
				s++;
				continue;
			}
			break;
		}
		out->buildlen = (size_t)(s - out->build);
	}
	if (s != e)
		return "unexpected character";
	return NULL;
}

static int u64cmp(uint64_t a, uint64_t b)
{
	return (a > b) - (a < b);
}

static bool all_digits(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!vi_digit(s[i]))
			return false;
	return n > 0;
}

/* JavaScript's +"digits" for a long identifier: the nearest double. */
static double js_number(const char *s, size_t n)
{
	char buf[300];
	if (n >= sizeof(buf))
		n = sizeof(buf) - 1;
	memcpy(buf, s, n);
	buf[n] = '\0';
	return strtod(buf, NULL);
}

static int ident_cmp(const char *a, size_t al, const char *b, size_t bl, enum sv_mode mode)
{
	bool an = all_digits(a, al), bn = all_digits(b, bl);
	if (an && bn) {
		if (mode == SV_STRICT || (al <= 15 && bl <= 15))
			return sc_version_numcmp(a, al, b, bl);
		double x = js_number(a, al), y = js_number(b, bl);
		return (x > y) - (x < y);
	}
	if (an)
		return -1;
	if (bn)
		return 1;
	int c = memcmp(a, b, al < bl ? al : bl);
	if (c)
		return c < 0 ? -1 : 1;
	return u64cmp(al, bl);
}

int sc_sv_cmp(const struct sv *a, const struct sv *b, enum sv_mode mode)
{
	int c = u64cmp(a->major, b->major);
	if (!c)
		c = u64cmp(a->minor, b->minor);
	if (!c)
		c = u64cmp(a->patch, b->patch);
	if (c)
		return c;
	if (!a->pre || !b->pre)
		return a->pre ? -1 : b->pre ? 1 : 0;
	const char *p = a->pre, *pe = a->pre + a->prelen, *q = b->pre, *qe = b->pre + b->prelen;
	for (;;) {
		if (p >= pe && q >= qe)
			return 0;
		if (q >= qe)
			return 1;
		if (p >= pe)
			return -1;
		const char *pd = memchr(p, '.', (size_t)(pe - p)), *qd = memchr(q, '.', (size_t)(qe - q));
		size_t pl = (size_t)((pd ? pd : pe) - p), ql = (size_t)((qd ? qd : qe) - q);
		if (!(pl == ql && !memcmp(p, q, pl))) {
			/* node-semver returns the identifier comparison, even when it is 0 for two
			 * different numbers beyond 2^53 that round to the same double. */
			return ident_cmp(p, pl, q, ql, mode);
		}
		p += pl + (pd ? 1 : 0);
		q += ql + (qd ? 1 : 0);
	}
}

/* ---- the crates.io scheme: strict SemVer 2.0 ---- */

static enum sc_status strict_validate(const char *v, size_t len, struct sc_error *err)
{
	enum sc_status st = sc_version_check_len("semver", v, len, err);
	if (st != SC_OK)
		return st;
	struct sv x;
	const char *why = sc_sv_parse(v, len, SV_STRICT, &x);
	if (why)
		return sc_version_fail(err, "semver", "version", v, len, "%s", why);
	return SC_OK;
}

/* Invalid input sorts before every valid version, and among itself bytewise. */
static int strict_compare(const char *a, size_t alen, const char *b, size_t blen)
{
	struct sv x, y;
	bool xa = !sc_sv_parse(a, alen, SV_STRICT, &x), yb = !sc_sv_parse(b, blen, SV_STRICT, &y);
	if (xa && yb)
		return sc_sv_cmp(&x, &y, SV_STRICT);
	if (xa != yb)
		return xa ? 1 : -1;
	int c = memcmp(a, b, alen < blen ? alen : blen);
	return c ? c : u64cmp(alen, blen);
}

/* Cargo requirements: comma-separated comparators; a bare version means ^version. They are
 * rewritten to node-semver syntax (same meaning for ^ ~ = < <= > >= and wildcards). */
static enum sc_status strict_satisfies(const char *version, const char *range, bool include_prerelease, bool *out,
				       struct sc_error *err)
{
	struct sv v;
	const char *why = sc_sv_parse(version, strlen(version), SV_STRICT, &v);
	if (why)
		return sc_version_fail(err, "semver", "version", version, strlen(version), "%s", why);
	struct sc_strbuf sb;
	sc_strbuf_init(&sb, 2 * SC_VERSION_RANGE_MAX + 16);
	const char *p = range;
	enum sc_status st = SC_OK;
	for (;;) {
		while (ws((unsigned char)*p))
			p++;
		const char *c = p;
		while (*p && *p != ',')
			p++;
		const char *ce = p;
		while (ce > c && ws((unsigned char)ce[-1]))
			ce--;
		if (ce == c || memchr(c, '|', (size_t)(ce - c))) {
			if (!(ce == c && *p == '\0' && c == range + strspn(range, " \t")))
				st = sc_version_fail(err, "semver", "requirement", range, strlen(range),
						     "expected comma-separated comparators");
			else
				st = sc_strbuf_puts(&sb, "*");
			if (st != SC_OK)
				goto out;
		} else {
			if (sb.len)
				sc_strbuf_putc(&sb, ' ');
			if (vi_digit(*c))
				sc_strbuf_putc(&sb, '^');
			sc_strbuf_append(&sb, c, (size_t)(ce - c));
		}
		if (*p != ',')
			break;
		p++;
	}
	if (v.major > SV_MAX_SAFE || v.minor > SV_MAX_SAFE || v.patch > SV_MAX_SAFE) {
		st = sc_version_fail(err, "semver", "version", version, strlen(version),
				     "number too large for range matching");
		goto out;
	}
	st = sc_npm_range_test(&v, sc_strbuf_str(&sb), include_prerelease, out, NULL, err);
out:
	sc_strbuf_free(&sb);
	return st;
}

static const char *const ecosystems[] = {"crates.io", NULL};

const struct sc_scheme sc_scheme_semver = {
	.name = "semver",
	.ecosystems = ecosystems,
	.validate = strict_validate,
	.compare = strict_compare,
	.satisfies = strict_satisfies,
};
