/* pnpm_lock.c - extractor for pnpm-lock.yaml, lockfileVersion 5.x (/name/1.0.0_peer keys), 6.x
 * (/name@1.0.0(peer)) and 9.x (name@1.0.0 + snapshots): importers (workspaces), aliases, dev and
 * optional flags, direct/dev/parent from the importers and the package graph. */
#include "extract.h"
#include "shipcheck/sc_yaml.h"

#include <stdlib.h>
#include <string.h>

static bool wants(const char *path, uint64_t size, uint32_t mode)
{
	(void)size;
	(void)mode;
	return sc_extract_base_is(path, "pnpm-lock.yaml") && !sc_extract_vendored(path);
}

struct pn {
	const struct sc_extract_input *in;
	struct sc_inventory *inv;
	struct sc_yaml *y;
	struct sc_depgraph g;
	int major; /* 5, 6 or 9 */
};

/* Splits a package key or reference into name and version (arena strings). */
static bool parse_key(struct pn *s, const char *key, const char **name, const char **version)
{
	struct sc_arena *a = s->inv->arena;
	if (*key == '/')
		key++;
	size_t n = strcspn(key, "(");
	if (s->major == 5) {
		const char *sl = NULL;
		for (size_t i = 0; i < n; i++)
			if (key[i] == '/')
				sl = key + i;
		if (!sl || sl == key)
			return false;
		*name = sc_arena_strndup(a, key, (size_t)(sl - key));
		size_t vl = strcspn(sl + 1, "_");
		*version = sc_arena_strndup(a, sl + 1, vl);
		return **version != 0;
	}
	const char *at = NULL;
	for (size_t i = 1; i < n; i++)
		if (key[i] == '@')
			at = key + i;
	if (!at)
		return false;
	*name = sc_arena_strndup(a, key, (size_t)(at - key));
	*version = sc_arena_strndup(a, at + 1, n - (size_t)(at - key) - 1);
	return **version != 0;
}

/* "name@version" of a dependency reference, or NULL (link:, unparsable). malloc'd. */
/* "name@version" (version cut to vn bytes), malloc'd: once per dependency edge, so no printf. */
static char *at_join(const char *name, const char *version, size_t vn)
{
	size_t nn = strlen(name);
	char *out = sc_xmalloc(nn + 1 + vn + 1);
	memcpy(out, name, nn);
	out[nn] = '@';
	memcpy(out + nn + 1, version, vn);
	out[nn + 1 + vn] = '\0';
	return out;
}

static char *ref_canon(struct pn *s, const char *depname, const char *ref)
{
	const char *name, *version;
	if (!*ref || !strncmp(ref, "link:", 5) || !strncmp(ref, "file:", 5))
		return NULL;
	bool full = ref[0] == '/' || (s->major >= 9 && strchr(ref + 1, '@') && !(ref[0] >= '0' && ref[0] <= '9'));
	if (full) {
		if (!parse_key(s, ref, &name, &version))
			return NULL;
		return at_join(name, version, strlen(version));
	}
	size_t n = strcspn(ref, s->major == 5 ? "_(" : "(");
	return at_join(depname, ref, n);
}

static const char *ref_of(struct pn *s, const struct sc_ynode *v)
{
	if (sc_ynode_type(v) == SC_Y_MAP) /* v6+: {specifier, version} */
		return sc_ymap_str(s->y, v, "version");
	return sc_ynode_str(v, NULL);
}

static void edges(struct pn *s, size_t from, const struct sc_ynode *deps)
{
	if (sc_ynode_type(deps) != SC_Y_MAP)
		return;
	for (size_t i = 0; i < sc_ynode_len(s->y, deps); i++) {
		const char *dn = sc_ynode_str(sc_ymap_key(s->y, deps, i), NULL);
		const char *ref = ref_of(s, sc_ymap_value(s->y, deps, i));
		if (!dn || !ref)
			continue;
		char *c = ref_canon(s, dn, ref);
		long j = c ? sc_depgraph_find(&s->g, c) : -1;
		if (j >= 0)
			sc_depgraph_edge(&s->g, from, (size_t)j);
		free(c);
	}
}

static void importer_roots(struct pn *s, const struct sc_ynode *imp)
{
	static const char *const fields[] = {"dependencies", "optionalDependencies", "devDependencies", NULL};
	for (size_t f = 0; fields[f]; f++) {
		const struct sc_ynode *deps = sc_ymap_get(s->y, imp, fields[f]);
		if (sc_ynode_type(deps) != SC_Y_MAP)
			continue;
		for (size_t i = 0; i < sc_ynode_len(s->y, deps); i++) {
			const char *dn = sc_ynode_str(sc_ymap_key(s->y, deps, i), NULL);
			const char *ref = ref_of(s, sc_ymap_value(s->y, deps, i));
			if (!dn || !ref)
				continue;
			char *c = ref_canon(s, dn, ref);
			long j = c ? sc_depgraph_find(&s->g, c) : -1;
			if (j >= 0)
				sc_depgraph_root(&s->g, (size_t)j, f == 2);
			free(c);
		}
	}
}

static enum sc_status packages(struct pn *s, const struct sc_ynode *pk, struct sc_error *err)
{
	struct sc_arena *a = s->inv->arena;
	for (size_t i = 0; i < sc_ynode_len(s->y, pk); i++) {
		const struct sc_ynode *kn = sc_ymap_key(s->y, pk, i), *v = sc_ymap_value(s->y, pk, i);
		const char *key = sc_ynode_str(kn, NULL);
		unsigned line, col;
		sc_ynode_pos(kn, &line, &col);
		const char *name, *version;
		if (!key || !parse_key(s, key, &name, &version))
			return sc_error_set(err, SC_EINPUT, s->in->path, line, col,
					    "package key `%s` is not name@version", key ? key : "?");
		if (sc_ynode_type(v) != SC_Y_MAP)
			return sc_error_set(err, SC_EINPUT, s->in->path, line, col,
					    "package `%s` is not a mapping", key);
		char *canon = at_join(name, version, strlen(version));
		long have = sc_depgraph_find(&s->g, canon);
		if (have < 0) {
			struct sc_package p = {.ecosystem = "npm", .path = s->in->path, .line = line};
			const char *real = sc_ymap_str(s->y, v, "name"); /* v5/v6 non-registry entries */
			p.name = real ? real : name;
			p.version = version;
			const struct sc_ynode *res = sc_ymap_get(s->y, v, "resolution");
			bool registry = res && sc_ymap_get(s->y, res, "integrity") &&
					!sc_ymap_get(s->y, res, "tarball");
			if (!registry || strchr(version, ':') || strchr(version, '/')) {
				p.flags |= SC_PKG_UNPINNED;
				p.spec = key;
				const char *rv = sc_ymap_str(s->y, v, "version");
				p.version = rv ? rv : (strchr(version, ':') ? NULL : version);
			}
			const char *dev = sc_ymap_str(s->y, v, "dev");
			if (dev && !strcmp(dev, "true"))
				p.flags |= SC_PKG_DEV;
			if (dev)
				s->g.keep_dev = true;
			const char *opt = sc_ymap_str(s->y, v, "optional");
			if (opt && !strcmp(opt, "true"))
				p.flags |= SC_PKG_OPTIONAL;
			p.purl = sc_extract_purl(a, "npm", p.name, p.version);
			have = (long)sc_depgraph_add(&s->g, canon, &p);
		}
		free(canon);
		if (sc_depgraph_find(&s->g, key) < 0) {
			char *k = sc_xstrdup(key);
			sc_map_put(s->g.by_key, k, (void *)(uintptr_t)(have + 1));
		}
	}
	return SC_OK;
}

static void graph(struct pn *s, const struct sc_ynode *pk)
{
	for (size_t i = 0; i < sc_ynode_len(s->y, pk); i++) {
		const char *key = sc_ynode_str(sc_ymap_key(s->y, pk, i), NULL);
		const struct sc_ynode *v = sc_ymap_value(s->y, pk, i);
		const char *name, *version;
		if (!key || !parse_key(s, key, &name, &version))
			continue;
		char *canon = at_join(name, version, strlen(version));
		long from = sc_depgraph_find(&s->g, canon);
		free(canon);
		if (from < 0 || sc_ynode_type(v) != SC_Y_MAP)
			continue;
		edges(s, (size_t)from, sc_ymap_get(s->y, v, "dependencies"));
		edges(s, (size_t)from, sc_ymap_get(s->y, v, "optionalDependencies"));
	}
}

static enum sc_status extract(const struct sc_extract_input *in, struct sc_inventory *inv,
			      struct sc_error *err)
{
	struct pn s = {.in = in, .inv = inv};
	sc_depgraph_init(&s.g);
	enum sc_status st = sc_yaml_parse(in->path, (const char *)in->data, in->len, in->len + 1, &s.y, err);
	if (st != SC_OK)
		goto out;
	const struct sc_ynode *root = sc_yaml_root(s.y);
	if (!root)
		goto out;
	if (sc_ynode_type(root) != SC_Y_MAP) {
		st = sc_error_set(err, SC_EINPUT, in->path, 1, 1, "not a mapping");
		goto out;
	}
	const struct sc_ynode *vn = sc_ymap_get(s.y, root, "lockfileVersion");
	const char *vs = sc_ynode_str(vn, NULL);
	s.major = vs ? (int)strtol(vs, NULL, 10) : 0;
	if (s.major == 7 || s.major == 8)
		s.major = 9;
	if (s.major != 5 && s.major != 6 && s.major != 9) {
		unsigned line = 1, col = 1;
		if (vn)
			sc_ynode_pos(vn, &line, &col);
		st = sc_error_set(err, SC_EINPUT, in->path, line, col,
				  "unsupported lockfileVersion `%s` (expected 5.x, 6.x or 9.x)", vs ? vs : "");
		goto out;
	}
	const struct sc_ynode *pk = sc_ymap_get(s.y, root, "packages");
	if (pk && sc_ynode_type(pk) != SC_Y_MAP) {
		unsigned line, col;
		sc_ynode_pos(pk, &line, &col);
		st = sc_error_set(err, SC_EINPUT, in->path, line, col, "`packages` is not a mapping");
		goto out;
	}
	if (pk && (st = packages(&s, pk, err)) != SC_OK)
		goto out;
	const struct sc_ynode *snap = sc_ymap_get(s.y, root, "snapshots");
	if (snap && sc_ynode_type(snap) == SC_Y_MAP) {
		/* v9: snapshot keys carry peer suffixes; map them to their package */
		for (size_t i = 0; i < sc_ynode_len(s.y, snap); i++) {
			const char *key = sc_ynode_str(sc_ymap_key(s.y, snap, i), NULL);
			const char *name, *version;
			if (!key || !parse_key(&s, key, &name, &version))
				continue;
			char *canon = at_join(name, version, strlen(version));
			long j = sc_depgraph_find(&s.g, canon);
			if (j >= 0 && sc_depgraph_find(&s.g, key) < 0) {
				char *k = sc_xstrdup(key);
				sc_map_put(s.g.by_key, k, (void *)(uintptr_t)(j + 1));
			}
			free(canon);
		}
		graph(&s, snap);
	} else if (pk) {
		graph(&s, pk);
	}
	const struct sc_ynode *imps = sc_ymap_get(s.y, root, "importers");
	if (sc_ynode_type(imps) == SC_Y_MAP) {
		for (size_t i = 0; i < sc_ynode_len(s.y, imps); i++) {
			const struct sc_ynode *imp = sc_ymap_value(s.y, imps, i);
			if (sc_ynode_type(imp) == SC_Y_MAP)
				importer_roots(&s, imp);
		}
	} else {
		importer_roots(&s, root);
	}
	sc_depgraph_emit(&s.g, inv);
out:
	sc_yaml_free(s.y);
	sc_depgraph_free(&s.g);
	return st;
}

const struct sc_extractor sc_extractor_pnpm_lock = {
	.targets = SC_EXTRACT_REPO,
	.name = "pnpm-lock",
	.version = 1,
	.wants = wants,
	.extract = extract,
};
