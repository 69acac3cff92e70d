/* test_image.c - image targets end to end: the real images of ../shared/images (OCI layout,
 * docker-archive .tar.gz, OCI layout as tar) against their expected package lists, and synthetic
 * images written by imgbuild.c for whiteouts, opaque dirs, hard links, symlink escapes, ../ and
 * absolute names, zstd layers, digest mismatches, missing blobs, a 10 GB header, limits, platform
 * selection and the layer cache. */
#include "testutil.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sqlite3.h>

#include "imgbuild.h"
#include "shipcheck/sc_db.h"
#include "shipcheck/sc_image.h"
#include "shipcheck/sc_scan.h"

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static const char *kind_of(const struct sc_package *p)
{
	if (!strncmp(p->ecosystem, "Debian", 6))
		return "deb";
	if (!strcmp(p->ecosystem, "npm"))
		return (p->flags & SC_PKG_ROOT) ? "npm-root" : "npm";
	if (!strcmp(p->ecosystem, "PyPI"))
		return "pypi";
	if (!strcmp(p->ecosystem, "Packagist"))
		return "composer";
	return p->ecosystem;
}

/* The result's packages as rows of the shared TSV format, sorted. */
static struct sc_ptrvec rows_of(const struct sc_result *r)
{
	struct sc_ptrvec v = {0};
	for (size_t i = 0; i < r->packages.len; i++) {
		const struct sc_package *p = r->packages.items[i];
		bool deb = !strcmp(kind_of(p), "deb");
		char *src = deb ? sc_xasprintf("%s %s", p->source_name ? p->source_name : p->name,
					       p->source_version ? p->source_version : p->version)
				: sc_xstrdup("");
		sc_ptrvec_push(&v, sc_xasprintf("%s\t%s\t%s\t%s\t%s\t%d\t/%s", kind_of(p), p->name, p->version,
						deb && p->arch ? p->arch : "", src, p->layer, p->path));
		free(src);
	}
	sc_ptrvec_sort(&v, cmp_str);
	return v;
}

static struct sc_ptrvec rows_of_tsv(const char *rel)
{
	char *path = tu_shared(rel);
	char *text = tu_read(path);
	free(path);
	struct sc_ptrvec v = {0};
	char *save = NULL;
	bool header = true;
	for (char *line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		if (header) {
			header = false;
			continue;
		}
		sc_ptrvec_push(&v, sc_xstrdup(line));
	}
	free(text);
	sc_ptrvec_sort(&v, cmp_str);
	return v;
}

static void free_rows(struct sc_ptrvec *v)
{
	for (size_t i = 0; i < v->len; i++)
		free(v->items[i]);
	sc_ptrvec_free(v);
}

static uint64_t scan_max_total; /* the image byte limit scan() sets (0: the default) */

static struct sc_result *scan(const char *image, const char *rootfs)
{
	struct sc_scan_options o;
	sc_scan_options_init(&o);
	if (scan_max_total)
		o.limits.max_total_bytes = scan_max_total;
	o.image_path = image;
	o.rootfs_dir = rootfs;
	o.no_cache = true;
	o.no_db = true;
	static const char *const only[] = {"policy", NULL};
	o.only_checks = only;
	struct sc_result *r = NULL;
	struct sc_error err = {0};
	enum sc_status st = sc_scan_run(&o, &r, &err);
	if (st != SC_OK)
		fail_msg("%s: %s", image ? image : rootfs, err.msg);
	return r;
}

static void expect_packages(const char *image, const char *name)
{
	struct sc_result *r = scan(image, NULL);
	struct sc_ptrvec got = rows_of(r);
	char *rel = sc_xasprintf("images/%s.expected.tsv", name);
	struct sc_ptrvec want = rows_of_tsv(rel);
	free(rel);
	size_t i = 0, k = 0, diffs = 0;
	while (i < got.len || k < want.len) {
		int c = i == got.len ? 1 : k == want.len ? -1 : strcmp(got.items[i], want.items[k]);
		if (c < 0) {
			print_error("%s: unexpected: %s\n", name, (char *)got.items[i++]);
			diffs++;
		} else if (c > 0) {
			print_error("%s: missing:    %s\n", name, (char *)want.items[k++]);
			diffs++;
		} else {
			i++;
			k++;
		}
	}
	assert_int_equal(diffs, 0);
	rel = sc_xasprintf("images/%s.absent.tsv", name);
	struct sc_ptrvec absent = rows_of_tsv(rel);
	free(rel);
	for (size_t a = 0; a < absent.len; a++) {
		/* kind name version: none of these may be reported */
		char *row = absent.items[a];
		char *t1 = strchr(row, '\t'), *t2 = t1 ? strchr(t1 + 1, '\t') : NULL, *t3 = t2 ? strchr(t2 + 1, '\t') : NULL;
		assert_non_null(t3);
		size_t pre = (size_t)(t3 - row);
		for (size_t g = 0; g < got.len; g++)
			if (!strncmp(got.items[g], row, pre) && ((char *)got.items[g])[pre] == '\t')
				fail_msg("%s: deleted package reported: %.*s", name, (int)pre, row);
	}
	assert_string_equal(r->target_kind, "image");
	assert_string_equal(r->os, "debian 12");
	free_rows(&absent);
	free_rows(&got);
	free_rows(&want);
	sc_result_free(r);
}

static void test_shared_oci_layout(void **state)
{
	(void)state;
	char *oci = tu_shared("images/oci");
	char *svc = sc_xasprintf("%s:service", oci);
	char *min = sc_xasprintf("%s:debian-min", oci);
	expect_packages(svc, "service");
	expect_packages(min, "debian-min");
	/* the service image's layers and their instructions */
	struct sc_result *r = scan(svc, NULL);
	assert_int_equal(r->n_layers, 3);
	assert_string_equal(r->image_digest, "sha256:344a4134a721763addd0a973852409e143e98fdbbcc3b3d07f6515f84ff73b47");
	assert_string_equal(r->layers[1].created_by, "COPY app/ /app/ + site-packages # buildkit");
	assert_string_equal(r->layers[0].diff_id, "sha256:a364bda77138a6066ccf9aaf1ae5b60dbb78c38bd273efe4c8f7e6b90368f9bf");
	sc_result_free(r);
	free(svc);
	free(min);
	free(oci);
}

/* `docker save | gzip`: the manifest comes last. The layers (78 and 7 MB) are kept in memory on
 * the one pass over the compressed archive; with a byte limit of 1 GiB the budget for that is
 * 16 MiB, so the large layer is read in a second pass and the small one from memory. */
static void test_shared_docker_archive(void **state)
{
	(void)state;
	char *tgz = tu_shared("images/service.docker.tar.gz");
	expect_packages(tgz, "service");
	scan_max_total = 1ull << 30;
	expect_packages(tgz, "service");
	scan_max_total = 0;
	free(tgz);
}

static void test_shared_oci_tar(void **state)
{
	(void)state;
	char *dir = tu_mkdtemp();
	char *oci = tu_shared("images/oci");
	assert_int_equal(tu_sh("tar -C '%s' -cf '%s/both.oci.tar' .", oci, dir), 0);
	char *svc = sc_xasprintf("%s/both.oci.tar:service", dir);
	expect_packages(svc, "service");
	/* two images and no REF: a clear error naming both */
	char *both = sc_xasprintf("%s/both.oci.tar", dir);
	struct sc_scan_options o;
	sc_scan_options_init(&o);
	o.image_path = both;
	o.no_cache = true;
	struct sc_result *r = NULL;
	struct sc_error err = {0};
	assert_int_equal(sc_scan_run(&o, &r, &err), SC_EINPUT);
	assert_non_null(strstr(err.msg, "name one as PATH:REF (names: debian-min, service)"));
	sc_error_clear(&err);
	free(both);
	free(svc);
	free(oci);
	tu_rmtree(dir);
	free(dir);
}

/* ---- synthetic images ---- */

static enum sc_status open_img(const char *path, struct sc_image **img, struct sc_error *err,
			       const char *cache, uint64_t max_bytes)
{
	struct sc_image_options o;
	sc_image_options_init(&o);
	o.keep = NULL;
	o.cache_dir = cache;
	if (max_bytes)
		o.limits.max_total_bytes = max_bytes;
	return sc_image_open(path, &o, img, err);
}

static bool keep_all(const char *path, uint64_t size, uint32_t mode, void *arg)
{
	(void)path;
	(void)size;
	(void)mode;
	(void)arg;
	return true;
}

static struct sc_image *open_keep(const char *path, const char *cache)
{
	struct sc_image_options o;
	sc_image_options_init(&o);
	o.keep = keep_all;
	o.keep_key = "all";
	o.cache_dir = cache;
	struct sc_image *img = NULL;
	struct sc_error err = {0};
	if (sc_image_open(path, &o, &img, &err) != SC_OK)
		fail_msg("%s: %s", path, err.msg);
	return img;
}

static char *read_str(const struct sc_image *img, const char *path)
{
	char *data = NULL;
	size_t len = 0;
	struct sc_error err = {0};
	if (sc_fs_read(img->fs, path, 1 << 20, &data, &len, &err) != SC_OK) {
		sc_error_clear(&err);
		return NULL;
	}
	return data;
}

static void build_two_layers(const char *dir, enum ib_comp comp, struct ib_blob *l, char ids[2][72])
{
	const struct ib_entry l1[] = {
		{'d', "etc", NULL},
		{'f', "etc/keep.conf", "keep"},
		{'f', "etc/gone.conf", "gone"},
		{'d', "opt/app", NULL},
		{'f', "opt/app/old.txt", "old"},
		{'f', "opt/app-data/kept.txt", "sibling"},
		{'f', "usr/lib/os-release", "ID=alpine\nVERSION_ID=3.19.1\nPRETTY_NAME=\"Alpine Linux v3.19\"\n"},
		{'l', "etc/os-release", "../usr/lib/os-release"},
		{'f', "data/real.txt", "real"},
		{'h', "data/hard.txt", "data/real.txt"},
		{'l', "etc/escape", "../../../../etc/passwd"},
		{'l', "etc/abs-escape", "/../../etc/hostname"},
		{'f', "../evil.txt", "evil"},
		{'f', "/abs/file.txt", "absolute"},
	};
	const struct ib_entry l2[] = {
		{'w', "etc/gone.conf", NULL},
		{'o', "opt/app", NULL},
		{'f', "opt/app/new.txt", "new"},
		{'f', "etc/keep.conf", "keep v2"},
	};
	ib_layer(l1, sizeof(l1) / sizeof(l1[0]), comp, &l[0], ids[0]);
	ib_layer(l2, sizeof(l2) / sizeof(l2[0]), comp, &l[1], ids[1]);
	const char *const d[] = {ids[0], ids[1]};
	ib_oci_layout(dir, l, d, 2, "img", NULL);
}

static void check_merged(const struct sc_image *img)
{
	const struct sc_file *f = sc_fs_find(img->fs, "etc/gone.conf");
	assert_non_null(f);
	assert_true(f->deleted);
	assert_true(sc_fs_find(img->fs, "opt/app/old.txt")->deleted);
	assert_false(sc_fs_find(img->fs, "opt/app-data/kept.txt")->deleted);
	f = sc_fs_find(img->fs, "opt/app/new.txt");
	assert_false(f->deleted);
	assert_int_equal(f->layer, 2);
	f = sc_fs_find(img->fs, "etc/keep.conf");
	assert_int_equal(f->layer, 2);
	char *s = read_str(img, "etc/keep.conf");
	assert_string_equal(s, "keep v2");
	free(s);
	assert_null(read_str(img, "etc/gone.conf"));
	/* hard link: the target's bytes; symlink inside the view */
	s = read_str(img, "data/hard.txt");
	assert_string_equal(s, "real");
	free(s);
	s = read_str(img, "etc/os-release");
	assert_non_null(strstr(s, "ID=alpine"));
	free(s);
	/* links out of the image resolve to nothing */
	char res[4096];
	assert_false(sc_fs_resolve(img->fs, "etc/escape", res, sizeof(res)));
	assert_false(sc_fs_resolve(img->fs, "etc/abs-escape", res, sizeof(res)));
	assert_null(read_str(img, "etc/escape"));
	/* ../ names never enter the view (a warning says so); absolute names are rooted */
	assert_null(sc_fs_find(img->fs, "evil.txt"));
	assert_null(sc_fs_find(img->fs, "../evil.txt"));
	assert_int_equal(img->warnings.len, 1);
	s = read_str(img, "abs/file.txt");
	assert_string_equal(s, "absolute");
	free(s);
	/* OS detection through the symlink */
	struct sc_arena *a = sc_arena_new();
	struct sc_os_info os;
	assert_true(sc_os_detect(img->fs, a, &os));
	assert_string_equal(os.id, "alpine");
	assert_string_equal(sc_os_ecosystem(&os, a), "Alpine:v3.19");
	sc_arena_free(a);
	/* per-layer versions of a file */
	struct sc_image_version v[4];
	assert_int_equal(sc_image_versions(img, "etc/keep.conf", v, 4), 2);
	assert_int_equal(v[0].layer, 1);
	assert_memory_equal(v[0].data, "keep", 4);
}

static void test_whiteouts_links_names(void **state)
{
	(void)state;
	static const enum ib_comp comps[] = {IB_NONE, IB_GZIP, IB_ZSTD};
	for (size_t c = 0; c < 3; c++) {
		char *dir = tu_mkdtemp();
		char *oci = sc_xasprintf("%s/oci", dir);
		struct ib_blob l[2];
		char ids[2][72];
		build_two_layers(oci, comps[c], l, ids);
		struct sc_image *img = open_keep(oci, NULL);
		assert_string_equal(img->kind, "oci-layout");
		assert_int_equal(img->n_layers, 2);
		assert_string_equal(img->layers[0].created_by, "RUN step 1");
		assert_string_equal(img->layers[1].created_by, "RUN step 2");
		check_merged(img);
		sc_image_free(img);
		/* the same layers as a docker-archive */
		char *tar = sc_xasprintf("%s/img.tar", dir);
		const char *const d[] = {ids[0], ids[1]};
		ib_docker_archive(tar, l, d, 2);
		img = open_keep(tar, NULL);
		assert_string_equal(img->kind, "docker-archive");
		check_merged(img);
		sc_image_free(img);
		ib_blob_free(&l[0]);
		ib_blob_free(&l[1]);
		free(tar);
		free(oci);
		tu_rmtree(dir);
		free(dir);
	}
}

/* Entry names: 2,000 directories deep is a path (it was rejected as leaving the root: the path
 * cleaner had a depth limit of 256); over 4,095 bytes it cannot be one; "../" leaves the root.
 * The warnings say which, and a long name is shown cut. */
static void test_deep_and_long_names(void **state)
{
	(void)state;
	char *dir = tu_mkdtemp();
	struct sc_strbuf deep, longer;
	sc_strbuf_init(&deep, 1u << 20);
	sc_strbuf_init(&longer, 1u << 20);
	for (int i = 0; i < 2000; i++)
		sc_strbuf_puts(&deep, "d/");
	sc_strbuf_puts(&deep, "f");
	for (int i = 0; i < 3000; i++)
		sc_strbuf_puts(&longer, "d/");
	sc_strbuf_puts(&longer, "g");
	const struct ib_entry e[] = {
		{'f', "etc/os-release", "ID=debian\nVERSION_ID=\"12\"\n"},
		{'f', sc_strbuf_str(&deep), "x"},
		{'f', sc_strbuf_str(&longer), "x"},
		{'f', "../../etc/evil", "x"},
	};
	struct ib_blob l;
	char id[72];
	ib_layer(e, sizeof(e) / sizeof(e[0]), IB_GZIP, &l, id);
	char *tar = sc_xasprintf("%s/img.tar", dir);
	const char *const d[] = {id};
	ib_docker_archive(tar, &l, d, 1);
	struct sc_image *img = open_keep(tar, NULL);
	assert_non_null(sc_fs_find(img->fs, sc_strbuf_str(&deep)));
	bool saw_long = false, saw_escape = false;
	for (size_t i = 0; i < img->warnings.len; i++) {
		const struct sc_warning *w = img->warnings.items[i];
		if (strstr(w->message, "entry name of 6001 bytes, longer than a path can be")) {
			saw_long = true;
			assert_true(strlen(w->path) < 200);
			assert_non_null(strstr(w->path, "..."));
		}
		if (!strcmp(w->path, "../../etc/evil") && strstr(w->message, "leaves the image root"))
			saw_escape = true;
		assert_null(strstr(w->path, sc_strbuf_str(&deep))); /* the deep one is no warning */
	}
	assert_true(saw_long);
	assert_true(saw_escape);
	sc_image_free(img);
	ib_blob_free(&l);
	sc_strbuf_free(&deep);
	sc_strbuf_free(&longer);
	free(tar);
	tu_rmtree(dir);
	free(dir);
}

static void expect_error(const char *path, enum sc_status want, const char *needle)
{
	struct sc_image *img = NULL;
	struct sc_error err = {0};
	enum sc_status st = open_img(path, &img, &err, NULL, 0);
	if (st != want || !err.msg || !strstr(err.msg, needle))
		fail_msg("%s: got status %d `%s`, want %d with `%s`", path, st, err.msg ? err.msg : "", want, needle);
	assert_null(img);
	sc_error_clear(&err);
}

static void test_tampered_and_missing(void **state)
{
	(void)state;
	char *dir = tu_mkdtemp();
	char *oci = sc_xasprintf("%s/oci", dir);
	struct ib_blob l[2];
	char ids[2][72];
	build_two_layers(oci, IB_GZIP, l, ids);
	/* flip a byte of layer 2's blob: the digest no longer matches */
	char *p = sc_xasprintf("%s/blobs/sha256/%s", oci, l[1].digest + 7);
	FILE *f = fopen(p, "r+b");
	assert_non_null(f);
	fseek(f, (long)l[1].len - 5, SEEK_SET);
	fputc(0x5a, f);
	fclose(f);
	expect_error(oci, SC_EINPUT, "layer 2");
	/* gone entirely */
	unlink(p);
	expect_error(oci, SC_EINPUT, "missing blob");
	free(p);
	tu_rmtree(oci);

	/* a config whose diff_id does not match the layer */
	const char *const wrong[] = {ids[0], "sha256:0000000000000000000000000000000000000000000000000000000000000000"};
	ib_oci_layout(oci, l, wrong, 2, NULL, NULL);
	expect_error(oci, SC_EINPUT, "diff_id mismatch");
	tu_rmtree(oci);

	/* a docker-archive whose layer content does not match the config */
	char *tar = sc_xasprintf("%s/bad.tar", dir);
	ib_docker_archive(tar, l, wrong, 2);
	expect_error(tar, SC_EINPUT, "diff_id mismatch");

	/* not an image */
	char *junk = sc_xasprintf("%s/junk", dir);
	tu_write(dir, "junk", "not an archive at all");
	expect_error(junk, SC_EINPUT, "not an image archive");
	tu_write(dir, "plain/x", "a directory without index.json");
	char *plain = sc_xasprintf("%s/plain", dir);
	expect_error(plain, SC_EINPUT, "--rootfs");
	/* bad JSON names the member and its position */
	tu_write(dir, "badjson/index.json", "{\"manifests\": [\n  {\"digest\": }\n]}");
	char *bj = sc_xasprintf("%s/badjson", dir);
	expect_error(bj, SC_EINPUT, "invalid JSON");
	struct sc_image *img = NULL;
	struct sc_error err = {0};
	assert_int_equal(open_img(bj, &img, &err, NULL, 0), SC_EINPUT);
	assert_string_equal(err.file, "index.json");
	assert_int_equal(err.line, 2);
	sc_error_clear(&err);
	free(bj);
	free(plain);
	free(junk);
	free(tar);
	ib_blob_free(&l[0]);
	ib_blob_free(&l[1]);
	free(oci);
	tu_rmtree(dir);
	free(dir);
}

/* A tar header claiming a 10 GB file with no data behind it. */
static void test_huge_header_and_bombs(void **state)
{
	(void)state;
	unsigned char tar[512 * 3] = {0};
	memcpy(tar, "big.bin", 7);
	memcpy(tar + 100, "0000644", 7);
	memcpy(tar + 108, "0000000", 7);
	memcpy(tar + 116, "0000000", 7);
	memcpy(tar + 124, "120000000000", 12); /* 10 GiB in octal */
	memcpy(tar + 136, "14544600000", 11);
	tar[156] = '0';
	memcpy(tar + 257, "ustar", 6);
	memcpy(tar + 263, "00", 2);
	memset(tar + 148, ' ', 8);
	unsigned sum = 0;
	for (int i = 0; i < 512; i++)
		sum += tar[i];
	snprintf((char *)tar + 148, 8, "%06o", sum);
	tar[155] = ' ';
	struct ib_blob l;
	ib_blob_of(tar, sizeof(tar), &l);
	char diff[72];
	memcpy(diff, l.digest, 72);
	char *dir = tu_mkdtemp();
	char *oci = sc_xasprintf("%s/oci", dir);
	const char *const d[] = {diff};
	ib_oci_layout(oci, &l, d, 1, NULL, NULL);
	expect_error(oci, SC_EINPUT, "layer 1");
	ib_blob_free(&l);
	tu_rmtree(oci);

	/* a gzip bomb: 8 MiB of zeros in a small blob, against a 1 MiB limit */
	char *zeros = sc_xcalloc(1, 8u << 20);
	memset(zeros, 'z', (8u << 20) - 1);
	const struct ib_entry e[] = {{'f', "zeros", zeros}};
	char id[72];
	ib_layer(e, 1, IB_GZIP, &l, id);
	assert_true(l.len < 200000);
	const char *const d2[] = {id};
	ib_oci_layout(oci, &l, d2, 1, NULL, NULL);
	struct sc_image *img = NULL;
	struct sc_error err = {0};
	assert_int_equal(open_img(oci, &img, &err, NULL, 1u << 20), SC_ELIMIT);
	assert_non_null(strstr(err.msg, "decompression bomb"));
	sc_error_clear(&err);
	/* with the limit raised it opens, and the big file is listed but not kept */
	assert_int_equal(open_img(oci, &img, &err, NULL, 0), SC_OK);
	assert_int_equal(sc_fs_find(img->fs, "zeros")->size, (8u << 20) - 1);
	sc_image_free(img);
	free(zeros);
	ib_blob_free(&l);
	free(oci);
	tu_rmtree(dir);
	free(dir);
}

static void test_layer_cache(void **state)
{
	(void)state;
	char *dir = tu_mkdtemp();
	char *oci = sc_xasprintf("%s/oci", dir);
	char *cache = sc_xasprintf("%s/cache/layers", dir);
	struct ib_blob l[2];
	char ids[2][72];
	build_two_layers(oci, IB_GZIP, l, ids);
	struct sc_image *img = open_keep(oci, cache);
	assert_false(img->layers[0].from_cache);
	sc_image_free(img);
	/* the second scan reads no layer blob: remove them to prove it */
	for (int i = 0; i < 2; i++) {
		char *p = sc_xasprintf("%s/blobs/sha256/%s", oci, l[i].digest + 7);
		assert_int_equal(unlink(p), 0);
		free(p);
	}
	img = open_keep(oci, cache);
	assert_true(img->layers[0].from_cache);
	assert_true(img->layers[1].from_cache);
	check_merged(img);
	sc_image_free(img);
	/* a different extractor set is a different key: a miss (and the blobs are gone) */
	struct sc_image_options o;
	sc_image_options_init(&o);
	o.keep = keep_all;
	o.keep_key = "other";
	o.cache_dir = cache;
	struct sc_error err = {0};
	assert_int_equal(sc_image_open(oci, &o, &img, &err), SC_EINPUT);
	sc_error_clear(&err);
	/* a corrupt cache file is ignored, never trusted */
	assert_int_equal(tu_sh("for f in '%s'/*.layer; do printf garbage > \"$f\"; done", cache), 0);
	assert_int_equal(sc_image_open(oci, &o, &img, &err), SC_EINPUT);
	sc_error_clear(&err);
	ib_blob_free(&l[0]);
	ib_blob_free(&l[1]);
	free(cache);
	free(oci);
	tu_rmtree(dir);
	free(dir);
}

static void test_platform_index(void **state)
{
	(void)state;
	char *dir = tu_mkdtemp();
	char *oci = sc_xasprintf("%s/oci", dir);
	/* two single-image layouts, then an index of a nested index naming both platforms */
	const struct ib_entry a[] = {{'f', "arch.txt", "amd64"}};
	const struct ib_entry b[] = {{'f', "arch.txt", "arm64"}};
	struct ib_blob la, lb;
	char ida[72], idb[72], ma[72], mb[72];
	ib_layer(a, 1, IB_GZIP, &la, ida);
	ib_layer(b, 1, IB_GZIP, &lb, idb);
	const char *const da[] = {ida};
	const char *const db[] = {idb};
	ib_oci_layout(oci, &la, da, 1, NULL, ma);
	ib_oci_layout_arch(oci, &lb, db, 1, NULL, "arm64", mb);
	char *path_a = sc_xasprintf("%s/blobs/sha256/%s", oci, ma + 7);
	char *path_b = sc_xasprintf("%s/blobs/sha256/%s", oci, mb + 7);
	struct stat sa, sb;
	assert_int_equal(stat(path_a, &sa), 0);
	assert_int_equal(stat(path_b, &sb), 0);
	char *nested = sc_xasprintf(
		"{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.index.v1+json\",\"manifests\":["
		"{\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"digest\":\"%s\",\"size\":%lld,"
		"\"platform\":{\"os\":\"linux\",\"architecture\":\"arm64\",\"variant\":\"v8\"}},"
		"{\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"digest\":\"%s\",\"size\":%lld,"
		"\"platform\":{\"os\":\"linux\",\"architecture\":\"amd64\"}}]}",
		mb, (long long)sb.st_size, ma, (long long)sa.st_size);
	struct ib_blob nb;
	ib_blob_of(nested, strlen(nested), &nb);
	ib_write_blob(oci, &nb);
	char *idx = sc_xasprintf("{\"schemaVersion\":2,\"manifests\":[{\"mediaType\":"
				 "\"application/vnd.oci.image.index.v1+json\",\"digest\":\"%s\",\"size\":%zu,"
				 "\"annotations\":{\"org.opencontainers.image.ref.name\":\"multi\"}}]}",
				 nb.digest, nb.len);
	char *rel = sc_xasprintf("oci/index.json");
	tu_write(dir, rel, idx);
	struct sc_image_options o;
	sc_image_options_init(&o);
	o.keep = keep_all;
	struct sc_image *img = NULL;
	struct sc_error err = {0};
	assert_int_equal(sc_image_open(oci, &o, &img, &err), SC_OK);
	char *s = read_str(img, "arch.txt");
	assert_string_equal(s, "amd64");
	free(s);
	sc_image_free(img);
	o.platform = "linux/arm64";
	char *ref = sc_xasprintf("%s:multi", oci);
	if (sc_image_open(ref, &o, &img, &err) != SC_OK)
		fail_msg("%s", err.msg);
	s = read_str(img, "arch.txt");
	assert_string_equal(s, "arm64");
	free(s);
	sc_image_free(img);
	o.platform = "linux/s390x";
	assert_int_equal(sc_image_open(oci, &o, &img, &err), SC_EINPUT);
	assert_non_null(strstr(err.msg, "no image for platform linux/s390x"));
	sc_error_clear(&err);
	free(ref);
	free(rel);
	free(idx);
	free(nested);
	free(path_a);
	free(path_b);
	ib_blob_free(&nb);
	ib_blob_free(&la);
	ib_blob_free(&lb);
	free(oci);
	tu_rmtree(dir);
	free(dir);
}

static void test_rootfs_and_language_packages(void **state)
{
	(void)state;
	char *dir = tu_mkdtemp();
	tu_write(dir, "etc/os-release", "ID=debian\nVERSION_ID=\"12\"\n");
	tu_write(dir, "var/lib/dpkg/status",
		 "Package: libc6\nStatus: install ok installed\nVersion: 2.36-9+deb12u4\nArchitecture: amd64\n"
		 "Source: glibc\n\nPackage: gone\nStatus: deinstall ok config-files\nVersion: 1\n");
	tu_write(dir, "srv/package.json", "{\"name\":\"app\",\"version\":\"0.1.0\"}");
	tu_write(dir, "srv/node_modules/@scope/pkg/package.json", "{\"name\":\"@scope/pkg\",\"version\":\"2.0.0\"}");
	tu_write(dir, "srv/node_modules/@scope/pkg/test/package.json", "{\"name\":\"fixture\",\"version\":\"9\"}");
	tu_write(dir, "srv/node_modules/broken/package.json", "{\"name\": ");
	tu_write(dir, "lib/py/site-packages/Foo_Bar-1.0.egg-info/PKG-INFO", "Metadata-Version: 1.0\nName: Foo_Bar\nVersion: 1.0\n\nName: body\n");
	tu_write(dir, "www/vendor/composer/installed.json",
		 "[{\"name\":\"monolog/monolog\",\"version\":\"1.0.0\"}]");
	tu_write(dir, "other/package.json", "{\"name\":\"no-modules\",\"version\":\"1.0.0\"}");
	struct sc_result *r = scan(NULL, dir);
	assert_string_equal(r->target_kind, "rootfs");
	assert_string_equal(r->os, "debian 12");
	struct sc_ptrvec rows = rows_of(r);
	static const char *const want[] = {
		"PyPI\tFoo_Bar\t1.0\t\t\t0\t/lib/py/site-packages/Foo_Bar-1.0.egg-info/PKG-INFO",
		"composer\tmonolog/monolog\t1.0.0\t\t\t0\t/www/vendor/composer/installed.json",
		"deb\tlibc6\t2.36-9+deb12u4\tamd64\tglibc 2.36-9+deb12u4\t0\t/var/lib/dpkg/status",
		"npm\t@scope/pkg\t2.0.0\t\t\t0\t/srv/node_modules/@scope/pkg/package.json",
		"npm-root\tapp\t0.1.0\t\t\t0\t/srv/package.json",
	};
	/* kind_of maps PyPI to pypi */
	assert_int_equal(rows.len, 5);
	for (size_t i = 0; i < rows.len; i++) {
		const char *w = want[i];
		if (!strncmp(w, "PyPI", 4))
			w = "pypi\tFoo_Bar\t1.0\t\t\t0\t/lib/py/site-packages/Foo_Bar-1.0.egg-info/PKG-INFO";
		bool found = false;
		for (size_t k = 0; k < rows.len; k++)
			found = found || !strcmp(rows.items[k], w);
		if (!found)
			fail_msg("missing row %s", w);
	}
	/* the broken package.json is a warning with its position, and the scan went on */
	bool warned = false;
	for (size_t i = 0; i < r->warnings.len; i++) {
		const struct sc_warning *w = r->warnings.items[i];
		warned = warned || (!strcmp(w->path, "srv/node_modules/broken/package.json") && w->line == 1);
	}
	assert_true(warned);
	for (size_t i = 0; i < r->packages.len; i++) {
		const struct sc_package *p = r->packages.items[i];
		if (!strcmp(p->name, "@scope/pkg"))
			assert_string_equal(p->purl, "pkg:npm/%40scope/pkg@2.0.0");
		if (!strcmp(p->name, "Foo_Bar"))
			assert_string_equal(p->purl, "pkg:pypi/foo-bar@1.0");
		if (!strcmp(p->name, "libc6"))
			assert_string_equal(p->ecosystem, "Debian:12");
	}
	free_rows(&rows);
	sc_result_free(r);
	tu_rmtree(dir);
	free(dir);
}

/* dpkg status rewritten by a later layer: origin layers from the per-layer states. */
static void test_origin_layers(void **state)
{
	(void)state;
	const char *s1 = "Package: a\nStatus: install ok installed\nVersion: 1\n\n"
			 "Package: b\nStatus: install ok installed\nVersion: 1\n";
	const char *s2 = "Package: a\nStatus: install ok installed\nVersion: 1\n\n"
			 "Package: b\nStatus: install ok installed\nVersion: 2\n\n"
			 "Package: c\nStatus: install ok installed\nVersion: 1\n";
	const struct ib_entry l1[] = {{'f', "etc/os-release", "ID=debian\nVERSION_ID=12\n"},
				      {'f', "var/lib/dpkg/status", s1}};
	const struct ib_entry l2[] = {{'f', "var/lib/dpkg/status", s2}};
	const struct ib_entry l3[] = {{'f', "var/lib/dpkg/status", s2}, {'f', "x", "y"}};
	struct ib_blob l[3];
	char ids[3][72];
	ib_layer(l1, 2, IB_GZIP, &l[0], ids[0]);
	ib_layer(l2, 1, IB_GZIP, &l[1], ids[1]);
	ib_layer(l3, 2, IB_ZSTD, &l[2], ids[2]);
	char *dir = tu_mkdtemp();
	char *oci = sc_xasprintf("%s/oci", dir);
	const char *const d[] = {ids[0], ids[1], ids[2]};
	ib_oci_layout(oci, l, d, 3, NULL, NULL);
	struct sc_result *r = scan(oci, NULL);
	assert_int_equal(r->packages.len, 3);
	for (size_t i = 0; i < r->packages.len; i++) {
		const struct sc_package *p = r->packages.items[i];
		int want = !strcmp(p->name, "a") ? 1 : 2;
		if (p->layer != want)
			fail_msg("%s %s: layer %d, want %d", p->name, p->version, p->layer, want);
	}
	sc_result_free(r);
	for (int i = 0; i < 3; i++)
		ib_blob_free(&l[i]);
	free(oci);
	tu_rmtree(dir);
	free(dir);
}

/* ---- apk and rpm databases ---- */

static void put_be32(unsigned char *p, uint32_t v)
{
	p[0] = (unsigned char)(v >> 24);
	p[1] = (unsigned char)(v >> 16);
	p[2] = (unsigned char)(v >> 8);
	p[3] = (unsigned char)v;
}

/* An RPM header blob: string tags (and an INT32 epoch when epoch >= 0). */
static size_t rpm_blob(unsigned char *out, const char *name, const char *ver, const char *rel,
		       const char *arch, const char *srpm, int epoch)
{
	const struct {
		uint32_t tag;
		const char *s;
	} tags[] = {{1000, name}, {1001, ver}, {1002, rel}, {1022, arch}, {1044, srpm}};
	size_t nt = sizeof(tags) / sizeof(tags[0]);
	uint32_t il = (uint32_t)nt + (epoch >= 0 ? 1 : 0);
	unsigned char store[1024];
	size_t dl = 0;
	unsigned char *idx = out + 8;
	if (epoch >= 0) { /* INT32 first, aligned at 0 */
		put_be32(idx, 1003);
		put_be32(idx + 4, 4);
		put_be32(idx + 8, 0);
		put_be32(idx + 12, 1);
		put_be32(store, (uint32_t)epoch);
		dl = 4;
		idx += 16;
	}
	for (size_t i = 0; i < nt; i++) {
		put_be32(idx, tags[i].tag);
		put_be32(idx + 4, 6);
		put_be32(idx + 8, (uint32_t)dl);
		put_be32(idx + 12, 1);
		memcpy(store + dl, tags[i].s, strlen(tags[i].s) + 1);
		dl += strlen(tags[i].s) + 1;
		idx += 16;
	}
	put_be32(out, il);
	put_be32(out + 4, (uint32_t)dl);
	memcpy(out + 8 + (size_t)il * 16, store, dl);
	return 8 + (size_t)il * 16 + dl;
}

static void test_apk_and_rpm(void **state)
{
	(void)state;
	char *dir = tu_mkdtemp();
	tu_write(dir, "etc/os-release", "ID=alpine\nVERSION_ID=3.19.1\n");
	tu_write(dir, "lib/apk/db/installed",
		 "C:Q1abc=\nP:musl\nV:1.2.4_git20230717-r4\nA:x86_64\no:musl\n\n"
		 "C:Q1def=\nP:libcrypto3\nV:3.1.4-r5\nA:x86_64\no:openssl\n\nP:broken\nA:x86_64\n");
	struct sc_result *r = scan(NULL, dir);
	assert_string_equal(r->os, "alpine 3.19.1");
	assert_int_equal(r->packages.len, 2);
	const struct sc_package *p = r->packages.items[1];
	assert_string_equal(p->name, "libcrypto3");
	assert_string_equal(p->ecosystem, "Alpine:v3.19");
	assert_string_equal(p->source_name, "openssl");
	assert_string_equal(p->purl, "pkg:apk/alpine/libcrypto3@3.1.4-r5?arch=x86_64&distro=3.19.1");
	assert_null(((const struct sc_package *)r->packages.items[0])->source_name);
	assert_int_equal(r->warnings.len, 1); /* the package without a version */
	sc_result_free(r);
	tu_rmtree(dir);
	free(dir);

	/* rpm: a real SQLite rpmdb made here, with header blobs as rpm writes them */
	dir = tu_mkdtemp();
	tu_write(dir, "etc/os-release", "ID=\"rhel\"\nVERSION_ID=\"9.3\"\n");
	tu_write(dir, "var/lib/rpm/.keep", "");
	char *dbp = sc_xasprintf("%s/var/lib/rpm/rpmdb.sqlite", dir);
	sqlite3 *db = NULL;
	assert_int_equal(sqlite3_open(dbp, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, "PRAGMA journal_mode=WAL; CREATE TABLE Packages (hnum INTEGER PRIMARY KEY AUTOINCREMENT, blob BLOB NOT NULL);", NULL, NULL, NULL), SQLITE_OK);
	sqlite3_stmt *q = NULL;
	assert_int_equal(sqlite3_prepare_v2(db, "INSERT INTO Packages (blob) VALUES (?)", -1, &q, NULL), SQLITE_OK);
	unsigned char blob[2048];
	struct {
		const char *n, *v, *r, *a, *s;
		int e;
	} pk[] = {
		{"openssl-libs", "3.0.7", "24.el9", "x86_64", "openssl-3.0.7-24.el9.src.rpm", 1},
		{"bash", "5.1.8", "6.el9_1", "x86_64", "bash-5.1.8-6.el9_1.src.rpm", -1},
		{"gpg-pubkey", "fd431d51", "4ae0493b", "(none)", "", -1},
	};
	for (size_t i = 0; i < 3; i++) {
		size_t n = rpm_blob(blob, pk[i].n, pk[i].v, pk[i].r, pk[i].a, pk[i].s, pk[i].e);
		sqlite3_bind_blob(q, 1, blob, (int)n, SQLITE_TRANSIENT);
		assert_int_equal(sqlite3_step(q), SQLITE_DONE);
		sqlite3_reset(q);
	}
	/* a truncated blob becomes a warning */
	sqlite3_bind_blob(q, 1, blob, 12, SQLITE_TRANSIENT);
	assert_int_equal(sqlite3_step(q), SQLITE_DONE);
	sqlite3_finalize(q);
	assert_int_equal(sqlite3_exec(db, "PRAGMA wal_checkpoint(TRUNCATE);", NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
	r = scan(NULL, dir);
	assert_int_equal(r->packages.len, 2);
	p = r->packages.items[0];
	assert_string_equal(p->name, "openssl-libs");
	assert_string_equal(p->version, "1:3.0.7-24.el9");
	assert_string_equal(p->ecosystem, "Red Hat:9");
	assert_string_equal(p->source_name, "openssl");
	assert_string_equal(p->source_version, "3.0.7-24.el9");
	assert_string_equal(p->purl, "pkg:rpm/redhat/openssl-libs@3.0.7-24.el9?arch=x86_64&epoch=1&distro=rhel-9.3");
	p = r->packages.items[1];
	assert_string_equal(p->version, "5.1.8-6.el9_1");
	assert_null(p->source_name);
	assert_null(p->source_version);
	assert_int_equal(r->warnings.len, 1);
	sc_result_free(r);
	/* an old BerkeleyDB database is a warning, never silently empty */
	tu_write(dir, "var/lib/rpm/Packages", "a BerkeleyDB hash file, not SQLite");
	unlink(dbp);
	r = scan(NULL, dir);
	assert_int_equal(r->packages.len, 0);
	assert_int_equal(r->warnings.len, 1);
	assert_non_null(strstr(((const struct sc_warning *)r->warnings.items[0])->message, "BerkeleyDB"));
	sc_result_free(r);
	free(dbp);
	tu_rmtree(dir);
	free(dir);
}

/* ---- the vulns check: source-package matching, fixes, attribution, end of life ---- */

static char *build_db(const char *dir)
{
	char *db = sc_xasprintf("%s/test.db", dir);
	char *a = tu_source("tests/data/image/advisories");
	char *b = tu_source("examples/service/advisories");
	const char *const paths[] = {a, b};
	struct sc_error err = {0};
	if (sc_db_import(db, paths, 2, true, NULL, &err) != SC_OK)
		fail_msg("import: %s", err.msg);
	free(a);
	free(b);
	return db;
}

static struct sc_result *scan_vulns(const char *repo, const char *image, const char *db, const char *base,
				    bool ignore_unfixed)
{
	struct sc_scan_options o;
	sc_scan_options_init(&o);
	o.repo_dir = repo;
	o.image_path = image;
	o.db_path = db;
	o.base_image = base;
	o.no_cache = true;
	o.ignore_unfixed = ignore_unfixed;
	static const char *const only[] = {"vulns", NULL};
	o.only_checks = only;
	struct sc_result *r = NULL;
	struct sc_error err = {0};
	if (sc_scan_run(&o, &r, &err) != SC_OK)
		fail_msg("%s: %s", image, err.msg);
	return r;
}

static const struct sc_finding *find(const struct sc_result *r, const char *pkg, const char *id)
{
	for (size_t i = 0; i < r->findings.len; i++) {
		const struct sc_finding *f = r->findings.items[i];
		if (f->pkg && !strcmp(f->pkg->name, pkg) && f->n_advisories && !strcmp(f->advisories[0].id, id))
			return f;
	}
	return NULL;
}

static void test_vulns_shared_service(void **state)
{
	(void)state;
	char *dir = tu_mkdtemp();
	char *db = build_db(dir);
	char *oci = tu_shared("images/oci");
	char *svc = sc_xasprintf("%s:service", oci);
	char *base = sc_xasprintf("%s:debian-min", oci);
	struct sc_result *r = scan_vulns(NULL, svc, db, base, false);
	/* glibc's advisory reaches both of its binary packages, by source package */
	const struct sc_finding *f = find(r, "libc6", "SCTEST-2026-0001");
	assert_non_null(f);
	assert_non_null(find(r, "libc-bin", "SCTEST-2026-0001"));
	assert_int_equal(f->severity, SC_SEV_HIGH);
	assert_string_equal(f->advisories[0].fixed[0], "2.36-9+deb12u99");
	assert_string_equal(f->attribution, "base");
	assert_int_equal(f->loc.layer, 1);
	assert_non_null(strstr(f->remediation, "Rebuild on a current base image"));
	assert_non_null(strstr(f->message, "Fixed in 2.36-9+deb12u99"));
	/* source version differs from the binary's (+b1) */
	assert_non_null(find(r, "libcap2", "SCTEST-2026-0002"));
	/* binary-name advisories and other releases do not match */
	for (size_t i = 0; i < r->findings.len; i++) {
		const struct sc_finding *g = r->findings.items[i];
		assert_string_not_equal(g->advisories[0].id, "SCTEST-2026-0003");
		assert_string_not_equal(g->advisories[0].id, "SCTEST-2026-0004");
	}
	f = find(r, "apt", "CVE-2011-3374");
	assert_non_null(f);
	assert_non_null(strstr(f->message, "No fix yet"));
	size_t all = r->findings.len;
	sc_result_free(r);
	/* --ignore-unfixed hides the advisories without a fix */
	r = scan_vulns(NULL, svc, db, base, true);
	assert_int_equal(r->findings.len, 3);
	assert_true(all > 3);
	assert_null(find(r, "apt", "CVE-2011-3374"));
	sc_result_free(r);
	/* without a base image nothing is split */
	r = scan_vulns(NULL, svc, db, NULL, true);
	assert_null(((const struct sc_finding *)r->findings.items[0])->attribution);
	sc_result_free(r);
	free(base);
	free(svc);
	free(oci);
	free(db);
	tu_rmtree(dir);
	free(dir);
}

static void test_vulns_dockerfile_attribution_and_eol(void **state)
{
	(void)state;
	char *dir = tu_mkdtemp();
	char *db = build_db(dir);
	const char *s1 = "Package: base-files\nStatus: install ok installed\nVersion: 12.4\n";
	const char *s2 = "Package: base-files\nStatus: install ok installed\nVersion: 12.4\n\n"
			 "Package: hello\nStatus: install ok installed\nVersion: 2.10-2\n";
	const struct ib_entry l1[] = {{'f', "etc/os-release", "ID=debian\nVERSION_ID=\"12\"\n"},
				      {'f', "var/lib/dpkg/status", s1}};
	const struct ib_entry l2[] = {{'f', "var/lib/dpkg/status", s2}};
	struct ib_blob l[2];
	char ids[2][72];
	ib_layer(l1, 2, IB_GZIP, &l[0], ids[0]);
	ib_layer(l2, 1, IB_GZIP, &l[1], ids[1]);
	char *img = sc_xasprintf("%s/img", dir);
	char *base = sc_xasprintf("%s/base", dir);
	const char *const d[] = {ids[0], ids[1]};
	ib_oci_layout(img, l, d, 2, NULL, NULL);
	ib_oci_layout(base, l, d, 1, NULL, NULL);
	tu_write(dir, "repo/Dockerfile", "FROM base\n# install the greeter\nRUN step 2\nCMD [\"hello\"]\n");
	char *repo = sc_xasprintf("%s/repo", dir);
	struct sc_result *r = scan_vulns(repo, img, db, base, false);
	const struct sc_finding *f = find(r, "hello", "SCTEST-2026-0005");
	assert_non_null(f);
	assert_string_equal(f->attribution, "dockerfile");
	assert_int_equal(f->loc.layer, 2);
	assert_string_equal(f->loc.created_by, "RUN step 2");
	assert_non_null(strstr(f->remediation, "Introduced by your Dockerfile at Dockerfile:3"));
	assert_non_null(strstr(f->remediation, "hello 2.10-4"));
	sc_result_free(r);
	/* the OCI base annotations name a base image held in the same layout */
	char *both = sc_xasprintf("%s/both", dir);
	char mbase[72];
	ib_oci_layout(both, l, d, 1, "base", mbase);
	char *cfg = ib_config_json(d, 2, NULL);
	struct ib_blob cb, mb;
	ib_blob_of(cfg, strlen(cfg), &cb);
	ib_write_blob(both, &cb);
	ib_write_blob(both, &l[1]);
	char *man = sc_xasprintf(
		"{\"schemaVersion\":2,\"config\":{\"mediaType\":\"application/vnd.oci.image.config.v1+json\",\"digest\":\"%s\",\"size\":%zu},"
		"\"layers\":[{\"mediaType\":\"application/vnd.oci.image.layer.v1.tar+gzip\",\"digest\":\"%s\",\"size\":%zu},"
		"{\"mediaType\":\"application/vnd.oci.image.layer.v1.tar+gzip\",\"digest\":\"%s\",\"size\":%zu}],"
		"\"annotations\":{\"org.opencontainers.image.base.name\":\"registry.example.invalid/base:1\",\"org.opencontainers.image.base.digest\":\"%s\"}}",
		cb.digest, cb.len, l[0].digest, l[0].len, l[1].digest, l[1].len, mbase);
	ib_blob_of(man, strlen(man), &mb);
	ib_write_blob(both, &mb);
	char *idx = sc_xasprintf("{\"schemaVersion\":2,\"manifests\":["
				 "{\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"digest\":\"%s\",\"size\":10,\"annotations\":{\"org.opencontainers.image.ref.name\":\"base\"}},"
				 "{\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"digest\":\"%s\",\"size\":%zu,\"annotations\":{\"org.opencontainers.image.ref.name\":\"app\"}}]}",
				 mbase, mb.digest, mb.len);
	tu_write(dir, "both/index.json", idx);
	char *app = sc_xasprintf("%s:app", both);
	r = scan_vulns(NULL, app, db, NULL, false);
	f = find(r, "hello", "SCTEST-2026-0005");
	assert_non_null(f);
	assert_string_equal(f->attribution, "dockerfile");
	sc_result_free(r);
	free(app);
	free(idx);
	free(man);
	free(cfg);
	ib_blob_free(&cb);
	ib_blob_free(&mb);
	free(both);
	/* a base image whose layers are not a prefix: a warning, no split */
	tu_rmtree(base);
	ib_oci_layout(base, &l[1], &d[1], 1, NULL, NULL);
	r = scan_vulns(repo, img, db, base, false);
	f = find(r, "hello", "SCTEST-2026-0005");
	assert_null(f->attribution);
	assert_true(r->warnings.len >= 1);
	sc_result_free(r);
	/* end of life: Debian 11 after 2026-08-31 */
	const struct ib_entry old[] = {{'f', "etc/os-release", "ID=debian\nVERSION_ID=\"11\"\n"},
				       {'f', "var/lib/dpkg/status", s1}};
	struct ib_blob lo;
	char ido[72];
	ib_layer(old, 2, IB_NONE, &lo, ido);
	char *oldimg = sc_xasprintf("%s/old", dir);
	const char *const dold[] = {ido};
	ib_oci_layout(oldimg, &lo, dold, 1, NULL, NULL);
	setenv("SHIPCHECK_TODAY", "2026-11-29", 1);
	r = scan_vulns(NULL, oldimg, db, NULL, false);
	bool eol = false;
	for (size_t i = 0; i < r->findings.len; i++)
		eol = eol || !strcmp(((const struct sc_finding *)r->findings.items[i])->rule->id, "SC-VULN-002");
	assert_true(eol);
	sc_result_free(r);
	setenv("SHIPCHECK_TODAY", "2026-08-30", 1);
	r = scan_vulns(NULL, oldimg, db, NULL, false);
	assert_int_equal(r->findings.len, 0);
	sc_result_free(r);
	unsetenv("SHIPCHECK_TODAY");
	ib_blob_free(&lo);
	ib_blob_free(&l[0]);
	ib_blob_free(&l[1]);
	free(oldimg);
	free(repo);
	free(base);
	free(img);
	free(db);
	tu_rmtree(dir);
	free(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_shared_oci_layout),
		cmocka_unit_test(test_shared_docker_archive),
		cmocka_unit_test(test_shared_oci_tar),
		cmocka_unit_test(test_whiteouts_links_names),
		cmocka_unit_test(test_deep_and_long_names),
		cmocka_unit_test(test_tampered_and_missing),
		cmocka_unit_test(test_huge_header_and_bombs),
		cmocka_unit_test(test_layer_cache),
		cmocka_unit_test(test_platform_index),
		cmocka_unit_test(test_rootfs_and_language_packages),
		cmocka_unit_test(test_origin_layers),
		cmocka_unit_test(test_apk_and_rpm),
		cmocka_unit_test(test_vulns_shared_service),
		cmocka_unit_test(test_vulns_dockerfile_attribution_and_eol),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
