/* rules.c - the rule registry: every rule of every check, found by id, name or peer id. */
#include "shipcheck/sc_finding.h"
#include "shipcheck/sc_scan.h"

#include <string.h>
#include <strings.h>

static size_t check_rules(const struct sc_check *c)
{
	if (c->rules)
		return c->n_rules;
	return c->rule_count ? c->rule_count() : 0;
}

static const struct sc_rule *check_rule(const struct sc_check *c, size_t i)
{
	return c->rules ? c->rules[i] : c->rule_at(i);
}

size_t sc_rule_count(void)
{
	size_t n = 0;
	for (size_t i = 0; i < sc_check_count(); i++)
		n += check_rules(sc_check_at(i));
	return n;
}

const struct sc_rule *sc_rule_at(size_t i)
{
	for (size_t k = 0; k < sc_check_count(); k++) {
		const struct sc_check *c = sc_check_at(k);
		size_t n = check_rules(c);
		if (i < n)
			return check_rule(c, i);
		i -= n;
	}
	return NULL;
}

const struct sc_rule *sc_rule_find(const char *key)
{
	size_t n = sc_rule_count();
	for (size_t i = 0; i < n; i++) {
		const struct sc_rule *r = sc_rule_at(i);
		if (!strcasecmp(r->id, key) || (r->name && !strcmp(r->name, key)))
			return r;
	}
	for (size_t i = 0; i < n; i++) {
		const struct sc_rule *r = sc_rule_at(i);
		for (size_t k = 0; r->equivalents && r->equivalents[k]; k++)
			if (!strcasecmp(r->equivalents[k], key))
				return r;
	}
	return NULL;
}
