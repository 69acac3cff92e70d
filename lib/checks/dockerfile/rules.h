/* rules.h - the interface of Dockerfile rules (one file per rule, listed in rules.def), the
 * dockerfile section of .shipcheck.yml, and helpers the rules share (package-manager arguments,
 * image references, reporting with inline suppression). */
#ifndef SC_DF_RULES_H
#define SC_DF_RULES_H

#include "shipcheck/sc_dockerfile.h"
#include "shipcheck/sc_finding.h"
#include "shipcheck/sc_scan.h"

struct sc_policy;
struct sc_registry;
struct sc_yaml;
struct sc_ynode;

/* ---- the `dockerfile:` section of .shipcheck.yml ---- */

enum sc_df_pinning { SC_DF_PIN_FORBID = 0, SC_DF_PIN_REQUIRE, SC_DF_PIN_OFF };

struct sc_df_allow {
	const char *pattern; /* image glob, or package name */
	const char *reason;
};

struct sc_df_current {
	const char *image;  /* repository, without tag or digest */
	const char *tag;    /* may be NULL */
	const char *digest; /* "sha256:...", may be NULL */
};

struct sc_df_config {
	const char **allowed; /* base_images.allowed: image/registry globs */
	size_t n_allowed;
	struct sc_df_allow *public_images; /* base_images.public: allowlisted public images + reason */
	size_t n_public;
	struct sc_df_current *current; /* base_images.current */
	size_t n_current;
	enum sc_df_pinning pinning;    /* package_pinning */
	struct sc_df_allow *pinned;    /* pinned_packages: packages that may be pinned + reason */
	size_t n_pinned;
	bool check_registry;            /* base_images.check_registry: ask registries for current digests */
	const char **insecure_registries; /* base_images.insecure_registries: reached over http */
	size_t n_insecure_registries;
	long registry_timeout_ms;       /* base_images.registry_timeout (seconds in the file) */
};

/* Reads (and validates) the section into cfg, allocating in a. section may be NULL (defaults). */
enum sc_status sc_df_config_read(const struct sc_policy *p, const struct sc_yaml *y,
				 const struct sc_ynode *section, struct sc_arena *a, struct sc_df_config *cfg,
				 struct sc_error *err);

/* ---- what a rule sees ---- */

enum sc_df_context_from {
	SC_DF_CTX_OWN = 0,     /* the Dockerfile's directory */
	SC_DF_CTX_COPIES,      /* the directory above it where the files it copies are */
	SC_DF_CTX_DOCKERFILES, /* its directory holds only Dockerfiles and it copies the whole context */
	SC_DF_CTX_COMPOSE,     /* a Compose file's `build:` */
};

struct sc_df_ctx {
	struct sc_scan_ctx *scan;
	const char *path;    /* the Dockerfile, relative to the repository root (or as given) */
	const char *context; /* its build context directory ("" = repository root) */
	/* why the context is where it is (in a repository; files mode: always its own directory), and
	 * context_why: the Compose file that names it, or a file it copies from there */
	enum sc_df_context_from context_from;
	const char *context_why;
	/* in a repository: a Dockerfile of tests, examples or documentation (sc_secrets_path_fixture)
	 * or of a development container: its image is not the service's, so what it breaks is LOW */
	bool fixture;
	const char *data;
	size_t len;
	const struct sc_dockerfile *df; /* the parse; NULL when the file could not be parsed */
	const struct sc_df_config *cfg;
	bool on_disk; /* files mode: context files are read from disk, not from scan->repo */
	struct sc_registry *registry; /* registry client when base_images.check_registry is on */
};

struct sc_df_rule {
	const struct sc_rule *meta;
	/* Called once per Dockerfile. Adds findings (sc_df_report). Rules that need the parse check
	 * ctx->df themselves. */
	void (*check_file)(struct sc_df_ctx *ctx);
};

#define SC_DF_RULE(n) extern const struct sc_df_rule sc_df_rule_##n;
#include "rules.def"
#undef SC_DF_RULE

/* Reads a file of the build context (path relative to the repository root, or to the current
 * directory in files mode). Returns false when it does not exist. */
bool sc_df_context_exists(const struct sc_df_ctx *ctx, const char *path);
enum sc_status sc_df_context_read(const struct sc_df_ctx *ctx, const char *path, char **data, size_t *len,
				  struct sc_error *err);

/* Lowers f to LOW when ctx is a Dockerfile of tests, examples or documentation, saying why. */
void sc_df_fixture_severity(struct sc_df_ctx *ctx, struct sc_finding *f);

/* Adds a finding at instruction in (may be NULL: file level) with message and remediation,
 * honouring an inline `# shipcheck ignore=` pragma above the instruction. key is the content part
 * of the fingerprint (no line numbers). */
struct sc_finding *sc_df_report(struct sc_df_ctx *ctx, const struct sc_rule *meta, const struct sc_df_instr *in,
				const char *key, const char *remediation, const char *fmt, ...) SC_PRINTF(6, 7);

/* Every instruction of the file, the inner instruction of ONBUILD in place of the ONBUILD. */
#define SC_DF_FOREACH(df, var)                                                                        \
	for (size_t var##_i = 0; var##_i < (df)->n_instrs; var##_i++)                                  \
		for (const struct sc_df_instr *var = (df)->instrs[var##_i]->inner ? (df)->instrs[var##_i]->inner \
										  : (df)->instrs[var##_i]; \
		     var; var = NULL)

/* The instruction as one line, for messages (shortened to max bytes). */
const char *sc_df_instr_text(struct sc_df_ctx *ctx, const struct sc_df_instr *in, size_t max);

/* ---- package managers ---- */

enum sc_df_pm { SC_PM_NONE = 0, SC_PM_APT_GET, SC_PM_APT, SC_PM_APK, SC_PM_YUM, SC_PM_DNF, SC_PM_MICRODNF,
		SC_PM_ZYPPER, SC_PM_TDNF };

/* A package-manager command: which manager, the subcommand (install/add/update/...), and the
 * package arguments (options and their values removed). */
struct sc_df_pmcmd {
	enum sc_df_pm pm;
	const char *manager; /* as named: "apt-get" */
	const char *sub;     /* "install", "add", "update", "upgrade", ... or "" */
	const char **pkgs;
	size_t n_pkgs;
	const struct sc_sh_cmd *cmd;
	size_t sub_index; /* index of the subcommand in cmd->argv */
};
/* Recognises a package-manager command; false for anything else. Allocates in a, which must live as
 * long as the command: the answer is kept with the command (c->memo) for the next rule that asks. */
bool sc_df_pm_parse(struct sc_arena *a, const struct sc_sh_cmd *c, struct sc_df_pmcmd *out);
/* Does the command have option `opt` (exact long option, or a short option letter cluster when opt
 * is "-x")? Only options before "--". */
bool sc_df_cmd_has_opt(const struct sc_sh_cmd *c, size_t from, const char *opt);
/* Is pkg pinned to a version for this manager? *name gets the package name (arena). */
bool sc_df_pkg_pinned(struct sc_arena *a, enum sc_df_pm pm, const char *pkg, const char **name);
bool sc_df_is_install(const struct sc_df_pmcmd *pc);

/* Does an ARG/ENV name say it holds a secret (PASSWORD, TOKEN, API_KEY...), and not merely point at
 * one (*_FILE, *_PATH, *_URL...)? */
bool sc_df_secret_name(const char *key);

/* ---- image references ---- */

struct sc_df_imgref {
	const char *registry; /* "docker.io" when none is given */
	const char *repo;     /* "library/debian" */
	const char *tag;      /* NULL when none */
	const char *digest;   /* NULL when none */
	const char *normalized; /* registry/repo[:tag][@digest] */
	const char *name;       /* registry/repo */
	bool official;          /* docker.io with an implicit registry */
};
bool sc_df_imgref_parse(struct sc_arena *a, const char *ref, struct sc_df_imgref *out);
/* Is the FROM of stage s an image (not scratch, not an earlier stage)? */
bool sc_df_stage_is_image(const struct sc_dockerfile *df, size_t s);

/* The stages that end up in the final image: the last stage and the stages it builds on. */
bool sc_df_stage_in_final(const struct sc_dockerfile *df, int stage);

#endif
