/* copy_multi_dest.c - SC-DF-025: COPY/ADD with several sources to a destination that does not end
 * with `/`: Docker refuses it. */
#include "rules.h"

#include <string.h>

static const char *const equivalents[] = {"DL3021", "DS011", NULL};

static const struct sc_rule meta = {
	.id = "SC-DF-025",
	.name = "copy-multiple-sources-dest",
	.check = "dockerfile",
	.severity = SC_SEV_LOW,
	.title = "COPY with several sources to a destination without a trailing /",
	.equivalents = equivalents,
};

static void check_file(struct sc_df_ctx *ctx)
{
	if (!ctx->df)
		return;
	SC_DF_FOREACH(ctx->df, in) {
		if ((in->kind != SC_DF_COPY && in->kind != SC_DF_ADD) || in->argc < 3)
			continue;
		const char *dest = in->argv[in->argc - 1];
		size_t n = strlen(dest);
		if (!n || dest[n - 1] == '/' || dest[n - 1] == '\\' || strchr(dest, '$') || !strcmp(dest, "."))
			continue;
		sc_df_report(ctx, &meta, in, NULL,
			     "End the destination with `/` (e.g. `/app/`).",
			     "%s copies %zu sources to `%s`, which does not end with `/`: Docker requires a "
			     "directory destination ending in `/` and fails the build.",
			     sc_df_kind_name(in->kind), in->argc - 1, dest);
	}
}

const struct sc_df_rule sc_df_rule_copy_multi_dest = {
	.meta = &meta,
	.check_file = check_file,
};
