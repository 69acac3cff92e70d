/* maintainer.c - SC-DF-020: the deprecated MAINTAINER instruction. */
#include "rules.h"

static const char *const equivalents[] = {"DL4000", "DS022", NULL};

static const struct sc_rule meta = {
	.id = "SC-DF-020",
	.name = "maintainer-deprecated",
	.check = "dockerfile",
	.severity = SC_SEV_LOW,
	.title = "MAINTAINER is deprecated",
	.equivalents = equivalents,
};

static void check_file(struct sc_df_ctx *ctx)
{
	if (!ctx->df)
		return;
	SC_DF_FOREACH(ctx->df, in) {
		if (in->kind != SC_DF_MAINTAINER)
			continue;
		sc_df_report(ctx, &meta, in, "MAINTAINER",
			     "Replace it with `LABEL org.opencontainers.image.authors=\"...\"`.",
			     "MAINTAINER has been deprecated since Docker 1.13; tools read the OCI label instead.");
	}
}

const struct sc_df_rule sc_df_rule_maintainer = {
	.meta = &meta,
	.check_file = check_file,
};
