/* yaml.c - YAML documents through libyaml, with positions, limits and duplicate-key detection.
 * libyaml (rather than libfyaml 0.7, which fuzzing showed to double-free and hang on malformed
 * input) is OSS-Fuzz-tested and keeps start marks on every node. */
#include "shipcheck/sc_yaml.h"

#include <stdlib.h>
#include <string.h>
#include <yaml.h>

struct sc_yaml {
	yaml_document_t doc;
	char *path;
	bool loaded;
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

static bool same_scalar(const yaml_node_t *a, const yaml_node_t *b)
{
	return a->data.scalar.length == b->data.scalar.length &&
	       !memcmp(a->data.scalar.value, b->data.scalar.value, a->data.scalar.length);
}

/* A scalar key that a mapping has twice is an error (at the second). Small mappings compare each
 * key with those before it; larger ones go through a hash table of the keys (comparing every pair
 * was quadratic: 400 mappings of 4,000 keys took 31 s, and mappings over 4,096 keys were not
 * checked at all). Keys are compared by length and bytes: a scalar may hold a NUL. */
static enum sc_status duplicate_keys(struct sc_yaml *y, yaml_node_pair_t *start, yaml_node_pair_t *top,
				     struct sc_error *err)
{
	size_t npairs = (size_t)(top - start), cap = 0;
	yaml_node_t **table = NULL;
	if (npairs > 16) {
		cap = 64;
		while (cap < 2 * npairs)
			cap *= 2;
		table = sc_xcalloc(cap, sizeof(*table));
	}
	enum sc_status st = SC_OK;
	for (yaml_node_pair_t *pp = start; pp < top && st == SC_OK; pp++) {
		yaml_node_t *k = yaml_document_get_node(&y->doc, pp->key);
		if (!k || k->type != YAML_SCALAR_NODE)
			continue;
		yaml_node_t *first = NULL;
		if (table) {
			size_t i = (size_t)sc_hash_bytes(k->data.scalar.value, k->data.scalar.length) & (cap - 1);
			for (; table[i] && !first; i = (i + 1) & (cap - 1))
				if (same_scalar(table[i], k))
					first = table[i];
			if (!first)
				table[i] = k;
		} else {
			for (yaml_node_pair_t *q = start; q < pp && !first; q++) {
				yaml_node_t *k2 = yaml_document_get_node(&y->doc, q->key);
				if (k2 && k2->type == YAML_SCALAR_NODE && same_scalar(k2, k))
					first = k2;
			}
		}
		if (first)
			st = sc_error_set(err, SC_EINPUT, y->path, (unsigned)k->start_mark.line + 1,
					  (unsigned)k->start_mark.column + 1, "duplicate key `%s` (first at line %u)",
					  (const char *)k->data.scalar.value, (unsigned)first->start_mark.line + 1);
	}
	free(table);
	return st;
}

/* Checks nesting depth (without following aliases twice) and duplicate keys. */
static enum sc_status validate(struct sc_yaml *y, yaml_node_t *n, unsigned depth, struct sc_error *err)
{
	if (depth > MAX_DEPTH)
		return sc_error_set(err, SC_ELIMIT, y->path, (unsigned)n->start_mark.line + 1,
				    (unsigned)n->start_mark.column + 1, "YAML nesting deeper than %d levels", MAX_DEPTH);
	if (n->type == YAML_SEQUENCE_NODE) {
		for (yaml_node_item_t *it = n->data.sequence.items.start; it < n->data.sequence.items.top; it++) {
			yaml_node_t *c = yaml_document_get_node(&y->doc, *it);
			if (c && c > n) { /* only descend forward: aliases point back to earlier nodes */
				enum sc_status st = validate(y, c, depth + 1, err);
				if (st)
					return st;
			}
		}
	} else if (n->type == YAML_MAPPING_NODE) {
		yaml_node_pair_t *start = n->data.mapping.pairs.start, *top = n->data.mapping.pairs.top;
		enum sc_status dup = duplicate_keys(y, start, top, err);
		if (dup)
			return dup;
		for (yaml_node_pair_t *pp = start; pp < top; pp++) {
			yaml_node_t *k = yaml_document_get_node(&y->doc, pp->key);
			yaml_node_t *v = yaml_document_get_node(&y->doc, pp->value);
			if (k && k > n && k->type != YAML_SCALAR_NODE) {
				enum sc_status st = validate(y, k, depth + 1, err);
				if (st)
					return st;
			}
			if (v && v > n) {
				enum sc_status st = validate(y, v, depth + 1, err);
				if (st)
					return st;
			}
		}
	}
	return SC_OK;
}

/* A cheap pre-pass bounding flow/block nesting so libyaml's own stacks stay small. */
static bool nesting_ok(const char *data, size_t len)
{
	int depth = 0;
	for (size_t i = 0; i < len; i++) {
		if (data[i] == '[' || data[i] == '{') {
			if (++depth > MAX_DEPTH)
				return false;
		} else if (data[i] == ']' || data[i] == '}') {
			if (depth)
				depth--;
		} else if (data[i] == '\n') {
			/* flow collections may span lines; keep counting */
		}
	}
	return true;
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
	if (!nesting_ok(data, len))
		return sc_error_set(err, SC_ELIMIT, path, 0, 0, "YAML nesting deeper than %d levels", MAX_DEPTH);
	struct sc_yaml *y = sc_xcalloc(1, sizeof(*y));
	y->path = sc_xstrdup(path ? path : "<yaml>");
	yaml_parser_t p;
	if (!yaml_parser_initialize(&p)) {
		sc_yaml_free(y);
		return sc_error_set(err, SC_EINTERNAL, path, 0, 0, "cannot initialise the YAML parser");
	}
	yaml_parser_set_input_string(&p, (const unsigned char *)data, len);
	enum sc_status st = SC_OK;
	if (!yaml_parser_load(&p, &y->doc)) {
		st = yaml_err(err, y->path, &p);
	} else {
		y->loaded = true;
		yaml_node_t *root = yaml_document_get_root_node(&y->doc);
		if (root)
			st = validate(y, root, 0, err);
	}
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
	if (y->loaded)
		yaml_document_delete(&y->doc);
	free(y->path);
	free(y);
}

const char *sc_yaml_path(const struct sc_yaml *y)
{
	return y->path;
}

#define NODE(n) ((yaml_node_t *)(n))

const struct sc_ynode *sc_yaml_root(const struct sc_yaml *y)
{
	return (const struct sc_ynode *)yaml_document_get_root_node((yaml_document_t *)&y->doc);
}

enum sc_ytype sc_ynode_type(const struct sc_ynode *n)
{
	if (!n)
		return SC_Y_NONE;
	switch (NODE(n)->type) {
	case YAML_SCALAR_NODE: return SC_Y_SCALAR;
	case YAML_SEQUENCE_NODE: return SC_Y_SEQ;
	case YAML_MAPPING_NODE: return SC_Y_MAP;
	default: return SC_Y_NONE;
	}
}

const char *sc_ynode_str(const struct sc_ynode *n, size_t *len)
{
	if (!n || NODE(n)->type != YAML_SCALAR_NODE)
		return NULL;
	if (len)
		*len = NODE(n)->data.scalar.length;
	return (const char *)NODE(n)->data.scalar.value;
}

bool sc_ynode_plain(const struct sc_ynode *n)
{
	return n && NODE(n)->type == YAML_SCALAR_NODE && NODE(n)->data.scalar.style == YAML_PLAIN_SCALAR_STYLE;
}

void sc_ynode_pos(const struct sc_ynode *n, unsigned *line, unsigned *col)
{
	*line = n ? (unsigned)NODE(n)->start_mark.line + 1 : 0;
	*col = n ? (unsigned)NODE(n)->start_mark.column + 1 : 0;
}

size_t sc_ynode_len(const struct sc_yaml *y, const struct sc_ynode *n)
{
	(void)y;
	if (!n)
		return 0;
	if (NODE(n)->type == YAML_SEQUENCE_NODE)
		return (size_t)(NODE(n)->data.sequence.items.top - NODE(n)->data.sequence.items.start);
	if (NODE(n)->type == YAML_MAPPING_NODE)
		return (size_t)(NODE(n)->data.mapping.pairs.top - NODE(n)->data.mapping.pairs.start);
	return 0;
}

const struct sc_ynode *sc_yseq_at(const struct sc_yaml *y, const struct sc_ynode *n, size_t i)
{
	if (!n || NODE(n)->type != YAML_SEQUENCE_NODE || i >= sc_ynode_len(y, n))
		return NULL;
	return (const struct sc_ynode *)yaml_document_get_node((yaml_document_t *)&y->doc,
							       NODE(n)->data.sequence.items.start[i]);
}

const struct sc_ynode *sc_ymap_key(const struct sc_yaml *y, const struct sc_ynode *n, size_t i)
{
	if (!n || NODE(n)->type != YAML_MAPPING_NODE || i >= sc_ynode_len(y, n))
		return NULL;
	return (const struct sc_ynode *)yaml_document_get_node((yaml_document_t *)&y->doc,
							       NODE(n)->data.mapping.pairs.start[i].key);
}

const struct sc_ynode *sc_ymap_value(const struct sc_yaml *y, const struct sc_ynode *n, size_t i)
{
	if (!n || NODE(n)->type != YAML_MAPPING_NODE || i >= sc_ynode_len(y, n))
		return NULL;
	return (const struct sc_ynode *)yaml_document_get_node((yaml_document_t *)&y->doc,
							       NODE(n)->data.mapping.pairs.start[i].value);
}

const struct sc_ynode *sc_ymap_get(const struct sc_yaml *y, const struct sc_ynode *n, const char *key)
{
	size_t klen = strlen(key), cnt = sc_ynode_len(y, n);
	if (!n || NODE(n)->type != YAML_MAPPING_NODE)
		return NULL;
	for (size_t i = 0; i < cnt; i++) {
		size_t len;
		const char *k = sc_ynode_str(sc_ymap_key(y, n, i), &len);
		if (k && len == klen && !memcmp(k, key, klen))
			return sc_ymap_value(y, n, i);
	}
	return NULL;
}

const char *sc_ymap_str(const struct sc_yaml *y, const struct sc_ynode *n, const char *key)
{
	return sc_ynode_str(sc_ymap_get(y, n, key), NULL);
}
