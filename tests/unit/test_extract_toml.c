/* test_extract_toml.c - the TOML-subset reader used by the Cargo/poetry/uv extractors: values,
 * tables, arrays of tables, dotted keys, strings of all four kinds, and the errors it reports. */
#include "testutil.h"

#include <string.h>

#include "../../lib/extract/toml.h"

static struct sc_toml *parse_ok(const char *doc)
{
	struct sc_toml *t = NULL;
	struct sc_error err = {0};
	if (sc_toml_parse("t.toml", doc, strlen(doc), &t, &err) != SC_OK)
		fail_msg("parse failed: %u:%u: %s\n%s", err.line, err.col, err.msg, doc);
	return t;
}

static void test_values(void **state)
{
	(void)state;
	const char *doc = "# comment\n"
			  "title = \"a \\\"q\\\" \\u00e9 \\U0001F600\\tx\"\n"
			  "lit = 'C:\\path\\n'\n"
			  "ml = \"\"\"\nline1\nline2 \\\n   joined\"\"\"\n"
			  "mll = '''\nraw \\n'''\n"
			  "num = 42\nflt = -1.5e3\nyes = true\n"
			  "date = 1979-05-27 07:32:00\n"
			  "arr = [ 1, \"two\", [3, 4], ] # trailing comma\n"
			  "multi = [\n  \"a\", # c\n  \"b\",\n]\n"
			  "inl = { name = \"x\", nested = { v = 1 } }\n"
			  "a.b.c = \"dotted\"\n"
			  "\"quoted key\" = 1\n"
			  "[table]\nk = \"v\"\n"
			  "[table.sub]\nk2 = 2\n"
			  "[[pkg]]\nname = \"one\"\n[pkg.dependencies]\nx = \"1\"\n"
			  "[[pkg]]\nname = \"two\"\n";
	struct sc_toml *t = parse_ok(doc);
	const struct sc_tnode *r = sc_toml_root(t);
	assert_string_equal(sc_ttab_str(r, "title"), "a \"q\" \xc3\xa9 \xf0\x9f\x98\x80\tx");
	assert_string_equal(sc_ttab_str(r, "lit"), "C:\\path\\n");
	assert_string_equal(sc_ttab_str(r, "ml"), "line1\nline2 joined");
	assert_string_equal(sc_ttab_str(r, "mll"), "raw \\n");
	assert_string_equal(sc_ttab_str(r, "num"), "42");
	assert_int_equal(sc_tnode_type(sc_ttab_get(r, "num")), SC_T_RAW);
	assert_string_equal(sc_ttab_str(r, "flt"), "-1.5e3");
	assert_string_equal(sc_ttab_str(r, "yes"), "true");
	assert_string_equal(sc_ttab_str(r, "date"), "1979-05-27 07:32:00");
	const struct sc_tnode *arr = sc_ttab_get(r, "arr");
	assert_int_equal(sc_tnode_len(arr), 3);
	assert_string_equal(sc_tnode_str(sc_tarr_at(arr, 1)), "two");
	assert_int_equal(sc_tnode_len(sc_tarr_at(arr, 2)), 2);
	assert_int_equal(sc_tnode_len(sc_ttab_get(r, "multi")), 2);
	const struct sc_tnode *inl = sc_ttab_get(r, "inl");
	assert_string_equal(sc_ttab_str(inl, "name"), "x");
	assert_string_equal(sc_ttab_str(sc_ttab_get(inl, "nested"), "v"), "1");
	assert_string_equal(sc_ttab_str(sc_ttab_get(sc_ttab_get(r, "a"), "b"), "c"), "dotted");
	assert_string_equal(sc_ttab_str(r, "quoted key"), "1");
	const struct sc_tnode *tab = sc_ttab_get(r, "table");
	assert_string_equal(sc_ttab_str(tab, "k"), "v");
	assert_string_equal(sc_ttab_str(sc_ttab_get(tab, "sub"), "k2"), "2");
	const struct sc_tnode *pkg = sc_ttab_get(r, "pkg");
	assert_int_equal(sc_tnode_type(pkg), SC_T_ARRAY);
	assert_int_equal(sc_tnode_len(pkg), 2);
	assert_string_equal(sc_ttab_str(sc_tarr_at(pkg, 0), "name"), "one");
	assert_string_equal(sc_ttab_str(sc_ttab_get(sc_tarr_at(pkg, 0), "dependencies"), "x"), "1");
	assert_string_equal(sc_ttab_str(sc_tarr_at(pkg, 1), "name"), "two");
	unsigned want = 1;
	for (const char *c = doc; c < strstr(doc, "[[pkg]]\nname = \"two\""); c++)
		want += *c == '\n';
	assert_int_equal(sc_tnode_line(sc_tarr_at(pkg, 1)), want);
	sc_toml_free(t);
}

static void test_errors(void **state)
{
	(void)state;
	static const struct {
		const char *doc;
		unsigned line;
		const char *msg;
	} cases[] = {
		{"a = 1\na = 2\n", 2, "duplicate key"},
		{"a = \"x\n", 1, "newline in a string"},
		{"a = \"x", 1, "unterminated string"},
		{"a = [1, 2\n", 2, "expected `,` or `]`"},
		{"a = [1, \n", 2, "unterminated array"},
		{"a = { b = 1 \n", 2, "expected `,` or `}`"},
		{"[t]\n[t]\n", 2, "table defined twice"},
		{"a = 1\n[a]\n", 2, "table defined twice"},
		{"[[a]\n", 1, "expected `]]`"},
		{"= 1\n", 1, "expected a key"},
		{"a 1\n", 1, "expected `=`"},
		{"a = 1 b\n", 1, "expected the end of the line"},
		{"a = \"\\q\"\n", 1, "unknown escape"},
		{"a = \"\\uD800\"\n", 1, "out of range"},
		{"a = \n", 1, "expected a value"},
		{"a = 1\n\n\0b = 2\n", 3, "NUL byte"},
		{"i = {x = 1}\ni.y = 2\n", 2, "key redefines a value"},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct sc_toml *t = NULL;
		struct sc_error err = {0};
		size_t len = strlen(cases[i].doc);
		if (!strncmp(cases[i].doc, "a = 1\n\n", 7))
			len = 17;
		enum sc_status st = sc_toml_parse("t.toml", cases[i].doc, len, &t, &err);
		if (st == SC_OK)
			fail_msg("case %zu parsed but should fail", i);
		if (err.line != cases[i].line || !strstr(err.msg, cases[i].msg))
			fail_msg("case %zu: got %u: %s", i, err.line, err.msg);
		assert_string_equal(err.file, "t.toml");
		sc_error_clear(&err);
	}
}

static void test_deep_nesting(void **state)
{
	(void)state;
	char doc[512] = "a = ";
	memset(doc + 4, '[', 100);
	doc[104] = 0;
	struct sc_toml *t = NULL;
	struct sc_error err = {0};
	assert_int_not_equal(sc_toml_parse("t.toml", doc, strlen(doc), &t, &err), SC_OK);
	assert_non_null(strstr(err.msg, "nested deeper"));
	sc_error_clear(&err);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_values),
		cmocka_unit_test(test_deep_nesting),
		cmocka_unit_test(test_errors),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
