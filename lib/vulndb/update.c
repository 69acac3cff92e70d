/* update.c - `shipcheck db update`: downloads OSV's per-ecosystem all.zip exports (libcurl) with
 * conditional requests (ETag / Last-Modified), retries with back-off and a progress bar, keeps them
 * in a cache directory, builds the new DB beside the old one and renames it into place only when
 * it is complete and checked. Any failure leaves the old DB as it was. */
#include "sc_curl.h"
#include "vulndb.h"

#include "sc_archive_dl.h"
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define MAX_ZIP_DOWNLOAD (4ll << 30)

static const char *const default_ecosystems[] = {
	"Alpine", "crates.io", "Debian", "Go", "Maven", "npm", "NuGet", "Packagist", "PyPI", "RubyGems", "Ubuntu", NULL,
};

const char *const *sc_db_default_ecosystems(void)
{
	return default_ecosystems;
}

struct download {
	FILE *fp;
	char etag[256];
	char last_modified[128];
	curl_off_t written;
	struct sc_progress *prog;
	uint64_t base_done;
};

static size_t on_write(char *data, size_t size, size_t nmemb, void *ud)
{
	struct download *d = ud;
	size_t n = size * nmemb;
	if (d->written + (curl_off_t)n > MAX_ZIP_DOWNLOAD)
		return 0;
	d->written += (curl_off_t)n;
	return fwrite(data, 1, n, d->fp);
}

static void header_value(const char *line, size_t len, const char *name, char *out, size_t outsz)
{
	size_t nl = strlen(name);
	if (len <= nl + 1 || strncasecmp(line, name, nl) || line[nl] != ':')
		return;
	const char *v = line + nl + 1;
	const char *end = line + len;
	while (v < end && (*v == ' ' || *v == '\t'))
		v++;
	while (end > v && (end[-1] == '\r' || end[-1] == '\n' || end[-1] == ' '))
		end--;
	size_t n = (size_t)(end - v);
	if (n >= outsz)
		return;
	memcpy(out, v, n);
	out[n] = '\0';
}

static size_t on_header(char *data, size_t size, size_t nmemb, void *ud)
{
	struct download *d = ud;
	size_t n = size * nmemb;
	if (n >= 5 && !strncmp(data, "HTTP/", 5)) {
		d->etag[0] = d->last_modified[0] = '\0'; /* a new response (after a redirect) */
	}
	header_value(data, n, "ETag", d->etag, sizeof(d->etag));
	header_value(data, n, "Last-Modified", d->last_modified, sizeof(d->last_modified));
	return n;
}

static int on_progress(void *ud, curl_off_t dltotal, curl_off_t dlnow, curl_off_t ultotal, curl_off_t ulnow)
{
	(void)dltotal;
	(void)ultotal;
	(void)ulnow;
	struct download *d = ud;
	sc_progress_update(d->prog, d->base_done + (uint64_t)dlnow);
	return 0;
}

/* Checks that a file is a readable zip with at least one JSON entry (a truncated zip has no
 * central directory and fails here). */
static enum sc_status check_zip(const char *path, const char *what, struct sc_error *err)
{
	struct archive *ar = archive_read_new();
	archive_read_support_format_zip_seekable(ar);
	enum sc_status st = SC_OK;
	if (archive_read_open_filename(ar, path, 1 << 16) != ARCHIVE_OK) {
		st = sc_error_set(err, SC_EINPUT, what, 0, 0, "downloaded file is not a complete zip: %s",
				  archive_error_string(ar));
		goto out;
	}
	struct archive_entry *e;
	int rc;
	while ((rc = archive_read_next_header(ar, &e)) == ARCHIVE_OK)
		;
	if (rc != ARCHIVE_EOF)
		st = sc_error_set(err, SC_EINPUT, what, 0, 0, "downloaded zip is corrupt: %s", archive_error_string(ar));
out:
	archive_read_free(ar);
	return st;
}

static void sleep_ms(unsigned ms)
{
	struct timespec ts = {(time_t)(ms / 1000), (long)(ms % 1000) * 1000000L};
	nanosleep(&ts, NULL);
}

/* Reads "ETAG\nLAST-MODIFIED\n" of a cached zip. */
static void read_validators(const char *path, char *etag, size_t esz, char *lm, size_t lsz)
{
	etag[0] = lm[0] = '\0';
	FILE *f = fopen(path, "r");
	if (!f)
		return;
	if (fgets(etag, (int)esz, f))
		etag[strcspn(etag, "\n")] = '\0';
	if (fgets(lm, (int)lsz, f))
		lm[strcspn(lm, "\n")] = '\0';
	fclose(f);
}

struct fetched {
	char *zip;  /* cached zip path */
	char *url;
	char etag[256];
	char last_modified[128];
};

/* Downloads one ecosystem's zip into the cache (or keeps the cached one on 304). */
static enum sc_status fetch(CURL *c, const struct sc_db_update_options *o, const char *cache, const char *eco,
			    struct fetched *out, struct sc_db_update_stats *stats, struct sc_progress *prog,
			    struct sc_error *err)
{
	char *esc = curl_easy_escape(c, eco, 0);
	const char *base = o->base_url ? o->base_url : SC_DB_DEFAULT_BASE_URL;
	size_t bl = strlen(base);
	while (bl && base[bl - 1] == '/')
		bl--;
	out->url = sc_xasprintf("%.*s/%s/all.zip", (int)bl, base, esc);
	curl_free(esc);
	out->zip = sc_xasprintf("%s/%s.zip", cache, eco);
	char *meta = sc_xasprintf("%s/%s.zip.validators", cache, eco);
	char *part = sc_xasprintf("%s/%s.zip.part", cache, eco);
	char etag[256], lm[128];
	read_validators(meta, etag, sizeof(etag), lm, sizeof(lm));
	bool have_cache = access(out->zip, R_OK) == 0;
	enum sc_status st = SC_OK;
	unsigned retries = o->retries ? o->retries : 3;
	unsigned backoff = o->backoff_ms ? o->backoff_ms : 500;
	for (unsigned attempt = 0;; attempt++) {
		struct download d = {.prog = prog, .base_done = prog->done};
		d.fp = fopen(part, "wb");
		if (!d.fp) {
			st = sc_error_set(err, SC_EIO, part, 0, 0, "cannot write: %s", strerror(errno));
			break;
		}
		struct curl_slist *hdrs = NULL;
		char h[512];
		if (have_cache && !o->force && etag[0]) {
			snprintf(h, sizeof(h), "If-None-Match: %s", etag);
			hdrs = curl_slist_append(hdrs, h);
		}
		if (have_cache && !o->force && lm[0]) {
			snprintf(h, sizeof(h), "If-Modified-Since: %s", lm);
			hdrs = curl_slist_append(hdrs, h);
		}
		curl_easy_reset(c);
		curl_easy_setopt(c, CURLOPT_URL, out->url);
		curl_easy_setopt(c, CURLOPT_HTTPHEADER, hdrs);
		curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_write);
		curl_easy_setopt(c, CURLOPT_WRITEDATA, &d);
		curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, on_header);
		curl_easy_setopt(c, CURLOPT_HEADERDATA, &d);
		curl_easy_setopt(c, CURLOPT_XFERINFOFUNCTION, on_progress);
		curl_easy_setopt(c, CURLOPT_XFERINFODATA, &d);
		curl_easy_setopt(c, CURLOPT_NOPROGRESS, 0L);
		curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 1L);
		curl_easy_setopt(c, CURLOPT_MAXREDIRS, 5L);
		curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
		curl_easy_setopt(c, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
		curl_easy_setopt(c, CURLOPT_TIMEOUT, o->timeout_s ? o->timeout_s : 300L);
		curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, 30L);
		curl_easy_setopt(c, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)MAX_ZIP_DOWNLOAD);
		curl_easy_setopt(c, CURLOPT_USERAGENT, "shipcheck-db-update");
		CURLcode rc = curl_easy_perform(c);
		long code = 0;
		curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &code);
		curl_slist_free_all(hdrs);
		bool wrote = fclose(d.fp) == 0;
		bool retry = false;
		sc_error_clear(err);
		if (rc != CURLE_OK) {
			st = sc_error_set(err, SC_EIO, out->url, 0, 0, "download failed: %s", curl_easy_strerror(rc));
			retry = rc != CURLE_FILESIZE_EXCEEDED && rc != CURLE_UNSUPPORTED_PROTOCOL && rc != CURLE_URL_MALFORMAT;
		} else if (code == 304 && have_cache) {
			stats->not_modified++;
			snprintf(out->etag, sizeof(out->etag), "%s", etag);
			snprintf(out->last_modified, sizeof(out->last_modified), "%s", lm);
			st = SC_OK;
		} else if (code == 200) {
			st = wrote ? check_zip(part, out->url, err)
				   : sc_error_set(err, SC_EIO, part, 0, 0, "cannot write: %s", strerror(errno));
			retry = st == SC_EINPUT; /* a short body: try again */
			if (st == SC_OK) {
				if (rename(part, out->zip) != 0) {
					st = sc_error_set(err, SC_EIO, out->zip, 0, 0, "cannot write: %s", strerror(errno));
				} else {
					stats->downloaded++;
					snprintf(out->etag, sizeof(out->etag), "%s", d.etag);
					snprintf(out->last_modified, sizeof(out->last_modified), "%s", d.last_modified);
					char *v = sc_xasprintf("%s\n%s\n", d.etag, d.last_modified);
					struct sc_error werr = {0};
					if (sc_write_file_atomic(meta, v, strlen(v), &werr) != SC_OK)
						unlink(meta); /* no validators: the next update downloads again */
					sc_error_clear(&werr);
					free(v);
				}
			}
		} else {
			st = sc_error_set(err, SC_EIO, out->url, 0, 0, "download failed: HTTP %ld", code);
			retry = code >= 500 || code == 429 || code == 408;
		}
		if (st == SC_OK || !retry || attempt >= retries)
			break;
		sleep_ms(backoff << (attempt < 16 ? attempt : 16));
	}
	unlink(part);
	free(meta);
	free(part);
	return st;
}

static void mkdir_p(const char *dir)
{
	char *d = sc_xstrdup(dir);
	for (char *p = d + 1; *p; p++) {
		if (*p == '/') {
			*p = '\0';
			mkdir(d, 0755);
			*p = '/';
		}
	}
	mkdir(d, 0755);
	free(d);
}

/* True when the DB at path was built from exactly these sources with these validators. */
static bool up_to_date(const char *path, const struct fetched *f, const char *const *ecos, size_t n)
{
	struct sc_db *db = NULL;
	struct sc_error err = {0};
	if (sc_db_open(path, &db, &err) != SC_OK) {
		sc_error_clear(&err);
		return false;
	}
	struct sc_arena *a = sc_arena_new();
	struct sc_db_info info;
	bool same = sc_db_info(db, a, &info, &err) == SC_OK && info.n_sources == n;
	for (size_t i = 0; same && i < n; i++) {
		bool found = false;
		for (size_t k = 0; k < info.n_sources && !found; k++) {
			const struct sc_db_source *s = &info.source_list[k];
			found = !strcmp(s->name, ecos[i]) && s->url && !strcmp(s->url, f[i].url) &&
				!strcmp(s->etag ? s->etag : "", f[i].etag) &&
				!strcmp(s->last_modified ? s->last_modified : "", f[i].last_modified);
		}
		same = found;
	}
	sc_error_clear(&err);
	sc_arena_free(a);
	sc_db_close(db);
	return same;
}

enum sc_status sc_db_update(const struct sc_db_update_options *o, struct sc_db_update_stats *stats,
			    struct sc_error *err)
{
	struct sc_db_update_stats local = {0};
	if (!stats)
		stats = &local;
	memset(stats, 0, sizeof(*stats));
	const char *db_path = o->db_path ? o->db_path : sc_db_default_path();
	const char *const *ecos = o->ecosystems ? o->ecosystems : default_ecosystems;
	size_t n = 0;
	while (ecos[n])
		n++;
	if (!n)
		return sc_error_set(err, SC_EINPUT, NULL, 0, 0, "no ecosystems to update");
	for (size_t i = 0; i < n; i++)
		if (!sc_db_ecosystem_known(ecos[i]) || strchr(ecos[i], ':') || strchr(ecos[i], '/'))
			return sc_error_set(err, SC_EINPUT, NULL, 0, 0, "unknown ecosystem `%s`", ecos[i]);
	char *cache = o->cache_dir ? sc_xstrdup(o->cache_dir) : sc_xasprintf("%s.d", db_path);
	mkdir_p(cache);
	struct fetched *f = sc_xcalloc(n, sizeof(*f));
	struct vulndb_source *srcs = sc_xcalloc(n, sizeof(*srcs));
	char *newdb = NULL;
	enum sc_status st = SC_OK;
	CURL *c = curl_easy_init();
	if (!c) {
		st = sc_error_set(err, SC_EINTERNAL, NULL, 0, 0, "cannot initialise libcurl: %s", sc_curl_load_error());
		goto out;
	}
	struct sc_progress prog;
	sc_progress_start(&prog, "downloading", 0, o->quiet);
	for (size_t i = 0; i < n && st == SC_OK; i++)
		st = fetch(c, o, cache, ecos[i], &f[i], stats, &prog, err);
	sc_progress_finish(&prog);
	if (st != SC_OK)
		goto out;
	if (up_to_date(db_path, f, ecos, n))
		goto out;
	for (size_t i = 0; i < n; i++) {
		srcs[i].path = f[i].zip;
		srcs[i].name = ecos[i];
		srcs[i].url = f[i].url;
		srcs[i].etag = f[i].etag;
		srcs[i].last_modified = f[i].last_modified;
	}
	newdb = sc_xasprintf("%s.new-%ld", db_path, (long)getpid());
	unlink(newdb);
	st = sc_vulndb_import(newdb, srcs, n, o->quiet, &stats->import, err);
	if (st == SC_OK)
		st = sc_vulndb_verify(newdb, err);
	if (st == SC_OK && rename(newdb, db_path) != 0)
		st = sc_error_set(err, SC_EIO, db_path, 0, 0, "cannot replace the database: %s", strerror(errno));
	if (st == SC_OK)
		stats->rebuilt = true;
	else
		unlink(newdb);
out:
	if (c)
		curl_easy_cleanup(c);
	for (size_t i = 0; i < n; i++) {
		free(f[i].zip);
		free(f[i].url);
	}
	free(f);
	free(srcs);
	free(newdb);
	free(cache);
	if (stats == &local)
		sc_db_import_stats_clear(&local.import);
	return st;
}
