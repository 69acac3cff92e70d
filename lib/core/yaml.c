/* yaml.c - YAML documents through libyaml, with positions, limits and duplicate-key detection.
 * libyaml (rather than libfyaml 0.7, which fuzzing showed to double-free and hang on malformed
 * input) is OSS-Fuzz-tested and keeps start marks on every node. The tree is built here from
 * libyaml's events, in an arena: its document loader took 5 times as long as the events
 * themselves (4.7 s against 0.85 s on a 39 MB pnpm-lock.yaml) and a node-sized malloc each. */
#include "shipcheck/sc_yaml.h"

#include <stdlib.h>
#include <string.h>
#include <yaml.h>

struct sc_ynode {
	enum sc_ytype type;
	bool plain;    /* a plain (unquoted) scalar */
	unsigned line, col;
	const char *s; /* scalar text, NUL-terminated */
	size_t len;    /* scalar length, items of a sequence, pairs of a mapping */
	const struct sc_ynode **items; /* sequence: len items; mapping: key, value, key, value... */
};

struct sc_yaml {
	struct sc_arena *arena;
	const struct sc_ynode *root;
	char *path;
};

#define MAX_DEPTH 256

static enum sc_status yaml_err(struct sc_error *err, const char *path, const yaml_parser_t *p)
{
	const yaml_mark_t *m = p->problem ? &p->problem_mark : &p->context_mark;
	const char *what = p->problem ? p->problem : "invalid YAML";
	if (p->error == YAML_MEMORY_ERROR)
		return sc_error_set(err, SC_ELIMIT, path, 0, 0, "YAML document too large");
	if (p->context)
		return sc_error_set(err, SC_EINPUT, path, (unsigned)m->line + 1, (unsigned)m->column + 1,
				    "invalid YAML: %s %s", p->context, what);
	return sc_error_set(err, SC_EINPUT, path, (unsigned)m->line + 1, (unsigned)m->column + 1,
			    "invalid YAML: %s", what);
}

static bool same_scalar(const struct sc_ynode *a, const struct sc_ynode *b)
{
	return a->len == b->len && !memcmp(a->s, b->s, a->len);
}

/* A scalar key that a mapping has twice is an error (at the second). Small mappings compare each
 * key with those before it; larger ones go through a hash table of the keys (comparing every pair
 * was quadratic: 400 mappings of 4,000 keys took 31 s). Keys are compared by length and bytes: a
 * scalar may hold a NUL. */
static enum sc_status duplicate_keys(const struct sc_yaml *y, const struct sc_ynode *m, struct sc_error *err)
{
	size_t npairs = m->len, cap = 0;
	const struct sc_ynode **table = NULL;
	if (npairs > 16) {
		cap = 64;
		while (cap < 2 * npairs)
			cap *= 2;
		table = sc_xcalloc(cap, sizeof(*table));
	}
	enum sc_status st = SC_OK;
	for (size_t i = 0; i < npairs && st == SC_OK; i++) {
		const struct sc_ynode *k = m->items[2 * i];
		if (k->type != SC_Y_SCALAR)
			continue;
		const struct sc_ynode *first = NULL;
		if (table) {
			size_t h = (size_t)sc_hash_bytes(k->s, k->len) & (cap - 1);
			for (; table[h] && !first; h = (h + 1) & (cap - 1))
				if (same_scalar(table[h], k))
					first = table[h];
			if (!first)
				table[h] = k;
		} else {
			for (size_t j = 0; j < i && !first; j++) {
				const struct sc_ynode *k2 = m->items[2 * j];
				if (k2->type == SC_Y_SCALAR && same_scalar(k2, k))
					first = k2;
			}
		}
		if (first)
			st = sc_error_set(err, SC_EINPUT, y->path, k->line, k->col, "duplicate key `%s` (first at line %u)",
					  k->s, first->line);
	}
	free(table);
	return st;
}

/* A collection being read: its node and the items read so far. */
struct open_coll {
	struct sc_ynode *node;
	struct sc_ptrvec items;
	const char *anchor; /* registered when the collection ends (no alias inside refers to it) */
};

static struct sc_ynode *new_node(struct sc_yaml *y, enum sc_ytype type, const yaml_mark_t *m)
{
	struct sc_ynode *n = sc_arena_alloc(y->arena, sizeof(*n));
	n->type = type;
	n->line = (unsigned)m->line + 1;
	n->col = (unsigned)m->column + 1;
	return n;
}

/* Reads the events of the first document into a tree. Aliases share the node of their anchor (a
 * tree of aliases is a graph of shared nodes, never copied); an anchor is known once its node is
 * complete, so an alias inside its own anchor's node is undefined and nothing is cyclic. */
static enum sc_status build(struct sc_yaml *y, yaml_parser_t *p, struct sc_error *err)
{
	struct open_coll stack[MAX_DEPTH];
	size_t depth = 0;
	struct sc_map *anchors = sc_map_new();
	enum sc_status st = SC_OK;
	bool done = false, in_doc = false;
	while (!done && st == SC_OK) {
		yaml_event_t e;
		if (!yaml_parser_parse(p, &e)) {
			st = yaml_err(err, y->path, p);
			break;
		}
		struct sc_ynode *node = NULL;
		const char *anchor = NULL;
		switch (e.type) {
		case YAML_DOCUMENT_START_EVENT:
			in_doc = true;
			break;
		case YAML_DOCUMENT_END_EVENT:
		case YAML_STREAM_END_EVENT:
			done = true; /* the first document only, as libyaml's loader */
			break;
		case YAML_SCALAR_EVENT:
			node = new_node(y, SC_Y_SCALAR, &e.start_mark);
			node->s = sc_arena_strndup(y->arena, (const char *)e.data.scalar.value, e.data.scalar.length);
			node->len = e.data.scalar.length;
			node->plain = e.data.scalar.style == YAML_PLAIN_SCALAR_STYLE;
			if (e.data.scalar.anchor)
				anchor = sc_arena_strdup(y->arena, (const char *)e.data.scalar.anchor);
			break;
		case YAML_SEQUENCE_START_EVENT:
		case YAML_MAPPING_START_EVENT:
			if (depth == MAX_DEPTH) {
				st = sc_error_set(err, SC_ELIMIT, y->path, (unsigned)e.start_mark.line + 1,
						  (unsigned)e.start_mark.column + 1, "YAML nesting deeper than %d levels",
						  MAX_DEPTH);
				break;
			}
			stack[depth].node = new_node(y, e.type == YAML_SEQUENCE_START_EVENT ? SC_Y_SEQ : SC_Y_MAP,
						     &e.start_mark);
			memset(&stack[depth].items, 0, sizeof(stack[depth].items));
			anchor = (const char *)(e.type == YAML_SEQUENCE_START_EVENT ? e.data.sequence_start.anchor
										: e.data.mapping_start.anchor);
			stack[depth].anchor = anchor ? sc_arena_strdup(y->arena, anchor) : NULL;
			anchor = NULL;
			depth++;
			break;
		case YAML_SEQUENCE_END_EVENT:
		case YAML_MAPPING_END_EVENT: {
			struct open_coll *c = &stack[--depth];
			node = c->node;
			node->len = e.type == YAML_SEQUENCE_END_EVENT ? c->items.len : c->items.len / 2;
			node->items = sc_arena_alloc(y->arena, (c->items.len + 1) * sizeof(*node->items));
			if (c->items.len)
				memcpy(node->items, c->items.items, c->items.len * sizeof(*node->items));
			sc_ptrvec_free(&c->items);
			anchor = c->anchor;
			if (node->type == SC_Y_MAP)
				st = duplicate_keys(y, node, err);
			break;
		}
		case YAML_ALIAS_EVENT: {
			struct sc_ynode *target = sc_map_get(anchors, (const char *)e.data.alias.anchor);
			if (!target) {
				st = sc_error_set(err, SC_EINPUT, y->path, (unsigned)e.start_mark.line + 1,
						  (unsigned)e.start_mark.column + 1, "invalid YAML: found undefined alias `%s`",
						  (const char *)e.data.alias.anchor);
				break;
			}
			node = target;
			break;
		}
		default:
			break;
		}
		if (node && st == SC_OK) {
			if (anchor) /* (in the arena; NULL for an alias) */
				sc_map_put(anchors, anchor, node);
			if (depth)
				sc_ptrvec_push(&stack[depth - 1].items, node);
			else if (in_doc && !y->root)
				y->root = node;
		}
		yaml_event_delete(&e);
	}
	while (depth)
		sc_ptrvec_free(&stack[--depth].items);
	sc_map_free(anchors);
	return st;
}

enum sc_status sc_yaml_parse(const char *path, const char *data, size_t len, size_t max_bytes,
			     struct sc_yaml **out, struct sc_error *err)
{
	*out = NULL;
	if (len > max_bytes)
		return sc_error_set(err, SC_ELIMIT, path, 0, 0, "YAML file is %zu bytes, over the limit of %zu", len, max_bytes);
	const char *nul = memchr(data, '\0', len);
	if (nul) {
		unsigned line = 1;
		for (const char *q = data; q < nul; q++)
			line += *q == '\n';
		return sc_error_set(err, SC_EINPUT, path, line, 0, "NUL byte in a YAML file");
	}
	struct sc_yaml *y = sc_xcalloc(1, sizeof(*y));
	y->path = sc_xstrdup(path ? path : "<yaml>");
	yaml_parser_t p;
	if (!yaml_parser_initialize(&p)) {
		sc_yaml_free(y);
		return sc_error_set(err, SC_EINTERNAL, path, 0, 0, "cannot initialise the YAML parser");
	}
	yaml_parser_set_input_string(&p, (const unsigned char *)data, len);
	y->arena = sc_arena_new();
	enum sc_status st = build(y, &p, err);
	yaml_parser_delete(&p);
	if (st != SC_OK) {
		sc_yaml_free(y);
		return st;
	}
	*out = y;
	return SC_OK;
}

void sc_yaml_free(struct sc_yaml *y)
{
	if (!y)
		return;
	sc_arena_free(y->arena);
	free(y->path);
	free(y);
}

const char *sc_yaml_path(const struct sc_yaml *y)
{
	return y->path;
}

const struct sc_ynode *sc_yaml_root(const struct sc_yaml *y)
{
	return y->root;
}

enum sc_ytype sc_ynode_type(const struct sc_ynode *n)
{
	return n ? n->type : SC_Y_NONE;
}

const char *sc_ynode_str(const struct sc_ynode *n, size_t *len)
{
	if (!n || n->type != SC_Y_SCALAR)
		return NULL;
	if (len)
		*len = n->len;
	return n->s;
}

bool sc_ynode_plain(const struct sc_ynode *n)
{
	return n && n->type == SC_Y_SCALAR && n->plain;
}

void sc_ynode_pos(const struct sc_ynode *n, unsigned *line, unsigned *col)
{
	*line = n ? n->line : 0;
	*col = n ? n->col : 0;
}

size_t sc_ynode_len(const struct sc_yaml *y, const struct sc_ynode *n)
{
	(void)y;
	return n && n->type != SC_Y_SCALAR ? n->len : 0;
}

const struct sc_ynode *sc_yseq_at(const struct sc_yaml *y, const struct sc_ynode *n, size_t i)
{
	(void)y;
	return n && n->type == SC_Y_SEQ && i < n->len ? n->items[i] : NULL;
}

const struct sc_ynode *sc_ymap_key(const struct sc_yaml *y, const struct sc_ynode *n, size_t i)
{
	(void)y;
	return n && n->type == SC_Y_MAP && i < n->len ? n->items[2 * i] : NULL;
}

const struct sc_ynode *sc_ymap_value(const struct sc_yaml *y, const struct sc_ynode *n, size_t i)
{
	(void)y;
	return n && n->type == SC_Y_MAP && i < n->len ? n->items[2 * i + 1] : NULL;
}

const struct sc_ynode *sc_ymap_get(const struct sc_yaml *y, const struct sc_ynode *n, const char *key)
{
	(void)y;
	if (!n || n->type != SC_Y_MAP)
		return NULL;
	size_t klen = strlen(key);
	for (size_t i = 0; i < n->len; i++) {
		const struct sc_ynode *k = n->items[2 * i];
		if (k->type == SC_Y_SCALAR && k->len == klen && !memcmp(k->s, key, klen))
			return n->items[2 * i + 1];
	}
	return NULL;
}

const char *sc_ymap_str(const struct sc_yaml *y, const struct sc_ynode *n, const char *key)
{
	return sc_ynode_str(sc_ymap_get(y, n, key), NULL);
}
