/* policy.c - .shipcheck.yml: parsing and validation, with FILE:LINE:COL errors. */
#include "policy_impl.h"
#include "shipcheck/sc_yaml.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define Y p->doc

enum sc_status sc_policy_node_error(const struct sc_policy *p, const struct sc_ynode *node,
				    struct sc_error *err, const char *fmt, ...)
{
	unsigned line, col;
	sc_ynode_pos(node, &line, &col);
	va_list ap;
	va_start(ap, fmt);
	sc_error_setv(err, SC_EINPUT, p->path ? p->path : ".shipcheck.yml", line, col, fmt, ap);
	va_end(ap);
	return SC_EINPUT;
}

/* Scalar text of a node in the policy arena; NULL when not a scalar. */
static const char *scalar(struct sc_policy *p, const struct sc_ynode *n)
{
	size_t len;
	const char *s = sc_ynode_str(n, &len);
	return s ? sc_arena_strndup(p->arena, s, len) : NULL;
}

static enum sc_status want_scalar(struct sc_policy *p, const struct sc_ynode *n, const char *what,
				  const char **out, struct sc_error *err)
{
	*out = scalar(p, n);
	if (!*out || !**out)
		return sc_policy_node_error(p, n, err, "%s must be a non-empty string", what);
	return SC_OK;
}

/* A string or a list of strings; items and their nodes are appended. */
static enum sc_status string_list(struct sc_policy *p, const struct sc_ynode *n, const char *what,
				  struct sc_ptrvec *out, struct sc_ptrvec *nodes, struct sc_error *err)
{
	if (sc_ynode_type(n) == SC_Y_SCALAR) {
		const char *s;
		if (want_scalar(p, n, what, &s, err))
			return SC_EINPUT;
		sc_ptrvec_push(out, (void *)s);
		sc_ptrvec_push(nodes, (void *)n);
		return SC_OK;
	}
	if (sc_ynode_type(n) != SC_Y_SEQ)
		return sc_policy_node_error(p, n, err, "%s must be a list of strings", what);
	for (size_t i = 0; i < sc_ynode_len(Y, n); i++) {
		const struct sc_ynode *item = sc_yseq_at(Y, n, i);
		const char *s;
		if (want_scalar(p, item, what, &s, err))
			return SC_EINPUT;
		sc_ptrvec_push(out, (void *)s);
		sc_ptrvec_push(nodes, (void *)item);
	}
	return SC_OK;
}

static enum sc_status parse_checks(struct sc_policy *p, const struct sc_ynode *n, struct sc_error *err)
{
	if (sc_ynode_type(n) != SC_Y_MAP)
		return sc_policy_node_error(p, n, err, "`checks` must be a mapping with `enable`/`disable`");
	for (size_t i = 0; i < sc_ynode_len(Y, n); i++) {
		const struct sc_ynode *k = sc_ymap_key(Y, n, i), *v = sc_ymap_value(Y, n, i);
		const char *key = scalar(p, k);
		struct sc_ptrvec *dst;
		if (key && !strcmp(key, "enable"))
			dst = &p->checks_enable;
		else if (key && !strcmp(key, "disable"))
			dst = &p->checks_disable;
		else
			return sc_policy_node_error(p, k, err, "unknown key `checks.%s` (expected enable, disable)",
						    key ? key : "?");
		struct sc_ptrvec nodes = {0};
		size_t start = dst->len;
		enum sc_status st = string_list(p, v, "a check name", dst, &nodes, err);
		for (size_t j = start; st == SC_OK && j < dst->len; j++)
			if (!sc_check_find(dst->items[j]))
				st = sc_policy_node_error(p, nodes.items[j - start], err, "unknown check `%s`",
							  (const char *)dst->items[j]);
		sc_ptrvec_free(&nodes);
		if (st)
			return st;
	}
	return SC_OK;
}

static enum sc_status parse_rules(struct sc_policy *p, const struct sc_ynode *n, struct sc_error *err)
{
	if (sc_ynode_type(n) != SC_Y_MAP)
		return sc_policy_node_error(p, n, err, "`rules` must be a mapping with `enable`/`disable`");
	for (size_t i = 0; i < sc_ynode_len(Y, n); i++) {
		const struct sc_ynode *k = sc_ymap_key(Y, n, i), *v = sc_ymap_value(Y, n, i);
		const char *key = scalar(p, k);
		struct sc_ptrvec *dst;
		if (key && !strcmp(key, "enable"))
			dst = &p->rules_enable;
		else if (key && !strcmp(key, "disable"))
			dst = &p->rules_disable;
		else
			return sc_policy_node_error(p, k, err, "unknown key `rules.%s` (expected enable, disable)",
						    key ? key : "?");
		struct sc_ptrvec names = {0}, nodes = {0};
		enum sc_status st = string_list(p, v, "a rule id", &names, &nodes, err);
		for (size_t j = 0; st == SC_OK && j < names.len; j++) {
			const struct sc_rule *r = sc_rule_find(names.items[j]);
			if (!r)
				st = sc_policy_node_error(p, nodes.items[j], err, "unknown rule `%s`",
							  (const char *)names.items[j]);
			else
				sc_ptrvec_push(dst, (void *)r);
		}
		sc_ptrvec_free(&names);
		sc_ptrvec_free(&nodes);
		if (st)
			return st;
	}
	return SC_OK;
}

static enum sc_status parse_ignore_entry(struct sc_policy *p, const struct sc_ynode *n, struct sc_error *err)
{
	if (sc_ynode_type(n) != SC_Y_MAP)
		return sc_policy_node_error(p, n, err, "an `ignore` entry must be a mapping");
	struct sc_ignore *ig = sc_arena_alloc(p->arena, sizeof(*ig));
	ig->expires_days = -1;
	sc_ynode_pos(n, &ig->line, &ig->col);
	for (size_t i = 0; i < sc_ynode_len(Y, n); i++) {
		const struct sc_ynode *k = sc_ymap_key(Y, n, i), *v = sc_ymap_value(Y, n, i);
		const char *key = scalar(p, k);
		const char **dst = NULL;
		if (!key)
			return sc_policy_node_error(p, k, err, "keys must be strings");
		if (!strcmp(key, "rule"))
			dst = &ig->rule;
		else if (!strcmp(key, "advisory") || !strcmp(key, "id") || !strcmp(key, "cve"))
			dst = &ig->advisory;
		else if (!strcmp(key, "package"))
			dst = &ig->package;
		else if (!strcmp(key, "path"))
			dst = &ig->path;
		else if (!strcmp(key, "image"))
			dst = &ig->image;
		else if (!strcmp(key, "reason"))
			dst = &ig->reason;
		else if (!strcmp(key, "expires"))
			dst = &ig->expires;
		else if (!strcmp(key, "layer")) {
			const char *s = scalar(p, v);
			char *end = NULL;
			long l = s ? strtol(s, &end, 10) : 0;
			if (!s || *end || l < 1 || l > 100000)
				return sc_policy_node_error(p, v, err, "`layer` must be a layer number (1 = base)");
			ig->layer = (int)l;
			continue;
		} else
			return sc_policy_node_error(p, k, err,
						    "unknown key `%s` in ignore entry (expected rule, advisory, "
						    "package, path, image, layer, reason, expires)",
						    key);
		if (want_scalar(p, v, key, dst, err))
			return SC_EINPUT;
	}
	if (!ig->reason)
		return sc_policy_node_error(p, n, err, "ignore entry has no `reason`: say why this is accepted");
	if (!ig->rule && !ig->advisory && !ig->package && !ig->path && !ig->image && !ig->layer)
		return sc_policy_node_error(p, n, err,
					    "ignore entry matches nothing: give at least one of rule, "
					    "advisory, package, path, image, layer");
	if (ig->rule && !sc_rule_find(ig->rule))
		return sc_policy_node_error(p, sc_ymap_get(Y, n, "rule"), err, "unknown rule `%s`", ig->rule);
	if (ig->expires && !sc_date_parse(ig->expires, &ig->expires_days))
		return sc_policy_node_error(p, sc_ymap_get(Y, n, "expires"), err,
					    "`expires` must be a date YYYY-MM-DD, not `%s`", ig->expires);
	sc_ptrvec_push(&p->ignores, ig);
	return SC_OK;
}

static enum sc_status parse_root(struct sc_policy *p, const struct sc_ynode *root, struct sc_error *err)
{
	if (!root)
		return SC_OK; /* empty file */
	if (sc_ynode_type(root) == SC_Y_SCALAR && sc_ynode_plain(root) && !strcmp(sc_ynode_str(root, NULL), ""))
		return SC_OK;
	if (sc_ynode_type(root) != SC_Y_MAP)
		return sc_policy_node_error(p, root, err, "the policy must be a mapping of keys");
	for (size_t i = 0; i < sc_ynode_len(Y, root); i++) {
		const struct sc_ynode *k = sc_ymap_key(Y, root, i), *v = sc_ymap_value(Y, root, i);
		const char *key = scalar(p, k);
		if (!key)
			return sc_policy_node_error(p, k, err, "keys must be strings");
		enum sc_status st = SC_OK;
		if (!strcmp(key, "version")) {
			const char *s = scalar(p, v);
			if (!s || strcmp(s, "1"))
				st = sc_policy_node_error(p, v, err, "unsupported policy version (expected 1)");
		} else if (!strcmp(key, "service")) {
			st = want_scalar(p, v, "service", &p->service, err);
		} else if (!strcmp(key, "runbook")) {
			st = want_scalar(p, v, "runbook", &p->runbook, err);
		} else if (!strcmp(key, "fail_on") || !strcmp(key, "fail-on")) {
			const char *s = scalar(p, v);
			if (s && !strcasecmp(s, "none")) {
				p->fail_none = true;
				p->fail_on_set = true;
			} else if (s && sc_severity_parse(s, &p->fail_on)) {
				p->fail_on_set = true;
			} else {
				st = sc_policy_node_error(p, v, err,
							  "fail_on must be one of critical, high, medium, low, "
							  "unknown, none");
			}
		} else if (!strcmp(key, "checks")) {
			st = parse_checks(p, v, err);
		} else if (!strcmp(key, "rules")) {
			st = parse_rules(p, v, err);
		} else if (!strcmp(key, "ignore")) {
			if (sc_ynode_type(v) != SC_Y_SEQ)
				st = sc_policy_node_error(p, v, err, "`ignore` must be a list of entries");
			for (size_t j = 0; !st && j < sc_ynode_len(Y, v); j++)
				st = parse_ignore_entry(p, sc_yseq_at(Y, v, j), err);
		} else {
			const struct sc_check *c = sc_check_find(key);
			if (!c || !c->validate_config)
				st = sc_policy_node_error(
					p, k, err,
					"unknown key `%s` (expected version, service, runbook, fail_on, checks, "
					"rules, ignore, or a check's section)",
					key);
			else if (sc_ynode_type(v) != SC_Y_MAP)
				st = sc_policy_node_error(p, v, err, "`%s` must be a mapping", key);
			else
				st = c->validate_config(p, Y, v, err);
		}
		if (st != SC_OK)
			return st;
	}
	return SC_OK;
}

struct sc_policy *sc_policy_new_default(void)
{
	struct sc_policy *p = sc_xcalloc(1, sizeof(*p));
	p->arena = sc_arena_new();
	p->fail_on = SC_SEV_HIGH;
	return p;
}

enum sc_status sc_policy_parse(const char *path, const char *data, size_t len, struct sc_policy **out,
			       struct sc_error *err)
{
	*out = NULL;
	struct sc_policy *p = sc_policy_new_default();
	p->path = sc_arena_strdup(p->arena, path);
	enum sc_status st = sc_yaml_parse(path, data, len, 4u << 20, &p->doc, err);
	if (st == SC_OK)
		st = parse_root(p, sc_yaml_root(p->doc), err);
	if (st != SC_OK) {
		sc_policy_free(p);
		return st;
	}
	*out = p;
	return SC_OK;
}

enum sc_status sc_policy_load(const char *path, struct sc_policy **out, struct sc_error *err)
{
	char *data;
	size_t len;
	enum sc_status st = sc_read_file(path, 4u << 20, &data, &len, err);
	if (st != SC_OK) {
		*out = NULL;
		return st == SC_EIO ? SC_EINPUT : st;
	}
	st = sc_policy_parse(path, data, len, out, err);
	free(data);
	return st;
}

void sc_policy_free(struct sc_policy *p)
{
	if (!p)
		return;
	sc_yaml_free(p->doc);
	sc_ptrvec_free(&p->checks_enable);
	sc_ptrvec_free(&p->checks_disable);
	sc_ptrvec_free(&p->rules_enable);
	sc_ptrvec_free(&p->rules_disable);
	sc_ptrvec_free(&p->ignores);
	sc_arena_free(p->arena);
	free(p);
}

const char *sc_policy_path(const struct sc_policy *p) { return p->path; }
const char *sc_policy_service(const struct sc_policy *p) { return p->service; }
const char *sc_policy_runbook(const struct sc_policy *p) { return p->runbook; }
const struct sc_yaml *sc_policy_yaml(const struct sc_policy *p) { return p->doc; }

bool sc_policy_fail_on(const struct sc_policy *p, enum sc_severity *sev, bool *none)
{
	if (!p->fail_on_set)
		return false;
	*sev = p->fail_on;
	*none = p->fail_none;
	return true;
}

static bool in_list(const struct sc_ptrvec *v, const char *s)
{
	for (size_t i = 0; i < v->len; i++)
		if (!strcmp(v->items[i], s))
			return true;
	return false;
}

bool sc_policy_check_enabled(const struct sc_policy *p, const char *check)
{
	return !in_list(&p->checks_disable, check);
}

bool sc_policy_rule_disabled(const struct sc_policy *p, const struct sc_rule *rule)
{
	for (size_t i = 0; p && i < p->rules_disable.len; i++)
		if (p->rules_disable.items[i] == rule)
			return true;
	return false;
}

bool sc_policy_rule_enabled(const struct sc_policy *p, const struct sc_rule *rule)
{
	if (!p)
		return !rule->off_by_default;
	if (sc_policy_rule_disabled(p, rule))
		return false;
	if (rule->off_by_default) {
		for (size_t i = 0; i < p->rules_enable.len; i++)
			if (p->rules_enable.items[i] == rule)
				return true;
		return false;
	}
	return true;
}

const struct sc_ynode *sc_policy_section(const struct sc_policy *p, const char *name)
{
	if (!p->doc)
		return NULL;
	const struct sc_ynode *root = sc_yaml_root(p->doc);
	if (sc_ynode_type(root) != SC_Y_MAP)
		return NULL;
	return sc_ymap_get(p->doc, root, name);
}

size_t sc_policy_ignore_count(const struct sc_policy *p)
{
	return p->ignores.len;
}

const struct sc_ignore *sc_policy_ignore_at(const struct sc_policy *p, size_t i)
{
	return i < p->ignores.len ? p->ignores.items[i] : NULL;
}
