/* test_outdated.c - the outdated check on root filesystems made by the test, with apt lists made by
 * the test (pins, holds, NotAutomatic suites) and with the host's real lists; both compared with
 * what the host's `apt-get -s dist-upgrade` says about the same status file and lists (the oracle). */
#include "testutil.h"

#include <archive.h>
#include <archive_entry.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "shipcheck/sc_apt.h"
#include "shipcheck/sc_db.h"
#include "shipcheck/sc_policy.h"
#include "shipcheck/sc_scan.h"

/* The parsed-index cache of the next runs (NULL = --no-cache). */
static const char *cache_dir;
/* The vulnerability DB of the next runs (NULL = none). */
static struct sc_db *run_db;
/* --no-db for the next runs. */
static bool run_no_db;

/* Everything one run of the check needs, kept alive while its findings are read. */
struct run {
	struct sc_scan_options so;
	struct sc_fs *fs;
	struct sc_inventory *inv;
	struct sc_policy *policy;
	struct sc_result *r;
	enum sc_status st;
	struct sc_error err;
};

static void run_check(struct run *run, const char *rootfs, const char *lists, const char *policy_yaml)
{
	memset(run, 0, sizeof(*run));
	sc_scan_options_init(&run->so);
	run->so.rootfs_dir = rootfs;
	run->so.apt_lists = lists;
	run->so.cache_dir = cache_dir;
	run->so.no_cache = !cache_dir;
	run->so.no_db = run_no_db;
	struct sc_error err = {0};
	assert_int_equal(sc_fs_open_dir(rootfs, NULL, &run->so.limits, &run->fs, &err), SC_OK);
	run->inv = sc_inventory_new();
	run->inv->os_id = "debian";
	run->inv->os_version = "12";
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
	if (policy_yaml)
		assert_int_equal(sc_policy_parse(".shipcheck.yml", policy_yaml, strlen(policy_yaml), &run->policy, &err),
				 SC_OK);
	else
		run->policy = sc_policy_new_default();
	run->r = sc_result_new();
	struct sc_scan_ctx ctx = {
		.opts = &run->so,
		.policy = run->policy,
		.result = run->r,
		.image_fs = run->fs,
		.image_inv = run->inv,
		.db = run_db,
	};
	const struct sc_check *c = sc_check_find("outdated");
	assert_non_null(c);
	run->st = c->run(&ctx, &run->err);
}

static void run_free(struct run *run)
{
	sc_result_free(run->r);
	sc_policy_free(run->policy);
	sc_inventory_free(run->inv);
	sc_fs_free(run->fs);
	sc_error_clear(&run->err);
}

static int cmp_line(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The findings as sorted "name candidate" lines (rules SC-OUT-001/002: what dist-upgrade installs). */
static char *upgrade_set(const struct sc_result *r, const char *rule)
{
	struct sc_ptrvec lines = {0};
	for (size_t i = 0; i < r->findings.len; i++) {
		const struct sc_finding *f = r->findings.items[i];
		bool want = rule ? !strcmp(f->rule->id, rule) : strcmp(f->rule->id, "SC-OUT-003") != 0;
		if (!want)
			continue;
		char name[256], old[256], cand[256];
		if (sscanf(f->title, "%255s %255s -> %255s", name, old, cand) != 3)
			fail_msg("unexpected title: %s", f->title);
		sc_ptrvec_push(&lines, sc_xasprintf("%s %s", name, cand));
	}
	sc_ptrvec_sort(&lines, cmp_line);
	struct sc_strbuf sb;
	sc_strbuf_init(&sb, 1u << 24);
	for (size_t i = 0; i < lines.len; i++) {
		sc_strbuf_printf(&sb, "%s\n", (char *)lines.items[i]);
		free(lines.items[i]);
	}
	sc_ptrvec_free(&lines);
	char *s = sc_strbuf_take(&sb);
	return s ? s : sc_xstrdup("");
}

/* The oracle: the host's apt-get, simulating dist-upgrade on the given status file, lists directory,
 * sources and preferences; returns sorted "name version" lines of the upgrades (NULL when apt-get is
 * missing). */
static char *apt_upgrades(const char *tmp, const char *status, const char *lists, const char *etc,
			  const char *prefs)
{
	if (access("/usr/bin/apt-get", X_OK) != 0)
		return NULL;
	int rc = tu_sh("mkdir -p '%s/state' '%s/cache' '%s/conf.d' && "
		       "apt-get -s -q -o Debug::NoLocking=1 -o Dir::State='%s/state' "
		       "-o Dir::State::status='%s' -o Dir::State::Lists='%s' "
		       "-o Dir::Etc::SourceList='%s/sources.list' -o Dir::Etc::SourceParts='%s/sources.list.d' "
		       "-o Dir::Etc::Parts='%s/conf.d' -o Dir::Etc::Preferences='%s/preferences' "
		       "-o Dir::Etc::PreferencesParts='%s/preferences.d' -o Dir::Cache='%s/cache' "
		       "-o Dir::Cache::pkgcache= -o Dir::Cache::srcpkgcache= -o APT::Architecture=amd64 "
		       "-o APT::Architectures::=amd64 dist-upgrade > '%s/apt.out' 2> '%s/apt.err'; e=$?; "
		       "sed -n 's/^Inst \\([^ ]*\\) \\[[^]]*\\] (\\([^ ]*\\) .*/\\1 \\2/p' '%s/apt.out' "
		       "| LC_ALL=C sort > '%s/apt.set'; exit $e",
		       tmp, tmp, tmp, tmp, status, lists, etc, etc, tmp, prefs, prefs, tmp, tmp, tmp, tmp, tmp);
	if (rc != 0) {
		tu_sh("cat '%s/apt.err' >&2", tmp);
		fail_msg("apt-get -s dist-upgrade failed (%d)", rc);
	}
	char *p = sc_xasprintf("%s/apt.set", tmp);
	char *s = tu_read(p);
	free(p);
	return s;
}

/* ---- synthetic repository ---- */

static void write_bytes(const char *path, const void *data, size_t len)
{
	struct sc_error err = {0};
	assert_int_equal(sc_write_file_atomic(path, data, len, &err), SC_OK);
}

/* Writes a suite into lists/ as apt names it: PREFIX_Release + PREFIX_main_binary-amd64_Packages<ext>. */
static void write_suite(const char *lists, const char *suite, const char *fields, const char *packages,
			const char *ext)
{
	char hex[65];
	sc_sha256_hex(packages, strlen(packages), hex);
	char *prefix = sc_xasprintf("%s/example.invalid_debian_dists_%s", lists, suite);
	char *rel = sc_xasprintf("Origin: Debian\n%sSuite: %s\nCodename: %s\nArchitectures: amd64\n"
				 "Components: main\nSHA256:\n %s %zu main/binary-amd64/Packages\n",
				 fields, suite, suite, hex, strlen(packages));
	char *rp = sc_xasprintf("%s_Release", prefix);
	write_bytes(rp, rel, strlen(rel));
	char *pp = sc_xasprintf("%s_main_binary-amd64_Packages", prefix);
	write_bytes(pp, packages, strlen(packages));
	if (*ext) {
		const char *tool = !strcmp(ext, ".gz") ? "gzip -n" : !strcmp(ext, ".xz") ? "xz" :
				   !strcmp(ext, ".lz4") ? "lz4 -q -m --rm" : "zstd -q --rm";
		assert_int_equal(tu_sh("%s '%s'", tool, pp), 0);
	}
	free(pp);
	free(rp);
	free(rel);
	free(prefix);
}

static const char status_text[] =
	"Package: libc6\nStatus: install ok installed\nPriority: optional\nArchitecture: amd64\n"
	"Source: glibc\nVersion: 2.36-9+deb12u3\nDescription: GNU C Library\n\n"
	"Package: tzdata\nStatus: install ok installed\nArchitecture: all\nVersion: 2024a-0+deb12u1\n"
	"Description: time zone data\n\n"
	"Package: gzip\nEssential: yes\nStatus: hold ok installed\nArchitecture: amd64\nVersion: 1.12-1\n"
	"Description: compression\n\n"
	"Package: bash\nEssential: yes\nStatus: install ok installed\nArchitecture: amd64\nVersion: 5.2.15-2+b2\n"
	"Description: shell\n\n"
	"Package: curl\nStatus: install ok installed\nArchitecture: amd64\nVersion: 7.88.1-10+deb12u5\n"
	"Description: curl\n\n"
	"Package: golang-1.21-go\nStatus: install ok installed\nArchitecture: amd64\nVersion: 1.21.6-1~bpo12+1\n"
	"Description: go\n\n"
	"Package: libssl3\nStatus: install ok installed\nArchitecture: amd64\nSource: openssl\n"
	"Version: 3.0.11-1~deb12u1\nDescription: ssl\n\n"
	"Package: myapp\nStatus: install ok installed\nArchitecture: amd64\nVersion: 1.0\nDescription: local\n\n"
	"Package: newer\nStatus: install ok installed\nArchitecture: amd64\nVersion: 2.0-1\nDescription: n\n\n"
	"Package: oldconf\nStatus: deinstall ok config-files\nArchitecture: amd64\nVersion: 0.1-1\n"
	"Description: removed\n";

#define P(n, v, a)                                                                                 \
	"Package: " n "\nVersion: " v "\nArchitecture: " a "\nFilename: pool/main/" n "_" v "_" a ".deb\n" \
	"Size: 100\nDescription: x\n\n"

static char *make_fixture(char **lists_out)
{
	char *t = tu_mkdtemp();
	char *root = sc_path_join(t, "root");
	tu_write(root, "var/lib/dpkg/status", status_text);
	tu_write(root, "etc/apt/preferences.d/no-security-openssl",
		 "Explanation: keep openssl off the security suite (a test pin)\n"
		 "Package: libssl3\nPin: release l=Debian-Security\nPin-Priority: -1\n");
	tu_write(root, "etc/apt/preferences.d/ignored.disabled", "this is not read: wrong extension\n");
	char *lists = sc_path_join(t, "lists");
	assert_int_equal(mkdir(lists, 0755), 0);
	write_suite(lists, "bookworm", "Label: Debian\nVersion: 12.5\n",
		    P("libc6", "2.36-9+deb12u1", "amd64") P("tzdata", "2024b-0+deb12u1", "all")
		    P("gzip", "1.12-1+deb12u1", "amd64") P("bash", "5.2.15-2+b2", "amd64")
		    P("curl", "7.88.1-10+deb12u5", "amd64") P("libssl3", "3.0.11-1~deb12u2", "amd64")
		    P("newer", "1.0-1", "amd64") P("oldconf", "0.2-1", "amd64") P("unrelated", "9", "amd64")
		    P("libc6", "2.36-9+deb12u9", "i386"),
		    ".gz");
	write_suite(lists, "bookworm-security", "Label: Debian-Security\n",
		    P("libc6", "2.36-9+deb12u4", "amd64") P("libssl3", "3.0.13-1~deb12u1", "amd64"), ".xz");
	write_suite(lists, "bookworm-backports", "Label: Debian Backports\nNotAutomatic: yes\nButAutomaticUpgrades: yes\n",
		    P("curl", "8.5.0-2~bpo12+1", "amd64") P("golang-1.21-go", "1.21.8-1~bpo12+1", "amd64"), ".lz4");
	write_suite(lists, "experimental", "Label: Debian\nNotAutomatic: yes\n", P("bash", "5.3-1", "amd64"), ".zst");
	/* what apt needs to read the same lists */
	char *etc = sc_path_join(t, "etc");
	tu_write(etc, "sources.list",
		 "deb [trusted=yes] http://example.invalid/debian bookworm main\n"
		 "deb [trusted=yes] http://example.invalid/debian bookworm-security main\n"
		 "deb [trusted=yes] http://example.invalid/debian bookworm-backports main\n"
		 "deb [trusted=yes] http://example.invalid/debian experimental main\n");
	tu_write(etc, "sources.list.d/.keep", "");
	free(etc);
	free(root);
	*lists_out = lists;
	return t;
}

static void test_synthetic(void **state)
{
	(void)state;
	char *lists;
	char *t = make_fixture(&lists);
	char *root = sc_path_join(t, "root");
	struct run run;
	run_check(&run, root, lists, NULL);
	if (run.st != SC_OK)
		fail_msg("outdated failed: %s", run.err.msg);
	char *set = upgrade_set(run.r, NULL);
	/* libc6 from security (HIGH), tzdata point release (LOW), libssl3 from main because the pin
	 * forbids security, golang from backports (installed from there); not: gzip (held), bash
	 * (experimental is NotAutomatic), curl (backports does not replace main's version), myapp (not
	 * in the indexes), newer (no downgrade), oldconf (not installed), i386 libc6 (other arch). */
	assert_string_equal(set, "golang-1.21-go 1.21.8-1~bpo12+1\nlibc6 2.36-9+deb12u4\n"
				 "libssl3 3.0.11-1~deb12u2\ntzdata 2024b-0+deb12u1\n");
	char *high = upgrade_set(run.r, "SC-OUT-001");
	assert_string_equal(high, "libc6 2.36-9+deb12u4\n");
	char *held = upgrade_set(run.r, "SC-OUT-003");
	assert_string_equal(held, "gzip 1.12-1+deb12u1\n");
	for (size_t i = 0; i < run.r->findings.len; i++) {
		const struct sc_finding *f = run.r->findings.items[i];
		assert_non_null(f->pkg);
		assert_non_null(f->remediation);
		assert_string_equal(f->loc.path, "var/lib/dpkg/status");
		assert_true(f->fingerprint[0]);
		if (!strcmp(f->rule->id, "SC-OUT-001")) {
			assert_int_equal(f->severity, SC_SEV_HIGH);
			assert_non_null(strstr(f->message, "bookworm-security"));
		} else if (!strcmp(f->rule->id, "SC-OUT-002")) {
			assert_int_equal(f->severity, SC_SEV_LOW);
		} else {
			assert_non_null(strstr(f->message, "held"));
			assert_non_null(strstr(f->message, "Essential"));
		}
	}
	/* the oracle agrees, pins and holds included */
	char *prefs = sc_path_join(root, "etc/apt");
	char *etc = sc_path_join(t, "etc");
	char *status = sc_path_join(root, "var/lib/dpkg/status");
	char *apt = apt_upgrades(t, status, lists, etc, prefs);
	if (apt)
		assert_string_equal(set, apt);
	else
		printf("outdated: apt-get not installed, oracle skipped\n");
	free(apt);
	free(status);
	free(etc);
	free(prefs);
	free(set);
	free(high);
	free(held);
	run_free(&run);

	/* severities from the policy */
	run_check(&run, root, lists, "version: 1\noutdated:\n  security: critical\n  update: medium\n");
	assert_int_equal(run.st, SC_OK);
	for (size_t i = 0; i < run.r->findings.len; i++) {
		const struct sc_finding *f = run.r->findings.items[i];
		if (!strcmp(f->rule->id, "SC-OUT-001"))
			assert_int_equal(f->severity, SC_SEV_CRITICAL);
		if (!strcmp(f->rule->id, "SC-OUT-002"))
			assert_int_equal(f->severity, SC_SEV_MEDIUM);
	}
	run_free(&run);
	struct sc_policy *p = NULL;
	struct sc_error err = {0};
	const char *bad = "version: 1\noutdated:\n  security: urgent\n";
	assert_int_equal(sc_policy_parse(".shipcheck.yml", bad, strlen(bad), &p, &err), SC_EINPUT);
	assert_int_equal(err.line, 3);
	sc_error_clear(&err);

	/* the parsed-index cache: a second run reads the cached indexes and says the same; a damaged
	 * cache entry is rebuilt */
	char *cd = sc_path_join(t, "cache");
	cache_dir = cd;
	for (int pass = 0; pass < 3; pass++) {
		if (pass == 2)
			assert_int_equal(tu_sh("for f in '%s'/apt/*.idx; do printf 'garbage' >> \"$f\"; done", cd), 0);
		run_check(&run, root, lists, NULL);
		assert_int_equal(run.st, SC_OK);
		char *again = upgrade_set(run.r, NULL);
		assert_string_equal(again, "golang-1.21-go 1.21.8-1~bpo12+1\nlibc6 2.36-9+deb12u4\n"
					   "libssl3 3.0.11-1~deb12u2\ntzdata 2024b-0+deb12u1\n");
		free(again);
		run_free(&run);
		assert_int_equal(tu_sh("test $(ls '%s'/apt/*.idx | wc -l) = 4", cd), 0);
	}
	/* a cached index changed afterwards misses the cache and is caught */
	char *sec = sc_path_join(lists, "example.invalid_debian_dists_bookworm-security_main_binary-amd64_Packages.xz");
	char *secp = sc_xstrndup(sec, strlen(sec) - 3);
	assert_int_equal(tu_sh("cp '%s' '%s.orig' && xz -d '%s' && sed -i 's/deb12u4/deb12u5/' '%s' && xz '%s'", sec, sec,
			       sec, secp, secp),
			 0);
	run_check(&run, root, lists, NULL);
	assert_int_equal(run.st, SC_EINPUT);
	assert_non_null(strstr(run.err.msg, "SHA256 mismatch"));
	run_free(&run);
	assert_int_equal(tu_sh("mv '%s.orig' '%s'", sec, sec), 0);
	free(secp);
	free(sec);
	cache_dir = NULL;
	free(cd);

	/* a tampered index is an error naming the file, never a silent pass */
	char *gz = sc_path_join(lists, "example.invalid_debian_dists_bookworm-security_main_binary-amd64_Packages.xz");
	char *plain = sc_xstrndup(gz, strlen(gz) - 3);
	assert_int_equal(tu_sh("xz -d '%s' && sed -i 's/deb12u4/deb12u5/' '%s' && xz '%s'", gz, plain, plain), 0);
	run_check(&run, root, lists, NULL);
	assert_int_equal(run.st, SC_EINPUT);
	assert_non_null(strstr(run.err.msg, "SHA256 mismatch"));
	assert_non_null(strstr(run.err.file, "bookworm-security_main_binary-amd64_Packages.xz"));
	run_free(&run);
	free(plain);
	free(gz);

	/* no index source at all: the check says so and does not fail */
	run_check(&run, root, NULL, NULL);
	assert_int_equal(run.st, SC_OK);
	assert_int_equal(run.r->findings.len, 0);
	assert_int_equal(run.r->warnings.len, 1);
	assert_non_null(strstr(((struct sc_warning *)run.r->warnings.items[0])->message, "--apt-lists"));
	run_free(&run);

	/* a lists directory with nothing in it is an error */
	char *empty = sc_path_join(t, "empty");
	mkdir(empty, 0755);
	run_check(&run, root, empty, NULL);
	assert_int_equal(run.st, SC_EINPUT);
	assert_non_null(strstr(run.err.msg, "no Packages index"));
	run_free(&run);
	free(empty);

	free(root);
	free(lists);
	tu_rmtree(t);
	free(t);
}

/* ---- advisories the update fixes, from a real vulnerability DB ---- */

/* One OSV record: a Debian source package, a fixed version, a severity (CVSS vector or none). */
static void write_osv(const char *dir, const char *id, const char *alias, const char *eco, const char *pkg,
		      const char *fixed, const char *cvss)
{
	char *sev = cvss ? sc_xasprintf("\"severity\": [{\"type\": \"CVSS_V3\", \"score\": \"%s\"}],\n", cvss)
			 : sc_xstrdup("");
	char *json = sc_xasprintf(
		"{\"schema_version\": \"1.6.0\", \"id\": \"%s\", \"modified\": \"2026-11-01T00:00:00Z\",\n"
		"\"aliases\": [\"%s\"], \"summary\": \"%s - security update\",\n%s"
		"\"affected\": [{\"package\": {\"ecosystem\": \"%s\", \"name\": \"%s\"},\n"
		"  \"ranges\": [{\"type\": \"ECOSYSTEM\", \"events\": [{\"introduced\": \"0\"}, {\"fixed\": \"%s\"}]}]}]}\n",
		id, alias, pkg, sev, eco, pkg, fixed);
	char *name = sc_xasprintf("%s.json", id);
	tu_write(dir, name, json);
	free(name);
	free(json);
	free(sev);
}

static const struct sc_finding *finding_of(const struct sc_result *r, const char *pkg)
{
	for (size_t i = 0; i < r->findings.len; i++) {
		const struct sc_finding *f = r->findings.items[i];
		if (f->pkg && !strcmp(f->pkg->name, pkg))
			return f;
	}
	fail_msg("no finding for %s", pkg);
	return NULL;
}

/* Does the finding name this id (as an advisory's id or one of its aliases)? */
static bool names_advisory(const struct sc_finding *f, const char *id)
{
	for (size_t i = 0; i < f->n_advisories; i++) {
		if (!strcmp(f->advisories[i].id, id))
			return true;
		for (size_t k = 0; f->advisories[i].aliases && f->advisories[i].aliases[k]; k++)
			if (!strcmp(f->advisories[i].aliases[k], id))
				return true;
	}
	return false;
}

#define CRITICAL_VECTOR "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"
#define HIGH_VECTOR "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N"
#define LOW_VECTOR "CVSS:3.1/AV:L/AC:H/PR:H/UI:R/S:U/C:L/I:N/A:N"

static void test_advisories(void **state)
{
	(void)state;
	char *lists;
	char *t = make_fixture(&lists);
	char *root = sc_path_join(t, "root");
	char *osv = sc_path_join(t, "osv");
	/* named: fixed at the candidate (security: CRITICAL raises SC-OUT-001) */
	write_osv(osv, "DSA-9001-1", "CVE-2099-1001", "Debian:12", "glibc", "2.36-9+deb12u4", CRITICAL_VECTOR);
	/* named: fixed before the candidate (but after the installed version) */
	write_osv(osv, "DSA-9000-1", "CVE-2099-1000", "Debian:12", "glibc", "2.36-9+deb12u3+1", HIGH_VECTOR);
	/* not named: fixed only in a later version than the candidate */
	write_osv(osv, "DSA-9002-1", "CVE-2099-1002", "Debian:12", "glibc", "2.36-9+deb12u7", HIGH_VECTOR);
	/* not named: fixed before the installed version (not affecting it) */
	write_osv(osv, "DSA-8999-1", "CVE-2099-0999", "Debian:12", "glibc", "2.36-9+deb12u2", HIGH_VECTOR);
	/* not named: another release's record */
	write_osv(osv, "DLA-9003-1", "CVE-2099-1003", "Debian:11", "glibc", "2.36-9+deb12u4", CRITICAL_VECTOR);
	/* named on libssl3 by its source package openssl; the point release stays LOW */
	write_osv(osv, "DSA-9004-1", "CVE-2099-1004", "Debian:12", "openssl", "3.0.11-1~deb12u2", CRITICAL_VECTOR);
	/* not named: fixed in the security suite's version, which the pin keeps away */
	write_osv(osv, "DSA-9005-1", "CVE-2099-1005", "Debian:12", "openssl", "3.0.13-1~deb12u1", HIGH_VECTOR);
	/* named on the held gzip */
	write_osv(osv, "DSA-9006-1", "CVE-2099-1006", "Debian:12", "gzip", "1.12-1+deb12u1", LOW_VECTOR);
	/* a binary package name is not a source package name: no record for "libc6" matches */
	write_osv(osv, "DSA-9007-1", "CVE-2099-1007", "Debian:12", "libc6", "2.36-9+deb12u4", CRITICAL_VECTOR);
	char *dbp = sc_path_join(t, "db.sqlite");
	struct sc_error err = {0};
	const char *paths[] = {osv};
	if (sc_db_import(dbp, paths, 1, true, NULL, &err) != SC_OK)
		fail_msg("import: %s", err.msg);
	assert_int_equal(sc_db_open(dbp, &run_db, &err), SC_OK);

	struct run run;
	run_check(&run, root, lists, NULL);
	if (run.st != SC_OK)
		fail_msg("outdated failed: %s", run.err.msg);
	/* the same upgrades as without a DB */
	char *set = upgrade_set(run.r, NULL);
	assert_string_equal(set, "golang-1.21-go 1.21.8-1~bpo12+1\nlibc6 2.36-9+deb12u4\n"
				 "libssl3 3.0.11-1~deb12u2\ntzdata 2024b-0+deb12u1\n");
	free(set);
	const struct sc_finding *libc = finding_of(run.r, "libc6");
	assert_string_equal(libc->rule->id, "SC-OUT-001");
	assert_int_equal(libc->n_advisories, 2);
	assert_true(names_advisory(libc, "DSA-9001-1"));
	assert_true(names_advisory(libc, "DSA-9000-1"));
	assert_false(names_advisory(libc, "DSA-9002-1"));
	assert_false(names_advisory(libc, "DSA-8999-1"));
	assert_false(names_advisory(libc, "DLA-9003-1"));
	assert_false(names_advisory(libc, "DSA-9007-1"));
	assert_int_equal(libc->advisories[0].severity, SC_SEV_CRITICAL); /* most severe first */
	/* the DB merges aliases and puts the CVE id first */
	assert_string_equal(libc->advisories[0].id, "CVE-2099-1001");
	assert_string_equal(libc->advisories[0].aliases[0], "DSA-9001-1");
	assert_string_equal(libc->advisories[0].fixed[0], "2.36-9+deb12u4");
	assert_int_equal(libc->severity, SC_SEV_CRITICAL);
	assert_non_null(strstr(libc->message, "Per the vulnerability DB it fixes CVE-2099-1001 (DSA-9001-1), CVE-2099-1000 (DSA-9000-1); most severe: CRITICAL."));
	assert_non_null(strstr(libc->message, "most severe: CRITICAL"));
	assert_null(strstr(libc->message, "DSA-9002-1"));
	assert_null(strstr(libc->message, "CVE-2099-1002"));
	const struct sc_finding *ssl = finding_of(run.r, "libssl3");
	assert_string_equal(ssl->rule->id, "SC-OUT-002");
	assert_int_equal(ssl->n_advisories, 1);
	assert_true(names_advisory(ssl, "DSA-9004-1"));
	assert_false(names_advisory(ssl, "DSA-9005-1"));
	assert_int_equal(ssl->severity, SC_SEV_LOW); /* only a security-suite update is raised */
	assert_non_null(strstr(ssl->message, "CVE-2099-1004 (DSA-9004-1)"));
	const struct sc_finding *gz = finding_of(run.r, "gzip");
	assert_string_equal(gz->rule->id, "SC-OUT-003");
	assert_int_equal(gz->n_advisories, 1);
	assert_true(names_advisory(gz, "DSA-9006-1"));
	assert_int_equal(gz->severity, SC_SEV_MEDIUM);
	const struct sc_finding *tz = finding_of(run.r, "tzdata");
	assert_int_equal(tz->n_advisories, 0);
	assert_null(strstr(tz->message, "it fixes"));
	/* the DB says nothing about the check itself */
	assert_int_equal(run.r->warnings.len, 0);
	char *fp_libc = sc_xstrdup(libc->fingerprint);
	run_free(&run);

	/* without a DB: the same findings, no advisories, the fingerprints unchanged */
	sc_db_close(run_db);
	run_db = NULL;
	run_check(&run, root, lists, NULL);
	assert_int_equal(run.st, SC_OK);
	libc = finding_of(run.r, "libc6");
	assert_int_equal(libc->n_advisories, 0);
	assert_int_equal(libc->severity, SC_SEV_HIGH);
	assert_null(strstr(libc->message, "it fixes"));
	assert_string_equal(libc->fingerprint, fp_libc);
	/* said once, with the count of updates and where the DB was looked for */
	assert_int_equal(run.r->warnings.len, 1);
	assert_non_null(strstr(((struct sc_warning *)run.r->warnings.items[0])->message,
			       "outdated: 5 updates were not checked for known vulnerabilities: no vulnerability database at"));
	run_free(&run);
	/* --no-db: said once */
	run_no_db = true;
	run_check(&run, root, lists, NULL);
	assert_int_equal(run.st, SC_OK);
	assert_int_equal(run.r->warnings.len, 1);
	assert_non_null(strstr(((struct sc_warning *)run.r->warnings.items[0])->message,
			       "outdated: 5 updates were not checked for known vulnerabilities (--no-db)"));
	run_free(&run);
	run_no_db = false;

	free(fp_libc);
	free(dbp);
	free(osv);
	free(root);
	free(lists);
	tu_rmtree(t);
	free(t);
}

/* ---- the host's real lists and debian-min's real status, made older ---- */

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
		data[*len] = '\0';
		break;
	}
	archive_read_free(a);
	return data;
}

static bool has_real_lists(const char *dir)
{
	DIR *d = opendir(dir);
	if (!d)
		return false;
	bool found = false;
	struct dirent *de;
	while ((de = readdir(d)))
		if (strstr(de->d_name, "_Packages"))
			found = true;
	closedir(d);
	return found;
}

/* Rewrites every stanza whose Source (or Package) is `source`: each occurrence of its version
 * becomes VERSION~old (just below it, so other packages' `>=` dependencies still hold, and the
 * exact `=` dependencies between its binaries too). hold = mark them held. */
static char *make_older(const char *status, const char *source, bool hold)
{
	struct sc_strbuf out;
	sc_strbuf_init(&out, 1u << 26);
	const char *p = status;
	while (*p) {
		const char *end = strstr(p, "\n\n");
		size_t n = end ? (size_t)(end - p) + 2 : strlen(p);
		char *st = sc_xstrndup(p, n);
		char name[256] = "", src[256] = "", ver[256] = "";
		const char *q;
		if ((q = strstr(st, "Package: ")))
			sscanf(q + 9, "%255s", name);
		if ((q = strstr(st, "\nSource: ")))
			sscanf(q + 9, "%255s", src);
		if ((q = strstr(st, "\nVersion: ")))
			sscanf(q + 10, "%255s", ver);
		if ((!strcmp(src, source) || (!*src && !strcmp(name, source))) && *ver) {
			char *old = sc_xasprintf("%s~old", ver);
			for (const char *s = st; *s;) {
				const char *m = strstr(s, ver);
				bool word = m && (m[strlen(ver)] == '\n' || m[strlen(ver)] == ')' || m[strlen(ver)] == ' ');
				if (!m) {
					sc_strbuf_puts(&out, s);
					break;
				}
				sc_strbuf_append(&out, s, (size_t)(m - s));
				sc_strbuf_puts(&out, word ? old : ver);
				s = m + strlen(ver);
			}
			free(old);
		} else {
			sc_strbuf_puts(&out, st);
		}
		free(st);
		p += n;
	}
	char *s = sc_strbuf_take(&out);
	if (hold) {
		/* hold the binary named like the source: its stanza's Status becomes "hold ok installed" */
		char *key = sc_xasprintf("Package: %s\n", source);
		char *m = strstr(s, key);
		char *stat = m ? strstr(m, "\nStatus: install ") : NULL;
		char *end = m ? strstr(m, "\n\n") : NULL;
		if (stat && (!end || stat < end)) {
			size_t at = (size_t)(stat - s) + strlen("\nStatus: ");
			char *h = sc_xasprintf("%.*shold%s", (int)at, s, s + at + strlen("install"));
			free(s);
			s = h;
		}
		free(key);
	}
	return s;
}

static void test_oracle_real_lists(void **state)
{
	(void)state;
	const char *host_lists = "/var/lib/apt/lists";
	if (!has_real_lists(host_lists) && geteuid() == 0) {
		printf("outdated: no apt lists on this host, trying `apt-get update` once\n");
		tu_sh("timeout 300 apt-get update -qq >/dev/null 2>&1");
	}
	if (!has_real_lists(host_lists) || access("/usr/bin/apt-get", X_OK) != 0) {
		printf("outdated: SKIP oracle on real lists: no apt lists in %s and none could be fetched\n",
		       host_lists);
		skip();
	}
	char *t = tu_mkdtemp();
	char *lists = sc_path_join(t, "lists");
	char *etc = sc_path_join(t, "etc");
	assert_int_equal(tu_sh("mkdir -p '%s' '%s/sources.list.d' && "
			       "find %s -maxdepth 1 -type f \\( -name '*Release' -o -name '*_Packages*' \\) "
			       "-exec cp {} '%s/' \\; && "
			       "touch '%s/sources.list' && "
			       "(cp /etc/apt/sources.list '%s/sources.list' 2>/dev/null; "
			       " for f in /etc/apt/sources.list.d/*.list /etc/apt/sources.list.d/*.sources; do "
			       "   [ -f \"$f\" ] && cp \"$f\" '%s/sources.list.d/'; done; true)",
			       lists, etc, host_lists, lists, etc, etc, etc),
		 0);
	/* debian-min's status, glibc and tzdata made older, util-linux made older and held */
	char *blob = tu_shared("images/oci/blobs/sha256/cf82ff883050ebc1d42374456fa0eb258e940b91674556f820c0ff513b7844be");
	size_t len = 0;
	char *status = status_from_layer(blob, &len);
	assert_non_null(status);
	char *s1 = make_older(status, "glibc", false);
	char *s2 = make_older(s1, "tzdata", false);
	char *s3 = make_older(s2, "util-linux", true);
	char *root = sc_path_join(t, "root");
	tu_write(root, "var/lib/dpkg/status", s3);
	char *prefs = sc_path_join(root, "etc/apt");
	char *spath = sc_path_join(root, "var/lib/dpkg/status");

	struct run run;
	run_check(&run, root, lists, NULL);
	if (run.st != SC_OK)
		fail_msg("outdated failed: %s: %s", run.err.file, run.err.msg);
	char *set = upgrade_set(run.r, NULL);
	char *apt = apt_upgrades(t, spath, lists, etc, prefs);
	assert_non_null(apt);
	size_t n = 0;
	for (const char *c = set; *c; c++)
		n += *c == '\n';
	printf("outdated: %zu upgrades on the host's real lists; apt-get -s dist-upgrade agrees: %s\n", n,
	       strcmp(set, apt) ? "NO" : "yes");
	if (strcmp(set, apt))
		fail_msg("shipcheck:\n%s\napt-get:\n%s", set, apt);
	assert_non_null(strstr(set, "libc6 "));
	assert_non_null(strstr(set, "tzdata "));
	assert_null(strstr(set, "util-linux "));
	char *held = upgrade_set(run.r, "SC-OUT-003");
	assert_non_null(strstr(held, "util-linux "));
	free(held);
	run_free(&run);
	free(set);
	free(apt);
	free(spath);
	free(prefs);
	free(root);
	free(s1);
	free(s2);
	free(s3);
	free(status);
	free(blob);
	free(etc);
	free(lists);
	tu_rmtree(t);
	free(t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_synthetic),
		cmocka_unit_test(test_advisories),
		cmocka_unit_test(test_oracle_real_lists),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
