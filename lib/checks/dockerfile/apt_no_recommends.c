/* apt_no_recommends.c - SC-DF-012: apt-get install without --no-install-recommends pulls in
 * recommended packages: a larger image and attack surface. */
#include "rules.h"

#include <string.h>

static const char *const equivalents[] = {"DL3015", "DS029", NULL};

static const struct sc_rule meta = {
	.id = "SC-DF-012",
	.name = "apt-no-install-recommends",
	.check = "dockerfile",
	.severity = SC_SEV_LOW,
	.title = "apt-get install without --no-install-recommends",
	.equivalents = equivalents,
};

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
			if (!sc_df_pm_parse(a, &in->sh.cmds[k], &pc) || !sc_df_is_install(&pc) ||
			    (pc.pm != SC_PM_APT_GET && pc.pm != SC_PM_APT) || !pc.n_pkgs)
				continue;
			const struct sc_sh_cmd *c = pc.cmd;
			bool ok = sc_df_cmd_has_opt(c, 1, "--no-install-recommends");
			for (size_t i = 1; !ok && i < c->argc; i++)
				if (strstr(c->argv[i], "Install-Recommends=false") ||
				    strstr(c->argv[i], "Install-Recommends=0") ||
				    strstr(c->argv[i], "Install-Recommends=\"false\""))
					ok = true;
			if (ok)
				continue;
			sc_df_report(ctx, &meta, in, pc.manager,
				     "Add `--no-install-recommends` and list the packages you need explicitly.",
				     "`%s install` without --no-install-recommends also installs every recommended "
				     "package: more code in the image to patch and to attack.",
				     pc.manager);
			break;
		}
	}
}

const struct sc_df_rule sc_df_rule_apt_no_recommends = {
	.meta = &meta,
	.check_file = check_file,
};
