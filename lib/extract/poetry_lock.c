/* poetry_lock.c - extractor for Poetry's poetry.lock (TOML: [[package]] with name, version,
 * category, [package.dependencies], [package.source] for git/url/path packages). Direct and dev
 * come from pyproject.toml beside it, else from `category` and the dependency graph. */
#include "pylock.h"
#include "toml.h"

#include <stdlib.h>
#include <string.h>

static bool wants(const char *path, uint64_t size, uint32_t mode)
{
	(void)size;
	(void)mode;
	return sc_extract_base_is(path, "poetry.lock") && !sc_extract_vendored(path);
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
		const char *cat = sc_ttab_str(p, "category");
		if (cat) {
			g.keep_dev = true;
			if (!strcmp(cat, "dev"))
				pk.flags |= SC_PKG_DEV;
		}
		const char *opt = sc_ttab_str(p, "optional");
		if (opt && !strcmp(opt, "true"))
			pk.flags |= SC_PKG_OPTIONAL;
		const struct sc_tnode *src = sc_ttab_get(p, "source");
		const char *stype = sc_ttab_str(src, "type");
		if (!version || (stype && strcmp(stype, "legacy"))) { /* git, url, file, directory */
			pk.flags |= SC_PKG_UNPINNED;
			pk.spec = sc_arena_printf(a, "%s %s", stype ? stype : "no version",
						  sc_ttab_str(src, "url") ? sc_ttab_str(src, "url") : "");
		}
		const char *norm = sc_extract_pep503(a, name);
		pk.purl = sc_extract_purl(a, "pypi", norm, version);
		sc_depgraph_add(&g, norm, &pk);
	}
	for (size_t i = 0; i < sc_tnode_len(pkgs); i++) {
		const struct sc_tnode *deps = sc_ttab_get(sc_tarr_at(pkgs, i), "dependencies");
		for (size_t k = 0; k < sc_tnode_len(deps); k++) {
			const char *dn = sc_ttab_key(deps, k);
			long j = dn ? sc_depgraph_find(&g, sc_extract_pep503(a, dn)) : -1;
			if (j >= 0)
				sc_depgraph_edge(&g, i, (size_t)j);
		}
	}
	if (!sc_pylock_roots_from_pyproject(in, &g, a)) {
		/* nothing depends on them: direct */
		bool *req = sc_xcalloc(g.n ? g.n : 1, sizeof(bool));
		for (size_t i = 0; i < g.n; i++)
			for (size_t k = 0; k < g.nodes[i].ndeps; k++)
				req[g.nodes[i].deps[k]] = true;
		for (size_t i = 0; i < g.n; i++)
			if (!req[i])
				sc_depgraph_root(&g, i, (g.nodes[i].pkg.flags & SC_PKG_DEV) != 0);
		free(req);
	}
	sc_depgraph_emit(&g, inv);
out:
	sc_depgraph_free(&g);
	sc_toml_free(t);
	return st;
}

const struct sc_extractor sc_extractor_poetry_lock = {
	.targets = SC_EXTRACT_REPO,
	.name = "poetry-lock",
	.version = 1,
	.wants = wants,
	.extract = extract,
};
