/* pm_assume_yes.c - SC-DF-011: package installs that may wait for a confirmation (apt-get without
 * -y, yum/dnf without -y, zypper without -n): the build hangs or fails. */
#include "rules.h"

#include <string.h>

static const char *const equivalents[] = {"DL3014", "DS021", "DL3030", "DL3038", "DL3034", NULL};

static const struct sc_rule meta = {
	.id = "SC-DF-011",
	.name = "package-install-no-yes",
	.check = "dockerfile",
	.severity = SC_SEV_LOW,
	.title = "Package install without a non-interactive flag",
	.equivalents = equivalents,
};

static bool has_yes(const struct sc_df_pmcmd *pc)
{
	const struct sc_sh_cmd *c = pc->cmd;
	switch (pc->pm) {
	case SC_PM_APT_GET:
	case SC_PM_APT: {
		if (sc_df_cmd_has_opt(c, 1, "-y") || sc_df_cmd_has_opt(c, 1, "--yes") ||
		    sc_df_cmd_has_opt(c, 1, "--assume-yes") || sc_df_cmd_has_opt(c, 1, "-q=2") ||
		    sc_df_cmd_has_opt(c, 1, "--quiet=2") || sc_df_cmd_has_opt(c, 1, "-s") ||
		    sc_df_cmd_has_opt(c, 1, "--simulate") || sc_df_cmd_has_opt(c, 1, "--dry-run") ||
		    sc_df_cmd_has_opt(c, 1, "--just-print") || sc_df_cmd_has_opt(c, 1, "--no-act"))
			return true;
		for (size_t i = 1; i < c->argc; i++)
			if (!strcmp(c->argv[i], "-qq") || strstr(c->argv[i], "APT::Get::Assume-Yes=true") ||
			    strstr(c->argv[i], "APT::Get::Assume-Yes=1"))
				return true;
		return false;
	}
	case SC_PM_YUM:
	case SC_PM_DNF:
	case SC_PM_TDNF:
		return sc_df_cmd_has_opt(c, 1, "-y") || sc_df_cmd_has_opt(c, 1, "--assumeyes");
	case SC_PM_ZYPPER:
		return sc_df_cmd_has_opt(c, 1, "-n") || sc_df_cmd_has_opt(c, 1, "--non-interactive") ||
		       sc_df_cmd_has_opt(c, 1, "-y") || sc_df_cmd_has_opt(c, 1, "--no-confirm");
	default:
		return true; /* apk and microdnf never ask */
	}
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
			if (!sc_df_pm_parse(a, &in->sh.cmds[k], &pc) || !sc_df_is_install(&pc) || has_yes(&pc))
				continue;
			sc_df_report(ctx, &meta, in, pc.manager,
				     pc.pm == SC_PM_ZYPPER ? "Add `-n` (`zypper -n install ...`)."
							   : "Add `-y` (e.g. `apt-get install -y ...`).",
				     "`%s %s` without a flag that answers its confirmation prompt: the build "
				     "stops at the prompt (no terminal) and fails.",
				     pc.manager, pc.sub);
			break;
		}
	}
}

const struct sc_df_rule sc_df_rule_pm_assume_yes = {
	.meta = &meta,
	.check_file = check_file,
};
