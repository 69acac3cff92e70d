/* test_dpkg.c - the deb822 reader and the dpkg extractor, on hand-made paragraphs and on the real
 * dpkg status file inside ../shared/images' debian-min base layer (read with libarchive). */
#include "testutil.h"

#include <archive.h>
#include <archive_entry.h>
#include <stdlib.h>
#include <string.h>

#include "shipcheck/sc_deb822.h"
#include "shipcheck/sc_scan.h"

static void test_deb822(void **state)
{
	(void)state;
	const char *text = "\n\nPackage: a\r\nDescription: first\r\n more\r\n .\r\n end  \r\n"
			   "Version: 1\n\n   \nPackage: b\nVersion:2\n";
	struct sc_deb822 p;
	sc_deb822_init(&p, "status", text, strlen(text));
	struct sc_deb822_stanza st = {0};
	struct sc_error err = {0};
	bool got;
	assert_int_equal(sc_deb822_next(&p, &st, &got, &err), SC_OK);
	assert_true(got);
	assert_int_equal(st.n, 3);
	assert_int_equal(st.line, 3);
	const struct sc_deb822_field *d = sc_deb822_get(&st, "description");
	assert_non_null(d);
	assert_int_equal(d->line, 4);
	assert_true(d->value_len > 10 && !memcmp(d->value, "first", 5));
	assert_memory_equal(d->value + d->value_len - 3, "end", 3);
	assert_int_equal(sc_deb822_get(&st, "Version")->value_len, 1);
	assert_int_equal(sc_deb822_next(&p, &st, &got, &err), SC_OK);
	assert_true(got);
	assert_memory_equal(sc_deb822_get(&st, "Version")->value, "2", 1);
	assert_int_equal(sc_deb822_next(&p, &st, &got, &err), SC_OK);
	assert_false(got);

	static const struct {
		const char *text;
		unsigned line, col;
	} bad[] = {
		{" leading continuation\n", 1, 1},
		{"Package: a\nno colon here\n", 2, 14},
		{"Package: a\n: empty\n", 2, 1},
		{"Pack age: a\n", 1, 5},
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		sc_deb822_init(&p, "Packages", bad[i].text, strlen(bad[i].text));
		assert_int_equal(sc_deb822_next(&p, &st, &got, &err), SC_EINPUT);
		if (err.line != bad[i].line || err.col != bad[i].col)
			fail_msg("case %zu: got %u:%u (%s)", i, err.line, err.col, err.msg);
		sc_error_clear(&err);
	}
	sc_deb822_stanza_free(&st);
}

static struct sc_inventory *run(const char *path, const char *data, size_t len, enum sc_status want)
{
	const struct sc_extractor *x = sc_extractor_find("dpkg");
	assert_non_null(x);
	assert_true(x->wants(path, len, 0100644));
	struct sc_inventory *inv = sc_inventory_new();
	inv->os_id = "debian";
	inv->os_version = "12";
	struct sc_extract_input in = {path, (const unsigned char *)data, len, 1, NULL};
	struct sc_error err = {0};
	assert_int_equal(x->extract(&in, inv, &err), want);
	sc_error_clear(&err);
	return inv;
}

static void test_states_and_source(void **state)
{
	(void)state;
	const char *status = "Package: libc6\nStatus: install ok installed\nArchitecture: amd64\n"
			     "Source: glibc (2.36-9+deb12u4)\nVersion: 2.36-9+deb12u4\n\n"
			     "Package: old\nStatus: deinstall ok config-files\nVersion: 1.0\n\n"
			     "Package: gone\nStatus: purge ok not-installed\n\n"
			     "Package: bash\nStatus: install ok installed\nVersion: 5.2.15-2+b2\n"
			     "Source: bash (5.2.15-2)\nArchitecture: amd64\n\n"
			     "Package: tzdata\nStatus: install ok installed\nVersion: 2024a-0+deb12u1\nArchitecture: all\n";
	struct sc_inventory *inv = run("var/lib/dpkg/status", status, strlen(status), SC_OK);
	assert_int_equal(inv->packages.len, 3);
	const struct sc_package *p = inv->packages.items[0];
	assert_string_equal(p->name, "libc6");
	assert_string_equal(p->ecosystem, "Debian:12");
	assert_string_equal(p->source_name, "glibc");
	assert_string_equal(p->source_version, "2.36-9+deb12u4");
	assert_string_equal(p->purl, "pkg:deb/debian/libc6@2.36-9%2Bdeb12u4?arch=amd64&distro=debian-12");
	assert_int_equal(p->line, 1);
	p = inv->packages.items[1];
	assert_string_equal(p->name, "bash");
	assert_string_equal(p->source_version, "5.2.15-2");
	p = inv->packages.items[2];
	assert_null(p->source_name);
	sc_inventory_free(inv);

	/* distroless status.d: no Status field */
	const char *one = "Package: libssl3\nVersion: 3.0.11-1~deb12u2\nArchitecture: amd64\nSource: openssl\n";
	inv = run("var/lib/dpkg/status.d/libssl3", one, strlen(one), SC_OK);
	assert_int_equal(inv->packages.len, 1);
	assert_string_equal(((struct sc_package *)inv->packages.items[0])->source_name, "openssl");
	sc_inventory_free(inv);
	const struct sc_extractor *x = sc_extractor_find("dpkg");
	assert_false(x->wants("var/lib/dpkg/status.d/libssl3.md5sums", 1, 0100644));
	assert_false(x->wants("var/lib/dpkg/status-old", 1, 0100644));

	/* malformed: error with position, packages before it kept */
	const char *bad = "Package: a\nVersion: 1\n\nPackage b\n";
	inv = run("var/lib/dpkg/status", bad, strlen(bad), SC_EINPUT);
	assert_int_equal(inv->packages.len, 1);
	sc_inventory_free(inv);
}

/* Reads var/lib/dpkg/status out of a real image layer blob. */
static char *status_from_layer(const char *blob, size_t *len)
{
	struct archive *a = archive_read_new();
	archive_read_support_filter_all(a);
	archive_read_support_format_tar(a);
	if (archive_read_open_filename(a, blob, 1 << 16) != ARCHIVE_OK)
		fail_msg("cannot open %s: %s", blob, archive_error_string(a));
	struct archive_entry *e;
	char *data = NULL;
	while (archive_read_next_header(a, &e) == ARCHIVE_OK) {
		const char *name = archive_entry_pathname(e);
		if (!strncmp(name, "./", 2))
			name += 2;
		if (strcmp(name, "var/lib/dpkg/status"))
			continue;
		*len = (size_t)archive_entry_size(e);
		data = sc_xmalloc(*len + 1);
		assert_int_equal(archive_read_data(a, data, *len), (la_ssize_t)*len);
		break;
	}
	archive_read_free(a);
	return data;
}

static void test_real_image(void **state)
{
	(void)state;
	char *blob = tu_shared("images/oci/blobs/sha256/cf82ff883050ebc1d42374456fa0eb258e940b91674556f820c0ff513b7844be");
	size_t len = 0;
	char *status = status_from_layer(blob, &len);
	assert_non_null(status);
	struct sc_inventory *inv = run("var/lib/dpkg/status", status, len, SC_OK);
	char *tsv = tu_shared("images/debian-min.expected.tsv");
	char *exp = tu_read(tsv);
	assert_non_null(exp);
	size_t rows = 0, matched = 0;
	char *next = exp;
	for (char *line = exp; line && *line; line = next) {
		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		if (!strncmp(line, "kind\t", 5))
			continue;
		char kind[16], name[256], version[256], arch[32], src[256], srcver[256];
		if (sscanf(line, "%15[^\t]\t%255[^\t]\t%255[^\t]\t%31[^\t]\t%255[^ ] %255[^\t]", kind, name, version, arch, src, srcver) != 6)
			fail_msg("bad expected row: %s", line);
		rows++;
		for (size_t i = 0; i < inv->packages.len; i++) {
			const struct sc_package *p = inv->packages.items[i];
			if (strcmp(p->name, name))
				continue;
			assert_string_equal(p->version, version);
			assert_string_equal(p->arch, arch);
			assert_string_equal(p->source_name ? p->source_name : p->name, src);
			assert_string_equal(p->source_version ? p->source_version : p->version, srcver);
			matched++;
		}
	}
	assert_int_equal(rows, 88);
	assert_int_equal(matched, 88);
	assert_int_equal(inv->packages.len, 88);
	printf("dpkg: %zu of %zu expected packages of debian-min matched\n", matched, rows);
	sc_inventory_free(inv);
	free(exp);
	free(tsv);
	free(status);
	free(blob);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_deb822),
		cmocka_unit_test(test_states_and_source),
		cmocka_unit_test(test_real_image),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
