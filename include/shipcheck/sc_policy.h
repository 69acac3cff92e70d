/* sc_policy.h - the .shipcheck.yml policy: fail threshold, checks, ignores/allowlists, check config. */
#ifndef SHIPCHECK_SC_POLICY_H
#define SHIPCHECK_SC_POLICY_H

#include "sc_core.h"
#include "sc_finding.h"

#ifdef __cplusplus
extern "C" {
#endif

struct sc_policy;
struct sc_yaml;
struct sc_ynode;

/* One `ignore:` entry. All given matchers must match; at least one matcher and a reason required. */
struct sc_ignore {
	const char *rule;     /* rule id, rule name or a peer id (DL3008) */
	const char *advisory; /* advisory id or alias */
	const char *package;  /* "name" or "name@version" */
	const char *path;     /* glob over the finding's path */
	const char *image;    /* glob over the image reference/path */
	int layer;            /* 0 = any */
	const char *reason;
	const char *expires;  /* YYYY-MM-DD or NULL */
	int64_t expires_days; /* parsed, -1 = never */
	unsigned line;        /* where it is in the file */
	unsigned col;
	size_t matched;       /* how many findings it suppressed in this run */
};

/* Loads a policy file; unknown keys and bad values are SC_EINPUT with FILE:LINE:COL. */
enum sc_status sc_policy_load(const char *path, struct sc_policy **out, struct sc_error *err);
/* Parses a policy from memory (path is used in messages). */
enum sc_status sc_policy_parse(const char *path, const char *data, size_t len, struct sc_policy **out,
			       struct sc_error *err);
/* An empty policy (defaults). */
struct sc_policy *sc_policy_new_default(void);
void sc_policy_free(struct sc_policy *p);

const char *sc_policy_path(const struct sc_policy *p); /* NULL for the default policy */
const char *sc_policy_service(const struct sc_policy *p);
const char *sc_policy_runbook(const struct sc_policy *p);
bool sc_policy_fail_on(const struct sc_policy *p, enum sc_severity *sev, bool *none);
/* Is a check enabled (checks.enable / checks.disable)? */
bool sc_policy_check_enabled(const struct sc_policy *p, const char *check);
/* Is a rule enabled (rules.disable / rules.enable for off-by-default rules)? */
bool sc_policy_rule_enabled(const struct sc_policy *p, const struct sc_rule *rule);
/* Does the policy disable rule by name (`rules: disable:`)? */
bool sc_policy_rule_disabled(const struct sc_policy *p, const struct sc_rule *rule);
/* The YAML document of the policy (NULL for the default policy) and the mapping of a check's own
 * section (e.g. `dockerfile:`), or NULL. Valid while p lives. */
const struct sc_yaml *sc_policy_yaml(const struct sc_policy *p);
const struct sc_ynode *sc_policy_section(const struct sc_policy *p, const char *name);
/* Records an error located at node (FILE:LINE:COL of the policy file). */
enum sc_status sc_policy_node_error(const struct sc_policy *p, const struct sc_ynode *node,
				    struct sc_error *err, const char *fmt, ...) SC_PRINTF(4, 5);

size_t sc_policy_ignore_count(const struct sc_policy *p);
const struct sc_ignore *sc_policy_ignore_at(const struct sc_policy *p, size_t i);

/* Applies ignores to r: marks suppressed findings with the reason; expired entries stop
 * suppressing and add a finding saying so; entries that matched nothing add a LOW "stale" finding.
 * image_ref is the scanned image (for `image:` matchers), may be NULL. */
void sc_policy_apply(struct sc_policy *p, struct sc_result *r, const char *image_ref);

/* Rules of the policy check itself (stale/expired entries). */
extern const struct sc_check sc_check_policy;

#ifdef __cplusplus
}
#endif
#endif
