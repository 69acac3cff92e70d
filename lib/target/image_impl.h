/* image_impl.h - internals of lib/target: OCI/docker JSON readers, the layer walker, per-layer
 * records, the merged view and the layer cache. */
#ifndef SC_IMAGE_IMPL_H
#define SC_IMAGE_IMPL_H

#include "shipcheck/sc_image.h"

#include <sys/types.h>

/* ---- JSON documents (oci.c) ---- */
#define SC_IMG_MAX_JSON (8u << 20) /* manifest, index, config: at most 8 MiB each */
#define SC_IMG_MAX_LAYERS 512
#define SC_IMG_MAX_PATH 4096 /* an entry's cleaned name, with its NUL: longer ones are rejected */

struct sc_oci_desc {
	const char *media_type;
	const char *digest;
	uint64_t size;
	const char *os, *arch, *variant; /* platform, NULL when absent */
	const char *ref_name;            /* org.opencontainers.image.ref.name */
};

struct sc_oci_manifest {
	struct sc_oci_desc config;
	struct sc_oci_desc *layers;
	size_t n_layers;
	const char *base_name, *base_digest;
};

struct sc_img_history {
	const char *created_by;
	bool empty_layer;
};

struct sc_oci_config {
	const char *os, *arch, *variant, *user;
	const char **diff_ids;
	size_t n_diff_ids;
	struct sc_img_history *history;
	size_t n_history;
	const char *base_name, *base_digest; /* config labels, when set */
	/* config Env ("K=V"), Labels ("k=v"), ExposedPorts keys: NULL-terminated, never NULL */
	const char **env, **labels, **exposed_ports;
	bool has_healthcheck; /* Healthcheck.Test present and not ["NONE"] */
};

struct sc_docker_entry {
	const char *config;       /* member name */
	const char **layers;      /* member names */
	size_t n_layers;
	const char **repo_tags;   /* NULL-terminated */
};

/* index.json / manifest list: every descriptor. */
enum sc_status sc_oci_parse_index(struct sc_arena *a, const char *name, const char *data, size_t len,
				  struct sc_oci_desc **out, size_t *n, struct sc_error *err);
enum sc_status sc_oci_parse_manifest(struct sc_arena *a, const char *name, const char *data, size_t len,
				     struct sc_oci_manifest *m, struct sc_error *err);
enum sc_status sc_oci_parse_config(struct sc_arena *a, const char *name, const char *data, size_t len,
				   struct sc_oci_config *c, struct sc_error *err);
/* docker save manifest.json: the entry named by ref (a RepoTag, or its suffix), or the only one. */
enum sc_status sc_docker_parse_manifest(struct sc_arena *a, const char *name, const char *data,
					size_t len, const char *ref, struct sc_docker_entry *e,
					struct sc_error *err);
bool sc_oci_is_index_type(const char *media_type);
/* "sha256:<64 hex>" */
bool sc_oci_digest_valid(const char *digest);

/* ---- per-layer records (layer.c) ---- */
enum sc_lentry_kind {
	SC_LE_REG,
	SC_LE_DIR,
	SC_LE_SYMLINK,
	SC_LE_HARDLINK,
	SC_LE_WHITEOUT, /* path = the deleted name */
	SC_LE_OPAQUE,   /* path = the directory whose lower contents are hidden */
	SC_LE_OTHER,
};

struct sc_lentry {
	const char *path; /* cleaned, relative */
	const char *link; /* symlink target as written, or the cleaned hard link target */
	uint64_t size;
	uint32_t mode;
	uint8_t kind;
	bool kept;
	const unsigned char *data; /* when kept */
	size_t len;
};

struct sc_layer_rec {
	struct sc_arena *arena;
	struct sc_ptrvec entries; /* struct sc_lentry * */
	uint64_t kept_bytes;
	char digest[72];  /* sha256 of the blob as read */
	char diff_id[72]; /* sha256 of the uncompressed tar */
	bool from_cache;
};
void sc_layer_rec_free(struct sc_layer_rec *rec);

/* A pull source of blob bytes: returns bytes available at *buf, 0 at end, -1 on error (with
 * err set by the source). */
struct sc_blob_src {
	ssize_t (*read)(void *arg, const void **buf, struct sc_error *err);
	void *arg;
};

struct sc_layer_walk {
	const char *name; /* member / blob path for messages */
	int layer;        /* 1-based */
	const struct sc_image_options *opts;
	uint64_t *total_bytes; /* shared across layers */
	uint64_t *total_files;
	uint64_t *kept_total;
};

/* Streams one layer blob (tar, gzip or zstd) into rec, hashing the blob and the tar stream. */
enum sc_status sc_layer_walk(const struct sc_blob_src *src, const struct sc_layer_walk *w,
			     struct sc_layer_rec **out, struct sc_error *err);
/* The same over a buffer (fuzzing, small blobs). */
enum sc_status sc_layer_walk_memory(const void *data, size_t len, const struct sc_layer_walk *w,
				    struct sc_layer_rec **out, struct sc_error *err);

/* ---- merged view (merged.c) ---- */
/* Applies recs[0..n) in order (whiteouts, opaque dirs, hard links) into a new sc_fs; keeps the
 * records alive (borrowed: the caller frees them after the fs). */
enum sc_status sc_merged_build(struct sc_layer_rec *const *recs, size_t n, const struct sc_limits *lim,
			       struct sc_fs **out, struct sc_error *err);

/* ---- layer cache (cache.c) ---- */
/* Loads a cached record for (diff_id, key); NULL when absent or unusable. */
struct sc_layer_rec *sc_layer_cache_load(const char *dir, const char *diff_id, const char *key);
/* Stores rec (best effort; failures are silent: the cache is an optimisation). */
void sc_layer_cache_store(const char *dir, const char *diff_id, const char *key,
			  const struct sc_layer_rec *rec);

#endif
