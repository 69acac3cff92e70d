/* oci.c - readers of the image JSON documents: OCI index.json / manifest lists, image manifests,
 * image configs (diff_ids, history) and docker save's manifest.json. */
#include "image_impl.h"

#include <jansson.h>
#include <string.h>

static enum sc_status load(const char *name, const char *data, size_t len, json_t **out,
			   struct sc_error *err)
{
	*out = NULL;
	if (len > SC_IMG_MAX_JSON)
		return sc_error_set(err, SC_ELIMIT, name, 0, 0, "JSON document of %zu bytes, over the limit of %u",
				    len, SC_IMG_MAX_JSON);
	json_error_t je;
	json_t *j = json_loadb(data, len, JSON_REJECT_DUPLICATES, &je);
	if (!j)
		return sc_error_set(err, SC_EINPUT, name, je.line > 0 ? (unsigned)je.line : 0,
				    je.column > 0 ? (unsigned)je.column : 0, "invalid JSON: %s", je.text);
	if (!json_is_object(j) && !json_is_array(j)) {
		json_decref(j);
		return sc_error_set(err, SC_EINPUT, name, 0, 0, "expected a JSON object");
	}
	*out = j;
	return SC_OK;
}

static const char *str(struct sc_arena *a, const json_t *o, const char *key)
{
	const json_t *v = json_object_get(o, key);
	return json_is_string(v) ? sc_arena_strndup(a, json_string_value(v), json_string_length(v)) : NULL;
}

#define MAX_CONFIG_ITEMS 4096

/* A JSON array of strings as a NULL-terminated list (non-strings skipped, bounded). */
static const char **string_array(struct sc_arena *a, const json_t *arr)
{
	size_t n = json_is_array(arr) ? json_array_size(arr) : 0;
	if (n > MAX_CONFIG_ITEMS)
		n = MAX_CONFIG_ITEMS;
	const char **out = sc_arena_alloc(a, (n + 1) * sizeof(*out));
	size_t k = 0;
	for (size_t i = 0; i < n; i++) {
		const json_t *v = json_array_get(arr, i);
		if (json_is_string(v))
			out[k++] = sc_arena_strndup(a, json_string_value(v), json_string_length(v));
	}
	return out;
}

/* A JSON object's keys ("8080/tcp"), or "key=value" pairs for string values, NULL-terminated. */
static const char **key_values(struct sc_arena *a, const json_t *obj, bool with_values)
{
	size_t n = json_is_object(obj) ? json_object_size(obj) : 0;
	if (n > MAX_CONFIG_ITEMS)
		n = MAX_CONFIG_ITEMS;
	const char **out = sc_arena_alloc(a, (n + 1) * sizeof(*out));
	size_t k = 0;
	const char *key;
	const json_t *v;
	if (n)
		json_object_foreach((json_t *)obj, key, v) {
			if (k == n)
				break;
			if (!with_values)
				out[k++] = sc_arena_strdup(a, key);
			else if (json_is_string(v))
				out[k++] = sc_arena_printf(a, "%s=%s", key, json_string_value(v));
		}
	return out;
}

bool sc_oci_digest_valid(const char *d)
{
	if (!d || strncmp(d, "sha256:", 7) != 0 || strlen(d) != 71)
		return false;
	for (const char *p = d + 7; *p; p++)
		if (!((*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'f')))
			return false;
	return true;
}

bool sc_oci_is_index_type(const char *mt)
{
	return mt && (!strcmp(mt, "application/vnd.oci.image.index.v1+json") ||
		      !strcmp(mt, "application/vnd.docker.distribution.manifest.list.v2+json"));
}

static enum sc_status desc(struct sc_arena *a, const char *name, const char *what, const json_t *o,
			   struct sc_oci_desc *d, struct sc_error *err)
{
	memset(d, 0, sizeof(*d));
	if (!json_is_object(o))
		return sc_error_set(err, SC_EINPUT, name, 0, 0, "%s: expected a descriptor object", what);
	d->media_type = str(a, o, "mediaType");
	d->digest = str(a, o, "digest");
	if (!sc_oci_digest_valid(d->digest))
		return sc_error_set(err, SC_EINPUT, name, 0, 0, "%s: missing or unsupported digest `%s`",
				    what, d->digest ? d->digest : "");
	const json_t *sz = json_object_get(o, "size");
	if (sz && (!json_is_integer(sz) || json_integer_value(sz) < 0))
		return sc_error_set(err, SC_EINPUT, name, 0, 0, "%s: size is not a non-negative integer", what);
	d->size = sz ? (uint64_t)json_integer_value(sz) : 0;
	const json_t *pl = json_object_get(o, "platform");
	if (json_is_object(pl)) {
		d->os = str(a, pl, "os");
		d->arch = str(a, pl, "architecture");
		d->variant = str(a, pl, "variant");
	}
	const json_t *an = json_object_get(o, "annotations");
	if (json_is_object(an))
		d->ref_name = str(a, an, "org.opencontainers.image.ref.name");
	return SC_OK;
}

enum sc_status sc_oci_parse_index(struct sc_arena *a, const char *name, const char *data, size_t len,
				  struct sc_oci_desc **out, size_t *n, struct sc_error *err)
{
	*out = NULL;
	*n = 0;
	json_t *j = NULL;
	enum sc_status st = load(name, data, len, &j, err);
	if (st != SC_OK)
		return st;
	const json_t *m = json_object_get(j, "manifests");
	if (!json_is_array(m)) {
		st = sc_error_set(err, SC_EINPUT, name, 0, 0, "no `manifests` array: not an image index");
		goto out;
	}
	size_t k = json_array_size(m);
	if (k > SC_IMG_MAX_LAYERS) {
		st = sc_error_set(err, SC_ELIMIT, name, 0, 0, "%zu manifests, over the limit of %d", k,
				  SC_IMG_MAX_LAYERS);
		goto out;
	}
	struct sc_oci_desc *d = sc_arena_alloc(a, (k ? k : 1) * sizeof(*d));
	for (size_t i = 0; i < k; i++) {
		char what[48];
		snprintf(what, sizeof(what), "manifests[%zu]", i);
		st = desc(a, name, what, json_array_get(m, i), &d[i], err);
		if (st != SC_OK)
			goto out;
	}
	*out = d;
	*n = k;
out:
	json_decref(j);
	return st;
}

/* The layer list of a manifest or a docker-archive entry: an array, at most SC_IMG_MAX_LAYERS. */
static const json_t *layer_array(const char *name, const json_t *obj, const char *key, const char *missing,
				 size_t *n, enum sc_status *st, struct sc_error *err)
{
	const json_t *ls = json_object_get(obj, key);
	if (!json_is_array(ls)) {
		*st = sc_error_set(err, SC_EINPUT, name, 0, 0, "%s", missing);
		return NULL;
	}
	*n = json_array_size(ls);
	if (*n > SC_IMG_MAX_LAYERS) {
		*st = sc_error_set(err, SC_ELIMIT, name, 0, 0, "%zu layers, over the limit of %d", *n,
				   SC_IMG_MAX_LAYERS);
		return NULL;
	}
	return ls;
}

enum sc_status sc_oci_parse_manifest(struct sc_arena *a, const char *name, const char *data, size_t len,
				     struct sc_oci_manifest *mf, struct sc_error *err)
{
	memset(mf, 0, sizeof(*mf));
	json_t *j = NULL;
	enum sc_status st = load(name, data, len, &j, err);
	if (st != SC_OK)
		return st;
	const char *mt = str(a, j, "mediaType");
	if (sc_oci_is_index_type(mt) || json_object_get(j, "manifests")) {
		st = sc_error_set(err, SC_EINPUT, name, 0, 0, "an image index where a manifest was expected");
		goto out;
	}
	st = desc(a, name, "config", json_object_get(j, "config"), &mf->config, err);
	if (st != SC_OK)
		goto out;
	size_t k;
	const json_t *ls = layer_array(name, j, "layers", "no `layers` array", &k, &st, err);
	if (!ls)
		goto out;
	mf->layers = sc_arena_alloc(a, (k ? k : 1) * sizeof(*mf->layers));
	for (size_t i = 0; i < k; i++) {
		char what[48];
		snprintf(what, sizeof(what), "layers[%zu]", i);
		st = desc(a, name, what, json_array_get(ls, i), &mf->layers[i], err);
		if (st != SC_OK)
			goto out;
	}
	mf->n_layers = k;
	const json_t *an = json_object_get(j, "annotations");
	if (json_is_object(an)) {
		mf->base_name = str(a, an, "org.opencontainers.image.base.name");
		mf->base_digest = str(a, an, "org.opencontainers.image.base.digest");
	}
out:
	json_decref(j);
	return st;
}

enum sc_status sc_oci_parse_config(struct sc_arena *a, const char *name, const char *data, size_t len,
				   struct sc_oci_config *c, struct sc_error *err)
{
	memset(c, 0, sizeof(*c));
	json_t *j = NULL;
	enum sc_status st = load(name, data, len, &j, err);
	if (st != SC_OK)
		return st;
	if (!json_is_object(j)) {
		st = sc_error_set(err, SC_EINPUT, name, 0, 0, "image config: expected a JSON object");
		goto out;
	}
	c->os = str(a, j, "os");
	c->arch = str(a, j, "architecture");
	c->variant = str(a, j, "variant");
	const json_t *cfg = json_object_get(j, "config");
	c->env = c->labels = c->exposed_ports = sc_arena_alloc(a, sizeof(char *)); /* empty lists */
	if (json_is_object(cfg)) {
		c->user = str(a, cfg, "User");
		const json_t *labels = json_object_get(cfg, "Labels");
		if (json_is_object(labels)) {
			c->base_name = str(a, labels, "org.opencontainers.image.base.name");
			c->base_digest = str(a, labels, "org.opencontainers.image.base.digest");
		}
		c->env = string_array(a, json_object_get(cfg, "Env"));
		c->labels = key_values(a, labels, true);
		c->exposed_ports = key_values(a, json_object_get(cfg, "ExposedPorts"), false);
		const json_t *hc = json_object_get(cfg, "Healthcheck");
		const json_t *test = json_is_object(hc) ? json_object_get(hc, "Test") : NULL;
		const json_t *t0 = json_is_array(test) ? json_array_get(test, 0) : NULL;
		c->has_healthcheck = json_is_array(test) && json_array_size(test) > 0 &&
				     !(json_is_string(t0) && !strcmp(json_string_value(t0), "NONE"));
	}
	const json_t *rootfs = json_object_get(j, "rootfs");
	const json_t *ids = json_is_object(rootfs) ? json_object_get(rootfs, "diff_ids") : NULL;
	if (!json_is_array(ids)) {
		st = sc_error_set(err, SC_EINPUT, name, 0, 0, "image config has no rootfs.diff_ids array");
		goto out;
	}
	size_t k = json_array_size(ids);
	if (k > SC_IMG_MAX_LAYERS) {
		st = sc_error_set(err, SC_ELIMIT, name, 0, 0, "%zu diff_ids, over the limit of %d", k,
				  SC_IMG_MAX_LAYERS);
		goto out;
	}
	c->diff_ids = sc_arena_alloc(a, (k ? k : 1) * sizeof(*c->diff_ids));
	for (size_t i = 0; i < k; i++) {
		const json_t *v = json_array_get(ids, i);
		const char *s = json_is_string(v) ? json_string_value(v) : NULL;
		if (!sc_oci_digest_valid(s)) {
			st = sc_error_set(err, SC_EINPUT, name, 0, 0, "rootfs.diff_ids[%zu] is not a sha256 digest", i);
			goto out;
		}
		c->diff_ids[i] = sc_arena_strdup(a, s);
	}
	c->n_diff_ids = k;
	const json_t *h = json_object_get(j, "history");
	if (json_is_array(h)) {
		size_t n = json_array_size(h);
		if (n > 4 * SC_IMG_MAX_LAYERS)
			n = 4 * SC_IMG_MAX_LAYERS;
		c->history = sc_arena_alloc(a, (n ? n : 1) * sizeof(*c->history));
		for (size_t i = 0; i < n; i++) {
			const json_t *e = json_array_get(h, i);
			if (!json_is_object(e))
				continue;
			c->history[c->n_history].created_by = str(a, e, "created_by");
			c->history[c->n_history].empty_layer = json_is_true(json_object_get(e, "empty_layer"));
			c->n_history++;
		}
	}
out:
	json_decref(j);
	return st;
}

static bool tag_matches(const char *tag, const char *ref)
{
	if (!strcmp(tag, ref))
		return true;
	/* "shipcheck/service:latest" matches "docker.io/shipcheck/service:latest" */
	size_t t = strlen(tag), r = strlen(ref);
	if (t > r && tag[t - r - 1] == '/' && !strcmp(tag + t - r, ref))
		return true;
	/* "service" matches "…/service:latest" */
	char *withtag = sc_xasprintf("%s:latest", ref);
	bool ok = strchr(ref, ':') == NULL && tag_matches(tag, withtag);
	free(withtag);
	return ok;
}

enum sc_status sc_docker_parse_manifest(struct sc_arena *a, const char *name, const char *data,
					size_t len, const char *ref, struct sc_docker_entry *e,
					struct sc_error *err)
{
	memset(e, 0, sizeof(*e));
	json_t *j = NULL;
	enum sc_status st = load(name, data, len, &j, err);
	if (st != SC_OK)
		return st;
	if (!json_is_array(j) || json_array_size(j) == 0) {
		st = sc_error_set(err, SC_EINPUT, name, 0, 0, "expected a non-empty JSON array of images");
		goto out;
	}
	const json_t *pick = NULL;
	size_t n = json_array_size(j);
	if (!ref && n > 1) {
		st = sc_error_set(err, SC_EINPUT, name, 0, 0,
				  "the archive holds %zu images; name one as PATH:TAG", n);
		goto out;
	}
	for (size_t i = 0; i < n && !pick; i++) {
		const json_t *o = json_array_get(j, i);
		if (!ref) {
			pick = o;
			break;
		}
		const json_t *tags = json_object_get(o, "RepoTags");
		for (size_t k = 0; json_is_array(tags) && k < json_array_size(tags); k++) {
			const json_t *t = json_array_get(tags, k);
			if (json_is_string(t) && tag_matches(json_string_value(t), ref))
				pick = o;
		}
	}
	if (!pick) {
		st = sc_error_set(err, SC_EINPUT, name, 0, 0, "no image tagged `%s` in the archive", ref);
		goto out;
	}
	if (!json_is_object(pick)) {
		st = sc_error_set(err, SC_EINPUT, name, 0, 0, "image entry is not an object");
		goto out;
	}
	e->config = str(a, pick, "Config");
	if (!e->config || !*e->config) {
		st = sc_error_set(err, SC_EINPUT, name, 0, 0, "image entry has no `Config`");
		goto out;
	}
	size_t k;
	const json_t *ls = layer_array(name, pick, "Layers", "image entry has no `Layers` array", &k, &st, err);
	if (!ls)
		goto out;
	e->layers = sc_arena_alloc(a, (k ? k : 1) * sizeof(*e->layers));
	for (size_t i = 0; i < k; i++) {
		const json_t *v = json_array_get(ls, i);
		if (!json_is_string(v) || !json_string_length(v)) {
			st = sc_error_set(err, SC_EINPUT, name, 0, 0, "Layers[%zu] is not a member name", i);
			goto out;
		}
		e->layers[i] = sc_arena_strdup(a, json_string_value(v));
	}
	e->n_layers = k;
	const json_t *tags = json_object_get(pick, "RepoTags");
	size_t nt = json_is_array(tags) ? json_array_size(tags) : 0;
	if (nt > 64)
		nt = 64;
	e->repo_tags = sc_arena_alloc(a, (nt + 1) * sizeof(*e->repo_tags));
	size_t w = 0;
	for (size_t i = 0; i < nt; i++) {
		const json_t *t = json_array_get(tags, i);
		if (json_is_string(t))
			e->repo_tags[w++] = sc_arena_strdup(a, json_string_value(t));
	}
out:
	json_decref(j);
	return st;
}
