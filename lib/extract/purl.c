/* purl.c - package URL construction with the purl-spec's percent-encoding. */
#include "shipcheck/sc_purl.h"

#include <string.h>

static bool keep(unsigned char c, bool slash)
{
	if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))
		return true;
	return c == '-' || c == '.' || c == '_' || c == '~' || (slash && c == '/');
}

static void put(struct sc_strbuf *sb, const char *s, bool slash)
{
	static const char hex[] = "0123456789ABCDEF";
	const unsigned char *p = (const unsigned char *)s;
	while (*p) {
		const unsigned char *run = p;
		while (*p && keep(*p, slash))
			p++;
		if (p > run)
			sc_strbuf_append(sb, run, (size_t)(p - run));
		if (*p) {
			char e[3] = {'%', hex[*p >> 4], hex[*p & 15]};
			sc_strbuf_append(sb, e, 3);
			p++;
		}
	}
}

char *sc_pep503_name(struct sc_arena *a, const char *name)
{
	size_t n = strlen(name), o = 0;
	char *out = sc_arena_alloc(a, n + 1);
	for (size_t i = 0; i < n; i++) {
		char c = name[i];
		if (c == '-' || c == '_' || c == '.') {
			if (!o || out[o - 1] != '-')
				out[o++] = '-';
		} else {
			out[o++] = c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
		}
	}
	out[o] = '\0';
	return out;
}

char *sc_purl_encode(struct sc_arena *a, const char *s)
{
	struct sc_strbuf sb;
	sc_strbuf_init(&sb, 1 << 20);
	put(&sb, s, false);
	char *r = sc_arena_strndup(a, sc_strbuf_str(&sb), sb.len);
	sc_strbuf_free(&sb);
	return r;
}

char *sc_purl(struct sc_arena *a, const char *type, const char *ns, const char *name,
	      const char *version, const char *qualifiers)
{
	struct sc_strbuf sb;
	sc_strbuf_init(&sb, 1 << 20);
	sc_strbuf_puts(&sb, "pkg:");
	sc_strbuf_puts(&sb, type);
	sc_strbuf_putc(&sb, '/');
	if (ns && *ns) {
		put(&sb, ns, true);
		sc_strbuf_putc(&sb, '/');
	}
	put(&sb, name, false);
	if (version && *version) {
		sc_strbuf_putc(&sb, '@');
		put(&sb, version, false);
	}
	if (qualifiers && *qualifiers) {
		sc_strbuf_putc(&sb, '?');
		sc_strbuf_puts(&sb, qualifiers);
	}
	char *r = sc_arena_strndup(a, sc_strbuf_str(&sb), sb.len);
	sc_strbuf_free(&sb);
	return r;
}
