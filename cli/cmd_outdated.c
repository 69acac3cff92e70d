/* cmd_outdated.c - `shipcheck outdated [--rootfs DIR | IMAGE]`: only the outdated check (what
 * `apt-get dist-upgrade` would upgrade in the image), from apt lists or downloaded indexes. */
#include "cli.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const char help[] =
	"usage: shipcheck outdated [OPTIONS] IMAGE[:REF]\n"
	"       shipcheck outdated [OPTIONS] --rootfs DIR\n\n"
	"Lists the Debian/Ubuntu packages of an image (or root filesystem) that `apt-get dist-upgrade`\n"
	"would upgrade, without running the container: the image's dpkg status against the repository's\n"
	"package indexes, with apt's candidate rules (pins, holds, NotAutomatic suites). A security\n"
	"update is HIGH (SC-OUT-001), any other update LOW (SC-OUT-002), a held package MEDIUM\n"
	"(SC-OUT-003). With a vulnerability DB, each finding names the advisories the update fixes;\n"
	"a security update that fixes a CRITICAL one is CRITICAL.\n\n"
	"Index sources (one of):\n"
	"      --apt-lists DIR    a directory like /var/lib/apt/lists (Packages plain, .gz, .xz, .lz4,\n"
	"                         .zst, checked against their InRelease/Release hashes)\n"
	"      --apt-source LINE  download the suite \"deb URI SUITE COMPONENT...\" (repeatable)\n"
	"      (default)          download the suites of the image's own etc/apt/sources.list and\n"
	"                         sources.list.d/*.list, *.sources\n"
	"      --keyring FILE     OpenPGP keyring (or directory of *.gpg) that must have signed the\n"
	"                         downloaded InRelease/Release files (repeatable; default: the image's\n"
	"                         etc/apt/trusted.gpg.d and Signed-By keyrings)\n\n"
	"Options:\n"
	"      --rootfs DIR       a root filesystem directory instead of an image\n"
	"      --platform P       OS/ARCH[/VARIANT] to pick from a multi-platform index\n"
	"      --cache-dir DIR    layer cache (default $XDG_CACHE_HOME/shipcheck/layers)\n"
	"      --no-cache         neither read nor write the layer cache\n"
	"      --db FILE          vulnerability database: each update names the advisories it fixes\n"
	"                         (default: $SHIPCHECK_DB, else the cache; without one they are not named)\n"
	"      --no-db            do not name the advisories\n"
	"  -c, --config FILE      policy file (`outdated: {security: high, update: low, held: medium}`)\n"
	"      --fail-on SEV      fail on findings at or above SEV (critical, high, medium, low,\n"
	"                         unknown, none; default: the policy's, else high)\n"
	"      --service NAME     service name recorded in reports and alerts\n" SC_CLI_OUTPUT_HELP
	"  -h, --help             this help\n\n" SC_CLI_EXIT_HELP;

int cmd_outdated(int argc, char **argv)
{
	static const struct option longopts[] = {
		SC_CLI_APT_OPTIONS,
		{"help", no_argument, NULL, 'h'},
		SC_CLI_IMAGE_OPTIONS,
		SC_CLI_GATE_OPTIONS,
		SC_CLI_DB_OPTIONS,
		SC_CLI_OUTPUT_OPTIONS,
		{NULL, 0, NULL, 0},
	};
	struct sc_cli_scan cs;
	sc_cli_scan_init(&cs, "outdated");
	int rc = sc_cli_parse(&cs, argc, argv, "c:h" SC_CLI_OUTPUT_SHORT, longopts, help, NULL, NULL);
	if (rc != SC_CLI_NOT_MINE)
		return rc;
	if ((rc = sc_cli_image_operand(&cs, argc, argv, "IMAGE")) || (rc = sc_cli_apt_finish(&cs.apt, &cs.so, "outdated")))
		return rc;
	static const char *const only[] = {"outdated", NULL};
	cs.so.only_checks = only;
	return sc_cli_run_scan("outdated", &cs.so, &cs.outs);
}
