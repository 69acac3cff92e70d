/* layer.c - the layer walker: streams one layer blob (tar; gzip, zstd or none) through libarchive
 * once, hashing the blob (digest) and the uncompressed tar (diff_id), recording every entry's
 * metadata and keeping the bytes of wanted files. Never writes to disk. */
#include "image_impl.h"

#include "sc_archive_dl.h"
#include <openssl/evp.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define DEFAULT_KEPT (256ull << 20)

struct walk_state {
	const struct sc_blob_src *src;
	const struct sc_layer_walk *w;
	struct sc_error *err; /* set by the source or by limits inside callbacks */
	enum sc_status cb_status;
	EVP_MD_CTX *blob_md;
	EVP_MD_CTX *tar_md;
	struct archive *raw; /* decompressor */
	bool raw_eof;
	uint64_t tar_bytes;
};

void sc_layer_rec_free(struct sc_layer_rec *rec)
{
	if (!rec)
		return;
	sc_ptrvec_free(&rec->entries);
	sc_arena_free(rec->arena);
	free(rec);
}

/* libarchive read callback of the decompressor: pulls blob bytes from the source. */
static la_ssize_t src_cb(struct archive *a, void *arg, const void **buf)
{
	(void)a;
	struct walk_state *s = arg;
	ssize_t n = s->src->read(s->src->arg, buf, s->err);
	if (n < 0) {
		s->cb_status = s->err->status ? s->err->status : SC_EIO;
		return -1;
	}
	if (n > 0)
		EVP_DigestUpdate(s->blob_md, *buf, (size_t)n);
	return n;
}

/* libarchive read callback of the tar reader: pulls uncompressed bytes from the decompressor. */
static la_ssize_t tar_cb(struct archive *a, void *arg, const void **buf)
{
	(void)a;
	struct walk_state *s = arg;
	if (s->raw_eof)
		return 0;
	size_t size = 0;
	la_int64_t off = 0;
	int r = archive_read_data_block(s->raw, buf, &size, &off);
	if (r == ARCHIVE_EOF) {
		s->raw_eof = true;
		return 0;
	}
	if (r < ARCHIVE_WARN) {
		if (!s->cb_status) {
			s->cb_status = sc_error_set(s->err, SC_EINPUT, s->w->name, 0, 0,
						    "layer %d: cannot decompress: %s", s->w->layer,
						    archive_error_string(s->raw));
		}
		return -1;
	}
	s->tar_bytes += size;
	*s->w->total_bytes += size;
	uint64_t max = s->w->opts->limits.max_total_bytes;
	if (*s->w->total_bytes > max) {
		s->cb_status = sc_error_set(s->err, SC_ELIMIT, s->w->name, 0, 0,
					    "layer %d: more than %llu uncompressed bytes in the image "
					    "(decompression bomb?); raise with --max-image-bytes",
					    s->w->layer, (unsigned long long)max);
		return -1;
	}
	EVP_DigestUpdate(s->tar_md, *buf, size);
	return (la_ssize_t)size;
}

static void hex_digest(EVP_MD_CTX *md, char out[72])
{
	unsigned char d[32];
	unsigned int n = 0;
	EVP_DigestFinal_ex(md, d, &n);
	memcpy(out, "sha256:", 7);
	for (unsigned i = 0; i < 32; i++)
		snprintf(out + 7 + 2 * i, 3, "%02x", d[i]);
}

/* "./a//b" -> "a/b"; false when the name leaves the root or is empty. */
static bool clean_name(const char *in, char *out, size_t outsz)
{
	while (*in == '/')
		in++;
	if (!sc_path_clean(in, out, outsz))
		return false;
	return out[0] != '\0';
}

static enum sc_status read_entry_data(struct walk_state *s, struct archive *a, uint64_t size,
				      unsigned char **data, size_t *len)
{
	unsigned char *buf = sc_xmalloc((size_t)size + 1);
	size_t n = 0;
	while (n < size) {
		la_ssize_t r = archive_read_data(a, buf + n, (size_t)size - n);
		if (r < 0) {
			free(buf);
			if (s->cb_status)
				return s->cb_status;
			return sc_error_set(s->err, SC_EINPUT, s->w->name, 0, 0, "layer %d: %s",
					    s->w->layer, archive_error_string(a));
		}
		if (r == 0)
			break;
		n += (size_t)r;
	}
	buf[n] = 0;
	*data = buf;
	*len = n;
	return SC_OK;
}

static enum sc_status walk(struct walk_state *s, struct sc_layer_rec *rec)
{
	const struct sc_layer_walk *w = s->w;
	const struct sc_image_options *o = w->opts;
	uint64_t kept_max = o->max_kept_bytes ? o->max_kept_bytes : DEFAULT_KEPT;
	enum sc_status st = SC_OK;
	struct archive *t = archive_read_new();
	archive_read_support_format_tar(t);
	archive_read_support_format_gnutar(t);
	if (archive_read_open(t, s, NULL, tar_cb, NULL) != ARCHIVE_OK) {
		st = s->cb_status ? s->cb_status
				  : sc_error_set(s->err, SC_EINPUT, w->name, 0, 0, "layer %d: not a tar stream: %s",
						 w->layer, archive_error_string(t));
		goto out;
	}
	char path[SC_IMG_MAX_PATH];
	for (;;) {
		struct archive_entry *e = NULL;
		int r = archive_read_next_header(t, &e);
		if (r == ARCHIVE_EOF)
			break;
		if (r < ARCHIVE_WARN) {
			st = s->cb_status ? s->cb_status
					  : sc_error_set(s->err, SC_EINPUT, w->name, 0, 0,
							 "layer %d: not a valid tar stream: %s", w->layer,
							 archive_error_string(t));
			goto out;
		}
		if (++*w->total_files > o->limits.max_files) {
			st = sc_error_set(s->err, SC_ELIMIT, w->name, 0, 0,
					  "layer %d: more than %llu entries in the image; raise with --max-files",
					  w->layer, (unsigned long long)o->limits.max_files);
			goto out;
		}
		const char *name = archive_entry_pathname(e);
		if (!name)
			continue;
		if (!clean_name(name, path, sizeof(path))) {
			if (strcmp(name, ".") && strcmp(name, "./") && strcmp(name, "/")) {
				/* a name leaving the root ("../x"): kept as a rejected entry (mode 0) that the
				 * merge reports as a warning; it never enters the view */
				struct sc_lentry *bad = sc_arena_alloc(rec->arena, sizeof(*bad));
				bad->path = sc_arena_strdup(rec->arena, name);
				bad->kind = SC_LE_OTHER;
				sc_ptrvec_push(&rec->entries, bad);
			}
			continue;
		}
		struct sc_lentry *le = sc_arena_alloc(rec->arena, sizeof(*le));
		const char *base = sc_path_base(path);
		le->mode = (uint32_t)archive_entry_mode(e);
		le->size = archive_entry_size_is_set(e) && archive_entry_size(e) > 0
				   ? (uint64_t)archive_entry_size(e)
				   : 0;
		const char *hl = archive_entry_hardlink(e);
		if (!strncmp(base, ".wh.", 4)) {
			size_t dirlen = (size_t)(base - path);
			if (!strcmp(base, ".wh..wh..opq")) {
				le->kind = SC_LE_OPAQUE;
				le->path = sc_arena_strndup(rec->arena, path, dirlen ? dirlen - 1 : 0);
			} else {
				le->kind = SC_LE_WHITEOUT;
				le->path = sc_arena_printf(rec->arena, "%.*s%s", (int)dirlen, path, base + 4);
			}
			sc_ptrvec_push(&rec->entries, le);
			continue;
		}
		le->path = sc_arena_strdup(rec->arena, path);
		if (hl) {
			char tgt[4096];
			if (!clean_name(hl, tgt, sizeof(tgt)))
				continue; /* a hard link out of the root resolves to nothing */
			le->kind = SC_LE_HARDLINK;
			le->link = sc_arena_strdup(rec->arena, tgt);
			le->size = 0;
		} else {
			switch (archive_entry_filetype(e)) {
			case AE_IFREG: le->kind = SC_LE_REG; break;
			case AE_IFDIR: le->kind = SC_LE_DIR; break;
			case AE_IFLNK:
				le->kind = SC_LE_SYMLINK;
				le->link = sc_arena_strdup(rec->arena, archive_entry_symlink(e));
				le->size = 0;
				break;
			default: le->kind = SC_LE_OTHER; le->size = 0; break;
			}
		}
		sc_ptrvec_push(&rec->entries, le);
		if (le->kind != SC_LE_REG)
			continue;
		bool keep = o->keep && o->keep(le->path, le->size, le->mode, o->keep_arg) &&
			    le->size <= o->limits.max_file_size && *w->kept_total + le->size <= kept_max;
		bool feed = o->on_file && le->size <= o->limits.max_file_size;
		if (!keep && !feed)
			continue;
		unsigned char *data = NULL;
		size_t len = 0;
		st = read_entry_data(s, t, le->size, &data, &len);
		if (st != SC_OK)
			goto out;
		if (feed)
			o->on_file(o->on_file_arg, w->layer, le->path, data, len);
		if (keep) {
			unsigned char *copy = sc_arena_alloc(rec->arena, len + 1);
			memcpy(copy, data, len);
			le->data = copy;
			le->len = len;
			le->kept = true;
			rec->kept_bytes += len;
			*w->kept_total += len;
		}
		free(data);
	}
	/* the tar end marker may be followed by padding: hash the whole stream */
	while (!s->raw_eof) {
		const void *b;
		if (tar_cb(NULL, s, &b) < 0) {
			st = s->cb_status ? s->cb_status : SC_EINPUT;
			goto out;
		}
	}
out:
	archive_read_free(t);
	return st;
}

enum sc_status sc_layer_walk(const struct sc_blob_src *src, const struct sc_layer_walk *w,
			     struct sc_layer_rec **out, struct sc_error *err)
{
	*out = NULL;
	struct walk_state s = {.src = src, .w = w, .err = err};
	struct sc_layer_rec *rec = sc_xcalloc(1, sizeof(*rec));
	rec->arena = sc_arena_new();
	s.blob_md = EVP_MD_CTX_new();
	s.tar_md = EVP_MD_CTX_new();
	if (!s.blob_md || !s.tar_md)
		abort();
	EVP_DigestInit_ex(s.blob_md, EVP_sha256(), NULL);
	EVP_DigestInit_ex(s.tar_md, EVP_sha256(), NULL);
	enum sc_status st = SC_OK;
	s.raw = archive_read_new();
	archive_read_support_filter_gzip(s.raw);
	archive_read_support_filter_zstd(s.raw);
	archive_read_support_format_raw(s.raw);
	struct archive_entry *re = NULL;
	if (archive_read_open(s.raw, &s, NULL, src_cb, NULL) != ARCHIVE_OK ||
	    archive_read_next_header(s.raw, &re) != ARCHIVE_OK) {
		const char *msg = archive_error_string(s.raw);
		st = s.cb_status ? s.cb_status
				 : sc_error_set(err, SC_EINPUT, w->name, 0, 0, "layer %d: cannot read blob: %s",
						w->layer, msg ? msg : "empty or unknown compression");
		goto out;
	}
	st = walk(&s, rec);
	if (st != SC_OK)
		goto out;
	/* hash any bytes the decompressor did not need (trailing data is part of the blob) */
	for (;;) {
		const void *b;
		ssize_t n = src->read(src->arg, &b, err);
		if (n < 0) {
			st = err->status ? err->status : SC_EIO;
			goto out;
		}
		if (n == 0)
			break;
		EVP_DigestUpdate(s.blob_md, b, (size_t)n);
	}
	hex_digest(s.blob_md, rec->digest);
	hex_digest(s.tar_md, rec->diff_id);
out:
	archive_read_free(s.raw);
	EVP_MD_CTX_free(s.blob_md);
	EVP_MD_CTX_free(s.tar_md);
	if (st != SC_OK) {
		sc_layer_rec_free(rec);
		return st;
	}
	*out = rec;
	return SC_OK;
}

struct mem_src {
	const void *data;
	size_t len;
	bool done;
};

static ssize_t mem_read(void *arg, const void **buf, struct sc_error *err)
{
	(void)err;
	struct mem_src *m = arg;
	if (m->done)
		return 0;
	m->done = true;
	*buf = m->data;
	return (ssize_t)m->len;
}

enum sc_status sc_layer_walk_memory(const void *data, size_t len, const struct sc_layer_walk *w,
				    struct sc_layer_rec **out, struct sc_error *err)
{
	struct mem_src m = {data, len, false};
	struct sc_blob_src src = {mem_read, &m};
	return sc_layer_walk(&src, w, out, err);
}
