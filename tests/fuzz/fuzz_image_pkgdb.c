/* fuzz_image_pkgdb.c - libFuzzer target: the OS package database parsers of image scanning: the
 * RPM header blob reader and the apk installed-DB extractor (first byte picks one). */
#include <stdint.h>
#include <stdlib.h>

#include "extract/rpm_header.h"
#include "shipcheck/sc_scan.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!size)
		return 0;
	if (data[0] & 1) {
		struct sc_rpm_header h;
		(void)sc_rpm_header_parse(data + 1, size - 1, &h);
		return 0;
	}
	struct sc_inventory *inv = sc_inventory_new();
	inv->os_id = "alpine";
	inv->os_version = "3.19.1";
	struct sc_extract_input in = {"lib/apk/db/installed", data + 1, size - 1, 1, NULL};
	struct sc_error err = {0};
	(void)sc_extractor_find("apk")->extract(&in, inv, &err);
	sc_error_clear(&err);
	sc_inventory_free(inv);
	return 0;
}
