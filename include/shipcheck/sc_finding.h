/* sc_finding.h - packages, findings, rules and the scan result they live in. */
#ifndef SHIPCHECK_SC_FINDING_H
#define SHIPCHECK_SC_FINDING_H

#include "sc_core.h"

#ifdef __cplusplus
extern "C" {
#endif

enum sc_severity {
	SC_SEV_UNKNOWN = 0,
	SC_SEV_LOW = 1,
	SC_SEV_MEDIUM = 2,
	SC_SEV_HIGH = 3,
	SC_SEV_CRITICAL = 4,
};
/* "CRITICAL", "HIGH", ... */
const char *sc_severity_name(enum sc_severity s);
/* Case-insensitive; also accepts "none" (returns false with *out untouched for unknown words). */
bool sc_severity_parse(const char *s, enum sc_severity *out);

/* Package flags. */
enum {
	SC_PKG_DIRECT = 1u << 0,   /* a direct dependency of the project */
	SC_PKG_DEV = 1u << 1,      /* development-only dependency */
	SC_PKG_OPTIONAL = 1u << 2, /* optional dependency */
	SC_PKG_UNPINNED = 1u << 3, /* no exact version: cannot be checked (URL, VCS, range, path) */
	SC_PKG_ROOT = 1u << 4,     /* the project itself (package.json of the app) */
	SC_PKG_OS = 1u << 5,       /* an OS package (dpkg, apk, rpm) */
	SC_PKG_TRANSITIVE = 1u << 6,
	SC_PKG_HELD = 1u << 7,      /* dpkg: selected "hold" (apt does not upgrade it) */
	SC_PKG_ESSENTIAL = 1u << 8, /* dpkg: Essential: yes */
};

/* One package of an inventory. Strings live in the owning arena. */
struct sc_package {
	const char *ecosystem;      /* OSV name: "Debian:12", "Alpine:v3.19", "npm", "PyPI", ... */
	const char *name;
	const char *version;        /* exact version; NULL or "" when unpinned */
	const char *source_name;    /* dpkg Source: / apk origin; NULL when same as name */
	const char *source_version; /* when it differs from version */
	const char *arch;
	const char *purl;
	const char *path;  /* file it was found in, relative to the target root */
	unsigned line;     /* 1-based line in that file, 0 = unknown */
	int layer;         /* 1-based origin layer, 0 = not an image */
	unsigned flags;    /* SC_PKG_* */
	const char *parent; /* who pulled it in ("express > body-parser"), NULL when direct/unknown */
	const char *spec;   /* the requirement as written, for unpinned packages */
};

/* A deep copy of p (strings included) in arena a. */
struct sc_package *sc_package_copy(struct sc_arena *a, const struct sc_package *p);

/* A rule's static description (for SARIF, JUnit, `explain`, policy validation). */
struct sc_rule {
	const char *id;    /* "SC-DF-001" */
	const char *name;  /* "dockerignore-git" */
	const char *check; /* "dockerfile", "secrets", "deps", "vulns", ... */
	enum sc_severity severity;
	const char *title;  /* one line */
	const char *doc;    /* docs page name under docs/rules (defaults to id) */
	const char *const *equivalents; /* peer ids, NULL-terminated, may be NULL */
	bool off_by_default;
};

/* One reference to an advisory in a finding. */
struct sc_advisory_ref {
	const char *id;
	const char *const *aliases; /* NULL-terminated or NULL */
	const char *const *fixed;   /* NULL-terminated or NULL */
	const char *url;
	const char *summary;
	enum sc_severity severity;
};

struct sc_location {
	const char *path; /* relative to the target root; NULL for target-wide findings */
	unsigned line;    /* 0 = none */
	unsigned col;
	unsigned end_line;
	int layer;            /* 1-based, 0 = none */
	const char *layer_digest;
	const char *created_by; /* image history instruction of that layer */
};

struct sc_finding {
	const struct sc_rule *rule; /* never NULL */
	enum sc_severity severity;  /* may differ from rule default (vulns) */
	const char *title;
	const char *message;     /* what is wrong and why */
	const char *remediation; /* how to fix it, where */
	struct sc_location loc;
	const struct sc_package *pkg; /* optional */
	const struct sc_advisory_ref *advisories;
	size_t n_advisories;
	/* Stable key identifying "the same problem" across edits: rule + location key + content hash.
	 * Set with sc_finding_set_fingerprint(); reporters print `fingerprint`. */
	char fingerprint[33];
	const char *snippet_redacted; /* optional, already redacted evidence */
	const char *attribution;      /* "base" / "dockerfile" / NULL (image findings) */
	bool suppressed;
	const char *suppression_reason;
	const char *suppression_source; /* ".shipcheck.yml:12", "inline", "baseline" */
	const char *suppression_expires;
};

/* fingerprint = first 32 hex of sha256(rule id NUL location_key NUL content). location_key is the
 * path (and/or package/layer) but never a line number; content is e.g. the offending text. */
void sc_finding_set_fingerprint(struct sc_finding *f, const char *location_key, const char *content);

/* A warning: a file that could not be parsed, a feature that was skipped, ... */
struct sc_warning {
	const char *path;
	unsigned line;
	unsigned col;
	const char *message;
};

/* Image facts recorded in the report. */
struct sc_layer_info {
	const char *digest;
	const char *diff_id;
	const char *created_by;
	uint64_t size;
};

/* The finished result of a scan. Everything is allocated in `arena`. */
struct sc_result {
	struct sc_arena *arena;
	const char *target_kind; /* "repo", "image", "rootfs" */
	const char *target_path;
	const char *service;
	const char *commit;
	const char *image_digest;
	const char *os; /* "debian 12" */
	struct sc_layer_info *layers;
	size_t n_layers;
	/* DB provenance (NULL when no DB was used). */
	const char *db_path;
	const char *db_built_at;
	const char *db_digest;
	const char *const *db_sources;
	struct sc_ptrvec findings; /* struct sc_finding * */
	struct sc_ptrvec packages; /* struct sc_package * */
	struct sc_ptrvec warnings; /* struct sc_warning * */
	struct sc_ptrvec checks_run; /* const char * check names, in run order */
	/* Set by the policy. */
	enum sc_severity fail_on; /* findings >= this fail the build */
	bool fail_none;           /* --fail-on none */
	const char *runbook;
	bool include_dev;
	bool failed;
	size_t by_severity[5];    /* unsuppressed counts */
	size_t suppressed_count;
};

struct sc_result *sc_result_new(void);
void sc_result_free(struct sc_result *r);
/* A new zeroed finding in r's arena, appended to r->findings. */
struct sc_finding *sc_result_add_finding(struct sc_result *r, const struct sc_rule *rule);
/* Copies the package into r's arena and appends it. */
struct sc_package *sc_result_add_package(struct sc_result *r, const struct sc_package *p);
void sc_result_add_warning(struct sc_result *r, const char *path, unsigned line, unsigned col,
			   const char *fmt, ...) SC_PRINTF(5, 6);
/* Sorts findings (severity desc, check, path, line, rule), computes counts and `failed`. */
void sc_result_finish(struct sc_result *r);

/* The rule registry: every rule of every check (for SARIF rules, JUnit, explain, policy). */
const struct sc_rule *sc_rule_find(const char *id_or_name); /* also matches peer equivalents */
size_t sc_rule_count(void);
const struct sc_rule *sc_rule_at(size_t i);

#ifdef __cplusplus
}
#endif
#endif
