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
	int opt, rc;
	optind = 1;
	while ((opt = getopt_long(argc, argv, "o:h", longopts, NULL)) != -1) {
		if (opt == 'o') { /* the SBOM's file, not --output of the report formats */
			cs.outs.items[0].path = optarg;
			continue;
		}
		if (sc_cli_common_option(&cs, opt, optarg, &rc)) {
			if (rc)
				return rc;
			continue;
		}
		switch (opt) {
		case 'h': fputs(help, stdout); return SC_EXIT_PASS;
		default: fputs(help, stderr); return SC_EXIT_USAGE;
		}
	}
	int rest = argc - optind;
	if (cs.so.rootfs_dir ? rest != 0 : rest != 1)
		return sc_cli_usage_error("sbom", cs.so.rootfs_dir ? "--rootfs takes the directory; no TARGET expected"
								: "expected one TARGET (image or directory) or --rootfs DIR");
	if (!cs.so.rootfs_dir) {
		const char *t = argv[optind];
		struct stat sb;
		bool layout = false;
		if (stat(t, &sb) == 0 && S_ISDIR(sb.st_mode)) {
			char *idx = sc_path_join(t, "index.json");
			layout = access(idx, F_OK) == 0;
			free(idx);
			if (!layout)
				cs.so.repo_dir = t;
		}
		if (!cs.so.repo_dir)
			cs.so.image_path = t;
	}
	/* an inventory, not a verdict: only the policy bookkeeping runs */
	static const char *const none[] = {"policy", NULL};
	cs.so.only_checks = none;
	cs.so.no_db = true;
	cs.so.fail_none = true;
	cs.so.fail_on_set = true;
	return sc_cli_run_scan("sbom", &cs.so, &cs.outs);
}
