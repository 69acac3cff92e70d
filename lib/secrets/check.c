/* check.c - the "secrets" check: scans every file of a repository (mmap, never following
 * symlinks, binary files skipped by content, two threads) or of an image's merged view including
 * deleted files; applies inline allowlists and the detect-secrets baseline; turns matches into
 * findings; writes the baseline for `shipcheck secrets baseline` / `--update-baseline`. */
#include "secrets/build_id.h"
#include "shipcheck/sc_policy.h"
#include "shipcheck/sc_scan.h"
#include "shipcheck/sc_image.h"
#include "shipcheck/sc_secrets.h"
#include "filters.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#define CHUNK ((size_t)64 << 20)   /* large files are scanned in windows of this size */
#define OVERLAP ((size_t)64 << 10) /* ... overlapping by this much */
#define IMAGE_FILE_MAX ((uint64_t)256 << 20) /* image files are read whole: bounded */
#define SMALL_FILE ((size_t)256 << 10) /* smaller files are read, not mapped */

/* One match, copied out of a worker. */
struct rec {
	const struct sc_secret_rule *rule;
	char *path;
	unsigned line, col;
	int layer;
	bool deleted;
	unsigned char made_up; /* SC_MADE_UP_* */
	bool test_hunk;
	char sha1[41];
	char redacted[64];
	bool allow;
	char *reason;
	char *commit; /* history scans */
};

struct recs {
	struct rec *items;
	size_t n, cap;
};

static void recs_push(struct recs *v, const struct rec *r)
{
	if (v->n == v->cap) {
		v->cap = v->cap ? v->cap * 2 : 64;
		v->items = sc_xrealloc(v->items, v->cap * sizeof(*v->items));
	}
	v->items[v->n++] = *r;
}

static void recs_free(struct recs *v)
{
	for (size_t i = 0; i < v->n; i++) {
		free(v->items[i].path);
		free(v->items[i].reason);
		free(v->items[i].commit);
	}
	free(v->items);
	memset(v, 0, sizeof(*v));
}

struct warn {
	char *path;
	char *msg;
};

struct worker {
	struct shared *sh;
	struct sc_secrets_scanner *sc;
	struct recs recs;
	struct warn *warns;
	size_t nwarns, capwarns;
	uint64_t bytes;
	char *small; /* read buffer for small files */
	int dirfd;     /* the directory of the last file opened (-1 = none), beneath the root */
	char *dirpath; /* its path relative to the root */
	struct sc_batch_reader *br; /* small files of a directory target, a batch at a time */
	bool br_tried;
	struct sc_bigbuf brbuf;     /* their bytes: BATCH files of less than SMALL_FILE */
	const char *rec_prefix;     /* history: "SEQ\x1fCOMMIT\x1f" put before the path of each record */
};

struct shared {
	const struct sc_fs *fs;
	int rootfd;
	size_t next;
	const unsigned char *const *added; /* per file line masks (staged/since), or NULL */
	const size_t *nadded;
	const char *const *contents; /* per file content (git), or NULL */
	const size_t *lens;
	const char *const *paths;
	size_t nfiles;
	size_t unread; /* image files whose bytes the image reader did not keep (atomic) */
	const char *engine_cache; /* where the compiled rules are kept, or NULL */
	const unsigned char *skip; /* per file: git ignores it (a work tree's build output, deps...) */
};

/* The cache directory of the compiled rules, per the scan's --cache-dir / --no-cache. */
static char *engine_cache(const struct sc_scan_options *o)
{
	return sc_cache_subdir(o->cache_dir, o->no_cache, "secrets");
}

static void add_warn(struct worker *w, const char *path, const char *fmt, const char *a)
{
	if (w->nwarns == w->capwarns) {
		w->capwarns = w->capwarns ? w->capwarns * 2 : 16;
		w->warns = sc_xrealloc(w->warns, w->capwarns * sizeof(*w->warns));
	}
	w->warns[w->nwarns].path = sc_xstrdup(path);
	w->warns[w->nwarns].msg = sc_xasprintf(fmt, a);
	w->nwarns++;
}

/* Per-buffer state of the callback. */
struct cbctx {
	struct worker *w;
	const char *base;      /* start of the buffer */
	size_t report_below;   /* only secrets starting before this offset */
	unsigned line_base;    /* line number of the buffer's first line, minus one */
	const unsigned char *added;
	size_t nadded;
};

static bool on_match(void *ud, const struct sc_secret_match *m)
{
	struct cbctx *c = ud;
	if ((size_t)(m->secret - c->base) >= c->report_below)
		return true;
	unsigned line = c->line_base + m->line;
	if (c->added && (line == 0 || line > c->nadded || !c->added[line - 1]))
		return true;
	struct rec r = {0};
	r.rule = m->rule;
	r.path = c->w->rec_prefix ? sc_xasprintf("%s%s", c->w->rec_prefix, m->path) : sc_xstrdup(m->path);
	r.line = line;
	r.col = m->col;
	r.layer = m->layer;
	r.deleted = m->deleted;
	r.made_up = m->made_up;
	r.test_hunk = m->test_hunk;
	memcpy(r.sha1, m->sha1, sizeof(r.sha1));
	memcpy(r.redacted, m->redacted, sizeof(r.redacted));
	r.allow = m->allowlisted;
	r.reason = m->allow_reason ? sc_xstrdup(m->allow_reason) : NULL;
	recs_push(&c->w->recs, &r);
	return true;
}

static size_t count_lines(const char *p, size_t n)
{
	size_t k = 0;
	const char *end = p + n;
	while ((p = memchr(p, '\n', (size_t)(end - p)))) {
		k++;
		p++;
	}
	return k;
}

/* Scans a buffer that may be larger than CHUNK, window by window. */
static void scan_big(struct worker *w, const char *path, const char *data, size_t len, int layer, bool deleted,
		     const unsigned char *added, size_t nadded)
{
	struct sc_error err = {0};
	if (sc_secrets_is_binary(data, len))
		return;
	size_t off = 0;
	unsigned line_base = 0;
	while (off < len) {
		size_t n = len - off;
		size_t report = n;
		if (n > CHUNK + OVERLAP) {
			n = CHUNK + OVERLAP;
			report = CHUNK;
		}
		struct cbctx c = {w, data + off, report, line_base, added, nadded};
		/* the binary check was done on the head; chunks may contain NULs further in */
		enum sc_status st = sc_secrets_scan_raw(w->sc, path, data + off, n, layer, deleted, on_match, &c, &err);
		if (st != SC_OK)
			add_warn(w, path, "secrets: %s", err.msg ? err.msg : "scan failed");
		if (st > SC_WARN) {
			sc_error_clear(&err);
			return;
		}
		sc_error_clear(&err);
		if (report < n)
			line_base += (unsigned)count_lines(data + off, report);
		off += report;
	}
}

/* A whole small file read into buf. */
static void scan_read(struct worker *w, const struct sc_file *f, const char *buf, size_t got)
{
	if (!got || sc_secrets_is_binary(buf, got))
		return;
	struct cbctx c = {w, buf, got, 0, NULL, 0};
	struct sc_error err = {0};
	if (sc_secrets_scan_raw(w->sc, f->path, buf, got, f->layer, f->deleted, on_match, &c, &err) != SC_OK)
		add_warn(w, f->path, "secrets: %s", err.msg ? err.msg : "scan failed");
	sc_error_clear(&err);
	w->bytes += got;
}

/* Small files (size from the walk): read into the worker's buffer, no stat, no mapping. The walk
 * listed a regular file, and O_NOFOLLOW|O_NONBLOCK keep a swapped-in link or FIFO harmless.
 * Returns false when the file is larger than expected (it grew): the caller maps it instead. */
static bool scan_small(struct worker *w, const struct sc_file *f, int fd)
{
	if (!w->small)
		w->small = sc_xmalloc(SMALL_FILE);
	/* One read of the walk's size plus a byte: a regular file returns less than asked only at its
	 * end, so a short read is the whole file (no second call to see EOF); a full one means it grew
	 * and is read on to SMALL_FILE. */
	size_t got = 0, want = f->size + 1 < SMALL_FILE ? (size_t)f->size + 1 : SMALL_FILE;
	while (got < SMALL_FILE) {
		ssize_t r = pread(fd, w->small + got, want - got, (off_t)got);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			if (errno != EAGAIN)
				add_warn(w, f->path, "secrets: cannot read: %s", strerror(errno));
			return true;
		}
		if (r == 0)
			break;
		got += (size_t)r;
		if (got < want)
			break;
		want = SMALL_FILE;
	}
	if (got == SMALL_FILE)
		return false;
	scan_read(w, f, w->small, got);
	return true;
}

/* Large files: mapped in windows of CHUNK bytes overlapping by OVERLAP. */
static void scan_large(struct worker *w, const struct sc_file *f, int fd)
{
	struct stat sb;
	if (fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode) || !sb.st_size)
		return;
	size_t size = (size_t)sb.st_size;
	/* head: binary check on the first bytes before mapping everything */
	char head[8192];
	ssize_t k = pread(fd, head, sizeof(head), 0);
	if (k < 0) {
		add_warn(w, f->path, "secrets: cannot read: %s", strerror(errno));
		return;
	}
	if (sc_secrets_is_binary(head, (size_t)k))
		return;
	size_t off = 0;
	unsigned line_base = 0;
	while (off < size) {
		size_t n = size - off, report = n;
		if (n > CHUNK + OVERLAP) {
			n = CHUNK + OVERLAP;
			report = CHUNK;
		}
		void *map = mmap(NULL, n, PROT_READ, MAP_PRIVATE, fd, (off_t)off);
		if (map == MAP_FAILED) {
			add_warn(w, f->path, "secrets: cannot map: %s", strerror(errno));
			break;
		}
		madvise(map, n, MADV_SEQUENTIAL);
		struct cbctx c = {w, map, report, line_base, NULL, 0};
		struct sc_error err = {0};
		enum sc_status st = sc_secrets_scan_raw(w->sc, f->path, map, n, f->layer, f->deleted, on_match, &c, &err);
		if (st != SC_OK)
			add_warn(w, f->path, "secrets: %s", err.msg ? err.msg : "scan failed");
		sc_error_clear(&err);
		if (report < n)
			line_base += (unsigned)count_lines(map, report);
		w->bytes += report;
		munmap(map, n);
		off += report;
	}
}

/* Opens f beneath the root. Files come in path order, so the worker keeps the directory of the last
 * one open and opens its neighbours relative to it: one path component, O_NOFOLLOW, no lookup of
 * the whole path again. The directory itself was opened beneath the root without symlinks. */
static int open_file(struct worker *w, const char *path)
{
	const char *slash = strrchr(path, '/');
	if (!slash)
		return sc_open_beneath(w->sh->rootfd, path, O_NONBLOCK);
	size_t dl = (size_t)(slash - path);
	if (!w->dirpath || strlen(w->dirpath) != dl || memcmp(w->dirpath, path, dl)) {
		if (w->dirfd >= 0)
			close(w->dirfd);
		free(w->dirpath);
		w->dirpath = sc_xstrndup(path, dl);
		w->dirfd = sc_open_beneath(w->sh->rootfd, w->dirpath, O_DIRECTORY);
	}
	if (w->dirfd < 0)
		return sc_open_beneath(w->sh->rootfd, path, O_NONBLOCK); /* reports the error of the whole path */
	return openat(w->dirfd, slash + 1, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK);
}

static void scan_fd_file(struct worker *w, const struct sc_file *f)
{
	int fd = open_file(w, f->path);
	if (fd < 0) {
		add_warn(w, f->path, "secrets: cannot open: %s", strerror(errno));
		return;
	}
	if (f->size >= SMALL_FILE || !scan_small(w, f, fd))
		scan_large(w, f, fd);
	close(fd);
}

/* Is file i of the target scanned: a non-empty regular file, not the baseline, not ignored by git? */
static bool scanned(const struct shared *sh, size_t i)
{
	const struct sc_file *f = sh->fs->files.items[i];
	return S_ISREG(f->mode) && f->size && strcmp(sc_path_base(f->path), ".secrets.baseline") &&
	       !(sh->skip && sh->skip[i]);
}

static void work_one(struct worker *w, size_t i)
{
	struct shared *sh = w->sh;
	if (sh->contents) {
		scan_big(w, sh->paths[i], sh->contents[i], sh->lens[i], 0, false, sh->added ? sh->added[i] : NULL,
			 sh->nadded ? sh->nadded[i] : 0);
		w->bytes += sh->lens[i];
		return;
	}
	const struct sc_file *f = sh->fs->files.items[i];
	if (!scanned(sh, i))
		return;
	if (sh->rootfd >= 0) {
		scan_fd_file(w, f);
		return;
	}
	char *data = NULL;
	size_t len = 0;
	struct sc_error err = {0};
	if (f->size > IMAGE_FILE_MAX) {
		add_warn(w, f->path, "secrets: %s", "file larger than 256 MiB in an image, not scanned");
		return;
	}
	if (sc_fs_read(sh->fs, f->path, IMAGE_FILE_MAX, &data, &len, &err) != SC_OK) {
		if (f->layer > 0 && err.status == SC_EINPUT)
			__atomic_fetch_add(&sh->unread, 1, __ATOMIC_RELAXED); /* one summary warning */
		else
			add_warn(w, f->path, "secrets: cannot read: %s", err.msg ? err.msg : "?");
		sc_error_clear(&err);
		return;
	}
	scan_big(w, f->path, data, len, f->layer, f->deleted, NULL, 0);
	w->bytes += len;
	free(data);
}

/* Workers take runs of BATCH consecutive files (neighbours in one directory) from a shared index. */
#define BATCH 16u

/* The small files of a run in a directory target, opened and read in one batch (lib/core/batchread.c);
 * false when the batch reader is unavailable. A file it could not finish (it grew, or reading it
 * would block) is left to work_one, like every file it does not take. */
static bool work_run(struct worker *w, size_t b, size_t e)
{
	struct shared *sh = w->sh;
	if (sh->contents || sh->rootfd < 0)
		return false;
	if (!w->br_tried) { /* made by the thread that uses it */
		w->br_tried = true;
		sc_bigbuf_init(&w->brbuf, (size_t)BATCH * SMALL_FILE);
		if (sc_batch_reader_new(BATCH, &w->br) == SC_OK &&
		    sc_bigbuf_reserve(&w->brbuf, (size_t)BATCH * SMALL_FILE) != SC_OK) {
			sc_batch_reader_free(w->br);
			w->br = NULL;
		}
	}
	if (!w->br)
		return false;
	struct sc_batch_file bf[BATCH];
	size_t at[BATCH];
	unsigned n = 0;
	size_t off = 0;
	for (size_t i = b; i < e; i++) {
		const struct sc_file *f = sh->fs->files.items[i];
		if (!scanned(sh, i) || f->size >= SMALL_FILE)
			continue;
		/* the walk's size plus one byte: less comes back only when that is the whole file */
		bf[n] = (struct sc_batch_file){.path = f->path, .buf = w->brbuf.buf + off, .want = (size_t)f->size + 1};
		off += bf[n].want;
		at[n++] = i;
	}
	/* whole paths from the root: measured as fast as opening each file in its directory (fewer
	 * components to look up, but a directory open per change of directory) */
	enum sc_status st = sc_batch_read(w->br, sh->rootfd, bf, n);
	if (st != SC_OK)
		return false;
	for (size_t i = b, k = 0; i < e; i++) {
		const struct sc_file *f = sh->fs->files.items[i];
		if (k == n || at[k] != i) {
			work_one(w, i);
			continue;
		}
		const struct sc_batch_file *r = &bf[k++];
		if (r->open_failed)
			add_warn(w, f->path, "secrets: cannot open: %s", strerror(r->err));
		else if (r->err && r->err != EAGAIN)
			add_warn(w, f->path, "secrets: cannot read: %s", strerror(r->err));
		else if (r->err || r->len == r->want)
			work_one(w, i); /* would block, or grew since the walk */
		else
			scan_read(w, f, r->buf, r->len);
	}
	return true;
}

static void *work(void *arg)
{
	struct worker *w = arg;
	struct shared *sh = w->sh;
	for (;;) {
		size_t b = __atomic_fetch_add(&sh->next, BATCH, __ATOMIC_RELAXED);
		if (b >= sh->nfiles)
			break;
		size_t e = b + BATCH < sh->nfiles ? b + BATCH : sh->nfiles;
		if (work_run(w, b, e))
			continue;
		for (size_t i = b; i < e; i++)
			work_one(w, i);
	}
	sc_batch_reader_free(w->br);
	w->br = NULL;
	sc_bigbuf_free(&w->brbuf);
	if (w->dirfd >= 0)
		close(w->dirfd);
	w->dirfd = -1;
	free(w->dirpath);
	w->dirpath = NULL;
	return NULL;
}

static int cmp_rec(const void *a, const void *b)
{
	const struct rec *x = a, *y = b;
	int c = strcmp(x->path, y->path);
	if (c)
		return c;
	if (x->line != y->line)
		return x->line < y->line ? -1 : 1;
	return x->col < y->col ? -1 : x->col > y->col;
}

/* Runs the workers over sh; all matches end up in out (sorted), warnings in r. */
static enum sc_status run_workers(struct shared *sh, unsigned threads, struct recs *out, struct sc_result *r,
				  uint64_t *bytes, struct sc_error *err)
{
	const struct sc_secrets_engine *e = NULL;
	enum sc_status st = sc_secrets_engine_shared(sh->engine_cache, &e, err);
	if (st != SC_OK)
		return st;
	if (threads == 0)
		threads = 2;
	if (threads > 16)
		threads = 16;
	if (sh->nfiles < 32)
		threads = 1;
	struct worker ws[16];
	memset(ws, 0, sizeof(ws));
	for (unsigned t = 0; t < threads; t++) {
		ws[t].sh = sh;
		ws[t].dirfd = -1;
		st = sc_secrets_scanner_new(e, &ws[t].sc, err);
		if (st != SC_OK)
			goto out;
	}
	pthread_t tids[16];
	unsigned started = 0;
	for (unsigned t = 1; t < threads; t++)
		if (pthread_create(&tids[t], NULL, work, &ws[t]) == 0)
			started = t;
	work(&ws[0]);
	for (unsigned t = 1; t <= started; t++)
		pthread_join(tids[t], NULL);
	for (unsigned t = 0; t < threads; t++) {
		for (size_t i = 0; i < ws[t].recs.n; i++)
			recs_push(out, &ws[t].recs.items[i]);
		free(ws[t].recs.items);
		ws[t].recs.items = NULL;
		for (size_t i = 0; i < ws[t].nwarns; i++) {
			if (r)
				sc_result_add_warning(r, ws[t].warns[i].path, 0, 0, "%s", ws[t].warns[i].msg);
			free(ws[t].warns[i].path);
			free(ws[t].warns[i].msg);
		}
		free(ws[t].warns);
		free(ws[t].small);
		if (bytes)
			*bytes += ws[t].bytes;
	}
	if (r && sh->unread)
		sc_result_add_warning(r, NULL, 0, 0,
				      "secrets: %zu image files were not scanned: the image reader keeps only the "
				      "files other checks need",
				      sh->unread);
	if (out->n > 1)
		qsort(out->items, out->n, sizeof(*out->items), cmp_rec);
out:
	for (unsigned t = 0; t < threads; t++)
		sc_secrets_scanner_free(ws[t].sc);
	return st;
}

static const char remediation[] =
	"Rotate the credential at the provider first (it is compromised once committed or shipped), then "
	"remove it from the code and from the git history (git filter-repo), and load it at run time from a "
	"secret manager or the environment; in Dockerfiles use build secrets (`RUN --mount=type=secret`), "
	"never ARG/ENV. If it is not a secret, mark the line with `pragma: allowlist secret` or accept it "
	"in .secrets.baseline (`shipcheck secrets scan --update-baseline`).";

/* An image instruction safe to print: every token-like run of 16+ characters (keys, hashes,
 * base64) is cut to 4 characters, so a build arg's value never reaches a report. */
static char *safe_instruction(struct sc_arena *a, const char *text)
{
	if (!text)
		return NULL;
	size_t n = strlen(text);
	if (n > 512)
		n = 512;
	char *out = sc_arena_alloc(a, n + 8);
	size_t k = 0;
	for (size_t i = 0; i < n;) {
		size_t j = i;
		while (j < n && (isalnum((unsigned char)text[j]) || strchr("+/=_.-%:@", text[j])))
			j++;
		if (j - i >= 16) {
			memcpy(out + k, text + i, 4);
			k += 4;
			memcpy(out + k, "***", 3);
			k += 3;
			i = j;
		} else if (j > i) {
			memcpy(out + k, text + i, j - i);
			k += j - i;
			i = j;
		} else {
			out[k++] = text[i++];
		}
		if (k > n + 1)
			break;
	}
	out[k] = '\0';
	return out;
}

struct sc_finding *sc_secrets_add_finding(struct sc_result *r, const struct sc_secret_match *m,
					  const char *created_by_raw)
{
	const char *created_by = safe_instruction(r->arena, created_by_raw);
	struct sc_finding *f = sc_result_add_finding(r, m->rule->meta);
	f->severity = m->rule->severity;
	/* a key made where it is used (SR_LOCAL: a private key, a framework's signing key) under
	 * tests/, fixtures/, examples/ or docs is almost always one made for the test (a TLS
	 * server's): reported, but LOW, below the default gate; credentials issued by a provider keep
	 * their severity there, as a real token pasted into a test is a real leak */
	bool local = (m->rule->flags & SC_SR_LOCAL) != 0, fixture, vendored;
	sc_secrets_path_class(m->path, &fixture, &vendored);
	fixture |= m->test_hunk; /* a patch to a test's key (debian/patches/update-test-certs.diff) */
	bool test_key = local && fixture;
	/* anything in third-party code (vendored, or installed in the image: node_modules/,
	 * site-packages/...) is that project's, published with it (awscli's examples hold AKIA keys):
	 * LOW, as the service cannot rotate it; what the package manager wrote at install time is
	 * the service's (pip's direct_url.json) */
	bool third_party = !test_key && vendored;
	/* a GitHub or npm token whose checksum fails was never issued; a run of consecutive
	 * characters is typed, not generated */
	bool made_up = m->made_up != SC_MADE_UP_NONE && !test_key && !third_party;
	if ((test_key || third_party || made_up) && f->severity > SC_SEV_LOW)
		f->severity = SC_SEV_LOW;
	const char *note = made_up && m->made_up == SC_MADE_UP_CHECKSUM
				   ? " Its last six characters are not the checksum of the rest, so the provider never "
				     "issued it: a made-up value, as tests and examples use (LOW). If it was meant to "
				     "be a real token, check that it was copied whole."
			   : made_up ? " It holds a run of consecutive characters (1234567890, abcdefghij), as values typed "
				       "for tests and examples do, not generated ones (LOW). If it is a real credential, "
				       "rotate it."
			   : test_key ? " It is in a test, example or documentation path, so it is likely a key made "
				      "for the test (LOW); if it is a real key, rotate it."
			   : third_party && local
				? " It is in third-party code (vendor/, node_modules/, deps/...), so it is likely a test or "
				  "demo key of that project, not this service's (LOW); if it is a real key, rotate it."
			   : third_party
				? " It is in third-party code (vendor/, node_modules/, site-packages/...): a credential of "
				  "that project, published with it (LOW). If the package is the service's own, rotate "
				  "it; otherwise tell its maintainers."
				: "";
	f->title = m->rule->title;
	f->loc.path = sc_arena_strdup(r->arena, m->path);
	f->loc.line = m->line;
	f->loc.col = m->col;
	f->loc.layer = m->layer;
	f->loc.created_by = created_by;
	f->snippet_redacted = sc_arena_strdup(r->arena, m->redacted);
	f->remediation = remediation;
	/* identifiers (an audit, or a policy's rules.enable) and placeholders (an audit; LOW as made
	 * up, above) say what they are instead */
	bool ident = (m->rule->flags & SC_SR_IDENT) != 0, ph = m->made_up == SC_MADE_UP_PLACEHOLDER;
	const char *where = !ident && !ph ? NULL
			    : m->layer    ? sc_arena_printf(r->arena, "%s (layer %d)", m->path, m->layer)
					  : sc_arena_printf(r->arena, "%s:%u", m->path, m->line);
	if (ident) {
		f->message = sc_arena_printf(r->arena,
					     "%s in %s: `%s`. Not a credential: it names an account, a resource or a "
					     "client, which tells an attacker what to aim at.",
					     m->rule->title, where, m->redacted);
		f->remediation = "Nothing to rotate. If it should not be public (an internal account, bucket or "
				 "project), move it into the deployment's configuration; if it may be, accept it "
				 "with `pragma: allowlist secret` or in .secrets.baseline.";
	} else if (ph) {
		f->message = sc_arena_printf(r->arena,
					     "%s format in %s, holding a placeholder: `%s` (xxxx, a repeated character, "
					     "EXAMPLE or a provider's documented example value). It is not a credential "
					     "as written; it marks where one goes (LOW, reported by an audit).",
					     m->rule->title, where, m->redacted);
		f->remediation = "Nothing to rotate. Make sure the real value never replaces it in the repository "
				 "or the image: load it at run time from a secret manager or the environment "
				 "(`RUN --mount=type=secret` at build time).";
	} else if (m->layer) {
		f->message = sc_arena_printf(
			r->arena, "%s in %s (layer %d%s%s%s): `%s`. %sAnyone who can pull the image can read it.%s",
			m->rule->title, m->path, m->layer, created_by ? ", created by `" : "",
			created_by ? created_by : "", created_by ? "`" : "", m->redacted,
			m->deleted ? "The file is deleted by a later layer, but the layer still holds it. " : "", note);
	} else {
		f->message = sc_arena_printf(r->arena,
					     "%s in %s:%u: `%s`. Anyone who can read the repository, its history "
					     "or an image built from it can use it.%s",
					     m->rule->title, m->path, m->line, m->redacted, note);
	}
	sc_finding_set_fingerprint(f, m->path, m->sha1);
	return f;
}

static const char *layer_created_by(const struct sc_result *r, int layer)
{
	if (layer <= 0 || (size_t)layer > r->n_layers || !r->layers)
		return NULL;
	return r->layers[layer - 1].created_by;
}

/* Turns recs into findings (baseline + inline allowlist) and maintains the baseline. */
static enum sc_status emit(struct sc_scan_ctx *ctx, struct recs *recs, const char *repo_dir, bool partial,
			   struct sc_error *err)
{
	struct sc_secrets_options *so = ctx->opts->secrets;
	struct sc_result *r = ctx->result;
	struct sc_baseline *bl = NULL;
	char *bpath = NULL;
	enum sc_status st = SC_OK;
	if (so && so->baseline_path)
		bpath = sc_xstrdup(so->baseline_path);
	else if (repo_dir)
		bpath = sc_path_join(repo_dir, ".secrets.baseline");
	bool want_write = so && (so->write_baseline || so->update_baseline);
	if (bpath && !(so && so->no_baseline) && access(bpath, F_OK) == 0) {
		st = sc_baseline_load(bpath, &bl, err);
		if (st != SC_OK)
			goto out;
	}
	struct sc_baseline *nb = NULL;
	if (want_write)
		nb = bl ? bl : sc_baseline_new();
	/* an audit also reports the identifier rules (unless the policy disables them) and
	 * placeholders in a credential's format */
	bool audit = so && so->audit;
	for (size_t i = 0; i < recs->n; i++) {
		const struct rec *c = &recs->items[i];
		if (c->made_up == SC_MADE_UP_PLACEHOLDER && !audit)
			continue;
		if (!sc_policy_rule_enabled(ctx->policy, c->rule->meta) &&
		    !(audit && (c->rule->flags & SC_SR_IDENT) && !sc_policy_rule_disabled(ctx->policy, c->rule->meta)))
			continue;
		struct sc_secret_match m = {0};
		m.rule = c->rule;
		m.path = c->path;
		m.line = c->line;
		m.col = c->col;
		m.layer = c->layer;
		m.deleted = c->deleted;
		m.made_up = c->made_up;
		m.test_hunk = c->test_hunk;
		memcpy(m.sha1, c->sha1, sizeof(m.sha1));
		memcpy(m.redacted, c->redacted, sizeof(m.redacted));
		struct sc_finding *f = sc_secrets_add_finding(r, &m, layer_created_by(r, c->layer));
		if (c->commit)
			f->message = sc_arena_printf(r->arena, "%s First added in commit %.12s.", f->message, c->commit);
		if (c->allow) {
			f->suppressed = true;
			f->suppression_source = "inline";
			f->suppression_reason = c->reason ? sc_arena_strdup(r->arena, c->reason)
							  : "pragma: allowlist secret";
			continue;
		}
		struct sc_baseline_entry *be = bl ? sc_baseline_find(bl, c->path, c->sha1) : NULL;
		if (be) {
			be->seen = true;
			if (be->is_secret != 1) {
				f->suppressed = true;
				f->suppression_source = "baseline";
				f->suppression_reason = "accepted in .secrets.baseline";
			} else {
				f->message = sc_arena_printf(r->arena, "%s The baseline marks it as a real secret (is_secret: true).",
							     f->message);
			}
			if (nb)
				be->line = c->line;
		} else if (nb && !c->layer) {
			struct sc_baseline_entry *ne = sc_baseline_add(nb, c->path, sc_secrets_ds_type(c->rule), c->sha1, c->line);
			ne->seen = true;
			if (so->update_baseline) {
				f->suppressed = true;
				f->suppression_source = "baseline";
				f->suppression_reason = "added to .secrets.baseline by --update-baseline";
			}
		}
	}
	if (nb && bpath) {
		if (!partial)
			sc_baseline_prune(nb);
		st = sc_baseline_write(nb, bpath, err);
		if (st == SC_OK)
			so->baseline_written = nb->n;
		if (nb != bl)
			sc_baseline_free(nb);
	}
out:
	sc_baseline_free(bl);
	free(bpath);
	return st;
}

/* Files from git (staged / since / history). */
struct gitcoll {
	struct sc_ptrvec paths, datas, masks;
	size_t *lens, *nlines;
	size_t n, cap;
	struct sc_ptrvec commits;
	uint64_t total;
};

static void git_push(struct gitcoll *g, const char *path, const char *data, size_t len, const unsigned char *mask,
		     size_t nlines, const char *commit)
{
	if (g->n == g->cap) {
		g->cap = g->cap ? g->cap * 2 : 64;
		g->lens = sc_xrealloc(g->lens, g->cap * sizeof(size_t));
		g->nlines = sc_xrealloc(g->nlines, g->cap * sizeof(size_t));
	}
	sc_ptrvec_push(&g->paths, sc_xstrdup(path));
	char *d = sc_xmalloc(len + 1);
	memcpy(d, data, len);
	d[len] = '\0';
	sc_ptrvec_push(&g->datas, d);
	unsigned char *mk = NULL;
	if (mask) {
		mk = sc_xmalloc(nlines ? nlines : 1);
		memcpy(mk, mask, nlines);
	}
	sc_ptrvec_push(&g->masks, mk);
	sc_ptrvec_push(&g->commits, commit ? sc_xstrdup(commit) : NULL);
	g->lens[g->n] = len;
	g->nlines[g->n] = nlines;
	g->n++;
	g->total += len;
}

static void on_git_added(void *ud, const char *path, const char *data, size_t len, const unsigned char *added,
			 size_t nlines)
{
	git_push(ud, path, data, len, added, nlines, NULL);
}

/* History: each blob is scanned as it arrives, so memory stays bounded. */
struct histscan {
	struct worker w;
	size_t seq;
};

static void on_git_blob(void *ud, const char *commit, const char *path, const char *data, size_t len)
{
	struct histscan *h = ud;
	/* the blob is scanned as its path (file names and directories classify it); its records carry
	 * the order and the commit before the path */
	char *prefix = sc_xasprintf("%010zu\x1f%s\x1f", h->seq++, commit);
	h->w.rec_prefix = prefix;
	scan_big(&h->w, path, data, len, 0, false, NULL, 0);
	h->w.rec_prefix = NULL;
	h->w.bytes += len;
	free(prefix);
}

static void git_free(struct gitcoll *g)
{
	for (size_t i = 0; i < g->n; i++) {
		free(g->paths.items[i]);
		free(g->datas.items[i]);
		free(g->masks.items[i]);
		free(g->commits.items[i]);
	}
	sc_ptrvec_free(&g->paths);
	sc_ptrvec_free(&g->datas);
	sc_ptrvec_free(&g->masks);
	sc_ptrvec_free(&g->commits);
	free(g->lens);
	free(g->nlines);
}

static enum sc_status run_git(struct sc_scan_ctx *ctx, const struct sc_secrets_options *so, struct sc_error *err)
{
	struct gitcoll g = {0};
	enum sc_status st;
	const char *dir = ctx->opts->repo_dir;
	struct recs recs = {0};
	char *ec = engine_cache(ctx->opts);
	if (so->history) {
		const struct sc_secrets_engine *e = NULL;
		struct histscan h = {0};
		st = sc_secrets_engine_shared(ec, &e, err);
		if (st == SC_OK)
			st = sc_secrets_scanner_new(e, &h.w.sc, err);
		if (st == SC_OK)
			st = sc_secrets_git_history(dir, on_git_blob, &h, err);
		sc_secrets_scanner_free(h.w.sc);
		for (size_t i = 0; i < h.w.nwarns; i++) {
			sc_result_add_warning(ctx->result, h.w.warns[i].path, 0, 0, "%s", h.w.warns[i].msg);
			free(h.w.warns[i].path);
			free(h.w.warns[i].msg);
		}
		free(h.w.warns);
		recs = h.w.recs;
		if (st != SC_OK) {
			recs_free(&recs);
			free(ec);
			return st;
		}
		if (recs.n > 1)
			qsort(recs.items, recs.n, sizeof(*recs.items), cmp_rec);
	} else {
		st = sc_secrets_git_added(dir, so->staged, so->since, on_git_added, &g, err);
		if (st != SC_OK) {
			git_free(&g);
			free(ec);
			return st;
		}
	}
	if (!so->history) {
		struct shared sh = {0};
		sh.rootfd = -1;
		sh.nfiles = g.n;
		sh.paths = (const char *const *)g.paths.items;
		sh.contents = (const char *const *)g.datas.items;
		sh.lens = g.lens;
		sh.added = (const unsigned char *const *)g.masks.items;
		sh.nadded = g.nlines;
		sh.engine_cache = ec;
		st = run_workers(&sh, so->threads, &recs, ctx->result, NULL, err);
	}
	if (st == SC_OK && so->history) {
		/* the first commit that added each secret: blobs come oldest first, keep one per secret */
		struct sc_map *seen = sc_map_new();
		struct recs kept = {0};
		for (size_t i = 0; i < recs.n; i++) {
			struct rec *c = &recs.items[i];
			/* path is "SEQ\x1fCOMMIT\x1fPATH" in history mode: sorted oldest first */
			char key[64];
			snprintf(key, sizeof(key), "%s", c->sha1);
			if (sc_map_get(seen, key)) {
				free(c->path);
				free(c->reason);
				continue;
			}
			sc_map_put(seen, sc_arena_strdup(ctx->result->arena, key), (void *)1);
			char *a = strchr(c->path, '\x1f');
			char *b = a ? strchr(a + 1, '\x1f') : NULL;
			if (b) {
				c->commit = sc_xstrndup(a + 1, (size_t)(b - a - 1));
				char *p = sc_xstrdup(b + 1);
				free(c->path);
				c->path = p;
			}
			recs_push(&kept, c);
		}
		free(recs.items);
		recs = kept;
		sc_map_free(seen);
	}
	if (st == SC_OK)
		st = emit(ctx, &recs, dir, true, err);
	recs_free(&recs);
	git_free(&g);
	free(ec);
	return st;
}

/* ---- images: every file of every layer, scanned while the layers stream ---- */

struct sc_secrets_stream {
	const struct sc_secrets_engine *e;
	struct shared sh;
	struct worker w;
	char *cache_dir; /* per-layer results: <dir>/secrets-<diff_id hex>-<rules version> */
};

/* The rules' identity: a layer's cached results are valid only for the same rule set. */
static const char *rules_version(void)
{
	static char v[17];
	if (!v[0]) {
		struct sc_strbuf sb;
		sc_strbuf_init(&sb, (size_t)1 << 26);
		for (size_t i = 0; i < sc_secrets_rule_count(); i++) {
			const struct sc_secret_rule *r = sc_secrets_rule_at(i);
			sc_strbuf_printf(&sb, "%s\t%s\t%s\t%g\t%u\n", r->slug, r->keywords ? r->keywords : "",
					 r->pattern ? r->pattern : "", r->entropy, r->flags);
		}
		/* the filters decide the matches too: the build's commit */
		sc_strbuf_puts(&sb, "stream-v2 " SC_BUILD_ID);
		char hex[65];
		sc_sha256_hex(sb.buf, sb.len, hex);
		memcpy(v, hex, 16);
		sc_strbuf_free(&sb);
	}
	return v;
}

static char *layer_cache_path(const struct sc_secrets_stream *s, const char *diff_id)
{
	const char *hex = strncmp(diff_id, "sha256:", 7) ? diff_id : diff_id + 7;
	for (const char *p = hex; *p; p++)
		if (!isxdigit((unsigned char)*p))
			return NULL;
	/* the suffix the layer cache's upkeep knows (lib/target/cache.c): touched when used, pruned
	 * with the layers */
	return sc_xasprintf("%s/secrets-%s-%s.secrets", s->cache_dir, hex, rules_version());
}

/* A cached match's flags, one number: allowed inline, made up (checksum or typed run), in a test's
 * hunk of a patch. */
enum { RF_ALLOW = 1, RF_CHECKSUM = 2, RF_SEQUENCE = 4, RF_TEST_HUNK = 8, RF_PLACEHOLDER = 16 };

static unsigned rec_flags(const struct rec *c)
{
	return (c->allow ? RF_ALLOW : 0) | (c->made_up == SC_MADE_UP_CHECKSUM ? RF_CHECKSUM : 0) |
	       (c->made_up == SC_MADE_UP_SEQUENCE ? RF_SEQUENCE : 0) | (c->test_hunk ? RF_TEST_HUNK : 0) |
	       (c->made_up == SC_MADE_UP_PLACEHOLDER ? RF_PLACEHOLDER : 0);
}

static void rec_set_flags(struct rec *c, unsigned long fl)
{
	c->allow = (fl & RF_ALLOW) != 0;
	c->made_up = (fl & RF_CHECKSUM)      ? SC_MADE_UP_CHECKSUM
		     : (fl & RF_SEQUENCE)    ? SC_MADE_UP_SEQUENCE
		     : (fl & RF_PLACEHOLDER) ? SC_MADE_UP_PLACEHOLDER
					     : SC_MADE_UP_NONE;
	c->test_hunk = (fl & RF_TEST_HUNK) != 0;
}

void sc_secrets_stream_set_cache(struct sc_secrets_stream *s, const char *dir)
{
	free(s->cache_dir);
	s->cache_dir = dir ? sc_xstrdup(dir) : NULL;
}

/* The image reader asks: can this layer come from the layer cache? Yes when its matches are cached
 * too (one line per match: slug, line, col, sha1, redacted, flags (rec_flags), path, reason). */
bool sc_secrets_stream_cached(void *arg, int layer, const char *diff_id)
{
	struct sc_secrets_stream *s = arg;
	char *path = s->cache_dir ? layer_cache_path(s, diff_id) : NULL;
	char *data = NULL;
	size_t len = 0;
	struct sc_error err = {0};
	bool ok = path && sc_read_file(path, (size_t)64 << 20, &data, &len, &err) == SC_OK;
	sc_error_clear(&err);
	if (ok)
		sc_cache_touch(path);
	free(path);
	if (!ok)
		return false;
	struct recs got = {0};
	for (char *line = data, *next; line && *line; line = next) {
		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		char *f[8] = {0};
		size_t nf = 0;
		for (char *p = line; nf < 8; nf++) {
			f[nf] = p;
			p = strchr(p, '\t');
			if (!p) {
				nf++;
				break;
			}
			*p++ = '\0';
		}
		const struct sc_secret_rule *r = nf >= 7 ? sc_secrets_rule_find(f[0]) : NULL;
		if (!r || strlen(f[3]) != 40 || strlen(f[4]) >= sizeof(((struct rec *)0)->redacted)) {
			ok = false; /* unreadable: stream the layer again */
			break;
		}
		struct rec c = {0};
		c.rule = r;
		c.line = (unsigned)strtoul(f[1], NULL, 10);
		c.col = (unsigned)strtoul(f[2], NULL, 10);
		memcpy(c.sha1, f[3], 41);
		snprintf(c.redacted, sizeof(c.redacted), "%s", f[4]);
		rec_set_flags(&c, strtoul(f[5], NULL, 10));
		c.path = sc_xstrdup(f[6]);
		c.reason = nf > 7 && *f[7] ? sc_xstrdup(f[7]) : NULL;
		c.layer = layer;
		recs_push(&got, &c);
	}
	free(data);
	if (ok)
		for (size_t i = 0; i < got.n; i++)
			recs_push(&s->w.recs, &got.items[i]);
	else
		recs_free(&got);
	if (ok)
		free(got.items);
	return ok;
}

/* A streamed layer's matches are written for the next scan (atomically; skipped when a path could
 * not be written back safely). */
void sc_secrets_stream_stored(void *arg, int layer, const char *diff_id)
{
	struct sc_secrets_stream *s = arg;
	char *path = s->cache_dir ? layer_cache_path(s, diff_id) : NULL;
	if (!path)
		return;
	struct sc_strbuf sb;
	sc_strbuf_init(&sb, (size_t)64 << 20);
	bool ok = true;
	for (size_t i = 0; i < s->w.recs.n && ok; i++) {
		const struct rec *c = &s->w.recs.items[i];
		if (c->layer != layer)
			continue;
		if (strpbrk(c->path, "\t\n") || (c->reason && strpbrk(c->reason, "\t\n")))
			ok = false;
		else if (sc_strbuf_printf(&sb, "%s\t%u\t%u\t%s\t%s\t%u\t%s\t%s\n", c->rule->slug, c->line, c->col,
					  c->sha1, c->redacted, rec_flags(c), c->path, c->reason ? c->reason : "") != SC_OK)
			ok = false;
	}
	struct sc_error err = {0};
	if (ok)
		sc_write_file_atomic(path, sb.buf ? sb.buf : "", sb.len, &err);
	sc_error_clear(&err);
	sc_strbuf_free(&sb);
	free(path);
}

enum sc_status sc_secrets_stream_new(struct sc_secrets_stream **out, const char *engine_cache,
				    struct sc_error *err)
{
	*out = NULL;
	struct sc_secrets_stream *s = sc_xcalloc(1, sizeof(*s));
	enum sc_status st = sc_secrets_engine_shared(engine_cache, &s->e, err);
	if (st == SC_OK)
		st = sc_secrets_scanner_new(s->e, &s->w.sc, err);
	if (st != SC_OK) {
		sc_secrets_stream_free(s);
		return st;
	}
	s->w.sh = &s->sh;
	*out = s;
	return SC_OK;
}

void sc_secrets_stream_file(void *arg, int layer, const char *path, const unsigned char *data, size_t len)
{
	struct sc_secrets_stream *s = arg;
	if (!len || !strcmp(sc_path_base(path), ".secrets.baseline"))
		return;
	scan_big(&s->w, path, (const char *)data, len, layer, false, NULL, 0);
	s->w.bytes += len;
}

void sc_secrets_stream_free(struct sc_secrets_stream *s)
{
	if (!s)
		return;
	recs_free(&s->w.recs);
	for (size_t i = 0; i < s->w.nwarns; i++) {
		free(s->w.warns[i].path);
		free(s->w.warns[i].msg);
	}
	free(s->w.warns);
	free(s->w.small);
	sc_secrets_scanner_free(s->w.sc);
	free(s->cache_dir);
	free(s);
}

/* Findings of a streamed image: a secret in a file that a later layer deleted or replaced is still
 * in the image (anyone can extract the older layer), and is reported as such. */
static enum sc_status emit_stream(struct sc_scan_ctx *ctx, struct sc_secrets_stream *s, struct sc_error *err)
{
	for (size_t i = 0; i < s->w.nwarns; i++)
		sc_result_add_warning(ctx->result, s->w.warns[i].path, 0, 0, "%s", s->w.warns[i].msg);
	struct recs *recs = &s->w.recs;
	for (size_t i = 0; i < recs->n; i++) {
		struct rec *c = &recs->items[i];
		const struct sc_file *f = ctx->image_fs ? sc_fs_find(ctx->image_fs, c->path) : NULL;
		c->deleted = !f || f->deleted || f->layer != c->layer;
	}
	if (recs->n > 1)
		qsort(recs->items, recs->n, sizeof(*recs->items), cmp_rec);
	return emit(ctx, recs, NULL, false, err);
}

static enum sc_status run(struct sc_scan_ctx *ctx, struct sc_error *err)
{
	const struct sc_secrets_options *so = ctx->opts->secrets;
	if (ctx->repo && so && (so->staged || so->since || so->history))
		return run_git(ctx, so, err);
	enum sc_status st = SC_OK;
	/* an image scanned while its layers streamed: its findings are ready */
	struct sc_secrets_stream *stream = ctx->image_secrets;
	const struct sc_fs *targets[2] = {ctx->repo, stream ? NULL : ctx->image_fs};
	if (stream) {
		st = emit_stream(ctx, stream, err);
		if (st == SC_OK && ctx->image) {
			/* labels and each layer's history (build args leak there); Env is image-config's */
			struct sc_error merr = {0};
			sc_secrets_scan_image_config(ctx->result, NULL, ctx->image->labels, &merr);
			if (merr.msg)
				sc_result_add_warning(ctx->result, NULL, 0, 0, "secrets: image metadata: %s", merr.msg);
			sc_error_clear(&merr);
		}
		if (st != SC_OK)
			return st;
	}
	char *ec = engine_cache(ctx->opts);
	for (int t = 0; t < 2; t++) {
		const struct sc_fs *fs = targets[t];
		if (!fs)
			continue;
		struct shared sh = {0};
		sh.engine_cache = ec;
		sh.fs = fs;
		sh.nfiles = fs->files.len;
		sh.rootfd = fs->root && t == 0 ? open(fs->root, O_RDONLY | O_DIRECTORY | O_CLOEXEC) : -1;
		/* in a git work tree, what git ignores is not part of the repository: build output,
		 * installed dependencies, a developer's own .env (--all-files scans it too) */
		unsigned char *skip = NULL;
		if (t == 0 && fs->root && !(so && so->all_files)) {
			skip = sc_xcalloc(fs->files.len ? fs->files.len : 1, 1);
			struct sc_error gerr = {0};
			if (!sc_secrets_git_ignored(fs->root, &fs->files, skip, &gerr)) {
				free(skip);
				skip = NULL;
			}
			if (gerr.msg)
				sc_result_add_warning(ctx->result, NULL, 0, 0,
						      "secrets: cannot read the work tree's .gitignore rules (%s): files "
						      "git ignores are scanned too",
						      gerr.msg);
			sc_error_clear(&gerr);
		}
		sh.skip = skip;
		struct recs recs = {0};
		st = run_workers(&sh, so ? so->threads : 0, &recs, ctx->result, NULL, err);
		free(skip);
		if (sh.rootfd >= 0)
			close(sh.rootfd);
		if (st == SC_OK)
			st = emit(ctx, &recs, t == 0 ? ctx->opts->repo_dir : NULL, false, err);
		recs_free(&recs);
		if (st != SC_OK)
			break;
	}
	free(ec);
	return st;
}

struct meta_ctx {
	struct sc_result *r;
	const char *created_by;
	size_t added;
};

static bool on_meta(void *ud, const struct sc_secret_match *m)
{
	struct meta_ctx *c = ud;
	if (m->allowlisted || m->rule->flags & SC_SR_IDENT || m->made_up == SC_MADE_UP_PLACEHOLDER)
		return true;
	struct sc_secret_match mm = *m;
	mm.line = 0;
	mm.col = 0;
	struct sc_finding *f = sc_secrets_add_finding(c->r, &mm, c->created_by);
	f->loc.line = 0;
	c->added++;
	return true;
}

size_t sc_secrets_scan_image_config(struct sc_result *r, const char *const *env, const char *const *labels,
				    struct sc_error *err)
{
	const struct sc_secrets_engine *e = NULL;
	struct sc_secrets_scanner *s = NULL;
	struct meta_ctx c = {r, NULL, 0};
	/* the scan's engine: the image's files were scanned with it already */
	if (sc_secrets_engine_shared(NULL, &e, err) != SC_OK || sc_secrets_scanner_new(e, &s, err) != SC_OK)
		goto out;
	for (size_t i = 0; env && env[i]; i++)
		sc_secrets_scan_text(s, "image config Env", env[i], 0, on_meta, &c, err);
	for (size_t i = 0; labels && labels[i]; i++)
		sc_secrets_scan_text(s, "image config Labels", labels[i], 0, on_meta, &c, err);
	for (size_t i = 0; i < r->n_layers; i++) {
		if (!r->layers[i].created_by)
			continue;
		c.created_by = r->layers[i].created_by;
		sc_secrets_scan_text(s, "image history", r->layers[i].created_by, (int)i + 1, on_meta, &c, err);
	}
out:
	sc_secrets_scanner_free(s);
	return c.added;
}

static size_t rule_count(void)
{
	return sc_secrets_rule_count();
}

static const struct sc_rule *rule_at(size_t i)
{
	const struct sc_secret_rule *r = sc_secrets_rule_at(i);
	return r ? r->meta : NULL;
}

const struct sc_check sc_check_secrets = {
	.name = "secrets",
	.title = "Secrets in the repository and the image",
	.flags = SC_CHECK_REPO | SC_CHECK_IMAGE,
	.rule_count = rule_count,
	.rule_at = rule_at,
	.run = run,
};
