/* rules.h - the interface of Dockerfile rules (one file per rule, listed in rules.def). */
#ifndef SC_DF_RULES_H
#define SC_DF_RULES_H

#include "shipcheck/sc_finding.h"
#include "shipcheck/sc_scan.h"

/* What a rule sees for one Dockerfile of a repository. */
struct sc_df_ctx {
	struct sc_scan_ctx *scan;
	const char *path;    /* the Dockerfile, relative to the repository root */
	const char *context; /* its build context directory ("" = repository root) */
	const char *data;
	size_t len;
};

struct sc_df_rule {
	const struct sc_rule *meta;
	/* Called once per Dockerfile. Adds findings with sc_result_add_finding(ctx->scan->result, ...). */
	void (*check_file)(struct sc_df_ctx *ctx);
};

#define SC_DF_RULE(n) extern const struct sc_df_rule sc_df_rule_##n;
#include "rules.def"
#undef SC_DF_RULE

#endif
