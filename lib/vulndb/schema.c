/* schema.c - the DB file: schema (versioned with PRAGMA user_version), opening read-only with
 * checks, provenance metadata (built_at, content digest, sources) and `db status` information. */
#include "vulndb.h"

#include <errno.h>
#include <openssl/evp.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

static const char schema_sql[] =
	"CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;"
	"CREATE TABLE sources(name TEXT PRIMARY KEY, url TEXT, etag TEXT, last_modified TEXT,"
	" fetched_at TEXT NOT NULL, records INTEGER NOT NULL DEFAULT 0) WITHOUT ROWID;"
	"CREATE TABLE advisories(pk INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, modified TEXT NOT NULL,"
	" published TEXT, withdrawn TEXT, summary TEXT, details TEXT, aliases TEXT NOT NULL DEFAULT '[]',"
	" severity INTEGER NOT NULL DEFAULT 0, score REAL, cvss_vector TEXT, severity_source TEXT,"
	" url TEXT, refs TEXT, source TEXT, content_hash TEXT NOT NULL);"
	"CREATE TABLE aliases(alias TEXT NOT NULL, advisory INTEGER NOT NULL);"
	"CREATE TABLE affected(advisory INTEGER NOT NULL, ecosystem TEXT NOT NULL, name TEXT NOT NULL,"
	" raw_name TEXT NOT NULL, purl TEXT, ranges BLOB NOT NULL, versions BLOB, note TEXT,"
	" rating INTEGER NOT NULL DEFAULT 0, cvss_vector TEXT);";

/* Secondary indexes: created after the rows on a first import (faster than maintaining them). */
static const char index_sql[] =
	"CREATE INDEX IF NOT EXISTS aliases_alias ON aliases(alias);"
	"CREATE INDEX IF NOT EXISTS aliases_advisory ON aliases(advisory);"
	"CREATE INDEX IF NOT EXISTS affected_pkg ON affected(ecosystem, name);"
	"CREATE INDEX IF NOT EXISTS affected_advisory ON affected(advisory);";

enum sc_status sc_vulndb_create_indexes(sqlite3 *db, const char *path, struct sc_error *err)
{
	if (sqlite3_exec(db, index_sql, NULL, NULL, NULL) != SQLITE_OK)
		return sc_vulndb_sqlerr(db, path, "cannot create the indexes", err);
	return SC_OK;
}

enum sc_status sc_vulndb_sqlerr(sqlite3 *db, const char *path, const char *what, struct sc_error *err)
{
	int code = db ? sqlite3_errcode(db) : SQLITE_ERROR;
	enum sc_status st = (code == SQLITE_FULL || code == SQLITE_IOERR || code == SQLITE_READONLY ||
			     code == SQLITE_CANTOPEN || code == SQLITE_PERM)
				    ? SC_EIO
				    : SC_EDB;
	return sc_error_set(err, st, path, 0, 0, "%s: %s", what, db ? sqlite3_errmsg(db) : "cannot open");
}

enum sc_status sc_vulndb_create_schema(sqlite3 *db, const char *path, struct sc_error *err)
{
	char sql[64];
	if (sqlite3_exec(db, schema_sql, NULL, NULL, NULL) != SQLITE_OK)
		return sc_vulndb_sqlerr(db, path, "cannot create the schema", err);
	snprintf(sql, sizeof(sql), "PRAGMA user_version=%d", SC_DB_SCHEMA_VERSION);
	if (sqlite3_exec(db, sql, NULL, NULL, NULL) != SQLITE_OK)
		return sc_vulndb_sqlerr(db, path, "cannot set the schema version", err);
	return SC_OK;
}

static int64_t scalar(sqlite3 *db, const char *sql, bool *ok)
{
	sqlite3_stmt *s = NULL;
	int64_t v = 0;
	*ok = false;
	if (sqlite3_prepare_v2(db, sql, -1, &s, NULL) != SQLITE_OK)
		return 0;
	int rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		v = sqlite3_column_int64(s, 0);
		*ok = true;
	} else if (rc == SQLITE_DONE) {
		*ok = true;
	}
	sqlite3_finalize(s);
	return v;
}

enum sc_status sc_vulndb_check_schema(sqlite3 *db, const char *path, bool *empty, struct sc_error *err)
{
	bool ok;
	*empty = false;
	int64_t ver = scalar(db, "PRAGMA user_version", &ok);
	if (!ok)
		return sc_error_set(err, SC_EDB, path, 0, 0, "not a shipcheck vulnerability database: %s",
				    sqlite3_errmsg(db));
	if (ver > SC_DB_SCHEMA_VERSION)
		return sc_error_set(err, SC_EDB, path, 0, 0,
				    "database schema version %lld is newer than this shipcheck reads (%d): "
				    "upgrade shipcheck or rebuild the database",
				    (long long)ver, SC_DB_SCHEMA_VERSION);
	if (ver == 0) {
		int64_t tables = scalar(db, "SELECT count(*) FROM sqlite_master", &ok);
		if (!ok)
			return sc_error_set(err, SC_EDB, path, 0, 0, "not a shipcheck vulnerability database: %s",
					    sqlite3_errmsg(db));
		if (tables)
			return sc_error_set(err, SC_EDB, path, 0, 0, "not a shipcheck vulnerability database "
								      "(SQLite file without a schema version)");
		*empty = true;
		return SC_OK;
	}
	if (ver < SC_DB_SCHEMA_VERSION)
		return sc_error_set(err, SC_EDB, path, 0, 0,
				    "database schema version %lld is older than this shipcheck reads (%d): rebuild the "
				    "database (`shipcheck db update`, or `shipcheck db import` into a new file)",
				    (long long)ver, SC_DB_SCHEMA_VERSION);
	return SC_OK;
}

void sc_vulndb_now_iso(char out[32])
{
	time_t t = time(NULL);
	const char *sde = getenv("SOURCE_DATE_EPOCH");
	if (sde && *sde) {
		char *end;
		long long v = strtoll(sde, &end, 10);
		if (!*end && v >= 0)
			t = (time_t)v;
	}
	struct tm tm;
	gmtime_r(&t, &tm);
	strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

static enum sc_status put_meta(sqlite3 *db, const char *path, const char *k, const char *v, struct sc_error *err)
{
	sqlite3_stmt *s = NULL;
	if (sqlite3_prepare_v2(db, "INSERT OR REPLACE INTO meta(key, value) VALUES (?, ?)", -1, &s, NULL) != SQLITE_OK)
		return sc_vulndb_sqlerr(db, path, "meta", err);
	sqlite3_bind_text(s, 1, k, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 2, v, -1, SQLITE_STATIC);
	int rc = sqlite3_step(s);
	sqlite3_finalize(s);
	return rc == SQLITE_DONE ? SC_OK : sc_vulndb_sqlerr(db, path, "meta", err);
}

enum sc_status sc_vulndb_finish_meta(sqlite3 *db, const char *path, struct sc_error *err)
{
	sqlite3_stmt *s = NULL;
	if (sqlite3_prepare_v2(db, "SELECT id, content_hash FROM advisories ORDER BY id", -1, &s, NULL) != SQLITE_OK)
		return sc_vulndb_sqlerr(db, path, "digest", err);
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	EVP_DigestInit_ex(ctx, EVP_sha256(), NULL);
	int rc;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		EVP_DigestUpdate(ctx, sqlite3_column_text(s, 0), (size_t)sqlite3_column_bytes(s, 0));
		EVP_DigestUpdate(ctx, "\t", 1);
		EVP_DigestUpdate(ctx, sqlite3_column_text(s, 1), (size_t)sqlite3_column_bytes(s, 1));
		EVP_DigestUpdate(ctx, "\n", 1);
	}
	sqlite3_finalize(s);
	unsigned char md[32];
	unsigned int mdlen = 0;
	EVP_DigestFinal_ex(ctx, md, &mdlen);
	EVP_MD_CTX_free(ctx);
	if (rc != SQLITE_DONE)
		return sc_vulndb_sqlerr(db, path, "digest", err);
	char hex[8 + 65] = "sha256:";
	for (unsigned i = 0; i < mdlen; i++)
		snprintf(hex + 7 + 2 * i, 3, "%02x", md[i]);
	char now[32];
	sc_vulndb_now_iso(now);
	enum sc_status st = put_meta(db, path, "digest", hex, err);
	if (st == SC_OK)
		st = put_meta(db, path, "built_at", now, err);
	if (st == SC_OK)
		st = put_meta(db, path, "tool_version", sc_tool_version(), err);
	return st;
}

enum sc_status sc_vulndb_verify(const char *path, struct sc_error *err)
{
	struct sc_db *db = NULL;
	enum sc_status st = sc_db_open(path, &db, err);
	if (st != SC_OK)
		return st;
	sqlite3_stmt *s = NULL;
	if (sqlite3_prepare_v2(db->h, "PRAGMA quick_check", -1, &s, NULL) != SQLITE_OK) {
		st = sc_vulndb_sqlerr(db->h, path, "integrity check", err);
	} else {
		if (sqlite3_step(s) != SQLITE_ROW || strcmp((const char *)sqlite3_column_text(s, 0), "ok"))
			st = sc_error_set(err, SC_EDB, path, 0, 0, "integrity check failed");
		sqlite3_finalize(s);
	}
	sc_db_close(db);
	return st;
}

enum sc_status sc_db_open(const char *path, struct sc_db **out, struct sc_error *err)
{
	*out = NULL;
	struct stat sb;
	if (stat(path, &sb) != 0)
		return sc_error_set(err, SC_EIO, path, 0, 0, "cannot open the vulnerability database: %s", strerror(errno));
	if (!S_ISREG(sb.st_mode))
		return sc_error_set(err, SC_EDB, path, 0, 0, "not a shipcheck vulnerability database (not a file)");
	struct sc_db *db = sc_xcalloc(1, sizeof(*db));
	db->path = sc_xstrdup(path);
	enum sc_status st = SC_OK;
	if (sqlite3_open_v2(path, &db->h, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK) {
		st = sc_vulndb_sqlerr(db->h, path, "cannot open the vulnerability database", err);
		goto out;
	}
	bool empty;
	st = sc_vulndb_check_schema(db->h, path, &empty, err);
	if (st == SC_OK && empty)
		st = sc_error_set(err, SC_EDB, path, 0, 0, "not a shipcheck vulnerability database (empty)");
	if (st != SC_OK)
		goto out;
	/* Scans only read: map the file instead of copying each page a query touches through
	 * read() (a larger page cache gained nothing over the map), refuse writes. One read
	 * transaction for the connection's life: each query on its own took and dropped the file's
	 * shared lock (fcntl and fstat calls), 44% of an image scan of 50,000 packages; and the scan
	 * reads one state of the database. `db update` builds a new file and renames it over this one;
	 * `db import` into this file waits for the scan to end (its busy timeout is 10 s). */
	sqlite3_exec(db->h, "PRAGMA mmap_size=1073741824; PRAGMA query_only=1; BEGIN", NULL, NULL, NULL);
	if (sqlite3_prepare_v3(db->h,
			       "SELECT a.pk, a.id, a.summary, a.url, a.aliases, a.severity, a.score, a.cvss_vector,"
			       " a.severity_source, f.ranges, f.versions, f.note, f.rating, f.cvss_vector"
			       " FROM affected f JOIN advisories a ON a.pk = f.advisory"
			       " WHERE f.ecosystem = ?1 AND f.name = ?2 AND a.withdrawn IS NULL",
			       -1, SQLITE_PREPARE_PERSISTENT, &db->q_pkg, NULL) != SQLITE_OK) {
		st = sc_vulndb_sqlerr(db->h, path, "not a usable shipcheck vulnerability database", err);
		goto out;
	}
out:
	if (st != SC_OK) {
		sc_db_close(db);
		return st;
	}
	*out = db;
	return SC_OK;
}

void sc_db_close(struct sc_db *db)
{
	if (!db)
		return;
	sqlite3_finalize(db->q_pkg);
	sqlite3_close(db->h);
	free(db->path);
	free(db);
}

const char *sc_db_default_path(void)
{
	static char buf[4096];
	const char *e = getenv("SHIPCHECK_DB");
	if (e && *e)
		snprintf(buf, sizeof(buf), "%s", e);
	else if ((e = getenv("XDG_CACHE_HOME")) && *e)
		snprintf(buf, sizeof(buf), "%s/shipcheck/db.sqlite", e);
	else
		snprintf(buf, sizeof(buf), "%s/.cache/shipcheck/db.sqlite", getenv("HOME") ? getenv("HOME") : ".");
	return buf;
}

static const char *col_str(sqlite3_stmt *s, int i, struct sc_arena *a)
{
	const unsigned char *t = sqlite3_column_text(s, i);
	return t ? sc_arena_strdup(a, (const char *)t) : NULL;
}

static const char *meta(sqlite3 *h, const char *key, struct sc_arena *a)
{
	sqlite3_stmt *s = NULL;
	const char *v = NULL;
	if (sqlite3_prepare_v2(h, "SELECT value FROM meta WHERE key = ?", -1, &s, NULL) != SQLITE_OK)
		return NULL;
	sqlite3_bind_text(s, 1, key, -1, SQLITE_STATIC);
	if (sqlite3_step(s) == SQLITE_ROW)
		v = col_str(s, 0, a);
	sqlite3_finalize(s);
	return v;
}

static int64_t parse_iso(const char *s)
{
	struct tm tm;
	memset(&tm, 0, sizeof(tm));
	if (!s || !strptime(s, "%Y-%m-%dT%H:%M:%SZ", &tm))
		return -1;
	return (int64_t)timegm(&tm);
}

enum sc_status sc_db_info(struct sc_db *db, struct sc_arena *a, struct sc_db_info *out, struct sc_error *err)
{
	memset(out, 0, sizeof(*out));
	out->path = sc_arena_strdup(a, db->path);
	out->schema_version = SC_DB_SCHEMA_VERSION;
	out->built_at = meta(db->h, "built_at", a);
	out->digest = meta(db->h, "digest", a);
	out->tool_version = meta(db->h, "tool_version", a);
	bool ok;
	out->advisories = scalar(db->h, "SELECT count(*) FROM advisories", &ok);
	if (!ok)
		return sc_vulndb_sqlerr(db->h, db->path, "status", err);
	out->withdrawn = scalar(db->h, "SELECT count(*) FROM advisories WHERE withdrawn IS NOT NULL", &ok);
	out->aliases = scalar(db->h, "SELECT count(*) FROM aliases", &ok);
	int64_t built = parse_iso(out->built_at);
	out->age_seconds = built < 0 ? -1 : (int64_t)time(NULL) - built;

	sqlite3_stmt *s = NULL;
	struct sc_ptrvec v = {0};
	if (sqlite3_prepare_v2(db->h, "SELECT name, url, etag, last_modified, fetched_at, records FROM sources ORDER BY name",
			       -1, &s, NULL) != SQLITE_OK)
		return sc_vulndb_sqlerr(db->h, db->path, "status", err);
	while (sqlite3_step(s) == SQLITE_ROW) {
		struct sc_db_source *src = sc_arena_alloc(a, sizeof(*src));
		src->name = col_str(s, 0, a);
		src->url = col_str(s, 1, a);
		src->etag = col_str(s, 2, a);
		src->last_modified = col_str(s, 3, a);
		src->fetched_at = col_str(s, 4, a);
		src->records = sqlite3_column_int64(s, 5);
		sc_ptrvec_push(&v, src);
	}
	sqlite3_finalize(s);
	struct sc_db_source *list = sc_arena_alloc(a, (v.len + 1) * sizeof(*list));
	const char **names = sc_arena_alloc(a, (v.len + 1) * sizeof(char *));
	for (size_t i = 0; i < v.len; i++) {
		list[i] = *(struct sc_db_source *)v.items[i];
		names[i] = list[i].name;
	}
	out->source_list = list;
	out->n_sources = v.len;
	out->sources = names;
	sc_ptrvec_free(&v);

	if (sqlite3_prepare_v2(db->h, "SELECT ecosystem, count(DISTINCT advisory), count(*) FROM affected"
				      " GROUP BY ecosystem ORDER BY ecosystem",
			       -1, &s, NULL) != SQLITE_OK)
		return sc_vulndb_sqlerr(db->h, db->path, "status", err);
	while (sqlite3_step(s) == SQLITE_ROW) {
		struct sc_db_eco_count *c = sc_arena_alloc(a, sizeof(*c));
		c->ecosystem = col_str(s, 0, a);
		c->advisories = sqlite3_column_int64(s, 1);
		c->affected = sqlite3_column_int64(s, 2);
		sc_ptrvec_push(&v, c);
	}
	sqlite3_finalize(s);
	struct sc_db_eco_count *ecos = sc_arena_alloc(a, (v.len + 1) * sizeof(*ecos));
	for (size_t i = 0; i < v.len; i++)
		ecos[i] = *(struct sc_db_eco_count *)v.items[i];
	out->ecosystems = ecos;
	out->n_ecosystems = v.len;
	sc_ptrvec_free(&v);
	return SC_OK;
}
