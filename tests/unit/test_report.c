/* test_report.c - every reporter on a built result: JSON schema fields, SARIF shape and truncation,
 * JUnit structure, text grouping and summary. */
#include "testutil.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "shipcheck/sc_report.h"
#include "shipcheck/sc_scan.h"


static struct sc_result *make_result(size_t n)
{
	struct sc_result *r = sc_result_new();
	r->target_kind = "repo";
	r->target_path = "svc";
	r->service = "payments";
	r->commit = "0123456789abcdef";
	sc_ptrvec_push(&r->checks_run, (void *)"dockerfile");
	const struct sc_rule *rule = sc_rule_find("SC-DF-001");
	for (size_t i = 0; i < n; i++) {
		struct sc_finding *f = sc_result_add_finding(r, rule);
		f->loc.path = sc_arena_printf(r->arena, "dir%zu/Dockerfile", i);
		f->loc.line = 3;
		f->message = "what <&> \"quoted\"";
		f->remediation = "fix it";
		sc_finding_set_fingerprint(f, f->loc.path, "x");
		if (i == 1) {
			f->suppressed = true;
			f->suppression_reason = "accepted";
		}
	}
	sc_result_add_warning(r, "package-lock.json", 4, 2, "bad \xff byte");
	sc_result_finish(r);
	return r;
}

static char *render(const char *fmt, const struct sc_result *r, const struct sc_report_options *o)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *mem = open_memstream(&buf, &len);
	struct sc_error err = {0};
	assert_int_equal(sc_reporter_find(fmt)->write(r, o, mem, &err), SC_OK);
	fclose(mem);
	return buf;
}

static void test_json(void **state)
{
	(void)state;
	struct sc_result *r = make_result(3);
	struct sc_report_options o = {0};
	char *s = render("json", r, &o);
	json_error_t je;
	json_t *j = json_loads(s, 0, &je);
	assert_non_null(j);
	assert_string_equal(json_string_value(json_object_get(j, "schema")), "shipcheck/report");
	assert_int_equal(json_integer_value(json_object_get(j, "version")), 1);
	json_t *sum = json_object_get(j, "summary");
	assert_true(json_is_true(json_object_get(sum, "failed")));
	assert_int_equal(json_integer_value(json_object_get(json_object_get(sum, "by_severity"), "HIGH")), 2);
	json_t *fs = json_object_get(j, "findings");
	assert_int_equal(json_array_size(fs), 3);
	size_t nsup = 0;
	for (size_t i = 0; i < 3; i++) {
		json_t *f = json_array_get(fs, i);
		assert_int_equal(strlen(json_string_value(json_object_get(f, "fingerprint"))), 32);
		if (json_is_true(json_object_get(f, "suppressed"))) {
			nsup++;
			assert_string_equal(json_string_value(json_object_get(json_object_get(f, "suppression"), "reason")), "accepted");
		}
		assert_null(json_object_get(f, "package")); /* optional fields omitted, not null */
	}
	assert_int_equal(nsup, 1);
	/* invalid UTF-8 in a warning stays valid JSON */
	json_t *w = json_array_get(json_object_get(j, "warnings"), 0);
	assert_non_null(strstr(json_string_value(json_object_get(w, "message")), "\xEF\xBF\xBD"));
	json_decref(j);
	free(s);
	sc_result_free(r);
}

static void test_sarif(void **state)
{
	(void)state;
	struct sc_result *r = make_result(5);
	struct sc_report_options o = {.sarif_max_results = 3};
	char *s = render("sarif", r, &o);
	json_error_t je;
	json_t *j = json_loads(s, 0, &je);
	assert_non_null(j);
	assert_string_equal(json_string_value(json_object_get(j, "version")), "2.1.0");
	json_t *run = json_array_get(json_object_get(j, "runs"), 0);
	json_t *results = json_object_get(run, "results");
	assert_int_equal(json_array_size(results), 3);
	json_t *rules = json_object_get(json_object_get(json_object_get(run, "tool"), "driver"), "rules");
	assert_int_equal(json_array_size(rules), 1);
	assert_non_null(strstr(json_string_value(json_object_get(json_array_get(rules, 0), "helpUri")), "SC-DF-001.md"));
	json_t *notes = json_object_get(json_array_get(json_object_get(run, "invocations"), 0), "toolExecutionNotifications");
	assert_non_null(strstr(json_string_value(json_object_get(json_object_get(json_array_get(notes, 0), "message"), "text")), "2 results were left out"));
	json_t *res0 = json_array_get(results, 0);
	assert_non_null(json_object_get(json_object_get(res0, "partialFingerprints"), "shipcheck/v1"));
	json_decref(j);
	free(s);
	sc_result_free(r);
}

static void test_junit(void **state)
{
	(void)state;
	struct sc_result *r = make_result(2);
	struct sc_report_options o = {.runbook = "https://runbook"};
	char *s = render("junit", r, &o);
	assert_non_null(strstr(s, "<testsuite name=\"shipcheck.dockerfile\""));
	assert_non_null(strstr(s, "<testcase classname=\"shipcheck.dockerfile\" name=\"SC-DF-001 dockerignore-git\""));
	assert_non_null(strstr(s, "<failure type=\"HIGH\" message=\"1 finding: "));
	assert_non_null(strstr(s, "what &lt;&amp;&gt; &quot;quoted&quot;"));
	assert_non_null(strstr(s, "<system-out>")); /* the suppressed one */
	assert_non_null(strstr(s, "https://runbook"));
	free(s);
	sc_result_free(r);
	/* every character XML needs escaped, a control character, and plain runs around them */
	r = make_result(1);
	((struct sc_finding *)r->findings.items[0])->message = "a<b>c&d\"e'f\ng\rh\ti\x01j k";
	s = render("junit", r, &o);
	assert_non_null(strstr(s, "a&lt;b&gt;c&amp;d&quot;e&apos;f&#10;g&#13;h&#9;i?j k"));
	free(s);
	sc_result_free(r);
}

static void test_text(void **state)
{
	(void)state;
	struct sc_result *r = make_result(2);
	struct sc_report_options o = {.runbook = "https://runbook"};
	char *s = render("text", r, &o);
	assert_non_null(strstr(s, "Dockerfile and container best practices (1)"));
	assert_non_null(strstr(s, "where: dir0/Dockerfile:3"));
	assert_non_null(strstr(s, "fix:   fix it"));
	assert_null(strstr(s, "dir1/Dockerfile")); /* suppressed hidden by default */
	assert_non_null(strstr(s, "FAILED: 1 finding (0 critical, 1 high"));
	assert_non_null(strstr(s, "How to fix, including allowlisting: https://runbook"));
	assert_null(strstr(s, "\033["));
	free(s);
	sc_result_free(r);
}

/* CycloneDX, written as it goes: the document parses, empty and missing strings are left out, a
 * component without properties has none, strings with quotes, control characters and invalid
 * UTF-8 come back as jansson reads them (U+FFFD for the bad byte), layers name their digest. */
static void test_cyclonedx(void **state)
{
	(void)state;
	struct sc_result *r = sc_result_new();
	r->target_kind = "image";
	r->target_path = "svc.tar";
	r->image_digest = "sha256:abc";
	r->os = "debian 12";
	struct sc_layer_info layers[1] = {{.digest = "sha256:l1", .created_by = "RUN \"x\"\n\ty"}};
	r->layers = layers;
	r->n_layers = 1;
	struct sc_package a = {.ecosystem = "npm", .name = "a\"b\\c", .version = "1.0", .purl = "pkg:npm/a",
			       .path = "p\x01\xff.json", .layer = 1, .flags = SC_PKG_DEV};
	struct sc_package b = {.name = "bare", .version = ""};
	struct sc_package c = {.ecosystem = "deb", .name = "svc", .flags = SC_PKG_ROOT};
	sc_result_add_package(r, &a);
	sc_result_add_package(r, &b);
	sc_result_add_package(r, &c);
	sc_result_finish(r);
	struct sc_report_options o = {0};
	char *doc = render("cyclonedx", r, &o);
	json_error_t je;
	json_t *root = json_loads(doc, 0, &je);
	if (!root)
		fail_msg("not JSON: %s at %d:%d\n%s", je.text, je.line, je.column, doc);
	assert_string_equal(json_string_value(json_object_get(root, "specVersion")), "1.5");
	assert_int_equal(json_integer_value(json_object_get(root, "version")), 1);
	json_t *subject = json_object_get(json_object_get(root, "metadata"), "component");
	assert_string_equal(json_string_value(json_object_get(subject, "type")), "container");
	assert_string_equal(json_string_value(json_object_get(subject, "version")), "sha256:abc");
	json_t *sprops = json_object_get(subject, "properties");
	assert_int_equal(json_array_size(sprops), 4); /* kind, path, layer digest, layer created_by */
	assert_string_equal(json_string_value(json_object_get(json_array_get(sprops, 3), "value")), "RUN \"x\"\n\ty");
	json_t *comps = json_object_get(root, "components");
	assert_int_equal(json_array_size(comps), 4);
	json_t *os = json_array_get(comps, 0);
	assert_string_equal(json_string_value(json_object_get(os, "name")), "debian");
	assert_string_equal(json_string_value(json_object_get(os, "version")), "12");
	json_t *ca = json_array_get(comps, 1);
	assert_string_equal(json_string_value(json_object_get(ca, "name")), "a\"b\\c");
	assert_string_equal(json_string_value(json_object_get(ca, "bom-ref")), "pkg-1:pkg:npm/a");
	json_t *pa = json_object_get(ca, "properties");
	assert_int_equal(json_array_size(pa), 6); /* ecosystem, path, layer, its digest and created_by, dev */
	assert_string_equal(json_string_value(json_object_get(json_array_get(pa, 1), "value")), "p\x01\xEF\xBF\xBD.json");
	assert_string_equal(json_string_value(json_object_get(json_array_get(pa, 2), "value")), "1");
	json_t *cb = json_array_get(comps, 2);
	assert_null(json_object_get(cb, "version"));    /* "" is left out */
	assert_null(json_object_get(cb, "properties")); /* none at all */
	assert_string_equal(json_string_value(json_object_get(json_array_get(comps, 3), "type")), "application");
	json_decref(root);
	free(doc);
	sc_result_free(r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_json),
		cmocka_unit_test(test_sarif),
		cmocka_unit_test(test_junit),
		cmocka_unit_test(test_text),
		cmocka_unit_test(test_cyclonedx),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
