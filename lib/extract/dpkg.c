/* dpkg.c - Debian/Ubuntu installed packages: /var/lib/dpkg/status and distroless status.d/. */
#include "shipcheck/sc_deb822.h"
#include "shipcheck/sc_purl.h"
#include "shipcheck/sc_scan.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

static bool wants(const char *path, uint64_t size, uint32_t mode)
{
	(void)size;
	(void)mode;
	if (!strcmp(path, "var/lib/dpkg/status"))
		return true;
	if (strncmp(path, "var/lib/dpkg/status.d/", 22))
		return false;
	const char *base = path + 22;
	size_t n = strlen(base);
	/* distroless keeps one control paragraph per package; skip the .md5sums companions */
	return n && !strchr(base, '/') && !(n > 8 && !strcmp(base + n - 8, ".md5sums"));
}

/* The OSV ecosystem of the OS the packages belong to ("Debian:12"), from the inventory's OS facts. */
static const char *ecosystem(struct sc_inventory *inv, const char **distro)
{
	const char *id = inv->os_id ? inv->os_id : "debian";
	const char *ver = inv->os_version;
	if (!strcmp(id, "ubuntu")) {
		*distro = ver ? sc_arena_printf(inv->arena, "ubuntu-%s", ver) : "ubuntu";
		return ver ? sc_arena_printf(inv->arena, "Ubuntu:%s", ver) : "Ubuntu";
	}
	if (!ver) {
		*distro = "debian";
		return "Debian";
	}
	/* Debian's OSV keys use the major release: 12.4 -> Debian:12 */
	size_t major = strcspn(ver, ".");
	*distro = sc_arena_printf(inv->arena, "debian-%.*s", (int)major, ver);
	return sc_arena_printf(inv->arena, "Debian:%.*s", (int)major, ver);
}

/* Status: "want flag status"; only the "installed" state counts (config-files, half-installed
 * and not-installed packages are not on the system). status.d/ paragraphs have no Status. */
static bool installed(const struct sc_deb822_stanza *st)
{
	const struct sc_deb822_field *f = sc_deb822_get(st, "Status");
	if (!f)
		return true;
	const char *sp = memrchr(f->value, ' ', f->value_len);
	const char *word = sp ? sp + 1 : f->value;
	size_t n = (size_t)(f->value + f->value_len - word);
	return n == 9 && !memcmp(word, "installed", 9);
}

static enum sc_status extract(const struct sc_extract_input *in, struct sc_inventory *inv,
			      struct sc_error *err)
{
	struct sc_deb822 p;
	sc_deb822_init(&p, in->path, (const char *)in->data, in->len);
	struct sc_deb822_stanza st = {0};
	enum sc_status rc = SC_OK;
	const char *distro = NULL;
	const char *eco = ecosystem(inv, &distro);
	for (;;) {
		bool got;
		rc = sc_deb822_next(&p, &st, &got, err);
		if (rc != SC_OK || !got)
			break;
		if (!installed(&st))
			continue;
		struct sc_package pkg = {0};
		pkg.name = sc_deb822_dup(&st, "Package", inv->arena);
		pkg.version = sc_deb822_dup(&st, "Version", inv->arena);
		if (!pkg.name || !pkg.version) {
			sc_inventory_warn(inv, in->path, st.line, 1, "dpkg: paragraph without %s, skipped",
					  pkg.name ? "Version" : "Package");
			continue;
		}
		pkg.arch = sc_deb822_dup(&st, "Architecture", inv->arena);
		/* Source: "name" or "name (version)" */
		const struct sc_deb822_field *src = sc_deb822_get(&st, "Source");
		if (src) {
			const char *paren = memchr(src->value, '(', src->value_len);
			const char *end = paren ? paren : src->value + src->value_len;
			while (end > src->value && end[-1] == ' ')
				end--;
			pkg.source_name = sc_arena_strndup(inv->arena, src->value, (size_t)(end - src->value));
			if (paren) {
				const char *close = memchr(paren, ')', (size_t)(src->value + src->value_len - paren));
				if (close)
					pkg.source_version = sc_arena_strndup(inv->arena, paren + 1, (size_t)(close - paren - 1));
			}
		}
		pkg.ecosystem = eco;
		pkg.path = in->path;
		pkg.line = st.line;
		pkg.layer = in->layer;
		pkg.flags = SC_PKG_OS;
		const struct sc_deb822_field *stf = sc_deb822_get(&st, "Status");
		const struct sc_deb822_field *ess = sc_deb822_get(&st, "Essential");
		if (stf && stf->value_len >= 5 && !strncmp(stf->value, "hold ", 5))
			pkg.flags |= SC_PKG_HELD;
		if (ess && ess->value_len == 3 && !strncasecmp(ess->value, "yes", 3))
			pkg.flags |= SC_PKG_ESSENTIAL;
		const char *q = pkg.arch ? sc_arena_printf(inv->arena, "arch=%s&distro=%s", sc_purl_encode(inv->arena, pkg.arch), distro)
					 : sc_arena_printf(inv->arena, "distro=%s", distro);
		pkg.purl = sc_purl(inv->arena, "deb", !strncmp(eco, "Ubuntu", 6) ? "ubuntu" : "debian", pkg.name,
				   pkg.version, q);
		sc_inventory_add(inv, &pkg);
	}
	sc_deb822_stanza_free(&st);
	return rc;
}

const struct sc_extractor sc_extractor_dpkg = {
	.targets = SC_EXTRACT_IMAGE,
	.name = "dpkg",
	.version = 1,
	.os = true,
	.max_size = 64u << 20,
	.wants = wants,
	.extract = extract,
};
