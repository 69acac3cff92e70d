/* jsondoc.c - the flat JSON document of jsondoc.h, built from libyajl's streaming (SAX) parser:
 * yajl tokenizes and validates the grammar, the callbacks here append each value to the array and
 * add what jansson's json_loadb(JSON_REJECT_DUPLICATES) also refuses and yajl does not check:
 * integers outside int64, infinite reals, \u0000, lone surrogate escapes, overlong or surrogate or
 * out-of-range UTF-8, depth > 2048, duplicate keys, a scalar at the top, and '\f' or '\v' (yajl
 * skips them as whitespace). Errors are re-diagnosed by jansson so messages stay jansson's. */
#include "jsondoc.h"

#include <errno.h>
#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <yajl/yajl_parse.h>

struct parser {
	const unsigned char *start, *end;
	yajl_handle h;
	struct sc_jdoc *d;
	char *out;                     /* next free byte of d->strs */
	uint32_t *scratch;             /* duplicate-key hash table */
	size_t nscratch;
	uint32_t stack[SC_JDOC_MAX_DEPTH + 1]; /* open containers (indices into d->v) */
	unsigned open;
	size_t root_end;               /* offset just past the top value */
};

/* Offset of the token the current callback reports, `len` bytes long: yajl has consumed the input
 * through its last byte. */
static size_t token_at(struct parser *ps, size_t len)
{
	return yajl_get_bytes_consumed(ps->h) - len;
}

/* Appends a value of type t at offset off; a value (not a key) counts toward its container and its
 * depth is checked as jansson does (every value, the scalars too; only a container at the top). */
static bool push(struct parser *ps, enum sc_jtype t, size_t off, bool key)
{
	struct sc_jdoc *d = ps->d;
	if (!key) {
		if (ps->open + 1 > SC_JDOC_MAX_DEPTH)
			return false;
		if (!ps->open && t != SC_J_OBJECT && t != SC_J_ARRAY)
			return false;
		if (ps->open)
			d->v[ps->stack[ps->open - 1]].len++;
	}
	if (d->n == d->cap) {
		d->cap = d->cap ? d->cap * 2 : 64;
		d->v = sc_xrealloc(d->v, d->cap * sizeof(*d->v));
	}
	struct sc_jval *v = &d->v[d->n];
	v->type = t;
	v->off = (uint32_t)off;
	v->end = (uint32_t)d->n + 1;
	v->len = 0;
	v->u.i = 0;
	d->n++;
	return true;
}

/* The last '"' before q (there is one: the string's opening quote). */
static const unsigned char *memrchr_quote(const unsigned char *start, const unsigned char *q)
{
	do
		q--;
	while (q > start && *q != '"');
	return q;
}

static int hexval(unsigned char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return c - 'A' + 10; /* yajl checked the four hex digits */
}

static unsigned hex4(const unsigned char *p)
{
	return (unsigned)(hexval(p[0]) << 12 | hexval(p[1]) << 8 | hexval(p[2]) << 4 | hexval(p[3]));
}

/* The \u escapes of a raw string (between its quotes; yajl checked every escape's syntax): no
 * \u0000, every surrogate in a high+low pair. yajl decodes a lone one into replacement bytes. */
static bool escapes_ok(const unsigned char *p, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (p[i] != '\\')
			continue;
		i++;
		if (i >= n || p[i] != 'u')
			continue;
		if (n - i < 5)
			return false;
		unsigned cp = hex4(p + i + 1);
		i += 4;
		if (cp == 0 || (cp >= 0xDC00 && cp <= 0xDFFF))
			return false;
		if (cp >= 0xD800 && cp <= 0xDBFF) {
			if (n - i < 7 || p[i + 1] != '\\' || p[i + 2] != 'u')
				return false;
			unsigned lo = hex4(p + i + 3);
			if (lo < 0xDC00 || lo > 0xDFFF)
				return false;
			i += 6;
		}
	}
	return true;
}

/* Length of the valid UTF-8 sequence at p (lead byte >= 0x80), 0 when invalid: no overlong forms,
 * no surrogates, nothing above U+10FFFF (jansson's utf8_check_full; yajl checks only the shape). */
static size_t utf8_len(const unsigned char *p, const unsigned char *end)
{
	unsigned char c = p[0];
	size_t n;
	unsigned long cp;
	if (c >= 0xC2 && c <= 0xDF) {
		n = 2;
		cp = c & 0x1F;
	} else if (c >= 0xE0 && c <= 0xEF) {
		n = 3;
		cp = c & 0x0F;
	} else if (c >= 0xF0 && c <= 0xF4) {
		n = 4;
		cp = c & 0x07;
	} else {
		return 0;
	}
	if ((size_t)(end - p) < n)
		return 0;
	for (size_t i = 1; i < n; i++) {
		if ((p[i] & 0xC0) != 0x80)
			return 0;
		cp = (cp << 6) | (p[i] & 0x3F);
	}
	if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF) || (n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000))
		return 0;
	return n;
}

static bool utf8_ok(const unsigned char *p, size_t n)
{
	const unsigned char *end = p + n;
	while (p < end) {
		if (end - p >= 8) {
			uint64_t x;
			memcpy(&x, p, 8);
			if (!(x & 0x8080808080808080ULL)) {
				p += 8;
				continue;
			}
		}
		if (*p < 0x80) {
			p++;
			continue;
		}
		size_t k = utf8_len(p, end);
		if (!k)
			return false;
		p += k;
	}
	return true;
}

/* A string or a key: s/n is yajl's decoded text. */
static int on_string_or_key(struct parser *ps, const unsigned char *s, size_t n, bool key)
{
	size_t off;
	if ((uintptr_t)s > (uintptr_t)ps->start && (uintptr_t)s <= (uintptr_t)ps->end) {
		off = (size_t)(s - ps->start) - 1; /* no escape: yajl passes the text in place */
	} else {
		/* decoded: the opening quote is the last quote before the closing one that is not
		 * escaped (preceded by an even number of backslashes) */
		size_t close = token_at(ps, 1);
		const unsigned char *q = ps->start + close;
		for (;;) {
			q = memrchr_quote(ps->start, q);
			size_t bs = 0;
			while (q - bs > ps->start && q[-1 - (ptrdiff_t)bs] == '\\')
				bs++;
			if (!(bs & 1))
				break;
		}
		off = (size_t)(q - ps->start);
		if (!escapes_ok(q + 1, close - off - 1))
			return 0;
	}
	if (!utf8_ok(s, n) || !push(ps, SC_J_STRING, off, key))
		return 0;
	/* decoded strings never outgrow their quoted source, so the block has room */
	struct sc_jval *v = &ps->d->v[ps->d->n - 1];
	memcpy(ps->out, s, n);
	ps->out[n] = '\0';
	v->u.s = ps->out;
	v->len = (uint32_t)n;
	ps->out += n + 1;
	return 1;
}

static int on_string(void *ctx, const unsigned char *s, size_t n) { return on_string_or_key(ctx, s, n, false); }
static int on_key(void *ctx, const unsigned char *s, size_t n) { return on_string_or_key(ctx, s, n, true); }

static int on_literal(struct parser *ps, enum sc_jtype t)
{
	return push(ps, t, token_at(ps, t == SC_J_FALSE ? 5 : 4), false);
}

static int on_null(void *ctx) { return on_literal(ctx, SC_J_NULL); }
static int on_boolean(void *ctx, int b) { return on_literal(ctx, b ? SC_J_TRUE : SC_J_FALSE); }

/* yajl gives the number's text; jansson's rules: an integer (no '.', 'e', 'E') must fit int64
 * (strtoll), a real must not overflow (strtod). */
static int on_number(void *ctx, const char *s, size_t n)
{
	struct parser *ps = ctx;
	size_t off = token_at(ps, n);
	char small[64];
	char *buf = n < sizeof(small) ? small : sc_xmalloc(n + 1);
	memcpy(buf, s, n);
	buf[n] = '\0';
	bool integer = !memchr(buf, '.', n) && !memchr(buf, 'e', n) && !memchr(buf, 'E', n);
	int64_t i = 0;
	double dv = 0;
	errno = 0;
	if (integer)
		i = strtoll(buf, NULL, 10);
	else
		dv = strtod(buf, NULL);
	bool bad = errno == ERANGE && (integer || dv == HUGE_VAL || dv == -HUGE_VAL);
	if (buf != small)
		free(buf);
	if (bad || !push(ps, integer ? SC_J_INT : SC_J_REAL, off, false))
		return 0;
	struct sc_jval *v = &ps->d->v[ps->d->n - 1];
	if (integer)
		v->u.i = i;
	else
		v->u.d = dv;
	return 1;
}

static int on_start(struct parser *ps, enum sc_jtype t)
{
	if (!push(ps, t, token_at(ps, 1), false))
		return 0;
	ps->stack[ps->open++] = (uint32_t)(ps->d->n - 1);
	return 1;
}

static int on_start_map(void *ctx) { return on_start(ctx, SC_J_OBJECT); }
static int on_start_array(void *ctx) { return on_start(ctx, SC_J_ARRAY); }

static bool same_key(const struct sc_jval *a, const struct sc_jval *b)
{
	return a->len == b->len && !memcmp(a->u.s, b->u.s, a->len);
}

/* Duplicate keys among the members of the object at index obj (just closed). */
static bool has_duplicates(struct parser *ps, uint32_t obj)
{
	const struct sc_jval *v = ps->d->v;
	size_t n = v[obj].len;
	if (n < 2)
		return false;
	if (n <= 8) {
		const struct sc_jval *keys[8];
		size_t k = 0;
		for (uint32_t i = obj + 1; i < v[obj].end; i = v[i + 1].end) {
			for (size_t j = 0; j < k; j++)
				if (same_key(keys[j], &v[i]))
					return true;
			keys[k++] = &v[i];
		}
		return false;
	}
	size_t size = 16;
	while (size < 2 * n)
		size *= 2;
	if (ps->nscratch < size) {
		free(ps->scratch);
		ps->scratch = sc_xmalloc(size * sizeof(*ps->scratch));
		ps->nscratch = size;
	}
	uint32_t *tab = ps->scratch;
	memset(tab, 0, size * sizeof(*tab));
	for (uint32_t i = obj + 1; i < v[obj].end; i = v[i + 1].end) {
		size_t h = (size_t)sc_hash_bytes(v[i].u.s, v[i].len) & (size - 1);
		while (tab[h]) {
			if (same_key(&v[tab[h] - 1], &v[i]))
				return true;
			h = (h + 1) & (size - 1);
		}
		tab[h] = i + 1;
	}
	return false;
}

static int on_end(struct parser *ps, enum sc_jtype t)
{
	(void)t;
	if (!ps->open)
		return 0;
	uint32_t top = ps->stack[ps->open - 1];
	ps->d->v[top].end = (uint32_t)ps->d->n;
	if (t == SC_J_OBJECT && has_duplicates(ps, top))
		return 0;
	if (!--ps->open)
		ps->root_end = token_at(ps, 0);
	return 1;
}

static int on_end_map(void *ctx) { return on_end(ctx, SC_J_OBJECT); }
static int on_end_array(void *ctx) { return on_end(ctx, SC_J_ARRAY); }

static const yajl_callbacks callbacks = {
	.yajl_null = on_null,
	.yajl_boolean = on_boolean,
	.yajl_number = on_number,
	.yajl_string = on_string,
	.yajl_start_map = on_start_map,
	.yajl_map_key = on_key,
	.yajl_end_map = on_end_map,
	.yajl_start_array = on_start_array,
	.yajl_end_array = on_end_array,
};

static void *yj_malloc(void *ctx, size_t n)
{
	(void)ctx;
	return sc_xmalloc(n);
}

static void *yj_realloc(void *ctx, void *p, size_t n)
{
	(void)ctx;
	return sc_xrealloc(p, n);
}

static void yj_free(void *ctx, void *p)
{
	(void)ctx;
	free(p);
}

/* Parses data (no NUL byte in it) into d, which holds room for it; true when valid. yajl's
 * defaults are jansson's: no comments, UTF-8 checked, one value, nothing after it. */
static bool parse(struct sc_jdoc *d, const unsigned char *data, size_t len, size_t *bad)
{
	static yajl_alloc_funcs funcs = {yj_malloc, yj_realloc, yj_free, NULL};
	struct parser *ps = sc_xcalloc(1, sizeof(*ps));
	ps->start = data;
	ps->end = data + len;
	ps->d = d;
	ps->out = d->strs;
	ps->h = yajl_alloc(&callbacks, &funcs, ps);
	/* yajl skips '\f' and '\v' as whitespace; JSON does not have them, and in a string too
	 * they would be raw control characters */
	bool ok = !memchr(data, '\f', len) && !memchr(data, '\v', len) &&
		  yajl_parse(ps->h, data, len) == yajl_status_ok && yajl_complete_parse(ps->h) == yajl_status_ok &&
		  !ps->open && d->n;
	/* after the top value only whitespace: yajl takes an unterminated string or a number at the
	 * end of the input for a token still to come, even once told the input is complete */
	for (const unsigned char *p = data + ps->root_end; ok && p < ps->end; p++)
		ok = *p == ' ' || *p == '\n' || *p == '\r' || *p == '\t';
	*bad = yajl_get_bytes_consumed(ps->h);
	yajl_free(ps->h);
	free(ps->scratch);
	free(ps);
	return ok;
}

static void line_col(const char *data, size_t len, size_t off, unsigned *line, unsigned *col)
{
	*line = 1;
	*col = 1;
	for (size_t i = 0; i < off && i < len; i++) {
		if (data[i] == '\n') {
			(*line)++;
			*col = 1;
		} else {
			(*col)++;
		}
	}
}

enum sc_status sc_jdoc_parse(struct sc_jdoc *d, const char *path, const char *data, size_t len,
			     struct sc_error *err)
{
	memset(d, 0, sizeof(*d));
	if (len >= UINT32_MAX)
		return sc_error_set(err, SC_ELIMIT, path, 0, 0, "JSON document over 4 GiB");
	d->strs = sc_xmalloc(len + 1); /* decoded strings never outgrow their quoted source */
	d->cap = len / 12 + 16;
	d->v = sc_xmalloc(d->cap * sizeof(*d->v));
	size_t bad;
	if (parse(d, (const unsigned char *)data, len, &bad))
		return SC_OK;
	/* invalid: let jansson say why, in its words (what the extractors always reported) */
	json_error_t je;
	json_t *j = json_loadb(data, len, JSON_REJECT_DUPLICATES, &je);
	enum sc_status st;
	if (!j) {
		st = sc_error_set(err, SC_EINPUT, path, (unsigned)(je.line > 0 ? je.line : 0),
				  (unsigned)(je.column > 0 ? je.column : 0), "invalid JSON: %s", je.text);
		goto out;
	}
	json_decref(j);
	/* jansson's quirk: it skips one NUL byte right after a number or a literal, and refuses a NUL
	 * anywhere else. So when it accepts a document holding NULs, each is such a byte, and the same
	 * document with spaces for them is what it read. yajl refuses every NUL. */
	if (memchr(data, '\0', len)) {
		char *copy = sc_xmalloc(len ? len : 1);
		memcpy(copy, data, len);
		for (char *z = memchr(copy, '\0', len); z; z = memchr(z, '\0', len - (size_t)(z - copy)))
			*z = ' ';
		d->n = 0;
		bool ok = parse(d, (const unsigned char *)copy, len, &bad);
		free(copy);
		if (ok)
			return SC_OK;
	}
	/* the two readers disagree: a bug here, but still refuse the input */
	unsigned line, col;
	line_col(data, len, bad, &line, &col);
	st = sc_error_set(err, SC_EINPUT, path, line, col, "invalid JSON");
out:
	sc_jdoc_free(d);
	return st;
}

void sc_jdoc_free(struct sc_jdoc *d)
{
	free(d->v);
	free(d->strs);
	memset(d, 0, sizeof(*d));
}

const struct sc_jval *sc_jdoc_first(const struct sc_jdoc *d, const struct sc_jval *c)
{
	(void)d;
	if (!c || (c->type != SC_J_OBJECT && c->type != SC_J_ARRAY) || !c->len)
		return NULL;
	return c + 1;
}

const struct sc_jval *sc_jdoc_next(const struct sc_jdoc *d, const struct sc_jval *c, const struct sc_jval *last)
{
	const struct sc_jval *nx = d->v + last->end;
	return nx < d->v + c->end ? nx : NULL;
}

const struct sc_jval *sc_jdoc_get(const struct sc_jdoc *d, const struct sc_jval *o, const char *key)
{
	size_t kl = strlen(key);
	SC_JDOC_FOREACH_MEMBER(d, o, k, val) {
		if (k->len == kl && !memcmp(k->u.s, key, kl))
			return val;
	}
	return NULL;
}

const char *sc_jdoc_str(const struct sc_jdoc *d, const struct sc_jval *o, const char *key)
{
	const struct sc_jval *v = sc_jdoc_get(d, o, key);
	return v && v->type == SC_J_STRING ? v->u.s : NULL;
}

bool sc_jdoc_true(const struct sc_jdoc *d, const struct sc_jval *o, const char *key)
{
	const struct sc_jval *v = sc_jdoc_get(d, o, key);
	return v && v->type == SC_J_TRUE;
}
