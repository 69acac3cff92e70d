/* gemfile_lock.c - extractor for Bundler's Gemfile.lock: GEM sections (specs `name (version)` at
 * four spaces, their dependencies at six), GIT and PATH sections (reported unpinned), DEPENDENCIES
 * (direct gems). Platform suffixes (-x86_64-linux) are removed from versions. */
#include "extract.h"

#include <stdlib.h>
#include <string.h>

#define MAX_LINE (1u << 16)

static bool wants(const char *path, uint64_t size, uint32_t mode)
{
	(void)size;
	(void)mode;
	return (sc_extract_base_is(path, "Gemfile.lock") || sc_extract_base_is(path, "gems.locked")) &&
	       !sc_extract_vendored(path);
}

static enum sc_status extract(const struct sc_extract_input *in, struct sc_inventory *inv,
			      struct sc_error *err)
{
	struct sc_arena *a = inv->arena;
	struct sc_depgraph g;
	sc_depgraph_init(&g);
	struct sc_strbuf deps; /* "from\tname\n" */
	sc_strbuf_init(&deps, 64u << 20);
	struct sc_ptrvec direct = {0};
	const char *p = (const char *)in->data, *end = p + in->len;
	unsigned lineno = 0;
	enum sc_status st = SC_OK;
	char section[32] = "";
	const char *remote = NULL;
	long cur = -1;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *le = nl ? nl : end;
		const char *lp = p;
		p = nl ? nl + 1 : end;
		lineno++;
		if ((size_t)(le - lp) > MAX_LINE) {
			st = sc_error_set(err, SC_ELIMIT, in->path, lineno, 1, "line longer than %u bytes", MAX_LINE);
			goto out;
		}
		if (memchr(lp, 0, (size_t)(le - lp))) {
			st = sc_error_set(err, SC_EINPUT, in->path, lineno, 1, "NUL byte");
			goto out;
		}
		if (le > lp && le[-1] == '\r')
			le--;
		size_t ind = 0;
		while (lp + ind < le && lp[ind] == ' ')
			ind++;
		if (lp + ind == le)
			continue;
		const char *t = lp + ind;
		size_t tl = (size_t)(le - t);
		if (ind == 0) {
			snprintf(section, sizeof(section), "%.*s", (int)(tl < 31 ? tl : 31), t);
			remote = NULL;
			cur = -1;
			continue;
		}
		bool gemlike = !strcmp(section, "GEM") || !strcmp(section, "GIT") || !strcmp(section, "PATH") ||
			       !strcmp(section, "PLUGIN SOURCE");
		if (gemlike && ind == 2 && tl > 8 && !strncmp(t, "remote: ", 8)) {
			remote = sc_arena_strndup(a, t + 8, tl - 8);
			continue;
		}
		/* "name (version)" or "name" */
		size_t nlen = 0; /* the buffer is not NUL-terminated */
		while (nlen < tl && t[nlen] != ' ')
			nlen++;
		const char *paren = memchr(t, '(', tl);
		const char *close = paren ? memchr(paren, ')', (size_t)(le - paren)) : NULL;
		char *name = sc_arena_strndup(a, t, nlen);
		if (gemlike && ind == 4) {
			if (!paren || !close) {
				st = sc_error_set(err, SC_EINPUT, in->path, lineno, 5, "expected `name (version)`");
				goto out;
			}
			char *ver = sc_arena_strndup(a, paren + 1, (size_t)(close - paren - 1));
			char *dash = strchr(ver, '-'); /* platform: 1.13.0-x86_64-linux */
			if (dash)
				*dash = 0;
			struct sc_package pk = {.ecosystem = "RubyGems", .path = in->path, .line = lineno};
			pk.name = name;
			pk.version = ver;
			if (strcmp(section, "GEM")) {
				pk.flags |= SC_PKG_UNPINNED;
				pk.spec = sc_arena_printf(a, "%s %s", section, remote ? remote : "");
			}
			pk.purl = sc_extract_purl(a, "gem", name, ver);
			long have = sc_depgraph_find(&g, name);
			cur = have >= 0 ? have : (long)sc_depgraph_add(&g, name, &pk);
		} else if (gemlike && ind == 6 && cur >= 0) {
			sc_strbuf_printf(&deps, "%ld\t%s\n", cur, name);
		} else if (!strcmp(section, "DEPENDENCIES") && ind == 2) {
			size_t dl = strcspn(name, "!");
			name[dl] = 0;
			sc_ptrvec_push(&direct, name);
		}
	}
	for (const char *q = sc_strbuf_str(&deps); *q;) {
		char *e;
		long from = strtol(q, &e, 10);
		const char *nm = e + 1;
		const char *eol = strchr(nm, '\n');
		char *n = sc_xstrndup(nm, (size_t)(eol - nm));
		long to = sc_depgraph_find(&g, n);
		free(n);
		if (to >= 0)
			sc_depgraph_edge(&g, (size_t)from, (size_t)to);
		q = eol + 1;
	}
	for (size_t i = 0; i < direct.len; i++) {
		long j = sc_depgraph_find(&g, direct.items[i]);
		if (j >= 0)
			sc_depgraph_root(&g, (size_t)j, false);
	}
	sc_depgraph_emit(&g, inv);
out:
	sc_strbuf_free(&deps);
	sc_ptrvec_free(&direct);
	sc_depgraph_free(&g);
	return st;
}

const struct sc_extractor sc_extractor_gemfile_lock = {
	.targets = SC_EXTRACT_REPO,
	.name = "gemfile-lock",
	.version = 1,
	.wants = wants,
	.extract = extract,
};
