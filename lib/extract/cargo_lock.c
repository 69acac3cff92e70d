/* cargo_lock.c - extractor for Rust's Cargo.lock (TOML: [[package]] name, version, source,
 * dependencies = ["name", "name version", "name version (source)"]). Packages without a source
 * are the workspace's own crates (roots); git sources cannot be checked. Cargo.lock does not say
 * which dependencies are dev-only. */
#include "extract.h"
#include "toml.h"

#include <stdlib.h>
#include <string.h>

static bool wants(const char *path, uint64_t size, uint32_t mode)
{
	(void)size;
	(void)mode;
	return sc_extract_base_is(path, "Cargo.lock") && !sc_extract_vendored(path);
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
	const struct sc_tnode *pkgs;
	if ((st = sc_toml_lock_packages(sc_toml_root(t), in->path, &pkgs, err)) != SC_OK)
		goto out;
	for (size_t i = 0; i < sc_tnode_len(pkgs); i++) {
		const struct sc_tnode *p;
		if ((st = sc_toml_lock_package(pkgs, i, in->path, true, &p, err)) != SC_OK)
			goto out;
		const char *name = sc_ttab_str(p, "name"), *version = sc_ttab_str(p, "version");
		struct sc_package pk = {.ecosystem = "crates.io", .path = in->path, .line = sc_tnode_line(p)};
		pk.name = name;
		pk.version = version;
		const char *src = sc_ttab_str(p, "source");
		if (!src) {
			pk.flags |= SC_PKG_ROOT;
		} else if (strncmp(src, "registry+", 9) && strncmp(src, "sparse+", 7)) {
			pk.flags |= SC_PKG_UNPINNED;
			pk.spec = src;
		}
		pk.purl = sc_extract_purl(a, "cargo", name, version);
		size_t idx = sc_depgraph_add(&g, name, &pk);
		char *key = sc_xasprintf("%s %s", name, version);
		if (sc_depgraph_find(&g, key) < 0) {
			char *k = sc_xstrdup(key);
			sc_map_put(g.by_key, k, (void *)(uintptr_t)(idx + 1));
		}
		free(key);
	}
	for (size_t i = 0; i < sc_tnode_len(pkgs); i++) {
		const struct sc_tnode *deps = sc_ttab_get(sc_tarr_at(pkgs, i), "dependencies");
		bool is_root = (g.nodes[i].pkg.flags & SC_PKG_ROOT) != 0;
		if (is_root)
			sc_depgraph_root(&g, i, false);
		for (size_t k = 0; k < sc_tnode_len(deps); k++) {
			const char *d = sc_tnode_str(sc_tarr_at(deps, k));
			if (!d)
				continue;
			/* "name", "name version" or "name version (source)" */
			size_t n = strcspn(d, " (");
			char *key = sc_xstrndup(d, n);
			const char *rest = d + n;
			if (*rest == ' ') {
				size_t vl = strcspn(rest + 1, " (");
				free(key);
				key = sc_xasprintf("%.*s %.*s", (int)n, d, (int)vl, rest + 1);
			}
			long j = sc_depgraph_find(&g, key);
			free(key);
			if (j >= 0)
				sc_depgraph_edge(&g, i, (size_t)j);
		}
	}
	sc_depgraph_emit(&g, inv);
out:
	sc_depgraph_free(&g);
	sc_toml_free(t);
	return st;
}

const struct sc_extractor sc_extractor_cargo_lock = {
	.targets = SC_EXTRACT_REPO,
	.name = "cargo-lock",
	.version = 1,
	.wants = wants,
	.extract = extract,
};
