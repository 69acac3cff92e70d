/* sc_core.h - status codes, errors, arena, string buffer, vectors and small helpers of libshipcheck. */
#ifndef SHIPCHECK_SC_CORE_H
#define SHIPCHECK_SC_CORE_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#ifdef __cplusplus
extern "C" {
#endif

#define SC_PRINTF(a, b) __attribute__((format(printf, a, b)))

/* Status of every fallible call. Values are stable. */
enum sc_status {
	SC_OK = 0,
	SC_WARN = 1,      /* partial success: a warning was recorded, the work went on */
	SC_EINPUT = 2,    /* malformed or unusable input */
	SC_ELIMIT = 3,    /* input exceeded a configured limit */
	SC_EIO = 4,       /* read/write failure */
	SC_EDB = 5,       /* vulnerability database error */
	SC_EINTERNAL = 6, /* bug or unexpected library failure */
};

const char *sc_status_name(enum sc_status st);

/* An error owns copies of its location and message. Zero-initialise; free with sc_error_clear(). */
struct sc_error {
	enum sc_status status;
	char *file;    /* may be NULL */
	unsigned line; /* 1-based, 0 = unknown */
	unsigned col;  /* 1-based, 0 = unknown */
	char *msg;
};

/* Sets err (if non-NULL) and returns status, so callers can `return sc_error_set(...)`.
 * A second call on an already-set error keeps the first message (the root cause). */
enum sc_status sc_error_set(struct sc_error *err, enum sc_status st, const char *file, unsigned line,
			    unsigned col, const char *fmt, ...) SC_PRINTF(6, 7);
enum sc_status sc_error_setv(struct sc_error *err, enum sc_status st, const char *file, unsigned line,
			     unsigned col, const char *fmt, va_list ap);
/* Replaces any previous content. */
enum sc_status sc_error_reset(struct sc_error *err, enum sc_status st, const char *file, unsigned line,
			      unsigned col, const char *fmt, ...) SC_PRINTF(6, 7);
void sc_error_clear(struct sc_error *err);
/* Formats "FILE:LINE:COL: message" (parts omitted when unknown) into buf. */
void sc_error_format(const struct sc_error *err, char *buf, size_t size);

/* Allocation that aborts on out-of-memory. */
void *sc_xmalloc(size_t n);
void *sc_xcalloc(size_t n, size_t size);
void *sc_xrealloc(void *p, size_t n);
char *sc_xstrdup(const char *s);
char *sc_xstrndup(const char *s, size_t n);
char *sc_xasprintf(const char *fmt, ...) SC_PRINTF(1, 2);

/* Arena: bump allocator; everything allocated dies with sc_arena_free(). */
struct sc_arena;
struct sc_arena *sc_arena_new(void);
void sc_arena_free(struct sc_arena *a);
/* Moves everything allocated in src into dst (it dies with dst); src is freed. */
void sc_arena_adopt(struct sc_arena *dst, struct sc_arena *src);
void *sc_arena_alloc(struct sc_arena *a, size_t n);  /* zeroed, 16-byte aligned */
char *sc_arena_strdup(struct sc_arena *a, const char *s); /* NULL -> NULL */
char *sc_arena_strndup(struct sc_arena *a, const char *s, size_t n);
char *sc_arena_printf(struct sc_arena *a, const char *fmt, ...) SC_PRINTF(2, 3);
char *sc_arena_vprintf(struct sc_arena *a, const char *fmt, va_list ap);
size_t sc_arena_used(const struct sc_arena *a);

/* Growable byte buffer with a mandatory size limit (like curl's dynbuf). Always NUL-terminated. */
struct sc_strbuf {
	char *buf;
	size_t len;
	size_t cap;
	size_t limit;
};
void sc_strbuf_init(struct sc_strbuf *sb, size_t limit);
/* Appends; returns SC_ELIMIT (and leaves the buffer unchanged) when the limit would be passed. */
enum sc_status sc_strbuf_append(struct sc_strbuf *sb, const void *data, size_t n);
enum sc_status sc_strbuf_puts(struct sc_strbuf *sb, const char *s);
enum sc_status sc_strbuf_putc(struct sc_strbuf *sb, char c);
enum sc_status sc_strbuf_printf(struct sc_strbuf *sb, const char *fmt, ...) SC_PRINTF(2, 3);
void sc_strbuf_reset(struct sc_strbuf *sb);
void sc_strbuf_free(struct sc_strbuf *sb);
/* Hands the buffer to the caller (free()), leaving sb empty. */
char *sc_strbuf_take(struct sc_strbuf *sb);
static inline const char *sc_strbuf_str(const struct sc_strbuf *sb) { return sb->buf ? sb->buf : ""; }

/* Buffer for megabytes filled once and read once in a hot path (a package index and what is made
 * from it): from 2 MiB on, an anonymous mapping in whole, aligned 2 MiB units advised as
 * transparent huge pages (a page fault per 2 MiB instead of per 4 KiB); below, malloc. Always
 * NUL-terminated once allocated. Zero-initialise with sc_bigbuf_init(). */
struct sc_bigbuf {
	char *buf;
	size_t len;
	size_t cap;
	size_t limit;
	bool mapped;
};
void sc_bigbuf_init(struct sc_bigbuf *b, size_t limit);
/* Makes room for n more bytes; SC_ELIMIT when len + n would pass the limit. */
enum sc_status sc_bigbuf_reserve(struct sc_bigbuf *b, size_t n);
enum sc_status sc_bigbuf_append(struct sc_bigbuf *b, const void *data, size_t n);
void sc_bigbuf_free(struct sc_bigbuf *b);
/* Replaces the content with a regular file's (opened without following a final symlink, read up
 * to the limit). */
enum sc_status sc_bigbuf_read_file(struct sc_bigbuf *b, const char *path, struct sc_error *err);
/* Puts the main heap in transparent huge pages (grown 64 MiB at a time, kept when freed): for a
 * program that owns its process, called first thing (the CLI does). */
void sc_heap_use_huge_pages(void);

/* Vector of pointers (heap; the vector does not own the pointees). */
struct sc_ptrvec {
	void **items;
	size_t len;
	size_t cap;
};
void sc_ptrvec_push(struct sc_ptrvec *v, void *p);
void sc_ptrvec_free(struct sc_ptrvec *v);
void sc_ptrvec_sort(struct sc_ptrvec *v, int (*cmp)(const void *a, const void *b));

/* Hash map from NUL-terminated string keys to pointers. Keys are borrowed unless copied by caller. */
struct sc_map;
struct sc_map *sc_map_new(void);
void sc_map_free(struct sc_map *m);
/* Returns previous value or NULL. */
void *sc_map_put(struct sc_map *m, const char *key, void *value);
void *sc_map_get(const struct sc_map *m, const char *key);
size_t sc_map_len(const struct sc_map *m);
/* Iterate: start with *it = 0; returns false at end. */
bool sc_map_next(const struct sc_map *m, size_t *it, const char **key, void **value);
uint64_t sc_hash_bytes(const void *data, size_t n);

/* Files. */
/* Reads a whole regular file from an open descriptor (closed in every case) up to limit bytes. */
enum sc_status sc_read_fd(int fd, const char *path, uint64_t limit, char **data, size_t *len,
			  struct sc_error *err);

/* Cache directories (lib/core/cachedir.c). sc_cache_touch marks an entry as used (its mtime, at
 * most once a day). sc_cache_prune removes, among the regular files of dir whose name ends with one
 * of suffixes (NULL-terminated): those unused for max_age_days; then, while they total more than
 * max_bytes (0: no budget), the least recently used. Temporary files (".tmp" in the name) older
 * than a day go too. Other files, directories and symlinks are left alone. */
void sc_cache_touch(const char *path);
/* The cache directory for SUB, created (mode 0700, with its parents) if needed: DIR/SUB when DIR
 * (--cache-dir) is given, else $XDG_CACHE_HOME/shipcheck/SUB or ~/.cache/shipcheck/SUB. NULL when
 * no_cache is set, when neither variable is set, or when it cannot be created. Free it. */
char *sc_cache_subdir(const char *dir, bool no_cache, const char *sub);
void sc_cache_prune(const char *dir, const char *const *suffixes, unsigned max_age_days, uint64_t max_bytes);

/* Batch reads (lib/core/batchread.c): the first `want` bytes of up to max_batch files beneath a
 * directory, opened and read with io_uring in one system call per batch, never through a symlink or
 * out of the directory. sc_batch_reader_new fails (SC_EIO) where io_uring is unavailable; a failed
 * sc_batch_read leaves the reader unusable: callers then read with plain system calls. A reader
 * belongs to the thread that made it. */
struct sc_batch_reader;
struct sc_batch_file {
	const char *path; /* relative to the directory */
	char *buf;        /* want bytes */
	size_t want;
	size_t len;       /* out: bytes read (less than want: the whole file) */
	int err;          /* out: errno of the open or the read, 0 when read */
	bool open_failed; /* out: err is the open's */
};
enum sc_status sc_batch_reader_new(unsigned max_batch, struct sc_batch_reader **out);
enum sc_status sc_batch_read(struct sc_batch_reader *r, int dirfd, struct sc_batch_file *files, unsigned n);
void sc_batch_reader_free(struct sc_batch_reader *r);
/* Opens path (relative to rootfd) for reading with O_CLOEXEC | O_NOFOLLOW | flags, never through a
 * symlink or out of rootfd (openat2 RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS); -1 with errno set. */
int sc_open_beneath(int rootfd, const char *path, int flags);
/* Opens a regular file for reading (not following a final symlink, not blocking on a FIFO put
 * there) of at most limit bytes: the descriptor in *fd (-1 on error) and its size in *size. */
enum sc_status sc_open_regular(const char *path, uint64_t limit, int *fd, uint64_t *size, struct sc_error *err);
/* Reads a whole regular file (not following a final symlink when nofollow) up to limit bytes. */
enum sc_status sc_read_file(const char *path, size_t limit, char **data, size_t *len, struct sc_error *err);
/* Writes atomically: to PATH.tmp.XXXXXX in the same directory, fsync, rename. */
enum sc_status sc_write_file_atomic(const char *path, const void *data, size_t len, struct sc_error *err);

/* Atomic output file: write to a stream, then commit (rename) or abort (unlink). A path that
 * exists and is not a regular file (a device such as /dev/null, a FIFO) is written in place. */
struct sc_outfile {
	FILE *fp;
	char *path;
	char *tmp; /* NULL when writing in place */
};
enum sc_status sc_outfile_open(struct sc_outfile *of, const char *path, struct sc_error *err);
enum sc_status sc_outfile_commit(struct sc_outfile *of, struct sc_error *err);
void sc_outfile_abort(struct sc_outfile *of);

/* Paths (always '/'-separated). */
/* Matches a gitignore/dockerignore-style glob: `*` and `?` do not cross '/', `**` does. */
bool sc_glob_match(const char *pattern, const char *path);
/* Joins a and b with one '/'. Result is malloc'd. */
char *sc_path_join(const char *a, const char *b);
/* Normalises "a/./b/../c" to "a/c"; leading '/' and "./" removed. Returns false if ".." would escape. */
bool sc_path_clean(const char *in, char *out, size_t outsz);
const char *sc_path_base(const char *path);
/* The directory part of a relative path ("a/b/c" -> "a/b", "c" -> ""). Result is malloc'd. */
char *sc_path_dir(const char *path);
/* Whether s (NULL: no) ends with suffix, case-sensitively. */
bool sc_str_has_suffix(const char *s, const char *suffix);

/* Hashes (libcrypto). out must hold 65 / 41 bytes. */
void sc_sha256_hex(const void *data, size_t n, char out[65]);
void sc_sha1_hex(const void *data, size_t n, char out[41]);

/* Dates: parses YYYY-MM-DD into days since 1970-01-01; returns false if invalid. */
bool sc_date_parse(const char *s, int64_t *days);
/* Today (UTC) in days since epoch; honours SHIPCHECK_TODAY=YYYY-MM-DD for reproducible tests. */
int64_t sc_date_today(void);

/* Terminal progress (stderr, only when it is a terminal and not quiet). */
struct sc_progress {
	const char *label;
	uint64_t total;
	uint64_t done;
	int64_t last_ms;
	bool enabled;
};
void sc_progress_start(struct sc_progress *p, const char *label, uint64_t total, bool quiet);
void sc_progress_update(struct sc_progress *p, uint64_t done);
void sc_progress_finish(struct sc_progress *p);

/* Library version string. */
const char *sc_tool_version(void);

#ifdef __cplusplus
}
#endif
#endif
