/* fuzz_extract_json.c - differential libFuzzer target of the lockfile JSON reader
 * (lib/extract/jsondoc.c) against jansson's json_loadb(JSON_REJECT_DUPLICATES): both must accept
 * or refuse the same inputs, and accepted documents must hold the same values (types, strings
 * byte for byte, integers, reals, members and elements), and every value's and key's byte offset
 * must point at its first character. Any difference aborts. */
#include <jansson.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../lib/extract/jsondoc.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void differ(const char *what)
{
	fprintf(stderr, "fuzz_extract_json: jsondoc and jansson differ: %s\n", what);
	abort();
}

static const uint8_t *input; /* the document being compared */

/* The byte a value of this type starts with (a number: '-' or a digit). */
static void starts_right(const struct sc_jval *v)
{
	static const char first[] = {[SC_J_NULL] = 'n', [SC_J_FALSE] = 'f', [SC_J_TRUE] = 't', [SC_J_STRING] = '"',
				     [SC_J_ARRAY] = '[', [SC_J_OBJECT] = '{'};
	uint8_t c = input[v->off];
	if (v->type == SC_J_INT || v->type == SC_J_REAL ? c != '-' && (c < '0' || c > '9') : c != first[v->type])
		differ("offset");
}

static void same(const struct sc_jdoc *d, const struct sc_jval *v, const json_t *j)
{
	starts_right(v);
	switch (v->type) {
	case SC_J_NULL:
		if (!json_is_null(j))
			differ("null");
		break;
	case SC_J_TRUE:
		if (!json_is_true(j))
			differ("true");
		break;
	case SC_J_FALSE:
		if (!json_is_false(j))
			differ("false");
		break;
	case SC_J_INT:
		if (!json_is_integer(j) || json_integer_value(j) != v->u.i)
			differ("integer");
		break;
	case SC_J_REAL:
		if (!json_is_real(j) || json_real_value(j) != v->u.d)
			differ("real");
		break;
	case SC_J_STRING:
		if (!json_is_string(j) || json_string_length(j) != v->len ||
		    memcmp(json_string_value(j), v->u.s, v->len) || v->u.s[v->len])
			differ("string");
		break;
	case SC_J_ARRAY: {
		if (!json_is_array(j) || json_array_size(j) != v->len)
			differ("array");
		size_t i = 0;
		for (const struct sc_jval *e = sc_jdoc_first(d, v); e; e = sc_jdoc_next(d, v, e))
			same(d, e, json_array_get(j, i++));
		if (i != v->len)
			differ("array length");
		break;
	}
	case SC_J_OBJECT: {
		if (!json_is_object(j) || json_object_size(j) != v->len)
			differ("object");
		size_t n = 0;
		SC_JDOC_FOREACH_MEMBER(d, v, k, val) {
			const json_t *m = json_object_getn(j, k->u.s, k->len);
			if (!m)
				differ("member missing");
			starts_right(k);
			same(d, val, m);
			n++;
		}
		if (n != v->len)
			differ("object size");
		break;
	}
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sc_jdoc d;
	struct sc_error err = {0};
	enum sc_status st = sc_jdoc_parse(&d, "fuzz.json", (const char *)data, size, &err);
	json_error_t je;
	json_t *j = json_loadb((const char *)data, size, JSON_REJECT_DUPLICATES, &je);
	if ((st == SC_OK) != (j != NULL))
		differ(st == SC_OK ? "only jsondoc accepts" : "only jansson accepts");
	input = data;
	if (j)
		same(&d, sc_jdoc_root(&d), j);
	else if (!err.msg || strncmp(err.msg, "invalid JSON: ", 14) || strcmp(err.msg + 14, je.text))
		differ("error message");
	json_decref(j);
	sc_jdoc_free(&d);
	sc_error_clear(&err);
	return 0;
}
