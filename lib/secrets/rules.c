/* rules.c - the built-in secret rules: the rows of rules.def as a const table, their sc_rule
 * descriptions (for SARIF, JUnit, explain and the policy) and the detect-secrets type names. */
#include "shipcheck/sc_secrets.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

#define SR_GENERIC SC_SR_GENERIC
#define SR_MULTI SC_SR_MULTI
#define SR_ICASE SC_SR_ICASE
#define SR_IDENT SC_SR_IDENT
#define SR_NOFILTER SC_SR_NOFILTER
#define SR_KWCASE SC_SR_KWCASE
#define SR_ANCHOR SC_SR_ANCHOR
#define SR_RANDOM SC_SR_RANDOM
#define SR_BASE64 SC_SR_BASE64
#define SR_CONTEXT SC_SR_CONTEXT
#define SR_LOCAL SC_SR_LOCAL
#define SR_CHECKSUM SC_SR_CHECKSUM

/* SC_SECRET is SC_SECRET_FILE without paths. */
#define SC_SECRET(slug, family, sev, fl, ent, ttl, kw, pat, pos, neg)                                   \
	SC_SECRET_FILE(slug, family, sev, fl, ent, ttl, NULL, kw, pat, pos, neg)

static const struct sc_rule metas[] = {
#define SC_SECRET_FILE(slug, family, sev, fl, ent, ttl, pth, kw, pat, pos, neg)                         \
	{.id = "SC-SEC-" #slug, .name = "secret-" #slug, .check = "secrets", .severity = SC_SEV_##sev,   \
	 .title = ttl, .doc = "SC-SEC-" #family, .off_by_default = ((fl) & SR_IDENT) != 0},
#include "rules.def"
#undef SC_SECRET_FILE
};

enum { COUNTER_BASE = __COUNTER__ + 1 };

static const struct sc_secret_rule table[] = {
#define SC_SECRET_FILE(sl, fam, sev, fl, ent, ttl, pth, kw, pat, pos, neg)                              \
	{.slug = #sl, .family = #fam, .severity = SC_SEV_##sev, .flags = fl, .entropy = ent, .title = ttl, \
	 .keywords = kw, .paths = pth, .pattern = pat, .positive = pos, .negative = neg,                 \
	 .meta = &metas[__COUNTER__ - COUNTER_BASE]},
#include "rules.def"
#undef SC_SECRET_FILE
};
#undef SC_SECRET

#define N_RULES (sizeof(table) / sizeof(table[0]))

size_t sc_secrets_rule_count(void)
{
	return N_RULES;
}

const struct sc_secret_rule *sc_secrets_rule_at(size_t i)
{
	return i < N_RULES ? &table[i] : NULL;
}

const struct sc_secret_rule *sc_secrets_rule_find(const char *key)
{
	for (size_t i = 0; i < N_RULES; i++) {
		const struct sc_secret_rule *r = sc_secrets_rule_at(i);
		if (!strcasecmp(r->meta->id, key) || !strcmp(r->slug, key) || !strcmp(r->meta->name, key))
			return r;
	}
	return NULL;
}

bool sc_secrets_rule_path_ok(const struct sc_secret_rule *r, const char *path)
{
	if (!r->paths)
		return true;
	if (!path)
		return false;
	char glob[256];
	for (const char *g = r->paths; *g;) {
		const char *c = strchr(g, ',');
		size_t n = c ? (size_t)(c - g) : strlen(g);
		/* in any directory: svc/config/master.key matches config/master.key */
		if (snprintf(glob, sizeof(glob), "**/%.*s", (int)n, g) < (int)sizeof(glob) && sc_glob_match(glob, path))
			return true;
		g += n + (c ? 1 : 0);
	}
	return false;
}

/* detect-secrets plugin names, so a baseline written by either tool reads the same. */
static const struct {
	const char *prefix;
	const char *type;
} ds_types[] = {
	{"aws-", "AWS Access Key"},
	{"azure-storage", "Azure Storage Account access key"},
	{"artifactory-", "Artifactory Credentials"},
	{"jfrog-", "Artifactory Credentials"},
	{"url-credentials", "Basic Auth Credentials"},
	{"cloudant-", "Cloudant Credentials"},
	{"discord-bot", "Discord Bot Token"},
	{"github-", "GitHub Token"},
	{"gitlab-", "GitLab Token"},
	{"hex-high-entropy", "Hex High Entropy String"},
	{"base64-high-entropy", "Base64 High Entropy String"},
	{"ibm-cloud-iam", "IBM Cloud IAM Key"},
	{"ibm-cos-hmac", "IBM COS HMAC Credentials"},
	{"jwt", "JSON Web Token"},
	{"keyword-secret", "Secret Keyword"},
	{"mailchimp-", "Mailchimp Access Key"},
	{"npm", "NPM tokens"},
	{"openai-", "OpenAI Token"},
	{"private-key", "Private Key"},
	{"pgp-private-key", "Private Key"},
	{"pypi-", "PyPI upload token"},
	{"sendgrid-", "SendGrid API Key"},
	{"slack-", "Slack Token"},
	{"softlayer-", "SoftLayer Credentials"},
	{"square-oauth", "Square OAuth Secret"},
	{"stripe-", "Stripe Access Key"},
	{"telegram-", "Telegram Bot Token"},
	{"twilio-", "Twilio API Key"},
};

const char *sc_secrets_ds_type(const struct sc_secret_rule *r)
{
	for (size_t i = 0; i < sizeof(ds_types) / sizeof(ds_types[0]); i++)
		if (!strncmp(r->slug, ds_types[i].prefix, strlen(ds_types[i].prefix)))
			return ds_types[i].type;
	return r->title;
}
