/* pipfile_lock.c - extractor for Pipenv's Pipfile.lock (JSON: "default" = production, "develop"
 * = dev; each entry {"version": "==1.2.3"} or a git/path/editable entry, reported unpinned). */
#include "extract.h"

#include <jansson.h>
#include <string.h>

static bool wants(const char *path, uint64_t size, uint32_t mode)
{
	(void)size;
	(void)mode;
	return sc_extract_base_is(path, "Pipfile.lock") && !sc_extract_vendored(path);
}

static enum sc_status extract(const struct sc_extract_input *in, struct sc_inventory *inv,
			      struct sc_error *err)
{
	enum sc_status st = SC_OK;
	struct sc_arena *a = inv->arena;
	struct sc_linemap lm;
	json_error_t je;
	sc_linemap_init(&lm, (const char *)in->data, in->len);
	json_t *doc = json_loadb((const char *)in->data, in->len, JSON_REJECT_DUPLICATES, &je);
	if (!doc) {
		st = sc_error_set(err, SC_EINPUT, in->path, (unsigned)(je.line > 0 ? je.line : 0),
				  (unsigned)(je.column > 0 ? je.column : 0), "invalid JSON: %s", je.text);
		goto out;
	}
	if (!json_is_object(doc) || !json_is_object(json_object_get(doc, "_meta"))) {
		st = sc_error_set(err, SC_EINPUT, in->path, 1, 1, "not a Pipfile.lock (no \"_meta\" object)");
		goto out;
	}
	/* document order for line numbers: walk the sections in the order they appear */
	const char *sec;
	const json_t *entries;
	json_object_foreach(doc, sec, entries) {
		bool dev = !strcmp(sec, "develop");
		if (strcmp(sec, "default") && !dev)
			continue;
		sc_linemap_find_key(&lm, sec, true);
		if (!json_is_object(entries)) {
			st = sc_error_set(err, SC_EINPUT, in->path, lm.line, 0, "\"%s\" is not an object", sec);
			goto out;
		}
		const char *name;
		const json_t *e;
		json_object_foreach((json_t *)entries, name, e) {
			unsigned line = sc_linemap_find_key(&lm, name, true);
			if (!json_is_object(e)) {
				st = sc_error_set(err, SC_EINPUT, in->path, line, 0, "\"%s\" is not an object", name);
				goto out;
			}
			struct sc_package p = {.ecosystem = "PyPI", .path = in->path, .line = line, .name = name};
			p.flags = dev ? SC_PKG_DEV : 0;
			const char *v = json_string_value(json_object_get(e, "version"));
			if (v && !strncmp(v, "===", 3))
				p.version = v + 3;
			else if (v && !strncmp(v, "==", 2) && !strpbrk(v + 2, "*,<>!= "))
				p.version = v + 2;
			if (!p.version) {
				p.flags |= SC_PKG_UNPINNED;
				const char *how[] = {"git", "path", "file", "hg", "svn", "bzr", NULL};
				for (size_t k = 0; how[k] && !p.spec; k++) {
					const char *w = json_string_value(json_object_get(e, how[k]));
					if (w)
						p.spec = sc_arena_printf(a, "%s %s", how[k], w);
				}
				if (!p.spec)
					p.spec = v ? v : "no version";
			}
			p.purl = sc_extract_purl(a, "pypi", sc_extract_pep503(a, name), p.version);
			sc_inventory_add(inv, &p);
		}
	}
out:
	json_decref(doc);
	return st;
}

const struct sc_extractor sc_extractor_pipfile_lock = {
	.targets = SC_EXTRACT_REPO,
	.name = "pipfile-lock",
	.version = 1,
	.wants = wants,
	.extract = extract,
};
