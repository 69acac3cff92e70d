/* composer.c - Packagist versions and constraints as composer/semver 3.3 does them:
 * VersionParser::normalize (classical and date versions, stabilities, `-dev`, `x-dev` branches,
 * `dev-` branches, build metadata), parseConstraints (`^ ~ * x -`, `||`/`|`, spaces/commas as AND,
 * `@stability` flags), Constraint::matchSpecific (dev- branches never match releases) and PHP's
 * version_compare. normalize and version_compare are hand-written and allocation-free; the
 * constraint grammar uses composer's own regular expressions through PCRE2. */
#include "version_impl.h"

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#define NORM_MAX (2 * SC_VERSION_MAX + 64)

static bool ws(int c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f' || c == '\0';
}

static bool kw_at(const char *s, const char *e, const char *k)
{
	size_t n = strlen(k);
	if ((size_t)(e - s) < n)
		return false;
	for (size_t i = 0; i < n; i++)
		if (vi_lower((unsigned char)s[i]) != vi_lower((unsigned char)k[i]))
			return false;
	return true;
}

/* A bounded output buffer. */
struct out {
	char *b;
	size_t n, cap;
	bool over;
};

static void put(struct out *o, const char *s, size_t n)
{
	if (o->n + n + 1 > o->cap) {
		o->over = true;
		return;
	}
	memcpy(o->b + o->n, s, n);
	o->n += n;
	o->b[o->n] = '\0';
}

static void puts_(struct out *o, const char *s)
{
	put(o, s, strlen(s));
}

/* modifierRegex anchored at the end:
 * [._-]?(?:(stable|beta|b|RC|alpha|a|patch|pl|p)((?:[.-]?\d+)*+)?)?([.-]?dev)?$  (case-insensitive) */
struct mod {
	int stab; /* index in stabs[], -1 = none */
	const char *num;
	size_t numlen;
	bool dev;
};

static const char *const stabs[] = {"stable", "beta", "b", "RC", "alpha", "a", "patch", "pl", "p"};

static bool dev_tail(const char *s, const char *e, struct mod *m)
{
	if (s == e) {
		m->dev = false;
		return true;
	}
	if ((*s == '.' || *s == '-') && e - s == 4 && kw_at(s + 1, e, "dev")) {
		m->dev = true;
		return true;
	}
	if (e - s == 3 && kw_at(s, e, "dev")) {
		m->dev = true;
		return true;
	}
	return false;
}

static bool after_sep(const char *s, const char *e, struct mod *m)
{
	for (int k = 0; k < 9; k++) {
		if (!kw_at(s, e, stabs[k]))
			continue;
		const char *p = s + strlen(stabs[k]);
		const char *num = p;
		for (;;) { /* (?:[.-]?\d+)*+ possessive */
			const char *q = p;
			if (q < e && (*q == '.' || *q == '-'))
				q++;
			if (q < e && vi_digit(*q)) {
				while (q < e && vi_digit(*q))
					q++;
				p = q;
			} else {
				break;
			}
		}
		if (dev_tail(p, e, m)) {
			m->stab = k;
			m->num = num;
			m->numlen = (size_t)(p - num);
			return true;
		}
	}
	m->stab = -1;
	m->num = NULL;
	m->numlen = 0;
	return dev_tail(s, e, m);
}

static bool modifier(const char *s, const char *e, struct mod *m)
{
	if (s < e && (*s == '.' || *s == '_' || *s == '-') && after_sep(s + 1, e, m))
		return true;
	return after_sep(s, e, m);
}

/* expandStability + the numbers (ltrim '.-'), or the `stable` early return. */
static bool add_modifier(struct out *o, const struct mod *m)
{
	if (m->stab >= 0) {
		if (m->stab == 0 && !memcmp(m->num - 6, "stable", 6))
			return true; /* 'stable' === $matches[index]: return the version as is */
		puts_(o, "-");
		switch (m->stab) {
		case 1:
		case 2:
			puts_(o, "beta");
			break;
		case 3:
			puts_(o, "RC");
			break;
		case 4:
		case 5:
			puts_(o, "alpha");
			break;
		case 6:
		case 7:
		case 8:
			puts_(o, "patch");
			break;
		default: /* "stable" in another case: strtolower */
			puts_(o, "stable");
		}
		const char *n = m->num;
		size_t nl = m->numlen;
		while (nl && (*n == '.' || *n == '-'))
			n++, nl--;
		put(o, n, nl);
	}
	if (m->dev)
		puts_(o, "-dev");
	return true;
}

/* (\d{4}(?:[.:-]?\d{2}){1,6}(?:[.:-]?\d{1,3})?) followed by a modifier to the end. */
static bool dt_rest(const char *s, const char *p, const char *e, int pairs, struct out *o, struct mod *m,
		    const char **dend)
{
	if (pairs >= 1) {
		/* optional final 1-3 digits, then the modifier */
		for (int withsep = 1; withsep >= 0; withsep--) {
			const char *q = p;
			if (withsep) {
				if (!(q < e && (*q == '.' || *q == ':' || *q == '-')))
					continue;
				q++;
			}
			for (int k = 3; k >= 1; k--) {
				if (e - q < k)
					continue;
				bool ok = true;
				for (int i = 0; i < k; i++)
					ok = ok && vi_digit(q[i]);
				if (ok && modifier(q + k, e, m)) {
					*dend = q + k;
					return true;
				}
			}
		}
		if (modifier(p, e, m)) {
			*dend = p;
			return true;
		}
	}
	if (pairs == 6)
		return false;
	for (int withsep = 1; withsep >= 0; withsep--) {
		const char *q = p;
		if (withsep) {
			if (!(q < e && (*q == '.' || *q == ':' || *q == '-')))
				continue;
			q++;
		}
		if (e - q >= 2 && vi_digit(q[0]) && vi_digit(q[1]) && dt_rest(s, q + 2, e, pairs + 1, o, m, dend))
			return true;
	}
	(void)o;
	return false;
}

/* ^v?(\d++)(\.(?:\d++|[xX*]))?(\.(?:\d++|[xX*]))?(\.(?:\d++|[xX*]))?$ -> N.N.N.N-dev with x=9999999 */
static bool numeric_branch(const char *s, const char *e, struct out *o)
{
	while (s < e && ws((unsigned char)*s))
		s++;
	while (e > s && ws((unsigned char)e[-1]))
		e--;
	if (s < e && (*s == 'v' || *s == 'V'))
		s++;
	if (s >= e || !vi_digit(*s))
		return false;
	const char *p = s;
	while (p < e && vi_digit(*p))
		p++;
	put(o, s, (size_t)(p - s));
	int parts = 1;
	while (p < e) {
		if (*p != '.' || parts == 4 || p + 1 >= e)
			return false;
		p++;
		puts_(o, ".");
		if (*p == 'x' || *p == 'X' || *p == '*') {
			puts_(o, "9999999");
			p++;
		} else if (vi_digit(*p)) {
			const char *q = p;
			while (p < e && vi_digit(*p))
				p++;
			put(o, q, (size_t)(p - q));
		} else {
			return false;
		}
		parts++;
	}
	for (; parts < 4; parts++)
		puts_(o, ".9999999");
	puts_(o, "-dev");
	return true;
}

/* VersionParser::normalize. NULL on success (o holds the result), else why. */
static const char *normalize(const char *s, size_t len, struct out *o)
{
	const char *e = s + len;
	o->n = 0;
	o->over = false;
	if (o->cap)
		o->b[0] = '\0';
	while (s < e && ws((unsigned char)*s))
		s++;
	while (e > s && ws((unsigned char)e[-1]))
		e--;
	if (memchr(s, '\0', (size_t)(e - s)))
		return "contains a NUL byte";
	/* strip off aliasing: ^([^,\s]++) ++as ++([^,\s]++)$ */
	{
		const char *p = s;
		while (p < e && *p != ',' && !ws((unsigned char)*p))
			p++;
		const char *q = p;
		if (q > s && q < e && *q == ' ') {
			while (q < e && *q == ' ')
				q++;
			if (e - q >= 2 && q[0] == 'a' && q[1] == 's' && q + 2 < e && q[2] == ' ') {
				const char *r = q + 2;
				while (r < e && *r == ' ')
					r++;
				const char *t = r;
				while (t < e && *t != ',' && !ws((unsigned char)*t))
					t++;
				if (t == e && t > r)
					e = p;
			}
		}
	}
	/* strip off a stability flag: @(stable|RC|beta|alpha|dev)$ */
	{
		static const char *const flags[] = {"stable", "RC", "beta", "alpha", "dev"};
		for (int k = 0; k < 5; k++) {
			size_t n = strlen(flags[k]);
			if ((size_t)(e - s) > n && e[-(long)n - 1] == '@' && kw_at(e - n, e, flags[k])) {
				e -= n + 1;
				break;
			}
		}
	}
	size_t n = (size_t)(e - s);
	if ((n == 6 && !memcmp(s, "master", 6)) || (n == 5 && !memcmp(s, "trunk", 5)) ||
	    (n == 7 && !memcmp(s, "default", 7))) {
		puts_(o, "dev-");
		put(o, s, n);
		return o->over ? "too long" : NULL;
	}
	if (kw_at(s, e, "dev-")) {
		puts_(o, "dev-");
		put(o, s + 4, n - 4);
		return o->over ? "too long" : NULL;
	}
	/* strip off build metadata: ^([^,\s+]++)\+[^\s]++$ */
	{
		const char *p = s;
		while (p < e && *p != ',' && *p != '+' && !ws((unsigned char)*p))
			p++;
		if (p > s && p < e && *p == '+' && p + 1 < e) {
			bool ok = true;
			for (const char *q = p + 1; q < e; q++)
				ok = ok && !ws((unsigned char)*q);
			if (ok)
				e = p;
		}
	}
	const char *v = s;
	if (v < e && (*v == 'v' || *v == 'V'))
		v++;
	struct mod m;
	/* classical: (\d{1,5})(\.\d++)?(\.\d++)?(\.\d++)? modifier $ */
	if (v < e && vi_digit(*v)) {
		const char *p = v;
		while (p < e && vi_digit(*p))
			p++;
		if (p - v <= 5) {
			const char *part[4] = {v};
			size_t plen[4] = {(size_t)(p - v)};
			int np = 1;
			/* the (\.\d++)? groups may give back: try the most parts first */
			const char *ends[4] = {p};
			while (np < 4 && p + 1 < e && *p == '.' && vi_digit(p[1])) {
				const char *q = p + 1;
				while (q < e && vi_digit(*q))
					q++;
				part[np] = p + 1;
				plen[np] = (size_t)(q - p - 1);
				ends[np] = q;
				np++;
				p = q;
			}
			for (int k = np; k >= 1; k--) {
				if (modifier(ends[k - 1], e, &m)) {
					for (int i = 0; i < 4; i++) {
						if (i)
							puts_(o, ".");
						if (i < k)
							put(o, part[i], plen[i]);
						else
							puts_(o, "0");
					}
					add_modifier(o, &m);
					return o->over ? "too long" : NULL;
				}
			}
		}
		/* date(time) based */
		if (e - v >= 4 && vi_digit(v[1]) && vi_digit(v[2]) && vi_digit(v[3])) {
			const char *dend;
			if (dt_rest(v, v + 4, e, 0, o, &m, &dend)) {
				for (const char *q = v; q < dend; q++)
					put(o, vi_digit(*q) ? q : ".", 1);
				add_modifier(o, &m);
				return o->over ? "too long" : NULL;
			}
		}
	}
	/* dev branches: (.*?)[.-]?dev$ with a numeric branch name */
	if (e - s >= 3 && kw_at(e - 3, e, "dev")) {
		const char *b = e - 3;
		/* (.*?) is lazy: the separator goes to [.-]? when there is one */
		if (b > s && (b[-1] == '.' || b[-1] == '-'))
			b--;
		o->n = 0;
		if (numeric_branch(s, b, o))
			return o->over ? "too long" : NULL;
		o->n = 0;
		if (o->cap)
			o->b[0] = '\0';
	}
	return "not a Composer version";
}

/* ---- PHP's version_compare ---- */

/* php_canonicalize_version into o. */
static void canonicalize(const char *v, struct out *o)
{
	o->n = 0;
	o->over = false;
	if (!*v) {
		put(o, "", 0);
		return;
	}
#define ISDIG(x) (vi_digit(x) && (x) != '.')
#define ISNDIG(x) (!vi_digit(x) && (x) != '.')
	char lp = *v;
	put(o, v++, 1);
	for (; *v; v++) {
		char c = *v, last = o->b[o->n - 1];
		if (c == '-' || c == '_' || c == '+') {
			if (last != '.')
				put(o, ".", 1);
		} else if ((ISNDIG(lp) && ISDIG(c)) || (ISDIG(lp) && ISNDIG(c))) {
			if (last != '.')
				put(o, ".", 1);
			put(o, &c, 1);
		} else if (!vi_alnum(c)) {
			if (last != '.')
				put(o, ".", 1);
		} else {
			put(o, &c, 1);
		}
		lp = c;
	}
#undef ISDIG
#undef ISNDIG
}

static int special(const char *f, size_t n)
{
	static const struct {
		const char *name;
		int order;
	} forms[] = {{"dev", 0}, {"alpha", 1}, {"a", 1}, {"beta", 2}, {"b", 2}, {"RC", 3},
		     {"rc", 3},  {"#", 4},     {"pl", 5}, {"p", 5}};
	for (size_t i = 0; i < sizeof(forms) / sizeof(forms[0]); i++) {
		size_t l = strlen(forms[i].name);
		/* strncmp(form, name, strlen(name)) on a NUL-terminated part */
		if (l <= n ? !memcmp(f, forms[i].name, l) : false)
			return forms[i].order;
	}
	return -1;
}

static long php_strtol(const char *p, size_t n)
{
	long v = 0;
	for (size_t i = 0; i < n && vi_digit(p[i]); i++) {
		if (v > (__LONG_MAX__ - (p[i] - '0')) / 10)
			return __LONG_MAX__;
		v = v * 10 + (p[i] - '0');
	}
	return v;
}

static int cmp_parts(const char *p1, size_t n1, const char *p2, size_t n2)
{
	bool d1 = n1 && vi_digit(*p1), d2 = n2 && vi_digit(*p2);
	int c;
	if (d1 && d2) {
		long l1 = php_strtol(p1, n1), l2 = php_strtol(p2, n2);
		c = (l1 > l2) - (l1 < l2);
	} else if (!d1 && !d2) {
		int a = special(p1, n1), b = special(p2, n2);
		c = (a > b) - (a < b);
	} else if (d1) {
		int b = special(p2, n2);
		c = (4 > b) - (4 < b);
	} else {
		int a = special(p1, n1);
		c = (a > 4) - (a < 4);
	}
	return c;
}

/* php_version_compare on canonical strings (ranges [a, ae), [b, be)). */
static const char numtag[] = "#N#"; /* PHP's stand-in for a number part */

static int vc_canon(const char *a, const char *ae, const char *b, const char *be)
{
	if (a == ae || b == be)
		return (a != ae) - (b != be);
	const char *p1 = a, *p2 = b;
	bool more1 = true, more2 = true;
	int c = 0;
	while (p1 < ae && p2 < be && more1 && more2) {
		const char *n1 = memchr(p1, '.', (size_t)(ae - p1)), *n2 = memchr(p2, '.', (size_t)(be - p2));
		const char *e1 = n1 ? n1 : ae, *e2 = n2 ? n2 : be;
		c = cmp_parts(p1, (size_t)(e1 - p1), p2, (size_t)(e2 - p2));
		more1 = n1 != NULL;
		more2 = n2 != NULL;
		if (c)
			break;
		if (n1)
			p1 = n1 + 1;
		if (n2)
			p2 = n2 + 1;
	}
	if (c == 0) {
		if (more1 && p1 <= ae && (p1 < ae || !more2)) {
			if (p1 < ae && vi_digit(*p1))
				c = 1;
			else
				c = vc_canon(p1, ae, numtag, numtag + 3);
		} else if (more2) {
			if (p2 < be && vi_digit(*p2))
				c = -1;
			else
				c = vc_canon(numtag, numtag + 3, p2, be);
		}
	}
	return c;
}

static int version_compare(const char *a, const char *b)
{
	char ba[2 * NORM_MAX + 8], bb[2 * NORM_MAX + 8];
	struct out oa = {ba, 0, sizeof(ba), false}, ob = {bb, 0, sizeof(bb), false};
	if (a[0] == '#')
		put(&oa, a, strlen(a));
	else
		canonicalize(a, &oa);
	if (b[0] == '#')
		put(&ob, b, strlen(b));
	else
		canonicalize(b, &ob);
	if (!*a || !*b)
		return (*a != 0) - (*b != 0);
	return vc_canon(oa.b, oa.b + oa.n, ob.b, ob.b + ob.n);
}

/* Constraint versionCompare: dev- branches only equal themselves; never ordered. */
static bool op_compare(const char *v, const char *c, const char *op)
{
	bool vb = !strncmp(v, "dev-", 4), cb = !strncmp(c, "dev-", 4);
	if (!strcmp(op, "!=") || !strcmp(op, "<>")) {
		if (vb || cb)
			return strcmp(v, c) != 0;
		return version_compare(v, c) != 0;
	}
	if (vb && cb)
		return (!strcmp(op, "==") || !strcmp(op, "=")) && !strcmp(v, c);
	if (vb || cb)
		return false;
	int r = version_compare(v, c);
	if (!strcmp(op, "==") || !strcmp(op, "="))
		return r == 0;
	if (!strcmp(op, "<"))
		return r < 0;
	if (!strcmp(op, "<="))
		return r <= 0;
	if (!strcmp(op, ">"))
		return r > 0;
	return r >= 0;
}

/* ---- the scheme: validate and compare ---- */

static enum sc_status c_validate(const char *v, size_t len, struct sc_error *err)
{
	enum sc_status st = sc_version_check_len("composer", v, len, err);
	if (st != SC_OK)
		return st;
	char buf[NORM_MAX];
	struct out o = {buf, 0, sizeof(buf), false};
	const char *why = normalize(v, len, &o);
	if (why)
		return sc_version_fail(err, "composer", "version", v, len, "%s", why);
	return SC_OK;
}

/* Normalized versions through version_compare; dev- branches sort after releases, bytewise
 * among themselves; invalid input sorts first, bytewise. */
static int c_compare(const char *a, size_t alen, const char *b, size_t blen)
{
	char ba[NORM_MAX], bb[NORM_MAX];
	struct out oa = {ba, 0, sizeof(ba), false}, ob = {bb, 0, sizeof(bb), false};
	bool va = alen <= SC_VERSION_MAX && !normalize(a, alen, &oa);
	bool vb = blen <= SC_VERSION_MAX && !normalize(b, blen, &ob);
	if (!va || !vb) {
		if (va != vb)
			return va ? 1 : -1;
		int c = memcmp(a, b, alen < blen ? alen : blen);
		return c ? c : (alen > blen) - (alen < blen);
	}
	bool da = !strncmp(ba, "dev-", 4), db = !strncmp(bb, "dev-", 4);
	if (da || db) {
		if (da != db)
			return da ? 1 : -1;
		int c = strcmp(ba, bb);
		return (c > 0) - (c < 0);
	}
	return version_compare(ba, bb);
}

/* ---- constraints ---- */

#define MODIFIER "[._-]?(?:(stable|beta|b|RC|alpha|a|patch|pl|p)((?:[.-]?\\d+)*+)?)?([.-]?dev)?"
#define VERSIONRE                                                                                   \
	"v?(\\d++)(?:\\.(\\d++))?(?:\\.(\\d++))?(?:\\.(\\d++))?(?:" MODIFIER "|\\.([xX*][.-]?dev))" \
	"(?:\\+[^\\s]+)?"

enum { RX_OR, RX_AND, RX_ALIAS, RX_FLAG, RX_REF, RX_STAR, RX_TILDE, RX_CARET, RX_X, RX_HYPHEN, RX_BASIC, RX_DEVOK,
       RX_MODEND, RX_N };

static const struct {
	const char *re;
	uint32_t flags;
} pats[RX_N] = {
	[RX_OR] = {"\\s*\\|\\|?\\s*", 0},
	[RX_AND] = {"(?<!^|as|[=>< ,]) *(?<!-)[, ](?!-) *(?!,|as|$)", 0},
	[RX_ALIAS] = {"^([^,\\s]++) ++as ++([^,\\s]++)$", 0},
	[RX_FLAG] = {"^([^,\\s]*?)@(stable|RC|beta|alpha|dev)$", PCRE2_CASELESS},
	[RX_REF] = {"^(dev-[^,\\s@]+?|[^,\\s@]+?\\.x-dev)#.+$", PCRE2_CASELESS},
	[RX_STAR] = {"^(v)?[xX*](\\.[xX*])*$", PCRE2_CASELESS},
	[RX_TILDE] = {"^~>?" VERSIONRE "$", PCRE2_CASELESS},
	[RX_CARET] = {"^\\^" VERSIONRE "($)", PCRE2_CASELESS},
	[RX_X] = {"^v?(\\d++)(?:\\.(\\d++))?(?:\\.(\\d++))?(?:\\.[xX*])++$", 0},
	[RX_HYPHEN] = {"^(?P<from>" VERSIONRE ") +- +(?P<to>" VERSIONRE ")($)", PCRE2_CASELESS},
	[RX_BASIC] = {"^(<>|!=|>=?|<=?|==?)?\\s*(.*)", 0},
	[RX_DEVOK] = {"^[0-9a-zA-Z-./]+$", 0},
	[RX_MODEND] = {"-" MODIFIER "$", 0},
};

static pcre2_code *rx[RX_N];
static pthread_once_t rx_once = PTHREAD_ONCE_INIT;

static void rx_init(void)
{
	for (int i = 0; i < RX_N; i++) {
		int ec;
		PCRE2_SIZE eo;
		rx[i] = pcre2_compile((PCRE2_SPTR)pats[i].re, PCRE2_ZERO_TERMINATED, pats[i].flags | PCRE2_DOLLAR_ENDONLY,
				      &ec, &eo, NULL);
		if (!rx[i])
			abort(); /* a bug in the patterns above */
	}
}

struct m {
	pcre2_match_data *md;
	const char *s;
	int rc;
};

static bool run(int id, struct m *m, const char *s, size_t n)
{
	m->s = s;
	m->rc = pcre2_match(rx[id], (PCRE2_SPTR)s, n, 0, 0, m->md, NULL);
	return m->rc >= 0;
}

/* PHP's $matches[i] ('' when unset). */
static size_t g(const struct m *m, int i, const char **p)
{
	PCRE2_SIZE *ov = pcre2_get_ovector_pointer(m->md);
	if (i >= m->rc || ov[2 * i] == PCRE2_UNSET) {
		*p = "";
		return 0;
	}
	*p = m->s + ov[2 * i];
	return ov[2 * i + 1] - ov[2 * i];
}

static bool empty(const struct m *m, int i) /* PHP empty(): '' and '0' */
{
	const char *p;
	size_t n = g(m, i, &p);
	return n == 0 || (n == 1 && *p == '0');
}

struct cons {
	char op[3];
	bool all; /* MatchAllConstraint */
	char *v;
};

struct group {
	struct cons *c;
	size_t n, cap;
};

static void add(struct group *gr, const char *op, const char *v, bool all)
{
	if (gr->n == gr->cap) {
		gr->cap = gr->cap ? gr->cap * 2 : 4;
		gr->c = sc_xrealloc(gr->c, gr->cap * sizeof(*gr->c));
	}
	struct cons *c = &gr->c[gr->n++];
	memset(c, 0, sizeof(*c));
	memcpy(c->op, op, strlen(op) < 2 ? strlen(op) : 2);
	c->all = all;
	c->v = v ? sc_xstrdup(v) : NULL;
}

static const char *norm_str(const char *s, size_t n, char *buf)
{
	struct out o = {buf, 0, NORM_MAX, false};
	if (n > SC_VERSION_MAX)
		return "too long";
	return normalize(s, n, &o);
}

/* manipulateVersionString on $matches[1..4]: pad after position, increment at position. */
static void manipulate(struct sc_strbuf *o, const char *const part[5], const size_t plen[5], int position,
		       int increment)
{
	for (int i = 1; i <= 4; i++) {
		if (i > 1)
			sc_strbuf_putc(o, '.');
		if (i > position) {
			sc_strbuf_putc(o, '0');
		} else if (i == position && increment) {
			/* PHP: (int)"digits" + 1, '' counting as 0 */
			char buf[64];
			size_t n = plen[i];
			const char *p = part[i];
			while (n > 1 && *p == '0')
				p++, n--;
			if (n == 0 || n > 18) {
				unsigned long long v = n ? 999999999999999999ULL : 0;
				snprintf(buf, sizeof(buf), "%llu", v + 1);
			} else {
				unsigned long long v = 0;
				for (size_t k = 0; k < n; k++)
					v = v * 10 + (unsigned)(p[k] - '0');
				snprintf(buf, sizeof(buf), "%llu", v + 1);
			}
			sc_strbuf_puts(o, buf);
		} else {
			sc_strbuf_append(o, part[i], plen[i]);
		}
	}
}

/* VersionParser::parseConstraint; false with *why on error. */
static bool parse_one(const char *s, size_t n, struct m *m, struct group *gr, const char **why)
{
	char *c = sc_xstrndup(s, n);
	char nb[NORM_MAX];
	const char *modifier_flag = NULL;
	char flagbuf[16];
	bool ok = false;
	const char *p;
	size_t l;
	if (run(RX_ALIAS, m, c, strlen(c))) {
		l = g(m, 1, &p);
		memmove(c, p, l);
		c[l] = '\0';
	}
	if (run(RX_FLAG, m, c, strlen(c))) {
		size_t fl = g(m, 2, &p);
		if (!(fl == 6 && !memcmp(p, "stable", 6))) {
			memcpy(flagbuf, p, fl);
			flagbuf[fl] = '\0';
			modifier_flag = flagbuf;
		}
		l = g(m, 1, &p);
		if (l) {
			memmove(c, p, l);
			c[l] = '\0';
		} else {
			c[0] = '*';
			c[1] = '\0';
		}
	}
	if (run(RX_REF, m, c, strlen(c))) {
		l = g(m, 1, &p);
		memmove(c, p, l);
		c[l] = '\0';
	}
	size_t cl = strlen(c);
	if (run(RX_STAR, m, c, cl)) {
		if (!empty(m, 1) || !empty(m, 2))
			add(gr, ">=", "0.0.0.0-dev", false);
		else
			add(gr, "", NULL, true);
		ok = true;
		goto out;
	}
	const char *part[5];
	size_t plen[5];
	struct sc_strbuf hi;
	sc_strbuf_init(&hi, SIZE_MAX);
	bool tilde = run(RX_TILDE, m, c, cl), caret = !tilde && run(RX_CARET, m, c, cl);
	if (tilde || caret) {
		if (tilde && !strncmp(c, "~>", 2)) {
			*why = "invalid operator \"~>\", you probably meant to use the \"~\" operator";
			goto out_hi;
		}
		for (int i = 1; i <= 4; i++)
			plen[i] = g(m, i, &part[i]);
		int position;
		if (tilde) {
			position = plen[4] ? 4 : plen[3] ? 3 : plen[2] ? 2 : 1;
			if (!empty(m, 8))
				position++;
		} else {
			if (!(plen[1] == 1 && part[1][0] == '0') || !plen[2])
				position = 1;
			else if (!(plen[2] == 1 && part[2][0] == '0') || !plen[3])
				position = 2;
			else
				position = 3;
		}
		bool suffix = empty(m, 5) && empty(m, 7) && empty(m, 8);
		struct sc_strbuf low;
		sc_strbuf_init(&low, SIZE_MAX);
		sc_strbuf_puts(&low, c + 1);
		if (suffix)
			sc_strbuf_puts(&low, "-dev");
		*why = norm_str(low.buf, low.len, nb);
		sc_strbuf_free(&low);
		if (*why)
			goto out_hi;
		add(gr, ">=", nb, false);
		int hp = tilde ? (position - 1 > 1 ? position - 1 : 1) : position;
		manipulate(&hi, part, plen, hp, 1);
		sc_strbuf_puts(&hi, "-dev");
		add(gr, "<", hi.buf, false);
		ok = true;
		goto out_hi;
	}
	if (run(RX_X, m, c, cl)) {
		for (int i = 1; i <= 4; i++)
			plen[i] = g(m, i, &part[i]);
		int position = plen[3] ? 3 : plen[2] ? 2 : 1;
		struct sc_strbuf lo;
		sc_strbuf_init(&lo, SIZE_MAX);
		manipulate(&lo, part, plen, position, 0);
		sc_strbuf_puts(&lo, "-dev");
		manipulate(&hi, part, plen, position, 1);
		sc_strbuf_puts(&hi, "-dev");
		if (strcmp(lo.buf, "0.0.0.0-dev"))
			add(gr, ">=", lo.buf, false);
		add(gr, "<", hi.buf, false);
		sc_strbuf_free(&lo);
		ok = true;
		goto out_hi;
	}
	if (run(RX_HYPHEN, m, c, cl)) {
		bool lowsuffix = empty(m, 6) && empty(m, 8) && empty(m, 9);
		l = g(m, 1, &p);
		if ((*why = norm_str(p, l, nb)))
			goto out_hi;
		struct sc_strbuf low;
		sc_strbuf_init(&low, SIZE_MAX);
		sc_strbuf_puts(&low, nb);
		if (lowsuffix)
			sc_strbuf_puts(&low, "-dev");
		add(gr, ">=", low.buf, false);
		sc_strbuf_free(&low);
		const char *q;
		/* $empty: '' and null only ('0' is not empty) */
		bool e12 = g(m, 12, &q) == 0, e13 = g(m, 13, &q) == 0;
		l = g(m, 10, &p);
		if ((!e12 && !e13) || !empty(m, 15) || !empty(m, 17) || !empty(m, 18)) {
			if ((*why = norm_str(p, l, nb)))
				goto out_hi;
			add(gr, "<=", nb, false);
		} else {
			if ((*why = norm_str(p, l, nb)))
				goto out_hi;
			part[0] = "";
			plen[0] = 0;
			for (int i = 1; i <= 4; i++)
				plen[i] = g(m, 10 + i, &part[i]);
			manipulate(&hi, part, plen, e12 ? 1 : 2, 1);
			sc_strbuf_puts(&hi, "-dev");
			add(gr, "<", hi.buf, false);
		}
		ok = true;
		goto out_hi;
	}
	if (run(RX_BASIC, m, c, cl)) {
		char op[3] = {0};
		l = g(m, 1, &p);
		memcpy(op, p, l < 2 ? l : 2);
		const char *ver;
		size_t vl = g(m, 2, &ver);
		*why = norm_str(ver, vl, nb);
		if (*why && vl >= 4 && !memcmp(ver + vl - 4, "-dev", 4) && run(RX_DEVOK, m, ver, vl)) {
			struct sc_strbuf d;
			sc_strbuf_init(&d, SIZE_MAX);
			sc_strbuf_puts(&d, "dev-");
			sc_strbuf_append(&d, ver, vl - 4);
			*why = norm_str(d.buf, d.len, nb);
			sc_strbuf_free(&d);
		}
		if (*why)
			goto out_hi;
		const char *eop = op[0] ? op : "=";
		struct sc_strbuf v;
		sc_strbuf_init(&v, SIZE_MAX);
		sc_strbuf_puts(&v, nb);
		/* parseStability(version) === 'stable' */
		bool stable = strncmp(nb, "dev-", 4) && !(v.len >= 4 && !strcmp(nb + v.len - 4, "-dev"));
		if (stable) {
			const char *dash = strrchr(nb, '-');
			if (dash && (strstr(dash, "alpha") || strstr(dash, "beta") || strstr(dash, "RC")))
				stable = false;
		}
		if (strcmp(eop, "==") && strcmp(eop, "=") && modifier_flag && stable) {
			sc_strbuf_putc(&v, '-');
			sc_strbuf_puts(&v, modifier_flag);
		} else if (!strcmp(eop, "<") || !strcmp(eop, ">=")) {
			char low[NORM_MAX];
			size_t k = vl < sizeof(low) - 1 ? vl : sizeof(low) - 1;
			for (size_t i = 0; i < k; i++)
				low[i] = (char)vi_lower((unsigned char)ver[i]);
			low[k] = '\0';
			/* vl <= SC_VERSION_MAX here: normalize accepted it */
			pcre2_match_data *md2 = pcre2_match_data_create_from_pattern(rx[RX_MODEND], NULL);
			bool has_mod = pcre2_match(rx[RX_MODEND], (PCRE2_SPTR)low, k, 0, 0, md2, NULL) >= 0;
			pcre2_match_data_free(md2);
			if (!has_mod && strncmp(ver, "dev-", 4))
				sc_strbuf_puts(&v, "-dev");
		}
		add(gr, op[0] ? op : "=", v.buf, false);
		sc_strbuf_free(&v);
		ok = true;
		goto out_hi;
	}
	*why = "could not parse version constraint";
out_hi:
	sc_strbuf_free(&hi);
out:
	free(c);
	return ok;
}

static bool cons_match(const struct cons *c, const char *v)
{
	if (c->all)
		return true;
	const char *op = c->op[0] ? c->op : "=";
	return op_compare(v, c->v, op);
}

static void groups_free(struct group *gs, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		for (size_t k = 0; k < gs[i].n; k++)
			free(gs[i].c[k].v);
		free(gs[i].c);
	}
	free(gs);
}

/* Splits [s, e) with pattern id like preg_split (empty pieces kept); calls fn for each piece. */
static size_t split(int id, const char *s, size_t n, const char **ps, size_t *pl, size_t max)
{
	pcre2_match_data *md = pcre2_match_data_create_from_pattern(rx[id], NULL);
	size_t cnt = 0, last = 0, pos = 0;
	while (cnt + 1 < max && pos <= n &&
	       pcre2_match(rx[id], (PCRE2_SPTR)s, n, pos, 0, md, NULL) >= 0) {
		PCRE2_SIZE *ov = pcre2_get_ovector_pointer(md);
		if (ov[1] == ov[0]) { /* preg_split skips empty matches */
			pos = ov[1] + 1;
			continue;
		}
		ps[cnt] = s + last;
		pl[cnt++] = ov[0] - last;
		last = pos = ov[1];
	}
	ps[cnt] = s + last;
	pl[cnt++] = n - last;
	pcre2_match_data_free(md);
	return cnt;
}

#define MAX_PIECES 1024

static enum sc_status c_satisfies(const char *version, const char *range, bool include_prerelease, bool *out,
				  struct sc_error *err)
{
	(void)include_prerelease;
	pthread_once(&rx_once, rx_init);
	*out = false;
	char vn[NORM_MAX];
	const char *why = norm_str(version, strlen(version), vn);
	if (why)
		return sc_version_fail(err, "composer", "version", version, strlen(version), "%s", why);
	const char *r = range;
	size_t rn = strlen(range);
	while (rn && ws((unsigned char)*r))
		r++, rn--;
	while (rn && ws((unsigned char)r[rn - 1]))
		rn--;
	const char **ors = sc_xcalloc(MAX_PIECES, sizeof(*ors)), **ands = sc_xcalloc(MAX_PIECES, sizeof(*ands));
	size_t *orl = sc_xcalloc(MAX_PIECES, sizeof(*orl)), *andl = sc_xcalloc(MAX_PIECES, sizeof(*andl));
	struct m m = {.md = pcre2_match_data_create(32, NULL)};
	size_t nor = split(RX_OR, r, rn, ors, orl, MAX_PIECES);
	struct group *gs = sc_xcalloc(nor, sizeof(*gs));
	enum sc_status st = SC_OK;
	for (size_t i = 0; i < nor; i++) {
		size_t nand = split(RX_AND, ors[i], orl[i], ands, andl, MAX_PIECES);
		for (size_t k = 0; k < nand; k++) {
			if (!parse_one(ands[k], andl[k], &m, &gs[i], &why)) {
				st = sc_version_fail(err, "composer", "constraint", range, strlen(range), "'%.*s': %s",
						     (int)(andl[k] > 64 ? 64 : andl[k]), ands[k], why);
				goto out;
			}
		}
	}
	for (size_t i = 0; i < nor && !*out; i++) {
		bool all = true;
		for (size_t k = 0; k < gs[i].n && all; k++)
			all = cons_match(&gs[i].c[k], vn);
		*out = all;
	}
out:
	groups_free(gs, nor);
	pcre2_match_data_free(m.md);
	free(ors);
	free(ands);
	free(orl);
	free(andl);
	return st;
}

/* VersionParser::normalize for tests and the CLI. */
enum sc_status sc_composer_normalize(const char *v, struct sc_strbuf *out, struct sc_error *err)
{
	char buf[NORM_MAX];
	const char *why = norm_str(v, strlen(v), buf);
	if (why)
		return sc_version_fail(err, "composer", "version", v, strlen(v), "%s", why);
	sc_strbuf_puts(out, buf);
	return SC_OK;
}

static const char *const ecosystems[] = {"Packagist", NULL};

const struct sc_scheme sc_scheme_composer = {
	.name = "composer",
	.ecosystems = ecosystems,
	.validate = c_validate,
	.compare = c_compare,
	.satisfies = c_satisfies,
};
