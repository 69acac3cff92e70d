/* cmd_shell_form.c - SC-DF-024: CMD/ENTRYPOINT in shell form: the service runs under `/bin/sh -c`,
 * which does not forward SIGTERM, so stops are kills after the grace period. */
#include "rules.h"

#include <string.h>

static const char *const equivalents[] = {"DL3025", NULL};

static const struct sc_rule meta = {
	.id = "SC-DF-024",
	.name = "cmd-shell-form",
	.check = "dockerfile",
	.severity = SC_SEV_LOW,
	.title = "CMD or ENTRYPOINT in shell form",
	.equivalents = equivalents,
};

static void check_file(struct sc_df_ctx *ctx)
{
	if (!ctx->df)
		return;
	SC_DF_FOREACH(ctx->df, in) {
		if ((in->kind != SC_DF_CMD && in->kind != SC_DF_ENTRYPOINT) || in->json || !in->posix_shell ||
		    !*in->args)
			continue;
		if (in->argc && !strcmp(in->argv[0], "exec"))
			continue; /* `exec` replaces the shell: signals reach the program */
		sc_df_report(ctx, &meta, in, NULL,
			     "Use the exec (JSON) form, e.g. `CMD [\"node\", \"server.js\"]`, or start the shell "
			     "form with `exec`.",
			     "`%s %s` runs the program as a child of `/bin/sh -c`; the shell is PID 1 and does not "
			     "pass SIGTERM on, so the service is killed instead of shutting down cleanly%s.",
			     sc_df_kind_name(in->kind), in->args,
			     in->kind == SC_DF_ENTRYPOINT ? ", and CMD arguments are ignored" : "");
	}
}

const struct sc_df_rule sc_df_rule_cmd_shell_form = {
	.meta = &meta,
	.check_file = check_file,
};
