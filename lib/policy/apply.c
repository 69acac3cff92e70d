/* apply.c - applies the policy's ignore entries to a result: suppression with reason, expiry,
 * and stale-entry findings so the file cannot rot. */
#include "policy_impl.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const struct sc_rule rule_stale = {
	.id = "SC-POL-001",
	.name = "policy-stale-ignore",
	.check = "policy",
	.severity = SC_SEV_LOW,
	.title = "Ignore entry matches nothing",
};

static const struct sc_rule rule_expired = {
	.id = "SC-POL-002",
	.name = "policy-expired-ignore",
	.check = "policy",
	.severity = SC_SEV_LOW,
	.title = "Ignore entry has expired",
};

static const struct sc_rule *const policy_rules[] = {&rule_stale, &rule_expired};

static bool match_rule(const struct sc_ignore *ig, const struct sc_finding *f)
{
	if (!strcasecmp(ig->rule, f->rule->id) || (f->rule->name && !strcmp(ig->rule, f->rule->name)))
		return true;
	for (size_t i = 0; f->rule->equivalents && f->rule->equivalents[i]; i++)
		if (!strcasecmp(ig->rule, f->rule->equivalents[i]))
			return true;
	return false;
}

static bool match_advisory(const char *want, const struct sc_finding *f)
{
	for (size_t i = 0; i < f->n_advisories; i++) {
		const struct sc_advisory_ref *a = &f->advisories[i];
		if (a->id && !strcasecmp(a->id, want))
			return true;
		for (size_t k = 0; a->aliases && a->aliases[k]; k++)
			if (!strcasecmp(a->aliases[k], want))
				return true;
	}
	return false;
}

static bool match_package(const char *want, const struct sc_package *p)
{
	if (!p || !p->name)
		return false;
	/* name@version, where name may itself start with '@' (npm scopes). */
	const char *at = strrchr(want, '@');
	if (at && at != want) {
		size_t n = (size_t)(at - want);
		return strlen(p->name) == n && !strncmp(p->name, want, n) && p->version &&
		       !strcmp(p->version, at + 1);
	}
	return !strcmp(p->name, want);
}

static bool match_path(const char *glob, const char *path)
{
	if (!path)
		return false;
	if (sc_glob_match(glob, path))
		return true;
	/* A directory pattern covers everything below it. */
	size_t n = strlen(glob);
	while (n && glob[n - 1] == '/')
		n--;
	return !strncmp(glob, path, n) && path[n] == '/';
}

static bool entry_matches(const struct sc_ignore *ig, const struct sc_finding *f, const char *image_ref)
{
	if (f->rule == &rule_stale || f->rule == &rule_expired)
		return ig->rule && match_rule(ig, f) && (!ig->path || match_path(ig->path, f->loc.path));
	if (ig->rule && !match_rule(ig, f))
		return false;
	if (ig->advisory && !match_advisory(ig->advisory, f))
		return false;
	if (ig->package && !match_package(ig->package, f->pkg))
		return false;
	if (ig->path && !match_path(ig->path, f->loc.path))
		return false;
	if (ig->image && (!image_ref || !sc_glob_match(ig->image, image_ref)))
		return false;
	if (ig->layer && f->loc.layer != ig->layer)
		return false;
	return true;
}

static bool check_ran(const struct sc_result *r, const char *check)
{
	for (size_t i = 0; i < r->checks_run.len; i++)
		if (!strcmp(r->checks_run.items[i], check))
			return true;
	return false;
}

/* Could this entry have matched anything in this run? (Not stale when its check did not run.) */
static bool in_scope(const struct sc_ignore *ig, const struct sc_result *r)
{
	if (ig->rule) {
		const struct sc_rule *rule = sc_rule_find(ig->rule);
		return rule && check_ran(r, rule->check);
	}
	if (ig->advisory || ig->package)
		return check_ran(r, "deps") || check_ran(r, "vulns") || check_ran(r, "known-vulns") ||
		       check_ran(r, "outdated");
	if (ig->image || ig->layer)
		return !strcmp(r->target_kind ? r->target_kind : "", "image");
	return r->checks_run.len > 0;
}

/* The policy file's path as findings show it: relative to the scanned repository when inside it. */
static const char *display_path(const struct sc_policy *p, const struct sc_result *r)
{
	const char *path = p->path ? p->path : ".shipcheck.yml";
	const char *root = r->target_path;
	size_t n = root ? strlen(root) : 0;
	while (n > 1 && root[n - 1] == '/')
		n--;
	if (n && !strncmp(path, root, n) && path[n] == '/')
		return path + n + 1;
	if (!strncmp(path, "./", 2))
		return path + 2;
	return path;
}

void sc_policy_apply(struct sc_policy *p, struct sc_result *r, const char *image_ref)
{
	int64_t today = sc_date_today();
	const char *where = display_path(p, r);
	size_t nfind = r->findings.len; /* findings added below are not matched against */
	for (size_t k = 0; k < p->ignores.len; k++) {
		struct sc_ignore *ig = p->ignores.items[k];
		ig->matched = 0;
		bool expired = ig->expires_days >= 0 && today > ig->expires_days;
		size_t would = 0;
		for (size_t i = 0; i < nfind; i++) {
			struct sc_finding *f = r->findings.items[i];
			if (!entry_matches(ig, f, image_ref))
				continue;
			would++;
			if (expired || f->suppressed)
				continue;
			/* copies: the policy dies before the result */
			f->suppressed = true;
			f->suppression_reason = sc_arena_strdup(r->arena, ig->reason);
			f->suppression_source = sc_arena_printf(r->arena, "%s:%u", where, ig->line);
			f->suppression_expires = sc_arena_strdup(r->arena, ig->expires);
			ig->matched++;
		}
		if (expired) {
			struct sc_finding *f = sc_result_add_finding(r, &rule_expired);
			f->loc.path = sc_arena_strdup(r->arena, where);
			f->loc.line = ig->line;
			f->loc.col = ig->col;
			f->message = sc_arena_printf(
				r->arena,
				"The ignore entry at %s:%u expired on %s and no longer suppresses anything%s "
				"(reason given: \"%s\").",
				where, ig->line, ig->expires,
				would ? sc_arena_printf(r->arena, "; %zu finding(s) it covered are reported again", would)
				      : "",
				ig->reason);
			f->remediation = sc_arena_strdup(
				r->arena, "Fix the findings it covered, or review the exception and set a new "
					  "`expires` date with a current reason.");
			sc_finding_set_fingerprint(f, where, sc_arena_printf(r->arena, "%s|%s|%s|%s|%s", ig->rule ? ig->rule : "",
								   ig->advisory ? ig->advisory : "", ig->package ? ig->package : "",
								   ig->path ? ig->path : "", ig->expires));
		} else if (!ig->matched && in_scope(ig, r)) {
			struct sc_finding *f = sc_result_add_finding(r, &rule_stale);
			f->loc.path = sc_arena_strdup(r->arena, where);
			f->loc.line = ig->line;
			f->loc.col = ig->col;
			f->message = sc_arena_printf(r->arena,
						     "The ignore entry at %s:%u matched no finding in this run, so "
						     "it suppresses nothing (reason given: \"%s\").",
						     where, ig->line, ig->reason);
			f->remediation = sc_arena_strdup(
				r->arena, "Delete the entry if the problem it covered is gone, or correct its "
					  "rule/advisory/package/path so it matches.");
			sc_finding_set_fingerprint(f, where, sc_arena_printf(r->arena, "%s|%s|%s|%s", ig->rule ? ig->rule : "",
								   ig->advisory ? ig->advisory : "", ig->package ? ig->package : "",
								   ig->path ? ig->path : ""));
		}
	}
	/* Policy findings can themselves be ignored by rule (e.g. a deliberately broad entry). */
	for (size_t i = nfind; i < r->findings.len; i++) {
		struct sc_finding *f = r->findings.items[i];
		for (size_t k = 0; k < p->ignores.len; k++) {
			struct sc_ignore *ig = p->ignores.items[k];
			if (ig->rule && entry_matches(ig, f, image_ref)) {
				f->suppressed = true;
				f->suppression_reason = sc_arena_strdup(r->arena, ig->reason);
				f->suppression_source = sc_arena_printf(r->arena, "%s:%u", where, ig->line);
				break;
			}
		}
	}
}

static enum sc_status run(struct sc_scan_ctx *ctx, struct sc_error *err)
{
	(void)ctx;
	(void)err;
	return SC_OK; /* applied by the pipeline after every other check: see sc_policy_apply() */
}

const struct sc_check sc_check_policy = {
	.name = "policy",
	.title = "Policy file hygiene",
	.flags = SC_CHECK_REPO | SC_CHECK_IMAGE,
	.rules = policy_rules,
	.n_rules = sizeof(policy_rules) / sizeof(policy_rules[0]),
	.run = run,
};
