/* pipefail.c - SC-DF-028: a pipe in a RUN without `set -o pipefail` (or a SHELL with it): a failing
 * download in `curl ... | tar x` is hidden by the last command's success. */
#include "rules.h"

#include <string.h>

static const char *const equivalents[] = {"DL4006", NULL};

static const struct sc_rule meta = {
	.id = "SC-DF-028",
	.name = "pipe-without-pipefail",
	.check = "dockerfile",
	.severity = SC_SEV_LOW,
	.title = "Pipe in RUN without pipefail",
	.equivalents = equivalents,
};

static bool shell_has_pipefail(const struct sc_dockerfile *df, int stage, size_t upto)
{
	for (size_t guard = 0; stage >= 0 && guard <= df->n_stages; guard++) {
		const struct sc_df_stage *st = &df->stages[stage];
		for (size_t i = upto < st->end ? upto : st->end; i > st->first; i--) {
			const struct sc_df_instr *in = df->instrs[i - 1];
			if (in->kind != SC_DF_SHELL)
				continue;
			for (size_t k = 0; k + 1 < in->argc; k++)
				if (!strcmp(in->argv[k], "-o") && !strcmp(in->argv[k + 1], "pipefail"))
					return true;
			return false; /* the last SHELL decides */
		}
		stage = st->base_stage;
		upto = (size_t)-1;
	}
	return false;
}

static bool sets_pipefail(const struct sc_sh_cmd *c)
{
	if (strcmp(c->argv[0], "set"))
		return false;
	for (size_t i = 1; i + 1 < c->argc; i++)
		if ((c->argv[i][0] == '-' || c->argv[i][0] == '+') && strchr(c->argv[i], 'o') &&
		    !strcmp(c->argv[i + 1], "pipefail"))
			return c->argv[i][0] == '-';
	return false;
}

/* `yes | cmd` always ends by SIGPIPE (pipefail would fail the build); echo/printf cannot fail. */
static bool harmless(const struct sc_sh_cmd *c)
{
	return !strcmp(c->argv[0], "yes") || !strcmp(c->argv[0], "echo") || !strcmp(c->argv[0], "printf");
}

static void check_file(struct sc_df_ctx *ctx)
{
	const struct sc_dockerfile *df = ctx->df;
	if (!df)
		return;
	SC_DF_FOREACH(df, in) {
		if (in->kind != SC_DF_RUN || in->json || !in->posix_shell)
			continue;
		bool set = false;
		const struct sc_sh_cmd *pipe = NULL;
		for (size_t k = 0; k < in->sh.n && !pipe; k++) {
			const struct sc_sh_cmd *c = &in->sh.cmds[k];
			if (c->depth == 0 && sets_pipefail(c))
				set = true;
			else if (c->depth == 0 && c->sep == SC_SH_PIPE && !set && !harmless(c))
				pipe = c;
		}
		if (!pipe || shell_has_pipefail(df, in->stage, in_i))
			continue;
		sc_df_report(ctx, &meta, in, NULL,
			     "Start the RUN with `set -o pipefail &&` or set `SHELL [\"/bin/bash\", \"-o\", "
			     "\"pipefail\", \"-c\"]` before it (on Debian's dash use bash, or avoid the pipe).",
			     "The RUN pipes `%s` into another command without pipefail: if `%s` fails, the step "
			     "still succeeds when the last command of the pipe does, and the build goes on with "
			     "missing or partial files.",
			     pipe->argv[0], pipe->argv[0]);
	}
}

const struct sc_df_rule sc_df_rule_pipefail = {
	.meta = &meta,
	.check_file = check_file,
};
