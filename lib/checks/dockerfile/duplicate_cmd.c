/* duplicate_cmd.c - SC-DF-023: several CMD, ENTRYPOINT or HEALTHCHECK in one stage: only the last
 * one takes effect. */
#include "rules.h"

static const char *const equivalents[] = {"DL4003", "DL4004", "DL3012", "DS016", "DS007", "DS023", NULL};

static const struct sc_rule meta = {
	.id = "SC-DF-023",
	.name = "duplicate-cmd-entrypoint-healthcheck",
	.check = "dockerfile",
	.severity = SC_SEV_LOW,
	.title = "Several CMD, ENTRYPOINT or HEALTHCHECK in one stage",
	.equivalents = equivalents,
};

static void check_file(struct sc_df_ctx *ctx)
{
	const struct sc_dockerfile *df = ctx->df;
	if (!df)
		return;
	static const enum sc_df_kind kinds[] = {SC_DF_CMD, SC_DF_ENTRYPOINT, SC_DF_HEALTHCHECK};
	for (size_t s = 0; s < df->n_stages; s++) {
		for (size_t k = 0; k < 3; k++) {
			const struct sc_df_instr *last = NULL;
			for (size_t i = df->stages[s].end; i > df->stages[s].first; i--) {
				const struct sc_df_instr *in = df->instrs[i - 1];
				if (in->kind != kinds[k])
					continue;
				if (!last) {
					last = in;
					continue;
				}
				sc_df_report(ctx, &meta, in, NULL,
					     "Keep only the last one (remove this instruction).",
					     "This %s is overridden by the one at line %u of the same stage: only the "
					     "last takes effect, so this one misleads readers.",
					     sc_df_kind_name(in->kind), last->line);
			}
		}
	}
}

const struct sc_df_rule sc_df_rule_duplicate_cmd = {
	.meta = &meta,
	.check_file = check_file,
};
