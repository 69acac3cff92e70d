/* test_secrets_check.c - the secrets check end to end on real directories and real git
 * repositories made by the test: findings, fingerprints, the detect-secrets baseline (read,
 * write, update, is_secret), --staged, --since, history, symlinks and unreadable files. */
#include "testutil.h"

#include "shipcheck/sc_policy.h"
#include "shipcheck/sc_scan.h"
#include "shipcheck/sc_secrets.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define GH1 "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"
#define GH2 "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"
#define SL1 "xoxb-893582989554-899326518131-JRHeVv1o9Cf99fwDpuortR2D"
/* a private key's shape (the body is not a real key) */
#define KEY_BODY "MIIEogIBAAKCAQEAoy1XXuVAQpqHbQE05mkhrNg/124F/2K9OanizZTZUUhk3Lq8VzP0wXbR7mN2sT4uYc6eA1hG5jK8oQzW9d"
#define TEST_KEY "-----BEGIN RSA PRIVATE KEY-----\n" KEY_BODY "\n-----END RSA PRIVATE KEY-----\n"
#define GIT "git -c user.email=t@example.invalid -c user.name=t -c init.defaultBranch=main -c commit.gpgsign=false"

static struct sc_result *run(const char *dir, struct sc_secrets_options *so)
{
	struct sc_scan_options o;
	sc_scan_options_init(&o);
	o.repo_dir = dir;
	static const char *const only[] = {"secrets", NULL};
	o.only_checks = only;
	o.skip_inventory = true; /* as `shipcheck secrets scan` */
	o.secrets = so;
	struct sc_result *r = NULL;
	struct sc_error err = {0};
	enum sc_status st = sc_scan_run(&o, &r, &err);
	if (st != SC_OK)
		fprintf(stderr, "scan: %s\n", err.msg);
	assert_int_equal(st, SC_OK);
	sc_error_clear(&err);
	return r;
}

static size_t unsuppressed(const struct sc_result *r)
{
	size_t n = 0;
	for (size_t i = 0; i < r->findings.len; i++) {
		const struct sc_finding *f = r->findings.items[i];
		if (!f->suppressed && !strcmp(f->rule->check, "secrets"))
			n++;
	}
	return n;
}

/* What a finding at a path must be: its severity (exactly, or at least), words its message has
 * and words it must not have. */
struct want {
	const char *path;
	enum sc_severity sev;
	bool at_least;
	const char *note;     /* in the message, or NULL */
	const char *not_note; /* not in the message, or NULL */
};

/* r has count unsuppressed findings; each is as the entry of want (up to a NULL path) for its path,
 * else as *other. */
static void expect_findings(const struct sc_result *r, size_t count, const struct want *want, const struct want *other)
{
	assert_int_equal(unsuppressed(r), count);
	for (size_t i = 0; i < r->findings.len; i++) {
		const struct sc_finding *f = r->findings.items[i];
		const struct want *w = other;
		for (size_t k = 0; want[k].path; k++)
			if (!strcmp(f->loc.path, want[k].path))
				w = &want[k];
		bool sev = w->at_least ? f->severity >= w->sev : f->severity == w->sev;
		bool note = !w->note || strstr(f->message, w->note);
		bool not_note = !w->not_note || !strstr(f->message, w->not_note);
		if (!sev || !note || !not_note)
			fprintf(stderr, "%s: severity %d, message: %s\n", f->loc.path, (int)f->severity, f->message);
		assert_true(sev);
		assert_true(note);
		assert_true(not_note);
	}
}

static const struct sc_finding *first(const struct sc_result *r)
{
	for (size_t i = 0; i < r->findings.len; i++) {
		const struct sc_finding *f = r->findings.items[i];
		if (!strcmp(f->rule->check, "secrets"))
			return f;
	}
	return NULL;
}

static void test_baseline_parse(void **state)
{
	(void)state;
	char *path = tu_source("tests/data/secrets/detect-secrets.baseline");
	struct sc_baseline *b = NULL;
	struct sc_error err = {0};
	assert_int_equal(sc_baseline_load(path, &b, &err), SC_OK);
	assert_int_equal(b->n, 2);
	struct sc_baseline_entry *e = sc_baseline_find(b, "app/settings.py", "1ded3053d0363079a4e681a3b700435d6d880290");
	assert_non_null(e);
	assert_int_equal(e->is_secret, 0);
	assert_int_equal(e->line, 3);
	e = sc_baseline_find(b, "app/settings.py", "0123456789abcdef0123456789abcdef01234567");
	assert_int_equal(e->is_secret, 1);
	/* written back: plugins kept, detect-secrets' field names */
	char *json = sc_baseline_to_json(b);
	assert_non_null(strstr(json, "\"HexHighEntropyString\""));
	assert_non_null(strstr(json, "\"hashed_secret\": \"1ded3053d0363079a4e681a3b700435d6d880290\""));
	assert_non_null(strstr(json, "\"is_secret\": true"));
	struct sc_baseline *b2 = NULL;
	assert_int_equal(sc_baseline_parse("again", json, strlen(json), &b2, &err), SC_OK);
	assert_int_equal(b2->n, 2);
	sc_baseline_free(b2);
	free(json);
	sc_baseline_free(b);
	free(path);

	/* found by hash and path, among many: the first of duplicates, and again after a prune moved
	 * the entries (a baseline of 200,000 against as many findings took minutes with a scan) */
	b = sc_baseline_new();
	char sha[41];
	for (unsigned i = 0; i < 200000; i++) {
		snprintf(sha, sizeof(sha), "%040x", i);
		sc_baseline_add(b, i % 2 ? "b.py" : "a.py", "Secret Keyword", sha, i);
	}
	sc_baseline_add(b, "b.py", "Secret Keyword", sha, 7); /* a duplicate of the last one */
	snprintf(sha, sizeof(sha), "%040x", 199999u);
	assert_null(sc_baseline_find(b, "a.py", sha));
	assert_int_equal(sc_baseline_find(b, "b.py", sha)->line, 199999);
	snprintf(sha, sizeof(sha), "%040x", 123456u);
	assert_int_equal(sc_baseline_find(b, "a.py", sha)->line, 123456);
	for (size_t i = 0; i < b->n; i++)
		b->items[i].seen = i % 3 == 0 || i == 200000;
	sc_baseline_prune(b);
	assert_int_equal(b->n, 66668); /* of 200,001 entries, every third and the duplicate */
	assert_int_equal(sc_baseline_find(b, "a.py", sha)->line, 123456); /* 123456 % 3 == 0 */
	snprintf(sha, sizeof(sha), "%040x", 199999u);
	assert_int_equal(sc_baseline_find(b, "b.py", sha)->line, 7); /* the first was pruned */
	snprintf(sha, sizeof(sha), "%040x", 4u);
	assert_null(sc_baseline_find(b, "a.py", sha));
	sc_baseline_free(b);
}

static void test_baseline_malformed(void **state)
{
	(void)state;
	static const char *const bad[] = {
		"", "[]", "{\"results\": []}", "{\"results\": {\"a\": {}}}",
		"{\"results\": {\"a\": [{\"hashed_secret\": \"nothex\"}]}}",
		"{\"results\": {\"a\": [{\"hashed_secret\": \"0123456789abcdef0123456789abcdef01234567\", \"line_number\": \"x\"}]}}",
		"{\"results\": {\n  \"a\": [,]}}", NULL};
	for (size_t i = 0; bad[i]; i++) {
		struct sc_baseline *b = NULL;
		struct sc_error err = {0};
		assert_int_equal(sc_baseline_parse(".secrets.baseline", bad[i], strlen(bad[i]), &b, &err), SC_EINPUT);
		assert_null(b);
		assert_non_null(err.msg);
		sc_error_clear(&err);
	}
	struct sc_baseline *b = NULL;
	struct sc_error err = {0};
	const char *s = "{\"results\": {\n  \"a\": [,]}}";
	sc_baseline_parse(".secrets.baseline", s, strlen(s), &b, &err);
	assert_int_equal(err.line, 2);
	sc_error_clear(&err);
}

/* Findings on a real directory; the fingerprint survives moving the line. */
static void test_check_dir(void **state)
{
	(void)state;
	char *dir = tu_mkdtemp();
	tu_write(dir, "app/config.py", "import os\nTOKEN = '" GH1 "'\n");
	tu_write(dir, "app/image.png", "\x89PNG\r\n\x1a\n\0\0\0password = 'k3Lq8VzP0wXbR7mN'");
	tu_write(dir, "README.md", "no secrets here, just a ghp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx placeholder\n");
	/* a broken lockfile: no concern of a secrets scan, which does not parse it */
	tu_write(dir, "web/package-lock.json", "{\"lockfileVersion\": 3, \"packages\": {");
	/* outside a git work tree libgit2 is not needed: no warning when it is missing */
	setenv("SHIPCHECK_FAULT", "no-libgit2", 1);
	struct sc_result *r = run(dir, NULL);
	unsetenv("SHIPCHECK_FAULT");
	assert_int_equal(unsuppressed(r), 1);
	assert_int_equal(r->warnings.len, 0);
	assert_int_equal(r->packages.len, 0);
	const struct sc_finding *f = first(r);
	assert_string_equal(f->rule->id, "SC-SEC-github-pat");
	assert_string_equal(f->loc.path, "app/config.py");
	assert_int_equal(f->loc.line, 2);
	assert_null(strstr(f->message, GH1));
	assert_null(strstr(f->snippet_redacted, &GH1[4]));
	char fp[33];
	memcpy(fp, f->fingerprint, sizeof(fp));
	sc_result_free(r);
	tu_write(dir, "app/config.py", "import os\n\n\n# moved\nTOKEN = '" GH1 "'\n");
	r = run(dir, NULL);
	f = first(r);
	assert_int_equal(f->loc.line, 5);
	assert_string_equal(f->fingerprint, fp);
	sc_result_free(r);
	/* symlinks are not followed: a link to the secret file and a loop */
	char *link = sc_path_join(dir, "link");
	assert_int_equal(symlink("/etc/passwd", link), 0);
	free(link);
	char *loop = sc_path_join(dir, "loop");
	assert_int_equal(symlink(loop, loop), 0);
	free(loop);
	/* an unreadable file becomes a warning (when not root) */
	tu_write(dir, "secret.txt", "x = '" GH2 "'\n");
	char *p = sc_path_join(dir, "secret.txt");
	chmod(p, 0);
	r = run(dir, NULL);
	if (geteuid() != 0) {
		assert_int_equal(unsuppressed(r), 1);
		assert_true(r->warnings.len >= 1);
	} else {
		assert_int_equal(unsuppressed(r), 2);
	}
	sc_result_free(r);
	chmod(p, 0644);
	free(p);
	tu_rmtree(dir);
	free(dir);
}

/* A key made where it is used (a private key, a framework's signing key) in a test or example path
 * is reported LOW (a key made for the test), below the default gate; elsewhere, and a token issued
 * by a provider in a test path, keep their severity. */
static void test_test_keys(void **state)
{
	(void)state;
	static const char key[] = TEST_KEY;
	char *dir = tu_mkdtemp();
	tu_write(dir, "deploy/server.key", key);
	tu_write(dir, "tests/certs/server.key", key);
	tu_write(dir, "tests/config.py", "TOKEN = '" GH1 "'\n");
	/* a framework's signing key is made where it is used too; a 1Password account key is issued */
	tu_write(dir, "test/dummy/config/secrets.yml",
		 "test:\n  secret_key_base: 9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08\n");
	tu_write(dir, "tests/op.env", "OP_SECRET_KEY=A3-ASWWYB-798JRY-LJVD4-23DC2-86TVM-H43EB\n");
	/* third-party code's keys (its demos' and tests') and tokens (published with it); what the
	 * package manager wrote at install time is the service's */
	tu_write(dir, "deps/openssl/apps/server.pem", key);
	tu_write(dir, "web/node_modules/some-pkg/lib/publish.js", "const token = '" GH2 "';\n");
	tu_write(dir, "venv/lib/python3.11/site-packages/corp-1.0.dist-info/direct_url.json",
		 "{\"url\": \"https://ci:Vq7pL2xR9sKw@pypi.corp.internal/simple/corp/\"}\n");
	struct sc_result *r = run(dir, NULL);
	static const struct want want[] = {
		{"deps/openssl/apps/server.pem", SC_SEV_LOW, false, "third-party code", NULL},
		{"web/node_modules/some-pkg/lib/publish.js", SC_SEV_LOW, false, "third-party code", NULL},
		{"tests/certs/server.key", SC_SEV_LOW, false, "made for the test", NULL},
		{"test/dummy/config/secrets.yml", SC_SEV_LOW, false, "made for the test", NULL},
		{NULL, 0, false, NULL, NULL}};
	static const struct want other = {NULL, SC_SEV_HIGH, true, NULL, "made for the test"};
	expect_findings(r, 8, want, &other);
	sc_result_free(r);
	tu_rmtree(dir);
	free(dir);
}

/* Tests by other names (Perl's t/, C's test-*.c, integration-tests/, Samba's selftest/): their
 * keys and JWTs are the tests' (LOW); a CI workflow named integration-tests.yml is not a test; a
 * token holding a typed run of characters is made up (LOW). */
static void test_test_paths(void **state)
{
	(void)state;
	static const char key[] = TEST_KEY;
	static const char jwt[] = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJzdmMtb3JkZXJzIiwiaWF0IjoxNzAwMDAwMDAwfQ."
				  "k3Lq8VzP0wXbR7mN2sT4uYc6eA1hG5jK8oQzW9dVq8r";
	char *dir = tu_mkdtemp();
	tu_write(dir, "t/data/smime/keys/root.key", key);
	tu_write(dir, "src/lib-dcrypt/test-crypto.c", key);
	tu_write(dir, "integration-tests/certs/server.key", key);
	tu_write(dir, "selftest/target/server.key", key);
	tu_write(dir, "api/auth_test.go", jwt);
	tu_write(dir, "openpgp/keys_test_data.go", key);
	tu_write(dir, "deploy/token.txt", jwt);
	tu_write(dir, "src/Url.php", "$t = 'github_pat_1234567890abcdefghijkl_1234567890abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVW';\n");
	tu_write(dir, ".github/workflows/integration-tests.yml", "env:\n  DB_PASSWORD: Vq8rLm2Zp9xQ\n");
	/* a patch judges each hunk by the file it changes */
	tu_write(dir, "debian/patches/update-test-certs.diff",
		 "--- a/t/certs/server.key\n+++ b/t/certs/server.key\n@@ -1,3 +1,3 @@\n"
		 "+-----BEGIN RSA PRIVATE KEY-----\n+" KEY_BODY "\n+-----END RSA PRIVATE KEY-----\n");
	struct sc_result *r = run(dir, NULL);
	static const struct want want[] = {
		{"deploy/token.txt", SC_SEV_MEDIUM, true, NULL, NULL},
		{".github/workflows/integration-tests.yml", SC_SEV_MEDIUM, true, NULL, NULL},
		{"src/Url.php", SC_SEV_LOW, false, "consecutive characters", NULL},
		{NULL, 0, false, NULL, NULL}};
	static const struct want other = {NULL, SC_SEV_LOW, false, "made for the test", NULL};
	expect_findings(r, 10, want, &other);
	sc_result_free(r);
	tu_rmtree(dir);
	free(dir);
}

/* GitHub's and npm's tokens end in a checksum of the rest: one that fails was never issued (a
 * test's or a doc's made-up value) and is LOW; a token with a good checksum keeps its severity
 * wherever it is. */
static void test_token_checksum(void **state)
{
	(void)state;
	char *dir = tu_mkdtemp();
	tu_write(dir, "src/real.py", "TOKEN = '" GH1 "'\n");
	/* the same token with its last character changed; an npm token made up the same way */
	tu_write(dir, "src/madeup.py", "TOKEN = 'ghp_XIxB7KMNdAr3zqWtQqhE94qglHqOzn1Jol8G'\n");
	tu_write(dir, "src/npm.sh", "export NPM_TOKEN=npm_TCllNwh2WLQlMWVhybM1iQrsTj6rMQ0BOh6d\n");
	tu_write(dir, "src/npm-real.sh", "export NPM_TOKEN=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\n");
	struct sc_result *r = run(dir, NULL);
	static const struct want want[] = {
		{"src/madeup.py", SC_SEV_LOW, false, "not the checksum", NULL},
		{"src/npm.sh", SC_SEV_LOW, false, "not the checksum", NULL},
		{NULL, 0, false, NULL, NULL}};
	static const struct want other = {NULL, SC_SEV_CRITICAL, false, NULL, "not the checksum"};
	expect_findings(r, 4, want, &other);
	sc_result_free(r);
	tu_rmtree(dir);
	free(dir);
}

/* The path filters (tests, docs, templates, translations, vendored code) must not hide a
 * literal password in any place a service keeps its configuration. */
static void test_service_layout(void **state)
{
	(void)state;
#define PW "Vq8rLm2Zp9xQ"
	static const char *const files[][2] = {
		{"config/settings.py", "DATABASES = {'default': {'PASSWORD': '" PW "'}}\n"},
		{"deploy/k8s/secret.yaml", "apiVersion: v1\nkind: Secret\nstringData:\n  password: " PW "\n"},
		{".env", "DB_PASSWORD=" PW "\n"},
		{"docker-compose.yml", "services:\n  db:\n    environment:\n      POSTGRES_PASSWORD: " PW "\n"},
		{"src/main/resources/application.yml", "spring:\n  datasource:\n    password: " PW "\n"},
		{"src/main/resources/application_qa.properties", "spring.datasource.password=" PW "\n"},
		{"helm/templates/secret.yaml", "apiVersion: v1\nkind: Secret\nstringData:\n  api_key: " PW "\n"},
		{"terraform/main.tf", "resource \"aws_db_instance\" \"db\" {\n  password = \"" PW "\"\n}\n"},
		{"ansible/group_vars/all.yml", "ansible_become_pass: " PW "\n"},
		{"scripts/deploy.sh", "mysql -u root -p" PW " app\n"},
		{".github/workflows/ci.yml", "env:\n  DB_PASSWORD: " PW "\n"},
		{"app/db.js", "const password = '" PW "';\n"},
		{"lib/db.rb", "password = '" PW "'\n"},
		{"config/config.php", "$db_password = '" PW "';\n"},
		{"Dockerfile", "FROM debian\nENV DB_PASSWORD=" PW "\n"},
		{"cmd/server/main.go", "var dbPassword string = \"" PW "\"\n"},
		/* framework and tool secrets, passwords in client code */
		{"config/master.key", "9f86d081884c7d659a2feaa0c55ad015\n"},
		{"ansible/.vault_pass", PW "\n"},
		{"laravel/.env", "APP_NAME=orders\nAPP_KEY=base64:Zq3k9LmP2xR7vT1yW4uB6nC8dE0fG5hJaK3sL9oQ2iU=\n"},
		{"web/Web.config", "<machineKey validationKey=\"C50B3C89CB21F4F1422FF158A5B42D0E8DB8CB5CDA1742572A487D9401E34002\" "
				   "decryption=\"AES\" />\n"},
		{"keys/signing.jwk.json", "{\"kty\": \"EC\", \"crv\": \"P-256\", \"d\": \"jpsQnnGQmL-YBIffH1136cspYG6-0iY7X1fCE9-E9LI\"}\n"},
		{"internal/store/mysql.go", "db, err := sql.Open(\"mysql\", \"orders:" PW "@tcp(db.internal:3306)/orders\")\n"},
		{"client/api.py", "r = requests.get(URL, auth=(\"svc\", \"" PW "\"))\n"},
		{"ops/pgpass", "db.internal:5432:orders:app:" PW "\n"},
		{NULL, NULL}};
#undef PW
	char *dir = tu_mkdtemp();
	size_t n = 0;
	for (; files[n][0]; n++)
		tu_write(dir, files[n][0], files[n][1]);
	struct sc_result *r = run(dir, NULL);
	for (size_t i = 0; i < n; i++) {
		bool found = false;
		for (size_t k = 0; k < r->findings.len; k++) {
			const struct sc_finding *f = r->findings.items[k];
			found |= !strcmp(f->loc.path, files[i][0]);
		}
		if (!found)
			fprintf(stderr, "not reported: %s\n", files[i][0]);
		assert_true(found);
	}
	assert_int_equal(unsuppressed(r), n);
	sc_result_free(r);
	tu_rmtree(dir);
	free(dir);
}

/* Many files in many directories: workers take runs of neighbouring files and read the small ones
 * of a run in one io_uring batch, the others (and everything when io_uring is switched off) one by
 * one; every secret is found once, with its own path and line, whatever the thread count or the
 * way of reading. Files of 300 KB (read one by one) sit among the small ones, with their secret
 * at the end; empty files, links and a baseline file are skipped. */
static void test_many_dirs(void **state)
{
	(void)state;
	char *dir = tu_mkdtemp();
	size_t want = 0;
	size_t medium = 300 << 10;
	char *big = malloc(medium + 64);
	memset(big, 'a', medium);
	for (size_t k = 80; k < medium; k += 81)
		big[k] = '\n';
	snprintf(big + medium, 64, "\nT = '%s'\n", GH2);
	for (int d = 0; d < 7; d++) {
		for (int i = 0; i < 23; i++) {
			char name[64];
			snprintf(name, sizeof(name), "d%d/sub%d/f%02d.py", d, d % 3, i);
			bool secret = (d * 23 + i) % 5 == 0;
			if (i == 7) {
				tu_write(dir, name, big);
				want++;
			} else if (i == 11) {
				tu_write(dir, name, "");
			} else {
				tu_write(dir, name, secret ? "TOKEN = '" GH1 "'\n" : "x = 1\n");
				want += secret;
			}
		}
		char link[128];
		snprintf(link, sizeof(link), "d%d/sub%d/f05.py", d, d % 3);
		assert_int_equal(tu_sh("ln -s f05.py '%s/d%d/sub%d/l.py' && cp '%s/%s' '%s/d%d/.secrets.baseline'", dir,
				       d, d % 3, dir, link, dir, d),
				 0);
	}
	free(big);
	for (int mode = 0; mode < 2; mode++) {
		if (mode)
			setenv("SHIPCHECK_IO_URING", "0", 1);
		for (unsigned threads = 1; threads <= 3; threads++) {
			struct sc_secrets_options so = {0};
			so.no_baseline = true;
			so.threads = threads;
			struct sc_result *r = run(dir, &so);
			assert_int_equal(unsuppressed(r), want);
			size_t at_end = 0;
			for (size_t i = 0; i < r->findings.len; i++) {
				const struct sc_finding *f = r->findings.items[i];
				assert_int_equal(strncmp(f->loc.path, "d", 1), 0);
				assert_non_null(strstr(f->loc.path, "/f"));
				assert_non_null(strstr(f->loc.path, ".py"));
				if (strstr(f->loc.path, "/f07.py")) {
					assert_int_equal(f->loc.line, medium / 81 + 2);
					at_end++;
				} else {
					assert_int_equal(f->loc.line, 1);
				}
			}
			assert_int_equal(at_end, 7);
			assert_int_equal(r->warnings.len, 0);
			sc_result_free(r);
		}
	}
	unsetenv("SHIPCHECK_IO_URING");
	tu_rmtree(dir);
	free(dir);
}

/* The detect-secrets workflow: baseline, accepted secrets, new ones, is_secret, update. */
static void test_baseline_workflow(void **state)
{
	(void)state;
	char *dir = tu_mkdtemp();
	tu_write(dir, "a.py", "TOKEN = '" GH1 "'\n");
	tu_write(dir, "b.env", "SLACK_TOKEN=" SL1 "\n");
	struct sc_secrets_options so = {0};
	so.write_baseline = true;
	struct sc_result *r = run(dir, &so);
	sc_result_free(r);
	assert_int_equal(so.baseline_written, 2);
	char *bpath = sc_path_join(dir, ".secrets.baseline");
	char *text = tu_read(bpath);
	assert_non_null(strstr(text, "\"results\""));
	assert_non_null(strstr(text, "\"a.py\""));
	assert_null(strstr(text, GH1));
	/* the SHA-1 of the secret, as detect-secrets computes it */
	char sha[41];
	sc_sha1_hex(GH1, strlen(GH1), sha);
	assert_non_null(strstr(text, sha));
	free(text);
	/* everything accepted */
	r = run(dir, NULL);
	assert_int_equal(unsuppressed(r), 0);
	assert_true(r->findings.len >= 2);
	sc_result_free(r);
	/* a moved line stays accepted; a new secret is reported */
	tu_write(dir, "a.py", "\n\nTOKEN = '" GH1 "'\nOTHER = '" GH2 "'\n");
	r = run(dir, NULL);
	assert_int_equal(unsuppressed(r), 1);
	for (size_t i = 0; i < r->findings.len; i++) {
		const struct sc_finding *f = r->findings.items[i];
		if (strcmp(f->rule->check, "secrets") || strcmp(f->loc.path, "a.py"))
			continue;
		/* the accepted secret moved to line 3; the new one at line 4 is reported */
		assert_int_equal(f->loc.line, f->suppressed ? 3 : 4);
	}
	sc_result_free(r);
	/* --update-baseline accepts it and drops the vanished Slack token */
	tu_write(dir, "b.env", "SLACK_TOKEN=\n");
	struct sc_secrets_options up = {0};
	up.update_baseline = true;
	r = run(dir, &up);
	sc_result_free(r);
	struct sc_baseline *b = NULL;
	struct sc_error err = {0};
	assert_int_equal(sc_baseline_load(bpath, &b, &err), SC_OK);
	assert_int_equal(b->n, 2);
	char sl[41];
	sc_sha1_hex(SL1, strlen(SL1), sl);
	assert_null(sc_baseline_find(b, "b.env", sl));
	/* is_secret: true is still reported */
	sc_baseline_find(b, "a.py", sha)->is_secret = 1;
	assert_int_equal(sc_baseline_write(b, bpath, &err), SC_OK);
	sc_baseline_free(b);
	r = run(dir, NULL);
	assert_int_equal(unsuppressed(r), 1);
	sc_result_free(r);
	/* a malformed baseline is a clear error */
	tu_write(dir, ".secrets.baseline", "{\"results\": [");
	struct sc_scan_options o;
	sc_scan_options_init(&o);
	o.repo_dir = dir;
	struct sc_result *rr = NULL;
	assert_int_equal(sc_scan_run(&o, &rr, &err), SC_EINPUT);
	assert_non_null(strstr(err.file, ".secrets.baseline"));
	sc_error_clear(&err);
	free(bpath);
	tu_rmtree(dir);
	free(dir);
}

/* A detect-secrets baseline with one secret under two types (two plugins found it): the update
 * keeps both entries, and the one marked is_secret: true decides, whichever comes first. */
static void test_baseline_twins(void **state)
{
	(void)state;
	char *dir = tu_mkdtemp();
	tu_write(dir, "a.py", "TOKEN = '" GH1 "'\n");
	char sha[41];
	sc_sha1_hex(GH1, strlen(GH1), sha);
	char *bl = sc_xasprintf("{\"version\": \"1.5.0\", \"results\": {\"a.py\": ["
				"{\"type\": \"Secret Keyword\", \"filename\": \"a.py\", \"hashed_secret\": \"%s\", "
				"\"is_verified\": false, \"line_number\": 1},"
				"{\"type\": \"GitHub Token\", \"filename\": \"a.py\", \"hashed_secret\": \"%s\", "
				"\"is_verified\": false, \"line_number\": 1}]}}",
				sha, sha);
	tu_write(dir, ".secrets.baseline", bl);
	free(bl);
	struct sc_secrets_options up = {0};
	up.update_baseline = true;
	struct sc_result *r = run(dir, &up);
	assert_int_equal(unsuppressed(r), 0);
	sc_result_free(r);
	char *bpath = sc_path_join(dir, ".secrets.baseline");
	struct sc_baseline *b = NULL;
	struct sc_error err = {0};
	assert_int_equal(sc_baseline_load(bpath, &b, &err), SC_OK);
	assert_int_equal(b->n, 2);
	/* the second entry marked a real secret: reported */
	b->items[1].is_secret = 1;
	assert_int_equal(sc_baseline_write(b, bpath, &err), SC_OK);
	sc_baseline_free(b);
	r = run(dir, NULL);
	assert_int_equal(unsuppressed(r), 1);
	sc_result_free(r);
	free(bpath);
	tu_rmtree(dir);
	free(dir);
}

/* Only new code: --staged and --since, and the history scan, on a real git repository. */
static void test_git(void **state)
{
	(void)state;
	char *dir = tu_mkdtemp();
	tu_write(dir, "old.py", "TOKEN = '" GH1 "'\n");
	/* history judges a blob by its path as a scan does: a fixture directory's password is not
	 * reported (it was, when the path was read with the commit before it), a file-named rule is */
	tu_write(dir, "fixtures/db.yml", "password: Zx9kQ2mP7wL4vB8n\n");
	tu_write(dir, "config/master.key", "9f86d081884c7d659a2feaa0c55ad015\n");
	assert_int_equal(tu_sh("cd '%s' && " GIT " init -q && " GIT " add -A && " GIT " commit -qm one", dir), 0);
	assert_int_equal(tu_sh("cd '%s' && " GIT " rm -q config/master.key", dir), 0);
	/* removed in the next commit: history still finds it, with the commit that added it */
	tu_write(dir, "old.py", "TOKEN = os.environ['TOKEN']\n");
	assert_int_equal(tu_sh("cd '%s' && " GIT " commit -qam two && " GIT " branch base", dir), 0);
	struct sc_secrets_options hist = {0};
	hist.history = true;
	struct sc_result *r = run(dir, &hist);
	assert_int_equal(unsuppressed(r), 2);
	bool old_py = false, master = false;
	for (size_t i = 0; i < r->findings.len; i++) {
		const struct sc_finding *f = r->findings.items[i];
		old_py |= !strcmp(f->loc.path, "old.py") && strstr(f->message, "First added in commit");
		master |= !strcmp(f->loc.path, "config/master.key") && !strcmp(f->rule->id, "SC-SEC-rails-master-key-file");
	}
	assert_true(old_py && master);
	sc_result_free(r);
	/* staged: only lines added to the index */
	tu_write(dir, "new.py", "A = 1\nSLACK = '" SL1 "'\n");
	tu_write(dir, "unstaged.py", "X = '" GH2 "'\n");
	assert_int_equal(tu_sh("cd '%s' && " GIT " add new.py", dir), 0);
	struct sc_secrets_options st = {0};
	st.staged = true;
	r = run(dir, &st);
	assert_int_equal(unsuppressed(r), 1);
	assert_string_equal(first(r)->loc.path, "new.py");
	assert_int_equal(first(r)->loc.line, 2);
	sc_result_free(r);
	/* since: lines added since the merge base with `base` (committed and not) */
	assert_int_equal(tu_sh("cd '%s' && " GIT " commit -qm three", dir), 0);
	struct sc_secrets_options since = {0};
	since.since = "base";
	r = run(dir, &since);
	assert_int_equal(unsuppressed(r), 2);
	sc_result_free(r);
	since.since = "no-such-rev";
	struct sc_scan_options o;
	sc_scan_options_init(&o);
	o.repo_dir = dir;
	o.secrets = &since;
	struct sc_error err = {0};
	assert_int_equal(sc_scan_run(&o, &r, &err), SC_EINPUT);
	sc_error_clear(&err);
	/* a corrupt object: history goes on */
	assert_int_equal(tu_sh("cd '%s' && for f in .git/objects/[0-9a-f][0-9a-f]/*; do chmod u+w \"$f\"; printf garbage > \"$f\"; break; done", dir), 0);
	o.secrets = &hist;
	enum sc_status s2 = sc_scan_run(&o, &r, &err);
	if (s2 == SC_OK)
		sc_result_free(r);
	sc_error_clear(&err);
	tu_rmtree(dir);
	free(dir);
}


/* In a git work tree, files git ignores and does not track are not scanned (--all-files scans
 * them); a tracked file stays scanned whatever the ignore rules say, also inside an ignored
 * directory; a scan of a subdirectory reads the same rules. */
static void test_gitignore(void **state)
{
	(void)state;
	char *dir = tu_mkdtemp();
	tu_write(dir, ".gitignore", "build/\n.env.local\n*.log\n");
	tu_write(dir, "svc/.gitignore", "generated/\n");
	tu_write(dir, "app.py", "TOKEN = '" GH1 "'\n");
	tu_write(dir, "build/out.txt", "TOKEN = '" GH1 "'\n");
	tu_write(dir, "build/tracked.txt", "TOKEN = '" GH2 "'\n");
	tu_write(dir, ".env.local", "SLACK=" SL1 "\n");
	tu_write(dir, "keep.log", "SLACK=" SL1 "\n");
	tu_write(dir, "svc/main.py", "TOKEN = '" GH2 "'\n");
	tu_write(dir, "svc/generated/x.py", "TOKEN = '" GH2 "'\n");
	/* untracked and not ignored: part of the next commit; an ignored file inside it is not */
	tu_write(dir, "new/notes.txt", "TOKEN = '" GH1 "'\n");
	tu_write(dir, "new/debug.log", "TOKEN = '" GH1 "'\n");
	assert_int_equal(tu_sh("cd '%s' && " GIT " init -q && " GIT " add .gitignore app.py svc && " GIT " add -f keep.log "
			       "build/tracked.txt && " GIT " commit -qm one", dir), 0);
	struct sc_result *r = run(dir, NULL);
	static const char *const want[] = {"app.py", "build/tracked.txt", "keep.log", "svc/main.py", "new/notes.txt", NULL};
	size_t n = 0;
	for (size_t i = 0; i < r->findings.len; i++) {
		const struct sc_finding *f = r->findings.items[i];
		bool ok = false;
		for (size_t k = 0; want[k]; k++)
			ok |= !strcmp(f->loc.path, want[k]);
		if (!ok)
			fprintf(stderr, "reported: %s\n", f->loc.path);
		assert_true(ok);
		n++;
	}
	assert_int_equal(n, 5);
	sc_result_free(r);
	/* a subdirectory: its own and its parents' rules */
	char *sub = sc_path_join(dir, "svc");
	r = run(sub, NULL);
	assert_int_equal(unsuppressed(r), 1);
	assert_string_equal(first(r)->loc.path, "main.py");
	sc_result_free(r);
	free(sub);
	/* a directory the work tree ignores, named as the scan's root: all of it is scanned */
	sub = sc_path_join(dir, "build");
	r = run(sub, NULL);
	assert_int_equal(unsuppressed(r), 2);
	sc_result_free(r);
	free(sub);
	struct sc_secrets_options all = {0};
	all.all_files = true;
	r = run(dir, &all);
	assert_int_equal(unsuppressed(r), 9);
	assert_int_equal(r->warnings.len, 0);
	sc_result_free(r);
	/* without libgit2 the rules cannot be read: everything is scanned, and the report says so */
	setenv("SHIPCHECK_FAULT", "no-libgit2", 1);
	r = run(dir, NULL);
	unsetenv("SHIPCHECK_FAULT");
	assert_int_equal(unsuppressed(r), 9);
	assert_int_equal(r->warnings.len, 1);
	const struct sc_warning *w = r->warnings.items[0];
	assert_non_null(strstr(w->message, "cannot read the work tree's .gitignore rules"));
	sc_result_free(r);
	tu_rmtree(dir);
	free(dir);
}

/* An image's merged view: every layer's files, deleted ones included, named by layer. */
static const char *const img_paths[] = {"app/.env", "etc/passwd", "root/.npmrc"};
static const char *const img_data[] = {"SLACK=" SL1 "\n", "root:x:0:0::/root:/bin/sh\n",
				       "//registry.example.invalid/:_authToken=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\n"};

static enum sc_status img_read(const struct sc_fs *fs, const char *path, uint64_t limit, char **data, size_t *len,
			       struct sc_error *err)
{
	(void)fs;
	(void)limit;
	for (size_t i = 0; i < 3; i++) {
		if (!strcmp(path, img_paths[i])) {
			*data = sc_xstrdup(img_data[i]);
			*len = strlen(img_data[i]);
			return SC_OK;
		}
	}
	return sc_error_set(err, SC_EIO, path, 0, 0, "no such file");
}

static void test_image_fs(void **state)
{
	(void)state;
	struct sc_fs fs = {0};
	fs.arena = sc_arena_new();
	fs.read = img_read;
	for (size_t i = 0; i < 3; i++) {
		struct sc_file *f = sc_arena_alloc(fs.arena, sizeof(*f));
		f->path = img_paths[i];
		f->size = strlen(img_data[i]);
		f->mode = 0100644;
		f->layer = (int)i + 1;
		f->deleted = i == 2; /* deleted by a later layer: still in the image */
		sc_ptrvec_push(&fs.files, f);
	}
	struct sc_scan_options o;
	sc_scan_options_init(&o);
	struct sc_result *r = sc_result_new();
	struct sc_layer_info layers[3] = {{.created_by = "ADD rootfs.tar /"},
					  {.created_by = "COPY . /app"},
					  {.created_by = "RUN echo $NPM_TOKEN > /root/.npmrc && npm ci && rm /root/.npmrc"}};
	r->layers = layers;
	r->n_layers = 3;
	struct sc_policy *p = sc_policy_new_default();
	struct sc_scan_ctx ctx = {.opts = &o, .policy = p, .result = r, .image_fs = &fs};
	struct sc_error err = {0};
	assert_int_equal(sc_check_secrets.run(&ctx, &err), SC_OK);
	assert_int_equal(r->findings.len, 2);
	bool saw_deleted = false;
	for (size_t i = 0; i < r->findings.len; i++) {
		const struct sc_finding *f = r->findings.items[i];
		assert_true(f->loc.layer >= 1);
		assert_non_null(f->loc.created_by);
		if (f->loc.layer == 3) {
			assert_non_null(strstr(f->message, "deleted by a later layer"));
			assert_non_null(strstr(f->message, "RUN echo"));
			saw_deleted = true;
		}
	}
	assert_true(saw_deleted);
	/* the image config and history: build args leak there */
	static const char *const env[] = {"PATH=/usr/local/bin:/usr/bin", "NPM_TOKEN=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", NULL};
	static const char *const labels[] = {"org.opencontainers.image.source=https://git.corp.local/app", NULL};
	layers[1].created_by = "RUN |1 GITHUB_TOKEN=" GH1 " /bin/sh -c make";
	size_t before = r->findings.len;
	assert_int_equal(sc_secrets_scan_image_config(r, env, labels, &err), 2);
	assert_int_equal(r->findings.len, before + 2);
	const struct sc_finding *hf = r->findings.items[before + 1];
	assert_string_equal(hf->loc.path, "image history");
	assert_int_equal(hf->loc.layer, 2);
	assert_null(strstr(hf->message, GH1));
	r->layers = NULL;
	r->n_layers = 0;
	sc_result_free(r);
	sc_policy_free(p);
	sc_ptrvec_free(&fs.files);
	sc_arena_free(fs.arena);
}

/* A file larger than one mapping window: secrets in the second window and across the boundary are
 * found once, with the right line numbers. */
static void test_big_file(void **state)
{
	(void)state;
	char *dir = tu_mkdtemp();
	char *path = sc_path_join(dir, "big.log");
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs("line 1\nline 2\n", f);
	/* ~64 MiB of short lines, then a token straddling the 64 MiB boundary, then another */
	const size_t window = (size_t)64 << 20;
	size_t written = 14;
	unsigned lines = 2;
	while (written + 8 < window - 20) {
		fputs("abcdefg\n", f);
		written += 8;
		lines++;
	}
	fputs("t=" GH1 "\n", f);
	lines++;
	unsigned first = lines;
	for (int i = 0; i < 1000; i++) {
		fputs("xyz\n", f);
		lines++;
	}
	fputs("s=" SL1 "\n", f);
	lines++;
	fclose(f);
	struct sc_result *r = run(dir, NULL);
	assert_int_equal(unsuppressed(r), 2);
	const struct sc_finding *a = r->findings.items[0], *b = r->findings.items[1];
	if (a->loc.line > b->loc.line) {
		const struct sc_finding *t = a;
		a = b;
		b = t;
	}
	assert_int_equal(a->loc.line, first);
	assert_int_equal(b->loc.line, lines);
	sc_result_free(r);
	free(path);
	tu_rmtree(dir);
	free(dir);
}

/* --audit: the identifier rules and placeholders in a credential's format, LOW, with their own
 * message; without it neither. A policy that disables an identifier rule wins over the audit. */
static void test_audit(void **state)
{
	(void)state;
	char *dir = tu_mkdtemp();
	tu_write(dir, "docs/setup.md", "export AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE\n");
	tu_write(dir, "deploy/iam.tf", "policy_arn = \"arn:aws:iam::210987654321:policy/deploy\"\n");
	tu_write(dir, "app/config.py", "TOKEN = '" GH1 "'\n");
	struct sc_result *r = run(dir, NULL);
	assert_int_equal(unsuppressed(r), 1);
	sc_result_free(r);
	struct sc_secrets_options so = {.audit = true};
	r = run(dir, &so);
	assert_int_equal(unsuppressed(r), 3);
	bool ph = false, arn = false;
	for (size_t i = 0; i < r->findings.len; i++) {
		const struct sc_finding *f = r->findings.items[i];
		if (!strcmp(f->rule->id, "SC-SEC-aws-access-key-id")) {
			ph = true;
			assert_int_equal(f->severity, SC_SEV_LOW);
			assert_non_null(strstr(f->message, "holding a placeholder"));
			assert_non_null(strstr(f->remediation, "Nothing to rotate"));
			assert_null(strstr(f->message, "AKIAIOSFODNN7EXAMPLE"));
		} else if (!strcmp(f->rule->id, "SC-SEC-aws-arn")) {
			arn = true;
			assert_int_equal(f->severity, SC_SEV_LOW);
			assert_non_null(strstr(f->message, "Not a credential"));
		} else {
			assert_string_equal(f->rule->id, "SC-SEC-github-pat");
			assert_int_equal(f->severity, SC_SEV_CRITICAL);
		}
	}
	assert_true(ph && arn);
	sc_result_free(r);
	tu_write(dir, ".shipcheck.yml", "rules:\n  disable: [SC-SEC-aws-arn]\n");
	r = run(dir, &so);
	assert_int_equal(unsuppressed(r), 2);
	sc_result_free(r);
	tu_rmtree(dir);
	free(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_baseline_parse),
		cmocka_unit_test(test_baseline_malformed),
		cmocka_unit_test(test_check_dir),
		cmocka_unit_test(test_test_keys),
		cmocka_unit_test(test_token_checksum),
		cmocka_unit_test(test_test_paths),
		cmocka_unit_test(test_service_layout),
		cmocka_unit_test(test_many_dirs),
		cmocka_unit_test(test_baseline_workflow),
		cmocka_unit_test(test_git),
		cmocka_unit_test(test_gitignore),
		cmocka_unit_test(test_image_fs),
		cmocka_unit_test(test_big_file),
		cmocka_unit_test(test_audit),
		cmocka_unit_test(test_baseline_twins),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
