/* test_vulndb_update.c - `db update` against a local HTTP server on 127.0.0.1 (tests/data/vulndb/
 * osv_server.py) serving the shared OSV zips: first download, conditional re-download (304),
 * retries with back-off on 500s, and the failures (truncated zip, cut connection, persistent 500)
 * that must leave the old DB untouched and no half-written file behind. */
#include "testutil.h"

#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "shipcheck/sc_db.h"

struct server {
	char *dir;
	char *log;
	pid_t pid;
	int port;
};

static struct server srv;

static int start(void **state)
{
	(void)state;
	srv.dir = tu_mkdtemp();
	char *script = tu_source("tests/data/vulndb/osv_server.py");
	char *zips = tu_shared("vulndata/osv-zip");
	char *portfile = sc_path_join(srv.dir, "port");
	srv.log = sc_path_join(srv.dir, "requests.log");
	srv.pid = fork();
	if (srv.pid == 0) {
		execlp("python3", "python3", script, zips, portfile, srv.log, (char *)NULL);
		_exit(127);
	}
	for (int i = 0; i < 200 && access(portfile, F_OK) != 0; i++) {
		struct timespec ts = {0, 50000000};
		nanosleep(&ts, NULL);
	}
	char *p = tu_read(portfile);
	if (!p)
		return -1;
	srv.port = (int)strtol(p, NULL, 10);
	free(p);
	free(script);
	free(zips);
	free(portfile);
	return srv.port > 0 ? 0 : -1;
}

static int stop(void **state)
{
	(void)state;
	kill(srv.pid, SIGTERM);
	waitpid(srv.pid, NULL, 0);
	tu_rmtree(srv.dir);
	free(srv.dir);
	free(srv.log);
	return 0;
}

/* Number of log lines containing needle. */
static int requests(const char *needle)
{
	char *log = tu_read(srv.log);
	int n = 0;
	for (const char *p = log ? log : ""; (p = strstr(p, needle)); p++)
		n++;
	free(log);
	return n;
}

static enum sc_status update(const char *db, const char *mode, struct sc_db_update_stats *st, struct sc_error *err,
			     bool force)
{
	static const char *const ecos[] = {"npm", "crates.io", NULL};
	char *base = sc_xasprintf("http://127.0.0.1:%d/%s/", srv.port, mode);
	struct sc_db_update_options o = {
		.db_path = db, .base_url = base, .ecosystems = ecos, .retries = 2, .backoff_ms = 5, .timeout_s = 30,
		.quiet = true, .force = force,
	};
	sc_db_import_stats_clear(&st->import); /* warnings of the previous run */
	enum sc_status s = sc_db_update(&o, st, err);
	free(base);
	return s;
}

static char *file_hash(const char *path)
{
	char *data;
	size_t len;
	struct sc_error err = {0};
	if (sc_read_file(path, 1u << 30, &data, &len, &err) != SC_OK) {
		sc_error_clear(&err);
		return NULL;
	}
	char hex[65];
	sc_sha256_hex(data, len, hex);
	free(data);
	return sc_xstrdup(hex);
}

static void test_update_cycle(void **state)
{
	(void)state;
	char *dir = tu_mkdtemp();
	char *db = sc_path_join(dir, "cache/db.sqlite");
	struct sc_db_update_stats st = {0};
	struct sc_error err = {0};

	/* a failing first update creates nothing */
	assert_int_equal(update(db, "fail500", &st, &err, false), SC_EIO);
	assert_non_null(strstr(err.msg, "HTTP 500"));
	sc_error_clear(&err);
	assert_int_equal(requests("/fail500/npm/all.zip 500"), 3); /* 1 + 2 retries */
	assert_int_not_equal(access(db, F_OK), 0);

	/* first download */
	if (update(db, "ok", &st, &err, false) != SC_OK)
		fail_msg("%s", err.msg);
	assert_int_equal(st.downloaded, 2);
	assert_true(st.rebuilt);
	assert_int_equal(st.import.records, 467 + 1205);
	struct sc_db *h = NULL;
	assert_int_equal(sc_db_open(db, &h, &err), SC_OK);
	struct sc_arena *a = sc_arena_new();
	struct sc_db_info info;
	assert_int_equal(sc_db_info(h, a, &info, &err), SC_OK);
	assert_int_equal(info.n_sources, 2);
	assert_string_equal(info.source_list[0].name, "crates.io");
	assert_non_null(strstr(info.source_list[0].url, "/ok/crates.io/all.zip"));
	assert_non_null(info.source_list[0].etag);
	assert_true(strlen(info.source_list[0].etag) > 4);
	assert_int_equal(info.source_list[1].records, 467);
	sc_arena_free(a);
	sc_db_close(h);
	char *h1 = file_hash(db);

	/* again: conditional requests answer 304, the DB stays as it is */
	assert_int_equal(update(db, "ok", &st, &err, false), SC_OK);
	assert_int_equal(st.not_modified, 2);
	assert_int_equal(st.downloaded, 0);
	assert_false(st.rebuilt);
	assert_int_equal(requests("/ok/npm/all.zip 304"), 1);
	char *h2 = file_hash(db);
	assert_string_equal(h1, h2);

	/* truncated zip, a cut connection, a persistent 500: errors, old DB untouched */
	static const char *const bad[] = {"truncated", "cut", "fail500"};
	for (size_t i = 0; i < 3; i++) {
		enum sc_status s = update(db, bad[i], &st, &err, true);
		if (s == SC_OK)
			fail_msg("update from /%s/ succeeded", bad[i]);
		sc_error_clear(&err);
		char *hx = file_hash(db);
		assert_string_equal(h1, hx);
		free(hx);
	}
	assert_int_equal(requests("/truncated/npm/all.zip 200"), 3); /* retried: a short body may be transient */
	assert_int_equal(tu_sh("ls -a '%s/cache' | grep -Eq 'new-|tmp|part'", dir), 1);
	h = NULL;
	assert_int_equal(sc_db_open(db, &h, &err), SC_OK);
	sc_db_close(h);

	/* a flaky server: two 500s, then success within the retries */
	if (update(db, "flaky", &st, &err, true) != SC_OK)
		fail_msg("flaky: %s", err.msg);
	assert_int_equal(st.downloaded, 2);
	assert_int_equal(requests("/flaky/npm/all.zip 500"), 2);
	assert_int_equal(requests("/flaky/npm/all.zip 200"), 1);
	assert_true(st.rebuilt); /* new source URLs */

	/* an unknown ecosystem is refused before any request */
	static const char *const nope[] = {"Plan9", NULL};
	struct sc_db_update_options o = {.db_path = db, .base_url = "http://127.0.0.1:1/", .ecosystems = nope, .quiet = true};
	sc_db_import_stats_clear(&st.import);
	assert_int_equal(sc_db_update(&o, &st, &err), SC_EINPUT);
	sc_error_clear(&err);
	sc_db_import_stats_clear(&st.import);

	free(h1);
	free(h2);
	free(db);
	tu_rmtree(dir);
	free(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_update_cycle),
	};
	return cmocka_run_group_tests(tests, start, stop);
}
