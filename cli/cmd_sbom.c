/* cmd_sbom.c - `shipcheck sbom TARGET`: the inventory of an image, a root filesystem or a
 * repository as a CycloneDX 1.5 JSON SBOM (no checks run). */
#include "cli.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char help[] =
	"usage: shipcheck sbom [OPTIONS] TARGET\n"
	"       shipcheck sbom [OPTIONS] --rootfs DIR\n\n"
	"Writes the inventory of TARGET as CycloneDX 1.5 JSON: every package with its purl and\n"
	"version, the layer it came from and the OS. TARGET is an image (docker save tar, OCI layout\n"
	"directory or tar, PATH:REF) or a repository directory (its lockfiles and installed packages).\n\n"
	"Options:\n"
	"      --rootfs DIR       a root filesystem directory\n"
	"      --platform P       OS/ARCH[/VARIANT] of a multi-platform image (default linux/amd64)\n"
	"      --cache-dir DIR    layer cache (default $XDG_CACHE_HOME/shipcheck/layers)\n"
	"      --no-cache         neither read nor write the layer cache\n"
	"  -o, --output FILE      write to FILE (atomically; default stdout)\n"
	"  -h, --help             this help\n\n" SC_CLI_EXIT_HELP;

/* -o is the SBOM's file, not --output of the report formats */
static int sbom_option(void *ud, struct sc_cli_scan *c, int opt, const char *arg)
{
	(void)ud;
	if (opt != 'o')
		return SC_CLI_NOT_MINE;
	c->outs.items[0].path = arg;
	return 0;
}

int cmd_sbom(int argc, char **argv)
{
	static const struct option longopts[] = {
		{"output", required_argument, NULL, 'o'},
		{"help", no_argument, NULL, 'h'},
		SC_CLI_IMAGE_OPTIONS,
		{NULL, 0, NULL, 0},
	};
	struct sc_cli_scan cs;
	sc_cli_scan_init(&cs, "sbom");
	cs.outs.items[0].reporter = sc_reporter_find("cyclonedx");
	cs.outs.n = 1;
	int rc = sc_cli_parse(&cs, argc, argv, "o:h", longopts, help, sbom_option, NULL);
	if (rc != SC_CLI_NOT_MINE)
		return rc;
	if ((rc = sc_cli_image_operand(&cs, argc, argv, "TARGET (image or directory)")))
		return rc;
	const char *t = cs.so.image_path;
	struct stat sb;
	if (t && stat(t, &sb) == 0 && S_ISDIR(sb.st_mode)) { /* a directory that is not an OCI layout */
		char *idx = sc_path_join(t, "index.json");
		if (access(idx, F_OK) != 0) {
			cs.so.repo_dir = t;
			cs.so.image_path = NULL;
		}
		free(idx);
	}
	/* an inventory, not a verdict: only the policy bookkeeping runs */
	static const char *const none[] = {"policy", NULL};
	cs.so.only_checks = none;
	cs.so.no_db = true;
	cs.so.fail_none = true;
	cs.so.fail_on_set = true;
	return sc_cli_run_scan("sbom", &cs.so, &cs.outs);
}
