/* check.c - the "dockerfile" check: finds Dockerfiles in a repository (or takes the files given to
 * `shipcheck dockerfile`), parses each once and runs every rule of rules.def on the parse. */
#include "rules.h"
#include "shipcheck/sc_policy.h"
#include "shipcheck/sc_registry.h"
#include "shipcheck/sc_yaml.h"

#include <sys/stat.h>

#include <fnmatch.h>
#include <stdlib.h>
#include <string.h>

static const struct sc_df_rule *const df_rules[] = {
#define SC_DF_RULE(n) &sc_df_rule_##n,
#include "rules.def"
#undef SC_DF_RULE
};
#define N_RULES (sizeof(df_rules) / sizeof(df_rules[0]))


static size_t rule_count(void)
{
	return N_RULES;
}

static const struct sc_rule *rule_at(size_t i)
{
	return i < N_RULES ? df_rules[i]->meta : NULL;
}

bool sc_dockerfile_is_dockerfile_name(const char *path);
bool sc_dockerfile_is_dockerfile_name(const char *path)
{
	const char *b = sc_path_base(path);
	if (!strcmp(b, "Dockerfile") || !strcmp(b, "Containerfile") || !strcmp(b, "dockerfile"))
		return true;
	if (!strncmp(b, "Dockerfile.", 11) && !fnmatch("*.dockerignore", b, 0))
		return false;
	if (!strncmp(b, "Dockerfile.", 11) || !strncmp(b, "Containerfile.", 14))
		return true;
	size_t n = strlen(b);
	return n > 11 && (!strcmp(b + n - 11, ".Dockerfile") || !strcmp(b + n - 11, ".dockerfile"));
}

/* Lints one Dockerfile. A file that does not parse is a warning in a repository scan (the scan goes
 * on), and an error (exit 2, FILE:LINE:COL) when the user named the file (`shipcheck dockerfile F`). */
static enum sc_status lint(struct sc_scan_ctx *ctx, const struct sc_df_config *cfg, struct sc_registry *reg,
			   const char *path, const char *data, size_t len, bool on_disk, struct sc_error *err)
{
	struct sc_dockerfile *df = NULL;
	struct sc_error perr = {0};
	if (sc_dockerfile_parse(path, data, len, NULL, &df, &perr) != SC_OK) {
		if (on_disk) {
			enum sc_status st = sc_error_set(err, SC_EINPUT, perr.file ? perr.file : path, perr.line,
							 perr.col, "cannot parse Dockerfile: %s",
							 perr.msg ? perr.msg : "invalid");
			sc_error_clear(&perr);
			return st;
		}
		sc_result_add_warning(ctx->result, path, perr.line, perr.col, "cannot parse Dockerfile: %s",
				      perr.msg ? perr.msg : "invalid");
		sc_error_clear(&perr);
	}
	const char *base = sc_path_base(path);
	char *context = sc_xstrndup(path, base > path ? (size_t)(base - path - 1) : 0);
	struct sc_df_ctx dctx = {
		.scan = ctx,
		.path = path,
		.context = context,
		.data = data,
		.len = len,
		.df = df,
		.cfg = cfg,
		.on_disk = on_disk,
		.registry = reg,
	};
	for (size_t k = 0; k < N_RULES; k++)
		if (sc_policy_rule_enabled(ctx->policy, df_rules[k]->meta))
			df_rules[k]->check_file(&dctx);
	sc_dockerfile_free(df);
	free(context);
	return SC_OK;
}

static enum sc_status run(struct sc_scan_ctx *ctx, struct sc_error *err)
{
	struct sc_arena *a = sc_arena_new();
	struct sc_df_config cfg;
	struct sc_registry *reg = NULL;
	enum sc_status st = sc_df_config_read(ctx->policy, ctx->policy ? sc_policy_yaml(ctx->policy) : NULL,
					      ctx->policy ? sc_policy_section(ctx->policy, "dockerfile") : NULL, a,
					      &cfg, err);
	if (st != SC_OK)
		goto out;
	if (cfg.check_registry) {
		struct sc_registry_options ro = {
			.insecure = cfg.insecure_registries,
			.n_insecure = cfg.n_insecure_registries,
			.timeout_ms = cfg.registry_timeout_ms,
		};
		struct sc_error rerr = {0};
		if (sc_registry_new(&ro, &reg, &rerr) != SC_OK) {
			/* no registry check, the rest of the rules still run */
			sc_result_add_warning(ctx->result, rerr.file, rerr.line, rerr.col,
					      "base images not checked against their registries: %s",
					      rerr.msg ? rerr.msg : "cannot read the docker config");
			sc_error_clear(&rerr);
			reg = NULL;
		}
	}
	if (ctx->opts->files) {
		for (size_t i = 0; ctx->opts->files[i]; i++) {
			const char *path = ctx->opts->files[i];
			char *data = NULL;
			size_t len = 0;
			struct sc_error rerr = {0};
			if (sc_read_file(path, ctx->opts->limits.max_file_size, &data, &len, &rerr) != SC_OK) {
				st = sc_error_set(err, SC_EINPUT, path, 0, 0, "cannot read Dockerfile: %s",
						  rerr.msg ? rerr.msg : "unreadable");
				sc_error_clear(&rerr);
				goto out;
			}
			st = lint(ctx, &cfg, reg, path, data, len, true, err);
			free(data);
			if (st != SC_OK)
				goto out;
		}
		goto out;
	}
	const struct sc_fs *fs = ctx->repo;
	for (size_t i = 0; fs && i < fs->files.len; i++) {
		const struct sc_file *f = fs->files.items[i];
		if (!S_ISREG(f->mode) || !sc_dockerfile_is_dockerfile_name(f->path))
			continue;
		if (strstr(f->path, "node_modules/") || !strncmp(f->path, "vendor/", 7))
			continue;
		char *data = NULL;
		size_t len = 0;
		struct sc_error rerr = {0};
		if (sc_fs_read(fs, f->path, ctx->opts->limits.max_file_size, &data, &len, &rerr) != SC_OK) {
			sc_result_add_warning(ctx->result, f->path, 0, 0, "cannot read Dockerfile: %s", rerr.msg);
			sc_error_clear(&rerr);
			continue;
		}
		lint(ctx, &cfg, reg, f->path, data, len, false, err);
		free(data);
	}
out:
	sc_registry_free(reg);
	sc_arena_free(a);
	return st;
}

static enum sc_status validate(const struct sc_policy *p, const struct sc_yaml *y, const struct sc_ynode *section,
			       struct sc_error *err)
{
	struct sc_arena *a = sc_arena_new();
	struct sc_df_config cfg;
	enum sc_status st = sc_df_config_read(p, y, section, a, &cfg, err);
	sc_arena_free(a);
	return st;
}

const struct sc_check sc_check_dockerfile = {
	.name = "dockerfile",
	.title = "Dockerfile and container best practices",
	.flags = SC_CHECK_REPO | SC_CHECK_FILES,
	.rule_count = rule_count,
	.rule_at = rule_at,
	.run = run,
	.validate_config = validate,
};
