/* schemes.c - the table of version schemes built from schemes.def, lookup by name or OSV
 * ecosystem, and the validating compare/satisfies entry points. */
#include "version_impl.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static const struct sc_scheme *const table[] = {
#define SC_SCHEME(n) &sc_scheme_##n,
#include "schemes.def"
#undef SC_SCHEME
};

size_t sc_scheme_count(void)
{
	return sizeof(table) / sizeof(table[0]);
}

const struct sc_scheme *sc_scheme_at(size_t i)
{
	return i < sc_scheme_count() ? table[i] : NULL;
}

const struct sc_scheme *sc_scheme_find(const char *name)
{
	if (!name)
		return NULL;
	for (size_t i = 0; i < sc_scheme_count(); i++)
		if (!strcmp(table[i]->name, name))
			return table[i];
	/* OSV ecosystem, optionally with a ":release" suffix ("Debian:12", "Alpine:v3.19"). */
	size_t n = strcspn(name, ":");
	for (size_t i = 0; i < sc_scheme_count(); i++)
		for (const char *const *e = table[i]->ecosystems; e && *e; e++)
			if (strlen(*e) == n && !strncmp(*e, name, n))
				return table[i];
	return NULL;
}

enum sc_status sc_version_fail(struct sc_error *err, const char *scheme, const char *what, const char *v,
			       size_t len, const char *fmt, ...)
{
	char shown[96];
	size_t o = 0;
	for (size_t i = 0; i < len && o + 5 < sizeof(shown); i++) {
		unsigned char c = (unsigned char)v[i];
		if (c >= 0x20 && c < 0x7f && c != '\\') {
			shown[o++] = (char)c;
		} else {
			snprintf(shown + o, sizeof(shown) - o, "\\x%02x", c);
			o += 4;
		}
	}
	shown[o] = '\0';
	bool cut = o + 5 >= sizeof(shown) && len > 0;
	char why[256];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	return sc_error_set(err, SC_EINPUT, NULL, 0, 0, "invalid %s %s '%s%s' (%zu bytes): %s", scheme, what,
			    shown, cut ? "..." : "", len, why);
}

enum sc_status sc_version_check_len(const char *scheme, const char *v, size_t len, struct sc_error *err)
{
	if (len == 0)
		return sc_error_set(err, SC_EINPUT, NULL, 0, 0, "invalid %s version: empty string", scheme);
	if (len > SC_VERSION_MAX)
		return sc_version_fail(err, scheme, "version", v, len, "longer than %d bytes", SC_VERSION_MAX);
	if (memchr(v, '\0', len))
		return sc_version_fail(err, scheme, "version", v, len, "contains a NUL byte");
	return SC_OK;
}

int sc_version_numcmp(const char *a, size_t alen, const char *b, size_t blen)
{
	while (alen && *a == '0') {
		a++;
		alen--;
	}
	while (blen && *b == '0') {
		b++;
		blen--;
	}
	if (alen != blen)
		return alen < blen ? -1 : 1;
	if (alen == 0)
		return 0;
	int c = memcmp(a, b, alen);
	return (c > 0) - (c < 0);
}

enum sc_status sc_version_compare(const struct sc_scheme *s, const char *a, const char *b, int *cmp,
				  struct sc_error *err)
{
	size_t al = strlen(a), bl = strlen(b);
	enum sc_status st = s->validate(a, al, err);
	if (st != SC_OK)
		return st;
	st = s->validate(b, bl, err);
	if (st != SC_OK)
		return st;
	int c = s->compare(a, al, b, bl);
	*cmp = (c > 0) - (c < 0);
	return SC_OK;
}

enum sc_status sc_version_satisfies(const struct sc_scheme *s, const char *version, const char *range,
				    bool include_prerelease, bool *out, struct sc_error *err)
{
	*out = false;
	enum sc_status st = s->validate(version, strlen(version), err);
	if (st != SC_OK)
		return st;
	if (strlen(range) > SC_VERSION_RANGE_MAX)
		return sc_error_set(err, SC_ELIMIT, NULL, 0, 0, "%s range longer than %d bytes", s->name,
				    SC_VERSION_RANGE_MAX);
	return s->satisfies(version, range, include_prerelease, out, err);
}

static bool isspace_(int c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

enum sc_status sc_version_oprange(const struct sc_scheme *s, const char *version, const char *range,
				  bool *out, struct sc_error *err)
{
	size_t vlen = strlen(version);
	enum sc_status st = s->validate(version, vlen, err);
	if (st != SC_OK)
		return st;
	const char *p = range;
	bool any = false, cur = true;
	size_t ncomp = 0;
	for (;;) {
		while (isspace_((unsigned char)*p) || *p == ',')
			p++;
		if (*p == '\0' || (p[0] == '|' && p[1] == '|')) {
			if (ncomp == 0)
				return sc_version_fail(err, s->name, "range", range, strlen(range),
						       "empty alternative (expected OP VERSION)");
			any = any || cur;
			if (*p == '\0')
				break;
			p += 2;
			cur = true;
			ncomp = 0;
			continue;
		}
		const char *op = p;
		while (*p == '<' || *p == '>' || *p == '=' || *p == '!')
			p++;
		size_t oplen = (size_t)(p - op);
		while (isspace_((unsigned char)*p))
			p++;
		const char *v = p;
		while (*p && !isspace_((unsigned char)*p) && *p != ',' && !(p[0] == '|' && p[1] == '|'))
			p++;
		size_t len = (size_t)(p - v);
		st = s->validate(v, len, err);
		if (st != SC_OK)
			return st;
		int c = s->compare(version, vlen, v, len);
		bool ok;
#define OP(x) (oplen == sizeof(x) - 1 && !memcmp(op, x, oplen))
		if (oplen == 0 || OP("=") || OP("=="))
			ok = c == 0;
		else if (OP("!="))
			ok = c != 0;
		else if (OP("<") || OP("<<"))
			ok = c < 0;
		else if (OP("<="))
			ok = c <= 0;
		else if (OP(">") || OP(">>"))
			ok = c > 0;
		else if (OP(">="))
			ok = c >= 0;
		else
			return sc_version_fail(err, s->name, "range", range, strlen(range), "unknown operator '%.*s'",
					       (int)oplen, op);
#undef OP
		cur = cur && ok;
		ncomp++;
	}
	*out = any;
	return SC_OK;
}
