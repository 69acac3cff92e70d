/* cli.h - shared helpers of the shipcheck command-line front end (no scanning logic here). */
#ifndef SC_CLI_H
#define SC_CLI_H

#include "shipcheck/sc_finding.h"
#include "shipcheck/sc_report.h"
#include "shipcheck/sc_scan.h"

#include <getopt.h>

/* Exit codes (README, --help). */
enum {
	SC_EXIT_PASS = 0,
	SC_EXIT_FAIL = 1,
	SC_EXIT_USAGE = 2,
	SC_EXIT_INTERNAL = 3,
};

struct sc_cli_command {
	const char *name;
	const char *summary;
	int (*run)(int argc, char **argv);
};

/* One requested report: a format and where it goes (NULL/"-" = stdout). */
struct sc_cli_output {
	const struct sc_reporter *reporter;
	const char *path;
};

struct sc_cli_outputs {
	struct sc_cli_output items[16];
	size_t n;
	bool quiet;
	bool show_suppressed;
	const char *docs_url;
	const char *notify_url;
};

/* Handles --format/--output/-q/--show-suppressed/--docs-url/--notify; returns false when opt is
 * not one of them. Prints an error and sets *bad on misuse. */
bool sc_cli_output_option(struct sc_cli_outputs *o, int opt, const char *arg, bool *bad);
/* Checks the outputs before any work: output directories exist, no two formats on stdout. */
bool sc_cli_outputs_validate(struct sc_cli_outputs *o);
/* Writes every report (atomically for files). Returns an exit code: 0 ok, 2/3 on error. */
int sc_cli_write_reports(const struct sc_cli_outputs *o, const struct sc_result *r);
/* The exit code for a finished result: 1 when the policy fails the build. */
int sc_cli_verdict(const struct sc_result *r);

/* Prints "shipcheck: FILE:LINE:COL: message" and returns the exit code for the status. */
int sc_cli_error(const struct sc_error *err, enum sc_status st);
int sc_cli_usage_error(const char *cmd, const char *fmt, ...) SC_PRINTF(2, 3);

/* Every subcommand's entry point (commands.def). */
#define SC_COMMAND(n, s) int cmd_##n(int argc, char **argv);
#include "commands.def"
#undef SC_COMMAND

/* Runs a scan with the given options and writes the reports; returns the exit code. */
int sc_cli_run_scan(const char *cmd, struct sc_scan_options *so, struct sc_cli_outputs *outs);

/* --fail-on SEV: sets so->fail_on / fail_none; returns 0 or exit code 2 after a message. */
int sc_cli_fail_on(struct sc_scan_options *so, const char *arg, const char *cmd);
/* --only CHECK (repeatable): collects into only[] (NULL-terminated, at most 31) and points
 * so->only_checks at it; returns 0 or exit code 2 after a message. */
struct sc_cli_only {
	const char *names[32];
	size_t n;
};
int sc_cli_only(struct sc_cli_only *o, struct sc_scan_options *so, const char *arg, const char *cmd);

/* Options every scanning command shares; each command lists the groups it takes in its option
 * table, and sc_cli_scan_option() handles them all (getopt only returns what the table has). */
#define SC_CLI_GATE_OPTIONS                                                                              \
	{"config", required_argument, NULL, 'c'}, {"fail-on", required_argument, NULL, 0x601},           \
	{"service", required_argument, NULL, 0x602}, {"commit", required_argument, NULL, 0x603}
#define SC_CLI_DB_OPTIONS {"db", required_argument, NULL, 0x604}, {"no-db", no_argument, NULL, 0x605}
#define SC_CLI_ONLY_OPTION {"only", required_argument, NULL, 0x606}
#define SC_CLI_DEV_OPTION {"include-dev", no_argument, NULL, 0x607}
#define SC_CLI_IMAGE_OPTIONS                                                                             \
	{"rootfs", required_argument, NULL, 0x611}, {"platform", required_argument, NULL, 0x612},         \
	{"cache-dir", required_argument, NULL, 0x613}, {"no-cache", no_argument, NULL, 0x614}
struct sc_cli_only;
/* Returns false when opt is none of the shared options; *rc = 2 after a message on misuse. */
bool sc_cli_scan_option(struct sc_scan_options *so, struct sc_cli_only *only, int opt, const char *arg,
			const char *cmd, int *rc);

/* Package-index sources of the `outdated` check, shared by image, check and outdated. */
struct sc_cli_apt {
	const char *sources[33];
	const char *keyrings[33];
	size_t nsrc, nkeys;
};
#define SC_CLI_APT_OPTIONS                                                                           \
	{"apt-lists", required_argument, NULL, 0x501}, {"apt-source", required_argument, NULL, 0x502}, \
	{"keyring", required_argument, NULL, 0x503}
#define SC_CLI_APT_HELP                                                                                \
	"      --apt-lists DIR    package indexes for the outdated check (like /var/lib/apt/lists)\n"    \
	"      --apt-source LINE  download \"deb URI SUITE COMPONENT...\" instead (repeatable)\n"        \
	"      --keyring FILE     keyring that must sign downloaded indexes (repeatable)\n"
/* Handles the options above; returns false when opt is not one of them; *rc = 2 on misuse. */
bool sc_cli_apt_option(struct sc_cli_apt *a, struct sc_scan_options *so, int opt, const char *arg,
		       const char *cmd, int *rc);
/* Checks and applies the collected sources/keyrings to so; returns 0 or an exit code. */
int sc_cli_apt_finish(struct sc_cli_apt *a, struct sc_scan_options *so, const char *cmd);

/* What a scanning command collects from its options: the scan options, --only, the outputs and
 * the apt sources. sc_cli_common_option() handles every shared option (output, scan, apt); the
 * command's own switch handles the rest. */
struct sc_cli_scan {
	const char *cmd;
	struct sc_scan_options so;
	struct sc_cli_only only;
	struct sc_cli_outputs outs;
	struct sc_cli_apt apt;
};
void sc_cli_scan_init(struct sc_cli_scan *c, const char *cmd);
/* Returns false when opt is not a shared option; *rc = 2 after a message on misuse. */
bool sc_cli_common_option(struct sc_cli_scan *c, int opt, const char *arg, int *rc);
/* A command's own options: returns SC_CLI_NOT_MINE when opt is not one of them, else 0 or an exit
 * code after a message. Asked before the shared options (sbom's -o is its own). */
#define SC_CLI_NOT_MINE (-1)
typedef int sc_cli_own_fn(void *ud, struct sc_cli_scan *c, int opt, const char *arg);
/* The getopt loop of a scanning command: own options (own may be NULL), then the shared ones,
 * -h/--help, and usage on anything else. Returns SC_CLI_NOT_MINE when the options are done (optind
 * at the operands), else the exit code to return. */
int sc_cli_parse(struct sc_cli_scan *c, int argc, char **argv, const char *shortopts,
		 const struct option *longopts, const char *help, sc_cli_own_fn *own, void *ud);
/* The one IMAGE operand of image/outdated (NOUN in the message), or none with --rootfs. */
int sc_cli_image_operand(struct sc_cli_scan *c, int argc, char **argv, const char *noun);

/* Output-related long options, to be appended to each command's option table. */
#define SC_CLI_OUTPUT_OPTIONS                                                                        \
	{"format", required_argument, NULL, 'f'}, {"output", required_argument, NULL, 'o'},          \
	{"quiet", no_argument, NULL, 'q'}, {"show-suppressed", no_argument, NULL, 0x101},            \
	{"docs-url", required_argument, NULL, 0x102}, {"notify", required_argument, NULL, 0x103}
#define SC_CLI_OUTPUT_SHORT "f:o:q"
#define SC_CLI_OUTPUT_HELP                                                                              \
	"  -f, --format FMT       text, json, sarif or junit (repeatable; default text)\n"                 \
	"  -o, --output FILE      write the preceding --format to FILE (atomically; default stdout)\n"     \
	"  -q, --quiet            text: only failing findings and the summary\n"                           \
	"      --show-suppressed  text: also list suppressed findings\n"                                   \
	"      --docs-url URL     base URL of the rule docs used in SARIF helpUri\n"                       \
	"      --notify URL       send one event per run: sensu+http://HOST:PORT/events or an\n"          \
	"                         http(s) JSON webhook (Slack-compatible)\n"

#define SC_CLI_EXIT_HELP                                                                         \
	"Exit codes: 0 passed, 1 findings at or above the fail threshold, 2 bad usage or bad input,\n" \
	"3 internal error.\n"

#endif
