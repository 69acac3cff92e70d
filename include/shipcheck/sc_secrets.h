/* sc_secrets.h - the secrets engine: built-in rules as data, one compiled Vectorscan prefilter +
 * PCRE2 confirmation, entropy and keyword detectors, redaction, the detect-secrets baseline and the
 * git (staged / since / history) scanners. Used by the "secrets" check, `shipcheck secrets` and the
 * image scanner (layers, config Env, labels, history). */
#ifndef SHIPCHECK_SC_SECRETS_H
#define SHIPCHECK_SC_SECRETS_H

#include "sc_core.h"
#include "sc_finding.h"

#ifdef __cplusplus
extern "C" {
#endif

struct sc_result;

/* Rule flags (rules.def). */
enum {
	SC_SR_GENERIC = 1u << 0,  /* keyword / assignment rule: placeholder filters, lower priority */
	SC_SR_MULTI = 1u << 1,    /* the match may span lines */
	SC_SR_ICASE = 1u << 2,    /* caseless pattern */
	SC_SR_IDENT = 1u << 3,    /* an identifier rather than a credential */
	SC_SR_NOFILTER = 1u << 4, /* no placeholder filter on the secret */
	SC_SR_KWCASE = 1u << 5,   /* the keywords are case-sensitive (short prefixes: SK, AC, AKC...) */
	SC_SR_ANCHOR = 1u << 6,   /* matches start at a keyword (detected for literal prefixes) */
	SC_SR_RANDOM = 1u << 7,   /* the value must look random: letters and digits, and an entropy
				   * floor that shrinks with the length (a short string cannot reach
				   * 4.5 bits per character) */
	SC_SR_BASE64 = 1u << 8,   /* the secret is base64: its decoded text is judged (a placeholder, a
				   * dummy user:password, a certificate or public key is not a secret) */
	SC_SR_CONTEXT = 1u << 9,  /* not in tests, fixtures, examples and docs, where such values are
				   * fakes by convention (password hashes; the connection-string family
				   * always) */
	SC_SR_LOCAL = 1u << 10,   /* made where it is used (a key pair, a framework's signing or
				   * encryption key), not issued by a provider: under tests, fixtures,
				   * examples or docs it is taken for one made for the test (LOW) */
	SC_SR_CHECKSUM = 1u << 11, /* GitHub's and npm's format: the last six characters are the
				    * base62 CRC32 of the 30 before them; a token whose checksum fails
				    * was never issued (a test's or an example's made-up value): LOW */
};

/* Why a match is a made-up value (reported LOW): its checksum fails (SC_SR_CHECKSUM), it holds
 * a run of consecutive characters (1234567890abcdef...), or it is a placeholder in a credential's
 * format (AKIAZZZZZZZZZZZZZZZZ, tvly-xxxx..., a documented example key) */
enum { SC_MADE_UP_NONE, SC_MADE_UP_CHECKSUM, SC_MADE_UP_SEQUENCE, SC_MADE_UP_PLACEHOLDER };

/* One row of rule data. */
struct sc_secret_rule {
	const char *slug;     /* "github-pat"; the rule id is "SC-SEC-<slug>" */
	const char *family;   /* docs page SC-SEC-<family> */
	enum sc_severity severity;
	unsigned flags;       /* SC_SR_* */
	double entropy;       /* minimum Shannon entropy of the secret, bits per char; 0 = none */
	const char *title;
	const char *keywords; /* comma-separated, caseless: the prefilter */
	const char *paths;    /* NULL, or comma-separated globs (sc_glob_match): the rule reports only in
	                       * files whose path matches one in any directory (`config/master.key`) */
	const char *pattern;  /* PCRE2; group 1 (or the first group that matched) is the secret */
	const char *positive; /* a sample the rule must report */
	const char *negative; /* a sample the rule must not report */
	const struct sc_rule *meta; /* the sc_rule (id, severity, title, doc page) */
};

size_t sc_secrets_rule_count(void);
const struct sc_secret_rule *sc_secrets_rule_at(size_t i);
const struct sc_secret_rule *sc_secrets_rule_find(const char *id_or_slug);
/* Does path match one of r->paths (always true for a rule without paths)? */
bool sc_secrets_rule_path_ok(const struct sc_secret_rule *r, const char *path);
/* Is path a test's, a fixture's, an example's or documentation's (tests/, testdata/, examples/,
 * docs/, spec/, t/ ...: the classification the secrets filters use), i.e. a file of the repository
 * that is not part of the service it ships? The Dockerfile check lowers what it finds there. */
bool sc_secrets_path_fixture(const char *path);
/* The detect-secrets plugin type a rule maps to in .secrets.baseline ("Secret Keyword", ...). */
const char *sc_secrets_ds_type(const struct sc_secret_rule *r);

/* Shannon entropy in bits per character (detect-secrets' calculation). */
double sc_secrets_entropy(const char *s, size_t n);
/* "ghp_…[sha1:1a2b3c4d]": at most the first 4 characters and a short hash, never the secret. */
void sc_secrets_redact(const char *secret, size_t n, char *out, size_t outsz);

/* One reported secret. Pointers are valid only during the callback. */
struct sc_secret_match {
	const struct sc_secret_rule *rule;
	const char *path;
	unsigned line; /* 1-based */
	unsigned col;  /* 1-based byte column of the secret */
	int layer;     /* image layer (1-based), 0 for a directory */
	bool deleted;  /* the file was deleted by a later layer */
	const char *secret; /* NOT NUL-terminated; never print it */
	size_t secret_len;
	char sha1[41];      /* hex SHA-1 of the secret (detect-secrets' hashed_secret) */
	char redacted[64];  /* sc_secrets_redact() */
	bool allowlisted;   /* inline `pragma: allowlist secret` or `shipcheck:allow` */
	unsigned char made_up; /* never issued: SC_MADE_UP_*; a SC_MADE_UP_PLACEHOLDER match is not a
				* secret, and is reported only by an audit (sc_secrets_options.audit) */
	bool test_hunk;        /* in a patch, in a hunk that changes a test or docs file */
	const char *allow_reason; /* shipcheck:allow reason="..." (NUL-terminated copy), or NULL */
};

/* Return false to stop the scan of this buffer. */
typedef bool (*sc_secrets_cb)(void *ud, const struct sc_secret_match *m);

/* The compiled rules: built once, shared read-only by every thread. */
struct sc_secrets_engine;
enum sc_status sc_secrets_engine_new(struct sc_secrets_engine **out, struct sc_error *err);
/* The same, with the compiled Vectorscan database kept in cache_dir (NULL: not kept). */
enum sc_status sc_secrets_engine_new_cached(struct sc_secrets_engine **out, const char *cache_dir,
					    struct sc_error *err);
void sc_secrets_engine_free(struct sc_secrets_engine *e);
/* The process's engine, built on the first call (with cache_dir, as above) and kept until exit:
 * a scan of a repository and of an image, and the image's config, share it. Thread-safe. */
enum sc_status sc_secrets_engine_shared(const char *cache_dir, const struct sc_secrets_engine **out,
					struct sc_error *err);

/* Per-thread scanning state (Vectorscan scratch, PCRE2 match data). */
struct sc_secrets_scanner;
enum sc_status sc_secrets_scanner_new(const struct sc_secrets_engine *e, struct sc_secrets_scanner **out,
				      struct sc_error *err);
void sc_secrets_scanner_free(struct sc_secrets_scanner *s);

/* Scans one file's bytes (path decides the keyword syntax and the file filters). Binary content
 * (NUL bytes), lockfiles' integrity hashes, checksum files and minified code are handled here.
 * Returns SC_OK, or SC_WARN when the content was skipped (binary) with err set to why. */
enum sc_status sc_secrets_scan_buffer(struct sc_secrets_scanner *s, const char *path, const void *data,
				      size_t len, int layer, bool deleted, sc_secrets_cb cb, void *ud,
				      struct sc_error *err);
/* Scans a string that is not a file: an image config Env entry, a label, a history created_by.
 * `what` names it in matches ("config Env", "history created_by", ...). */
enum sc_status sc_secrets_scan_text(struct sc_secrets_scanner *s, const char *what, const char *text,
				    int layer, sc_secrets_cb cb, void *ud, struct sc_error *err);
/* Scans bytes as they are (no binary check): a window of a large file. */
enum sc_status sc_secrets_scan_raw(struct sc_secrets_scanner *s, const char *path, const void *data, size_t len,
				   int layer, bool deleted, sc_secrets_cb cb, void *ud, struct sc_error *err);
/* True when the file is binary by content (a NUL byte in the first 8 KiB). */
bool sc_secrets_is_binary(const void *data, size_t len);

/* Adds a finding for m to r (redacted evidence, remediation, fingerprint on rule + path + sha1).
 * created_by (the layer's instruction, may be NULL) is shown with long token-like values cut. */
struct sc_finding *sc_secrets_add_finding(struct sc_result *r, const struct sc_secret_match *m,
					  const char *created_by);

/* Scans an image's metadata into r: config Env entries and labels ("KEY=VALUE" strings,
 * NULL-terminated arrays, may be NULL) and the history `created_by` of r->layers (build args leak
 * there). Findings are located at "image config Env", "image config Labels" and "image history"
 * with the layer and its instruction. Returns the number of findings added. */
size_t sc_secrets_scan_image_config(struct sc_result *r, const char *const *env, const char *const *labels,
				    struct sc_error *err);

/* ---- images: every file of every layer, scanned once while the layers stream ---- */
struct sc_secrets_stream;
enum sc_status sc_secrets_stream_new(struct sc_secrets_stream **out, const char *engine_cache,
				    struct sc_error *err);
/* The image reader's on_file callback (sc_image_options.on_file): arg is the stream. */
void sc_secrets_stream_file(void *arg, int layer, const char *path, const unsigned char *data, size_t len);
void sc_secrets_stream_free(struct sc_secrets_stream *s);
/* Per-layer results cached in dir (with the image reader's layer cache): a warm scan of an image
 * does not decompress its layers again. */
void sc_secrets_stream_set_cache(struct sc_secrets_stream *s, const char *dir);
/* sc_image_options.on_file_cached / on_file_stored for the stream. */
bool sc_secrets_stream_cached(void *arg, int layer, const char *diff_id);
void sc_secrets_stream_stored(void *arg, int layer, const char *diff_id);

/* ---- baseline (.secrets.baseline, detect-secrets' JSON format) ---- */
struct sc_baseline_entry {
	char *path;
	char *type;
	char sha1[41];
	unsigned line;
	int is_secret;   /* -1 unknown (not audited), 0 false, 1 true */
	int is_verified; /* -1 absent */
	bool seen;       /* matched in this scan */
};
struct sc_baseline {
	char *version;
	char *generated_at;
	struct sc_baseline_entry *items;
	size_t n, cap;
	char *raw_plugins;  /* JSON text of plugins_used kept from a detect-secrets file (or NULL) */
	char *raw_filters;  /* JSON text of filters_used */
	struct sc_map *index;   /* "SHA1 PATH" -> item index + 1, for sc_baseline_find */
	struct sc_arena *keys;  /* index's keys */
};
/* Parses a baseline; malformed input is SC_EINPUT with FILE:LINE:COL. Size limit 64 MiB. */
enum sc_status sc_baseline_parse(const char *path, const char *data, size_t len, struct sc_baseline **out,
				 struct sc_error *err);
enum sc_status sc_baseline_load(const char *path, struct sc_baseline **out, struct sc_error *err);
struct sc_baseline *sc_baseline_new(void);
void sc_baseline_free(struct sc_baseline *b);
/* Finds the entry of (path, sha1) regardless of line; NULL when absent. */
struct sc_baseline_entry *sc_baseline_find(struct sc_baseline *b, const char *path, const char *sha1);
struct sc_baseline_entry *sc_baseline_add(struct sc_baseline *b, const char *path, const char *type,
					  const char *sha1, unsigned line);
/* Drops entries not marked seen. */
void sc_baseline_prune(struct sc_baseline *b);
/* Writes detect-secrets' format (sorted by path, then line), atomically. */
enum sc_status sc_baseline_write(const struct sc_baseline *b, const char *path, struct sc_error *err);
char *sc_baseline_to_json(const struct sc_baseline *b);

/* ---- options of the secrets check (sc_scan_options.secrets) ---- */
struct sc_secrets_options {
	const char *baseline_path; /* NULL = <repo>/.secrets.baseline when present */
	bool no_baseline;          /* ignore any baseline */
	bool update_baseline;      /* write the baseline back: add new, drop vanished */
	bool write_baseline;       /* `secrets baseline`: write every current secret */
	bool staged;               /* only lines added in the index vs HEAD */
	const char *since;         /* only lines added since merge-base(HEAD, since) */
	bool history;              /* every blob of the git history */
	bool all_files;            /* also the files a work tree's .gitignore ignores (untracked) */
	bool audit;                /* a review, not the build's gate: also the identifier rules (off by
				    * default: account ids, bucket URLs, OAuth client ids, public keys)
				    * and placeholders in a credential's format (SC_MADE_UP_PLACEHOLDER),
				    * both LOW */
	unsigned threads;          /* 0 = 2 */
	size_t baseline_written;   /* out: entries written */
};

/* Added lines of a git repository: staged (index vs HEAD) or since a revision (merge base with
 * HEAD .. working tree HEAD). For each file calls cb with its path, the new content and a line
 * mask (added[line-1] != 0 for added lines). */
typedef void (*sc_secrets_git_file_cb)(void *ud, const char *path, const char *data, size_t len,
				       const unsigned char *added, size_t nlines);
enum sc_status sc_secrets_git_added(const char *repo_dir, bool staged, const char *since,
				    sc_secrets_git_file_cb cb, void *ud, struct sc_error *err);
/* Every blob of every commit reachable from HEAD (and all refs), once per blob id, oldest commit
 * first; cb gets the commit that first added it. */
typedef void (*sc_secrets_git_blob_cb)(void *ud, const char *commit, const char *path, const char *data,
				       size_t len);
enum sc_status sc_secrets_git_history(const char *repo_dir, sc_secrets_git_blob_cb cb, void *ud,
				      struct sc_error *err);

/* When root is inside a git work tree: sets skip[i] for each file of files (paths relative to
 * root) that git ignores (.gitignore, .git/info/exclude, core.excludesFile) and does not track,
 * and returns how many; 0 outside a work tree, and 0 with err set when libgit2 cannot be loaded. */
size_t sc_secrets_git_ignored(const char *root, const struct sc_ptrvec *files, unsigned char *skip,
			      struct sc_error *err);

/* The check itself (lib/checks/checks.def: SC_CHECK(secrets)). */
extern const struct sc_check sc_check_secrets;

#ifdef __cplusplus
}
#endif
#endif
