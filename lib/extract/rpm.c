/* rpm.c - RPM installed packages (RHEL/UBI 9, Fedora, Rocky, Alma): the SQLite rpmdb
 * (var/lib/rpm/rpmdb.sqlite, usr/lib/sysimage/rpm/rpmdb.sqlite), whose Packages table holds one
 * RPM header blob per package, read per the RPM file format's header structure (index entries +
 * data store, big-endian). BerkeleyDB/NDB databases (RHEL <= 8) are reported, not guessed. */
#include "shipcheck/sc_image.h"
#include "shipcheck/sc_purl.h"
#include "shipcheck/sc_scan.h"

#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>

#include "extract/rpm_header.h"

enum {
	TAG_NAME = 1000,
	TAG_VERSION = 1001,
	TAG_RELEASE = 1002,
	TAG_EPOCH = 1003,
	TAG_ARCH = 1022,
	TAG_SOURCERPM = 1044,
	TYPE_INT32 = 4,
	TYPE_STRING = 6,
	TYPE_STRING_ARRAY = 8,
	TYPE_I18NSTRING = 9,
};

static uint32_t be32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

bool sc_rpm_header_parse(const unsigned char *blob, size_t len, struct sc_rpm_header *h)
{
	memset(h, 0, sizeof(*h));
	h->epoch = -1;
	if (len < 8)
		return false;
	uint32_t il = be32(blob), dl = be32(blob + 4);
	if (il == 0 || il > 0xffff || dl > (256u << 20))
		return false;
	uint64_t need = 8 + (uint64_t)il * 16 + dl;
	if (need > len)
		return false;
	const unsigned char *idx = blob + 8;
	const char *store = (const char *)(idx + (size_t)il * 16);
	for (uint32_t i = 0; i < il; i++) {
		const unsigned char *e = idx + (size_t)i * 16;
		uint32_t tag = be32(e), type = be32(e + 4), off = be32(e + 8), count = be32(e + 12);
		if (off >= dl || count == 0)
			continue;
		if (type == TYPE_STRING || type == TYPE_I18NSTRING || type == TYPE_STRING_ARRAY) {
			const char *s = store + off;
			if (!memchr(s, '\0', dl - off))
				continue; /* unterminated: ignore */
			switch (tag) {
			case TAG_NAME: h->name = s; break;
			case TAG_VERSION: h->version = s; break;
			case TAG_RELEASE: h->release = s; break;
			case TAG_ARCH: h->arch = s; break;
			case TAG_SOURCERPM: h->sourcerpm = s; break;
			default: break;
			}
		} else if (type == TYPE_INT32 && tag == TAG_EPOCH && (uint64_t)off + 4 <= dl && off % 4 == 0) {
			h->epoch = (int64_t)be32((const unsigned char *)store + off);
		}
	}
	return h->name && h->version;
}

static bool wants(const char *path, uint64_t size, uint32_t mode)
{
	(void)size;
	(void)mode;
	return !strcmp(path, "var/lib/rpm/rpmdb.sqlite") || !strcmp(path, "usr/lib/sysimage/rpm/rpmdb.sqlite") ||
	       !strcmp(path, "var/lib/rpm/Packages") || !strcmp(path, "var/lib/rpm/Packages.db");
}

/* "openssl-3.0.7-24.el9.src.rpm" -> name "openssl", version "3.0.7-24.el9". */
static void split_srpm(struct sc_arena *a, const char *s, const char **name, const char **ver)
{
	size_t n = strlen(s);
	if (n > 8 && !strcmp(s + n - 8, ".src.rpm"))
		n -= 8;
	else if (n > 10 && !strcmp(s + n - 10, ".nosrc.rpm"))
		n -= 10;
	char *c = sc_arena_strndup(a, s, n);
	char *r = strrchr(c, '-');
	char *v = r ? (*r = '\0', strrchr(c, '-')) : NULL;
	if (!r || !v) {
		*name = c;
		*ver = NULL;
		return;
	}
	*v = '\0';
	*name = c;
	*ver = sc_arena_printf(a, "%s-%s", v + 1, r + 1);
}

static enum sc_status extract(const struct sc_extract_input *in, struct sc_inventory *inv,
			      struct sc_error *err)
{
	if (in->len < 16 || memcmp(in->data, "SQLite format 3", 16) != 0)
		return sc_error_set(err, SC_EINPUT, in->path, 0, 0,
				    "BerkeleyDB/NDB rpm databases (RHEL 8 and older) are not read yet: "
				    "the image's RPM packages are not checked");
	struct sc_os_info os = {.id = inv->os_id ? inv->os_id : "rhel", .version_id = inv->os_version};
	const char *eco = sc_os_ecosystem(&os, inv->arena);
	const char *type = "rpm", *ns = "redhat";
	(void)sc_os_purl_type(os.id, &type, &ns);
	enum sc_status st = SC_OK;
	sqlite3 *db = NULL;
	sqlite3_stmt *q = NULL;
	unsigned char *copy = sqlite3_malloc64(in->len);
	if (!copy)
		abort();
	memcpy(copy, in->data, in->len);
	if (in->len > 19 && copy[18] == 2 && copy[19] == 2)
		copy[18] = copy[19] = 1; /* WAL mode: read the main file as a rollback-journal DB */
	if (sqlite3_open_v2(":memory:", &db, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK) {
		sqlite3_free(copy);
		st = sc_error_set(err, SC_EINTERNAL, in->path, 0, 0, "sqlite: cannot open a memory database");
		goto out;
	}
	if (sqlite3_deserialize(db, "main", copy, (sqlite3_int64)in->len, (sqlite3_int64)in->len,
				SQLITE_DESERIALIZE_FREEONCLOSE | SQLITE_DESERIALIZE_READONLY) != SQLITE_OK) {
		st = sc_error_set(err, SC_EINPUT, in->path, 0, 0, "not a readable SQLite rpmdb");
		goto out;
	}
	if (sqlite3_prepare_v2(db, "SELECT blob FROM Packages", -1, &q, NULL) != SQLITE_OK) {
		st = sc_error_set(err, SC_EINPUT, in->path, 0, 0, "rpmdb: %s", sqlite3_errmsg(db));
		goto out;
	}
	unsigned row = 0;
	int rc;
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		row++;
		const unsigned char *blob = sqlite3_column_blob(q, 0);
		int n = sqlite3_column_bytes(q, 0);
		struct sc_rpm_header h;
		if (!blob || n <= 0 || !sc_rpm_header_parse(blob, (size_t)n, &h)) {
			sc_inventory_warn(inv, in->path, 0, 0, "rpm: package row %u: unreadable header blob, skipped", row);
			continue;
		}
		if (!strcmp(h.name, "gpg-pubkey"))
			continue; /* imported signing keys, not software */
		struct sc_package p = {0};
		p.ecosystem = eco ? eco : "Red Hat";
		p.name = h.name;
		p.version = h.release ? (h.epoch > 0 ? sc_arena_printf(inv->arena, "%lld:%s-%s", (long long)h.epoch, h.version, h.release)
						    : sc_arena_printf(inv->arena, "%s-%s", h.version, h.release))
				      : h.version;
		p.arch = h.arch;
		if (h.sourcerpm) {
			const char *sn = NULL, *sv = NULL;
			split_srpm(inv->arena, h.sourcerpm, &sn, &sv);
			if (sn && strcmp(sn, h.name) != 0)
				p.source_name = sn;
			if (sv && strcmp(sv, p.version) != 0)
				p.source_version = sv;
		}
		p.path = in->path;
		p.layer = in->layer;
		p.flags = SC_PKG_OS;
		struct sc_strbuf qs;
		sc_strbuf_init(&qs, 4096);
		if (h.arch)
			sc_strbuf_printf(&qs, "arch=%s", sc_purl_encode(inv->arena, h.arch));
		if (h.epoch > 0)
			sc_strbuf_printf(&qs, "%sepoch=%lld", qs.len ? "&" : "", (long long)h.epoch);
		if (inv->os_version)
			sc_strbuf_printf(&qs, "%sdistro=%s-%s", qs.len ? "&" : "", os.id, sc_purl_encode(inv->arena, inv->os_version));
		p.purl = sc_purl(inv->arena, type, ns, h.name,
				 h.release ? sc_arena_printf(inv->arena, "%s-%s", h.version, h.release) : h.version,
				 qs.len ? sc_strbuf_str(&qs) : NULL);
		sc_strbuf_free(&qs);
		sc_inventory_add(inv, &p);
	}
	if (rc != SQLITE_DONE)
		st = sc_error_set(err, SC_EINPUT, in->path, 0, 0, "rpmdb: %s", sqlite3_errmsg(db));
out:
	sqlite3_finalize(q);
	sqlite3_close(db);
	return st;
}

const struct sc_extractor sc_extractor_rpm = {
	.targets = SC_EXTRACT_IMAGE,
	.name = "rpm",
	.version = 1,
	.os = true,
	.max_size = 512u << 20,
	.wants = wants,
	.extract = extract,
};
