/* pkgnames.c - the set of package names with advisories in one ecosystem, read once from the
 * (ecosystem, name) index, so a matcher with thousands of packages skips the query of every name
 * the DB has nothing about (most of them). */
#include "vulndb.h"

#include <string.h>

enum sc_status sc_db_affected_names(struct sc_db *db, const char *ecosystem, size_t max, struct sc_arena *a,
				    struct sc_map **out, struct sc_error *err)
{
	*out = NULL;
	sqlite3_stmt *q = NULL;
	/* a superset of what sc_db_query can match: withdrawn advisories are not filtered out here */
	if (sqlite3_prepare_v2(db->h, "SELECT DISTINCT name FROM affected WHERE ecosystem = ?1", -1, &q, NULL) !=
	    SQLITE_OK)
		return sc_vulndb_sqlerr(db->h, db->path, "affected names", err);
	sqlite3_bind_text(q, 1, ecosystem, -1, SQLITE_STATIC);
	struct sc_map *set = sc_map_new();
	enum sc_status st = SC_OK;
	int rc;
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		if (sc_map_len(set) >= max)
			break; /* too many: per-package queries are cheaper */
		const char *name = (const char *)sqlite3_column_text(q, 0);
		if (name)
			sc_map_put(set, sc_arena_strndup(a, name, (size_t)sqlite3_column_bytes(q, 0)), (void *)1);
	}
	if (rc == SQLITE_ROW) {
		sc_map_free(set);
		set = NULL;
	} else if (rc != SQLITE_DONE) {
		st = sc_vulndb_sqlerr(db->h, db->path, "affected names", err);
		sc_map_free(set);
		set = NULL;
	}
	sqlite3_finalize(q);
	*out = set;
	return st;
}
