/* test_deps.c - the deps check end to end: real lockfiles, a real vulnerability DB imported from
 * the example service's OSV advisories, the real scan pipeline. */
#include "testutil.h"

#include <stdlib.h>
#include <string.h>

#include "shipcheck/sc_db.h"
#include "shipcheck/sc_scan.h"

static char *tmp;
static char *db_path;

static int setup(void **state)
{
	(void)state;
	tmp = tu_mkdtemp();
	db_path = sc_path_join(tmp, "db.sqlite");
	char *adv = tu_source("examples/service/advisories");
	const char *paths[] = {adv};
	struct sc_error err = {0};
	enum sc_status st = sc_db_import(db_path, paths, 1, true, NULL, &err);
	free(adv);
	if (st != SC_OK) {
		print_error("import failed: %s\n", err.msg);
		sc_error_clear(&err);
		return -1;
	}
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	tu_rmtree(tmp);
	free(tmp);
	free(db_path);
	return 0;
}

static struct sc_result *scan(const char *dir, bool include_dev, const char *db)
{
	struct sc_scan_options o;
	sc_scan_options_init(&o);
	o.repo_dir = dir;
	o.db_path = db;
	o.include_dev = include_dev;
	const char *only[] = {"deps", NULL};
	o.only_checks = only;
	struct sc_result *r = NULL;
	struct sc_error err = {0};
	if (sc_scan_run(&o, &r, &err) != SC_OK)
		fail_msg("scan of %s failed: %s", dir, err.msg);
	return r;
}

static const struct sc_finding *find(const struct sc_result *r, const char *rule, const char *name,
				     const char *path)
{
	for (size_t i = 0; i < r->findings.len; i++) {
		const struct sc_finding *f = r->findings.items[i];
		if (!strcmp(f->rule->id, rule) && f->pkg && !strcmp(f->pkg->name, name) &&
		    (!path || !strcmp(f->loc.path, path)))
			return f;
	}
	return NULL;
}

static size_t count(const struct sc_result *r, const char *rule)
{
	size_t n = 0;
	for (size_t i = 0; i < r->findings.len; i++)
		n += !strcmp(((const struct sc_finding *)r->findings.items[i])->rule->id, rule);
	return n;
}

static bool has_warning(const struct sc_result *r, const char *needle)
{
	for (size_t i = 0; i < r->warnings.len; i++)
		if (strstr(((const struct sc_warning *)r->warnings.items[i])->message, needle))
			return true;
	return false;
}

/* The example service: express, lodash, moment (npm) and requests, PyYAML, urllib3 (PyPI). */
static void test_example_service(void **state)
{
	(void)state;
	char *dir = tu_source("examples/service");
	struct sc_result *r = scan(dir, false, db_path);
	assert_int_equal(count(r, "SC-DEP-001"), 7);
	assert_int_equal(count(r, "SC-DEP-002"), 0);
	const struct sc_finding *f = find(r, "SC-DEP-001", "lodash", "package-lock.json");
	assert_non_null(f);
	assert_int_equal(f->severity, SC_SEV_CRITICAL); /* the highest of its advisories */
	assert_int_equal(f->n_advisories, 3);
	assert_string_equal(f->pkg->version, "4.17.4");
	assert_string_equal(f->pkg->ecosystem, "npm");
	assert_true(f->loc.line > 0);
	/* every advisory with its aliases in the message; the smallest version fixing all three */
	assert_non_null(strstr(f->message, "CVE-2019-10744 (GHSA-jf85-cpcp-j695)"));
	assert_non_null(strstr(f->message, "CVE-2020-8203"));
	assert_non_null(strstr(f->message, "CVE-2021-23337"));
	assert_non_null(strstr(f->remediation, "4.17.4 \xe2\x86\x92 4.17.21 in package-lock.json"));
	assert_int_not_equal(f->fingerprint[0], 0);
	/* a transitive dependency names who pulled it in */
	const struct sc_finding *qs = find(r, "SC-DEP-001", "qs", NULL);
	assert_non_null(qs);
	assert_non_null(strstr(qs->remediation, "pulled in by express"));
	assert_non_null(strstr(qs->remediation, "6.5.1 \xe2\x86\x92 6.5.3"));
	/* moment's GHSA-446m-mv8f-q348 is fixed in 2.19.3: two advisories, not three */
	const struct sc_finding *m = find(r, "SC-DEP-001", "moment", NULL);
	assert_non_null(m);
	assert_int_equal(m->n_advisories, 2);
	assert_null(strstr(m->message, "GHSA-446m-mv8f-q348"));
	/* PyPI: aliases merged (GHSA-j8r2-6x86-q33q = PYSEC-2023-74), PEP 440 order for the fix */
	const struct sc_finding *rq = find(r, "SC-DEP-001", "requests", "requirements.txt");
	assert_non_null(rq);
	assert_int_equal(rq->n_advisories, 2);
	assert_non_null(strstr(rq->remediation, "2.19.0 \xe2\x86\x92 2.31.0"));
	assert_non_null(r->db_path);
	sc_result_free(r);
	free(dir);
}

/* Dev dependencies: skipped (with a warning) unless include_dev. minimist 0.0.8 is a dev
 * dependency of the npm fixture (mocha > mkdirp > minimist), with a real advisory. */
static void test_dev_dependencies(void **state)
{
	(void)state;
	char *dir = tu_source("tests/data/extract/npm/v3");
	struct sc_result *r = scan(dir, false, db_path);
	assert_null(find(r, "SC-DEP-001", "minimist", NULL));
	assert_non_null(find(r, "SC-DEP-001", "lodash", NULL));
	assert_true(has_warning(r, "development dependencies were not checked"));
	sc_result_free(r);
	r = scan(dir, true, db_path);
	const struct sc_finding *f = find(r, "SC-DEP-001", "minimist", NULL);
	assert_non_null(f);
	assert_non_null(strstr(f->remediation, "pulled in by mocha > mkdirp"));
	assert_false(has_warning(r, "development dependencies were not checked"));
	sc_result_free(r);
	free(dir);
}

/* One finding per (package, version, lockfile), however often the lockfile nests it. */
static void test_one_finding_per_version(void **state)
{
	(void)state;
	char *dir = tu_mkdtemp();
	tu_write(dir, "package-lock.json",
		 "{\n  \"lockfileVersion\": 3,\n  \"packages\": {\n"
		 "    \"\": {\"dependencies\": {\"a\": \"1.0.0\", \"b\": \"1.0.0\"}},\n"
		 "    \"node_modules/a\": {\"version\": \"1.0.0\", \"dependencies\": {\"lodash\": \"4.17.4\"}},\n"
		 "    \"node_modules/a/node_modules/lodash\": {\"version\": \"4.17.4\"},\n"
		 "    \"node_modules/b\": {\"version\": \"1.0.0\", \"dependencies\": {\"lodash\": \"4.17.4\"}},\n"
		 "    \"node_modules/b/node_modules/lodash\": {\"version\": \"4.17.4\"},\n"
		 "    \"node_modules/lodash\": {\"version\": \"4.17.20\"}\n  }\n}\n");
	tu_write(dir, "sub/package-lock.json",
		 "{\"lockfileVersion\": 3, \"packages\": {\"\": {\"dependencies\": {\"lodash\": \"4.17.4\"}},"
		 " \"node_modules/lodash\": {\"version\": \"4.17.4\"}}}\n");
	struct sc_result *r = scan(dir, false, db_path);
	assert_int_equal(count(r, "SC-DEP-001"), 3); /* 4.17.4 here, 4.17.20 here, 4.17.4 in sub/ */
	bool seen_old = false;
	for (size_t i = 0; i < r->findings.len; i++) {
		const struct sc_finding *g = r->findings.items[i];
		if (!strcmp(g->loc.path, "package-lock.json") && !strcmp(g->pkg->version, "4.17.4")) {
			seen_old = true;
			assert_non_null(strstr(g->remediation, "pulled in by a, by b"));
			assert_int_equal(g->loc.line, 6);
		}
	}
	assert_true(seen_old);
	sc_result_free(r);
	tu_rmtree(dir);
	free(dir);
}

/* Lockfiles with many packages skip the DB query of names the DB has no advisory for (the set of
 * names is read once): the findings and the warnings must be those of one query per package, for
 * a few packages (below the threshold) and for hundreds, with names that only match normalised. */
static void test_many_packages(void **state)
{
	(void)state;
	for (int many = 0; many <= 1; many++) {
		char *dir = tu_mkdtemp();
		int n = many ? 300 : 5;
		struct sc_strbuf lock, req;
		sc_strbuf_init(&lock, 1u << 24);
		sc_strbuf_init(&req, 1u << 24);
		sc_strbuf_puts(&lock, "{\"lockfileVersion\": 3, \"packages\": {\"\": {\"dependencies\": {\"lodash\": \"*\", "
				      "\"bad\": \"*\"");
		for (int i = 0; i < n; i++)
			sc_strbuf_printf(&lock, ", \"pkg-%d\": \"*\"", i);
		sc_strbuf_puts(&lock, "}},\n\"node_modules/lodash\": {\"version\": \"4.17.4\"},\n"
				      "\"node_modules/bad\": {\"version\": \"not-a-version\"}");
		for (int i = 0; i < n; i++)
			sc_strbuf_printf(&lock, ",\n\"node_modules/pkg-%d\": {\"version\": \"1.0.%d\"}", i, i);
		sc_strbuf_puts(&lock, "}}\n");
		sc_strbuf_puts(&req, "PyYAML==5.1\nRequests==2.19.0\n");
		for (int i = 0; i < n; i++)
			sc_strbuf_printf(&req, "py_pkg_%d==1.%d\n", i, i);
		tu_write(dir, "package-lock.json", sc_strbuf_str(&lock));
		tu_write(dir, "requirements.txt", sc_strbuf_str(&req));
		struct sc_result *r = scan(dir, false, db_path);
		assert_non_null(find(r, "SC-DEP-001", "lodash", "package-lock.json"));
		assert_non_null(find(r, "SC-DEP-001", "PyYAML", "requirements.txt"));
		assert_non_null(find(r, "SC-DEP-001", "Requests", "requirements.txt"));
		assert_int_equal(count(r, "SC-DEP-001"), 3);
		assert_true(has_warning(r, "deps: bad not-a-version"));
		sc_result_free(r);
		sc_strbuf_free(&lock);
		sc_strbuf_free(&req);
		tu_rmtree(dir);
		free(dir);
	}
}

/* The fingerprint survives line moves; the location moves. */
static void test_fingerprint_stable(void **state)
{
	(void)state;
	char *dir = tu_mkdtemp();
	tu_write(dir, "requirements.txt", "PyYAML==5.1\n");
	struct sc_result *r1 = scan(dir, false, db_path);
	tu_write(dir, "requirements.txt", "# moved\n\nflask>=1.0\nPyYAML==5.1\n");
	struct sc_result *r2 = scan(dir, false, db_path);
	const struct sc_finding *a = find(r1, "SC-DEP-001", "PyYAML", NULL), *b = find(r2, "SC-DEP-001", "PyYAML", NULL);
	assert_non_null(a);
	assert_non_null(b);
	assert_int_equal(a->loc.line, 1);
	assert_int_equal(b->loc.line, 4);
	assert_string_equal(a->fingerprint, b->fingerprint);
	/* an unpinned requirement is SC-DEP-002, LOW */
	const struct sc_finding *u = find(r2, "SC-DEP-002", "flask", NULL);
	assert_non_null(u);
	assert_int_equal(u->severity, SC_SEV_LOW);
	assert_int_equal(u->loc.line, 3);
	assert_non_null(strstr(u->message, "flask>=1.0"));
	sc_result_free(r1);
	sc_result_free(r2);
	tu_rmtree(dir);
	free(dir);
}

/* Without a DB the check reports nothing and the result says why. */
static void test_no_db(void **state)
{
	(void)state;
	char *dir = tu_source("examples/service");
	char *missing = sc_path_join(tmp, "missing.sqlite");
	/* a DB the user named that does not exist is an error, not a silent pass */
	struct sc_scan_options o;
	sc_scan_options_init(&o);
	o.repo_dir = dir;
	o.db_path = missing;
	struct sc_result *r = NULL;
	struct sc_error err = {0};
	assert_int_equal(sc_scan_run(&o, &r, &err), SC_EINPUT);
	assert_non_null(strstr(err.msg, "no such vulnerability database"));
	sc_error_clear(&err);
	/* no DB at the default place: vulnerable versions are not matched, the run says so */
	char *cache = sc_path_join(tmp, "empty-cache");
	setenv("XDG_CACHE_HOME", cache, 1);
	unsetenv("SHIPCHECK_DB");
	r = scan(dir, false, NULL);
	assert_int_equal(count(r, "SC-DEP-001"), 0);
	assert_true(has_warning(r, "no vulnerability database"));
	sc_result_free(r);
	unsetenv("XDG_CACHE_HOME");
	free(cache);
	free(missing);
	free(dir);
}

/* .shipcheck.yml `deps: {skip: [...]}` leaves lockfiles out; bad values are errors. */
static void test_skip_policy(void **state)
{
	(void)state;
	char *dir = tu_mkdtemp();
	tu_write(dir, "fixtures/requirements.txt", "PyYAML==5.1\n");
	tu_write(dir, "requirements.txt", "urllib3==1.24.1\n");
	tu_write(dir, ".shipcheck.yml", "version: 1\ndeps:\n  skip: [\"fixtures/**\"]\n");
	struct sc_result *r = scan(dir, false, db_path);
	assert_null(find(r, "SC-DEP-001", "PyYAML", NULL));
	assert_non_null(find(r, "SC-DEP-001", "urllib3", NULL));
	sc_result_free(r);
	tu_write(dir, ".shipcheck.yml", "version: 1\ndeps:\n  skip: fixtures\n");
	struct sc_scan_options o;
	sc_scan_options_init(&o);
	o.repo_dir = dir;
	o.db_path = db_path;
	struct sc_error err = {0};
	r = NULL;
	assert_int_equal(sc_scan_run(&o, &r, &err), SC_EINPUT);
	assert_non_null(strstr(err.msg, "deps.skip"));
	assert_int_equal(err.line, 3);
	sc_error_clear(&err);
	tu_rmtree(dir);
	free(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_example_service),
		cmocka_unit_test(test_dev_dependencies),
		cmocka_unit_test(test_many_packages),
		cmocka_unit_test(test_one_finding_per_version),
		cmocka_unit_test(test_fingerprint_stable),
		cmocka_unit_test(test_no_db),
		cmocka_unit_test(test_skip_policy),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
