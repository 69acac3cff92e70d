/* check.c - the "dockerfile" check: finds Dockerfiles in a repository and runs every rule of
 * rules.def on each. */
#include "rules.h"
#include "shipcheck/sc_policy.h"

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

static enum sc_status run(struct sc_scan_ctx *ctx, struct sc_error *err)
{
	if (!ctx->repo)
		return SC_OK;
	const struct sc_fs *fs = ctx->repo;
	for (size_t i = 0; i < fs->files.len; i++) {
		const struct sc_file *f = fs->files.items[i];
		if (!S_ISREG(f->mode) || !sc_dockerfile_is_dockerfile_name(f->path))
			continue;
		if (strstr(f->path, "node_modules/") || !strncmp(f->path, "vendor/", 7))
			continue;
		char *data = NULL;
		size_t len = 0;
		struct sc_error rerr = {0};
		if (sc_fs_read(fs, f->path, ctx->opts->limits.max_file_size, &data, &len, &rerr) != SC_OK) {
			sc_result_add_warning(ctx->result, f->path, 0, 0, "cannot read Dockerfile: %s",
					      rerr.msg);
			sc_error_clear(&rerr);
			continue;
		}
		const char *base = sc_path_base(f->path);
		char *context = sc_xstrndup(f->path, base > f->path ? (size_t)(base - f->path - 1) : 0);
		struct sc_df_ctx dctx = {ctx, f->path, context, data, len};
		for (size_t k = 0; k < N_RULES; k++)
			if (sc_policy_rule_enabled(ctx->policy, df_rules[k]->meta))
				df_rules[k]->check_file(&dctx);
		free(context);
		free(data);
	}
	(void)err;
	return SC_OK;
}

const struct sc_check sc_check_dockerfile = {
	.name = "dockerfile",
	.title = "Dockerfile and container best practices",
	.flags = SC_CHECK_REPO,
	.rule_count = rule_count,
	.rule_at = rule_at,
	.run = run,
};
