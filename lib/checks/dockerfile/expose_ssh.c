/* expose_ssh.c - SC-DF-021: EXPOSE 22 - an SSH server in a container. */
#include "rules.h"

#include <string.h>

static const char *const equivalents[] = {"DS004", NULL};

static const struct sc_rule meta = {
	.id = "SC-DF-021",
	.name = "expose-ssh",
	.check = "dockerfile",
	.severity = SC_SEV_MEDIUM,
	.title = "SSH port 22 exposed",
	.equivalents = equivalents,
};

static void check_file(struct sc_df_ctx *ctx)
{
	if (!ctx->df)
		return;
	SC_DF_FOREACH(ctx->df, in) {
		if (in->kind != SC_DF_EXPOSE)
			continue;
		for (size_t k = 0; k < in->argc; k++) {
			const char *p = in->argv[k];
			if (strcmp(p, "22") && strcmp(p, "22/tcp") && strcmp(p, "22/TCP"))
				continue;
			sc_df_report(ctx, &meta, in, "22",
				     "Remove the SSH server and `EXPOSE 22`; use `docker exec` / `kubectl exec` for "
				     "debugging.",
				     "The image exposes port 22: an SSH server in a container is one more service "
				     "with credentials to steal and brute-force, and bypasses the orchestrator's "
				     "access control and audit.");
			break;
		}
	}
}

const struct sc_df_rule sc_df_rule_expose_ssh = {
	.meta = &meta,
	.check_file = check_file,
};
