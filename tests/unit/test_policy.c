/* test_policy.c - .shipcheck.yml parsing errors with FILE:LINE:COL, ignores, expiry and staleness. */
#include "testutil.h"

#include <stdlib.h>
#include <string.h>

#include "shipcheck/sc_policy.h"
#include "shipcheck/sc_scan.h"

static enum sc_status parse(const char *yml, struct sc_policy **p, struct sc_error *err)
{
	return sc_policy_parse("test.yml", yml, strlen(yml), p, err);
}

static void expect_error(const char *yml, unsigned line, unsigned col, const char *needle)
{
	struct sc_policy *p = NULL;
	struct sc_error err = {0};
	enum sc_status st = parse(yml, &p, &err);
	if (st != SC_EINPUT)
		fail_msg("expected an error for:\n%s", yml);
	assert_null(p);
	assert_string_equal(err.file, "test.yml");
	if ((line && err.line != line) || (col && err.col != col))
		fail_msg("expected %u:%u, got %u:%u (%s) for:\n%s", line, col, err.line, err.col, err.msg, yml);
	if (!strstr(err.msg, needle))
		fail_msg("message `%s` lacks `%s`", err.msg, needle);
	sc_error_clear(&err);
}

static void test_errors(void **state)
{
	(void)state;
	expect_error("fail_on: high\nbogus: 1\n", 2, 1, "unknown key `bogus`");
	expect_error("fail_on: extreme\n", 1, 10, "fail_on must be");
	expect_error("ignore:\n  - rule: SC-DF-001\n", 2, 5, "no `reason`");
	expect_error("ignore:\n  - rule: SC-DF-001\n    reason: ok\n    expires: 2026-02-30\n", 4, 14, "YYYY-MM-DD");
	expect_error("ignore:\n  - rule: NOPE-1\n    reason: ok\n", 2, 11, "unknown rule");
	expect_error("ignore:\n  - reason: ok\n", 2, 5, "matches nothing");
	expect_error("ignore:\n  - rule: SC-DF-001\n    reason: ok\n    color: red\n", 4, 5, "unknown key `color`");
	expect_error("checks:\n  disable: [nope]\n", 2, 13, "unknown check");
	expect_error("ignore: [1, 2\n", 0, 0, "invalid YAML");
	expect_error("a: b\n  c: d\n", 2, 4, "invalid YAML");
	expect_error("a: 1\nb: 2\na: 3\n", 3, 1, "duplicate key `a`");
	expect_error("- a\n- b\n", 1, 1, "mapping");
	expect_error("version: 7\n", 1, 10, "version");
}

static void test_valid(void **state)
{
	(void)state;
	const char *yml = "version: 1\nservice: payments\nrunbook: https://wiki.example/runbook\nfail_on: medium\n"
			  "checks:\n  disable: [policy]\n"
			  "ignore:\n  - rule: dockerignore-git\n    path: \"svc/**\"\n    reason: legacy context\n"
			  "    expires: 2099-01-01\n";
	struct sc_policy *p;
	struct sc_error err = {0};
	if (parse(yml, &p, &err) != SC_OK)
		fail_msg("%u:%u %s", err.line, err.col, err.msg);
	assert_string_equal(sc_policy_service(p), "payments");
	assert_string_equal(sc_policy_runbook(p), "https://wiki.example/runbook");
	enum sc_severity sev;
	bool none;
	assert_true(sc_policy_fail_on(p, &sev, &none));
	assert_int_equal(sev, SC_SEV_MEDIUM);
	assert_false(sc_policy_check_enabled(p, "policy"));
	assert_true(sc_policy_check_enabled(p, "dockerfile"));
	assert_int_equal(sc_policy_ignore_count(p), 1);
	const struct sc_ignore *ig = sc_policy_ignore_at(p, 0);
	assert_string_equal(ig->reason, "legacy context");
	assert_int_equal(ig->line, 8);
	sc_policy_free(p);
	/* an empty file is the default policy */
	assert_int_equal(parse("", &p, &err), SC_OK);
	sc_policy_free(p);
}

static struct sc_result *scan_with(const char *dir)
{
	struct sc_scan_options o;
	sc_scan_options_init(&o);
	o.repo_dir = dir;
	struct sc_result *r = NULL;
	struct sc_error err = {0};
	if (sc_scan_run(&o, &r, &err) != SC_OK)
		fail_msg("scan failed: %s", err.msg);
	return r;
}

static const struct sc_finding *find_rule(const struct sc_result *r, const char *id)
{
	for (size_t i = 0; i < r->findings.len; i++) {
		const struct sc_finding *f = r->findings.items[i];
		if (!strcmp(f->rule->id, id))
			return f;
	}
	return NULL;
}

static void test_apply(void **state)
{
	(void)state;
	char *dir = tu_mkdtemp();
	tu_write(dir, "Dockerfile", "FROM debian:12\nUSER 10001\n");
	setenv("SHIPCHECK_TODAY", "2026-06-01", 1);

	/* suppressed, with reason; the build passes */
	tu_write(dir, ".shipcheck.yml", "ignore:\n  - rule: SC-DF-001\n    reason: context is a clean export\n"
					"    expires: 2026-12-31\n");
	struct sc_result *r = scan_with(dir);
	const struct sc_finding *f = find_rule(r, "SC-DF-001");
	assert_non_null(f);
	assert_true(f->suppressed);
	assert_string_equal(f->suppression_reason, "context is a clean export");
	assert_string_equal(f->suppression_source, ".shipcheck.yml:2");
	assert_false(r->failed);
	assert_null(find_rule(r, "SC-POL-001"));
	sc_result_free(r);

	/* expired: stops suppressing and says so */
	setenv("SHIPCHECK_TODAY", "2027-01-01", 1);
	r = scan_with(dir);
	f = find_rule(r, "SC-DF-001");
	assert_false(f->suppressed);
	assert_true(r->failed);
	f = find_rule(r, "SC-POL-002");
	assert_non_null(f);
	assert_int_equal(f->loc.line, 2);
	assert_non_null(strstr(f->message, "expired on 2026-12-31"));
	sc_result_free(r);

	/* stale: an entry that matches nothing is a LOW finding */
	tu_write(dir, ".dockerignore", ".git\n");
	tu_write(dir, ".shipcheck.yml", "ignore:\n  - rule: SC-DF-001\n    reason: not needed any more\n");
	r = scan_with(dir);
	assert_null(find_rule(r, "SC-DF-001"));
	f = find_rule(r, "SC-POL-001");
	assert_non_null(f);
	assert_int_equal(f->severity, SC_SEV_LOW);
	assert_false(r->failed);
	sc_result_free(r);

	unsetenv("SHIPCHECK_TODAY");
	tu_rmtree(dir);
	free(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_valid),
		cmocka_unit_test(test_apply),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
