/* composer_installed.c - installed PHP packages: vendor/composer/installed.json (Composer 1: an
 * array; Composer 2: {"packages": [...], "dev-package-names": [...]}). */
#include "shipcheck/sc_purl.h"
#include "shipcheck/sc_scan.h"

#include <jansson.h>
#include <string.h>

static bool wants(const char *path, uint64_t size, uint32_t mode)
{
	(void)size;
	(void)mode;
	size_t n = strlen(path);
	const char *s = "vendor/composer/installed.json";
	size_t k = strlen(s);
	return n >= k && !strcmp(path + n - k, s) && (n == k || path[n - k - 1] == '/');
}

static bool is_dev(const json_t *names, const char *name)
{
	for (size_t i = 0; json_is_array(names) && i < json_array_size(names); i++) {
		const char *s = json_string_value(json_array_get(names, i));
		if (s && !strcmp(s, name))
			return true;
	}
	return false;
}

static enum sc_status extract(const struct sc_extract_input *in, struct sc_inventory *inv,
			      struct sc_error *err)
{
	json_error_t je;
	json_t *j = json_loadb((const char *)in->data, in->len, 0, &je);
	if (!j)
		return sc_error_set(err, SC_EINPUT, in->path, je.line > 0 ? (unsigned)je.line : 0,
				    je.column > 0 ? (unsigned)je.column : 0, "invalid JSON: %s", je.text);
	enum sc_status st = SC_OK;
	const json_t *pkgs = json_is_array(j) ? j : json_object_get(j, "packages");
	const json_t *dev = json_is_object(j) ? json_object_get(j, "dev-package-names") : NULL;
	if (!json_is_array(pkgs)) {
		st = sc_error_set(err, SC_EINPUT, in->path, 1, 1, "expected a `packages` array");
		goto out;
	}
	for (size_t i = 0; i < json_array_size(pkgs); i++) {
		const json_t *o = json_array_get(pkgs, i);
		const char *name = json_string_value(json_object_get(o, "name"));
		const char *version = json_string_value(json_object_get(o, "version"));
		if (!name || !*name || !version || !*version)
			continue;
		struct sc_package p = {0};
		p.ecosystem = "Packagist";
		p.name = name;
		p.version = version;
		p.path = in->path;
		p.layer = in->layer;
		p.flags = is_dev(dev, name) ? SC_PKG_DEV : 0;
		const char *slash = strchr(name, '/');
		char *ns = slash ? sc_arena_strndup(inv->arena, name, (size_t)(slash - name)) : NULL;
		p.purl = sc_purl(inv->arena, "composer", ns, slash ? slash + 1 : name, version, NULL);
		sc_inventory_add(inv, &p);
	}
out:
	json_decref(j);
	return st;
}

const struct sc_extractor sc_extractor_composer_installed = {
	.targets = SC_EXTRACT_IMAGE,
	.name = "composer_installed",
	.version = 1,
	.max_size = 32u << 20,
	.wants = wants,
	.extract = extract,
};
