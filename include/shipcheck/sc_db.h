/* sc_db.h - the vulnerability database: one SQLite file built from OSV advisories (import, update),
 * its provenance (status), CVSS severities and the query API the matchers use. */
#ifndef SHIPCHECK_SC_DB_H
#define SHIPCHECK_SC_DB_H

#include "sc_core.h"
#include "sc_finding.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Schema version written to PRAGMA user_version; a DB with another one is refused (SC_EDB): a newer
 * one needs a newer shipcheck, an older one a rebuild. 2: ranges and versions packed, not JSON. */
#define SC_DB_SCHEMA_VERSION 2

struct sc_db;

/* Opens a DB read-only. Missing file: SC_EIO; corrupt file or newer schema: SC_EDB. */
enum sc_status sc_db_open(const char *path, struct sc_db **out, struct sc_error *err);
void sc_db_close(struct sc_db *db); /* NULL-safe */
/* $SHIPCHECK_DB, else $XDG_CACHE_HOME/shipcheck/db.sqlite, else ~/.cache/shipcheck/db.sqlite.
 * The string is static (valid until the next call). */
const char *sc_db_default_path(void);

/* Provenance and contents of a DB (`shipcheck db status`, every scan report). */
struct sc_db_source {
	const char *name;          /* "npm", "Debian", or the imported path */
	const char *url;           /* download URL, NULL for local imports */
	const char *etag;          /* from the last download, may be NULL */
	const char *last_modified; /* from the last download, may be NULL */
	const char *fetched_at;    /* ISO 8601 UTC */
	int64_t records;
};
struct sc_db_eco_count {
	const char *ecosystem; /* "Debian:11", "npm", ... */
	int64_t advisories;    /* distinct advisories with an affected entry there */
	int64_t affected;      /* affected entries */
};
struct sc_db_info {
	const char *path;
	const char *built_at; /* ISO 8601 UTC of the last import */
	const char *digest;   /* "sha256:<hex>" over every advisory's id and content */
	const char *const *sources; /* source names, NULL-terminated */
	int schema_version;
	const char *tool_version; /* shipcheck version that built it */
	int64_t advisories;
	int64_t withdrawn;
	int64_t aliases;
	const struct sc_db_source *source_list;
	size_t n_sources;
	const struct sc_db_eco_count *ecosystems;
	size_t n_ecosystems;
	int64_t age_seconds; /* now - built_at */
};
enum sc_status sc_db_info(struct sc_db *db, struct sc_arena *a, struct sc_db_info *out, struct sc_error *err);

/* One vulnerability affecting a package version (aliases merged: one match per vulnerability). */
struct sc_vuln_match {
	const char *id;                /* representative id */
	const char *const *aliases;    /* every other id (advisory ids and aliases), NULL-terminated */
	const char *summary;
	const char *url;
	enum sc_severity severity;
	double score;                  /* CVSS base score, 0 when none */
	const char *cvss_vector;       /* NULL when none */
	const char *severity_source;   /* "CVSS_V3", "database_specific", "debian-urgency", NULL */
	const char *const *fixed;      /* fixed versions from the matching ranges, sorted, NULL-terminated */
	const char *range_desc;        /* human text of the range that matched: ">=0 <4.17.21" */
	const char *ecosystem_note;    /* e.g. Debian urgency, NULL when none */
};

/* Advisories affecting (ecosystem, name, version), aliases merged (one match per vulnerability,
 * all ids), withdrawn excluded. The name is normalised per ecosystem. Results live in arena a,
 * sorted by severity (most severe first) then id. Unknown ecosystem scheme: SC_EINPUT. */
enum sc_status sc_db_query(struct sc_db *db, const char *ecosystem, const char *name, const char *version,
			   struct sc_arena *a, struct sc_vuln_match **out, size_t *n, struct sc_error *err);
/* The distinct normalised names with advisories in ecosystem (a superset of what sc_db_query can
 * match), as a set in *out (keys in arena a, values non-NULL; free with sc_map_free). When there
 * are more than max of them *out is NULL: query each package instead. */
enum sc_status sc_db_affected_names(struct sc_db *db, const char *ecosystem, size_t max, struct sc_arena *a,
				    struct sc_map **out, struct sc_error *err);

/* ---- building ---- */

struct sc_db_import_stats {
	uint64_t files;     /* JSON documents read (files and zip entries) */
	uint64_t records;   /* advisories parsed */
	uint64_t inserted;  /* new advisories */
	uint64_t updated;   /* replaced because `modified` is newer */
	uint64_t unchanged; /* already present with the same or a newer `modified` */
	uint64_t skipped;   /* records rejected with a warning */
	uint64_t warnings;  /* all warnings (also unknown ecosystems / range types) */
	char **warning_msgs; /* the first SC_DB_MAX_WARNINGS messages ("ID: message"), malloc'd */
	size_t n_warning_msgs;
	double seconds;
};
#define SC_DB_MAX_WARNINGS 200
void sc_db_import_stats_clear(struct sc_db_import_stats *s);

/* Imports OSV JSON files, directory trees and zips (OSV all.zip shape) into db_path, creating it
 * when missing. One transaction: on any error the DB is left as it was. Re-importing a record
 * replaces it only when its `modified` is newer. quiet: no progress bar. stats may be NULL. */
enum sc_status sc_db_import(const char *db_path, const char *const *paths, size_t n, bool quiet,
			    struct sc_db_import_stats *stats, struct sc_error *err);

/* `shipcheck db update`: downloads <base>/<Ecosystem>/all.zip for each ecosystem. */
#define SC_DB_DEFAULT_BASE_URL "https://osv-vulnerabilities.storage.googleapis.com"
struct sc_db_update_options {
	const char *db_path;            /* NULL = sc_db_default_path() */
	const char *base_url;           /* NULL = SC_DB_DEFAULT_BASE_URL (--mirror) */
	const char *const *ecosystems;  /* NULL-terminated; NULL = sc_db_default_ecosystems() */
	const char *cache_dir;          /* downloaded zips; NULL = "<db_path>.d" */
	unsigned retries;               /* extra attempts per download (default 3 when 0) */
	unsigned backoff_ms;            /* first back-off, doubled per retry (default 500 when 0) */
	long timeout_s;                 /* per request (default 300 when 0) */
	bool quiet;
	bool force;                     /* no conditional requests */
};
const char *const *sc_db_default_ecosystems(void);
struct sc_db_update_stats {
	unsigned downloaded;  /* 200 responses */
	unsigned not_modified; /* 304 responses (cached zip reused) */
	bool rebuilt;         /* a new DB was swapped in */
	struct sc_db_import_stats import;
};
/* Builds the new DB beside the old one and renames it into place only when complete and checked;
 * any failure leaves the old DB untouched. stats (may be NULL) is overwritten: free the previous
 * run's warnings with sc_db_import_stats_clear(&stats->import) first, and this run's after use. */
enum sc_status sc_db_update(const struct sc_db_update_options *o, struct sc_db_update_stats *stats,
			    struct sc_error *err);

/* ---- helpers (also used by tests and other modules) ---- */

/* Normalises a package name for an ecosystem into a (PyPI: PEP 503; Packagist: lower case;
 * npm, Debian and others: as is). */
char *sc_db_normalize_name(struct sc_arena *a, const char *ecosystem, const char *name);
/* True for ecosystems the DB knows ("Debian:12" -> "Debian"). */
bool sc_db_ecosystem_known(const char *ecosystem);

/* CVSS base score of a vector ("CVSS:3.1/AV:N/...", "CVSS:4.0/...", or a bare v2 vector
 * "AV:N/AC:L/Au:N/C:P/I:P/A:P"). Returns false for a malformed vector. *version is 2, 30, 31, 40. */
bool sc_cvss_score(const char *vector, double *score, int *version);
/* Qualitative rating (FIRST): v3/v4 0.0-3.9 LOW (0.0 "None" has no level of its own), 4.0-6.9
 * MEDIUM, 7.0-8.9 HIGH, 9.0-10 CRITICAL; v2 (NVD): 0-3.9 LOW, 4.0-6.9 MEDIUM, 7.0-10 HIGH. */
enum sc_severity sc_cvss_severity(double score, int version);

#ifdef __cplusplus
}
#endif
#endif
