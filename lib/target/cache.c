/* cache.c - the layer cache: one file per (layer diff_id, extractor names + versions, limits)
 * holding the layer's entry list and the bytes of the kept files, so a second scan of an image that
 * shares layers does not decompress them again. Files are written atomically; a file that does not
 * parse is ignored (the layer is streamed again). Entries are touched when used and pruned by age
 * and size (lib/core/cachedir.c). */
#include "image_impl.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define MAGIC "SCLAYER2"
#define MAX_CACHE_FILE (1ull << 30)
/* upkeep after each store: entries unused for two weeks go (every build adds its own top layers),
 * and the least recently used while all of them exceed the budget */
#define CACHE_MAX_AGE_DAYS 14
#define CACHE_MAX_BYTES (2ull << 30)

static char *file_name(const char *dir, const char *diff_id, const char *key)
{
	char *k = sc_xasprintf("%s\n%s", diff_id, key);
	char hex[65];
	sc_sha256_hex(k, strlen(k), hex);
	free(k);
	return sc_xasprintf("%s/%s.layer", dir, hex);
}

static void put_u32(struct sc_strbuf *sb, uint32_t v)
{
	sc_strbuf_append(sb, &v, sizeof(v));
}

static void put_u64(struct sc_strbuf *sb, uint64_t v)
{
	sc_strbuf_append(sb, &v, sizeof(v));
}

static void put_str(struct sc_strbuf *sb, const char *s)
{
	if (!s) {
		put_u32(sb, UINT32_MAX);
		return;
	}
	put_u32(sb, (uint32_t)strlen(s));
	sc_strbuf_puts(sb, s);
}

static void mkdirs(const char *dir)
{
	char *p = sc_xstrdup(dir);
	for (char *s = p + 1; *s; s++) {
		if (*s == '/') {
			*s = '\0';
			(void)mkdir(p, 0700);
			*s = '/';
		}
	}
	(void)mkdir(p, 0700);
	free(p);
}

void sc_layer_cache_store(const char *dir, const char *diff_id, const char *key,
			  const struct sc_layer_rec *rec)
{
	if (!rec)
		return;
	struct sc_strbuf sb;
	sc_strbuf_init(&sb, MAX_CACHE_FILE);
	sc_strbuf_append(&sb, MAGIC, 8);
	put_str(&sb, key);
	sc_strbuf_append(&sb, rec->digest, sizeof(rec->digest));
	sc_strbuf_append(&sb, rec->diff_id, sizeof(rec->diff_id));
	put_u64(&sb, rec->entries.len);
	for (size_t i = 0; i < rec->entries.len; i++) {
		const struct sc_lentry *e = rec->entries.items[i];
		if (sb.len + (e->kept ? e->len : 0) + 2 * 4096 + 64 > MAX_CACHE_FILE)
			goto out; /* too large to cache */
		sc_strbuf_putc(&sb, (char)e->kind);
		sc_strbuf_putc(&sb, (char)e->kept);
		put_u32(&sb, e->mode);
		put_u64(&sb, e->size);
		put_str(&sb, e->path);
		put_str(&sb, e->link);
		put_u64(&sb, e->kept ? e->len : 0);
		if (e->kept && sc_strbuf_append(&sb, e->data, e->len) != SC_OK)
			goto out;
	}
	if (sb.len >= MAX_CACHE_FILE - 1)
		goto out;
	mkdirs(dir);
	char *path = file_name(dir, diff_id, key);
	struct sc_error err = {0};
	(void)sc_write_file_atomic(path, sb.buf, sb.len, &err);
	sc_error_clear(&err);
	free(path);
	/* the secrets check keeps each layer's matches beside it (lib/secrets/check.c) */
	static const char *const ours[] = {".layer", ".secrets", NULL};
	sc_cache_prune(dir, ours, CACHE_MAX_AGE_DAYS, CACHE_MAX_BYTES);
out:
	sc_strbuf_free(&sb);
}

struct rd {
	const unsigned char *p;
	size_t left;
	bool bad;
};

static const void *take(struct rd *r, size_t n)
{
	if (r->bad || n > r->left) {
		r->bad = true;
		return NULL;
	}
	const void *p = r->p;
	r->p += n;
	r->left -= n;
	return p;
}

static uint64_t get_u64(struct rd *r)
{
	uint64_t v = 0;
	const void *p = take(r, sizeof(v));
	if (p)
		memcpy(&v, p, sizeof(v));
	return v;
}

static uint32_t get_u32(struct rd *r)
{
	uint32_t v = 0;
	const void *p = take(r, sizeof(v));
	if (p)
		memcpy(&v, p, sizeof(v));
	return v;
}

static const char *get_str(struct rd *r, struct sc_arena *a)
{
	uint32_t n = get_u32(r);
	if (n == UINT32_MAX || r->bad)
		return NULL;
	const char *p = take(r, n);
	return p ? sc_arena_strndup(a, p, n) : NULL;
}

struct sc_layer_rec *sc_layer_cache_load(const char *dir, const char *diff_id, const char *key)
{
	char *path = file_name(dir, diff_id, key);
	char *data = NULL;
	size_t len = 0;
	struct sc_error err = {0};
	enum sc_status st = sc_read_file(path, MAX_CACHE_FILE, &data, &len, &err);
	sc_error_clear(&err);
	if (st == SC_OK)
		sc_cache_touch(path);
	free(path);
	if (st != SC_OK)
		return NULL;
	struct sc_layer_rec *rec = sc_xcalloc(1, sizeof(*rec));
	rec->arena = sc_arena_new();
	rec->from_cache = true;
	struct rd r = {(const unsigned char *)data, len, false};
	const void *m = take(&r, 8);
	const char *k = m && !memcmp(m, MAGIC, 8) ? get_str(&r, rec->arena) : NULL;
	if (!k || strcmp(k, key) != 0)
		goto bad;
	const void *d1 = take(&r, sizeof(rec->digest));
	const void *d2 = take(&r, sizeof(rec->diff_id));
	if (!d1 || !d2)
		goto bad;
	memcpy(rec->digest, d1, sizeof(rec->digest));
	memcpy(rec->diff_id, d2, sizeof(rec->diff_id));
	rec->digest[sizeof(rec->digest) - 1] = rec->diff_id[sizeof(rec->diff_id) - 1] = '\0';
	if (strcmp(rec->diff_id, diff_id) != 0)
		goto bad;
	uint64_t n = get_u64(&r);
	if (n > r.left)
		goto bad;
	for (uint64_t i = 0; i < n && !r.bad; i++) {
		struct sc_lentry *e = sc_arena_alloc(rec->arena, sizeof(*e));
		const unsigned char *hdr = take(&r, 2);
		if (!hdr)
			goto bad;
		e->kind = hdr[0];
		e->kept = hdr[1] != 0;
		e->mode = get_u32(&r);
		e->size = get_u64(&r);
		e->path = get_str(&r, rec->arena);
		e->link = get_str(&r, rec->arena);
		uint64_t dl = get_u64(&r);
		if (r.bad || !e->path || e->kind > SC_LE_OTHER)
			goto bad;
		if (e->kept) {
			const void *p = take(&r, (size_t)dl);
			if (!p)
				goto bad;
			unsigned char *copy = sc_arena_alloc(rec->arena, (size_t)dl + 1);
			memcpy(copy, p, (size_t)dl);
			e->data = copy;
			e->len = (size_t)dl;
			rec->kept_bytes += dl;
		}
		sc_ptrvec_push(&rec->entries, e);
	}
	if (r.bad || r.left)
		goto bad;
	free(data);
	return rec;
bad:
	free(data);
	sc_layer_rec_free(rec);
	return NULL;
}
