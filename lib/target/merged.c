/* merged.c - the merged view of an image's layers as an sc_fs: whiteouts and opaque directories
 * applied layer by layer, hard links and symlinks resolved inside the view only, every file
 * knowing the layer that last wrote it; deleted files stay listed with `deleted` set. */
#include "image_impl.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

struct mfile {
	struct sc_file f; /* first: the fs lists &mfile->f */
	const unsigned char *data;
	size_t len;
	bool kept;
};

struct merged_impl {
	struct sc_map *by_path;
};

static int cmp_file(const void *a, const void *b)
{
	const struct sc_file *fa = *(const struct sc_file *const *)a;
	const struct sc_file *fb = *(const struct sc_file *const *)b;
	return strcmp(fa->path, fb->path);
}

bool sc_fs_resolve(const struct sc_fs *fs, const char *path, char *out, size_t outsz)
{
	/* cur: the resolved prefix; rest: what is left to walk */
	char cur[4096] = "";
	size_t curlen = 0;
	char *rest = sc_xstrdup(path);
	unsigned hops = 0;
	bool ok = true;
	char *p = rest;
	while (ok) {
		while (*p == '/')
			p++;
		if (!*p)
			break;
		char *e = strchr(p, '/');
		size_t n = e ? (size_t)(e - p) : strlen(p);
		if (n == 1 && p[0] == '.') {
			p += n;
			continue;
		}
		if (n == 2 && p[0] == '.' && p[1] == '.') {
			if (!curlen) {
				ok = false; /* leaves the root */
				break;
			}
			char *slash = strrchr(cur, '/');
			curlen = slash ? (size_t)(slash - cur) : 0;
			cur[curlen] = '\0';
			p += n;
			continue;
		}
		if (curlen + 1 + n + 1 > sizeof(cur)) {
			ok = false;
			break;
		}
		size_t save = curlen;
		if (curlen)
			cur[curlen++] = '/';
		memcpy(cur + curlen, p, n);
		curlen += n;
		cur[curlen] = '\0';
		p += n;
		const struct sc_file *f = sc_fs_find(fs, cur);
		if (f && S_ISLNK(f->mode) && !f->deleted && f->link_target) {
			if (++hops > 40) {
				ok = false;
				break;
			}
			const char *t = f->link_target;
			curlen = save;
			cur[curlen] = '\0';
			if (t[0] == '/') {
				curlen = 0;
				cur[0] = '\0';
			}
			char *next = sc_xasprintf("%s/%s", t, p);
			free(rest);
			rest = next;
			p = rest;
		}
	}
	free(rest);
	if (!ok || curlen + 1 > outsz)
		return false;
	memcpy(out, cur, curlen + 1);
	return true;
}

static enum sc_status merged_read(const struct sc_fs *fs, const char *path, uint64_t limit, char **data,
				  size_t *len, struct sc_error *err)
{
	*data = NULL;
	*len = 0;
	const struct merged_impl *impl = fs->impl;
	const struct mfile *m = sc_map_get(impl->by_path, path);
	if (m && S_ISLNK(m->f.mode)) {
		char res[4096];
		if (!sc_fs_resolve(fs, path, res, sizeof(res)))
			return sc_error_set(err, SC_EINPUT, path, 0, 0, "symlink resolves outside the image");
		m = sc_map_get(impl->by_path, res);
	}
	if (!m || m->f.deleted || !S_ISREG(m->f.mode))
		return sc_error_set(err, SC_EINPUT, path, 0, 0, "no such regular file in the image");
	if (!m->kept)
		return sc_error_set(err, SC_EINPUT, path, 0, 0,
				    "file content was not kept while streaming the layers");
	if (m->len > limit)
		return sc_error_set(err, SC_ELIMIT, path, 0, 0, "file is %zu bytes, over the limit of %llu bytes",
				    m->len, (unsigned long long)limit);
	char *buf = sc_xmalloc(m->len + 1);
	memcpy(buf, m->data, m->len);
	buf[m->len] = '\0';
	*data = buf;
	*len = m->len;
	return SC_OK;
}

static void merged_destroy(struct sc_fs *fs)
{
	struct merged_impl *impl = fs->impl;
	sc_map_free(impl->by_path);
	free(impl);
	fs->impl = NULL;
}

/* Marks path and everything below it deleted (files must be sorted). dir_only: only below. */
static void delete_prefix(struct sc_ptrvec *files, const char *path, bool dir_only)
{
	size_t plen = strlen(path);
	size_t lo = 0, hi = files->len;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		const struct sc_file *f = files->items[mid];
		if (strcmp(f->path, path) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (!plen) { /* the root: an opaque marker at the top */
		for (size_t i = 0; i < files->len; i++)
			((struct sc_file *)files->items[i])->deleted = true;
		return;
	}
	for (size_t i = lo; i < files->len; i++) {
		struct sc_file *f = files->items[i];
		if (strncmp(f->path, path, plen) != 0)
			break;
		if (f->path[plen] == '\0') {
			if (!dir_only)
				f->deleted = true;
		} else if (f->path[plen] == '/') {
			f->deleted = true;
		} else {
			/* "a-b" sorts between "a" and "a/": keep scanning */
			continue;
		}
	}
}

enum sc_status sc_merged_build(struct sc_layer_rec *const *recs, size_t n, const struct sc_limits *lim,
			       struct sc_fs **out, struct sc_error *err)
{
	*out = NULL;
	struct sc_fs *fs = sc_xcalloc(1, sizeof(*fs));
	struct merged_impl *impl = sc_xcalloc(1, sizeof(*impl));
	fs->arena = sc_arena_new();
	fs->read = merged_read;
	fs->destroy = merged_destroy;
	fs->impl = impl;
	impl->by_path = sc_map_new();
	enum sc_status st = SC_OK;
	for (size_t l = 0; l < n; l++) {
		const struct sc_layer_rec *rec = recs[l];
		if (!rec)
			continue;
		int layer = (int)l + 1;
		bool sorted = false;
		for (size_t i = 0; i < rec->entries.len; i++) {
			const struct sc_lentry *e = rec->entries.items[i];
			if (e->kind != SC_LE_WHITEOUT && e->kind != SC_LE_OPAQUE)
				continue;
			if (!sorted) {
				sc_ptrvec_sort(&fs->files, cmp_file);
				sorted = true;
			}
			delete_prefix(&fs->files, e->path, e->kind == SC_LE_OPAQUE);
		}
		for (size_t i = 0; i < rec->entries.len; i++) {
			const struct sc_lentry *e = rec->entries.items[i];
			if (e->kind == SC_LE_WHITEOUT || e->kind == SC_LE_OPAQUE)
				continue;
			if (e->kind == SC_LE_DIR) {
				struct mfile *m = sc_map_get(impl->by_path, e->path);
				if (m && !S_ISDIR(m->f.mode))
					m->f.deleted = true;
				continue;
			}
			if (e->kind == SC_LE_OTHER && e->mode == 0)
				continue; /* rejected name; reported by the image reader */
			const struct mfile *src = NULL;
			if (e->kind == SC_LE_HARDLINK) {
				src = sc_map_get(impl->by_path, e->link);
				if (!src || src->f.deleted)
					continue; /* a link to nothing */
			}
			struct mfile *m = sc_map_get(impl->by_path, e->path);
			if (!m) {
				if (fs->files.len >= lim->max_files) {
					st = sc_error_set(err, SC_ELIMIT, e->path, 0, 0,
							  "more than %llu files in the image",
							  (unsigned long long)lim->max_files);
					goto out;
				}
				m = sc_arena_alloc(fs->arena, sizeof(*m));
				m->f.path = e->path;
				sc_map_put(impl->by_path, m->f.path, m);
				sc_ptrvec_push(&fs->files, &m->f);
			}
			m->f.layer = layer;
			m->f.deleted = false;
			if (src) {
				m->f.mode = src->f.mode;
				m->f.size = src->f.size;
				m->f.link_target = src->f.link_target;
				m->data = src->data;
				m->len = src->len;
				m->kept = src->kept;
			} else {
				m->f.mode = e->mode;
				if (e->kind == SC_LE_SYMLINK)
					m->f.mode = (e->mode & 07777) | S_IFLNK;
				else if (e->kind == SC_LE_REG)
					m->f.mode = (e->mode & 07777) | S_IFREG;
				m->f.size = e->size;
				m->f.link_target = e->kind == SC_LE_SYMLINK ? e->link : NULL;
				m->data = e->data;
				m->len = e->len;
				m->kept = e->kept;
			}
		}
	}
	sc_ptrvec_sort(&fs->files, cmp_file);
out:
	if (st != SC_OK) {
		sc_fs_free(fs);
		return st;
	}
	*out = fs;
	return SC_OK;
}
