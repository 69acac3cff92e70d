/* testutil.c - helpers for the cmocka unit tests. */
#include "testutil.h"

#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

char *tu_mkdtemp(void)
{
	const char *t = getenv("TMPDIR");
	char *tmpl = sc_xasprintf("%s/shipcheck-test-XXXXXX", t && *t ? t : "/tmp");
	if (!mkdtemp(tmpl)) {
		perror("mkdtemp");
		abort();
	}
	return tmpl;
}

static int rm_cb(const char *p, const struct stat *sb, int flag, struct FTW *ftw)
{
	(void)sb;
	(void)flag;
	(void)ftw;
	return remove(p);
}

void tu_rmtree(const char *dir)
{
	nftw(dir, rm_cb, 16, FTW_DEPTH | FTW_PHYS);
}

static void mkparents(char *path)
{
	for (char *p = path + 1; *p; p++) {
		if (*p == '/') {
			*p = '\0';
			mkdir(path, 0755);
			*p = '/';
		}
	}
}

void tu_write(const char *dir, const char *rel, const char *content)
{
	char *path = sc_path_join(dir, rel);
	mkparents(path);
	FILE *f = fopen(path, "wb");
	if (!f) {
		perror(path);
		abort();
	}
	fputs(content, f);
	fclose(f);
	free(path);
}

char *tu_shared(const char *rel)
{
	const char *s = getenv("SHIPCHECK_SHARED");
	return sc_path_join(s ? s : "../shared", rel);
}

char *tu_source(const char *rel)
{
	const char *s = getenv("SHIPCHECK_SOURCE_ROOT");
	return sc_path_join(s ? s : ".", rel);
}

int tu_sh(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *cmd = NULL;
	if (vasprintf(&cmd, fmt, ap) < 0)
		abort();
	va_end(ap);
	pid_t pid = fork();
	if (pid == 0) {
		execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
		_exit(127);
	}
	int status = 0;
	waitpid(pid, &status, 0);
	free(cmd);
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

char *tu_read(const char *path)
{
	char *data;
	size_t len;
	struct sc_error err = {0};
	if (sc_read_file(path, 1u << 30, &data, &len, &err) != SC_OK) {
		fprintf(stderr, "tu_read: %s\n", err.msg);
		sc_error_clear(&err);
		return NULL;
	}
	return data;
}
