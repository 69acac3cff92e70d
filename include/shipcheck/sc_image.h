/* sc_image.h - container image targets without a daemon: docker-archive tars (classic and
 * OCI-inside-tar), OCI image layouts (directory or tar, PATH:REF), root filesystem directories.
 * Layers are streamed once (libarchive: tar, gzip, zstd), digests verified, whiteouts applied, and
 * the merged view is served as a struct sc_fs. */
#ifndef SHIPCHECK_SC_IMAGE_H
#define SHIPCHECK_SC_IMAGE_H

#include "sc_core.h"
#include "sc_finding.h"
#include "sc_scan.h"

#ifdef __cplusplus
extern "C" {
#endif

/* One layer of an image, in order (index 0 = layer 1, the lowest). */
struct sc_image_layer {
	const char *digest;     /* blob digest ("sha256:...") as the manifest names it */
	const char *diff_id;    /* digest of the uncompressed tar, from the image config */
	const char *media_type; /* NULL for docker-archive members */
	const char *member;     /* archive member or blob path it was read from */
	uint64_t size;          /* blob size */
	const char *created_by; /* the history instruction that made it, NULL when unknown */
	bool from_cache;        /* served from the layer cache (not decompressed) */
};

struct sc_image_options {
	const char *platform;  /* "os/arch[/variant]"; NULL = linux/amd64 */
	const char *cache_dir; /* layer cache directory; NULL = no cache */
	struct sc_limits limits;
	uint64_t max_kept_bytes; /* file contents kept in memory for extractors; 0 = 256 MiB */
	/* Which files' bytes to keep (extractors' wants and small config files); NULL = none. */
	bool (*keep)(const char *path, uint64_t size, uint32_t mode, void *arg);
	void *keep_arg;
	const char *keep_key; /* describes `keep` (extractor names + versions): part of the cache key */
	/* Integration point for the secrets check: called with every regular file of every layer
	 * (files deleted by later layers included) up to limits.max_file_size, during the one
	 * streaming pass. Layers served from the cache are not streamed: when on_file is set the
	 * cache is written but not read. */
	void (*on_file)(void *arg, int layer, const char *path, const unsigned char *data, size_t len);
	void *on_file_arg;
	/* A consumer of on_file that caches its own per-layer results: with both set, a layer found
	 * in the layer cache is served from it (not streamed) when on_file_cached() says it has that
	 * layer's results too (and has taken them); on_file_stored() is called for every layer that
	 * was streamed, as the layer cache is written. */
	bool (*on_file_cached)(void *arg, int layer, const char *diff_id);
	void (*on_file_stored)(void *arg, int layer, const char *diff_id);
	bool plan_only; /* read and verify the JSON documents only: layers, digests, history (no fs) */
};
void sc_image_options_init(struct sc_image_options *o);

struct sc_image {
	struct sc_arena *arena;
	const char *path;      /* as given, without :REF */
	const char *ref;       /* REF of PATH:REF, or NULL */
	const char *kind;      /* "docker-archive", "oci-layout", "oci-archive", "rootfs" */
	const char *digest;    /* manifest digest (OCI) or config digest (docker-archive) */
	const char *config_digest;
	const char *os;        /* config os/architecture */
	const char *architecture;
	const char *user;      /* config User, NULL when unset */
	const char *const *env;           /* config Env "K=V", NULL-terminated (never NULL when opened) */
	const char *const *labels;        /* config Labels "k=v" */
	const char *const *exposed_ports; /* config ExposedPorts keys ("22/tcp") */
	bool has_healthcheck;
	const char *const *history;       /* config history created_by, all entries (empty ones too) */
	const bool *history_empty;        /* empty_layer of each history entry */
	size_t n_history;
	const char *base_name; /* org.opencontainers.image.base.name annotation */
	const char *base_digest;
	const char *const *repo_tags; /* NULL-terminated, may be NULL */
	struct sc_image_layer *layers;
	size_t n_layers;
	struct sc_fs *fs;          /* merged view (owned); NULL with plan_only */
	struct sc_ptrvec warnings; /* struct sc_warning *: skipped entries, ... */
	void *impl;
};

/* Opens an image archive or layout (PATH or PATH:REF) and streams its layers into the merged
 * view. Errors name the archive member: bad JSON, missing blobs, digest mismatches (SC_EINPUT),
 * limits (SC_ELIMIT). */
enum sc_status sc_image_open(const char *path, const struct sc_image_options *o, struct sc_image **out,
			     struct sc_error *err);
/* A root filesystem directory as a one-layer "image" (never following symlinks out of it). */
enum sc_status sc_image_open_rootfs(const char *dir, const struct sc_image_options *o,
				    struct sc_image **out, struct sc_error *err);
void sc_image_free(struct sc_image *img);

/* The kept contents of path as each layer wrote it, oldest first (for origin layers: the first
 * layer in which a package appears). Returns the number of versions, fills at most max. */
struct sc_image_version {
	int layer; /* 1-based */
	const unsigned char *data;
	size_t len;
};
size_t sc_image_versions(const struct sc_image *img, const char *path, struct sc_image_version *out,
			 size_t max);

/* Resolves symlinks of path inside fs's tree (absolute targets from the root; a target that
 * leaves the tree resolves to nothing). Writes the resolved path to out. */
bool sc_fs_resolve(const struct sc_fs *fs, const char *path, char *out, size_t outsz);

/* ---- OS detection (lib/extract/osrelease.c) ---- */
struct sc_os_info {
	const char *id;          /* "debian", "alpine", "ubuntu", "rhel", ... */
	const char *version_id;  /* "12", "3.19.1" */
	const char *pretty_name; /* "Debian GNU/Linux 12 (bookworm)" */
	const char *codename;
	const char *source;      /* file it was read from */
};
/* Reads /etc/os-release, /usr/lib/os-release, then the fallbacks (/etc/lsb-release,
 * /etc/debian_version, /etc/alpine-release, /etc/redhat-release). Strings in arena. */
bool sc_os_detect(const struct sc_fs *fs, struct sc_arena *a, struct sc_os_info *os);
/* Parses os-release text (KEY=value, shell quoting). */
void sc_os_release_parse(const char *data, size_t len, struct sc_arena *a, struct sc_os_info *os);
/* The OSV ecosystem of an OS release: "Debian:12", "Alpine:v3.19", "Ubuntu:22.04", ...;
 * NULL when unknown. */
const char *sc_os_ecosystem(const struct sc_os_info *os, struct sc_arena *a);
/* The purl type and namespace of an OS ("deb", "debian"), false when unknown. */
bool sc_os_purl_type(const char *os_id, const char **type, const char **ns);

/* How many of the scanned image's layers come from its base image: --base-image (its layers a
 * prefix of the image's), the policy's `vulns: {base_image, base_layers}`, or the OCI base
 * annotations when the base sits in the same layout; 0 = unknown. *base_name names it. */
struct sc_scan_ctx;
size_t sc_image_base_layers(struct sc_scan_ctx *ctx, const char **base_name);

#ifdef __cplusplus
}
#endif
#endif
