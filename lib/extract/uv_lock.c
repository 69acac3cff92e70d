/* uv_lock.c - extractor for uv's uv.lock (TOML: [[package]] with name, version, source = {registry
 * | git | url | path | directory | editable | virtual}, dependencies = [{name}], dev-dependencies
 * groups). The project and workspace members (editable/virtual sources) are roots. */
#include "pylock.h"
#include "toml.h"

#include <stdlib.h>
#include <string.h>

static bool wants(const char *path, uint64_t size, uint32_t mode)
{
	(void)size;
	(void)mode;
	return sc_extract_base_is(path, "uv.lock") && !sc_extract_vendored(path);
}

static void dep_edges(struct sc_depgraph *g, struct sc_arena *a, size_t from, const struct sc_tnode *arr,
		      int root_mode /* 0 edge, 1 prod root, 2 dev root */)
{
	for (size_t k = 0; k < sc_tnode_len(arr); k++) {
		const struct sc_tnode *d = sc_tarr_at(arr, k);
		const char *dn = sc_ttab_str(d, "name");
		if (!dn)
			continue;
		const char *dv = sc_ttab_str(d, "version");
		const char *norm = sc_extract_pep503(a, dn);
		long j = -1;
		if (dv) {
			char *key = sc_xasprintf("%s@%s", norm, dv);
			j = sc_depgraph_find(g, key);
			free(key);
		}
		if (j < 0)
			j = sc_depgraph_find(g, norm);
		if (j < 0)
			continue;
		if (root_mode)
			sc_depgraph_root(g, (size_t)j, root_mode == 2);
		else
			sc_depgraph_edge(g, from, (size_t)j);
	}
}

static enum sc_status extract(const struct sc_extract_input *in, struct sc_inventory *inv,
			      struct sc_error *err)
{
	struct sc_toml *t = NULL;
	struct sc_depgraph g;
	struct sc_arena *a = inv->arena;
	sc_depgraph_init(&g);
	enum sc_status st = sc_toml_parse(in->path, (const char *)in->data, in->len, &t, err);
	if (st != SC_OK)
		goto out;
	const struct sc_tnode *root = sc_toml_root(t);
	const char *ver = sc_ttab_str(root, "version");
	if (ver && strcmp(ver, "1")) {
		st = sc_error_set(err, SC_EINPUT, in->path, sc_tnode_line(sc_ttab_get(root, "version")), 0,
				  "unsupported uv.lock version %s (expected 1)", ver);
		goto out;
	}
	const struct sc_tnode *pkgs;
	if ((st = sc_toml_lock_packages(root, in->path, &pkgs, err)) != SC_OK)
		goto out;
	for (size_t i = 0; i < sc_tnode_len(pkgs); i++) {
		const struct sc_tnode *p;
		if ((st = sc_toml_lock_package(pkgs, i, in->path, false, &p, err)) != SC_OK)
			goto out;
		const char *name = sc_ttab_str(p, "name"), *version = sc_ttab_str(p, "version");
		struct sc_package pk = {.ecosystem = "PyPI", .path = in->path, .line = sc_tnode_line(p)};
		pk.name = name;
		pk.version = version;
		const struct sc_tnode *src = sc_ttab_get(p, "source");
		if (sc_ttab_get(src, "editable") || sc_ttab_get(src, "virtual")) {
			pk.flags |= SC_PKG_ROOT;
		} else if (!sc_ttab_get(src, "registry") || !version) {
			pk.flags |= SC_PKG_UNPINNED;
			const char *how = sc_tnode_len(src) ? sc_ttab_key(src, 0) : "source";
			const char *where = sc_tnode_len(src) ? sc_tnode_str(sc_ttab_value(src, 0)) : NULL;
			pk.spec = sc_arena_printf(a, "%s %s", how, where ? where : "");
		}
		const char *norm = sc_extract_pep503(a, name);
		pk.purl = sc_extract_purl(a, "pypi", norm, version);
		size_t idx = sc_depgraph_add(&g, norm, &pk);
		char *key = sc_xasprintf("%s@%s", norm, version ? version : "");
		if (sc_depgraph_find(&g, key) < 0) {
			char *k = sc_xstrdup(key);
			sc_map_put(g.by_key, k, (void *)(uintptr_t)(idx + 1));
		}
		free(key);
	}
	for (size_t i = 0; i < sc_tnode_len(pkgs); i++) {
		const struct sc_tnode *p = sc_tarr_at(pkgs, i);
		bool is_root = (g.nodes[i].pkg.flags & SC_PKG_ROOT) != 0;
		dep_edges(&g, a, i, sc_ttab_get(p, "dependencies"), is_root ? 1 : 0);
		const struct sc_tnode *opt = sc_ttab_get(p, "optional-dependencies");
		for (size_t k = 0; k < sc_tnode_len(opt); k++)
			dep_edges(&g, a, i, sc_ttab_value(opt, k), is_root ? 1 : 0);
		const struct sc_tnode *dev = sc_ttab_get(p, "dev-dependencies");
		for (size_t k = 0; k < sc_tnode_len(dev); k++)
			dep_edges(&g, a, i, sc_ttab_value(dev, k), is_root ? 2 : 0);
	}
	if (!g.have_roots)
		sc_pylock_roots_from_pyproject(in, &g, a);
	sc_depgraph_emit(&g, inv);
out:
	sc_depgraph_free(&g);
	sc_toml_free(t);
	return st;
}

const struct sc_extractor sc_extractor_uv_lock = {
	.targets = SC_EXTRACT_REPO,
	.name = "uv-lock",
	.version = 1,
	.wants = wants,
	.extract = extract,
};
