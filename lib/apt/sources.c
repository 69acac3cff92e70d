/* sources.c - apt sources: one-line sources.list entries and deb822 .sources stanzas. */
#include "shipcheck/sc_apt.h"
#include "shipcheck/sc_deb822.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define MAX_WORDS 64

/* Splits [s, e) on blanks into at most max words (arena copies). */
static size_t split_words(struct sc_arena *a, const char *s, const char *e, const char **out, size_t max)
{
	size_t n = 0;
	while (s < e && n < max) {
		while (s < e && (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r'))
			s++;
		const char *w = s;
		while (s < e && *s != ' ' && *s != '\t' && *s != '\n' && *s != '\r')
			s++;
		if (s > w)
			out[n++] = sc_arena_strndup(a, w, (size_t)(s - w));
	}
	return n;
}

static const char *strip_slash(struct sc_arena *a, const char *uri)
{
	size_t n = strlen(uri);
	while (n > 1 && uri[n - 1] == '/')
		n--;
	return sc_arena_strndup(a, uri, n);
}

static void add(struct sc_arena *a, struct sc_ptrvec *out, const char *path, unsigned line, const char *uri,
		const char *suite, const char *const *comps, size_t n_comps, const char *signed_by)
{
	struct sc_apt_source *s = sc_arena_alloc(a, sizeof(*s));
	s->uri = strip_slash(a, uri);
	s->suite = suite;
	s->components = sc_arena_alloc(a, (n_comps + 1) * sizeof(char *));
	for (size_t i = 0; i < n_comps; i++)
		s->components[i] = comps[i];
	s->signed_by = signed_by;
	s->path = sc_arena_strdup(a, path);
	s->line = line;
	sc_ptrvec_push(out, s);
}

static bool valid_uri(const char *u)
{
	return !strncmp(u, "http://", 7) || !strncmp(u, "https://", 8) || !strncmp(u, "file:", 5) ||
	       !strncmp(u, "mirror+", 7) || !strncmp(u, "cdrom:", 6) || !strncmp(u, "ftp://", 6) ||
	       !strncmp(u, "tor+", 4);
}

static enum sc_status parse_oneline(struct sc_arena *a, const char *path, const char *data, size_t len,
				    struct sc_ptrvec *out, struct sc_error *err)
{
	size_t pos = 0;
	unsigned line = 0;
	while (pos < len) {
		const char *s = data + pos;
		const char *nl = memchr(s, '\n', len - pos);
		const char *e = nl ? nl : data + len;
		pos = (size_t)(e - data) + (nl ? 1 : 0);
		line++;
		const char *hash = memchr(s, '#', (size_t)(e - s));
		if (hash)
			e = hash;
		const char *w[MAX_WORDS];
		/* options in brackets: "deb [arch=amd64 signed-by=/k.gpg] URI suite comp" */
		const char *signed_by = NULL;
		const char *q = s;
		while (q < e && (*q == ' ' || *q == '\t'))
			q++;
		const char *type_end = q;
		while (type_end < e && *type_end != ' ' && *type_end != '\t')
			type_end++;
		if (q == e)
			continue;
		size_t tlen = (size_t)(type_end - q);
		bool is_deb = tlen == 3 && !memcmp(q, "deb", 3);
		bool is_src = tlen == 7 && !memcmp(q, "deb-src", 7);
		if (!is_deb && !is_src)
			return sc_error_set(err, SC_EINPUT, path, line, (unsigned)(q - s) + 1,
					    "expected `deb` or `deb-src`");
		const char *r = type_end;
		while (r < e && (*r == ' ' || *r == '\t'))
			r++;
		if (r < e && *r == '[') {
			const char *close = memchr(r, ']', (size_t)(e - r));
			if (!close)
				return sc_error_set(err, SC_EINPUT, path, line, (unsigned)(r - s) + 1,
						    "unterminated `[` options");
			const char *opts[MAX_WORDS];
			size_t no = split_words(a, r + 1, close, opts, MAX_WORDS);
			for (size_t i = 0; i < no; i++)
				if (!strncmp(opts[i], "signed-by=", 10))
					signed_by = opts[i] + 10;
			r = close + 1;
		}
		size_t n = split_words(a, r, e, w, MAX_WORDS);
		if (n < 2)
			return sc_error_set(err, SC_EINPUT, path, line, (unsigned)(r - s) + 1,
					    "expected `URI SUITE [COMPONENT...]`");
		if (!valid_uri(w[0]))
			return sc_error_set(err, SC_EINPUT, path, line, (unsigned)(r - s) + 1,
					    "`%s` is not a repository URI", w[0]);
		size_t slen = strlen(w[1]);
		bool flat = slen && w[1][slen - 1] == '/';
		if (!flat && n < 3)
			return sc_error_set(err, SC_EINPUT, path, line, 1, "a suite needs at least one component");
		if (is_deb)
			add(a, out, path, line, w[0], w[1], w + 2, n - 2, signed_by);
	}
	return SC_OK;
}

static enum sc_status parse_deb822(struct sc_arena *a, const char *path, const char *data, size_t len,
				   struct sc_ptrvec *out, struct sc_error *err)
{
	struct sc_deb822 d;
	sc_deb822_init(&d, path, data, len);
	d.allow_comments = true;
	struct sc_deb822_stanza st = {0};
	enum sc_status rc = SC_OK;
	for (;;) {
		bool got = false;
		rc = sc_deb822_next(&d, &st, &got, err);
		if (rc != SC_OK || !got)
			break;
		const struct sc_deb822_field *en = sc_deb822_get(&st, "Enabled");
		if (en && en->value_len == 2 && !strncasecmp(en->value, "no", 2))
			continue;
		const struct sc_deb822_field *types = sc_deb822_get(&st, "Types");
		const struct sc_deb822_field *uris = sc_deb822_get(&st, "URIs");
		const struct sc_deb822_field *suites = sc_deb822_get(&st, "Suites");
		const struct sc_deb822_field *comps = sc_deb822_get(&st, "Components");
		if (!types || !uris || !suites) {
			rc = sc_error_set(err, SC_EINPUT, path, st.line, 1, "source without %s",
					  !types ? "Types" : !uris ? "URIs" : "Suites");
			break;
		}
		const char *tw[MAX_WORDS], *uw[MAX_WORDS], *sw[MAX_WORDS], *cw[MAX_WORDS];
		size_t nt = split_words(a, types->value, types->value + types->value_len, tw, MAX_WORDS);
		size_t nu = split_words(a, uris->value, uris->value + uris->value_len, uw, MAX_WORDS);
		size_t ns = split_words(a, suites->value, suites->value + suites->value_len, sw, MAX_WORDS);
		size_t nc = comps ? split_words(a, comps->value, comps->value + comps->value_len, cw, MAX_WORDS) : 0;
		bool deb = false;
		for (size_t i = 0; i < nt; i++)
			if (!strcmp(tw[i], "deb"))
				deb = true;
		if (!deb)
			continue;
		const struct sc_deb822_field *sb = sc_deb822_get(&st, "Signed-By");
		const char *signed_by = NULL;
		if (sb && sb->value_len && memchr(sb->value, '\n', sb->value_len) == NULL)
			signed_by = sc_arena_strndup(a, sb->value, sb->value_len);
		for (size_t u = 0; u < nu; u++) {
			if (!valid_uri(uw[u])) {
				rc = sc_error_set(err, SC_EINPUT, path, uris->line, 1,
						  "`%s` is not a repository URI", uw[u]);
				goto out;
			}
			for (size_t s = 0; s < ns; s++) {
				size_t slen = strlen(sw[s]);
				if (!nc && !(slen && sw[s][slen - 1] == '/')) {
					rc = sc_error_set(err, SC_EINPUT, path, suites->line, 1,
							  "a suite needs Components");
					goto out;
				}
				add(a, out, path, st.line, uw[u], sw[s], cw, nc, signed_by);
			}
		}
	}
out:
	sc_deb822_stanza_free(&st);
	return rc;
}

enum sc_status sc_apt_sources_parse(struct sc_arena *a, const char *path, const char *data, size_t len,
				    bool deb822, struct sc_ptrvec *out, struct sc_error *err)
{
	if (len > SC_APT_MAX_PREFS)
		return sc_error_set(err, SC_ELIMIT, path, 0, 0, "sources file larger than %llu bytes",
				    (unsigned long long)SC_APT_MAX_PREFS);
	return deb822 ? parse_deb822(a, path, data, len, out, err) : parse_oneline(a, path, data, len, out, err);
}
