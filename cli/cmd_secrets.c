/* cmd_secrets.c - `shipcheck secrets scan|baseline|history [DIR]`: the secrets check alone, with
 * the detect-secrets baseline, only new code (--staged, --since) or the whole git history. */
#include "cli.h"
#include "shipcheck/sc_secrets.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const char help[] =
	"usage: shipcheck secrets scan [OPTIONS] [DIR]\n"
	"       shipcheck secrets baseline [OPTIONS] [DIR]\n"
	"       shipcheck secrets history [OPTIONS] [DIR]\n\n"
	"Finds credentials (cloud keys, tokens, private keys, passwords, connection strings...) in the\n"
	"repository DIR (default: .). Secrets accepted in the baseline (.secrets.baseline, detect-secrets'\n"
	"format) and lines marked `pragma: allowlist secret` or `shipcheck:allow reason=\"...\"` are not\n"
	"reported; a baseline entry with is_secret: true still is.\n\n"
	"  scan       report secrets not in the baseline\n"
	"  baseline   write DIR/.secrets.baseline with every current secret (keeps audit flags)\n"
	"  history    scan every blob of the git history once; report the commit that added each secret\n\n"
	"Options:\n"
	"  -b, --baseline FILE    baseline file (default: DIR/.secrets.baseline when present)\n"
	"      --no-baseline      ignore any baseline\n"
	"      --update-baseline  scan: add newly found secrets to the baseline, drop vanished ones\n"
	"      --staged           scan: only lines added in the index against HEAD (pre-commit)\n"
	"      --since REV        scan: only lines added since the merge base of HEAD and REV (CI)\n"
	"      --all-files        also files git ignores (in a work tree, ignored untracked files are\n"
	"                         not part of the repository: build output, dependencies, a local .env)\n"
	"      --audit            a review, not the build's gate: also report identifiers (account ids,\n"
	"                         bucket URLs, OAuth client ids, public keys) and placeholders in a\n"
	"                         credential's format (AKIAXXXXXXXXXXXXXXXX, a documented example key), LOW\n"
	"      --threads N        worker threads (default 2)\n"
	"  -c, --config FILE      policy file (default: DIR/.shipcheck.yml when present)\n"
	"      --fail-on SEV      fail on findings at or above SEV (default: the policy's, else high)\n" SC_CLI_OUTPUT_HELP
	"  -h, --help             this help\n\n" SC_CLI_EXIT_HELP;

static int secrets_option(void *ud, struct sc_cli_scan *c, int opt, const char *arg)
{
	(void)c;
	struct sc_secrets_options *sec = ud;
	switch (opt) {
	case 'b': sec->baseline_path = arg; return 0;
	case 0x301: sec->no_baseline = true; return 0;
	case 0x302: sec->update_baseline = true; return 0;
	case 0x303: sec->staged = true; return 0;
	case 0x304: sec->since = arg; return 0;
	case 0x306: sec->all_files = true; return 0;
	case 0x307: sec->audit = true; return 0;
	case 0x305: {
		char *end = NULL;
		long n = strtol(arg, &end, 10);
		if (!end || *end || n < 1 || n > 16)
			return sc_cli_usage_error("secrets", "--threads: expected 1..16, got `%s`", arg);
		sec->threads = (unsigned)n;
		return 0;
	}
	}
	return SC_CLI_NOT_MINE;
}

int cmd_secrets(int argc, char **argv)
{
	static const struct option longopts[] = {
		{"baseline", required_argument, NULL, 'b'},
		{"no-baseline", no_argument, NULL, 0x301},
		{"update-baseline", no_argument, NULL, 0x302},
		{"staged", no_argument, NULL, 0x303},
		{"since", required_argument, NULL, 0x304},
		{"threads", required_argument, NULL, 0x305},
		{"all-files", no_argument, NULL, 0x306},
		{"audit", no_argument, NULL, 0x307},
		{"help", no_argument, NULL, 'h'},
		SC_CLI_GATE_OPTIONS,
		SC_CLI_OUTPUT_OPTIONS,
		{NULL, 0, NULL, 0},
	};
	if (argc < 2 || !strcmp(argv[1], "-h") || !strcmp(argv[1], "--help")) {
		fputs(help, argc < 2 ? stderr : stdout);
		return argc < 2 ? SC_EXIT_USAGE : SC_EXIT_PASS;
	}
	const char *sub = argv[1];
	if (strcmp(sub, "scan") && strcmp(sub, "baseline") && strcmp(sub, "history"))
		return sc_cli_usage_error("secrets", "unknown subcommand `%s` (scan, baseline or history)", sub);
	argc--;
	argv++;
	struct sc_cli_scan cs;
	sc_cli_scan_init(&cs, "secrets");
	struct sc_secrets_options sec = {0};
	int rc = sc_cli_parse(&cs, argc, argv, "b:c:h" SC_CLI_OUTPUT_SHORT, longopts, help, secrets_option, &sec);
	if (rc != SC_CLI_NOT_MINE)
		return rc;
	if (argc - optind > 1)
		return sc_cli_usage_error("secrets", "expected at most one directory, got %d arguments", argc - optind);
	if (sec.staged && sec.since)
		return sc_cli_usage_error("secrets", "--staged and --since cannot be combined");
	if (strcmp(sub, "scan") && (sec.staged || sec.since || sec.update_baseline))
		return sc_cli_usage_error("secrets", "--staged, --since and --update-baseline apply to `secrets scan`");
	if (sec.no_baseline && sec.update_baseline)
		return sc_cli_usage_error("secrets", "--no-baseline and --update-baseline cannot be combined");
	/* an audit reviews what the gate leaves out; the baseline is the gate's */
	if (sec.audit && (sec.update_baseline || !strcmp(sub, "baseline")))
		return sc_cli_usage_error("secrets", "--audit only reports: it does not write the baseline (the gate's, "
						     "which does not hold placeholders or identifiers)");
	cs.so.repo_dir = optind < argc ? argv[optind] : ".";
	static const char *const only[] = {"secrets", NULL};
	cs.so.only_checks = only;
	cs.so.skip_inventory = true;
	cs.so.secrets = &sec;
	if (!strcmp(sub, "history"))
		sec.history = true;
	if (!strcmp(sub, "baseline")) {
		sec.write_baseline = true;
		struct sc_result *r = NULL;
		struct sc_error err = {0};
		enum sc_status st = sc_scan_run(&cs.so, &r, &err);
		if (st != SC_OK) {
			rc = sc_cli_error(&err, st);
			sc_error_clear(&err);
			return rc;
		}
		char *path = sec.baseline_path ? sc_xstrdup(sec.baseline_path) : sc_path_join(cs.so.repo_dir, ".secrets.baseline");
		printf("shipcheck: wrote %s: %zu secret%s (review them: set \"is_secret\": true on real ones)\n", path,
		       sec.baseline_written, sec.baseline_written == 1 ? "" : "s");
		free(path);
		sc_result_free(r);
		return SC_EXIT_PASS;
	}
	return sc_cli_run_scan("secrets", &cs.so, &cs.outs);
}
