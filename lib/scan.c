/* scan.c - the pipeline, and the only file that knows the order of the stages:
 * targets -> files -> extractors -> inventory -> checks -> findings -> policy -> result. */
#include "shipcheck/sc_db.h"
#include "shipcheck/sc_image.h"
#include "shipcheck/sc_imageconfig.h"
#include "shipcheck/sc_policy.h"
#include "shipcheck/sc_secrets.h"
#include "shipcheck/sc_scan.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

void sc_scan_options_init(struct sc_scan_options *o)
{
	memset(o, 0, sizeof(*o));
	o->fail_on = SC_SEV_HIGH;
	sc_limits_default(&o->limits);
}

static void copy_inventory(struct sc_result *r, const struct sc_inventory *inv)
{
	for (size_t i = 0; i < inv->packages.len; i++)
		sc_result_add_package(r, inv->packages.items[i]);
	for (size_t i = 0; i < inv->warnings.len; i++) {
		const struct sc_warning *w = inv->warnings.items[i];
		sc_result_add_warning(r, w->path, w->line, w->col, "%s", w->message);
	}
}

static bool wanted(const struct sc_scan_options *o, const struct sc_policy *p, const struct sc_check *c)
{
	if (o->only_checks) {
		for (size_t i = 0; o->only_checks[i]; i++)
			if (!strcmp(o->only_checks[i], c->name))
				return true;
		return !strcmp(c->name, "policy");
	}
	return sc_policy_check_enabled(p, c->name);
}

/* Is the repository's inventory read? Always when it is an output (`shipcheck check` reports it,
 * `shipcheck sbom` is it); otherwise (`shipcheck secrets scan`, `shipcheck dockerfile`) when a
 * wanted check reads it: the others have no use for the lockfiles, nor for their parse warnings. */
static bool wants_inventory(const struct sc_scan_options *o, const struct sc_policy *p)
{
	if (!o->skip_inventory)
		return true;
	for (size_t i = 0; i < sc_check_count(); i++) {
		const struct sc_check *c = sc_check_at(i);
		if ((c->flags & SC_CHECK_INVENTORY) && wanted(o, p, c))
			return true;
	}
	return false;
}

static const char *env_first(const char *const *names)
{
	for (size_t i = 0; names[i]; i++) {
		const char *v = getenv(names[i]);
		if (v && *v)
			return v;
	}
	return NULL;
}

/* Opens the vulnerability DB when a wanted check needs it (and --no-db is not set) and records its
 * provenance in the result. A missing DB is a warning (DB-backed checks are skipped); a corrupt DB
 * or one from a newer schema is an error. */
/* Does check c run on the targets of this scan? */
static bool applies_to(const struct sc_check *c, bool repo, bool image, bool files)
{
	return ((c->flags & SC_CHECK_REPO) && repo) || ((c->flags & SC_CHECK_IMAGE) && image) ||
	       ((c->flags & SC_CHECK_FILES) && files);
}

void sc_scan_warn_no_db(struct sc_scan_ctx *ctx, const char *check, size_t n, const char *what)
{
	if (!n)
		return;
	if (ctx->opts->no_db)
		sc_result_add_warning(ctx->result, NULL, 0, 0,
				      "%s: %zu %s not checked for known vulnerabilities (--no-db)", check, n, what);
	else
		sc_result_add_warning(ctx->result, NULL, 0, 0,
				      "%s: %zu %s not checked for known vulnerabilities: no vulnerability "
				      "database at %s (build one with `shipcheck db update` or `shipcheck db "
				      "import`, or pass --db FILE)",
				      check, n, what, ctx->opts->db_path ? ctx->opts->db_path : sc_db_default_path());
}

static enum sc_status open_db(const struct sc_scan_options *opts, const struct sc_policy *policy,
			      bool repo, bool image, struct sc_result *r, struct sc_db **out,
			      struct sc_error *err)
{
	*out = NULL;
	bool needed = false;
	for (size_t i = 0; i < sc_check_count() && !needed; i++) {
		const struct sc_check *c = sc_check_at(i);
		needed = (c->flags & SC_CHECK_DB) && wanted(opts, policy, c) &&
			 applies_to(c, repo, image, opts->files != NULL);
	}
	if (opts->no_db || !needed)
		return SC_OK;
	const char *path = opts->db_path ? opts->db_path : sc_db_default_path();
	if (access(path, F_OK) != 0) {
		if (opts->db_path) /* named by the user: a typo must not pass the build silently */
			return sc_error_set(err, SC_EINPUT, path, 0, 0, "no such vulnerability database");
		(void)r; /* each check that needed it says so, with its count: sc_scan_warn_no_db */
		return SC_OK;
	}
	enum sc_status st = sc_db_open(path, out, err);
	if (st != SC_OK)
		return st;
	struct sc_db_info info;
	st = sc_db_info(*out, r->arena, &info, err);
	if (st != SC_OK) {
		sc_db_close(*out);
		*out = NULL;
		return st;
	}
	r->db_path = info.path;
	r->db_built_at = info.built_at;
	r->db_digest = info.digest;
	r->db_sources = info.sources;
	return SC_OK;
}

/* ---- the image part of the pipeline ---- */

/* Small files kept from image layers besides the extractors' inputs (OS detection, users). */
static bool keep_file(const char *path, uint64_t size, uint32_t mode, void *arg)
{
	(void)arg;
	for (size_t k = 0; k < sc_extractor_count(); k++)
		if (sc_extractor_runs_on(sc_extractor_at(k), SC_EXTRACT_IMAGE) && sc_extractor_at(k)->wants(path, size, mode))
			return true;
	for (size_t k = 0; k < sc_check_count(); k++)
		if (sc_check_at(k)->wants && sc_check_at(k)->wants(path, size, mode))
			return true;
	static const char *const small[] = {
		"etc/os-release", "usr/lib/os-release", "etc/lsb-release", "etc/debian_version",
		"etc/alpine-release", "etc/redhat-release", "etc/passwd", "etc/group", "etc/shadow",
	};
	if (size > (1u << 20))
		return false;
	for (size_t i = 0; i < sizeof(small) / sizeof(small[0]); i++)
		if (!strcmp(path, small[i]))
			return true;
	return false;
}

static enum sc_status open_image(const struct sc_scan_options *opts, struct sc_secrets_stream *secrets,
				 struct sc_image **img, struct sc_error *err)
{
	struct sc_image_options io;
	sc_image_options_init(&io);
	io.limits = opts->limits;
	io.platform = opts->platform;
	io.keep = keep_file;
	struct sc_strbuf key;
	sc_strbuf_init(&key, 1 << 16);
	/* the tool's version too: what a check's wants() keeps may change between releases */
	sc_strbuf_printf(&key, "shipcheck:%s,", sc_tool_version());
	for (size_t k = 0; k < sc_extractor_count(); k++)
		sc_strbuf_printf(&key, "%s:%u,", sc_extractor_at(k)->name, sc_extractor_at(k)->version);
	for (size_t k = 0; k < sc_check_count(); k++)
		if (sc_check_at(k)->wants)
			sc_strbuf_printf(&key, "check:%s,", sc_check_at(k)->name);
	sc_strbuf_puts(&key, "configs:1");
	io.keep_key = sc_strbuf_str(&key);
	/* --cache-dir itself (for compatibility), else $XDG_CACHE_HOME/shipcheck/layers */
	char *cache = NULL;
	if (!opts->no_cache)
		cache = opts->cache_dir ? sc_xstrdup(opts->cache_dir) : sc_cache_subdir(NULL, false, "layers");
	io.cache_dir = cache;
	/* The secrets check sees every file of every layer (deleted ones too) in this one pass. */
	if (secrets) {
		io.on_file = sc_secrets_stream_file;
		io.on_file_arg = secrets;
		io.on_file_cached = sc_secrets_stream_cached;
		io.on_file_stored = sc_secrets_stream_stored;
		sc_secrets_stream_set_cache(secrets, cache);
	}
	enum sc_status st = opts->rootfs_dir ? sc_image_open_rootfs(opts->rootfs_dir, &io, img, err)
					     : sc_image_open(opts->image_path, &io, img, err);
	free(cache);
	sc_strbuf_free(&key);
	return st;
}

/* Origin layer of each package: the first layer in which it appears at that version. A package
 * database rewritten by several layers (dpkg status) is re-read as each layer left it. */
static void set_origin_layers(const struct sc_image *img, struct sc_inventory *inv)
{
	struct sc_map *seen = sc_map_new();
	for (size_t i = 0; i < inv->packages.len; i++) {
		const struct sc_package *p = inv->packages.items[i];
		if (!p->path || sc_map_get(seen, p->path))
			continue;
		sc_map_put(seen, p->path, (void *)p);
		struct sc_image_version v[64];
		size_t nv = sc_image_versions(img, p->path, v, 64);
		if (nv < 2)
			continue;
		if (nv > 64)
			nv = 64;
		struct sc_map *first = sc_map_new();
		struct sc_arena *a = sc_arena_new();
		for (size_t k = 0; k < nv; k++) {
			struct sc_inventory *tmp = sc_inventory_new();
			tmp->os_id = inv->os_id;
			tmp->os_version = inv->os_version;
			for (size_t x = 0; x < sc_extractor_count(); x++) {
				const struct sc_extractor *ex = sc_extractor_at(x);
				if (!sc_extractor_runs_on(ex, SC_EXTRACT_IMAGE) || !ex->wants(p->path, v[k].len, 0100644))
					continue;
				struct sc_extract_input in = {p->path, v[k].data, v[k].len, v[k].layer, img->fs};
				struct sc_error err = {0};
				(void)ex->extract(&in, tmp, &err);
				sc_error_clear(&err);
			}
			for (size_t q = 0; q < tmp->packages.len; q++) {
				const struct sc_package *t = tmp->packages.items[q];
				char *key = sc_arena_printf(a, "%s\n%s", t->name, t->version ? t->version : "");
				if (!sc_map_get(first, key))
					sc_map_put(first, key, (void *)(intptr_t)v[k].layer);
			}
			sc_inventory_free(tmp);
		}
		for (size_t j = i; j < inv->packages.len; j++) {
			struct sc_package *q = inv->packages.items[j];
			if (!q->path || strcmp(q->path, p->path) != 0)
				continue;
			char *key = sc_arena_printf(a, "%s\n%s", q->name, q->version ? q->version : "");
			intptr_t l = (intptr_t)sc_map_get(first, key);
			if (l)
				q->layer = (int)l;
		}
		sc_map_free(first);
		sc_arena_free(a);
	}
	sc_map_free(seen);
}

/* Is the package an installed one (package DB, node_modules, dist-info, installed.json) rather
 * than a lockfile entry? */
static bool installed_record(const struct sc_package *p)
{
	if (p->flags & SC_PKG_OS)
		return true;
	const char *b = p->path ? sc_path_base(p->path) : "";
	return !strcmp(b, "package.json") || !strcmp(b, "METADATA") || !strcmp(b, "PKG-INFO") ||
	       !strcmp(b, "installed.json");
}

/* Lockfiles inside an image mostly describe what is installed beside them: a lockfile entry whose
 * package is installed at that version is dropped (the installed record is the inventory), the
 * rest are kept with the lockfile's layer. */
static void dedupe_lockfile_packages(const struct sc_fs *fs, struct sc_inventory *inv)
{
	struct sc_map *have = sc_map_new();
	struct sc_arena *a = sc_arena_new();
	for (size_t i = 0; i < inv->packages.len; i++) {
		const struct sc_package *p = inv->packages.items[i];
		if (installed_record(p))
			sc_map_put(have, sc_arena_printf(a, "%s\n%s\n%s", p->ecosystem, p->name, p->version ? p->version : ""),
				   (void *)p);
	}
	size_t w = 0;
	for (size_t i = 0; i < inv->packages.len; i++) {
		struct sc_package *p = inv->packages.items[i];
		if (!installed_record(p)) {
			char *key = sc_arena_printf(a, "%s\n%s\n%s", p->ecosystem, p->name, p->version ? p->version : "");
			if (sc_map_get(have, key))
				continue;
			const struct sc_file *f = p->path ? sc_fs_find(fs, p->path) : NULL;
			if (!p->layer && f)
				p->layer = f->layer;
		}
		inv->packages.items[w++] = p;
	}
	inv->packages.len = w;
	sc_map_free(have);
	sc_arena_free(a);
}

/* Fills the result's image facts and the image inventory. */
static void scan_image(struct sc_image *img, struct sc_inventory *inv, const struct sc_limits *lim,
		       struct sc_result *r)
{
	struct sc_os_info os;
	if (sc_os_detect(img->fs, inv->arena, &os)) {
		inv->os_id = os.id;
		inv->os_version = os.version_id;
		r->os = os.version_id ? sc_arena_printf(r->arena, "%s %s", os.id, os.version_id)
				      : sc_arena_strdup(r->arena, os.id);
	}
	sc_extract_fs(img->fs, lim, inv, SC_EXTRACT_IMAGE);
	if (img->n_layers)
		set_origin_layers(img, inv);
	dedupe_lockfile_packages(img->fs, inv);
	if (!r->target_kind) {
		r->target_kind = strcmp(img->kind, "rootfs") ? "image" : "rootfs";
		r->target_path = sc_arena_strdup(r->arena, img->path);
	}
	r->image_digest = sc_arena_strdup(r->arena, img->digest);
	r->n_layers = img->n_layers;
	r->layers = sc_arena_alloc(r->arena, (img->n_layers + 1) * sizeof(*r->layers));
	for (size_t i = 0; i < img->n_layers; i++) {
		r->layers[i].digest = sc_arena_strdup(r->arena, img->layers[i].digest);
		r->layers[i].diff_id = sc_arena_strdup(r->arena, img->layers[i].diff_id);
		r->layers[i].created_by = sc_arena_strdup(r->arena, img->layers[i].created_by);
		r->layers[i].size = img->layers[i].size;
	}
	for (size_t i = 0; i < img->warnings.len; i++) {
		const struct sc_warning *w = img->warnings.items[i];
		sc_result_add_warning(r, w->path, w->line, w->col, "%s", w->message);
	}
	copy_inventory(r, inv);
}

enum sc_status sc_scan_run(const struct sc_scan_options *opts, struct sc_result **out,
			   struct sc_error *err)
{
	*out = NULL;
	enum sc_status st = SC_OK;
	struct sc_policy *policy = NULL;
	struct sc_fs *repo = NULL;
	struct sc_inventory *repo_inv = NULL;
	struct sc_db *db = NULL;
	struct sc_image *image = NULL;
	struct sc_secrets_stream *secrets = NULL;
	struct sc_inventory *image_inv = NULL;
	struct sc_result *r = sc_result_new();

	/* Fault injection for the tests of exit code 3 (docs/internals/testing.md). */
	const char *fault = getenv("SHIPCHECK_FAULT");
	if (fault && !strcmp(fault, "internal")) {
		st = sc_error_set(err, SC_EINTERNAL, NULL, 0, 0, "injected internal error (SHIPCHECK_FAULT=internal)");
		goto out;
	}

	/* 1. policy */
	if (opts->config_path) {
		st = sc_policy_load(opts->config_path, &policy, err);
	} else if (opts->repo_dir) {
		char *path = sc_path_join(opts->repo_dir, ".shipcheck.yml");
		if (access(path, F_OK) == 0)
			st = sc_policy_load(path, &policy, err);
		else
			policy = sc_policy_new_default();
		free(path);
	} else {
		policy = sc_policy_new_default();
	}
	if (st != SC_OK)
		goto out;

	/* 2. targets */
	if (opts->repo_dir) {
		struct stat sb;
		if (stat(opts->repo_dir, &sb) != 0 || !S_ISDIR(sb.st_mode)) {
			st = sc_error_set(err, SC_EINPUT, opts->repo_dir, 0, 0, "not a directory");
			goto out;
		}
		st = sc_fs_open_dir(opts->repo_dir, NULL, &opts->limits, &repo, err);
		if (st != SC_OK)
			goto out;
		r->target_kind = "repo";
		r->target_path = sc_arena_strdup(r->arena, opts->repo_dir);
		repo_inv = sc_inventory_new();
		if (wants_inventory(opts, policy)) {
			sc_extract_fs(repo, &opts->limits, repo_inv, SC_EXTRACT_REPO);
			copy_inventory(r, repo_inv);
		}
	} else if (opts->files) {
		r->target_kind = "repo";
		r->target_path = ".";
	}
	if (opts->image_path || opts->rootfs_dir) {
		const struct sc_check *sec = sc_check_find("secrets");
		if (opts->image_path && sec && wanted(opts, policy, sec)) {
			char *ec = sc_cache_subdir(opts->cache_dir, opts->no_cache, "secrets");
			st = sc_secrets_stream_new(&secrets, ec, err);
			free(ec);
			if (st != SC_OK)
				goto out;
		}
		st = open_image(opts, secrets, &image, err);
		if (st != SC_OK)
			goto out;
		image_inv = sc_inventory_new();
		scan_image(image, image_inv, &opts->limits, r);
	}

	/* 3. result metadata and the gate */
	static const char *const commit_env[] = {"GIT_COMMIT", "GITHUB_SHA", "CI_COMMIT_SHA", NULL};
	const char *service = opts->service ? opts->service : sc_policy_service(policy);
	const char *commit = opts->commit ? opts->commit : env_first(commit_env);
	r->service = sc_arena_strdup(r->arena, service);
	r->commit = sc_arena_strdup(r->arena, commit);
	r->runbook = sc_arena_strdup(r->arena, sc_policy_runbook(policy));
	r->include_dev = opts->include_dev;
	enum sc_severity sev;
	bool none;
	if (opts->fail_on_set) {
		r->fail_on = opts->fail_on;
		r->fail_none = opts->fail_none;
	} else if (sc_policy_fail_on(policy, &sev, &none)) {
		r->fail_on = sev;
		r->fail_none = none;
	}

	/* 3b. the vulnerability DB, when a wanted check needs it */
	/* a repository without any lockfile does not need the DB */
	st = open_db(opts, policy, repo_inv && repo_inv->packages.len, image != NULL, r, &db, err);
	if (st != SC_OK)
		goto out;

	/* 4. checks */
	struct sc_scan_ctx ctx = {
		.opts = opts,
		.policy = policy,
		.result = r,
		.repo = repo,
		.repo_inv = repo_inv,
		.db = db,
		.image = image,
		.image_secrets = secrets,
		.image_fs = image ? image->fs : NULL,
		.image_inv = image_inv,
	};
	/* the image's config, for the image-config rules (user, Env, ports, healthcheck, history) */
	struct sc_image_config icfg = {0};
	/* once per scan: may open the base image (its JSON documents only) */
	if (image)
		ctx.base_layers = sc_image_base_layers(&ctx, &ctx.base_name);
	if (image && image->env) {
		icfg.user = image->user;
		icfg.env = image->env;
		icfg.labels = image->labels;
		icfg.exposed_ports = image->exposed_ports;
		icfg.has_healthcheck = image->has_healthcheck;
		struct sc_image_history *h = sc_arena_alloc(r->arena, (image->n_history + 1) * sizeof(*h));
		for (size_t i = 0; i < image->n_history; i++)
			h[i] = (struct sc_image_history){image->history[i], image->history_empty[i]};
		icfg.history = h;
		icfg.n_history = image->n_history;
		icfg.base_layers = (int)ctx.base_layers;
		/* Unknown base: the bottom layer of a multi-layer image is its base OS layer in practice,
		 * so file rules (setuid, world-writable) do not blame the service for the distribution's
		 * own files. Pass --base-image for an exact split. */
		if (!icfg.base_layers && image->n_layers > 1)
			icfg.base_layers = 1;
		icfg.image_ref = opts->image_path;
		ctx.image_config = &icfg;
	}
	for (size_t i = 0; i < sc_check_count(); i++) {
		const struct sc_check *c = sc_check_at(i);
		if (!wanted(opts, policy, c))
			continue;
		/* checks that need the DB run without one too, and say what they could not do */
		if (!applies_to(c, ctx.repo != NULL, ctx.image_fs != NULL, opts->files != NULL))
			continue;
		st = c->run(&ctx, err);
		if (st != SC_OK)
			goto out;
		sc_ptrvec_push(&r->checks_run, (void *)c->name);
	}

	/* 5. policy, then the verdict */
	sc_policy_apply(policy, r, opts->image_path);
	sc_result_finish(r);

out:
	sc_db_close(db);
	sc_inventory_free(image_inv);
	sc_image_free(image);
	sc_secrets_stream_free(secrets);
	sc_inventory_free(repo_inv);
	sc_fs_free(repo);
	sc_policy_free(policy);
	if (st != SC_OK) {
		sc_result_free(r);
		return st;
	}
	*out = r;
	return SC_OK;
}
