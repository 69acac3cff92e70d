/* extract.h - helpers shared by the lockfile extractors (internal to lib/extract): path tests,
 * purls, line numbers, and a dependency graph that derives direct/dev/parent from a lockfile's
 * roots and edges. */
#ifndef SC_EXTRACT_H
#define SC_EXTRACT_H

#include "shipcheck/sc_finding.h"
#include "shipcheck/sc_scan.h"

/* True when a path component is node_modules or vendor: not the project's own lockfile. */
bool sc_extract_vendored(const char *path);
/* True when the base name of path equals name. */
bool sc_extract_base_is(const char *path, const char *name);
/* "pkg:<type>/<ns-and-name>@<version>" with purl percent-encoding, in arena a. name may contain
 * '/' (a namespace); '@' of an npm scope is encoded. */
const char *sc_extract_purl(struct sc_arena *a, const char *type, const char *name, const char *version);
/* PEP 503 normalised Python name (lowercase, runs of -_. become -), in arena a. */
const char *sc_extract_pep503(struct sc_arena *a, const char *name);

/* Incremental line counter over a buffer: line_at(off) for non-decreasing offsets is O(delta). */
struct sc_linemap {
	const char *data;
	size_t len;
	size_t off;    /* position counted so far */
	unsigned line; /* line at off */
};
void sc_linemap_init(struct sc_linemap *lm, const char *data, size_t len);
unsigned sc_linemap_line(struct sc_linemap *lm, size_t off);
/* Finds the next occurrence of the JSON string "key" (quoted, followed by optional spaces and ':',
 * then '{' when want_object) at or after lm->off and returns its line; 0 (position unchanged)
 * when not found. */
unsigned sc_linemap_find_key(struct sc_linemap *lm, const char *key, bool want_object);

/* ---- dependency graph ---- */
struct sc_dgnode {
	struct sc_package pkg; /* strings borrowed (must outlive sc_depgraph_emit) */
	size_t *deps;          /* indices of nodes this one depends on */
	size_t ndeps, capdeps;
	long parent;           /* BFS parent, -1 none */
	unsigned reach;        /* 1 = reachable from a production root, 2 = only from a dev root */
	bool root_prod, root_dev;
};
struct sc_depgraph {
	struct sc_dgnode *nodes;
	size_t n, cap;
	struct sc_map *by_key; /* caller-chosen key -> index + 1 */
	bool have_roots;       /* roots were declared: derive DIRECT/DEV/TRANSITIVE from reachability */
	bool keep_dev;         /* the lockfile's own dev flags are authoritative (npm) */
};
void sc_depgraph_init(struct sc_depgraph *g);
void sc_depgraph_free(struct sc_depgraph *g);
/* Adds a node (pkg copied shallowly); key (copied) may be NULL. Returns its index. */
size_t sc_depgraph_add(struct sc_depgraph *g, const char *key, const struct sc_package *pkg);
/* Index of key, or -1. */
long sc_depgraph_find(const struct sc_depgraph *g, const char *key);
void sc_depgraph_edge(struct sc_depgraph *g, size_t from, size_t to);
void sc_depgraph_root(struct sc_depgraph *g, size_t i, bool dev);
/* Computes reachability (production roots first), sets DIRECT/TRANSITIVE/DEV flags and parent
 * chains ("express > body-parser"), and adds every node to inv. Without declared roots, or for
 * nodes no root reaches, the node's own flags are kept. */
void sc_depgraph_emit(struct sc_depgraph *g, struct sc_inventory *inv);

#endif
