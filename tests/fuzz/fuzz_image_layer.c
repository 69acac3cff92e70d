/* fuzz_image_layer.c - libFuzzer target: the layer walker (tar; gzip, zstd or none) and the merged
 * view built from it (whiteouts, links), with small limits, then symlink resolution and reads. */
#include <stdint.h>
#include <stdlib.h>

#include "target/image_impl.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static bool keep_all(const char *path, uint64_t size, uint32_t mode, void *arg)
{
	(void)path;
	(void)size;
	(void)mode;
	(void)arg;
	return true;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sc_image_options o;
	sc_image_options_init(&o);
	o.keep = keep_all;
	o.limits.max_total_bytes = 16u << 20;
	o.limits.max_files = 5000;
	o.limits.max_file_size = 1u << 20;
	o.max_kept_bytes = 4u << 20;
	uint64_t total = 0, files = 0, kept = 0;
	struct sc_layer_walk w = {"layer", 1, &o, &total, &files, &kept};
	struct sc_layer_rec *rec = NULL;
	struct sc_error err = {0};
	if (sc_layer_walk_memory(data, size, &w, &rec, &err) == SC_OK) {
		struct sc_layer_rec *recs[2] = {rec, rec};
		struct sc_fs *fs = NULL;
		if (sc_merged_build(recs, 2, &o.limits, &fs, &err) == SC_OK) {
			for (size_t i = 0; i < fs->files.len && i < 64; i++) {
				const struct sc_file *f = fs->files.items[i];
				char res[4096];
				(void)sc_fs_resolve(fs, f->path, res, sizeof(res));
				char *d = NULL;
				size_t n = 0;
				if (sc_fs_read(fs, f->path, 1u << 20, &d, &n, &err) == SC_OK)
					free(d);
				sc_error_clear(&err);
			}
			sc_fs_free(fs);
		}
		sc_layer_rec_free(rec);
	}
	sc_error_clear(&err);
	return 0;
}
