/* run_sudo.c - SC-DF-008: RUN uses sudo (builds run as root anyway; sudo in the image is an escalation
 * path). */
#include "rules.h"

#include <string.h>

static const char *const equivalents[] = {"DL3004", "DS010", "DKL-DI-0001", NULL};

static const struct sc_rule meta = {
	.id = "SC-DF-008",
	.name = "run-sudo",
	.check = "dockerfile",
	.severity = SC_SEV_MEDIUM,
	.title = "RUN uses sudo",
	.equivalents = equivalents,
};

static void check_file(struct sc_df_ctx *ctx)
{
	if (!ctx->df)
		return;
	SC_DF_FOREACH(ctx->df, in) {
		if (in->kind != SC_DF_RUN)
			continue;
		for (size_t k = 0; k < in->sh.n; k++) {
			const struct sc_sh_cmd *c = &in->sh.cmds[k];
			const char *b = strrchr(c->argv[0], '/');
			b = b ? b + 1 : c->argv[0];
			if (strcmp(b, "sudo"))
				continue;
			sc_df_report(ctx, &meta, in, NULL,
				     "Drop `sudo`: run the step before `USER` (or switch with `USER root` for that "
				     "step and back after), and do not install sudo in the image.",
				     "`sudo` in a RUN: the build already runs as the current USER, and sudo in an "
				     "image gives any process that gets in a way to become root.");
			break;
		}
	}
}

const struct sc_df_rule sc_df_rule_run_sudo = {
	.meta = &meta,
	.check_file = check_file,
};
