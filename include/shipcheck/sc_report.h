/* sc_report.h - reporters: formatters of a finished sc_result (lib/report/reporters.def). */
#ifndef SHIPCHECK_SC_REPORT_H
#define SHIPCHECK_SC_REPORT_H

#include "sc_core.h"
#include "sc_finding.h"

#ifdef __cplusplus
extern "C" {
#endif

struct sc_report_options {
	bool color;          /* ANSI colours (text) */
	bool quiet;          /* text: summary and failures only */
	bool show_suppressed; /* text: list suppressed findings too */
	const char *runbook; /* printed with every failure */
	size_t sarif_max_results; /* 0 = 25,000 (GitHub code scanning limit) */
	const char *docs_base_uri; /* helpUri prefix */
};

struct sc_reporter {
	const char *name; /* "text", "json", "sarif", "junit", ... */
	const char *description;
	enum sc_status (*write)(const struct sc_result *r, const struct sc_report_options *o, FILE *out,
				struct sc_error *err);
};

size_t sc_reporter_count(void);
const struct sc_reporter *sc_reporter_at(size_t i);
const struct sc_reporter *sc_reporter_find(const char *name);

/* The documentation page of a rule (embedded at build time), or NULL. */
const char *sc_rule_doc(const char *id);
/* XML escaping (text and attributes). */
void sc_xml_put_escaped(FILE *out, const char *s);

#ifdef __cplusplus
}
#endif
#endif
