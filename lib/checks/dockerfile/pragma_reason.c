/* pragma_reason.c - SC-DF-006: an inline `# shipcheck ignore=RULE reason="..."` needs a reason
 * and must name known rules. */
#include "rules.h"

#include <string.h>

static const char *const equivalents[] = {NULL};

static const struct sc_rule meta = {
	.id = "SC-DF-006",
	.name = "inline-ignore-reason",
	.check = "dockerfile",
	.severity = SC_SEV_MEDIUM,
	.title = "Inline ignore without a reason or with an unknown rule",
	.equivalents = equivalents,
};

static void check_file(struct sc_df_ctx *ctx)
{
	const struct sc_dockerfile *df = ctx->df;
	if (!df)
		return;
	struct sc_arena *a = ctx->scan->result->arena;
	for (size_t i = 0; i < df->n_pragmas; i++) {
		const struct sc_df_pragma *pr = df->pragmas[i];
		struct sc_strbuf key;
		sc_strbuf_init(&key, 4096);
		const char *unknown = NULL;
		for (size_t k = 0; k < pr->n_rules; k++) {
			(void)sc_strbuf_printf(&key, "%s%s", k ? "," : "", pr->rules[k]);
			if (!unknown && !sc_rule_find(pr->rules[k]))
				unknown = pr->rules[k];
		}
		struct sc_finding *f = NULL;
		if (!pr->reason)
			f = sc_df_report(ctx, &meta, NULL, sc_strbuf_str(&key),
					 "Add the reason: `# shipcheck ignore=RULE reason=\"why this is accepted\"`, or "
					 "move the exception to .shipcheck.yml (with an `expires` date).",
					 "The inline ignore of %s has no reason, so it suppresses nothing: every "
					 "exception must say why it is accepted.",
					 pr->n_rules ? sc_strbuf_str(&key) : "(no rule)");
		else if (unknown || !pr->n_rules)
			f = sc_df_report(ctx, &meta, NULL, sc_strbuf_str(&key),
					 "Name a rule id (SC-DF-002), rule name or peer id (DL3008); see `shipcheck "
					 "explain --list`.",
					 "The inline ignore names `%s`, which is not a known rule, so it suppresses nothing.",
					 unknown ? unknown : "");
		if (f) {
			f->loc.line = pr->line;
			f->loc.col = pr->col;
			f->snippet_redacted = sc_arena_strdup(a, sc_strbuf_str(&key));
		}
		sc_strbuf_free(&key);
	}
}

const struct sc_df_rule sc_df_rule_pragma_reason = {
	.meta = &meta,
	.check_file = check_file,
};
