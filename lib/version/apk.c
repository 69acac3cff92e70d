/* apk.c - Alpine versions ordered as apk-tools 3 (src/version.c) orders them:
 * digit{.digit}...{letter}{_suffix{#}}...{~hash}{-r#}, `_alpha` < `_beta` < `_pre` < `_rc` < none <
 * `_cvs` < `_svn` < `_git` < `_hg` < `_p`, leading-zero digit runs compared as strings, numbers
 * wrapping at 2^64 like apk_blob_pull_uint. Invalid versions are still ordered token by token, as
 * apk does. Constraints use apk's operators (< <= = >= > ~ fuzzy), joined by spaces (AND) and `||`. */
#include "version_impl.h"

#include <string.h>

enum { T_INITIAL_DIGIT, T_DIGIT, T_LETTER, T_SUFFIX, T_SUFFIX_NO, T_COMMIT_HASH, T_REVISION_NO, T_END, T_INVALID };
enum { S_INVALID, S_ALPHA, S_BETA, S_PRE, S_RC, S_NONE, S_CVS, S_SVN, S_GIT, S_HG, S_P };

struct blob {
	const char *p;
	size_t n;
};

struct tok {
	int token;
	int suffix;
	uint64_t number;
	struct blob value;
};

static int suffix_value(struct blob s)
{
	static const char *const names[] = {"", "alpha", "beta", "pre", "rc", "", "cvs", "svn", "git", "hg", "p"};
	if (s.n == 0)
		return S_INVALID;
	int v;
	switch (s.p[0]) {
	case 'a': v = S_ALPHA; break;
	case 'b': v = S_BETA; break;
	case 'c': v = S_CVS; break;
	case 'g': v = S_GIT; break;
	case 'h': v = S_HG; break;
	case 'p': v = s.n > 1 ? S_PRE : S_P; break;
	case 'r': v = S_RC; break;
	case 's': v = S_SVN; break;
	default: return S_INVALID;
	}
	if (strlen(names[v]) != s.n || memcmp(names[v], s.p, s.n))
		return S_INVALID;
	return v;
}

/* apk_blob_pull_uint(b, 10): stops at a non-digit or NUL; wraps modulo 2^64. */
static void parse_digits(struct tok *t, struct blob *b)
{
	const char *start = b->p;
	uint64_t v = 0;
	while (b->n && b->p[0] && vi_digit(b->p[0])) {
		v = v * 10 + (uint64_t)(b->p[0] - '0');
		b->p++;
		b->n--;
	}
	t->number = v;
	t->value.p = start;
	t->value.n = (size_t)(b->p - start);
	if (t->value.n == 0)
		t->token = T_INVALID;
}

static void first(struct tok *t, struct blob *b)
{
	t->token = T_INITIAL_DIGIT;
	t->suffix = 0;
	parse_digits(t, b);
}

static bool hexdigit(int c)
{
	return vi_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

static void next(struct tok *t, struct blob *b)
{
	if (b->n == 0) {
		t->token = T_END;
		return;
	}
	char c = b->p[0];
	if (c >= 'a' && c <= 'z') {
		if (t->token > T_DIGIT)
			goto invalid;
		t->value.p = b->p;
		t->value.n = 1;
		t->token = T_LETTER;
		b->p++, b->n--;
		return;
	}
	if (c == '.' || vi_digit(c)) {
		if (c == '.') {
			if (t->token > T_DIGIT)
				goto invalid;
			b->p++, b->n--;
		}
		if (t->token == T_INITIAL_DIGIT || t->token == T_DIGIT)
			t->token = T_DIGIT;
		else if (t->token == T_SUFFIX)
			t->token = T_SUFFIX_NO;
		else
			goto invalid;
		parse_digits(t, b);
		return;
	}
	if (c == '_') {
		if (t->token > T_SUFFIX_NO)
			goto invalid;
		b->p++, b->n--;
		size_t i = 0;
		while (i < b->n && b->p[i] >= 'a' && b->p[i] <= 'z')
			i++;
		t->value.p = b->p;
		t->value.n = i;
		b->p += i, b->n -= i;
		t->suffix = suffix_value(t->value);
		if (t->suffix == S_INVALID)
			goto invalid;
		t->token = T_SUFFIX;
		return;
	}
	if (c == '~') {
		if (t->token >= T_COMMIT_HASH)
			goto invalid;
		b->p++, b->n--;
		size_t i = 0;
		while (i < b->n && hexdigit((unsigned char)b->p[i]))
			i++;
		t->value.p = b->p;
		t->value.n = i;
		b->p += i, b->n -= i;
		if (i == 0)
			goto invalid;
		t->token = T_COMMIT_HASH;
		return;
	}
	if (c == '-') {
		if (t->token >= T_REVISION_NO)
			goto invalid;
		if (b->n < 2 || b->p[1] != 'r')
			goto invalid;
		b->p += 2, b->n -= 2;
		t->token = T_REVISION_NO;
		parse_digits(t, b);
		return;
	}
invalid:
	t->token = T_INVALID;
}

static int blob_sort(struct blob a, struct blob b)
{
	int s = memcmp(a.p, b.p, a.n < b.n ? a.n : b.n);
	if (s)
		return s < 0 ? -1 : 1;
	return (a.n > b.n) - (a.n < b.n);
}

static int token_cmp(const struct tok *a, const struct tok *b)
{
	uint64_t x, y;
	switch (a->token) {
	case T_DIGIT:
		if (a->value.p[0] == '0' || b->value.p[0] == '0')
			return blob_sort(a->value, b->value);
		/* fall through */
	case T_INITIAL_DIGIT:
	case T_SUFFIX_NO:
	case T_REVISION_NO:
		x = a->number;
		y = b->number;
		break;
	case T_LETTER:
		x = (unsigned char)a->value.p[0];
		y = (unsigned char)b->value.p[0];
		break;
	case T_SUFFIX:
		x = (uint64_t)a->suffix;
		y = (uint64_t)b->suffix;
		break;
	default:
		return blob_sort(a->value, b->value);
	}
	return (x > y) - (x < y);
}

/* apk_version_compare_fuzzy: -1, 0, 1. */
static int compare_fuzzy(const char *a, size_t alen, const char *b, size_t blen, bool fuzzy)
{
	struct blob ba = {a, alen}, bb = {b, blen};
	struct tok ta, tb;
	for (first(&ta, &ba), first(&tb, &bb); ta.token == tb.token && ta.token < T_END;
	     next(&ta, &ba), next(&tb, &bb)) {
		int r = token_cmp(&ta, &tb);
		if (r)
			return r;
	}
	if (ta.token == tb.token)
		return 0;
	if (tb.token == T_END && fuzzy)
		return 0;
	if (ta.token == T_SUFFIX && ta.suffix < S_NONE)
		return -1;
	if (tb.token == T_SUFFIX && tb.suffix < S_NONE)
		return 1;
	if (ta.token > tb.token)
		return -1;
	if (tb.token > ta.token)
		return 1;
	return 0;
}

static int apk_compare(const char *a, size_t alen, const char *b, size_t blen)
{
	return compare_fuzzy(a, alen, b, blen, false);
}

bool sc_apk_valid(const char *v, size_t len)
{
	struct blob b = {v, len};
	struct tok t;
	for (first(&t, &b); t.token < T_END; next(&t, &b))
		;
	return t.token == T_END;
}

static enum sc_status apk_validate(const char *v, size_t len, struct sc_error *err)
{
	enum sc_status st = sc_version_check_len("apk", v, len, err);
	if (st != SC_OK)
		return st;
	if (!sc_apk_valid(v, len))
		return sc_version_fail(err, "apk", "version", v, len,
				       "expected digit{.digit}...{letter}{_suffix{#}}...{~hash}{-r#}");
	return SC_OK;
}

/* apk_version_match: op is a mask of '<', '=', '>' and '~' (fuzzy, implies '='). */
bool sc_apk_match(const char *a, const char *op, const char *b)
{
	bool lt = strchr(op, '<'), gt = strchr(op, '>'), fz = strchr(op, '~');
	bool eq = strchr(op, '=') || fz;
	int r = compare_fuzzy(a, strlen(a), b, strlen(b), fz);
	return (r < 0 && lt) || (r == 0 && eq) || (r > 0 && gt);
}

static enum sc_status apk_satisfies(const char *version, const char *range, bool include_prerelease, bool *out,
				    struct sc_error *err)
{
	(void)include_prerelease;
	*out = false;
	enum sc_status st = apk_validate(version, strlen(version), err);
	if (st != SC_OK)
		return st;
	const char *p = range;
	bool any = false, cur = true;
	size_t ncomp = 0;
	char vbuf[SC_VERSION_MAX + 1], op[4];
	for (;;) {
		while (*p == ' ' || *p == '\t' || *p == ',')
			p++;
		if (*p == '\0' || (p[0] == '|' && p[1] == '|')) {
			if (ncomp == 0)
				return sc_version_fail(err, "apk", "constraint", range, strlen(range),
						       "empty alternative (expected OP VERSION)");
			any = any || cur;
			if (*p == '\0')
				break;
			p += 2;
			cur = true;
			ncomp = 0;
			continue;
		}
		size_t on = 0;
		while (*p && strchr("<>=~", *p) && on < 3)
			op[on++] = *p++;
		op[on] = '\0';
		if (on == 0)
			memcpy(op, "=", 2);
		while (*p == ' ')
			p++;
		const char *v = p;
		while (*p && *p != ' ' && *p != '\t' && *p != ',' && !(p[0] == '|' && p[1] == '|'))
			p++;
		size_t len = (size_t)(p - v);
		if ((st = apk_validate(v, len, err)) != SC_OK)
			return st;
		/* apk's operators: < <= <~ = ~ >~ >= > */
		if (on == 3 || (on == 2 && !(strchr("<>", op[0]) && strchr("=~", op[1]))))
			return sc_version_fail(err, "apk", "constraint", range, strlen(range), "bad operator '%s'", op);
		memcpy(vbuf, v, len);
		vbuf[len] = '\0';
		cur = cur && sc_apk_match(version, op, vbuf);
		ncomp++;
	}
	*out = any;
	return SC_OK;
}

static const char *const ecosystems[] = {"Alpine", "Wolfi", "Chainguard", NULL};

const struct sc_scheme sc_scheme_apk = {
	.name = "apk",
	.ecosystems = ecosystems,
	.validate = apk_validate,
	.compare = apk_compare,
	.satisfies = apk_satisfies,
};
