/* common.c - helpers shared by the lockfile extractors: path tests, purls, line maps and the
 * dependency graph that turns a lockfile's roots and edges into direct/dev flags and parents. */
#include "shipcheck/sc_purl.h"
#include "extract.h"

#include <stdlib.h>
#include <string.h>

bool sc_extract_vendored(const char *path)
{
	const char *p = path;
	while (*p) {
		const char *e = strchr(p, '/');
		size_t n = e ? (size_t)(e - p) : strlen(p);
		if ((n == 12 && !strncmp(p, "node_modules", 12)) || (n == 6 && !strncmp(p, "vendor", 6)))
			return e != NULL; /* a component, not the file itself */
		if (!e)
			break;
		p = e + 1;
	}
	return false;
}

bool sc_extract_base_is(const char *path, const char *name)
{
	return !strcmp(sc_path_base(path), name);
}

const char *sc_extract_purl(struct sc_arena *a, const char *type, const char *name, const char *version)
{
	if (!name || !*name)
		return NULL;
	/* "@scope/name", "github.com/org/mod": the part before the last '/' is the namespace */
	const char *slash = strrchr(name, '/');
	if (!slash)
		return sc_purl(a, type, NULL, name, version, NULL);
	char *ns = sc_arena_strndup(a, name, (size_t)(slash - name));
	return sc_purl(a, type, ns, slash + 1, version, NULL);
}

const char *sc_extract_pep503(struct sc_arena *a, const char *name)
{
	return sc_pep503_name(a, name);
}

void sc_linemap_init(struct sc_linemap *lm, const char *data, size_t len)
{
	lm->data = data;
	lm->len = len;
	lm->off = 0;
	lm->line = 1;
}

unsigned sc_linemap_line(struct sc_linemap *lm, size_t off)
{
	if (off > lm->len)
		off = lm->len;
	if (off < lm->off) { /* rare: restart */
		lm->off = 0;
		lm->line = 1;
	}
	const char *p = lm->data + lm->off, *end = lm->data + off;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		if (!nl)
			break;
		lm->line++;
		p = nl + 1;
	}
	lm->off = off;
	return lm->line;
}

unsigned sc_linemap_find_key(struct sc_linemap *lm, const char *key, bool want_object)
{
	size_t kl = strlen(key);
	const char *p = lm->data + lm->off, *end = lm->data + lm->len;
	while (p < end) {
		const char *q = memchr(p, '"', (size_t)(end - p));
		if (!q || (size_t)(end - q) < kl + 2)
			return 0;
		if (!memcmp(q + 1, key, kl) && q[kl + 1] == '"') {
			const char *r = q + kl + 2;
			while (r < end && (*r == ' ' || *r == '\t' || *r == '\r' || *r == '\n'))
				r++;
			if (r < end && *r == ':') {
				r++;
				while (r < end && (*r == ' ' || *r == '\t' || *r == '\r' || *r == '\n'))
					r++;
				if (!want_object || (r < end && *r == '{')) {
					unsigned line = sc_linemap_line(lm, (size_t)(q - lm->data));
					lm->off++; /* past the quote: the same key is not found twice */
					return line;
				}
			}
		}
		p = q + 1;
	}
	return 0;
}

/* ---- dependency graph ---- */

void sc_depgraph_init(struct sc_depgraph *g)
{
	memset(g, 0, sizeof(*g));
	g->by_key = sc_map_new();
}

void sc_depgraph_free(struct sc_depgraph *g)
{
	for (size_t i = 0; i < g->n; i++)
		free(g->nodes[i].deps);
	free(g->nodes);
	if (g->by_key) {
		size_t it = 0;
		const char *k;
		void *v;
		while (sc_map_next(g->by_key, &it, &k, &v))
			free((char *)k);
		sc_map_free(g->by_key);
	}
	memset(g, 0, sizeof(*g));
}

size_t sc_depgraph_add(struct sc_depgraph *g, const char *key, const struct sc_package *pkg)
{
	if (g->n == g->cap) {
		g->cap = g->cap ? g->cap * 2 : 64;
		g->nodes = sc_xrealloc(g->nodes, g->cap * sizeof(*g->nodes));
	}
	struct sc_dgnode *nd = &g->nodes[g->n];
	memset(nd, 0, sizeof(*nd));
	nd->pkg = *pkg;
	nd->parent = -1;
	if (key && !sc_map_get(g->by_key, key)) {
		char *k = sc_xstrdup(key);
		sc_map_put(g->by_key, k, (void *)(uintptr_t)(g->n + 1));
	}
	return g->n++;
}

long sc_depgraph_find(const struct sc_depgraph *g, const char *key)
{
	uintptr_t v = (uintptr_t)sc_map_get(g->by_key, key);
	return v ? (long)v - 1 : -1;
}

void sc_depgraph_edge(struct sc_depgraph *g, size_t from, size_t to)
{
	struct sc_dgnode *nd = &g->nodes[from];
	if (from == to)
		return;
	if (nd->ndeps == nd->capdeps) {
		nd->capdeps = nd->capdeps ? nd->capdeps * 2 : 4;
		nd->deps = sc_xrealloc(nd->deps, nd->capdeps * sizeof(*nd->deps));
	}
	nd->deps[nd->ndeps++] = to;
}

void sc_depgraph_root(struct sc_depgraph *g, size_t i, bool dev)
{
	g->have_roots = true;
	if (dev)
		g->nodes[i].root_dev = true;
	else
		g->nodes[i].root_prod = true;
}

static void bfs(struct sc_depgraph *g, size_t *queue, bool dev)
{
	size_t head = 0, tail = 0;
	unsigned mark = dev ? 2 : 1;
	for (size_t i = 0; i < g->n; i++) {
		struct sc_dgnode *nd = &g->nodes[i];
		if ((dev ? nd->root_dev : nd->root_prod) && !nd->reach) {
			nd->reach = mark;
			queue[tail++] = i;
		}
	}
	while (head < tail) {
		size_t i = queue[head++];
		for (size_t k = 0; k < g->nodes[i].ndeps; k++) {
			size_t j = g->nodes[i].deps[k];
			struct sc_dgnode *d = &g->nodes[j];
			if (d->reach)
				continue;
			d->reach = mark;
			d->parent = (long)i;
			queue[tail++] = j;
		}
	}
}

#define MAX_CHAIN 12

/* "a > b > j": the names from the topmost non-root ancestor of j down to j, at most MAX_CHAIN of
 * them ("… > " first when cut). memo[j] keeps it for the nodes below j. */
static const char *chain_to(struct sc_depgraph *g, long j, const char **memo, unsigned *depth,
			    struct sc_arena *a, struct sc_strbuf *sb)
{
	if (memo[j])
		return memo[j];
	long up = g->nodes[j].parent;
	bool has_up = up >= 0 && !(g->nodes[up].pkg.flags & SC_PKG_ROOT);
	const char *nm = g->nodes[j].pkg.name ? g->nodes[j].pkg.name : "?";
	/* iterative for the ancestors first: chains can be thousands of nodes deep */
	if (has_up && !memo[up]) {
		size_t n = 0;
		for (long k = up; k >= 0 && !(g->nodes[k].pkg.flags & SC_PKG_ROOT) && !memo[k]; k = g->nodes[k].parent)
			n++;
		long *todo = sc_xmalloc(n * sizeof(*todo));
		size_t i = 0;
		for (long k = up; i < n; k = g->nodes[k].parent)
			todo[i++] = k;
		while (i-- > 0)
			chain_to(g, todo[i], memo, depth, a, sb);
		free(todo);
	}
	unsigned d = has_up ? depth[up] + 1 : 1;
	depth[j] = d;
	if (d <= MAX_CHAIN) {
		const char *prev = has_up ? memo[up] : NULL;
		size_t pl = prev ? strlen(prev) : 0, nl = strlen(nm);
		char *out = sc_arena_alloc(a, pl + 3 + nl + 1), *o = out;
		if (prev) {
			memcpy(o, prev, pl);
			memcpy(o + pl, " > ", 3);
			o += pl + 3;
		}
		memcpy(o, nm, nl + 1);
		return memo[j] = out;
	}
	/* deeper than MAX_CHAIN: the nearest MAX_CHAIN names */
	long chain[MAX_CHAIN];
	size_t n = 0;
	for (long k = j; n < MAX_CHAIN; k = g->nodes[k].parent)
		chain[n++] = k;
	sc_strbuf_reset(sb);
	sc_strbuf_puts(sb, "… > ");
	for (size_t k = n; k-- > 0;) {
		const char *cn = g->nodes[chain[k]].pkg.name;
		sc_strbuf_puts(sb, cn ? cn : "?");
		if (k)
			sc_strbuf_puts(sb, " > ");
	}
	return memo[j] = sc_arena_strdup(a, sc_strbuf_str(sb));
}

void sc_depgraph_emit(struct sc_depgraph *g, struct sc_inventory *inv)
{
	if (g->have_roots && g->n) {
		size_t *queue = sc_xmalloc(g->n * sizeof(*queue));
		bfs(g, queue, false);
		bfs(g, queue, true);
		free(queue);
	}
	struct sc_strbuf sb;
	sc_strbuf_init(&sb, 1u << 14);
	const char **memo = sc_xcalloc(g->n ? g->n : 1, sizeof(*memo));
	unsigned *depth = sc_xcalloc(g->n ? g->n : 1, sizeof(*depth));
	struct sc_arena *a = sc_arena_new();
	for (size_t i = 0; i < g->n; i++) {
		struct sc_dgnode *nd = &g->nodes[i];
		struct sc_package p = nd->pkg;
		if (g->have_roots && nd->reach) {
			if (p.flags & SC_PKG_ROOT) {
				sc_inventory_add(inv, &p);
				continue;
			}
			bool direct = nd->root_prod || nd->root_dev ||
				      (nd->parent >= 0 && (g->nodes[nd->parent].pkg.flags & SC_PKG_ROOT));
			p.flags &= ~(unsigned)(SC_PKG_DIRECT | SC_PKG_TRANSITIVE);
			p.flags |= direct ? SC_PKG_DIRECT : SC_PKG_TRANSITIVE;
			if (!g->keep_dev) {
				p.flags &= ~(unsigned)SC_PKG_DEV;
				if (nd->reach == 2)
					p.flags |= SC_PKG_DEV;
			}
			if (!direct && nd->parent >= 0 && !p.parent)
				p.parent = chain_to(g, nd->parent, memo, depth, a, &sb);
		}
		sc_inventory_add(inv, &p);
	}
	sc_arena_free(a);
	free(memo);
	free(depth);
	sc_strbuf_free(&sb);
}
