/* known_vulns.c - the "known-vulns" check: famous, actively exploited vulnerabilities (shellshock,
 * heartbleed, log4shell, the xz backdoor, regreSSHion) found without the vulnerability DB, from
 * data/known-vulns.json compiled into the binary: packaged versions (dpkg inventory, per-release
 * backported fixes), unpackaged copies (version strings in ELF files no package owns) and log4j-core
 * in JARs (Maven metadata, nested JARs included). Nothing from the image is ever run. */
#include "shipcheck/sc_policy.h"
#include "shipcheck/sc_scan.h"
#include "shipcheck/sc_version.h"

#include <sys/stat.h>

#include "sc_archive_dl.h"
#include <fnmatch.h>
#include <jansson.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define sc_embedded_docs sc_known_vulns_embedded
#include "lib/checks/known_vulns_data.inc"
#undef sc_embedded_docs

#define MAX_BINARY (256ull << 20) /* largest file searched for version strings */
#define MAX_JAR (512ull << 20)    /* largest JAR/WAR/EAR read */
#define MAX_NESTED (128ull << 20) /* largest JAR inside a JAR */
#define MAX_JAR_DEPTH 4
#define MAX_JAR_ENTRIES 200000

struct kv_range {
	const char *release; /* "12", "*"; NULL for upstream ranges */
	const char *introduced, *fixed, *ref;
};

struct kv_pkg {
	const char *ecosystem; /* "Debian", "Ubuntu" */
	bool by_source;
	const char **names;
	size_t n_names;
	struct kv_range *ranges;
	size_t n_ranges;
};

struct kv_jar {
	const char *group, *artifact, *upstream_fixed;
	struct kv_range *ranges;
	size_t n_ranges;
};

struct kv_fp {
	const char **files;
	size_t n_files;
	const char *marker;
	const char **nul_strings;
	size_t n_nul;
	const char *debian_epoch; /* "OpenSSH_9.2p1 Debian-2+deb12u3" is a Debian package version */
	struct kv_range *ranges;
	size_t n_ranges;
	const char *upstream_fixed;
};

struct kv_entry {
	struct sc_rule rule;
	const char *id, *name, *summary, *remediation;
	const char **cves;
	size_t n_cves;
	const char **refs;
	size_t n_refs;
	struct kv_pkg *pkgs;
	size_t n_pkgs;
	struct kv_jar *jars;
	size_t n_jars;
	struct kv_fp *fps;
	size_t n_fps;
};

static struct kv_entry *entries;
static size_t n_entries;
static char load_error[512];
static pthread_once_t once = PTHREAD_ONCE_INIT;

/* ---- the data ---- */

static const char *jstr(struct sc_arena *a, json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);
	return json_is_string(v) ? sc_arena_strdup(a, json_string_value(v)) : NULL;
}

static const char **jstrs(struct sc_arena *a, json_t *o, const char *key, size_t *n)
{
	json_t *arr = json_object_get(o, key);
	*n = json_is_array(arr) ? json_array_size(arr) : 0;
	const char **out = sc_arena_alloc(a, (*n + 1) * sizeof(char *));
	for (size_t i = 0; i < *n; i++)
		out[i] = json_is_string(json_array_get(arr, i)) ? sc_arena_strdup(a, json_string_value(json_array_get(arr, i)))
								 : "";
	return out;
}

static struct kv_range *jranges(struct sc_arena *a, json_t *o, size_t *n)
{
	json_t *arr = json_object_get(o, "ranges");
	*n = json_is_array(arr) ? json_array_size(arr) : 0;
	struct kv_range *r = sc_arena_alloc(a, (*n + 1) * sizeof(*r));
	for (size_t i = 0; i < *n; i++) {
		json_t *x = json_array_get(arr, i);
		r[i].release = jstr(a, x, "release");
		r[i].introduced = jstr(a, x, "introduced");
		r[i].fixed = jstr(a, x, "fixed");
		r[i].ref = jstr(a, x, "ref");
		if (!r[i].introduced)
			r[i].introduced = "0";
	}
	return r;
}

static void load(void)
{
	static struct sc_arena *arena;
	const char *text = NULL;
	for (size_t i = 0; sc_known_vulns_embedded[i].id; i++)
		text = sc_known_vulns_embedded[i].text;
	if (!text) {
		snprintf(load_error, sizeof(load_error), "known-vulns data is not compiled in");
		return;
	}
	json_error_t je;
	json_t *root = json_loads(text, 0, &je);
	json_t *list = root ? json_object_get(root, "entries") : NULL;
	if (!json_is_array(list)) {
		snprintf(load_error, sizeof(load_error), "data/known-vulns.json:%d:%d: %s", je.line, je.column,
			 root ? "no `entries` array" : je.text);
		json_decref(root);
		return;
	}
	arena = sc_arena_new();
	size_t n = json_array_size(list);
	struct kv_entry *es = sc_arena_alloc(arena, (n + 1) * sizeof(*es));
	for (size_t i = 0; i < n; i++) {
		json_t *o = json_array_get(list, i);
		struct kv_entry *e = &es[i];
		e->id = jstr(arena, o, "id");
		e->name = jstr(arena, o, "name");
		e->summary = jstr(arena, o, "summary");
		e->remediation = jstr(arena, o, "remediation");
		e->cves = jstrs(arena, o, "cves", &e->n_cves);
		e->refs = jstrs(arena, o, "references", &e->n_refs);
		e->rule.id = jstr(arena, o, "rule");
		e->rule.name = e->id;
		e->rule.check = "known-vulns";
		e->rule.severity = SC_SEV_CRITICAL;
		e->rule.title = sc_arena_printf(arena, "%s (%s) must never ship", e->name ? e->name : "?",
						e->n_cves ? e->cves[0] : "?");
		static const char *const none[] = {NULL};
		e->rule.equivalents = e->n_cves ? e->cves : none;
		if (!e->id || !e->name || !e->rule.id || !e->remediation) {
			snprintf(load_error, sizeof(load_error),
				 "data/known-vulns.json: entry %zu lacks id, name, rule or remediation", i);
			json_decref(root);
			return;
		}
		json_t *pk = json_object_get(o, "packages");
		e->n_pkgs = json_is_array(pk) ? json_array_size(pk) : 0;
		e->pkgs = sc_arena_alloc(arena, (e->n_pkgs + 1) * sizeof(*e->pkgs));
		for (size_t k = 0; k < e->n_pkgs; k++) {
			json_t *x = json_array_get(pk, k);
			struct kv_pkg *p = &e->pkgs[k];
			p->ecosystem = jstr(arena, x, "ecosystem");
			const char *m = jstr(arena, x, "match");
			p->by_source = m && !strcmp(m, "source");
			p->names = jstrs(arena, x, "names", &p->n_names);
			p->ranges = jranges(arena, x, &p->n_ranges);
		}
		json_t *jj = json_object_get(o, "jars");
		e->n_jars = json_is_array(jj) ? json_array_size(jj) : 0;
		e->jars = sc_arena_alloc(arena, (e->n_jars + 1) * sizeof(*e->jars));
		for (size_t k = 0; k < e->n_jars; k++) {
			json_t *x = json_array_get(jj, k);
			e->jars[k].group = jstr(arena, x, "group");
			e->jars[k].artifact = jstr(arena, x, "artifact");
			e->jars[k].upstream_fixed = jstr(arena, x, "upstream_fixed");
			e->jars[k].ranges = jranges(arena, x, &e->jars[k].n_ranges);
		}
		json_t *fp = json_object_get(o, "fingerprints");
		e->n_fps = json_is_array(fp) ? json_array_size(fp) : 0;
		e->fps = sc_arena_alloc(arena, (e->n_fps + 1) * sizeof(*e->fps));
		for (size_t k = 0; k < e->n_fps; k++) {
			json_t *x = json_array_get(fp, k);
			struct kv_fp *f = &e->fps[k];
			f->files = jstrs(arena, x, "files", &f->n_files);
			f->marker = jstr(arena, x, "marker");
			f->nul_strings = jstrs(arena, x, "nul_strings", &f->n_nul);
			f->debian_epoch = jstr(arena, x, "debian_epoch");
			f->upstream_fixed = jstr(arena, x, "upstream_fixed");
			f->ranges = jranges(arena, x, &f->n_ranges);
		}
	}
	json_decref(root);
	entries = es;
	n_entries = n;
}

static size_t rule_count(void)
{
	pthread_once(&once, load);
	return n_entries;
}

static const struct sc_rule *rule_at(size_t i)
{
	pthread_once(&once, load);
	return i < n_entries ? &entries[i].rule : NULL;
}

/* ---- versions ---- */

static int vcmp(const char *a, const char *b)
{
	const struct sc_scheme *s = sc_scheme_find("deb");
	return s->compare(a, strlen(a), b, strlen(b));
}

static bool in_range(const struct kv_range *r, const char *v)
{
	return vcmp(v, r->introduced) >= 0 && (!r->fixed || vcmp(v, r->fixed) < 0);
}

/* Maven versions in dpkg order: qualifiers after '-' (alpha, beta, rc) sort before the release. */
static char *maven_to_deb(const char *v)
{
	char *s = sc_xstrdup(v);
	for (char *p = s; *p; p++)
		if (*p == '-')
			*p = '~';
	return s;
}

/* The range of an OS package entry for a release: the release's own, else "*". */
static const struct kv_range *release_range(const struct kv_pkg *p, const char *release, const char *version)
{
	bool has_own = false;
	for (size_t i = 0; i < p->n_ranges; i++)
		if (release && p->ranges[i].release && !strcmp(p->ranges[i].release, release))
			has_own = true;
	for (size_t i = 0; i < p->n_ranges; i++) {
		const struct kv_range *r = &p->ranges[i];
		bool mine = has_own ? (r->release && release && !strcmp(r->release, release))
				    : (r->release && !strcmp(r->release, "*"));
		if (mine && (!version || in_range(r, version)))
			return r;
	}
	return NULL;
}

/* The fixed range (for remediation) of a release, ignoring the version. */
static const struct kv_range *release_fix(const struct kv_pkg *p, const char *release)
{
	return release_range(p, release, NULL);
}

/* ---- findings ---- */

static char *cve_list(struct sc_arena *a, const struct kv_entry *e)
{
	struct sc_strbuf sb;
	sc_strbuf_init(&sb, 4096);
	for (size_t i = 0; i < e->n_cves; i++)
		sc_strbuf_printf(&sb, "%s%s", i ? ", " : "", e->cves[i]);
	char *s = sc_arena_strdup(a, sc_strbuf_str(&sb));
	sc_strbuf_free(&sb);
	return s;
}

static struct sc_finding *new_finding(struct sc_scan_ctx *ctx, const struct kv_entry *e, const char *fixed)
{
	struct sc_result *r = ctx->result;
	struct sc_finding *f = sc_result_add_finding(r, &e->rule);
	f->severity = SC_SEV_CRITICAL;
	struct sc_advisory_ref *adv = sc_arena_alloc(r->arena, sizeof(*adv));
	adv->id = e->n_cves ? e->cves[0] : e->id;
	const char **aliases = sc_arena_alloc(r->arena, (e->n_cves + 1) * sizeof(char *));
	for (size_t i = 1; i < e->n_cves; i++)
		aliases[i - 1] = e->cves[i];
	adv->aliases = aliases;
	if (fixed) {
		const char **fx = sc_arena_alloc(r->arena, 2 * sizeof(char *));
		fx[0] = sc_arena_strdup(r->arena, fixed);
		adv->fixed = fx;
	}
	adv->url = e->n_refs ? e->refs[0] : NULL;
	adv->summary = e->name;
	adv->severity = SC_SEV_CRITICAL;
	f->advisories = adv;
	f->n_advisories = 1;
	return f;
}

/* "Debian:12" -> family "Debian", release "12". */
static void split_eco(const char *eco, char *family, size_t fsz, const char **release)
{
	const char *colon = strchr(eco, ':');
	size_t n = colon ? (size_t)(colon - eco) : strlen(eco);
	snprintf(family, fsz, "%.*s", (int)n, eco);
	*release = colon ? colon + 1 : NULL;
}

static void check_packages(struct sc_scan_ctx *ctx, const struct kv_entry *e)
{
	struct sc_result *r = ctx->result;
	for (size_t i = 0; ctx->image_inv && i < ctx->image_inv->packages.len; i++) {
		const struct sc_package *pkg = ctx->image_inv->packages.items[i];
		if (!pkg->ecosystem || !pkg->version)
			continue;
		char family[64];
		const char *release;
		split_eco(pkg->ecosystem, family, sizeof(family), &release);
		for (size_t k = 0; k < e->n_pkgs; k++) {
			const struct kv_pkg *p = &e->pkgs[k];
			if (!p->ecosystem || strcmp(p->ecosystem, family))
				continue;
			const char *name = p->by_source && pkg->source_name ? pkg->source_name : pkg->name;
			const char *version = p->by_source && pkg->source_version ? pkg->source_version : pkg->version;
			bool named = false;
			for (size_t j = 0; j < p->n_names; j++)
				if (!strcmp(p->names[j], name))
					named = true;
			if (!named)
				continue;
			const struct kv_range *rg = release_range(p, release, version);
			if (!rg)
				continue;
			struct sc_finding *f = new_finding(ctx, e, rg->fixed);
			const char *what = p->by_source && strcmp(name, pkg->name)
						   ? sc_arena_printf(r->arena, "%s %s (source %s %s)", pkg->name, pkg->version,
								     name, version)
						   : sc_arena_printf(r->arena, "%s %s", pkg->name, pkg->version);
			f->title = sc_arena_printf(r->arena, "%s (%s) in %s", e->name, cve_list(r->arena, e), what);
			f->message = sc_arena_printf(
				r->arena, "%s %s is installed (%s %s): %s It is affected from %s up to, not including, %s (%s).",
				pkg->name, pkg->version, family, release ? release : "", e->summary, rg->introduced,
				rg->fixed ? rg->fixed : "no fix", rg->ref ? rg->ref : "");
			f->remediation = sc_arena_printf(
				r->arena, "Upgrade %s to %s or later, the fixed version for %s %s (%s); rebuild the image from an updated base image. %s",
				name, rg->fixed ? rg->fixed : "a fixed version", family, release ? release : "",
				rg->ref ? rg->ref : "", e->remediation);
			f->pkg = sc_package_copy(r->arena, pkg);
			f->loc.path = f->pkg->path;
			f->loc.line = pkg->line;
			f->loc.layer = pkg->layer;
			sc_finding_set_fingerprint(f, sc_arena_printf(r->arena, "pkg:%s:%s", pkg->name, pkg->arch ? pkg->arch : ""),
						   sc_arena_printf(r->arena, "%s@%s", e->id, pkg->version));
			break;
		}
	}
}

/* The fixed version of the image's release for an entry (remediation of unpackaged copies). */
static const char *image_fix(struct sc_scan_ctx *ctx, const struct kv_entry *e, struct sc_arena *a)
{
	const struct sc_inventory *inv = ctx->image_inv;
	if (!inv || !inv->os_id)
		return NULL;
	const char *family = !strcmp(inv->os_id, "debian") ? "Debian" : !strcmp(inv->os_id, "ubuntu") ? "Ubuntu" : NULL;
	if (!family)
		return NULL;
	char rel[32];
	snprintf(rel, sizeof(rel), "%s", inv->os_version ? inv->os_version : "");
	if (!strcmp(family, "Debian"))
		rel[strcspn(rel, ".")] = '\0';
	for (size_t k = 0; k < e->n_pkgs; k++) {
		const struct kv_pkg *p = &e->pkgs[k];
		if (!p->ecosystem || strcmp(p->ecosystem, family))
			continue;
		const struct kv_range *rg = release_fix(p, rel);
		if (rg && rg->fixed)
			return sc_arena_printf(a, " The distribution package for %s %s is fixed in %s %s (%s).", family,
					       rel, p->names[0], rg->fixed, rg->ref ? rg->ref : "");
	}
	return NULL;
}

/* ---- unpackaged binaries ---- */

static bool name_match(const struct kv_fp *fp, const char *base)
{
	for (size_t i = 0; i < fp->n_files; i++)
		if (fnmatch(fp->files[i], base, 0) == 0)
			return true;
	return false;
}

/* A version after the marker: [0-9][0-9A-Za-z.+~-]*, '-' becomes '~' (1.0.2-beta1). */
static bool version_after(const char *p, const char *end, char *out, size_t osz)
{
	if (p >= end || *p < '0' || *p > '9')
		return false;
	size_t n = 0;
	while (p < end && n + 1 < osz &&
	       ((*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || *p == '.' ||
		*p == '-' || *p == '+' || *p == '~')) {
		out[n++] = *p == '-' ? '~' : *p;
		p++;
	}
	out[n] = '\0';
	while (n && (out[n - 1] == '.' || out[n - 1] == '~')) /* "4.3.30(" or "X. " */
		out[--n] = '\0';
	return n > 0;
}

static void fp_finding(struct sc_scan_ctx *ctx, const struct kv_entry *e, const struct kv_fp *fp,
		       const struct sc_file *file, const char *outer, const char *evidence, const char *version,
		       const struct kv_range *rg)
{
	struct sc_result *r = ctx->result;
	if (!sc_policy_rule_enabled(ctx->policy, &e->rule))
		return;
	struct sc_finding *f = new_finding(ctx, e, rg && rg->fixed ? rg->fixed : NULL);
	const char *path = sc_arena_strdup(r->arena, file->path);
	f->title = sc_arena_printf(r->arena, "%s (%s) in unpackaged %s (%s)", e->name, cve_list(r->arena, e), path,
				   version);
	f->message = sc_arena_printf(
		r->arena,
		"%s is not installed by any package, and its embedded version string `%s` identifies a vulnerable "
		"build (version %s; affected from %s up to, not including, %s): %s",
		path, evidence, version, rg ? rg->introduced : "?", rg && rg->fixed ? rg->fixed : "?", e->summary);
	const char *fix = image_fix(ctx, e, r->arena);
	f->remediation = sc_arena_printf(r->arena, "Remove or replace %s: use the distribution's package, or rebuild it from %s %s or later.%s %s",
					 path, e->name, fp && fp->upstream_fixed ? fp->upstream_fixed : rg && rg->fixed ? rg->fixed : "a fixed release",
					 fix ? fix : "", e->remediation);
	f->loc.path = path;
	f->loc.layer = file ? file->layer : 0;
	sc_finding_set_fingerprint(f, path, sc_arena_printf(r->arena, "%s@%s", e->id, version));
}

/* Debian's own build ("OpenSSH_9.2p1 Debian-2+deb12u3"): judged by the Debian package ranges. */
static bool debian_build(struct sc_scan_ctx *ctx, const struct kv_entry *e, const struct kv_fp *fp, const char *p,
			 const char *end, const char *version, const struct kv_range **rg, char *debver, size_t dsz)
{
	static const char tag[] = " Debian-";
	if (!fp->debian_epoch || (size_t)(end - p) < sizeof(tag) - 1 || memcmp(p, tag, sizeof(tag) - 1))
		return false;
	p += sizeof(tag) - 1;
	char rev[128];
	size_t n = 0;
	while (p < end && n + 1 < sizeof(rev) && *p > ' ' && *p < 127)
		rev[n++] = *p++;
	rev[n] = '\0';
	int w = snprintf(debver, dsz, "%s:%s-%s", fp->debian_epoch, version, rev);
	if (w < 0 || (size_t)w >= dsz)
		return false;
	const char *release = NULL;
	char relbuf[32] = "";
	if (ctx->image_inv && ctx->image_inv->os_version) {
		snprintf(relbuf, sizeof(relbuf), "%s", ctx->image_inv->os_version);
		relbuf[strcspn(relbuf, ".")] = '\0';
		release = relbuf;
	}
	*rg = NULL;
	for (size_t k = 0; k < e->n_pkgs; k++)
		if (e->pkgs[k].ecosystem && !strcmp(e->pkgs[k].ecosystem, "Debian"))
			*rg = release_range(&e->pkgs[k], release, debver);
	return true;
}

static void scan_binary(struct sc_scan_ctx *ctx, const struct sc_file *file, const char *data, size_t len)
{
	const char *base = sc_path_base(file->path);
	const char *end = data + len;
	for (size_t i = 0; i < n_entries; i++) {
		const struct kv_entry *e = &entries[i];
		bool done = false;
		for (size_t k = 0; k < e->n_fps && !done; k++) {
			const struct kv_fp *fp = &e->fps[k];
			if (!name_match(fp, base))
				continue;
			for (size_t s = 0; s < fp->n_nul && !done; s++) {
				size_t sl = strlen(fp->nul_strings[s]);
				const char *q = data;
				while ((q = memmem(q, (size_t)(end - q), fp->nul_strings[s], sl))) {
					if (q > data && q[-1] == '\0' && q + sl < end && q[sl] == '\0') {
						struct kv_range rg = {NULL, fp->nul_strings[s], NULL, NULL};
						fp_finding(ctx, e, fp, file, NULL, fp->nul_strings[s], fp->nul_strings[s], &rg);
						done = true;
						break;
					}
					q += sl;
				}
			}
			if (!fp->marker || done)
				continue;
			size_t ml = strlen(fp->marker);
			const char *q = data;
			while (!done && (q = memmem(q, (size_t)(end - q), fp->marker, ml))) {
				char version[128];
				const char *v = q + ml;
				q += ml;
				if (!version_after(v, end, version, sizeof(version)))
					continue;
				const char *after = v;
				while (after < end && *after != '\0' && *after != ' ' && *after != '(')
					after++;
				char debver[256];
				const struct kv_range *rg = NULL;
				if (debian_build(ctx, e, fp, after, end, version, &rg, debver, sizeof(debver))) {
					if (rg)
						fp_finding(ctx, e, fp, file, NULL, debver, debver, rg);
					done = true; /* the first version string decides */
					break;
				}
				for (size_t j = 0; j < fp->n_ranges && !rg; j++)
					if (in_range(&fp->ranges[j], version))
						rg = &fp->ranges[j];
				if (rg) {
					size_t ev = 0;
					while (v + ev < end && ev < 60 && v[ev] >= ' ' && v[ev] < 127)
						ev++;
					char *evidence = sc_xasprintf("%s%.*s", fp->marker, (int)ev, v);
					fp_finding(ctx, e, fp, file, NULL, evidence, version, rg);
					free(evidence);
				}
				done = true;
			}
		}
	}
}

/* ---- JARs ---- */

static bool is_jar_name(const char *name)
{
	size_t n = strlen(name);
	return n > 4 && (!strcasecmp(name + n - 4, ".jar") || !strcasecmp(name + n - 4, ".war") ||
			 !strcasecmp(name + n - 4, ".ear"));
}

static void jar_version_found(struct sc_scan_ctx *ctx, const struct sc_file *file, const char *where,
			      const char *group, const char *artifact, const char *version)
{
	struct sc_result *r = ctx->result;
	for (size_t i = 0; i < n_entries; i++) {
		const struct kv_entry *e = &entries[i];
		for (size_t k = 0; k < e->n_jars; k++) {
			const struct kv_jar *j = &e->jars[k];
			if (strcmp(j->group, group) || strcmp(j->artifact, artifact))
				continue;
			char *dv = maven_to_deb(version);
			const struct kv_range *rg = NULL;
			for (size_t x = 0; x < j->n_ranges && !rg; x++) {
				char *intro = maven_to_deb(j->ranges[x].introduced);
				char *fixed = j->ranges[x].fixed ? maven_to_deb(j->ranges[x].fixed) : NULL;
				if (vcmp(dv, intro) >= 0 && (!fixed || vcmp(dv, fixed) < 0))
					rg = &j->ranges[x];
				free(intro);
				free(fixed);
			}
			free(dv);
			if (!rg || !sc_policy_rule_enabled(ctx->policy, &e->rule))
				continue;
			struct sc_finding *f = new_finding(ctx, e, j->upstream_fixed);
			f->title = sc_arena_printf(r->arena, "%s (%s) in %s:%s %s (%s)", e->name, cve_list(r->arena, e), group,
						   artifact, version, where);
			f->message = sc_arena_printf(
				r->arena,
				"%s contains %s:%s %s (read from its Maven metadata), affected from %s up to, not "
				"including, %s: %s",
				where, group, artifact, version, rg->introduced, rg->fixed ? rg->fixed : "?", e->summary);
			f->remediation = sc_arena_printf(r->arena, "Upgrade %s to %s in the build that produces %s. %s", artifact,
							 j->upstream_fixed ? j->upstream_fixed : rg->fixed, file->path,
							 e->remediation);
			f->loc.path = sc_arena_strdup(r->arena, where);
			f->loc.layer = file->layer;
			struct sc_package *pkg = sc_arena_alloc(r->arena, sizeof(*pkg));
			pkg->ecosystem = "Maven";
			pkg->name = sc_arena_printf(r->arena, "%s:%s", group, artifact);
			pkg->version = sc_arena_strdup(r->arena, version);
			pkg->path = f->loc.path;
			pkg->layer = file->layer;
			f->pkg = pkg;
			sc_finding_set_fingerprint(f, where, sc_arena_printf(r->arena, "%s@%s", e->id, version));
		}
	}
}

/* pom.properties: "version=2.14.1" (and groupId/artifactId). */
static void parse_pom_properties(const char *data, size_t len, char *version, size_t vsz)
{
	version[0] = '\0';
	const char *p = data, *end = data + len;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *le = nl ? nl : end;
		if (le - p > 8 && !memcmp(p, "version=", 8)) {
			const char *v = p + 8, *ve = le;
			while (ve > v && (ve[-1] == '\r' || ve[-1] == ' '))
				ve--;
			snprintf(version, vsz, "%.*s", (int)(ve - v), v);
		}
		p = nl ? nl + 1 : end;
	}
}

static void scan_jar(struct sc_scan_ctx *ctx, const struct sc_file *file, const char *where, const void *data,
		     size_t len, unsigned depth)
{
	struct sc_result *r = ctx->result;
	struct archive *a = archive_read_new();
	archive_read_support_format_zip_seekable(a);
	if (archive_read_open_memory(a, data, len) != ARCHIVE_OK) {
		sc_result_add_warning(r, where, 0, 0, "known-vulns: not a JAR (zip) file: %s",
				      archive_error_string(a) ? archive_error_string(a) : "unreadable");
		archive_read_free(a);
		return;
	}
	struct archive_entry *ae;
	size_t count = 0;
	int rc;
	while ((rc = archive_read_next_header(a, &ae)) == ARCHIVE_OK) {
		if (++count > MAX_JAR_ENTRIES) {
			sc_result_add_warning(r, where, 0, 0, "known-vulns: more than %d entries, the rest skipped",
					      MAX_JAR_ENTRIES);
			break;
		}
		const char *name = archive_entry_pathname(ae);
		if (!name)
			continue;
		la_int64_t size = archive_entry_size(ae);
		static const char prefix[] = "META-INF/maven/";
		bool pom = !strncmp(name, prefix, sizeof(prefix) - 1) && strlen(name) > 15 &&
			   !strcmp(name + strlen(name) - 15, "/pom.properties");
		bool nested = is_jar_name(name) && depth < MAX_JAR_DEPTH;
		if (!pom && !nested)
			continue;
		uint64_t limit = pom ? (1u << 20) : MAX_NESTED;
		if (size < 0 || (uint64_t)size > limit) {
			sc_result_add_warning(r, where, 0, 0, "known-vulns: %s is larger than %llu bytes, skipped", name,
					      (unsigned long long)limit);
			continue;
		}
		char *buf = sc_xmalloc((size_t)size + 1);
		la_ssize_t got = archive_read_data(a, buf, (size_t)size);
		if (got != size) {
			sc_result_add_warning(r, where, 0, 0, "known-vulns: cannot read %s: %s", name,
					      archive_error_string(a) ? archive_error_string(a) : "short read");
			free(buf);
			continue;
		}
		buf[size] = '\0';
		if (pom) {
			/* META-INF/maven/<group>/<artifact>/pom.properties */
			const char *g = name + sizeof(prefix) - 1;
			const char *slash = strchr(g, '/');
			const char *art = slash ? slash + 1 : NULL;
			const char *slash2 = art ? strchr(art, '/') : NULL;
			if (slash && slash2) {
				char *group = sc_xstrndup(g, (size_t)(slash - g));
				char *artifact = sc_xstrndup(art, (size_t)(slash2 - art));
				char version[128];
				parse_pom_properties(buf, (size_t)size, version, sizeof(version));
				if (version[0])
					jar_version_found(ctx, file, where, group, artifact, version);
				free(group);
				free(artifact);
			}
		} else {
			char *inner = sc_xasprintf("%s!%s", where, name);
			scan_jar(ctx, file, inner, buf, (size_t)size, depth + 1);
			free(inner);
		}
		free(buf);
	}
	if (rc != ARCHIVE_EOF && rc != ARCHIVE_OK)
		sc_result_add_warning(r, where, 0, 0, "known-vulns: broken JAR (zip) file: %s",
				      archive_error_string(a) ? archive_error_string(a) : "unreadable");
	archive_read_free(a);
}

/* ---- the walk ---- */

/* Paths owned by dpkg packages (var/lib/dpkg/info/ *.list), merged-/usr aliases included. */
static void owned_paths(struct sc_scan_ctx *ctx, struct sc_map *owned, struct sc_arena *a)
{
	const struct sc_fs *fs = ctx->image_fs;
	for (size_t i = 0; i < fs->files.len; i++) {
		const struct sc_file *f = fs->files.items[i];
		size_t n = strlen(f->path);
		if (!S_ISREG(f->mode) || f->deleted || strncmp(f->path, "var/lib/dpkg/info/", 18) || n < 5 ||
		    strcmp(f->path + n - 5, ".list"))
			continue;
		char *data = NULL;
		size_t len = 0;
		struct sc_error err = {0};
		if (sc_fs_read(fs, f->path, 64u << 20, &data, &len, &err) != SC_OK) {
			sc_error_clear(&err);
			continue;
		}
		char *p = data, *end = data + len;
		while (p < end) {
			char *nl = memchr(p, '\n', (size_t)(end - p));
			char *le = nl ? nl : end;
			*le = '\0';
			const char *path = p;
			while (*path == '/')
				path++;
			if (*path) {
				sc_map_put(owned, sc_arena_strdup(a, path), (void *)1);
				static const char *const merged[] = {"bin/", "sbin/", "lib/", "lib32/", "lib64/", "libx32/", NULL};
				for (size_t k = 0; merged[k]; k++)
					if (!strncmp(path, merged[k], strlen(merged[k])))
						sc_map_put(owned, sc_arena_printf(a, "usr/%s", path), (void *)1);
			}
			p = le + 1;
		}
		free(data);
	}
}

/* Is a file named base searched for version strings? The catch-all `*` pattern only where every
 * file can be read (a directory), see wants(). */
static bool any_name_match(const char *base, bool catch_all)
{
	for (size_t i = 0; i < n_entries; i++)
		for (size_t k = 0; k < entries[i].n_fps; k++)
			for (size_t j = 0; j < entries[i].fps[k].n_files; j++) {
				const char *pat = entries[i].fps[k].files[j];
				if (strcmp(pat, "*") ? fnmatch(pat, base, 0) == 0 : catch_all)
					return true;
			}
	return false;
}

static bool any_jars(void)
{
	for (size_t i = 0; i < n_entries; i++)
		if (entries[i].n_jars)
			return true;
	return false;
}

static enum sc_status run(struct sc_scan_ctx *ctx, struct sc_error *err)
{
	if (!ctx->image_fs)
		return SC_OK;
	pthread_once(&once, load);
	if (load_error[0])
		return sc_error_set(err, SC_EINTERNAL, NULL, 0, 0, "%s", load_error);
	if (!sc_scheme_find("deb"))
		return sc_error_set(err, SC_EINTERNAL, NULL, 0, 0, "known-vulns: no dpkg version scheme");
	for (size_t i = 0; i < n_entries; i++)
		if (sc_policy_rule_enabled(ctx->policy, &entries[i].rule))
			check_packages(ctx, &entries[i]);

	struct sc_arena *a = sc_arena_new();
	struct sc_map *owned = sc_map_new();
	owned_paths(ctx, owned, a);
	bool jars = any_jars();
	const struct sc_fs *fs = ctx->image_fs;
	for (size_t i = 0; i < fs->files.len; i++) {
		const struct sc_file *f = fs->files.items[i];
		if (!S_ISREG(f->mode) || f->deleted || f->size < 16)
			continue;
		const char *base = sc_path_base(f->path);
		bool jar = jars && is_jar_name(base);
		bool bin = !jar && strncmp(f->path, "var/lib/dpkg/", 13) && !sc_map_get(owned, f->path) &&
			   (any_name_match(base, false) ||
			    (fs->root && any_name_match(base, true) &&
			     ((f->mode & 0111) || strstr(base, ".so") || strstr(base, ".a"))));
		if (!jar && !bin)
			continue;
		uint64_t limit = jar ? MAX_JAR : MAX_BINARY;
		if (f->size > limit) {
			sc_result_add_warning(ctx->result, f->path, 0, 0,
					      "known-vulns: larger than %llu bytes, not searched",
					      (unsigned long long)limit);
			continue;
		}
		char *data = NULL;
		size_t len = 0;
		struct sc_error rerr = {0};
		if (sc_fs_read(fs, f->path, limit, &data, &len, &rerr) != SC_OK) {
			sc_result_add_warning(ctx->result, f->path, 0, 0, "known-vulns: cannot read: %s",
					      rerr.msg ? rerr.msg : "?");
			sc_error_clear(&rerr);
			continue;
		}
		if (jar) {
			scan_jar(ctx, f, f->path, data, len, 0);
		} else {
			bool elf = len >= 4 && !memcmp(data, "\177ELF", 4);
			bool ar = len >= 8 && !memcmp(data, "!<arch>\n", 8);
			if (elf || ar)
				scan_binary(ctx, f, data, len);
		}
		free(data);
	}
	sc_map_free(owned);
	sc_arena_free(a);
	return SC_OK;
}

/* What the check reads from an image: dpkg's file lists, JARs, and binaries named by a fingerprint
 * (the catch-all `*` pattern applies to root filesystems only: keeping every binary of an image in
 * memory is not bounded enough). */
static bool wants(const char *path, uint64_t size, uint32_t mode)
{
	if (!S_ISREG(mode))
		return false;
	size_t n = strlen(path);
	if (!strncmp(path, "var/lib/dpkg/", 13))
		return !strncmp(path, "var/lib/dpkg/info/", 18) && n > 5 && !strcmp(path + n - 5, ".list");
	const char *base = sc_path_base(path);
	if (is_jar_name(base))
		return size <= MAX_JAR;
	if (size > MAX_BINARY || size < 16)
		return false;
	pthread_once(&once, load);
	return any_name_match(base, false);
}

const struct sc_check sc_check_known_vulns = {
	.name = "known-vulns",
	.title = "Famous vulnerabilities that must never ship",
	.flags = SC_CHECK_IMAGE,
	.rule_count = rule_count,
	.rule_at = rule_at,
	.run = run,
	.wants = wants,
};
