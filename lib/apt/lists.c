/* lists.c - loads a local apt lists directory (like /var/lib/apt/lists): Release/InRelease files and
 * the Packages indexes named after them, each index checked against its Release hashes. */
#include "shipcheck/sc_apt.h"

#include <dirent.h>
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

static enum sc_status load_index(struct sc_apt_cache *c, const char *dir, const char *file,
				 const struct sc_apt_release *rel, const char *component, const char *arch,
				 const char *relname, struct sc_error *err)
{
	char *path = sc_path_join(dir, file);
	char *raw = NULL, *data = NULL;
	size_t rlen = 0, len = 0;
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
out:
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
