/* test_known_vulns.c - the known-vulns check on root filesystems made by the test: packaged versions
 * (Debian backported fixes on both sides of each fix), unpackaged ELF files with embedded version
 * strings, log4j-core in JARs nested in WARs (written with libarchive), broken JARs; and the real
 * debian-min status (nothing famous in it). */
#include "imgbuild.h"
#include "testutil.h"

#include <archive.h>
#include <archive_entry.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "shipcheck/sc_policy.h"
#include "shipcheck/sc_report.h"
#include "shipcheck/sc_scan.h"

struct run {
	struct sc_scan_options so;
	struct sc_fs *fs;
	struct sc_inventory *inv;
	struct sc_policy *policy;
	struct sc_result *r;
	struct sc_error err;
	enum sc_status st;
};

static const char *os_id = "debian";

static void run_check(struct run *run, const char *rootfs, const char *os_version)
{
	memset(run, 0, sizeof(*run));
	sc_scan_options_init(&run->so);
	struct sc_error err = {0};
	assert_int_equal(sc_fs_open_dir(rootfs, NULL, &run->so.limits, &run->fs, &err), SC_OK);
	run->inv = sc_inventory_new();
	run->inv->os_id = os_id;
	run->inv->os_version = os_version;
	const struct sc_extractor *x = sc_extractor_find("dpkg");
	for (size_t i = 0; i < run->fs->files.len; i++) {
		const struct sc_file *f = run->fs->files.items[i];
		if (!S_ISREG(f->mode) || !x->wants(f->path, f->size, f->mode))
			continue;
		char *data;
		size_t len;
		assert_int_equal(sc_fs_read(run->fs, f->path, 64u << 20, &data, &len, &err), SC_OK);
		struct sc_extract_input in = {f->path, (const unsigned char *)data, len, 1, run->fs};
		assert_int_equal(x->extract(&in, run->inv, &err), SC_OK);
		free(data);
	}
	run->policy = sc_policy_new_default();
	run->r = sc_result_new();
	struct sc_scan_ctx ctx = {.opts = &run->so, .policy = run->policy, .result = run->r,
				  .image_fs = run->fs, .image_inv = run->inv};
	const struct sc_check *c = sc_check_find("known-vulns");
	assert_non_null(c);
	run->st = c->run(&ctx, &run->err);
	if (run->st != SC_OK)
		fail_msg("known-vulns failed: %s", run->err.msg);
}

static void run_free(struct run *run)
{
	sc_result_free(run->r);
	sc_policy_free(run->policy);
	sc_inventory_free(run->inv);
	sc_fs_free(run->fs);
	sc_error_clear(&run->err);
}

/* The finding about `needle` (in its title), or NULL. */
static const struct sc_finding *find(const struct sc_result *r, const char *rule, const char *needle)
{
	for (size_t i = 0; i < r->findings.len; i++) {
		const struct sc_finding *f = r->findings.items[i];
		if (!strcmp(f->rule->id, rule) && strstr(f->title, needle))
			return f;
	}
	return NULL;
}

static void write_bin(const char *dir, const char *rel, const void *data, size_t len, unsigned mode)
{
	char *path = sc_path_join(dir, rel);
	assert_int_equal(tu_sh("mkdir -p \"$(dirname '%s')\"", path), 0);
	struct sc_error err = {0};
	assert_int_equal(sc_write_file_atomic(path, data, len, &err), SC_OK);
	assert_int_equal(chmod(path, mode), 0);
	free(path);
}

/* A fake ELF file: the magic, padding, then the string (with its NUL) and more padding. */
static void write_elf(const char *dir, const char *rel, const char *text, size_t text_len)
{
	size_t len = 256 + text_len + 64;
	char *buf = sc_xcalloc(1, len);
	memcpy(buf, "\177ELF\2\1\1", 7);
	memcpy(buf + 256, text, text_len);
	write_bin(dir, rel, buf, len, 0755);
	free(buf);
}
#define ELF(dir, rel, lit) write_elf(dir, rel, lit, sizeof(lit))

#define STANZA(name, src, ver, arch)                                                                     \
	"Package: " name "\nStatus: install ok installed\nArchitecture: " arch "\nSource: " src "\nVersion: " \
	ver "\nDescription: x\n\n"

static void test_packaged(void **state)
{
	(void)state;
	char *t = tu_mkdtemp();
	struct run run;

	/* Debian 7: the talk's two, on both sides of Debian's backported fixes */
	tu_write(t, "wheezy-bad/var/lib/dpkg/status",
		 STANZA("bash", "bash", "4.2+dfsg-0.1+deb7u1", "amd64")
		 STANZA("libssl1.0.0", "openssl", "1.0.1e-2+deb7u4", "amd64"));
	tu_write(t, "wheezy-good/var/lib/dpkg/status",
		 STANZA("bash", "bash", "4.2+dfsg-0.1+deb7u3", "amd64")
		 STANZA("libssl1.0.0", "openssl", "1.0.1e-2+deb7u5", "amd64"));
	char *root = sc_path_join(t, "wheezy-bad");
	run_check(&run, root, "7");
	assert_int_equal(run.r->findings.len, 2);
	const struct sc_finding *f = find(run.r, "SC-KEV-001", "bash 4.2+dfsg-0.1+deb7u1");
	assert_non_null(f);
	assert_int_equal(f->severity, SC_SEV_CRITICAL);
	assert_non_null(strstr(f->remediation, "4.2+dfsg-0.1+deb7u3"));
	assert_non_null(strstr(f->remediation, "Debian 7"));
	assert_string_equal(f->advisories[0].id, "CVE-2014-6271");
	assert_string_equal(f->advisories[0].fixed[0], "4.2+dfsg-0.1+deb7u3");
	f = find(run.r, "SC-KEV-002", "libssl1.0.0 1.0.1e-2+deb7u4 (source openssl");
	assert_non_null(f);
	assert_non_null(strstr(f->remediation, "1.0.1e-2+deb7u5"));
	assert_non_null(f->pkg);
	assert_string_equal(f->loc.path, "var/lib/dpkg/status");
	run_free(&run);
	free(root);
	root = sc_path_join(t, "wheezy-good");
	run_check(&run, root, "7");
	assert_int_equal(run.r->findings.len, 0); /* 1.0.1e is in 1.0.1-1.0.1f upstream: the backport decides */
	run_free(&run);
	free(root);

	/* Debian 12 and 11: regreSSHion (server only), the xz backdoor, log4shell */
	tu_write(t, "bookworm-bad/var/lib/dpkg/status",
		 STANZA("openssh-server", "openssh", "1:9.2p1-2+deb12u2", "amd64")
		 STANZA("openssh-client", "openssh", "1:9.2p1-2+deb12u2", "amd64")
		 STANZA("liblzma5", "xz-utils", "5.6.1-1", "amd64")
		 STANZA("xz-utils", "xz-utils", "5.6.0-0.2", "amd64")
		 STANZA("bash", "bash", "5.2.15-2+b2", "amd64"));
	tu_write(t, "bookworm-good/var/lib/dpkg/status",
		 STANZA("openssh-server", "openssh", "1:9.2p1-2+deb12u3", "amd64")
		 STANZA("liblzma5", "xz-utils", "5.6.1+really5.4.5-1", "amd64")
		 STANZA("xz-utils", "xz-utils", "5.4.1-0.2", "amd64")
		 STANZA("libssl3", "openssl", "3.0.11-1~deb12u2", "amd64"));
	tu_write(t, "bullseye/var/lib/dpkg/status",
		 STANZA("liblog4j2-java", "apache-log4j2", "2.13.3-1", "all")
		 STANZA("openssh-server", "openssh", "1:8.4p1-5+deb11u1", "amd64"));
	tu_write(t, "bullseye-good/var/lib/dpkg/status", STANZA("liblog4j2-java", "apache-log4j2", "2.16.0-1~deb11u1", "all"));
	root = sc_path_join(t, "bookworm-bad");
	run_check(&run, root, "12");
	assert_int_equal(run.r->findings.len, 3);
	f = find(run.r, "SC-KEV-005", "openssh-server 1:9.2p1-2+deb12u2");
	assert_non_null(f);
	assert_non_null(strstr(f->remediation, "1:9.2p1-2+deb12u3"));
	assert_non_null(find(run.r, "SC-KEV-004", "liblzma5 5.6.1-1"));
	assert_non_null(find(run.r, "SC-KEV-004", "xz-utils 5.6.0-0.2"));
	run_free(&run);
	free(root);
	root = sc_path_join(t, "bookworm-good");
	run_check(&run, root, "12");
	assert_int_equal(run.r->findings.len, 0);
	run_free(&run);
	free(root);
	root = sc_path_join(t, "bullseye");
	run_check(&run, root, "11");
	assert_int_equal(run.r->findings.len, 1); /* OpenSSH 8.4p1 predates the regression */
	f = find(run.r, "SC-KEV-003", "liblog4j2-java 2.13.3-1");
	assert_non_null(f);
	assert_non_null(strstr(f->remediation, "2.16.0-1~deb11u1"));
	run_free(&run);
	free(root);
	root = sc_path_join(t, "bullseye-good");
	run_check(&run, root, "11");
	assert_int_equal(run.r->findings.len, 0);
	run_free(&run);
	free(root);

	/* Ubuntu: trusty shipped the fix in its first version; precise got it in an update */
	tu_write(t, "trusty/var/lib/dpkg/status", STANZA("libssl1.0.0", "openssl", "1.0.1f-1ubuntu2", "amd64"));
	tu_write(t, "precise/var/lib/dpkg/status", STANZA("libssl1.0.0", "openssl", "1.0.1-4ubuntu5.11", "amd64"));
	os_id = "ubuntu";
	root = sc_path_join(t, "trusty");
	run_check(&run, root, "14.04");
	assert_int_equal(run.r->findings.len, 0);
	run_free(&run);
	free(root);
	root = sc_path_join(t, "precise");
	run_check(&run, root, "12.04");
	assert_int_equal(run.r->findings.len, 1);
	assert_non_null(strstr(((struct sc_finding *)run.r->findings.items[0])->remediation, "1.0.1-4ubuntu5.12"));
	run_free(&run);
	free(root);
	os_id = "debian";
	tu_rmtree(t);
	free(t);
}

static void test_unpackaged(void **state)
{
	(void)state;
	char *t = tu_mkdtemp();
	tu_write(t, "var/lib/dpkg/status", STANZA("bash", "bash", "5.2.15-2+b2", "amd64")
					   STANZA("openssh-server", "openssh", "1:9.2p1-2+deb12u3", "amd64"));
	/* owned by packages (merged /usr: the list says /bin/bash, the file is usr/bin/bash) */
	tu_write(t, "var/lib/dpkg/info/bash.list", "/.\n/bin\n/bin/bash\n");
	tu_write(t, "var/lib/dpkg/info/openssh-server.list", "/usr/sbin/sshd\n");
	ELF(t, "usr/bin/bash", "GNU bash, version 4.3.11(1)-release");
	ELF(t, "usr/sbin/sshd", "OpenSSH_9.2p1 Debian-2+deb12u2");
	/* hand-copied, vulnerable */
	ELF(t, "usr/local/bin/bash", "GNU bash, version 4.3.11(1)-release (x86_64-pc-linux-gnu)");
	ELF(t, "opt/app/lib/libssl.so.1.0.0", "OpenSSL 1.0.1f 6 Jan 2014");
	ELF(t, "opt/static/server", "\0\0OpenSSL 1.0.2-beta1 24 Feb 2014");
	ELF(t, "opt/sshd/sshd", "OpenSSH_9.2p1 Debian-2+deb12u2");
	ELF(t, "opt/sshd3/sshd", "OpenSSH_9.3p1");
	ELF(t, "opt/old/sshd", "OpenSSH_4.3p2");
	ELF(t, "opt/xz/liblzma.so.5.6.1", "\0005.6.1");
	ELF(t, "opt/xz/bin/xz", "xz (XZ Utils) 5.6.0");
	/* hand-copied, fixed */
	ELF(t, "opt/good/bash", "GNU bash, version 4.3.30(1)-release");
	ELF(t, "opt/good/libssl.so.1.0.0", "OpenSSL 1.0.1g 7 Apr 2014");
	ELF(t, "opt/good/libcrypto.so.3", "OpenSSL 3.0.11 19 Sep 2023");
	ELF(t, "opt/sshd2/sshd", "OpenSSH_9.2p1 Debian-2+deb12u3");
	ELF(t, "opt/sshd4/sshd", "OpenSSH_9.8p1");
	ELF(t, "opt/xz2/liblzma.so.5.4.5", "\0005.4.5");
	ELF(t, "opt/xz2/liblzma.so.5.6.1x", "\0005.6.10");
	/* not ELF: a script that merely mentions a version */
	write_bin(t, "opt/text/bash", "echo GNU bash, version 4.3.11(1)-release\n", 41, 0755);

	struct run run;
	run_check(&run, t, "12");
	for (size_t i = 0; i < run.r->findings.len; i++)
		printf("  %s %s\n", ((struct sc_finding *)run.r->findings.items[i])->rule->id,
		       ((struct sc_finding *)run.r->findings.items[i])->title);
	const struct sc_finding *f = find(run.r, "SC-KEV-001", "usr/local/bin/bash (4.3.11)");
	assert_non_null(f);
	assert_string_equal(f->loc.path, "usr/local/bin/bash");
	assert_non_null(strstr(f->message, "GNU bash, version 4.3.11(1)-release"));
	assert_non_null(strstr(f->remediation, "4.3.30"));
	assert_non_null(find(run.r, "SC-KEV-002", "opt/app/lib/libssl.so.1.0.0 (1.0.1f)"));
	assert_non_null(find(run.r, "SC-KEV-002", "opt/static/server (1.0.2~beta1)"));
	f = find(run.r, "SC-KEV-005", "opt/sshd/sshd (1:9.2p1-2+deb12u2)");
	assert_non_null(f);
	assert_non_null(strstr(f->remediation, "1:9.2p1-2+deb12u3"));
	assert_non_null(find(run.r, "SC-KEV-005", "opt/sshd3/sshd (9.3p1)"));
	assert_non_null(find(run.r, "SC-KEV-005", "opt/old/sshd (4.3p2)"));
	assert_non_null(find(run.r, "SC-KEV-004", "opt/xz/liblzma.so.5.6.1 (5.6.1)"));
	assert_non_null(find(run.r, "SC-KEV-004", "opt/xz/bin/xz (5.6.0)"));
	assert_int_equal(run.r->findings.len, 8);
	for (size_t i = 0; i < run.r->findings.len; i++) {
		const struct sc_finding *x = run.r->findings.items[i];
		assert_int_equal(x->severity, SC_SEV_CRITICAL);
		assert_true(x->fingerprint[0]);
	}
	run_free(&run);
	tu_rmtree(t);
	free(t);
}

/* A zip (JAR) in memory with the given entries (name, content pairs, NULL-terminated). */
static char *make_zip(size_t *len, const char *const *entries, const size_t *sizes)
{
	size_t cap = 1u << 20;
	char *buf = sc_xmalloc(cap);
	struct archive *a = archive_write_new();
	archive_write_set_format_zip(a);
	size_t used = 0;
	assert_int_equal(archive_write_open_memory(a, buf, cap, &used), ARCHIVE_OK);
	for (size_t i = 0; entries[i]; i += 2) {
		struct archive_entry *e = archive_entry_new();
		size_t n = sizes && sizes[i / 2] ? sizes[i / 2] : strlen(entries[i + 1]);
		archive_entry_set_pathname(e, entries[i]);
		archive_entry_set_filetype(e, AE_IFREG);
		archive_entry_set_perm(e, 0644);
		archive_entry_set_size(e, (la_int64_t)n);
		assert_int_equal(archive_write_header(a, e), ARCHIVE_OK);
		assert_int_equal(archive_write_data(a, entries[i + 1], n), (la_ssize_t)n);
		archive_entry_free(e);
	}
	assert_int_equal(archive_write_close(a), ARCHIVE_OK);
	archive_write_free(a);
	*len = used;
	return buf;
}

#define POM "META-INF/maven/org.apache.logging.log4j/log4j-core/pom.properties"

static char *log4j_jar(const char *version, size_t *len)
{
	char *props = sc_xasprintf("#Created by Apache Maven\ngroupId=org.apache.logging.log4j\n"
				   "artifactId=log4j-core\nversion=%s\n", version);
	const char *entries[] = {"META-INF/MANIFEST.MF", "Manifest-Version: 1.0\n", POM, props,
				 "org/apache/logging/log4j/core/lookup/JndiLookup.class", "\xca\xfe\xba\xbe", NULL};
	char *z = make_zip(len, entries, NULL);
	free(props);
	return z;
}

static void test_jars(void **state)
{
	(void)state;
	char *t = tu_mkdtemp();
	static const struct {
		const char *version;
		bool vulnerable;
	} cases[] = {
		{"2.14.1", true}, {"2.0-beta9", true}, {"2.0", true},     {"2.15.0", true},  {"2.12.1", true},
		{"2.3", true},    {"2.0-beta8", false}, {"2.3.1", false}, {"2.12.2", false}, {"2.16.0", false},
		{"2.17.1", false}, {"1.2.17", false},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		size_t len;
		char *jar = log4j_jar(cases[i].version, &len);
		char *rel = sc_xasprintf("app/lib/log4j-core-%s.jar", cases[i].version);
		write_bin(t, rel, jar, len, 0644);
		free(rel);
		free(jar);
	}
	/* a WAR holding an EAR-style nested JAR: found two levels down */
	size_t ilen, wlen, elen;
	char *inner = log4j_jar("2.14.1", &ilen);
	const char *war_entries[] = {"WEB-INF/web.xml", "<web-app/>", "WEB-INF/lib/log4j-core-2.14.1.jar", inner, NULL};
	size_t war_sizes[] = {0, ilen};
	char *war = make_zip(&wlen, war_entries, war_sizes);
	const char *ear_entries[] = {"shop.war", war, NULL};
	size_t ear_sizes[] = {wlen};
	char *ear = make_zip(&elen, ear_entries, ear_sizes);
	write_bin(t, "srv/shop.ear", ear, elen, 0644);
	free(inner);
	free(war);
	free(ear);
	/* not a zip at all */
	write_bin(t, "app/lib/broken.jar", "this is not a zip file at all\n", 30, 0644);

	struct run run;
	run_check(&run, t, "12");
	size_t expected = 0;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *where = sc_xasprintf("app/lib/log4j-core-%s.jar)", cases[i].version);
		const struct sc_finding *f = find(run.r, "SC-KEV-003", where);
		if (cases[i].vulnerable != (f != NULL))
			fail_msg("log4j-core %s: expected %s", cases[i].version, cases[i].vulnerable ? "a finding" : "none");
		expected += cases[i].vulnerable;
		free(where);
	}
	const struct sc_finding *f = find(run.r, "SC-KEV-003", "srv/shop.ear!shop.war!WEB-INF/lib/log4j-core-2.14.1.jar");
	assert_non_null(f);
	assert_string_equal(f->pkg->name, "org.apache.logging.log4j:log4j-core");
	assert_non_null(strstr(f->remediation, "2.17.1"));
	assert_int_equal(run.r->findings.len, expected + 1);
	bool warned = false;
	for (size_t i = 0; i < run.r->warnings.len; i++) {
		const struct sc_warning *w = run.r->warnings.items[i];
		if (!strcmp(w->path, "app/lib/broken.jar") && strstr(w->message, "not a JAR"))
			warned = true;
	}
	assert_true(warned);
	run_free(&run);
	tu_rmtree(t);
	free(t);
}

static void test_rules_and_docs(void **state)
{
	(void)state;
	const struct sc_check *c = sc_check_find("known-vulns");
	assert_non_null(c);
	assert_int_equal(c->rule_count(), 5);
	static const char *const names[] = {"shellshock", "heartbleed", "log4shell", "xz-backdoor", "regresshion"};
	for (size_t i = 0; i < 5; i++) {
		const struct sc_rule *r = c->rule_at(i);
		assert_string_equal(r->name, names[i]);
		assert_int_equal(r->severity, SC_SEV_CRITICAL);
		assert_ptr_equal(sc_rule_find(r->id), r);
		assert_ptr_equal(sc_rule_find(r->equivalents[0]), r); /* by CVE */
		if (!sc_rule_doc(r->id))
			fail_msg("no docs/rules/%s.md", r->id);
	}
	c = sc_check_find("outdated");
	for (size_t i = 0; i < c->n_rules; i++)
		if (!sc_rule_doc(c->rules[i]->id))
			fail_msg("no docs/rules/%s.md", c->rules[i]->id);
}

/* Through the whole pipeline on a real OCI image: the files the checks need are kept while the
 * layers stream (check wants), findings carry their layer; outdated runs on the same image. */
static void test_image(void **state)
{
	(void)state;
	char *t = tu_mkdtemp();
	char *sp = tu_source("tests/data/apt/rootfs/var/lib/dpkg/status");
	char *status = tu_read(sp);
	const struct ib_entry l1[] = {
		{'d', "etc", NULL},
		{'f', "etc/os-release", "ID=debian\nVERSION_ID=\"12\"\n"},
		{'f', "etc/apt/preferences.d/no-security-openssl",
		 "Package: libssl3\nPin: release l=Debian-Security\nPin-Priority: -1\n"},
		{'f', "var/lib/dpkg/status", status},
		{'f', "var/lib/dpkg/info/bash.list", "/bin/bash\n"},
		{'f', "usr/bin/bash", "\177ELF\2\1\1 GNU bash, version 4.3.11(1)-release (owned: not searched)"},
	};
	const struct ib_entry l2[] = {
		{'f', "usr/local/bin/bash", "\177ELF\2\1\1 xxxx GNU bash, version 4.3.11(1)-release yyyy"},
		{'f', "opt/sshd/sshd", "\177ELF\2\1\1 xxxx OpenSSH_9.3p1 yyyy"},
		{'f', "opt/big/server", "\177ELF\2\1\1 xxxx OpenSSL 1.0.1f 6 Jan 2014 (catch-all: rootfs only)"},
	};
	struct ib_blob blobs[2];
	char d1[72], d2[72];
	ib_layer(l1, sizeof(l1) / sizeof(l1[0]), IB_GZIP, &blobs[0], d1);
	ib_layer(l2, sizeof(l2) / sizeof(l2[0]), IB_ZSTD, &blobs[1], d2);
	const char *diff_ids[] = {d1, d2};
	char *dir = sc_path_join(t, "oci");
	ib_oci_layout(dir, blobs, diff_ids, 2, "test", NULL);
	struct sc_scan_options so;
	sc_scan_options_init(&so);
	char *lists = tu_source("tests/data/apt/lists");
	so.image_path = dir;
	so.apt_lists = lists;
	so.no_db = true;
	so.no_cache = true;
	static const char *const only[] = {"known-vulns", "outdated", NULL};
	so.only_checks = only;
	struct sc_result *r = NULL;
	struct sc_error err = {0};
	if (sc_scan_run(&so, &r, &err) != SC_OK)
		fail_msg("scan: %s: %s", err.file, err.msg);
	for (size_t i = 0; i < r->findings.len; i++)
		printf("  %s %s\n", ((struct sc_finding *)r->findings.items[i])->rule->id,
		       ((struct sc_finding *)r->findings.items[i])->title);
	const struct sc_finding *f = find(r, "SC-KEV-001", "usr/local/bin/bash (4.3.11)");
	assert_non_null(f);
	assert_int_equal(f->loc.layer, 2);
	assert_non_null(find(r, "SC-KEV-005", "opt/sshd/sshd (9.3p1)"));
	assert_non_null(find(r, "SC-OUT-001", "libc6 2.36-9+deb12u3 -> 2.36-9+deb12u4"));
	assert_non_null(find(r, "SC-OUT-002", "libssl3 3.0.11-1~deb12u1 -> 3.0.11-1~deb12u2"));
	assert_non_null(find(r, "SC-OUT-003", "gzip"));
	assert_int_equal(r->findings.len, 6); /* + tzdata; not usr/bin/bash (owned), not opt/big/server */
	for (size_t i = 0; i < r->warnings.len; i++) {
		const struct sc_warning *w = r->warnings.items[i];
		if (strstr(w->message, "outdated: ") && strstr(w->message, "(--no-db)")) /* its one note */
			continue;
		fail_msg("unexpected warning: %s: %s", w->path, w->message);
	}
	sc_result_free(r);
	ib_blob_free(&blobs[0]);
	ib_blob_free(&blobs[1]);
	free(lists);
	free(dir);
	free(status);
	free(sp);
	tu_rmtree(t);
	free(t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_packaged),
		cmocka_unit_test(test_unpackaged),
		cmocka_unit_test(test_jars),
		cmocka_unit_test(test_rules_and_docs),
		cmocka_unit_test(test_image),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
