/* pep440.c - PyPI versions and specifiers (PEP 440) as Python `packaging` 23.0 implements them:
 * epochs, pre/post/dev releases, local versions, the normalizations (`1.0RC1`, `v1.0`,
 * `1.0-post1`, `1.0-1`), and specifier sets (`== != <= >= < > ~= ===`, `.*` wildcards, the
 * prerelease rules of Specifier.contains/SpecifierSet.contains). Parsing and comparison never
 * allocate; specifier syntax is checked with packaging's own regular expression (PCRE2). */
#include "version_impl.h"

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#define PEP_MAX_RELEASE 64

struct num {
	const char *p; /* digits; len 0 = the number 0 */
	size_t n;
};

struct pep {
	struct num epoch;
	struct num rel[PEP_MAX_RELEASE];
	size_t nrel;
	char pre; /* 0, 'a', 'b' or 'c' (rc) */
	struct num pre_n;
	bool post;
	struct num post_n;
	bool dev;
	struct num dev_n;
	const char *local; /* raw, without '+'; NULL = none */
	size_t local_n;
};

static bool ws(int c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

static bool sep(int c)
{
	return c == '-' || c == '_' || c == '.';
}

/* Case-insensitive keyword at s (ASCII). */
static bool kw(const char *s, const char *e, const char *k)
{
	size_t n = strlen(k);
	if ((size_t)(e - s) < n)
		return false;
	for (size_t i = 0; i < n; i++)
		if (vi_lower((unsigned char)s[i]) != k[i])
			return false;
	return true;
}

static const char *digits(const char *s, const char *e, struct num *out)
{
	const char *b = s;
	while (s < e && vi_digit(*s))
		s++;
	out->p = b;
	out->n = (size_t)(s - b);
	return s;
}

/* NULL on success, else why. Follows packaging's VERSION_PATTERN (re.VERBOSE | re.IGNORECASE). */
static const char *pep_parse(const char *s, size_t len, struct pep *v)
{
	const char *e = s + len;
	memset(v, 0, sizeof(*v));
	while (s < e && ws((unsigned char)*s))
		s++;
	while (e > s && ws((unsigned char)e[-1]))
		e--;
	if (s < e && (*s == 'v' || *s == 'V'))
		s++;
	if (s >= e || !vi_digit(*s))
		return "expected a release number";
	struct num first;
	const char *q = digits(s, e, &first);
	if (q < e && *q == '!') {
		v->epoch = first;
		s = q + 1;
		if (s >= e || !vi_digit(*s))
			return "expected a release number after the epoch";
	}
	for (;;) {
		if (v->nrel == PEP_MAX_RELEASE)
			return "more than 64 release segments";
		s = digits(s, e, &v->rel[v->nrel++]);
		if (s + 1 < e && *s == '.' && vi_digit(s[1])) {
			s++;
			continue;
		}
		break;
	}
	/* pre: [-_.]? (a|b|c|rc|alpha|beta|pre|preview) [-_.]? [0-9]* */
	{
		const char *t = s;
		if (t < e && sep(*t))
			t++;
		static const struct {
			const char *k;
			char l;
		} pres[] = {{"preview", 'c'}, {"alpha", 'a'}, {"beta", 'b'}, {"pre", 'c'},
			    {"rc", 'c'},      {"a", 'a'},     {"b", 'b'},    {"c", 'c'}};
		for (size_t i = 0; i < sizeof(pres) / sizeof(pres[0]); i++)
			if (kw(t, e, pres[i].k)) {
				v->pre = pres[i].l;
				t += strlen(pres[i].k);
				if (t < e && sep(*t))
					t++;
				t = digits(t, e, &v->pre_n);
				s = t;
				break;
			}
	}
	/* post: -[0-9]+ | [-_.]? (post|rev|r) [-_.]? [0-9]* */
	if (s + 1 < e && *s == '-' && vi_digit(s[1])) {
		v->post = true;
		s = digits(s + 1, e, &v->post_n);
	} else {
		const char *t = s;
		if (t < e && sep(*t))
			t++;
		static const char *const posts[] = {"post", "rev", "r"};
		for (size_t i = 0; i < 3; i++)
			if (kw(t, e, posts[i])) {
				v->post = true;
				t += strlen(posts[i]);
				if (t < e && sep(*t))
					t++;
				s = digits(t, e, &v->post_n);
				break;
			}
	}
	/* dev: [-_.]? dev [-_.]? [0-9]* */
	{
		const char *t = s;
		if (t < e && sep(*t))
			t++;
		if (kw(t, e, "dev")) {
			v->dev = true;
			t += 3;
			if (t < e && sep(*t))
				t++;
			s = digits(t, e, &v->dev_n);
		}
	}
	/* local: \+ [a-z0-9]+ ([-_.][a-z0-9]+)* */
	if (s < e && *s == '+') {
		s++;
		v->local = s;
		for (;;) {
			const char *b = s;
			while (s < e && vi_alnum(*s))
				s++;
			if (s == b)
				return "empty local version segment";
			if (s + 1 < e && sep(*s) && vi_alnum(s[1])) {
				s++;
				continue;
			}
			break;
		}
		v->local_n = (size_t)(s - v->local);
	}
	if (s != e)
		return "unexpected characters (not a PEP 440 version)";
	return NULL;
}

static int numcmp(struct num a, struct num b)
{
	return sc_version_numcmp(a.p, a.n, b.p, b.n);
}

static bool is_pre(const struct pep *v)
{
	return v->pre || v->dev;
}

/* epoch and release only (Version(base_version) comparison). */
static int base_cmp(const struct pep *a, const struct pep *b)
{
	int c = numcmp(a->epoch, b->epoch);
	if (c)
		return c;
	size_t n = a->nrel > b->nrel ? a->nrel : b->nrel;
	static const struct num zero = {"", 0};
	for (size_t i = 0; i < n; i++) {
		c = numcmp(i < a->nrel ? a->rel[i] : zero, i < b->nrel ? b->rel[i] : zero);
		if (c)
			return c;
	}
	return 0;
}

/* Local segments: numbers sort above strings; strings compare lowercased. */
static int local_cmp(const struct pep *a, const struct pep *b)
{
	if (!a->local || !b->local)
		return a->local ? 1 : b->local ? -1 : 0;
	const char *p = a->local, *pe = p + a->local_n, *q = b->local, *qe = q + b->local_n;
	for (;;) {
		if (p >= pe || q >= qe)
			return (p < pe) - (q < qe);
		const char *ps = p, *qs = q;
		bool pn = true, qn = true;
		for (; p < pe && !sep(*p); p++)
			pn = pn && vi_digit(*p);
		for (; q < qe && !sep(*q); q++)
			qn = qn && vi_digit(*q);
		int c;
		if (pn && qn) {
			c = sc_version_numcmp(ps, (size_t)(p - ps), qs, (size_t)(q - qs));
		} else if (pn != qn) {
			c = pn ? 1 : -1;
		} else {
			c = 0;
			size_t pl = (size_t)(p - ps), ql = (size_t)(q - qs);
			for (size_t i = 0; i < pl && i < ql && !c; i++)
				c = vi_lower((unsigned char)ps[i]) - vi_lower((unsigned char)qs[i]);
			if (!c)
				c = (pl > ql) - (pl < ql);
		}
		if (c)
			return c < 0 ? -1 : 1;
		if (p < pe)
			p++;
		if (q < qe)
			q++;
	}
}

/* packaging's _cmpkey: epoch, release, pre (dev-only sorts first, none last), post, dev, local. */
static int pep_cmp(const struct pep *a, const struct pep *b, bool with_local)
{
	int c = base_cmp(a, b);
	if (c)
		return c;
	/* pre: -inf when only dev, +inf when none, else (letter, n) */
	int ar = a->pre ? 1 : (!a->post && a->dev) ? 0 : 2, br = b->pre ? 1 : (!b->post && b->dev) ? 0 : 2;
	if (ar != br)
		return ar < br ? -1 : 1;
	if (ar == 1) {
		if (a->pre != b->pre)
			return a->pre < b->pre ? -1 : 1;
		if ((c = numcmp(a->pre_n, b->pre_n)))
			return c;
	}
	if (a->post != b->post)
		return a->post ? 1 : -1;
	if (a->post && (c = numcmp(a->post_n, b->post_n)))
		return c;
	if (a->dev != b->dev)
		return a->dev ? -1 : 1;
	if (a->dev && (c = numcmp(a->dev_n, b->dev_n)))
		return c;
	return with_local ? local_cmp(a, b) : 0;
}

/* ---- normalized form (str(Version)) for === and wildcard matching ---- */

static void put_num(struct sc_strbuf *sb, struct num n)
{
	while (n.n > 1 && *n.p == '0') {
		n.p++;
		n.n--;
	}
	if (n.n == 0)
		sc_strbuf_putc(sb, '0');
	else
		sc_strbuf_append(sb, n.p, n.n);
}

/* canonicalize_version(strip_trailing_zero=False) / str(Version) without or with local. */
static void pep_str(struct sc_strbuf *sb, const struct pep *v, bool local)
{
	if (numcmp(v->epoch, (struct num){"", 0})) {
		put_num(sb, v->epoch);
		sc_strbuf_putc(sb, '!');
	}
	for (size_t i = 0; i < v->nrel; i++) {
		if (i)
			sc_strbuf_putc(sb, '.');
		put_num(sb, v->rel[i]);
	}
	if (v->pre) {
		sc_strbuf_puts(sb, v->pre == 'a' ? "a" : v->pre == 'b' ? "b" : "rc");
		put_num(sb, v->pre_n);
	}
	if (v->post) {
		sc_strbuf_puts(sb, ".post");
		put_num(sb, v->post_n);
	}
	if (v->dev) {
		sc_strbuf_puts(sb, ".dev");
		put_num(sb, v->dev_n);
	}
	if (local && v->local) {
		sc_strbuf_putc(sb, '+');
		const char *p = v->local, *e = v->local + v->local_n;
		while (p < e) {
			const char *q = p;
			bool num = true;
			for (; q < e && !sep(*q); q++)
				num = num && vi_digit(*q);
			if (p > v->local)
				sc_strbuf_putc(sb, '.');
			if (num)
				put_num(sb, (struct num){p, (size_t)(q - p)});
			else
				for (const char *c = p; c < q; c++)
					sc_strbuf_putc(sb, (char)vi_lower((unsigned char)*c));
			p = q < e ? q + 1 : q;
		}
	}
}

/* _version_split: split on '.', and "1rc2"-like items into "1", "rc2". Items point into s. */
struct items {
	const char *p[2 * PEP_MAX_RELEASE + 16];
	size_t n[2 * PEP_MAX_RELEASE + 16];
	size_t count;
};

static void version_split(const char *s, struct items *it)
{
	it->count = 0;
	const char *e = s + strlen(s);
	while (it->count + 2 <= sizeof(it->p) / sizeof(it->p[0])) {
		const char *d = memchr(s, '.', (size_t)(e - s));
		const char *ie = d ? d : e;
		/* ^([0-9]+)((?:a|b|c|rc)[0-9]+)$ */
		const char *q = s;
		while (q < ie && vi_digit(*q))
			q++;
		const char *r = q;
		bool split = false;
		if (q > s && r < ie) {
			if (*r == 'a' || *r == 'b' || *r == 'c')
				r++;
			else if (ie - r >= 2 && r[0] == 'r' && r[1] == 'c')
				r += 2;
			if (r > q && r < ie) {
				const char *t = r;
				while (t < ie && vi_digit(*t))
					t++;
				split = t == ie;
			}
		}
		if (split) {
			it->p[it->count] = s;
			it->n[it->count++] = (size_t)(q - s);
			it->p[it->count] = q;
			it->n[it->count++] = (size_t)(ie - q);
		} else {
			it->p[it->count] = s;
			it->n[it->count++] = (size_t)(ie - s);
		}
		if (!d)
			break;
		s = d + 1;
	}
}

static bool isdigits(const char *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!vi_digit(p[i]))
			return false;
	return n > 0;
}

/* _compare_equal with a `.*` spec: prefix match on the split, zero-padded forms. */
static bool prefix_match(const struct pep *item, const struct pep *spec)
{
	struct sc_strbuf a, b;
	sc_strbuf_init(&a, SIZE_MAX);
	sc_strbuf_init(&b, SIZE_MAX);
	pep_str(&a, item, false);
	pep_str(&b, spec, false);
	struct items L, R;
	version_split(sc_strbuf_str(&a), &L);
	version_split(sc_strbuf_str(&b), &R);
	size_t lr = 0, rr = 0;
	while (lr < L.count && isdigits(L.p[lr], L.n[lr]))
		lr++;
	while (rr < R.count && isdigits(R.p[rr], R.n[rr]))
		rr++;
	/* padded left = L[0..lr] + zeros(max(0, rr - lr)) + L[lr..]; compare its first R.count items */
	size_t pad = rr > lr ? rr - lr : 0;
	bool eq = true;
	size_t total = L.count + pad;
	if (total < R.count)
		eq = false;
	for (size_t i = 0; eq && i < R.count; i++) {
		const char *p;
		size_t n;
		if (i < lr) {
			p = L.p[i];
			n = L.n[i];
		} else if (i < lr + pad) {
			p = "0";
			n = 1;
		} else {
			p = L.p[i - pad];
			n = L.n[i - pad];
		}
		eq = n == R.n[i] && !memcmp(p, R.p[i], n);
	}
	sc_strbuf_free(&a);
	sc_strbuf_free(&b);
	return eq;
}

/* ---- specifiers ---- */

#define PRE_RE "(?:[-_\\.]?(alpha|beta|preview|pre|a|b|c|rc)[-_\\.]?[0-9]*)?"
#define POST_RE "(?:(?:-[0-9]+)|(?:[-_\\.]?(post|rev|r)[-_\\.]?[0-9]*))?"
#define DEV_RE "(?:[-_\\.]?dev[-_\\.]?[0-9]*)?"
static const char spec_pattern[] =
	"^\\s*(~=|==|!=|<=|>=|<|>|===)("
	"(?:(?<====)\\s*[^\\s;)]*)"
	"|(?:(?<===|!=)\\s*v?(?:[0-9]+!)?[0-9]+(?:\\.[0-9]+)*(?:\\.\\*|" PRE_RE POST_RE DEV_RE
	"(?:\\+[a-z0-9]+(?:[-_\\.][a-z0-9]+)*)?)?)"
	"|(?:(?<=~=)\\s*v?(?:[0-9]+!)?[0-9]+(?:\\.[0-9]+)+" PRE_RE POST_RE DEV_RE ")"
	"|(?:(?<!==|!=|~=)\\s*v?(?:[0-9]+!)?[0-9]+(?:\\.[0-9]+)*" PRE_RE POST_RE DEV_RE ")"
	")\\s*$";

static pcre2_code *spec_re;
static pthread_once_t spec_once = PTHREAD_ONCE_INIT;

static void spec_init(void)
{
	int ec;
	PCRE2_SIZE eo;
	spec_re = pcre2_compile((PCRE2_SPTR)spec_pattern, PCRE2_ZERO_TERMINATED,
				PCRE2_CASELESS | PCRE2_DOLLAR_ENDONLY, &ec, &eo, NULL);
	if (!spec_re)
		abort(); /* a bug in the pattern above */
}

enum op { OP_COMPAT, OP_EQ, OP_NE, OP_LE, OP_GE, OP_LT, OP_GT, OP_ARB };

struct spec {
	enum op op;
	const char *ver; /* stripped version text (borrowed) */
	size_t vlen;
	bool wildcard;
	struct pep v; /* parsed (not for ===) */
};

static bool spec_prereleases(const struct spec *s)
{
	if (s->op == OP_EQ || s->op == OP_GE || s->op == OP_LE || s->op == OP_COMPAT || s->op == OP_ARB) {
		struct pep v;
		if (s->op == OP_ARB) {
			if (pep_parse(s->ver, s->vlen, &v))
				return false;
			return is_pre(&v);
		}
		return is_pre(&s->v);
	}
	return false;
}

static bool spec_contains(const struct spec *s, const struct pep *item, const char *item_text, size_t item_len)
{
	switch (s->op) {
	case OP_ARB: {
		/* str(prospective).lower() == str(spec).lower() */
		struct sc_strbuf a;
		sc_strbuf_init(&a, SIZE_MAX);
		pep_str(&a, item, true);
		bool eq = a.len == s->vlen;
		for (size_t i = 0; eq && i < a.len; i++)
			eq = vi_lower((unsigned char)a.buf[i]) == vi_lower((unsigned char)s->ver[i]);
		sc_strbuf_free(&a);
		(void)item_text;
		(void)item_len;
		return eq;
	}
	case OP_EQ:
	case OP_NE: {
		bool eq;
		if (s->wildcard)
			eq = prefix_match(item, &s->v);
		else
			eq = pep_cmp(item, &s->v, s->v.local != NULL) == 0;
		return s->op == OP_EQ ? eq : !eq;
	}
	case OP_LE:
		return pep_cmp(item, &s->v, false) <= 0;
	case OP_GE:
		return pep_cmp(item, &s->v, false) >= 0;
	case OP_LT:
		if (!(pep_cmp(item, &s->v, true) < 0))
			return false;
		if (!is_pre(&s->v) && is_pre(item) && base_cmp(item, &s->v) == 0)
			return false;
		return true;
	case OP_GT:
		if (!(pep_cmp(item, &s->v, true) > 0))
			return false;
		if (!s->v.post && item->post && base_cmp(item, &s->v) == 0)
			return false;
		if (item->local && base_cmp(item, &s->v) == 0)
			return false;
		return true;
	case OP_COMPAT: {
		/* >= spec and == prefix.* where prefix drops the last release item of the spec */
		if (pep_cmp(item, &s->v, false) < 0)
			return false;
		struct items it;
		char buf[SC_VERSION_MAX + 1];
		size_t n = s->vlen < SC_VERSION_MAX ? s->vlen : SC_VERSION_MAX;
		memcpy(buf, s->ver, n);
		buf[n] = '\0';
		version_split(buf, &it);
		size_t keep = 0;
		while (keep < it.count) {
			static const char *const suffixes[] = {"dev", "a", "b", "rc", "post"};
			bool suffix = false;
			for (size_t k = 0; k < 5; k++)
				suffix = suffix || !strncmp(it.p[keep], suffixes[k], strlen(suffixes[k]));
			if (suffix)
				break;
			keep++;
		}
		if (keep == 0)
			return false;
		struct sc_strbuf pre;
		sc_strbuf_init(&pre, SIZE_MAX);
		for (size_t k = 0; k + 1 < keep; k++) {
			if (k)
				sc_strbuf_putc(&pre, '.');
			sc_strbuf_append(&pre, it.p[k], it.n[k]);
		}
		struct pep pv;
		bool ok = !pep_parse(sc_strbuf_str(&pre), pre.len, &pv) && prefix_match(item, &pv);
		sc_strbuf_free(&pre);
		return ok;
	}
	}
	return false;
}

static enum sc_status pep_satisfies(const char *version, const char *range, bool include_prerelease, bool *out,
				    struct sc_error *err)
{
	pthread_once(&spec_once, spec_init);
	*out = false;
	struct pep item;
	const char *why = pep_parse(version, strlen(version), &item);
	if (why)
		return sc_version_fail(err, "pep440", "version", version, strlen(version), "%s", why);
	pcre2_match_data *md = pcre2_match_data_create_from_pattern(spec_re, NULL);
	struct spec *specs = NULL;
	size_t n = 0, cap = 0;
	enum sc_status st = SC_OK;
	for (const char *p = range;;) {
		const char *c = strchr(p, ',');
		const char *e = c ? c : p + strlen(p);
		const char *b = p;
		while (b < e && ws((unsigned char)*b))
			b++;
		const char *te = e;
		while (te > b && ws((unsigned char)te[-1]))
			te--;
		if (te > b) {
			if (pcre2_match(spec_re, (PCRE2_SPTR)b, (size_t)(te - b), 0, 0, md, NULL) < 0) {
				st = sc_version_fail(err, "pep440", "specifier", b, (size_t)(te - b),
						     "not a PEP 440 specifier");
				goto out;
			}
			PCRE2_SIZE *ov = pcre2_get_ovector_pointer(md);
			if (n == cap) {
				cap = cap ? cap * 2 : 4;
				specs = sc_xrealloc(specs, cap * sizeof(*specs));
			}
			struct spec *s = &specs[n++];
			memset(s, 0, sizeof(*s));
			const char *op = b + ov[2];
			size_t opn = ov[3] - ov[2];
			static const char *const ops[] = {"~=", "==", "!=", "<=", ">=", "<", ">", "==="};
			for (int k = 0; k < 8; k++)
				if (strlen(ops[k]) == opn && !memcmp(op, ops[k], opn))
					s->op = (enum op)k;
			s->ver = b + ov[4];
			s->vlen = ov[5] - ov[4];
			while (s->vlen && ws((unsigned char)*s->ver))
				s->ver++, s->vlen--;
			while (s->vlen && ws((unsigned char)s->ver[s->vlen - 1]))
				s->vlen--;
			if (s->op != OP_ARB) {
				size_t vl = s->vlen;
				if ((s->op == OP_EQ || s->op == OP_NE) && vl >= 2 && s->ver[vl - 2] == '.' &&
				    s->ver[vl - 1] == '*') {
					s->wildcard = true;
					vl -= 2;
				}
				if ((why = pep_parse(s->ver, vl, &s->v))) {
					st = sc_version_fail(err, "pep440", "specifier", b, (size_t)(te - b), "%s", why);
					goto out;
				}
			}
		}
		if (!c)
			break;
		p = c + 1;
	}
	bool pre = include_prerelease;
	for (size_t i = 0; i < n && !pre; i++)
		pre = spec_prereleases(&specs[i]);
	if (!pre && is_pre(&item))
		goto out;
	*out = true;
	for (size_t i = 0; i < n && *out; i++)
		*out = spec_contains(&specs[i], &item, version, strlen(version));
out:
	free(specs);
	pcre2_match_data_free(md);
	return st;
}

static enum sc_status pep_validate(const char *v, size_t len, struct sc_error *err)
{
	enum sc_status st = sc_version_check_len("pep440", v, len, err);
	if (st != SC_OK)
		return st;
	struct pep x;
	const char *why = pep_parse(v, len, &x);
	if (why)
		return sc_version_fail(err, "pep440", "version", v, len, "%s", why);
	return SC_OK;
}

/* Invalid versions sort before valid ones, and among themselves bytewise. */
static int pep_compare(const char *a, size_t alen, const char *b, size_t blen)
{
	struct pep x, y;
	bool xa = !pep_parse(a, alen, &x), yb = !pep_parse(b, blen, &y);
	if (xa && yb)
		return pep_cmp(&x, &y, true);
	if (xa != yb)
		return xa ? 1 : -1;
	int c = memcmp(a, b, alen < blen ? alen : blen);
	return c ? c : (alen > blen) - (alen < blen);
}

/* str(Version(v)): the normalized form (for tests and the CLI). */
enum sc_status sc_pep440_normalize(const char *v, struct sc_strbuf *out, struct sc_error *err)
{
	struct pep x;
	const char *why = pep_parse(v, strlen(v), &x);
	if (why)
		return sc_version_fail(err, "pep440", "version", v, strlen(v), "%s", why);
	pep_str(out, &x, true);
	return SC_OK;
}

static const char *const ecosystems[] = {"PyPI", NULL};

const struct sc_scheme sc_scheme_pep440 = {
	.name = "pep440",
	.ecosystems = ecosystems,
	.validate = pep_validate,
	.compare = pep_compare,
	.satisfies = pep_satisfies,
};
