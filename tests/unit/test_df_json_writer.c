/* test_df_json_writer.c - the streaming JSON reporter (lib/report/json.c) writes byte for byte what
 * jansson writes for the same report tree (sc_report_json + json_dumpf, as the reporter did before
 * it was made fast for `shipcheck dockerfile` on large corpora): every optional field, empty and
 * nested containers, escapes, control characters, invalid UTF-8, checks only seen in findings. */
#include "testutil.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "shipcheck/sc_report.h"
#include "shipcheck/sc_scan.h"

/* lib/report/report_impl.h: the jansson tree the --notify webhook sends. */
json_t *sc_report_json(const struct sc_result *r);

static char *streamed(const struct sc_result *r)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *mem = open_memstream(&buf, &len);
	struct sc_error err = {0};
	struct sc_report_options o = {0};
	assert_int_equal(sc_reporter_find("json")->write(r, &o, mem, &err), SC_OK);
	fclose(mem);
	return buf;
}

static char *jansson(const struct sc_result *r)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *mem = open_memstream(&buf, &len);
	json_t *root = sc_report_json(r);
	assert_int_equal(json_dumpf(root, mem, JSON_INDENT(2) | JSON_PRESERVE_ORDER), 0);
	json_decref(root);
	fputc('\n', mem);
	fclose(mem);
	return buf;
}

static void assert_same(const struct sc_result *r)
{
	char *a = streamed(r), *b = jansson(r);
	if (strcmp(a, b)) {
		size_t i = 0;
		while (a[i] == b[i])
			i++;
		fail_msg("JSON differs at byte %zu:\nstreamed: ...%.80s\njansson:  ...%.80s", i,
			 a + (i > 40 ? i - 40 : 0), b + (i > 40 ? i - 40 : 0));
	}
	free(a);
	free(b);
}

static void test_empty_result(void **state)
{
	(void)state;
	struct sc_result *r = sc_result_new();
	sc_result_finish(r);
	assert_same(r); /* no target fields, empty by_check, [] findings and warnings */
	r->target_kind = "repo";
	sc_ptrvec_push(&r->checks_run, (void *)"dockerfile");
	sc_ptrvec_push(&r->checks_run, (void *)"secrets");
	r->fail_none = true;
	assert_same(r);
	sc_result_free(r);
}

static void test_everything(void **state)
{
	(void)state;
	struct sc_result *r = sc_result_new();
	r->target_kind = "image";
	r->target_path = "svc.tar";
	r->service = "pay\"ments\\api";
	r->commit = "0123456789abcdef";
	r->image_digest = "sha256:abc";
	r->os = "debian 12";
	static struct sc_layer_info layers[2] = {
		{.digest = "sha256:1", .diff_id = "sha256:d1", .created_by = "ADD rootfs.tar /", .size = 123456789012},
		{.digest = "sha256:2"},
	};
	r->layers = layers;
	r->n_layers = 2;
	r->db_path = "/tmp/db.sqlite";
	r->db_built_at = "2026-11-29T00:00:00Z";
	r->db_digest = "sha256:db";
	static const char *const sources[] = {"osv:npm", "osv:Debian", NULL};
	r->db_sources = sources;
	r->include_dev = true;
	sc_ptrvec_push(&r->checks_run, (void *)"dockerfile");
	sc_ptrvec_push(&r->checks_run, (void *)"deps");

	/* every byte 0x01..0x7f, a quote, backslash and slash, valid UTF-8 of 2, 3 and 4 bytes, and
	 * invalid sequences (lone continuation, overlong, surrogate, truncated, > U+10FFFF) */
	char all[128];
	for (int i = 1; i < 128; i++)
		all[i - 1] = (char)i;
	all[127] = '\0';
	const char *utf8 = "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x90\xb3 \x80 \xc0\xaf \xed\xa0\x80 \xe2\x82 \xf4\x90\x80\x80 \xff";

	const struct sc_rule *df = sc_rule_find("SC-DF-001");
	const struct sc_rule *dep = sc_rule_find("SC-DEP-001");
	assert_non_null(df);
	assert_non_null(dep);
	struct sc_finding *f = sc_result_add_finding(r, df);
	f->message = all;
	f->remediation = utf8;
	f->loc.path = "Dockerfile";
	f->loc.line = 3;
	f->loc.col = 7;
	f->loc.end_line = 9;
	f->loc.layer = 2;
	f->loc.layer_digest = "sha256:2";
	f->loc.created_by = "RUN echo \"hi\"\t&& true";
	f->snippet_redacted = "AKIA****";
	f->attribution = "dockerfile";
	sc_finding_set_fingerprint(f, "Dockerfile", "x");

	struct sc_finding *g = sc_result_add_finding(r, dep);
	g->title = "own title";
	g->message = "m";
	g->loc.layer = 1; /* location without a path */
	static struct sc_package pkg = {.ecosystem = "npm", .name = "lodash", .version = "4.17.4",
					.source_name = "src", .source_version = "1", .arch = "all",
					.purl = "pkg:npm/lodash@4.17.4", .path = "package-lock.json", .line = 12,
					.layer = 3, .flags = SC_PKG_DIRECT | SC_PKG_DEV | SC_PKG_OPTIONAL |
							     SC_PKG_UNPINNED | SC_PKG_ROOT,
					.parent = "express > body-parser", .spec = "^4"};
	g->pkg = &pkg;
	static const char *const aliases[] = {"GHSA-x", NULL};
	static const char *const fixed[] = {"4.17.21", "5.0.0", NULL};
	static struct sc_advisory_ref adv[2] = {
		{.id = "CVE-2019-10744", .aliases = aliases, .fixed = fixed, .url = "https://example.invalid/a",
		 .summary = "proto\npollution", .severity = SC_SEV_CRITICAL},
		{.id = "CVE-2", .severity = SC_SEV_UNKNOWN}, /* empty aliases and fixed */
	};
	g->advisories = adv;
	g->n_advisories = 2;
	g->suppressed = true;
	g->suppression_reason = "not reachable";
	g->suppression_source = ".shipcheck.yml:12";
	g->suppression_expires = "2027-01-01";

	/* a check that is not in checks_run, counted after the ones that ran */
	const struct sc_rule *pol = sc_rule_find("SC-POL-001");
	assert_non_null(pol);
	struct sc_finding *h = sc_result_add_finding(r, pol);
	h->message = "";
	struct sc_finding *k = sc_result_add_finding(r, dep);
	k->message = "counted";

	struct sc_package p2 = {.ecosystem = "Debian:12", .name = "libc6", .version = "2.36-9"};
	sc_result_add_package(r, &p2);
	sc_result_add_package(r, &pkg);
	sc_result_add_warning(r, "a.json", 4, 2, "bad \xff byte");
	sc_result_add_warning(r, NULL, 0, 0, "no place");
	sc_result_finish(r);
	assert_same(r);
	sc_result_free(r);
}

/* A long report crosses the writer's 64 KiB buffer many times, with strings longer than the buffer. */
static void test_large(void **state)
{
	(void)state;
	struct sc_result *r = sc_result_new();
	r->target_kind = "repo";
	sc_ptrvec_push(&r->checks_run, (void *)"dockerfile");
	char *big = malloc(200000);
	for (size_t i = 0; i < 199999; i++)
		big[i] = (char)("ab\"\\\n\x01 \xc3\xa9"[i % 9]);
	big[199999] = '\0';
	const struct sc_rule *df = sc_rule_find("SC-DF-002");
	for (size_t i = 0; i < 3000; i++) {
		struct sc_finding *f = sc_result_add_finding(r, df);
		f->loc.path = sc_arena_printf(r->arena, "d%zu/Dockerfile", i);
		f->loc.line = (unsigned)i;
		f->message = i == 1500 ? big : "m";
		sc_finding_set_fingerprint(f, f->loc.path, "x");
	}
	sc_result_finish(r);
	assert_same(r);
	free(big);
	sc_result_free(r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_empty_result),
		cmocka_unit_test(test_everything),
		cmocka_unit_test(test_large),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
