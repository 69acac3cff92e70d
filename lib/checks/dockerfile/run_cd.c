/* run_cd.c - SC-DF-017: `RUN cd DIR && ...` where WORKDIR is meant, or a `cd` with no effect. */
#include "rules.h"

#include <string.h>

static const char *const equivalents[] = {"DL3003", "DS013", NULL};

static const struct sc_rule meta = {
	.id = "SC-DF-017",
	.name = "run-cd",
	.check = "dockerfile",
	.severity = SC_SEV_LOW,
	.title = "RUN starts with cd (use WORKDIR)",
	.equivalents = equivalents,
};

static bool is_cd(const struct sc_sh_cmd *c)
{
	return c->depth == 0 && !strcmp(c->argv[0], "cd");
}

static void check_file(struct sc_df_ctx *ctx)
{
	if (!ctx->df)
		return;
	SC_DF_FOREACH(ctx->df, in) {
		if (in->kind != SC_DF_RUN || !in->sh.n || in->json)
			continue;
		/* top-level commands only */
		size_t first = SIZE_MAX, last = SIZE_MAX;
		for (size_t k = 0; k < in->sh.n; k++) {
			if (in->sh.cmds[k].depth)
				continue;
			if (first == SIZE_MAX)
				first = k;
			last = k;
		}
		if (first == SIZE_MAX)
			continue;
		const char *what = NULL;
		if (is_cd(&in->sh.cmds[last]))
			what = "ends with `cd`, which has no effect: every RUN starts in the WORKDIR again";
		else if (is_cd(&in->sh.cmds[first]) && in->sh.cmds[first].sep == SC_SH_AND)
			what = "starts with `cd`: the directory of the whole step belongs in a WORKDIR, which "
			       "later instructions also see";
		if (!what)
			continue;
		sc_df_report(ctx, &meta, in, NULL,
			     "Put `WORKDIR <dir>` before the RUN and drop the `cd`.", "This RUN %s.", what);
	}
}

const struct sc_df_rule sc_df_rule_run_cd = {
	.meta = &meta,
	.check_file = check_file,
};
