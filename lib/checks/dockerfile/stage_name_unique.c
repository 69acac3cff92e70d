/* stage_name_unique.c - SC-DF-027: two stages with the same `AS name`. */
#include "rules.h"

#include <stdint.h>

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
		/* names are kept in lower case; the index holds the first stage of each */
		size_t t1 = (size_t)(uintptr_t)sc_map_get(df->stage_index, df->stages[s].name);
		if (!t1 || t1 - 1 >= s)
			continue;
		sc_df_report(ctx, &meta, df->stages[s].from, df->stages[s].name, "Give every stage a unique name.",
			     "Stage name `%s` is already used by the stage at line %u: Docker rejects "
			     "duplicate names, and readers cannot tell which stage `--from` means.",
			     df->stages[s].name, df->stages[t1 - 1].from->line);
	}
}

const struct sc_df_rule sc_df_rule_stage_name_unique = {
	.meta = &meta,
	.check_file = check_file,
};
