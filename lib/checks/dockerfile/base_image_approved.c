/* base_image_approved.c - SC-DF-003: base images (FROM, and images copied from with COPY --from)
 * only from the approved images/registries of the policy, or allowlisted public images. */
#include "rules.h"

#include <fnmatch.h>
#include <string.h>

static const char *const equivalents[] = {"DL3026", NULL};

static const struct sc_rule meta = {
	.id = "SC-DF-003",
	.name = "base-image-approved",
	.check = "dockerfile",
	.severity = SC_SEV_HIGH,
	.title = "Base image is not from an approved registry or image list",
	.equivalents = equivalents,
};

static bool glob_any(const char *pat, const char *a, const char *b, const char *c)
{
	return !fnmatch(pat, a, 0) || (b && !fnmatch(pat, b, 0)) || (c && !fnmatch(pat, c, 0));
}

/* NULL when approved; else why not. */
static bool approved(struct sc_df_ctx *ctx, const char *ref)
{
	struct sc_df_imgref r;
	struct sc_arena *a = ctx->scan->result->arena;
	bool parsed = sc_df_imgref_parse(a, ref, &r);
	const char *norm = parsed ? r.normalized : NULL;
	const char *name = parsed ? r.name : NULL;
	for (size_t i = 0; i < ctx->cfg->n_allowed; i++)
		if (glob_any(ctx->cfg->allowed[i], ref, norm, name))
			return true;
	for (size_t i = 0; i < ctx->cfg->n_public; i++)
		if (glob_any(ctx->cfg->public_images[i].pattern, ref, norm, name))
			return true;
	return false;
}

static void check_ref(struct sc_df_ctx *ctx, const struct sc_df_instr *in, const char *ref, const char *written)
{
	if (!ref) {
		sc_df_report(ctx, &meta, in, written,
			     "Give the ARG a default that names an approved image, or write the image out.",
			     "The image `%s` is built from a build argument without a default, so any image can be "
			     "passed at build time; it cannot be checked against the approved images.",
			     written);
		return;
	}
	if (approved(ctx, ref))
		return;
	sc_df_report(ctx, &meta, in, ref,
		     "Use an image from an approved registry (dockerfile.base_images.allowed in .shipcheck.yml), "
		     "or add this public image to dockerfile.base_images.public with the reason it is trusted.",
		     "`%s` is not an approved base image: images from unapproved registries are not scanned, "
		     "patched or rebuilt by the platform team and may contain anything.",
		     ref);
}

static void check_file(struct sc_df_ctx *ctx)
{
	const struct sc_dockerfile *df = ctx->df;
	if (!df || (!ctx->cfg->n_allowed && !ctx->cfg->n_public))
		return;
	for (size_t s = 0; s < df->n_stages; s++)
		if (sc_df_stage_is_image(df, s))
			check_ref(ctx, df->stages[s].from, df->stages[s].resolved, df->stages[s].image);
	SC_DF_FOREACH(df, in) {
		if (in->kind != SC_DF_COPY || in->onbuild)
			continue;
		for (size_t k = 0; k < in->n_flags; k++) {
			const struct sc_df_flag *fl = &in->flags[k];
			if (strcmp(fl->name, "from") || !fl->value)
				continue;
			if (sc_df_stage_find(df, fl->value, df->n_stages) >= 0 || !strpbrk(fl->value, ":/@."))
				continue;
			bool resolved = true;
			const char *v = sc_df_expand(ctx->scan->result->arena, df, fl->value, in->vars, &resolved);
			check_ref(ctx, in, resolved ? v : NULL, fl->value);
		}
	}
}

const struct sc_df_rule sc_df_rule_base_image_approved = {
	.meta = &meta,
	.check_file = check_file,
};
