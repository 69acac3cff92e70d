/* useradd_no_log_init.c - SC-DF-029: useradd with a high UID and without -l (--no-log-init): the
 * sparse /var/log/lastlog and faillog grow to gigabytes in the layer. */
#include "rules.h"

#include <string.h>

static const char *const equivalents[] = {"DL3046", NULL};

static const struct sc_rule meta = {
	.id = "SC-DF-029",
	.name = "useradd-no-log-init",
	.check = "dockerfile",
	.severity = SC_SEV_LOW,
	.title = "useradd with a high UID without -l",
	.equivalents = equivalents,
};

static void check_file(struct sc_df_ctx *ctx)
{
	if (!ctx->df)
		return;
	SC_DF_FOREACH(ctx->df, in) {
		if (in->kind != SC_DF_RUN)
			continue;
		for (size_t k = 0; k < in->sh.n; k++) {
			const struct sc_sh_cmd *c = &in->sh.cmds[k];
			size_t p0;
			if (strcmp(sc_sh_cmd_program(c, &p0), "useradd"))
				continue;
			const char *uid = NULL;
			bool l = sc_df_cmd_has_opt(c, p0 + 1, "-l") || sc_df_cmd_has_opt(c, p0 + 1, "--no-log-init");
			for (size_t i = p0 + 1; i < c->argc; i++) {
				if ((!strcmp(c->argv[i], "-u") || !strcmp(c->argv[i], "--uid")) && i + 1 < c->argc)
					uid = c->argv[i + 1];
				else if (!strncmp(c->argv[i], "--uid=", 6))
					uid = c->argv[i] + 6;
			}
			if (l || !uid || strspn(uid, "0123456789") != strlen(uid) || strlen(uid) <= 5)
				continue;
			sc_df_report(ctx, &meta, in, uid, "Add `-l` (`--no-log-init`) to useradd.",
				     "`useradd -u %s` without -l writes the user's entry into the sparse files "
				     "/var/log/lastlog and /var/log/faillog at an offset proportional to the UID; "
				     "layers do not keep files sparse, so the image grows by gigabytes.",
				     uid);
			break;
		}
	}
}

const struct sc_df_rule sc_df_rule_useradd_no_log_init = {
	.meta = &meta,
	.check_file = check_file,
};
