/* copy_from.c - SC-DF-026: `COPY --from` that refers to its own stage, to a stage defined later or
 * to an index that does not exist, or to a name that is no stage (Docker then pulls an image of that
 * name). */
#include "rules.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const char *const equivalents[] = {"DL3022", "DL3023", "DS006", NULL};

static const struct sc_rule meta = {
	.id = "SC-DF-026",
	.name = "copy-from-stage",
	.check = "dockerfile",
	.severity = SC_SEV_MEDIUM,
	.title = "COPY --from refers to its own, a later or an unknown stage",
	.equivalents = equivalents,
};

static void check_file(struct sc_df_ctx *ctx)
{
	const struct sc_dockerfile *df = ctx->df;
	if (!df)
		return;
	SC_DF_FOREACH(df, in) {
		if (in->kind != SC_DF_COPY || in->onbuild || in->stage < 0)
			continue;
		for (size_t k = 0; k < in->n_flags; k++) {
			const char *v = in->flags[k].value;
			if (strcmp(in->flags[k].name, "from") || !v || strchr(v, '$'))
				continue;
			const struct sc_df_stage *own = &df->stages[in->stage];
			int before = sc_df_stage_find(df, v, (size_t)in->stage);
			int any = sc_df_stage_find(df, v, df->n_stages);
			const char *why = NULL;
			if ((own->name && !strcasecmp(own->name, v)) || any == in->stage)
				why = "refers to the stage it is in: a stage cannot copy from itself";
			else if (before < 0 && any >= 0)
				why = "refers to a stage defined later in the file: stages can only copy from earlier "
				      "stages, so Docker looks for an image of that name instead";
			else if (before < 0 && v[0] >= '0' && v[0] <= '9' && !strpbrk(v, ":/@."))
				why = "is a stage index that does not exist before this instruction";
			else if (before < 0 && !strpbrk(v, ":/@."))
				why = "names no stage of this file, so Docker pulls an image of that name from Docker "
				      "Hub (a typo in a stage name becomes a download)";
			if (!why)
				continue;
			sc_df_report(ctx, &meta, in, v,
				     "Name an earlier stage (`FROM ... AS name`), or write a full image reference "
				     "with a tag (`--from=nginx:1.27`) when you mean an image.",
				     "`COPY --from=%s` %s.", v, why);
		}
	}
}

const struct sc_df_rule sc_df_rule_copy_from = {
	.meta = &meta,
	.check_file = check_file,
};
