/* outdated.c - the "outdated" check: the Debian packages of an image that `apt-get dist-upgrade`
 * would upgrade, found statically from the image's dpkg status and the repository's indexes
 * (--apt-lists, --apt-source or the image's own sources, downloaded and signature-checked). */
#include "shipcheck/sc_apt.h"
#include "shipcheck/sc_db.h"
#include "shipcheck/sc_deb822.h"
#include "shipcheck/sc_policy.h"
#include "shipcheck/sc_scan.h"
#include "shipcheck/sc_version.h"
#include "shipcheck/sc_yaml.h"

#include <sys/stat.h>

#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

static const char *const no_equivalents[] = {NULL};

static const struct sc_rule rule_security = {
	.id = "SC-OUT-001",
	.name = "os-package-security-update",
	.check = "outdated",
	.severity = SC_SEV_HIGH,
	.title = "OS package has a security update",
	.equivalents = no_equivalents,
};

static const struct sc_rule rule_update = {
	.id = "SC-OUT-002",
	.name = "os-package-update",
	.check = "outdated",
	.severity = SC_SEV_LOW,
	.title = "OS package has a point-release or other update",
	.equivalents = no_equivalents,
};

static const struct sc_rule rule_held = {
	.id = "SC-OUT-003",
	.name = "os-package-held",
	.check = "outdated",
	.severity = SC_SEV_MEDIUM,
	.title = "Held OS package has an update that dist-upgrade will not install",
	.equivalents = no_equivalents,
};

static const struct sc_rule *const rules[] = {&rule_security, &rule_update, &rule_held};

#define STATUS_PATH "var/lib/dpkg/status"

/* Severities from the policy's `outdated:` section. */
struct sev_config {
	enum sc_severity security, update, held;
};

static bool sev_value(const struct sc_yaml *y, const struct sc_ynode *sec, const char *key, enum sc_severity *out)
{
	const char *v = sc_ymap_str(y, sec, key);
	return !v || sc_severity_parse(v, out);
}

static enum sc_status validate_config(const struct sc_policy *p, const struct sc_yaml *y,
				      const struct sc_ynode *section, struct sc_error *err)
{
	if (sc_ynode_type(section) != SC_Y_MAP)
		return sc_policy_node_error(p, section, err, "outdated: expected a mapping");
	for (size_t i = 0; i < sc_ynode_len(y, section); i++) {
		const struct sc_ynode *k = sc_ymap_key(y, section, i);
		const struct sc_ynode *v = sc_ymap_value(y, section, i);
		const char *key = sc_ynode_str(k, NULL);
		if (!key || (strcmp(key, "security") && strcmp(key, "update") && strcmp(key, "held")))
			return sc_policy_node_error(p, k, err,
						    "outdated: unknown key (expected security, update, held)");
		enum sc_severity s;
		const char *val = sc_ynode_str(v, NULL);
		if (!val || !sc_severity_parse(val, &s))
			return sc_policy_node_error(p, v, err,
						    "outdated.%s: expected critical, high, medium, low or unknown",
						    key);
	}
	return SC_OK;
}

static void load_config(const struct sc_policy *p, struct sev_config *c)
{
	c->security = rule_security.severity;
	c->update = rule_update.severity;
	c->held = rule_held.severity;
	const struct sc_ynode *sec = p ? sc_policy_section(p, "outdated") : NULL;
	const struct sc_yaml *y = p ? sc_policy_yaml(p) : NULL;
	if (!sec || !y)
		return;
	sev_value(y, sec, "security", &c->security);
	sev_value(y, sec, "update", &c->update);
	sev_value(y, sec, "held", &c->held);
}

/* The image's apt preferences: etc/apt/preferences and etc/apt/preferences.d/<name> (no
 * extension or .pref, as apt reads them). Bad files are warnings: apt would refuse them too. */
static void read_prefs(struct sc_scan_ctx *ctx, struct sc_apt_prefs *prefs)
{
	const struct sc_fs *fs = ctx->image_fs;
	for (size_t i = 0; i < fs->files.len; i++) {
		const struct sc_file *f = fs->files.items[i];
		if (!S_ISREG(f->mode) || f->deleted)
			continue;
		bool want = !strcmp(f->path, "etc/apt/preferences");
		if (!want && !strncmp(f->path, "etc/apt/preferences.d/", 22)) {
			const char *b = f->path + 22;
			const char *dot = strrchr(b, '.');
			want = !strchr(b, '/') && *b != '.' && (!dot || !strcmp(dot, ".pref"));
			for (const char *q = b; want && *q; q++)
				if (!(*q == '-' || *q == '_' || *q == '.' || (*q >= '0' && *q <= '9') ||
				      (*q >= 'a' && *q <= 'z') || (*q >= 'A' && *q <= 'Z')))
					want = false;
		}
		if (!want)
			continue;
		char *data = NULL;
		size_t len = 0;
		struct sc_error err = {0};
		if (sc_fs_read(fs, f->path, SC_APT_MAX_PREFS, &data, &len, &err) != SC_OK ||
		    sc_apt_prefs_parse(prefs, f->path, data, len, &err) != SC_OK)
			sc_result_add_warning(ctx->result, err.file ? err.file : f->path, err.line, err.col,
					      "outdated: apt preferences ignored: %s", err.msg ? err.msg : "unreadable");
		sc_error_clear(&err);
		free(data);
	}
}

/* The image's own sources: etc/apt/sources.list and sources.list.d/ *.list, *.sources. */
static enum sc_status image_sources(struct sc_scan_ctx *ctx, struct sc_arena *a, struct sc_ptrvec *out)
{
	const struct sc_fs *fs = ctx->image_fs;
	for (size_t i = 0; i < fs->files.len; i++) {
		const struct sc_file *f = fs->files.items[i];
		if (!S_ISREG(f->mode) || f->deleted)
			continue;
		bool deb822 = false;
		if (!strcmp(f->path, "etc/apt/sources.list")) {
			deb822 = false;
		} else if (!strncmp(f->path, "etc/apt/sources.list.d/", 23) && !strchr(f->path + 23, '/')) {
			size_t n = strlen(f->path);
			if (n > 5 && !strcmp(f->path + n - 5, ".list"))
				deb822 = false;
			else if (n > 8 && !strcmp(f->path + n - 8, ".sources"))
				deb822 = true;
			else
				continue;
		} else {
			continue;
		}
		char *data = NULL;
		size_t len = 0;
		struct sc_error err = {0};
		if (sc_fs_read(fs, f->path, SC_APT_MAX_PREFS, &data, &len, &err) != SC_OK ||
		    sc_apt_sources_parse(a, f->path, data, len, deb822, out, &err) != SC_OK)
			sc_result_add_warning(ctx->result, err.file ? err.file : f->path, err.line, err.col,
					      "outdated: apt sources ignored: %s", err.msg ? err.msg : "unreadable");
		sc_error_clear(&err);
		free(data);
	}
	return SC_OK;
}

/* Keyrings for downloads: --keyring, else the image's trusted keys, copied to a host temp dir (gpgv
 * reads files; nothing of the image is run). */
static char *image_keyrings(struct sc_scan_ctx *ctx, const struct sc_ptrvec *sources, struct sc_ptrvec *paths)
{
	const struct sc_fs *fs = ctx->image_fs;
	char tmpl[] = "/tmp/shipcheck-keys.XXXXXX";
	char *dir = mkdtemp(tmpl);
	if (!dir)
		return NULL;
	size_t n = 0;
	for (size_t i = 0; i < fs->files.len; i++) {
		const struct sc_file *f = fs->files.items[i];
		if (!S_ISREG(f->mode) || f->deleted)
			continue;
		/* as apt reads them: binary .gpg and armored .asc keys (Debian 12's are armored;
		 * sc_apt_verify_signature dearmors them for gpgv) */
		bool want = !strcmp(f->path, "etc/apt/trusted.gpg") ||
			    (!strncmp(f->path, "etc/apt/trusted.gpg.d/", 22) &&
			     (sc_str_has_suffix(f->path, ".gpg") || sc_str_has_suffix(f->path, ".asc")));
		for (size_t k = 0; !want && k < sources->len; k++) {
			const struct sc_apt_source *s = sources->items[k];
			want = s->signed_by && s->signed_by[0] == '/' && !strcmp(s->signed_by + 1, f->path);
		}
		if (!want)
			continue;
		char *data = NULL;
		size_t len = 0;
		struct sc_error err = {0};
		if (sc_fs_read(fs, f->path, 16u << 20, &data, &len, &err) == SC_OK) {
			char *p = sc_xasprintf("%s/%zu.gpg", dir, n++);
			if (sc_write_file_atomic(p, data, len, &err) == SC_OK)
				sc_ptrvec_push(paths, p);
			else
				free(p);
		}
		sc_error_clear(&err);
		free(data);
	}
	return sc_xstrdup(dir);
}

static void rmtree_flat(const char *dir, struct sc_ptrvec *paths)
{
	for (size_t i = 0; i < paths->len; i++) {
		unlink(paths->items[i]);
		free(paths->items[i]);
	}
	sc_ptrvec_free(paths);
	if (dir)
		rmdir(dir);
}

static const char *suite_name(const struct sc_apt_release *rel)
{
	if (!rel)
		return "a repository without Release file";
	return rel->codename ? rel->codename : rel->suite;
}

static int cmp_pkg(const void *a, const void *b)
{
	const struct sc_package *x = *(const struct sc_package *const *)a;
	const struct sc_package *y = *(const struct sc_package *const *)b;
	int c = strcmp(x->name, y->name);
	return c ? c : strcmp(x->arch ? x->arch : "", y->arch ? y->arch : "");
}

/* Most advisory ids named in a message (all of them are in the finding's advisories). */
#define MAX_NAMED 8

/* The advisories of the vulnerability DB that the update fixes: those affecting the installed
 * version (queried like the vulns check: the dpkg Source: package and version the dpkg extractor
 * recorded, in the image's ecosystem "Debian:12") with a fixed version at or below the candidate's
 * (source) version. An advisory fixed only in a later version is not named. *out lives in r's
 * arena. SC_EINPUT (no version scheme for the ecosystem) is left to the caller. */
static enum sc_status fixed_advisories(struct sc_scan_ctx *ctx, const struct sc_package *pkg,
				       const struct sc_apt_version *cand, const struct sc_scheme *deb,
				       struct sc_advisory_ref **out, size_t *n_out, struct sc_error *err)
{
	struct sc_result *r = ctx->result;
	*out = NULL;
	*n_out = 0;
	const char *qname = pkg->source_name ? pkg->source_name : pkg->name;
	const char *qver = pkg->source_version ? pkg->source_version : pkg->version;
	const char *cver = cand->source_version ? cand->source_version : cand->version;
	struct sc_arena *qa = sc_arena_new();
	struct sc_vuln_match *m = NULL;
	size_t n = 0;
	enum sc_status st = sc_db_query(ctx->db, pkg->ecosystem, qname, qver, qa, &m, &n, err);
	if (st != SC_OK || !n)
		goto out;
	struct sc_advisory_ref *ads = sc_arena_alloc(r->arena, n * sizeof(*ads));
	size_t k = 0;
	for (size_t i = 0; i < n; i++) {
		bool fixed = false;
		for (size_t j = 0; m[i].fixed && m[i].fixed[j] && !fixed; j++)
			fixed = deb->compare(m[i].fixed[j], strlen(m[i].fixed[j]), cver, strlen(cver)) <= 0;
		if (!fixed)
			continue;
		struct sc_advisory_ref *ad = &ads[k++];
		ad->id = sc_arena_strdup(r->arena, m[i].id);
		size_t na = 0, nf = 0;
		while (m[i].aliases && m[i].aliases[na])
			na++;
		while (m[i].fixed[nf])
			nf++;
		const char **al = sc_arena_alloc(r->arena, (na + 1) * sizeof(*al));
		for (size_t j = 0; j < na; j++)
			al[j] = sc_arena_strdup(r->arena, m[i].aliases[j]);
		const char **fx = sc_arena_alloc(r->arena, (nf + 1) * sizeof(*fx));
		for (size_t j = 0; j < nf; j++)
			fx[j] = sc_arena_strdup(r->arena, m[i].fixed[j]);
		ad->aliases = al;
		ad->fixed = fx;
		ad->url = m[i].url ? sc_arena_strdup(r->arena, m[i].url) : NULL;
		ad->summary = m[i].summary ? sc_arena_strdup(r->arena, m[i].summary) : NULL;
		ad->severity = m[i].severity;
	}
	*out = k ? ads : NULL;
	*n_out = k;
out:
	sc_arena_free(qa);
	return st;
}

/* " Per the vulnerability DB it fixes CVE-2024-1 (DSA-5999-1), CVE-2024-2; most severe: CRITICAL."
 * naming at most MAX_NAMED advisories. */
static const char *fixes_text(struct sc_arena *a, const struct sc_advisory_ref *ads, size_t n)
{
	if (!n)
		return "";
	struct sc_strbuf sb;
	sc_strbuf_init(&sb, 1u << 16);
	enum sc_severity worst = SC_SEV_UNKNOWN;
	for (size_t i = 0; i < n; i++)
		if (ads[i].severity > worst)
			worst = ads[i].severity;
	sc_strbuf_puts(&sb, " Per the vulnerability DB it fixes ");
	for (size_t i = 0; i < n && i < MAX_NAMED; i++) {
		sc_strbuf_printf(&sb, "%s%s", i ? ", " : "", ads[i].id);
		size_t na = 0;
		while (ads[i].aliases && ads[i].aliases[na])
			na++;
		for (size_t j = 0; j < na && j < 3; j++)
			sc_strbuf_printf(&sb, "%s%s", j ? ", " : " (", ads[i].aliases[j]);
		if (na > 3)
			sc_strbuf_printf(&sb, " and %zu more", na - 3);
		if (na)
			sc_strbuf_putc(&sb, ')');
	}
	if (n > MAX_NAMED)
		sc_strbuf_printf(&sb, " and %zu more advisories", n - MAX_NAMED);
	sc_strbuf_printf(&sb, "; most severe: %s.", sc_severity_name(worst));
	const char *s = sc_arena_strdup(a, sc_strbuf_str(&sb));
	sc_strbuf_free(&sb);
	return s;
}

static void add_finding(struct sc_scan_ctx *ctx, const struct sc_package *pkg, const struct sc_apt_version *cand,
			bool held, bool essential, const struct sev_config *sev, const struct sc_advisory_ref *ads,
			size_t n_ads)
{
	struct sc_result *r = ctx->result;
	const struct sc_apt_release *rel = cand->index ? cand->index->release : NULL;
	bool security = sc_apt_release_is_security(rel);
	const struct sc_rule *rule = held ? &rule_held : security ? &rule_security : &rule_update;
	if (!sc_policy_rule_enabled(ctx->policy, rule))
		return;
	struct sc_finding *f = sc_result_add_finding(r, rule);
	f->severity = held ? sev->held : security ? sev->security : sev->update;
	/* a security-suite update that fixes a CRITICAL advisory of the DB is CRITICAL */
	for (size_t i = 0; security && i < n_ads; i++)
		if (ads[i].severity == SC_SEV_CRITICAL)
			f->severity = SC_SEV_CRITICAL;
	f->advisories = ads;
	f->n_advisories = n_ads;
	const char *from = suite_name(rel);
	const char *origin = rel && rel->label ? rel->label : rel && rel->origin ? rel->origin : NULL;
	f->title = sc_arena_printf(r->arena, "%s %s -> %s (%s)", pkg->name, pkg->version, cand->version, from);
	f->message = sc_arena_printf(
		r->arena,
		"%s%s %s is installed; %s %s is available from %s%s%s%s. %s%s%s",
		pkg->name, pkg->arch ? sc_arena_printf(r->arena, ":%s", pkg->arch) : "", pkg->version, pkg->name,
		cand->version, from, origin ? " (" : "", origin ? origin : "", origin ? ")" : "",
		held ? "The package is held (`apt-mark hold`), so `apt-get dist-upgrade` keeps the old "
		       "version: the image keeps the fixed problems until the hold is lifted."
		     : security ? "It is a security update: the installed version has known vulnerabilities "
				  "that `apt-get dist-upgrade` would fix."
				: "`apt-get dist-upgrade` would install it (bug fixes of a point release).",
		fixes_text(r->arena, ads, n_ads),
		essential ? " The package is Essential: every other package relies on it." : "");
	f->remediation = sc_arena_printf(
		r->arena,
		"Rebuild the image from an up-to-date base image first (`docker build --pull`; bump the "
		"base image tag or digest in the Dockerfile's FROM), then, if the base image is not yet "
		"updated, run `apt-get update && apt-get -y upgrade` in the Dockerfile so %s %s is installed.",
		pkg->name, cand->version);
	if (held)
		f->remediation = sc_arena_printf(
			r->arena,
			"Remove the hold (`apt-mark unhold %s` in the Dockerfile, or drop the `hold` selection), "
			"then rebuild the image from an up-to-date base image (`docker build --pull`) so %s %s "
			"is installed.",
			pkg->name, pkg->name, cand->version);
	f->pkg = sc_package_copy(r->arena, pkg);
	f->loc.path = f->pkg->path ? f->pkg->path : STATUS_PATH;
	f->loc.line = pkg->line;
	f->loc.layer = pkg->layer;
	char *key = sc_arena_printf(r->arena, "%s:%s", pkg->name, pkg->arch ? pkg->arch : "");
	char *content = sc_arena_printf(r->arena, "%s>%s", pkg->version, cand->version);
	sc_finding_set_fingerprint(f, key, content);
}

/* Parsed indexes are cached next to the layer cache: <--cache-dir>/apt, else
 * $XDG_CACHE_HOME/shipcheck/apt or ~/.cache/shipcheck/apt; none with --no-cache. */
static const char *apt_cache_dir(const struct sc_scan_options *o, struct sc_arena *a)
{
	char *d = sc_cache_subdir(o->cache_dir, o->no_cache, "apt");
	const char *r = d ? sc_arena_strdup(a, d) : NULL;
	free(d);
	return r;
}

static enum sc_status run(struct sc_scan_ctx *ctx, struct sc_error *err)
{
	if (!ctx->image_fs)
		return SC_OK;
	struct sc_result *r = ctx->result;
	const struct sc_scheme *deb = sc_scheme_find("deb");
	if (!deb)
		return sc_error_set(err, SC_EINTERNAL, NULL, 0, 0, "outdated: no dpkg version scheme");

	/* the installed dpkg packages */
	struct sc_ptrvec pkgs = {0};
	struct sc_map *wanted = sc_map_new();
	struct sc_arena *a = sc_arena_new();
	struct sc_apt_cache *cache = NULL;
	struct sc_apt_prefs *prefs = NULL;
	struct sc_ptrvec sources = {0}, keypaths = {0};
	char *keydir = NULL;
	enum sc_status st = SC_OK;
	for (size_t i = 0; ctx->image_inv && i < ctx->image_inv->packages.len; i++) {
		struct sc_package *p = ctx->image_inv->packages.items[i];
		if (!(p->flags & SC_PKG_OS) || !p->ecosystem ||
		    (strncmp(p->ecosystem, "Debian", 6) && strncmp(p->ecosystem, "Ubuntu", 6)))
			continue;
		sc_ptrvec_push(&pkgs, p);
		sc_map_put(wanted, p->name, p);
	}
	if (!pkgs.len) {
		sc_result_add_warning(r, NULL, 0, 0,
				      "outdated: no dpkg packages in the image: nothing to compare with apt indexes");
		goto out;
	}
	qsort(pkgs.items, pkgs.len, sizeof(void *), cmp_pkg);

	/* the indexes */
	cache = sc_apt_cache_new();
	cache->wanted = wanted;
	const char *how = NULL;
	if (ctx->opts->apt_lists) {
		cache->keyrings = ctx->opts->keyrings; /* --keyring: check the lists' signatures too */
		cache->cache_dir = apt_cache_dir(ctx->opts, a);
		st = sc_apt_cache_load_lists(cache, ctx->opts->apt_lists, err);
		if (st != SC_OK)
			goto out;
		how = "apt lists";
	} else {
		if (ctx->opts->apt_sources) {
			for (size_t i = 0; ctx->opts->apt_sources[i]; i++) {
				const char *line = ctx->opts->apt_sources[i];
				st = sc_apt_sources_parse(a, "--apt-source", line, strlen(line), false, &sources, err);
				if (st != SC_OK)
					goto out;
			}
		} else {
			image_sources(ctx, a, &sources);
		}
		if (!sources.len) {
			sc_result_add_warning(
				r, NULL, 0, 0,
				"outdated: not checked: the image names no apt sources; pass --apt-lists DIR "
				"(e.g. /var/lib/apt/lists after `apt-get update`) or --apt-source \"deb URI SUITE "
				"COMPONENT\"");
			goto out;
		}
		const char *const *keyrings = ctx->opts->keyrings;
		if (!keyrings) {
			keydir = image_keyrings(ctx, &sources, &keypaths);
			sc_ptrvec_push(&keypaths, NULL);
			keypaths.len--;
			keyrings = (const char *const *)keypaths.items;
			if (!keypaths.len) {
				st = sc_error_set(err, SC_EINPUT, NULL, 0, 0,
						  "outdated: the image has no apt keyring to verify its sources "
						  "with; pass --keyring FILE");
				goto out;
			}
		}
		const char *arch = NULL;
		for (size_t i = 0; i < pkgs.len && !arch; i++) {
			const struct sc_package *p = pkgs.items[i];
			if (p->arch && strcmp(p->arch, "all"))
				arch = p->arch;
		}
		st = sc_apt_cache_fetch(cache, &sources, arch ? arch : "amd64", keyrings, err);
		if (st == SC_EIO && !ctx->opts->apt_sources) {
			/* the image's own sources are unreachable from here: say so, do not fail the scan
			 * (a bad signature or hash is SC_EINPUT and stays an error) */
			sc_result_add_warning(r, err->file, 0, 0,
					      "outdated: not checked: the image's apt sources cannot be downloaded "
					      "(%s); pass --apt-lists DIR",
					      err->msg ? err->msg : "download failed");
			sc_error_clear(err);
			st = SC_OK;
			goto out;
		}
		if (st != SC_OK)
			goto out;
		how = "downloaded indexes";
	}
	for (size_t i = 0; i < cache->warnings.len; i++)
		sc_result_add_warning(r, NULL, 0, 0, "outdated: %s", (const char *)cache->warnings.items[i]);

	prefs = sc_apt_prefs_new();
	read_prefs(ctx, prefs);

	/* the native architecture: the most common one that is not "all" */
	const char *native = NULL;
	size_t best = 0;
	for (size_t i = 0; i < pkgs.len; i++) {
		const struct sc_package *p = pkgs.items[i];
		if (!p->arch || !strcmp(p->arch, "all"))
			continue;
		size_t n = 0;
		for (size_t k = 0; k < pkgs.len; k++) {
			const struct sc_package *q = pkgs.items[k];
			if (q->arch && !strcmp(q->arch, p->arch))
				n++;
		}
		if (n > best) {
			best = n;
			native = p->arch;
		}
		if (best * 2 > pkgs.len)
			break;
	}

	struct sev_config sev;
	load_config(ctx->policy, &sev);
	size_t n_found = 0;
	bool warned_scheme = false;
	for (size_t i = 0; i < pkgs.len; i++) {
		const struct sc_package *p = pkgs.items[i];
		struct sc_apt_installed inst = {p->name, p->version, p->arch, (p->flags & SC_PKG_HELD) != 0,
						(p->flags & SC_PKG_ESSENTIAL) != 0};
		const struct sc_apt_version *cand = sc_apt_candidate(cache, prefs, &inst, native, deb->compare);
		if (!cand)
			continue;
		struct sc_advisory_ref *ads = NULL;
		size_t n_ads = 0;
		if (ctx->db) {
			struct sc_error qerr = {0};
			enum sc_status qs = fixed_advisories(ctx, p, cand, deb, &ads, &n_ads, &qerr);
			if (qs == SC_EINPUT) { /* no version scheme for this ecosystem: say so once */
				if (!warned_scheme)
					sc_result_add_warning(r, p->path, 0, 0, "outdated: advisories not named: %s",
							      qerr.msg ? qerr.msg : "unknown ecosystem");
				warned_scheme = true;
			} else if (qs != SC_OK) {
				st = sc_error_reset(err, qs, qerr.file, qerr.line, qerr.col, "%s",
						    qerr.msg ? qerr.msg : "vulnerability DB query failed");
				sc_error_clear(&qerr);
				goto out;
			}
			sc_error_clear(&qerr);
		}
		add_finding(ctx, p, cand, inst.held, inst.essential, &sev, ads, n_ads);
		n_found++;
	}
	/* without a DB the findings stay as they are (no advisories named), and the check says so once */
	if (!ctx->db)
		sc_scan_warn_no_db(ctx, "outdated", n_found, n_found == 1 ? "update was" : "updates were");
	(void)how;
out:
	rmtree_flat(keydir, &keypaths);
	free(keydir);
	sc_apt_prefs_free(prefs);
	sc_apt_cache_free(cache);
	sc_ptrvec_free(&sources);
	sc_ptrvec_free(&pkgs);
	sc_map_free(wanted);
	sc_arena_free(a);
	return st;
}

/* What the check reads from an image: apt's configuration and keyrings (dpkg status comes with
 * the dpkg extractor's files). */
static bool wants(const char *path, uint64_t size, uint32_t mode)
{
	if (!S_ISREG(mode))
		return false;
	if (!strncmp(path, "etc/apt/", 8))
		return size <= SC_APT_MAX_PREFS || !strncmp(path, "etc/apt/trusted.gpg", 19);
	return !strncmp(path, "usr/share/keyrings/", 19) && size <= (16u << 20);
}

const struct sc_check sc_check_outdated = {
	.name = "outdated",
	.title = "OS packages up to date (apt-get dist-upgrade)",
	.flags = SC_CHECK_IMAGE | SC_CHECK_DB, /* the DB names the advisories an update fixes */
	.rules = rules,
	.n_rules = sizeof(rules) / sizeof(rules[0]),
	.run = run,
	.validate_config = validate_config,
	.wants = wants,
};
