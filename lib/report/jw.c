/* jw.c - the reporters' streaming JSON writer: the document is written as it is walked instead of
 * built as a jansson tree and dumped (that cost ~100k instructions per finding). The output is byte
 * for byte what json_dumpf(tree, JSON_INDENT(2) | JSON_PRESERVE_ORDER) writes for the same tree:
 * the same separators and indentation, "{}"/"[]" for empty containers, jansson's escapes, and
 * invalid UTF-8 replaced by U+FFFD as sc_json_str() does. */
#include "report_impl.h"

#include <stdlib.h>
#include <string.h>

static void jw_flush(struct sc_jw *w)
{
	if (w->len && fwrite(w->buf, 1, w->len, w->out) != w->len)
		w->failed = true;
	w->len = 0;
}

static void jw_put(struct sc_jw *w, const char *s, size_t n)
{
	if (n > sizeof(w->buf) - w->len) {
		jw_flush(w);
		if (n > sizeof(w->buf)) {
			if (fwrite(s, 1, n, w->out) != n)
				w->failed = true;
			return;
		}
	}
	memcpy(w->buf + w->len, s, n);
	w->len += n;
}

static void jw_putc(struct sc_jw *w, char c)
{
	if (w->len == sizeof(w->buf))
		jw_flush(w);
	w->buf[w->len++] = c;
}

static void jw_indent(struct sc_jw *w, int depth)
{
	static const char spaces[] = "                                ";
	jw_putc(w, '\n');
	for (int n = depth * 2; n > 0; n -= (int)sizeof(spaces) - 1)
		jw_put(w, spaces, n < (int)sizeof(spaces) - 1 ? (size_t)n : sizeof(spaces) - 1);
}

static void jw_string(struct sc_jw *w, const char *s)
{
	static const char hexd[] = "0123456789ABCDEF";
	const unsigned char *p = (const unsigned char *)(s ? s : "");
	jw_putc(w, '"');
	for (;;) {
		const unsigned char *run = p;
		while (*p >= 0x20 && *p < 0x80 && *p != '"' && *p != '\\')
			p++;
		if (p > run)
			jw_put(w, (const char *)run, (size_t)(p - run));
		if (!*p)
			break;
		if (*p >= 0x80) {
			size_t n = sc_utf8_seq(p);
			if (n) {
				jw_put(w, (const char *)p, n);
				p += n;
			} else {
				jw_put(w, "\xEF\xBF\xBD", 3);
				p++;
			}
			continue;
		}
		switch (*p) {
		case '"': jw_put(w, "\\\"", 2); break;
		case '\\': jw_put(w, "\\\\", 2); break;
		case '\b': jw_put(w, "\\b", 2); break;
		case '\f': jw_put(w, "\\f", 2); break;
		case '\n': jw_put(w, "\\n", 2); break;
		case '\r': jw_put(w, "\\r", 2); break;
		case '\t': jw_put(w, "\\t", 2); break;
		default: {
			char u[6] = {'\\', 'u', '0', '0', hexd[*p >> 4], hexd[*p & 15]};
			jw_put(w, u, 6);
		}
		}
		p++;
	}
	jw_putc(w, '"');
}

/* Starts a member (object: key given) or an element (array: key NULL). */
static void jw_member(struct sc_jw *w, const char *key)
{
	if (!w->first[w->depth])
		jw_putc(w, ',');
	w->first[w->depth] = false;
	jw_indent(w, w->depth);
	if (key) {
		jw_string(w, key);
		jw_put(w, ": ", 2);
	}
}

void sc_jw_open(struct sc_jw *w, const char *key, char c, bool member)
{
	if (member)
		jw_member(w, key);
	jw_putc(w, c);
	if (w->depth + 1 >= JW_MAX_DEPTH) {
		w->failed = true;
		return;
	}
	w->depth++;
	w->first[w->depth] = true;
}

void sc_jw_close(struct sc_jw *w, char c)
{
	bool empty = w->first[w->depth];
	w->depth--;
	if (!empty)
		jw_indent(w, w->depth);
	jw_putc(w, c);
}

void sc_jw_str(struct sc_jw *w, const char *key, const char *v)
{
	if (!v)
		return;
	jw_member(w, key);
	jw_string(w, v);
}

void sc_jw_int(struct sc_jw *w, const char *key, long long v)
{
	char num[32];
	int n = snprintf(num, sizeof(num), "%lld", v);
	jw_member(w, key);
	jw_put(w, num, (size_t)n);
}

void sc_jw_bool(struct sc_jw *w, const char *key, bool v)
{
	jw_member(w, key);
	jw_put(w, v ? "true" : "false", v ? 4 : 5);
}

void sc_jw_str_array(struct sc_jw *w, const char *key, const char *const *v)
{
	sc_jw_open(w, key, '[', true);
	for (size_t i = 0; v && v[i]; i++)
		sc_jw_str(w, NULL, v[i]);
	sc_jw_close(w, ']');
}

struct sc_jw *sc_jw_new(FILE *out)
{
	struct sc_jw *w = sc_xmalloc(sizeof(*w));
	w->out = out;
	w->len = 0;
	w->depth = 0;
	w->failed = false;
	return w;
}

bool sc_jw_finish(struct sc_jw *w)
{
	jw_putc(w, '\n');
	jw_flush(w);
	bool ok = !w->failed;
	free(w);
	return ok;
}
