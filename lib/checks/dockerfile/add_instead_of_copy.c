/* add_instead_of_copy.c - SC-DF-009: ADD used for plain local files or folders, where COPY does the
 * same without ADD's implicit URL download and archive extraction. */
#include "rules.h"

#include <string.h>
#include <strings.h>

static const char *const equivalents[] = {"DL3020", "DS005", "CIS-DI-0009", NULL};

static const struct sc_rule meta = {
	.id = "SC-DF-009",
	.name = "add-instead-of-copy",
	.check = "dockerfile",
	.severity = SC_SEV_LOW,
	.title = "ADD used where COPY would do",
	.equivalents = equivalents,
};

static bool ends_with(const char *s, const char *suf)
{
	size_t n = strlen(s), m = strlen(suf);
	return n >= m && !strcasecmp(s + n - m, suf);
}

/* ADD does something COPY cannot: a URL, a git repository, or a local tar archive it extracts. */
static bool special_source(const char *s)
{
	static const char *const arch[] = {".tar", ".tar.gz", ".tgz", ".tar.bz2", ".tbz2", ".tbz", ".tar.xz",
					   ".txz", ".tar.zst", ".tzst", ".tar.lz", ".tar.lzma", NULL};
	if (strstr(s, "://") || !strncmp(s, "git@", 4) || strchr(s, '$'))
		return true;
	for (size_t i = 0; arch[i]; i++)
		if (ends_with(s, arch[i]))
			return true;
	return false;
}

static void check_file(struct sc_df_ctx *ctx)
{
	if (!ctx->df)
		return;
	SC_DF_FOREACH(ctx->df, in) {
		if (in->kind != SC_DF_ADD || in->argc < 2)
			continue;
		bool special = false;
		for (size_t k = 0; k < in->n_flags; k++)
			if (!strcmp(in->flags[k].name, "checksum") || !strcmp(in->flags[k].name, "keep-git-dir"))
				special = true;
		size_t nsrc = in->argc - 1;
		for (size_t k = 0; k < nsrc && !special; k++)
			if (special_source(in->argv[k]))
				special = true;
		if (special)
			continue;
		sc_df_report(ctx, &meta, in, NULL,
			     "Replace ADD with COPY (same arguments). Keep ADD only to extract a local tar archive "
			     "or to fetch a URL with `--checksum`.",
			     "ADD copies local files here, which COPY does too; ADD also downloads URLs and unpacks "
			     "archives implicitly, so a later change of the source can fetch or unpack something "
			     "unexpected.");
	}
}

const struct sc_df_rule sc_df_rule_add_instead_of_copy = {
	.meta = &meta,
	.check_file = check_file,
};
