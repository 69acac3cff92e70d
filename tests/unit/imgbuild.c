/* imgbuild.c - writes real test images with libarchive: layers, configs, manifests, OCI layouts
 * and docker-archive tars (see imgbuild.h). */
#include "imgbuild.h"

#include <archive.h>
#include <archive_entry.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "shipcheck/sc_core.h"

struct membuf {
	unsigned char *data;
	size_t len, cap;
};

static la_ssize_t mem_write(struct archive *a, void *arg, const void *buf, size_t n)
{
	(void)a;
	struct membuf *m = arg;
	if (m->len + n > m->cap) {
		m->cap = (m->len + n) * 2 + 4096;
		m->data = sc_xrealloc(m->data, m->cap);
	}
	memcpy(m->data + m->len, buf, n);
	m->len += n;
	return (la_ssize_t)n;
}

static void digest_of(const void *data, size_t len, char out[72])
{
	char hex[65];
	sc_sha256_hex(data, len, hex);
	snprintf(out, 72, "sha256:%s", hex);
}

void ib_blob_of(const void *data, size_t len, struct ib_blob *b)
{
	b->data = sc_xmalloc(len + 1);
	memcpy(b->data, data, len);
	b->len = len;
	digest_of(data, len, b->digest);
}

void ib_blob_free(struct ib_blob *b)
{
	free(b->data);
	b->data = NULL;
}

static void write_tar(const struct ib_entry *entries, size_t n, struct membuf *out)
{
	struct archive *a = archive_write_new();
	archive_write_set_format_pax_restricted(a);
	archive_write_set_bytes_in_last_block(a, 1);
	archive_write_open(a, out, NULL, mem_write, NULL);
	for (size_t i = 0; i < n; i++) {
		const struct ib_entry *e = &entries[i];
		struct archive_entry *ae = archive_entry_new();
		char name[8192]; /* names longer than a path, for the tests of those */
		if (e->type == 'w') {
			const char *slash = strrchr(e->path, '/');
			if (slash)
				snprintf(name, sizeof(name), "%.*s/.wh.%s", (int)(slash - e->path), e->path, slash + 1);
			else
				snprintf(name, sizeof(name), ".wh.%s", e->path);
		} else if (e->type == 'o') {
			snprintf(name, sizeof(name), "%s/.wh..wh..opq", e->path);
		} else {
			snprintf(name, sizeof(name), "%s", e->path);
		}
		archive_entry_set_pathname(ae, name);
		archive_entry_set_mtime(ae, 1704067200, 0);
		switch (e->type) {
		case 'd':
			archive_entry_set_filetype(ae, AE_IFDIR);
			archive_entry_set_perm(ae, 0755);
			break;
		case 'l':
			archive_entry_set_filetype(ae, AE_IFLNK);
			archive_entry_set_perm(ae, 0777);
			archive_entry_set_symlink(ae, e->data);
			break;
		case 'h':
			archive_entry_set_filetype(ae, AE_IFREG);
			archive_entry_set_perm(ae, 0644);
			archive_entry_set_hardlink(ae, e->data);
			archive_entry_set_size(ae, 0);
			break;
		default:
			archive_entry_set_filetype(ae, AE_IFREG);
			archive_entry_set_perm(ae, 0644);
			archive_entry_set_size(ae, e->data ? (la_int64_t)strlen(e->data) : 0);
			break;
		}
		archive_write_header(a, ae);
		if ((e->type == 'f' || e->type == 'w' || e->type == 'o') && e->data && *e->data)
			archive_write_data(a, e->data, strlen(e->data));
		archive_entry_free(ae);
	}
	archive_write_close(a);
	archive_write_free(a);
}

static void compress(const struct membuf *in, enum ib_comp comp, struct membuf *out)
{
	struct archive *a = archive_write_new();
	archive_write_set_format_raw(a);
	if (comp == IB_GZIP)
		archive_write_add_filter_gzip(a);
	else
		archive_write_add_filter_zstd(a);
	archive_write_set_bytes_per_block(a, 0);
	archive_write_open(a, out, NULL, mem_write, NULL);
	struct archive_entry *ae = archive_entry_new();
	archive_entry_set_filetype(ae, AE_IFREG);
	archive_entry_set_pathname(ae, "data");
	archive_write_header(a, ae);
	archive_write_data(a, in->data, in->len);
	archive_entry_free(ae);
	archive_write_close(a);
	archive_write_free(a);
}

void ib_layer(const struct ib_entry *entries, size_t n, enum ib_comp comp, struct ib_blob *blob,
	      char diff_id[72])
{
	struct membuf tar = {0};
	write_tar(entries, n, &tar);
	digest_of(tar.data, tar.len, diff_id);
	if (comp == IB_NONE) {
		ib_blob_of(tar.data, tar.len, blob);
	} else {
		struct membuf z = {0};
		compress(&tar, comp, &z);
		ib_blob_of(z.data, z.len, blob);
		free(z.data);
	}
	free(tar.data);
}

char *ib_config_json(const char *const *diff_ids, size_t n, const char *arch)
{
	struct sc_strbuf sb;
	sc_strbuf_init(&sb, 1 << 20);
	sc_strbuf_printf(&sb, "{\"architecture\":\"%s\",\"os\":\"linux\",\"config\":{},"
			      "\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[", arch ? arch : "amd64");
	for (size_t i = 0; i < n; i++)
		sc_strbuf_printf(&sb, "%s\"%s\"", i ? "," : "", diff_ids[i]);
	sc_strbuf_puts(&sb, "]},\"history\":[");
	for (size_t i = 0; i < n; i++)
		sc_strbuf_printf(&sb, "%s{\"created_by\":\"RUN step %zu\"},{\"created_by\":\"ENV X=%zu\",\"empty_layer\":true}",
				 i ? "," : "", i + 1, i + 1);
	sc_strbuf_puts(&sb, "]}");
	return sc_strbuf_take(&sb);
}

static void put_file(const char *path, const void *data, size_t len)
{
	FILE *f = fopen(path, "wb");
	if (!f) {
		perror(path);
		abort();
	}
	fwrite(data, 1, len, f);
	fclose(f);
}

void ib_write_blob(const char *dir, const struct ib_blob *b)
{
	char *p = sc_xasprintf("%s/blobs", dir);
	mkdir(p, 0755);
	free(p);
	p = sc_xasprintf("%s/blobs/sha256", dir);
	mkdir(p, 0755);
	free(p);
	p = sc_xasprintf("%s/blobs/sha256/%s", dir, b->digest + 7);
	put_file(p, b->data, b->len);
	free(p);
}

void ib_oci_layout(const char *dir, const struct ib_blob *layers, const char *const *diff_ids, size_t n,
		   const char *ref, char manifest_digest[72])
{
	ib_oci_layout_arch(dir, layers, diff_ids, n, ref, NULL, manifest_digest);
}

void ib_oci_layout_arch(const char *dir, const struct ib_blob *layers, const char *const *diff_ids,
			size_t n, const char *ref, const char *arch, char manifest_digest[72])
{
	mkdir(dir, 0755);
	for (size_t i = 0; i < n; i++)
		ib_write_blob(dir, &layers[i]);
	char *cfg = ib_config_json(diff_ids, n, arch);
	struct ib_blob cb;
	ib_blob_of(cfg, strlen(cfg), &cb);
	ib_write_blob(dir, &cb);
	struct sc_strbuf sb;
	sc_strbuf_init(&sb, 1 << 20);
	sc_strbuf_printf(&sb, "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\","
			      "\"config\":{\"mediaType\":\"application/vnd.oci.image.config.v1+json\",\"digest\":\"%s\",\"size\":%zu},\"layers\":[",
			 cb.digest, cb.len);
	for (size_t i = 0; i < n; i++)
		sc_strbuf_printf(&sb, "%s{\"mediaType\":\"application/vnd.oci.image.layer.v1.tar\",\"digest\":\"%s\",\"size\":%zu}",
				 i ? "," : "", layers[i].digest, layers[i].len);
	sc_strbuf_puts(&sb, "]}");
	struct ib_blob mb;
	ib_blob_of(sb.buf, sb.len, &mb);
	ib_write_blob(dir, &mb);
	char *idx = sc_xasprintf("{\"schemaVersion\":2,\"manifests\":[{\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\","
				 "\"digest\":\"%s\",\"size\":%zu%s%s%s}]}",
				 mb.digest, mb.len, ref ? ",\"annotations\":{\"org.opencontainers.image.ref.name\":\"" : "",
				 ref ? ref : "", ref ? "\"}" : "");
	char *ip = sc_xasprintf("%s/index.json", dir);
	put_file(ip, idx, strlen(idx));
	char *lp = sc_xasprintf("%s/oci-layout", dir);
	put_file(lp, "{\"imageLayoutVersion\":\"1.0.0\"}", 30);
	if (manifest_digest)
		memcpy(manifest_digest, mb.digest, 72);
	free(ip);
	free(lp);
	free(idx);
	free(cfg);
	sc_strbuf_free(&sb);
	ib_blob_free(&cb);
	ib_blob_free(&mb);
}

static void add_member(struct archive *a, const char *name, const void *data, size_t len)
{
	struct archive_entry *ae = archive_entry_new();
	archive_entry_set_pathname(ae, name);
	archive_entry_set_filetype(ae, AE_IFREG);
	archive_entry_set_perm(ae, 0644);
	archive_entry_set_size(ae, (la_int64_t)len);
	archive_write_header(a, ae);
	archive_write_data(a, data, len);
	archive_entry_free(ae);
}

void ib_docker_archive(const char *path, const struct ib_blob *layers, const char *const *diff_ids,
		       size_t n)
{
	struct membuf out = {0};
	struct archive *a = archive_write_new();
	archive_write_set_format_pax_restricted(a);
	archive_write_open(a, &out, NULL, mem_write, NULL);
	struct sc_strbuf mf;
	sc_strbuf_init(&mf, 1 << 20);
	char *cfg = ib_config_json(diff_ids, n, NULL);
	char hex[65];
	sc_sha256_hex(cfg, strlen(cfg), hex);
	sc_strbuf_printf(&mf, "[{\"Config\":\"%s.json\",\"RepoTags\":[\"test/img:latest\"],\"Layers\":[", hex);
	for (size_t i = 0; i < n; i++) {
		char *name = sc_xasprintf("%zu/layer.tar", i);
		add_member(a, name, layers[i].data, layers[i].len);
		sc_strbuf_printf(&mf, "%s\"%s\"", i ? "," : "", name);
		free(name);
	}
	sc_strbuf_puts(&mf, "]}]");
	char *cname = sc_xasprintf("%s.json", hex);
	add_member(a, cname, cfg, strlen(cfg));
	add_member(a, "manifest.json", mf.buf, mf.len);
	archive_write_close(a);
	archive_write_free(a);
	put_file(path, out.data, out.len);
	free(out.data);
	free(cname);
	free(cfg);
	sc_strbuf_free(&mf);
}
