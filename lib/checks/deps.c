/* deps.c - the "deps" check: every package of the repository's lockfiles (npm, yarn, pnpm, pip,
 * Pipfile, poetry, uv, composer, Go, Cargo, Bundler) against the vulnerability DB. SC-DEP-001: one
 * finding per (package, version, lockfile) with all its advisories, the highest severity and the
 * smallest version that fixes every one of them; SC-DEP-002: dependencies that cannot be checked
 * (unpinned, URL, VCS, path). Production dependencies only unless --include-dev. */
#include "shipcheck/sc_db.h"
#include "shipcheck/sc_policy.h"
#include "shipcheck/sc_scan.h"
#include "shipcheck/sc_version.h"
#include "shipcheck/sc_yaml.h"

#include <stdlib.h>
#include <string.h>

static const char *const no_equivalents[] = {NULL};

static const struct sc_rule rule_vulnerable = {
	.id = "SC-DEP-001",
	.name = "vulnerable-dependency",
	.check = "deps",
	.severity = SC_SEV_HIGH,
	.title = "Code dependency with known vulnerabilities",
	.equivalents = no_equivalents,
};

static const struct sc_rule rule_unchecked = {
	.id = "SC-DEP-002",
	.name = "unchecked-dependency",
	.check = "deps",
	.severity = SC_SEV_LOW,
	.title = "Code dependency that cannot be checked (unpinned, URL, VCS or path)",
	.equivalents = no_equivalents,
};

static const struct sc_rule *const rules[] = {&rule_vulnerable, &rule_unchecked};

/* Language ecosystems this check owns (OS packages are the vulns check's). */
static bool language_ecosystem(const char *eco)
{
	static const char *const ecos[] = {"npm", "PyPI", "Packagist", "Go", "crates.io", "RubyGems", NULL};
	for (size_t i = 0; ecos[i]; i++)
		if (eco && !strcmp(eco, ecos[i]))
			return true;
	return false;
}

/* One (ecosystem, name, version, lockfile): its first occurrence and who pulled it in. */
struct occ {
	const struct sc_package *pkg;
	struct sc_ptrvec parents; /* distinct parent chains (borrowed) */
	bool direct;
};

static const char *const *ids_of(struct sc_arena *a, const struct sc_vuln_match *m)
{
	size_t n = 0;
	while (m->aliases && m->aliases[n])
		n++;
	const char **out = sc_arena_alloc(a, (n + 1) * sizeof(*out));
	for (size_t i = 0; i < n; i++)
		out[i] = sc_arena_strdup(a, m->aliases[i]);
	return out;
}

static const char *const *strv_dup(struct sc_arena *a, const char *const *v)
{
	size_t n = 0;
	while (v && v[n])
		n++;
	const char **out = sc_arena_alloc(a, (n + 1) * sizeof(*out));
	for (size_t i = 0; i < n; i++)
		out[i] = sc_arena_strdup(a, v[i]);
	return out;
}

static bool shares_id(const struct sc_vuln_match *a, const struct sc_vuln_match *b)
{
	if (!strcmp(a->id, b->id))
		return true;
	for (size_t i = 0; b->aliases && b->aliases[i]; i++)
		if (!strcmp(a->id, b->aliases[i]))
			return true;
	for (size_t i = 0; a->aliases && a->aliases[i]; i++) {
		if (!strcmp(a->aliases[i], b->id))
			return true;
		for (size_t k = 0; b->aliases && b->aliases[k]; k++)
			if (!strcmp(a->aliases[i], b->aliases[k]))
				return true;
	}
	return false;
}

static const struct sc_scheme *cmp_scheme;
static int cmp_versions(const void *x, const void *y)
{
	const char *a = *(const char *const *)x, *b = *(const char *const *)y;
	int c = 0;
	struct sc_error e = {0};
	if (sc_version_compare(cmp_scheme, a, b, &c, &e) != SC_OK)
		c = strcmp(a, b);
	sc_error_clear(&e);
	return c;
}

/* The smallest version that the DB says is affected by none of the advisories in m. Candidates
 * are the fixed versions newer than the current one; when a candidate is still affected by one of
 * them (a fix on another release line), the fixed versions of that match join the candidates. At
 * most MAX_FIX_QUERIES lookups; NULL when no single version fixes them all. */
#define MAX_FIX_QUERIES 32

static void add_candidates(const struct sc_scheme *s, bool go, struct sc_arena *tmp, struct sc_ptrvec *cand,
			   const char *const *fixed, const char *above)
{
	for (size_t k = 0; fixed && fixed[k]; k++) {
		int c = 0;
		struct sc_error e = {0};
		/* OSV's Go versions have no "v"; go.mod's (and Go's version order) do */
		const char *f = go && fixed[k][0] != 'v' ? sc_arena_printf(tmp, "v%s", fixed[k]) : fixed[k];
		if (sc_version_compare(s, f, above, &c, &e) == SC_OK && c > 0) {
			bool dup = false;
			for (size_t i = 0; i < cand->len && !dup; i++)
				dup = !strcmp(cand->items[i], f);
			if (!dup)
				sc_ptrvec_push(cand, (void *)f);
		}
		sc_error_clear(&e);
	}
}

static const char *smallest_fix(struct sc_db *db, const struct sc_package *p, const struct sc_vuln_match *m,
				size_t n, struct sc_arena *tmp)
{
	const struct sc_scheme *s = sc_scheme_find(p->ecosystem);
	if (!s)
		return NULL;
	struct sc_ptrvec cand = {0};
	bool go = !strcmp(p->ecosystem, "Go");
	for (size_t i = 0; i < n; i++)
		add_candidates(s, go, tmp, &cand, m[i].fixed, p->version);
	cmp_scheme = s;
	const char *best = NULL, *tried = NULL;
	for (unsigned q = 0; q < MAX_FIX_QUERIES && !best; q++) {
		/* the smallest candidate above the last one tried */
		const char *next = NULL;
		for (size_t i = 0; i < cand.len; i++) {
			const char *c = cand.items[i];
			if (tried && cmp_versions(&c, &tried) <= 0)
				continue;
			if (!next || cmp_versions(&c, &next) < 0)
				next = c;
		}
		if (!next)
			break;
		tried = next;
		const char *qv = next;
		struct sc_vuln_match *mm = NULL;
		size_t nn = 0;
		struct sc_error e = {0};
		if (sc_db_query(db, p->ecosystem, p->name, qv, tmp, &mm, &nn, &e) != SC_OK) {
			sc_error_clear(&e);
			continue;
		}
		bool still = false;
		for (size_t b = 0; b < nn; b++) {
			bool shared = false;
			for (size_t a = 0; a < n && !shared; a++)
				shared = shares_id(&m[a], &mm[b]);
			if (shared) {
				still = true;
				add_candidates(s, go, tmp, &cand, mm[b].fixed, next);
			}
		}
		if (!still)
			best = qv;
	}
	sc_ptrvec_free(&cand);
	return best;
}

static const char *lockfile_hint(const struct sc_package *p)
{
	if (!strcmp(p->ecosystem, "npm"))
		return "an `overrides` entry in package.json (npm), `resolutions` (yarn) or `pnpm.overrides`";
	if (!strcmp(p->ecosystem, "PyPI"))
		return "a pin or constraint in the requirements/lock file";
	if (!strcmp(p->ecosystem, "Packagist"))
		return "`composer update <parent> --with-dependencies` or an explicit require";
	if (!strcmp(p->ecosystem, "Go"))
		return "`go get " "<module>@<version>` followed by `go mod tidy`";
	if (!strcmp(p->ecosystem, "crates.io"))
		return "`cargo update -p <crate> --precise <version>`";
	return "`bundle update <gem>`";
}

static void report_vulnerable(struct sc_scan_ctx *ctx, struct occ *o, struct sc_vuln_match *m, size_t n,
			      struct sc_arena *tmp)
{
	struct sc_result *r = ctx->result;
	struct sc_arena *a = r->arena;
	const struct sc_package *p = o->pkg;
	struct sc_finding *f = sc_result_add_finding(r, &rule_vulnerable);
	f->pkg = sc_package_copy(a, p);
	f->loc.path = f->pkg->path;
	f->loc.line = p->line;
	f->loc.layer = p->layer;
	struct sc_advisory_ref *refs = sc_arena_alloc(a, n * sizeof(*refs));
	enum sc_severity worst = SC_SEV_UNKNOWN;
	struct sc_strbuf msg;
	sc_strbuf_init(&msg, 1u << 20);
	sc_strbuf_printf(&msg, "%s %s (%s) has %zu known vulnerabilit%s: ", p->name, p->version, p->ecosystem, n,
			 n == 1 ? "y" : "ies");
	for (size_t i = 0; i < n; i++) {
		refs[i].id = sc_arena_strdup(a, m[i].id);
		refs[i].aliases = ids_of(a, &m[i]);
		refs[i].fixed = strv_dup(a, m[i].fixed);
		refs[i].url = sc_arena_strdup(a, m[i].url);
		refs[i].summary = sc_arena_strdup(a, m[i].summary);
		refs[i].severity = m[i].severity;
		if (m[i].severity > worst)
			worst = m[i].severity;
		sc_strbuf_printf(&msg, "%s%s", i ? "; " : "", m[i].id);
		if (m[i].aliases && m[i].aliases[0]) {
			sc_strbuf_puts(&msg, " (");
			for (size_t k = 0; m[i].aliases[k]; k++)
				sc_strbuf_printf(&msg, "%s%s", k ? ", " : "", m[i].aliases[k]);
			sc_strbuf_putc(&msg, ')');
		}
		sc_strbuf_printf(&msg, " %s", sc_severity_name(m[i].severity));
		if (m[i].summary && *m[i].summary)
			sc_strbuf_printf(&msg, ": %s", m[i].summary);
		if (m[i].range_desc)
			sc_strbuf_printf(&msg, " [affected: %s]", m[i].range_desc);
	}
	sc_strbuf_putc(&msg, '.');
	f->advisories = refs;
	f->n_advisories = n;
	f->severity = worst;
	f->title = sc_arena_printf(a, "%s %s has %zu known vulnerabilit%s", p->name, p->version, n,
				   n == 1 ? "y" : "ies");
	f->message = sc_arena_strdup(a, sc_strbuf_str(&msg));

	const char *fix = ctx->db ? smallest_fix(ctx->db, p, m, n, tmp) : NULL;
	struct sc_strbuf rem;
	sc_strbuf_init(&rem, 1u << 20);
	if (fix)
		sc_strbuf_printf(&rem, "Upgrade %s %s \xe2\x86\x92 %s in %s", p->name, p->version, fix, p->path);
	else
		sc_strbuf_printf(&rem, "No single version of %s fixes all of these (fixed versions listed per advisory); "
				       "upgrade %s in %s past every listed fix or replace it",
				 p->name, p->name, p->path);
	if (o->direct || !o->parents.len) {
		sc_strbuf_puts(&rem, o->direct ? " (a direct dependency)." : ".");
	} else {
		sc_strbuf_puts(&rem, ", pulled in by ");
		for (size_t i = 0; i < o->parents.len && i < 3; i++)
			sc_strbuf_printf(&rem, "%s%s", i ? ", by " : "", (const char *)o->parents.items[i]);
		if (o->parents.len > 3)
			sc_strbuf_printf(&rem, " and %zu more", o->parents.len - 3);
		sc_strbuf_printf(&rem, ": upgrade the dependency that pulls it in, or force the version with %s.",
				 lockfile_hint(p));
	}
	f->remediation = sc_arena_strdup(a, sc_strbuf_str(&rem));
	char *content = sc_xasprintf("%s/%s@%s", p->ecosystem, p->name, p->version);
	sc_finding_set_fingerprint(f, p->path, content);
	free(content);
	sc_strbuf_free(&msg);
	sc_strbuf_free(&rem);
}

static void report_unchecked(struct sc_scan_ctx *ctx, const struct sc_package *p)
{
	struct sc_result *r = ctx->result;
	struct sc_arena *a = r->arena;
	struct sc_finding *f = sc_result_add_finding(r, &rule_unchecked);
	f->pkg = sc_package_copy(a, p);
	f->loc.path = f->pkg->path;
	f->loc.line = p->line;
	f->loc.layer = p->layer;
	const char *spec = p->spec ? p->spec : "(no version)";
	f->severity = SC_SEV_LOW;
	f->title = sc_arena_printf(a, "%s cannot be checked: not pinned to a registry version", p->name);
	f->message = sc_arena_printf(a,
				     "%s (%s) in %s:%u is `%s`: not an exact version from the package registry, "
				     "so which code gets installed is not known and it cannot be checked against "
				     "advisories.",
				     p->name, p->ecosystem, p->path, p->line, spec);
	const char *how = !strcmp(p->ecosystem, "PyPI")
				  ? " (`==VERSION`, or generate a lockfile with pip-compile, poetry or uv)"
				  : "";
	f->remediation = sc_arena_printf(a,
					 "Pin %s to an exact released version in %s%s; for a git, URL or path "
					 "dependency publish a release to the package registry and depend on that.",
					 p->name, p->path, how);
	char *content = sc_xasprintf("%s/%s %s", p->ecosystem, p->name, spec);
	sc_finding_set_fingerprint(f, p->path, content);
	free(content);
}

/* `deps: {skip: [GLOB, ...]}` in .shipcheck.yml: lockfiles under these paths are not the
 * service's (fixtures, examples, vendored tools). */
static enum sc_status validate_config(const struct sc_policy *p, const struct sc_yaml *y,
				      const struct sc_ynode *section, struct sc_error *err)
{
	if (sc_ynode_type(section) != SC_Y_MAP)
		return sc_policy_node_error(p, section, err, "`deps` must be a mapping (keys: skip)");
	for (size_t i = 0; i < sc_ynode_len(y, section); i++) {
		const struct sc_ynode *k = sc_ymap_key(y, section, i), *v = sc_ymap_value(y, section, i);
		const char *ks = sc_ynode_str(k, NULL);
		if (!ks || strcmp(ks, "skip"))
			return sc_policy_node_error(p, k, err, "unknown key `%s` in `deps` (known: skip)",
						    ks ? ks : "?");
		if (sc_ynode_type(v) != SC_Y_SEQ)
			return sc_policy_node_error(p, v, err, "`deps.skip` must be a list of path globs");
		for (size_t j = 0; j < sc_ynode_len(y, v); j++)
			if (sc_ynode_type(sc_yseq_at(y, v, j)) != SC_Y_SCALAR)
				return sc_policy_node_error(p, sc_yseq_at(y, v, j), err,
							    "`deps.skip` entries must be path globs");
	}
	return SC_OK;
}

/* "a\tb\tc[\td]" in arena a: the dedup and query keys (one per package, so no printf). */
static char *join_key(struct sc_arena *a, const char *p1, const char *p2, const char *p3, const char *p4)
{
	const char *parts[4] = {p1, p2, p3, p4 ? p4 : ""};
	size_t np = p4 ? 4 : 3, len[4], total = 0;
	for (size_t i = 0; i < np; i++)
		total += (len[i] = strlen(parts[i])) + 1;
	char *out = sc_arena_alloc(a, total), *o = out;
	for (size_t i = 0; i < np; i++) {
		memcpy(o, parts[i], len[i]);
		o += len[i];
		*o++ = i + 1 < np ? '\t' : '\0';
	}
	return out;
}

/* Names with advisories per ecosystem (sc_db_affected_names), loaded once an ecosystem has
 * NAMES_MIN packages to match; NULL when not loaded or too many names. */
#define NAMES_MIN 64
#define NAMES_PER_QUERY 8 /* reading a name costs about 1/8 of a query: give up past that */

/* True when the DB can have no advisory for p: its name is not in the ecosystem's set. A version
 * the scheme rejects is never skipped (the query reports it). */
static bool surely_unaffected(struct sc_db *db, struct sc_map *sets, struct sc_map *counts, const struct sc_package *p,
			      struct sc_arena *tmp)
{
	uintptr_t n = (uintptr_t)sc_map_get(counts, p->ecosystem);
	const struct sc_scheme *s = sc_scheme_find(p->ecosystem);
	if (n < NAMES_MIN || !s)
		return false;
	struct sc_map *set = sc_map_get(sets, p->ecosystem);
	if (!set) {
		struct sc_map *loaded = NULL;
		struct sc_error e = {0};
		if (sc_db_affected_names(db, p->ecosystem, (size_t)n * NAMES_PER_QUERY, tmp, &loaded, &e) != SC_OK)
			loaded = NULL;
		sc_error_clear(&e);
		/* (void *)1 marks "tried, not usable" */
		sc_map_put(sets, p->ecosystem, loaded ? (void *)loaded : (void *)1);
		set = loaded;
	}
	if ((void *)set == (void *)1 || !set || sc_map_get(set, sc_db_normalize_name(tmp, p->ecosystem, p->name)))
		return false;
	/* what sc_db_query checks before it looks: the version must be one the scheme reads */
	const char *v = p->version;
	if (!strcmp(p->ecosystem, "Go") && v[0] != 'v')
		v = sc_arena_printf(tmp, "v%s", v);
	struct sc_error e = {0};
	bool valid = s->validate(v, strlen(v), &e) == SC_OK;
	sc_error_clear(&e);
	return valid;
}

static bool skipped(const struct sc_policy *pol, const char *path)
{
	const struct sc_yaml *y = sc_policy_yaml(pol);
	const struct sc_ynode *skip = sc_ymap_get(y, sc_policy_section(pol, "deps"), "skip");
	for (size_t j = 0; path && j < sc_ynode_len(y, skip); j++) {
		const char *g = sc_ynode_str(sc_yseq_at(y, skip, j), NULL);
		if (g && sc_glob_match(g, path))
			return true;
	}
	return false;
}

static enum sc_status run(struct sc_scan_ctx *ctx, struct sc_error *err)
{
	(void)err;
	struct sc_inventory *inv = ctx->repo_inv;
	struct sc_result *r = ctx->result;
	if (!inv)
		return SC_OK;
	bool include_dev = ctx->opts->include_dev;
	bool want_vuln = sc_policy_rule_enabled(ctx->policy, &rule_vulnerable);
	bool want_unchecked = sc_policy_rule_enabled(ctx->policy, &rule_unchecked);
	struct sc_map *seen = sc_map_new();
	struct sc_map *parent_seen = sc_map_new(); /* occurrence key + "\n" + parent */
	struct sc_map *eco_counts = sc_map_new(); /* ecosystem -> packages to match */
	struct sc_map *eco_names = sc_map_new();  /* ecosystem -> sc_db_affected_names set */
	struct sc_ptrvec occs = {0};
	struct sc_arena *tmp = sc_arena_new();
	size_t dev_skipped = 0, total = 0;
	for (size_t i = 0; i < inv->packages.len; i++) {
		const struct sc_package *p = inv->packages.items[i];
		if ((p->flags & (SC_PKG_OS | SC_PKG_ROOT)) || !language_ecosystem(p->ecosystem) ||
		    skipped(ctx->policy, p->path))
			continue;
		if ((p->flags & SC_PKG_DEV) && !include_dev) {
			dev_skipped++;
			continue;
		}
		total++;
		if ((p->flags & SC_PKG_UNPINNED) || !p->version || !*p->version) {
			if (want_unchecked)
				report_unchecked(ctx, p);
			continue;
		}
		char *key = join_key(tmp, p->ecosystem, p->name, p->version, p->path ? p->path : "");
		struct occ *o = sc_map_get(seen, key);
		if (!o) {
			o = sc_arena_alloc(tmp, sizeof(*o));
			o->pkg = p;
			sc_map_put(seen, key, o);
			sc_ptrvec_push(&occs, o);
			sc_map_put(eco_counts, p->ecosystem, (void *)((uintptr_t)sc_map_get(eco_counts, p->ecosystem) + 1));
		}
		if (p->flags & SC_PKG_DIRECT)
			o->direct = true;
		/* each parent once, found in a map: a package pulled in by 20,000 others was quadratic */
		if (p->parent && !sc_map_put(parent_seen, sc_arena_printf(tmp, "%s\n%s", key, p->parent), o))
			sc_ptrvec_push(&o->parents, (void *)p->parent);
	}
	if (dev_skipped)
		sc_result_add_warning(r, NULL, 0, 0,
				      "deps: %zu development dependenc%s not checked (production only, like "
				      "`npm audit --omit=dev`; --include-dev checks them)",
				      dev_skipped, dev_skipped == 1 ? "y was" : "ies were");
	if (!ctx->db) {
		if (want_vuln)
			sc_scan_warn_no_db(ctx, "deps", occs.len, occs.len == 1 ? "dependency was" : "dependencies were");
		goto out;
	}
	if (!want_vuln)
		goto out;
	/* one DB query per distinct (ecosystem, name, version) */
	struct sc_map *cache = sc_map_new();
	struct sc_map *eco_errors = sc_map_new();
	for (size_t i = 0; i < occs.len; i++) {
		struct occ *o = occs.items[i];
		const struct sc_package *p = o->pkg;
		char *qk = join_key(tmp, p->ecosystem, p->name, p->version, NULL);
		struct cached {
			struct sc_vuln_match *m;
			size_t n;
		} *c = sc_map_get(cache, qk);
		if (!c) {
			c = sc_arena_alloc(tmp, sizeof(*c));
			struct sc_error qe = {0};
			if (surely_unaffected(ctx->db, eco_names, eco_counts, p, tmp)) {
				c->n = 0;
			} else if (sc_db_query(ctx->db, p->ecosystem, p->name, p->version, tmp, &c->m, &c->n, &qe) !=
				   SC_OK) {
				c->n = 0;
				if (qe.status == SC_EDB) {
					sc_result_add_warning(r, p->path, p->line, 0, "deps: database query failed: %s",
							      qe.msg ? qe.msg : "error");
				} else if (!sc_scheme_find(p->ecosystem) && !sc_map_get(eco_errors, p->ecosystem)) {
					sc_map_put(eco_errors, p->ecosystem, (void *)1);
					sc_result_add_warning(r, p->path, p->line, 0,
							      "deps: %s packages cannot be matched: %s",
							      p->ecosystem, qe.msg ? qe.msg : "error");
				} else if (sc_scheme_find(p->ecosystem)) {
					sc_result_add_warning(r, p->path, p->line, 0, "deps: %s %s: %s", p->name,
							      p->version, qe.msg ? qe.msg : "cannot be matched");
				}
			}
			sc_error_clear(&qe);
			sc_map_put(cache, qk, c);
		}
		if (c->n)
			report_vulnerable(ctx, o, c->m, c->n, tmp);
	}
	sc_map_free(cache);
	sc_map_free(eco_errors);
out:
	(void)total;
	for (size_t i = 0; i < occs.len; i++)
		sc_ptrvec_free(&((struct occ *)occs.items[i])->parents);
	sc_ptrvec_free(&occs);
	sc_map_free(seen);
	sc_map_free(parent_seen);
	sc_map_free(eco_counts);
	{
		size_t it = 0;
		const char *k;
		void *v;
		while (sc_map_next(eco_names, &it, &k, &v))
			if (v != (void *)1)
				sc_map_free(v);
	}
	sc_map_free(eco_names);
	sc_arena_free(tmp);
	return SC_OK;
}

const struct sc_check sc_check_deps = {
	.name = "deps",
	.title = "Code dependencies with known vulnerabilities",
	.flags = SC_CHECK_REPO | SC_CHECK_DB | SC_CHECK_INVENTORY,
	.rules = rules,
	.n_rules = sizeof(rules) / sizeof(rules[0]),
	.run = run,
	.validate_config = validate_config,
};
