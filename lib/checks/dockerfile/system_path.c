/* system_path.c - SC-DF-019: WORKDIR or VOLUME on a system directory (/, /etc, /usr, /proc, ...). */
#include "rules.h"

#include <string.h>

static const char *const equivalents[] = {"DKL-DI-0002", NULL};

static const struct sc_rule meta = {
	.id = "SC-DF-019",
	.name = "system-path-workdir-volume",
	.check = "dockerfile",
	.severity = SC_SEV_MEDIUM,
	.title = "WORKDIR or VOLUME on a system directory",
	.equivalents = equivalents,
};

static bool system_dir(const char *p)
{
	static const char *const exact[] = {"/", "/bin", "/boot", "/dev", "/etc", "/lib", "/lib32", "/lib64",
					    "/proc", "/run", "/sbin", "/sys", "/usr", "/usr/bin",
					    "/usr/lib", "/usr/local", "/usr/local/bin", "/usr/sbin", "/var",
					    "/var/lib", "/var/run", NULL};
	static const char *const under[] = {"/proc/", "/sys/", "/dev/", "/boot/", "/etc/", "/bin/", "/sbin/",
					    "/usr/bin/", "/usr/sbin/", NULL};
	char buf[4096];
	size_t n = strlen(p);
	if (n >= sizeof(buf))
		return false;
	memcpy(buf, p, n + 1);
	while (n > 1 && buf[n - 1] == '/')
		buf[--n] = '\0';
	for (size_t i = 0; exact[i]; i++)
		if (!strcmp(buf, exact[i]))
			return true;
	for (size_t i = 0; under[i]; i++)
		if (!strncmp(buf, under[i], strlen(under[i])))
			return true;
	return false;
}

static void check_file(struct sc_df_ctx *ctx)
{
	if (!ctx->df)
		return;
	SC_DF_FOREACH(ctx->df, in) {
		if ((in->kind != SC_DF_WORKDIR && in->kind != SC_DF_VOLUME) || !in->resolved)
			continue;
		if (ctx->df->stages && in->stage >= 0 && ctx->df->stages[in->stage].windows)
			continue;
		for (size_t k = 0; k < in->argc; k++) {
			if (!system_dir(in->argv[k]))
				continue;
			sc_df_report(ctx, &meta, in, NULL,
				     "Use a directory of the application, e.g. `/app` or `/var/lib/<service>`.",
				     in->kind == SC_DF_VOLUME
					     ? "`VOLUME %s` mounts a volume over a system directory: the image's own "
					       "files there are hidden or copied out, and whatever is mounted replaces "
					       "system binaries or configuration."
					     : "`WORKDIR %s` makes a system directory the working directory: `COPY . .` "
					       "and build steps then write application files over system files.",
				     in->argv[k]);
			break;
		}
	}
}

const struct sc_df_rule sc_df_rule_system_path = {
	.meta = &meta,
	.check_file = check_file,
};
