/* curl_pipe_shell.c - SC-DF-010: a script downloaded and run in one step (`curl ... | sh`,
 * `sh -c "$(wget -O- ...)"`, `bash <(curl ...)`) - unverified remote code in the build. */
#include "rules.h"

#include <string.h>

static const char *const equivalents[] = {NULL};

static const struct sc_rule meta = {
	.id = "SC-DF-010",
	.name = "curl-pipe-shell",
	.check = "dockerfile",
	.severity = SC_SEV_MEDIUM,
	.title = "Remote script piped into a shell",
	.equivalents = equivalents,
};

static bool is_fetch(const char *p)
{
	return !strcmp(p, "curl") || !strcmp(p, "wget") || !strcmp(p, "fetch");
}

static bool is_interp(const char *p)
{
	static const char *const list[] = {"sh", "bash", "ash", "dash", "zsh", "ksh", "python", "python2", "python3",
					   "perl", "ruby", "node", "php", NULL};
	for (size_t i = 0; list[i]; i++)
		if (!strcmp(p, list[i]))
			return true;
	return false;
}

static void check_file(struct sc_df_ctx *ctx)
{
	if (!ctx->df)
		return;
	SC_DF_FOREACH(ctx->df, in) {
		if (in->kind != SC_DF_RUN)
			continue;
		const char *how = NULL;
		for (size_t k = 0; k < in->sh.n && !how; k++) {
			const struct sc_sh_cmd *c = &in->sh.cmds[k];
			size_t p0;
			const char *prog = sc_sh_cmd_program(c, &p0);
			if (is_fetch(prog) && c->sep == SC_SH_PIPE && k + 1 < in->sh.n) {
				size_t p1;
				const char *next = sc_sh_cmd_program(&in->sh.cmds[k + 1], &p1);
				if (is_interp(next))
					how = "a download piped into an interpreter";
			}
			if (is_interp(prog))
				for (size_t i = p0 + 1; i < c->argc; i++)
					if (strstr(c->argv[i], "$(curl") || strstr(c->argv[i], "$(wget") ||
					    strstr(c->argv[i], "`curl") || strstr(c->argv[i], "`wget"))
						how = "a download run through `sh -c \"$(...)\"`";
		}
		if (!how && in->posix_shell && (strstr(in->args, "<(curl") || strstr(in->args, "<(wget")))
			how = "a download run through process substitution";
		if (!how)
			continue;
		sc_df_report(ctx, &meta, in, NULL,
			     "Download the script to a file, verify its checksum or signature (`echo \"SHA256  "
			     "file\" | sha256sum -c -`), then run it - or use ADD --checksum / a distribution "
			     "package.",
			     "RUN executes %s: whatever the server returns at build time runs in the build, "
			     "unverified, and a truncated download runs half a script.",
			     how);
	}
}

const struct sc_df_rule sc_df_rule_curl_pipe_shell = {
	.meta = &meta,
	.check_file = check_file,
};
