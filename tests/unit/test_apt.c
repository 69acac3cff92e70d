/* test_apt.c - lib/apt: Release/InRelease, Packages and their errors, every compression, sources
 * (one-line and deb822), preferences; and downloads from a local HTTP server written for the test,
 * serving a repository the test builds and signs with a throwaway gpg key (good, bad and missing
 * signatures, wrong key, hash mismatches), also through the outdated check on a root filesystem
 * whose own sources.list and keyring point at it. */
#include "testutil.h"

#include <openssl/evp.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "shipcheck/sc_apt.h"
#include "shipcheck/sc_policy.h"
#include "shipcheck/sc_scan.h"

static void test_release(void **state)
{
	(void)state;
	struct sc_arena *a = sc_arena_new();
	struct sc_error err = {0};
	const char *text = "-----BEGIN PGP SIGNED MESSAGE-----\nHash: SHA256\n\n"
			   "Origin: Debian\nLabel: Debian-Security\nSuite: stable-security\nCodename: bookworm-security\n"
			   "NotAutomatic: no\nSHA256:\n"
			   " e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855        0 main/binary-amd64/Packages\n"
			   " 2BF8B69FE8E957E2A3AA8F8AAF8525803E35DE2C7CD77F4ADDEF838E95C18903     2732 contrib/i18n/Index\n"
			   "- -----dash escaped line is not a field\n"
			   "-----BEGIN PGP SIGNATURE-----\n\nxyz\n-----END PGP SIGNATURE-----\n";
	struct sc_apt_release *rel = NULL;
	/* the dash-escaped line is not a field: an error on line 12 */
	assert_int_equal(sc_apt_release_parse(a, "InRelease", text, strlen(text), &rel, &err), SC_EINPUT);
	assert_int_equal(err.line, 12);
	sc_error_clear(&err);
	char *good = sc_xstrdup(text);
	char *dash = strstr(good, "- -----dash");
	memcpy(dash, " extra", 6); /* a continuation of SHA256 with a bad hash */
	assert_int_equal(sc_apt_release_parse(a, "InRelease", good, strlen(good), &rel, &err), SC_EINPUT);
	assert_int_equal(err.line, 12);
	assert_non_null(strstr(err.msg, "64-digit"));
	sc_error_clear(&err);
	*strstr(good, " extra") = '\0';
	char *fixed = sc_xasprintf("%s-----BEGIN PGP SIGNATURE-----\n\nxyz\n-----END PGP SIGNATURE-----\n", good);
	assert_int_equal(sc_apt_release_parse(a, "InRelease", fixed, strlen(fixed), &rel, &err), SC_OK);
	assert_true(rel->signed_inline);
	assert_string_equal(rel->label, "Debian-Security");
	assert_string_equal(rel->codename, "bookworm-security");
	assert_false(rel->not_automatic);
	assert_true(sc_apt_release_is_security(rel));
	assert_int_equal(rel->n_hashes, 2);
	assert_string_equal(rel->hashes[1].sha256, "2bf8b69fe8e957e2a3aa8f8aaf8525803e35de2c7cd77f4addef838e95c18903");
	assert_int_equal(rel->hashes[1].size, 2732);
	assert_int_equal(sc_apt_release_verify(rel, "main/binary-amd64/Packages", "P", "", 0, &err), SC_OK);
	assert_int_equal(sc_apt_release_verify(rel, "main/binary-amd64/Packages", "P", "x", 1, &err), SC_EINPUT);
	assert_non_null(strstr(err.msg, "size mismatch"));
	sc_error_clear(&err);
	assert_int_equal(sc_apt_release_verify(rel, "main/binary-i386/Packages", "P", "", 0, &err), SC_EINPUT);
	assert_non_null(strstr(err.msg, "no SHA256 entry"));
	sc_error_clear(&err);

	static const struct {
		const char *text;
		unsigned line;
		const char *msg;
	} bad[] = {
		{"-----BEGIN PGP SIGNED MESSAGE-----\nHash: SHA256\n\nSuite: x\n", 4, "no signature"},
		{"-----BEGIN PGP SIGNED MESSAGE-----\nHash SHA256\n\nSuite: x\n", 2, "armour header"},
		{"-----BEGIN PGP SIGNED MESSAGE-----\n\n-bad\n-----BEGIN PGP SIGNATURE-----\n", 3, "unescaped"},
		{"Origin: x\nLabel: y\n", 1, "neither Suite nor Codename"},
		{"Suite: x\nSHA256:\n abc 12 main/Packages\n", 3, "64-digit"},
		{"Suite: x\nSHA256:\n e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855 12\n", 3, "HASH SIZE NAME"},
		{"Suite: x\nSHA256:\n e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855 99999999999999999999999 P\n", 3, "out of range"},
		{"Suite x\n", 1, "Field: value"},
		{"", 0, "empty Release"},
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(sc_apt_release_parse(a, "Release", bad[i].text, strlen(bad[i].text), &rel, &err), SC_EINPUT);
		if (err.line != bad[i].line || !strstr(err.msg, bad[i].msg))
			fail_msg("case %zu: %u: %s", i, err.line, err.msg);
		sc_error_clear(&err);
	}
	free(fixed);
	free(good);
	sc_arena_free(a);
}

static void test_packages_and_compression(void **state)
{
	(void)state;
	struct sc_apt_cache *c = sc_apt_cache_new();
	struct sc_apt_index idx = {"Packages", NULL, "main", "amd64", 0};
	struct sc_error err = {0};
	const char *text = "Package: a\nVersion: 1\nArchitecture: all\nSource: asrc (0.9)\n\n\n"
			   "Package: b\nVersion: 2\nDescription: multi\n line\n\nPackage: a\nVersion: 2\n";
	assert_int_equal(sc_apt_packages_parse(c, &idx, text, strlen(text), &err), SC_OK);
	const struct sc_apt_version *v = sc_apt_cache_get(c, "a");
	assert_non_null(v);
	assert_string_equal(v->version, "2"); /* newest entry first */
	assert_string_equal(v->arch, "amd64"); /* from the index when the stanza has none */
	assert_string_equal(v->next->source, "asrc");
	assert_string_equal(v->next->arch, "all");
	assert_int_equal(c->n_versions, 3);
	/* only wanted names are kept; malformed stanzas of other packages are skipped unparsed */
	struct sc_map *wanted = sc_map_new();
	sc_map_put(wanted, "b", (void *)1);
	c->wanted = wanted;
	const char *bad = "Package: a\nbroken line\n\nPackage: b\nVersion: 3\n\nPackage: b\nVersion 4\n";
	assert_int_equal(sc_apt_packages_parse(c, &idx, bad, strlen(bad), &err), SC_EINPUT);
	assert_int_equal(err.line, 8);
	assert_string_equal(err.file, "Packages");
	sc_error_clear(&err);
	assert_string_equal(sc_apt_cache_get(c, "b")->version, "3");
	const char *nover = "Package: b\nArchitecture: all\n";
	assert_int_equal(sc_apt_packages_parse(c, &idx, nover, strlen(nover), &err), SC_EINPUT);
	assert_non_null(strstr(err.msg, "without Version"));
	sc_error_clear(&err);
	sc_map_free(wanted);
	sc_apt_cache_free(c);

	/* every compression apt uses, made by the real tools */
	char *t = tu_mkdtemp();
	tu_write(t, "P", text);
	static const char *const exts[] = {".gz", ".xz", ".lz4", ".zst", ".bz2"};
	static const char *const tools[] = {"gzip -nk", "xz -k", "lz4 -q", "zstd -q", "bzip2 -k"};
	for (size_t i = 0; i < 5; i++) {
		char *dst = sc_xasprintf("%s/P%s", t, exts[i]);
		if (i == 2)
			assert_int_equal(tu_sh("lz4 -q '%s/P' '%s'", t, dst), 0);
		else if (i == 3)
			assert_int_equal(tu_sh("zstd -q '%s/P' -o '%s'", t, dst), 0);
		else
			assert_int_equal(tu_sh("%s '%s/P'", tools[i], t), 0);
		char *raw, *out;
		size_t rlen, olen;
		assert_int_equal(sc_read_file(dst, 1u << 20, &raw, &rlen, &err), SC_OK);
		assert_int_equal(sc_apt_decompress(dst, raw, rlen, 1u << 20, &out, &olen, &err), SC_OK);
		assert_int_equal(olen, strlen(text));
		assert_memory_equal(out, text, olen);
		free(out);
		/* the limit holds */
		assert_int_equal(sc_apt_decompress(dst, raw, rlen, 10, &out, &olen, &err), SC_ELIMIT);
		sc_error_clear(&err);
		/* corrupt the middle */
		if (rlen > 20) {
			for (size_t k = rlen / 2; k < rlen / 2 + 8 && k < rlen; k++)
				raw[k] ^= 0x55;
			enum sc_status st = sc_apt_decompress(dst, raw, rlen, 1u << 20, &out, &olen, &err);
			if (st == SC_OK) {
				/* a format without a checksum of its own: the Release hash catches it */
				assert_true(olen != strlen(text) || memcmp(out, text, olen));
				free(out);
			} else {
				assert_non_null(strstr(err.file, exts[i]));
			}
			sc_error_clear(&err);
		}
		free(raw);
		free(dst);
	}
	char *out;
	size_t olen;
	assert_int_equal(sc_apt_decompress("x/Packages.gz", "plain text, not gzip", 20, 1u << 20, &out, &olen, &err),
			 SC_EINPUT);
	assert_string_equal(err.file, "x/Packages.gz");
	sc_error_clear(&err);
	assert_int_equal(sc_apt_decompress("x/Packages.xz", "", 0, 1u << 20, &out, &olen, &err), SC_EINPUT);
	sc_error_clear(&err);
	tu_rmtree(t);
	free(t);
}

static void test_sources_and_prefs(void **state)
{
	(void)state;
	struct sc_arena *a = sc_arena_new();
	struct sc_ptrvec v = {0};
	struct sc_error err = {0};
	const char *one = "# comment\n\ndeb [arch=amd64 signed-by=/usr/share/keyrings/k.gpg] http://h.example/debian/ bookworm main contrib # tail\n"
			  "deb-src http://h.example/debian bookworm main\n"
			  "deb https://h.example/flat ./\n";
	assert_int_equal(sc_apt_sources_parse(a, "sources.list", one, strlen(one), false, &v, &err), SC_OK);
	assert_int_equal(v.len, 2);
	const struct sc_apt_source *s = v.items[0];
	assert_string_equal(s->uri, "http://h.example/debian");
	assert_string_equal(s->suite, "bookworm");
	assert_string_equal(s->components[1], "contrib");
	assert_null(s->components[2]);
	assert_string_equal(s->signed_by, "/usr/share/keyrings/k.gpg");
	assert_int_equal(s->line, 3);
	assert_string_equal(((struct sc_apt_source *)v.items[1])->suite, "./");
	const char *d822 = "Types: deb deb-src\nURIs: http://h.example/debian\nSuites: bookworm bookworm-updates\n"
			   "Components: main\nSigned-By: /usr/share/keyrings/debian-archive-keyring.gpg\n\n"
			   "# disabled\nTypes: deb\nURIs: http://other.example/x\nSuites: s\nComponents: c\nEnabled: no\n\n"
			   "Types: deb-src\nURIs: http://h.example/debian\nSuites: bookworm\nComponents: main\n";
	assert_int_equal(sc_apt_sources_parse(a, "debian.sources", d822, strlen(d822), true, &v, &err), SC_OK);
	assert_int_equal(v.len, 4);
	assert_string_equal(((struct sc_apt_source *)v.items[3])->suite, "bookworm-updates");
	static const struct {
		const char *text;
		bool deb822;
		unsigned line;
		const char *msg;
	} bad[] = {
		{"deb\n", false, 1, "URI SUITE"},
		{"rpm http://x y z\n", false, 1, "deb` or `deb-src"},
		{"deb [arch=amd64 http://x y z\n", false, 1, "unterminated"},
		{"deb /local/path bookworm main\n", false, 1, "not a repository URI"},
		{"deb http://x bookworm\n", false, 1, "at least one component"},
		{"Types: deb\nSuites: x\n", true, 1, "without URIs"},
		{"Types: deb\nURIs: http://x\nSuites: bookworm\n", true, 3, "Components"},
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(sc_apt_sources_parse(a, "s", bad[i].text, strlen(bad[i].text), bad[i].deb822, &v, &err),
				 SC_EINPUT);
		if (err.line != bad[i].line || !strstr(err.msg, bad[i].msg))
			fail_msg("sources case %zu: %u: %s", i, err.line, err.msg);
		sc_error_clear(&err);
	}
	sc_ptrvec_free(&v);

	/* pins: the first match wins; general pins by release; version globs */
	struct sc_apt_prefs *p = sc_apt_prefs_new();
	const char *prefs = "Explanation: comment only\n\n"
			    "Package: perl*\nPin: version 5.36*\nPin-Priority: 1001\n\n"
			    "Package: *\nPin: release o=Debian,a=stable-backports\nPin-Priority: 400\n\n"
			    "Package: /^lib.*-dev$/\nPin: origin \"h.example\"\nPin-Priority: -1\n\n"
			    "Package: perl-base\nPin: version 5.38*\nPin-Priority: 900\n";
	assert_int_equal(sc_apt_prefs_parse(p, "prefs", prefs, strlen(prefs), &err), SC_OK);
	struct sc_apt_release bpo = {.origin = "Debian", .suite = "stable-backports", .not_automatic = true,
				     .but_automatic_upgrades = true, .site = "h.example"};
	struct sc_apt_release main_rel = {.origin = "Debian", .suite = "stable", .site = "h.example"};
	struct sc_apt_index ib = {"b", &bpo, "main", "amd64", 0}, im = {"m", &main_rel, "main", "amd64", 0};
	struct sc_apt_version v1 = {"perl-base", "5.36.0-7", "amd64", NULL, NULL, &im, NULL};
	struct sc_apt_version v2 = {"perl-base", "5.38.0-1", "amd64", NULL, NULL, &ib, NULL};
	struct sc_apt_version v3 = {"zlib1g-dev", "1", "amd64", NULL, NULL, &ib, NULL};
	struct sc_apt_version v4 = {"libfoo-dev", "1", "amd64", NULL, NULL, &im, NULL};
	struct sc_apt_version v5 = {"curl", "8", "amd64", NULL, NULL, &im, NULL};
	assert_int_equal(sc_apt_priority(p, &v1), 1001);
	assert_int_equal(sc_apt_priority(p, &v2), 900);
	assert_int_equal(sc_apt_priority(p, &v3), 400);
	assert_int_equal(sc_apt_priority(p, &v4), -1);
	assert_int_equal(sc_apt_priority(p, &v5), 500);
	assert_int_equal(sc_apt_priority(NULL, &v2), 100);
	static const struct {
		const char *text;
		unsigned line;
		const char *msg;
	} pbad[] = {
		{"Package: x\nPin: release a=x\n", 1, "without Pin-Priority"},
		{"Package: x\nPin: release a=x\nPin-Priority: high\n", 3, "a number"},
		{"Package: x\nPin: sometimes\nPin-Priority: 1\n", 2, "release`, `version"},
		{"Package: x\nPin: release q=x\nPin-Priority: 1\n", 2, "unknown release key"},
		{"Pin: release a=x\nPin-Priority: 1\n", 1, "without Package"},
		{"Package: x\nPin: version\nPin-Priority: 1\n", 2, "without a value"},
	};
	/* a file that does not parse leaves nothing behind, not even a half-built version pin without
	 * its condition (found by fuzz_apt); the files read before it still apply */
	{
		struct sc_apt_prefs *q = sc_apt_prefs_new();
		const char *good = "Package: curl\nPin: version 8*\nPin-Priority: 990\n";
		const char *half = "Package: perl*\nPin: version 5.36*\nPin-Priority: 1001\n\n"
				   "Package: perl-base\nPin: version \nPin-Priority: 900\n";
		assert_int_equal(sc_apt_prefs_parse(q, "good.pref", good, strlen(good), &err), SC_OK);
		assert_int_equal(sc_apt_prefs_parse(q, "prefs", half, strlen(half), &err), SC_EINPUT);
		sc_error_clear(&err);
		assert_int_equal(sc_apt_priority(q, &v1), 500);
		assert_int_equal(sc_apt_priority(q, &v2), 100);
		assert_int_equal(sc_apt_priority(q, &v5), 990);
		sc_apt_prefs_free(q);
	}
	for (size_t i = 0; i < sizeof(pbad) / sizeof(pbad[0]); i++) {
		struct sc_apt_prefs *q = sc_apt_prefs_new();
		assert_int_equal(sc_apt_prefs_parse(q, "prefs", pbad[i].text, strlen(pbad[i].text), &err), SC_EINPUT);
		if (err.line != pbad[i].line || !strstr(err.msg, pbad[i].msg))
			fail_msg("prefs case %zu: %u: %s", i, err.line, err.msg);
		sc_error_clear(&err);
		sc_apt_prefs_free(q);
	}
	sc_apt_prefs_free(p);
	sc_arena_free(a);
}

/* ---- downloads from a local HTTP server ---- */

/* Serves files below root on 127.0.0.1 (HTTP/1.0, GET only) until killed or 120 s pass. */
static pid_t serve(const char *root, int *port)
{
	int s = socket(AF_INET, SOCK_STREAM, 0);
	assert_true(s >= 0);
	int one = 1;
	setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = 0};
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	assert_int_equal(bind(s, (struct sockaddr *)&sa, sizeof(sa)), 0);
	assert_int_equal(listen(s, 16), 0);
	socklen_t sl = sizeof(sa);
	getsockname(s, (struct sockaddr *)&sa, &sl);
	*port = ntohs(sa.sin_port);
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid) {
		close(s);
		return pid;
	}
	alarm(120);
	for (int served = 0; served < 1000; served++) {
		int c = accept(s, NULL, NULL);
		if (c < 0)
			continue;
		char req[4096];
		size_t n = 0;
		while (n < sizeof(req) - 1) {
			ssize_t r = read(c, req + n, sizeof(req) - 1 - n);
			if (r <= 0)
				break;
			n += (size_t)r;
			req[n] = '\0';
			if (strstr(req, "\r\n\r\n"))
				break;
		}
		req[n] = '\0';
		char path[1024] = "";
		char *body = NULL;
		size_t blen = 0;
		if (sscanf(req, "GET %1023s", path) == 1 && !strstr(path, "..")) {
			char *file = sc_xasprintf("%s%s", root, path);
			struct sc_error e = {0};
			struct stat sb;
			if (stat(file, &sb) == 0 && S_ISREG(sb.st_mode))
				sc_read_file(file, 1u << 26, &body, &blen, &e);
			sc_error_clear(&e);
			free(file);
		}
		char head[256];
		int hl = body ? snprintf(head, sizeof(head), "HTTP/1.0 200 OK\r\nContent-Length: %zu\r\nConnection: close\r\n\r\n", blen)
			      : snprintf(head, sizeof(head), "HTTP/1.0 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
		if (write(c, head, (size_t)hl) < 0 || (body && write(c, body, blen) < 0))
			(void)0;
		free(body);
		close(c);
	}
	_exit(0);
}

static void stop(pid_t pid)
{
	kill(pid, SIGTERM);
	waitpid(pid, NULL, 0);
}

#define PKGS                                                                                                  \
	"Package: libc6\nVersion: 2.36-9+deb12u4\nArchitecture: amd64\nFilename: pool/l.deb\n\n"                 \
	"Package: tzdata\nVersion: 2025a-0+deb12u1\nArchitecture: all\nFilename: pool/t.deb\n\n"

/* A signed repository under t/repo/debian: suite bookworm (InRelease) and bookworm-updates
 * (Release + Release.gpg only). Keys: t/key.gpg (signer), t/other.gpg (another key). */
static bool make_repo(const char *t)
{
	if (access("/usr/bin/gpg", X_OK) != 0 || access("/usr/bin/gpgv", X_OK) != 0)
		return false;
	int rc = tu_sh(
		"set -e; cd '%s'; mkdir -p g1 g2; chmod 700 g1 g2; "
		"for g in g1 g2; do GNUPGHOME=$PWD/$g gpg -q --batch --passphrase '' --quick-gen-key "
		"  \"shipcheck test $g <$g@example.invalid>\" ed25519 sign never 2>/dev/null; done; "
		"GNUPGHOME=$PWD/g1 gpg -q --batch --export > key.gpg; GNUPGHOME=$PWD/g2 gpg -q --batch --export > other.gpg; "
		/* armored, as Debian 12 ships them in /etc/apt/trusted.gpg.d/ (with a header line, and
		 * two keys in one file); a directory of .gpg and .asc keys */
		"GNUPGHOME=$PWD/g1 gpg -q --batch --armor --comment 'test key' --export > key.asc; "
		"GNUPGHOME=$PWD/g2 gpg -q --batch --armor --export > other.asc; cat other.asc key.asc > both.asc; "
		"mkdir trusted.gpg.d; cp other.gpg key.asc trusted.gpg.d/; "
		"for s in bookworm bookworm-updates; do d=repo/debian/dists/$s; mkdir -p $d/main/binary-amd64; "
		"  printf '%%s' \"$PKGS\" > $d/main/binary-amd64/Packages; xz -k $d/main/binary-amd64/Packages; "
		"  { printf 'Origin: Test\\nLabel: Test\\nSuite: %%s\\nCodename: %%s\\nSHA256:\\n' $s $s; "
		"    for f in main/binary-amd64/Packages main/binary-amd64/Packages.xz; do "
		"      printf ' %%s %%s %%s\\n' $(sha256sum $d/$f | cut -d' ' -f1) $(stat -c %%s $d/$f) $f; done; } > $d/Release; "
		"  GNUPGHOME=$PWD/g1 gpg -q --batch --yes -abs -o $d/Release.gpg $d/Release; done; "
		"d=repo/debian/dists/bookworm; GNUPGHOME=$PWD/g1 gpg -q --batch --yes --clearsign -o $d/InRelease $d/Release",
		t);
	return rc == 0;
}

static enum sc_status fetch(const char *t, int port, const char *suite, const char *key, struct sc_apt_cache **out,
			    struct sc_error *err)
{
	struct sc_arena *a = sc_arena_new();
	struct sc_ptrvec v = {0};
	char *line = sc_xasprintf("deb http://127.0.0.1:%d/debian %s main\n", port, suite);
	assert_int_equal(sc_apt_sources_parse(a, "--apt-source", line, strlen(line), false, &v, err), SC_OK);
	char *kp = sc_path_join(t, key);
	const char *keys[] = {kp, NULL};
	struct sc_apt_cache *c = sc_apt_cache_new();
	enum sc_status st = sc_apt_cache_fetch(c, &v, "amd64", keys, err);
	*out = c;
	free(kp);
	free(line);
	sc_ptrvec_free(&v);
	sc_arena_free(a);
	return st;
}

static void test_fetch(void **state)
{
	(void)state;
	char *t = tu_mkdtemp();
	setenv("PKGS", PKGS, 1);
	if (!make_repo(t)) {
		printf("apt: SKIP downloads: gpg or gpgv is not installed\n");
		tu_rmtree(t);
		free(t);
		skip();
	}
	char *root = sc_path_join(t, "repo");
	int port;
	pid_t pid = serve(root, &port);
	struct sc_apt_cache *c;
	struct sc_error err = {0};

	/* InRelease, then Release + Release.gpg */
	assert_int_equal(fetch(t, port, "bookworm", "key.gpg", &c, &err), SC_OK);
	assert_int_equal(c->releases.len, 1);
	assert_true(((struct sc_apt_release *)c->releases.items[0])->signed_inline);
	assert_string_equal(((struct sc_apt_release *)c->releases.items[0])->site, "127.0.0.1");
	assert_string_equal(sc_apt_cache_get(c, "libc6")->version, "2.36-9+deb12u4");
	assert_non_null(strstr(((struct sc_apt_index *)c->indexes.items[0])->path, "Packages.xz"));
	sc_apt_cache_free(c);
	assert_int_equal(fetch(t, port, "bookworm-updates", "key.gpg", &c, &err), SC_OK);
	assert_false(((struct sc_apt_release *)c->releases.items[0])->signed_inline);
	sc_apt_cache_free(c);
	/* the dearmored key is gpg's binary export, byte for byte; two blocks give both keys */
	char *kg = sc_path_join(t, "key.gpg"), *ka = sc_path_join(t, "key.asc"), *kb = sc_path_join(t, "both.asc");
	char *og = sc_path_join(t, "other.gpg");
	char *bin_key, *arm_key, *arm_both, *bin_other;
	size_t lbk, lak, lab, lbo, dl = 0;
	assert_int_equal(sc_read_file(kg, 1u << 20, &bin_key, &lbk, &err), SC_OK);
	assert_int_equal(sc_read_file(ka, 1u << 20, &arm_key, &lak, &err), SC_OK);
	assert_int_equal(sc_read_file(kb, 1u << 20, &arm_both, &lab, &err), SC_OK);
	assert_int_equal(sc_read_file(og, 1u << 20, &bin_other, &lbo, &err), SC_OK);
	unsigned char *der = sc_apt_dearmor(arm_key, lak, &dl);
	assert_non_null(der);
	assert_int_equal(dl, lbk);
	assert_memory_equal(der, bin_key, lbk);
	free(der);
	der = sc_apt_dearmor(arm_both, lab, &dl);
	assert_non_null(der);
	assert_int_equal(dl, lbo + lbk);
	assert_memory_equal(der, bin_other, lbo);
	assert_memory_equal(der + lbo, bin_key, lbk);
	free(der);
	assert_null(sc_apt_dearmor(bin_key, lbk, &dl));
	/* lines of 63 and 1 characters: the decoder holds 63 and then writes a 48-byte block for a
	 * line of one (the output must have room for it: found by fuzz_apt as heap corruption) */
	{
		size_t cap = 4 * (lbk / 3 + 1) + 1;
		unsigned char *b64 = malloc(cap);
		int bl = EVP_EncodeBlock(b64, (const unsigned char *)bin_key, (int)lbk);
		struct sc_strbuf sb;
		sc_strbuf_init(&sb, 1u << 20);
		sc_strbuf_append(&sb, "-----BEGIN PGP PUBLIC KEY BLOCK-----\n\n", 38);
		for (int i = 0, line = 0; i < bl; line++) {
			int w = line % 2 ? 1 : 63, k = bl - i < w ? bl - i : w;
			sc_strbuf_append(&sb, (const char *)b64 + i, (size_t)k);
			sc_strbuf_putc(&sb, '\n');
			i += k;
		}
		sc_strbuf_append(&sb, "-----END PGP PUBLIC KEY BLOCK-----\n", 35);
		der = sc_apt_dearmor(sb.buf, sb.len, &dl);
		assert_non_null(der);
		assert_int_equal(dl, lbk);
		assert_memory_equal(der, bin_key, lbk);
		free(der);
		sc_strbuf_free(&sb);
		free(b64);
	}
	static const char *const not_armored[] = {
		"", "-----BEGIN PGP PUBLIC KEY BLOCK-----\n\n-----END PGP PUBLIC KEY BLOCK-----\n",
		"-----BEGIN PGP PUBLIC KEY BLOCK-----\n\nnot*base64!\n-----END PGP PUBLIC KEY BLOCK-----\n",
		"-----BEGIN PGP SIGNATURE-----\n\nmDMEaxX6chYJ\n-----END PGP SIGNATURE-----\n", NULL};
	for (size_t i = 0; not_armored[i]; i++)
		assert_null(sc_apt_dearmor(not_armored[i], strlen(not_armored[i]), &dl));
	free(bin_key);
	free(arm_key);
	free(arm_both);
	free(bin_other);
	free(kg);
	free(ka);
	free(kb);
	free(og);
	/* armored keys are dearmored for gpgv, alone, in a file with another key, in a directory */
	static const char *const good_keyrings[] = {"key.asc", "both.asc", "trusted.gpg.d", NULL};
	for (size_t i = 0; good_keyrings[i]; i++) {
		assert_int_equal(fetch(t, port, "bookworm", good_keyrings[i], &c, &err), SC_OK);
		sc_apt_cache_free(c);
		assert_int_equal(fetch(t, port, "bookworm-updates", good_keyrings[i], &c, &err), SC_OK);
		sc_apt_cache_free(c);
	}
	assert_int_equal(fetch(t, port, "bookworm", "other.asc", &c, &err), SC_EINPUT);
	assert_non_null(strstr(err.msg, "signature check failed"));
	sc_error_clear(&err);
	sc_apt_cache_free(c);

	/* the same files as an apt lists directory, signatures checked with --keyring */
	char *ld = sc_path_join(t, "lists");
	assert_int_equal(tu_sh("mkdir -p '%s' && cd '%s/repo/debian/dists' && "
			       "cp bookworm/InRelease '%s/h_debian_dists_bookworm_InRelease' && "
			       "cp bookworm/main/binary-amd64/Packages.xz '%s/h_debian_dists_bookworm_main_binary-amd64_Packages.xz' && "
			       "cp bookworm-updates/Release '%s/h_debian_dists_bookworm-updates_Release' && "
			       "cp bookworm-updates/Release.gpg '%s/h_debian_dists_bookworm-updates_Release.gpg' && "
			       "cp bookworm-updates/main/binary-amd64/Packages '%s/h_debian_dists_bookworm-updates_main_binary-amd64_Packages'",
			       ld, t, ld, ld, ld, ld, ld),
			 0);
	char *good_key = sc_path_join(t, "key.gpg"), *bad_key = sc_path_join(t, "other.gpg");
	const char *good_keys[] = {good_key, NULL}, *bad_keys[] = {bad_key, NULL};
	c = sc_apt_cache_new();
	c->keyrings = good_keys;
	assert_int_equal(sc_apt_cache_load_lists(c, ld, &err), SC_OK);
	assert_int_equal(c->indexes.len, 2);
	sc_apt_cache_free(c);
	c = sc_apt_cache_new();
	c->keyrings = bad_keys;
	assert_int_equal(sc_apt_cache_load_lists(c, ld, &err), SC_EINPUT);
	assert_non_null(strstr(err.msg, "signature check failed"));
	sc_error_clear(&err);
	sc_apt_cache_free(c);
	assert_int_equal(tu_sh("rm '%s/h_debian_dists_bookworm-updates_Release.gpg'", ld), 0);
	c = sc_apt_cache_new();
	c->keyrings = good_keys;
	assert_int_equal(sc_apt_cache_load_lists(c, ld, &err), SC_EINPUT);
	assert_non_null(strstr(err.msg, "not signed"));
	sc_error_clear(&err);
	sc_apt_cache_free(c);
	c = sc_apt_cache_new(); /* without --keyring: hashes only, as apt itself trusts its lists */
	assert_int_equal(sc_apt_cache_load_lists(c, ld, &err), SC_OK);
	sc_apt_cache_free(c);

	/* the signature cache: a Release file verified once with the same keys is not verified again;
	 * another key, a changed Release file or changed keys are checked by gpgv again */
	char *cd = sc_path_join(t, "sigcache");
	assert_int_equal(tu_sh("cp '%s/repo/debian/dists/bookworm-updates/Release.gpg' "
			       "'%s/h_debian_dists_bookworm-updates_Release.gpg'",
			       t, ld),
			 0);
	for (int pass = 0; pass < 2; pass++) {
		c = sc_apt_cache_new();
		c->keyrings = good_keys;
		c->cache_dir = cd;
		assert_int_equal(sc_apt_cache_load_lists(c, ld, &err), SC_OK);
		assert_int_equal(c->indexes.len, 2);
		sc_apt_cache_free(c);
		/* one marker per Release file (InRelease; Release + Release.gpg) */
		assert_int_equal(tu_sh("test $(ls '%s'/*.sig-ok | wc -l) = 2", cd), 0);
	}
	c = sc_apt_cache_new();
	c->keyrings = bad_keys;
	c->cache_dir = cd;
	assert_int_equal(sc_apt_cache_load_lists(c, ld, &err), SC_EINPUT);
	assert_non_null(strstr(err.msg, "signature check failed"));
	sc_error_clear(&err);
	sc_apt_cache_free(c);
	/* the good key file replaced by the other key (same path): its identity changed, gpgv says no */
	char *swapped = sc_path_join(t, "swapped.gpg");
	assert_int_equal(tu_sh("cp '%s' '%s' && touch -d '2001-01-01' '%s'", good_key, swapped, swapped), 0);
	const char *swapped_keys[] = {swapped, NULL};
	c = sc_apt_cache_new();
	c->keyrings = swapped_keys;
	c->cache_dir = cd;
	assert_int_equal(sc_apt_cache_load_lists(c, ld, &err), SC_OK);
	sc_apt_cache_free(c);
	assert_int_equal(tu_sh("cp '%s' '%s'", bad_key, swapped), 0);
	c = sc_apt_cache_new();
	c->keyrings = swapped_keys;
	c->cache_dir = cd;
	assert_int_equal(sc_apt_cache_load_lists(c, ld, &err), SC_EINPUT);
	assert_non_null(strstr(err.msg, "signature check failed"));
	sc_error_clear(&err);
	sc_apt_cache_free(c);
	/* a Release file changed after its signature was cached: verified again, and refused */
	assert_int_equal(tu_sh("printf 'Label: changed\n' >> '%s/h_debian_dists_bookworm-updates_Release'", ld), 0);
	c = sc_apt_cache_new();
	c->keyrings = good_keys;
	c->cache_dir = cd;
	assert_int_equal(sc_apt_cache_load_lists(c, ld, &err), SC_EINPUT);
	assert_non_null(strstr(err.msg, "signature check failed"));
	sc_error_clear(&err);
	sc_apt_cache_free(c);
	free(swapped);
	free(cd);
	free(good_key);
	free(bad_key);
	free(ld);

	/* signed by a key we do not trust */
	assert_int_equal(fetch(t, port, "bookworm", "other.gpg", &c, &err), SC_EINPUT);
	assert_non_null(strstr(err.msg, "signature check failed"));
	assert_non_null(strstr(err.file, "/InRelease"));
	sc_error_clear(&err);
	sc_apt_cache_free(c);

	/* a changed InRelease: the signature no longer matches */
	char *d = sc_path_join(t, "repo/debian/dists/bookworm");
	assert_int_equal(tu_sh("cd '%s' && cp InRelease InRelease.orig && sed -i 's/^Label: Test/Label: Evil/' InRelease", d), 0);
	assert_int_equal(fetch(t, port, "bookworm", "key.gpg", &c, &err), SC_EINPUT);
	assert_non_null(strstr(err.msg, "signature check failed"));
	sc_error_clear(&err);
	sc_apt_cache_free(c);
	assert_int_equal(tu_sh("cd '%s' && mv InRelease.orig InRelease", d), 0);

	/* a changed index: its hash no longer matches the signed Release */
	assert_int_equal(tu_sh("cd '%s/main/binary-amd64' && cp Packages.xz P.orig && "
			       "sed 's/deb12u4/deb12u9/' Packages | xz > Packages.xz", d), 0);
	assert_int_equal(fetch(t, port, "bookworm", "key.gpg", &c, &err), SC_EINPUT);
	assert_non_null(strstr(err.msg, "SHA256 mismatch"));
	assert_non_null(strstr(err.file, "Packages.xz"));
	sc_error_clear(&err);
	sc_apt_cache_free(c);
	assert_int_equal(tu_sh("cd '%s/main/binary-amd64' && mv P.orig Packages.xz", d), 0);

	/* an unsigned suite, and a missing one */
	assert_int_equal(tu_sh("cd '%s/repo/debian/dists/bookworm-updates' && rm Release.gpg", t), 0);
	assert_int_equal(fetch(t, port, "bookworm-updates", "key.gpg", &c, &err), SC_EINPUT);
	assert_non_null(strstr(err.msg, "not signed"));
	sc_error_clear(&err);
	sc_apt_cache_free(c);
	assert_int_equal(fetch(t, port, "trixie", "key.gpg", &c, &err), SC_EINPUT);
	assert_non_null(strstr(err.msg, "no InRelease or Release"));
	sc_error_clear(&err);
	sc_apt_cache_free(c);

	/* the outdated check on a root filesystem whose own sources.list and keyring name the server */
	char *rootfs = sc_path_join(t, "rootfs");
	char *src = sc_xasprintf("deb http://127.0.0.1:%d/debian bookworm main\n", port);
	tu_write(rootfs, "etc/apt/sources.list", src);
	tu_write(rootfs, "var/lib/dpkg/status",
		 "Package: libc6\nStatus: install ok installed\nArchitecture: amd64\nVersion: 2.36-9+deb12u3\n\n"
		 "Package: tzdata\nStatus: install ok installed\nArchitecture: all\nVersion: 2025a-0+deb12u1\n");
	/* armored keys, as Debian 12's debian-archive-keyring installs them, one of them the signer's */
	assert_int_equal(tu_sh("mkdir -p '%s/etc/apt/trusted.gpg.d' && cp '%s/key.asc' '%s/etc/apt/trusted.gpg.d/test.asc' && "
			       "cp '%s/other.asc' '%s/etc/apt/trusted.gpg.d/old.asc'",
			       rootfs, t, rootfs, t, rootfs),
			 0);
	struct sc_scan_options so;
	sc_scan_options_init(&so);
	struct sc_fs *fs;
	assert_int_equal(sc_fs_open_dir(rootfs, NULL, &so.limits, &fs, &err), SC_OK);
	struct sc_inventory *inv = sc_inventory_new();
	inv->os_id = "debian";
	inv->os_version = "12";
	char *status;
	size_t slen;
	assert_int_equal(sc_fs_read(fs, "var/lib/dpkg/status", 1u << 20, &status, &slen, &err), SC_OK);
	struct sc_extract_input in = {"var/lib/dpkg/status", (const unsigned char *)status, slen, 1, fs};
	assert_int_equal(sc_extractor_find("dpkg")->extract(&in, inv, &err), SC_OK);
	struct sc_policy *pol = sc_policy_new_default();
	struct sc_result *r = sc_result_new();
	struct sc_scan_ctx ctx = {.opts = &so, .policy = pol, .result = r, .image_fs = fs, .image_inv = inv};
	assert_int_equal(sc_check_find("outdated")->run(&ctx, &err), SC_OK);
	assert_int_equal(r->findings.len, 1);
	assert_non_null(strstr(((struct sc_finding *)r->findings.items[0])->title, "libc6 2.36-9+deb12u3 -> 2.36-9+deb12u4"));
	sc_result_free(r);
	/* without the image's keyring the download is refused */
	assert_int_equal(tu_sh("rm '%s/etc/apt/trusted.gpg.d/test.asc' '%s/etc/apt/trusted.gpg.d/old.asc'", rootfs, rootfs), 0);
	sc_fs_free(fs);
	assert_int_equal(sc_fs_open_dir(rootfs, NULL, &so.limits, &fs, &err), SC_OK);
	ctx.image_fs = fs;
	r = sc_result_new();
	ctx.result = r;
	assert_int_equal(sc_check_find("outdated")->run(&ctx, &err), SC_EINPUT);
	assert_non_null(strstr(err.msg, "keyring"));
	sc_error_clear(&err);
	sc_result_free(r);
	/* the image's own sources unreachable (nothing listens on port 1): a warning, the scan goes on */
	assert_int_equal(tu_sh("cp '%s/key.gpg' '%s/etc/apt/trusted.gpg.d/test.gpg'", t, rootfs), 0);
	tu_write(rootfs, "etc/apt/sources.list", "deb http://127.0.0.1:1/debian bookworm main\n");
	sc_fs_free(fs);
	assert_int_equal(sc_fs_open_dir(rootfs, NULL, &so.limits, &fs, &err), SC_OK);
	ctx.image_fs = fs;
	r = sc_result_new();
	ctx.result = r;
	assert_int_equal(sc_check_find("outdated")->run(&ctx, &err), SC_OK);
	assert_int_equal(r->findings.len, 0);
	assert_int_equal(r->warnings.len, 1);
	assert_non_null(strstr(((struct sc_warning *)r->warnings.items[0])->message, "cannot be downloaded"));
	sc_result_free(r);
	sc_policy_free(pol);
	sc_inventory_free(inv);
	sc_fs_free(fs);
	free(status);
	free(src);
	free(rootfs);

	stop(pid);
	free(d);
	free(root);
	tu_rmtree(t);
	free(t);
}

/* ---- the streaming index scan ---- */

/* A generated Packages index of n stanzas: random (incompressible) description lines, so that its
 * gzip is several MB and the hash runs in the second thread; CRLF lines, whitespace-only
 * separators, fields in varying order and case, one stanza of ~1 MB, and stanzas that straddle
 * the scan's 1 MB windows. */
static char *gen_index(size_t n)
{
	struct sc_strbuf sb;
	sc_strbuf_init(&sb, 1u << 30);
	uint64_t x = 88172645463325252ull;
	for (size_t i = 0; i < n; i++) {
		const char *nl = i % 7 == 3 ? "\r\n" : "\n";
		if (i % 9 == 4)
			sc_strbuf_printf(&sb, "version: %zu.%zu-1%s", i / 5000, i % 13, nl); /* before Package */
		sc_strbuf_printf(&sb, "Package: pkg%zu%s", i % 5000, nl);
		if (i % 3 == 0)
			sc_strbuf_printf(&sb, "Source: src%zu (%zu.0-1)%s", i % 100, i, nl);
		if (i % 9 != 4)
			sc_strbuf_printf(&sb, "Version: %zu.%zu-1%s", i / 5000, i % 13, nl);
		if (i % 4)
			sc_strbuf_printf(&sb, "Architecture: %s%s", i % 2 ? "amd64" : "all", nl);
		sc_strbuf_printf(&sb, "Description: package %zu%s", i, nl);
		size_t lines = i == n / 2 ? 16000 : i % 12; /* one stanza of ~1 MB: the window grows */
		for (size_t k = 0; k < lines; k++) {
			char hex[66];
			for (int j = 0; j < 64; j += 16) {
				x ^= x << 13;
				x ^= x >> 7;
				x ^= x << 17;
				snprintf(hex + j, 17, "%016llx", (unsigned long long)x);
			}
			sc_strbuf_printf(&sb, " %s%s", hex, nl);
		}
		/* fields the scan skips, 'S' fields that are not Source, and (lower-case, after them) a
		 * Source field in some stanzas that had none before */
		if (i % 5 != 1)
			sc_strbuf_printf(&sb, "Section: net%s", nl);
		sc_strbuf_printf(&sb, "Maintainer: Someone <s@example.invalid>%sFilename: pool/p/pkg%zu.deb%s", nl,
				 i, nl);
		if (i % 5 == 2 && i % 3 != 0)
			sc_strbuf_printf(&sb, "source: late%zu%s", i % 100, nl);
		sc_strbuf_printf(&sb, "Size: %zu%sSHA256: %016llx%s", i * 7, nl, (unsigned long long)x, nl);
		if (i % 6 == 1)
			sc_strbuf_printf(&sb, "\tcontinued after a tab%s", nl);
		sc_strbuf_puts(&sb, i % 11 == 5 ? " \t\n" : nl);
	}
	return sc_strbuf_take(&sb);
}

/* The largest index is loaded beside the others (a second thread, a cache of its own, merged):
 * every name's versions come out in the order a load one index after another gives (later
 * index first: ties between equal candidates depend on it), cold and from the parsed-index
 * cache, and a failure is that of the first failing index in the directory's order. */
static void test_lists_parallel(void **state)
{
	(void)state;
	char *t = tu_mkdtemp();
	char *ld = sc_path_join(t, "lists");
	/* a_ (order 0) and c_ (order 2) are small, b_ (order 1) is over 1 MiB */
	assert_int_equal(
		tu_sh("mkdir -p '%s' && cd '%s' && "
		      "printf 'Package: foo\\nVersion: 2.0\\nArchitecture: amd64\\n\\nPackage: bar\\nVersion: 1.0\\nArchitecture: amd64\\n' "
		      "> a_dists_s1_main_binary-amd64_Packages && "
		      "{ printf 'Package: foo\\nVersion: 2.0\\nArchitecture: amd64\\n\\nPackage: bar\\nVersion: 1.1\\nArchitecture: amd64\\n\\n'; "
		      "seq 1 12000 | awk '{printf \"Package: pkg%%05d\\nVersion: 1.%%d\\nArchitecture: amd64\\nDescription: filler text to make this index large enough\\n\\n\", $1 %% 6000, $1}'; } "
		      "> b_dists_s2_main_binary-amd64_Packages && "
		      "printf 'Package: foo\\nVersion: 1.5\\nArchitecture: amd64\\n\\nPackage: pkg00007\\nVersion: 9\\nArchitecture: amd64\\n' "
		      "> c_dists_s3_main_binary-amd64_Packages && "
		      "for x in a:s1 b:s2 c:s3; do p=${x%%%%:*}; s=${x#*:}; f=${p}_dists_${s}_main_binary-amd64_Packages; "
		      "printf 'Suite: %%s\\nSHA256:\\n %%s %%s main/binary-amd64/Packages\\n' $s $(sha256sum < $f | cut -d' ' -f1) "
		      "$(stat -c %%s $f) > ${p}_dists_${s}_Release; done && test $(stat -c %%s b_dists_s2_main_binary-amd64_Packages) -gt 1100000",
		      ld, ld),
		0);
	char *cd = sc_path_join(t, "cache");
	for (int pass = 0; pass < 3; pass++) { /* no cache, cache filled, cache read */
		struct sc_apt_cache *c = sc_apt_cache_new();
		c->cache_dir = pass ? cd : NULL;
		struct sc_error err = {0};
		assert_int_equal(sc_apt_cache_load_lists(c, ld, &err), SC_OK);
		assert_int_equal(c->indexes.len, 3);
		for (unsigned i = 0; i < 3; i++) {
			const struct sc_apt_index *ix = c->indexes.items[i];
			assert_int_equal(ix->order, i);
			assert_non_null(strstr(ix->path, i == 0 ? "/a_" : i == 1 ? "/b_" : "/c_"));
		}
		assert_int_equal(c->n_versions, 4 + 12000 + 2);
		const struct sc_apt_version *v = sc_apt_cache_get(c, "foo");
		assert_string_equal(v->version, "1.5");
		assert_int_equal(v->index->order, 2);
		assert_string_equal(v->next->version, "2.0");
		assert_int_equal(v->next->index->order, 1);
		assert_int_equal(v->next->next->index->order, 0);
		assert_null(v->next->next->next);
		/* pkg00007 twice in b (in reverse stanza order: 1.6007 then 1.7), once in c before them */
		v = sc_apt_cache_get(c, "pkg00007");
		assert_string_equal(v->version, "9");
		assert_string_equal(v->next->version, "1.6007");
		assert_string_equal(v->next->next->version, "1.7");
		/* every list: index order never increases */
		size_t it = 0;
		const char *key;
		void *val;
		while (sc_map_next(c->by_name, &it, &key, &val))
			for (const struct sc_apt_version *x = val; x->next; x = x->next)
				assert_true(x->index->order >= x->next->index->order);
		sc_apt_cache_free(c);
	}
	/* cache upkeep: entries no run used for 30 days and temporary files older than a day go, an
	 * entry in use stays (and is touched), files that are not the cache's are left alone */
	assert_int_equal(tu_sh("cd '%s/' && test $(ls *.idx | wc -l) = 3 && touch -d '40 days ago' *.idx && "
			       "for f in dead.idx dead.sig-ok crash.idx.1.tmp README; do echo x > $f; done && "
			       "echo x > fresh.idx.2.tmp && ln -s /etc/passwd link.idx && "
			       "touch -h -d '40 days ago' dead.idx dead.sig-ok README link.idx && touch -d '2 days ago' crash.idx.1.tmp",
			       cd),
			 0);
	{
		struct sc_apt_cache *c = sc_apt_cache_new();
		c->cache_dir = cd;
		struct sc_error err = {0};
		assert_int_equal(sc_apt_cache_load_lists(c, ld, &err), SC_OK);
		assert_int_equal(c->n_versions, 4 + 12000 + 2);
		sc_apt_cache_free(c);
		assert_int_equal(tu_sh("cd '%s' && test ! -e dead.idx && test ! -e dead.sig-ok && test ! -e crash.idx.1.tmp && "
				       "test -e fresh.idx.2.tmp && test -e README && test -L link.idx && "
				       "test $(find . -name '*.idx' -type f | wc -l) = 3 && test -z \"$(find . -name '*.idx' -type f -mtime +1)\"",
				       cd),
				 0);
	}
	/* a tampered big index and a tampered small one after it: the big one's error; then the small
	 * one before it too: that one's */
	for (int k = 0; k < 2; k++) {
		assert_int_equal(tu_sh("cd '%s' && printf 'Package: evil\\nVersion: 1\\n\\n' >> %s_main_binary-amd64_Packages", ld,
				       k == 0 ? "c_dists_s3" : "a_dists_s1"),
				 0);
		if (k == 0)
			assert_int_equal(tu_sh("cd '%s' && sed -i 's/^Version: 1.1$/Version: 6.6/' b_dists_s2_main_binary-amd64_Packages", ld), 0);
		struct sc_apt_cache *c = sc_apt_cache_new();
		struct sc_error err = {0};
		assert_int_equal(sc_apt_cache_load_lists(c, ld, &err), SC_EINPUT);
		assert_non_null(strstr(err.file, k == 0 ? "/b_dists" : "/a_dists"));
		assert_non_null(strstr(err.msg, "mismatch"));
		sc_error_clear(&err);
		sc_apt_cache_free(c);
	}
	tu_rmtree(t);
	free(cd);
	free(ld);
	free(t);
}

/* Every version of every generated name, as "name version arch source source_version" lines. */
static char *dump(const struct sc_apt_cache *c)
{
	struct sc_strbuf sb;
	sc_strbuf_init(&sb, 1u << 30);
	for (size_t i = 0; i < 5000; i++) {
		char name[32];
		snprintf(name, sizeof(name), "pkg%zu", i);
		for (const struct sc_apt_version *v = sc_apt_cache_get(c, name); v; v = v->next)
			sc_strbuf_printf(&sb, "%s %s %s %s %s\n", v->name, v->version, v->arch, v->source ? v->source : "-",
					 v->source_version ? v->source_version : "-");
	}
	char *s = sc_strbuf_take(&sb);
	return s ? s : sc_xstrdup("");
}

static void test_index_scan(void **state)
{
	(void)state;
	char *t = tu_mkdtemp();
	char *text = gen_index(30000);
	size_t len = strlen(text);
	tu_write(t, "P", text);
	char hex[65];
	sc_sha256_hex(text, len, hex);
	char *reltext = sc_xasprintf("Suite: x\nSHA256:\n %s %zu main/binary-amd64/Packages\n", hex, len);
	struct sc_arena *a = sc_arena_new();
	struct sc_apt_release *rel = NULL;
	struct sc_error err = {0};
	assert_int_equal(sc_apt_release_parse(a, "Release", reltext, strlen(reltext), &rel, &err), SC_OK);
	assert_int_equal(tu_sh("cd '%s' && gzip -nk P && lz4 -q P P.lz4", t), 0);

	/* the reference: the whole-file parser */
	struct sc_apt_cache *ref = sc_apt_cache_new();
	struct sc_apt_index pidx = {"P", NULL, "main", "amd64", 0};
	assert_int_equal(sc_apt_packages_parse(ref, &pidx, text, len, &err), SC_OK);
	assert_int_equal(ref->n_versions, 30000);
	char *want = dump(ref);

	static const char *const names[] = {"P", "P.gz", "P.lz4"};
	for (size_t i = 0; i < 3; i++) {
		char *path = sc_path_join(t, names[i]);
		char *raw = NULL;
		size_t rlen = 0;
		assert_int_equal(sc_read_file(path, 1u << 30, &raw, &rlen, &err), SC_OK);
		if (i == 1) /* big enough for the hash thread */
			assert_true(rlen >= (4u << 20));
		struct sc_apt_cache *c = sc_apt_cache_new();
		struct sc_apt_index idx = {path, rel, "main", "amd64", 0};
		struct sc_bigbuf table;
		sc_bigbuf_init(&table, 1u << 30);
		/* the table kept in memory and written to a file by the hashing thread */
		char *tpath = sc_path_join(t, "table.out");
		int tfd = open(tpath, O_WRONLY | O_CREAT | O_TRUNC, 0600);
		assert_true(tfd >= 0);
		struct sc_apt_table tab = {.mem = &table, .fd = tfd, .ok = true};
		if (sc_apt_index_scan(c, &idx, rel, "main/binary-amd64/Packages", raw, rlen, &tab, &err) != SC_OK)
			fail_msg("%s: %s", names[i], err.msg);
		assert_true(tab.ok);
		assert_int_equal(tab.lines, 30000);
		close(tfd);
		char *written = NULL;
		size_t wlen = 0;
		assert_int_equal(sc_read_file(tpath, 1u << 30, &written, &wlen, &err), SC_OK);
		assert_int_equal(wlen, table.len);
		assert_memory_equal(written, table.buf, wlen);
		free(written);
		char *got = dump(c);
		assert_string_equal(got, want);
		free(got);
		/* read from the file itself (a compressed one a chunk at a time): the same versions */
		struct sc_apt_cache *c2 = sc_apt_cache_new();
		struct sc_bigbuf table2;
		sc_bigbuf_init(&table2, 1u << 30);
		struct sc_apt_table tab2 = {.mem = &table2, .fd = -1, .ok = true};
		if (sc_apt_index_scan_file(c2, &idx, rel, "main/binary-amd64/Packages", &tab2, &err) != SC_OK)
			fail_msg("%s: %s", names[i], err.msg);
		got = dump(c2);
		assert_string_equal(got, want);
		free(got);
		assert_true(tab2.ok);
		assert_int_equal(table2.len, table.len);
		assert_memory_equal(table2.buf, table.buf, table.len);
		sc_bigbuf_free(&table2);
		sc_apt_cache_free(c2);
		free(tpath);
		/* the table: one line per stanza, the same fields */
		size_t lines = 0;
		for (const char *q = table.buf; q && (q = strchr(q, '\n')); q++)
			lines++;
		assert_int_equal(lines, 30000);
		assert_non_null(strstr(table.buf, "\npkg3\t0.3-1\tamd64\tsrc3\t3.0-1\n"));
		assert_non_null(strstr(table.buf, "\npkg4\t0.4-1\t\t\t\n")); /* no arch, no source */
		assert_non_null(strstr(table.buf, "\npkg7\t0.7-1\tamd64\tlate7\t\n")); /* Source after Size */
		sc_bigbuf_free(&table);
		sc_apt_cache_free(c);

		/* only the wanted names are kept */
		c = sc_apt_cache_new();
		struct sc_map *wanted = sc_map_new();
		sc_map_put(wanted, "pkg3", (void *)1);
		sc_map_put(wanted, "pkg4999", (void *)1);
		c->wanted = wanted;
		assert_int_equal(sc_apt_index_scan(c, &idx, rel, "main/binary-amd64/Packages", raw, rlen, NULL, &err),
				 SC_OK);
		assert_int_equal(c->n_versions, 12);
		assert_string_equal(sc_apt_cache_get(c, "pkg3")->version, "5.4-1"); /* i = 25003 */
		assert_null(sc_apt_cache_get(c, "pkg5"));
		sc_map_free(wanted);
		sc_apt_cache_free(c);
		free(raw);
		free(path);
	}

	/* a broken stanza in a changed index: the hash mismatch is the error, not the stanza */
	char *at = strstr(text, "\nPackage: pkg4242\n");
	assert_non_null(at);
	at[8] = ';'; /* "Package; pkg4242": no colon */
	unsigned line = 2;
	for (const char *q = text; q < at; q++)
		line += *q == '\n';
	tu_write(t, "Q", text);
	assert_int_equal(tu_sh("cd '%s' && gzip -nk Q", t), 0);
	char *qgz = sc_path_join(t, "Q.gz");
	char *raw = NULL;
	size_t rlen = 0;
	assert_int_equal(sc_read_file(qgz, 1u << 30, &raw, &rlen, &err), SC_OK);
	struct sc_apt_cache *c = sc_apt_cache_new();
	struct sc_apt_index qidx = {qgz, rel, "main", "amd64", 0};
	struct sc_bigbuf table;
	sc_bigbuf_init(&table, 1u << 30);
	struct sc_apt_table tab = {.mem = &table, .fd = -1, .ok = true};
	assert_int_equal(sc_apt_index_scan(c, &qidx, rel, "main/binary-amd64/Packages", raw, rlen, &tab, &err),
			 SC_EINPUT);
	assert_non_null(strstr(err.msg, "SHA256 mismatch"));
	assert_false(tab.ok);
	sc_error_clear(&err);
	/* the same, read from the file */
	tab.ok = true;
	assert_int_equal(sc_apt_index_scan_file(c, &qidx, rel, "main/binary-amd64/Packages", &tab, &err), SC_EINPUT);
	assert_non_null(strstr(err.msg, "SHA256 mismatch"));
	assert_false(tab.ok);
	sc_error_clear(&err);
	/* without a Release file: the stanza's error, with its line in the whole index */
	assert_int_equal(sc_apt_index_scan(c, &qidx, NULL, NULL, raw, rlen, NULL, &err), SC_EINPUT);
	assert_non_null(strstr(err.msg, "Field: value"));
	assert_string_equal(err.file, qgz);
	assert_int_equal(err.line, line);
	sc_error_clear(&err);
	/* an index the Release file does not name is refused */
	assert_int_equal(sc_apt_index_scan(c, &qidx, rel, "main/binary-i386/Packages", raw, rlen, NULL, &err),
			 SC_EINPUT);
	assert_non_null(strstr(err.msg, "no SHA256 entry"));
	sc_error_clear(&err);
	/* a truncated compressed file */
	assert_int_equal(sc_apt_index_scan(c, &qidx, NULL, NULL, raw, rlen / 2, NULL, &err), SC_EINPUT);
	assert_non_null(strstr(err.msg, "decompress"));
	sc_error_clear(&err);
	sc_bigbuf_free(&table);
	sc_apt_cache_free(c);
	free(raw);
	free(qgz);

	sc_apt_cache_free(ref);
	free(want);
	sc_arena_free(a);
	free(reltext);
	free(text);
	tu_rmtree(t);
	free(t);
}

/* Line numbers when the block-wise skipping stops inside a line near the end of the buffer (found
 * by fuzz_apt's differential check: the 32-byte path counted the newlines before the stop twice
 * and put this error on line 10): the same line with both paths, and the last stanza's line right. */
static void test_index_scan_lines_near_end(void **state)
{
	(void)state;
	static const char text[] = "Package: libc6\nVersion: 1.0\nArchitecture: amd64\n"
				   "Filename: pool/main/g/glibc/libc6_1.0_amd64.deb\nPriority: optional\n"
				   "Size: 12345\n\nc6\nVersion: 2";
	for (int k = 0; k < 2; k++) {
		if (k == 0)
			setenv("SHIPCHECK_SIMD", "sse2", 1);
		struct sc_apt_cache *c = sc_apt_cache_new();
		struct sc_apt_index idx = {"Packages", NULL, "main", "amd64", 0};
		struct sc_error err = {0};
		assert_int_equal(sc_apt_index_scan(c, &idx, NULL, NULL, text, sizeof(text) - 1, NULL, &err), SC_EINPUT);
		assert_int_equal(err.line, 8);
		assert_non_null(strstr(err.msg, "Field: value"));
		sc_error_clear(&err);
		sc_apt_cache_free(c);
		unsetenv("SHIPCHECK_SIMD");
	}
}

/* The same with the 16-byte line skipping this machine would not pick (AVX2 is preferred). */
static void test_index_scan_sse2(void **state)
{
	setenv("SHIPCHECK_SIMD", "sse2", 1);
	test_index_scan(state);
	unsetenv("SHIPCHECK_SIMD");
}

/* Appends n KiB of 'x' (the body of a continuation line). */
static void append_kb(struct sc_strbuf *sb, int n)
{
	char kb[1024];
	memset(kb, 'x', sizeof(kb));
	for (int i = 0; i < n; i++)
		sc_strbuf_append(sb, kb, sizeof(kb));
}

/* A stanza larger than a decompression window (here 9 MB, with a continuation line) grows the
 * window and is scanned whole; one longer than the 16 MB limit is an error naming its line. */
static void test_index_scan_big_stanza(void **state)
{
	(void)state;
	char *t = tu_mkdtemp();
	struct sc_strbuf sb;
	sc_strbuf_init(&sb, 1u << 30);
	sc_strbuf_puts(&sb, "Package: pkg1\nVersion: 1.0-1\nArchitecture: amd64\n\n");
	sc_strbuf_puts(&sb, "Package: pkg2\nVersion: 2.0-1\nArchitecture: amd64\nDescription: big\n ");
	append_kb(&sb, 9 << 10);
	sc_strbuf_puts(&sb, "\nSource: src2 (2.0-0)\n\nPackage: pkg3\nVersion: 3.0-1\nArchitecture: all\n");
	tu_write(t, "B", sc_strbuf_str(&sb));
	assert_int_equal(tu_sh("cd '%s' && gzip -n1k B", t), 0);
	char *path = sc_path_join(t, "B.gz");
	struct sc_apt_cache *c = sc_apt_cache_new();
	struct sc_apt_index idx = {path, NULL, "main", "amd64", 0};
	struct sc_bigbuf table;
	sc_bigbuf_init(&table, 1u << 30);
	struct sc_apt_table tab = {.mem = &table, .fd = -1, .ok = true};
	struct sc_error err = {0};
	if (sc_apt_index_scan_file(c, &idx, NULL, NULL, &tab, &err) != SC_OK)
		fail_msg("%s", err.msg);
	assert_true(tab.ok);
	assert_int_equal(tab.lines, 3);
	assert_string_equal(table.buf, "pkg1\t1.0-1\tamd64\t\t\npkg2\t2.0-1\tamd64\tsrc2\t2.0-0\npkg3\t3.0-1\tall\t\t\n");
	assert_string_equal(sc_apt_cache_get(c, "pkg2")->source, "src2");
	assert_string_equal(sc_apt_cache_get(c, "pkg3")->version, "3.0-1");
	sc_bigbuf_free(&table);
	sc_apt_cache_free(c);
	/* past the limit: 17 MB in one stanza */
	sc_strbuf_reset(&sb);
	sc_strbuf_puts(&sb, "Package: pkg1\nVersion: 1.0-1\n\nPackage: pkg2\nVersion: 2.0-1\nDescription: big\n ");
	append_kb(&sb, 17 << 10);
	sc_strbuf_puts(&sb, "\n");
	tu_write(t, "B", sc_strbuf_str(&sb));
	assert_int_equal(tu_sh("cd '%s' && rm B.gz && gzip -n1k B", t), 0);
	c = sc_apt_cache_new();
	assert_int_equal(sc_apt_index_scan_file(c, &idx, NULL, NULL, NULL, &err), SC_ELIMIT);
	assert_non_null(strstr(err.msg, "a stanza longer than"));
	assert_int_equal(err.line, 4);
	sc_error_clear(&err);
	sc_apt_cache_free(c);
	sc_strbuf_free(&sb);
	free(path);
	tu_rmtree(t);
	free(t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_release),
		cmocka_unit_test(test_packages_and_compression),
		cmocka_unit_test(test_index_scan),
		cmocka_unit_test(test_index_scan_sse2),
		cmocka_unit_test(test_index_scan_lines_near_end),
		cmocka_unit_test(test_index_scan_big_stanza),
		cmocka_unit_test(test_sources_and_prefs),
		cmocka_unit_test(test_fetch),
		cmocka_unit_test(test_lists_parallel),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
