/* cmd_image.c - `shipcheck image PATH`: the image checks on a docker-archive tar, an OCI layout
 * (directory or tar, PATH:REF) or a root filesystem (--rootfs DIR), without a container engine. */
#include "cli.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const char help[] =
	"usage: shipcheck image [OPTIONS] PATH[:REF]\n"
	"       shipcheck image [OPTIONS] --rootfs DIR\n\n"
	"Scans a built image without a Docker engine: its OS packages (dpkg, apk, rpm) and installed\n"
	"language packages, matched against the vulnerability database. PATH is a `docker save`\n"
	"archive (.tar, .tar.gz), an OCI image layout directory or an OCI archive tar; a layout holding\n"
	"several images is addressed as PATH:REF (its org.opencontainers.image.ref.name).\n"
	"Layers are streamed, never extracted; digests are verified.\n\n"
	"Options:\n"
	"      --rootfs DIR       scan a root filesystem directory instead of an image\n"
	"      --platform P       OS/ARCH[/VARIANT] to pick from a multi-platform index\n"
	"                         (default linux/amd64)\n"
	"      --base-image PATH  the base image (its layers are a prefix of this image's): findings\n"
	"                         are split into base image and your Dockerfile\n"
	"      --ignore-unfixed   hide advisories without a fixed version\n"
	"      --cache-dir DIR    layer cache (default $XDG_CACHE_HOME/shipcheck/layers)\n"
	"      --no-cache         neither read nor write the layer cache\n"
	"      --max-image-bytes N  limit on uncompressed layer bytes (default 16 GiB)\n"
	"      --max-files N      limit on entries in the image (default 2000000)\n"
	"  -c, --config FILE      policy file\n"
	"      --fail-on SEV      fail on findings at or above SEV (critical, high, medium, low,\n"
	"                         unknown, none; default: the policy's, else high)\n"
	"      --only CHECK       run only this check (repeatable)\n"
	"      --db FILE          vulnerability database (default: $SHIPCHECK_DB, else the cache)\n"
	"      --no-db            run without a vulnerability database\n"
	"      --service NAME     service name recorded in reports and alerts\n" SC_CLI_OUTPUT_HELP
	SC_CLI_APT_HELP
	"  -h, --help             this help\n\n"
	"`--format json` includes the package list (`packages`).\n\n" SC_CLI_EXIT_HELP;

static bool parse_count(const char *s, uint64_t *out)
{
	char *end = NULL;
	unsigned long long v = strtoull(s, &end, 10);
	if (!*s || end == s)
		return false;
	if (*end == 'K' || *end == 'k')
		v <<= 10, end++;
	else if (*end == 'M' || *end == 'm')
		v <<= 20, end++;
	else if (*end == 'G' || *end == 'g')
		v <<= 30, end++;
	if (*end || !v)
		return false;
	*out = v;
	return true;
}

static int image_option(void *ud, struct sc_cli_scan *c, int opt, const char *arg)
{
	(void)ud;
	switch (opt) {
	case 0x303: c->so.base_image = arg; return 0;
	case 0x304: c->so.ignore_unfixed = true; return 0;
	case 0x307:
		if (!parse_count(arg, &c->so.limits.max_total_bytes))
			return sc_cli_usage_error("image", "--max-image-bytes: expected a size like 32G, got `%s`", arg);
		return 0;
	case 0x308:
		if (!parse_count(arg, &c->so.limits.max_files))
			return sc_cli_usage_error("image", "--max-files: expected a count, got `%s`", arg);
		return 0;
	}
	return SC_CLI_NOT_MINE;
}

int cmd_image(int argc, char **argv)
{
	static const struct option longopts[] = {
		{"base-image", required_argument, NULL, 0x303},
		{"ignore-unfixed", no_argument, NULL, 0x304},
		{"max-image-bytes", required_argument, NULL, 0x307},
		{"max-files", required_argument, NULL, 0x308},
		{"help", no_argument, NULL, 'h'},
		SC_CLI_APT_OPTIONS,
		SC_CLI_IMAGE_OPTIONS,
		SC_CLI_GATE_OPTIONS,
		SC_CLI_ONLY_OPTION,
		SC_CLI_DB_OPTIONS,
		SC_CLI_OUTPUT_OPTIONS,
		{NULL, 0, NULL, 0},
	};
	struct sc_cli_scan cs;
	sc_cli_scan_init(&cs, "image");
	int rc = sc_cli_parse(&cs, argc, argv, "c:h" SC_CLI_OUTPUT_SHORT, longopts, help, image_option, NULL);
	if (rc != SC_CLI_NOT_MINE)
		return rc;
	if ((rc = sc_cli_image_operand(&cs, argc, argv, "image PATH")) || (rc = sc_cli_apt_finish(&cs.apt, &cs.so, "image")))
		return rc;
	return sc_cli_run_scan("image", &cs.so, &cs.outs);
}
