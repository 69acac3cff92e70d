/* packages.c - apt Packages indexes: decompression (libarchive raw) and the stanzas that matter for
 * an upgrade decision (Package, Version, Architecture, Source). */
#include "shipcheck/sc_apt.h"
#include "shipcheck/sc_deb822.h"

#include "apt_impl.h"
#include "sc_archive_dl.h"
#include <stdlib.h>
#include <string.h>

struct sc_apt_cache *sc_apt_cache_new(void)
{
	struct sc_apt_cache *c = sc_xcalloc(1, sizeof(*c));
	c->arena = sc_arena_new();
	c->by_name = sc_map_new();
	return c;
}

void sc_apt_cache_free(struct sc_apt_cache *c)
{
	if (!c)
		return;
	sc_map_free(c->by_name);
	sc_ptrvec_free(&c->releases);
	sc_ptrvec_free(&c->indexes);
	sc_ptrvec_free(&c->warnings);
	sc_apt_scratch_free(c->scratch);
	sc_arena_free(c->arena);
	free(c);
}

const struct sc_apt_version *sc_apt_cache_get(const struct sc_apt_cache *c, const char *name)
{
	return sc_map_get(c->by_name, name);
}

bool sc_apt_compressed_name(const char *path)
{
	return sc_str_has_suffix(path, ".gz") || sc_str_has_suffix(path, ".xz") || sc_str_has_suffix(path, ".lz4") ||
	       sc_str_has_suffix(path, ".zst") || sc_str_has_suffix(path, ".bz2") || sc_str_has_suffix(path, ".lzma");
}

/* The part of opening both share: a + open_rc -> positioned at the decompressed bytes. */
static enum sc_status open_raw(const char *path, struct archive *a, int open_rc, struct sc_error *err)
{
	struct archive_entry *e;
	if (open_rc != ARCHIVE_OK || archive_read_next_header(a, &e) != ARCHIVE_OK)
		return sc_error_set(err, SC_EINPUT, path, 0, 0, "cannot decompress: %s",
				    archive_error_string(a) ? archive_error_string(a) : "unknown format");
	if (archive_filter_count(a) < 2)
		return sc_error_set(err, SC_EINPUT, path, 0, 0, "not a compressed file (by its name it should be)");
	return SC_OK;
}

static struct archive *new_raw(void)
{
	struct archive *a = archive_read_new();
	archive_read_support_filter_all(a);
	archive_read_support_format_raw(a);
	return a;
}

enum sc_status sc_apt_open_compressed(const char *path, const void *data, size_t len, struct archive **out,
				      struct sc_error *err)
{
	struct archive *a = *out = new_raw();
	return open_raw(path, a, archive_read_open_memory(a, data, len), err);
}

enum sc_status sc_apt_open_compressed_reader(const char *path, void *ud, archive_read_callback *reader,
					     struct archive **out, struct sc_error *err)
{
	struct archive *a = *out = new_raw();
	return open_raw(path, a, archive_read_open(a, ud, NULL, reader, NULL), err);
}

enum sc_status sc_apt_decompress(const char *path, const void *data, size_t len, uint64_t limit,
				 char **out, size_t *out_len, struct sc_error *err)
{
	*out = NULL;
	*out_len = 0;
	bool compressed = sc_apt_compressed_name(path);
	if (!compressed || len == 0) {
		if (len > limit)
			return sc_error_set(err, SC_ELIMIT, path, 0, 0, "index larger than %llu bytes",
					    (unsigned long long)limit);
		if (compressed)
			return sc_error_set(err, SC_EINPUT, path, 0, 0, "empty compressed file");
		*out = sc_xmalloc(len + 1);
		memcpy(*out, data, len);
		(*out)[len] = '\0';
		*out_len = len;
		return SC_OK;
	}
	struct archive *a = NULL;
	size_t cap = len * 4 < (64u << 10) ? (64u << 10) : len * 4;
	if (cap > limit + 1)
		cap = (size_t)limit + 1;
	char *buf = NULL;
	size_t n = 0;
	enum sc_status st = sc_apt_open_compressed(path, data, len, &a, err);
	if (st != SC_OK)
		goto out;
	buf = sc_xmalloc(cap + 1);
	for (;;) {
		if (n == cap) {
			if (cap > limit) {
				st = sc_error_set(err, SC_ELIMIT, path, 0, 0,
						  "decompresses to more than %llu bytes",
						  (unsigned long long)limit);
				goto out;
			}
			cap = cap * 2 > limit + 1 ? (size_t)limit + 1 : cap * 2;
			buf = sc_xrealloc(buf, cap + 1);
		}
		la_ssize_t got = archive_read_data(a, buf + n, cap - n);
		if (got < 0) {
			st = sc_error_set(err, SC_EINPUT, path, 0, 0, "cannot decompress: %s",
					  archive_error_string(a) ? archive_error_string(a) : "corrupt data");
			goto out;
		}
		if (got == 0)
			break;
		n += (size_t)got;
	}
	if (n > limit) {
		st = sc_error_set(err, SC_ELIMIT, path, 0, 0, "decompresses to more than %llu bytes",
				  (unsigned long long)limit);
		goto out;
	}
	buf[n] = '\0';
	*out = buf;
	*out_len = n;
	buf = NULL;
out:
	free(buf);
	archive_read_free(a);
	return st;
}

static unsigned count_lines(const char *data, size_t upto)
{
	unsigned n = 0;
	const char *p = data, *e = data + upto;
	while (p < e && (p = memchr(p, '\n', (size_t)(e - p)))) {
		n++;
		p++;
	}
	return n;
}

/* "Package: NAME" as the first field of the stanza at data+pos: the name, or NULL. */
static const char *first_package_name(const char *s, const char *e, size_t *n)
{
	if ((size_t)(e - s) < 9 || memcmp(s, "Package:", 8))
		return NULL;
	s += 8;
	while (s < e && (*s == ' ' || *s == '\t'))
		s++;
	const char *v = s;
	while (s < e && *s != '\n' && *s != '\r' && *s != ' ' && *s != '\t')
		s++;
	*n = (size_t)(s - v);
	return v;
}

void sc_apt_split_source(const char *s, size_t n, const char **name, size_t *name_len, const char **ver,
			 size_t *ver_len)
{
	size_t k = 0;
	while (k < n && s[k] != ' ' && s[k] != '(')
		k++;
	*name = s;
	*name_len = k;
	*ver = NULL;
	*ver_len = 0;
	while (k < n && s[k] == ' ')
		k++;
	if (k >= n || s[k] != '(')
		return;
	const char *v = s + k + 1, *close = memchr(v, ')', n - k - 1);
	if (!close)
		return;
	const char *e = close;
	while (v < e && *v == ' ')
		v++;
	while (e > v && e[-1] == ' ')
		e--;
	if (e > v) {
		*ver = v;
		*ver_len = (size_t)(e - v);
	}
}

enum sc_status sc_apt_packages_parse(struct sc_apt_cache *c, const struct sc_apt_index *idx,
				     const char *data, size_t len, struct sc_error *err)
{
	struct sc_deb822 p;
	sc_deb822_init(&p, idx->path, data, len);
	struct sc_deb822_stanza st = {0};
	enum sc_status rc = SC_OK;
	char namebuf[256];
	const char *end = data + len;
	for (;;) {
		/* skip blank lines between stanzas */
		while (p.pos < len && (data[p.pos] == '\n' || data[p.pos] == '\r'))
			p.pos++;
		if (p.pos >= len)
			break;
		if (c->wanted) {
			/* fast path: skip stanzas of packages nobody asked about without parsing them */
			size_t nlen = 0;
			const char *nm = first_package_name(data + p.pos, end, &nlen);
			if (nm && nlen < sizeof(namebuf)) {
				memcpy(namebuf, nm, nlen);
				namebuf[nlen] = '\0';
				if (!sc_map_get(c->wanted, namebuf)) {
					const char *q = data + p.pos;
					const char *stop = NULL;
					while ((q = memchr(q, '\n', (size_t)(end - q)))) {
						q++;
						if (q >= end || *q == '\n' || (*q == '\r' && q + 1 < end && q[1] == '\n')) {
							stop = q;
							break;
						}
					}
					p.pos = stop ? (size_t)(stop - data) : len;
					continue;
				}
			}
		}
		size_t at = p.pos;
		p.line = 1;
		bool got = false;
		rc = sc_deb822_next(&p, &st, &got, err);
		if (rc != SC_OK) {
			/* line numbers are relative to the stanza: make them absolute */
			if (err && err->line)
				err->line += count_lines(data, at);
			break;
		}
		if (!got)
			break;
		char *name = sc_deb822_dup(&st, "Package", c->arena);
		char *version = sc_deb822_dup(&st, "Version", c->arena);
		if (!name || !version) {
			rc = sc_error_set(err, SC_EINPUT, idx->path, count_lines(data, at) + 1, 1,
					  "Packages stanza without %s", name ? "Version" : "Package");
			break;
		}
		if (c->wanted && !sc_map_get(c->wanted, name))
			continue;
		struct sc_apt_version *v = sc_arena_alloc(c->arena, sizeof(*v));
		v->name = name;
		v->version = version;
		v->arch = sc_deb822_dup(&st, "Architecture", c->arena);
		if (!v->arch)
			v->arch = idx->arch;
		const struct sc_deb822_field *src = sc_deb822_get(&st, "Source");
		if (src) {
			const char *sn, *sv;
			size_t snl, svl;
			sc_apt_split_source(src->value, src->value_len, &sn, &snl, &sv, &svl);
			v->source = sc_arena_strndup(c->arena, sn, snl);
			v->source_version = sv ? sc_arena_strndup(c->arena, sv, svl) : NULL;
		}
		v->index = idx;
		struct sc_apt_version *head = sc_map_get(c->by_name, name);
		v->next = head;
		sc_map_put(c->by_name, name, v);
		c->n_versions++;
	}
	sc_deb822_stanza_free(&st);
	return rc;
}
