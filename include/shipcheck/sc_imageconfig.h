/* sc_imageconfig.h - the image configuration the image-config check reads (user, environment,
 * labels, exposed ports, healthcheck, history), filled in by the image reader, and the entry point
 * that runs the image-config rules (SC-IMG-*) on it and on the image's merged file tree. */
#ifndef SHIPCHECK_SC_IMAGECONFIG_H
#define SHIPCHECK_SC_IMAGECONFIG_H

#include "sc_core.h"
#include "sc_finding.h"

#ifdef __cplusplus
extern "C" {
#endif

struct sc_fs;
struct sc_policy;

/* One entry of the image history (config "history"). */
struct sc_image_history {
	const char *created_by; /* "/bin/sh -c #(nop) USER app", "RUN /bin/sh -c apt-get ..." */
	bool empty_layer;       /* metadata-only step: no layer */
};

/* The parts of an OCI / Docker image config the rules read. Strings are borrowed. */
struct sc_image_config {
	const char *user;                 /* config.User; NULL or "" = root */
	const char *const *env;           /* config.Env: "KEY=value", NULL-terminated, may be NULL */
	const char *const *labels;        /* config.Labels as "key=value", NULL-terminated, may be NULL */
	const char *const *exposed_ports; /* config.ExposedPorts keys: "8080/tcp", NULL-terminated */
	bool has_healthcheck;             /* config.Healthcheck present with a Test other than NONE */
	const struct sc_image_history *history;
	size_t n_history;
	/* Number of layers (1-based layer indexes 1..base_layers) that come from the base image, so
	 * file rules can blame only the service's own layers; 0 = unknown (those rules then look at
	 * every layer). */
	int base_layers;
	const char *image_ref; /* for messages and fingerprints, may be NULL */
};

/* Runs every enabled image-config rule on cfg (may be NULL: file rules only) and on fs (the merged
 * view of the image, may be NULL: config rules only), adding findings to r. policy may be NULL. */
void sc_imageconfig_check(const struct sc_image_config *cfg, const struct sc_fs *fs,
			  const struct sc_policy *policy, struct sc_result *r);

#ifdef __cplusplus
}
#endif
#endif
