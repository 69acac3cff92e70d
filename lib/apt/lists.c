/* lists.c - loads a local apt lists directory (like /var/lib/apt/lists): Release/InRelease files and
 * the Packages indexes named after them, each index checked against its Release hashes. */
#include "shipcheck/sc_apt.h"
#include "shipcheck/sc_deb822.h"

#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* "main_binary-amd64_Packages.lz4" -> component "main", arch "amd64", release name
 * "main/binary-amd64/Packages". False when it is not a binary Packages index. */
static bool split_index(struct sc_arena *a, const char *rest, const char **component, const char **arch,
			char **relname)
{
	const char *b = strstr(rest, "_binary-");
	if (!b)
		return false;
	const char *archs = b + 8;
	const char *us = strchr(archs, '_');
	if (!us || strncmp(us, "_Packages", 9))
		return false;
	const char *ext = us + 9;
	if (*ext && *ext != '.')
		return false;
	*component = sc_arena_strndup(a, rest, (size_t)(b - rest));
	*arch = sc_arena_strndup(a, archs, (size_t)(us - archs));
	char *comp = sc_arena_strndup(a, rest, (size_t)(b - rest));
	for (char *q = comp; *q; q++)
		if (*q == '_')
			*q = '/'; /* "updates_main" was "updates/main" */
	*component = comp;
	*relname = sc_arena_printf(a, "%s/binary-%s/Packages", comp, *arch);
	return true;
}

/* ---- the parsed-index cache: <dir>/<sha256>.idx = "shipcheck-apt-index 2 <sha256> <identity>\n",
 * one "name\tversion\tarch\tsource\tsource_version\n" line per stanza of the index with that
 * content hash, then "end <number of stanzas>\n" (a file cut short is never used) ---- */

#define CACHE_MAGIC "shipcheck-apt-index 2 "
#define CACHE_FIELDS 5

static const char *release_hash(const struct sc_apt_release *rel, const char *name)
{
	for (size_t i = 0; rel && name && i < rel->n_hashes; i++)
		if (!strcmp(rel->hashes[i].name, name))
			return rel->hashes[i].sha256;
	return NULL;
}

static void add_version(struct sc_apt_cache *c, const struct sc_apt_index *idx, const char *const f[CACHE_FIELDS],
			const size_t n[CACHE_FIELDS])
{
	struct sc_apt_version *v = sc_arena_alloc(c->arena, sizeof(*v));
	v->name = sc_arena_strndup(c->arena, f[0], n[0]);
	v->version = sc_arena_strndup(c->arena, f[1], n[1]);
	v->arch = n[2] ? sc_arena_strndup(c->arena, f[2], n[2]) : idx->arch;
	v->source = n[3] ? sc_arena_strndup(c->arena, f[3], n[3]) : NULL;
	v->source_version = n[4] ? sc_arena_strndup(c->arena, f[4], n[4]) : NULL;
	v->index = idx;
	v->next = sc_map_get(c->by_name, v->name);
	sc_map_put(c->by_name, v->name, v);
	c->n_versions++;
}

/* Splits a cache line into its tab-separated fields; false when malformed. */
static bool cache_fields(const char *p, const char *le, const char *f[CACHE_FIELDS], size_t n[CACHE_FIELDS])
{
	for (int k = 0; k < CACHE_FIELDS; k++) {
		const char *tab = k < CACHE_FIELDS - 1 ? memchr(p, '\t', (size_t)(le - p)) : le;
		if (!tab)
			return false;
		f[k] = p;
		n[k] = (size_t)(tab - p);
		p = tab + 1;
	}
	return n[0] && n[1] && !memchr(f[CACHE_FIELDS - 1], '\t', n[CACHE_FIELDS - 1]);
}

/* The identity of the lists file the entry was made from ("size mtime"): a file changed since (even
 * to content that no longer matches its Release) misses the cache and is verified again. */
static char *file_identity(const char *path)
{
	struct stat sb;
	if (stat(path, &sb) != 0)
		return NULL;
	return sc_xasprintf("%lld %lld.%09ld", (long long)sb.st_size, (long long)sb.st_mtim.tv_sec,
			    (long)sb.st_mtim.tv_nsec);
}

/* Cache upkeep (lib/core/cachedir.c): entries used are touched; after each load, entries no run used
 * for 30 days (tables of indexes an `apt-get update` replaced, markers of Release files long gone)
 * and a crashed run's temporary files are removed, so the directory does not gain a table per
 * update forever. */
#define CACHE_MAX_AGE_DAYS 30

static bool cache_load(struct sc_apt_cache *c, const struct sc_apt_index *idx, const char *hex, const char *ident)
{
	char *path = sc_xasprintf("%s/%s.idx", c->cache_dir, hex);
	/* read into huge pages: a warm run reads megabytes of tables, and a fresh 4 KiB page costs a
	 * fault each on the machines this runs on */
	struct sc_bigbuf raw;
	sc_bigbuf_init(&raw, SC_APT_MAX_INDEX);
	struct sc_error err = {0};
	bool ok = sc_bigbuf_read_file(&raw, path, &err) == SC_OK;
	sc_error_clear(&err);
	const char *data = raw.buf;
	size_t len = raw.len;
	size_t ml = strlen(CACHE_MAGIC), il = strlen(ident);
	if (!ok || len < ml + 66 + il || memcmp(data, CACHE_MAGIC, ml) || memcmp(data + ml, hex, 64) ||
	    data[ml + 64] != ' ' || memcmp(data + ml + 65, ident, il) || data[ml + 65 + il] != '\n' ||
	    data[len - 1] != '\n') {
		goto miss;
	}
	const char *start = data + ml + 66 + il, *end = data + len;
	/* the trailer "end N\n" says the file is complete */
	const char *last = end - 1;
	while (last > start && last[-1] != '\n')
		last--;
	char *stop = NULL;
	unsigned long long want = 0;
	if ((size_t)(end - last) < 6 || memcmp(last, "end ", 4) ||
	    ((want = strtoull(last + 4, &stop, 10)), stop != end - 1)) {
		goto miss;
	}
	end = last;
	/* validate every line first: a damaged cache is rebuilt, never half used */
	unsigned long long lines = 0;
	for (const char *p = start; p < end; lines++) {
		const char *le = memchr(p, '\n', (size_t)(end - p));
		const char *f[CACHE_FIELDS];
		size_t n[CACHE_FIELDS];
		if (!le || !cache_fields(p, le, f, n)) {
			goto miss;
		}
		p = le + 1;
	}
	if (lines != want) {
		goto miss;
	}
	char namebuf[256];
	for (const char *p = start; p < end;) {
		const char *le = memchr(p, '\n', (size_t)(end - p));
		const char *f[CACHE_FIELDS] = {0};
		size_t n[CACHE_FIELDS] = {0};
		cache_fields(p, le, f, n);
		p = le + 1;
		if (c->wanted) {
			if (n[0] >= sizeof(namebuf))
				continue;
			memcpy(namebuf, f[0], n[0]);
			namebuf[n[0]] = '\0';
			if (!sc_map_get(c->wanted, namebuf))
				continue;
		}
		add_version(c, idx, f, n);
	}
	sc_bigbuf_free(&raw);
	sc_cache_touch(path);
	free(path);
	return true;
miss:
	sc_bigbuf_free(&raw);
	free(path);
	return false;
}

/* A cache entry is written while its index is scanned (the table lines by the hashing thread) to a
 * temporary file, and renamed into place when the index and the table are complete (no fsync: a
 * file cut short by a crash lacks its trailer and is rebuilt). */
static int cache_begin(const struct sc_apt_cache *c, const char *hex, const char *ident, char **tmp)
{
	*tmp = NULL;
	if (mkdir(c->cache_dir, 0700) != 0 && errno != EEXIST)
		return -1;
	*tmp = sc_xasprintf("%s/%s.idx.%ld.tmp", c->cache_dir, hex, (long)getpid());
	int fd = open(*tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
	char *head = sc_xasprintf("%s%s %s\n", CACHE_MAGIC, hex, ident);
	size_t n = strlen(head);
	if (fd >= 0 && write(fd, head, n) != (ssize_t)n) {
		close(fd);
		unlink(*tmp);
		fd = -1;
	}
	free(head);
	if (fd < 0) {
		free(*tmp);
		*tmp = NULL;
	}
	return fd;
}

static void cache_end(const struct sc_apt_cache *c, const char *hex, int fd, char *tmp, bool ok, size_t lines)
{
	if (fd < 0)
		return;
	char trailer[64];
	int n = snprintf(trailer, sizeof(trailer), "end %zu\n", lines);
	ok = ok && write(fd, trailer, (size_t)n) == n;
	if (close(fd) != 0)
		ok = false;
	char *path = sc_xasprintf("%s/%s.idx", c->cache_dir, hex);
	if (!ok || rename(tmp, path) != 0)
		unlink(tmp);
	free(path);
	free(tmp);
}

/* ---- the signature cache: <dir>/<sha256>.sig-ok, named by the SHA256 of what gpgv was given (the
 * Release file, its detached signature) and of the keyrings' identity (path, size, mtime of each
 * key file): a Release file checked once with the same keys is not checked again; any change to
 * the file, its signature or the keys misses the cache. ---- */

static void key_identity(struct sc_strbuf *sb, const char *path)
{
	struct stat st;
	if (stat(path, &st) != 0)
		return;
	sc_strbuf_printf(sb, "%s %lld %lld.%09ld\n", path, (long long)st.st_size, (long long)st.st_mtim.tv_sec,
			 (long)st.st_mtim.tv_nsec);
	if (!S_ISDIR(st.st_mode))
		return;
	DIR *d = opendir(path);
	struct sc_ptrvec names = {0};
	struct dirent *de;
	while (d && (de = readdir(d)))
		if (de->d_name[0] != '.')
			sc_ptrvec_push(&names, sc_xstrdup(de->d_name));
	if (d)
		closedir(d);
	if (names.len)
		qsort(names.items, names.len, sizeof(void *), cmp_str);
	for (size_t i = 0; i < names.len; i++) {
		char *p = sc_path_join(path, names.items[i]);
		if (stat(p, &st) == 0 && S_ISREG(st.st_mode))
			sc_strbuf_printf(sb, "%s %lld %lld.%09ld\n", p, (long long)st.st_size,
					 (long long)st.st_mtim.tv_sec, (long)st.st_mtim.tv_nsec);
		free(p);
		free(names.items[i]);
	}
	sc_ptrvec_free(&names);
}

/* The cache file that says this Release file (and signature) passed gpgv with these keyrings. */
static char *sig_marker(const struct sc_apt_cache *c, const char *data, size_t len, const char *sig, size_t slen)
{
	if (!c->cache_dir)
		return NULL;
	char h[65];
	struct sc_strbuf sb;
	sc_strbuf_init(&sb, 1u << 20);
	sc_sha256_hex(data, len, h);
	sc_strbuf_printf(&sb, "shipcheck-apt-sig 1\n%s\n", h);
	if (sig) {
		sc_sha256_hex(sig, slen, h);
		sc_strbuf_printf(&sb, "%s\n", h);
	}
	for (size_t i = 0; c->keyrings[i]; i++) {
		char abs[PATH_MAX];
		key_identity(&sb, realpath(c->keyrings[i], abs) ? abs : c->keyrings[i]);
	}
	sc_sha256_hex(sb.buf ? sb.buf : "", sb.len, h);
	sc_strbuf_free(&sb);
	return sc_xasprintf("%s/%s.sig-ok", c->cache_dir, h);
}

/* Verifies a Release file's signature unless the signature cache already says it passed. */
static enum sc_status verify_cached(const struct sc_apt_cache *c, const char *path, const char *data, size_t len,
				    const char *sig, size_t slen, struct sc_error *err)
{
	char *marker = sig_marker(c, data, len, sig, slen);
	if (marker && access(marker, F_OK) == 0) {
		sc_cache_touch(marker);
		free(marker);
		return SC_OK;
	}
	enum sc_status st = sc_apt_verify_signature(path, data, len, sig, slen, c->keyrings, err);
	if (st == SC_OK && marker && (mkdir(c->cache_dir, 0700) == 0 || errno == EEXIST)) {
		int fd = open(marker, O_WRONLY | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
		if (fd >= 0)
			close(fd);
	}
	free(marker);
	return st;
}

/* One index to load: made (and its sc_apt_index listed) in the lists directory's order, loaded
 * possibly out of that order. */
struct job {
	struct sc_apt_index *idx;
	const char *relname; /* its name in the Release file */
	uint64_t size;       /* of the file: the largest is loaded beside the others */
	enum sc_status st;
	struct sc_error err;
};

static void add_job(struct sc_apt_cache *c, struct sc_ptrvec *jobs, const char *dir, const char *file,
		    const struct sc_apt_release *rel, const char *component, const char *arch, const char *relname)
{
	struct job *j = sc_xcalloc(1, sizeof(*j));
	char *path = sc_path_join(dir, file);
	struct sc_apt_index *idx = sc_arena_alloc(c->arena, sizeof(*idx));
	idx->path = sc_arena_strdup(c->arena, path);
	idx->release = rel;
	idx->component = component;
	idx->arch = arch;
	idx->order = (unsigned)c->indexes.len;
	sc_ptrvec_push(&c->indexes, idx);
	struct stat sb;
	j->idx = idx;
	j->relname = relname;
	j->size = lstat(path, &sb) == 0 ? (uint64_t)sb.st_size : 0;
	free(path);
	sc_ptrvec_push(jobs, j);
}

static enum sc_status load_index(struct sc_apt_cache *c, const struct job *j, struct sc_error *err)
{
	struct sc_apt_index *idx = j->idx;
	const struct sc_apt_release *rel = idx->release;
	const char *hex = c->cache_dir ? release_hash(rel, j->relname) : NULL;
	char *ident = hex ? file_identity(idx->path) : NULL;
	if (!ident)
		hex = NULL;
	if (hex && cache_load(c, idx, hex, ident)) {
		free(ident);
		return SC_OK;
	}
	/* one pass: read, decompressed, hashed, scanned; the table of every stanza goes to the cache */
	char *tmp = NULL;
	struct sc_apt_table table = {.fd = hex ? cache_begin(c, hex, ident, &tmp) : -1};
	table.ok = table.fd >= 0;
	enum sc_status st = sc_apt_index_scan_file(c, idx, rel, j->relname, table.ok ? &table : NULL, err);
	cache_end(c, hex, table.fd, tmp, st == SC_OK && table.ok, table.lines);
	free(ident);
	return st;
}

/* The indexes other than the largest, loaded by a second thread into a cache of their own. */
struct others {
	struct sc_apt_cache *sub;
	struct job **jobs;
	size_t n;
};

static void *load_others(void *arg)
{
	struct others *o = arg;
	for (size_t i = 0; i < o->n; i++) {
		o->jobs[i]->st = load_index(o->sub, o->jobs[i], &o->jobs[i]->err);
		if (o->jobs[i]->st != SC_OK)
			break;
	}
	return NULL;
}

/* Moves sub's versions into c. A name's list must come out as loading the indexes one after
 * another in order would have made it (the later index's versions first, each index's in reverse
 * stanza order: ties between equal candidates depend on it), so the two lists, each already in
 * descending index order, are merged by that order. */
static void merge_cache(struct sc_apt_cache *c, struct sc_apt_cache *sub)
{
	size_t it = 0;
	const char *key;
	void *val;
	while (sc_map_next(sub->by_name, &it, &key, &val)) {
		struct sc_apt_version *a = sc_map_get(c->by_name, key), *b = val, *head = NULL, **tail = &head;
		while (a && b) {
			struct sc_apt_version **p = a->index->order > b->index->order ? &a : &b;
			*tail = *p;
			tail = &(*p)->next;
			*p = (*p)->next;
		}
		*tail = a ? a : b;
		sc_map_put(c->by_name, key, head);
	}
	c->n_versions += sub->n_versions;
	for (size_t i = 0; i < sub->warnings.len; i++)
		sc_ptrvec_push(&c->warnings, sub->warnings.items[i]);
	sc_arena_adopt(c->arena, sub->arena);
	sub->arena = NULL;
}

/* Loads every job. The largest index (most of the bytes on a real system: a distribution's main
 * component) is loaded by this thread while a second one loads the others, so the small indexes
 * no longer come before it; with one index, or a small largest one, they load one after another.
 * The error reported is that of the first failing index in order, as a sequential load would. */
#define PARALLEL_LOAD_MIN (1u << 20)
static enum sc_status load_jobs(struct sc_apt_cache *c, struct sc_ptrvec *jobs, struct sc_error *err)
{
	size_t big = 0;
	for (size_t i = 1; i < jobs->len; i++)
		if (((struct job *)jobs->items[i])->size > ((struct job *)jobs->items[big])->size)
			big = i;
	bool done = false;
	if (jobs->len >= 2 && ((struct job *)jobs->items[big])->size >= PARALLEL_LOAD_MIN) {
		struct others o = {sc_apt_cache_new(), sc_xcalloc(jobs->len, sizeof(struct job *)), 0};
		o.sub->wanted = c->wanted;
		o.sub->cache_dir = c->cache_dir;
		for (size_t i = 0; i < jobs->len; i++)
			if (i != big)
				o.jobs[o.n++] = jobs->items[i];
		pthread_t tid;
		if (pthread_create(&tid, NULL, load_others, &o) == 0) {
			struct job *j = jobs->items[big];
			j->st = load_index(c, j, &j->err);
			pthread_join(tid, NULL);
			merge_cache(c, o.sub);
			done = true;
		}
		sc_apt_cache_free(o.sub);
		free(o.jobs);
	}
	for (size_t i = 0; !done && i < jobs->len; i++) {
		struct job *j = jobs->items[i];
		j->st = load_index(c, j, &j->err);
		if (j->st != SC_OK)
			break;
	}
	for (size_t i = 0; i < jobs->len; i++) {
		struct job *j = jobs->items[i];
		if (j->st != SC_OK)
			return sc_error_reset(err, j->st, j->err.file, j->err.line, j->err.col, "%s",
					      j->err.msg ? j->err.msg : "cannot load");
	}
	return SC_OK;
}

enum sc_status sc_apt_cache_load_lists(struct sc_apt_cache *c, const char *dir, struct sc_error *err)
{
	DIR *d = opendir(dir);
	if (!d)
		return sc_error_set(err, SC_EINPUT, dir, 0, 0, "cannot open apt lists directory");
	struct sc_ptrvec names = {0};
	struct dirent *de;
	while ((de = readdir(d))) {
		if (de->d_name[0] == '.' || strlen(de->d_name) > 1024)
			continue;
		sc_ptrvec_push(&names, sc_xstrdup(de->d_name));
	}
	closedir(d);
	if (names.len)
		qsort(names.items, names.len, sizeof(void *), cmp_str);

	enum sc_status st = SC_OK;
	bool *used = sc_xcalloc(names.len + 1, sizeof(bool));
	struct sc_ptrvec jobs = {0}; /* struct job *, in the directory's order */
	/* 1. every Release file, and the indexes sharing its prefix */
	for (size_t i = 0; i < names.len; i++) {
		const char *name = names.items[i];
		size_t plen;
		if (sc_str_has_suffix(name, "_InRelease"))
			plen = strlen(name) - 9;
		else if (sc_str_has_suffix(name, "_Release"))
			plen = strlen(name) - 7;
		else
			continue;
		/* prefer InRelease when both exist */
		if (sc_str_has_suffix(name, "_Release")) {
			char *alt = sc_xasprintf("%.*sInRelease", (int)plen, name);
			bool both = false;
			for (size_t k = 0; k < names.len; k++)
				if (!strcmp(names.items[k], alt))
					both = true;
			free(alt);
			if (both)
				continue;
		}
		char *path = sc_path_join(dir, name);
		char *data = NULL;
		size_t len = 0;
		struct sc_apt_release *rel = NULL;
		st = sc_read_file(path, SC_APT_MAX_RELEASE, &data, &len, err);
		if (st == SC_OK)
			st = sc_apt_release_parse(c->arena, path, data, len, &rel, err);
		if (st == SC_OK && c->keyrings) {
			if (rel->signed_inline) {
				st = verify_cached(c, path, data, len, NULL, 0, err);
			} else if (sc_str_has_suffix(name, "_InRelease")) {
				st = sc_error_set(err, SC_EINPUT, path, 1, 1, "InRelease is not a clearsigned message");
			} else {
				char *sigpath = sc_xasprintf("%s.gpg", path);
				char *sig = NULL;
				size_t slen = 0;
				st = sc_read_file(sigpath, 1u << 20, &sig, &slen, err);
				if (st != SC_OK) {
					sc_error_clear(err);
					st = sc_error_set(err, SC_EINPUT, path, 0, 0,
							  "Release file is not signed (no %s)", sc_path_base(sigpath));
				} else {
					st = verify_cached(c, path, data, len, sig, slen, err);
				}
				free(sig);
				free(sigpath);
			}
		}
		free(data);
		free(path);
		if (st != SC_OK)
			goto out;
		/* the host is the prefix up to the first '_' */
		const char *us = strchr(name, '_');
		rel->site = us ? sc_arena_strndup(c->arena, name, (size_t)(us - name)) : NULL;
		sc_ptrvec_push(&c->releases, rel);
		for (size_t k = 0; k < names.len; k++) {
			const char *f = names.items[k];
			if (strncmp(f, name, plen) || used[k])
				continue;
			const char *component, *arch;
			char *relname;
			if (!split_index(c->arena, f + plen, &component, &arch, &relname))
				continue;
			used[k] = true;
			add_job(c, &jobs, dir, f, rel, component, arch, relname);
		}
	}
	/* 2. Packages files no Release file claims: used, with a warning */
	for (size_t k = 0; k < names.len; k++) {
		const char *f = names.items[k];
		if (used[k] || !strstr(f, "Packages"))
			continue;
		const char *base = strrchr(f, '_');
		base = base ? base + 1 : f;
		if (strncmp(base, "Packages", 8) || (base[8] && base[8] != '.'))
			continue;
		char *w = sc_arena_printf(c->arena, "%s/%s: no Release file for this index: its hashes "
						    "cannot be checked and pins by release do not apply",
					  dir, f);
		sc_ptrvec_push(&c->warnings, w);
		add_job(c, &jobs, dir, f, NULL, NULL, NULL, NULL);
	}
	if (!jobs.len)
		st = sc_error_set(err, SC_EINPUT, dir, 0, 0,
				  "no Packages index in this apt lists directory (run `apt-get update`?)");
	else
		st = load_jobs(c, &jobs, err);
	if (st == SC_OK && c->cache_dir) {
		static const char *const ours[] = {".idx", ".sig-ok", NULL};
		sc_cache_prune(c->cache_dir, ours, CACHE_MAX_AGE_DAYS, 0);
	}
out:
	for (size_t i = 0; i < jobs.len; i++) {
		sc_error_clear(&((struct job *)jobs.items[i])->err);
		free(jobs.items[i]);
	}
	sc_ptrvec_free(&jobs);
	for (size_t i = 0; i < names.len; i++)
		free(names.items[i]);
	sc_ptrvec_free(&names);
	free(used);
	return st;
}
