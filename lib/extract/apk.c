/* apk.c - Alpine (and Wolfi) installed packages: lib/apk/db/installed, one block of "K:value"
 * lines per package (P name, V version, A arch, o origin = the source package advisories use). */
#include "shipcheck/sc_image.h"
#include "shipcheck/sc_purl.h"
#include "shipcheck/sc_scan.h"

#include <string.h>

static bool wants(const char *path, uint64_t size, uint32_t mode)
{
	(void)size;
	(void)mode;
	return !strcmp(path, "lib/apk/db/installed");
}

struct block {
	const char *name, *version, *arch, *origin;
	size_t name_len, version_len, arch_len, origin_len;
	unsigned line;
};

static void emit(const struct sc_extract_input *in, struct sc_inventory *inv, const struct block *b,
		 const char *eco, const char *distro)
{
	if (!b->name || !b->name_len)
		return;
	struct sc_arena *a = inv->arena;
	if (!b->version) {
		sc_inventory_warn(inv, in->path, b->line, 1, "apk: package without V: (version), skipped");
		return;
	}
	struct sc_package p = {0};
	p.ecosystem = eco;
	p.name = sc_arena_strndup(a, b->name, b->name_len);
	p.version = sc_arena_strndup(a, b->version, b->version_len);
	p.arch = b->arch ? sc_arena_strndup(a, b->arch, b->arch_len) : NULL;
	if (b->origin && (b->origin_len != b->name_len || memcmp(b->origin, b->name, b->name_len) != 0))
		p.source_name = sc_arena_strndup(a, b->origin, b->origin_len);
	p.path = in->path;
	p.line = b->line;
	p.layer = in->layer;
	p.flags = SC_PKG_OS;
	const char *ns = inv->os_id && !strcmp(inv->os_id, "wolfi") ? "wolfi" : "alpine";
	struct sc_strbuf q;
	sc_strbuf_init(&q, 4096);
	if (p.arch)
		sc_strbuf_printf(&q, "arch=%s", sc_purl_encode(a, p.arch));
	if (distro)
		sc_strbuf_printf(&q, "%sdistro=%s", q.len ? "&" : "", sc_purl_encode(a, distro));
	p.purl = sc_purl(a, "apk", ns, p.name, p.version, q.len ? sc_strbuf_str(&q) : NULL);
	sc_strbuf_free(&q);
	sc_inventory_add(inv, &p);
}

static enum sc_status extract(const struct sc_extract_input *in, struct sc_inventory *inv,
			      struct sc_error *err)
{
	(void)err;
	struct sc_os_info os = {.id = inv->os_id ? inv->os_id : "alpine", .version_id = inv->os_version};
	const char *eco = sc_os_ecosystem(&os, inv->arena);
	if (!eco)
		eco = "Alpine";
	const char *distro = inv->os_version;
	const char *p = (const char *)in->data, *end = p + in->len;
	struct block b = {0};
	unsigned line = 0;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *le = nl ? nl : end;
		line++;
		size_t n = (size_t)(le - p);
		if (n && p[n - 1] == '\r')
			n--;
		if (n == 0) {
			emit(in, inv, &b, eco, distro);
			memset(&b, 0, sizeof(b));
		} else if (n >= 2 && p[1] == ':') {
			const char *v = p + 2;
			size_t vl = n - 2;
			switch (p[0]) {
			case 'P':
				if (b.name) { /* a block without its blank line: start the next one */
					emit(in, inv, &b, eco, distro);
					memset(&b, 0, sizeof(b));
				}
				b.name = v, b.name_len = vl, b.line = line;
				break;
			case 'V': b.version = v, b.version_len = vl; break;
			case 'A': b.arch = v, b.arch_len = vl; break;
			case 'o': b.origin = v, b.origin_len = vl; break;
			default: break;
			}
		}
		p = nl ? nl + 1 : end;
	}
	emit(in, inv, &b, eco, distro);
	return SC_OK;
}

const struct sc_extractor sc_extractor_apk = {
	.targets = SC_EXTRACT_IMAGE,
	.name = "apk",
	.version = 1,
	.os = true,
	.max_size = 64u << 20,
	.wants = wants,
	.extract = extract,
};
