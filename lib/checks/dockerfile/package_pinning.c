/* package_pinning.c - SC-DF-005: OS packages pinned to versions (apt-get install foo=1.2, apk add
 * foo=1.2, yum/dnf install foo-1.2, zypper in foo=1.2). The direction is a policy choice:
 * `package_pinning: forbid` (default: rebuilds must pick up security fixes), `require` (hadolint's
 * DL3008 family) or `off`; `pinned_packages` allowlists packages with a reason. */
#include "rules.h"

#include <fnmatch.h>
#include <string.h>

static const char *const equivalents[] = {"DL3008", "DL3018", "DL3033", "DL3037", "DL3041", NULL};

static const struct sc_rule meta = {
	.id = "SC-DF-005",
	.name = "os-package-pinning",
	.check = "dockerfile",
	.severity = SC_SEV_MEDIUM,
	.title = "OS package pinned to a version (or unpinned, under `package_pinning: require`)",
	.equivalents = equivalents,
};

static bool allowlisted(const struct sc_df_config *cfg, const char *name)
{
	for (size_t i = 0; i < cfg->n_pinned; i++)
		if (!fnmatch(cfg->pinned[i].pattern, name, 0))
			return true;
	return false;
}

static void check_file(struct sc_df_ctx *ctx)
{
	const struct sc_dockerfile *df = ctx->df;
	if (!df || ctx->cfg->pinning == SC_DF_PIN_OFF)
		return;
	bool forbid = ctx->cfg->pinning == SC_DF_PIN_FORBID;
	struct sc_arena *a = ctx->scan->result->arena;
	SC_DF_FOREACH(df, in) {
		if (in->kind != SC_DF_RUN)
			continue;
		struct sc_strbuf list;
		sc_strbuf_init(&list, 4096);
		const char *manager = NULL;
		size_t n = 0;
		for (size_t k = 0; k < in->sh.n; k++) {
			struct sc_df_pmcmd pc;
			if (!sc_df_pm_parse(a, &in->sh.cmds[k], &pc) || !sc_df_is_install(&pc))
				continue;
			for (size_t i = 0; i < pc.n_pkgs; i++) {
				const char *name;
				const char *pkg = pc.pkgs[i];
				if (strstr(pkg, ".deb") || strstr(pkg, ".rpm") || strchr(pkg, '/'))
					continue;
				bool pinned = sc_df_pkg_pinned(a, pc.pm, pkg, &name);
				if (pinned != forbid || allowlisted(ctx->cfg, name))
					continue;
				(void)sc_strbuf_printf(&list, "%s%s", n ? ", " : "", pkg);
				n++;
				manager = pc.manager;
			}
		}
		if (n && forbid)
			sc_df_report(ctx, &meta, in, sc_strbuf_str(&list),
				     "Remove the version pins (install `name`, not `name=version`) so every rebuild "
				     "gets the distribution's security fixes; if a package truly must stay at one "
				     "version, list it under dockerfile.pinned_packages in .shipcheck.yml with the "
				     "reason.",
				     "%s installs packages pinned to versions: %s. A pinned version never receives "
				     "security fixes, and once the distribution drops it the build breaks.",
				     manager, sc_strbuf_str(&list));
		else if (n)
			sc_df_report(ctx, &meta, in, sc_strbuf_str(&list),
				     "Pin each package (`name=version` for apt/apk/zypper, `name-version` for "
				     "yum/dnf), or allowlist it under dockerfile.pinned_packages.",
				     "%s installs packages without a version (policy `package_pinning: require`): "
				     "%s.",
				     manager, sc_strbuf_str(&list));
		sc_strbuf_free(&list);
	}
}

const struct sc_df_rule sc_df_rule_package_pinning = {
	.meta = &meta,
	.check_file = check_file,
};
