/* cmd_check.c - `shipcheck check [DIR]`: every check on a repository (and an image with --image). */
#include "cli.h"
#include "shipcheck/sc_notify.h"
#include "shipcheck/sc_secrets.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const char help[] =
	"usage: shipcheck check [OPTIONS] [DIR]\n\n"
	"Runs every enabled check on the service repository DIR (default: .): Dockerfile best\n"
	"practices, secrets, code dependencies; with --image also the built image.\n\n"
	"Options:\n"
	"      --image PATH       also scan the built image (docker save tar, OCI layout)\n"
	"  -c, --config FILE      policy file (default: DIR/.shipcheck.yml when present)\n"
	"      --fail-on SEV      fail on findings at or above SEV: critical, high, medium, low,\n"
	"                         unknown, none (default: the policy's, else high)\n"
	"      --only CHECK       run only this check (repeatable); the report then lists the\n"
	"                         repository's packages only when one of them reads them (deps)\n"
	"      --db FILE          vulnerability database (default: $SHIPCHECK_DB, else the cache)\n"
	"      --no-db            run without a vulnerability database\n"
	"      --include-dev      also check development dependencies\n"
	"      --all-files        secrets: also files git ignores (not part of the repository)\n"
	"      --service NAME     service name recorded in reports and alerts\n"
	"      --commit SHA       commit recorded in reports (default: $GIT_COMMIT, $GITHUB_SHA,\n"
	"                         $CI_COMMIT_SHA)\n" SC_CLI_OUTPUT_HELP
	SC_CLI_APT_HELP
	"  -h, --help             this help\n\n" SC_CLI_EXIT_HELP;

static int check_option(void *ud, struct sc_cli_scan *c, int opt, const char *arg)
{
	struct sc_secrets_options *sec = ud;
	if (opt == 0x202) {
		sec->all_files = true;
		c->so.secrets = sec;
		return 0;
	}
	if (opt != 0x201)
		return SC_CLI_NOT_MINE;
	c->so.image_path = arg;
	return 0;
}

int cmd_check(int argc, char **argv)
{
	static const struct option longopts[] = {
		{"image", required_argument, NULL, 0x201},
		{"all-files", no_argument, NULL, 0x202},
		{"help", no_argument, NULL, 'h'},
		SC_CLI_APT_OPTIONS,
		SC_CLI_GATE_OPTIONS,
		SC_CLI_ONLY_OPTION,
		SC_CLI_DB_OPTIONS,
		SC_CLI_DEV_OPTION,
		SC_CLI_OUTPUT_OPTIONS,
		{NULL, 0, NULL, 0},
	};
	struct sc_cli_scan cs;
	sc_cli_scan_init(&cs, "check");
	struct sc_secrets_options sec = {0};
	int rc = sc_cli_parse(&cs, argc, argv, "c:h" SC_CLI_OUTPUT_SHORT, longopts, help, check_option, &sec);
	if (rc != SC_CLI_NOT_MINE)
		return rc;
	if (argc - optind > 1)
		return sc_cli_usage_error("check", "expected at most one directory, got %d arguments", argc - optind);
	cs.so.repo_dir = optind < argc ? argv[optind] : ".";
	if ((rc = sc_cli_apt_finish(&cs.apt, &cs.so, "check")))
		return rc;
	return sc_cli_run_scan("check", &cs.so, &cs.outs);
}

int sc_cli_run_scan(const char *cmd, struct sc_scan_options *so, struct sc_cli_outputs *outs)
{
	(void)cmd;
	if (!sc_cli_outputs_validate(outs))
		return SC_EXIT_USAGE;
	so->quiet = outs->quiet;
	struct sc_result *r = NULL;
	struct sc_error err = {0};
	enum sc_status st = sc_scan_run(so, &r, &err);
	if (st != SC_OK) {
		int rc = sc_cli_error(&err, st);
		sc_error_clear(&err);
		return rc;
	}
	int rc = sc_cli_write_reports(outs, r);
	if (outs->notify_url) {
		/* after the reports are written; a failed notification never changes the verdict */
		if (sc_notify_send(outs->notify_url, r, &err) != SC_OK) {
			char buf[2048];
			sc_error_format(&err, buf, sizeof(buf));
			fprintf(stderr, "shipcheck: warning: notification not sent: %s\n", buf);
		}
		sc_error_clear(&err);
	}
	if (rc == SC_EXIT_PASS)
		rc = sc_cli_verdict(r);
	sc_result_free(r);
	return rc;
}
