/* yarn_lock.c - extractor for yarn.lock: yarn v1 (its own indented format, not YAML) and Berry
 * v2+ (YAML with __metadata, resolution, patch: and npm: protocols, workspaces). yarn.lock has no
 * dev flags: the package.json beside it (read through in->fs when there is one) says which
 * dependencies are direct and which are dev; without it, entries nothing depends on are direct. */
#include "extract.h"
#include "shipcheck/sc_yaml.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#define MAX_LINE (1u << 20)

static bool wants(const char *path, uint64_t size, uint32_t mode)
{
	(void)size;
	(void)mode;
	return sc_extract_base_is(path, "yarn.lock") && !sc_extract_vendored(path);
}

/* package.json beside the lockfile: name -> "prod"/"dev" (borrowed static strings). */
static json_t *read_manifest(const struct sc_extract_input *in)
{
	if (!in->fs)
		return NULL;
	char *dir = sc_path_dir(in->path);
	char *path = sc_path_join(dir, "package.json");
	json_t *doc = NULL;
	char *data = NULL;
	size_t len = 0;
	struct sc_error err = {0};
	if (sc_fs_find(in->fs, path) && sc_fs_read(in->fs, path, 16u << 20, &data, &len, &err) == SC_OK)
		doc = json_loadb(data, len, 0, NULL);
	sc_error_clear(&err);
	free(data);
	free(path);
	free(dir);
	if (doc && !json_is_object(doc)) {
		json_decref(doc);
		doc = NULL;
	}
	return doc;
}

/* Splits "name@range" (scoped names keep their leading '@'). */
static bool split_spec(const char *spec, const char **at)
{
	const char *p = strchr(spec + (spec[0] == '@'), '@');
	*at = p;
	return p && p > spec;
}

static bool protocol_unpinned(const char *range)
{
	static const char *const bad[] = {"file:", "link:", "portal:", "git", "http:", "https:", "exec:",
					  "github:", "workspace:", NULL};
	for (size_t i = 0; bad[i]; i++)
		if (!strncmp(range, bad[i], strlen(bad[i])))
			return true;
	return strstr(range, "://") != NULL;
}

struct yl {
	const struct sc_extract_input *in;
	struct sc_inventory *inv;
	struct sc_depgraph g;
	struct sc_ptrvec pending; /* per node: char * "name\trange\n..." of its dependencies */
	json_t *manifest;
};

/* The node of "name@range" ("name@npm:range" in Berry when the range names no protocol), -1. */
static long find_spec(struct yl *s, struct sc_strbuf *key, const char *name, const char *range, bool berry)
{
	sc_strbuf_reset(key);
	sc_strbuf_puts(key, name);
	sc_strbuf_putc(key, '@');
	if (berry && !strchr(range, ':'))
		sc_strbuf_append(key, "npm:", 4);
	sc_strbuf_puts(key, range);
	return sc_depgraph_find(&s->g, sc_strbuf_str(key));
}

static void mark_roots(struct yl *s, struct sc_strbuf *key, const char *field, bool dev, bool berry)
{
	const char *name;
	const json_t *val;
	json_object_foreach(json_object_get(s->manifest, field), name, val) {
		if (!json_is_string(val))
			continue;
		long i = find_spec(s, key, name, json_string_value(val), berry);
		if (i >= 0)
			sc_depgraph_root(&s->g, (size_t)i, dev);
	}
}

static void link_pending(struct yl *s, bool berry)
{
	struct sc_strbuf key;
	sc_strbuf_init(&key, 1u << 20);
	for (size_t i = 0; i < s->pending.len; i++) {
		char *list = s->pending.items[i];
		for (char *line = list; line && *line;) {
			char *nl = strchr(line, '\n');
			if (nl)
				*nl = 0;
			char *tab = strchr(line, '\t');
			if (tab) {
				*tab = 0;
				long j = find_spec(s, &key, line, tab + 1, berry);
				if (j >= 0)
					sc_depgraph_edge(&s->g, i, (size_t)j);
			}
			line = nl ? nl + 1 : NULL;
		}
	}
	if (s->manifest) {
		mark_roots(s, &key, "dependencies", false, berry);
		mark_roots(s, &key, "optionalDependencies", false, berry);
		mark_roots(s, &key, "peerDependencies", false, berry);
		mark_roots(s, &key, "devDependencies", true, berry);
		sc_strbuf_free(&key);
		return;
	}
	sc_strbuf_free(&key);
	/* no package.json: what nothing depends on (or a workspace depends on) is direct */
	size_t n = s->g.n;
	bool *required = sc_xcalloc(n ? n : 1, sizeof(bool));
	for (size_t i = 0; i < n; i++)
		if (!(s->g.nodes[i].pkg.flags & SC_PKG_ROOT))
			for (size_t k = 0; k < s->g.nodes[i].ndeps; k++)
				required[s->g.nodes[i].deps[k]] = true;
	for (size_t i = 0; i < n; i++)
		if (!required[i] || (s->g.nodes[i].pkg.flags & SC_PKG_ROOT))
			sc_depgraph_root(&s->g, i, false);
	free(required);
}

/* ---- yarn v1 ---- */

/* The span of s[0..n) without surrounding blanks and quotes. */
static const char *unquote_span(const char *s, size_t *n)
{
	while (*n && (*s == ' ' || *s == '\t')) {
		s++;
		(*n)--;
	}
	while (*n && (s[*n - 1] == ' ' || s[*n - 1] == '\t' || s[*n - 1] == '\r'))
		(*n)--;
	if (*n >= 2 && s[0] == '"' && s[*n - 1] == '"') {
		s++;
		*n -= 2;
	}
	return s;
}

static char *unquote(struct sc_arena *a, const char *s, size_t n)
{
	s = unquote_span(s, &n);
	return sc_arena_strndup(a, s, n);
}

static bool span_is(const char *s, size_t n, const char *word)
{
	return strlen(word) == n && !memcmp(s, word, n);
}

struct v1entry {
	unsigned line;
	const char *name;
	const char *first_range;
	char *version;
	char *resolved;
	struct sc_strbuf deps;
	struct sc_ptrvec specs; /* char * "name@range" (arena) */
	bool in_entry;
};

static void v1_flush(struct yl *s, struct v1entry *e)
{
	if (!e->in_entry)
		return;
	struct sc_arena *a = s->inv->arena;
	struct sc_package p = {.ecosystem = "npm", .path = s->in->path, .line = e->line};
	const char *name = e->name, *range = e->first_range ? e->first_range : "";
	if (!strncmp(range, "npm:", 4)) { /* alias name@npm:real@range */
		const char *at;
		if (split_spec(range + 4, &at))
			name = sc_arena_strndup(a, range + 4, (size_t)(at - range - 4));
	}
	p.name = name;
	p.version = e->version;
	if (protocol_unpinned(range) || !e->version ||
	    (e->resolved && (!strncmp(e->resolved, "git", 3) || !strncmp(e->resolved, "file:", 5)))) {
		p.flags |= SC_PKG_UNPINNED;
		p.spec = sc_arena_printf(a, "%s@%s", e->name, range);
	}
	p.purl = sc_extract_purl(a, "npm", p.name, p.version);
	size_t idx = sc_depgraph_add(&s->g, NULL, &p);
	for (size_t i = 0; i < e->specs.len; i++)
		if (sc_depgraph_find(&s->g, e->specs.items[i]) < 0) {
			char *k = sc_xstrdup(e->specs.items[i]);
			sc_map_put(s->g.by_key, k, (void *)(uintptr_t)(idx + 1));
		}
	sc_ptrvec_push(&s->pending, sc_strbuf_take(&e->deps));
	e->specs.len = 0;
	e->version = e->resolved = NULL;
	e->in_entry = false;
}

static enum sc_status parse_v1(struct yl *s, struct sc_error *err)
{
	struct sc_arena *a = s->inv->arena;
	const char *p = (const char *)s->in->data, *end = p + s->in->len;
	unsigned lineno = 0;
	struct v1entry e = {0};
	sc_strbuf_init(&e.deps, 64u << 20);
	bool in_deps = false;
	enum sc_status st = SC_OK;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);
		const char *line = p;
		p = nl ? nl + 1 : end;
		lineno++;
		if (n > MAX_LINE) {
			st = sc_error_set(err, SC_ELIMIT, s->in->path, lineno, 1, "line longer than %u bytes",
					  MAX_LINE);
			goto out;
		}
		if (n && line[n - 1] == '\r')
			n--;
		size_t ind = 0;
		while (ind < n && line[ind] == ' ')
			ind++;
		if (ind == n || line[ind] == '#')
			continue;
		if (memchr(line, 0, n)) {
			st = sc_error_set(err, SC_EINPUT, s->in->path, lineno, 1, "NUL byte");
			goto out;
		}
		if (ind == 0) {
			v1_flush(s, &e);
			if (line[n - 1] != ':') {
				st = sc_error_set(err, SC_EINPUT, s->in->path, lineno, (unsigned)n,
						  "expected `spec[, spec...]:` at the start of an entry");
				goto out;
			}
			e.in_entry = true;
			e.line = lineno;
			e.name = NULL;
			e.first_range = NULL;
			in_deps = false;
			/* "a@^1, a@^1.2": split on commas (quoted specs may contain none) */
			size_t i = 0, m = n - 1;
			while (i < m) {
				size_t j = i;
				bool q = false;
				while (j < m && (q || line[j] != ',')) {
					if (line[j] == '"')
						q = !q;
					j++;
				}
				char *spec = unquote(a, line + i, j - i);
				const char *at;
				if (!split_spec(spec, &at)) {
					st = sc_error_set(err, SC_EINPUT, s->in->path, lineno, (unsigned)i + 1,
							  "`%s` is not name@range", spec);
					goto out;
				}
				/* yarn itself reads a spec listed twice (a hand-merged lockfile) and keeps
				 * going: both entries' packages are checked, the first resolves the spec */
				long dup = sc_depgraph_find(&s->g, spec);
				if (dup >= 0)
					sc_inventory_warn(s->inv, s->in->path, lineno, (unsigned)i + 1,
							  "yarn-lock: duplicate entry `%s` (first at line %u); both are checked",
							  spec, s->g.nodes[dup].pkg.line);
				if (!e.name) {
					e.name = sc_arena_strndup(a, spec, (size_t)(at - spec));
					e.first_range = at + 1;
				}
				sc_ptrvec_push(&e.specs, spec);
				i = j + 1;
			}
			continue;
		}
		if (!e.in_entry) {
			st = sc_error_set(err, SC_EINPUT, s->in->path, lineno, (unsigned)ind + 1,
					  "indented line outside an entry");
			goto out;
		}
		/* key [value] */
		const char *k = line + ind;
		size_t rest = n - ind;
		size_t kl = 0;
		if (k[0] == '"') {
			const char *q = memchr(k + 1, '"', rest - 1);
			kl = q ? (size_t)(q - k) + 1 : rest;
		} else {
			while (kl < rest && k[kl] != ' ')
				kl++;
		}
		/* spans, copied only when kept: most lines are integrity hashes and URLs */
		size_t klen = kl, vlen = kl < rest ? rest - kl : 0;
		const char *key = unquote_span(k, &klen);
		const char *val = kl < rest ? unquote_span(k + kl, &vlen) : NULL;
		if (ind == 2) {
			in_deps = false;
			if (!val && klen && key[klen - 1] == ':') {
				in_deps = span_is(key, klen - 1, "dependencies") ||
					  span_is(key, klen - 1, "optionalDependencies");
			} else if (span_is(key, klen, "version")) {
				e.version = val ? sc_arena_strndup(a, val, vlen) : NULL;
			} else if (span_is(key, klen, "resolved")) {
				e.resolved = val ? sc_arena_strndup(a, val, vlen) : NULL;
			}
		} else if (in_deps && val) {
			sc_strbuf_append(&e.deps, key, klen);
			sc_strbuf_putc(&e.deps, '\t');
			sc_strbuf_append(&e.deps, val, vlen);
			sc_strbuf_putc(&e.deps, '\n');
		}
	}
	v1_flush(s, &e);
out:
	sc_strbuf_free(&e.deps);
	sc_ptrvec_free(&e.specs);
	return st;
}

/* ---- Berry ---- */

static enum sc_status parse_berry(struct yl *s, struct sc_error *err)
{
	struct sc_arena *a = s->inv->arena;
	struct sc_yaml *y = NULL;
	enum sc_status st = sc_yaml_parse(s->in->path, (const char *)s->in->data, s->in->len,
					  s->in->len + 1, &y, err);
	if (st != SC_OK)
		return st;
	const struct sc_ynode *root = sc_yaml_root(y);
	if (!root) {
		sc_yaml_free(y);
		return SC_OK;
	}
	if (sc_ynode_type(root) != SC_Y_MAP) {
		st = sc_error_set(err, SC_EINPUT, s->in->path, 1, 1, "not a mapping of entries");
		goto out;
	}
	for (size_t i = 0; i < sc_ynode_len(y, root); i++) {
		const struct sc_ynode *kn = sc_ymap_key(y, root, i), *v = sc_ymap_value(y, root, i);
		const char *keys = sc_ynode_str(kn, NULL);
		unsigned line, col;
		sc_ynode_pos(kn, &line, &col);
		if (!keys || !strcmp(keys, "__metadata"))
			continue;
		if (sc_ynode_type(v) != SC_Y_MAP) {
			st = sc_error_set(err, SC_EINPUT, s->in->path, line, col, "entry `%s` is not a mapping",
					  keys);
			goto out;
		}
		const char *res = sc_ymap_str(y, v, "resolution");
		const char *ver = sc_ymap_str(y, v, "version");
		const char *at;
		if (!res || !split_spec(res, &at)) {
			st = sc_error_set(err, SC_EINPUT, s->in->path, line, col,
					  "entry `%s` has no valid resolution", keys);
			goto out;
		}
		const char *proto = at + 1;
		struct sc_package p = {.ecosystem = "npm", .path = s->in->path, .line = line};
		p.name = sc_arena_strndup(a, res, (size_t)(at - res));
		if (!strncmp(proto, "workspace:", 10)) {
			p.flags |= SC_PKG_ROOT;
			p.version = ver && strcmp(ver, "0.0.0-use.local") ? ver : NULL;
		} else if (!strncmp(proto, "npm:", 4) || !strncmp(proto, "patch:", 6)) {
			p.version = ver;
			if (!ver) {
				p.flags |= SC_PKG_UNPINNED;
				p.spec = sc_arena_strdup(a, res);
			}
		} else {
			p.version = ver;
			p.flags |= SC_PKG_UNPINNED;
			p.spec = sc_arena_strdup(a, res);
		}
		p.version = sc_arena_strdup(a, p.version); /* the YAML document dies before emit */
		p.purl = sc_extract_purl(a, "npm", p.name, p.version);
		size_t idx = sc_depgraph_add(&s->g, NULL, &p);
		/* keys: "a@npm:^1, a@npm:^1.2" */
		for (const char *k = keys; *k;) {
			const char *c = strchr(k, ',');
			size_t n = c ? (size_t)(c - k) : strlen(k);
			char *spec = unquote(a, k, n);
			if (*spec && sc_depgraph_find(&s->g, spec) < 0) {
				char *kk = sc_xstrdup(spec);
				sc_map_put(s->g.by_key, kk, (void *)(uintptr_t)(idx + 1));
			}
			k = c ? c + 1 : k + n;
		}
		struct sc_strbuf deps;
		sc_strbuf_init(&deps, 64u << 20);
		static const char *const fields[] = {"dependencies", "optionalDependencies", NULL};
		for (size_t f = 0; fields[f]; f++) {
			const struct sc_ynode *d = sc_ymap_get(y, v, fields[f]);
			if (sc_ynode_type(d) != SC_Y_MAP)
				continue;
			for (size_t j = 0; j < sc_ynode_len(y, d); j++) {
				const char *dn = sc_ynode_str(sc_ymap_key(y, d, j), NULL);
				const char *dr = sc_ynode_str(sc_ymap_value(y, d, j), NULL);
				if (dn && dr)
					sc_strbuf_printf(&deps, "%s\t%s\n", dn, dr);
			}
		}
		sc_ptrvec_push(&s->pending, sc_strbuf_take(&deps));
	}
out:
	sc_yaml_free(y);
	return st;
}

static bool is_berry(const unsigned char *d, size_t n)
{
	const char *p = (const char *)d, *end = p + n;
	while (p < end) {
		if ((size_t)(end - p) >= 11 && !memcmp(p, "__metadata:", 11))
			return true;
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		if (!nl)
			break;
		p = nl + 1;
	}
	return false;
}

static enum sc_status extract(const struct sc_extract_input *in, struct sc_inventory *inv,
			      struct sc_error *err)
{
	struct yl s = {.in = in, .inv = inv};
	sc_depgraph_init(&s.g);
	bool berry = is_berry(in->data, in->len);
	enum sc_status st = berry ? parse_berry(&s, err) : parse_v1(&s, err);
	if (st == SC_OK) {
		s.manifest = read_manifest(in);
		link_pending(&s, berry);
		sc_depgraph_emit(&s.g, inv);
	}
	for (size_t i = 0; i < s.pending.len; i++)
		free(s.pending.items[i]);
	sc_ptrvec_free(&s.pending);
	json_decref(s.manifest);
	sc_depgraph_free(&s.g);
	return st;
}

const struct sc_extractor sc_extractor_yarn_lock = {
	.targets = SC_EXTRACT_REPO,
	.name = "yarn-lock",
	.version = 1,
	.wants = wants,
	.extract = extract,
};
