/* base_image_current.c - SC-DF-004: a FROM of an approved image must use the current tag or digest
 * the policy names for it (dockerfile.base_images.current) and, with base_images.check_registry, a
 * pinned digest must be the one its tag points to in the registry now. */
#include "rules.h"
#include "shipcheck/sc_registry.h"

#include <string.h>

static const char *const equivalents[] = {NULL};

static const struct sc_rule meta = {
	.id = "SC-DF-004",
	.name = "base-image-current",
	.check = "dockerfile",
	.severity = SC_SEV_MEDIUM,
	.title = "Base image is not the current approved version",
	.equivalents = equivalents,
};

static const struct sc_df_current *policy_current(const struct sc_df_ctx *ctx, const char *name)
{
	for (size_t i = 0; i < ctx->cfg->n_current; i++)
		if (!strcmp(ctx->cfg->current[i].image, name))
			return &ctx->cfg->current[i];
	return NULL;
}

/* A FROM pinned to a digest: the tag it names (or the policy's current tag of the image) must still
 * point to that digest in the registry. A registry that cannot be asked is a warning. */
static void check_registry(struct sc_df_ctx *ctx, size_t s, const struct sc_df_imgref *r)
{
	const struct sc_dockerfile *df = ctx->df;
	const struct sc_df_instr *in = df->stages[s].from;
	const struct sc_df_current *c = policy_current(ctx, r->name);
	const char *tag = r->tag ? r->tag : c ? c->tag : NULL;
	if (!r->digest || !tag)
		return; /* a tag alone always builds on what it points to now; a bare digest names no tag */
	struct sc_arena *a = ctx->scan->result->arena;
	const char *now = NULL;
	struct sc_error err = {0};
	if (sc_registry_digest(ctx->registry, r->registry, r->repo, tag, &now, &err) != SC_OK) {
		sc_result_add_warning(ctx->scan->result, ctx->path, in ? in->line : 0, in ? in->col : 0,
				      "could not check base image `%s` against its registry: %s", df->stages[s].resolved,
				      err.msg ? err.msg : "lookup failed");
		sc_error_clear(&err);
		return;
	}
	if (!strcmp(now, r->digest))
		return;
	/* a pin of one platform's manifest of the current multi-platform index is current too */
	bool has = false;
	if (sc_registry_index_has(ctx->registry, r->registry, r->repo, tag, r->digest, &has, &err) != SC_OK) {
		sc_result_add_warning(ctx->scan->result, ctx->path, in ? in->line : 0, in ? in->col : 0,
				      "could not check base image `%s` against its registry: %s", df->stages[s].resolved,
				      err.msg ? err.msg : "lookup failed");
		sc_error_clear(&err);
		return;
	}
	if (has)
		return;
	const char *want = sc_arena_printf(a, "%s:%s@%s", r->name, tag, now);
	sc_df_report(ctx, &meta, in, sc_arena_printf(a, "%s registry:%s", df->stages[s].resolved, now),
		     sc_arena_printf(a, "Rebuild on the current base: change the FROM to `%s`.", want),
		     "`%s` pins digest %s, but `%s:%s` now points to %s in the registry: the base image was "
		     "rebuilt since (usually with security fixes) and this build does not get them.",
		     df->stages[s].resolved, r->digest, r->name, tag, now);
}

static void check_file(struct sc_df_ctx *ctx)
{
	const struct sc_dockerfile *df = ctx->df;
	if (!df || (!ctx->cfg->n_current && !ctx->registry))
		return;
	struct sc_arena *a = ctx->scan->result->arena;
	for (size_t s = 0; s < df->n_stages; s++) {
		if (!sc_df_stage_is_image(df, s) || !df->stages[s].resolved)
			continue;
		struct sc_df_imgref r;
		if (!sc_df_imgref_parse(a, df->stages[s].resolved, &r))
			continue;
		if (ctx->registry)
			check_registry(ctx, s, &r);
		for (size_t i = 0; i < ctx->cfg->n_current; i++) {
			const struct sc_df_current *c = &ctx->cfg->current[i];
			if (strcmp(c->image, r.name))
				continue;
			bool ok = (c->digest && r.digest && !strcmp(c->digest, r.digest)) ||
				  (c->tag && r.tag && !strcmp(c->tag, r.tag) && (!r.digest || !c->digest));
			if (ok)
				break;
			const char *want = c->digest && c->tag ? sc_arena_printf(a, "%s:%s@%s", c->image, c->tag, c->digest)
				: c->digest ? sc_arena_printf(a, "%s@%s", c->image, c->digest)
					    : sc_arena_printf(a, "%s:%s", c->image, c->tag);
			sc_df_report(ctx, &meta, df->stages[s].from, df->stages[s].resolved,
				     sc_arena_printf(a, "Change the FROM to `%s` and rebuild.", want),
				     "`%s` is not the current version of this approved base image (the policy's "
				     "current is `%s`): older base images miss the security fixes that the current "
				     "one has.",
				     df->stages[s].resolved, want);
			break;
		}
	}
}

const struct sc_df_rule sc_df_rule_base_image_current = {
	.meta = &meta,
	.check_file = check_file,
};
