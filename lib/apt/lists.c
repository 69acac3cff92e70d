/* lists.c - loads a local apt lists directory (like /var/lib/apt/lists): Release/InRelease files and
 * the Packages indexes named after them, each index checked against its Release hashes. */
#include "shipcheck/sc_apt.h"
#include "shipcheck/sc_deb822.h"

#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static bool has_suffix(const char *s, const char *suffix)
{
	size_t n = strlen(s), k = strlen(suffix);
	return n >= k && !strcmp(s + n - k, suffix);
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

/* ---- the parsed-index cache: <dir>/<sha256>.idx = "shipcheck-apt-index 1 <sha256>\n" then one
 * "name\tversion\tarch\tsource\n" line per stanza of the index with that content hash ---- */

#define CACHE_MAGIC "shipcheck-apt-index 1 "

static const char *release_hash(const struct sc_apt_release *rel, const char *name)
{
	for (size_t i = 0; rel && name && i < rel->n_hashes; i++)
		if (!strcmp(rel->hashes[i].name, name))
			return rel->hashes[i].sha256;
	return NULL;
}

static void add_version(struct sc_apt_cache *c, const struct sc_apt_index *idx, const char *name, size_t nl,
			const char *ver, size_t vl, const char *arch, size_t al, const char *src, size_t sl)
{
	struct sc_apt_version *v = sc_arena_alloc(c->arena, sizeof(*v));
	v->name = sc_arena_strndup(c->arena, name, nl);
	v->version = sc_arena_strndup(c->arena, ver, vl);
	v->arch = al ? sc_arena_strndup(c->arena, arch, al) : idx->arch;
	v->source = sl ? sc_arena_strndup(c->arena, src, sl) : NULL;
	v->index = idx;
	v->next = sc_map_get(c->by_name, v->name);
	sc_map_put(c->by_name, v->name, v);
	c->n_versions++;
}

/* Splits a cache line into 4 tab-separated fields; false when malformed. */
static bool cache_fields(const char *p, const char *le, const char *f[4], size_t n[4])
{
	for (int k = 0; k < 4; k++) {
		const char *tab = k < 3 ? memchr(p, '\t', (size_t)(le - p)) : le;
		if (!tab)
			return false;
		f[k] = p;
		n[k] = (size_t)(tab - p);
		p = tab + 1;
	}
	return n[0] && n[1];
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

static bool cache_load(struct sc_apt_cache *c, const struct sc_apt_index *idx, const char *hex, const char *ident)
{
	char *path = sc_xasprintf("%s/%s.idx", c->cache_dir, hex);
	char *data = NULL;
	size_t len = 0;
	struct sc_error err = {0};
	bool ok = sc_read_file(path, SC_APT_MAX_INDEX, &data, &len, &err) == SC_OK;
	sc_error_clear(&err);
	free(path);
	size_t ml = strlen(CACHE_MAGIC), il = strlen(ident);
	if (!ok || len < ml + 66 + il || memcmp(data, CACHE_MAGIC, ml) || memcmp(data + ml, hex, 64) ||
	    data[ml + 64] != ' ' || memcmp(data + ml + 65, ident, il) || data[ml + 65 + il] != '\n' ||
	    data[len - 1] != '\n') {
		free(data);
		return false;
	}
	const char *start = data + ml + 66 + il, *end = data + len;
	/* validate every line first: a damaged cache is rebuilt, never half used */
	for (const char *p = start; p < end;) {
		const char *le = memchr(p, '\n', (size_t)(end - p));
		const char *f[4];
		size_t n[4];
		if (!le || !cache_fields(p, le, f, n)) {
			free(data);
			return false;
		}
		p = le + 1;
	}
	char namebuf[256];
	for (const char *p = start; p < end;) {
		const char *le = memchr(p, '\n', (size_t)(end - p));
		const char *f[4] = {0};
		size_t n[4] = {0};
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
		add_version(c, idx, f[0], n[0], f[1], n[1], f[2], n[2], f[3], n[3]);
	}
	free(data);
	return true;
}

static bool clean_field(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] == '\t' || s[i] == '\n' || s[i] == '\r')
			return false;
	return true;
}

/* Writes the cache entry of a verified index (every stanza, not only the wanted ones). */
static void cache_store(const struct sc_apt_cache *c, const char *hex, const char *ident, const char *data,
			size_t len)
{
	if (mkdir(c->cache_dir, 0700) != 0 && errno != EEXIST)
		return;
	struct sc_strbuf sb;
	sc_strbuf_init(&sb, SC_APT_MAX_INDEX);
	sc_strbuf_printf(&sb, "%s%s %s\n", CACHE_MAGIC, hex, ident);
	struct sc_deb822 p;
	sc_deb822_init(&p, "cache", data, len);
	struct sc_deb822_stanza st = {0};
	struct sc_error err = {0};
	bool ok = true;
	for (;;) {
		bool got = false;
		if (sc_deb822_next(&p, &st, &got, &err) != SC_OK) {
			ok = false;
			break;
		}
		if (!got)
			break;
		const struct sc_deb822_field *f[4] = {sc_deb822_get(&st, "Package"), sc_deb822_get(&st, "Version"),
						      sc_deb822_get(&st, "Architecture"), sc_deb822_get(&st, "Source")};
		if (!f[0] || !f[1]) {
			ok = false;
			break;
		}
		size_t sl = 0;
		while (f[3] && sl < f[3]->value_len && f[3]->value[sl] != ' ' && f[3]->value[sl] != '(')
			sl++;
		for (int k = 0; k < 4; k++)
			if (f[k] && !clean_field(f[k]->value, k == 3 ? sl : f[k]->value_len))
				ok = false;
		if (!ok || sc_strbuf_printf(&sb, "%.*s\t%.*s\t%.*s\t%.*s\n", (int)f[0]->value_len, f[0]->value,
					     (int)f[1]->value_len, f[1]->value, f[2] ? (int)f[2]->value_len : 0,
					     f[2] ? f[2]->value : "", (int)sl, f[3] ? f[3]->value : "") != SC_OK) {
			ok = false;
			break;
		}
	}
	if (ok) {
		char *path = sc_xasprintf("%s/%s.idx", c->cache_dir, hex);
		sc_write_file_atomic(path, sb.buf, sb.len, &err);
		free(path);
	}
	sc_error_clear(&err);
	sc_deb822_stanza_free(&st);
	sc_strbuf_free(&sb);
}

static enum sc_status load_index(struct sc_apt_cache *c, const char *dir, const char *file,
				 const struct sc_apt_release *rel, const char *component, const char *arch,
				 const char *relname, struct sc_error *err)
{
	char *path = sc_path_join(dir, file);
	char *raw = NULL, *data = NULL;
	size_t rlen = 0, len = 0;
	const char *hex = c->cache_dir ? release_hash(rel, relname) : NULL;
	char *ident = hex ? file_identity(path) : NULL;
	if (!ident)
		hex = NULL;
	if (hex) {
		struct sc_apt_index *idx = sc_arena_alloc(c->arena, sizeof(*idx));
		idx->path = sc_arena_strdup(c->arena, path);
		idx->release = rel;
		idx->component = component;
		idx->arch = arch;
		if (cache_load(c, idx, hex, ident)) {
			sc_ptrvec_push(&c->indexes, idx);
			free(ident);
			free(path);
			return SC_OK;
		}
	}
	enum sc_status st = sc_read_file(path, SC_APT_MAX_INDEX, &raw, &rlen, err);
	if (st != SC_OK)
		goto out;
	st = sc_apt_decompress(path, raw, rlen, SC_APT_MAX_INDEX, &data, &len, err);
	if (st != SC_OK)
		goto out;
	if (rel) {
		st = sc_apt_release_verify(rel, relname, path, data, len, err);
		if (st != SC_OK)
			goto out;
	}
	struct sc_apt_index *idx = sc_arena_alloc(c->arena, sizeof(*idx));
	idx->path = sc_arena_strdup(c->arena, path);
	idx->release = rel;
	idx->component = component;
	idx->arch = arch;
	sc_ptrvec_push(&c->indexes, idx);
	st = sc_apt_packages_parse(c, idx, data, len, err);
	if (st == SC_OK && hex)
		cache_store(c, hex, ident, data, len);
out:
	free(ident);
	free(raw);
	free(data);
	free(path);
	return st;
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
	size_t n_indexes = 0;
	/* 1. every Release file, and the indexes sharing its prefix */
	for (size_t i = 0; i < names.len; i++) {
		const char *name = names.items[i];
		size_t plen;
		if (has_suffix(name, "_InRelease"))
			plen = strlen(name) - 9;
		else if (has_suffix(name, "_Release"))
			plen = strlen(name) - 7;
		else
			continue;
		/* prefer InRelease when both exist */
		if (has_suffix(name, "_Release")) {
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
				st = sc_apt_verify_signature(path, data, len, NULL, 0, c->keyrings, err);
			} else if (has_suffix(name, "_InRelease")) {
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
					st = sc_apt_verify_signature(path, data, len, sig, slen, c->keyrings, err);
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
			st = load_index(c, dir, f, rel, component, arch, relname, err);
			if (st != SC_OK)
				goto out;
			n_indexes++;
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
		st = load_index(c, dir, f, NULL, NULL, NULL, NULL, err);
		if (st != SC_OK)
			goto out;
		n_indexes++;
	}
	if (!n_indexes)
		st = sc_error_set(err, SC_EINPUT, dir, 0, 0,
				  "no Packages index in this apt lists directory (run `apt-get update`?)");
out:
	for (size_t i = 0; i < names.len; i++)
		free(names.items[i]);
	sc_ptrvec_free(&names);
	free(used);
	return st;
}
