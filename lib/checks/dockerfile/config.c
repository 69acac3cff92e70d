/* config.c - the `dockerfile:` section of .shipcheck.yml: approved base images and registries,
 * allowlisted public images, current tags/digests, and the package-pinning direction with its
 * allowlist. Validated with FILE:LINE:COL errors; read again at run time. */
#include "rules.h"
#include "shipcheck/sc_policy.h"
#include "shipcheck/sc_yaml.h"

#include <stdlib.h>
#include <string.h>

static const char *str(struct sc_arena *a, const struct sc_ynode *n)
{
	size_t len;
	const char *s = sc_ynode_str(n, &len);
	return s && len ? sc_arena_strndup(a, s, len) : NULL;
}

static enum sc_status string_list(const struct sc_policy *p, const struct sc_yaml *y, const struct sc_ynode *n,
				  struct sc_arena *a, const char *what, const char ***out, size_t *nout,
				  struct sc_error *err)
{
	if (sc_ynode_type(n) != SC_Y_SEQ)
		return sc_policy_node_error(p, n, err, "`%s` must be a list of strings", what);
	size_t m = sc_ynode_len(y, n);
	*out = sc_arena_alloc(a, (m + 1) * sizeof(**out));
	for (size_t i = 0; i < m; i++) {
		const struct sc_ynode *it = sc_yseq_at(y, n, i);
		const char *s = sc_ynode_type(it) == SC_Y_SCALAR ? str(a, it) : NULL;
		if (!s)
			return sc_policy_node_error(p, it, err, "`%s` entries must be non-empty strings", what);
		(*out)[(*nout)++] = s;
	}
	return SC_OK;
}

static enum sc_status boolean(const struct sc_policy *p, const struct sc_ynode *n, const char *what, bool *out,
			      struct sc_error *err)
{
	const char *v = sc_ynode_type(n) == SC_Y_SCALAR ? sc_ynode_str(n, NULL) : NULL;
	if (v && !strcmp(v, "true"))
		*out = true;
	else if (v && !strcmp(v, "false"))
		*out = false;
	else
		return sc_policy_node_error(p, n, err, "`%s` must be true or false", what);
	return SC_OK;
}

/* A timeout in whole seconds, 1..600. */
static enum sc_status seconds(const struct sc_policy *p, const struct sc_ynode *n, const char *what, long *ms,
			      struct sc_error *err)
{
	const char *v = sc_ynode_type(n) == SC_Y_SCALAR ? sc_ynode_str(n, NULL) : NULL;
	char *end = NULL;
	long s = v ? strtol(v, &end, 10) : 0;
	if (!v || !*v || *end || s < 1 || s > 600)
		return sc_policy_node_error(p, n, err, "`%s` must be a number of seconds from 1 to 600", what);
	*ms = s * 1000;
	return SC_OK;
}

/* A list of {KEY: ..., reason: ...} entries. */
static enum sc_status allow_list(const struct sc_policy *p, const struct sc_yaml *y, const struct sc_ynode *n,
				 struct sc_arena *a, const char *what, const char *key, struct sc_df_allow **out,
				 size_t *nout, struct sc_error *err)
{
	if (sc_ynode_type(n) != SC_Y_SEQ)
		return sc_policy_node_error(p, n, err, "`%s` must be a list of {%s, reason} entries", what, key);
	size_t m = sc_ynode_len(y, n);
	*out = sc_arena_alloc(a, (m + 1) * sizeof(**out));
	for (size_t i = 0; i < m; i++) {
		const struct sc_ynode *it = sc_yseq_at(y, n, i);
		if (sc_ynode_type(it) != SC_Y_MAP)
			return sc_policy_node_error(p, it, err, "`%s` entries must be mappings with `%s` and `reason`",
						    what, key);
		struct sc_df_allow *al = &(*out)[*nout];
		for (size_t k = 0; k < sc_ynode_len(y, it); k++) {
			const struct sc_ynode *kn = sc_ymap_key(y, it, k), *vn = sc_ymap_value(y, it, k);
			const char *ks = sc_ynode_str(kn, NULL);
			const char *v = sc_ynode_type(vn) == SC_Y_SCALAR ? str(a, vn) : NULL;
			if (ks && !strcmp(ks, key))
				al->pattern = v;
			else if (ks && !strcmp(ks, "reason"))
				al->reason = v;
			else
				return sc_policy_node_error(p, kn, err, "unknown key `%s` in `%s` (expected %s, reason)",
							    ks ? ks : "?", what, key);
			if (!v)
				return sc_policy_node_error(p, vn, err, "`%s` must be a non-empty string", ks);
		}
		if (!al->pattern)
			return sc_policy_node_error(p, it, err, "`%s` entry has no `%s`", what, key);
		if (!al->reason)
			return sc_policy_node_error(p, it, err, "`%s` entry has no `reason`: say why it is accepted",
						    what);
		(*nout)++;
	}
	return SC_OK;
}

static enum sc_status current_list(const struct sc_policy *p, const struct sc_yaml *y, const struct sc_ynode *n,
				   struct sc_arena *a, struct sc_df_config *cfg, struct sc_error *err)
{
	if (sc_ynode_type(n) != SC_Y_SEQ)
		return sc_policy_node_error(p, n, err, "`base_images.current` must be a list of {image, tag, digest}");
	size_t m = sc_ynode_len(y, n);
	cfg->current = sc_arena_alloc(a, (m + 1) * sizeof(*cfg->current));
	for (size_t i = 0; i < m; i++) {
		const struct sc_ynode *it = sc_yseq_at(y, n, i);
		if (sc_ynode_type(it) != SC_Y_MAP)
			return sc_policy_node_error(p, it, err, "`current` entries must be mappings {image, tag, digest}");
		struct sc_df_current *c = &cfg->current[cfg->n_current];
		for (size_t k = 0; k < sc_ynode_len(y, it); k++) {
			const struct sc_ynode *kn = sc_ymap_key(y, it, k), *vn = sc_ymap_value(y, it, k);
			const char *ks = sc_ynode_str(kn, NULL);
			const char *v = sc_ynode_type(vn) == SC_Y_SCALAR ? str(a, vn) : NULL;
			if (!v)
				return sc_policy_node_error(p, vn, err, "`%s` must be a non-empty string", ks ? ks : "?");
			if (ks && !strcmp(ks, "image")) {
				struct sc_df_imgref ref;
				if (!sc_df_imgref_parse(a, v, &ref) || ref.tag || ref.digest)
					return sc_policy_node_error(p, vn, err,
								    "`image` must be a repository without tag or digest");
				c->image = ref.name;
			} else if (ks && !strcmp(ks, "tag")) {
				c->tag = v;
			} else if (ks && !strcmp(ks, "digest")) {
				if (strncmp(v, "sha256:", 7) || strlen(v) != 71)
					return sc_policy_node_error(p, vn, err, "`digest` must be sha256:<64 hex digits>");
				c->digest = v;
			} else {
				return sc_policy_node_error(p, kn, err,
							    "unknown key `%s` in `current` (expected image, tag, digest)",
							    ks ? ks : "?");
			}
		}
		if (!c->image || (!c->tag && !c->digest))
			return sc_policy_node_error(p, it, err, "a `current` entry needs `image` and a `tag` or `digest`");
		cfg->n_current++;
	}
	return SC_OK;
}

enum sc_status sc_df_config_read(const struct sc_policy *p, const struct sc_yaml *y,
				 const struct sc_ynode *section, struct sc_arena *a, struct sc_df_config *cfg,
				 struct sc_error *err)
{
	memset(cfg, 0, sizeof(*cfg));
	if (!section)
		return SC_OK;
	if (sc_ynode_type(section) != SC_Y_MAP)
		return sc_policy_node_error(p, section, err, "`dockerfile` must be a mapping");
	enum sc_status st = SC_OK;
	for (size_t i = 0; !st && i < sc_ynode_len(y, section); i++) {
		const struct sc_ynode *kn = sc_ymap_key(y, section, i), *vn = sc_ymap_value(y, section, i);
		const char *key = sc_ynode_str(kn, NULL);
		if (key && !strcmp(key, "base_images")) {
			if (sc_ynode_type(vn) != SC_Y_MAP) {
				st = sc_policy_node_error(p, vn, err, "`base_images` must be a mapping");
				break;
			}
			for (size_t k = 0; !st && k < sc_ynode_len(y, vn); k++) {
				const struct sc_ynode *k2 = sc_ymap_key(y, vn, k), *v2 = sc_ymap_value(y, vn, k);
				const char *s = sc_ynode_str(k2, NULL);
				if (s && !strcmp(s, "allowed"))
					st = string_list(p, y, v2, a, "base_images.allowed", &cfg->allowed, &cfg->n_allowed,
							 err);
				else if (s && !strcmp(s, "public"))
					st = allow_list(p, y, v2, a, "base_images.public", "image", &cfg->public_images,
							&cfg->n_public, err);
				else if (s && !strcmp(s, "current"))
					st = current_list(p, y, v2, a, cfg, err);
				else if (s && !strcmp(s, "check_registry"))
					st = boolean(p, v2, "base_images.check_registry", &cfg->check_registry, err);
				else if (s && !strcmp(s, "insecure_registries"))
					st = string_list(p, y, v2, a, "base_images.insecure_registries",
							 &cfg->insecure_registries, &cfg->n_insecure_registries, err);
				else if (s && !strcmp(s, "registry_timeout"))
					st = seconds(p, v2, "base_images.registry_timeout", &cfg->registry_timeout_ms, err);
				else
					st = sc_policy_node_error(p, k2, err,
								  "unknown key `base_images.%s` (expected allowed, "
								  "public, current, check_registry, insecure_registries, "
								  "registry_timeout)",
								  s ? s : "?");
			}
		} else if (key && !strcmp(key, "package_pinning")) {
			const char *v = sc_ynode_str(vn, NULL);
			if (v && !strcmp(v, "forbid"))
				cfg->pinning = SC_DF_PIN_FORBID;
			else if (v && !strcmp(v, "require"))
				cfg->pinning = SC_DF_PIN_REQUIRE;
			else if (v && !strcmp(v, "off"))
				cfg->pinning = SC_DF_PIN_OFF;
			else
				st = sc_policy_node_error(p, vn, err, "`package_pinning` must be forbid, require or off");
		} else if (key && !strcmp(key, "pinned_packages")) {
			st = allow_list(p, y, vn, a, "pinned_packages", "package", &cfg->pinned, &cfg->n_pinned, err);
		} else {
			st = sc_policy_node_error(p, kn, err,
						  "unknown key `dockerfile.%s` (expected base_images, package_pinning, "
						  "pinned_packages)",
						  key ? key : "?");
		}
	}
	return st;
}
