/* fs.c - a directory target as an sc_fs: one walk that never follows symlinks, bounded reads. */
#include "shipcheck/sc_scan.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

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

struct walk {
	struct sc_fs *fs;
	const char *const *globs;
	const struct sc_limits *lim;
	struct sc_error *err;
};

static enum sc_status walk_dir(struct walk *w, int dfd, const char *prefix, unsigned depth)
{
	if (depth > w->lim->max_depth)
		return sc_error_set(w->err, SC_ELIMIT, prefix, 0, 0,
				    "directory nesting deeper than %u levels", w->lim->max_depth);
	DIR *d = fdopendir(dfd);
	if (!d) {
		close(dfd);
		return sc_error_set(w->err, SC_EIO, prefix, 0, 0, "cannot read directory: %s",
				    strerror(errno));
	}
	enum sc_status st = SC_OK;
	struct dirent *de;
	while ((de = readdir(d))) {
		const char *n = de->d_name;
		if (!strcmp(n, ".") || !strcmp(n, ".."))
			continue;
		char *rel = *prefix ? sc_xasprintf("%s/%s", prefix, n) : sc_xstrdup(n);
		struct stat sb;
		if (fstatat(dirfd(d), n, &sb, AT_SYMLINK_NOFOLLOW) != 0) {
			free(rel);
			continue;
		}
		if (S_ISDIR(sb.st_mode) && (!strcmp(n, ".git") || skipped(rel, w->globs))) {
			free(rel);
			continue;
		}
		if (!S_ISDIR(sb.st_mode) && skipped(rel, w->globs)) {
			free(rel);
			continue;
		}
		if (w->fs->files.len >= w->lim->max_files) {
			free(rel);
			st = sc_error_set(w->err, SC_ELIMIT, prefix, 0, 0,
					  "more than %llu files in the target",
					  (unsigned long long)w->lim->max_files);
			break;
		}
		if (S_ISDIR(sb.st_mode)) {
			int cfd = openat(dirfd(d), n, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
			if (cfd >= 0) {
				st = walk_dir(w, cfd, rel, depth + 1);
				if (st != SC_OK) {
					free(rel);
					break;
				}
			}
			free(rel);
			continue;
		}
		if (!S_ISREG(sb.st_mode) && !S_ISLNK(sb.st_mode)) {
			free(rel);
			continue;
		}
		struct sc_file *f = sc_arena_alloc(w->fs->arena, sizeof(*f));
		f->path = sc_arena_strdup(w->fs->arena, rel);
		f->size = (uint64_t)sb.st_size;
		f->mode = (uint32_t)sb.st_mode;
		if (S_ISLNK(sb.st_mode)) {
			char buf[4096];
			ssize_t k = readlinkat(dirfd(d), n, buf, sizeof(buf) - 1);
			if (k >= 0)
				f->link_target = sc_arena_strndup(w->fs->arena, buf, (size_t)k);
		}
		sc_ptrvec_push(&w->fs->files, f);
		free(rel);
	}
	closedir(d);
	return st;
}

static int open_beneath(int rootfd, const char *path)
{
	struct open_how how = {
		.flags = O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK,
		.resolve = RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS,
	};
	long fd = syscall(SYS_openat2, rootfd, path, &how, sizeof(how));
	if (fd < 0 && errno == ENOSYS) {
		/* Old kernel: the walk never descends through symlinks, and the last component is
		 * opened with O_NOFOLLOW. */
		if (strstr(path, "..") && !strncmp(path, "..", 2))
			return -1;
		fd = openat(rootfd, path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK);
	}
	return (int)fd;
}

static enum sc_status dir_read(const struct sc_fs *fs, const char *path, uint64_t limit, char **data,
			       size_t *len, struct sc_error *err)
{
	const struct dir_impl *impl = fs->impl;
	int fd = open_beneath(impl->rootfd, path);
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
	struct walk w = {fs, skip_globs, lim, err};
	enum sc_status st = wfd >= 0 ? walk_dir(&w, wfd, "", 0)
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
