/* use_apt_get.c - SC-DF-015: `apt` in a RUN; its command-line interface is not stable for scripts. */
#include "rules.h"

#include <string.h>

static const char *const equivalents[] = {"DL3027", NULL};

static const struct sc_rule meta = {
	.id = "SC-DF-015",
	.name = "use-apt-get",
	.check = "dockerfile",
	.severity = SC_SEV_LOW,
	.title = "apt used instead of apt-get",
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
			size_t p0;
			if (strcmp(sc_sh_cmd_program(&in->sh.cmds[k], &p0), "apt"))
				continue;
			sc_df_report(ctx, &meta, in, "apt",
				     "Use `apt-get` (or `apt-cache`) in Dockerfiles.",
				     "`apt` is meant for people at a terminal: it warns that its interface is not "
				     "stable for scripts, shows progress bars and may change behaviour between "
				     "releases.");
			break;
		}
	}
}

const struct sc_df_rule sc_df_rule_use_apt_get = {
	.meta = &meta,
	.check_file = check_file,
};
