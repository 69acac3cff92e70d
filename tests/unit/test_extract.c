/* test_extract.c - table-driven lockfile extractor tests: every folder
 * tests/data/extract/<format>/<case>/ is scanned through the real pipeline (walk, wants, extract)
 * and its inventory and warnings are compared with <case>/expected.tsv.
 * SHIPCHECK_UPDATE=1 rewrites the expectations (review them by eye). */
#include "testutil.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "shipcheck/sc_scan.h"

static void flags_str(unsigned f, char *out)
{
	size_t k = 0;
	if (f & SC_PKG_ROOT)
		out[k++] = 'R';
	if (f & SC_PKG_DIRECT)
		out[k++] = 'D';
	if (f & SC_PKG_TRANSITIVE)
		out[k++] = 'T';
	if (f & SC_PKG_DEV)
		out[k++] = 'd';
	if (f & SC_PKG_OPTIONAL)
		out[k++] = 'o';
	if (f & SC_PKG_UNPINNED)
		out[k++] = 'U';
	if (!k)
		out[k++] = '-';
	out[k] = 0;
}

/* The inventory of dir as TSV: path line ecosystem name version flags parent spec purl. */
static char *inventory_tsv(const char *dir)
{
	struct sc_scan_options o;
	sc_scan_options_init(&o);
	o.repo_dir = dir;
	const char *only[] = {"policy", NULL};
	o.only_checks = only;
	struct sc_result *r = NULL;
	struct sc_error err = {0};
	if (sc_scan_run(&o, &r, &err) != SC_OK)
		fail_msg("%s: scan failed: %s", dir, err.msg);
	struct sc_strbuf sb;
	sc_strbuf_init(&sb, 64u << 20);
	for (size_t i = 0; i < r->packages.len; i++) {
		const struct sc_package *p = r->packages.items[i];
		char fl[16];
		flags_str(p->flags, fl);
		sc_strbuf_printf(&sb, "%s\t%u\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", p->path, p->line, p->ecosystem,
				 p->name, p->version ? p->version : "", fl, p->parent ? p->parent : "",
				 p->spec ? p->spec : "", p->purl ? p->purl : "");
	}
	for (size_t i = 0; i < r->warnings.len; i++) {
		const struct sc_warning *w = r->warnings.items[i];
		sc_strbuf_printf(&sb, "warning\t%s:%u\t%s\n", w->path, w->line, w->message);
	}
	sc_result_free(r);
	return sc_strbuf_take(&sb);
}

static void test_fixtures(void **state)
{
	(void)state;
	char *root = tu_source("tests/data/extract");
	DIR *d = opendir(root);
	assert_non_null(d);
	struct dirent *de;
	size_t ncases = 0, nfail = 0;
	bool update = getenv("SHIPCHECK_UPDATE") && !strcmp(getenv("SHIPCHECK_UPDATE"), "1");
	while ((de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;
		char *fmt = sc_path_join(root, de->d_name);
		DIR *d2 = opendir(fmt);
		struct dirent *ce;
		while (d2 && (ce = readdir(d2))) {
			if (ce->d_name[0] == '.')
				continue;
			char *cdir = sc_path_join(fmt, ce->d_name);
			char *exp_path = sc_path_join(cdir, "expected.tsv");
			char *got = inventory_tsv(cdir);
			if (update) {
				FILE *f = fopen(exp_path, "w");
				fputs(got, f);
				fclose(f);
			} else {
				char *want = tu_read(exp_path);
				if (!want || strcmp(want, got)) {
					print_error("%s/%s: inventory differs from expected.tsv; got:\n%s\n",
						    de->d_name, ce->d_name, got);
					nfail++;
				}
				free(want);
			}
			ncases++;
			free(got);
			free(exp_path);
			free(cdir);
		}
		if (d2)
			closedir(d2);
		free(fmt);
	}
	closedir(d);
	free(root);
	assert_true(ncases > 0);
	assert_int_equal(nfail, 0);
}

/* A diamond of includes: 15 levels of three files, each including the three of the next level
 * (-r, or -c on the even levels). Each file is read once per mode: before, pip-requirements read
 * 3^15 files and this test did not end. */
static void test_pip_include_diamond(void **state)
{
	(void)state;
	char *dir = tu_mkdtemp();
	enum { LEVELS = 15 };
	tu_write(dir, "requirements.txt", "-r f0a.in\n-r f0b.in\n-r f0c.in\n");
	for (int i = 0; i < LEVELS; i++)
		for (const char *v = "abc"; *v; v++) {
			char name[32], body[256];
			const char *mode = i % 2 ? "-r" : "-c";
			snprintf(name, sizeof(name), "f%d%c.in", i, *v);
			if (i + 1 < LEVELS)
				snprintf(body, sizeof(body), "%s f%da.in\n%s f%db.in\n%s f%dc.in\npkg%d==1.0\n", mode,
					 i + 1, mode, i + 1, mode, i + 1, i);
			else
				snprintf(body, sizeof(body), "pkg%d==1.0\n", i);
			tu_write(dir, name, body);
		}
	char *tsv = inventory_tsv(dir);
	/* each file is included in one mode only: its package once */
	size_t lines = 0;
	for (const char *p = tsv; (p = strstr(p, "\tPyPI\tpkg")); p++)
		lines++;
	assert_int_equal(lines, 3 * LEVELS);
	assert_null(strstr(tsv, "warning"));
	free(tsv);
	tu_rmtree(dir);
	free(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fixtures),
		cmocka_unit_test(test_pip_include_diamond),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
