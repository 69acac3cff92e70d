/* test_core.c - unit tests of lib/core: arena, strbuf limits, map, globs, paths, dates, hashes, files. */
#include "testutil.h"

#include "shipcheck/sc_yaml.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/vfs.h>

#include <linux/magic.h>
#include <unistd.h>

#include "shipcheck/sc_scan.h"

static void test_arena(void **state)
{
	(void)state;
	struct sc_arena *a = sc_arena_new();
	char *s = sc_arena_strdup(a, "hello");
	assert_string_equal(s, "hello");
	assert_null(sc_arena_strdup(a, NULL));
	for (int i = 0; i < 10000; i++) {
		char *p = sc_arena_alloc(a, (size_t)(i % 97) + 1);
		assert_int_equal((uintptr_t)p % 16, 0);
		assert_int_equal(p[0], 0);
	}
	char *big = sc_arena_alloc(a, 1 << 20);
	big[(1 << 20) - 1] = 1;
	assert_string_equal(sc_arena_printf(a, "%d-%s", 42, "x"), "42-x");
	assert_string_equal(s, "hello");
	sc_arena_free(a);
}

static void test_strbuf_limit(void **state)
{
	(void)state;
	struct sc_strbuf sb;
	sc_strbuf_init(&sb, 10);
	assert_int_equal(sc_strbuf_puts(&sb, "12345"), SC_OK);
	assert_int_equal(sc_strbuf_puts(&sb, "67890"), SC_OK);
	assert_int_equal(sc_strbuf_putc(&sb, 'x'), SC_ELIMIT);
	assert_string_equal(sc_strbuf_str(&sb), "1234567890");
	sc_strbuf_reset(&sb);
	assert_int_equal(sc_strbuf_printf(&sb, "%s", "abcdefghijk"), SC_ELIMIT);
	assert_int_equal(sb.len, 0);
	sc_strbuf_free(&sb);
}

static void test_map(void **state)
{
	(void)state;
	struct sc_map *m = sc_map_new();
	char keys[2000][16];
	for (int i = 0; i < 2000; i++) {
		snprintf(keys[i], sizeof(keys[i]), "k%d", i);
		assert_null(sc_map_put(m, keys[i], (void *)(uintptr_t)(i + 1)));
	}
	assert_int_equal(sc_map_len(m), 2000);
	for (int i = 0; i < 2000; i++)
		assert_int_equal((uintptr_t)sc_map_get(m, keys[i]), i + 1);
	assert_null(sc_map_get(m, "nope"));
	assert_int_equal((uintptr_t)sc_map_put(m, "k5", (void *)7), 6);
	size_t it = 0, n = 0;
	while (sc_map_next(m, &it, NULL, NULL))
		n++;
	assert_int_equal(n, 2000);
	sc_map_free(m);
}

static void test_glob(void **state)
{
	(void)state;
	static const struct {
		const char *pat, *path;
		bool match;
	} cases[] = {
		{".git", ".git", true},
		{".git*", ".git", true},
		{".git*", ".github", true},
		{"*.md", "README.md", true},
		{"*.md", "docs/README.md", false},
		{"**/.git", ".git", true},
		{"**/.git", "a/b/.git", true},
		{"**", "a/b/c", true},
		{"src/**/*.c", "src/a.c", true},
		{"src/**/*.c", "src/x/y/a.c", true},
		{"src/**/*.c", "lib/a.c", false},
		{"?it", "git", true},
		{"?it", "/it", false},
		{"[a-c]x", "bx", true},
		{"[!a-c]x", "bx", false},
		{"[!a-c]x", "dx", true},
		{"a\\*b", "a*b", true},
		{"a\\*b", "axb", false},
		{"", "", true},
		{"*", "", true},
		{"node_modules", "node_modules", true},
		{"a/**/b", "a/b", true},
		{"a/**/b", "a/x/y/b", true},
		{"a/**/b", "ab", false},
		{"***", "a/b", true},
		{"*/*", "a/b", true},
		{"*/*", "a/b/c", false},
		{"[a-", "a", false}, /* a class without ']' matches nothing */
		{"a\\", "a\\", true},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		if (sc_glob_match(cases[i].pat, cases[i].path) != cases[i].match)
			fail_msg("glob %s vs %s: expected %d", cases[i].pat, cases[i].path, cases[i].match);
	}
	/* Patterns that make a backtracking matcher take exponential time (a .dockerignore line of
	 * stars, found by fuzz_repo): with the old matcher this test never ended. Paths
	 * longer than the matcher's stack buffer too. */
	char stars[200], path[5000];
	memset(stars, '*', sizeof(stars) - 2);
	stars[sizeof(stars) - 2] = 'b';
	stars[sizeof(stars) - 1] = '\0';
	memset(path, 'a', sizeof(path) - 1);
	path[sizeof(path) - 1] = '\0';
	assert_false(sc_glob_match(stars, path));
	assert_false(sc_glob_match("*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*b", path + 4900));
	assert_true(sc_glob_match("*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a", path));
	for (size_t i = 1; i < sizeof(path) - 1; i += 100)
		path[i] = '/';
	assert_true(sc_glob_match("a**/*a", path));
	assert_false(sc_glob_match("a*/*a", path));
}

static enum sc_status yparse(const char *text, struct sc_yaml **y, struct sc_error *err)
{
	return sc_yaml_parse("t.yaml", text, strlen(text), 1u << 20, y, err);
}

/* The YAML tree built from libyaml's events: positions, plain scalars, anchors shared by aliases,
 * undefined and self-referencing aliases, duplicate keys in small and large mappings (with keys
 * that differ after a NUL), the first document only, empty documents, the depth limit. */
static void test_yaml(void **state)
{
	(void)state;
	struct sc_yaml *y = NULL;
	struct sc_error err = {0};
	assert_int_equal(yparse("a: &x {k: 'v', n: 1}\nb: *x\nc: [1, \"two\", *x]\n---\nd: 2\n", &y, &err), SC_OK);
	const struct sc_ynode *r = sc_yaml_root(y);
	assert_int_equal(sc_ynode_type(r), SC_Y_MAP);
	assert_int_equal(sc_ynode_len(y, r), 3); /* the second document is not read */
	const struct sc_ynode *a = sc_ymap_get(y, r, "a"), *b = sc_ymap_get(y, r, "b"), *c = sc_ymap_get(y, r, "c");
	assert_ptr_equal(a, b); /* shared, not copied */
	assert_ptr_equal(sc_yseq_at(y, c, 2), a);
	assert_string_equal(sc_ymap_str(y, a, "k"), "v");
	assert_false(sc_ynode_plain(sc_ymap_get(y, a, "k")));
	assert_true(sc_ynode_plain(sc_ymap_get(y, a, "n")));
	assert_false(sc_ynode_plain(sc_yseq_at(y, c, 1)));
	unsigned line, col;
	sc_ynode_pos(sc_yseq_at(y, c, 1), &line, &col);
	assert_int_equal(line, 3);
	assert_int_equal(col, 8);
	sc_ynode_pos(a, &line, &col); /* where libyaml starts the node: at its anchor */
	assert_int_equal(line, 1);
	assert_int_equal(col, 4);
	assert_null(sc_ymap_get(y, r, "d"));
	assert_null(sc_yseq_at(y, c, 3));
	assert_null(sc_ymap_key(y, c, 0)); /* not a mapping */
	sc_yaml_free(y);

	assert_int_equal(yparse("", &y, &err), SC_OK);
	assert_null(sc_yaml_root(y));
	sc_yaml_free(y);
	assert_int_equal(yparse("# only a comment\n", &y, &err), SC_OK);
	assert_null(sc_yaml_root(y));
	sc_yaml_free(y);

	static const struct {
		const char *text, *msg;
		unsigned line;
	} bad[] = {
		{"a: *nope\n", "undefined alias `nope`", 1},
		{"a: &x [1, *x]\n", "undefined alias `x`", 1}, /* inside its own anchor: no cycles */
		{"a: 1\nb: 2\na: 3\n", "duplicate key `a` (first at line 1)", 3},
		{"a: [\n", "invalid YAML", 2},
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(yparse(bad[i].text, &y, &err), SC_EINPUT);
		if (!strstr(err.msg, bad[i].msg) || err.line != bad[i].line)
			fail_msg("`%s`: got %u `%s`", bad[i].text, err.line, err.msg);
		sc_error_clear(&err);
	}
	/* a large mapping: a duplicate is found through the hash table, and keys that differ only
	 * after a NUL are different keys */
	struct sc_strbuf sb;
	sc_strbuf_init(&sb, 1u << 20);
	for (int i = 0; i < 5000; i++)
		sc_strbuf_printf(&sb, "k%d: %d\n", i, i);
	sc_strbuf_puts(&sb, "\"x\\0a\": 1\n\"x\\0b\": 2\n");
	assert_int_equal(yparse(sc_strbuf_str(&sb), &y, &err), SC_OK);
	assert_int_equal(sc_ynode_len(y, sc_yaml_root(y)), 5002);
	sc_yaml_free(y);
	sc_strbuf_puts(&sb, "k4321: again\n");
	assert_int_equal(yparse(sc_strbuf_str(&sb), &y, &err), SC_EINPUT);
	assert_non_null(strstr(err.msg, "duplicate key `k4321` (first at line 4322)"));
	assert_int_equal(err.line, 5003);
	sc_error_clear(&err);
	/* block nesting past 256 levels */
	sc_strbuf_reset(&sb);
	for (int i = 0; i < 300; i++)
		sc_strbuf_printf(&sb, "%*sk:\n", i, "");
	assert_int_equal(yparse(sc_strbuf_str(&sb), &y, &err), SC_ELIMIT);
	assert_non_null(strstr(err.msg, "nesting deeper than 256"));
	sc_error_clear(&err);
	/* flow nesting past 256 levels, at the collection that goes past them; brackets inside a
	 * quoted scalar are text */
	sc_strbuf_reset(&sb);
	sc_strbuf_puts(&sb, "k: ");
	for (int i = 0; i < 100000; i++)
		sc_strbuf_putc(&sb, '[');
	assert_int_equal(yparse(sc_strbuf_str(&sb), &y, &err), SC_ELIMIT);
	assert_int_equal(err.line, 1);
	assert_int_equal(err.col, 3 + 256); /* the mapping, 255 sequences, then this one */
	sc_error_clear(&err);
	sc_strbuf_reset(&sb);
	sc_strbuf_puts(&sb, "k: '");
	for (int i = 0; i < 300; i++)
		sc_strbuf_putc(&sb, '[');
	sc_strbuf_puts(&sb, "'\n");
	assert_int_equal(yparse(sc_strbuf_str(&sb), &y, &err), SC_OK);
	assert_int_equal(strlen(sc_ymap_str(y, sc_yaml_root(y), "k")), 300);
	sc_yaml_free(y);
	sc_strbuf_free(&sb);
}

static void test_path_clean(void **state)
{
	(void)state;
	char out[256];
	assert_true(sc_path_clean("./a/./b/../c/", out, sizeof(out)));
	assert_string_equal(out, "a/c");
	assert_true(sc_path_clean("/.git", out, sizeof(out)));
	assert_string_equal(out, ".git");
	assert_false(sc_path_clean("../etc/passwd", out, sizeof(out)));
	assert_false(sc_path_clean("a/../../b", out, sizeof(out)));
	assert_false(sc_path_clean("abcdef", out, 4));
	/* no limit on the depth, only on the length */
	char deep[4096], big[4096];
	for (int i = 0; i < 2000; i++)
		memcpy(deep + 2 * i, "d/", 2);
	memcpy(deep + 4000, "../../f", 8);
	assert_true(sc_path_clean(deep, big, sizeof(big)));
	assert_int_equal(strlen(big), 2 * 1998 - 1 + 2);
	assert_string_equal(big + strlen(big) - 4, "/d/f");
	assert_string_equal(sc_path_base("a/b/c.txt"), "c.txt");
	assert_string_equal(sc_path_base("c.txt"), "c.txt");
}

static void test_dates(void **state)
{
	(void)state;
	int64_t d;
	assert_true(sc_date_parse("1970-01-01", &d));
	assert_int_equal(d, 0);
	assert_true(sc_date_parse("2000-03-01", &d));
	assert_int_equal(d, 11017);
	assert_true(sc_date_parse("2024-02-29", &d));
	assert_false(sc_date_parse("2023-02-29", &d));
	assert_false(sc_date_parse("2023-13-01", &d));
	assert_false(sc_date_parse("2023-1-01", &d));
	assert_false(sc_date_parse("yesterday", &d));
	setenv("SHIPCHECK_TODAY", "2026-11-29", 1);
	assert_true(sc_date_parse("2026-11-29", &d));
	assert_int_equal(sc_date_today(), d);
	unsetenv("SHIPCHECK_TODAY");
}

static void test_hashes(void **state)
{
	(void)state;
	char h[65], s1[41];
	sc_sha256_hex("abc", 3, h);
	assert_string_equal(h, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	sc_sha1_hex("abc", 3, s1);
	assert_string_equal(s1, "a9993e364706816aba3e25717850c26c9cd0d89d");
}

static void test_errors(void **state)
{
	(void)state;
	struct sc_error e = {0};
	assert_int_equal(sc_error_set(&e, SC_EINPUT, "f.yml", 3, 7, "bad %s", "value"), SC_EINPUT);
	sc_error_set(&e, SC_EIO, "other", 1, 1, "second");
	char buf[128];
	sc_error_format(&e, buf, sizeof(buf));
	assert_string_equal(buf, "f.yml:3:7: bad value");
	sc_error_reset(&e, SC_EIO, NULL, 0, 0, "plain");
	sc_error_format(&e, buf, sizeof(buf));
	assert_string_equal(buf, "plain");
	sc_error_clear(&e);
	sc_error_clear(&e);
}

static void test_files(void **state)
{
	(void)state;
	char *dir = tu_mkdtemp();
	char *p = sc_path_join(dir, "out.txt");
	struct sc_error err = {0};
	assert_int_equal(sc_write_file_atomic(p, "data", 4, &err), SC_OK);
	char *data;
	size_t len;
	assert_int_equal(sc_read_file(p, 100, &data, &len, &err), SC_OK);
	assert_int_equal(len, 4);
	assert_memory_equal(data, "data", 4);
	free(data);
	assert_int_equal(sc_read_file(p, 3, &data, &len, &err), SC_ELIMIT);
	sc_error_clear(&err);
	/* aborted output leaves nothing behind */
	struct sc_outfile of;
	char *q = sc_path_join(dir, "half.json");
	assert_int_equal(sc_outfile_open(&of, q, &err), SC_OK);
	fputs("{", of.fp);
	sc_outfile_abort(&of);
	assert_int_not_equal(access(q, F_OK), 0);
	/* missing directory */
	char *m = sc_path_join(dir, "missing/x.json");
	assert_int_equal(sc_outfile_open(&of, m, &err), SC_EIO);
	sc_error_clear(&err);
	/* an output that is a FIFO (or a device such as /dev/null) is written in place, never replaced
	 * by a renamed regular file */
	char *fifo = sc_path_join(dir, "pipe");
	assert_int_equal(mkfifo(fifo, 0600), 0);
	int rfd = open(fifo, O_RDONLY | O_NONBLOCK);
	assert_true(rfd >= 0);
	assert_int_equal(sc_write_file_atomic(fifo, "report", 6, &err), SC_OK);
	char got[16] = {0};
	assert_int_equal(read(rfd, got, sizeof(got)), 6);
	assert_string_equal(got, "report");
	close(rfd);
	struct stat fsb;
	assert_int_equal(lstat(fifo, &fsb), 0);
	assert_true(S_ISFIFO(fsb.st_mode));
	free(fifo);
	/* a symlink is not followed */
	char *l = sc_path_join(dir, "link");
	assert_int_equal(symlink("/etc/passwd", l), 0);
	assert_int_not_equal(sc_read_file(l, 1 << 20, &data, &len, &err), SC_OK);
	sc_error_clear(&err);
	free(l);
	free(m);
	free(q);
	free(p);
	tu_rmtree(dir);
	free(dir);
}

static void test_fs_walk(void **state)
{
	(void)state;
	char *dir = tu_mkdtemp();
	tu_write(dir, "a.txt", "A");
	tu_write(dir, "sub/b.txt", "BB");
	tu_write(dir, ".git/config", "[core]");
	char *outside = tu_mkdtemp();
	tu_write(outside, "secret.txt", "S");
	char *l = sc_path_join(dir, "escape");
	assert_int_equal(symlink(outside, l), 0);
	struct sc_fs *fs;
	struct sc_error err = {0};
	assert_int_equal(sc_fs_open_dir(dir, NULL, NULL, &fs, &err), SC_OK);
	assert_int_equal(fs->files.len, 3); /* a.txt, escape (link), sub/b.txt; .git skipped */
	assert_non_null(sc_fs_find(fs, "sub/b.txt"));
	assert_null(sc_fs_find(fs, ".git/config"));
	const struct sc_file *esc = sc_fs_find(fs, "escape");
	assert_non_null(esc);
	assert_true(S_ISLNK(esc->mode));
	char *data;
	size_t len;
	assert_int_equal(sc_fs_read(fs, "sub/b.txt", 100, &data, &len, &err), SC_OK);
	assert_int_equal(len, 2);
	free(data);
	/* reading through the symlinked directory is refused */
	assert_int_not_equal(sc_fs_read(fs, "escape/secret.txt", 100, &data, &len, &err), SC_OK);
	sc_error_clear(&err);
	sc_fs_free(fs);
	const char *skip[] = {"sub", NULL};
	assert_int_equal(sc_fs_open_dir(dir, skip, NULL, &fs, &err), SC_OK);
	assert_int_equal(fs->files.len, 2);
	sc_fs_free(fs);
	assert_int_equal(sc_fs_open_dir("/nonexistent-dir-xyz", NULL, NULL, &fs, &err), SC_EINPUT);
	sc_error_clear(&err);
	/* a live root's kernel filesystems mounted inside the tree are not walked: here the cgroup
	 * mounts below /sys/fs (cgroup v1 controllers or the v2 tree), when this machine has them */
	struct statfs sfs;
	bool cgroup_mounts = statfs("/sys/fs/cgroup", &sfs) == 0 &&
			     ((unsigned long)sfs.f_type == CGROUP_SUPER_MAGIC || (unsigned long)sfs.f_type == CGROUP2_SUPER_MAGIC);
	DIR *cg = opendir("/sys/fs/cgroup");
	for (struct dirent *de; cg && !cgroup_mounts && (de = readdir(cg));) {
		char *sub = sc_xasprintf("/sys/fs/cgroup/%s", de->d_name);
		cgroup_mounts = de->d_name[0] != '.' && statfs(sub, &sfs) == 0 &&
				((unsigned long)sfs.f_type == CGROUP_SUPER_MAGIC ||
				 (unsigned long)sfs.f_type == CGROUP2_SUPER_MAGIC);
		free(sub);
	}
	if (cg)
		closedir(cg);
	if (!cgroup_mounts)
		printf("core: no cgroup filesystem under /sys/fs here: the pseudo-filesystem walk is not tested\n");
	if (cgroup_mounts) {
		assert_int_equal(sc_fs_open_dir("/sys/fs", NULL, NULL, &fs, &err), SC_OK);
		for (size_t i = 0; i < fs->files.len; i++) {
			const struct sc_file *f = fs->files.items[i];
			char *abs = sc_xasprintf("/sys/fs/%s", f->path);
			if (statfs(abs, &sfs) == 0 &&
			    ((unsigned long)sfs.f_type == CGROUP_SUPER_MAGIC || (unsigned long)sfs.f_type == CGROUP2_SUPER_MAGIC))
				fail_msg("%s is on a cgroup filesystem and was walked", abs);
			free(abs);
		}
		sc_fs_free(fs);
	}
	/* a tree of many directories (read by several threads): every file, sorted, with its size */
	char *big = tu_mkdtemp();
	for (int i = 0; i < 40; i++)
		for (int k = 0; k < 5; k++) {
			char rel[64], body[64];
			snprintf(rel, sizeof(rel), "d%02d/e%d/f%d.txt", i, k % 2, k);
			snprintf(body, sizeof(body), "%*s", i + k + 1, "x");
			tu_write(big, rel, body);
		}
	assert_int_equal(sc_fs_open_dir(big, NULL, NULL, &fs, &err), SC_OK);
	assert_int_equal(fs->files.len, 200);
	for (size_t i = 1; i < fs->files.len; i++)
		assert_true(strcmp(((const struct sc_file *)fs->files.items[i - 1])->path,
				   ((const struct sc_file *)fs->files.items[i])->path) < 0);
	const struct sc_file *f37 = sc_fs_find(fs, "d37/e1/f3.txt");
	assert_non_null(f37);
	assert_int_equal(f37->size, 37 + 3 + 1);
	sc_fs_free(fs);
	/* the limits: too many files, too deep */
	struct sc_limits lim;
	sc_limits_default(&lim);
	lim.max_files = 150;
	assert_int_equal(sc_fs_open_dir(big, NULL, &lim, &fs, &err), SC_ELIMIT);
	assert_non_null(strstr(err.msg, "more than 150 files"));
	assert_null(fs);
	sc_error_clear(&err);
	sc_limits_default(&lim);
	lim.max_depth = 1;
	assert_int_equal(sc_fs_open_dir(big, NULL, &lim, &fs, &err), SC_ELIMIT);
	assert_non_null(strstr(err.msg, "nesting deeper than 1 levels"));
	assert_non_null(strstr(err.file, "/e"));
	sc_error_clear(&err);
	tu_rmtree(big);
	free(big);
	free(l);
	tu_rmtree(dir);
	tu_rmtree(outside);
	free(dir);
	free(outside);
}

/* Batch reads with io_uring: whole and cut-short files, slots reused by the next batch, and what
 * must fail: symlinks (last component or on the way), escapes from the directory, missing files, a
 * directory, a FIFO that must not block; more files than the reader takes. */
static void test_batch_read(void **state)
{
	(void)state;
	struct sc_batch_reader *r = NULL;
	if (sc_batch_reader_new(4, &r) != SC_OK) {
		fprintf(stderr, "test_batch_read: io_uring unavailable here, skipped\n");
		skip();
	}
	char *dir = tu_mkdtemp();
	tu_write(dir, "a.txt", "hello");
	tu_write(dir, "sub/b.txt", "0123456789abcdef");
	assert_int_equal(tu_sh("ln -s a.txt '%s/link' && ln -s .. '%s/sub/up' && mkfifo '%s/fifo'", dir, dir, dir), 0);
	int dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	assert_true(dfd >= 0);
	char b[8][64];
	struct sc_batch_file f[8] = {
		{.path = "a.txt", .buf = b[0], .want = 64},
		{.path = "sub/b.txt", .buf = b[1], .want = 10},
		{.path = "sub/../a.txt", .buf = b[2], .want = 64},
		{.path = "link", .buf = b[3], .want = 64},
	};
	assert_int_equal(sc_batch_read(r, dfd, f, 4), SC_OK);
	assert_int_equal(f[0].err, 0);
	assert_int_equal(f[0].len, 5);
	assert_memory_equal(b[0], "hello", 5);
	assert_int_equal(f[1].len, 10); /* as much as asked: the caller knows the file is longer */
	assert_memory_equal(b[1], "0123456789", 10);
	assert_int_equal(f[2].len, 5); /* ".." that stays beneath the directory is fine */
	assert_true(f[3].open_failed);
	assert_int_equal(f[3].err, ELOOP);
	/* the same slots again, with what must fail */
	struct sc_batch_file g[4] = {
		{.path = "sub/up/a.txt", .buf = b[4], .want = 64},
		{.path = "../etc/passwd", .buf = b[5], .want = 64},
		{.path = "missing", .buf = b[6], .want = 64},
		{.path = "sub", .buf = b[7], .want = 64},
	};
	assert_int_equal(sc_batch_read(r, dfd, g, 4), SC_OK);
	assert_true(g[0].open_failed); /* a symlink on the way: ELOOP, or EXDEV for the escape */
	assert_true(g[1].open_failed);
	assert_int_equal(g[1].err, EXDEV);
	assert_true(g[2].open_failed);
	assert_int_equal(g[2].err, ENOENT);
	assert_false(g[3].open_failed);
	assert_int_equal(g[3].err, EISDIR);
	/* a FIFO opens without blocking and has nothing to read */
	struct sc_batch_file h = {.path = "fifo", .buf = b[0], .want = 64};
	assert_int_equal(sc_batch_read(r, dfd, &h, 1), SC_OK);
	assert_false(h.open_failed);
	assert_int_equal(h.len, 0);
	assert_int_equal(sc_batch_read(r, dfd, f, 5), SC_EIO); /* more than it takes */
	assert_int_equal(sc_batch_read(r, dfd, f, 0), SC_OK);
	sc_batch_reader_free(r);
	/* switched off from the environment: callers fall back to plain reads */
	setenv("SHIPCHECK_IO_URING", "0", 1);
	assert_int_equal(sc_batch_reader_new(4, &r), SC_EIO);
	assert_null(r);
	unsetenv("SHIPCHECK_IO_URING");
	close(dfd);
	tu_rmtree(dir);
	free(dir);
}

/* Cache upkeep: old entries, stale temporary files and, over the budget, the least recently used
 * go; fresh ones, a fresh temporary file, foreign files, directories and symlinks stay; touching
 * an old entry keeps it. */
static void test_cache_prune(void **state)
{
	(void)state;
	char *dir = tu_mkdtemp();
	assert_int_equal(tu_sh("cd '%s' && head -c 3000 /dev/zero > a.layer && head -c 3000 /dev/zero > b.layer && "
			       "head -c 3000 /dev/zero > c.layer && echo x > old.layer && echo x > used.layer && "
			       "echo x > w.layer.tmp.AbC123 && echo x > new.idx.7.tmp && echo x > notes.txt && mkdir d.layer && "
			       "ln -s /etc/passwd l.layer && touch -d '20 days ago' old.layer used.layer notes.txt && "
			       "touch -h -d '20 days ago' l.layer && touch -d '2 days ago' w.layer.tmp.AbC123 && "
			       "touch -d '3 hours ago' a.layer && touch -d '2 hours ago' b.layer",
			       dir),
			 0);
	char *used = sc_path_join(dir, "used.layer");
	sc_cache_touch(used);
	static const char *const ours[] = {".layer", NULL};
	/* 14 days, 7000 bytes: old.layer goes by age; a.layer (the least recent of the three
	 * 3000-byte ones) by size */
	sc_cache_prune(dir, ours, 14, 7000);
	assert_int_equal(tu_sh("cd '%s' && test ! -e old.layer && test ! -e a.layer && test -e b.layer && test -e c.layer && "
			       "test -e used.layer && test ! -e w.layer.tmp.AbC123 && test -e new.idx.7.tmp && "
			       "test -e notes.txt && test -d d.layer && test -L l.layer",
			       dir),
			 0);
	sc_cache_prune(dir, ours, 14, 0); /* no budget: nothing more goes */
	assert_int_equal(tu_sh("cd '%s' && test -e b.layer && test -e c.layer && test -e used.layer", dir), 0);
	sc_cache_prune("/nonexistent/dir", ours, 1, 1); /* nothing to do, no crash */
	free(used);
	tu_rmtree(dir);
	free(dir);
}

/* The heap in huge pages: malloc keeps working, and where the heap is malloc's (not under a
 * sanitizer's allocator) a part of it carries the huge-page advice. */
static void test_heap_huge_pages(void **state)
{
	(void)state;
	sc_heap_use_huge_pages();
	char *blocks[64];
	for (int i = 0; i < 64; i++) {
		blocks[i] = malloc(64 << 10);
		assert_non_null(blocks[i]);
		memset(blocks[i], i, 64 << 10);
	}
	for (int i = 0; i < 64; i++)
		free(blocks[i]);
#if !defined(__SANITIZE_ADDRESS__) /* the sanitizer's allocator does not use the heap */
	if (access("/sys/kernel/mm/transparent_hugepage/enabled", F_OK) == 0) {
		char *smaps = tu_read("/proc/self/smaps");
		assert_non_null(smaps);
		/* some mapping after a "[heap]" line has "hg" in its VmFlags */
		bool hg = false;
		for (const char *p = smaps; (p = strstr(p, "[heap]")); p++) {
			const char *flags = strstr(p, "VmFlags:");
			const char *eol = flags ? strchr(flags, '\n') : NULL;
			if (flags && eol && memmem(flags, (size_t)(eol - flags), " hg", 3))
				hg = true;
		}
		assert_true(hg);
		free(smaps);
	}
#endif
}

/* Big buffers: malloc'd while small, a 2 MiB-aligned mapping from 2 MiB on, contents kept across
 * growth, the limit enforced; whole-file reads, also of files whose size fstat does not know. */
static void test_bigbuf(void **state)
{
	(void)state;
	struct sc_bigbuf b;
	sc_bigbuf_init(&b, 5u << 20);
	assert_int_equal(sc_bigbuf_append(&b, "abc", 3), SC_OK);
	assert_false(b.mapped);
	assert_string_equal(b.buf, "abc");
	char *chunk = sc_xmalloc(1u << 20);
	for (int i = 0; i < 4; i++) {
		memset(chunk, 'a' + i, 1u << 20);
		assert_int_equal(sc_bigbuf_append(&b, chunk, 1u << 20), SC_OK);
	}
	assert_true(b.mapped);
	assert_int_equal((uintptr_t)b.buf % (2u << 20), 0);
	assert_int_equal(b.len, 3 + (4u << 20));
	assert_memory_equal(b.buf, "abc", 3);
	assert_int_equal(b.buf[3 + (2u << 20)], 'c');
	assert_int_equal(b.buf[b.len - 1], 'd');
	assert_int_equal(b.buf[b.len], '\0');
	/* past the limit: refused, the buffer unchanged */
	assert_int_equal(sc_bigbuf_append(&b, chunk, 1u << 20), SC_ELIMIT);
	assert_int_equal(b.len, 3 + (4u << 20));
	free(chunk);

	char *dir = tu_mkdtemp();
	char *p = sc_path_join(dir, "f");
	struct sc_error err = {0};
	assert_int_equal(sc_write_file_atomic(p, "0123456789", 10, &err), SC_OK);
	assert_int_equal(sc_bigbuf_read_file(&b, p, &err), SC_OK);
	assert_int_equal(b.len, 10);
	assert_string_equal(b.buf, "0123456789");
	sc_bigbuf_free(&b);
	sc_bigbuf_init(&b, 9);
	assert_int_equal(sc_bigbuf_read_file(&b, p, &err), SC_ELIMIT);
	sc_error_clear(&err);
	sc_bigbuf_free(&b);
	/* a symlink is not followed; a directory is not a file */
	char *l = sc_path_join(dir, "link");
	assert_int_equal(symlink(p, l), 0);
	sc_bigbuf_init(&b, 1u << 20);
	assert_int_not_equal(sc_bigbuf_read_file(&b, l, &err), SC_OK);
	sc_error_clear(&err);
	assert_int_equal(sc_bigbuf_read_file(&b, dir, &err), SC_EINPUT);
	sc_error_clear(&err);
	/* fstat says 0 bytes, the file has more: read to the end (both readers) */
	assert_int_equal(sc_bigbuf_read_file(&b, "/proc/self/maps", &err), SC_OK);
	assert_true(b.len > 0 && strstr(b.buf, "[stack]"));
	sc_bigbuf_free(&b);
	sc_bigbuf_init(&b, 16);
	assert_int_equal(sc_bigbuf_read_file(&b, "/proc/self/maps", &err), SC_ELIMIT);
	sc_error_clear(&err);
	sc_bigbuf_free(&b);
	char *data = NULL;
	size_t len = 0;
	assert_int_equal(sc_read_file("/proc/self/maps", 1u << 20, &data, &len, &err), SC_OK);
	assert_true(len > 0 && strlen(data) == len && strstr(data, "[stack]"));
	free(data);
	assert_int_equal(sc_read_file("/proc/self/maps", 16, &data, &len, &err), SC_ELIMIT);
	sc_error_clear(&err);
	free(l);
	free(p);
	tu_rmtree(dir);
	free(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_arena),     cmocka_unit_test(test_strbuf_limit),
		cmocka_unit_test(test_map),       cmocka_unit_test(test_glob),
		cmocka_unit_test(test_path_clean), cmocka_unit_test(test_dates),
		cmocka_unit_test(test_yaml),
		cmocka_unit_test(test_hashes),    cmocka_unit_test(test_errors),
		cmocka_unit_test(test_files),     cmocka_unit_test(test_fs_walk),
		cmocka_unit_test(test_bigbuf),
		cmocka_unit_test(test_batch_read),
		cmocka_unit_test(test_cache_prune),
		cmocka_unit_test(test_heap_huge_pages),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
