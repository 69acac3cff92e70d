/* test_dockerignore.c - Docker's .dockerignore semantics and the SC-DF-001 rule on real trees. */
#include "testutil.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../../lib/checks/dockerfile/dockerignore.h"
#include "shipcheck/sc_scan.h"

static bool git_excluded(const char *content)
{
	struct sc_dockerignore di;
	sc_dockerignore_parse(&di, content, strlen(content));
	bool ex = sc_dockerignore_excluded(&di, ".git", NULL) &&
		  sc_dockerignore_excluded(&di, ".git/config", NULL) &&
		  sc_dockerignore_excluded(&di, ".git/objects/ab/cd", NULL);
	sc_dockerignore_free(&di);
	return ex;
}

static void test_patterns(void **state)
{
	(void)state;
	static const struct {
		const char *content;
		bool excluded;
	} cases[] = {
		{"", false},
		{".git\n", true},
		{"  .git  \n", true},
		{"/.git\n", true},
		{"./.git/\n", true},
		{".git*\n", true},
		{"**/.git\n", true},
		{"**\n", true},
		{"*\n", true},
		{"# .git\n", false},
		{".gitignore\n", false},
		{".github\n", false},
		{".git\n!.git\n", false},
		{"!.git\n.git\n", true},
		{".git\n!.git/config\n", false},
		{"*\n!src\n", true},
		{"*\n!.git\n", false},
		{".git\r\n", true},
		{"\xEF\xBB\xBF.git\n", true},
		{"node_modules\n.env\n", false},
		{".git/\n", true},
		{"src/.git\n", false},
		{".gi?\n", true},
		{".[g]it\n", true},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		if (git_excluded(cases[i].content) != cases[i].excluded)
			fail_msg("case %zu (%s): expected excluded=%d", i, cases[i].content, cases[i].excluded);
}

static struct sc_result *scan(const char *dir)
{
	struct sc_scan_options o;
	sc_scan_options_init(&o);
	o.repo_dir = dir;
	const char *only[] = {"dockerfile", NULL};
	o.only_checks = only;
	struct sc_result *r = NULL;
	struct sc_error err = {0};
	enum sc_status st = sc_scan_run(&o, &r, &err);
	if (st != SC_OK)
		fail_msg("scan failed: %s", err.msg);
	return r;
}

static size_t count_rule(const struct sc_result *r, const char *id)
{
	size_t n = 0;
	for (size_t i = 0; i < r->findings.len; i++) {
		const struct sc_finding *f = r->findings.items[i];
		if (!strcmp(f->rule->id, id))
			n++;
	}
	return n;
}

static void test_rule_on_tree(void **state)
{
	(void)state;
	char *dir = tu_mkdtemp();
	tu_write(dir, "Dockerfile", "FROM debian:12\nCOPY . /app\nUSER 10001\n");
	struct sc_result *r = scan(dir);
	assert_int_equal(count_rule(r, "SC-DF-001"), 1);
	const struct sc_finding *f = r->findings.items[0];
	assert_string_equal(f->loc.path, "Dockerfile");
	assert_int_equal(f->severity, SC_SEV_HIGH);
	assert_non_null(strstr(f->remediation, ".dockerignore"));
	assert_true(r->failed);
	sc_result_free(r);

	tu_write(dir, ".dockerignore", "node_modules\n!.git\n");
	r = scan(dir);
	assert_int_equal(count_rule(r, "SC-DF-001"), 1);
	f = r->findings.items[0];
	assert_string_equal(f->loc.path, ".dockerignore");
	sc_result_free(r);

	tu_write(dir, ".dockerignore", "# comment\nnode_modules\n.git\n");
	r = scan(dir);
	assert_int_equal(count_rule(r, "SC-DF-001"), 0);
	assert_false(r->failed);
	sc_result_free(r);

	/* BuildKit: Dockerfile-specific ignore file takes precedence */
	tu_write(dir, "Dockerfile.dockerignore", "node_modules\n");
	r = scan(dir);
	assert_int_equal(count_rule(r, "SC-DF-001"), 1);
	f = r->findings.items[0];
	assert_string_equal(f->loc.path, "Dockerfile.dockerignore");
	sc_result_free(r);

	tu_rmtree(dir);
	free(dir);
}

static const struct sc_finding *rule_finding(const struct sc_result *r, const char *id)
{
	for (size_t i = 0; i < r->findings.len; i++) {
		const struct sc_finding *f = r->findings.items[i];
		if (!strcmp(f->rule->id, id))
			return f;
	}
	return NULL;
}

/* The build context of a Dockerfile below the root: its own directory (which holds no .git), or
 * the directory its COPY sources are in. */
static void test_context(void **state)
{
	(void)state;
	char *dir = tu_mkdtemp();
	/* a service of a monorepo built from its own directory: .git is not in that context */
	tu_write(dir, "svc/api/Dockerfile", "FROM debian:12\nCOPY . /app\nCOPY main.py /app/\nUSER 10001\n");
	tu_write(dir, "svc/api/main.py", "print(1)\n");
	tu_write(dir, "svc/worker.Dockerfile", "FROM debian:12\nUSER 10001\n");
	struct sc_result *r = scan(dir);
	assert_int_equal(count_rule(r, "SC-DF-001"), 0);
	sc_result_free(r);

	/* `docker build -f deploy/Dockerfile .`: it copies svc/api/main.py, which is under the root */
	tu_write(dir, "deploy/Dockerfile", "FROM debian:12\nCOPY ./svc/api/main.py /app/\nCOPY --from=x /a /b\nUSER 10001\n");
	tu_write(dir, "deploy/run.sh", "#!/bin/sh\n");
	r = scan(dir);
	assert_int_equal(count_rule(r, "SC-DF-001"), 1);
	const struct sc_finding *f = rule_finding(r, "SC-DF-001");
	assert_string_equal(f->loc.path, "deploy/Dockerfile");
	assert_non_null(strstr(f->message, "build context (.: the files it copies are there, e.g. svc/api/main.py)"));
	assert_non_null(strstr(f->remediation, "Create .dockerignore"));
	sc_result_free(r);
	/* ...and the root's .dockerignore decides */
	tu_write(dir, ".dockerignore", ".git\n");
	r = scan(dir);
	assert_int_equal(count_rule(r, "SC-DF-001"), 0);
	sc_result_free(r);
	tu_write(dir, ".dockerignore", "*.pyc\n");
	r = scan(dir);
	assert_int_equal(count_rule(r, "SC-DF-001"), 1);
	assert_string_equal(rule_finding(r, "SC-DF-001")->loc.path, ".dockerignore");
	sc_result_free(r);
	char *ign = sc_xasprintf("%s/.dockerignore", dir);
	assert_int_equal(unlink(ign), 0);
	free(ign);

	/* a directory of Dockerfiles only, copying the whole context: built from the root */
	tu_write(dir, "docker/Dockerfile", "FROM debian:12\nCOPY . /app\nUSER 10001\n");
	tu_write(dir, "docker/Dockerfile.dev", "FROM debian:12\nUSER 10001\n");
	r = scan(dir);
	assert_int_equal(count_rule(r, "SC-DF-001"), 2);
	bool seen = false;
	for (size_t i = 0; i < r->findings.len; i++) {
		f = r->findings.items[i];
		if (!strcmp(f->rule->id, "SC-DF-001") && !strcmp(f->loc.path, "docker/Dockerfile")) {
			assert_non_null(strstr(f->message, "its own directory holds only Dockerfiles"));
			seen = true;
		}
	}
	assert_true(seen);
	sc_result_free(r);
	/* ...or from the closest directory above with a .dockerignore */
	tu_write(dir, "cli/.dockerignore", ".git\n");
	tu_write(dir, "cli/dockerfiles/Dockerfile.dev", "FROM debian:12\nCOPY . /src\nUSER 10001\n");
	r = scan(dir);
	assert_int_equal(count_rule(r, "SC-DF-001"), 2);
	sc_result_free(r);
	tu_write(dir, "cli/.git", "gitdir: ../.git/modules/cli\n");
	tu_write(dir, "cli/.dockerignore", "*.o\n");
	r = scan(dir);
	assert_int_equal(count_rule(r, "SC-DF-001"), 3);
	sc_result_free(r);
	tu_write(dir, "cli/.dockerignore", ".git\n");
	/* the same with a file of its own beside it: its own context */
	tu_write(dir, "docker/app.conf", "x=1\n");
	r = scan(dir);
	assert_int_equal(count_rule(r, "SC-DF-001"), 1);
	assert_string_equal(rule_finding(r, "SC-DF-001")->loc.path, "deploy/Dockerfile");
	sc_result_free(r);

	/* a submodule's work tree has its own .git (a file) */
	tu_write(dir, "vendor-svc/.git", "gitdir: ../.git/modules/vendor-svc\n");
	tu_write(dir, "vendor-svc/Dockerfile", "FROM debian:12\nUSER 10001\n");
	r = scan(dir);
	assert_int_equal(count_rule(r, "SC-DF-001"), 2);
	sc_result_free(r);
	tu_rmtree(dir);
	free(dir);
}

/* A Compose file's `build:` names the context: it decides over the guess from COPY sources. */
static void test_compose(void **state)
{
	(void)state;
	char *dir = tu_mkdtemp();
	/* built from the root by deploy/compose.yaml, though it copies nothing */
	tu_write(dir, "deploy/compose.yaml",
		 "services:\n  api:\n    build:\n      context: ..\n      dockerfile: deploy/api.Dockerfile\n"
		 "  db:\n    image: postgres:16\n");
	tu_write(dir, "deploy/api.Dockerfile", "FROM debian:12\nUSER 10001\n");
	tu_write(dir, "deploy/run.sh", "#!/bin/sh\n");
	/* built from svc/worker by svc/docker-compose.yml, though its COPY source is also under the root */
	tu_write(dir, "svc/docker-compose.yml", "services:\n  worker:\n    build: ./worker\n");
	tu_write(dir, "svc/worker/Dockerfile", "FROM debian:12\nCOPY svc/worker/app.py /app/\nUSER 10001\n");
	tu_write(dir, "svc/worker/app.py", "print(1)\n");
	/* a Compose file that does not parse, or names a URL or a variable, is no help and no error */
	tu_write(dir, "other/docker-compose.override.yml", "services: [\n");
	tu_write(dir, "x/compose.yml", "services:\n  a:\n    build: https://git.example.invalid/a.git\n  b:\n    build: ${CTX}\n");
	struct sc_result *r = scan(dir);
	assert_int_equal(count_rule(r, "SC-DF-001"), 1);
	const struct sc_finding *f = rule_finding(r, "SC-DF-001");
	assert_string_equal(f->loc.path, "deploy/api.Dockerfile");
	assert_non_null(strstr(f->message, "build context (.: deploy/compose.yaml builds it from there)"));
	assert_int_equal(r->warnings.len, 0);
	sc_result_free(r);
	/* the heuristic alone would have put svc/worker's context at the root */
	tu_write(dir, "svc/docker-compose.yml", "services:\n  worker:\n    image: w\n");
	r = scan(dir);
	assert_int_equal(count_rule(r, "SC-DF-001"), 2);
	sc_result_free(r);
	tu_rmtree(dir);
	free(dir);
}

/* A Dockerfile of tests, examples or documentation builds no image of the service: what it breaks
 * is reported at LOW, with the reason; the same file elsewhere keeps its severity. */
static void test_fixture_dockerfiles(void **state)
{
	(void)state;
	char *dir = tu_mkdtemp();
	tu_write(dir, ".dockerignore", ".git\n");
	tu_write(dir, "Dockerfile", "FROM debian:12\nCOPY . /app\n");
	tu_write(dir, "tests/integration/Dockerfile", "FROM debian:12\nCOPY . /app\n");
	tu_write(dir, "examples/demo/Dockerfile", "FROM debian:12\nCOPY . /app\n");
	tu_write(dir, ".devcontainer/Dockerfile", "FROM debian:12\nCOPY . /app\n");
	struct sc_result *r = scan(dir);
	size_t high = 0, low = 0;
	for (size_t i = 0; i < r->findings.len; i++) {
		const struct sc_finding *f = r->findings.items[i];
		if (strcmp(f->rule->id, "SC-DF-002"))
			continue;
		if (!strcmp(f->loc.path, "Dockerfile")) {
			assert_int_equal(f->severity, SC_SEV_HIGH);
			high++;
		} else {
			assert_int_equal(f->severity, SC_SEV_LOW);
			assert_non_null(strstr(f->message, "(LOW, not HIGH: "));
			assert_non_null(strstr(f->message, "is a Dockerfile of tests, examples, documentation or a development container"));
			low++;
		}
	}
	assert_int_equal(high, 1);
	assert_int_equal(low, 3);
	assert_true(r->failed); /* the service's own Dockerfile still fails the build */
	sc_result_free(r);
	tu_rmtree(dir);
	free(dir);
}

/* Files named like Dockerfiles that are none (a manual page, an editor's syntax definition) are
 * not linted in a repository; a Dockerfile with a syntax error still is, with a warning. */
static void test_not_dockerfiles(void **state)
{
	(void)state;
	char *dir = tu_mkdtemp();
	tu_write(dir, ".dockerignore", ".git\n");
	tu_write(dir, "man/Dockerfile.5.md", "% \"DOCKERFILE\" \"5\"\n\n# NAME\n\nFROM image\n");
	tu_write(dir, "syntax/Dockerfile.tmLanguage", "<?xml version=\"1.0\"?>\n<plist/>\n");
	tu_write(dir, "syntax/Dockerfile.nanorc", "## Dockerfiles\nsyntax \"Dockerfile\" \"Dockerfile[^/]*$\"\n");
	struct sc_result *r = scan(dir);
	assert_int_equal(r->findings.len, 0);
	assert_int_equal(r->warnings.len, 0);
	sc_result_free(r);
	/* an error after a FROM: a Dockerfile, reported */
	tu_write(dir, "Dockerfile.prod", "FROM debian:12\nBOGUS x\n");
	r = scan(dir);
	assert_int_equal(r->warnings.len, 1);
	sc_result_free(r);
	tu_rmtree(dir);
	free(dir);
}

static void test_fingerprint_stable(void **state)
{
	(void)state;
	char *dir = tu_mkdtemp();
	tu_write(dir, "Dockerfile", "FROM debian:12\nUSER 10001\n");
	tu_write(dir, ".dockerignore", "a\n!.git\n");
	struct sc_result *r = scan(dir);
	char fp1[33];
	memcpy(fp1, ((struct sc_finding *)r->findings.items[0])->fingerprint, 33);
	unsigned line1 = ((struct sc_finding *)r->findings.items[0])->loc.line;
	sc_result_free(r);
	tu_write(dir, ".dockerignore", "# new comment\nb\na\n!.git\n");
	r = scan(dir);
	const struct sc_finding *f = r->findings.items[0];
	assert_int_not_equal(f->loc.line, line1);
	assert_string_equal(f->fingerprint, fp1);
	sc_result_free(r);
	tu_rmtree(dir);
	free(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_patterns),
		cmocka_unit_test(test_rule_on_tree),
		cmocka_unit_test(test_context),
		cmocka_unit_test(test_not_dockerfiles),
		cmocka_unit_test(test_compose),
		cmocka_unit_test(test_fixture_dockerfiles),
		cmocka_unit_test(test_fingerprint_stable),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
