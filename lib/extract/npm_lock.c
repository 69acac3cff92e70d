/* npm_lock.c - extractor for npm's package-lock.json and npm-shrinkwrap.json, lockfileVersion 1
 * (nested "dependencies"), 2 and 3 (flat "packages"): aliases, bundled, optional, dev, link and
 * workspace entries; direct/dev/parent from the lockfile's own dependency graph. */
#include "extract.h"
#include "jsondoc.h"

#include <stdlib.h>
#include <string.h>

#define MAX_DEPTH 512

struct npm {
	const struct sc_extract_input *in;
	struct sc_inventory *inv;
	struct sc_depgraph g;
	struct sc_linemap lm;
	struct sc_jdoc doc;
	struct sc_ptrvec objs; /* const struct sc_jval * of each node, by index (borrowed) */
	struct sc_ptrvec keys; /* const char * key of each node (borrowed: doc or inventory arena) */
	struct sc_strbuf path; /* resolve()'s candidate key */
	bool *nested;          /* node i has packages below it (KEY/node_modules/x) */
};

static bool wants(const char *path, uint64_t size, uint32_t mode)
{
	(void)size;
	(void)mode;
	return (sc_extract_base_is(path, "package-lock.json") ||
		sc_extract_base_is(path, "npm-shrinkwrap.json")) &&
	       !sc_extract_vendored(path);
}

static const char *jstr(const struct npm *s, const struct sc_jval *o, const char *key)
{
	return sc_jdoc_str(&s->doc, o, key);
}

static bool jtrue(const struct npm *s, const struct sc_jval *o, const char *key)
{
	return sc_jdoc_true(&s->doc, o, key);
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

static size_t add_node(struct npm *s, const char *key, const struct sc_jval *o, struct sc_package *p)
{
	size_t i = sc_depgraph_add(&s->g, key, p);
	sc_ptrvec_push(&s->objs, (void *)o);
	sc_ptrvec_push(&s->keys, (void *)key); /* lives as long as the document or the arena */
	return i;
}

/* Marks the nodes that have packages nested below them, so resolve() does not look for
 * KEY/node_modules/name under the many that have none. */
static void mark_nested(struct npm *s)
{
	size_t n = s->g.n;
	s->nested = sc_xcalloc(n ? n : 1, sizeof(bool));
	struct sc_strbuf *b = &s->path;
	size_t it = 0;
	const char *key;
	void *val;
	while (sc_map_next(s->g.by_key, &it, &key, &val)) { /* packages and links */
		const char *last = NULL;
		for (const char *p = key; (p = strstr(p, "/node_modules/")); p++)
			last = p;
		if (!last)
			continue;
		sc_strbuf_reset(b);
		sc_strbuf_append(b, key, (size_t)(last - key));
		long j = sc_depgraph_find(&s->g, sc_strbuf_str(b));
		if (j >= 0)
			s->nested[j] = true;
	}
}

/* Node resolution: key/node_modules/name, then each ancestor's, then the top level. self is the
 * node whose key is from (its own level is skipped when nothing is nested below it), or -1. */
static long resolve(struct npm *s, long self, const char *from, const char *name)
{
	size_t n = strlen(from), nl = strlen(name);
	struct sc_strbuf *b = &s->path;
	long hit = -1;
	/* nothing is nested below self: its own level cannot hold name */
	bool skip = self >= 0 && n && s->nested && !s->nested[self];
	for (;; skip = false) {
		if (!skip) {
			sc_strbuf_reset(b);
			if (n) {
				sc_strbuf_append(b, from, n);
				sc_strbuf_append(b, "/", 1);
			}
			sc_strbuf_append(b, "node_modules/", 13);
			sc_strbuf_append(b, name, nl);
			hit = sc_depgraph_find(&s->g, sc_strbuf_str(b));
			if (hit >= 0 || !n)
				break;
		}
		/* strip the last "node_modules/x" (or a workspace folder) */
		const char *cut = NULL;
		for (size_t k = n; k >= 13; k--)
			if (from[k - 13] == 'n' && !memcmp(from + k - 13, "node_modules/", 13)) {
				cut = from + k - 13;
				break;
			}
		n = cut ? (size_t)(cut - from) : 0;
		while (n && from[n - 1] == '/')
			n--;
	}
	return hit;
}

static void add_edges(struct npm *s, size_t i, const char *field)
{
	const struct sc_jval *deps = sc_jdoc_get(&s->doc, s->objs.items[i], field);
	SC_JDOC_FOREACH_MEMBER(&s->doc, deps, name, val) {
		long j = resolve(s, (long)i, s->keys.items[i], name->u.s);
		if (j >= 0)
			sc_depgraph_edge(&s->g, i, (size_t)j);
	}
}

static void root_deps(struct npm *s, const struct sc_jval *root, const char *field, bool dev)
{
	SC_JDOC_FOREACH_MEMBER(&s->doc, sc_jdoc_get(&s->doc, root, field), name, val) {
		long j = resolve(s, -1, "", name->u.s);
		if (j >= 0)
			sc_depgraph_root(&s->g, (size_t)j, dev);
	}
}

/* True when folder matches one of the root's "workspaces" globs. */
static bool in_workspaces(const struct npm *s, const struct sc_jval *pkgs, const char *folder)
{
	const struct sc_jval *ws = sc_jdoc_get(&s->doc, sc_jdoc_get(&s->doc, pkgs, ""), "workspaces");
	if (sc_jdoc_is(ws, SC_J_OBJECT))
		ws = sc_jdoc_get(&s->doc, ws, "packages");
	if (!sc_jdoc_is(ws, SC_J_ARRAY))
		return false;
	for (const struct sc_jval *g = sc_jdoc_first(&s->doc, ws); g; g = sc_jdoc_next(&s->doc, ws, g)) {
		if (g->type == SC_J_STRING && sc_glob_match(g->u.s, folder))
			return true;
	}
	return false;
}

/* The fields of a "packages" entry the extractor reads, found in one pass over its members. */
struct entry {
	const char *name, *version, *resolved; /* NULL when absent or not strings */
	bool link, dev, optional, dev_optional; /* true when `true` */
};

static void read_entry(const struct npm *s, const struct sc_jval *o, struct entry *e)
{
	memset(e, 0, sizeof(*e));
	SC_JDOC_FOREACH_MEMBER(&s->doc, o, k, v) {
		const char *key = k->u.s;
		const char *str = v->type == SC_J_STRING ? v->u.s : NULL;
		bool yes = v->type == SC_J_TRUE;
		if (!strcmp(key, "version"))
			e->version = str;
		else if (!strcmp(key, "resolved"))
			e->resolved = str;
		else if (!strcmp(key, "name"))
			e->name = str;
		else if (!strcmp(key, "dev"))
			e->dev = yes;
		else if (!strcmp(key, "optional"))
			e->optional = yes;
		else if (!strcmp(key, "devOptional"))
			e->dev_optional = yes;
		else if (!strcmp(key, "link"))
			e->link = yes;
	}
}

static enum sc_status packages_v2(struct npm *s, const struct sc_jval *pkgs, struct sc_error *err)
{
	const struct sc_jval *root = NULL;
	struct sc_arena *a = s->inv->arena;
	SC_JDOC_FOREACH_MEMBER(&s->doc, pkgs, k, o) {
		const char *key = k->u.s;
		unsigned line = sc_linemap_line(&s->lm, k->off);
		if (o->type != SC_J_OBJECT)
			return sc_error_set(err, SC_EINPUT, s->in->path, line, 0,
					    "packages[\"%s\"] is not an object", key);
		if (!*key) {
			root = o;
			continue;
		}
		struct entry e;
		read_entry(s, o, &e);
		if (e.link)
			continue; /* second pass */
		const char *nm = strstr(key, "node_modules/") ? NULL : key;
		const char *last = key;
		for (const char *p = key; (p = strstr(p, "node_modules/")); p += 13)
			last = p + 13;
		struct sc_package p = {.line = line};
		if (nm && in_workspaces(s, pkgs, key)) { /* a workspace folder: the project's own code */
			p.flags |= SC_PKG_ROOT;
			set_names(s, &p, e.name ? e.name : sc_path_base(key), e.version);
			p.flags &= ~(unsigned)SC_PKG_UNPINNED;
		} else if (nm) { /* a path dependency (file:DIR): not from a registry */
			set_names(s, &p, e.name ? e.name : sc_path_base(key), NULL);
			p.spec = sc_arena_printf(a, "file:%s", key);
		} else {
			set_names(s, &p, e.name ? e.name : last, e.version);
			const char *res = e.resolved;
			if (res && (!strncmp(res, "git", 3) || !strncmp(res, "file:", 5))) {
				p.flags |= SC_PKG_UNPINNED;
				p.spec = sc_arena_strdup(a, res);
			}
		}
		if (e.dev)
			p.flags |= SC_PKG_DEV;
		if (e.optional || e.dev_optional)
			p.flags |= SC_PKG_OPTIONAL;
		add_node(s, key, o, &p);
	}
	/* links: node_modules/x -> a workspace folder */
	SC_JDOC_FOREACH_MEMBER(&s->doc, pkgs, k, o) {
		const char *key = k->u.s;
		if (!*key || !jtrue(s, o, "link"))
			continue;
		const char *res = jstr(s, o, "resolved");
		long t = res ? sc_depgraph_find(&s->g, res) : -1;
		if (t >= 0 && sc_depgraph_find(&s->g, key) < 0) {
			char *kc = sc_xstrdup(key);
			sc_map_put(s->g.by_key, kc, (void *)(uintptr_t)(t + 1));
		}
	}
	size_t n = s->g.n;
	mark_nested(s);
	for (size_t i = 0; i < n; i++) {
		add_edges(s, i, "dependencies");
		add_edges(s, i, "optionalDependencies");
		add_edges(s, i, "peerDependencies");
		if (s->g.nodes[i].pkg.flags & SC_PKG_ROOT) {
			sc_depgraph_root(&s->g, i, false);
			const struct sc_jval *dd = sc_jdoc_get(&s->doc, s->objs.items[i], "devDependencies");
			SC_JDOC_FOREACH_MEMBER(&s->doc, dd, name, val) {
				long j = resolve(s, (long)i, s->keys.items[i], name->u.s);
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

static enum sc_status deps_v1(struct npm *s, const struct sc_jval *deps, const char *prefix, unsigned depth,
			      struct sc_error *err)
{
	if (depth > MAX_DEPTH)
		return sc_error_set(err, SC_ELIMIT, s->in->path, s->lm.line, 0,
				    "dependencies nested deeper than %d levels", MAX_DEPTH);
	SC_JDOC_FOREACH_MEMBER(&s->doc, deps, k, o) {
		const char *name = k->u.s;
		unsigned line = sc_linemap_line(&s->lm, k->off);
		if (o->type != SC_J_OBJECT)
			return sc_error_set(err, SC_EINPUT, s->in->path, line, 0,
					    "dependencies[\"%s\"] is not an object", name);
		char *key = *prefix ? sc_arena_printf(s->inv->arena, "%s/node_modules/%s", prefix, name)
				    : sc_arena_printf(s->inv->arena, "node_modules/%s", name);
		struct sc_package p = {.line = line};
		set_names(s, &p, name, jstr(s, o, "version"));
		if (jtrue(s, o, "dev"))
			p.flags |= SC_PKG_DEV;
		if (jtrue(s, o, "optional"))
			p.flags |= SC_PKG_OPTIONAL;
		add_node(s, key, o, &p);
		const struct sc_jval *sub = sc_jdoc_get(&s->doc, o, "dependencies");
		enum sc_status st = SC_OK;
		if (sc_jdoc_is(sub, SC_J_OBJECT))
			st = deps_v1(s, sub, key, depth + 1, err);
		if (st != SC_OK)
			return st;
	}
	return SC_OK;
}

static void roots_v1(struct npm *s)
{
	size_t n = s->g.n;
	mark_nested(s);
	for (size_t i = 0; i < n; i++)
		add_edges(s, i, "requires");
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
	struct npm s = {.in = in, .inv = inv};
	sc_depgraph_init(&s.g);
	s.g.keep_dev = true;
	sc_strbuf_init(&s.path, 1u << 20);
	sc_linemap_init(&s.lm, (const char *)in->data, in->len);
	enum sc_status st = sc_jdoc_parse(&s.doc, in->path, (const char *)in->data, in->len, err);
	if (st != SC_OK)
		goto out;
	const struct sc_jval *doc = sc_jdoc_root(&s.doc);
	if (!sc_jdoc_is(doc, SC_J_OBJECT)) {
		st = sc_error_set(err, SC_EINPUT, in->path, 1, 1, "not a JSON object");
		goto out;
	}
	const struct sc_jval *ver = NULL;
	unsigned vline = 0;
	SC_JDOC_FOREACH_MEMBER(&s.doc, doc, k, v) {
		if (!strcmp(k->u.s, "lockfileVersion")) {
			ver = v;
			vline = sc_linemap_line(&s.lm, k->off);
		}
	}
	s.lm.off = 0;
	s.lm.line = 1;
	const struct sc_jval *pkgs = sc_jdoc_get(&s.doc, doc, "packages");
	const struct sc_jval *deps = sc_jdoc_get(&s.doc, doc, "dependencies");
	int64_t v = sc_jdoc_is(ver, SC_J_INT) ? ver->u.i : 0;
	if (v < 1 || v > 3) {
		st = sc_error_set(err, SC_EINPUT, in->path, vline, 0,
				  ver ? "unsupported lockfileVersion (expected 1, 2 or 3)"
				      : "no lockfileVersion: not an npm lockfile");
		goto out;
	}
	if (v >= 2 && sc_jdoc_is(pkgs, SC_J_OBJECT)) {
		st = packages_v2(&s, pkgs, err);
	} else if (sc_jdoc_is(deps, SC_J_OBJECT)) {
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
	sc_strbuf_free(&s.path);
	free(s.nested);
	sc_jdoc_free(&s.doc);
	return st;
}

const struct sc_extractor sc_extractor_npm_lock = {
	.targets = SC_EXTRACT_REPO,
	.name = "npm-lock",
	.version = 1,
	.wants = wants,
	.extract = extract,
};
