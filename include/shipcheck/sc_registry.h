/* sc_registry.h - a client of container registries (Docker Registry HTTP API v2 / OCI distribution
 * spec) that asks for the current manifest digest of a tag: HEAD /v2/<repo>/manifests/<tag> with
 * the OCI and Docker manifest media types, anonymous or credentialed bearer-token and basic auth
 * (credentials from the docker CLI's config.json `auths`), https unless the registry is listed as
 * insecure, timeouts, size limits, and a cache so that each reference is asked once per run. */
#ifndef SHIPCHECK_SC_REGISTRY_H
#define SHIPCHECK_SC_REGISTRY_H

#include "sc_core.h"

#ifdef __cplusplus
extern "C" {
#endif

struct sc_registry_options {
	/* Registries (host or host:port, as in image references) reached over plain http. */
	const char *const *insecure;
	size_t n_insecure;
	long timeout_ms; /* per request (connect + transfer); 0 = 10,000 */
	/* The docker CLI config with `auths`; NULL = $DOCKER_CONFIG/config.json, else
	 * $HOME/.docker/config.json. A missing file means anonymous access. */
	const char *docker_config;
};

struct sc_registry;

/* A client for one run. Reads the docker config (an unreadable or malformed one is an error). */
enum sc_status sc_registry_new(const struct sc_registry_options *o, struct sc_registry **out,
			       struct sc_error *err);
void sc_registry_free(struct sc_registry *r);

/* The digest ("sha256:...") the registry serves for registry/repo:tag now. registry is as written
 * in an image reference ("docker.io" is asked at registry-1.docker.io). *digest lives as long as r.
 * Errors (SC_EIO: unreachable, timeout, 5xx; SC_EINPUT: unknown repository or tag, access denied;
 * SC_ELIMIT: an answer over the size limits) say what failed without printing credentials. Answers,
 * errors included, are cached: a reference is asked once. */
enum sc_status sc_registry_digest(struct sc_registry *r, const char *registry, const char *repo, const char *tag,
				  const char **digest, struct sc_error *err);

/* Is digest one of the platform manifests of the index (or Docker manifest list) that
 * registry/repo:tag points to now? (A pin of the linux/amd64 manifest of the current index is
 * current.) One GET per reference and run; false for a single-platform manifest. */
enum sc_status sc_registry_index_has(struct sc_registry *r, const char *registry, const char *repo,
				     const char *tag, const char *digest, bool *has, struct sc_error *err);

/* HTTP requests made so far (for tests of the cache). */
size_t sc_registry_requests(const struct sc_registry *r);

/* The parsers of what registries and users hand the client, exposed for tests and the fuzz target. */
/* A WWW-Authenticate challenge: `Bearer realm="...",service="...",scope="..."` (malloc'd strings,
 * NULL when absent). False when there is no scheme. */
struct sc_registry_challenge {
	char scheme[16];
	char *realm, *service, *scope;
};
bool sc_registry_challenge_parse(const char *header, struct sc_registry_challenge *out);
void sc_registry_challenge_free(struct sc_registry_challenge *c);
/* Takes the `auths` of a docker config.json (path is for error locations), replacing any before. */
enum sc_status sc_registry_config_parse(struct sc_registry *r, const char *path, const char *data, size_t len,
					struct sc_error *err);

#ifdef __cplusplus
}
#endif
#endif
