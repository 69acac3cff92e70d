/* apk_no_cache.c - SC-DF-013: apk add without --no-cache leaves the package index in the layer. */
#include "rules.h"

#include <string.h>

static const char *const equivalents[] = {"DL3019", "DS025", "DKL-DI-0004", NULL};

static const struct sc_rule meta = {
	.id = "SC-DF-013",
	.name = "apk-no-cache",
	.check = "dockerfile",
	.severity = SC_SEV_LOW,
	.title = "apk add without --no-cache",
	.equivalents = equivalents,
};

static bool cache_handled(const struct sc_df_instr *in)
{
	for (size_t k = 0; k < in->n_flags; k++)
		if (!strcmp(in->flags[k].name, "mount") && in->flags[k].value &&
		    strstr(in->flags[k].value, "type=cache") && strstr(in->flags[k].value, "/var/cache/apk"))
			return true;
	for (size_t k = 0; k < in->sh.n; k++) {
		const struct sc_sh_cmd *c = &in->sh.cmds[k];
		size_t p0;
		const char *prog = sc_sh_cmd_program(c, &p0);
		if (!strcmp(prog, "rm"))
			for (size_t i = p0 + 1; i < c->argc; i++)
				if (!strncmp(c->argv[i], "/var/cache/apk", 14))
					return true;
		if (!strcmp(prog, "apk") && p0 + 1 < c->argc && !strcmp(c->argv[p0 + 1], "cache") &&
		    sc_df_cmd_has_opt(c, p0 + 1, "clean"))
			return true;
	}
	return false;
}

static void check_file(struct sc_df_ctx *ctx)
{
	if (!ctx->df)
		return;
	struct sc_arena *a = ctx->scan->result->arena;
	SC_DF_FOREACH(ctx->df, in) {
		if (in->kind != SC_DF_RUN)
			continue;
		for (size_t k = 0; k < in->sh.n; k++) {
			struct sc_df_pmcmd pc;
			if (!sc_df_pm_parse(a, &in->sh.cmds[k], &pc) || pc.pm != SC_PM_APK || !sc_df_is_install(&pc))
				continue;
			if (sc_df_cmd_has_opt(pc.cmd, 1, "--no-cache") || cache_handled(in))
				break;
			sc_df_report(ctx, &meta, in, "apk add",
				     "Use `apk add --no-cache ...` (no `apk update` needed then).",
				     "`apk add` without --no-cache keeps the downloaded package index in the layer: a "
				     "larger image with stale metadata.");
			break;
		}
	}
}

const struct sc_df_rule sc_df_rule_apk_no_cache = {
	.meta = &meta,
	.check_file = check_file,
};
