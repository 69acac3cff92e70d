/* policy_impl.h - the policy's private state, shared by the parser and the applier. */
#ifndef SC_POLICY_IMPL_H
#define SC_POLICY_IMPL_H

#include "shipcheck/sc_policy.h"
#include "shipcheck/sc_scan.h"

struct sc_yaml;

struct sc_policy {
	struct sc_arena *arena;
	struct sc_yaml *doc;
	const char *path;
	const char *service;
	const char *runbook;
	bool fail_on_set;
	bool fail_none;
	enum sc_severity fail_on;
	struct sc_ptrvec checks_enable;  /* const char * */
	struct sc_ptrvec checks_disable; /* const char * */
	struct sc_ptrvec rules_enable;   /* const struct sc_rule * */
	struct sc_ptrvec rules_disable;  /* const struct sc_rule * */
	struct sc_ptrvec ignores;        /* struct sc_ignore * */
};

#endif
