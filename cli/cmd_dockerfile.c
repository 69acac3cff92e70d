/* cmd_dockerfile.c - `shipcheck dockerfile [FILE...]`: the Dockerfile rules on the given files, or on
 * every Dockerfile found under the current directory. */
#include "cli.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

static const char help[] =
	"usage: shipcheck dockerfile [OPTIONS] [FILE...]\n\n"
	"Lints Dockerfiles: the given FILEs, or every Dockerfile (Dockerfile, *.Dockerfile,\n"
	"Dockerfile.*, Containerfile) found under the current directory. Each file's build context is\n"
	"its directory (for the .dockerignore rule).\n\n"
	"Options:\n"
	"  -c, --config FILE      policy file (default: ./.shipcheck.yml when present)\n"
	"      --fail-on SEV      fail on findings at or above SEV: critical, high, medium, low,\n"
	"                         unknown, none (default: the policy's, else high)\n"
	"      --service NAME     service name recorded in reports and alerts\n"
	"      --commit SHA       commit recorded in reports\n" SC_CLI_OUTPUT_HELP
	"  -h, --help             this help\n\n" SC_CLI_EXIT_HELP;

int cmd_dockerfile(int argc, char **argv)
{
	static const struct option longopts[] = {
		{"help", no_argument, NULL, 'h'},
		SC_CLI_GATE_OPTIONS,
		SC_CLI_OUTPUT_OPTIONS,
		{NULL, 0, NULL, 0},
	};
	struct sc_cli_scan cs;
	sc_cli_scan_init(&cs, "dockerfile");
	int rc = sc_cli_parse(&cs, argc, argv, "c:h" SC_CLI_OUTPUT_SHORT, longopts, help, NULL, NULL);
	if (rc != SC_CLI_NOT_MINE)
		return rc;
	static const char *const only[] = {"dockerfile", NULL};
	cs.so.only_checks = only;
	cs.so.skip_inventory = true;
	if (optind < argc) {
		cs.so.files = (const char *const *)(argv + optind); /* argv is NULL-terminated */
		if (!cs.so.config_path && access(".shipcheck.yml", F_OK) == 0)
			cs.so.config_path = ".shipcheck.yml";
	} else {
		cs.so.repo_dir = ".";
	}
	return sc_cli_run_scan("dockerfile", &cs.so, &cs.outs);
}
