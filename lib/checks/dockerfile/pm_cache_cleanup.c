/* pm_cache_cleanup.c - SC-DF-014: package-manager caches left in a layer of the final image
 * (apt lists, yum/dnf/zypper caches) after an install in the same RUN. */
#include "rules.h"

#include <string.h>

static const char *const equivalents[] = {"DL3009", "DL3032", "DL3036", "DL3040", "DS015", "DS019", "DS020",
					  "DKL-DI-0005", NULL};

static const struct sc_rule meta = {
	.id = "SC-DF-014",
	.name = "package-cache-not-cleaned",
	.check = "dockerfile",
	.severity = SC_SEV_LOW,
	.title = "Package manager cache not cleaned after install",
	.equivalents = equivalents,
};

static bool rm_of(const struct sc_df_instr *in, const char *prefix)
{
	for (size_t k = 0; k < in->sh.n; k++) {
		const struct sc_sh_cmd *c = &in->sh.cmds[k];
		size_t p0;
		if (strcmp(sc_sh_cmd_program(c, &p0), "rm"))
			continue;
		for (size_t i = p0 + 1; i < c->argc; i++)
			if (!strncmp(c->argv[i], prefix, strlen(prefix)))
				return true;
	}
	return false;
}

static bool clean_cmd(const struct sc_df_instr *in, enum sc_df_pm pm, struct sc_arena *a)
{
	for (size_t k = 0; k < in->sh.n; k++) {
		struct sc_df_pmcmd pc;
		if (!sc_df_pm_parse(a, &in->sh.cmds[k], &pc) || pc.pm != pm)
			continue;
		if (pm == SC_PM_ZYPPER && (!strcmp(pc.sub, "clean") || !strcmp(pc.sub, "cc")))
			return true;
		if (!strcmp(pc.sub, "clean") && pc.n_pkgs && !strcmp(pc.pkgs[0], "all"))
			return true;
	}
	return false;
}

/* `apt-get dist-clean` (apt 2.7+) removes the package lists too. */
static bool dist_clean(const struct sc_df_instr *in, struct sc_arena *a)
{
	for (size_t k = 0; k < in->sh.n; k++) {
		struct sc_df_pmcmd pc;
		if (sc_df_pm_parse(a, &in->sh.cmds[k], &pc) && (pc.pm == SC_PM_APT_GET || pc.pm == SC_PM_APT) &&
		    !strcmp(pc.sub, "dist-clean"))
			return true;
	}
	return false;
}

static bool cache_mount(const struct sc_df_instr *in, const char *a, const char *b)
{
	for (size_t k = 0; k < in->n_flags; k++)
		if (!strcmp(in->flags[k].name, "mount") && in->flags[k].value &&
		    strstr(in->flags[k].value, "type=cache") &&
		    (strstr(in->flags[k].value, a) || (b && strstr(in->flags[k].value, b))))
			return true;
	return false;
}

static void check_file(struct sc_df_ctx *ctx)
{
	const struct sc_dockerfile *df = ctx->df;
	if (!df)
		return;
	struct sc_arena *a = ctx->scan->result->arena;
	SC_DF_FOREACH(df, in) {
		if (in->kind != SC_DF_RUN || (!in->onbuild && !sc_df_stage_in_final(df, in->stage)))
			continue;
		for (size_t k = 0; k < in->sh.n; k++) {
			struct sc_df_pmcmd pc;
			if (!sc_df_pm_parse(a, &in->sh.cmds[k], &pc) || !sc_df_is_install(&pc))
				continue;
			const char *fix = NULL;
			if (pc.pm == SC_PM_APT_GET || pc.pm == SC_PM_APT) {
				if (!rm_of(in, "/var/lib/apt/lists") && !dist_clean(in, a) &&
				    !cache_mount(in, "/var/lib/apt", NULL))
					fix = "rm -rf /var/lib/apt/lists/*";
			} else if (pc.pm == SC_PM_YUM) {
				if (!clean_cmd(in, pc.pm, a) && !rm_of(in, "/var/cache/yum") &&
				    !cache_mount(in, "/var/cache/yum", NULL))
					fix = "yum clean all";
			} else if (pc.pm == SC_PM_DNF) {
				if (!clean_cmd(in, pc.pm, a) && !rm_of(in, "/var/cache/dnf") &&
				    !cache_mount(in, "/var/cache/dnf", NULL))
					fix = "dnf clean all";
			} else if (pc.pm == SC_PM_ZYPPER) {
				if (!clean_cmd(in, pc.pm, a) && !rm_of(in, "/var/cache/zypp") &&
				    !cache_mount(in, "/var/cache/zypp", NULL))
					fix = "zypper clean";
			}
			if (!fix)
				break;
			sc_df_report(ctx, &meta, in, pc.manager,
				     sc_arena_printf(a, "End the same RUN with `&& %s` (a later RUN cannot shrink "
							"this layer), or use a cache mount "
							"(`RUN --mount=type=cache,...`).",
						     fix),
				     "`%s %s` leaves the package manager's cache in this layer of the final image: "
				     "tens of megabytes of stale metadata shipped with every pull.",
				     pc.manager, pc.sub);
			break;
		}
	}
}

const struct sc_df_rule sc_df_rule_pm_cache_cleanup = {
	.meta = &meta,
	.check_file = check_file,
};
