/* toml.h - a small reader for the subset of TOML that lockfiles use (Cargo.lock, poetry.lock,
 * uv.lock): tables, arrays of tables, dotted keys, strings of all four kinds, arrays, inline
 * tables; numbers, booleans and dates are kept as raw text. No TOML library exists in Debian for
 * C. Nodes are borrowed from their document. Internal to lib/extract. */
#ifndef SC_TOML_H
#define SC_TOML_H

#include "shipcheck/sc_core.h"

enum sc_ttype { SC_T_NONE = 0, SC_T_STR, SC_T_RAW, SC_T_ARRAY, SC_T_TABLE };

struct sc_toml;
struct sc_tnode;

/* Parses data. Errors (syntax, duplicate keys, nesting deeper than 64, NUL bytes) carry
 * FILE:LINE:COL. */
enum sc_status sc_toml_parse(const char *path, const char *data, size_t len, struct sc_toml **out,
			     struct sc_error *err);
void sc_toml_free(struct sc_toml *t);
const struct sc_tnode *sc_toml_root(const struct sc_toml *t);

enum sc_ttype sc_tnode_type(const struct sc_tnode *n); /* SC_T_NONE for NULL */
/* Text of a string or raw value; NULL otherwise. */
const char *sc_tnode_str(const struct sc_tnode *n);
unsigned sc_tnode_line(const struct sc_tnode *n);
/* Items of an array, pairs of a table. */
size_t sc_tnode_len(const struct sc_tnode *n);
const struct sc_tnode *sc_tarr_at(const struct sc_tnode *n, size_t i);
const char *sc_ttab_key(const struct sc_tnode *n, size_t i);
const struct sc_tnode *sc_ttab_value(const struct sc_tnode *n, size_t i);
const struct sc_tnode *sc_ttab_get(const struct sc_tnode *n, const char *key);
/* String/raw value at key, or NULL. */
const char *sc_ttab_str(const struct sc_tnode *n, const char *key);

/* A lockfile's `[[package]]` array (Cargo.lock, poetry.lock, uv.lock): *pkgs NULL when absent;
 * SC_EINPUT on its line when it is not an array of tables. */
enum sc_status sc_toml_lock_packages(const struct sc_tnode *root, const char *path, const struct sc_tnode **pkgs,
				     struct sc_error *err);
/* Its entry i: a table with a name (and a version when need_version), else SC_EINPUT on its line. */
enum sc_status sc_toml_lock_package(const struct sc_tnode *pkgs, size_t i, const char *path, bool need_version,
				    const struct sc_tnode **p, struct sc_error *err);

#endif
