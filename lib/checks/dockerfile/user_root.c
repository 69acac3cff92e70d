/* user_root.c - SC-DF-002: the final stage must not run as root (last USER, with ARG/ENV resolved,
 * followed through the stages it builds on). */
#include "rules.h"

#include <string.h>

static const char *const equivalents[] = {"DL3002", "DS002", "CIS-DI-0001", NULL};

static const struct sc_rule meta = {
	.id = "SC-DF-002",
	.name = "user-root",
	.check = "dockerfile",
	.severity = SC_SEV_HIGH,
	.title = "The image runs as root",
	.equivalents = equivalents,
};

/* The last instruction of kind k in stage s or in the stages it builds on, or NULL: the one that
 * is in effect for USER, CMD and ENTRYPOINT. */
static const struct sc_df_instr *last_in_chain(const struct sc_dockerfile *df, int s, enum sc_df_kind k)
{
	for (size_t guard = 0; s >= 0 && guard <= df->n_stages; guard++) {
		const struct sc_df_stage *st = &df->stages[s];
		for (size_t i = st->end; i > st->first; i--)
			if (df->instrs[i - 1]->kind == k)
				return df->instrs[i - 1];
		s = st->base_stage;
	}
	return NULL;
}

/* Does the image run as a non-root user unless told otherwise? Tags that say so (distroless's
 * `:nonroot`, `rootless`), and image families whose images are built that way: Chainguard's (but
 * not their `-dev` variants, which run as root), Bitnami's, nginx's `-unprivileged`, and
 * Microsoft's .NET `chiseled` and `distroless` images. */
static bool nonroot_image(const char *img)
{
	if (strstr(img, "nonroot") || strstr(img, "rootless") || strstr(img, "unprivileged"))
		return true;
	if (!strncmp(img, "cgr.dev/chainguard/", 19))
		return !strstr(img, "-dev");
	if (!strncmp(img, "bitnami/", 8) || strstr(img, "/bitnami/"))
		return true;
	if (!strncmp(img, "mcr.microsoft.com/dotnet/", 25))
		return strstr(img, "chiseled") || strstr(img, "distroless");
	return false;
}

static bool is_root(const char *user)
{
	size_t n = strcspn(user, ":");
	return (n == 4 && !strncmp(user, "root", 4)) || (n == 1 && user[0] == '0');
}

/* Does stage s give the image a command: an ENTRYPOINT, or a last CMD with a non-empty word
 * (`CMD [""]` is none)? */
static bool has_command(const struct sc_dockerfile *df, int s)
{
	if (last_in_chain(df, s, SC_DF_ENTRYPOINT))
		return true;
	const struct sc_df_instr *cmd = last_in_chain(df, s, SC_DF_CMD);
	for (size_t k = 0; cmd && k < cmd->argc; k++)
		if (*cmd->argv[k])
			return true;
	return cmd && !cmd->json && cmd->args && *cmd->args;
}

static void check_file(struct sc_df_ctx *ctx)
{
	const struct sc_dockerfile *df = ctx->df;
	if (!df || !df->n_stages)
		return;
	int last = (int)df->n_stages - 1;
	const struct sc_df_stage *st = &df->stages[last];
	if (st->windows)
		return;
	const struct sc_df_instr *u = last_in_chain(df, last, SC_DF_USER);
	if (u) {
		if (!u->resolved || !u->argc || !is_root(u->argv[0]))
			return;
		sc_df_report(ctx, &meta, u, NULL,
			     "Create an unprivileged user (e.g. `RUN useradd -r -u 10001 app`) and end the final "
			     "stage with `USER app` or `USER 10001`; switch to root only in earlier steps or "
			     "build stages.",
			     "The final stage ends with `USER %s`, so the container's main process runs as root: a "
			     "compromise of the service is a compromise of everything the container can reach.",
			     u->argv[0]);
		return;
	}
	/* no USER anywhere in the chain: the base image decides, and most run as root. When the built
	 * image is scanned too, its config's User is authoritative (SC-IMG-001 reports it). */
	if (ctx->scan->image_config)
		return;
	const char *img = st->resolved ? st->resolved : st->image;
	if (nonroot_image(img))
		return;
	const struct sc_df_stage *root = st;
	for (size_t guard = 0; root->base_stage >= 0 && guard <= df->n_stages; guard++)
		root = &df->stages[root->base_stage];
	/* files on scratch with no command (`FROM scratch AS binary` + `COPY --from=build /out .`, for
	 * `docker build --output`): an image that holds build output or data, not one that runs */
	const char *rimg = root->resolved ? root->resolved : root->image;
	if (rimg && !strcmp(rimg, "scratch") && !has_command(df, last))
		return;
	sc_df_report(ctx, &meta, st->from, "no-user",
		     "Add `USER <non-root user>` at the end of the final stage (create the user first if the "
		     "base image has none, e.g. `RUN useradd -r -u 10001 app`).",
		     "The final stage has no USER instruction, so the container runs as the user of the base "
		     "image `%s` - root for most images. When an image is scanned, its config's User decides.",
		     root->resolved ? root->resolved : root->image);
}

const struct sc_df_rule sc_df_rule_user_root = {
	.meta = &meta,
	.check_file = check_file,
};
