/* update_alone.c - SC-DF-016: a RUN that updates the package index without installing in the same
 * RUN: the cached layer keeps an old index, so later installs get old (vulnerable) versions. */
#include "rules.h"

#include <string.h>

static const char *const equivalents[] = {"DS017", "CIS-DI-0007", NULL};

static const struct sc_rule meta = {
	.id = "SC-DF-016",
	.name = "update-without-install",
	.check = "dockerfile",
	.severity = SC_SEV_MEDIUM,
	.title = "Package index updated in a RUN without an install",
	.equivalents = equivalents,
};

static bool installs(const struct sc_df_pmcmd *pc)
{
	static const char *const subs[] = {"install", "add", "upgrade", "dist-upgrade", "full-upgrade", "in",
					   "build-dep", "reinstall", NULL};
	for (size_t i = 0; subs[i]; i++)
		if (!strcmp(pc->sub, subs[i]))
			return true;
	return false;
}

static bool runs_script(const struct sc_sh_cmd *c)
{
	static const char *const interp[] = {"sh", "bash", "ash", "dash", "zsh", "python", "python3", "perl", NULL};
	size_t p0;
	const char *prog = sc_sh_cmd_program(c, &p0);
	for (size_t i = 0; interp[i]; i++)
		if (!strcmp(prog, interp[i]))
			return true;
	size_t n = strlen(c->argv[p0]);
	return strchr(c->argv[p0], '/') || (n > 3 && !strcmp(c->argv[p0] + n - 3, ".sh"));
}

static void check_file(struct sc_df_ctx *ctx)
{
	if (!ctx->df)
		return;
	struct sc_arena *a = ctx->scan->result->arena;
	SC_DF_FOREACH(ctx->df, in) {
		if (in->kind != SC_DF_RUN)
			continue;
		const char *update = NULL;
		bool install = false;
		for (size_t k = 0; k < in->sh.n; k++) {
			struct sc_df_pmcmd pc;
			if (!sc_df_pm_parse(a, &in->sh.cmds[k], &pc)) {
				if (runs_script(&in->sh.cmds[k]))
					install = true; /* the script may install with the fresh index */
				continue;
			}
			if ((pc.pm == SC_PM_APT_GET || pc.pm == SC_PM_APT || pc.pm == SC_PM_APK) &&
			    !strcmp(pc.sub, "update"))
				update = pc.manager;
			else if (installs(&pc))
				install = true;
		}
		if (!update || install)
			continue;
		sc_df_report(ctx, &meta, in, update,
			     "Update and install in one RUN: `RUN apt-get update && apt-get install -y ... && rm "
			     "-rf /var/lib/apt/lists/*` (for apk: `apk add --no-cache ...`).",
			     "`%s update` runs in a RUN of its own. Docker caches that layer, so later installs use "
			     "the index of whenever the cache was made and install outdated, vulnerable versions.",
			     update);
	}
}

const struct sc_df_rule sc_df_rule_update_alone = {
	.meta = &meta,
	.check_file = check_file,
};
