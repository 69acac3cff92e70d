/* composer_lock.c - extractor for PHP Composer's composer.lock: `packages` (production) and
 * `packages-dev`, with `require` edges; branch versions (dev-*) and path/VCS-only packages cannot be
 * checked. Direct dependencies come from composer.json beside it, else from the graph. */
#include "extract.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

static bool wants(const char *path, uint64_t size, uint32_t mode)
{
	(void)size;
	(void)mode;
	return sc_extract_base_is(path, "composer.lock") && !sc_extract_vendored(path);
}

static json_t *read_manifest(const struct sc_extract_input *in)
{
	if (!in->fs)
		return NULL;
	char *dir = sc_path_dir(in->path);
	char *path = *dir ? sc_path_join(dir, "composer.json") : sc_xstrdup("composer.json");
	json_t *doc = NULL;
	char *data = NULL;
	size_t len = 0;
	struct sc_error err = {0};
	if (sc_fs_find(in->fs, path) && sc_fs_read(in->fs, path, 4u << 20, &data, &len, &err) == SC_OK)
		doc = json_loadb(data, len, 0, NULL);
	sc_error_clear(&err);
	free(data);
	free(path);
	free(dir);
	return doc;
}

static char *lower(const char *s)
{
	char *o = sc_xstrdup(s);
	for (char *p = o; *p; p++)
		if (*p >= 'A' && *p <= 'Z')
			*p = (char)(*p - 'A' + 'a');
	return o;
}

static enum sc_status extract(const struct sc_extract_input *in, struct sc_inventory *inv,
			      struct sc_error *err)
{
	enum sc_status st = SC_OK;
	struct sc_arena *a = inv->arena;
	struct sc_depgraph g;
	struct sc_linemap lm;
	json_t *manifest = NULL;
	json_error_t je;
	sc_depgraph_init(&g);
	g.keep_dev = true;
	sc_linemap_init(&lm, (const char *)in->data, in->len);
	json_t *doc = json_loadb((const char *)in->data, in->len, JSON_REJECT_DUPLICATES, &je);
	if (!doc) {
		st = sc_error_set(err, SC_EINPUT, in->path, (unsigned)(je.line > 0 ? je.line : 0),
				  (unsigned)(je.column > 0 ? je.column : 0), "invalid JSON: %s", je.text);
		goto out;
	}
	if (!json_is_object(doc)) {
		st = sc_error_set(err, SC_EINPUT, in->path, 1, 1, "not a JSON object");
		goto out;
	}
	static const char *const lists[] = {"packages", "packages-dev"};
	struct sc_ptrvec objs = {0};
	for (int l = 0; l < 2; l++) {
		const json_t *arr = json_object_get(doc, lists[l]);
		if (!arr || json_is_null(arr))
			continue;
		if (!json_is_array(arr)) {
			st = sc_error_set(err, SC_EINPUT, in->path, sc_linemap_find_key(&lm, lists[l], false), 0,
					  "\"%s\" is not an array", lists[l]);
			sc_ptrvec_free(&objs);
			goto out;
		}
		size_t i;
		const json_t *o;
		json_array_foreach(arr, i, o) {
			const json_t *jn = json_object_get(o, "name"), *jv = json_object_get(o, "version");
			if (!json_is_string(jn)) {
				st = sc_error_set(err, SC_EINPUT, in->path, lm.line, 0,
						  "%s[%zu] has no name", lists[l], i);
				sc_ptrvec_free(&objs);
				goto out;
			}
			const char *name = json_string_value(jn);
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
			const char *ver = json_is_string(jv) ? json_string_value(jv) : NULL;
			if (!ver || !strncmp(ver, "dev-", 4) || strstr(ver, "-dev")) {
				p.flags |= SC_PKG_UNPINNED;
				p.spec = ver;
				const json_t *src = json_object_get(o, "source");
				const char *ref = json_string_value(json_object_get(src, "reference"));
				if (ver && ref)
					p.spec = sc_arena_printf(a, "%s#%s", ver, ref);
			} else {
				p.version = ver;
			}
			const char *dtype = json_string_value(json_object_get(json_object_get(o, "dist"), "type"));
			if (dtype && !strcmp(dtype, "path")) {
				const char *url = json_string_value(json_object_get(json_object_get(o, "dist"), "url"));
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
		const char *dn;
		const json_t *v;
		json_object_foreach(json_object_get(objs.items[i], "require"), dn, v) {
			char *key = lower(dn);
			long j = sc_depgraph_find(&g, key);
			free(key);
			if (j >= 0)
				sc_depgraph_edge(&g, i, (size_t)j);
		}
	}
	sc_ptrvec_free(&objs);
	manifest = read_manifest(in);
	if (json_is_object(manifest)) {
		static const char *const req[] = {"require", "require-dev"};
		for (int r = 0; r < 2; r++) {
			const char *dn;
			const json_t *v;
			json_object_foreach(json_object_get(manifest, req[r]), dn, v) {
				char *key = lower(dn);
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
	json_decref(manifest);
	json_decref(doc);
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
