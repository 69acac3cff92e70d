/* jsondoc.c - one-pass JSON reader into a flat value array (see jsondoc.h): strict RFC 8259 plus
 * jansson's rules (integers within int64, no infinite reals, no \u0000, valid UTF-8, no lone
 * surrogates, depth <= 2048, no duplicate keys, an object or array at the top, one NUL byte after a
 * number or literal skipped). Errors are re-diagnosed by jansson so messages stay jansson's. */
#include "jsondoc.h"

#include <errno.h>
#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

struct parser {
	const unsigned char *p, *end, *start;
	struct sc_jdoc *d;
	char *out;                     /* next free byte of d->strs */
	uint32_t *scratch;             /* duplicate-key hash table */
	size_t nscratch;
	uint32_t stack[SC_JDOC_MAX_DEPTH + 1]; /* open containers (indices into d->v) */
	unsigned open;
};

static uint32_t push(struct parser *ps, enum sc_jtype t, const unsigned char *at)
{
	struct sc_jdoc *d = ps->d;
	if (d->n == d->cap) {
		d->cap = d->cap ? d->cap * 2 : 64;
		d->v = sc_xrealloc(d->v, d->cap * sizeof(*d->v));
	}
	struct sc_jval *v = &d->v[d->n];
	v->type = t;
	v->off = (uint32_t)(at - ps->start);
	v->end = (uint32_t)d->n + 1;
	v->len = 0;
	v->u.i = 0;
	return (uint32_t)d->n++;
}

static inline void skip_ws(struct parser *ps)
{
	const unsigned char *p = ps->p, *end = ps->end;
	while (p < end && (*p == ' ' || *p == '\n' || *p == '\r' || *p == '\t'))
		p++;
	ps->p = p;
}

/* jansson's quirk, kept for the same verdict on every input: the character after a number or a
 * literal is read and pushed back, and a pushed-back NUL byte is skipped by its next read. */
static inline void skip_nul(struct parser *ps)
{
	if (ps->p < ps->end && *ps->p == '\0')
		ps->p++;
}

static int hexval(unsigned char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Four hex digits after "\u" at p (p points at 'u'); -1 when malformed. */
static long hex4(const unsigned char *p, const unsigned char *end)
{
	if (end - p < 5)
		return -1;
	long v = 0;
	for (int i = 1; i <= 4; i++) {
		int h = hexval(p[i]);
		if (h < 0)
			return -1;
		v = v * 16 + h;
	}
	return v;
}

static char *put_utf8(char *o, unsigned long cp)
{
	if (cp < 0x80) {
		*o++ = (char)cp;
	} else if (cp < 0x800) {
		*o++ = (char)(0xC0 | (cp >> 6));
		*o++ = (char)(0x80 | (cp & 0x3F));
	} else if (cp < 0x10000) {
		*o++ = (char)(0xE0 | (cp >> 12));
		*o++ = (char)(0x80 | ((cp >> 6) & 0x3F));
		*o++ = (char)(0x80 | (cp & 0x3F));
	} else {
		*o++ = (char)(0xF0 | (cp >> 18));
		*o++ = (char)(0x80 | ((cp >> 12) & 0x3F));
		*o++ = (char)(0x80 | ((cp >> 6) & 0x3F));
		*o++ = (char)(0x80 | (cp & 0x3F));
	}
	return o;
}

/* Length of the valid UTF-8 sequence at p (lead byte >= 0x80), 0 when invalid: no overlong forms,
 * no surrogates, nothing above U+10FFFF (jansson's utf8_check_full). */
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

/* Bytes a string holds as they are: printable ASCII but the quote and the backslash. */
static const bool plain[256] = {
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	1, 1, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 1, 1, 1,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	/* 0x80-0xFF: UTF-8, checked one sequence at a time */
};

/* True when the 8 bytes at q are all plain (word-at-a-time: no byte < 0x20, >= 0x80, '"' or
 * '\\'; "has a byte below n" is (x - n*ones) & ~x & high, exact for n <= 0x80). */
static inline bool plain8(const unsigned char *q)
{
	const uint64_t ones = 0x0101010101010101ULL, high = 0x8080808080808080ULL;
	uint64_t x;
	memcpy(&x, q, 8);
	uint64_t quote = x ^ (ones * '"'), bslash = x ^ (ones * '\\');
	uint64_t bad = ((x - ones * 0x20) & ~x) | ((quote - ones) & ~quote) | ((bslash - ones) & ~bslash) | x;
	return !(bad & high);
}

/* A string at ps->p (the opening quote), decoded into ps->out. */
static bool string(struct parser *ps, enum sc_jtype t)
{
	uint32_t idx = push(ps, t, ps->p);
	const unsigned char *p = ps->p + 1, *end = ps->end;
	char *o = ps->out, *s = o;
	for (;;) {
		const unsigned char *q = p;
		while (end - q >= 8 && plain8(q))
			q += 8;
		while (q < end && plain[*q])
			q++;
		memcpy(o, p, (size_t)(q - p));
		o += q - p;
		p = q;
		if (p >= end)
			return false;
		unsigned char c = *p;
		if (c == '"') {
			p++;
			break;
		}
		if (c < 0x20)
			return false;
		if (c >= 0x80) {
			size_t n = utf8_len(p, end);
			if (!n)
				return false;
			memcpy(o, p, n);
			o += n;
			p += n;
			continue;
		}
		/* backslash */
		if (end - p < 2)
			return false;
		c = p[1];
		switch (c) {
		case '"': *o++ = '"'; break;
		case '\\': *o++ = '\\'; break;
		case '/': *o++ = '/'; break;
		case 'b': *o++ = '\b'; break;
		case 'f': *o++ = '\f'; break;
		case 'n': *o++ = '\n'; break;
		case 'r': *o++ = '\r'; break;
		case 't': *o++ = '\t'; break;
		case 'u': {
			long cp = hex4(p + 1, end);
			if (cp < 0)
				return false;
			if (cp >= 0xD800 && cp <= 0xDBFF) {
				if (end - p < 12 || p[6] != '\\' || p[7] != 'u')
					return false;
				long lo = hex4(p + 7, end);
				if (lo < 0xDC00 || lo > 0xDFFF)
					return false;
				cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
				p += 6;
			} else if ((cp >= 0xDC00 && cp <= 0xDFFF) || cp == 0) {
				return false;
			}
			o = put_utf8(o, (unsigned long)cp);
			p += 4;
			break;
		}
		default:
			return false;
		}
		p += 2;
	}
	*o++ = '\0';
	struct sc_jval *v = &ps->d->v[idx];
	v->u.s = s;
	v->len = (uint32_t)(o - s - 1);
	ps->out = o;
	ps->p = p;
	return true;
}

static bool is_digit(const unsigned char *p, const unsigned char *end)
{
	return p < end && *p >= '0' && *p <= '9';
}

static bool number(struct parser *ps)
{
	const unsigned char *p = ps->p, *end = ps->end, *start = p;
	bool neg = false, integer = true;
	if (*p == '-') {
		neg = true;
		p++;
	}
	if (!is_digit(p, end))
		return false;
	if (*p == '0') {
		p++;
		if (is_digit(p, end))
			return false; /* a leading zero */
	} else {
		while (is_digit(p, end))
			p++;
	}
	if (p < end && *p == '.') {
		integer = false;
		p++;
		if (!is_digit(p, end))
			return false;
		while (is_digit(p, end))
			p++;
	}
	if (p < end && (*p == 'e' || *p == 'E')) {
		integer = false;
		p++;
		if (p < end && (*p == '+' || *p == '-'))
			p++;
		if (!is_digit(p, end))
			return false;
		while (is_digit(p, end))
			p++;
	}
	uint32_t idx = push(ps, integer ? SC_J_INT : SC_J_REAL, start);
	struct sc_jval *v = &ps->d->v[idx];
	if (integer) {
		/* within int64 as strtoll decides: -9223372036854775808 fits, 9223372036854775808 does not */
		uint64_t limit = neg ? (uint64_t)INT64_MAX + 1 : (uint64_t)INT64_MAX, m = 0;
		for (const unsigned char *q = start + neg; q < p; q++) {
			unsigned dgt = (unsigned)(*q - '0');
			if (m > (limit - dgt) / 10)
				return false;
			m = m * 10 + dgt;
		}
		v->u.i = neg ? (m == (uint64_t)INT64_MAX + 1 ? INT64_MIN : -(int64_t)m) : (int64_t)m;
	} else {
		size_t n = (size_t)(p - start);
		char small[64];
		char *buf = n < sizeof(small) ? small : sc_xmalloc(n + 1);
		memcpy(buf, start, n);
		buf[n] = '\0';
		errno = 0;
		double dv = strtod(buf, NULL);
		bool overflow = (dv == HUGE_VAL || dv == -HUGE_VAL) && errno == ERANGE;
		if (buf != small)
			free(buf);
		if (overflow)
			return false;
		v->u.d = dv;
	}
	ps->p = p;
	skip_nul(ps);
	return true;
}

static bool literal(struct parser *ps, const char *word, enum sc_jtype t)
{
	size_t n = strlen(word);
	if ((size_t)(ps->end - ps->p) < n || memcmp(ps->p, word, n))
		return false;
	push(ps, t, ps->p);
	ps->p += n;
	skip_nul(ps);
	return true;
}

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

/* Returns the byte offset where parsing failed, or SIZE_MAX when the document is valid. */
static size_t parse(struct parser *ps)
{
	skip_ws(ps);
	if (ps->p >= ps->end || (*ps->p != '{' && *ps->p != '['))
		goto fail;
value:
	if (ps->open + 1 > SC_JDOC_MAX_DEPTH)
		goto fail;
	switch (*ps->p) {
	case '{':
	case '[': {
		bool obj = *ps->p == '{';
		ps->stack[ps->open++] = push(ps, obj ? SC_J_OBJECT : SC_J_ARRAY, ps->p);
		ps->p++;
		skip_ws(ps);
		if (ps->p < ps->end && *ps->p == (obj ? '}' : ']')) {
			ps->p++;
			ps->open--;
			goto after;
		}
		if (obj)
			goto key;
		if (ps->p >= ps->end)
			goto fail;
		goto value;
	}
	case '"':
		if (!string(ps, SC_J_STRING))
			goto fail;
		break;
	case 't':
		if (!literal(ps, "true", SC_J_TRUE))
			goto fail;
		break;
	case 'f':
		if (!literal(ps, "false", SC_J_FALSE))
			goto fail;
		break;
	case 'n':
		if (!literal(ps, "null", SC_J_NULL))
			goto fail;
		break;
	default:
		if (*ps->p != '-' && (*ps->p < '0' || *ps->p > '9'))
			goto fail;
		if (!number(ps))
			goto fail;
		break;
	}
after:
	if (!ps->open) {
		skip_ws(ps);
		if (ps->p != ps->end)
			goto fail;
		return SIZE_MAX;
	}
	{
		uint32_t top = ps->stack[ps->open - 1];
		struct sc_jval *c = &ps->d->v[top];
		c->len++;
		skip_ws(ps);
		if (ps->p >= ps->end)
			goto fail;
		unsigned char ch = *ps->p++;
		if (ch == ',') {
			skip_ws(ps);
			if (ps->p >= ps->end)
				goto fail;
			if (c->type == SC_J_OBJECT)
				goto key;
			goto value;
		}
		if (ch != (c->type == SC_J_OBJECT ? '}' : ']'))
			goto fail;
		c->end = (uint32_t)ps->d->n;
		if (c->type == SC_J_OBJECT && has_duplicates(ps, top))
			goto fail;
		ps->open--;
		goto after;
	}
key:
	if (ps->p >= ps->end || *ps->p != '"' || !string(ps, SC_J_STRING))
		goto fail;
	skip_ws(ps);
	if (ps->p >= ps->end || *ps->p != ':')
		goto fail;
	ps->p++;
	skip_ws(ps);
	if (ps->p >= ps->end)
		goto fail;
	goto value;
fail:
	return (size_t)(ps->p - ps->start);
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
	struct parser *ps = sc_xcalloc(1, sizeof(*ps));
	ps->p = ps->start = (const unsigned char *)data;
	ps->end = ps->p + len;
	ps->d = d;
	d->strs = sc_xmalloc(len + 1); /* decoded strings never outgrow their quoted source */
	ps->out = d->strs;
	d->cap = len / 12 + 16;
	d->v = sc_xmalloc(d->cap * sizeof(*d->v));
	size_t bad = parse(ps);
	free(ps->scratch);
	free(ps);
	if (bad == SIZE_MAX)
		return SC_OK;
	/* invalid: let jansson say why, in its words (what the extractors always reported) */
	json_error_t je;
	json_t *j = json_loadb(data, len, JSON_REJECT_DUPLICATES, &je);
	enum sc_status st;
	if (!j) {
		st = sc_error_set(err, SC_EINPUT, path, (unsigned)(je.line > 0 ? je.line : 0),
				  (unsigned)(je.column > 0 ? je.column : 0), "invalid JSON: %s", je.text);
	} else { /* the two readers disagree: a bug here, but still refuse the input */
		unsigned line, col;
		line_col(data, len, bad, &line, &col);
		st = sc_error_set(err, SC_EINPUT, path, line, col, "invalid JSON");
		json_decref(j);
	}
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
