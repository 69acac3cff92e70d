/* test_image_secrets.c - secrets in images: every file of every layer is scanned while the layers
 * stream (a secret in a file deleted by a later layer is still reported), and a second scan serves
 * the layers and their secret matches from the layer cache with the same findings. */
#include "testutil.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <stdlib.h>
#include <string.h>

#include "shipcheck/sc_scan.h"

static struct sc_result *scan_only(const char *image, const char *cache, const char *const *only)
{
	struct sc_scan_options o;
	sc_scan_options_init(&o);
	o.image_path = image;
	o.cache_dir = cache;
	o.no_cache = cache == NULL;
	o.no_db = true;
	o.only_checks = only;
	struct sc_result *r = NULL;
	struct sc_error err = {0};
	if (sc_scan_run(&o, &r, &err) != SC_OK)
		fail_msg("scan of %s failed: %s", image, err.msg);
	return r;
}

static struct sc_result *scan(const char *image, const char *cache)
{
	static const char *const only[] = {"secrets", NULL};
	return scan_only(image, cache, only);
}

static char *describe(const struct sc_result *r)
{
	struct sc_strbuf sb;
	sc_strbuf_init(&sb, 1 << 20);
	for (size_t i = 0; i < r->findings.len; i++) {
		const struct sc_finding *f = r->findings.items[i];
		if (strcmp(f->rule->check, "secrets"))
			continue;
		sc_strbuf_printf(&sb, "%s %s:%u layer %d %s %s\n", f->rule->id, f->loc.path, f->loc.line, f->loc.layer,
				 f->fingerprint, strstr(f->message, "deleted by a later layer") ? "deleted" : "present");
	}
	return sc_strbuf_take(&sb);
}

static size_t count_files(const char *dir, const char *prefix)
{
	DIR *d = opendir(dir);
	size_t n = 0;
	struct dirent *de;
	while (d && (de = readdir(d)))
		if (!strncmp(de->d_name, prefix, strlen(prefix)))
			n++;
	if (d)
		closedir(d);
	return n;
}

/* Sets the mtime of dir's files starting with prefix to days ago. */
static void age_files(const char *dir, const char *prefix, int days)
{
	DIR *d = opendir(dir);
	assert_non_null(d);
	struct timespec t[2] = {{.tv_sec = time(NULL) - days * 86400}, {.tv_sec = time(NULL) - days * 86400}};
	for (struct dirent *de; (de = readdir(d));)
		if (!strncmp(de->d_name, prefix, strlen(prefix)))
			assert_int_equal(utimensat(dirfd(d), de->d_name, t, 0), 0);
	closedir(d);
}

/* Removes one of dir's files ending with suffix. */
static void remove_one(const char *dir, const char *suffix)
{
	DIR *d = opendir(dir);
	assert_non_null(d);
	bool done = false;
	for (struct dirent *de; !done && (de = readdir(d));)
		if (sc_str_has_suffix(de->d_name, suffix))
			done = unlinkat(dirfd(d), de->d_name, 0) == 0;
	closedir(d);
	assert_true(done);
}

/* How many of dir's files starting with prefix were last modified more than days ago. */
static size_t count_files_older(const char *dir, const char *prefix, int days)
{
	DIR *d = opendir(dir);
	assert_non_null(d);
	size_t n = 0;
	struct stat sb;
	for (struct dirent *de; (de = readdir(d));)
		if (!strncmp(de->d_name, prefix, strlen(prefix)) && fstatat(dirfd(d), de->d_name, &sb, 0) == 0 &&
		    sb.st_mtime < time(NULL) - days * 86400)
			n++;
	closedir(d);
	return n;
}

static void test_stream_and_cache(void **state)
{
	(void)state;
	char *image = tu_shared("images/oci:service");
	char *cache = tu_mkdtemp();
	struct sc_result *r1 = scan(image, cache);
	char *d1 = describe(r1);
	/* the AWS pair in app/config/.env and the GitHub token of the deleted deploy-token.txt */
	assert_non_null(strstr(d1, "SC-SEC-aws-access-key-id app/config/.env:2 layer 2"));
	assert_non_null(strstr(d1, "SC-SEC-aws-secret-access-key app/config/.env:3 layer 2"));
	assert_non_null(strstr(d1, "SC-SEC-github-pat app/config/deploy-token.txt:2 layer 2"));
	assert_non_null(strstr(d1, "deploy-token.txt:2 layer 2 "));
	char *tok = strstr(d1, "deploy-token.txt");
	assert_non_null(strstr(tok, "deleted"));
	/* nothing from the distribution's own files */
	assert_null(strstr(d1, " usr/"));
	assert_null(strstr(d1, " etc/"));
	assert_int_equal(count_files(cache, "secrets-"), 3);
	/* warm: the same findings from the caches */
	age_files(cache, "secrets-", 2);
	struct sc_result *r2 = scan(image, cache);
	char *d2 = describe(r2);
	assert_string_equal(d1, d2);
	/* the matches read back were touched; the layer cache's upkeep prunes them when unused */
	assert_int_equal(count_files_older(cache, "secrets-", 1), 0);
	tu_write(cache, "secrets-00-unused.secrets", "");
	age_files(cache, "secrets-00-", 30);
	remove_one(cache, ".layer"); /* a layer stored again: the cache's upkeep runs */
	sc_result_free(scan(image, cache));
	assert_int_equal(count_files(cache, "secrets-00-"), 0);
	assert_int_equal(count_files(cache, "secrets-"), 3);
	free(d1);
	free(d2);
	sc_result_free(r1);
	sc_result_free(r2);
	tu_rmtree(cache);
	free(cache);
	free(image);
}

/* Every finding of an image keeps its fingerprint when the same image is scanned from another
 * path: CI checks out in a different directory, and a build writes its image archive to a fresh
 * temporary path, but suppressions and baselines must keep matching. */
static void test_fingerprints_independent_of_image_path(void **state)
{
	(void)state;
	char *shared_oci = tu_shared("images/oci");
	char *dir = tu_mkdtemp();
	char link[4096];
	snprintf(link, sizeof link, "%s/some-other-name", dir);
	if (symlink(shared_oci, link))
		fail_msg("symlink: %s", strerror(errno));
	char *img1 = tu_shared("images/oci:service");
	char img2[4200];
	snprintf(img2, sizeof img2, "%s:service", link);
	struct sc_result *r1 = scan_only(img1, NULL, NULL);
	struct sc_result *r2 = scan_only(img2, NULL, NULL);
	assert_true(r1->findings.len > 3);
	assert_int_equal(r1->findings.len, r2->findings.len);
	size_t image_config = 0;
	for (size_t i = 0; i < r1->findings.len; i++) {
		const struct sc_finding *a = r1->findings.items[i], *b = r2->findings.items[i];
		assert_string_equal(a->rule->id, b->rule->id);
		assert_string_equal(a->fingerprint, b->fingerprint);
		image_config += !strcmp(a->rule->check, "image-config");
	}
	assert_true(image_config >= 1);
	sc_result_free(r1);
	sc_result_free(r2);
	tu_rmtree(dir);
	free(dir);
	free(img1);
	free(shared_oci);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_stream_and_cache),
		cmocka_unit_test(test_fingerprints_independent_of_image_path),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
