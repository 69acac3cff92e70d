/* vulndb.h - internals of lib/vulndb shared by its files (and white-box tests): the parsed OSV
 * record, the schema, limits and helpers. Not a public header. */
#ifndef SC_VULNDB_INTERNAL_H
#define SC_VULNDB_INTERNAL_H

#include "shipcheck/sc_db.h"

#include <sqlite3.h>

/* Limits on what one OSV record may hold (SC_ELIMIT / warnings beyond them). */
#define OSV_MAX_RECORD (16u << 20)  /* bytes of one JSON document */
#define OSV_MAX_AFFECTED 20000
#define OSV_MAX_EVENTS 20000        /* per range */
#define OSV_MAX_VERSIONS 100000     /* explicit versions per affected entry */
#define OSV_MAX_IDS 2000            /* aliases + upstream */
#define OSV_MAX_WARNINGS 64         /* per record; more are counted only */

struct osv_affected {
	const char *ecosystem;  /* as written: "Debian:11", "npm" */
	const char *name;       /* as written */
	const char *norm_name;  /* normalised for the ecosystem (the index key) */
	const char *purl;
	const char *ranges;     /* usable ranges (SEMVER/ECOSYSTEM), packed (see below); ranges_len 0 when none */
	size_t ranges_len;
	const char *versions;   /* explicit versions, packed; NULL when none */
	size_t versions_len;
	const char *note;       /* ecosystem note (Debian urgency or tracker note), NULL when none */
	enum sc_severity rating; /* the ecosystem's own rating (Debian urgency), UNKNOWN when none */
	const char *vector;     /* a CVSS vector given on this entry only, NULL when none */
};

/* Packed ranges and versions (schema 2; BLOB columns affected.ranges / affected.versions), read by
 * the query without a JSON parser. Ranges: NUL-terminated entries back to back, each a tag byte and
 * its text: "E" or "S" opens an ECOSYSTEM or SEMVER range, then "i", "f", "a", "l" + version are
 * its introduced, fixed, last_affected and limit events, in the record's order. Versions:
 * NUL-terminated versions back to back. A version never holds a NUL (OSV strings are read as C
 * strings). */
#define OSV_PACK_ECOSYSTEM 'E'
#define OSV_PACK_SEMVER 'S'

struct osv_record {
	const char *id;
	const char *summary;
	const char *details;
	const char *published;
	const char *modified;
	const char *withdrawn;
	const char **ids; /* aliases, then upstream ids; NULL-terminated */
	size_t n_ids;
	const char *aliases_json; /* compact JSON array of ids */
	const char *url;          /* the advisory's main reference */
	const char *refs_json;    /* compact JSON array of {type,url} */
	/* severity: the newest CVSS version given, else database_specific.severity, else UNKNOWN */
	enum sc_severity severity;
	double score;
	const char *cvss_vector;
	const char *severity_source; /* "CVSS_V3", "database_specific", ... */
	struct osv_affected *affected;
	size_t n_affected;
	const char *warnings[OSV_MAX_WARNINGS];
	size_t n_warnings;
	size_t more_warnings;
	char content_hash[65]; /* sha256 of the document bytes */
};

/* Parses one OSV JSON document into rec (strings in a). origin is the file name for errors.
 * SC_EINPUT: not JSON, not an object, a required field (id, modified) missing or of the wrong type;
 * SC_ELIMIT: too large. Problems inside one affected entry (unknown ecosystem, unknown range type,
 * bad events) become warnings in rec and the entry or range is dropped. */
enum sc_status sc_osv_parse(const char *origin, const char *data, size_t len, struct sc_arena *a,
			    struct osv_record *rec, struct sc_error *err);

/* An open DB (read-only for scans). */
struct sc_db {
	sqlite3 *h;
	char *path;
	sqlite3_stmt *q_pkg; /* affected entries of (ecosystem, name), joined with their advisory */
};

/* Schema (schema.c). */
enum sc_status sc_vulndb_create_schema(sqlite3 *db, const char *path, struct sc_error *err);
/* The secondary indexes (affected by (ecosystem, name), aliases); idempotent. */
enum sc_status sc_vulndb_create_indexes(sqlite3 *db, const char *path, struct sc_error *err);
/* Checks PRAGMA user_version: 0 with no tables = empty (sets *empty), newer = SC_EDB. */
enum sc_status sc_vulndb_check_schema(sqlite3 *db, const char *path, bool *empty, struct sc_error *err);
enum sc_status sc_vulndb_sqlerr(sqlite3 *db, const char *path, const char *what, struct sc_error *err);
/* Recomputes and stores the content digest, built_at and tool version in meta. */
enum sc_status sc_vulndb_finish_meta(sqlite3 *db, const char *path, struct sc_error *err);
/* Current UTC time as ISO 8601 (SOURCE_DATE_EPOCH honoured, for reproducible builds and tests). */
void sc_vulndb_now_iso(char out[32]);
/* Quick integrity check of a DB file (update: before the swap). */
enum sc_status sc_vulndb_verify(const char *path, struct sc_error *err);

/* One input of an import: a file, directory or zip, with its provenance. */
struct vulndb_source {
	const char *path;
	const char *name;          /* recorded in the sources table */
	const char *url;           /* NULL for local files */
	const char *etag;
	const char *last_modified;
};
/* sc_db_import with provenance; fresh: build a new DB at db_path (which must not exist). */
enum sc_status sc_vulndb_import(const char *db_path, const struct vulndb_source *srcs, size_t n, bool quiet,
				struct sc_db_import_stats *stats, struct sc_error *err);

/* Ecosystem base name ("Debian:12" -> "Debian"), NULL when unknown. */
const char *sc_vulndb_ecosystem_base(const char *ecosystem, char *buf, size_t size);
/* Severity words: "CRITICAL", "HIGH", "MODERATE"/"MEDIUM", "LOW" (any case); Debian urgencies. */
bool sc_vulndb_rating_word(const char *word, enum sc_severity *out);

/* The CVSS v4.0 score before rounding (for tests at rounding midpoints). */
bool sc_cvss4_unrounded(const char *vector, double *value);

#endif
