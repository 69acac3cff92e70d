/* npm_range.c - the npm scheme: node-semver 7 versions (strict) and ranges (`^ ~ x X * - || < <= >
 * >= =`, hyphen ranges, partial versions, the prerelease rule). Ranges are desugared exactly as
 * node-semver's classes/range.js does, with its regular expressions (internal/re.js, the
 * length-bounded "safe" forms) run by PCRE2, so odd inputs parse or fail as they do in npm. */
#include "version_impl.h"

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

/* internal/re.js, with makeSafeRegex applied (\s* -> \s{0,1}, \d* -> \d{0,256}, ...). */
#define NUMERICIDENTIFIER "0|[1-9]\\d{0,256}"
#define NUMERICIDENTIFIERLOOSE "\\d{1,256}"
#define LDN "[a-zA-Z0-9-]"
#define NONNUMERICIDENTIFIER "\\d{0,256}[a-zA-Z-]" LDN "{0,250}"
#define MAINVERSION "(" NUMERICIDENTIFIER ")\\.(" NUMERICIDENTIFIER ")\\.(" NUMERICIDENTIFIER ")"
#define MAINVERSIONLOOSE "(" NUMERICIDENTIFIERLOOSE ")\\.(" NUMERICIDENTIFIERLOOSE ")\\.(" NUMERICIDENTIFIERLOOSE ")"
#define PRERELEASEIDENTIFIER "(?:" NONNUMERICIDENTIFIER "|" NUMERICIDENTIFIER ")"
#define PRERELEASEIDENTIFIERLOOSE "(?:" NONNUMERICIDENTIFIER "|" NUMERICIDENTIFIERLOOSE ")"
#define PRERELEASE "(?:-(" PRERELEASEIDENTIFIER "(?:\\." PRERELEASEIDENTIFIER ")*))"
#define PRERELEASELOOSE "(?:-?(" PRERELEASEIDENTIFIERLOOSE "(?:\\." PRERELEASEIDENTIFIERLOOSE ")*))"
#define BUILDIDENTIFIER LDN "+" /* unbounded: 7.8 strips builds of any length */
#define BUILD "(?:\\+(" BUILDIDENTIFIER "(?:\\." BUILDIDENTIFIER ")*))"
#define FULLPLAIN "v?" MAINVERSION PRERELEASE "?" BUILD "?"
#define LOOSEPLAIN "[v=\\s]*" MAINVERSIONLOOSE PRERELEASELOOSE "?" BUILD "?"
#define GTLT "((?:<|>)?=?)"
#define XRANGEIDENTIFIER NUMERICIDENTIFIER "|x|X|\\*"
#define XRANGEPLAIN                                                                                          \
	"[v=\\s]*(" XRANGEIDENTIFIER ")(?:\\.(" XRANGEIDENTIFIER ")(?:\\.(" XRANGEIDENTIFIER ")(?:" PRERELEASE \
	")?" BUILD "?)?)?"
#define LONETILDE "(?:~>?)"
#define LONECARET "(?:\\^)"

enum {
	RX_HYPHEN,
	RX_COMPTRIM,
	RX_TILDETRIM,
	RX_CARETTRIM,
	RX_CARET,
	RX_TILDE,
	RX_XRANGE,
	RX_STAR,
	RX_GTE0,
	RX_GTE0PRE,
	RX_COMPARATOR,
	RX_BUILD,
	RX_N
};

static const char *const patterns[RX_N] = {
	[RX_HYPHEN] = "^\\s{0,1}(" XRANGEPLAIN ")\\s{1,1}-\\s{1,1}(" XRANGEPLAIN ")\\s{0,1}$",
	[RX_COMPTRIM] = "(\\s{0,1})" GTLT "\\s{0,1}(" LOOSEPLAIN "|" XRANGEPLAIN ")",
	[RX_TILDETRIM] = "(\\s{0,1})" LONETILDE "\\s{1,1}",
	[RX_CARETTRIM] = "(\\s{0,1})" LONECARET "\\s{1,1}",
	[RX_CARET] = "^" LONECARET XRANGEPLAIN "$",
	[RX_TILDE] = "^" LONETILDE XRANGEPLAIN "$",
	[RX_XRANGE] = "^" GTLT "\\s{0,1}" XRANGEPLAIN "$",
	[RX_STAR] = "(<|>)?=?\\s{0,1}\\*",
	[RX_GTE0] = "^\\s{0,1}>=\\s{0,1}0\\.0\\.0\\s{0,1}$",
	[RX_GTE0PRE] = "^\\s{0,1}>=\\s{0,1}0\\.0\\.0-0\\s{0,1}$",
	[RX_COMPARATOR] = "^" GTLT "\\s{0,1}(" FULLPLAIN ")$|^$",
	[RX_BUILD] = BUILD,
};

static pcre2_code *rx[RX_N];
static pthread_once_t rx_once = PTHREAD_ONCE_INIT;

static void rx_init(void)
{
	for (int i = 0; i < RX_N; i++) {
		int ec;
		PCRE2_SIZE eo;
		rx[i] = pcre2_compile((PCRE2_SPTR)patterns[i], PCRE2_ZERO_TERMINATED, PCRE2_DOLLAR_ENDONLY, &ec, &eo,
				      NULL);
		if (!rx[i])
			abort(); /* a bug in the patterns above */
		pcre2_jit_compile(rx[i], PCRE2_JIT_COMPLETE);
	}
}

/* ---- small strings: a JS-like string as a heap buffer ---- */

struct str {
	char *s;
	size_t n;
};

static void str_set(struct str *d, const char *s, size_t n)
{
	char *p = sc_xmalloc(n + 1);
	memcpy(p, s, n);
	p[n] = '\0';
	free(d->s);
	d->s = p;
	d->n = n;
}

static bool isws(int c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

/* String.prototype.trim() (ASCII white space). */
static void trim(const char **s, size_t *n)
{
	while (*n && isws((unsigned char)**s)) {
		(*s)++;
		(*n)--;
	}
	while (*n && isws((unsigned char)(*s)[*n - 1]))
		(*n)--;
}

/* s.split(/\s+/).join(' ') into sb. */
static void collapse(struct sc_strbuf *sb, const char *s, size_t n)
{
	for (size_t i = 0; i < n;) {
		if (isws((unsigned char)s[i])) {
			sc_strbuf_putc(sb, ' ');
			while (i < n && isws((unsigned char)s[i]))
				i++;
		} else {
			sc_strbuf_putc(sb, s[i++]);
		}
	}
}

struct match {
	pcre2_match_data *md;
	const char *subj;
	bool bad; /* a wildcard followed by a number (`1.x.5`, `x.1`): node-semver 7.8 rejects it */
};

static bool rx_run(int id, struct match *m, const char *s, size_t n, size_t start)
{
	m->subj = s;
	return pcre2_match(rx[id], (PCRE2_SPTR)s, n, start, 0, m->md, NULL) >= 0;
}

/* Group i of the last match; false when it did not take part (JavaScript's undefined). */
static bool grp(const struct match *m, int i, const char **p, size_t *n)
{
	PCRE2_SIZE *ov = pcre2_get_ovector_pointer(m->md);
	uint32_t cnt = pcre2_get_ovector_count(m->md);
	if ((uint32_t)i >= cnt || ov[2 * i] == PCRE2_UNSET) {
		*p = "";
		*n = 0;
		return false;
	}
	*p = m->subj + ov[2 * i];
	*n = ov[2 * i + 1] - ov[2 * i];
	return true;
}

/* isX(id): !id || id.toLowerCase() === 'x' || id === '*' */
static bool isx(const struct match *m, int i)
{
	const char *p;
	size_t n;
	if (!grp(m, i, &p, &n) || n == 0)
		return true;
	return n == 1 && (*p == 'x' || *p == 'X' || *p == '*');
}

/* Groups first..first+2 are M, m, p of an x-range: flags a number after a wildcard. */
static void check_x(struct match *m, int first)
{
	bool seen_x = false;
	for (int i = first; i < first + 3; i++) {
		const char *p;
		size_t n;
		if (!grp(m, i, &p, &n))
			break;
		bool x = n == 1 && (*p == 'x' || *p == 'X' || *p == '*');
		if (seen_x && !x)
			m->bad = true;
		seen_x = seen_x || x;
	}
}

static void put_grp(struct sc_strbuf *sb, const struct match *m, int i)
{
	const char *p;
	size_t n;
	grp(m, i, &p, &n);
	sc_strbuf_append(sb, p, n);
}

/* `${+g + 1}` for a digit string (exact decimal increment; too large numbers fail later). */
static void put_inc(struct sc_strbuf *sb, const struct match *m, int i)
{
	const char *p;
	size_t n;
	grp(m, i, &p, &n);
	char buf[600];
	if (n + 2 > sizeof(buf) || n == 0) {
		sc_strbuf_puts(sb, "NaN");
		return;
	}
	while (n > 1 && *p == '0') {
		p++;
		n--;
	}
	memcpy(buf + 1, p, n);
	buf[0] = '0';
	size_t k = n;
	for (;;) {
		if (buf[k] == '9') {
			buf[k] = '0';
			k--;
		} else {
			buf[k]++;
			break;
		}
	}
	if (buf[0] == '0')
		sc_strbuf_append(sb, buf + 1, n);
	else
		sc_strbuf_append(sb, buf, n + 1);
}

static bool grp_is(const struct match *m, int i, const char *lit)
{
	const char *p;
	size_t n;
	grp(m, i, &p, &n);
	return n == strlen(lit) && !memcmp(p, lit, n);
}

/* ---- the desugaring steps of classes/range.js ---- */

static void hyphen_replace(struct sc_strbuf *o, const struct match *m, bool incpr)
{
	/* groups: 1 from, 2 fM, 3 fm, 4 fp, 5 fpr, 6 fb, 7 to, 8 tM, 9 tm, 10 tp, 11 tpr, 12 tb */
	struct sc_strbuf from, to;
	sc_strbuf_init(&from, SIZE_MAX);
	sc_strbuf_init(&to, SIZE_MAX);
	const char *z = incpr ? "-0" : "";
	if (isx(m, 2)) {
	} else if (isx(m, 3)) {
		sc_strbuf_puts(&from, ">=");
		put_grp(&from, m, 2);
		sc_strbuf_printf(&from, ".0.0%s", z);
	} else if (isx(m, 4)) {
		sc_strbuf_puts(&from, ">=");
		put_grp(&from, m, 2);
		sc_strbuf_putc(&from, '.');
		put_grp(&from, m, 3);
		sc_strbuf_printf(&from, ".0%s", z);
	} else {
		const char *p;
		size_t n;
		sc_strbuf_puts(&from, ">=");
		put_grp(&from, m, 1);
		if (!(grp(m, 5, &p, &n) && n))
			sc_strbuf_puts(&from, z);
	}
	const char *p;
	size_t n;
	if (isx(m, 8)) {
	} else if (isx(m, 9)) {
		sc_strbuf_putc(&to, '<');
		put_inc(&to, m, 8);
		sc_strbuf_puts(&to, ".0.0-0");
	} else if (isx(m, 10)) {
		sc_strbuf_putc(&to, '<');
		put_grp(&to, m, 8);
		sc_strbuf_putc(&to, '.');
		put_inc(&to, m, 9);
		sc_strbuf_puts(&to, ".0-0");
	} else if (grp(m, 11, &p, &n) && n) {
		sc_strbuf_puts(&to, "<=");
		put_grp(&to, m, 8);
		sc_strbuf_putc(&to, '.');
		put_grp(&to, m, 9);
		sc_strbuf_putc(&to, '.');
		put_grp(&to, m, 10);
		sc_strbuf_putc(&to, '-');
		put_grp(&to, m, 11);
	} else if (incpr) {
		sc_strbuf_putc(&to, '<');
		put_grp(&to, m, 8);
		sc_strbuf_putc(&to, '.');
		put_grp(&to, m, 9);
		sc_strbuf_putc(&to, '.');
		put_inc(&to, m, 10);
		sc_strbuf_puts(&to, "-0");
	} else {
		sc_strbuf_puts(&to, "<=");
		put_grp(&to, m, 7);
	}
	/* (`${from} ${to}`).trim() */
	struct sc_strbuf all;
	sc_strbuf_init(&all, SIZE_MAX);
	sc_strbuf_printf(&all, "%s %s", sc_strbuf_str(&from), sc_strbuf_str(&to));
	const char *s = sc_strbuf_str(&all);
	size_t sl = all.len;
	trim(&s, &sl);
	sc_strbuf_append(o, s, sl);
	sc_strbuf_free(&all);
	sc_strbuf_free(&from);
	sc_strbuf_free(&to);
}

/* Global replace of pattern id in *s with the groups concatenated (`$1$2$3` / `$1~` / `$1^`). */
static void global_replace(struct str *s, int id, struct match *m)
{
	struct sc_strbuf o;
	sc_strbuf_init(&o, SIZE_MAX);
	size_t pos = 0, last = 0;
	while (pos <= s->n && rx_run(id, m, s->s, s->n, pos)) {
		PCRE2_SIZE *ov = pcre2_get_ovector_pointer(m->md);
		sc_strbuf_append(&o, s->s + last, ov[0] - last);
		if (id == RX_COMPTRIM) {
			put_grp(&o, m, 1);
			put_grp(&o, m, 2);
			put_grp(&o, m, 3);
		} else {
			put_grp(&o, m, 1);
			sc_strbuf_putc(&o, id == RX_TILDETRIM ? '~' : '^');
		}
		last = ov[1];
		pos = ov[1] > ov[0] ? ov[1] : ov[1] + 1;
	}
	if (last < s->n)
		sc_strbuf_append(&o, s->s + last, s->n - last);
	str_set(s, sc_strbuf_str(&o), o.len);
	sc_strbuf_free(&o);
}

static void caret(struct sc_strbuf *o, const struct match *m, bool incpr)
{
	const char *z = incpr ? "-0" : "";
	const char *p;
	size_t n;
	bool M0 = grp_is(m, 1, "0"), m0 = grp_is(m, 2, "0");
#define G(i) put_grp(o, m, i)
#define I(i) put_inc(o, m, i)
#define S(x) sc_strbuf_puts(o, x)
	if (isx(m, 1)) {
	} else if (isx(m, 2)) {
		S(">="), G(1), S(".0.0"), S(z), S(" <"), I(1), S(".0.0-0");
	} else if (isx(m, 3)) {
		S(">="), G(1), S("."), G(2), S(".0"), S(z);
		if (M0)
			S(" <"), G(1), S("."), I(2), S(".0-0");
		else
			S(" <"), I(1), S(".0.0-0");
	} else if (grp(m, 4, &p, &n) && n) {
		S(">="), G(1), S("."), G(2), S("."), G(3), S("-"), G(4);
		if (M0 && m0)
			S(" <"), G(1), S("."), G(2), S("."), I(3), S("-0");
		else if (M0)
			S(" <"), G(1), S("."), I(2), S(".0-0");
		else
			S(" <"), I(1), S(".0.0-0");
	} else {
		S(">="), G(1), S("."), G(2), S("."), G(3);
		if (M0 && m0)
			S(" <"), G(1), S("."), G(2), S("."), I(3), S("-0");
		else if (M0)
			S(" <"), G(1), S("."), I(2), S(".0-0");
		else
			S(" <"), I(1), S(".0.0-0");
	}
}

static void tilde(struct sc_strbuf *o, const struct match *m, bool incpr)
{
	const char *z = incpr ? "-0" : "";
	const char *p;
	size_t n;
	if (isx(m, 1)) {
	} else if (isx(m, 2)) {
		S(">="), G(1), S(".0.0"), S(z), S(" <"), I(1), S(".0.0-0");
	} else if (isx(m, 3)) {
		S(">="), G(1), S("."), G(2), S(".0"), S(z), S(" <"), G(1), S("."), I(2), S(".0-0");
	} else if (grp(m, 4, &p, &n) && n) {
		S(">="), G(1), S("."), G(2), S("."), G(3), S("-"), G(4), S(" <"), G(1), S("."), I(2), S(".0-0");
	} else {
		S(">="), G(1), S("."), G(2), S("."), G(3), S(" <"), G(1), S("."), I(2), S(".0-0");
	}
}

/* replaceXRange: groups 1 gtlt, 2 M, 3 m, 4 p, 5 pr. */
static void xrange(struct sc_strbuf *o, const struct match *m, const char *comp, size_t clen, bool incpr)
{
	bool xM = isx(m, 2), xm = xM || isx(m, 3), xp = xm || isx(m, 4), anyX = xp;
	const char *gp;
	size_t gn;
	grp(m, 1, &gp, &gn);
	char gtlt[3] = {0};
	memcpy(gtlt, gp, gn < 2 ? gn : 2);
	if (!strcmp(gtlt, "=") && anyX)
		gtlt[0] = '\0';
	const char *pr = incpr ? "-0" : "";
	if (xM) {
		if (!strcmp(gtlt, ">") || !strcmp(gtlt, "<"))
			S("<0.0.0-0");
		else
			S("*");
	} else if (gtlt[0] && anyX) {
		/* M stays a group, m and p become numbers. */
		struct sc_strbuf M, mm;
		sc_strbuf_init(&M, SIZE_MAX);
		sc_strbuf_init(&mm, SIZE_MAX);
		put_grp(&M, m, 2);
		if (xm)
			sc_strbuf_putc(&mm, '0');
		else
			put_grp(&mm, m, 3);
		if (!strcmp(gtlt, ">")) {
			memcpy(gtlt, ">=", 3);
			if (xm) {
				sc_strbuf_reset(&M);
				put_inc(&M, m, 2);
				sc_strbuf_reset(&mm);
				sc_strbuf_putc(&mm, '0');
			} else {
				sc_strbuf_reset(&mm);
				put_inc(&mm, m, 3);
			}
		} else if (!strcmp(gtlt, "<=")) {
			memcpy(gtlt, "<", 2);
			if (xm) {
				sc_strbuf_reset(&M);
				put_inc(&M, m, 2);
			} else {
				sc_strbuf_reset(&mm);
				put_inc(&mm, m, 3);
			}
		}
		if (!strcmp(gtlt, "<"))
			pr = "-0";
		sc_strbuf_printf(o, "%s%s.%s.0%s", gtlt, sc_strbuf_str(&M), sc_strbuf_str(&mm), pr);
		sc_strbuf_free(&M);
		sc_strbuf_free(&mm);
	} else if (xm) {
		S(">="), G(2), S(".0.0"), S(pr), S(" <"), I(2), S(".0.0-0");
	} else if (xp) {
		S(">="), G(2), S("."), G(3), S(".0"), S(pr), S(" <"), G(2), S("."), I(3), S(".0-0");
	} else {
		sc_strbuf_append(o, comp, clen);
	}
#undef G
#undef I
#undef S
}

/* Applies fn to each piece of s.split(/\s+/) (after trim when do_trim) and joins with ' '. */
typedef void (*piece_fn)(struct sc_strbuf *o, const char *p, size_t n, struct match *m, bool incpr);

static void map_split(struct str *s, bool do_trim, piece_fn fn, struct match *m, bool incpr)
{
	const char *p = s->s;
	size_t n = s->n;
	if (do_trim)
		trim(&p, &n);
	struct sc_strbuf o;
	sc_strbuf_init(&o, SIZE_MAX);
	size_t i = 0;
	for (;;) {
		size_t j = i;
		while (j < n && !isws((unsigned char)p[j]))
			j++;
		fn(&o, p + i, j - i, m, incpr);
		if (j >= n)
			break;
		sc_strbuf_putc(&o, ' ');
		while (j < n && isws((unsigned char)p[j]))
			j++;
		i = j;
	}
	str_set(s, sc_strbuf_str(&o), o.len);
	sc_strbuf_free(&o);
}

static void caret_piece(struct sc_strbuf *o, const char *p, size_t n, struct match *m, bool incpr)
{
	if (rx_run(RX_CARET, m, p, n, 0)) {
		check_x(m, 1);
		caret(o, m, incpr);
	}
	else
		sc_strbuf_append(o, p, n);
}

static void tilde_piece(struct sc_strbuf *o, const char *p, size_t n, struct match *m, bool incpr)
{
	if (rx_run(RX_TILDE, m, p, n, 0)) {
		check_x(m, 1);
		tilde(o, m, incpr);
	}
	else
		sc_strbuf_append(o, p, n);
}

static void xrange_piece(struct sc_strbuf *o, const char *p, size_t n, struct match *m, bool incpr)
{
	trim(&p, &n);
	if (rx_run(RX_XRANGE, m, p, n, 0)) {
		check_x(m, 2);
		xrange(o, m, p, n, incpr);
	}
	else
		sc_strbuf_append(o, p, n);
}

/* One comparator of a set: ANY, or an operator and a version. */
struct comp {
	char op[3];
	bool any;
	struct sv v;
	char *text; /* owns the version text v points into */
};

struct cset {
	struct comp *c;
	size_t n;
};

static void sets_free(struct cset *sets, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		for (size_t j = 0; j < sets[i].n; j++)
			free(sets[i].c[j].text);
		free(sets[i].c);
	}
	free(sets);
}

/* new Comparator(comp): false when it throws. */
static bool comparator(const char *p, size_t n, struct match *m, struct comp *out)
{
	trim(&p, &n);
	memset(out, 0, sizeof(*out));
	if (!rx_run(RX_COMPARATOR, m, p, n, 0))
		return false;
	const char *g;
	size_t gn;
	grp(m, 1, &g, &gn);
	memcpy(out->op, g, gn < 2 ? gn : 2);
	if (!strcmp(out->op, "="))
		out->op[0] = '\0';
	if (!grp(m, 2, &g, &gn) || gn == 0) {
		out->any = true;
		return true;
	}
	out->text = sc_xstrndup(g, gn);
	return sc_sv_parse(out->text, gn, SV_NPM, &out->v) == NULL;
}

static void put_value(struct sc_strbuf *o, const struct comp *c)
{
	if (c->any)
		return;
	sc_strbuf_printf(o, "%s%llu.%llu.%llu", c->op, (unsigned long long)c->v.major,
			 (unsigned long long)c->v.minor, (unsigned long long)c->v.patch);
	if (c->v.pre) {
		sc_strbuf_putc(o, '-');
		sc_strbuf_append(o, c->v.pre, c->v.prelen);
	}
}

static bool is_null_set(const struct comp *c)
{
	return !c->any && !strcmp(c->op, "<") && c->v.major == 0 && c->v.minor == 0 && c->v.patch == 0 &&
	       c->v.pre && c->v.prelen == 1 && c->v.pre[0] == '0';
}

/* Range.prototype.parseRange: false when a comparator is invalid. */
static bool parse_range(const char *p, size_t n, bool incpr, struct match *m, struct cset *out)
{
	struct str s = {0};
	trim(&p, &n);
	m->bad = false;
	/* Build metadata is dropped before the hyphen range is expanded (7.8 behaviour). */
	struct str nb = {0};
	str_set(&nb, p, n);
	if (rx_run(RX_BUILD, m, nb.s, nb.n, 0)) {
		PCRE2_SIZE *ov = pcre2_get_ovector_pointer(m->md);
		memmove(nb.s + ov[0], nb.s + ov[1], nb.n - ov[1] + 1);
		nb.n -= ov[1] - ov[0];
	}
	p = nb.s;
	n = nb.n;
	if (rx_run(RX_HYPHEN, m, p, n, 0)) {
		check_x(m, 2);
		check_x(m, 8);
		struct sc_strbuf o;
		sc_strbuf_init(&o, SIZE_MAX);
		hyphen_replace(&o, m, incpr);
		str_set(&s, sc_strbuf_str(&o), o.len);
		sc_strbuf_free(&o);
	} else {
		str_set(&s, p, n);
	}
	global_replace(&s, RX_COMPTRIM, m);
	global_replace(&s, RX_TILDETRIM, m);
	global_replace(&s, RX_CARETTRIM, m);
	/* range.split(' ').map(parseComparator).join(' ') */
	struct sc_strbuf all;
	sc_strbuf_init(&all, SIZE_MAX);
	size_t i = 0;
	for (;;) {
		size_t j = i;
		while (j < s.n && s.s[j] != ' ')
			j++;
		struct str c = {0};
		str_set(&c, s.s + i, j - i);
		/* parseComparator: strip build metadata, then ^, ~, x-ranges, stars. */
		if (rx_run(RX_BUILD, m, c.s, c.n, 0)) {
			PCRE2_SIZE *ov = pcre2_get_ovector_pointer(m->md);
			struct sc_strbuf t;
			sc_strbuf_init(&t, SIZE_MAX);
			sc_strbuf_append(&t, c.s, ov[0]);
			sc_strbuf_append(&t, c.s + ov[1], c.n - ov[1]);
			str_set(&c, sc_strbuf_str(&t), t.len);
			sc_strbuf_free(&t);
		}
		map_split(&c, true, caret_piece, m, incpr);
		map_split(&c, true, tilde_piece, m, incpr);
		map_split(&c, false, xrange_piece, m, incpr);
		const char *cp = c.s;
		size_t cn = c.n;
		trim(&cp, &cn);
		if (rx_run(RX_STAR, m, cp, cn, 0)) {
			PCRE2_SIZE *ov = pcre2_get_ovector_pointer(m->md);
			sc_strbuf_append(&all, cp, ov[0]);
			sc_strbuf_append(&all, cp + ov[1], cn - ov[1]);
		} else {
			sc_strbuf_append(&all, cp, cn);
		}
		free(c.s);
		if (j >= s.n)
			break;
		sc_strbuf_putc(&all, ' ');
		i = j + 1;
	}
	free(s.s);
	free(nb.s);
	if (m->bad) {
		sc_strbuf_free(&all);
		out->c = NULL;
		out->n = 0;
		return false;
	}
	/* .split(/\s+/).map(replaceGTE0).map(new Comparator) */
	const char *a = sc_strbuf_str(&all);
	size_t an = all.len;
	out->c = NULL;
	out->n = 0;
	size_t cap = 0;
	bool ok = true;
	i = 0;
	for (;;) {
		size_t j = i;
		while (j < an && !isws((unsigned char)a[j]))
			j++;
		const char *cp = a + i;
		size_t cn = j - i;
		trim(&cp, &cn);
		if (rx_run(incpr ? RX_GTE0PRE : RX_GTE0, m, cp, cn, 0))
			cn = 0;
		if (out->n == cap) {
			cap = cap ? cap * 2 : 4;
			out->c = sc_xrealloc(out->c, cap * sizeof(*out->c));
		}
		if (!comparator(cp, cn, m, &out->c[out->n])) {
			free(out->c[out->n].text);
			ok = false;
			break;
		}
		out->n++;
		if (j >= an)
			break;
		while (j < an && isws((unsigned char)a[j]))
			j++;
		i = j;
	}
	sc_strbuf_free(&all);
	if (!ok)
		return false;
	/* Null set wins; duplicates and '' (when not alone) go. */
	for (size_t k = 0; k < out->n; k++)
		if (is_null_set(&out->c[k])) {
			struct comp keep = out->c[k];
			for (size_t q = 0; q < out->n; q++)
				if (q != k)
					free(out->c[q].text);
			out->c[0] = keep;
			out->n = 1;
			return true;
		}
	size_t w = 0;
	bool has_any = false, has_other = false;
	for (size_t k = 0; k < out->n; k++) {
		if (out->c[k].any)
			has_any = true;
		else
			has_other = true;
	}
	struct sc_strbuf vk, vq;
	sc_strbuf_init(&vk, SIZE_MAX);
	sc_strbuf_init(&vq, SIZE_MAX);
	for (size_t k = 0; k < out->n; k++) {
		bool drop = out->c[k].any && has_other;
		/* Map.set keeps the first position, the last value: same value = same comparator. */
		sc_strbuf_reset(&vk);
		put_value(&vk, &out->c[k]);
		for (size_t q = 0; q < w && !drop; q++) {
			sc_strbuf_reset(&vq);
			put_value(&vq, &out->c[q]);
			drop = out->c[q].any == out->c[k].any && !strcmp(sc_strbuf_str(&vq), sc_strbuf_str(&vk));
		}
		if (drop)
			free(out->c[k].text);
		else
			out->c[w++] = out->c[k];
	}
	out->n = w;
	(void)has_any;
	sc_strbuf_free(&vk);
	sc_strbuf_free(&vq);
	return true;
}

static bool comp_test(const struct comp *c, const struct sv *v)
{
	if (c->any)
		return true;
	int r = sc_sv_cmp(v, &c->v, SV_NPM);
	if (!c->op[0])
		return r == 0;
	if (!strcmp(c->op, ">"))
		return r > 0;
	if (!strcmp(c->op, ">="))
		return r >= 0;
	if (!strcmp(c->op, "<"))
		return r < 0;
	return r <= 0; /* "<=" */
}

static bool set_test(const struct cset *s, const struct sv *v, bool incpr)
{
	for (size_t i = 0; i < s->n; i++)
		if (!comp_test(&s->c[i], v))
			return false;
	if (v->pre && !incpr) {
		for (size_t i = 0; i < s->n; i++) {
			const struct comp *c = &s->c[i];
			if (!c->any && c->v.pre && c->v.major == v->major && c->v.minor == v->minor &&
			    c->v.patch == v->patch)
				return true;
		}
		return false;
	}
	return true;
}

/* outside() of node-semver (ranges/outside.js): is v entirely above (hilo '>') or below ('<')
 * every set of the range? */
static bool outside(const struct sv *v, const struct cset *sets, size_t nsets, char hilo, bool incpr)
{
	for (size_t i = 0; i < nsets; i++)
		if (set_test(&sets[i], v, incpr))
			return false;
	const char *comp = hilo == '>' ? ">" : "<", *ecomp = hilo == '>' ? ">=" : "<=";
	struct comp gte0 = {.op = ">="};
	for (size_t i = 0; i < nsets; i++) {
		const struct comp *high = NULL, *low = NULL;
		for (size_t k = 0; k < sets[i].n; k++) {
			const struct comp *c = sets[i].c[k].any ? &gte0 : &sets[i].c[k];
			if (!high)
				high = c;
			if (!low)
				low = c;
			int gh = sc_sv_cmp(&c->v, &high->v, SV_NPM), gl = sc_sv_cmp(&c->v, &low->v, SV_NPM);
			/* gtfn/ltfn: gt/lt for '>', lt/gt for '<' */
			if (hilo == '>' ? gh > 0 : gh < 0)
				high = c;
			else if (hilo == '>' ? gl < 0 : gl > 0)
				low = c;
		}
		if (!high)
			continue;
		if (!strcmp(high->op, comp) || !strcmp(high->op, ecomp))
			return false;
		int vl = sc_sv_cmp(v, &low->v, SV_NPM);
		bool ltefn = hilo == '>' ? vl <= 0 : vl >= 0, ltfn = hilo == '>' ? vl < 0 : vl > 0;
		if ((!low->op[0] || !strcmp(low->op, comp)) && ltefn)
			return false;
		else if (!strcmp(low->op, ecomp) && ltfn)
			return false;
	}
	return true;
}

static enum sc_status range_eval(const struct sv *v, const char *range, bool include_prerelease, bool *out,
				 struct sc_strbuf *normalized, char hilo, struct sc_error *err);

enum sc_status sc_npm_range_test(const struct sv *v, const char *range, bool include_prerelease, bool *out,
				 struct sc_strbuf *normalized, struct sc_error *err)
{
	return range_eval(v, range, include_prerelease, out, normalized, 0, err);
}

enum sc_status sc_npm_outside(const struct sv *v, const char *range, char hilo, bool include_prerelease, bool *out,
			      struct sc_error *err)
{
	return range_eval(v, range, include_prerelease, out, NULL, hilo, err);
}

static enum sc_status range_eval(const struct sv *v, const char *range, bool include_prerelease, bool *out,
				 struct sc_strbuf *normalized, char hilo, struct sc_error *err)
{
	pthread_once(&rx_once, rx_init);
	*out = false;
	size_t rlen = strlen(range);
	if (rlen > SC_VERSION_RANGE_MAX)
		return sc_error_set(err, SC_ELIMIT, NULL, 0, 0, "npm range longer than %d bytes", SC_VERSION_RANGE_MAX);
	struct match m = {.md = pcre2_match_data_create(40, NULL)};
	/* this.raw = range.trim().split(/\s+/).join(' ') */
	const char *r = range;
	size_t rn = rlen;
	trim(&r, &rn);
	struct sc_strbuf raw;
	sc_strbuf_init(&raw, SIZE_MAX);
	collapse(&raw, r, rn);
	const char *s = sc_strbuf_str(&raw);
	struct cset *sets = NULL;
	size_t nsets = 0, cap = 0;
	enum sc_status st = SC_OK;
	for (const char *p = s;;) {
		const char *bar = strstr(p, "||");
		size_t n = bar ? (size_t)(bar - p) : strlen(p);
		if (nsets == cap) {
			cap = cap ? cap * 2 : 4;
			sets = sc_xrealloc(sets, cap * sizeof(*sets));
		}
		if (!parse_range(p, n, include_prerelease, &m, &sets[nsets])) {
			sets_free(sets, nsets + 1);
			sets = NULL;
			nsets = 0;
			st = sc_version_fail(err, "npm", "range", range, rlen, "not a valid node-semver range");
			goto out;
		}
		nsets++;
		if (!bar)
			break;
		p = bar + 2;
	}
	/* Drop null sets when there are others; a lone `*` set makes the range `*`. */
	if (nsets > 1) {
		size_t w = 0;
		for (size_t i = 0; i < nsets; i++) {
			if (is_null_set(&sets[i].c[0]))
			{
				for (size_t k = 0; k < sets[i].n; k++)
					free(sets[i].c[k].text);
				free(sets[i].c);
			}
			else
				sets[w++] = sets[i];
		}
		if (w == 0) {
			/* all null: node keeps the first; they never match, so any one will do */
			sets[0].c = sc_xcalloc(1, sizeof(struct comp));
			sets[0].n = 1;
			sets[0].c[0].op[0] = '<';
			sets[0].c[0].text = sc_xstrdup("0.0.0-0");
			sc_sv_parse(sets[0].c[0].text, 7, SV_NPM, &sets[0].c[0].v);
			w = 1;
		} else if (w > 1) {
			for (size_t i = 0; i < w; i++)
				if (sets[i].n == 1 && sets[i].c[0].any) {
					struct cset keep = sets[i];
					for (size_t q = 0; q < w; q++)
						if (q != i) {
							for (size_t k = 0; k < sets[q].n; k++)
								free(sets[q].c[k].text);
							free(sets[q].c);
						}
					sets[0] = keep;
					w = 1;
					break;
				}
		}
		nsets = w;
	}
	if (normalized) {
		/* format(): comps.join(' ').trim() joined by '||', trimmed */
		for (size_t i = 0; i < nsets; i++) {
			if (i)
				sc_strbuf_puts(normalized, "||");
			size_t start = normalized->len;
			for (size_t k = 0; k < sets[i].n; k++) {
				if (k)
					sc_strbuf_putc(normalized, ' ');
				put_value(normalized, &sets[i].c[k]);
			}
			(void)start;
		}
	}
	if (v && hilo) {
		*out = outside(v, sets, nsets, hilo, include_prerelease);
	} else if (v) {
		for (size_t i = 0; i < nsets && !*out; i++)
			*out = set_test(&sets[i], v, include_prerelease);
	}
	sets_free(sets, nsets);
out:
	sc_strbuf_free(&raw);
	pcre2_match_data_free(m.md);
	return st;
}

/* ---- the npm scheme ---- */

static enum sc_status npm_validate(const char *v, size_t len, struct sc_error *err)
{
	enum sc_status st = sc_version_check_len("npm", v, len, err);
	if (st != SC_OK)
		return st;
	struct sv x;
	const char *why = sc_sv_parse(v, len, SV_NPM, &x);
	if (why)
		return sc_version_fail(err, "npm", "version", v, len, "%s", why);
	return SC_OK;
}

static int npm_compare(const char *a, size_t alen, const char *b, size_t blen)
{
	struct sv x, y;
	bool xa = !sc_sv_parse(a, alen, SV_NPM, &x), yb = !sc_sv_parse(b, blen, SV_NPM, &y);
	if (xa && yb)
		return sc_sv_cmp(&x, &y, SV_NPM);
	if (xa != yb)
		return xa ? 1 : -1;
	int c = memcmp(a, b, alen < blen ? alen : blen);
	return c ? c : (alen > blen) - (alen < blen);
}

static enum sc_status npm_satisfies(const char *version, const char *range, bool include_prerelease, bool *out,
				    struct sc_error *err)
{
	struct sv v;
	const char *why = sc_sv_parse(version, strlen(version), SV_NPM, &v);
	*out = false;
	if (why)
		return sc_version_fail(err, "npm", "version", version, strlen(version), "%s", why);
	return sc_npm_range_test(&v, range, include_prerelease, out, NULL, err);
}

static const char *const ecosystems[] = {"npm", NULL};

const struct sc_scheme sc_scheme_npm = {
	.name = "npm",
	.ecosystems = ecosystems,
	.validate = npm_validate,
	.compare = npm_compare,
	.satisfies = npm_satisfies,
};
