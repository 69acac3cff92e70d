/* secret_arg_env.c - SC-DF-007: ARG or ENV whose name says it carries a secret (password, token,
 * API key, private key...). Build arguments and ENV values stay in the image history and config. */
#include "rules.h"

#include <string.h>

static const char *const equivalents[] = {"CIS-DI-0010", NULL};

static const struct sc_rule meta = {
	.id = "SC-DF-007",
	.name = "secret-in-arg-env",
	.check = "dockerfile",
	.severity = SC_SEV_HIGH,
	.title = "Secret passed through ARG or ENV",
	.equivalents = equivalents,
};

static const char *redact(struct sc_arena *a, const char *v)
{
	if (!v || !*v)
		return "(empty)";
	if (v[0] == '$')
		return v;
	return sc_arena_printf(a, "%.2s****", v);
}

static void check_file(struct sc_df_ctx *ctx)
{
	const struct sc_dockerfile *df = ctx->df;
	if (!df)
		return;
	struct sc_arena *a = ctx->scan->result->arena;
	SC_DF_FOREACH(df, in) {
		if (in->kind != SC_DF_ARG && in->kind != SC_DF_ENV)
			continue;
		for (size_t k = 0; k < in->n_kvs; k++) {
			const struct sc_df_kv *kv = &in->kvs[k];
			if (!sc_df_secret_name(kv->key))
				continue;
			if (in->kind == SC_DF_ENV && (!kv->value || !*kv->value))
				continue;
			struct sc_finding *f = sc_df_report(
				ctx, &meta, in, sc_arena_printf(a, "%s %s", sc_df_kind_name(in->kind), kv->key),
				"Pass secrets with BuildKit secret mounts (`RUN --mount=type=secret,id=NAME ...`, "
				"`docker build --secret id=NAME,src=FILE`) and give them to the running container "
				"from the orchestrator's secret store, never through ARG or ENV.",
				"%s %s looks like a secret. %s", sc_df_kind_name(in->kind), kv->key,
				in->kind == SC_DF_ARG
					? "Build arguments are recorded in the image history (`docker history`) of "
					  "every layer built with them."
					: "ENV values are stored in the image config: anyone who can pull the image "
					  "can read them.");
			if (kv->value)
				f->snippet_redacted = sc_arena_printf(a, "%s=%s", kv->key, redact(a, kv->value));
		}
	}
}

const struct sc_df_rule sc_df_rule_secret_arg_env = {
	.meta = &meta,
	.check_file = check_file,
};
