/* fuzz_image_json.c - libFuzzer target: the image JSON readers (OCI index, manifest, config and
 * docker save's manifest.json); the first byte picks the reader. */
#include <stdint.h>
#include <stdlib.h>

#include "target/image_impl.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!size)
		return 0;
	struct sc_arena *a = sc_arena_new();
	struct sc_error err = {0};
	const char *doc = (const char *)data + 1;
	size_t len = size - 1;
	switch (data[0] % 4) {
	case 0: {
		struct sc_oci_desc *d = NULL;
		size_t n = 0;
		(void)sc_oci_parse_index(a, "index.json", doc, len, &d, &n, &err);
		break;
	}
	case 1: {
		struct sc_oci_manifest m;
		(void)sc_oci_parse_manifest(a, "manifest", doc, len, &m, &err);
		break;
	}
	case 2: {
		struct sc_oci_config c;
		(void)sc_oci_parse_config(a, "config", doc, len, &c, &err);
		break;
	}
	default: {
		struct sc_docker_entry e;
		(void)sc_docker_parse_manifest(a, "manifest.json", doc, len, (data[0] & 4) ? "img:latest" : NULL,
					       &e, &err);
		break;
	}
	}
	sc_error_clear(&err);
	sc_arena_free(a);
	return 0;
}
