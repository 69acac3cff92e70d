/* fetch.c - downloads apt suites with libcurl (InRelease, else Release + Release.gpg, then the
 * Packages indexes), verifies signatures with the host's gpgv and index hashes against Release. */
#include "sc_curl.h"
#include "shipcheck/sc_apt.h"

#include <sys/stat.h>
#include <sys/wait.h>

#include <openssl/evp.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <spawn.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

extern char **environ;

static const char *find_gpgv(void)
{
	static const char *const where[] = {"/usr/bin/gpgv", "/bin/gpgv", "/usr/local/bin/gpgv", NULL};
	for (size_t i = 0; where[i]; i++)
		if (access(where[i], X_OK) == 0)
			return where[i];
	return NULL;
}

static void add_keyring(struct sc_ptrvec *args, const char *path)
{
	char abs[PATH_MAX];
	if (!realpath(path, abs))
		return;
	sc_ptrvec_push(args, sc_xstrdup("--keyring"));
	sc_ptrvec_push(args, sc_xstrdup(abs));
}

/* Writes a file for gpgv into our private temporary directory (no fsync: it lives for one call). */
static enum sc_status write_temp(const char *path, const void *data, size_t len, struct sc_error *err);

#define ARMOR_BEGIN "-----BEGIN PGP PUBLIC KEY BLOCK-----"

unsigned char *sc_apt_dearmor(const char *data, size_t len, size_t *outlen)
{
	size_t blen = strlen(ARMOR_BEGIN);
	unsigned char *out = NULL;
	size_t n = 0;
	const char *p = data, *end = data + len;
	for (;;) {
		const char *b = memmem(p, (size_t)(end - p), ARMOR_BEGIN, blen);
		if (!b)
			break;
		p = b + blen;
		const char *eol = memchr(p, '\n', (size_t)(end - p));
		p = eol ? eol + 1 : end; /* the headers start on the next line */
		bool body = false;
		/* room for all the rest decoded, once: the decoder keeps up to 63 characters between
		 * calls and then writes whole 48-byte blocks, more than one line's share */
		out = sc_xrealloc(out, n + (size_t)(end - p) + 96);
		EVP_ENCODE_CTX *ctx = EVP_ENCODE_CTX_new();
		EVP_DecodeInit(ctx);
		bool ok = true;
		while (p < end) {
			const char *nl = memchr(p, '\n', (size_t)(end - p));
			const char *le = nl ? nl : end;
			const char *ls = p;
			p = nl ? nl + 1 : end;
			while (le > ls && (le[-1] == '\r' || le[-1] == ' ' || le[-1] == '\t'))
				le--;
			if (le - ls >= 5 && !memcmp(ls, "-----", 5))
				break; /* END */
			if (!body) { /* headers (`Comment: ...`) up to a blank line */
				if (ls == le)
					body = true;
				else if (!memchr(ls, ':', (size_t)(le - ls))) {
					body = true; /* no blank line: this is already base64 */
					p = ls;
				}
				continue;
			}
			if (le - ls == 5 && *ls == '=')
				continue; /* the CRC24 line: the packets carry their own integrity */
			if (le - ls > 1024) {
				ok = false;
				break;
			}
			int got = 0;
			if (EVP_DecodeUpdate(ctx, out + n, &got, (const unsigned char *)ls, (int)(le - ls)) < 0) {
				ok = false;
				break;
			}
			n += (size_t)got;
		}
		int got = 0;
		if (ok) {
			if (EVP_DecodeFinal(ctx, out + n, &got) < 0)
				ok = false;
			else
				n += (size_t)got;
		}
		EVP_ENCODE_CTX_free(ctx);
		if (!ok) {
			free(out);
			return NULL;
		}
	}
	if (!n) {
		free(out);
		return NULL;
	}
	*outlen = n;
	return out;
}

/* Adds a keyring for gpgv: a binary keyring as it is, an armored one (`.asc`) dearmored into the
 * private directory first. Returns whether one was added. */
static bool add_key_file(struct sc_ptrvec *args, const char *dir, size_t *nkeys, const char *path)
{
	char *data = NULL;
	size_t len = 0;
	struct sc_error err = {0};
	if (sc_read_file(path, 16u << 20, &data, &len, &err) != SC_OK) {
		sc_error_clear(&err);
		return false;
	}
	size_t i = 0;
	while (i < len && (data[i] == ' ' || data[i] == '\t' || data[i] == '\r' || data[i] == '\n'))
		i++;
	bool added = false;
	if (len - i >= 10 && !memcmp(data + i, "-----BEGIN", 10)) {
		size_t blen = 0;
		unsigned char *bin = sc_apt_dearmor(data, len, &blen);
		if (bin) {
			char *p = sc_xasprintf("%s/key%zu.gpg", dir, *nkeys);
			if (write_temp(p, bin, blen, &err) == SC_OK) {
				add_keyring(args, p);
				added = true;
			}
			sc_error_clear(&err);
			free(p);
			free(bin);
		}
	} else {
		add_keyring(args, path);
		added = true;
	}
	free(data);
	*nkeys += added;
	return added;
}

static enum sc_status write_temp(const char *path, const void *data, size_t len, struct sc_error *err)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
	if (fd < 0)
		return sc_error_set(err, SC_EIO, path, 0, 0, "cannot create: %s", strerror(errno));
	const char *p = data;
	while (len) {
		ssize_t n = write(fd, p, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			close(fd);
			return sc_error_set(err, SC_EIO, path, 0, 0, "write failed");
		}
		p += n;
		len -= (size_t)n;
	}
	if (close(fd) != 0)
		return sc_error_set(err, SC_EIO, path, 0, 0, "write failed");
	return SC_OK;
}

enum sc_status sc_apt_verify_signature(const char *path, const void *data, size_t len, const void *sig,
				       size_t sig_len, const char *const *keyrings, struct sc_error *err)
{
	const char *gpgv = find_gpgv();
	if (!gpgv)
		return sc_error_set(err, SC_EINPUT, path, 0, 0,
				    "cannot verify the signature: gpgv is not installed on this host");
	char tmpl[] = "/tmp/shipcheck-gpgv.XXXXXX";
	char *dir = mkdtemp(tmpl);
	if (!dir)
		return sc_error_set(err, SC_EIO, path, 0, 0, "cannot create a temporary directory");
	enum sc_status st = SC_OK;
	struct sc_ptrvec args = {0};
	size_t nkeys = 0;
	char *datafile = sc_xasprintf("%s/data", dir);
	char *sigfile = sc_xasprintf("%s/data.sig", dir);
	char *logfile = sc_xasprintf("%s/log", dir);
	st = write_temp(datafile, data, len, err);
	if (st == SC_OK && sig)
		st = write_temp(sigfile, sig, sig_len, err);
	if (st != SC_OK)
		goto out;
	sc_ptrvec_push(&args, sc_xstrdup(gpgv));
	sc_ptrvec_push(&args, sc_xstrdup("--homedir"));
	sc_ptrvec_push(&args, sc_xstrdup(dir));
	for (size_t i = 0; keyrings && keyrings[i]; i++) {
		struct stat sb;
		if (stat(keyrings[i], &sb) != 0)
			continue;
		if (S_ISDIR(sb.st_mode)) {
			DIR *d = opendir(keyrings[i]);
			struct dirent *de;
			while (d && (de = readdir(d))) {
				/* as apt reads trusted.gpg.d: binary .gpg and armored .asc keys */
				if (sc_str_has_suffix(de->d_name, ".gpg") || sc_str_has_suffix(de->d_name, ".asc")) {
					char *p = sc_path_join(keyrings[i], de->d_name);
					add_key_file(&args, dir, &nkeys, p);
					free(p);
				}
			}
			if (d)
				closedir(d);
		} else {
			add_key_file(&args, dir, &nkeys, keyrings[i]);
		}
	}
	if (!nkeys) {
		st = sc_error_set(err, SC_EINPUT, path, 0, 0, "cannot verify the signature: no keyring");
		goto out;
	}
	sc_ptrvec_push(&args, sc_xstrdup(sig ? sigfile : datafile));
	if (sig)
		sc_ptrvec_push(&args, sc_xstrdup(datafile));
	sc_ptrvec_push(&args, NULL);
	posix_spawn_file_actions_t fa;
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
	posix_spawn_file_actions_addopen(&fa, 1, logfile, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	posix_spawn_file_actions_adddup2(&fa, 1, 2);
	pid_t pid;
	int rc = posix_spawn(&pid, gpgv, &fa, NULL, (char *const *)args.items, environ);
	posix_spawn_file_actions_destroy(&fa);
	if (rc != 0) {
		st = sc_error_set(err, SC_EIO, path, 0, 0, "cannot run gpgv");
		goto out;
	}
	int status = 0;
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR) {
			status = -1;
			break;
		}
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		char *log = NULL;
		size_t loglen = 0;
		struct sc_error lerr = {0};
		sc_read_file(logfile, 4096, &log, &loglen, &lerr);
		sc_error_clear(&lerr);
		/* the last line of gpgv's output says why */
		const char *why = "bad signature";
		if (log && loglen) {
			while (loglen && (log[loglen - 1] == '\n' || log[loglen - 1] == '\r'))
				log[--loglen] = '\0';
			const char *nl = strrchr(log, '\n');
			why = nl ? nl + 1 : log;
		}
		st = sc_error_set(err, SC_EINPUT, path, 0, 0, "OpenPGP signature check failed: %s", why);
		free(log);
	}
out:
	for (size_t i = 0; i < args.len; i++)
		free(args.items[i]);
	sc_ptrvec_free(&args);
	unlink(datafile);
	unlink(sigfile);
	unlink(logfile);
	for (size_t i = 0; i < nkeys; i++) { /* dearmored keys */
		char *k = sc_xasprintf("%s/key%zu.gpg", dir, i);
		unlink(k);
		free(k);
	}
	rmdir(dir);
	free(datafile);
	free(sigfile);
	free(logfile);
	return st;
}

/* ---- downloads ---- */

struct body {
	struct sc_strbuf sb;
	bool too_big;
};

static size_t on_data(char *ptr, size_t size, size_t nmemb, void *ud)
{
	struct body *b = ud;
	size_t n = size * nmemb;
	if (sc_strbuf_append(&b->sb, ptr, n) != SC_OK) {
		b->too_big = true;
		return 0;
	}
	return n;
}

/* GET url into *out (malloc'd). *code is the HTTP status (0 when no answer). */
static enum sc_status get(const char *url, uint64_t limit, char **out, size_t *len, long *code,
			  struct sc_error *err)
{
	*out = NULL;
	*len = 0;
	*code = 0;
	CURL *c = curl_easy_init();
	if (!c)
		return sc_error_set(err, SC_EINTERNAL, url, 0, 0, "cannot initialise libcurl: %s", sc_curl_load_error());
	struct body b = {0};
	sc_strbuf_init(&b.sb, (size_t)limit);
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_data);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, &b);
	curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 1L);
	curl_easy_setopt(c, CURLOPT_MAXREDIRS, 5L);
#if LIBCURL_VERSION_NUM >= 0x075500
	curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(c, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
#endif
	curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, 30L);
	curl_easy_setopt(c, CURLOPT_LOW_SPEED_LIMIT, 1024L);
	curl_easy_setopt(c, CURLOPT_LOW_SPEED_TIME, 60L);
	curl_easy_setopt(c, CURLOPT_USERAGENT, "shipcheck");
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	CURLcode rc = curl_easy_perform(c);
	enum sc_status st = SC_OK;
	if (b.too_big) {
		st = sc_error_set(err, SC_ELIMIT, url, 0, 0, "larger than %llu bytes", (unsigned long long)limit);
	} else if (rc != CURLE_OK) {
		st = sc_error_set(err, SC_EIO, url, 0, 0, "download failed: %s", curl_easy_strerror(rc));
	} else {
		curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, code);
		*len = b.sb.len;
		*out = sc_strbuf_take(&b.sb);
		if (!*out)
			*out = sc_xstrdup("");
	}
	sc_strbuf_free(&b.sb);
	curl_easy_cleanup(c);
	return st;
}

static const char *host_of(struct sc_arena *a, const char *uri)
{
	const char *p = strstr(uri, "://");
	if (!p)
		return NULL;
	p += 3;
	const char *at = NULL;
	size_t n = strcspn(p, "/");
	at = memchr(p, '@', n);
	if (at) {
		n -= (size_t)(at + 1 - p);
		p = at + 1;
	}
	size_t colon = strcspn(p, ":/");
	if (colon < n)
		n = colon;
	return sc_arena_strndup(a, p, n);
}

static bool release_lists(const struct sc_apt_release *rel, const char *name)
{
	for (size_t i = 0; i < rel->n_hashes; i++)
		if (!strcmp(rel->hashes[i].name, name))
			return true;
	return false;
}

static enum sc_status fetch_suite(struct sc_apt_cache *c, const struct sc_apt_source *s, const char *arch,
				  const char *const *keyrings, struct sc_error *err)
{
	struct sc_arena *a = c->arena;
	size_t slen = strlen(s->suite);
	bool flat = slen && s->suite[slen - 1] == '/';
	const char *base = flat ? sc_arena_printf(a, "%s/%.*s", s->uri, (int)(slen - 1), s->suite)
				: sc_arena_printf(a, "%s/dists/%s", s->uri, s->suite);
	if (flat && !strcmp(s->suite, "./"))
		base = s->uri;
	const char *my_keys[2] = {s->signed_by, NULL};
	const char *const *keys = keyrings && keyrings[0] ? keyrings : s->signed_by ? my_keys : keyrings;
	char *data = NULL, *sig = NULL, *idx = NULL, *plain = NULL;
	size_t len = 0, sig_len = 0, ilen = 0, plen = 0;
	long code = 0;
	enum sc_status st;
	struct sc_apt_release *rel = NULL;
	char *url = sc_xasprintf("%s/InRelease", base);
	st = get(url, SC_APT_MAX_RELEASE, &data, &len, &code, err);
	if (st != SC_OK)
		goto out;
	if (code == 200) {
		st = sc_apt_verify_signature(url, data, len, NULL, 0, keys, err);
		if (st != SC_OK)
			goto out;
		st = sc_apt_release_parse(a, url, data, len, &rel, err);
		if (st != SC_OK)
			goto out;
		if (!rel->signed_inline) {
			st = sc_error_set(err, SC_EINPUT, url, 1, 1, "InRelease is not a clearsigned message");
			goto out;
		}
	} else {
		free(data);
		data = NULL;
		free(url);
		url = sc_xasprintf("%s/Release", base);
		st = get(url, SC_APT_MAX_RELEASE, &data, &len, &code, err);
		if (st != SC_OK)
			goto out;
		if (code != 200) {
			st = sc_error_set(err, SC_EINPUT, url, 0, 0,
					  "no InRelease or Release file (HTTP %ld) for suite %s (%s:%u)", code,
					  s->suite, s->path, s->line);
			goto out;
		}
		char *sigurl = sc_xasprintf("%s.gpg", url);
		st = get(sigurl, 1u << 20, &sig, &sig_len, &code, err);
		if (st == SC_OK && code != 200)
			st = sc_error_set(err, SC_EINPUT, sigurl, 0, 0,
					  "Release file is not signed (HTTP %ld for Release.gpg)", code);
		free(sigurl);
		if (st != SC_OK)
			goto out;
		st = sc_apt_verify_signature(url, data, len, sig, sig_len, keys, err);
		if (st != SC_OK)
			goto out;
		st = sc_apt_release_parse(a, url, data, len, &rel, err);
		if (st != SC_OK)
			goto out;
	}
	rel->site = host_of(a, s->uri);
	sc_ptrvec_push(&c->releases, rel);

	size_t nc = 0;
	while (s->components[nc])
		nc++;
	for (size_t i = 0; i < (flat ? 1 : nc); i++) {
		const char *rname = flat ? "Packages"
					 : sc_arena_printf(a, "%s/binary-%s/Packages", s->components[i], arch);
		static const char *const exts[] = {".xz", ".gz", "", NULL};
		const char *ext = NULL;
		for (size_t k = 0; exts[k] && !ext; k++)
			if (release_lists(rel, sc_arena_printf(a, "%s%s", rname, exts[k])))
				ext = exts[k];
		if (!ext) {
			st = sc_error_set(err, SC_EINPUT, rel->path, 0, 0,
					  "suite %s has no index %s (component or architecture not in the "
					  "repository?)",
					  s->suite, rname);
			goto out;
		}
		free(url);
		url = sc_xasprintf("%s/%s%s", base, rname, ext);
		free(idx);
		idx = NULL;
		st = get(url, SC_APT_MAX_INDEX, &idx, &ilen, &code, err);
		if (st != SC_OK)
			goto out;
		if (code != 200) {
			st = sc_error_set(err, SC_EINPUT, url, 0, 0, "HTTP %ld", code);
			goto out;
		}
		/* the downloaded bytes first, then the decompressed index when it is listed too */
		st = sc_apt_release_verify(rel, sc_arena_printf(a, "%s%s", rname, ext), url, idx, ilen, err);
		if (st != SC_OK)
			goto out;
		free(plain);
		plain = NULL;
		st = sc_apt_decompress(url, idx, ilen, SC_APT_MAX_INDEX, &plain, &plen, err);
		if (st != SC_OK)
			goto out;
		if (*ext && release_lists(rel, rname)) {
			st = sc_apt_release_verify(rel, rname, url, plain, plen, err);
			if (st != SC_OK)
				goto out;
		}
		struct sc_apt_index *ix = sc_arena_alloc(a, sizeof(*ix));
		ix->path = sc_arena_strdup(a, url);
		ix->release = rel;
		ix->component = flat ? NULL : s->components[i];
		ix->arch = arch;
		ix->order = (unsigned)c->indexes.len;
		sc_ptrvec_push(&c->indexes, ix);
		st = sc_apt_packages_parse(c, ix, plain, plen, err);
		if (st != SC_OK)
			goto out;
	}
out:
	free(url);
	free(data);
	free(sig);
	free(idx);
	free(plain);
	return st;
}

enum sc_status sc_apt_cache_fetch(struct sc_apt_cache *c, const struct sc_ptrvec *sources, const char *arch,
				  const char *const *keyrings, struct sc_error *err)
{
	static bool inited;
	if (!inited) {
		curl_global_init(CURL_GLOBAL_DEFAULT);
		inited = true;
	}
	for (size_t i = 0; i < sources->len; i++) {
		const struct sc_apt_source *s = sources->items[i];
		if (strncmp(s->uri, "http://", 7) && strncmp(s->uri, "https://", 8)) {
			char *w = sc_arena_printf(c->arena, "%s:%u: %s: only http and https sources are downloaded, skipped",
						  s->path, s->line, s->uri);
			sc_ptrvec_push(&c->warnings, w);
			continue;
		}
		enum sc_status st = fetch_suite(c, s, arch, keyrings, err);
		if (st != SC_OK)
			return st;
	}
	if (!c->indexes.len)
		return sc_error_set(err, SC_EINPUT, NULL, 0, 0, "no apt index could be downloaded");
	return SC_OK;
}
