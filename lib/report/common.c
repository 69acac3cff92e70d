/* common.c - helpers shared by reporters: embedded rule docs, JSON/XML escaping, rule lists. */
#include "report_impl.h"

#include <string.h>
#include <strings.h>

struct sc_embedded_doc {
	const char *id;
	const char *text;
};
extern const struct sc_embedded_doc sc_embedded_docs[];

const char *sc_rule_doc(const char *id)
{
	for (size_t i = 0; sc_embedded_docs[i].id; i++)
		if (!strcasecmp(sc_embedded_docs[i].id, id))
			return sc_embedded_docs[i].text;
	return NULL;
}

void sc_xml_put_escaped(FILE *out, const char *s)
{
	const unsigned char *p = (const unsigned char *)(s ? s : "");
	for (;;) {
		/* a run of characters written as they are: one fwrite, not one locked fputc each */
		const unsigned char *run = p;
		while (*p >= 0x20 && *p != '<' && *p != '>' && *p != '&' && *p != '"' && *p != '\'')
			p++;
		if (p > run)
			fwrite(run, 1, (size_t)(p - run), out);
		if (!*p)
			return;
		switch (*p) {
		case '<': fputs("&lt;", out); break;
		case '>': fputs("&gt;", out); break;
		case '&': fputs("&amp;", out); break;
		case '"': fputs("&quot;", out); break;
		case '\'': fputs("&apos;", out); break;
		case '\n': fputs("&#10;", out); break;
		case '\r': fputs("&#13;", out); break;
		case '\t': fputs("&#9;", out); break;
		default: fputc('?', out); /* not representable in XML 1.0 */
		}
		p++;
	}
}

const char *sc_report_check_title(const char *check)
{
	const struct sc_check *c = sc_check_find(check);
	return c && c->title ? c->title : check;
}

const char *sc_report_location(struct sc_arena *a, const struct sc_location *l)
{
	if (!l->path && !l->layer)
		return NULL;
	const char *p = l->path ? l->path : "";
	const char *where = l->line ? sc_arena_printf(a, "%s:%u", p, l->line) : sc_arena_strdup(a, p);
	if (l->layer)
		where = sc_arena_printf(a, "%s (layer %d%s%s)", where, l->layer, l->created_by ? ": " : "",
					l->created_by ? l->created_by : "");
	return where;
}

size_t sc_utf8_seq(const unsigned char *p)
{
	if (p[0] < 0x80)
		return 1;
	size_t n;
	unsigned min;
	unsigned cp;
	if ((p[0] & 0xE0) == 0xC0)
		n = 2, min = 0x80, cp = p[0] & 0x1F;
	else if ((p[0] & 0xF0) == 0xE0)
		n = 3, min = 0x800, cp = p[0] & 0x0F;
	else if ((p[0] & 0xF8) == 0xF0)
		n = 4, min = 0x10000, cp = p[0] & 0x07;
	else
		return 0;
	for (size_t i = 1; i < n; i++) {
		if ((p[i] & 0xC0) != 0x80)
			return 0;
		cp = (cp << 6) | (p[i] & 0x3F);
	}
	if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
		return 0;
	return n;
}

json_t *sc_json_str(const char *s)
{
	json_t *j = json_string(s ? s : "");
	if (j)
		return j;
	/* invalid UTF-8 (or NUL-free binary): replace bad bytes with U+FFFD so the report stays valid */
	struct sc_strbuf sb;
	sc_strbuf_init(&sb, (size_t)1 << 30);
	for (const unsigned char *p = (const unsigned char *)s; *p;) {
		size_t n = sc_utf8_seq(p);
		if (n) {
			sc_strbuf_append(&sb, p, n);
			p += n;
		} else {
			sc_strbuf_append(&sb, "\xEF\xBF\xBD", 3);
			p++;
		}
	}
	j = json_string(sc_strbuf_str(&sb));
	sc_strbuf_free(&sb);
	return j ? j : json_string("");
}
