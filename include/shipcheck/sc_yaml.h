/* sc_yaml.h - YAML documents (libyaml) with line/column for every node, for the policy file and
 * YAML lockfiles. Documents are read-only trees; nodes are borrowed from their document. */
#ifndef SHIPCHECK_SC_YAML_H
#define SHIPCHECK_SC_YAML_H

#include "sc_core.h"

#ifdef __cplusplus
extern "C" {
#endif

struct sc_yaml;  /* a parsed document */
struct sc_ynode; /* a node of it */

enum sc_ytype { SC_Y_NONE = 0, SC_Y_SCALAR, SC_Y_SEQ, SC_Y_MAP };

/* Parses the first document of data. NUL bytes, inputs over max_bytes and nesting deeper than 256
 * levels are errors; YAML errors carry FILE:LINE:COL. An empty document parses to a NULL root.
 * Duplicate mapping keys are an error (reported at the second). An alias shares its anchor's node
 * (nothing is copied), and must come after that node's end (no cycles). */
enum sc_status sc_yaml_parse(const char *path, const char *data, size_t len, size_t max_bytes,
			     struct sc_yaml **out, struct sc_error *err);
void sc_yaml_free(struct sc_yaml *y);
const char *sc_yaml_path(const struct sc_yaml *y);

const struct sc_ynode *sc_yaml_root(const struct sc_yaml *y);
enum sc_ytype sc_ynode_type(const struct sc_ynode *n);
/* Scalar text (NUL-terminated; *len may be NULL); NULL for non-scalars. */
const char *sc_ynode_str(const struct sc_ynode *n, size_t *len);
/* True for a plain (unquoted) scalar: `~`, `null`, `true`, numbers are plain. */
bool sc_ynode_plain(const struct sc_ynode *n);
/* 1-based line and column where the node starts. */
void sc_ynode_pos(const struct sc_ynode *n, unsigned *line, unsigned *col);
/* Number of items (sequence) or pairs (mapping); 0 otherwise. */
size_t sc_ynode_len(const struct sc_yaml *y, const struct sc_ynode *n);
const struct sc_ynode *sc_yseq_at(const struct sc_yaml *y, const struct sc_ynode *n, size_t i);
const struct sc_ynode *sc_ymap_key(const struct sc_yaml *y, const struct sc_ynode *n, size_t i);
const struct sc_ynode *sc_ymap_value(const struct sc_yaml *y, const struct sc_ynode *n, size_t i);
/* The value of the pair whose scalar key is `key`, or NULL. */
const struct sc_ynode *sc_ymap_get(const struct sc_yaml *y, const struct sc_ynode *n, const char *key);
/* Convenience: the scalar string value at key, or NULL when missing or not a scalar. */
const char *sc_ymap_str(const struct sc_yaml *y, const struct sc_ynode *n, const char *key);

#ifdef __cplusplus
}
#endif
#endif
