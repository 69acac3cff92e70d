/* composer_lock.c - extractor for PHP Composer's composer.lock: `packages` (production) and
 * `packages-dev`, with `require` edges; branch versions (dev-*) and path/VCS-only packages cannot be
 * checked. Direct dependencies come from composer.json beside it, else from the graph. */
#include "extract.h"
#include "jsondoc.h"

#include <stdlib.h>
#include <string.h>

static bool wants(const char *path, uint64_t size, uint32_t mode)
{
	(void)size;
	(void)mode;
	return sc_extract_base_is(path, "composer.lock") && !sc_extract_vendored(path);
}

/* composer.json beside the lockfile, parsed into m; false when there is none or it is not JSON. */
static bool read_manifest(const struct sc_extract_input *in, struct sc_jdoc *m)
{
	memset(m, 0, sizeof(*m));
	if (!in->fs)
		return false;
	char *dir = sc_path_dir(in->path);
	char *path = sc_path_join(dir, "composer.json");
	bool ok = false;
	char *data = NULL;
	size_t len = 0;
	struct sc_error err = {0};
	if (sc_fs_find(in->fs, path) && sc_fs_read(in->fs, path, 4u << 20, &data, &len, &err) == SC_OK)
		ok = sc_jdoc_parse(m, path, data, len, &err) == SC_OK;
	sc_error_clear(&err);
	free(data);
	free(path);
	free(dir);
	return ok;
}

static char *lower(const char *s)
{
	char *o = sc_xstrdup(s);
	for (char *p = o; *p; p++)
		if (*p >= 'A' && *p <= 'Z')
			*p = (char)(*p - 'A' + 'a');
	return o;
}

/* The lockfile goes through jsondoc, not jansson's DOM: a 22 MB composer.lock took 4 s to load and
 * free (one malloc per value). */
static enum sc_status extract(const struct sc_extract_input *in, struct sc_inventory *inv,
			      struct sc_error *err)
{
	struct sc_arena *a = inv->arena;
	struct sc_depgraph g;
	struct sc_linemap lm;
	struct sc_jdoc d, m = {0};
	struct sc_ptrvec objs = {0};
	sc_depgraph_init(&g);
	g.keep_dev = true;
	sc_linemap_init(&lm, (const char *)in->data, in->len);
	enum sc_status st = sc_jdoc_parse(&d, in->path, (const char *)in->data, in->len, err);
	if (st != SC_OK)
		goto out;
	const struct sc_jval *doc = sc_jdoc_root(&d);
	if (!sc_jdoc_is(doc, SC_J_OBJECT)) {
		st = sc_error_set(err, SC_EINPUT, in->path, 1, 1, "not a JSON object");
		goto out;
	}
	static const char *const lists[] = {"packages", "packages-dev"};
	for (int l = 0; l < 2; l++) {
		const struct sc_jval *arr = sc_jdoc_get(&d, doc, lists[l]);
		if (!arr || sc_jdoc_is(arr, SC_J_NULL))
			continue;
		if (!sc_jdoc_is(arr, SC_J_ARRAY)) {
			st = sc_error_set(err, SC_EINPUT, in->path, sc_linemap_find_key(&lm, lists[l], false), 0,
					  "\"%s\" is not an array", lists[l]);
			goto out;
		}
		size_t i = 0;
		for (const struct sc_jval *o = sc_jdoc_first(&d, arr); o; o = sc_jdoc_next(&d, arr, o), i++) {
			const char *name = sc_jdoc_str(&d, o, "name");
			if (!name) {
				st = sc_error_set(err, SC_EINPUT, in->path, lm.line, 0, "%s[%zu] has no name", lists[l], i);
				goto out;
			}
			/* the package's "name" key is the first one after the previous package */
			unsigned line = 0;
			const char *needle = name;
			for (;;) {
				size_t before = lm.off;
				unsigned ln = sc_linemap_find_key(&lm, "name", false);
				if (!ln)
					break;
				const char *q = lm.data + lm.off;
				const char *vq = memchr(q, '"', (size_t)(lm.data + lm.len - q));
				vq = vq ? memchr(vq + 1, '"', (size_t)(lm.data + lm.len - vq - 1)) : NULL;
				if (vq && !strncmp(vq + 1, needle, strlen(needle)) && vq[1 + strlen(needle)] == '"') {
					line = ln;
					break;
				}
				if (lm.off == before)
					break;
			}
			struct sc_package p = {.ecosystem = "Packagist", .path = in->path, .line = line};
			p.name = name;
			const char *ver = sc_jdoc_str(&d, o, "version");
			if (!ver || !strncmp(ver, "dev-", 4) || strstr(ver, "-dev")) {
				p.flags |= SC_PKG_UNPINNED;
				p.spec = ver;
				const char *ref = sc_jdoc_str(&d, sc_jdoc_get(&d, o, "source"), "reference");
				if (ver && ref)
					p.spec = sc_arena_printf(a, "%s#%s", ver, ref);
			} else {
				p.version = ver;
			}
			const struct sc_jval *dist = sc_jdoc_get(&d, o, "dist");
			const char *dtype = sc_jdoc_str(&d, dist, "type");
			if (dtype && !strcmp(dtype, "path")) {
				const char *url = sc_jdoc_str(&d, dist, "url");
				p.flags |= SC_PKG_UNPINNED;
				p.spec = sc_arena_printf(a, "path:%s", url ? url : "");
			}
			if (l == 1)
				p.flags |= SC_PKG_DEV;
			p.purl = sc_extract_purl(a, "composer", name, p.version);
			char *key = lower(name);
			sc_depgraph_add(&g, key, &p);
			free(key);
			sc_ptrvec_push(&objs, (void *)o);
		}
	}
	for (size_t i = 0; i < objs.len; i++) {
		SC_JDOC_FOREACH_MEMBER(&d, sc_jdoc_get(&d, objs.items[i], "require"), dn, v) {
			(void)v;
			char *key = lower(dn->u.s);
			long j = sc_depgraph_find(&g, key);
			free(key);
			if (j >= 0)
				sc_depgraph_edge(&g, i, (size_t)j);
		}
	}
	if (read_manifest(in, &m) && sc_jdoc_is(sc_jdoc_root(&m), SC_J_OBJECT)) {
		static const char *const req[] = {"require", "require-dev"};
		for (int r = 0; r < 2; r++) {
			SC_JDOC_FOREACH_MEMBER(&m, sc_jdoc_get(&m, sc_jdoc_root(&m), req[r]), dn, v) {
				(void)v;
				char *key = lower(dn->u.s);
				long j = sc_depgraph_find(&g, key);
				free(key);
				if (j >= 0)
					sc_depgraph_root(&g, (size_t)j, r == 1);
			}
		}
	} else {
		bool *required = sc_xcalloc(g.n ? g.n : 1, sizeof(bool));
		for (size_t i = 0; i < g.n; i++)
			for (size_t k = 0; k < g.nodes[i].ndeps; k++)
				required[g.nodes[i].deps[k]] = true;
		for (size_t i = 0; i < g.n; i++)
			if (!required[i])
				sc_depgraph_root(&g, i, (g.nodes[i].pkg.flags & SC_PKG_DEV) != 0);
		free(required);
	}
	sc_depgraph_emit(&g, inv);
out:
	sc_ptrvec_free(&objs);
	sc_jdoc_free(&m);
	sc_jdoc_free(&d);
	sc_depgraph_free(&g);
	return st;
}

const struct sc_extractor sc_extractor_composer_lock = {
	.targets = SC_EXTRACT_REPO,
	.name = "composer-lock",
	.version = 1,
	.wants = wants,
	.extract = extract,
};
