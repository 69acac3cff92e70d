/* strbuf.c - growable, always NUL-terminated byte buffer with a mandatory size limit. */
#include "shipcheck/sc_core.h"

#include <stdlib.h>
#include <string.h>

void sc_strbuf_init(struct sc_strbuf *sb, size_t limit)
{
	sb->buf = NULL;
	sb->len = 0;
	sb->cap = 0;
	sb->limit = limit;
}

enum sc_status sc_strbuf_append(struct sc_strbuf *sb, const void *data, size_t n)
{
	if (n > sb->limit || sb->len > sb->limit - n)
		return SC_ELIMIT;
	if (sb->len + n + 1 > sb->cap) {
		size_t cap = sb->cap ? sb->cap : 64;
		while (cap < sb->len + n + 1)
			cap *= 2;
		sb->buf = sc_xrealloc(sb->buf, cap);
		sb->cap = cap;
	}
	if (n)
		memcpy(sb->buf + sb->len, data, n);
	sb->len += n;
	sb->buf[sb->len] = '\0';
	return SC_OK;
}

enum sc_status sc_strbuf_puts(struct sc_strbuf *sb, const char *s)
{
	return sc_strbuf_append(sb, s, strlen(s));
}

enum sc_status sc_strbuf_putc(struct sc_strbuf *sb, char c)
{
	return sc_strbuf_append(sb, &c, 1);
}

enum sc_status sc_strbuf_printf(struct sc_strbuf *sb, const char *fmt, ...)
{
	char small[256];
	va_list ap, cp;
	va_start(ap, fmt);
	va_copy(cp, ap);
	int n = vsnprintf(small, sizeof(small), fmt, cp);
	va_end(cp);
	enum sc_status st;
	if (n < 0) {
		st = SC_EINTERNAL;
	} else if ((size_t)n < sizeof(small)) {
		st = sc_strbuf_append(sb, small, (size_t)n);
	} else {
		char *big = sc_xmalloc((size_t)n + 1);
		vsnprintf(big, (size_t)n + 1, fmt, ap);
		st = sc_strbuf_append(sb, big, (size_t)n);
		free(big);
	}
	va_end(ap);
	return st;
}

void sc_strbuf_reset(struct sc_strbuf *sb)
{
	sb->len = 0;
	if (sb->buf)
		sb->buf[0] = '\0';
}

void sc_strbuf_free(struct sc_strbuf *sb)
{
	free(sb->buf);
	sb->buf = NULL;
	sb->len = sb->cap = 0;
}

char *sc_strbuf_take(struct sc_strbuf *sb)
{
	char *p = sb->buf ? sb->buf : sc_xstrdup("");
	sb->buf = NULL;
	sb->len = sb->cap = 0;
	return p;
}
