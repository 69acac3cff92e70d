/* jsondoc.h - a read-only JSON document for the large lockfile extractors (npm): the buffer is
 * streamed through libyajl's SAX parser into a flat array of values in document order, strings
 * decoded into one block. It accepts exactly what jansson's json_loadb(JSON_REJECT_DUPLICATES)
 * accepts (checked by the differential fuzz target fuzz_extract_json), and on invalid input reports
 * jansson's own error message. Why not jansson's DOM: it needs ~45 ms to load and ~20 ms to free a
 * 2 MB package-lock.json (one malloc per value, one call per byte); this needs a few ms. See
 * docs/internals/deps.md. */
#ifndef SC_EXTRACT_JSONDOC_H
#define SC_EXTRACT_JSONDOC_H

#include "shipcheck/sc_core.h"

/* Values nested deeper than this are refused (jansson's JSON_PARSER_MAX_DEPTH). */
#define SC_JDOC_MAX_DEPTH 2048

enum sc_jtype { SC_J_NULL, SC_J_FALSE, SC_J_TRUE, SC_J_INT, SC_J_REAL, SC_J_STRING, SC_J_ARRAY, SC_J_OBJECT };

/* One value. An object's members follow it as (key string, value) pairs, an array's elements
 * follow it; `end` skips the whole subtree. */
struct sc_jval {
	enum sc_jtype type;
	uint32_t off; /* byte offset of the value (of a key: its opening quote) in the input */
	uint32_t end; /* index of the first value after this one's subtree */
	uint32_t len; /* string: bytes (no NUL inside); array/object: number of elements/members */
	union {
		const char *s; /* NUL-terminated, owned by the document */
		int64_t i;
		double d;
	} u;
};

struct sc_jdoc {
	struct sc_jval *v; /* v[0] is the root (an object or an array) */
	size_t n, cap;
	char *strs; /* every decoded string, NUL-terminated */
};

/* Parses data (len bytes, need not be NUL-terminated). Invalid JSON: SC_EINPUT with jansson's
 * message, line and column ("invalid JSON: ..."); over 4 GiB: SC_ELIMIT. d is always initialised
 * and must be freed with sc_jdoc_free. */
enum sc_status sc_jdoc_parse(struct sc_jdoc *d, const char *path, const char *data, size_t len,
			     struct sc_error *err);
void sc_jdoc_free(struct sc_jdoc *d);

static inline const struct sc_jval *sc_jdoc_root(const struct sc_jdoc *d) { return d->n ? d->v : NULL; }
/* The member `key` of object o; NULL when o is NULL or not an object or has no such member. */
const struct sc_jval *sc_jdoc_get(const struct sc_jdoc *d, const struct sc_jval *o, const char *key);
/* The string value of o[key], NULL when absent or not a string. */
const char *sc_jdoc_str(const struct sc_jdoc *d, const struct sc_jval *o, const char *key);
/* True when o[key] is `true`. */
bool sc_jdoc_true(const struct sc_jdoc *d, const struct sc_jval *o, const char *key);
static inline bool sc_jdoc_is(const struct sc_jval *v, enum sc_jtype t) { return v && v->type == t; }

/* Iteration: the first child of an array (its first element) or of an object (its first key; the
 * value is the next struct), NULL when empty or not a container. sc_jdoc_next takes the last
 * element (or the last member's value) and returns the next element (or key), NULL at the end. */
const struct sc_jval *sc_jdoc_first(const struct sc_jdoc *d, const struct sc_jval *c);
const struct sc_jval *sc_jdoc_next(const struct sc_jdoc *d, const struct sc_jval *c, const struct sc_jval *last);

/* for each member (key k, value val) of object obj; no members when obj is not an object */
#define SC_JDOC_FOREACH_MEMBER(d, obj, k, val)                                                          \
	for (const struct sc_jval *k = sc_jdoc_is((obj), SC_J_OBJECT) ? sc_jdoc_first((d), (obj)) : NULL, \
				  *val = k ? k + 1 : NULL;                                              \
	     k; k = sc_jdoc_next((d), (obj), val), val = k ? k + 1 : NULL)

#endif
