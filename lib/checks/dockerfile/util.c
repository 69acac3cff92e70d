/* util.c - helpers shared by the Dockerfile rules: reporting with inline suppression, build-context
 * files, the one package-manager argument parser, image references and stage relations. */
#include "rules.h"

#include <sys/stat.h>

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* ---- build context ---- */

bool sc_df_context_exists(const struct sc_df_ctx *ctx, const char *path)
{
	if (!ctx->on_disk)
		return ctx->scan->repo && sc_fs_find(ctx->scan->repo, path) != NULL;
	struct stat sb;
	return lstat(path, &sb) == 0 && S_ISREG(sb.st_mode);
}

enum sc_status sc_df_context_read(const struct sc_df_ctx *ctx, const char *path, char **data, size_t *len,
				  struct sc_error *err)
{
	if (!ctx->on_disk)
		return sc_fs_read(ctx->scan->repo, path, 16u << 20, data, len, err);
	return sc_read_file(path, 16u << 20, data, len, err);
}

/* ---- findings ---- */

static bool pragma_names(const struct sc_df_pragma *pr, const struct sc_rule *meta)
{
	for (size_t i = 0; i < pr->n_rules; i++) {
		const char *r = pr->rules[i];
		if (!strcasecmp(r, meta->id) || (meta->name && !strcmp(r, meta->name)))
			return true;
		for (size_t k = 0; meta->equivalents && meta->equivalents[k]; k++)
			if (!strcasecmp(r, meta->equivalents[k]))
				return true;
	}
	return false;
}

const char *sc_df_instr_text(struct sc_df_ctx *ctx, const struct sc_df_instr *in, size_t max)
{
	struct sc_strbuf sb;
	sc_strbuf_init(&sb, (size_t)-1);
	if (in->onbuild)
		sc_strbuf_puts(&sb, "ONBUILD ");
	sc_df_instr_serialize(in, ctx->df ? ctx->df->escape : '\\', &sb);
	const char *s = sc_strbuf_str(&sb);
	const char *nl = strchr(s, '\n');
	size_t n = nl ? (size_t)(nl - s) : sb.len;
	char *out;
	if (n > max)
		out = sc_arena_printf(ctx->scan->result->arena, "%.*s...", (int)max, s);
	else
		out = sc_arena_strndup(ctx->scan->result->arena, s, n);
	sc_strbuf_free(&sb);
	return out;
}

void sc_df_fixture_severity(struct sc_df_ctx *ctx, struct sc_finding *f)
{
	if (!ctx->fixture || f->severity <= SC_SEV_LOW)
		return;
	struct sc_result *r = ctx->scan->result;
	f->message = sc_arena_printf(r->arena, "%s (LOW, not %s: %s is a Dockerfile of tests, examples, "
				     "documentation or a development container, whose image is not the service's.)",
				     f->message, sc_severity_name(f->severity), ctx->path);
	f->severity = SC_SEV_LOW;
}

struct sc_finding *sc_df_report(struct sc_df_ctx *ctx, const struct sc_rule *meta, const struct sc_df_instr *in,
				const char *key, const char *remediation, const char *fmt, ...)
{
	struct sc_result *r = ctx->scan->result;
	struct sc_finding *f = sc_result_add_finding(r, meta);
	f->loc.path = sc_arena_strdup(r->arena, ctx->path);
	if (in) {
		f->loc.line = in->line;
		f->loc.col = in->col;
		f->loc.end_line = in->end_line;
	}
	va_list ap;
	va_start(ap, fmt);
	f->message = sc_arena_vprintf(r->arena, fmt, ap);
	va_end(ap);
	f->remediation = sc_arena_strdup(r->arena, remediation);
	if (!key && in)
		key = sc_df_instr_text(ctx, in, 4096);
	sc_finding_set_fingerprint(f, ctx->path, key ? key : "");
	sc_df_fixture_severity(ctx, f);
	if (in && in->pragma && in->pragma->reason && pragma_names(in->pragma, meta)) {
		f->suppressed = true;
		f->suppression_reason = sc_arena_strdup(r->arena, in->pragma->reason);
		f->suppression_source = "inline";
	}
	return f;
}

/* ---- package managers ---- */

static bool in_list(const char *w, const char *const *list)
{
	for (size_t i = 0; list[i]; i++)
		if (!strcmp(w, list[i]))
			return true;
	return false;
}

bool sc_df_cmd_has_opt(const struct sc_sh_cmd *c, size_t from, const char *opt)
{
	bool shortopt = opt[0] == '-' && opt[1] && opt[1] != '-' && !opt[2];
	size_t ol = strlen(opt);
	for (size_t i = from; i < c->argc; i++) {
		const char *a = c->argv[i];
		if (!strcmp(a, "--"))
			break;
		if (shortopt) {
			if (a[0] == '-' && a[1] != '-' && strchr(a + 1, opt[1]))
				return true;
		} else if (!strncmp(a, opt, ol) && (a[ol] == '\0' || a[ol] == '=')) {
			return true;
		}
	}
	return false;
}

static bool pm_parse(struct sc_arena *a, const struct sc_sh_cmd *c, struct sc_df_pmcmd *out);

bool sc_df_pm_parse(struct sc_arena *a, const struct sc_sh_cmd *c, struct sc_df_pmcmd *out)
{
	static const struct sc_df_pmcmd not_a_manager;
	memset(out, 0, sizeof(*out));
	if (c->memo) {
		if (c->memo == &not_a_manager)
			return false;
		*out = *(const struct sc_df_pmcmd *)c->memo;
		return true;
	}
	if (!pm_parse(a, c, out)) {
		((struct sc_sh_cmd *)c)->memo = (void *)&not_a_manager;
		return false;
	}
	struct sc_df_pmcmd *m = sc_arena_alloc(a, sizeof(*m));
	*m = *out;
	((struct sc_sh_cmd *)c)->memo = m; /* the rules see commands as const; the memo is theirs */
	return true;
}

static bool pm_parse(struct sc_arena *a, const struct sc_sh_cmd *c, struct sc_df_pmcmd *out)
{
	static const char *const apt_val[] = {"-o", "-c", "-t", "--option", "--config-file", "--target-release",
					      "--default-release", "-a", "--host-architecture", NULL};
	static const char *const apk_val[] = {"-X", "--repository", "-t", "--virtual", "--root", "-p", "--arch",
					      "--repositories-file", "--cache-dir", "--keys-dir", NULL};
	static const char *const rpm_val[] = {"-c", "--config", "--installroot", "--releasever", "--enablerepo",
					      "--disablerepo", "-x", "--exclude", "--setopt", "--repo",
					      "--repoid", "--downloaddir", "--destdir", "-d", "-e", NULL};
	static const char *const zyp_val[] = {"--root", "-R", "-r", "--repo", "-t", "--type", "--from", NULL};
	if (!c->argc || !strchr("acdeimnostuxyz/", c->argv[0][0]) || !c->argv[0][0])
		return false; /* fast path: no manager or wrapper starts with another letter */
	size_t p0;
	const char *prog = sc_sh_cmd_program(c, &p0);
	if (!strchr("aydmtz", prog[0]) || !prog[0])
		return false;
	const char *const *vals;
	if (!strcmp(prog, "apt-get")) {
		out->pm = SC_PM_APT_GET;
		vals = apt_val;
	} else if (!strcmp(prog, "apt") || !strcmp(prog, "aptitude")) {
		out->pm = SC_PM_APT;
		vals = apt_val;
	} else if (!strcmp(prog, "apk")) {
		out->pm = SC_PM_APK;
		vals = apk_val;
	} else if (!strcmp(prog, "yum")) {
		out->pm = SC_PM_YUM;
		vals = rpm_val;
	} else if (!strcmp(prog, "dnf")) {
		out->pm = SC_PM_DNF;
		vals = rpm_val;
	} else if (!strcmp(prog, "microdnf")) {
		out->pm = SC_PM_MICRODNF;
		vals = rpm_val;
	} else if (!strcmp(prog, "tdnf")) {
		out->pm = SC_PM_TDNF;
		vals = rpm_val;
	} else if (!strcmp(prog, "zypper")) {
		out->pm = SC_PM_ZYPPER;
		vals = zyp_val;
	} else {
		return false;
	}
	out->manager = prog;
	out->cmd = c;
	out->sub = "";
	out->pkgs = sc_arena_alloc(a, (c->argc + 1) * sizeof(*out->pkgs));
	bool opts_done = false;
	for (size_t i = p0 + 1; i < c->argc; i++) {
		const char *w = c->argv[i];
		if (!opts_done && !strcmp(w, "--")) {
			opts_done = true;
			continue;
		}
		if (!opts_done && w[0] == '-' && w[1]) {
			if (in_list(w, vals))
				i++;
			continue;
		}
		if (!*out->sub) {
			out->sub = w;
			out->sub_index = i;
			continue;
		}
		out->pkgs[out->n_pkgs++] = w;
	}
	return true;
}

bool sc_df_is_install(const struct sc_df_pmcmd *pc)
{
	const char *s = pc->sub;
	switch (pc->pm) {
	case SC_PM_APK:
		return !strcmp(s, "add");
	case SC_PM_ZYPPER:
		return !strcmp(s, "install") || !strcmp(s, "in");
	default:
		return !strcmp(s, "install");
	}
}

static bool digit(char c)
{
	return c >= '0' && c <= '9';
}

bool sc_df_pkg_pinned(struct sc_arena *a, enum sc_df_pm pm, const char *pkg, const char **name)
{
	*name = pkg;
	if (strchr(pkg, '/') || strstr(pkg, "://") || strstr(pkg, "$(") || strchr(pkg, '`'))
		return false;
	/* `name=$VERSION` is pinned whatever the value; a variable elsewhere cannot be judged */
	const char *dollar = strchr(pkg, '$');
	size_t op = strcspn(pkg, "=~<>");
	if (dollar && (!pkg[op] || (pm != SC_PM_APT_GET && pm != SC_PM_APT && pm != SC_PM_APK &&
				    pm != SC_PM_ZYPPER)))
		return false;
	switch (pm) {
	case SC_PM_APT_GET:
	case SC_PM_APT: {
		const char *eq = strchr(pkg, '=');
		if (!eq)
			return false;
		*name = sc_arena_strndup(a, pkg, (size_t)(eq - pkg));
		return eq[1] != '\0';
	}
	case SC_PM_APK:
	case SC_PM_ZYPPER: {
		size_t n = strcspn(pkg, "=~<>");
		if (!pkg[n])
			return false;
		*name = sc_arena_strndup(a, pkg, n);
		return true;
	}
	default: {
		size_t n = strcspn(pkg, "=<>");
		if (pkg[n]) {
			*name = sc_arena_strndup(a, pkg, n);
			return true;
		}
		/* name-version or name-version-release */
		const char *last = strrchr(pkg, '-');
		if (!last || last == pkg || !digit(last[1]))
			return false;
		const char *prev = last - 1;
		while (prev > pkg && *prev != '-')
			prev--;
		if (*prev == '-' && prev > pkg && digit(prev[1])) {
			*name = sc_arena_strndup(a, pkg, (size_t)(prev - pkg));
			return true;
		}
		if (!strchr(last, '.'))
			return false;
		*name = sc_arena_strndup(a, pkg, (size_t)(last - pkg));
		return true;
	}
	}
}

/* ---- secrets ---- */

bool sc_df_secret_name(const char *key)
{
	static const char *const words[] = {"PASSWORD", "PASSWD", "SECRET", "TOKEN", "APIKEY", "API_KEY",
					    "PRIVATE_KEY", "ACCESS_KEY", "CREDENTIAL", "AUTH_KEY", "DB_PASS",
					    NULL};
	/* names that point at a secret rather than holding one */
	static const char *const safe_suffix[] = {"_FILE", "_PATH", "_DIR", "_URL", "_URI", "_HOST", "_PORT",
						  "_USER", "_USERNAME", "_NAME", "_ENDPOINT", "_ID", "_LENGTH",
						  "_SIZE", "_TTL", "_VERSION", NULL};
	char up[256];
	size_t n = strlen(key);
	if (n >= sizeof(up))
		return false;
	for (size_t i = 0; i <= n; i++)
		up[i] = (char)toupper((unsigned char)key[i]);
	for (size_t i = 0; safe_suffix[i]; i++) {
		size_t sl = strlen(safe_suffix[i]);
		if (n > sl && !strcmp(up + n - sl, safe_suffix[i]))
			return false;
	}
	for (size_t i = 0; words[i]; i++)
		if (strstr(up, words[i]))
			return true;
	return false;
}

/* ---- images ---- */

bool sc_df_imgref_parse(struct sc_arena *a, const char *ref, struct sc_df_imgref *out)
{
	memset(out, 0, sizeof(*out));
	if (!ref || !*ref || strchr(ref, '$') || strpbrk(ref, " \t"))
		return false;
	const char *at = strchr(ref, '@');
	char *rest = at ? sc_arena_strndup(a, ref, (size_t)(at - ref)) : sc_arena_strdup(a, ref);
	if (at)
		out->digest = sc_arena_strdup(a, at + 1);
	const char *slash = strrchr(rest, '/');
	char *colon = strrchr(slash ? slash : rest, ':');
	if (colon) {
		out->tag = sc_arena_strdup(a, colon + 1);
		*colon = '\0';
	}
	const char *first = strchr(rest, '/');
	if (first && (memchr(rest, '.', (size_t)(first - rest)) || memchr(rest, ':', (size_t)(first - rest)) ||
		      !strncmp(rest, "localhost/", 10))) {
		out->registry = sc_arena_strndup(a, rest, (size_t)(first - rest));
		out->repo = sc_arena_strdup(a, first + 1);
	} else {
		out->registry = "docker.io";
		out->repo = first ? rest : sc_arena_printf(a, "library/%s", rest);
		out->official = true;
	}
	if (!strcmp(out->registry, "index.docker.io") || !strcmp(out->registry, "registry-1.docker.io"))
		out->registry = "docker.io";
	out->name = sc_arena_printf(a, "%s/%s", out->registry, out->repo);
	out->normalized = sc_arena_printf(a, "%s%s%s%s%s", out->name, out->tag ? ":" : "", out->tag ? out->tag : "",
					  out->digest ? "@" : "", out->digest ? out->digest : "");
	return *out->repo != '\0';
}

bool sc_df_stage_is_image(const struct sc_dockerfile *df, size_t s)
{
	const struct sc_df_stage *st = &df->stages[s];
	if (st->base_stage >= 0)
		return false;
	const char *img = st->resolved ? st->resolved : st->image;
	return strcasecmp(img, "scratch") != 0;
}

bool sc_df_stage_in_final(const struct sc_dockerfile *df, int stage)
{
	if (!df->n_stages || stage < 0)
		return false;
	int s = (int)df->n_stages - 1;
	for (size_t guard = 0; s >= 0 && guard <= df->n_stages; guard++) {
		if (s == stage)
			return true;
		s = df->stages[s].base_stage;
	}
	return false;
}
