/* test_registry.c - the registry client (lib/registry) and SC-DF-004's registry check: against a
 * real Docker Distribution registry (Debian's docker-registry) started on 127.0.0.1 with a temporary
 * config and storage, to which the test pushes blobs and manifests over the v2 API; and against a
 * scripted HTTP server on 127.0.0.1 for the bearer-token challenge with docker-config credentials,
 * 404, 500, a HEAD without a digest header, timeouts and the per-run cache. */
#include "testutil.h"

#include <arpa/inet.h>
#include <curl/curl.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "shipcheck/sc_registry.h"
#include "shipcheck/sc_scan.h"

/* Servers this test started, stopped by the teardown even when an assertion failed half-way (a
 * failed assertion leaves the test before its own stop). */
static pid_t started[8];

static void track(pid_t pid)
{
	for (size_t i = 0; i < sizeof(started) / sizeof(started[0]); i++)
		if (!started[i]) {
			started[i] = pid;
			return;
		}
}

static void reap(pid_t pid)
{
	kill(pid, SIGTERM);
	waitpid(pid, NULL, 0);
	for (size_t i = 0; i < sizeof(started) / sizeof(started[0]); i++)
		if (started[i] == pid)
			started[i] = 0;
}

static int stop_servers(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(started) / sizeof(started[0]); i++)
		if (started[i])
			reap(started[i]);
	return 0;
}

/* ---- a scripted HTTP server: one canned response per connection ---- */

struct fake {
	pid_t pid;
	int port;
	char *dir; /* requests are written to dir/req-N */
};

static int listener(int *port)
{
	int lfd = socket(AF_INET, SOCK_STREAM, 0);
	struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
	assert_int_equal(bind(lfd, (struct sockaddr *)&a, sizeof(a)), 0);
	socklen_t al = sizeof(a);
	getsockname(lfd, (struct sockaddr *)&a, &al);
	*port = ntohs(a.sin_port);
	assert_int_equal(listen(lfd, 8), 0);
	return lfd;
}

/* responses[i] answers the i-th connection; "" = accept and never answer. */
static void fake_start(struct fake *f, int lfd, const char *const *responses)
{
	f->pid = fork();
	assert_true(f->pid >= 0);
	if (f->pid) {
		track(f->pid);
		return;
	}
	for (int n = 0; responses[n]; n++) {
		int c = accept(lfd, NULL, NULL);
		if (c < 0)
			_exit(1);
		char buf[16384];
		size_t len = 0;
		ssize_t r;
		while (len < sizeof(buf) - 1 && (r = read(c, buf + len, sizeof(buf) - 1 - len)) > 0) {
			len += (size_t)r;
			buf[len] = '\0';
			if (strstr(buf, "\r\n\r\n"))
				break;
		}
		char path[512];
		snprintf(path, sizeof(path), "%s/req-%d", f->dir, n);
		FILE *out = fopen(path, "w");
		if (out) {
			fwrite(buf, 1, len, out);
			fclose(out);
		}
		if (!*responses[n]) {
			sleep(3);
		} else if (write(c, responses[n], strlen(responses[n])) < 0) {
			_exit(1);
		}
		close(c);
	}
	_exit(0);
}

static void fake_stop(struct fake *f)
{
	reap(f->pid);
}

static char *req(const struct fake *f, int n)
{
	char *p = sc_xasprintf("%s/req-%d", f->dir, n);
	char *s = access(p, F_OK) == 0 ? tu_read(p) : NULL;
	free(p);
	return s;
}

static char *fake_dir_with_config(const char *config)
{
	char *dir = tu_mkdtemp();
	if (config)
		tu_write(dir, "docker/config.json", config);
	char *cfgdir = sc_path_join(dir, "docker");
	setenv("DOCKER_CONFIG", cfgdir, 1);
	free(cfgdir);
	return dir;
}

static struct sc_registry *client(const char *insecure, long timeout_ms)
{
	const char *list[] = {insecure};
	struct sc_registry_options o = {.insecure = list, .n_insecure = insecure ? 1 : 0, .timeout_ms = timeout_ms};
	struct sc_registry *r = NULL;
	struct sc_error err = {0};
	if (sc_registry_new(&o, &r, &err) != SC_OK)
		fail_msg("sc_registry_new: %s", err.msg);
	return r;
}

#define DIGEST_A "sha256:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"

/* 401 with a Bearer challenge -> token from the realm with the docker config's credentials ->
 * HEAD again with the token. */
static void test_bearer_challenge(void **state)
{
	(void)state;
	struct fake f = {0};
	int lfd = listener(&f.port);
	char *host = sc_xasprintf("127.0.0.1:%d", f.port);
	char *config = sc_xasprintf("{\"auths\": {\"other.example\": {\"auth\": \"b3RoZXI6eA==\"},"
				    " \"http://%s\": {\"auth\": \"dXNlcjpwYXNz\"}}}",
				    host);
	f.dir = fake_dir_with_config(config);
	char *challenge = sc_xasprintf("HTTP/1.1 401 Unauthorized\r\nWWW-Authenticate: Bearer realm=\"http://%s/token\","
				       "service=\"test-registry\",scope=\"repository:base/node:pull\"\r\n"
				       "Content-Length: 0\r\nConnection: close\r\n\r\n",
				       host);
	const char *responses[] = {
		challenge,
		"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 19\r\nConnection: close\r\n\r\n"
		"{\"token\":\"tok123\"}\n",
		"HTTP/1.1 200 OK\r\nDocker-Content-Digest: " DIGEST_A "\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
		NULL,
	};
	fake_start(&f, lfd, responses);
	close(lfd);
	struct sc_registry *r = client(host, 5000);
	const char *d = NULL;
	struct sc_error err = {0};
	if (sc_registry_digest(r, host, "base/node", "22", &d, &err) != SC_OK)
		fail_msg("digest: %s", err.msg);
	assert_string_equal(d, DIGEST_A);
	/* asked once: the second lookup is answered from the cache */
	assert_int_equal(sc_registry_digest(r, host, "base/node", "22", &d, &err), SC_OK);
	assert_int_equal(sc_registry_requests(r), 3);
	fake_stop(&f);

	char *r0 = req(&f, 0), *r1 = req(&f, 1), *r2 = req(&f, 2);
	assert_non_null(r0);
	assert_non_null(r1);
	assert_non_null(r2);
	assert_non_null(strstr(r0, "HEAD /v2/base/node/manifests/22 HTTP/1.1"));
	assert_null(strcasestr(r0, "Authorization:"));
	assert_non_null(strstr(r0, "application/vnd.oci.image.index.v1+json"));
	assert_non_null(strstr(r0, "application/vnd.oci.image.manifest.v1+json"));
	assert_non_null(strstr(r0, "application/vnd.docker.distribution.manifest.list.v2+json"));
	assert_non_null(strstr(r0, "application/vnd.docker.distribution.manifest.v2+json"));
	assert_non_null(strstr(r1, "GET /token?service=test-registry&scope=repository%3Abase%2Fnode%3Apull HTTP/1.1"));
	assert_non_null(strstr(r1, "Authorization: Basic dXNlcjpwYXNz"));
	assert_non_null(strstr(r2, "HEAD /v2/base/node/manifests/22 HTTP/1.1"));
	assert_non_null(strstr(r2, "Authorization: Bearer tok123"));
	free(r0);
	free(r1);
	free(r2);
	sc_registry_free(r);
	tu_rmtree(f.dir);
	free(f.dir);
	free(challenge);
	free(config);
	free(host);
	unsetenv("DOCKER_CONFIG");
}

/* Anonymous token (no credentials for this registry), username/password credentials for basic auth. */
static void test_anonymous_and_basic(void **state)
{
	(void)state;
	struct fake f = {0};
	int lfd = listener(&f.port);
	char *host = sc_xasprintf("127.0.0.1:%d", f.port);
	char *config = sc_xasprintf("{\"auths\": {\"%s\": {\"username\": \"ci\", \"password\": \"s3cret\"}}}", host);
	f.dir = fake_dir_with_config(config);
	char *challenge = sc_xasprintf("HTTP/1.1 401 Unauthorized\r\nWWW-Authenticate: Basic realm=\"reg\"\r\n"
				       "Content-Length: 0\r\nConnection: close\r\n\r\n");
	const char *responses[] = {
		challenge,
		"HTTP/1.1 200 OK\r\nDocker-Content-Digest: " DIGEST_A "\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
		NULL,
	};
	fake_start(&f, lfd, responses);
	close(lfd);
	struct sc_registry *r = client(host, 5000);
	const char *d = NULL;
	struct sc_error err = {0};
	if (sc_registry_digest(r, host, "app", "v1", &d, &err) != SC_OK)
		fail_msg("digest: %s", err.msg);
	assert_string_equal(d, DIGEST_A);
	fake_stop(&f);
	char *r1 = req(&f, 1);
	assert_non_null(strstr(r1, "Authorization: Basic Y2k6czNjcmV0")); /* base64("ci:s3cret") */
	free(r1);
	sc_registry_free(r);
	tu_rmtree(f.dir);
	free(f.dir);
	free(challenge);
	free(config);

	/* no docker config at all: a Basic challenge cannot be answered, and the error says so */
	f = (struct fake){0};
	lfd = listener(&f.port);
	free(host);
	host = sc_xasprintf("127.0.0.1:%d", f.port);
	f.dir = fake_dir_with_config(NULL);
	const char *basic_only[] = {"HTTP/1.1 401 Unauthorized\r\nWWW-Authenticate: Basic realm=\"reg\"\r\n"
				    "Content-Length: 0\r\nConnection: close\r\n\r\n",
				    NULL};
	fake_start(&f, lfd, basic_only);
	close(lfd);
	r = client(host, 5000);
	assert_int_equal(sc_registry_digest(r, host, "app", "v1", &d, &err), SC_EINPUT);
	assert_non_null(strstr(err.msg, "docker login"));
	sc_error_clear(&err);
	fake_stop(&f);
	sc_registry_free(r);
	tu_rmtree(f.dir);
	free(f.dir);
	free(host);
	unsetenv("DOCKER_CONFIG");
}

static void test_errors(void **state)
{
	(void)state;
	struct fake f = {0};
	int lfd = listener(&f.port);
	char *host = sc_xasprintf("127.0.0.1:%d", f.port);
	f.dir = fake_dir_with_config(NULL);
	static const char manifest[] = "{\"schemaVersion\":2}";
	const char *responses[] = {
		"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
		"HTTP/1.1 500 Internal Server Error\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
		/* HEAD without Docker-Content-Digest, then the GET whose bytes are hashed */
		"HTTP/1.1 200 OK\r\nContent-Length: 19\r\nConnection: close\r\n\r\n",
		"HTTP/1.1 200 OK\r\nContent-Length: 19\r\nConnection: close\r\n\r\n{\"schemaVersion\":2}",
		"", /* never answers */
		NULL,
	};
	fake_start(&f, lfd, responses);
	close(lfd);
	struct sc_registry *r = client(host, 1000);
	const char *d = NULL;
	struct sc_error err = {0};
	assert_int_equal(sc_registry_digest(r, host, "app", "gone", &d, &err), SC_EINPUT);
	assert_non_null(strstr(err.msg, "HTTP 404"));
	sc_error_clear(&err);
	assert_int_equal(sc_registry_digest(r, host, "app", "broken", &d, &err), SC_EIO);
	assert_non_null(strstr(err.msg, "HTTP 500"));
	sc_error_clear(&err);
	/* errors are cached too: no new request */
	assert_int_equal(sc_registry_digest(r, host, "app", "broken", &d, &err), SC_EIO);
	sc_error_clear(&err);
	assert_int_equal(sc_registry_requests(r), 2);

	assert_int_equal(sc_registry_digest(r, host, "app", "nodigest", &d, &err), SC_OK);
	char hex[65];
	sc_sha256_hex(manifest, strlen(manifest), hex);
	char *want = sc_xasprintf("sha256:%s", hex);
	assert_string_equal(d, want);
	free(want);

	time_t t0 = time(NULL);
	assert_int_equal(sc_registry_digest(r, host, "app", "slow", &d, &err), SC_EIO);
	assert_non_null(strstr(err.msg, "no answer within 1000 ms"));
	assert_true(time(NULL) - t0 <= 3);
	sc_error_clear(&err);

	/* nothing that could change the URL reaches the registry */
	assert_int_equal(sc_registry_digest(r, host, "app/../x", "v1?x", &d, &err), SC_EINPUT);
	sc_error_clear(&err);
	assert_int_equal(sc_registry_requests(r), 5);
	fake_stop(&f);
	char *r2 = req(&f, 2), *r3 = req(&f, 3);
	assert_non_null(strstr(r2, "HEAD /v2/app/manifests/nodigest"));
	assert_non_null(strstr(r3, "GET /v2/app/manifests/nodigest"));
	free(r2);
	free(r3);
	sc_registry_free(r);

	/* https unless listed as insecure: a plain-http server fails the TLS handshake */
	f = (struct fake){.dir = f.dir};
	lfd = listener(&f.port);
	free(host);
	host = sc_xasprintf("127.0.0.1:%d", f.port);
	const char *plain[] = {"HTTP/1.1 200 OK\r\nDocker-Content-Digest: " DIGEST_A "\r\nContent-Length: 0\r\n\r\n", NULL};
	fake_start(&f, lfd, plain);
	close(lfd);
	r = client(NULL, 2000);
	assert_int_equal(sc_registry_digest(r, host, "app", "v1", &d, &err), SC_EIO);
	assert_non_null(strstr(err.msg, "https://"));
	sc_error_clear(&err);
	fake_stop(&f);
	sc_registry_free(r);

	/* a malformed docker config is an error with its location */
	tu_write(f.dir, "docker/config.json", "{\"auths\": {\n  \"x\": }\n}");
	struct sc_registry *bad = NULL;
	struct sc_registry_options o = {0};
	assert_int_equal(sc_registry_new(&o, &bad, &err), SC_EINPUT);
	assert_non_null(err.file);
	assert_int_equal(err.line, 2);
	sc_error_clear(&err);

	tu_rmtree(f.dir);
	free(f.dir);
	free(host);
	unsetenv("DOCKER_CONFIG");
}

static void test_challenge_parse(void **state)
{
	(void)state;
	struct sc_registry_challenge c;
	assert_true(sc_registry_challenge_parse(
		"Bearer realm=\"https://auth.example.invalid/token\",service=\"reg.example.invalid\","
		"scope=\"repository:a/b:pull,push\",error=\"insufficient_scope\"",
		&c));
	assert_string_equal(c.scheme, "Bearer");
	assert_string_equal(c.realm, "https://auth.example.invalid/token");
	assert_string_equal(c.service, "reg.example.invalid");
	assert_string_equal(c.scope, "repository:a/b:pull,push"); /* a comma inside quotes */
	sc_registry_challenge_free(&c);
	assert_true(sc_registry_challenge_parse("Bearer realm=\"a\\\"b\", scope=unquoted", &c));
	assert_string_equal(c.realm, "a\"b");
	assert_string_equal(c.scope, "unquoted");
	assert_null(c.service);
	sc_registry_challenge_free(&c);
	assert_true(sc_registry_challenge_parse("Basic realm=\"Registry Realm\"", &c));
	assert_string_equal(c.scheme, "Basic");
	sc_registry_challenge_free(&c);
	assert_false(sc_registry_challenge_parse("", &c));
	assert_false(sc_registry_challenge_parse("AVeryLongSchemeNameIndeed realm=x", &c));
}

/* ---- a real registry ---- */

struct registry {
	pid_t pid;
	int port;
	char *dir;
	char *base; /* http://127.0.0.1:PORT */
};

struct http {
	long status;
	char location[2048];
};

static size_t hdr(char *b, size_t size, size_t n, void *ud)
{
	struct http *h = ud;
	size_t len = size * n;
	if (len > 9 && !strncasecmp(b, "Location:", 9)) {
		const char *v = b + 9;
		while (*v == ' ')
			v++;
		size_t vl = strcspn(v, "\r\n");
		if (vl < sizeof(h->location)) {
			memcpy(h->location, v, vl);
			h->location[vl] = '\0';
		}
	}
	return len;
}

static size_t sink(char *b, size_t size, size_t n, void *ud)
{
	(void)b;
	(void)ud;
	return size * n;
}

static struct http http(const char *method, const char *url, const char *ctype, const char *body, size_t len)
{
	struct http h = {0};
	CURL *c = curl_easy_init();
	struct curl_slist *hs = NULL;
	char *ct = sc_xasprintf("Content-Type: %s", ctype ? ctype : "application/octet-stream");
	hs = curl_slist_append(hs, ct);
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, method);
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, hs);
	curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, hdr);
	curl_easy_setopt(c, CURLOPT_HEADERDATA, &h);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, sink);
	curl_easy_setopt(c, CURLOPT_TIMEOUT, 10L);
	if (body) {
		curl_easy_setopt(c, CURLOPT_POSTFIELDS, body);
		curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE, (long)len);
	}
	if (curl_easy_perform(c) == CURLE_OK)
		curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &h.status);
	curl_easy_cleanup(c);
	curl_slist_free_all(hs);
	free(ct);
	return h;
}

static struct registry registry_start(void)
{
	struct registry g = {0};
	g.dir = tu_mkdtemp();
	int lfd = listener(&g.port);
	close(lfd); /* a free port for the registry to take */
	char *cfg = sc_xasprintf("version: 0.1\nlog:\n  level: error\nstorage:\n  filesystem:\n    rootdirectory: %s/data\n"
				 "http:\n  addr: 127.0.0.1:%d\n",
				 g.dir, g.port);
	tu_write(g.dir, "config.yml", cfg);
	free(cfg);
	char *cfgpath = sc_path_join(g.dir, "config.yml");
	char *logpath = sc_path_join(g.dir, "registry.log");
	g.pid = fork();
	assert_true(g.pid >= 0);
	if (g.pid == 0) {
		int fd = open(logpath, O_WRONLY | O_CREAT | O_TRUNC, 0600);
		if (fd >= 0) {
			dup2(fd, 1);
			dup2(fd, 2);
		}
		execlp("docker-registry", "docker-registry", "serve", cfgpath, (char *)NULL);
		_exit(127);
	}
	track(g.pid);
	free(cfgpath);
	free(logpath);
	g.base = sc_xasprintf("http://127.0.0.1:%d", g.port);
	char *v2 = sc_xasprintf("%s/v2/", g.base);
	for (int i = 0; i < 150; i++) {
		int st;
		if (waitpid(g.pid, &st, WNOHANG) == g.pid)
			fail_msg("docker-registry exited (%d): is Debian's docker-registry installed (scripts/install-deps)?",
				 WIFEXITED(st) ? WEXITSTATUS(st) : -1);
		if (http("GET", v2, NULL, NULL, 0).status == 200)
			break;
		usleep(100 * 1000);
	}
	assert_int_equal(http("GET", v2, NULL, NULL, 0).status, 200);
	free(v2);
	return g;
}

static void registry_stop(struct registry *g)
{
	reap(g->pid);
	tu_rmtree(g->dir);
	free(g->dir);
	free(g->base);
}

static char *digest_of(const char *data, size_t len)
{
	char hex[65];
	sc_sha256_hex(data, len, hex);
	return sc_xasprintf("sha256:%s", hex);
}

/* The monolithic blob upload of the v2 API: POST an upload, PUT the bytes with ?digest=. */
static char *push_blob(const struct registry *g, const char *repo, const char *data)
{
	char *d = digest_of(data, strlen(data));
	char *url = sc_xasprintf("%s/v2/%s/blobs/uploads/", g->base, repo);
	struct http h = http("POST", url, NULL, NULL, 0);
	assert_int_equal(h.status, 202);
	assert_true(h.location[0]);
	char *put = sc_xasprintf("%s%s%sdigest=%s", h.location[0] == '/' ? g->base : "", h.location,
				 strchr(h.location, '?') ? "&" : "?", d);
	h = http("PUT", put, NULL, data, strlen(data));
	assert_int_equal(h.status, 201);
	free(put);
	free(url);
	return d;
}

static char *push_manifest(const struct registry *g, const char *repo, const char *tag, const char *type,
			   const char *manifest)
{
	char *url = sc_xasprintf("%s/v2/%s/manifests/%s", g->base, repo, tag);
	struct http h = http("PUT", url, type, manifest, strlen(manifest));
	assert_int_equal(h.status, 201);
	free(url);
	return digest_of(manifest, strlen(manifest));
}

/* Pushes config, layer and manifest; *msize gets the manifest's size. */
static char *push_image(const struct registry *g, const char *repo, const char *tag, const char *layer_text,
			size_t *msize)
{
	char *config = sc_xasprintf("{\"architecture\":\"amd64\",\"os\":\"linux\",\"rootfs\":{\"type\":\"layers\","
				    "\"diff_ids\":[]},\"config\":{\"Labels\":{\"v\":\"%s\"}}}",
				    layer_text);
	char *cd = push_blob(g, repo, config);
	char *ld = push_blob(g, repo, layer_text);
	char *manifest = sc_xasprintf(
		"{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\","
		"\"config\":{\"mediaType\":\"application/vnd.oci.image.config.v1+json\",\"digest\":\"%s\",\"size\":%zu},"
		"\"layers\":[{\"mediaType\":\"application/vnd.oci.image.layer.v1.tar\",\"digest\":\"%s\",\"size\":%zu}]}",
		cd, strlen(config), ld, strlen(layer_text));
	char *md = push_manifest(g, repo, tag, "application/vnd.oci.image.manifest.v1+json", manifest);
	if (msize)
		*msize = strlen(manifest);
	free(manifest);
	free(config);
	free(cd);
	free(ld);
	return md;
}

static void test_real_registry(void **state)
{
	(void)state;
	struct registry g = registry_start();
	char *host = sc_xasprintf("127.0.0.1:%d", g.port);
	char *cfgdir = fake_dir_with_config(NULL); /* anonymous */

	char *old = push_image(&g, "base/node", "22", "layer one", NULL);
	size_t cur_size = 0;
	char *cur = push_image(&g, "base/node", "22", "layer two", &cur_size); /* the tag moves on */
	assert_string_not_equal(old, cur);
	/* a multi-platform tag: an OCI index whose linux/amd64 manifest is `cur` */
	char *index = sc_xasprintf("{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.index.v1+json\","
				   "\"manifests\":[{\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\","
				   "\"digest\":\"%s\",\"size\":%zu,\"platform\":{\"architecture\":\"amd64\","
				   "\"os\":\"linux\"}}]}",
				   cur, cur_size);
	char *idx = push_manifest(&g, "base/node", "multi", "application/vnd.oci.image.index.v1+json", index);
	free(index);

	struct sc_registry *r = client(host, 5000);
	const char *d = NULL;
	struct sc_error err = {0};
	if (sc_registry_digest(r, host, "base/node", "22", &d, &err) != SC_OK)
		fail_msg("digest: %s", err.msg);
	assert_string_equal(d, cur);
	assert_int_equal(sc_registry_digest(r, host, "base/node", "21", &d, &err), SC_EINPUT);
	assert_non_null(strstr(err.msg, "404"));
	sc_error_clear(&err);
	assert_int_equal(sc_registry_digest(r, host, "base/node", "multi", &d, &err), SC_OK);
	assert_string_equal(d, idx);
	bool has = true;
	assert_int_equal(sc_registry_index_has(r, host, "base/node", "multi", cur, &has, &err), SC_OK);
	assert_true(has);
	assert_int_equal(sc_registry_index_has(r, host, "base/node", "multi", old, &has, &err), SC_OK);
	assert_false(has);
	assert_int_equal(sc_registry_index_has(r, host, "base/node", "22", old, &has, &err), SC_OK);
	assert_false(has); /* a single manifest has no platform manifests */
	sc_registry_free(r);

	/* the rule: a stale pin is SC-DF-004, a current one is fine, an unknown tag is a warning */
	char *dir = tu_mkdtemp();
	char *dockerfile = sc_xasprintf("FROM %s/base/node:22@%s AS build\nRUN true\n"
					"FROM %s/base/node:nope@%s AS gone\n"
					"FROM %s/base/node:multi@%s AS platform\n"
					"FROM %s/base/node:22@%s\nUSER app\n",
					host, old, host, old, host, cur, host, cur);
	tu_write(dir, "Dockerfile", dockerfile);
	tu_write(dir, ".dockerignore", ".git\n");
	char *policy = sc_xasprintf("version: 1\ndockerfile:\n  base_images:\n    check_registry: true\n"
				    "    insecure_registries: [\"%s\"]\n    registry_timeout: 5\n",
				    host);
	tu_write(dir, ".shipcheck.yml", policy);
	struct sc_scan_options o;
	sc_scan_options_init(&o);
	o.repo_dir = dir;
	const char *only[] = {"dockerfile", NULL};
	o.only_checks = only;
	struct sc_result *res = NULL;
	if (sc_scan_run(&o, &res, &err) != SC_OK)
		fail_msg("scan: %s", err.msg);
	size_t n = 0;
	for (size_t i = 0; i < res->findings.len; i++) {
		const struct sc_finding *f = res->findings.items[i];
		if (strcmp(f->rule->id, "SC-DF-004"))
			continue;
		n++;
		assert_int_equal(f->loc.line, 1);
		assert_non_null(strstr(f->message, cur));
		assert_non_null(strstr(f->remediation, cur));
		assert_non_null(strstr(f->remediation, "Rebuild on the current base"));
	}
	assert_int_equal(n, 1);
	size_t warned = 0;
	for (size_t i = 0; i < res->warnings.len; i++) {
		const struct sc_warning *w = res->warnings.items[i];
		if (strstr(w->message, "could not check base image") && strstr(w->message, "HTTP 404")) {
			assert_int_equal(w->line, 3);
			warned++;
		}
	}
	assert_int_equal(warned, 1);
	sc_result_free(res);

	/* without check_registry nothing is asked: the registry is stopped and no warning appears */
	registry_stop(&g);
	tu_write(dir, ".shipcheck.yml", "version: 1\n");
	res = NULL;
	assert_int_equal(sc_scan_run(&o, &res, &err), SC_OK);
	for (size_t i = 0; i < res->findings.len; i++)
		assert_string_not_equal(((const struct sc_finding *)res->findings.items[i])->rule->id, "SC-DF-004");
	for (size_t i = 0; i < res->warnings.len; i++)
		assert_null(strstr(((const struct sc_warning *)res->warnings.items[i])->message, "could not check"));
	sc_result_free(res);

	/* a bad policy value is an error with its location */
	tu_write(dir, ".shipcheck.yml", "version: 1\ndockerfile:\n  base_images:\n    registry_timeout: forever\n");
	res = NULL;
	assert_int_equal(sc_scan_run(&o, &res, &err), SC_EINPUT);
	assert_int_equal(err.line, 4);
	sc_error_clear(&err);

	tu_rmtree(dir);
	free(dir);
	free(dockerfile);
	free(policy);
	tu_rmtree(cfgdir);
	free(cfgdir);
	free(old);
	free(cur);
	free(idx);
	free(host);
	unsetenv("DOCKER_CONFIG");
}

int main(void)
{
	curl_global_init(CURL_GLOBAL_DEFAULT);
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_challenge_parse),
		cmocka_unit_test_teardown(test_bearer_challenge, stop_servers),
		cmocka_unit_test_teardown(test_anonymous_and_basic, stop_servers),
		cmocka_unit_test_teardown(test_errors, stop_servers),
		cmocka_unit_test_teardown(test_real_registry, stop_servers),
	};
	int rc = cmocka_run_group_tests(tests, NULL, NULL);
	curl_global_cleanup();
	return rc;
}
