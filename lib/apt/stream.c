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
#if defined(__x86_64__) && defined(__GNUC__)
#include <immintrin.h>
#define HAVE_AVX2_PATH 1
#endif
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <unistd.h>
#include <strings.h>

#define WINDOW (1u << 20)        /* decompressed bytes scanned at a time */
#define PARALLEL_MIN (256u << 10) /* compressed indexes from this size get the second thread */
#define READ_CHUNK ((2u << 20) - 1) /* compressed bytes read from a file at a time (the buffer is one
                                       * huge page) */
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
	const struct sc_bigbuf *job_table; /* table lines of those bytes' stanzas, or NULL */
	struct sc_apt_table *table;        /* where they go */
};

struct pass {
	struct sc_apt_cache *c;
	const struct sc_apt_index *idx;
	struct sc_bigbuf *table; /* where stanza() writes the table lines of this window; NULL: none */
	bool table_ok;
	size_t table_lines;
	uint64_t bloom[1024];  /* (length, first, last byte) of the wanted names: most others are
				* rejected without a map lookup */
	unsigned line;         /* line number of the first byte not yet consumed */
	bool avx2;             /* lines skipped 32 bytes at a time (SHIPCHECK_SIMD=sse2: 16) */
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
	ps->table_lines++;
}

static void run_job(struct hasher *h, const char *p, size_t n, const struct sc_bigbuf *tb)
{
	if (h->md && n && EVP_DigestUpdate(h->md, p, n) != 1)
		h->ok = false;
	struct sc_apt_table *t = h->table;
	if (!tb || !tb->len || !t || !t->ok)
		return;
	if (t->mem && sc_bigbuf_append(t->mem, tb->buf, tb->len) != SC_OK)
		t->ok = false;
	for (size_t off = 0; t->fd >= 0 && t->ok && off < tb->len;) {
		ssize_t w = write(t->fd, tb->buf + off, tb->len - off);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			t->ok = false;
		else
			off += (size_t)w;
	}
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
		run_job(h, h->job, h->job_len, h->job_table);
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

/* Hashes p[0, n) and hands on the table lines tb; threaded, both must stay unchanged until the next
 * call (or hasher_stop). */
static void hasher_add(struct hasher *h, const char *p, size_t n, const struct sc_bigbuf *tb)
{
	if (!h->threaded) {
		run_job(h, p, n, tb);
		return;
	}
	hasher_wait(h);
	pthread_mutex_lock(&h->mu);
	h->job = p;
	h->job_len = n;
	h->job_table = tb;
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

/* The lines the scan must look at: blank and continuation lines (first byte \n, \r, space, tab: a
 * blank one ends the stanza) and lines that may name one of the four fields not yet found in this
 * stanza (first byte P, V, A, S in either case: bits 1, 2, 4, 8, with the second byte of the name:
 * "Package" but not "Priority", "Source" but not "Section"). Every other line is skipped without
 * being looked at: a line that starts otherwise is neither blank nor one of the four fields, so the
 * result is that of looking at every line. */
enum { WS = 16, ALL_FIELDS = 15 };
static const unsigned char line_class[256] = {
	['\n'] = WS, ['\r'] = WS, [' '] = WS, ['\t'] = WS, ['P'] = 1, ['p'] = 1, ['V'] = 2, ['v'] = 2,
	['A'] = 4,   ['a'] = 4,   ['S'] = 8,  ['s'] = 8,
};
static const char second_byte[4] = {'a', 'e', 'r', 'o'}; /* pAckage, vErsion, aRchitecture, sOurce */

/* Whether the line starting at p must be looked at, given the fields still wanted. */
static inline bool interesting(const char *p, const char *end, unsigned want)
{
	unsigned c = line_class[(unsigned char)*p];
	if (c & WS)
		return true;
	c &= want;
	if (!c)
		return false;
	return p + 1 >= end || ((unsigned char)p[1] | 0x20) == (unsigned char)second_byte[__builtin_ctz(c)];
}

/* Most lines of a stanza come after its fields were found (want is 0), or after all but a Source
 * field most stanzas do not have (want is 8): then the only lines to look at start with a blank
 * (the stanza's end, a continuation line) or with 'S'/'s'. These skip to the first newline followed
 * by such a byte a block at a time: one compare of the bytes and one of the bytes after them, the
 * newlines counted by popcount, no branch per line. They stop where fewer than a block + 1 bytes
 * are left (the caller's byte-wise loop goes on from there) and return the line start found, or
 * the place they stopped. */
#if defined(__SSE2__)
static const char *skip_sse2(const char *p, const char *end, bool want_s, unsigned *line)
{
	const __m128i lf = _mm_set1_epi8('\n'), cr = _mm_set1_epi8('\r'), sp = _mm_set1_epi8(' '),
		      tab = _mm_set1_epi8('\t'), low = _mm_set1_epi8(0x20), s = _mm_set1_epi8('s');
	while (end - p >= 17) {
		__m128i x = _mm_loadu_si128((const __m128i *)(const void *)p);
		__m128i y = _mm_loadu_si128((const __m128i *)(const void *)(p + 1));
		unsigned nl = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(x, lf));
		__m128i c = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(y, lf), _mm_cmpeq_epi8(y, cr)),
					 _mm_or_si128(_mm_cmpeq_epi8(y, sp), _mm_cmpeq_epi8(y, tab)));
		if (want_s)
			c = _mm_or_si128(c, _mm_cmpeq_epi8(_mm_or_si128(y, low), s));
		unsigned m = nl & (unsigned)_mm_movemask_epi8(c);
		if (!m) {
			*line += (unsigned)__builtin_popcount(nl);
			p += 16;
			continue;
		}
		unsigned i = (unsigned)__builtin_ctz(m);
		*line += (unsigned)__builtin_popcount(nl & ((2u << i) - 1));
		return p + i + 1;
	}
	return p;
}
#endif

#if HAVE_AVX2_PATH
__attribute__((target("avx2,popcnt,bmi"))) static const char *skip_avx2(const char *p, const char *end, bool want_s,
									  unsigned *line)
{
	const __m256i lf = _mm256_set1_epi8('\n'), cr = _mm256_set1_epi8('\r'), sp = _mm256_set1_epi8(' '),
		      tab = _mm256_set1_epi8('\t'), low = _mm256_set1_epi8(0x20), s = _mm256_set1_epi8('s');
	while (end - p >= 33) {
		__m256i x = _mm256_loadu_si256((const __m256i *)(const void *)p);
		__m256i y = _mm256_loadu_si256((const __m256i *)(const void *)(p + 1));
		uint32_t nl = (uint32_t)_mm256_movemask_epi8(_mm256_cmpeq_epi8(x, lf));
		__m256i c = _mm256_or_si256(_mm256_or_si256(_mm256_cmpeq_epi8(y, lf), _mm256_cmpeq_epi8(y, cr)),
					    _mm256_or_si256(_mm256_cmpeq_epi8(y, sp), _mm256_cmpeq_epi8(y, tab)));
		if (want_s)
			c = _mm256_or_si256(c, _mm256_cmpeq_epi8(_mm256_or_si256(y, low), s));
		uint32_t m = nl & (uint32_t)_mm256_movemask_epi8(c);
		if (!m) {
			*line += (unsigned)__builtin_popcount(nl);
			p += 32;
			continue;
		}
		unsigned i = (unsigned)__builtin_ctz(m);
		*line += (unsigned)__builtin_popcount((uint32_t)(nl & (uint32_t)((2ull << i) - 1)));
		return p + i + 1;
	}
	return p;
}
#endif

/* The first line at or after the line start p that must be looked at (end when there is none, or
 * when the buffer ends in a newline), adding the newlines passed to *line. */
static const char *next_interesting(const char *p, const char *end, unsigned want, unsigned *line, bool avx2)
{
	if (p >= end || interesting(p, end, want))
		return p;
	if (!(want & 7)) { /* only blank-started and, with want 8, S lines: a block at a time */
		for (;;) {
			const char *q;
#if HAVE_AVX2_PATH
			q = avx2 ? skip_avx2(p, end, want != 0, line) : skip_sse2(p, end, want != 0, line);
#elif defined(__SSE2__)
			(void)avx2;
			q = skip_sse2(p, end, want != 0, line);
#else
			(void)avx2;
			q = p;
#endif
			if (q == p)
				break; /* near the end: the byte-wise loop below finishes */
			p = q; /* the newlines before q are counted */
			if (q[-1] != '\n')
				break; /* stopped inside a line near the end */
			if (interesting(q, end, want))
				return q;
			/* an 'S' line that is not Source */
		}
	}
#if defined(__SSE2__)
	const __m128i lf = _mm_set1_epi8('\n');
	while (end - p >= 18) { /* the byte after a newline and the one after it are in the buffer */
		unsigned m = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(_mm_loadu_si128((const __m128i *)(const void *)p), lf));
		while (m) {
			unsigned i = (unsigned)__builtin_ctz(m);
			(*line)++;
			if (interesting(p + i + 1, end, want))
				return p + i + 1;
			m &= m - 1;
		}
		p += 16;
	}
#endif
	for (; p < end; p++)
		if (*p == '\n') {
			(*line)++;
			if (p + 1 >= end || interesting(p + 1, end, want))
				return p + 1;
		}
	return end;
}

/* Scans the complete stanzas of buf[0, len): those a blank line ends, and with `final` the last one
 * too. Returns the bytes consumed; the rest (an unfinished stanza) is scanned again with more data.
 * A stanza runs from the line after the previous blank line (or the buffer's start) to the next
 * blank line: every line between is non-blank, whether it was looked at or skipped. */
static size_t scan_block(struct pass *ps, const char *buf, size_t len, bool final)
{
	const char *end = buf + len;
	unsigned line = ps->line, begin_line = ps->line, consumed_line = ps->line;
	const char *begin = buf; /* the line after the last blank line */
	size_t consumed = 0;
	unsigned want = ALL_FIELDS;
	struct fields f;
	memset(&f, 0, sizeof(f));
	const char *q = next_interesting(buf, end, want, &line, ps->avx2);
	while (q < end) {
		const char *nl = memchr(q, '\n', (size_t)(end - q));
		if (!nl && !final)
			break;
		const char *next = nl ? nl + 1 : end;
		size_t n = (size_t)((nl ? nl : end) - q);
		if (n && q[n - 1] == '\r')
			n--;
		if (!n || ((*q == ' ' || *q == '\t' || *q == '\r') && blank(q, n))) {
			if (q > begin)
				stanza(ps, begin, q, begin_line, &f);
			memset(&f, 0, sizeof(f));
			want = ALL_FIELDS;
			begin = next;
			begin_line = line + 1;
			consumed = (size_t)(next - buf);
			consumed_line = line + 1;
		} else if (*q != ' ' && *q != '\t') {
			field(q, n, &f);
			want = (f.v[0] ? 0u : 1u) | (f.v[1] ? 0u : 2u) | (f.v[2] ? 0u : 4u) | (f.v[3] ? 0u : 8u);
		}
		if (!nl)
			break;
		line++;
		q = next_interesting(next, end, want, &line, ps->avx2);
	}
	if (final) {
		if (end > begin)
			stanza(ps, begin, end, begin_line, &f);
		return len;
	}
	ps->line = consumed_line;
	return consumed;
}

/* The buffers of a scan, kept by the cache for the next index: a fresh buffer costs a page fault per
 * page on first use, which for a few megabytes per index is a noticeable part of a cold load. */
struct sc_apt_scratch {
	struct sc_bigbuf win[2]; /* decompressed windows */
	struct sc_bigbuf tb[2];  /* the table lines of each window */
	struct sc_bigbuf rd;     /* compressed bytes read from the file */
};

static struct sc_apt_scratch *scratch(struct sc_apt_cache *c)
{
	if (!c->scratch) {
		c->scratch = sc_xcalloc(1, sizeof(*c->scratch));
		for (int i = 0; i < 2; i++) {
			sc_bigbuf_init(&c->scratch->win[i], MAX_STANZA + WINDOW);
			sc_bigbuf_init(&c->scratch->tb[i], SC_APT_MAX_INDEX);
		}
		sc_bigbuf_init(&c->scratch->rd, READ_CHUNK + 1);
	}
	return c->scratch;
}

void sc_apt_scratch_free(struct sc_apt_scratch *s)
{
	if (!s)
		return;
	for (int i = 0; i < 2; i++) {
		sc_bigbuf_free(&s->win[i]);
		sc_bigbuf_free(&s->tb[i]);
	}
	sc_bigbuf_free(&s->rd);
	free(s);
}

/* The bytes a window may hold. */
static size_t window_size(const struct sc_bigbuf *b)
{
	return b->cap - 1 < MAX_STANZA ? b->cap - 1 : MAX_STANZA;
}

/* A compressed index read from its file a chunk at a time, as libarchive asks for it: the reading
 * overlaps the hashing of what was decompressed, and no buffer the size of the file is touched. */
struct src {
	int fd;
	char *buf;
	uint64_t total, limit;
	int err_no; /* the read that failed; EFBIG past the limit */
};

static la_ssize_t src_read(struct archive *a, void *ud, const void **out)
{
	(void)a;
	struct src *s = ud;
	for (;;) {
		ssize_t r = read(s->fd, s->buf, READ_CHUNK);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			s->err_no = errno;
			return -1;
		}
		s->total += (uint64_t)r;
		if (s->total > s->limit) {
			s->err_no = EFBIG;
			return -1;
		}
		*out = s->buf;
		return r;
	}
}

/* The error of a failed read of the file (replacing libarchive's). */
static enum sc_status src_error(const struct src *s, const char *path, struct sc_error *err)
{
	if (s->err_no == EFBIG)
		return sc_error_reset(err, SC_ELIMIT, path, 0, 0, "larger than %llu bytes", (unsigned long long)s->limit);
	return sc_error_reset(err, SC_EIO, path, 0, 0, "cannot read: %s", strerror(s->err_no));
}

/* The whole pass over raw[0, rlen), or with src over the compressed file it reads. */
static enum sc_status scan_index(struct sc_apt_cache *c, const struct sc_apt_index *idx,
				 const struct sc_apt_release *rel, const char *relname, const void *raw, size_t rlen,
				 struct src *src, struct sc_apt_table *table, struct sc_error *err)
{
	const char *path = idx->path;
	struct pass ps = {.c = c, .idx = idx, .line = 1};
#if HAVE_AVX2_PATH
	const char *simd = getenv("SHIPCHECK_SIMD");
	ps.avx2 = __builtin_cpu_supports("avx2") && __builtin_cpu_supports("popcnt") && !(simd && !strcmp(simd, "sse2"));
#endif
	enum sc_status st = SC_OK;
	struct archive *a = NULL;
	struct sc_apt_scratch *sc = scratch(c);
	struct sc_bigbuf *win = sc->win;
	struct hasher h = {0};
	/* the table lines of each window, handed to the second thread with the window's bytes */
	struct sc_bigbuf *tb = sc->tb;
	tb[0].len = tb[1].len = 0;
	if (table && !table->ok)
		table = NULL;
	if (table)
		table->lines = 0;
	ps.table = table ? &tb[0] : NULL;
	ps.table_ok = table != NULL;
	h.table = table;
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
	bool compressed = sc_apt_compressed_name(path);
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
		hasher_add(&h, raw, rlen, ps.table);
	} else {
		if (!rlen) {
			st = sc_error_set(err, SC_EINPUT, path, 0, 0, "empty compressed file");
			goto out;
		}
		st = src ? sc_apt_open_compressed_reader(path, src, src_read, &a, err)
			 : sc_apt_open_compressed(path, raw, rlen, &a, err);
		if (st != SC_OK) {
			if (src && src->err_no) /* the file, not its content, failed */
				st = src_error(src, path, err);
			goto out;
		}
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
			/* a window holds at most MAX_STANZA bytes, whatever its buffer's capacity: a longer
			 * stanza is an error, not a bigger window */
			if (tail_len + WINDOW / 4 > window_size(&win[w])) { /* one stanza fills a window: grow it */
				win[w].len = 0; /* nothing to keep */
				if (tail_len + WINDOW / 4 > MAX_STANZA ||
				    sc_bigbuf_reserve(&win[w], tail_len + WINDOW / 4) != SC_OK) {
					st = sc_error_set(err, SC_ELIMIT, path, ps.line, 1, "a stanza longer than %u bytes",
							  MAX_STANZA);
					goto out;
				}
			}
			char *wb = win[w].buf;
			if (ps.table) { /* the second thread is done with this window's lines too */
				ps.table = &tb[w];
				tb[w].len = 0;
			}
			size_t cap = window_size(&win[w]);
			if (tail_len)
				memcpy(wb, tail, tail_len);
			have = tail_len;
			/* fill the window */
			la_ssize_t got = 0;
			bool eof = false;
			while (have < cap) {
				got = archive_read_data(a, wb + have, cap - have);
				if (got < 0 && src && src->err_no) {
					st = src_error(src, path, err);
					goto out;
				}
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
			hasher_add(&h, wb + tail_len, have - tail_len, ps.table);
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
	if (table) {
		table->lines = ps.table_lines;
		if (st != SC_OK || !ps.table_ok || ps.failed)
			table->ok = false;
	}

	EVP_MD_CTX_free(h.md);
	sc_error_clear(&ps.perr);

	if (a)
		archive_read_free(a);
	return st;
}

enum sc_status sc_apt_index_scan(struct sc_apt_cache *c, const struct sc_apt_index *idx,
				 const struct sc_apt_release *rel, const char *relname, const void *raw, size_t rlen,
				 struct sc_apt_table *table, struct sc_error *err)
{
	return scan_index(c, idx, rel, relname, raw, rlen, NULL, table, err);
}

enum sc_status sc_apt_index_scan_file(struct sc_apt_cache *c, const struct sc_apt_index *idx,
				      const struct sc_apt_release *rel, const char *relname, struct sc_apt_table *table,
				      struct sc_error *err)
{
	const char *path = idx->path;
	bool compressed = sc_apt_compressed_name(path);
	enum sc_status st;
	if (!compressed) { /* a plain index is scanned in place */
		struct sc_bigbuf raw;
		sc_bigbuf_init(&raw, SC_APT_MAX_INDEX);
		st = sc_bigbuf_read_file(&raw, path, err);
		if (st == SC_OK)
			st = scan_index(c, idx, rel, relname, raw.buf, raw.len, NULL, table, err);
		sc_bigbuf_free(&raw);
		goto out;
	}
	uint64_t size = 0;
	int fd;
	st = sc_open_regular(path, SC_APT_MAX_INDEX, &fd, &size, err);
	if (st != SC_OK)
		goto out;
	struct sc_bigbuf *rd = &scratch(c)->rd;
	rd->len = 0;
	sc_bigbuf_reserve(rd, READ_CHUNK);
	struct src src = {.fd = fd, .buf = rd->buf, .limit = SC_APT_MAX_INDEX};
	st = scan_index(c, idx, rel, relname, NULL, (size_t)size, &src, table, err);
	close(fd);
out:
	if (st != SC_OK && table)
		table->ok = false;
	return st;
}
