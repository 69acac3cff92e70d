/* test_vulndb.c - the vulnerability DB: importing the shared OSV data (zips and trees), idempotent
 * re-import and updates by `modified`, provenance (status, digest), name normalisation, bad input
 * (corrupt and truncated zips, truncated JSON, missing fields, unknown ecosystems and range types,
 * newer schema, unwritable location, full disk) and queries against the shared matcher cases. */
#include "testutil.h"

#include <jansson.h>
#include <signal.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "shipcheck/sc_db.h"
#include "shipcheck/sc_version.h"

static const char *rec_fmt =
	"{\"schema_version\":\"1.6.0\",\"id\":\"%s\",\"modified\":\"%s\",\"aliases\":[\"%s\"],"
	"\"summary\":\"%s\",\"severity\":[{\"type\":\"CVSS_V3\",\"score\":\"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H\"}],"
	"\"affected\":[{\"package\":{\"ecosystem\":\"%s\",\"name\":\"%s\"},"
	"\"ranges\":[{\"type\":\"%s\",\"events\":[{\"introduced\":\"0\"},{\"fixed\":\"%s\"}]}]}],"
	"\"references\":[{\"type\":\"WEB\",\"url\":\"https://example.invalid/w\"},{\"type\":\"ADVISORY\",\"url\":\"https://example.invalid/%s\"}]}";

static void write_rec(const char *dir, const char *file, const char *id, const char *modified, const char *alias,
		      const char *summary, const char *eco, const char *name, const char *rtype, const char *fixed)
{
	char *s = sc_xasprintf(rec_fmt, id, modified, alias, summary, eco, name, rtype, fixed, id);
	tu_write(dir, file, s);
	free(s);
}

static int64_t count(const char *db, const char *sql)
{
	sqlite3 *h;
	assert_int_equal(sqlite3_open_v2(db, &h, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
	sqlite3_stmt *s;
	assert_int_equal(sqlite3_prepare_v2(h, sql, -1, &s, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(s), SQLITE_ROW);
	int64_t v = sqlite3_column_int64(s, 0);
	sqlite3_finalize(s);
	sqlite3_close(h);
	return v;
}

static char *text(const char *db, const char *sql)
{
	sqlite3 *h;
	assert_int_equal(sqlite3_open_v2(db, &h, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
	sqlite3_stmt *s;
	assert_int_equal(sqlite3_prepare_v2(h, sql, -1, &s, NULL), SQLITE_OK);
	char *v = NULL;
	if (sqlite3_step(s) == SQLITE_ROW && sqlite3_column_text(s, 0))
		v = sc_xstrdup((const char *)sqlite3_column_text(s, 0));
	sqlite3_finalize(s);
	sqlite3_close(h);
	return v;
}

static enum sc_status import1(const char *db, const char *path, struct sc_db_import_stats *st, struct sc_error *err)
{
	const char *p[] = {path};
	return sc_db_import(db, p, 1, true, st, err);
}

static bool has_warning(const struct sc_db_import_stats *st, const char *a, const char *b)
{
	for (size_t i = 0; i < st->n_warning_msgs; i++)
		if (strstr(st->warning_msgs[i], a) && (!b || strstr(st->warning_msgs[i], b)))
			return true;
	return false;
}

static char *digest_of(const char *db)
{
	return text(db, "SELECT value FROM meta WHERE key = 'digest'");
}

/* The whole shared zip set: counts per ecosystem match the data's README, and the same data as a
 * directory tree gives the same content digest. */
static void test_import_shared(void **state)
{
	(void)state;
	char *dir = tu_mkdtemp();
	char *zips = tu_shared("vulndata/osv-zip");
	char *db = sc_path_join(dir, "zip.sqlite");
	struct sc_db_import_stats st = {0};
	struct sc_error err = {0};
	if (import1(db, zips, &st, &err) != SC_OK)
		fail_msg("%s", err.msg);
	assert_int_equal(st.records, 21557);
	assert_int_equal(st.inserted, 21557);
	assert_int_equal(st.skipped, 0);
	assert_true(has_warning(&st, "NSWG-ECO-504", "invalid CVSS_V3 vector"));
	assert_int_equal(count(db, "SELECT count(*) FROM advisories"), 21557);
	assert_int_equal(count(db, "SELECT count(*) FROM advisories WHERE id LIKE 'DSA-%' OR id LIKE 'DLA-%'"), 8906);
	assert_int_equal(count(db, "SELECT count(*) FROM advisories WHERE withdrawn IS NOT NULL"), 40);
	assert_int_equal(count(db, "SELECT count(DISTINCT advisory) FROM affected WHERE ecosystem = 'npm'"), 467);
	assert_int_equal(count(db, "PRAGMA user_version"), SC_DB_SCHEMA_VERSION);
	/* severity computed from the vector, never invented */
	assert_int_equal(count(db, "SELECT severity FROM advisories WHERE id = 'NSWG-ECO-1'"), SC_SEV_MEDIUM);
	assert_int_equal(count(db, "SELECT count(*) FROM advisories WHERE cvss_vector IS NULL AND severity != 0 "
				   "AND severity_source IS NULL"), 0);
	/* the index the queries use */
	assert_int_equal(count(db, "SELECT count(*) FROM sqlite_master WHERE name = 'affected_pkg'"), 1);

	/* idempotent: a second import changes nothing */
	struct sc_db_import_stats st2 = {0};
	char *d1 = digest_of(db);
	assert_int_equal(import1(db, zips, &st2, &err), SC_OK);
	assert_int_equal(st2.unchanged, 21557);
	assert_int_equal(st2.inserted + st2.updated, 0);
	char *d2 = digest_of(db);
	assert_string_equal(d1, d2);

	/* the directory tree holds the same records: same digest */
	char *tree = tu_shared("vulndata/osv/npm");
	char *zip = tu_shared("vulndata/osv-zip/npm.zip");
	char *dba = sc_path_join(dir, "a.sqlite"), *dbb = sc_path_join(dir, "b.sqlite");
	struct sc_db_import_stats s3 = {0}, s4 = {0};
	assert_int_equal(import1(dba, tree, &s3, &err), SC_OK);
	assert_int_equal(import1(dbb, zip, &s4, &err), SC_OK);
	assert_int_equal(s3.records, 467);
	char *da = digest_of(dba), *dbd = digest_of(dbb);
	assert_string_equal(da, dbd);
	assert_string_not_equal(da, d1);

	/* status */
	struct sc_db *h = NULL;
	assert_int_equal(sc_db_open(db, &h, &err), SC_OK);
	struct sc_arena *a = sc_arena_new();
	struct sc_db_info info;
	assert_int_equal(sc_db_info(h, a, &info, &err), SC_OK);
	assert_string_equal(info.digest, d1);
	assert_int_equal(info.advisories, 21557);
	assert_int_equal(info.schema_version, SC_DB_SCHEMA_VERSION);
	assert_non_null(info.built_at);
	assert_true(info.age_seconds >= 0 && info.age_seconds < 3600);
	assert_int_equal(info.n_sources, 1);
	assert_string_equal(info.sources[0], zips);
	bool saw_debian11 = false;
	for (size_t i = 0; i < info.n_ecosystems; i++)
		if (!strcmp(info.ecosystems[i].ecosystem, "Debian:11"))
			saw_debian11 = info.ecosystems[i].advisories > 0;
	assert_true(saw_debian11);
	sc_arena_free(a);
	sc_db_close(h);

	free(d1);
	free(d2);
	free(da);
	free(dbd);
	free(tree);
	free(zip);
	free(dba);
	free(dbb);
	sc_db_import_stats_clear(&st);
	sc_db_import_stats_clear(&st2);
	sc_db_import_stats_clear(&s3);
	sc_db_import_stats_clear(&s4);
	free(db);
	free(zips);
	tu_rmtree(dir);
	free(dir);
}

/* Re-import: only a newer `modified` replaces a record; its old rows go. */
static void test_reimport_modified(void **state)
{
	(void)state;
	char *dir = tu_mkdtemp();
	char *src = sc_path_join(dir, "src");
	char *db = sc_path_join(dir, "db.sqlite");
	write_rec(src, "GHSA-aaaa.json", "GHSA-aaaa", "2024-01-01T00:00:00Z", "CVE-2024-0001", "first", "npm", "left-pad",
		  "SEMVER", "1.0.1");
	struct sc_db_import_stats st = {0};
	struct sc_error err = {0};
	assert_int_equal(import1(db, src, &st, &err), SC_OK);
	assert_int_equal(st.inserted, 1);
	/* older: ignored */
	write_rec(src, "GHSA-aaaa.json", "GHSA-aaaa", "2023-01-01T00:00:00Z", "CVE-2024-0009", "older", "npm",
		  "left-pad", "SEMVER", "9.9.9");
	sc_db_import_stats_clear(&st);
	assert_int_equal(import1(db, src, &st, &err), SC_OK);
	assert_int_equal(st.unchanged, 1);
	char *s = text(db, "SELECT summary FROM advisories WHERE id = 'GHSA-aaaa'");
	assert_string_equal(s, "first");
	free(s);
	/* newer: replaced, with its aliases and affected rows */
	write_rec(src, "GHSA-aaaa.json", "GHSA-aaaa", "2025-01-01T00:00:00Z", "CVE-2024-0002", "second", "npm",
		  "left-pad", "SEMVER", "1.0.2");
	sc_db_import_stats_clear(&st);
	assert_int_equal(import1(db, src, &st, &err), SC_OK);
	assert_int_equal(st.updated, 1);
	s = text(db, "SELECT summary FROM advisories WHERE id = 'GHSA-aaaa'");
	assert_string_equal(s, "second");
	free(s);
	assert_int_equal(count(db, "SELECT count(*) FROM aliases"), 1);
	s = text(db, "SELECT alias FROM aliases");
	assert_string_equal(s, "CVE-2024-0002");
	free(s);
	assert_int_equal(count(db, "SELECT count(*) FROM affected"), 1);
	assert_int_equal(count(db, "SELECT count(*) FROM affected WHERE instr(ranges, CAST('f1.0.2' AS BLOB)) > 0"), 1);
	s = text(db, "SELECT url FROM advisories");
	assert_string_equal(s, "https://example.invalid/GHSA-aaaa");
	free(s);
	sc_db_import_stats_clear(&st);
	free(src);
	free(db);
	tu_rmtree(dir);
	free(dir);
}

static void test_normalize(void **state)
{
	(void)state;
	struct sc_arena *a = sc_arena_new();
	assert_string_equal(sc_db_normalize_name(a, "PyPI", "Friendly_Bard.Py--x"), "friendly-bard-py-x");
	assert_string_equal(sc_db_normalize_name(a, "PyPI", "PyYAML"), "pyyaml");
	assert_string_equal(sc_db_normalize_name(a, "Packagist", "Symfony/HTTP-Kernel"), "symfony/http-kernel");
	assert_string_equal(sc_db_normalize_name(a, "npm", "JSONStream"), "JSONStream");
	assert_string_equal(sc_db_normalize_name(a, "Debian:12", "openssl"), "openssl");
	assert_true(sc_db_ecosystem_known("Debian:12"));
	assert_true(sc_db_ecosystem_known("Alpine:v3.19"));
	assert_true(sc_db_ecosystem_known("crates.io"));
	assert_false(sc_db_ecosystem_known("Debian:"));
	assert_false(sc_db_ecosystem_known("Plan9"));
	assert_false(sc_db_ecosystem_known(""));
	sc_arena_free(a);
	/* stored names are normalised: a PyPI record written `Py_Yaml` is found as pyyaml */
	char *dir = tu_mkdtemp();
	char *src = sc_path_join(dir, "src"), *db = sc_path_join(dir, "db.sqlite");
	write_rec(src, "PYSEC-1.json", "PYSEC-1", "2024-01-01T00:00:00Z", "CVE-1", "s", "PyPI", "Py_Yaml", "ECOSYSTEM", "5.4");
	struct sc_error err = {0};
	assert_int_equal(import1(db, src, NULL, &err), SC_OK);
	char *n = text(db, "SELECT name || ' ' || raw_name FROM affected");
	assert_string_equal(n, "py-yaml Py_Yaml");
	free(n);
	free(src);
	free(db);
	tu_rmtree(dir);
	free(dir);
}

/* Per-record problems are warnings naming the record; the rest of the import goes on. */
static void test_bad_records(void **state)
{
	(void)state;
	char *dir = tu_mkdtemp();
	char *src = sc_path_join(dir, "src"), *db = sc_path_join(dir, "db.sqlite");
	write_rec(src, "good.json", "GOOD-1", "2024-01-01T00:00:00Z", "CVE-2", "ok", "npm", "a", "SEMVER", "1.0.0");
	tu_write(src, "truncated.json", "{\"id\":\"TRUNC-1\",\"modified\":\"2024-01-01T00:00:00Z\",\"affected\":[{\"pack");
	tu_write(src, "nomod.json", "{\"id\":\"NOMOD-1\",\"affected\":[]}");
	tu_write(src, "noid.json", "{\"modified\":\"2024-01-01T00:00:00Z\"}");
	tu_write(src, "array.json", "[1,2,3]");
	write_rec(src, "eco.json", "ECO-1", "2024-01-01T00:00:00Z", "CVE-3", "x", "Plan9", "b", "ECOSYSTEM", "1");
	write_rec(src, "range.json", "RANGE-1", "2024-01-01T00:00:00Z", "CVE-4", "x", "npm", "c", "WEIRD", "1.0.0");
	tu_write(src, "events.json",
		 "{\"id\":\"EV-1\",\"modified\":\"2024-01-01T00:00:00Z\",\"affected\":[{\"package\":{\"ecosystem\":\"npm\","
		 "\"name\":\"d\"},\"ranges\":[{\"type\":\"SEMVER\",\"events\":[{\"fixed\":\"1.0.0\"}]},"
		 "{\"type\":\"SEMVER\",\"events\":[{\"introduced\":\"0\",\"fixed\":\"2\"}]}],\"versions\":[\"0.5.0\"]}]}");
	tu_write(src, "ignored.txt", "not json");
	struct sc_db_import_stats st = {0};
	struct sc_error err = {0};
	if (import1(db, src, &st, &err) != SC_OK)
		fail_msg("%s", err.msg);
	assert_int_equal(st.skipped, 4);
	assert_int_equal(st.records, 4);
	assert_true(has_warning(&st, "truncated.json:1:", "invalid JSON"));
	assert_true(has_warning(&st, "nomod.json", "NOMOD-1: required field `modified` is missing"));
	assert_true(has_warning(&st, "noid.json", "without a valid `id`"));
	assert_true(has_warning(&st, "array.json", "must be a JSON object"));
	assert_true(has_warning(&st, "ECO-1", "unknown ecosystem `Plan9`"));
	assert_true(has_warning(&st, "RANGE-1", "unknown range type `WEIRD`"));
	assert_true(has_warning(&st, "EV-1", "no `introduced` event"));
	assert_true(has_warning(&st, "EV-1", "an event is not one of"));
	/* the advisories are kept, the unusable affected entries are not */
	assert_int_equal(count(db, "SELECT count(*) FROM advisories"), 4);
	assert_int_equal(count(db, "SELECT count(*) FROM affected"), 2); /* GOOD-1, EV-1 (by its versions list) */
	/* ranges and versions are stored packed: tagged NUL-terminated entries (vulndb.h) */
	char *hex = text(db, "SELECT hex(ranges) || '|' || iif(versions IS NULL, '-', hex(versions)) FROM affected f JOIN advisories a"
			     " ON a.pk = f.advisory WHERE a.id = 'GOOD-1'");
	assert_string_equal(hex, "530069300066312E302E3000|-"); /* S, i0, f1.0.0 */
	free(hex);
	hex = text(db, "SELECT hex(ranges) || '|' || hex(versions) FROM affected f JOIN advisories a"
		       " ON a.pk = f.advisory WHERE a.id = 'EV-1'");
	assert_string_equal(hex, "|302E352E3000"); /* no usable range; 0.5.0 */
	free(hex);
	/* both match; a damaged blob (no final NUL) matches nothing and is never read past its end */
	static const struct {
		const char *name, *corrupt;
	} dmg[] = {{"a", "UPDATE affected SET ranges = X'530069300066312E302E30' WHERE name = 'a'"},
		   {"d", "UPDATE affected SET versions = X'302E352E30' WHERE name = 'd'"}};
	for (size_t i = 0; i < 2; i++) {
		for (int damaged = 0; damaged < 2; damaged++) {
			if (damaged)
				assert_int_equal(tu_sh("sqlite3 '%s' \"%s\"", db, dmg[i].corrupt), 0);
			struct sc_db *h = NULL;
			struct sc_arena *a = sc_arena_new();
			struct sc_vuln_match *m = NULL;
			size_t n = 0;
			assert_int_equal(sc_db_open(db, &h, &err), SC_OK);
			assert_int_equal(sc_db_query(h, "npm", dmg[i].name, "0.5.0", a, &m, &n, &err), SC_OK);
			assert_int_equal(n, damaged ? 0 : 1);
			sc_db_close(h);
			sc_arena_free(a);
		}
	}
	sc_db_import_stats_clear(&st);
	free(src);
	free(db);
	tu_rmtree(dir);
	free(dir);
}

/* Corrupt or truncated zips are errors, and the DB in place stays exactly as it was. */
static void test_bad_zips(void **state)
{
	(void)state;
	char *dir = tu_mkdtemp();
	char *db = sc_path_join(dir, "db.sqlite");
	char *npm = tu_shared("vulndata/osv-zip/npm.zip");
	struct sc_error err = {0};
	assert_int_equal(import1(db, npm, NULL, &err), SC_OK);
	char *before = digest_of(db);
	char *hash_before = NULL;
	{
		char *data;
		size_t len;
		assert_int_equal(sc_read_file(db, 1u << 30, &data, &len, &err), SC_OK);
		char hex[65];
		sc_sha256_hex(data, len, hex);
		hash_before = sc_xstrdup(hex);
		free(data);
	}
	assert_int_equal(tu_sh("head -c 100000 '%s' > '%s/half.zip'", npm, dir), 0);
	tu_write(dir, "junk.zip", "PK\003\004 this is not really a zip file at all");
	static const char *const bad[] = {"half.zip", "junk.zip"};
	for (size_t i = 0; i < 2; i++) {
		char *p = sc_path_join(dir, bad[i]);
		const char *paths[] = {npm, p}; /* a good source first: its records must not stay */
		enum sc_status st = sc_db_import(db, paths, 2, true, NULL, &err);
		assert_int_equal(st, SC_EINPUT);
		assert_non_null(strstr(err.msg, "zip"));
		assert_string_equal(err.file, p);
		sc_error_clear(&err);
		free(p);
	}
	/* a new DB that fails leaves no file behind */
	char *db2 = sc_path_join(dir, "new.sqlite");
	char *half = sc_path_join(dir, "half.zip");
	assert_int_equal(import1(db2, half, NULL, &err), SC_EINPUT);
	sc_error_clear(&err);
	assert_int_not_equal(access(db2, F_OK), 0);
	assert_int_not_equal(tu_sh("ls '%s' | grep -q tmp", dir), 0);
	char *data;
	size_t len;
	assert_int_equal(sc_read_file(db, 1u << 30, &data, &len, &err), SC_OK);
	char hex[65];
	sc_sha256_hex(data, len, hex);
	assert_string_equal(hex, hash_before);
	free(data);
	char *after = digest_of(db);
	assert_string_equal(before, after);
	/* a missing input is an error before anything is written */
	assert_int_equal(import1(db, "/nonexistent/osv", NULL, &err), SC_EIO);
	sc_error_clear(&err);
	free(before);
	free(after);
	free(hash_before);
	free(half);
	free(db2);
	free(npm);
	free(db);
	tu_rmtree(dir);
	free(dir);
}

/* A DB from a newer schema, a non-DB file and a missing file: clear errors, nothing overwritten. */
static void test_bad_db(void **state)
{
	(void)state;
	char *dir = tu_mkdtemp();
	char *newer = sc_path_join(dir, "newer.sqlite"), *junk = sc_path_join(dir, "junk.sqlite");
	assert_int_equal(tu_sh("sqlite3 '%s' 'PRAGMA user_version=99; CREATE TABLE t(x);'", newer), 0);
	tu_write(dir, "junk.sqlite", "this is not a database, but it is long enough to have a header..........");
	struct sc_db *db = NULL;
	struct sc_error err = {0};
	assert_int_equal(sc_db_open(newer, &db, &err), SC_EDB);
	assert_non_null(strstr(err.msg, "newer"));
	sc_error_clear(&err);
	/* an older schema (1: ranges as JSON) is refused with the way out, for scans and imports */
	char *older = sc_path_join(dir, "older.sqlite");
	assert_int_equal(tu_sh("sqlite3 '%s' 'PRAGMA user_version=1; CREATE TABLE affected(ranges TEXT);'", older), 0);
	assert_int_equal(sc_db_open(older, &db, &err), SC_EDB);
	assert_non_null(strstr(err.msg, "schema version 1 is older"));
	assert_non_null(strstr(err.msg, "rebuild the database"));
	sc_error_clear(&err);
	assert_int_equal(sc_db_open(junk, &db, &err), SC_EDB);
	assert_non_null(strstr(err.msg, "not a shipcheck vulnerability database"));
	sc_error_clear(&err);
	char *missing = sc_path_join(dir, "missing.sqlite");
	assert_int_equal(sc_db_open(missing, &db, &err), SC_EIO);
	sc_error_clear(&err);
	assert_null(db);
	char *npm = tu_shared("vulndata/osv-zip/npm.zip");
	assert_int_equal(import1(newer, npm, NULL, &err), SC_EDB);
	sc_error_clear(&err);
	assert_int_equal(import1(older, npm, NULL, &err), SC_EDB);
	assert_non_null(strstr(err.msg, "rebuild the database"));
	sc_error_clear(&err);
	assert_int_equal(count(older, "PRAGMA user_version"), 1);
	free(older);
	assert_int_equal(import1(junk, npm, NULL, &err), SC_EDB);
	sc_error_clear(&err);
	assert_int_equal(count(newer, "PRAGMA user_version"), 99);
	/* unwritable location */
	assert_int_equal(import1("/proc/shipcheck-no/db.sqlite", npm, NULL, &err), SC_EIO);
	sc_error_clear(&err);
	free(npm);
	free(missing);
	free(newer);
	free(junk);
	tu_rmtree(dir);
	free(dir);
}

/* A full disk (file size limit) in the middle of an import: error, old DB intact. */
static void test_full_disk(void **state)
{
	(void)state;
	char *dir = tu_mkdtemp();
	char *db = sc_path_join(dir, "db.sqlite");
	char *npm = tu_shared("vulndata/osv-zip/npm.zip"), *go = tu_shared("vulndata/osv-zip/Go.zip");
	struct sc_error err = {0};
	assert_int_equal(import1(db, npm, NULL, &err), SC_OK);
	char *before = digest_of(db);
	pid_t pid = fork();
	if (pid == 0) {
		signal(SIGXFSZ, SIG_IGN);
		struct rlimit rl = {3u << 20, 3u << 20};
		setrlimit(RLIMIT_FSIZE, &rl);
		struct sc_error e = {0};
		enum sc_status st = import1(db, go, NULL, &e);
		_exit(st == SC_EIO ? 0 : 10 + (int)st);
	}
	int ws;
	waitpid(pid, &ws, 0);
	assert_true(WIFEXITED(ws));
	assert_int_equal(WEXITSTATUS(ws), 0);
	struct sc_db *h = NULL;
	assert_int_equal(sc_db_open(db, &h, &err), SC_OK);
	sc_db_close(h);
	char *after = digest_of(db);
	assert_string_equal(before, after);
	assert_int_equal(count(db, "SELECT count(*) FROM advisories"), 467);
	assert_int_equal(count(db, "PRAGMA integrity_check") == 0, 1); /* "ok" reads as 0 */
	free(before);
	free(after);
	free(npm);
	free(go);
	free(db);
	tu_rmtree(dir);
	free(dir);
}

static bool has_id(const struct sc_vuln_match *m, const char *id)
{
	if (!strcmp(m->id, id))
		return true;
	for (size_t i = 0; m->aliases && m->aliases[i]; i++)
		if (!strcmp(m->aliases[i], id))
			return true;
	return false;
}

static bool has_fixed(const struct sc_vuln_match *m, const char *v)
{
	for (size_t i = 0; m->fixed && m->fixed[i]; i++)
		if (!strcmp(m->fixed[i], v))
			return true;
	return false;
}

/* The shared data's matcher cases (vulndata/examples.json), for every ecosystem lib/version has a
 * scheme for: must-match versions find the advisory with its fixed version, must-not-match
 * versions find nothing. */
static void test_query_shared_cases(void **state)
{
	(void)state;
	char *dir = tu_mkdtemp();
	char *zips = tu_shared("vulndata/osv-zip");
	char *db = sc_path_join(dir, "db.sqlite");
	struct sc_error err = {0};
	assert_int_equal(import1(db, zips, NULL, &err), SC_OK);
	char *ex = tu_shared("vulndata/examples.json");
	json_t *cases = json_load_file(ex, 0, NULL);
	assert_non_null(cases);
	struct sc_db *h = NULL;
	assert_int_equal(sc_db_open(db, &h, &err), SC_OK);
	size_t matched = 0, clean = 0, skipped = 0;
	const char *eco_group;
	json_t *group;
	json_object_foreach(cases, eco_group, group) {
		size_t i;
		json_t *c;
		json_array_foreach(json_object_get(group, "must_match"), i, c) {
			const char *eco = json_string_value(json_object_get(c, "ecosystem"));
			if (!sc_scheme_find(eco)) {
				skipped++;
				continue;
			}
			const char *pkg = json_string_value(json_object_get(c, "package"));
			const char *ver = json_string_value(json_object_get(c, "version"));
			const char *id = json_string_value(json_object_get(c, "id"));
			const char *fixed = json_string_value(json_object_get(c, "fixed"));
			struct sc_arena *a = sc_arena_new();
			struct sc_vuln_match *m;
			size_t n;
			if (sc_db_query(h, eco, pkg, ver, a, &m, &n, &err) != SC_OK)
				fail_msg("%s %s %s: %s", eco, pkg, ver, err.msg);
			bool found = false;
			for (size_t k = 0; k < n; k++)
				if (has_id(&m[k], id)) {
					found = true;
					if (!has_fixed(&m[k], fixed))
						fail_msg("%s %s %s: %s lacks fixed %s", eco, pkg, ver, id, fixed);
					assert_non_null(m[k].range_desc);
				}
			if (!found)
				fail_msg("%s %s %s: %s not matched (%zu matches)", eco, pkg, ver, id, n);
			matched++;
			sc_arena_free(a);
		}
		json_array_foreach(json_object_get(group, "must_not_match"), i, c) {
			const char *eco = json_string_value(json_object_get(c, "ecosystem"));
			if (!sc_scheme_find(eco)) {
				skipped++;
				continue;
			}
			const char *pkg = json_string_value(json_object_get(c, "package"));
			const char *ver = json_string_value(json_object_get(c, "version"));
			struct sc_arena *a = sc_arena_new();
			struct sc_vuln_match *m;
			size_t n;
			if (sc_db_query(h, eco, pkg, ver, a, &m, &n, &err) != SC_OK)
				fail_msg("%s %s %s: %s", eco, pkg, ver, err.msg);
			if (n)
				fail_msg("%s %s %s: expected no match, got %s", eco, pkg, ver, m[0].id);
			clean++;
			sc_arena_free(a);
		}
	}
	print_message("shared cases: %zu matched, %zu clean, %zu skipped (no version scheme yet)\n", matched, clean,
		      skipped);
	assert_true(matched >= 30); /* Debian, PyPI, npm at least */
	assert_true(clean >= 15);
	/* Debian:11 advisories never match the same package in another release (no bookworm data) */
	struct sc_arena *a = sc_arena_new();
	struct sc_vuln_match *m;
	size_t n;
	assert_int_equal(sc_db_query(h, "Debian:12", "apache-log4j2", "2.16.0-1~deb11u1", a, &m, &n, &err), SC_OK);
	assert_int_equal(n, 0);
	/* unknown ecosystem, bad version: errors */
	assert_int_equal(sc_db_query(h, "Plan9", "x", "1", a, &m, &n, &err), SC_EINPUT);
	sc_error_clear(&err);
	assert_int_equal(sc_db_query(h, "npm", "lodash", "not a version", a, &m, &n, &err), SC_EINPUT);
	sc_error_clear(&err);
	sc_arena_free(a);
	sc_db_close(h);
	json_decref(cases);
	free(ex);
	free(zips);
	free(db);
	tu_rmtree(dir);
	free(dir);
}

/* The example service's advisories: aliases merged, severities, Debian urgency, withdrawn. */
static void test_query_example(void **state)
{
	(void)state;
	char *dir = tu_mkdtemp();
	char *adv = tu_source("examples/service/advisories");
	char *db = sc_path_join(dir, "db.sqlite");
	struct sc_error err = {0};
	/* plus a withdrawn advisory that would otherwise match lodash 4.17.4 */
	char *extra = sc_path_join(dir, "extra");
	tu_write(extra, "W.json",
		 "{\"id\":\"GHSA-wwww-wwww-wwww\",\"modified\":\"2024-01-01T00:00:00Z\",\"withdrawn\":\"2024-02-01T00:00:00Z\","
		 "\"affected\":[{\"package\":{\"ecosystem\":\"npm\",\"name\":\"lodash\"},\"ranges\":[{\"type\":\"SEMVER\","
		 "\"events\":[{\"introduced\":\"0\"}]}]}]}");
	const char *paths[] = {adv, extra};
	assert_int_equal(sc_db_import(db, paths, 2, true, NULL, &err), SC_OK);
	struct sc_db *h = NULL;
	assert_int_equal(sc_db_open(db, &h, &err), SC_OK);
	struct sc_arena *a = sc_arena_new();
	struct sc_vuln_match *m;
	size_t n;

	assert_int_equal(sc_db_query(h, "npm", "lodash", "4.17.4", a, &m, &n, &err), SC_OK);
	assert_int_equal(n, 3);
	assert_string_equal(m[0].id, "CVE-2019-10744"); /* most severe first */
	assert_int_equal(m[0].severity, SC_SEV_CRITICAL);
	assert_true(m[0].score > 9.05 && m[0].score < 9.15);
	assert_string_equal(m[0].aliases[0], "GHSA-jf85-cpcp-j695");
	assert_null(m[0].aliases[1]);
	assert_string_equal(m[0].range_desc, ">=0 <4.17.12");
	assert_string_equal(m[0].fixed[0], "4.17.12");
	for (size_t k = 0; k < n; k++)
		assert_false(has_id(&m[k], "GHSA-wwww-wwww-wwww"));

	/* one vulnerability under three ids (PYSEC, GHSA, CVE) from two records: reported once */
	assert_int_equal(sc_db_query(h, "PyPI", "requests", "2.19.0", a, &m, &n, &err), SC_OK);
	assert_int_equal(n, 2);
	assert_string_equal(m[1].id, "CVE-2023-32681");
	assert_true(has_id(&m[1], "GHSA-j8r2-6x86-q33q") && has_id(&m[1], "PYSEC-2023-74"));
	assert_int_equal(m[1].severity, SC_SEV_MEDIUM); /* the GHSA record's vector: 6.1 */
	assert_string_equal(m[1].range_desc, ">=2.3.0 <2.31.0");

	/* PEP 503 names */
	assert_int_equal(sc_db_query(h, "PyPI", "PyYAML", "5.1", a, &m, &n, &err), SC_OK);
	assert_int_equal(n, 2);
	assert_int_equal(sc_db_query(h, "PyPI", "py_yaml", "5.1", a, &m, &n, &err), SC_OK);
	assert_int_equal(n, 0);
	assert_int_equal(sc_db_query(h, "PyPI", "pyyaml", "5.4", a, &m, &n, &err), SC_OK);
	assert_int_equal(n, 0);

	/* a fixed version is not affected; several intervals */
	assert_int_equal(sc_db_query(h, "npm", "moment", "2.19.3", a, &m, &n, &err), SC_OK);
	assert_int_equal(n, 2);
	for (size_t k = 0; k < n; k++)
		assert_false(has_id(&m[k], "GHSA-446m-mv8f-q348"));
	assert_int_equal(sc_db_query(h, "npm", "minimist", "1.2.5", a, &m, &n, &err), SC_OK);
	assert_int_equal(n, 1);
	assert_string_equal(m[0].id, "CVE-2021-44906");
	assert_string_equal(m[0].range_desc, ">=1.0.0 <1.2.6");
	assert_string_equal(m[0].fixed[0], "0.2.4");
	assert_string_equal(m[0].fixed[1], "1.2.6");
	assert_int_equal(sc_db_query(h, "npm", "qs", "6.5.1", a, &m, &n, &err), SC_OK);
	assert_int_equal(n, 1);
	assert_string_equal(m[0].range_desc, ">=6.5.0 <6.5.3");
	assert_int_equal(sc_db_query(h, "npm", "qs", "6.5.3", a, &m, &n, &err), SC_OK);
	assert_int_equal(n, 0);

	/* Debian:12: the source package, a Debian urgency as the only rating */
	assert_int_equal(sc_db_query(h, "Debian:12", "coreutils", "9.1-1", a, &m, &n, &err), SC_OK);
	assert_int_equal(n, 1);
	assert_string_equal(m[0].id, "CVE-2016-2781");
	assert_int_equal(m[0].severity, SC_SEV_LOW);
	assert_null(m[0].cvss_vector);
	assert_non_null(strstr(m[0].ecosystem_note, "unimportant"));
	assert_null(m[0].fixed[0]);
	assert_int_equal(sc_db_query(h, "Debian:11", "coreutils", "9.1-1", a, &m, &n, &err), SC_OK);
	assert_int_equal(n, 0);

	sc_arena_free(a);
	sc_db_close(h);
	free(extra);
	free(adv);
	free(db);
	tu_rmtree(dir);
	free(dir);
}

/* The CLI on a DB built from the example advisories: text and JSON query output, stdin triples,
 * exit codes, status and its age warning. */
static void test_cli(void **state)
{
	(void)state;
	const char *bin = getenv("SHIPCHECK_BIN");
	if (!bin) {
		print_message("test_cli: SKIPPED: SHIPCHECK_BIN not set (run through meson test)\n");
		skip();
	}
	char *dir = tu_mkdtemp();
	char *adv = tu_source("examples/service/advisories");
	assert_int_equal(tu_sh("SOURCE_DATE_EPOCH=1700000000 '%s' db import -q '%s' --db '%s/db.sqlite' > '%s/import.txt'", bin,
			       adv, dir, dir), 0);
	char *p = sc_path_join(dir, "import.txt");
	char *out = tu_read(p);
	assert_non_null(strstr(out, "imported 21 records from 21 documents"));
	free(out);
	free(p);
	/* text: exit 1 when affected */
	assert_int_equal(tu_sh("'%s' db query --db '%s/db.sqlite' npm lodash 4.17.4 > '%s/q.txt'", bin, dir, dir), 1);
	p = sc_path_join(dir, "q.txt");
	out = tu_read(p);
	assert_non_null(strstr(out, "npm lodash 4.17.4: 3 vulnerabilities\n  CRITICAL CVE-2019-10744 (GHSA-jf85-cpcp-j695)\n"));
	assert_non_null(strstr(out, "      affected: >=0 <4.17.12\n      fixed in: 4.17.12\n"));
	free(out);
	free(p);
	assert_int_equal(tu_sh("'%s' db query --db '%s/db.sqlite' npm lodash 4.17.21 > '%s/q.txt'", bin, dir, dir), 0);
	/* stdin triples, JSON */
	assert_int_equal(tu_sh("printf 'PyPI\\trequests\\t2.19.0\\nnpm\\tqs\\t6.5.3\\n' | '%s' db query --format json "
			       "--db '%s/db.sqlite' - > '%s/q.json'", bin, dir, dir), 1);
	p = sc_path_join(dir, "q.json");
	json_t *j = json_load_file(p, 0, NULL);
	assert_non_null(j);
	assert_int_equal(json_array_size(j), 2);
	json_t *v = json_object_get(json_array_get(j, 0), "vulnerabilities");
	assert_int_equal(json_array_size(v), 2);
	assert_string_equal(json_string_value(json_object_get(json_array_get(v, 1), "id")), "CVE-2023-32681");
	assert_string_equal(json_string_value(json_object_get(json_array_get(v, 1), "matched_range")), ">=2.3.0 <2.31.0");
	assert_int_equal(json_array_size(json_object_get(json_array_get(v, 1), "aliases")), 2);
	assert_int_equal(json_array_size(json_object_get(json_array_get(j, 1), "vulnerabilities")), 0);
	json_decref(j);
	free(p);
	/* a malformed line is exit 2 */
	assert_int_equal(tu_sh("printf 'npm lodash\\n' | '%s' db query --db '%s/db.sqlite' - >/dev/null 2>&1", bin, dir), 2);
	/* status: built in 2023, so older than 7 days */
	assert_int_equal(tu_sh("'%s' db status --db '%s/db.sqlite' > '%s/s.txt' 2> '%s/s.err'", bin, dir, dir, dir), 0);
	p = sc_path_join(dir, "s.txt");
	out = tu_read(p);
	assert_non_null(strstr(out, "built at:       2023-11-14T22:13:20Z"));
	assert_non_null(strstr(out, "digest:         sha256:"));
	assert_non_null(strstr(out, "npm                                9 advisories"));
	free(out);
	free(p);
	p = sc_path_join(dir, "s.err");
	out = tu_read(p);
	assert_non_null(strstr(out, "warning: the database is"));
	free(out);
	free(p);
	free(adv);
	tu_rmtree(dir);
	free(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_import_shared),
		cmocka_unit_test(test_reimport_modified),
		cmocka_unit_test(test_normalize),
		cmocka_unit_test(test_bad_records),
		cmocka_unit_test(test_bad_zips),
		cmocka_unit_test(test_bad_db),
		cmocka_unit_test(test_full_disk),
		cmocka_unit_test(test_query_shared_cases),
		cmocka_unit_test(test_query_example),
		cmocka_unit_test(test_cli),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
