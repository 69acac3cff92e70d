/* python_dist.c - installed Python distributions: *.dist-info/METADATA and *.egg-info/PKG-INFO
 * (RFC 822 style headers: Name, Version). */
#include "shipcheck/sc_purl.h"
#include "shipcheck/sc_scan.h"

#include <ctype.h>
#include <string.h>

static bool wants(const char *path, uint64_t size, uint32_t mode)
{
	(void)size;
	(void)mode;
	return sc_str_has_suffix(path, ".dist-info/METADATA") || sc_str_has_suffix(path, ".egg-info/PKG-INFO");
}

static enum sc_status extract(const struct sc_extract_input *in, struct sc_inventory *inv,
			      struct sc_error *err)
{
	const char *p = (const char *)in->data, *end = p + in->len;
	const char *name = NULL, *version = NULL;
	unsigned line = 0, name_line = 0;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *le = nl ? nl : end;
		line++;
		size_t n = (size_t)(le - p);
		if (n && p[n - 1] == '\r')
			n--;
		if (!n)
			break; /* the body (description) follows the headers */
		if (n > 5 && !strncasecmp(p, "Name:", 5) && !name) {
			const char *v = p + 5;
			while (v < p + n && isspace((unsigned char)*v))
				v++;
			name = sc_arena_strndup(inv->arena, v, (size_t)(p + n - v));
			name_line = line;
		} else if (n > 8 && !strncasecmp(p, "Version:", 8) && !version) {
			const char *v = p + 8;
			while (v < p + n && isspace((unsigned char)*v))
				v++;
			version = sc_arena_strndup(inv->arena, v, (size_t)(p + n - v));
		}
		p = nl ? nl + 1 : end;
	}
	if (!name || !*name)
		return sc_error_set(err, SC_EINPUT, in->path, 1, 1, "no Name: header");
	struct sc_package pkg = {0};
	pkg.ecosystem = "PyPI";
	pkg.name = name;
	pkg.version = version && *version ? version : NULL;
	if (!pkg.version)
		pkg.flags |= SC_PKG_UNPINNED;
	pkg.path = in->path;
	pkg.line = name_line;
	pkg.layer = in->layer;
	pkg.purl = sc_purl(inv->arena, "pypi", NULL, sc_pep503_name(inv->arena, name), pkg.version, NULL);
	sc_inventory_add(inv, &pkg);
	return SC_OK;
}

const struct sc_extractor sc_extractor_python_dist = {
	.targets = SC_EXTRACT_IMAGE,
	.name = "python_dist",
	.version = 1,
	.max_size = 8u << 20,
	.wants = wants,
	.extract = extract,
};
