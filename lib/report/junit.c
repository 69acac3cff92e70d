/* junit.c - JUnit XML as Jenkins' JUnit plugin reads it: one <testsuite> per check, one
 * <testcase> per rule; a rule whose findings gate the build has one <failure> listing each finding. */
#include "report_impl.h"

#include <string.h>
#include <time.h>

struct suite {
	const char *check;
	size_t tests, failures, skipped;
};

static bool gates(const struct sc_result *r, const struct sc_finding *f)
{
	return !f->suppressed && !r->fail_none && f->severity >= r->fail_on;
}

static void put_finding(FILE *out, struct sc_arena *a, const struct sc_finding *f)
{
	fprintf(out, "[%s] ", sc_severity_name(f->severity));
	const char *where = sc_report_location(a, &f->loc);
	if (where) {
		sc_xml_put_escaped(out, where);
		fputs(": ", out);
	}
	if (f->pkg && f->pkg->name) {
		sc_xml_put_escaped(out, sc_arena_printf(a, "%s %s: ", f->pkg->name, f->pkg->version ? f->pkg->version : ""));
	}
	sc_xml_put_escaped(out, f->message ? f->message : f->title);
	if (f->remediation) {
		fputs("\nFix: ", out);
		sc_xml_put_escaped(out, f->remediation);
	}
	if (f->suppressed) {
		fputs("\nSuppressed: ", out);
		sc_xml_put_escaped(out, f->suppression_reason);
	}
	fputs("\n\n", out);
}

static bool ran(const struct sc_result *r, const char *check)
{
	for (size_t i = 0; i < r->checks_run.len; i++)
		if (!strcmp(r->checks_run.items[i], check))
			return true;
	return false;
}

static enum sc_status write_junit(const struct sc_result *r, const struct sc_report_options *o, FILE *out,
				  struct sc_error *err)
{
	struct sc_arena *a = sc_arena_new();
	size_t nrules = sc_rule_count();
	/* rules that have findings but are not in the registry cannot exist: findings point at rules */
	size_t total_tests = 0, total_fail = 0;
	for (size_t i = 0; i < nrules; i++) {
		const struct sc_rule *rule = sc_rule_at(i);
		if (!ran(r, rule->check))
			continue;
		total_tests++;
		for (size_t k = 0; k < r->findings.len; k++) {
			const struct sc_finding *f = r->findings.items[k];
			if (f->rule == rule && gates(r, f)) {
				total_fail++;
				break;
			}
		}
	}
	time_t now = time(NULL);
	struct tm tm;
	gmtime_r(&now, &tm);
	char ts[32];
	strftime(ts, sizeof(ts), "%Y-%m-%dT%H:%M:%S", &tm);
	fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n", out);
	fprintf(out, "<testsuites name=\"shipcheck\" tests=\"%zu\" failures=\"%zu\" errors=\"0\" time=\"0\">\n",
		total_tests, total_fail);
	for (size_t ci = 0; ci < r->checks_run.len; ci++) {
		const char *check = r->checks_run.items[ci];
		size_t tests = 0, fails = 0;
		for (size_t i = 0; i < nrules; i++) {
			const struct sc_rule *rule = sc_rule_at(i);
			if (strcmp(rule->check, check))
				continue;
			tests++;
			for (size_t k = 0; k < r->findings.len; k++) {
				const struct sc_finding *f = r->findings.items[k];
				if (f->rule == rule && gates(r, f)) {
					fails++;
					break;
				}
			}
		}
		fputs("  <testsuite name=\"", out);
		sc_xml_put_escaped(out, sc_arena_printf(a, "shipcheck.%s", check));
		fprintf(out, "\" tests=\"%zu\" failures=\"%zu\" errors=\"0\" skipped=\"0\" time=\"0\" timestamp=\"%s\"", tests, fails, ts);
		fputs(" hostname=\"localhost\">\n", out);
		for (size_t i = 0; i < nrules; i++) {
			const struct sc_rule *rule = sc_rule_at(i);
			if (strcmp(rule->check, check))
				continue;
			size_t nfail = 0, nother = 0;
			enum sc_severity worst = SC_SEV_UNKNOWN;
			for (size_t k = 0; k < r->findings.len; k++) {
				const struct sc_finding *f = r->findings.items[k];
				if (f->rule != rule)
					continue;
				if (gates(r, f)) {
					nfail++;
					if (f->severity > worst)
						worst = f->severity;
				} else {
					nother++;
				}
			}
			fputs("    <testcase classname=\"", out);
			sc_xml_put_escaped(out, sc_arena_printf(a, "shipcheck.%s", check));
			fputs("\" name=\"", out);
			sc_xml_put_escaped(out, sc_arena_printf(a, "%s %s", rule->id, rule->name ? rule->name : rule->title));
			fputs("\" time=\"0\"", out);
			if (!nfail && !nother) {
				fputs("/>\n", out);
				continue;
			}
			fputs(">\n", out);
			if (nfail) {
				fputs("      <failure type=\"", out);
				fputs(sc_severity_name(worst), out);
				fputs("\" message=\"", out);
				sc_xml_put_escaped(out, sc_arena_printf(a, "%zu finding%s: %s", nfail, nfail == 1 ? "" : "s", rule->title));
				fputs("\">", out);
				for (size_t k = 0; k < r->findings.len; k++) {
					const struct sc_finding *f = r->findings.items[k];
					if (f->rule == rule && gates(r, f))
						put_finding(out, a, f);
				}
				if (o->runbook) {
					fputs("How to fix, including allowlisting: ", out);
					sc_xml_put_escaped(out, o->runbook);
					fputc('\n', out);
				}
				fputs("</failure>\n", out);
			}
			if (nother) {
				fputs("      <system-out>", out);
				for (size_t k = 0; k < r->findings.len; k++) {
					const struct sc_finding *f = r->findings.items[k];
					if (f->rule == rule && !gates(r, f))
						put_finding(out, a, f);
				}
				fputs("</system-out>\n", out);
			}
			fputs("    </testcase>\n", out);
		}
		fputs("  </testsuite>\n", out);
	}
	fputs("</testsuites>\n", out);
	sc_arena_free(a);
	if (ferror(out))
		return sc_error_set(err, SC_EIO, NULL, 0, 0, "cannot write JUnit report");
	return SC_OK;
}

const struct sc_reporter sc_reporter_junit = {
	.name = "junit",
	.description = "JUnit XML for Jenkins and other CI test reporters",
	.write = write_junit,
};
