/* cmd_deps.c - `shipcheck deps [DIR]`: only the code dependency check (lockfiles of every
 * ecosystem, found recursively) against the vulnerability database. */
#include "cli.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const char help[] =
	"usage: shipcheck deps [OPTIONS] [DIR]\n\n"
	"Finds the lockfiles under DIR (default: .; node_modules, vendor, .git and the policy's ignored\n"
	"paths are skipped): package-lock.json, npm-shrinkwrap.json, yarn.lock, pnpm-lock.yaml,\n"
	"requirements*.txt, Pipfile.lock, poetry.lock, uv.lock, composer.lock, go.mod, Cargo.lock,\n"
	"Gemfile.lock; checks every pinned dependency against the vulnerability database (SC-DEP-001)\n"
	"and reports those that cannot be checked (SC-DEP-002). Production dependencies only, like\n"
	"`npm audit --omit=dev`, unless --include-dev.\n\n"
	"Options:\n"
	"      --include-dev      also check development dependencies\n"
	"      --db FILE          vulnerability database (default: $SHIPCHECK_DB, else the cache)\n"
	"  -c, --config FILE      policy file (default: DIR/.shipcheck.yml when present)\n"
	"      --fail-on SEV      fail on findings at or above SEV: critical, high, medium, low,\n"
	"                         unknown, none (default: the policy's, else high)\n"
	"      --service NAME     service name recorded in reports and alerts\n"
	"      --commit SHA       commit recorded in reports\n" SC_CLI_OUTPUT_HELP
	"  -h, --help             this help\n\n" SC_CLI_EXIT_HELP;

int cmd_deps(int argc, char **argv)
{
	static const struct option longopts[] = {
		{"help", no_argument, NULL, 'h'},
		SC_CLI_DEV_OPTION,
		SC_CLI_DB_OPTIONS,
		SC_CLI_GATE_OPTIONS,
		SC_CLI_OUTPUT_OPTIONS,
		{NULL, 0, NULL, 0},
	};
	struct sc_cli_scan cs;
	sc_cli_scan_init(&cs, "deps");
	int rc = sc_cli_parse(&cs, argc, argv, "c:h" SC_CLI_OUTPUT_SHORT, longopts, help, NULL, NULL);
	if (rc != SC_CLI_NOT_MINE)
		return rc;
	if (argc - optind > 1)
		return sc_cli_usage_error("deps", "expected at most one directory, got %d arguments", argc - optind);
	cs.so.repo_dir = optind < argc ? argv[optind] : ".";
	static const char *const only[] = {"deps", NULL};
	cs.so.only_checks = only;
	return sc_cli_run_scan("deps", &cs.so, &cs.outs);
}
