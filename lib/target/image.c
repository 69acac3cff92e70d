/* image.c - opening an image target: docker-archive tars (classic and OCI-inside-tar), OCI image
 * layouts (directory or tar, nested indexes, --platform, PATH:REF), root filesystem directories.
 * Reads the JSON documents, verifies every digest, streams each layer once (from the layer cache
 * when it can) and builds the merged view. */
#include "image_impl.h"

#include "sc_archive_dl.h"
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define SMALL_MEMBER (1u << 20)     /* tar members up to this size are kept from the first pass */
#define SMALL_BUDGET (64ull << 20)  /* ... up to this much in total */
/* In a compressed archive (`docker save | gzip`) the larger members are kept too, in huge pages,
 * up to a 64th of the image's byte limit (256 MiB by default): `docker save` writes the manifest
 * last, so without them every layer would be inflated a second time. */
#define LARGE_BUDGET_MAX (256ull << 20)

void sc_image_options_init(struct sc_image_options *o)
{
	memset(o, 0, sizeof(*o));
	sc_limits_default(&o->limits);
}

/* A member of an image tar. */
struct member {
	const char *name;
	uint64_t size;
	const char *symlink; /* cleaned target inside the archive */
	unsigned char *data; /* small members (and large ones of a compressed archive, in big) */
	size_t len;
	bool have;
	struct sc_bigbuf big; /* data's storage when it is a large member */
};

static void member_drop_data(struct member *m)
{
	if (m->big.buf)
		sc_bigbuf_free(&m->big);
	else
		free(m->data);
	m->data = NULL;
	m->have = false;
}

/* What the manifest asks for, per layer. */
struct plan_layer {
	const char *member;  /* tar member or blob path below the layout */
	const char *digest;  /* expected blob digest, NULL = unknown (docker classic) */
	const char *diff_id; /* expected, from the config */
	const char *media_type;
	uint64_t size;
};

struct image_impl {
	struct sc_layer_rec **recs;
	size_t n_recs;
	struct sc_map *members; /* tar: name -> struct member */
	struct sc_ptrvec member_list;
	int dirfd;              /* layout directory */
	struct plan_layer *plan;
	size_t n_plan;
	bool explicit_platform;
	const char *want_os, *want_arch, *want_variant;
};

static struct image_impl *impl_of(const struct sc_image *img)
{
	return img->impl;
}

void sc_image_free(struct sc_image *img)
{
	if (!img)
		return;
	struct image_impl *im = img->impl;
	sc_fs_free(img->fs);
	if (im) {
		for (size_t i = 0; i < im->n_recs; i++) {
			bool dup = false;
			for (size_t k = 0; k < i; k++)
				dup = dup || im->recs[k] == im->recs[i];
			if (!dup)
				sc_layer_rec_free(im->recs[i]);
		}
		free(im->recs);
		for (size_t i = 0; i < im->member_list.len; i++) {
			struct member *m = im->member_list.items[i];
			member_drop_data(m);
			free(m);
		}
		sc_ptrvec_free(&im->member_list);
		sc_map_free(im->members);
		if (im->dirfd >= 0)
			close(im->dirfd);
		free(im);
	}
	sc_ptrvec_free(&img->warnings);
	sc_arena_free(img->arena);
	free(img);
}

static void warn(struct sc_image *img, const char *path, const char *fmt, ...) SC_PRINTF(3, 4);
static void warn(struct sc_image *img, const char *path, const char *fmt, ...)
{
	struct sc_warning *w = sc_arena_alloc(img->arena, sizeof(*w));
	w->path = sc_arena_strdup(img->arena, path);
	va_list ap;
	va_start(ap, fmt);
	w->message = sc_arena_vprintf(img->arena, fmt, ap);
	va_end(ap);
	sc_ptrvec_push(&img->warnings, w);
}

/* ---- blob access ---- */

static const char *blob_path(struct sc_arena *a, const char *digest)
{
	return sc_arena_printf(a, "blobs/sha256/%s", digest + 7);
}

static struct member *member_find(struct image_impl *im, const char *name)
{
	struct member *m = sc_map_get(im->members, name);
	for (int hops = 0; m && m->symlink && hops < 8; hops++)
		m = sc_map_get(im->members, m->symlink);
	return m && !m->symlink ? m : NULL;
}

/* Reads a small document (manifest, index, config) by path inside the layout or archive. */
static enum sc_status read_doc(struct sc_image *img, const char *name, char **data, size_t *len,
			       struct sc_error *err)
{
	struct image_impl *im = impl_of(img);
	*data = NULL;
	*len = 0;
	if (im->members) {
		struct member *m = member_find(im, name);
		if (!m)
			return sc_error_set(err, SC_EINPUT, name, 0, 0, "missing from the archive %s", img->path);
		if (!m->have)
			return sc_error_set(err, SC_ELIMIT, name, 0, 0, "document of %llu bytes is too large",
					    (unsigned long long)m->size);
		*data = sc_xmalloc(m->len + 1);
		memcpy(*data, m->data, m->len);
		(*data)[m->len] = 0;
		*len = m->len;
		return SC_OK;
	}
	int fd = openat(im->dirfd, name, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0)
		return sc_error_set(err, SC_EINPUT, name, 0, 0, "missing from the layout %s: %s", img->path,
				    strerror(errno));
	struct stat sb;
	if (fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode)) {
		close(fd);
		return sc_error_set(err, SC_EINPUT, name, 0, 0, "not a regular file");
	}
	if ((uint64_t)sb.st_size > SC_IMG_MAX_JSON) {
		close(fd);
		return sc_error_set(err, SC_ELIMIT, name, 0, 0, "document of %lld bytes is too large",
				    (long long)sb.st_size);
	}
	char *buf = sc_xmalloc((size_t)sb.st_size + 1);
	size_t n = 0;
	while (n < (size_t)sb.st_size) {
		ssize_t r = read(fd, buf + n, (size_t)sb.st_size - n);
		if (r <= 0)
			break;
		n += (size_t)r;
	}
	close(fd);
	buf[n] = 0;
	*data = buf;
	*len = n;
	return SC_OK;
}

/* Reads a blob document and checks its digest. */
static enum sc_status read_blob_doc(struct sc_image *img, const char *digest, const char *what,
				    char **data, size_t *len, struct sc_error *err)
{
	const char *name = blob_path(img->arena, digest);
	enum sc_status st = read_doc(img, name, data, len, err);
	if (st != SC_OK)
		return st;
	char hex[65];
	sc_sha256_hex(*data, *len, hex);
	if (strcmp(hex, digest + 7) != 0) {
		free(*data);
		*data = NULL;
		return sc_error_set(err, SC_EINPUT, name, 0, 0,
				    "%s digest mismatch: expected %s, content is sha256:%s (tampered or corrupt image)",
				    what, digest, hex);
	}
	return SC_OK;
}

/* ---- first pass over an image tar ---- */

static bool is_doc_name(const char *n)
{
	size_t l = strlen(n);
	return (l > 5 && !strcmp(n + l - 5, ".json")) || !strcmp(n, "oci-layout") || !strcmp(n, "repositories") ||
	       !strcmp(n, "index.json") || !strcmp(n, "manifest.json");
}

static struct archive *open_outer(const char *path, struct sc_error *err)
{
	struct archive *a = archive_read_new();
	archive_read_support_filter_gzip(a);
	archive_read_support_filter_zstd(a);
	archive_read_support_format_tar(a);
	archive_read_support_format_gnutar(a);
	if (archive_read_open_filename(a, path, 1 << 20) != ARCHIVE_OK) {
		sc_error_set(err, SC_EINPUT, path, 0, 0, "not an image archive: %s", archive_error_string(a));
		archive_read_free(a);
		return NULL;
	}
	return a;
}

/* Reads a member's bytes into m (have, len): into malloc'd memory, or with big into huge pages. */
static enum sc_status read_member(struct archive *a, struct member *m, bool big, const char *name,
				  struct sc_error *err)
{
	if (big) {
		sc_bigbuf_init(&m->big, (size_t)m->size + 1);
		sc_bigbuf_reserve(&m->big, (size_t)m->size);
		m->data = (unsigned char *)m->big.buf;
	} else {
		m->data = sc_xmalloc((size_t)m->size + 1);
	}
	size_t got = 0;
	while (got < m->size) {
		la_ssize_t k = archive_read_data(a, m->data + got, (size_t)m->size - got);
		if (k < 0) {
			member_drop_data(m);
			return sc_error_set(err, SC_EINPUT, name, 0, 0, "cannot read member: %s", archive_error_string(a));
		}
		if (k == 0)
			break;
		got += (size_t)k;
	}
	m->len = got;
	m->have = true;
	return SC_OK;
}

static enum sc_status scan_members(struct sc_image *img, uint64_t large_budget, struct sc_error *err)
{
	struct image_impl *im = impl_of(img);
	struct archive *a = open_outer(img->path, err);
	if (!a)
		return SC_EINPUT;
	im->members = sc_map_new();
	enum sc_status st = SC_OK;
	uint64_t kept = 0, kept_large = 0;
	char clean[4096];
	for (;;) {
		struct archive_entry *e;
		int r = archive_read_next_header(a, &e);
		if (r == ARCHIVE_EOF)
			break;
		if (r < ARCHIVE_WARN) {
			st = sc_error_set(err, SC_EINPUT, img->path, 0, 0, "not a valid image archive: %s",
					  archive_error_string(a));
			goto out;
		}
		if (im->member_list.len > 100000) {
			st = sc_error_set(err, SC_ELIMIT, img->path, 0, 0, "more than 100000 members in the archive");
			goto out;
		}
		const char *n = archive_entry_pathname(e);
		if (!n || !sc_path_clean(n, clean, sizeof(clean)) || !clean[0])
			continue;
		if (archive_entry_filetype(e) != AE_IFREG && archive_entry_filetype(e) != AE_IFLNK)
			continue;
		struct member *m = sc_xcalloc(1, sizeof(*m));
		m->name = sc_arena_strdup(img->arena, clean);
		m->size = archive_entry_size(e) > 0 ? (uint64_t)archive_entry_size(e) : 0;
		if (archive_entry_filetype(e) == AE_IFLNK) {
			const char *t = archive_entry_symlink(e);
			const char *base = sc_path_base(clean);
			char *joined = t && t[0] != '/'
					       ? sc_xasprintf("%.*s%s", (int)(base - clean), clean, t)
					       : sc_xstrdup(t ? t : "");
			char res[4096];
			if (sc_path_clean(joined, res, sizeof(res)) && res[0])
				m->symlink = sc_arena_strdup(img->arena, res);
			else
				m->symlink = "";
			free(joined);
		} else if ((m->size <= SMALL_MEMBER || (is_doc_name(clean) && m->size <= SC_IMG_MAX_JSON)) &&
			   kept + m->size <= SMALL_BUDGET) {
			st = read_member(a, m, false, clean, err);
			if (st != SC_OK) {
				free(m);
				goto out;
			}
			kept += m->len;
		} else if (archive_filter_count(a) > 1 && m->size <= large_budget - kept_large) {
			/* compressed: reading it again later would inflate everything before it again */
			st = read_member(a, m, true, clean, err);
			if (st != SC_OK) {
				free(m);
				goto out;
			}
			kept_large += m->len;
		}
		struct member *old = sc_map_put(im->members, m->name, m);
		if (old) {
			/* a later member of the same name wins, as tar extraction would */
			for (size_t i = 0; i < im->member_list.len; i++)
				if (im->member_list.items[i] == old)
					im->member_list.items[i] = m;
			member_drop_data(old);
			free(old);
		} else {
			sc_ptrvec_push(&im->member_list, m);
		}
	}
out:
	archive_read_free(a);
	return st;
}

/* ---- manifests and platform selection ---- */

static bool platform_matches(const struct image_impl *im, const char *os, const char *arch,
			     const char *variant)
{
	if (os && strcmp(os, im->want_os) != 0)
		return false;
	if (arch && strcmp(arch, im->want_arch) != 0)
		return false;
	if (im->want_variant && variant && strcmp(variant, im->want_variant) != 0)
		return false;
	return true;
}

/* Picks one image manifest from an index (recursing into nested indexes). */
static enum sc_status select_manifest(struct sc_image *img, const char *name, const char *data, size_t len,
				      const char *ref, int depth, struct sc_oci_desc *out, struct sc_error *err)
{
	struct image_impl *im = impl_of(img);
	if (depth > 4)
		return sc_error_set(err, SC_ELIMIT, name, 0, 0, "image indexes nested deeper than 4 levels");
	struct sc_oci_desc *d = NULL;
	size_t n = 0;
	enum sc_status st = sc_oci_parse_index(img->arena, name, data, len, &d, &n, err);
	if (st != SC_OK)
		return st;
	struct sc_strbuf refs;
	sc_strbuf_init(&refs, 4096);
	size_t nref = 0;
	for (size_t i = 0; i < n; i++) {
		if (d[i].ref_name && sc_strbuf_printf(&refs, "%s%s", nref ? ", " : "", d[i].ref_name) == SC_OK)
			nref++;
	}
	struct sc_oci_desc *found = NULL;
	size_t matches = 0;
	const char *first_ref = NULL;
	bool distinct_refs = false;
	for (size_t i = 0; i < n; i++) {
		if (ref && !(d[i].ref_name && !strcmp(d[i].ref_name, ref)) && strcmp(d[i].digest, ref) != 0)
			continue;
		struct sc_oci_desc pick = d[i];
		if (sc_oci_is_index_type(d[i].media_type)) {
			char *sub = NULL;
			size_t sublen = 0;
			st = read_blob_doc(img, d[i].digest, "image index", &sub, &sublen, err);
			if (st != SC_OK)
				goto out;
			st = select_manifest(img, blob_path(img->arena, d[i].digest), sub, sublen, NULL, depth + 1,
					     &pick, err);
			free(sub);
			if (st != SC_OK) {
				if (st == SC_EINPUT && !ref && n > 1) {
					/* another entry of this index may fit the platform */
					sc_error_clear(err);
					st = SC_OK;
					continue;
				}
				goto out;
			}
			if (!pick.ref_name)
				pick.ref_name = d[i].ref_name;
		} else if (!platform_matches(im, d[i].os, d[i].arch, d[i].variant)) {
			continue;
		}
		if (!found) {
			found = sc_arena_alloc(img->arena, sizeof(*found));
			*found = pick;
			first_ref = pick.ref_name;
		} else if ((pick.ref_name && !first_ref) || (first_ref && !pick.ref_name) ||
			   (pick.ref_name && first_ref && strcmp(pick.ref_name, first_ref) != 0)) {
			distinct_refs = true;
		}
		matches++;
	}
	if (!found) {
		if (ref)
			st = sc_error_set(err, SC_EINPUT, name, 0, 0, "no image named `%s` in %s (names: %s)", ref,
					  img->path, nref ? sc_strbuf_str(&refs) : "none");
		else
			st = sc_error_set(err, SC_EINPUT, name, 0, 0, "no image for platform %s/%s%s%s in %s",
					  im->want_os, im->want_arch, im->want_variant ? "/" : "",
					  im->want_variant ? im->want_variant : "", img->path);
		goto out;
	}
	if (matches > 1 && distinct_refs && !ref) {
		st = sc_error_set(err, SC_EINPUT, name, 0, 0,
				  "%s holds %zu images; name one as PATH:REF (names: %s)", img->path, matches,
				  sc_strbuf_str(&refs));
		goto out;
	}
	*out = *found;
out:
	sc_strbuf_free(&refs);
	return st;
}

static void set_history(struct sc_image *img, const struct sc_oci_config *c)
{
	/* non-empty history entries map to layers in order */
	size_t li = 0;
	for (size_t i = 0; i < c->n_history && li < img->n_layers; i++) {
		if (c->history[i].empty_layer)
			continue;
		img->layers[li++].created_by = c->history[i].created_by;
	}
}

static enum sc_status plan_from_config(struct sc_image *img, const char *cfg_name, const char *cfg,
				       size_t cfg_len, size_t n_layers, struct sc_oci_config *c,
				       struct sc_error *err)
{
	struct image_impl *im = impl_of(img);
	enum sc_status st = sc_oci_parse_config(img->arena, cfg_name, cfg, cfg_len, c, err);
	if (st != SC_OK)
		return st;
	if (c->n_diff_ids != n_layers)
		return sc_error_set(err, SC_EINPUT, cfg_name, 0, 0,
				    "the config lists %zu diff_ids but the manifest %zu layers", c->n_diff_ids,
				    n_layers);
	if (im->explicit_platform && !platform_matches(im, c->os, c->arch, c->variant))
		return sc_error_set(err, SC_EINPUT, cfg_name, 0, 0, "the image is %s/%s, not the requested platform",
				    c->os ? c->os : "?", c->arch ? c->arch : "?");
	img->os = c->os;
	img->architecture = c->arch;
	img->user = c->user && *c->user ? c->user : NULL;
	img->env = c->env;
	img->labels = c->labels;
	img->exposed_ports = c->exposed_ports;
	img->has_healthcheck = c->has_healthcheck;
	const char **hist = sc_arena_alloc(img->arena, (c->n_history + 1) * sizeof(*hist));
	bool *hempty = sc_arena_alloc(img->arena, (c->n_history + 1) * sizeof(*hempty));
	for (size_t i = 0; i < c->n_history; i++) {
		hist[i] = c->history[i].created_by;
		hempty[i] = c->history[i].empty_layer;
	}
	img->history = hist;
	img->history_empty = hempty;
	img->n_history = c->n_history;
	if (!img->base_name)
		img->base_name = c->base_name;
	if (!img->base_digest)
		img->base_digest = c->base_digest;
	return SC_OK;
}

static enum sc_status plan_oci(struct sc_image *img, struct sc_error *err)
{
	struct image_impl *im = impl_of(img);
	char *idx = NULL, *mf = NULL, *cfg = NULL;
	size_t idx_len = 0, mf_len = 0, cfg_len = 0;
	struct sc_oci_desc md = {0};
	struct sc_oci_manifest m = {0};
	struct sc_oci_config c = {0};
	enum sc_status st = read_doc(img, "index.json", &idx, &idx_len, err);
	if (st != SC_OK)
		goto out;
	st = select_manifest(img, "index.json", idx, idx_len, img->ref, 0, &md, err);
	if (st != SC_OK)
		goto out;
	st = read_blob_doc(img, md.digest, "manifest", &mf, &mf_len, err);
	if (st != SC_OK)
		goto out;
	const char *mname = blob_path(img->arena, md.digest);
	st = sc_oci_parse_manifest(img->arena, mname, mf, mf_len, &m, err);
	if (st != SC_OK)
		goto out;
	img->digest = md.digest;
	img->config_digest = m.config.digest;
	img->base_name = m.base_name;
	img->base_digest = m.base_digest;
	st = read_blob_doc(img, m.config.digest, "config", &cfg, &cfg_len, err);
	if (st != SC_OK)
		goto out;
	st = plan_from_config(img, blob_path(img->arena, m.config.digest), cfg, cfg_len, m.n_layers, &c, err);
	if (st != SC_OK)
		goto out;
	img->n_layers = m.n_layers;
	img->layers = sc_arena_alloc(img->arena, (m.n_layers + 1) * sizeof(*img->layers));
	im->plan = sc_arena_alloc(img->arena, (m.n_layers + 1) * sizeof(*im->plan));
	im->n_plan = m.n_layers;
	for (size_t i = 0; i < m.n_layers; i++) {
		const struct sc_oci_desc *l = &m.layers[i];
		im->plan[i] = (struct plan_layer){blob_path(img->arena, l->digest), l->digest, c.diff_ids[i],
						  l->media_type, l->size};
		img->layers[i] = (struct sc_image_layer){l->digest, c.diff_ids[i], l->media_type,
							 im->plan[i].member, l->size, NULL, false};
	}
	set_history(img, &c);
out:
	free(idx);
	free(mf);
	free(cfg);
	return st;
}

static const char *digest_of_member(struct sc_arena *a, const char *name)
{
	/* "blobs/sha256/<hex>" or "<hex>.json" name their own digest */
	const char *hex = NULL;
	if (!strncmp(name, "blobs/sha256/", 13))
		hex = name + 13;
	else if (strlen(name) == 69 && !strcmp(name + 64, ".json"))
		hex = name;
	if (!hex)
		return NULL;
	char *d = sc_arena_printf(a, "sha256:%.64s", hex);
	return sc_oci_digest_valid(d) && (strlen(hex) == 64 || hex[64] == '.') ? d : NULL;
}

static enum sc_status plan_docker(struct sc_image *img, struct sc_error *err)
{
	struct image_impl *im = impl_of(img);
	char *mf = NULL, *cfg = NULL;
	size_t mf_len = 0, cfg_len = 0;
	struct sc_docker_entry e = {0};
	struct sc_oci_config c = {0};
	enum sc_status st = read_doc(img, "manifest.json", &mf, &mf_len, err);
	if (st != SC_OK)
		goto out;
	st = sc_docker_parse_manifest(img->arena, "manifest.json", mf, mf_len, img->ref, &e, err);
	if (st != SC_OK)
		goto out;
	char cname[4096];
	if (!sc_path_clean(e.config, cname, sizeof(cname))) {
		st = sc_error_set(err, SC_EINPUT, "manifest.json", 0, 0, "Config `%s` leaves the archive", e.config);
		goto out;
	}
	st = read_doc(img, cname, &cfg, &cfg_len, err);
	if (st != SC_OK)
		goto out;
	const char *cdig = digest_of_member(img->arena, cname);
	char hex[65];
	sc_sha256_hex(cfg, cfg_len, hex);
	if (cdig && strcmp(cdig + 7, hex) != 0) {
		st = sc_error_set(err, SC_EINPUT, cname, 0, 0,
				  "config digest mismatch: its name says %s, content is sha256:%s (tampered or corrupt image)",
				  cdig, hex);
		goto out;
	}
	img->config_digest = sc_arena_printf(img->arena, "sha256:%s", hex);
	img->digest = img->config_digest;
	img->repo_tags = e.repo_tags;
	st = plan_from_config(img, cname, cfg, cfg_len, e.n_layers, &c, err);
	if (st != SC_OK)
		goto out;
	img->n_layers = e.n_layers;
	img->layers = sc_arena_alloc(img->arena, (e.n_layers + 1) * sizeof(*img->layers));
	im->plan = sc_arena_alloc(img->arena, (e.n_layers + 1) * sizeof(*im->plan));
	im->n_plan = e.n_layers;
	for (size_t i = 0; i < e.n_layers; i++) {
		char lname[4096];
		if (!sc_path_clean(e.layers[i], lname, sizeof(lname))) {
			st = sc_error_set(err, SC_EINPUT, "manifest.json", 0, 0, "Layers[%zu] `%s` leaves the archive",
					  i, e.layers[i]);
			goto out;
		}
		struct member *mem = member_find(im, lname);
		if (!mem) {
			st = sc_error_set(err, SC_EINPUT, lname, 0, 0, "layer %zu: missing from the archive %s", i + 1,
					  img->path);
			goto out;
		}
		const char *ldig = digest_of_member(img->arena, mem->name);
		im->plan[i] = (struct plan_layer){mem->name, ldig, c.diff_ids[i], NULL, mem->size};
		img->layers[i] = (struct sc_image_layer){ldig, c.diff_ids[i], NULL, mem->name, mem->size, NULL,
							 false};
	}
	set_history(img, &c);
out:
	free(mf);
	free(cfg);
	return st;
}

/* ---- streaming the layers ---- */

struct fd_src {
	int fd;
	unsigned char *buf;
};

static ssize_t fd_read(void *arg, const void **buf, struct sc_error *err)
{
	struct fd_src *s = arg;
	for (;;) {
		ssize_t n = read(s->fd, s->buf, 1 << 20);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			sc_error_set(err, SC_EIO, NULL, 0, 0, "read failed: %s", strerror(errno));
			return -1;
		}
		*buf = s->buf;
		return n;
	}
}

static ssize_t archive_src_read(void *arg, const void **buf, struct sc_error *err)
{
	struct archive *a = arg;
	size_t size = 0;
	la_int64_t off = 0;
	int r = archive_read_data_block(a, buf, &size, &off);
	if (r == ARCHIVE_EOF)
		return 0;
	if (r < ARCHIVE_WARN) {
		sc_error_set(err, SC_EINPUT, NULL, 0, 0, "cannot read archive member: %s", archive_error_string(a));
		return -1;
	}
	return (ssize_t)size;
}

static char *cache_key(const struct sc_image_options *o)
{
	return sc_xasprintf("%s|max=%llu", o->keep_key ? o->keep_key : "",
			    (unsigned long long)o->limits.max_file_size);
}

static enum sc_status verify(struct sc_image *img, size_t i, const struct sc_layer_rec *rec,
			     struct sc_error *err)
{
	struct image_impl *im = impl_of(img);
	const struct plan_layer *p = &im->plan[i];
	if (p->digest && strcmp(p->digest, rec->digest) != 0)
		return sc_error_set(err, SC_EINPUT, p->member, 0, 0,
				    "layer %zu: digest mismatch: the manifest says %s, the blob is %s "
				    "(tampered or corrupt image)",
				    i + 1, p->digest, rec->digest);
	if (strcmp(p->diff_id, rec->diff_id) != 0)
		return sc_error_set(err, SC_EINPUT, p->member, 0, 0,
				    "layer %zu: diff_id mismatch: the config says %s, the uncompressed layer is %s "
				    "(tampered or corrupt image)",
				    i + 1, p->diff_id, rec->diff_id);
	if (!img->layers[i].digest)
		img->layers[i].digest = sc_arena_strdup(img->arena, rec->digest);
	return SC_OK;
}

static enum sc_status walk_layers(struct sc_image *img, const struct sc_image_options *o,
				  struct sc_error *err)
{
	struct image_impl *im = impl_of(img);
	enum sc_status st = SC_OK;
	uint64_t total_bytes = 0, total_files = 0, kept_total = 0;
	im->recs = sc_xcalloc(im->n_plan + 1, sizeof(*im->recs));
	im->n_recs = im->n_plan;
	char *key = cache_key(o);
	size_t pending = 0;
	for (size_t i = 0; i < im->n_plan; i++) {
		if (o->cache_dir && (!o->on_file || (o->on_file_cached && o->on_file_stored))) {
			im->recs[i] = sc_layer_cache_load(o->cache_dir, im->plan[i].diff_id, key);
			if (im->recs[i] && o->on_file &&
			    !o->on_file_cached(o->on_file_arg, (int)i + 1, im->plan[i].diff_id)) {
				sc_layer_rec_free(im->recs[i]); /* the consumer needs this layer's files */
				im->recs[i] = NULL;
			}
			if (im->recs[i]) {
				img->layers[i].from_cache = true;
				if (!img->layers[i].digest)
					img->layers[i].digest = im->plan[i].digest;
				continue;
			}
		}
		/* the same blob twice: walk once */
		for (size_t k = 0; k < i; k++)
			if (!strcmp(im->plan[k].member, im->plan[i].member) && im->recs[k])
				im->recs[i] = im->recs[k];
		if (!im->recs[i])
			pending++;
	}
	struct sc_layer_walk w = {.opts = o, .total_bytes = &total_bytes, .total_files = &total_files,
				  .kept_total = &kept_total};
	/* from memory (small members) or from the layout directory */
	for (size_t i = 0; i < im->n_plan && pending; i++) {
		if (im->recs[i])
			continue;
		w.name = im->plan[i].member;
		w.layer = (int)i + 1;
		if (im->members) {
			struct member *m = member_find(im, im->plan[i].member);
			if (!m || !m->have)
				continue; /* second pass */
			st = sc_layer_walk_memory(m->data, m->len, &w, &im->recs[i], err);
			bool again = false; /* the same blob for a later layer: walked once, see above */
			for (size_t k = i + 1; k < im->n_plan; k++)
				again = again || !strcmp(im->plan[k].member, im->plan[i].member);
			if (m->big.buf && !again)
				member_drop_data(m); /* a large member is not needed after its walk */
		} else {
			int fd = openat(im->dirfd, im->plan[i].member, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
			if (fd < 0) {
				st = sc_error_set(err, SC_EINPUT, im->plan[i].member, 0, 0,
						  "layer %zu: missing blob in %s: %s", i + 1, img->path, strerror(errno));
				goto out;
			}
			struct fd_src fs = {fd, sc_xmalloc(1 << 20)};
			struct sc_blob_src src = {fd_read, &fs};
			st = sc_layer_walk(&src, &w, &im->recs[i], err);
			free(fs.buf);
			close(fd);
		}
		if (st != SC_OK)
			goto out;
		st = verify(img, i, im->recs[i], err);
		if (st != SC_OK)
			goto out;
		pending--;
	}
	if (pending) {
		/* second pass over the archive for the large members */
		struct archive *a = open_outer(img->path, err);
		if (!a) {
			st = SC_EINPUT;
			goto out;
		}
		char clean[4096];
		for (;;) {
			struct archive_entry *e;
			int r = archive_read_next_header(a, &e);
			if (r == ARCHIVE_EOF)
				break;
			if (r < ARCHIVE_WARN) {
				st = sc_error_set(err, SC_EINPUT, img->path, 0, 0, "not a valid image archive: %s",
						  archive_error_string(a));
				break;
			}
			const char *n = archive_entry_pathname(e);
			if (!n || !sc_path_clean(n, clean, sizeof(clean)))
				continue;
			struct sc_layer_rec *rec = NULL;
			for (size_t i = 0; i < im->n_plan; i++) {
				if (im->recs[i] || strcmp(im->plan[i].member, clean) != 0)
					continue;
				if (!rec) {
					w.name = im->plan[i].member;
					w.layer = (int)i + 1;
					struct sc_blob_src src = {archive_src_read, a};
					st = sc_layer_walk(&src, &w, &rec, err);
					if (st != SC_OK)
						break;
				}
				im->recs[i] = rec;
				st = verify(img, i, rec, err);
				if (st != SC_OK)
					break;
				pending--;
			}
			if (st != SC_OK)
				break;
		}
		archive_read_free(a);
		if (st != SC_OK)
			goto out;
		for (size_t i = 0; i < im->n_plan; i++) {
			if (!im->recs[i]) {
				st = sc_error_set(err, SC_EINPUT, im->plan[i].member, 0, 0,
						  "layer %zu: member not found in %s", i + 1, img->path);
				goto out;
			}
		}
	}
	if (o->cache_dir) {
		for (size_t i = 0; i < im->n_plan; i++)
			if (!img->layers[i].from_cache) {
				sc_layer_cache_store(o->cache_dir, im->plan[i].diff_id, key, im->recs[i]);
				if (o->on_file && o->on_file_stored)
					o->on_file_stored(o->on_file_arg, (int)i + 1, im->plan[i].diff_id);
			}
	}
	for (size_t i = 0; i < im->n_plan; i++) {
		const struct sc_layer_rec *rec = im->recs[i];
		for (size_t k = 0; k < rec->entries.len; k++) {
			const struct sc_lentry *le = rec->entries.items[k];
			if (le->kind != SC_LE_OTHER || le->mode != 0)
				continue;
			/* a name that does not fit a path is shown cut in the middle */
			size_t n = strlen(le->path);
			char *shown = n > 200 ? sc_arena_printf(img->arena, "%.100s...%s", le->path, le->path + n - 60)
					      : (char *)le->path;
			if (n >= SC_IMG_MAX_PATH) /* no cleaned name is this long: the layer walker's limit */
				warn(img, shown, "layer %zu: entry name of %zu bytes, longer than a path can be; ignored",
				     i + 1, n);
			else
				warn(img, shown, "layer %zu: entry name leaves the image root; ignored", i + 1);
		}
	}
out:
	free(key);
	return st;
}

static enum sc_status parse_platform(struct sc_image *img, const char *platform, struct sc_error *err)
{
	struct image_impl *im = impl_of(img);
	im->explicit_platform = platform != NULL;
	if (!platform)
		platform = "linux/amd64";
	char *p = sc_arena_strdup(img->arena, platform);
	char *s1 = strchr(p, '/');
	if (!s1 || s1 == p || !s1[1])
		return sc_error_set(err, SC_EINPUT, NULL, 0, 0, "--platform `%s`: expected OS/ARCH[/VARIANT]",
				    platform);
	*s1 = '\0';
	char *s2 = strchr(s1 + 1, '/');
	if (s2)
		*s2 = '\0';
	im->want_os = p;
	im->want_arch = s1 + 1;
	im->want_variant = s2 && s2[1] ? s2 + 1 : NULL;
	return SC_OK;
}

static struct sc_image *image_new(const char *path)
{
	struct sc_image *img = sc_xcalloc(1, sizeof(*img));
	img->arena = sc_arena_new();
	struct image_impl *im = sc_xcalloc(1, sizeof(*im));
	im->dirfd = -1;
	img->impl = im;
	img->path = sc_arena_strdup(img->arena, path);
	return img;
}

enum sc_status sc_image_open(const char *spec, const struct sc_image_options *o, struct sc_image **out,
			     struct sc_error *err)
{
	*out = NULL;
	struct stat sb;
	char *path = sc_xstrdup(spec);
	const char *ref = NULL;
	if (stat(path, &sb) != 0) {
		/* PATH:REF, where REF may itself hold colons (a digest "sha256:..."): the first split
		 * whose PATH exists */
		for (char *colon = path[0] ? strchr(path + 1, ':') : NULL; colon; colon = strchr(colon + 1, ':')) {
			*colon = '\0';
			if (stat(path, &sb) == 0) {
				ref = colon + 1;
				break;
			}
			*colon = ':';
		}
		if (!ref) {
			enum sc_status st = sc_error_set(err, SC_EINPUT, spec, 0, 0, "cannot open image: %s",
							 strerror(errno));
			free(path);
			return st;
		}
	}
	struct sc_image *img = image_new(path);
	struct image_impl *im = impl_of(img);
	img->ref = ref && *ref ? sc_arena_strdup(img->arena, ref) : NULL;
	free(path);
	enum sc_status st = parse_platform(img, o->platform, err);
	if (st != SC_OK)
		goto out;
	if (S_ISDIR(sb.st_mode)) {
		im->dirfd = open(img->path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (im->dirfd < 0 || faccessat(im->dirfd, "index.json", F_OK, 0) != 0) {
			st = sc_error_set(err, SC_EINPUT, img->path, 0, 0,
					  "not an OCI image layout (no index.json); for a root filesystem use --rootfs");
			goto out;
		}
		img->kind = "oci-layout";
		st = plan_oci(img, err);
	} else if (S_ISREG(sb.st_mode)) {
		uint64_t large_budget = o->limits.max_total_bytes / 64;
		st = scan_members(img, large_budget < LARGE_BUDGET_MAX ? large_budget : LARGE_BUDGET_MAX, err);
		if (st != SC_OK)
			goto out;
		if (sc_map_get(im->members, "manifest.json")) {
			img->kind = "docker-archive";
			st = plan_docker(img, err);
		} else if (sc_map_get(im->members, "index.json")) {
			img->kind = "oci-archive";
			st = plan_oci(img, err);
		} else {
			st = sc_error_set(err, SC_EINPUT, img->path, 0, 0,
					  "not an image archive: no manifest.json or index.json member");
		}
	} else {
		st = sc_error_set(err, SC_EINPUT, img->path, 0, 0, "not a file or directory");
	}
	if (st != SC_OK || o->plan_only)
		goto out;
	st = walk_layers(img, o, err);
	if (st != SC_OK)
		goto out;
	st = sc_merged_build(im->recs, im->n_recs, &o->limits, &img->fs, err);
	if (st != SC_OK)
		goto out;
	img->fs->root = NULL;
out:
	if (st != SC_OK) {
		sc_image_free(img);
		return st;
	}
	*out = img;
	return SC_OK;
}

enum sc_status sc_image_open_rootfs(const char *dir, const struct sc_image_options *o,
				    struct sc_image **out, struct sc_error *err)
{
	*out = NULL;
	struct stat sb;
	if (stat(dir, &sb) != 0 || !S_ISDIR(sb.st_mode))
		return sc_error_set(err, SC_EINPUT, dir, 0, 0, "--rootfs: not a directory");
	struct sc_image *img = image_new(dir);
	img->kind = "rootfs";
	enum sc_status st = sc_fs_open_dir(dir, NULL, &o->limits, &img->fs, err);
	if (st != SC_OK) {
		sc_image_free(img);
		return st;
	}
	*out = img;
	return SC_OK;
}

size_t sc_image_versions(const struct sc_image *img, const char *path, struct sc_image_version *out,
			 size_t max)
{
	const struct image_impl *im = img->impl;
	size_t n = 0;
	for (size_t l = 0; im && l < im->n_recs; l++) {
		const struct sc_layer_rec *rec = im->recs[l];
		const struct sc_lentry *last = NULL;
		for (size_t k = 0; rec && k < rec->entries.len; k++) {
			const struct sc_lentry *e = rec->entries.items[k];
			if (e->kind == SC_LE_REG && e->kept && !strcmp(e->path, path))
				last = e;
		}
		if (!last)
			continue;
		if (n < max)
			out[n] = (struct sc_image_version){(int)l + 1, last->data, last->len};
		n++;
	}
	return n;
}
