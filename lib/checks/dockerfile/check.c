/* check.c - the "dockerfile" check: finds Dockerfiles in a repository (or takes the files given to
 * `shipcheck dockerfile`), parses each once and runs every rule of rules.def on the parse. */
#include "rules.h"
#include "shipcheck/sc_policy.h"
#include "shipcheck/sc_registry.h"
#include "shipcheck/sc_secrets.h"
#include "shipcheck/sc_yaml.h"

#include <sys/stat.h>

#include <fnmatch.h>
#include <stdlib.h>
#include <string.h>

static const struct sc_df_rule *const df_rules[] = {
#define SC_DF_RULE(n) &sc_df_rule_##n,
#include "rules.def"
#undef SC_DF_RULE
};
#define N_RULES (sizeof(df_rules) / sizeof(df_rules[0]))


static size_t rule_count(void)
{
	return N_RULES;
}

static const struct sc_rule *rule_at(size_t i)
{
	return i < N_RULES ? df_rules[i]->meta : NULL;
}

/* Is the file named exactly as Docker and Podman look for one (not a variant: Dockerfile.dev)? */
static bool exact_name(const char *path)
{
	const char *b = sc_path_base(path);
	return !strcmp(b, "Dockerfile") || !strcmp(b, "Containerfile") || !strcmp(b, "dockerfile");
}

bool sc_dockerfile_is_dockerfile_name(const char *path);
bool sc_dockerfile_is_dockerfile_name(const char *path)
{
	const char *b = sc_path_base(path);
	if (exact_name(path))
		return true;
	if (!strncmp(b, "Dockerfile.", 11) && !fnmatch("*.dockerignore", b, 0))
		return false;
	if (!strncmp(b, "Dockerfile.", 11) || !strncmp(b, "Containerfile.", 14))
		return true;
	return strlen(b) > 11 && (sc_str_has_suffix(b, ".Dockerfile") || sc_str_has_suffix(b, ".dockerfile"));
}

/* The index of the first file of fs (sorted by path) that does not sort before path. */
static size_t first_from(const struct sc_fs *fs, const char *path)
{
	size_t lo = 0, hi = fs->files.len;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (strcmp(((const struct sc_file *)fs->files.items[mid])->path, path) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* Is path a file of the repository, or a directory holding some? */
static bool repo_has(const struct sc_fs *fs, const char *path)
{
	if (!*path)
		return true;
	size_t n = strlen(path);
	for (size_t i = first_from(fs, path); i < fs->files.len; i++) {
		const char *p = ((const struct sc_file *)fs->files.items[i])->path;
		if (strncmp(p, path, n))
			return false;
		if (!p[n] || p[n] == '/')
			return true;
		/* "svc/app.py" < "svc/app.py.orig" < "svc/app.py/x": skip names that only begin with it */
	}
	return false;
}

/* Does directory dir (not the root) hold nothing but Dockerfiles and their ignore files? */
static bool only_dockerfiles(const struct sc_fs *fs, const char *dir)
{
	size_t n = strlen(dir);
	for (size_t i = first_from(fs, dir); i < fs->files.len; i++) {
		const char *p = ((const struct sc_file *)fs->files.items[i])->path;
		if (strncmp(p, dir, n))
			break;
		if (p[n] != '/')
			continue;
		if (!sc_dockerfile_is_dockerfile_name(p) && !sc_str_has_suffix(p, ".dockerignore"))
			return false;
	}
	return true;
}

/* A COPY/ADD source that names one path of the build context: not a stage's or an image's file,
 * not a URL, a heredoc, a pattern or a variable, not the whole context and not outside it. Returns
 * it cleaned (sources are relative to the context even when written absolute), or NULL. */
static const char *context_source(struct sc_arena *a, const struct sc_df_instr *in, size_t i)
{
	const char *s = in->argv[i];
	char clean[4096];
	if (strpbrk(s, "*?[$\\") || !strncmp(s, "<<", 2) || strstr(s, "://") || !strncmp(s, "git@", 4) ||
	    !sc_path_clean(s, clean, sizeof(clean)) || !*clean)
		return NULL;
	return sc_arena_strdup(a, clean);
}

/* The build context of a Dockerfile found in the repository: its own directory, unless that holds
 * no .dockerignore and the files its COPY and ADD instructions name are not there but are under an
 * ancestor directory (the closest one), as with `docker build -f svc/Dockerfile .`; or unless it
 * copies the whole context (`COPY . .`) from a directory that holds nothing but Dockerfiles, which
 * is then built from the closest directory above with a .dockerignore, or the repository's root.
 * *from says which, and *source is a file it copies from there (SC_DF_CTX_COPIES). */
static char *infer_context(struct sc_arena *a, const struct sc_fs *fs, const struct sc_dockerfile *df,
			   const char *dir, enum sc_df_context_from *from, const char **source)
{
	*from = SC_DF_CTX_OWN;
	*source = NULL;
	if (!*dir || !fs || !df)
		return sc_xstrdup(dir);
	char *own = sc_xasprintf("%s/.dockerignore", dir);
	bool has_ignore = sc_fs_find(fs, own) != NULL;
	free(own);
	if (has_ignore)
		return sc_xstrdup(dir);
	const char *srcs[64];
	size_t n = 0;
	bool whole = false;
	SC_DF_FOREACH(df, in) {
		if ((in->kind != SC_DF_COPY && in->kind != SC_DF_ADD) || in->argc < 2)
			continue;
		bool other = false;
		for (size_t k = 0; k < in->n_flags; k++)
			other |= !strcmp(in->flags[k].name, "from");
		for (size_t i = 0; !other && i + 1 < in->argc && n < sizeof(srcs) / sizeof(srcs[0]); i++) {
			const char *s = context_source(a, in, i);
			if (s)
				srcs[n++] = s;
			whole |= !strcmp(in->argv[i], ".") || !strcmp(in->argv[i], "./");
		}
	}
	if (!n && whole && only_dockerfiles(fs, dir)) {
		/* the closest directory above with a .dockerignore (cli/ for cli/dockerfiles/), else the root */
		*from = SC_DF_CTX_DOCKERFILES;
		char *up = sc_xstrdup(dir);
		for (char *slash; (slash = strrchr(up, '/'));) {
			*slash = '\0';
			char *ign = sc_xasprintf("%s/.dockerignore", up);
			bool found = sc_fs_find(fs, ign) != NULL;
			free(ign);
			if (found)
				return up;
		}
		up[0] = '\0';
		return up;
	}
	if (!n)
		return sc_xstrdup(dir);
	char *cand = sc_xstrdup(dir);
	for (;;) {
		size_t found = 0;
		for (size_t i = 0; i < n; i++) {
			char *p = *cand ? sc_xasprintf("%s/%s", cand, srcs[i]) : sc_xstrdup(srcs[i]);
			found += repo_has(fs, p);
			free(p);
		}
		if (found == n) {
			if (strcmp(cand, dir)) {
				*from = SC_DF_CTX_COPIES;
				*source = srcs[0];
			}
			return cand;
		}
		if (!*cand)
			break;
		char *slash = strrchr(cand, '/');
		*(slash ? slash : cand) = '\0';
	}
	free(cand);
	return sc_xstrdup(dir);
}

/* ---- build contexts named by Compose files ---- */

struct compose_build {
	char *dockerfile; /* repository path of the Dockerfile */
	char *context;    /* repository path of its build context ("" = the root) */
	const char *file; /* the Compose file that says so (the fs's string) */
};

struct compose_map {
	struct compose_build *v;
	size_t n, cap;
};

/* base joined to rel, with "." and ".." resolved, as a path relative to the repository root;
 * NULL when it leaves the repository, is absolute, or is a URL or has a variable. */
static char *repo_path(const char *base, const char *rel)
{
	if (!rel || !*rel || rel[0] == '/' || strstr(rel, "://") || strchr(rel, '$') || !strncmp(rel, "git@", 4))
		return NULL;
	char *joined = sc_path_join(base, rel), *out = sc_xcalloc(1, strlen(joined) + 1);
	bool ok = sc_path_clean(joined, out, strlen(joined) + 1);
	free(joined);
	if (!ok)
		free(out);
	return ok ? out : NULL;
}

static bool compose_name(const char *path)
{
	const char *b = sc_path_base(path);
	if (strncmp(b, "docker-compose", 14) && strncmp(b, "compose", 7))
		return false;
	return sc_str_has_suffix(b, ".yml") || sc_str_has_suffix(b, ".yaml");
}

/* Reads every Compose file of the repository (docker-compose.yml, compose.yaml,
 * docker-compose.prod.yml...) for its services' `build:` (a context, or context + dockerfile). A
 * file that does not parse is not this check's business: skipped. */
static void read_compose(const struct sc_fs *fs, struct compose_map *m)
{
	for (size_t i = 0; i < fs->files.len; i++) {
		const struct sc_file *f = fs->files.items[i];
		if (!S_ISREG(f->mode) || !compose_name(f->path) || strstr(f->path, "node_modules/"))
			continue;
		char *data = NULL;
		size_t len = 0;
		struct sc_error err = {0};
		struct sc_yaml *y = NULL;
		if (sc_fs_read(fs, f->path, 4u << 20, &data, &len, &err) != SC_OK ||
		    sc_yaml_parse(f->path, data, len, 4u << 20, &y, &err) != SC_OK) {
			sc_error_clear(&err);
			free(data);
			continue;
		}
		const struct sc_ynode *svcs = sc_yaml_root(y) ? sc_ymap_get(y, sc_yaml_root(y), "services") : NULL;
		char *dir = sc_path_dir(f->path);
		for (size_t k = 0; svcs && sc_ynode_type(svcs) == SC_Y_MAP && k < sc_ynode_len(y, svcs); k++) {
			const struct sc_ynode *svc = sc_ymap_value(y, svcs, k);
			const struct sc_ynode *b = svc && sc_ynode_type(svc) == SC_Y_MAP ? sc_ymap_get(y, svc, "build") : NULL;
			if (!b)
				continue;
			const char *ctx = NULL, *dockerfile = "Dockerfile";
			if (sc_ynode_type(b) == SC_Y_SCALAR) {
				ctx = sc_ynode_str(b, NULL);
			} else if (sc_ynode_type(b) == SC_Y_MAP) {
				ctx = sc_ymap_str(y, b, "context");
				if (!ctx)
					ctx = ".";
				if (sc_ymap_str(y, b, "dockerfile"))
					dockerfile = sc_ymap_str(y, b, "dockerfile");
			}
			char *cdir = repo_path(dir, ctx);
			char *df = cdir ? repo_path(cdir, dockerfile) : NULL;
			if (df) {
				if (m->n == m->cap) {
					m->cap = m->cap ? m->cap * 2 : 8;
					m->v = sc_xrealloc(m->v, m->cap * sizeof(*m->v));
				}
				m->v[m->n++] = (struct compose_build){df, cdir, f->path};
				cdir = NULL;
			}
			free(cdir);
		}
		free(dir);
		sc_yaml_free(y);
		free(data);
	}
}

static const struct compose_build *compose_find(const struct compose_map *m, const char *dockerfile)
{
	for (size_t i = 0; m && i < m->n; i++)
		if (!strcmp(m->v[i].dockerfile, dockerfile))
			return &m->v[i];
	return NULL;
}

static void compose_free(struct compose_map *m)
{
	for (size_t i = 0; i < m->n; i++) {
		free(m->v[i].dockerfile);
		free(m->v[i].context);
	}
	free(m->v);
}

/* The line of the first instruction: the first that is not blank, a comment or a directive. */
static unsigned first_instruction_line(const char *data, size_t len)
{
	unsigned line = 1;
	for (size_t i = 0; i < len; line++) {
		size_t j = i;
		while (j < len && (data[j] == ' ' || data[j] == '\t' || data[j] == '\r'))
			j++;
		if (j < len && data[j] != '\n' && data[j] != '#')
			return line;
		const char *nl = memchr(data + i, '\n', len - i);
		if (!nl)
			break;
		i = (size_t)(nl - data) + 1;
	}
	return line;
}

/* Lints one Dockerfile. A file that does not parse is a warning in a repository scan (the scan goes
 * on), and an error (exit 2, FILE:LINE:COL) when the user named the file (`shipcheck dockerfile F`).
 * In a repository, a file only named like one (Dockerfile.5.md, Dockerfile.tmLanguage, an
 * editor's syntax file) whose very first instruction does not parse is no Dockerfile: skipped. */
static enum sc_status lint(struct sc_scan_ctx *ctx, const struct sc_df_config *cfg, struct sc_registry *reg,
			   const char *path, const char *data, size_t len, bool on_disk, const struct compose_map *compose,
			   struct sc_error *err)
{
	struct sc_dockerfile *df = NULL;
	struct sc_error perr = {0};
	if (sc_dockerfile_parse(path, data, len, NULL, &df, &perr) != SC_OK) {
		if (!on_disk && !exact_name(path) && perr.line <= first_instruction_line(data, len)) {
			sc_error_clear(&perr);
			sc_dockerfile_free(df);
			return SC_OK;
		}
		if (on_disk) {
			enum sc_status st = sc_error_set(err, SC_EINPUT, perr.file ? perr.file : path, perr.line,
							 perr.col, "cannot parse Dockerfile: %s",
							 perr.msg ? perr.msg : "invalid");
			sc_error_clear(&perr);
			return st;
		}
		sc_result_add_warning(ctx->result, path, perr.line, perr.col, "cannot parse Dockerfile: %s",
				      perr.msg ? perr.msg : "invalid");
		sc_error_clear(&perr);
	}
	char *dir = sc_path_dir(path);
	struct sc_arena *a = sc_arena_new();
	const char *source = NULL;
	enum sc_df_context_from from = SC_DF_CTX_OWN;
	const struct compose_build *cb = on_disk ? NULL : compose_find(compose, path);
	char *context = on_disk ? sc_xstrdup(dir)
		      : cb	 ? sc_xstrdup(cb->context)
				 : infer_context(a, ctx->repo, df, dir, &from, &source);
	free(dir);
	struct sc_df_ctx dctx = {
		.scan = ctx,
		.path = path,
		.context = context,
		.context_from = cb ? SC_DF_CTX_COMPOSE : from,
		.context_why = cb ? cb->file : source ? sc_arena_strdup(ctx->result->arena, source) : NULL,
		/* a development container (.devcontainer/) is the developers' environment, not the service */
		.fixture = !on_disk && (sc_secrets_path_fixture(path) || !strncmp(path, ".devcontainer/", 14) ||
					strstr(path, "/.devcontainer/")),
		.data = data,
		.len = len,
		.df = df,
		.cfg = cfg,
		.on_disk = on_disk,
		.registry = reg,
	};
	for (size_t k = 0; k < N_RULES; k++)
		if (sc_policy_rule_enabled(ctx->policy, df_rules[k]->meta))
			df_rules[k]->check_file(&dctx);
	sc_dockerfile_free(df);
	free(context);
	sc_arena_free(a);
	return SC_OK;
}

static enum sc_status run(struct sc_scan_ctx *ctx, struct sc_error *err)
{
	struct sc_arena *a = sc_arena_new();
	struct sc_df_config cfg;
	struct sc_registry *reg = NULL;
	enum sc_status st = sc_df_config_read(ctx->policy, ctx->policy ? sc_policy_yaml(ctx->policy) : NULL,
					      ctx->policy ? sc_policy_section(ctx->policy, "dockerfile") : NULL, a,
					      &cfg, err);
	if (st != SC_OK)
		goto out;
	if (cfg.check_registry) {
		struct sc_registry_options ro = {
			.insecure = cfg.insecure_registries,
			.n_insecure = cfg.n_insecure_registries,
			.timeout_ms = cfg.registry_timeout_ms,
		};
		struct sc_error rerr = {0};
		if (sc_registry_new(&ro, &reg, &rerr) != SC_OK) {
			/* no registry check, the rest of the rules still run */
			sc_result_add_warning(ctx->result, rerr.file, rerr.line, rerr.col,
					      "base images not checked against their registries: %s",
					      rerr.msg ? rerr.msg : "cannot read the docker config");
			sc_error_clear(&rerr);
			reg = NULL;
		}
	}
	if (ctx->opts->files) {
		for (size_t i = 0; ctx->opts->files[i]; i++) {
			const char *path = ctx->opts->files[i];
			char *data = NULL;
			size_t len = 0;
			struct sc_error rerr = {0};
			if (sc_read_file(path, ctx->opts->limits.max_file_size, &data, &len, &rerr) != SC_OK) {
				st = sc_error_set(err, SC_EINPUT, path, 0, 0, "cannot read Dockerfile: %s",
						  rerr.msg ? rerr.msg : "unreadable");
				sc_error_clear(&rerr);
				goto out;
			}
			st = lint(ctx, &cfg, reg, path, data, len, true, NULL, err);
			free(data);
			if (st != SC_OK)
				goto out;
		}
		goto out;
	}
	const struct sc_fs *fs = ctx->repo;
	struct compose_map compose = {0};
	if (fs)
		read_compose(fs, &compose);
	for (size_t i = 0; fs && i < fs->files.len; i++) {
		const struct sc_file *f = fs->files.items[i];
		if (!S_ISREG(f->mode) || !sc_dockerfile_is_dockerfile_name(f->path))
			continue;
		if (strstr(f->path, "node_modules/") || !strncmp(f->path, "vendor/", 7))
			continue;
		char *data = NULL;
		size_t len = 0;
		struct sc_error rerr = {0};
		if (sc_fs_read(fs, f->path, ctx->opts->limits.max_file_size, &data, &len, &rerr) != SC_OK) {
			sc_result_add_warning(ctx->result, f->path, 0, 0, "cannot read Dockerfile: %s", rerr.msg);
			sc_error_clear(&rerr);
			continue;
		}
		lint(ctx, &cfg, reg, f->path, data, len, false, &compose, err);
		free(data);
	}
	compose_free(&compose);
out:
	sc_registry_free(reg);
	sc_arena_free(a);
	return st;
}

static enum sc_status validate(const struct sc_policy *p, const struct sc_yaml *y, const struct sc_ynode *section,
			       struct sc_error *err)
{
	struct sc_arena *a = sc_arena_new();
	struct sc_df_config cfg;
	enum sc_status st = sc_df_config_read(p, y, section, a, &cfg, err);
	sc_arena_free(a);
	return st;
}

const struct sc_check sc_check_dockerfile = {
	.name = "dockerfile",
	.title = "Dockerfile and container best practices",
	.flags = SC_CHECK_REPO | SC_CHECK_FILES,
	.rule_count = rule_count,
	.rule_at = rule_at,
	.run = run,
	.validate_config = validate,
};
