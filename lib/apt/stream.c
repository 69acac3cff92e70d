/* stream.c - one streaming pass over an apt Packages index: decompressed in chunks (libarchive),
 * scanned stanza by stanza looking only at the lines that name a field we need (only the stanzas of
 * wanted packages are fully parsed) and written to the parsed-index cache table while those bytes
 * are in the cache, while a second thread hashes the same bytes (SHA256 against the Release file).
 * The whole decompressed index is never held in memory. */
#include "shipcheck/sc_apt.h"

#include "apt_impl.h"
#include "sc_archive_dl.h"
#include <openssl/evp.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define WINDOW (1u << 20)        /* decompressed bytes scanned at a time */
#define PARALLEL_MIN (4u << 20)   /* compressed indexes from this size get the second thread */
#define MAX_STANZA (16u << 20)    /* one stanza (the window grows up to this) */

/* The fields of one stanza the scan looks at. */
struct fields {
	const char *v[4]; /* Package, Version, Architecture, Source */
	size_t n[4];
};

/* The second thread's part: SHA256 of the decompressed bytes, one window behind the scan (inline for
 * small indexes). A job is the new bytes of a window; they stay untouched until the next job is
 * posted (hasher_add waits for the previous one). */
struct hasher {
	EVP_MD_CTX *md;           /* NULL: no hash wanted */
	bool threaded, ok;
	pthread_t tid;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	bool busy, quit;
	const char *job; /* bytes to hash */
	size_t job_len;
};

struct pass {
	struct sc_apt_cache *c;
	const struct sc_apt_index *idx;
	struct sc_bigbuf *table; /* where stanza() writes the cache table; NULL: no table */
	bool table_ok;
	uint64_t bloom[1024];  /* (length, first, last byte) of the wanted names: most others are
				* rejected without a map lookup */
	unsigned line;         /* line number of the first byte not yet consumed */
	bool failed;           /* a parse error is kept in perr; the pass only hashes from then on */
	struct sc_error perr;
};

static unsigned bloom_key(const char *s, size_t n)
{
	return (unsigned)((n * 7919u + (unsigned char)s[0] * 131u + (unsigned char)s[n - 1]) & 0xffffu);
}

/* True when the table line l[0, n) (its final '\n' included) has exactly the four tabs that separate
 * its fields and no other tab, CR or LF. Reads up to 15 bytes past the line (the caller reserved
 * them). */
static bool line_ok(const char *l, size_t n)
{
#if !defined(__SSE2__)
	unsigned tabs = 0;
	for (size_t i = 0; i + 1 < n; i++) {
		if (l[i] == '\r' || l[i] == '\n')
			return false;
		tabs += l[i] == '\t';
	}
	return tabs == 4;
#else
	const __m128i tab = _mm_set1_epi8('\t'), cr = _mm_set1_epi8('\r'), lf = _mm_set1_epi8('\n');
	unsigned tabs = 0, bad = 0;
	size_t body = n - 1; /* without the final '\n' */
	for (size_t i = 0; i < body; i += 16) {
		__m128i x = _mm_loadu_si128((const __m128i *)(const void *)(l + i));
		unsigned keep = body - i >= 16 ? 0xffffu : (1u << (body - i)) - 1;
		tabs += (unsigned)__builtin_popcount((unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(x, tab)) & keep);
		bad |= (unsigned)_mm_movemask_epi8(_mm_or_si128(_mm_cmpeq_epi8(x, cr), _mm_cmpeq_epi8(x, lf))) & keep;
	}
	return tabs == 4 && !bad;
#endif
}

/* Appends one "name\tversion\tarch\tsource\tsource_version\n" line per stanza. A stanza that cannot
 * be written so (no name or version, a tab, CR or LF in a field, the size limit) spoils the whole
 * table. */
static void table_add(struct pass *ps, const struct fields *f)
{
	struct sc_bigbuf *t = ps->table;
	const char *sn = NULL, *sv = NULL;
	size_t snl = 0, svl = 0;
	if (f->v[3])
		sc_apt_split_source(f->v[3], f->n[3], &sn, &snl, &sv, &svl);
	size_t n = f->n[0] + f->n[1] + (f->v[2] ? f->n[2] : 0) + snl + svl + 5;
	if (!f->v[0] || !f->v[1] || !f->n[0] || !f->n[1] ||
	    (t->len + n + 16 > t->cap && sc_bigbuf_reserve(t, n + 16) != SC_OK)) {
		ps->table_ok = false;
		return;
	}
	char *l = t->buf + t->len, *q = l;
	memcpy(q, f->v[0], f->n[0]);
	q += f->n[0];
	*q++ = '\t';
	memcpy(q, f->v[1], f->n[1]);
	q += f->n[1];
	*q++ = '\t';
	if (f->v[2]) {
		memcpy(q, f->v[2], f->n[2]);
		q += f->n[2];
	}
	*q++ = '\t';
	if (snl)
		memcpy(q, sn, snl);
	q += snl;
	*q++ = '\t';
	if (svl)
		memcpy(q, sv, svl);
	q += svl;
	*q++ = '\n';
	*q = '\0';
	if (!line_ok(l, n)) {
		ps->table_ok = false;
		return;
	}
	t->len += n;
}

static void run_job(struct hasher *h, const char *p, size_t n)
{
	if (h->md && n && EVP_DigestUpdate(h->md, p, n) != 1)
		h->ok = false;
}

static void *hasher_main(void *arg)
{
	struct hasher *h = arg;
	pthread_mutex_lock(&h->mu);
	for (;;) {
		while (!h->busy && !h->quit)
			pthread_cond_wait(&h->cv, &h->mu);
		if (!h->busy)
			break;
		pthread_mutex_unlock(&h->mu);
		run_job(h, h->job, h->job_len);
		pthread_mutex_lock(&h->mu);
		h->busy = false;
		pthread_cond_broadcast(&h->cv);
	}
	pthread_mutex_unlock(&h->mu);
	return NULL;
}

static bool hasher_start(struct hasher *h, bool hash, bool threaded)
{
	h->ok = true;
	if (hash) {
		h->md = EVP_MD_CTX_new();
		if (!h->md || EVP_DigestInit_ex(h->md, EVP_sha256(), NULL) != 1)
			return false;
	}
	if (threaded && hash) {
		pthread_mutex_init(&h->mu, NULL);
		pthread_cond_init(&h->cv, NULL);
		h->threaded = pthread_create(&h->tid, NULL, hasher_main, h) == 0;
		if (!h->threaded) {
			pthread_cond_destroy(&h->cv);
			pthread_mutex_destroy(&h->mu);
		}
	}
	return true;
}

/* Waits until the previous job is done. */
static void hasher_wait(struct hasher *h)
{
	if (!h->threaded)
		return;
	pthread_mutex_lock(&h->mu);
	while (h->busy)
		pthread_cond_wait(&h->cv, &h->mu);
	pthread_mutex_unlock(&h->mu);
}

/* Hashes p[0, n); threaded, the bytes must stay unchanged until the next call (or hasher_stop). */
static void hasher_add(struct hasher *h, const char *p, size_t n)
{
	if (!h->threaded) {
		run_job(h, p, n);
		return;
	}
	hasher_wait(h);
	pthread_mutex_lock(&h->mu);
	h->job = p;
	h->job_len = n;
	h->busy = true;
	pthread_cond_broadcast(&h->cv);
	pthread_mutex_unlock(&h->mu);
}

static void hasher_stop(struct hasher *h)
{
	if (h->threaded) {
		hasher_wait(h);
		pthread_mutex_lock(&h->mu);
		h->quit = true;
		pthread_cond_broadcast(&h->cv);
		pthread_mutex_unlock(&h->mu);
		pthread_join(h->tid, NULL);
		pthread_cond_destroy(&h->cv);
		pthread_mutex_destroy(&h->mu);
		h->threaded = false;
	}
}

static bool has_suffix(const char *s, const char *suffix)
{
	size_t n = strlen(s), k = strlen(suffix);
	return n >= k && !strcmp(s + n - k, suffix);
}

static bool blank(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] != ' ' && s[i] != '\t')
			return false;
	return true;
}

/* Records a "Name: value" line when it is one of the four fields (the first occurrence wins). */
static void field(const char *s, size_t n, struct fields *f)
{
	static const struct {
		const char *name;
		size_t len;
	} names[4] = {{"Package:", 8}, {"Version:", 8}, {"Architecture:", 13}, {"Source:", 7}};
	int k;
	switch (*s | 0x20) {
	case 'p': k = 0; break;
	case 'v': k = 1; break;
	case 'a': k = 2; break;
	case 's': k = 3; break;
	default: return;
	}
	if (f->v[k] || n < names[k].len ||
	    (memcmp(s, names[k].name, names[k].len) && strncasecmp(s, names[k].name, names[k].len)))
		return;
	const char *v = s + names[k].len, *e = s + n;
	while (v < e && (*v == ' ' || *v == '\t'))
		v++;
	while (e > v && (e[-1] == ' ' || e[-1] == '\t'))
		e--;
	f->v[k] = v;
	f->n[k] = (size_t)(e - v);
}

/* One complete stanza [s, e) starting at line `line`. */
static void stanza(struct pass *ps, const char *s, const char *e, unsigned line, const struct fields *f)
{
	if (ps->failed)
		return;
	struct sc_apt_cache *c = ps->c;
	bool want = !c->wanted;
	unsigned k = f->v[0] && f->n[0] ? bloom_key(f->v[0], f->n[0]) : 0;
	if (!want && f->v[0] && f->n[0] && (ps->bloom[k >> 6] >> (k & 63) & 1)) {
		char name[256];
		if (f->n[0] < sizeof(name)) {
			memcpy(name, f->v[0], f->n[0]);
			name[f->n[0]] = '\0';
			want = sc_map_get(c->wanted, name) != NULL;
		}
	}
	if (want || !f->v[0] || !f->v[1]) {
		/* the full parser: every field checked, errors with their line */
		if (sc_apt_packages_parse(c, ps->idx, s, (size_t)(e - s), &ps->perr) != SC_OK) {
			if (ps->perr.line)
				ps->perr.line += line - 1;
			ps->failed = true;
			return;
		}
	}
	if (ps->table_ok)
		table_add(ps, f);
}

/* Scans the complete stanzas of buf[0, len): those a blank line ends, and with `final` the last one
 * too. Returns the bytes consumed; the rest (an unfinished stanza) is scanned again with more data. */
static size_t scan_block(struct pass *ps, const char *buf, size_t len, bool final)
{
	const char *p = buf, *end = buf + len, *start = NULL;
	unsigned line = ps->line, start_line = 0, consumed_line = ps->line;
	size_t consumed = 0;
	struct fields f;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		if (!nl && !final)
			break;
		const char *next = nl ? nl + 1 : end;
		size_t n = (size_t)((nl ? nl : end) - p);
		if (n && p[n - 1] == '\r')
			n--;
		if (!n || ((*p == ' ' || *p == '\t' || *p == '\r') && blank(p, n))) {
			if (start) {
				stanza(ps, start, p, start_line, &f);
				start = NULL;
			}
			consumed = (size_t)(next - buf);
			consumed_line = line + 1;
		} else {
			if (!start) {
				start = p;
				start_line = line;
				memset(&f, 0, sizeof(f));
			}
			if (*p != ' ' && *p != '\t')
				field(p, n, &f);
		}
		line++;
		p = next;
	}
	if (final) {
		if (start)
			stanza(ps, start, end, start_line, &f);
		return len;
	}
	ps->line = consumed_line;
	return consumed;
}

enum sc_status sc_apt_index_scan(struct sc_apt_cache *c, const struct sc_apt_index *idx,
				 const struct sc_apt_release *rel, const char *relname, const void *raw, size_t rlen,
				 struct sc_bigbuf *table, bool *table_ok, struct sc_error *err)
{
	const char *path = idx->path;
	struct pass ps = {.c = c, .idx = idx, .line = 1};
	enum sc_status st = SC_OK;
	struct archive *a = NULL;
	struct sc_bigbuf win[2];
	sc_bigbuf_init(&win[0], MAX_STANZA + WINDOW);
	sc_bigbuf_init(&win[1], MAX_STANZA + WINDOW);
	struct hasher h = {0};
	if (table_ok && !*table_ok)
		table = NULL;
	ps.table = table;
	ps.table_ok = table != NULL;
	if (c->wanted) {
		size_t it = 0;
		const char *key;
		void *val;
		while (sc_map_next(c->wanted, &it, &key, &val))
			if (*key) {
				unsigned k = bloom_key(key, strlen(key));
				ps.bloom[k >> 6] |= 1ull << (k & 63);
			}
	}
	bool compressed = has_suffix(path, ".gz") || has_suffix(path, ".xz") || has_suffix(path, ".lz4") ||
			  has_suffix(path, ".zst") || has_suffix(path, ".bz2") || has_suffix(path, ".lzma");
	if (rel) { /* an index the Release file does not name is refused before it is read */
		st = sc_apt_release_check(rel, relname, path, UINT64_MAX, NULL, err);
		if (st != SC_OK)
			goto out;
	}
	if (!hasher_start(&h, rel != NULL, compressed && rlen >= PARALLEL_MIN)) {
		st = sc_error_set(err, SC_EINTERNAL, path, 0, 0, "SHA256 unavailable");
		goto out;
	}
	uint64_t total = 0;
	if (!compressed) {
		if (rlen > SC_APT_MAX_INDEX) {
			st = sc_error_set(err, SC_ELIMIT, path, 0, 0, "index larger than %llu bytes",
					  (unsigned long long)SC_APT_MAX_INDEX);
			goto out;
		}
		total = rlen;
		scan_block(&ps, raw, rlen, true);
		hasher_add(&h, raw, rlen);
	} else {
		if (!rlen) {
			st = sc_error_set(err, SC_EINPUT, path, 0, 0, "empty compressed file");
			goto out;
		}
		st = sc_apt_open_compressed(path, raw, rlen, &a, err);
		if (st != SC_OK)
			goto out;
		/* Two windows, used in turn: while one is scanned, the second thread may still read the
		 * other's new bytes and stanzas. Each starts with the unfinished stanza the previous one
		 * left. */
		size_t have = 0;
		sc_bigbuf_reserve(&win[0], WINDOW);
		sc_bigbuf_reserve(&win[1], WINDOW);
		const char *tail = NULL; /* the unfinished stanza, in the other window */
		size_t tail_len = 0;
		for (int w = 0;; w ^= 1) {
			/* the second thread is done with this window and its stanzas: hasher_add waited for
			 * their job before the other window's was posted; it may still read the other one */
			if (tail_len + WINDOW / 4 > win[w].cap - 1) { /* one stanza fills a window: grow it */
				if (tail_len + WINDOW / 4 > MAX_STANZA) {
					st = sc_error_set(err, SC_ELIMIT, path, ps.line, 1, "a stanza longer than %u bytes",
							  MAX_STANZA);
					goto out;
				}
				win[w].len = 0; /* nothing to keep */
				sc_bigbuf_reserve(&win[w], 2 * (tail_len + WINDOW / 4));
			}
			char *wb = win[w].buf;
			size_t cap = win[w].cap - 1;
			if (tail_len)
				memcpy(wb, tail, tail_len);
			have = tail_len;
			/* fill the window */
			la_ssize_t got = 0;
			bool eof = false;
			while (have < cap) {
				got = archive_read_data(a, wb + have, cap - have);
				if (got < 0) {
					st = sc_error_set(err, SC_EINPUT, path, 0, 0, "cannot decompress: %s",
							  archive_error_string(a) ? archive_error_string(a) : "corrupt data");
					goto out;
				}
				if (got == 0) {
					eof = true;
					break;
				}
				have += (size_t)got;
			}
			total += have - tail_len;
			if (total > SC_APT_MAX_INDEX) {
				st = sc_error_set(err, SC_ELIMIT, path, 0, 0, "decompresses to more than %llu bytes",
						  (unsigned long long)SC_APT_MAX_INDEX);
				goto out;
			}
			size_t used = scan_block(&ps, wb, have, eof);
			hasher_add(&h, wb + tail_len, have - tail_len);
			tail = wb + used;
			tail_len = have - used;
			if (eof)
				break;
		}
	}
	hasher_stop(&h);
	if (rel) {
		unsigned char d[EVP_MAX_MD_SIZE];
		unsigned dl = 0;
		char hex[65];
		if (!h.ok || !EVP_DigestFinal_ex(h.md, d, &dl) || dl != 32) {
			st = sc_error_set(err, SC_EINTERNAL, path, 0, 0, "SHA256 failed");
			goto out;
		}
		for (unsigned i = 0; i < 32; i++) {
			hex[2 * i] = "0123456789abcdef"[d[i] >> 4];
			hex[2 * i + 1] = "0123456789abcdef"[d[i] & 15];
		}
		hex[64] = '\0';
		/* a tampered index is reported as such, whatever its stanzas look like */
		st = sc_apt_release_check(rel, relname, path, total, hex, err);
		if (st != SC_OK)
			goto out;
	}
	if (ps.failed) {
		st = sc_error_reset(err, ps.perr.status, ps.perr.file, ps.perr.line, ps.perr.col, "%s",
				    ps.perr.msg ? ps.perr.msg : "bad stanza");
		goto out;
	}
out:
	hasher_stop(&h); /* before the windows and stanzas it may read are freed */
	if (table_ok && (st != SC_OK || !ps.table_ok || ps.failed))
		*table_ok = false;
	EVP_MD_CTX_free(h.md);
	sc_error_clear(&ps.perr);
	sc_bigbuf_free(&win[0]);
	sc_bigbuf_free(&win[1]);
	if (a)
		archive_read_free(a);
	return st;
}
