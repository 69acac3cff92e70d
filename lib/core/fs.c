/* fs.c - a directory target as an sc_fs: one walk that never follows symlinks, bounded reads. */
#include "shipcheck/sc_scan.h"

#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <unistd.h>

#include <linux/magic.h>

struct dir_impl {
	int rootfd;
};

static int cmp_file(const void *a, const void *b)
{
	const struct sc_file *fa = *(const struct sc_file *const *)a;
	const struct sc_file *fb = *(const struct sc_file *const *)b;
	return strcmp(fa->path, fb->path);
}

static bool skipped(const char *rel, const char *const *globs)
{
	if (!globs)
		return false;
	for (size_t i = 0; globs[i]; i++)
		if (sc_glob_match(globs[i], rel))
			return true;
	return false;
}

/* The walk: directories are read by a few threads taking them from a shared stack (on a tree of
 * many small directories the per-entry system calls are most of the time); each thread keeps the
 * files it finds in its own arena and list, merged and sorted at the end, so the result does not
 * depend on which thread read what. */
struct wdir {
	int fd;
	char *prefix; /* malloc'd */
	unsigned depth;
	dev_t dev; /* of the directory */
};

/* Is the directory open as fd, mounted on another device than its parent (parent_dev), a kernel
 * pseudo-filesystem: /proc, /sys, /dev/pts, cgroups, ... of a live root (`--rootfs /` in a
 * container)? Their files are the running system's state, not the target's, and some are endless
 * or block when read. *dev gets the directory's device. */
static bool pseudo_fs(int fd, dev_t parent_dev, dev_t *dev)
{
	struct stat sb;
	if (fstat(fd, &sb) != 0)
		return false;
	*dev = sb.st_dev;
	if (sb.st_dev == parent_dev)
		return false;
	struct statfs fs;
	if (fstatfs(fd, &fs) != 0)
		return false;
	switch ((unsigned long)fs.f_type) {
	case PROC_SUPER_MAGIC:
	case SYSFS_MAGIC:
	case DEVPTS_SUPER_MAGIC:
	case CGROUP_SUPER_MAGIC:
	case CGROUP2_SUPER_MAGIC:
	case DEBUGFS_MAGIC:
	case TRACEFS_MAGIC:
	case SECURITYFS_MAGIC:
	case PSTOREFS_MAGIC:
	case BPF_FS_MAGIC:
	case HUGETLBFS_MAGIC:
	case 0x19800202UL: /* mqueue */
	case 0x62656570UL: /* configfs */
	case 0x65735543UL: /* fusectl */
		return true;
	default:
		return false;
	}
}

struct walk {
	const char *const *globs;
	const struct sc_limits *lim;
	struct sc_error *err; /* the first error (under mu) */
	enum sc_status st;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	struct wdir *q; /* directories to read */
	size_t qn, qcap;
	unsigned busy; /* threads reading a directory */
	bool stop;     /* set under mu, read without it by read_dir (atomic) */
	size_t nfiles; /* atomic */
};

struct wthread {
	struct walk *w;
	struct sc_arena *arena;
	struct sc_ptrvec files;
	char *rel; /* the path being built */
	size_t relcap;
};

static void walk_fail(struct walk *w, enum sc_status st, const char *file, const char *fmt, ...) SC_PRINTF(4, 5);
static void walk_fail(struct walk *w, enum sc_status st, const char *file, const char *fmt, ...)
{
	pthread_mutex_lock(&w->mu);
	if (!w->stop) {
		__atomic_store_n(&w->stop, true, __ATOMIC_RELAXED);
		va_list ap;
		va_start(ap, fmt);
		w->st = sc_error_setv(w->err, st, file, 0, 0, fmt, ap);
		va_end(ap);
		pthread_cond_broadcast(&w->cv);
	}
	pthread_mutex_unlock(&w->mu);
}

static void walk_push(struct walk *w, int fd, const char *prefix, unsigned depth, dev_t dev)
{
	pthread_mutex_lock(&w->mu);
	if (w->stop) {
		pthread_mutex_unlock(&w->mu);
		close(fd);
		return;
	}
	if (w->qn == w->qcap) {
		w->qcap = w->qcap ? w->qcap * 2 : 64;
		w->q = sc_xrealloc(w->q, w->qcap * sizeof(*w->q));
	}
	w->q[w->qn++] = (struct wdir){fd, sc_xstrdup(prefix), depth, dev};
	pthread_cond_signal(&w->cv);
	pthread_mutex_unlock(&w->mu);
}

/* Sets t->rel to "prefix/name" (or "name" at the root). */
static const char *rel_path(struct wthread *t, const char *prefix, size_t plen, const char *name)
{
	size_t nl = strlen(name), need = plen + 1 + nl + 1;
	if (need > t->relcap) {
		t->relcap = need * 2;
		t->rel = sc_xrealloc(t->rel, t->relcap);
	}
	char *q = t->rel;
	if (plen) {
		memcpy(q, prefix, plen);
		q[plen] = '/';
		q += plen + 1;
	}
	memcpy(q, name, nl + 1);
	return t->rel;
}

static void read_dir(struct wthread *t, struct wdir *dir)
{
	struct walk *w = t->w;
	DIR *d = fdopendir(dir->fd);
	if (!d) {
		close(dir->fd);
		walk_fail(w, SC_EIO, dir->prefix, "cannot read directory: %s", strerror(errno));
		return;
	}
	size_t plen = strlen(dir->prefix);
	struct dirent *de;
	while (!__atomic_load_n(&w->stop, __ATOMIC_RELAXED) && (de = readdir(d))) {
		const char *n = de->d_name;
		if (n[0] == '.' && (!n[1] || (n[1] == '.' && !n[2])))
			continue;
		const char *rel = rel_path(t, dir->prefix, plen, n);
		struct stat sb;
		bool is_dir = de->d_type == DT_DIR;
		if (!is_dir) { /* a file needs its size and mode; an unknown type is looked up */
			if (fstatat(dirfd(d), n, &sb, AT_SYMLINK_NOFOLLOW) != 0)
				continue;
			is_dir = S_ISDIR(sb.st_mode);
		}
		if (is_dir) {
			if (!strcmp(n, ".git") || skipped(rel, w->globs))
				continue;
			if (dir->depth + 1 > w->lim->max_depth) {
				walk_fail(w, SC_ELIMIT, rel, "directory nesting deeper than %u levels", w->lim->max_depth);
				break;
			}
			/* O_NOFOLLOW | O_DIRECTORY: a symlink or a file put there since readdir is not entered */
			int cfd = openat(dirfd(d), n, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
			dev_t cdev = dir->dev;
			if (cfd >= 0 && pseudo_fs(cfd, dir->dev, &cdev)) {
				close(cfd);
				continue;
			}
			if (cfd >= 0)
				walk_push(w, cfd, rel, dir->depth + 1, cdev);
			continue;
		}
		if (skipped(rel, w->globs) || (!S_ISREG(sb.st_mode) && !S_ISLNK(sb.st_mode)))
			continue;
		if (__atomic_add_fetch(&w->nfiles, 1, __ATOMIC_RELAXED) > w->lim->max_files) {
			walk_fail(w, SC_ELIMIT, dir->prefix, "more than %llu files in the target",
				  (unsigned long long)w->lim->max_files);
			break;
		}
		struct sc_file *f = sc_arena_alloc(t->arena, sizeof(*f));
		f->path = sc_arena_strdup(t->arena, rel);
		f->size = (uint64_t)sb.st_size;
		f->mode = (uint32_t)sb.st_mode;
		if (S_ISLNK(sb.st_mode)) {
			char buf[4096];
			ssize_t k = readlinkat(dirfd(d), n, buf, sizeof(buf) - 1);
			if (k >= 0)
				f->link_target = sc_arena_strndup(t->arena, buf, (size_t)k);
		}
		sc_ptrvec_push(&t->files, f);
	}
	closedir(d);
}

static void *walk_thread(void *arg)
{
	struct wthread *t = arg;
	struct walk *w = t->w;
	pthread_mutex_lock(&w->mu);
	for (;;) {
		while (!w->stop && !w->qn && w->busy)
			pthread_cond_wait(&w->cv, &w->mu);
		if (w->stop || (!w->qn && !w->busy))
			break;
		struct wdir dir = w->q[--w->qn];
		w->busy++;
		pthread_mutex_unlock(&w->mu);
		read_dir(t, &dir);
		free(dir.prefix);
		pthread_mutex_lock(&w->mu);
		w->busy--;
		if (!w->qn && !w->busy)
			pthread_cond_broadcast(&w->cv);
	}
	pthread_cond_broadcast(&w->cv);
	pthread_mutex_unlock(&w->mu);
	return NULL;
}

#define WALK_THREADS 4

/* Walks the directory open as rootfd (the descriptor is the walk's) into fs. */
static enum sc_status walk_tree(struct sc_fs *fs, int fd, const char *const *globs, const struct sc_limits *lim,
				struct sc_error *err)
{
	struct walk w = {.globs = globs, .lim = lim, .err = err, .st = SC_OK};
	pthread_mutex_init(&w.mu, NULL);
	pthread_cond_init(&w.cv, NULL);
	long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
	unsigned n = ncpu < 1 ? 1u : ncpu > WALK_THREADS ? WALK_THREADS : (unsigned)ncpu;
	struct wthread ts[WALK_THREADS];
	memset(ts, 0, sizeof(ts));
	for (unsigned i = 0; i < n; i++) {
		ts[i].w = &w;
		ts[i].arena = i ? sc_arena_new() : fs->arena;
	}
	struct stat rsb;
	walk_push(&w, fd, "", 0, fstat(fd, &rsb) == 0 ? rsb.st_dev : 0);
	pthread_t tids[WALK_THREADS];
	bool started[WALK_THREADS] = {false};
	for (unsigned i = 1; i < n; i++)
		started[i] = pthread_create(&tids[i], NULL, walk_thread, &ts[i]) == 0;
	walk_thread(&ts[0]);
	for (unsigned i = 1; i < n; i++)
		if (started[i])
			pthread_join(tids[i], NULL);
	for (size_t i = 0; i < w.qn; i++) { /* left after an error */
		close(w.q[i].fd);
		free(w.q[i].prefix);
	}
	free(w.q);
	struct sc_ptrvec *all = &fs->files;
	for (unsigned i = 0; i < n; i++) {
		for (size_t k = 0; k < ts[i].files.len; k++)
			sc_ptrvec_push(all, ts[i].files.items[k]);
		sc_ptrvec_free(&ts[i].files);
		free(ts[i].rel);
		if (i)
			sc_arena_adopt(fs->arena, ts[i].arena);
	}
	pthread_cond_destroy(&w.cv);
	pthread_mutex_destroy(&w.mu);
	return w.st;
}

static enum sc_status dir_read(const struct sc_fs *fs, const char *path, uint64_t limit, char **data,
			       size_t *len, struct sc_error *err)
{
	const struct dir_impl *impl = fs->impl;
	int fd = sc_open_beneath(impl->rootfd, path, O_NONBLOCK);
	if (fd < 0)
		return sc_error_set(err, SC_EIO, path, 0, 0, "cannot open: %s", strerror(errno));
	return sc_read_fd(fd, path, limit, data, len, err);
}

static void dir_destroy(struct sc_fs *fs)
{
	struct dir_impl *impl = fs->impl;
	close(impl->rootfd);
	free(impl);
	fs->impl = NULL;
}

enum sc_status sc_fs_open_dir(const char *dir, const char *const *skip_globs,
			      const struct sc_limits *lim, struct sc_fs **out, struct sc_error *err)
{
	*out = NULL;
	struct sc_limits defl;
	if (!lim) {
		sc_limits_default(&defl);
		lim = &defl;
	}
	int rootfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (rootfd < 0)
		return sc_error_set(err, errno == ENOENT || errno == ENOTDIR ? SC_EINPUT : SC_EIO, dir, 0,
				    0, "cannot open directory: %s", strerror(errno));
	struct sc_fs *fs = sc_xcalloc(1, sizeof(*fs));
	struct dir_impl *impl = sc_xcalloc(1, sizeof(*impl));
	fs->arena = sc_arena_new();
	fs->root = sc_arena_strdup(fs->arena, dir);
	fs->read = dir_read;
	fs->destroy = dir_destroy;
	fs->impl = impl;
	impl->rootfd = rootfd;
	int wfd = dup(rootfd);
	enum sc_status st = wfd >= 0 ? walk_tree(fs, wfd, skip_globs, lim, err)
				     : sc_error_set(err, SC_EIO, dir, 0, 0, "dup failed");
	if (st != SC_OK) {
		sc_fs_free(fs);
		return st;
	}
	sc_ptrvec_sort(&fs->files, cmp_file);
	*out = fs;
	return SC_OK;
}

void sc_fs_free(struct sc_fs *fs)
{
	if (!fs)
		return;
	if (fs->destroy)
		fs->destroy(fs);
	sc_ptrvec_free(&fs->files);
	sc_arena_free(fs->arena);
	free(fs);
}

const struct sc_file *sc_fs_find(const struct sc_fs *fs, const char *path)
{
	size_t lo = 0, hi = fs->files.len;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		const struct sc_file *f = fs->files.items[mid];
		int c = strcmp(f->path, path);
		if (c == 0)
			return f;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

enum sc_status sc_fs_read(const struct sc_fs *fs, const char *path, uint64_t limit, char **data,
			  size_t *len, struct sc_error *err)
{
	return fs->read(fs, path, limit, data, len, err);
}
