/* imgbuild.h - a test helper that writes real images: tar layers (libarchive, gzip/zstd/none),
 * image configs, manifests, OCI layouts (index.json + blobs) and docker-archive tars. */
#ifndef SC_IMGBUILD_H
#define SC_IMGBUILD_H

#include <stddef.h>
#include <stdint.h>

/* One tar entry of a layer. type: 'f' file, 'd' dir, 'l' symlink (data = target),
 * 'h' hard link (data = target), 'w' whiteout of NAME (path = dir/NAME), 'o' opaque dir. */
struct ib_entry {
	char type;
	const char *path;
	const char *data;
};

enum ib_comp { IB_NONE, IB_GZIP, IB_ZSTD };

struct ib_blob {
	unsigned char *data;
	size_t len;
	char digest[72];
};

/* Builds a layer blob; diff_id receives the digest of the uncompressed tar. */
void ib_layer(const struct ib_entry *entries, size_t n, enum ib_comp comp, struct ib_blob *blob,
	      char diff_id[72]);
/* A blob from raw bytes (digest computed). */
void ib_blob_of(const void *data, size_t len, struct ib_blob *blob);
void ib_blob_free(struct ib_blob *b);

/* Writes an OCI layout into dir: one image of the given layers (already built) with config
 * (diff_ids as given), a manifest, and index.json naming it ref (may be NULL). Returns the
 * manifest digest in manifest_digest (may be NULL). */
void ib_oci_layout(const char *dir, const struct ib_blob *layers, const char *const *diff_ids, size_t n,
		   const char *ref, char manifest_digest[72]);
/* The same with the config's architecture (NULL = amd64). */
void ib_oci_layout_arch(const char *dir, const struct ib_blob *layers, const char *const *diff_ids,
			size_t n, const char *ref, const char *arch, char manifest_digest[72]);
/* Writes a blob into dir/blobs/sha256/. */
void ib_write_blob(const char *dir, const struct ib_blob *b);
/* Writes a docker-archive tar at path: layers as "<n>/layer.tar", config "<hex>.json". */
void ib_docker_archive(const char *path, const struct ib_blob *layers, const char *const *diff_ids,
		       size_t n);
/* The image config JSON for the diff_ids (caller frees). */
char *ib_config_json(const char *const *diff_ids, size_t n, const char *arch);

#endif
