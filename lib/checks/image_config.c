/* image_config.c - the "image-config" check: rules on a built image's config (user, secrets in Env,
 * exposed SSH, missing HEALTHCHECK) and, with image_config_files.c, on its files. Runs only on image
 * targets; the image reader fills struct sc_image_config (sc_imageconfig.h). */
#include "checks/dockerfile/rules.h"
#include "image_config_impl.h"
#include "shipcheck/sc_imageconfig.h"
#include "shipcheck/sc_policy.h"

#include <string.h>

static const char *const eq_user[] = {"CIS-DI-0001", "DS002", NULL};
const struct sc_rule sc_img_rule_user = {
	.id = "SC-IMG-001", .name = "image-user-root", .check = "image-config", .severity = SC_SEV_HIGH,
	.title = "The image's configured user is root", .equivalents = eq_user,
};
static const char *const eq_env[] = {"CIS-DI-0010", NULL};
const struct sc_rule sc_img_rule_env_secret = {
	.id = "SC-IMG-002", .name = "image-env-secret", .check = "image-config", .severity = SC_SEV_HIGH,
	.title = "Secret in the image's environment", .equivalents = eq_env,
};
static const char *const eq_ssh[] = {"DS004", NULL};
const struct sc_rule sc_img_rule_ssh = {
	.id = "SC-IMG-003", .name = "image-expose-ssh", .check = "image-config", .severity = SC_SEV_MEDIUM,
	.title = "The image exposes SSH (22/tcp)", .equivalents = eq_ssh,
};
static const char *const eq_hc[] = {"CIS-DI-0006", "DS026", NULL};
const struct sc_rule sc_img_rule_healthcheck = {
	.id = "SC-IMG-004", .name = "image-no-healthcheck", .check = "image-config", .severity = SC_SEV_LOW,
	.title = "The image has no HEALTHCHECK", .equivalents = eq_hc, .off_by_default = true,
};

static const struct sc_rule *const img_rules[] = {
	&sc_img_rule_user, &sc_img_rule_env_secret, &sc_img_rule_ssh, &sc_img_rule_healthcheck,
	&sc_img_rule_setuid, &sc_img_rule_world_writable, &sc_img_rule_empty_password,
};

struct sc_finding *sc_img_report(struct sc_result *r, const struct sc_image_config *cfg, const struct sc_rule *rule,
				 const char *path, const char *key, const char *remediation, const char *fmt, ...)
{
	struct sc_finding *f = sc_result_add_finding(r, rule);
	f->loc.path = path ? sc_arena_strdup(r->arena, path) : NULL;
	va_list ap;
	va_start(ap, fmt);
	f->message = sc_arena_vprintf(r->arena, fmt, ap);
	va_end(ap);
	f->remediation = sc_arena_strdup(r->arena, remediation);
	/* Not keyed by the image's path or tag: those change with every build, and a
	 * suppression or baseline must survive a rebuild (`image:` matchers scope by image). */
	(void)cfg;
	sc_finding_set_fingerprint(f, path ? path : "image", key ? key : "");
	return f;
}

static bool root_user(const char *u)
{
	if (!u || !*u)
		return true;
	size_t n = strcspn(u, ":");
	return (n == 4 && !strncmp(u, "root", 4)) || (n == 1 && u[0] == '0');
}

static void config_rules(const struct sc_image_config *cfg, const struct sc_policy *p, struct sc_result *r)
{
	struct sc_arena *a = r->arena;
	if (sc_policy_rule_enabled(p, &sc_img_rule_user) && root_user(cfg->user))
		sc_img_report(r, cfg, &sc_img_rule_user, NULL, "user",
			      "Set a non-root user in the Dockerfile's final stage (`USER 10001`) and rebuild.",
			      "The image config's User is `%s`: containers run as root unless the orchestrator "
			      "overrides it. This is authoritative over the Dockerfile: the user may be inherited "
			      "from the base image.",
			      cfg->user && *cfg->user ? cfg->user : "(empty: root)");
	for (size_t i = 0; cfg->env && cfg->env[i]; i++) {
		const char *eq = strchr(cfg->env[i], '=');
		if (!eq || !eq[1] || !sc_policy_rule_enabled(p, &sc_img_rule_env_secret))
			continue;
		char *key = sc_arena_strndup(a, cfg->env[i], (size_t)(eq - cfg->env[i]));
		if (!sc_df_secret_name(key))
			continue;
		struct sc_finding *f = sc_img_report(
			r, cfg, &sc_img_rule_env_secret, NULL, key,
			"Remove the variable from the image (ENV or the base image) and give the secret to the "
			"container at run time from the orchestrator's secret store.",
			"The image's environment sets %s: anyone who can pull the image can read it with `docker "
			"inspect`.",
			key);
		f->snippet_redacted = sc_arena_printf(a, "%s=%.2s****", key, eq + 1);
	}
	for (size_t i = 0; cfg->exposed_ports && cfg->exposed_ports[i]; i++) {
		const char *pt = cfg->exposed_ports[i];
		if ((strcmp(pt, "22/tcp") && strcmp(pt, "22")) || !sc_policy_rule_enabled(p, &sc_img_rule_ssh))
			continue;
		sc_img_report(r, cfg, &sc_img_rule_ssh, NULL, "22/tcp",
			      "Remove the SSH server and the exposed port; debug with `docker exec` / `kubectl exec`.",
			      "The image exposes port 22/tcp: an SSH server in a container is another service with "
			      "credentials to attack, outside the orchestrator's access control.");
	}
	if (!cfg->has_healthcheck && sc_policy_rule_enabled(p, &sc_img_rule_healthcheck))
		sc_img_report(r, cfg, &sc_img_rule_healthcheck, NULL, "healthcheck",
			      "Add a HEALTHCHECK to the Dockerfile (or rely on the orchestrator's probes and keep "
			      "this rule off).",
			      "The image defines no HEALTHCHECK, so plain Docker cannot tell a hung service from a "
			      "healthy one.");
}

void sc_imageconfig_check(const struct sc_image_config *cfg, const struct sc_fs *fs,
			  const struct sc_policy *policy, struct sc_result *r)
{
	if (cfg)
		config_rules(cfg, policy, r);
	if (fs)
		sc_img_file_rules(cfg, fs, policy, r);
}

static size_t rule_count(void)
{
	return sizeof(img_rules) / sizeof(img_rules[0]);
}

static const struct sc_rule *rule_at(size_t i)
{
	return i < rule_count() ? img_rules[i] : NULL;
}

static enum sc_status run(struct sc_scan_ctx *ctx, struct sc_error *err)
{
	(void)err;
	sc_imageconfig_check(ctx->image_config, ctx->image_fs, ctx->policy, ctx->result);
	return SC_OK;
}

const struct sc_check sc_check_image_config = {
	.name = "image-config",
	.title = "Image configuration and files",
	.flags = SC_CHECK_IMAGE,
	.rule_count = rule_count,
	.rule_at = rule_at,
	.run = run,
};
