/* workdir_relative.c - SC-DF-018: a relative WORKDIR depends on the WORKDIR of the base image. */
#include "rules.h"

#include <ctype.h>
#include <string.h>

static const char *const equivalents[] = {"DL3000", "DS009", NULL};

static const struct sc_rule meta = {
	.id = "SC-DF-018",
	.name = "workdir-relative",
	.check = "dockerfile",
	.severity = SC_SEV_LOW,
	.title = "WORKDIR is a relative path",
	.equivalents = equivalents,
};

static bool absolute(const char *p)
{
	if (p[0] == '/' || p[0] == '\\')
		return true;
	return isalpha((unsigned char)p[0]) && p[1] == ':'; /* C:\app, c:/app */
}

static void check_file(struct sc_df_ctx *ctx)
{
	if (!ctx->df)
		return;
	SC_DF_FOREACH(ctx->df, in) {
		if (in->kind != SC_DF_WORKDIR || !in->argc || !in->resolved || absolute(in->argv[0]))
			continue;
		sc_df_report(ctx, &meta, in, NULL, "Use an absolute path, e.g. `WORKDIR /app`.",
			     "`WORKDIR %s` is relative: it is resolved against the WORKDIR the base image happens "
			     "to set, so a new base image silently moves the application.",
			     in->argv[0]);
	}
}

const struct sc_df_rule sc_df_rule_workdir_relative = {
	.meta = &meta,
	.check_file = check_file,
};
