/* test_extract_json.c - the npm extractor's JSON reader (lib/extract/jsondoc.c, on libyajl): values,
 * offsets and iteration, and for a table of valid and invalid documents the same verdict and error message as
 * jansson's json_loadb(JSON_REJECT_DUPLICATES), which it replaces on the lockfile path. */
#include "testutil.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "../../lib/extract/jsondoc.h"

static void test_values(void **state)
{
	(void)state;
	const char *doc = "{\n  \"s\": \"a\\\"b\\\\c\\/d\\n\\u00e9\\ud83d\\ude00\",\n  \"i\": -42, \"big\": 9223372036854775807,\n"
			  "  \"r\": 1.5e3, \"t\": true, \"f\": false, \"n\": null,\n"
			  "  \"a\": [1, [2, 3], {\"x\": {}}, []],\n  \"o\": {\"k\": \"v\"}\n}";
	struct sc_jdoc d;
	struct sc_error err = {0};
	assert_int_equal(sc_jdoc_parse(&d, "t.json", doc, strlen(doc), &err), SC_OK);
	const struct sc_jval *root = sc_jdoc_root(&d);
	assert_int_equal(root->type, SC_J_OBJECT);
	assert_int_equal(root->len, 9);
	assert_string_equal(sc_jdoc_str(&d, root, "s"), "a\"b\\c/d\n\xc3\xa9\xf0\x9f\x98\x80");
	assert_int_equal(sc_jdoc_get(&d, root, "s")->len, strlen("a\"b\\c/d\n\xc3\xa9\xf0\x9f\x98\x80"));
	assert_int_equal(sc_jdoc_get(&d, root, "i")->u.i, -42);
	assert_true(sc_jdoc_get(&d, root, "big")->u.i == INT64_MAX);
	assert_true(sc_jdoc_get(&d, root, "r")->type == SC_J_REAL && sc_jdoc_get(&d, root, "r")->u.d == 1500.0);
	assert_true(sc_jdoc_true(&d, root, "t"));
	assert_false(sc_jdoc_true(&d, root, "f"));
	assert_int_equal(sc_jdoc_get(&d, root, "n")->type, SC_J_NULL);
	assert_null(sc_jdoc_get(&d, root, "missing"));
	assert_null(sc_jdoc_str(&d, root, "i")); /* not a string */
	assert_null(sc_jdoc_get(&d, sc_jdoc_get(&d, root, "a"), "x")); /* not an object */
	/* the array's elements, skipping nested containers whole */
	const struct sc_jval *a = sc_jdoc_get(&d, root, "a");
	enum sc_jtype want[] = {SC_J_INT, SC_J_ARRAY, SC_J_OBJECT, SC_J_ARRAY};
	size_t n = 0;
	for (const struct sc_jval *e = sc_jdoc_first(&d, a); e; e = sc_jdoc_next(&d, a, e))
		assert_int_equal(e->type, want[n++]);
	assert_int_equal(n, 4);
	/* members in document order, keys with their byte offsets */
	const char *keys[] = {"s", "i", "big", "r", "t", "f", "n", "a", "o"};
	n = 0;
	SC_JDOC_FOREACH_MEMBER(&d, root, k, v) {
		if (n < 9) {
			assert_string_equal(k->u.s, keys[n]);
			assert_int_equal(doc[k->off], '"');
			assert_int_equal(strncmp(doc + k->off + 1, keys[n], strlen(keys[n])), 0);
		}
		n++;
	}
	assert_int_equal(n, 9);
	assert_string_equal(sc_jdoc_str(&d, sc_jdoc_get(&d, root, "o"), "k"), "v");
	sc_jdoc_free(&d);
}

/* Keys with escapes (yajl hands their decoded text) still get the offset of their opening quote. */
static void test_escaped_key_offsets(void **state)
{
	(void)state;
	const char *doc = "{\"x\\\"y\": 1,\n \"\\\\\": [\"\\\"\"], \"\\u0041\\\\\\\"\":{},\"p\":2}";
	struct sc_jdoc d;
	struct sc_error err = {0};
	assert_int_equal(sc_jdoc_parse(&d, "t.json", doc, strlen(doc), &err), SC_OK);
	const char *keys[] = {"x\"y", "\\", "A\\\"", "p"};
	const char *raw[] = {"\"x\\\"y\":", "\"\\\\\":", "\"\\u0041\\\\\\\"\":", "\"p\":"};
	size_t n = 0;
	SC_JDOC_FOREACH_MEMBER(&d, sc_jdoc_root(&d), k, v) {
		assert_true(n < 4);
		assert_string_equal(k->u.s, keys[n]);
		assert_int_equal(strncmp(doc + k->off, raw[n], strlen(raw[n])), 0);
		n++;
	}
	assert_int_equal(n, 4);
	const struct sc_jval *a = sc_jdoc_get(&d, sc_jdoc_root(&d), "\\");
	assert_int_equal(doc[sc_jdoc_first(&d, a)->off], '"');
	assert_int_equal(doc[sc_jdoc_first(&d, a)->off - 1], '[');
	sc_jdoc_free(&d);
}

/* Each document gets the same verdict as jansson, and a refused one jansson's message. */
static void test_same_verdict_as_jansson(void **state)
{
	(void)state;
	static const char *const docs[] = {
		"{}", "[]", " \t\r\n{}\n", "[null,true,false]", "[0,-0,1.5,-2e-3,1E+2]", "{\"a\":{\"b\":[{}]}}",
		"[-9223372036854775808]", "[9223372036854775808]", "[-9223372036854775809]", "[1e308]",
		"[1e309]", "[-1e309]", "[1e-400]", "[01]", "[-]", "[1.]", "[.5]", "[1e]", "[+1]", "[1,]",
		"{\"a\":1,}", "{,}", "[,1]", "{\"a\" 1}", "{\"a\":}", "{1:2}", "{'a':1}", "[tru]", "[truex]",
		"[nul]", "[true false]", "\"str\"", "1", "null", "", " ", "[] x", "[]]", "[\"\\u0000\"]",
		"[\"\\ud800\"]", "[\"\\udc00\"]", "[\"\\ud800\\u0041\"]", "[\"\\ud800\\udc00\"]", "[\"\\x\"]",
		"[\"\\u12\"]", "[\"\\u12G4\"]", "[\"a\tb\"]", "[\"a\x7f\"]", "[\"\xc3\xa9\"]", "[\"\xc3\"]",
		"[\"\xc0\xaf\"]", "[\"\xed\xa0\x80\"]", "[\"\xf4\x90\x80\x80\"]", "[\"\xf0\x9f\x98\x80\"]",
		"[\"\xe2\x82\"]", "[\"\xff\"]", "[\"unterminated]", "{\"a\":1,\"a\":2}",
		"{\"a\":1,\"\\u0061\":2}", "{\"a\":{\"b\":1},\"c\":{\"b\":2}}", "{\"ab\":1,\"a\":2,\"b\":3}",
		"{\"a\":1}garbage", "\xef\xbb\xbf{}", "[1]\n\n", "\f{}", "[1\v]", "{}\f", "[\"a\vb\"]",
		"{\"a\\\\\":1}", "[\"\\\\\\\"\"]", "[\"\\\\u0000\"]", "[\"\\\\ud800\"]", "{\"\\ud800\\udc00\":[]}",
		"{}\"", "{} \"abc", "[1] 2", "[1] -", "{\"a\": 3}\": 3}", "[]t", "[] 1.5e",
	};
	for (size_t i = 0; i < sizeof(docs) / sizeof(docs[0]); i++) {
		struct sc_jdoc d;
		struct sc_error err = {0};
		enum sc_status st = sc_jdoc_parse(&d, "t.json", docs[i], strlen(docs[i]), &err);
		json_error_t je;
		json_t *j = json_loadb(docs[i], strlen(docs[i]), JSON_REJECT_DUPLICATES, &je);
		if ((st == SC_OK) != (j != NULL))
			fail_msg("doc %zu `%s`: jsondoc %s, jansson %s", i, docs[i], st == SC_OK ? "accepts" : "refuses",
				 j ? "accepts" : "refuses");
		if (!j) {
			char want[300];
			snprintf(want, sizeof(want), "invalid JSON: %s", je.text);
			assert_string_equal(err.msg, want);
			assert_int_equal(err.line, (unsigned)je.line);
			assert_int_equal(err.col, (unsigned)je.column);
			assert_string_equal(err.file, "t.json");
		}
		json_decref(j);
		sc_jdoc_free(&d);
		sc_error_clear(&err);
	}
	/* NUL bytes: jansson skips one right after a number or literal, and nowhere else */
	static const struct {
		const char *doc;
		size_t len;
		bool ok;
	} nul[] = {
		{"[false\0, 1]", 11, true}, {"[1\0]", 4, true}, {"[1.5\0,null\0]", 12, true},
		{"[1\0\0]", 5, false}, {"[\0 1]", 5, false}, {"[\"a\0\"]", 6, false}, {"{}\0", 3, false},
		{"[1,\0 2]", 7, false},
	};
	for (size_t i = 0; i < sizeof(nul) / sizeof(nul[0]); i++) {
		struct sc_jdoc d;
		struct sc_error err = {0};
		json_error_t je;
		json_t *j = json_loadb(nul[i].doc, nul[i].len, JSON_REJECT_DUPLICATES, &je);
		assert_int_equal(j != NULL, nul[i].ok);
		assert_int_equal(sc_jdoc_parse(&d, "t.json", nul[i].doc, nul[i].len, &err) == SC_OK, nul[i].ok);
		json_decref(j);
		sc_jdoc_free(&d);
		sc_error_clear(&err);
	}
}

/* 2048 nested containers are fine; a value one level deeper is refused, as jansson does. */
static void test_depth(void **state)
{
	(void)state;
	for (int depth = SC_JDOC_MAX_DEPTH - 1; depth <= SC_JDOC_MAX_DEPTH + 1; depth++) {
		for (int scalar = 0; scalar <= 1; scalar++) {
			size_t n = 0;
			char *doc = sc_xmalloc(2 * (size_t)depth + 2);
			for (int i = 0; i < depth; i++)
				doc[n++] = '[';
			if (scalar)
				doc[n++] = '7';
			for (int i = 0; i < depth; i++)
				doc[n++] = ']';
			struct sc_jdoc d;
			struct sc_error err = {0};
			bool ok = sc_jdoc_parse(&d, "t.json", doc, n, &err) == SC_OK;
			bool want = depth + scalar <= SC_JDOC_MAX_DEPTH;
			if (ok != want)
				fail_msg("depth %d scalar %d: %s", depth, scalar, ok ? "accepted" : err.msg);
			if (!ok)
				assert_non_null(strstr(err.msg, "maximum parsing depth"));
			sc_jdoc_free(&d);
			sc_error_clear(&err);
			free(doc);
		}
	}
}

/* Large objects check duplicates with a hash table: a late duplicate among 5,000 keys is found,
 * and 5,000 distinct keys (the size of a big lockfile's "packages") are accepted. */
static void test_large_objects(void **state)
{
	(void)state;
	struct sc_strbuf sb;
	sc_strbuf_init(&sb, 1u << 24);
	for (int dup = 0; dup <= 1; dup++) {
		sc_strbuf_reset(&sb);
		sc_strbuf_puts(&sb, "{\"packages\": {");
		for (int i = 0; i < 5000; i++)
			sc_strbuf_printf(&sb, "%s\"node_modules/p%d\": {\"version\": \"1.0.%d\"}", i ? ",\n" : "", i, i);
		if (dup)
			sc_strbuf_puts(&sb, ",\n\"node_modules/p\\u0031234\": {}");
		sc_strbuf_puts(&sb, "}}");
		struct sc_jdoc d;
		struct sc_error err = {0};
		enum sc_status st = sc_jdoc_parse(&d, "t.json", sb.buf, sb.len, &err);
		if (dup) {
			assert_int_equal(st, SC_EINPUT);
			assert_non_null(strstr(err.msg, "duplicate object key"));
			assert_int_equal(err.line, 5001);
		} else {
			assert_int_equal(st, SC_OK);
			const struct sc_jval *p = sc_jdoc_get(&d, sc_jdoc_root(&d), "packages");
			assert_int_equal(p->len, 5000);
			assert_string_equal(sc_jdoc_str(&d, sc_jdoc_get(&d, p, "node_modules/p4999"), "version"),
					    "1.0.4999");
		}
		sc_jdoc_free(&d);
		sc_error_clear(&err);
	}
	sc_strbuf_free(&sb);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_values),
		cmocka_unit_test(test_escaped_key_offsets),
		cmocka_unit_test(test_same_verdict_as_jansson),
		cmocka_unit_test(test_depth),
		cmocka_unit_test(test_large_objects),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
