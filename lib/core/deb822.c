/* deb822.c - Debian control-file paragraph reader (dpkg status, apt indexes, Release files). */
#include "shipcheck/sc_deb822.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

void sc_deb822_init(struct sc_deb822 *p, const char *path, const char *data, size_t len)
{
	memset(p, 0, sizeof(*p));
	p->path = path;
	p->data = data;
	p->len = len;
	p->line = 1;
	p->max_fields = 4096;
	if (len >= 3 && (unsigned char)data[0] == 0xEF && (unsigned char)data[1] == 0xBB &&
	    (unsigned char)data[2] == 0xBF)
		p->pos = 3;
}

/* [start, end) of the current line without its terminator; advances past it. */
static const char *next_line(struct sc_deb822 *p, size_t *n)
{
	if (p->pos >= p->len)
		return NULL;
	const char *s = p->data + p->pos;
	const char *nl = memchr(s, '\n', p->len - p->pos);
	size_t k = nl ? (size_t)(nl - s) : p->len - p->pos;
	p->pos += k + (nl ? 1 : 0);
	if (k && s[k - 1] == '\r')
		k--;
	*n = k;
	return s;
}

static bool blank(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] != ' ' && s[i] != '\t')
			return false;
	return true;
}

enum sc_status sc_deb822_next(struct sc_deb822 *p, struct sc_deb822_stanza *st, bool *got,
			      struct sc_error *err)
{
	st->n = 0;
	st->line = 0;
	*got = false;
	const char *s;
	size_t n;
	struct sc_deb822_field *cur = NULL;
	for (;;) {
		size_t before = p->pos;
		unsigned lineno = p->line;
		s = next_line(p, &n);
		if (!s)
			break;
		p->line++;
		if (blank(s, n)) {
			if (st->n) {
				break; /* end of paragraph */
			}
			continue; /* leading blank lines */
		}
		if (p->allow_comments && s[0] == '#')
			continue;
		if (s[0] == ' ' || s[0] == '\t') {
			if (!cur)
				return sc_error_set(err, SC_EINPUT, p->path, lineno, 1,
						    "continuation line without a field");
			/* extend the value up to the end of this line */
			const char *end = s + n;
			while (end > cur->value && (end[-1] == ' ' || end[-1] == '\t'))
				end--;
			if (end > cur->value + cur->value_len)
				cur->value_len = (size_t)(end - cur->value);
			continue;
		}
		const char *colon = memchr(s, ':', n);
		if (!colon || colon == s)
			return sc_error_set(err, SC_EINPUT, p->path, lineno, colon ? 1 : (unsigned)n + 1,
					    colon ? "empty field name" : "expected `Field: value`");
		for (const char *q = s; q < colon; q++)
			if ((unsigned char)*q <= ' ' || (unsigned char)*q >= 127)
				return sc_error_set(err, SC_EINPUT, p->path, lineno, (unsigned)(q - s) + 1,
						    "invalid character in field name");
		if (st->n >= p->max_fields)
			return sc_error_set(err, SC_ELIMIT, p->path, lineno, 1,
					    "more than %zu fields in one paragraph", p->max_fields);
		if (st->n == st->cap) {
			st->cap = st->cap ? st->cap * 2 : 32;
			st->fields = sc_xrealloc(st->fields, st->cap * sizeof(*st->fields));
		}
		cur = &st->fields[st->n++];
		cur->name = s;
		cur->name_len = (size_t)(colon - s);
		cur->line = lineno;
		const char *v = colon + 1, *e = s + n;
		while (v < e && (*v == ' ' || *v == '\t'))
			v++;
		while (e > v && (e[-1] == ' ' || e[-1] == '\t'))
			e--;
		cur->value = v;
		cur->value_len = (size_t)(e - v);
		if (!st->line)
			st->line = lineno;
		(void)before;
	}
	*got = st->n > 0;
	return SC_OK;
}

void sc_deb822_stanza_free(struct sc_deb822_stanza *st)
{
	free(st->fields);
	memset(st, 0, sizeof(*st));
}

const struct sc_deb822_field *sc_deb822_get(const struct sc_deb822_stanza *st, const char *name)
{
	size_t len = strlen(name);
	for (size_t i = 0; i < st->n; i++)
		if (st->fields[i].name_len == len && !strncasecmp(st->fields[i].name, name, len))
			return &st->fields[i];
	return NULL;
}

char *sc_deb822_dup(const struct sc_deb822_stanza *st, const char *name, struct sc_arena *a)
{
	const struct sc_deb822_field *f = sc_deb822_get(st, name);
	return f ? sc_arena_strndup(a, f->value, f->value_len) : NULL;
}
