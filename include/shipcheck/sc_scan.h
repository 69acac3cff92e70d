/* sc_scan.h - the scan pipeline: options, the file tree of a target, extractors, checks. */
#ifndef SHIPCHECK_SC_SCAN_H
#define SHIPCHECK_SC_SCAN_H

#include "sc_core.h"
#include "sc_finding.h"

#ifdef __cplusplus
extern "C" {
#endif

struct sc_policy;
struct sc_db;
struct sc_image;
struct sc_yaml;
struct sc_ynode;
struct sc_image_config;
struct sc_secrets_options;
struct sc_secrets_stream;

/* Limits on input sizes; every size read from input is checked against one of these. */
struct sc_limits {
	uint64_t max_file_size;     /* one file read into memory (extractors, dockerfile) */
	uint64_t max_total_bytes;   /* all decompressed layer bytes of one image */
	uint64_t max_files;         /* entries in one target */
	unsigned max_depth;         /* directory depth */
};
void sc_limits_default(struct sc_limits *l);

/* One file of a target's (merged) tree. */
struct sc_file {
	const char *path; /* relative, '/'-separated, no leading "./" or "/" */
	uint64_t size;
	uint32_t mode;    /* st_mode bits (S_IFREG, S_IFLNK, permissions) */
	int layer;        /* 1-based layer that last wrote it; 0 for a directory target */
	bool deleted;     /* removed by a later layer (still visible to the secrets check) */
	const char *link_target; /* symlinks */
};

/* Read access to the files of a target. The directory implementation opens files under root
 * without following symlinks; an image implementation serves merged-view bytes. */
struct sc_fs {
	const char *root; /* directory root, or NULL for virtual trees */
	struct sc_ptrvec files; /* struct sc_file *, sorted by path */
	struct sc_arena *arena;
	/* Reads a file (by relative path) up to limit bytes. *data is malloc'd (caller frees). */
	enum sc_status (*read)(const struct sc_fs *fs, const char *path, uint64_t limit, char **data,
			       size_t *len, struct sc_error *err);
	void (*destroy)(struct sc_fs *fs); /* frees impl; NULL when nothing to free */
	void *impl;
};

/* Walks dir (not following symlinks, skipping .git and the ignore globs) into a new fs. */
enum sc_status sc_fs_open_dir(const char *dir, const char *const *skip_globs,
			      const struct sc_limits *lim, struct sc_fs **out, struct sc_error *err);
void sc_fs_free(struct sc_fs *fs);
const struct sc_file *sc_fs_find(const struct sc_fs *fs, const char *path);
enum sc_status sc_fs_read(const struct sc_fs *fs, const char *path, uint64_t limit, char **data,
			  size_t *len, struct sc_error *err);

/* ---- extractors: one per package DB / lockfile format (lib/extract/extractors.def) ---- */

struct sc_inventory {
	struct sc_arena *arena;
	struct sc_ptrvec packages; /* struct sc_package * */
	struct sc_ptrvec warnings; /* struct sc_warning * */
	const char *os_id;         /* "debian", "alpine", ... (OS extractors) */
	const char *os_version;    /* "12", "3.19" */
};
struct sc_inventory *sc_inventory_new(void);
void sc_inventory_free(struct sc_inventory *inv);
struct sc_package *sc_inventory_add(struct sc_inventory *inv, const struct sc_package *p);
void sc_inventory_warn(struct sc_inventory *inv, const char *path, unsigned line, unsigned col,
		       const char *fmt, ...) SC_PRINTF(5, 6);

struct sc_extract_input {
	const char *path;          /* relative path of the file */
	const unsigned char *data; /* whole content */
	size_t len;
	int layer;
	const struct sc_fs *fs;    /* for formats that include other files (requirements -r) */
};

/* Where an extractor runs. Like Trivy: lockfiles describe a repository's dependencies;
 * in an image, what is installed (node_modules, dist-info, package databases) is the truth. */
enum {
	SC_EXTRACT_REPO = 1u << 0,  /* repository / directory targets */
	SC_EXTRACT_IMAGE = 1u << 1, /* images and root filesystems */
};

struct sc_extractor {
	const char *name;
	unsigned version; /* bump when output changes: part of the layer cache key */
	unsigned targets; /* SC_EXTRACT_*; 0 = everywhere */
	bool os;          /* an OS package database */
	uint64_t max_size; /* larger files are skipped with a warning (0 = limits default) */
	bool (*wants)(const char *path, uint64_t size, uint32_t mode);
	/* Adds packages to inv. SC_EINPUT/SC_ELIMIT with err set when the file cannot be parsed: the
	 * scan records a warning with err's location and goes on. */
	enum sc_status (*extract)(const struct sc_extract_input *in, struct sc_inventory *inv,
				  struct sc_error *err);
};
size_t sc_extractor_count(void);
const struct sc_extractor *sc_extractor_at(size_t i);
const struct sc_extractor *sc_extractor_find(const char *name);
bool sc_extractor_runs_on(const struct sc_extractor *x, unsigned target); /* SC_EXTRACT_* */
/* Runs every extractor of target (SC_EXTRACT_*) on each file of fs that it wants, adding to inv;
 * files that cannot be read or parsed become inventory warnings. */
void sc_extract_fs(const struct sc_fs *fs, const struct sc_limits *lim, struct sc_inventory *inv,
		   unsigned target);

/* ---- options and checks ---- */

struct sc_scan_options {
	const char *repo_dir;    /* repository / directory target, may be NULL */
	const char *image_path;  /* image target, may be NULL */
	const char *rootfs_dir;  /* root filesystem target, may be NULL */
	const char *config_path; /* policy file; NULL = <repo>/.shipcheck.yml if present */
	const char *db_path;     /* NULL = SHIPCHECK_DB or the default cache path */
	const char *service;
	const char *commit;
	const char *cache_dir;
	const char *base_image;
	const char *platform;
	const char *apt_lists;
	const char *const *apt_sources; /* NULL-terminated "deb URI SUITE COMPONENT..." lines, or NULL */
	const char *const *keyrings;    /* NULL-terminated OpenPGP keyrings for apt downloads, or NULL */
	bool include_dev;
	bool ignore_unfixed;
	bool no_cache;
	bool quiet;
	bool no_db; /* run without a vulnerability DB (checks that need it are skipped with a note) */
	const char *const *only_checks; /* NULL-terminated; NULL = every enabled check */
	bool skip_inventory; /* the package inventory is not an output: read the repository's lockfiles
			      * only when a wanted check reads them (SC_CHECK_INVENTORY) */
	const char *const *files; /* NULL-terminated explicit files for SC_CHECK_FILES checks
				   * (`shipcheck dockerfile FILE...`); paths as given */
	bool fail_on_set;
	enum sc_severity fail_on;
	bool fail_none;
	struct sc_limits limits;
	struct sc_secrets_options *secrets; /* options of the secrets check (sc_secrets.h); NULL = defaults */
};
void sc_scan_options_init(struct sc_scan_options *o);

enum {
	SC_CHECK_REPO = 1u << 0,  /* runs on a repository / directory */
	SC_CHECK_IMAGE = 1u << 1, /* runs on an image or rootfs */
	SC_CHECK_DB = 1u << 2,    /* needs the vulnerability DB */
	SC_CHECK_FILES = 1u << 3, /* runs on the explicit files of opts->files */
	SC_CHECK_INVENTORY = 1u << 4, /* reads the repository's package inventory (its lockfiles) */
};

struct sc_scan_ctx {
	const struct sc_scan_options *opts;
	const struct sc_policy *policy;
	struct sc_result *result;
	const struct sc_fs *repo;       /* NULL when no repository target */
	struct sc_inventory *repo_inv;  /* packages from the repository's lockfiles */
	struct sc_image *image;         /* NULL when no image target */
	const struct sc_fs *image_fs;   /* merged view of the image or rootfs */
	struct sc_inventory *image_inv; /* packages found in the image */
	struct sc_secrets_stream *image_secrets; /* secrets found while the image's layers streamed */
	size_t base_layers;      /* layers of the image that come from its base image; 0 = unknown */
	const char *base_name;   /* that base image, when known */
	const struct sc_image_config *image_config; /* the image's config (sc_imageconfig.h), set by the
						     * image reader; NULL for a rootfs or no image */
	struct sc_db *db;               /* NULL when unavailable */
};

struct sc_check {
	const char *name;  /* "dockerfile", "secrets", "deps", "vulns", "outdated", ... */
	const char *title; /* "Dockerfile best practices" */
	unsigned flags;    /* SC_CHECK_* */
	const struct sc_rule *const *rules; /* static rules; may be NULL */
	size_t n_rules;
	/* For checks whose rules are data (secrets): called when rules is NULL. */
	size_t (*rule_count)(void);
	const struct sc_rule *(*rule_at)(size_t i);
	enum sc_status (*run)(struct sc_scan_ctx *ctx, struct sc_error *err);
	/* Image files the check reads besides the extractors' inputs: their bytes are kept while the
	 * layers stream (NULL = none). Part of the layer cache key through the check's name. */
	bool (*wants)(const char *path, uint64_t size, uint32_t mode);
	/* Validates the check's own section of .shipcheck.yml (key = check name); NULL = the check
	 * takes no configuration and a section for it is an error. */
	enum sc_status (*validate_config)(const struct sc_policy *p, const struct sc_yaml *y,
					  const struct sc_ynode *section, struct sc_error *err);
};
size_t sc_check_count(void);
const struct sc_check *sc_check_at(size_t i);
const struct sc_check *sc_check_find(const char *name);

/* Runs every enabled check on the targets in opts. On success *out holds the finished result
 * (policy applied). Errors: unreadable target, bad policy, bad DB. */
/* For checks that need the vulnerability DB when ctx->db is NULL: one warning saying how many of
 * WHAT (e.g. "88 OS packages") the check could not match, and why: --no-db, or no database at the
 * default path (named), with how to build one. Each check says it once, with its own count. */
void sc_scan_warn_no_db(struct sc_scan_ctx *ctx, const char *check, size_t n, const char *what);

enum sc_status sc_scan_run(const struct sc_scan_options *opts, struct sc_result **out,
			   struct sc_error *err);

#ifdef __cplusplus
}
#endif
#endif
