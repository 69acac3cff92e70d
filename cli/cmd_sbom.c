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
	struct sc_scan_options so;
	struct sc_cli_only onlyopt = {0};
	sc_scan_options_init(&so);
	struct sc_cli_outputs outs = {0};
	outs.items[0].reporter = sc_reporter_find("cyclonedx");
	outs.n = 1;
	int opt, rc;
	optind = 1;
	while ((opt = getopt_long(argc, argv, "o:h", longopts, NULL)) != -1) {
		if (sc_cli_scan_option(&so, &onlyopt, opt, optarg, "sbom", &rc)) {
			if (rc)
				return rc;
			continue;
		}
		switch (opt) {
		case 'o': outs.items[0].path = optarg; break;
		case 'h': fputs(help, stdout); return SC_EXIT_PASS;
		default: fputs(help, stderr); return SC_EXIT_USAGE;
		}
	}
	int rest = argc - optind;
	if (so.rootfs_dir ? rest != 0 : rest != 1)
		return sc_cli_usage_error("sbom", so.rootfs_dir ? "--rootfs takes the directory; no TARGET expected"
								: "expected one TARGET (image or directory) or --rootfs DIR");
	if (!so.rootfs_dir) {
		const char *t = argv[optind];
		struct stat sb;
		bool layout = false;
		if (stat(t, &sb) == 0 && S_ISDIR(sb.st_mode)) {
			char *idx = sc_path_join(t, "index.json");
			layout = access(idx, F_OK) == 0;
			free(idx);
			if (!layout)
				so.repo_dir = t;
		}
		if (!so.repo_dir)
			so.image_path = t;
	}
	/* an inventory, not a verdict: only the policy bookkeeping runs */
	static const char *const none[] = {"policy", NULL};
	so.only_checks = none;
	so.no_db = true;
	so.fail_none = true;
	so.fail_on_set = true;
	return sc_cli_run_scan("sbom", &so, &outs);
}
