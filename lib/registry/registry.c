/* registry.c - the registry client of sc_registry.h: the current manifest digest of a tag over the
 * Docker Registry HTTP API v2 (libcurl), with the bearer-token challenge (anonymous, or with the
 * docker config's credentials) and basic auth, a per-run cache, timeouts and size limits. */
#include "sc_curl.h"
#include "shipcheck/sc_registry.h"

#include <jansson.h>
#include <openssl/evp.h>

#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#define MAX_BODY ((size_t)4 << 20)  /* a manifest or a token answer */
#define MAX_HEADER ((size_t)8192)   /* one WWW-Authenticate header */
#define MAX_TOKEN ((size_t)16384)
#define MAX_CONFIG ((size_t)1 << 20) /* docker config.json */

static const char accept_manifests[] =
	"Accept: application/vnd.oci.image.index.v1+json, application/vnd.oci.image.manifest.v1+json, "
	"application/vnd.docker.distribution.manifest.list.v2+json, "
	"application/vnd.docker.distribution.manifest.v2+json";

struct cached {
	enum sc_status st;
	char *digest;
	char *msg;
	bool children_asked; /* the index's platform manifests (sc_registry_index_has) */
	enum sc_status children_st;
	char **children;
	size_t n_children;
};

struct sc_registry {
	struct sc_map *cache; /* "registry/repo:tag" -> struct cached */
	char **insecure;
	size_t n_insecure;
	long timeout_ms;
	json_t *auths; /* the docker config's `auths` object, or NULL */
	size_t requests;
};

struct resp {
	long status;
	struct sc_strbuf body;
	bool too_big;
	char digest[160];
	char *www_auth;
};

static void resp_free(struct resp *r)
{
	sc_strbuf_free(&r->body);
	free(r->www_auth);
	r->www_auth = NULL;
}

/* The value of header `name` in the raw header line b (len bytes), trimmed; NULL when another one. */
static const char *header_value(const char *b, size_t len, const char *name, size_t *vlen)
{
	size_t n = strlen(name);
	if (len <= n || strncasecmp(b, name, n) || b[n] != ':')
		return NULL;
	const char *v = b + n + 1, *e = b + len;
	while (v < e && (*v == ' ' || *v == '\t'))
		v++;
	while (e > v && (e[-1] == '\r' || e[-1] == '\n' || e[-1] == ' ' || e[-1] == '\t'))
		e--;
	*vlen = (size_t)(e - v);
	return v;
}

static size_t on_header(char *b, size_t size, size_t n, void *ud)
{
	struct resp *r = ud;
	size_t len = size * n, vl;
	const char *v;
	if (len >= 5 && !strncmp(b, "HTTP/", 5)) { /* a new response (after a redirect) */
		r->digest[0] = '\0';
		free(r->www_auth);
		r->www_auth = NULL;
	} else if ((v = header_value(b, len, "Docker-Content-Digest", &vl))) {
		if (vl < sizeof(r->digest)) {
			memcpy(r->digest, v, vl);
			r->digest[vl] = '\0';
		}
	} else if ((v = header_value(b, len, "WWW-Authenticate", &vl))) {
		if (vl <= MAX_HEADER && !r->www_auth)
			r->www_auth = sc_xstrndup(v, vl);
	}
	return len;
}

static size_t on_body(char *b, size_t size, size_t n, void *ud)
{
	struct resp *r = ud;
	if (sc_strbuf_append(&r->body, b, size * n) != SC_OK) {
		r->too_big = true;
		return 0; /* aborts the transfer */
	}
	return size * n;
}

static bool is_insecure(const struct sc_registry *reg, const char *registry)
{
	for (size_t i = 0; i < reg->n_insecure; i++)
		if (!strcasecmp(reg->insecure[i], registry))
			return true;
	return false;
}

/* One request. GET unless head. extra: an Authorization header line, or NULL. */
static enum sc_status request(struct sc_registry *reg, const char *url, bool head, bool manifests,
			      const char *extra, bool insecure, struct resp *out, struct sc_error *err)
{
	memset(out, 0, sizeof(*out));
	sc_strbuf_init(&out->body, MAX_BODY);
	CURL *c = curl_easy_init();
	if (!c)
		return sc_error_set(err, SC_EINTERNAL, NULL, 0, 0, "cannot initialise libcurl: %s", sc_curl_load_error());
	struct curl_slist *h = NULL;
	if (manifests)
		h = curl_slist_append(h, accept_manifests);
	if (extra)
		h = curl_slist_append(h, extra);
	const char *protocols = insecure ? "http,https" : "https";
	char ua[64];
	snprintf(ua, sizeof(ua), "shipcheck/%s", sc_tool_version());
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, h);
	curl_easy_setopt(c, CURLOPT_USERAGENT, ua);
	curl_easy_setopt(c, CURLOPT_NOBODY, head ? 1L : 0L);
	curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, reg->timeout_ms);
	curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, reg->timeout_ms);
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 1L);
	curl_easy_setopt(c, CURLOPT_MAXREDIRS, 5L);
	curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, protocols);
	curl_easy_setopt(c, CURLOPT_REDIR_PROTOCOLS_STR, protocols);
	curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, on_header);
	curl_easy_setopt(c, CURLOPT_HEADERDATA, out);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, out);
	reg->requests++;
	CURLcode rc = curl_easy_perform(c);
	curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &out->status);
	curl_easy_cleanup(c);
	curl_slist_free_all(h);
	if (rc == CURLE_OK)
		return SC_OK;
	if (out->too_big)
		return sc_error_set(err, SC_ELIMIT, NULL, 0, 0, "%s: the answer is larger than %zu MiB", url,
				    MAX_BODY >> 20);
	if (rc == CURLE_OPERATION_TIMEDOUT)
		return sc_error_set(err, SC_EIO, NULL, 0, 0, "%s: no answer within %ld ms", url, reg->timeout_ms);
	return sc_error_set(err, SC_EIO, NULL, 0, 0, "%s: %s", url, curl_easy_strerror(rc));
}

/* ---- credentials ---- */

static bool base64_chars(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (!((*s >= 'A' && *s <= 'Z') || (*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '+' ||
		      *s == '/' || *s == '='))
			return false;
	return true;
}

/* Does a key of `auths` ("host", "https://host/v1/", ...) name this registry? */
static bool auth_key_matches(const char *key, const char *registry)
{
	if (!strncmp(key, "https://", 8))
		key += 8;
	else if (!strncmp(key, "http://", 7))
		key += 7;
	size_t n = strcspn(key, "/");
	if (!strcmp(registry, "docker.io"))
		return (n == 15 && !strncmp(key, "index.docker.io", n)) || (n == 9 && !strncmp(key, "docker.io", n)) ||
		       (n == 20 && !strncmp(key, "registry-1.docker.io", n));
	return strlen(registry) == n && !strncasecmp(key, registry, n);
}

/* "Authorization: Basic ..." for the registry from the docker config, or NULL (malloc'd). */
static char *basic_auth(const struct sc_registry *reg, const char *registry)
{
	if (!reg->auths)
		return NULL;
	const char *key;
	json_t *v;
	json_object_foreach(reg->auths, key, v) {
		if (!auth_key_matches(key, registry) || !json_is_object(v))
			continue;
		const char *auth = json_string_value(json_object_get(v, "auth"));
		if (auth && base64_chars(auth) && strlen(auth) < MAX_TOKEN)
			return sc_xasprintf("Authorization: Basic %s", auth);
		const char *user = json_string_value(json_object_get(v, "username"));
		const char *pass = json_string_value(json_object_get(v, "password"));
		if (!user || !pass || strlen(user) + strlen(pass) > MAX_TOKEN)
			continue;
		char *plain = sc_xasprintf("%s:%s", user, pass);
		size_t n = strlen(plain);
		unsigned char *b64 = sc_xmalloc(4 * ((n + 2) / 3) + 1);
		EVP_EncodeBlock(b64, (const unsigned char *)plain, (int)n);
		char *h = sc_xasprintf("Authorization: Basic %s", (const char *)b64);
		memset(plain, 0, n);
		free(plain);
		free(b64);
		return h;
	}
	return NULL;
}

/* ---- the challenge: WWW-Authenticate: Bearer realm="...",service="...",scope="..." ---- */

void sc_registry_challenge_free(struct sc_registry_challenge *c)
{
	free(c->realm);
	free(c->service);
	free(c->scope);
}

bool sc_registry_challenge_parse(const char *h, struct sc_registry_challenge *c)
{
	memset(c, 0, sizeof(*c));
	while (*h == ' ')
		h++;
	size_t n = strcspn(h, " ");
	if (!n || n >= sizeof(c->scheme))
		return false;
	memcpy(c->scheme, h, n);
	h += n;
	while (*h) {
		while (*h == ' ' || *h == ',')
			h++;
		size_t kn = strcspn(h, "=, ");
		if (!kn || h[kn] != '=')
			break;
		const char *k = h;
		h += kn + 1;
		struct sc_strbuf v;
		sc_strbuf_init(&v, MAX_HEADER);
		if (*h == '"') {
			for (h++; *h && *h != '"'; h++) {
				if (*h == '\\' && h[1])
					h++;
				sc_strbuf_putc(&v, *h);
			}
			if (*h == '"')
				h++;
		} else {
			size_t vn = strcspn(h, ",");
			sc_strbuf_append(&v, h, vn);
			h += vn;
		}
		char **dst = kn == 5 && !strncasecmp(k, "realm", 5)     ? &c->realm
			     : kn == 7 && !strncasecmp(k, "service", 7) ? &c->service
			     : kn == 5 && !strncasecmp(k, "scope", 5)   ? &c->scope
									: NULL;
		if (dst && !*dst)
			*dst = sc_strbuf_take(&v);
		sc_strbuf_free(&v);
	}
	return true;
}

static bool header_safe(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			return false;
	return true;
}

/* Asks the challenge's realm for a token; *auth gets "Authorization: Bearer <token>". */
static enum sc_status fetch_token(struct sc_registry *reg, const char *registry, const char *repo,
				  const struct sc_registry_challenge *ch, bool insecure, char **auth, struct sc_error *err)
{
	if (!ch->realm || !*ch->realm)
		return sc_error_set(err, SC_EINPUT, NULL, 0, 0, "registry %s: a Bearer challenge without a realm",
				    registry);
	if (strncmp(ch->realm, "https://", 8) && !(insecure && !strncmp(ch->realm, "http://", 7)))
		return sc_error_set(err, SC_EINPUT, NULL, 0, 0,
				    "registry %s: refusing the token service %s (not https)", registry, ch->realm);
	CURL *esc = curl_easy_init();
	if (!esc)
		return sc_error_set(err, SC_EINTERNAL, NULL, 0, 0, "cannot initialise libcurl: %s", sc_curl_load_error());
	char *default_scope = sc_xasprintf("repository:%s:pull", repo);
	char *service = ch->service ? curl_easy_escape(esc, ch->service, 0) : NULL;
	char *scope = curl_easy_escape(esc, ch->scope ? ch->scope : default_scope, 0);
	struct sc_strbuf url;
	sc_strbuf_init(&url, MAX_HEADER * 2);
	sc_strbuf_puts(&url, ch->realm);
	sc_strbuf_putc(&url, strchr(ch->realm, '?') ? '&' : '?');
	if (service)
		sc_strbuf_printf(&url, "service=%s&", service);
	sc_strbuf_printf(&url, "scope=%s", scope ? scope : "");
	curl_free(service);
	curl_free(scope);
	curl_easy_cleanup(esc);
	free(default_scope);

	char *creds = basic_auth(reg, registry);
	struct resp r;
	enum sc_status st = request(reg, sc_strbuf_str(&url), false, false, creds, insecure, &r, err);
	free(creds);
	json_t *j = NULL;
	if (st != SC_OK)
		goto out;
	if (r.status != 200) {
		st = sc_error_set(err, r.status == 401 || r.status == 403 ? SC_EINPUT : SC_EIO, NULL, 0, 0,
				  "registry %s: the token service %s answered HTTP %ld", registry, ch->realm, r.status);
		goto out;
	}
	json_error_t je;
	j = json_loadb(r.body.buf ? r.body.buf : "", r.body.len, 0, &je);
	const char *tok = json_string_value(json_object_get(j, "token"));
	if (!tok || !*tok)
		tok = json_string_value(json_object_get(j, "access_token"));
	if (!tok || !*tok || strlen(tok) > MAX_TOKEN || !header_safe(tok)) {
		st = sc_error_set(err, SC_EINPUT, NULL, 0, 0, "registry %s: the token service %s gave no usable token",
				  registry, ch->realm);
		goto out;
	}
	*auth = sc_xasprintf("Authorization: Bearer %s", tok);
out:
	json_decref(j);
	resp_free(&r);
	sc_strbuf_free(&url);
	return st;
}

/* ---- lookups ---- */

static bool valid_digest(const char *d)
{
	size_t hex = !strncmp(d, "sha256:", 7) ? 64 : !strncmp(d, "sha512:", 7) ? 128 : 0;
	if (!hex || strlen(d) != 7 + hex)
		return false;
	for (const char *p = d + 7; *p; p++)
		if (!((*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'f')))
			return false;
	return true;
}

/* Repository path components and tags as the distribution spec allows them (nothing that could
 * change the URL). */
static bool valid_name(const char *s, bool tag)
{
	size_t n = strlen(s);
	if (!n || n > (tag ? 128 : 255))
		return false;
	for (; *s; s++) {
		char ch = *s;
		bool ok = (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '.' || ch == '_' || ch == '-' ||
			  (tag ? (ch >= 'A' && ch <= 'Z') : ch == '/');
		if (!ok)
			return false;
	}
	return true;
}

static bool valid_host(const char *s)
{
	if (!*s || strlen(s) > 255)
		return false;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') || *s == '.' ||
		      *s == '-' || *s == ':' || *s == '[' || *s == ']'))
			return false;
	return true;
}

/* HEAD or GET of /v2/<repo>/manifests/<tag>, answering one auth challenge. r is the final answer
 * (the caller frees it); a status other than 200 is turned into an error here. */
static enum sc_status fetch_manifest(struct sc_registry *reg, const char *registry, const char *repo, const char *tag,
				     bool head, struct resp *r, struct sc_error *err)
{
	memset(r, 0, sizeof(*r));
	sc_strbuf_init(&r->body, MAX_BODY);
	if (!valid_host(registry) || !valid_name(repo, false) || !valid_name(tag, true))
		return sc_error_set(err, SC_EINPUT, NULL, 0, 0, "`%s/%s:%s` is not a registry reference",
				    registry, repo, tag);
	bool insecure = is_insecure(reg, registry);
	const char *host = !strcmp(registry, "docker.io") ? "registry-1.docker.io" : registry;
	char *url = sc_xasprintf("%s://%s/v2/%s/manifests/%s", insecure ? "http" : "https", host, repo, tag);
	char *auth = NULL;
	enum sc_status st = SC_OK;
	for (int attempt = 0;; attempt++) {
		resp_free(r);
		st = request(reg, url, head, true, auth, insecure, r, err);
		if (st != SC_OK)
			goto out;
		if (r->status == 401 && attempt == 0 && r->www_auth) {
			struct sc_registry_challenge ch;
			if (!sc_registry_challenge_parse(r->www_auth, &ch)) {
				st = sc_error_set(err, SC_EINPUT, NULL, 0, 0, "registry %s: cannot read its auth challenge",
						  registry);
				goto out;
			}
			if (!strcasecmp(ch.scheme, "Bearer")) {
				st = fetch_token(reg, registry, repo, &ch, insecure, &auth, err);
			} else if (!strcasecmp(ch.scheme, "Basic")) {
				auth = basic_auth(reg, registry);
				if (!auth)
					st = sc_error_set(err, SC_EINPUT, NULL, 0, 0,
							  "registry %s wants credentials and the docker config has none "
							  "for it (docker login %s)",
							  registry, registry);
			} else {
				st = sc_error_set(err, SC_EINPUT, NULL, 0, 0, "registry %s: unsupported auth scheme %s",
						  registry, ch.scheme);
			}
			sc_registry_challenge_free(&ch);
			if (st != SC_OK)
				goto out;
			continue;
		}
		break;
	}
	if (r->status == 404)
		st = sc_error_set(err, SC_EINPUT, NULL, 0, 0, "registry %s has no %s:%s (HTTP 404)", registry, repo, tag);
	else if (r->status == 401 || r->status == 403)
		st = sc_error_set(err, SC_EINPUT, NULL, 0, 0, "registry %s refused access to %s (HTTP %ld)%s", registry,
				  repo, r->status, auth ? "" : "; no credentials were sent");
	else if (r->status != 200)
		st = sc_error_set(err, SC_EIO, NULL, 0, 0, "registry %s answered HTTP %ld for %s:%s", registry, r->status,
				  repo, tag);
out:
	if (auth) {
		memset(auth, 0, strlen(auth));
		free(auth);
	}
	free(url);
	return st;
}

static enum sc_status lookup(struct sc_registry *reg, const char *registry, const char *repo, const char *tag,
			     char **digest, struct sc_error *err)
{
	struct resp r;
	enum sc_status st = fetch_manifest(reg, registry, repo, tag, true, &r, err);
	if (st == SC_OK && !valid_digest(r.digest)) {
		/* no digest header on HEAD: the digest is the sha256 of the manifest's bytes */
		resp_free(&r);
		st = fetch_manifest(reg, registry, repo, tag, false, &r, err);
		if (st == SC_OK && !valid_digest(r.digest)) {
			char hex[65];
			sc_sha256_hex(r.body.buf ? r.body.buf : "", r.body.len, hex);
			snprintf(r.digest, sizeof(r.digest), "sha256:%s", hex);
		}
	}
	if (st == SC_OK)
		*digest = sc_xstrdup(r.digest);
	resp_free(&r);
	return st;
}

/* The platform manifests of the index (or Docker manifest list) the tag points to: GET and read
 * `manifests[].digest`. None for a single-platform manifest. */
static enum sc_status lookup_children(struct sc_registry *reg, const char *registry, const char *repo,
				      const char *tag, struct cached *c, struct sc_error *err)
{
	struct resp r;
	enum sc_status st = fetch_manifest(reg, registry, repo, tag, false, &r, err);
	if (st == SC_OK) {
		json_error_t je;
		json_t *j = json_loadb(r.body.buf ? r.body.buf : "", r.body.len, 0, &je);
		json_t *list = json_object_get(j, "manifests");
		size_t n = json_is_array(list) ? json_array_size(list) : 0;
		c->children = sc_xcalloc(n + 1, sizeof(*c->children));
		for (size_t i = 0; i < n; i++) {
			const char *d = json_string_value(json_object_get(json_array_get(list, i), "digest"));
			if (d && valid_digest(d))
				c->children[c->n_children++] = sc_xstrdup(d);
		}
		json_decref(j);
	}
	resp_free(&r);
	return st;
}

enum sc_status sc_registry_digest(struct sc_registry *reg, const char *registry, const char *repo, const char *tag,
				  const char **digest, struct sc_error *err)
{
	char *key = sc_xasprintf("%s/%s:%s", registry, repo, tag);
	struct cached *c = sc_map_get(reg->cache, key);
	if (!c) {
		c = sc_xcalloc(1, sizeof(*c));
		struct sc_error e = {0};
		c->st = lookup(reg, registry, repo, tag, &c->digest, &e);
		if (c->st != SC_OK)
			c->msg = sc_xstrdup(e.msg ? e.msg : "lookup failed");
		sc_error_clear(&e);
		sc_map_put(reg->cache, key, c);
	} else {
		free(key);
	}
	if (c->st != SC_OK)
		return sc_error_set(err, c->st, NULL, 0, 0, "%s", c->msg);
	*digest = c->digest;
	return SC_OK;
}

enum sc_status sc_registry_index_has(struct sc_registry *reg, const char *registry, const char *repo,
				     const char *tag, const char *digest, bool *has, struct sc_error *err)
{
	*has = false;
	const char *now;
	enum sc_status st = sc_registry_digest(reg, registry, repo, tag, &now, err);
	if (st != SC_OK)
		return st;
	char *key = sc_xasprintf("%s/%s:%s", registry, repo, tag);
	struct cached *c = sc_map_get(reg->cache, key);
	free(key);
	if (!c->children_asked) {
		c->children_asked = true;
		struct sc_error e = {0};
		c->children_st = lookup_children(reg, registry, repo, tag, c, &e);
		sc_error_clear(&e);
	}
	if (c->children_st != SC_OK)
		return sc_error_set(err, c->children_st, NULL, 0, 0, "registry %s: cannot read the index of %s:%s",
				    registry, repo, tag);
	for (size_t i = 0; i < c->n_children; i++)
		if (!strcmp(c->children[i], digest))
			*has = true;
	return SC_OK;
}

size_t sc_registry_requests(const struct sc_registry *r)
{
	return r ? r->requests : 0;
}

enum sc_status sc_registry_config_parse(struct sc_registry *reg, const char *path, const char *data, size_t len,
					struct sc_error *err)
{
	if (len > MAX_CONFIG)
		return sc_error_set(err, SC_ELIMIT, path, 0, 0, "larger than %zu bytes", MAX_CONFIG);
	json_error_t je;
	json_t *j = json_loadb(data, len, 0, &je);
	if (!j)
		return sc_error_set(err, SC_EINPUT, path, (unsigned)je.line, (unsigned)je.column, "%s", je.text);
	json_t *auths = json_object_get(j, "auths");
	if (auths && !json_is_object(auths)) {
		json_decref(j);
		return sc_error_set(err, SC_EINPUT, path, 0, 0, "`auths` must be an object");
	}
	json_decref(reg->auths);
	reg->auths = json_incref(auths);
	json_decref(j);
	return SC_OK;
}

static enum sc_status read_config(struct sc_registry *reg, const char *path, bool named, struct sc_error *err)
{
	if (!path || (!named && access(path, F_OK) != 0))
		return SC_OK;
	char *data = NULL;
	size_t len = 0;
	enum sc_status st = sc_read_file(path, MAX_CONFIG, &data, &len, err);
	if (st != SC_OK)
		return st;
	st = sc_registry_config_parse(reg, path, data, len, err);
	free(data);
	return st;
}

enum sc_status sc_registry_new(const struct sc_registry_options *o, struct sc_registry **out, struct sc_error *err)
{
	struct sc_registry *reg = sc_xcalloc(1, sizeof(*reg));
	reg->cache = sc_map_new();
	reg->timeout_ms = o && o->timeout_ms > 0 ? o->timeout_ms : 10000;
	if (o && o->n_insecure) {
		reg->insecure = sc_xcalloc(o->n_insecure, sizeof(*reg->insecure));
		for (size_t i = 0; i < o->n_insecure; i++)
			reg->insecure[i] = sc_xstrdup(o->insecure[i]);
		reg->n_insecure = o->n_insecure;
	}
	char *path = NULL;
	bool named = o && o->docker_config;
	if (named) {
		path = sc_xstrdup(o->docker_config);
	} else if (getenv("DOCKER_CONFIG") && *getenv("DOCKER_CONFIG")) {
		path = sc_path_join(getenv("DOCKER_CONFIG"), "config.json");
	} else if (getenv("HOME") && *getenv("HOME")) {
		path = sc_xasprintf("%s/.docker/config.json", getenv("HOME"));
	}
	enum sc_status st = read_config(reg, path, named, err);
	free(path);
	if (st != SC_OK) {
		sc_registry_free(reg);
		return st;
	}
	*out = reg;
	return SC_OK;
}

void sc_registry_free(struct sc_registry *reg)
{
	if (!reg)
		return;
	size_t it = 0;
	const char *key;
	void *v;
	while (sc_map_next(reg->cache, &it, &key, &v)) {
		struct cached *c = v;
		for (size_t i = 0; i < c->n_children; i++)
			free(c->children[i]);
		free(c->children);
		free(c->digest);
		free(c->msg);
		free(c);
		free((char *)key);
	}
	sc_map_free(reg->cache);
	for (size_t i = 0; i < reg->n_insecure; i++)
		free(reg->insecure[i]);
	free(reg->insecure);
	json_decref(reg->auths);
	free(reg);
}
