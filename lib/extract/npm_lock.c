/* npm_lock.c - extractor for npm's package-lock.json and npm-shrinkwrap.json, lockfileVersion 1
 * (nested "dependencies"), 2 and 3 (flat "packages"): aliases, bundled, optional, dev, link and
 * workspace entries; direct/dev/parent from the lockfile's own dependency graph. */
#include "extract.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#define MAX_DEPTH 512

struct npm {
	const struct sc_extract_input *in;
	struct sc_inventory *inv;
	struct sc_depgraph g;
	struct sc_linemap lm;
	struct sc_ptrvec objs; /* json_t * of each node, by index (borrowed) */
	struct sc_ptrvec keys; /* char * key of each node (arena) */
};

static bool wants(const char *path, uint64_t size, uint32_t mode)
{
	(void)size;
	(void)mode;
	return (sc_extract_base_is(path, "package-lock.json") ||
		sc_extract_base_is(path, "npm-shrinkwrap.json")) &&
	       !sc_extract_vendored(path);
}

static const char *jstr(const json_t *o, const char *key)
{
	const json_t *v = json_object_get(o, key);
	return json_is_string(v) ? json_string_value(v) : NULL;
}

static bool jtrue(const json_t *o, const char *key)
{
	return json_is_true(json_object_get(o, key));
}

/* A version npm could not have taken from a registry: git, file, link, URL. */
static bool unpinnable(const char *v)
{
	return v && (strchr(v, ':') || strchr(v, '/'));
}

static void set_names(struct npm *s, struct sc_package *p, const char *name, const char *version)
{
	struct sc_arena *a = s->inv->arena;
	p->ecosystem = "npm";
	p->name = sc_arena_strdup(a, name);
	p->path = s->in->path;
	if (version && !strncmp(version, "npm:", 4)) { /* alias: npm:real-name@1.2.3 */
		const char *spec = version + 4;
		const char *at = strrchr(spec, '@');
		if (at && at > spec) {
			p->name = sc_arena_strndup(a, spec, (size_t)(at - spec));
			version = at + 1;
		}
	}
	if (!version || !*version || unpinnable(version)) {
		p->flags |= SC_PKG_UNPINNED;
		p->spec = sc_arena_strdup(a, version);
		p->version = NULL;
	} else {
		p->version = sc_arena_strdup(a, version);
	}
	p->purl = sc_extract_purl(a, "npm", p->name, p->version);
}

static size_t add_node(struct npm *s, const char *key, const json_t *o, struct sc_package *p)
{
	size_t i = sc_depgraph_add(&s->g, key, p);
	sc_ptrvec_push(&s->objs, (void *)o);
	sc_ptrvec_push(&s->keys, sc_arena_strdup(s->inv->arena, key));
	return i;
}

/* Node resolution: key/node_modules/name, then each ancestor's, then the top level. */
static long resolve(struct npm *s, const char *from, const char *name)
{
	size_t n = strlen(from);
	char *buf = sc_xmalloc(n + strlen(name) + 32);
	long hit = -1;
	for (;;) {
		if (n)
			snprintf(buf, n + strlen(name) + 32, "%.*s/node_modules/%s", (int)n, from, name);
		else
			snprintf(buf, strlen(name) + 32, "node_modules/%s", name);
		hit = sc_depgraph_find(&s->g, buf);
		if (hit >= 0 || !n)
			break;
		/* strip the last "node_modules/x" (or a workspace folder) */
		const char *cut = NULL;
		for (size_t k = n; k >= 13; k--)
			if (!strncmp(from + k - 13, "node_modules/", 13)) {
				cut = from + k - 13;
				break;
			}
		n = cut ? (size_t)(cut - from) : 0;
		while (n && from[n - 1] == '/')
			n--;
	}
	free(buf);
	return hit;
}

static void add_edges(struct npm *s, size_t i, const char *field, bool v1)
{
	const json_t *deps = json_object_get(s->objs.items[i], field);
	const char *name;
	const json_t *val;
	json_object_foreach((json_t *)deps, name, val) {
		long j = resolve(s, s->keys.items[i], name);
		if (j >= 0)
			sc_depgraph_edge(&s->g, i, (size_t)j);
	}
	(void)v1;
}

static void root_deps(struct npm *s, const json_t *root, const char *field, bool dev)
{
	const char *name;
	const json_t *val;
	json_object_foreach((json_t *)json_object_get(root, field), name, val) {
		long j = resolve(s, "", name);
		if (j >= 0)
			sc_depgraph_root(&s->g, (size_t)j, dev);
	}
}

/* True when folder matches one of the root's "workspaces" globs. */
static bool in_workspaces(const json_t *pkgs, const char *folder)
{
	const json_t *ws = json_object_get(json_object_get(pkgs, ""), "workspaces");
	if (json_is_object(ws))
		ws = json_object_get(ws, "packages");
	size_t i;
	const json_t *g;
	json_array_foreach(ws, i, g) {
		if (json_is_string(g) && sc_glob_match(json_string_value(g), folder))
			return true;
	}
	return false;
}

static enum sc_status packages_v2(struct npm *s, const json_t *pkgs, struct sc_error *err)
{
	const char *key;
	const json_t *o;
	const json_t *root = NULL;
	struct sc_arena *a = s->inv->arena;
	json_object_foreach((json_t *)pkgs, key, o) {
		unsigned line = sc_linemap_find_key(&s->lm, key, true);
		if (!json_is_object(o))
			return sc_error_set(err, SC_EINPUT, s->in->path, line, 0,
					    "packages[\"%s\"] is not an object", key);
		if (!*key) {
			root = o;
			continue;
		}
		if (jtrue(o, "link"))
			continue; /* second pass */
		const char *nm = strstr(key, "node_modules/") ? NULL : key;
		const char *last = key;
		for (const char *p = key; (p = strstr(p, "node_modules/")); p += 13)
			last = p + 13;
		struct sc_package p = {.line = line};
		if (nm && in_workspaces(pkgs, key)) { /* a workspace folder: the project's own code */
			p.flags |= SC_PKG_ROOT;
			const char *wn = jstr(o, "name");
			set_names(s, &p, wn ? wn : sc_path_base(key), jstr(o, "version"));
			p.flags &= ~(unsigned)SC_PKG_UNPINNED;
		} else if (nm) { /* a path dependency (file:DIR): not from a registry */
			const char *wn = jstr(o, "name");
			set_names(s, &p, wn ? wn : sc_path_base(key), NULL);
			p.spec = sc_arena_printf(a, "file:%s", key);
		} else {
			const char *real = jstr(o, "name");
			set_names(s, &p, real ? real : last, jstr(o, "version"));
			const char *res = jstr(o, "resolved");
			if (res && (!strncmp(res, "git", 3) || !strncmp(res, "file:", 5))) {
				p.flags |= SC_PKG_UNPINNED;
				p.spec = sc_arena_strdup(a, res);
			}
		}
		if (jtrue(o, "dev"))
			p.flags |= SC_PKG_DEV;
		if (jtrue(o, "optional") || jtrue(o, "devOptional"))
			p.flags |= SC_PKG_OPTIONAL;
		add_node(s, key, o, &p);
	}
	/* links: node_modules/x -> a workspace folder */
	json_object_foreach((json_t *)pkgs, key, o) {
		if (!*key || !jtrue(o, "link"))
			continue;
		const char *res = jstr(o, "resolved");
		long t = res ? sc_depgraph_find(&s->g, res) : -1;
		if (t >= 0 && sc_depgraph_find(&s->g, key) < 0) {
			char *k = sc_xstrdup(key);
			sc_map_put(s->g.by_key, k, (void *)(uintptr_t)(t + 1));
		}
	}
	size_t n = s->g.n;
	for (size_t i = 0; i < n; i++) {
		add_edges(s, i, "dependencies", false);
		add_edges(s, i, "optionalDependencies", false);
		add_edges(s, i, "peerDependencies", false);
		if (s->g.nodes[i].pkg.flags & SC_PKG_ROOT) {
			sc_depgraph_root(&s->g, i, false);
			const char *name;
			const json_t *val;
			json_object_foreach(json_object_get(s->objs.items[i], "devDependencies"), name, val) {
				long j = resolve(s, s->keys.items[i], name);
				if (j >= 0)
					sc_depgraph_root(&s->g, (size_t)j, true);
			}
		}
	}
	if (root) {
		root_deps(s, root, "dependencies", false);
		root_deps(s, root, "optionalDependencies", false);
		root_deps(s, root, "peerDependencies", false);
		root_deps(s, root, "devDependencies", true);
	}
	return SC_OK;
}

static enum sc_status deps_v1(struct npm *s, const json_t *deps, const char *prefix, unsigned depth,
			      struct sc_error *err)
{
	if (depth > MAX_DEPTH)
		return sc_error_set(err, SC_ELIMIT, s->in->path, s->lm.line, 0,
				    "dependencies nested deeper than %d levels", MAX_DEPTH);
	const char *name;
	const json_t *o;
	json_object_foreach((json_t *)deps, name, o) {
		unsigned line = sc_linemap_find_key(&s->lm, name, true);
		if (!json_is_object(o))
			return sc_error_set(err, SC_EINPUT, s->in->path, line, 0,
					    "dependencies[\"%s\"] is not an object", name);
		char *key = *prefix ? sc_xasprintf("%s/node_modules/%s", prefix, name)
				    : sc_xasprintf("node_modules/%s", name);
		struct sc_package p = {.line = line};
		set_names(s, &p, name, jstr(o, "version"));
		if (jtrue(o, "dev"))
			p.flags |= SC_PKG_DEV;
		if (jtrue(o, "optional"))
			p.flags |= SC_PKG_OPTIONAL;
		add_node(s, key, o, &p);
		const json_t *sub = json_object_get(o, "dependencies");
		enum sc_status st = SC_OK;
		if (json_is_object(sub))
			st = deps_v1(s, sub, key, depth + 1, err);
		free(key);
		if (st != SC_OK)
			return st;
	}
	return SC_OK;
}

static void roots_v1(struct npm *s)
{
	size_t n = s->g.n;
	for (size_t i = 0; i < n; i++)
		add_edges(s, i, "requires", true);
	bool *required = sc_xcalloc(n ? n : 1, sizeof(bool));
	for (size_t i = 0; i < n; i++)
		for (size_t k = 0; k < s->g.nodes[i].ndeps; k++)
			required[s->g.nodes[i].deps[k]] = true;
	/* v1 does not list the root's dependencies: top-level entries nobody requires are direct */
	for (size_t i = 0; i < n; i++) {
		const char *key = s->keys.items[i];
		if (!required[i] && !strstr(key + 13, "node_modules/"))
			sc_depgraph_root(&s->g, i, (s->g.nodes[i].pkg.flags & SC_PKG_DEV) != 0);
	}
	free(required);
}

static enum sc_status extract(const struct sc_extract_input *in, struct sc_inventory *inv,
			      struct sc_error *err)
{
	enum sc_status st = SC_OK;
	json_error_t je;
	json_t *doc = json_loadb((const char *)in->data, in->len, JSON_REJECT_DUPLICATES, &je);
	struct npm s = {.in = in, .inv = inv};
	sc_depgraph_init(&s.g);
	s.g.keep_dev = true;
	sc_linemap_init(&s.lm, (const char *)in->data, in->len);
	if (!doc) {
		st = sc_error_set(err, SC_EINPUT, in->path, (unsigned)(je.line > 0 ? je.line : 0),
				  (unsigned)(je.column > 0 ? je.column : 0), "invalid JSON: %s", je.text);
		goto out;
	}
	if (!json_is_object(doc)) {
		st = sc_error_set(err, SC_EINPUT, in->path, 1, 1, "not a JSON object");
		goto out;
	}
	const json_t *ver = json_object_get(doc, "lockfileVersion");
	unsigned vline = sc_linemap_find_key(&s.lm, "lockfileVersion", false);
	s.lm.off = 0;
	s.lm.line = 1;
	const json_t *pkgs = json_object_get(doc, "packages");
	const json_t *deps = json_object_get(doc, "dependencies");
	json_int_t v = json_is_integer(ver) ? json_integer_value(ver) : 0;
	if (v < 1 || v > 3) {
		st = sc_error_set(err, SC_EINPUT, in->path, vline, 0,
				  ver ? "unsupported lockfileVersion (expected 1, 2 or 3)"
				      : "no lockfileVersion: not an npm lockfile");
		goto out;
	}
	if (v >= 2 && json_is_object(pkgs)) {
		st = packages_v2(&s, pkgs, err);
	} else if (json_is_object(deps)) {
		st = deps_v1(&s, deps, "", 0, err);
		if (st == SC_OK)
			roots_v1(&s);
	} else if (pkgs || deps) {
		st = sc_error_set(err, SC_EINPUT, in->path, 0, 0, "\"packages\" is not an object");
	}
	if (st == SC_OK)
		sc_depgraph_emit(&s.g, inv);
out:
	sc_depgraph_free(&s.g);
	sc_ptrvec_free(&s.objs);
	sc_ptrvec_free(&s.keys);
	json_decref(doc);
	return st;
}

const struct sc_extractor sc_extractor_npm_lock = {
	.targets = SC_EXTRACT_REPO,
	.name = "npm-lock",
	.version = 1,
	.wants = wants,
	.extract = extract,
};
