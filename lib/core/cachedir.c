/* cachedir.c - where the caches live (sc_cache_subdir: --cache-dir, $XDG_CACHE_HOME or ~/.cache)
 * and the upkeep of a cache directory (the apt index tables and signature markers, the image layer
 * cache, the compiled secrets rules): an entry a run uses has its mtime brought up to date, at most once a day; entries
 * no run used for a while, temporary files a crashed run left behind and, over a size budget, the
 * least recently used entries are removed. Only regular files with the cache's own suffixes are
 * touched; other files, directories and symlinks are left alone. */
#include "shipcheck/sc_core.h"

#include <sys/stat.h>

#include <dirent.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define DAY 86400

void sc_cache_touch(const char *path)
{
	struct stat sb;
	if (path && stat(path, &sb) == 0 && sb.st_mtime < time(NULL) - DAY)
		utimensat(AT_FDCWD, path, NULL, AT_SYMLINK_NOFOLLOW);
}

char *sc_cache_subdir(const char *dir, bool no_cache, const char *sub)
{
	if (no_cache)
		return NULL;
	const char *x = getenv("XDG_CACHE_HOME");
	const char *h = getenv("HOME");
	char *path = dir && *dir ? sc_xasprintf("%s/%s", dir, sub)
		   : x && *x	 ? sc_xasprintf("%s/shipcheck/%s", x, sub)
		   : h && *h	 ? sc_xasprintf("%s/.cache/shipcheck/%s", h, sub)
				 : NULL;
	if (!path)
		return NULL;
	/* the parents may not exist yet */
	for (char *q = path + 1; *q; q++)
		if (*q == '/') {
			*q = '\0';
			mkdir(path, 0700);
			*q = '/';
		}
	struct stat sb;
	if (mkdir(path, 0700) != 0 && (stat(path, &sb) != 0 || !S_ISDIR(sb.st_mode))) {
		free(path);
		return NULL;
	}
	return path;
}

struct entry {
	char *name;
	time_t mtime;
	uint64_t size;
};

static int by_age(const void *a, const void *b)
{
	const struct entry *x = a, *y = b;
	if (x->mtime != y->mtime)
		return x->mtime < y->mtime ? -1 : 1;
	return strcmp(x->name, y->name);
}

void sc_cache_prune(const char *dir, const char *const *suffixes, unsigned max_age_days, uint64_t max_bytes)
{
	int dfd = open(dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (dfd < 0)
		return;
	DIR *d = fdopendir(dfd);
	if (!d) {
		close(dfd);
		return;
	}
	time_t now = time(NULL);
	struct entry *kept = NULL;
	size_t n = 0, cap = 0;
	uint64_t total = 0;
	struct dirent *de;
	while ((de = readdir(d))) {
		const char *name = de->d_name;
		/* a temporary file of an atomic write (NAME.tmp.XXXXXX) or of an index table being
		 * written (NAME.PID.tmp) */
		bool tmp = strstr(name, ".tmp") != NULL;
		bool ours = tmp;
		for (size_t i = 0; !ours && suffixes[i]; i++)
			ours = sc_str_has_suffix(name, suffixes[i]);
		struct stat sb;
		if (!ours || fstatat(dfd, name, &sb, AT_SYMLINK_NOFOLLOW) != 0 || !S_ISREG(sb.st_mode))
			continue;
		if (sb.st_mtime < now - (tmp ? DAY : (time_t)max_age_days * DAY)) {
			unlinkat(dfd, name, 0);
			continue;
		}
		if (tmp) /* another run may be writing it */
			continue;
		if (n == cap) {
			cap = cap ? cap * 2 : 64;
			kept = sc_xrealloc(kept, cap * sizeof(*kept));
		}
		kept[n++] = (struct entry){sc_xstrdup(name), sb.st_mtime, (uint64_t)sb.st_size};
		total += (uint64_t)sb.st_size;
	}
	if (max_bytes && total > max_bytes) { /* the least recently used first */
		qsort(kept, n, sizeof(*kept), by_age);
		for (size_t i = 0; i < n && total > max_bytes; i++)
			if (unlinkat(dfd, kept[i].name, 0) == 0)
				total -= kept[i].size;
	}
	for (size_t i = 0; i < n; i++)
		free(kept[i].name);
	free(kept);
	closedir(d);
}
