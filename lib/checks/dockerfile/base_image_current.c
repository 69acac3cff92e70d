/* base_image_current.c - SC-DF-004: a FROM of an approved image must use the current tag or digest
 * the policy names for it (dockerfile.base_images.current). */
#include "rules.h"

#include <string.h>

static const char *const equivalents[] = {NULL};

static const struct sc_rule meta = {
	.id = "SC-DF-004",
	.name = "base-image-current",
	.check = "dockerfile",
	.severity = SC_SEV_MEDIUM,
	.title = "Base image is not the current approved version",
	.equivalents = equivalents,
};

static void check_file(struct sc_df_ctx *ctx)
{
	const struct sc_dockerfile *df = ctx->df;
	if (!df || !ctx->cfg->n_current)
		return;
	struct sc_arena *a = ctx->scan->result->arena;
	for (size_t s = 0; s < df->n_stages; s++) {
		if (!sc_df_stage_is_image(df, s) || !df->stages[s].resolved)
			continue;
		struct sc_df_imgref r;
		if (!sc_df_imgref_parse(a, df->stages[s].resolved, &r))
			continue;
		for (size_t i = 0; i < ctx->cfg->n_current; i++) {
			const struct sc_df_current *c = &ctx->cfg->current[i];
			if (strcmp(c->image, r.name))
				continue;
			bool ok = (c->digest && r.digest && !strcmp(c->digest, r.digest)) ||
				  (c->tag && r.tag && !strcmp(c->tag, r.tag) && (!r.digest || !c->digest));
			if (ok)
				break;
			const char *want = c->digest && c->tag ? sc_arena_printf(a, "%s:%s@%s", c->image, c->tag, c->digest)
				: c->digest ? sc_arena_printf(a, "%s@%s", c->image, c->digest)
					    : sc_arena_printf(a, "%s:%s", c->image, c->tag);
			sc_df_report(ctx, &meta, df->stages[s].from, df->stages[s].resolved,
				     sc_arena_printf(a, "Change the FROM to `%s` and rebuild.", want),
				     "`%s` is not the current version of this approved base image (the policy's "
				     "current is `%s`): older base images miss the security fixes that the current "
				     "one has.",
				     df->stages[s].resolved, want);
			break;
		}
	}
}

const struct sc_df_rule sc_df_rule_base_image_current = {
	.meta = &meta,
	.check_file = check_file,
};
