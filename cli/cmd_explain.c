/* cmd_explain.c - `shipcheck explain RULE`: a rule's documentation, embedded in the binary. */
#include "cli.h"

#include <string.h>

static const char help[] =
	"usage: shipcheck explain RULE\n\n"
	"Prints the documentation of a rule: why it matters, a bad and a good example, how to fix it\n"
	"and how to allowlist it. RULE is a rule id (SC-DF-001), a rule name (dockerignore-git) or a\n"
	"peer tool's id (hadolint DL3008, Trivy DS002, dockle CIS-DI-0001).\n"
	"`shipcheck explain --list` lists every rule.\n\n" SC_CLI_EXIT_HELP;

int cmd_explain(int argc, char **argv)
{
	if (argc != 2)
		return sc_cli_usage_error("explain", "expected one rule id");
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
		fputs(help, stdout);
		return SC_EXIT_PASS;
	}
	if (!strcmp(argv[1], "--list")) {
		for (size_t i = 0; i < sc_rule_count(); i++) {
			const struct sc_rule *r = sc_rule_at(i);
			printf("%-14s %-9s %-12s %s\n", r->id, sc_severity_name(r->severity), r->check, r->title);
		}
		return SC_EXIT_PASS;
	}
	const struct sc_rule *r = sc_rule_find(argv[1]);
	if (!r) {
		fprintf(stderr, "shipcheck: explain: unknown rule `%s` (see `shipcheck explain --list`)\n", argv[1]);
		return SC_EXIT_USAGE;
	}
	printf("%s  %s\n", r->id, r->name ? r->name : "");
	printf("check: %s   default severity: %s%s\n", r->check, sc_severity_name(r->severity),
	       r->off_by_default ? "   (off by default)" : "");
	if (r->equivalents && r->equivalents[0]) {
		printf("equivalents:");
		for (size_t i = 0; r->equivalents[i]; i++)
			printf(" %s", r->equivalents[i]);
		putchar('\n');
	}
	putchar('\n');
	const char *doc = sc_rule_doc(r->doc ? r->doc : r->id);
	if (doc)
		fputs(doc, stdout);
	else
		printf("%s\n", r->title);
	return SC_EXIT_PASS;
}
