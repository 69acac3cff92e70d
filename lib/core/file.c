/* file.c - bounded whole-file reads and atomic writes (temporary file + rename). */
#include "shipcheck/sc_core.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

enum sc_status sc_read_fd(int fd, const char *path, uint64_t limit, char **data, size_t *len,
			  struct sc_error *err)
{
	*data = NULL;
	*len = 0;
	struct stat st;
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		return sc_error_set(err, SC_EINPUT, path, 0, 0, "not a regular file");
	}
	if ((uint64_t)st.st_size > limit) {
		close(fd);
		return sc_error_set(err, SC_ELIMIT, path, 0, 0,
				    "file is %llu bytes, over the limit of %llu bytes",
				    (unsigned long long)st.st_size, (unsigned long long)limit);
	}
	/* The size may change while we read: grow up to the limit, and fail past it. A full buffer is
	 * grown only when a probe read finds more (a file of the size fstat gave, the usual case, is
	 * not copied into a buffer twice its size just to see the end). */
	size_t cap = (size_t)st.st_size + 1, n = 0;
	char *buf = sc_xmalloc(cap);
	for (;;) {
		ssize_t r;
		if (n + 1 >= cap) {
			char probe[4096];
			r = read(fd, probe, sizeof(probe));
			if (r > 0) {
				if ((uint64_t)n + (uint64_t)r > limit) {
					free(buf);
					close(fd);
					return sc_error_set(err, SC_ELIMIT, path, 0, 0,
							    "file grew past the limit of %llu bytes",
							    (unsigned long long)limit);
				}
				size_t want = cap * 2 > n + (size_t)r + 1 ? cap * 2 : n + (size_t)r + 1;
				if ((uint64_t)want - 1 > limit) /* never more than the limit (+1 for the NUL) */
					want = (size_t)limit + 1;
				cap = want;
				buf = sc_xrealloc(buf, cap);
				memcpy(buf + n, probe, (size_t)r);
			}
		} else {
			r = read(fd, buf + n, cap - 1 - n);
		}
		if (r < 0) {
			if (errno == EINTR)
				continue;
			int e = errno;
			free(buf);
			close(fd);
			return sc_error_set(err, SC_EIO, path, 0, 0, "read failed: %s", strerror(e));
		}
		if (r == 0)
			break;
		n += (size_t)r;
	}
	close(fd);
	buf[n] = '\0';
	*data = buf;
	*len = n;
	return SC_OK;
}

int sc_open_beneath(int rootfd, const char *path, int flags)
{
	struct open_how how = {
		.flags = (uint64_t)(O_RDONLY | O_CLOEXEC | O_NOFOLLOW | flags),
		.resolve = RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS,
	};
	long fd = syscall(SYS_openat2, rootfd, path, &how, sizeof(how));
	if (fd < 0 && errno == ENOSYS) {
		/* Old kernel: callers give walked paths (never through a symlink), and the last
		 * component is opened with O_NOFOLLOW. */
		if (!strncmp(path, "..", 2))
			return -1;
		fd = openat(rootfd, path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | flags);
	}
	return (int)fd;
}

enum sc_status sc_open_regular(const char *path, uint64_t limit, int *fd, uint64_t *size, struct sc_error *err)
{
	*fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK);
	if (*fd < 0)
		return sc_error_set(err, SC_EIO, path, 0, 0, "cannot open: %s", strerror(errno));
	struct stat sb;
	enum sc_status st = SC_OK;
	if (fstat(*fd, &sb) != 0 || !S_ISREG(sb.st_mode))
		st = sc_error_set(err, SC_EINPUT, path, 0, 0, "not a regular file");
	else if ((uint64_t)sb.st_size > limit)
		st = sc_error_set(err, SC_ELIMIT, path, 0, 0, "larger than %llu bytes", (unsigned long long)limit);
	if (st != SC_OK) {
		close(*fd);
		*fd = -1;
		return st;
	}
	*size = (uint64_t)sb.st_size;
	return SC_OK;
}

enum sc_status sc_read_file(const char *path, size_t limit, char **data, size_t *len, struct sc_error *err)
{
	*data = NULL;
	*len = 0;
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK);
	if (fd < 0)
		return sc_error_set(err, SC_EIO, path, 0, 0, "cannot open: %s", strerror(errno));
	return sc_read_fd(fd, path, limit, data, len, err);
}

/* A path that exists and is not a regular file (/dev/null, /dev/stdout, a FIFO such as bash's
 * >(...)) is written in place: renaming a temporary file over it would replace the device or pipe
 * with a regular file. Atomicity is about files a reader may find half-written; a stream has none. */
static bool is_stream(const char *path)
{
	struct stat sb;
	return stat(path, &sb) == 0 && !S_ISREG(sb.st_mode) && !S_ISDIR(sb.st_mode);
}

static enum sc_status outfile_fail(struct sc_outfile *of, int fd, const char *path, const char *what, int e,
				   struct sc_error *err)
{
	if (fd >= 0)
		close(fd);
	if (of->tmp)
		unlink(of->tmp);
	free(of->path);
	free(of->tmp);
	memset(of, 0, sizeof(*of));
	return sc_error_set(err, SC_EIO, path, 0, 0, "%s: %s", what, strerror(e));
}

enum sc_status sc_outfile_open(struct sc_outfile *of, const char *path, struct sc_error *err)
{
	memset(of, 0, sizeof(*of));
	of->path = sc_xstrdup(path);
	int fd;
	if (is_stream(path)) {
		fd = open(path, O_WRONLY | O_CLOEXEC | O_NOCTTY);
		if (fd < 0)
			return outfile_fail(of, -1, path, "cannot open output", errno, err);
	} else {
		of->tmp = sc_xasprintf("%s.tmp.XXXXXX", path);
		fd = mkstemp(of->tmp);
		if (fd < 0) {
			int e = errno;
			free(of->tmp);
			of->tmp = NULL;
			return outfile_fail(of, -1, path, "cannot create output file", e, err);
		}
		fchmod(fd, 0644);
	}
	of->fp = fdopen(fd, "w");
	if (!of->fp)
		return outfile_fail(of, fd, path, "cannot open output stream", errno, err);
	return SC_OK;
}

enum sc_status sc_outfile_commit(struct sc_outfile *of, struct sc_error *err)
{
	enum sc_status st = SC_OK;
	if (!of->fp)
		return sc_error_set(err, SC_EINTERNAL, NULL, 0, 0, "output file not open");
	if (fflush(of->fp) != 0 || ferror(of->fp) || (of->tmp && fsync(fileno(of->fp)) != 0)) {
		st = sc_error_set(err, SC_EIO, of->path, 0, 0, "write failed: %s", strerror(errno));
		fclose(of->fp);
		if (of->tmp)
			unlink(of->tmp);
	} else if (fclose(of->fp) != 0) {
		st = sc_error_set(err, SC_EIO, of->path, 0, 0, "close failed: %s", strerror(errno));
		if (of->tmp)
			unlink(of->tmp);
	} else if (of->tmp && rename(of->tmp, of->path) != 0) {
		st = sc_error_set(err, SC_EIO, of->path, 0, 0, "cannot rename into place: %s",
				  strerror(errno));
		unlink(of->tmp);
	}
	free(of->path);
	free(of->tmp);
	memset(of, 0, sizeof(*of));
	return st;
}

void sc_outfile_abort(struct sc_outfile *of)
{
	if (of->fp) {
		fclose(of->fp);
		if (of->tmp)
			unlink(of->tmp);
	}
	free(of->path);
	free(of->tmp);
	memset(of, 0, sizeof(*of));
}

enum sc_status sc_write_file_atomic(const char *path, const void *data, size_t len, struct sc_error *err)
{
	struct sc_outfile of;
	enum sc_status st = sc_outfile_open(&of, path, err);
	if (st != SC_OK)
		return st;
	if (len && fwrite(data, 1, len, of.fp) != len) {
		sc_outfile_abort(&of);
		return sc_error_set(err, SC_EIO, path, 0, 0, "write failed");
	}
	return sc_outfile_commit(&of, err);
}
