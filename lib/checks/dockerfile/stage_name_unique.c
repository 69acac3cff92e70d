/* stage_name_unique.c - SC-DF-027: two stages with the same `AS name`. */
#include "rules.h"

#include <strings.h>

static const char *const equivalents[] = {"DL3024", "DS012", NULL};

static const struct sc_rule meta = {
	.id = "SC-DF-027",
	.name = "duplicate-stage-name",
	.check = "dockerfile",
	.severity = SC_SEV_LOW,
	.title = "Stage name used twice",
	.equivalents = equivalents,
};

static void check_file(struct sc_df_ctx *ctx)
{
	const struct sc_dockerfile *df = ctx->df;
	if (!df)
		return;
	for (size_t s = 1; s < df->n_stages; s++) {
		if (!df->stages[s].name)
			continue;
		for (size_t t = 0; t < s; t++) {
			if (!df->stages[t].name || strcasecmp(df->stages[t].name, df->stages[s].name))
				continue;
			sc_df_report(ctx, &meta, df->stages[s].from, df->stages[s].name,
				     "Give every stage a unique name.",
				     "Stage name `%s` is already used by the stage at line %u: Docker rejects "
				     "duplicate names, and readers cannot tell which stage `--from` means.",
				     df->stages[s].name, df->stages[t].from->line);
			break;
		}
	}
}

const struct sc_df_rule sc_df_rule_stage_name_unique = {
	.meta = &meta,
	.check_file = check_file,
};
