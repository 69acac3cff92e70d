/* sc_version.h - version schemes of every ecosystem (dpkg, rpm, apk, semver/npm, PEP 440, composer,
 * Go) and the OSV range evaluation built on them. One scheme per file in lib/version/, listed in
 * lib/version/schemes.def. */
#ifndef SHIPCHECK_SC_VERSION_H
#define SHIPCHECK_SC_VERSION_H

#include "shipcheck/sc_core.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Longest version string any scheme accepts; longer input is SC_EINPUT. */
#define SC_VERSION_MAX 1024
/* Longest native range/constraint string accepted by satisfies(). */
#define SC_VERSION_RANGE_MAX 65536

struct sc_scheme {
	const char *name;              /* "deb", "rpm", "apk", "semver", "npm", "pep440", "composer", "go" */
	const char *const *ecosystems; /* OSV ecosystem names served, NULL-terminated ("Debian", "Ubuntu") */
	/* SC_OK or SC_EINPUT with a message; never reads past len */
	enum sc_status (*validate)(const char *v, size_t len, struct sc_error *err);
	/* <0, 0, >0; allocation-free; invalid input ordered deterministically as the reference does */
	int (*compare)(const char *a, size_t alen, const char *b, size_t blen);
	/* Is version inside the native range/constraint syntax of the ecosystem? NUL-terminated
	 * strings. SC_EINPUT with a message when the version or the range is invalid. */
	enum sc_status (*satisfies)(const char *version, const char *range, bool include_prerelease,
				    bool *out, struct sc_error *err);
};

/* Finds a scheme by its short name ("deb") or an OSV ecosystem name, with or without a
 * ":suffix" ("Debian:12" -> deb, "Alpine:v3.19" -> apk). NULL when unknown. */
const struct sc_scheme *sc_scheme_find(const char *name_or_ecosystem);
size_t sc_scheme_count(void);
const struct sc_scheme *sc_scheme_at(size_t i);

/* Validates both versions, then compares them: *cmp is -1, 0 or 1. */
enum sc_status sc_version_compare(const struct sc_scheme *s, const char *a, const char *b, int *cmp,
				  struct sc_error *err);
/* Validates the version and evaluates the scheme's native range syntax. */
enum sc_status sc_version_satisfies(const struct sc_scheme *s, const char *version, const char *range,
				    bool include_prerelease, bool *out, struct sc_error *err);

/* OSV ranges (https://ossf.github.io/osv-schema/#affectedranges-field). */
enum sc_osv_event_kind { SC_OSV_INTRODUCED, SC_OSV_FIXED, SC_OSV_LAST_AFFECTED, SC_OSV_LIMIT };
struct sc_osv_event {
	enum sc_osv_event_kind kind;
	const char *version;
};
enum sc_osv_range_type { SC_OSV_ECOSYSTEM, SC_OSV_SEMVER, SC_OSV_GIT };
struct sc_osv_range {
	enum sc_osv_range_type type;
	const struct sc_osv_event *events;
	size_t n_events;
};

/* OSV's evaluation algorithm: is `version` affected by the ranges or the explicit versions list?
 * *matched = index of the range that matched, or -1 when the versions list matched (or nothing
 * matched). GIT ranges are skipped (*note set to a static message when non-NULL). SEMVER ranges
 * always use SemVer 2.0 precedence. An event version the scheme rejects is SC_EINPUT. */
enum sc_status sc_osv_affected(const struct sc_scheme *s, const char *version,
			       const struct sc_osv_range *ranges, size_t n_ranges,
			       const char *const *versions, size_t n_versions, bool *affected,
			       int *matched, const char **note, struct sc_error *err);

/* An OSV range or `affected` entry parsed from JSON; everything lives in the object. */
struct sc_osv_spec {
	struct sc_osv_range *ranges;
	size_t n_ranges;
	const char **versions;
	size_t n_versions;
	const char *ecosystem; /* from "package": {"ecosystem": ...} when present, else NULL */
	struct sc_arena *arena;
};
/* Parses one range object ({"type":..,"events":[..]}), an array of them, or an `affected` entry
 * ({"package":..,"ranges":[..],"versions":[..]}). SC_EINPUT with line/column on bad JSON. */
enum sc_status sc_osv_spec_parse(const char *json, size_t len, struct sc_osv_spec **out,
				 struct sc_error *err);
void sc_osv_spec_free(struct sc_osv_spec *spec);

/* A RANGE as users give it (CLI): JSON starting with `{` or `[` is an OSV range / affected entry
 * evaluated with sc_osv_affected; anything else is the scheme's native syntax. note as above. */
enum sc_status sc_version_in_range(const struct sc_scheme *s, const char *version, const char *range,
				   bool include_prerelease, bool *out, const char **note, struct sc_error *err);

#ifdef __cplusplus
}
#endif
#endif
