/* dockerignore_git.c - SC-DF-001: the build context must exclude .git (.dockerignore). */
#include "dockerignore.h"
#include "rules.h"

#include <stdlib.h>
#include <string.h>

static const char *const equivalents[] = {NULL};

static const struct sc_rule meta = {
	.id = "SC-DF-001",
	.name = "dockerignore-git",
	.check = "dockerfile",
	.severity = SC_SEV_HIGH,
	.title = "Build context does not exclude .git",
	.equivalents = equivalents,
};

/* Representative paths of a git directory: all must be excluded for .git to stay out. */
static const char *const git_paths[] = {".git", ".git/config", ".git/HEAD", ".git/objects/ab/cdef0123",
					".git/refs/heads/main", NULL};

static void check_file(struct sc_df_ctx *ctx)
{
	struct sc_result *r = ctx->scan->result;
	const char *base = sc_path_base(ctx->path);
	/* In a repository, .git is at its root: a context below the root holds none (unless it is a
	 * submodule's work tree, with a .git file). */
	if (!ctx->on_disk && *ctx->context) {
		char *git = sc_xasprintf("%s/.git", ctx->context);
		bool here = sc_df_context_exists(ctx, git);
		free(git);
		if (!here)
			return;
	}
	/* BuildKit reads <Dockerfile name>.dockerignore next to the Dockerfile first. */
	char *dir = sc_xstrndup(ctx->path, (size_t)(base - ctx->path));
	char *specific = sc_xasprintf("%s%s.dockerignore", dir, base);
	char *generic = *ctx->context ? sc_xasprintf("%s/.dockerignore", ctx->context)
				      : sc_xstrdup(".dockerignore");
	const char *ignore_path = NULL;
	if (sc_df_context_exists(ctx, specific))
		ignore_path = specific;
	else if (sc_df_context_exists(ctx, generic))
		ignore_path = generic;

	char *data = NULL;
	size_t len = 0;
	struct sc_dockerignore di = {0};
	if (ignore_path) {
		struct sc_error err = {0};
		if (sc_df_context_read(ctx, ignore_path, &data, &len, &err) != SC_OK) {
			sc_result_add_warning(r, ignore_path, 0, 0, "cannot read: %s", err.msg);
			sc_error_clear(&err);
			goto out;
		}
		sc_dockerignore_parse(&di, data, len);
	}

	unsigned line = 0;
	const char *leak = NULL;
	for (size_t i = 0; git_paths[i]; i++) {
		unsigned by = 0;
		if (!sc_dockerignore_excluded(&di, git_paths[i], &by)) {
			leak = git_paths[i];
			line = by;
			break;
		}
	}
	if (!leak)
		goto out;

	struct sc_finding *f = sc_result_add_finding(r, &meta);
	const char *ctxname = *ctx->context ? ctx->context : ".";
	/* why the context is not simply the Dockerfile's directory */
	const char *why = ctx->context_from == SC_DF_CTX_COMPOSE
				  ? sc_arena_printf(r->arena, "%s builds it from there", ctx->context_why)
			  : ctx->context_from == SC_DF_CTX_COPIES
				  ? sc_arena_printf(r->arena, "the files it copies are there, e.g. %s", ctx->context_why)
			  : ctx->context_from == SC_DF_CTX_DOCKERFILES
				  ? "it copies the whole context and its own directory holds only Dockerfiles"
				  : NULL;
	if (!ignore_path) {
		f->loc.path = sc_arena_strdup(r->arena, ctx->path);
		f->message = sc_arena_printf(
			r->arena,
			"%s has no .dockerignore in its build context (%s%s%s), so `docker build` sends "
			"the whole .git directory - the complete history, including any secret ever "
			"committed - to the builder, where a `COPY . .` puts it in the image.",
			ctx->path, ctxname, why ? ": " : "", why ? why : "");
		f->remediation = sc_arena_printf(r->arena,
						 "Create %s with a line `.git` (and other files the image does "
						 "not need, e.g. `node_modules`, `*.env`).",
						 generic);
	} else if (line) {
		f->loc.path = sc_arena_strdup(r->arena, ignore_path);
		f->loc.line = line;
		f->message = sc_arena_printf(
			r->arena,
			"%s re-includes `%s` at line %u (a `!` pattern), so the build context of %s "
			"contains the .git directory and its whole history.",
			ignore_path, leak, line, ctx->path);
		f->remediation = sc_arena_printf(r->arena,
						 "Remove the `!` pattern at %s:%u, or add `.git` after it.",
						 ignore_path, line);
	} else {
		f->loc.path = sc_arena_strdup(r->arena, ignore_path);
		f->message = sc_arena_printf(
			r->arena,
			"%s does not exclude .git, so the build context of %s contains the .git "
			"directory and its whole history (any secret ever committed).",
			ignore_path, ctx->path);
		f->remediation = sc_arena_printf(r->arena, "Add a line `.git` to %s.", ignore_path);
	}
	sc_finding_set_fingerprint(f, ctx->path, ignore_path ? ignore_path : "no-dockerignore");
	sc_df_fixture_severity(ctx, f);

out:
	sc_dockerignore_free(&di);
	free(data);
	free(dir);
	free(specific);
	free(generic);
}

const struct sc_df_rule sc_df_rule_dockerignore_git = {
	.meta = &meta,
	.check_file = check_file,
};
