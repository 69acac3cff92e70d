/* image_latest.c - SC-DF-030: a base image without a tag or with `:latest` (and no digest): builds
 * are not reproducible and change base without review. */
#include "rules.h"

#include <string.h>

static const char *const equivalents[] = {"DL3006", "DL3007", "DS001", "DKL-DI-0006", NULL};

static const struct sc_rule meta = {
	.id = "SC-DF-030",
	.name = "base-image-latest",
	.check = "dockerfile",
	.severity = SC_SEV_MEDIUM,
	.title = "Base image untagged or :latest",
	.equivalents = equivalents,
};

static void check_file(struct sc_df_ctx *ctx)
{
	const struct sc_dockerfile *df = ctx->df;
	if (!df)
		return;
	struct sc_arena *a = ctx->scan->result->arena;
	for (size_t s = 0; s < df->n_stages; s++) {
		if (!sc_df_stage_is_image(df, s) || !df->stages[s].resolved)
			continue;
		struct sc_df_imgref r;
		if (!sc_df_imgref_parse(a, df->stages[s].resolved, &r) || r.digest)
			continue;
		if (r.tag && strcmp(r.tag, "latest"))
			continue;
		sc_df_report(ctx, &meta, df->stages[s].from, df->stages[s].resolved,
			     "Pin the base image to a version tag (e.g. `debian:12.8-slim`), ideally with its "
			     "digest (`@sha256:...`), and update it deliberately.",
			     "`FROM %s` %s: every build may get a different base image, so builds are not "
			     "reproducible and a new major version arrives without review.",
			     df->stages[s].image, r.tag ? "uses the moving `latest` tag" : "has no tag (Docker uses `latest`)");
	}
}

const struct sc_df_rule sc_df_rule_image_latest = {
	.meta = &meta,
	.check_file = check_file,
};
