/* expose_port_invalid.c - SC-DF-022: EXPOSE with a port outside 0-65535, a malformed range or an
 * unknown protocol. */
#include "rules.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const char *const equivalents[] = {"DL3011", "DS008", NULL};

static const struct sc_rule meta = {
	.id = "SC-DF-022",
	.name = "expose-invalid-port",
	.check = "dockerfile",
	.severity = SC_SEV_LOW,
	.title = "EXPOSE with an invalid port",
	.equivalents = equivalents,
};

static bool port_ok(const char *s, size_t n, long *out)
{
	if (!n || n > 5)
		return false;
	long v = 0;
	for (size_t i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return false;
		v = v * 10 + (s[i] - '0');
	}
	*out = v;
	return v <= 65535;
}

static bool valid(const char *spec)
{
	const char *slash = strchr(spec, '/');
	size_t n = slash ? (size_t)(slash - spec) : strlen(spec);
	if (slash && strcasecmp(slash + 1, "tcp") && strcasecmp(slash + 1, "udp") && strcasecmp(slash + 1, "sctp"))
		return false;
	const char *dash = memchr(spec, '-', n);
	long a, b;
	if (!dash)
		return port_ok(spec, n, &a);
	return port_ok(spec, (size_t)(dash - spec), &a) && port_ok(dash + 1, n - (size_t)(dash - spec) - 1, &b) &&
	       a <= b;
}

static void check_file(struct sc_df_ctx *ctx)
{
	if (!ctx->df)
		return;
	SC_DF_FOREACH(ctx->df, in) {
		if (in->kind != SC_DF_EXPOSE || !in->resolved)
			continue;
		for (size_t k = 0; k < in->argc; k++) {
			if (valid(in->argv[k]))
				continue;
			sc_df_report(ctx, &meta, in, in->argv[k],
				     "Use `EXPOSE PORT[/tcp|/udp|/sctp]` or a range `START-END`, with ports from 0 to "
				     "65535.",
				     "`%s` is not a valid port: Docker rejects it at build time, or the service "
				     "listens somewhere else than documented.",
				     in->argv[k]);
			break;
		}
	}
}

const struct sc_df_rule sc_df_rule_expose_port_invalid = {
	.meta = &meta,
	.check_file = check_file,
};
