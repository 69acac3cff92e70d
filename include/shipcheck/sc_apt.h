/* sc_apt.h - apt repository indexes without apt: Release/InRelease files and their hashes, Packages
 * indexes (plain, .gz, .xz, .lz4, .zst), sources.list (one-line and deb822 .sources), apt
 * preferences (pins), held packages, and the candidate version apt's dist-upgrade would install. */
#ifndef SHIPCHECK_SC_APT_H
#define SHIPCHECK_SC_APT_H

#include "sc_core.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Limits on what apt input may make us read. */
#define SC_APT_MAX_INDEX (512ull << 20)   /* one decompressed Packages file */
#define SC_APT_MAX_RELEASE (16ull << 20)  /* one Release/InRelease file */
#define SC_APT_MAX_PREFS (4ull << 20)     /* one preferences or sources file */
#define SC_APT_MAX_HASHES 200000          /* entries of one Release file */

/* One SHA256 line of a Release file. */
struct sc_apt_hash {
	const char *name; /* "main/binary-amd64/Packages" */
	uint64_t size;
	char sha256[65];
};

/* A Release or InRelease file: the facts pins match on, and the index hashes. */
struct sc_apt_release {
	const char *path;
	const char *origin, *label, *suite, *codename, *version;
	const char *site; /* host the suite comes from (origin pins), may be NULL */
	bool not_automatic, but_automatic_upgrades;
	bool signed_inline; /* it was an InRelease (clearsigned) file */
	struct sc_apt_hash *hashes;
	size_t n_hashes;
};

/* One Packages index. */
struct sc_apt_index {
	const char *path;
	const struct sc_apt_release *release; /* NULL for a flat repository without Release */
	const char *component;                /* "main" */
	const char *arch;                     /* "amd64" */
	unsigned order;                       /* position in the cache's indexes */
};

/* One version of a package in the indexes. */
struct sc_apt_version {
	const char *name, *version, *arch, *source;
	const char *source_version; /* "Source: glibc (2.36-9)": the source version, NULL when it is
				     * the binary's version */
	const struct sc_apt_index *index;
	struct sc_apt_version *next; /* other entries with the same name */
};

/* Indexes loaded into memory; everything lives in the arena. */
struct sc_apt_cache {
	struct sc_arena *arena;
	struct sc_map *by_name;   /* name -> struct sc_apt_version * (list) */
	struct sc_ptrvec releases; /* struct sc_apt_release * */
	struct sc_ptrvec indexes;  /* struct sc_apt_index * */
	struct sc_ptrvec warnings; /* char * (arena): "FILE: message" */
	/* When non-NULL, only packages whose name is a key of this map are kept (fast path for a
	 * check that only needs the installed packages). Borrowed. */
	const struct sc_map *wanted;
	/* When non-NULL (NULL-terminated), sc_apt_cache_load_lists also verifies the OpenPGP signature
	 * of every InRelease (or Release + Release.gpg) against these keyrings. Borrowed. */
	const char *const *keyrings;
	/* When non-NULL, a directory of parsed indexes named by their SHA256 (as the Release file
	 * gives it): a lists index whose content hash is cached there is not read, decompressed or
	 * hashed again. Borrowed. */
	const char *cache_dir;
	size_t n_versions;
	struct sc_apt_scratch *scratch; /* buffers the index scans reuse (internal) */
};

struct sc_apt_cache *sc_apt_cache_new(void);
void sc_apt_cache_free(struct sc_apt_cache *c);
/* The list of versions of a package (NULL when the indexes do not have it). */
const struct sc_apt_version *sc_apt_cache_get(const struct sc_apt_cache *c, const char *name);

/* Parses a Release or clearsigned InRelease file (the signature is not checked here: see
 * sc_apt_verify_signature). The result lives in arena a. */
enum sc_status sc_apt_release_parse(struct sc_arena *a, const char *path, const char *data, size_t len,
				    struct sc_apt_release **out, struct sc_error *err);
/* The body of a clearsigned message (dash-escaping removed) in a malloc'd buffer; when data is not
 * clearsigned, a copy of it. SC_EINPUT when the armour is broken. */
enum sc_status sc_apt_clearsign_body(const char *path, const char *data, size_t len, char **body,
				     size_t *body_len, struct sc_error *err);
/* Checks data (the decompressed index named `name` relative to the Release file, e.g.
 * "main/binary-amd64/Packages") against the Release file's SHA256 and size. A missing entry or a
 * mismatch is SC_EINPUT naming `path`. */
enum sc_status sc_apt_release_verify(const struct sc_apt_release *rel, const char *name, const char *path,
				     const void *data, size_t len, struct sc_error *err);
/* The same check for an index read elsewhere: len is its decompressed size (UINT64_MAX: not
 * checked), hex its SHA256 (NULL: not checked); a missing entry is SC_EINPUT too. */
enum sc_status sc_apt_release_check(const struct sc_apt_release *rel, const char *name, const char *path,
				    uint64_t len, const char *hex, struct sc_error *err);
/* Is this the security suite (Label Debian-Security / suite or codename ending in -security)? */
bool sc_apt_release_is_security(const struct sc_apt_release *rel);

/* Decompresses an index by its file name's extension (.gz, .xz, .lz4, .zst, .bz2 or none) with
 * libarchive, up to limit bytes (SC_ELIMIT past it). *out is malloc'd. */
enum sc_status sc_apt_decompress(const char *path, const void *data, size_t len, uint64_t limit,
				 char **out, size_t *out_len, struct sc_error *err);

/* Adds the stanzas of a decompressed Packages index to the cache. Malformed stanzas are SC_EINPUT
 * with FILE:LINE:COL (the stanzas before it are kept). */
enum sc_status sc_apt_packages_parse(struct sc_apt_cache *c, const struct sc_apt_index *idx,
				     const char *data, size_t len, struct sc_error *err);

/* Where a scan writes the parsed-index table: one "name\tversion\tarch\tsource\tsource_version\n"
 * line per stanza, appended to mem and/or written to fd (by the hashing thread, as the scan goes). */
struct sc_apt_table {
	struct sc_bigbuf *mem; /* NULL: not kept in memory */
	int fd;                /* -1: not written to a file */
	bool ok;               /* in: a table is wanted; out: false when a stanza could not be written as a
				* line, a write failed or the scan failed (the table is then incomplete) */
	size_t lines;          /* out: lines written */
};

/* Loads one index (raw bytes of the file idx->path, compressed by its extension) in a single
 * streaming pass: decompressed in chunks, hashed and checked against rel's SHA256 and size for
 * relname (rel NULL: not checked), and scanned: the stanzas of wanted packages (every stanza when
 * c->wanted is NULL) are parsed into c as by sc_apt_packages_parse, the others only looked at for
 * the table's fields. table may be NULL. A hash or size mismatch is reported before any stanza
 * error. */
enum sc_status sc_apt_index_scan(struct sc_apt_cache *c, const struct sc_apt_index *idx,
				 const struct sc_apt_release *rel, const char *relname, const void *raw, size_t rlen,
				 struct sc_apt_table *table, struct sc_error *err);
/* The same, reading idx->path itself (not following a final symlink): a compressed index is read a
 * chunk at a time while it is decompressed. */
enum sc_status sc_apt_index_scan_file(struct sc_apt_cache *c, const struct sc_apt_index *idx,
				      const struct sc_apt_release *rel, const char *relname, struct sc_apt_table *table,
				      struct sc_error *err);
/* Splits a Source: value "glibc (2.36-9)" into the name and the version in parentheses (*ver NULL
 * when there is none). */
void sc_apt_split_source(const char *s, size_t n, const char **name, size_t *name_len, const char **ver,
			 size_t *ver_len);

/* Loads a directory like /var/lib/apt/lists: every *_InRelease / *_Release file and the
 * *_Packages[.ext] indexes that belong to it, each checked against its Release hashes (and, with
 * c->keyrings, every Release file against its signature). A Packages
 * file without Release is used with a warning; a hash mismatch or an unreadable index is an error.
 * No index at all is SC_EINPUT. */
enum sc_status sc_apt_cache_load_lists(struct sc_apt_cache *c, const char *dir, struct sc_error *err);

/* ---- sources.list ---- */

struct sc_apt_source {
	const char *uri;      /* "http://host/debian" (no trailing '/') */
	const char *suite;    /* "bookworm-security"; ends in '/' for a flat repository */
	const char **components; /* NULL-terminated */
	const char *signed_by;   /* keyring path or NULL */
	const char *path;        /* file it came from */
	unsigned line;
};
/* Parses a one-line sources.list (deb822 = false) or a deb822 .sources file; "deb-src" entries and
 * disabled (Enabled: no) stanzas are skipped. Entries are appended to out (struct sc_apt_source *,
 * in arena a). */
enum sc_status sc_apt_sources_parse(struct sc_arena *a, const char *path, const char *data, size_t len,
				    bool deb822, struct sc_ptrvec *out, struct sc_error *err);

/* ---- preferences and candidates ---- */

struct sc_apt_prefs;
struct sc_apt_prefs *sc_apt_prefs_new(void);
void sc_apt_prefs_free(struct sc_apt_prefs *p);
/* Adds the pins of one preferences file (Package / Pin / Pin-Priority stanzas; Pin: release,
 * version and origin). Bad stanzas are SC_EINPUT with FILE:LINE:COL. */
enum sc_status sc_apt_prefs_parse(struct sc_apt_prefs *p, const char *path, const char *data, size_t len,
				  struct sc_error *err);
/* apt's pin priority of a version (default 500, 1 for NotAutomatic, 100 for
 * NotAutomatic+ButAutomaticUpgrades, unless a pin says otherwise). */
int sc_apt_priority(const struct sc_apt_prefs *p, const struct sc_apt_version *v);

/* An installed package, as the outdated check sees it. */
struct sc_apt_installed {
	const char *name, *version, *arch;
	bool held;      /* dpkg selection "hold" */
	bool essential; /* Essential: yes */
};

/* The version apt's policy picks as candidate for an installed package (versions of the same
 * architecture, or arch all / native for native packages): the highest-priority version not
 * lower than the installed one, the highest version among equal priorities. *cand = NULL when the
 * installed version is the candidate. cmp is the dpkg version comparison. */
const struct sc_apt_version *sc_apt_candidate(const struct sc_apt_cache *c, const struct sc_apt_prefs *p,
					      const struct sc_apt_installed *inst, const char *native_arch,
					      int (*cmp)(const char *a, size_t alen, const char *b, size_t blen));

/* The binary packets of an ASCII-armored public key file (apt reads `.asc` keys, gpgv only binary
 * keyrings): every `BEGIN PGP PUBLIC KEY BLOCK` block's base64 body, after its header lines, up to
 * the checksum line (`=XXXX`) or the END line. malloc'd; NULL when data holds no armored key or a
 * body is not base64. */
unsigned char *sc_apt_dearmor(const char *data, size_t len, size_t *outlen);

/* Verifies a detached or inline OpenPGP signature with the host's gpgv against the keyrings (files
 * or directories of *.gpg / *.asc keys, NULL-terminated). sig = NULL for an InRelease file. A bad or
 * missing signature is SC_EINPUT naming path; never runs anything from the scanned target. */
enum sc_status sc_apt_verify_signature(const char *path, const void *data, size_t len, const void *sig,
				       size_t sig_len, const char *const *keyrings, struct sc_error *err);

/* Downloads the suites of `sources` (InRelease, else Release + Release.gpg; then each component's
 * binary-<arch> Packages .xz/.gz/plain) with libcurl into the cache, verifying every signature
 * against keyrings (a source's own Signed-By when keyrings is NULL) and every index against its
 * Release hashes. Any failed check is an error. */
enum sc_status sc_apt_cache_fetch(struct sc_apt_cache *c, const struct sc_ptrvec *sources, const char *arch,
				  const char *const *keyrings, struct sc_error *err);

#ifdef __cplusplus
}
#endif
#endif
