/* vulns.c - the "vulns" check: OS packages of an image matched against the vulnerability DB
 * (Debian/Ubuntu by source package, Alpine by origin, RPM by source RPM), each finding attributed
 * to the layer and instruction that brought the package and split into "owned by the base image"
 * vs "introduced by your Dockerfile"; plus end-of-life distribution releases (a dated table). */
#include "shipcheck/sc_db.h"
#include "shipcheck/sc_image.h"
#include "shipcheck/sc_policy.h"
#include "shipcheck/sc_scan.h"
#include "shipcheck/sc_yaml.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

static const struct sc_rule rule_vuln = {
	.id = "SC-VULN-001",
	.name = "vulnerable-os-package",
	.check = "vulns",
	.severity = SC_SEV_HIGH,
	.title = "OS package with a known vulnerability",
};

static const struct sc_rule rule_eol = {
	.id = "SC-VULN-002",
	.name = "eol-distribution",
	.check = "vulns",
	.severity = SC_SEV_HIGH,
	.title = "End-of-life distribution release: no more security fixes",
};

static const struct sc_rule *const rules[] = {&rule_vuln, &rule_eol};

/* End of security support, including LTS where the distribution runs it. Sources, checked
 * 2026-11-29: Debian https://wiki.debian.org/LTS and https://www.debian.org/releases/ ;
 * Ubuntu https://ubuntu.com/about/release-cycle (end of standard security maintenance);
 * Alpine https://alpinelinux.org/releases/ (end of support of the main repository). */
static const struct {
	const char *id, *version, *name, *eol;
} eol_table[] = {
	{"debian", "8", "Debian 8 (jessie)", "2020-06-30"},
	{"debian", "9", "Debian 9 (stretch)", "2022-06-30"},
	{"debian", "10", "Debian 10 (buster)", "2024-06-30"},
	{"debian", "11", "Debian 11 (bullseye)", "2026-08-31"},
	{"debian", "12", "Debian 12 (bookworm)", "2028-06-30"},
	{"ubuntu", "18.04", "Ubuntu 18.04 LTS", "2023-05-31"},
	{"ubuntu", "20.04", "Ubuntu 20.04 LTS", "2025-05-31"},
	{"ubuntu", "22.04", "Ubuntu 22.04 LTS", "2027-06-01"},
	{"ubuntu", "24.04", "Ubuntu 24.04 LTS", "2029-05-31"},
	{"alpine", "3.15", "Alpine 3.15", "2023-11-01"},
	{"alpine", "3.16", "Alpine 3.16", "2024-05-23"},
	{"alpine", "3.17", "Alpine 3.17", "2024-11-22"},
	{"alpine", "3.18", "Alpine 3.18", "2025-05-09"},
	{"alpine", "3.19", "Alpine 3.19", "2025-11-01"},
	{"alpine", "3.20", "Alpine 3.20", "2026-04-01"},
	{"alpine", "3.21", "Alpine 3.21", "2026-11-01"},
	{"alpine", "3.22", "Alpine 3.22", "2027-05-01"},
};

/* The release key of a version for the table: Debian "12.4" -> "12", Alpine "3.19.1" -> "3.19". */
static bool release_matches(const char *id, const char *table_ver, const char *ver)
{
	size_t n = strlen(table_ver);
	if (strncmp(ver, table_ver, n) != 0)
		return false;
	if (ver[n] == '\0')
		return true;
	return ver[n] == '.' && (!strcmp(id, "debian") || !strcmp(id, "alpine"));
}

static void check_eol(struct sc_scan_ctx *ctx)
{
	const struct sc_inventory *inv = ctx->image_inv;
	if (!inv || !inv->os_id || !inv->os_version)
		return;
	for (size_t i = 0; i < sizeof(eol_table) / sizeof(eol_table[0]); i++) {
		if (strcmp(eol_table[i].id, inv->os_id) != 0 ||
		    !release_matches(inv->os_id, eol_table[i].version, inv->os_version))
			continue;
		int64_t eol = 0;
		if (!sc_date_parse(eol_table[i].eol, &eol) || sc_date_today() < eol)
			return;
		struct sc_result *r = ctx->result;
		struct sc_finding *f = sc_result_add_finding(r, &rule_eol);
		f->message = sc_arena_printf(r->arena,
					     "The image is based on %s, whose security support ended on %s: new "
					     "vulnerabilities in its packages are no longer fixed.",
					     eol_table[i].name, eol_table[i].eol);
		f->remediation = sc_arena_printf(r->arena,
						 "Rebuild on a supported release (change the FROM line of the "
						 "Dockerfile to a current %s release) and test the service on it.",
						 inv->os_id);
		f->loc.path = "etc/os-release";
		f->attribution = "base";
		sc_finding_set_fingerprint(f, "image:os", eol_table[i].name);
		return;
	}
}

/* ---- attribution ---- */

/* Number of leading layers that belong to the base image; 0 when unknown. */
size_t sc_image_base_layers(struct sc_scan_ctx *ctx, const char **base_name)
{
	const struct sc_image *img = ctx->image;
	*base_name = img ? img->base_name : NULL;
	if (!img || !img->n_layers)
		return 0;
	const char *base = ctx->opts->base_image;
	long policy_layers = 0;
	const struct sc_yaml *y = sc_policy_yaml(ctx->policy);
	const struct sc_ynode *sec = sc_policy_section(ctx->policy, "vulns");
	if (!base && sec) {
		base = sc_ymap_str(y, sec, "base_image");
		const char *n = sc_ymap_str(y, sec, "base_layers");
		if (n)
			policy_layers = strtol(n, NULL, 10);
	}
	if (policy_layers > 0)
		return (size_t)policy_layers <= img->n_layers ? (size_t)policy_layers : img->n_layers;
	bool from_annotation = false;
	if (!base && img->base_digest && strcmp(img->kind, "docker-archive") != 0) {
		/* org.opencontainers.image.base.digest: the base image may sit in the same layout */
		base = sc_arena_printf(ctx->result->arena, "%s:%s", img->path, img->base_digest);
		from_annotation = true;
	}
	if (!base)
		return 0;
	struct sc_image_options o;
	sc_image_options_init(&o);
	o.plan_only = true;
	o.platform = ctx->opts->platform;
	struct sc_image *b = NULL;
	struct sc_error err = {0};
	size_t n = 0;
	if (sc_image_open(base, &o, &b, &err) != SC_OK) {
		if (!from_annotation)
			sc_result_add_warning(ctx->result, base, 0, 0, "base image: %s", err.msg);
	} else if (b->n_layers > img->n_layers) {
		sc_result_add_warning(ctx->result, base, 0, 0,
				      "the base image has more layers than the image; not its base");
	} else {
		n = b->n_layers;
		for (size_t i = 0; i < b->n_layers; i++) {
			if (strcmp(b->layers[i].diff_id, img->layers[i].diff_id) != 0) {
				sc_result_add_warning(ctx->result, base, 0, 0,
						      "the base image's layers are not a prefix of the image's "
						      "(layer %zu differs): findings are not split", i + 1);
				n = 0;
				break;
			}
		}
		if (n && !*base_name)
			*base_name = sc_arena_strdup(ctx->result->arena, b->repo_tags && b->repo_tags[0] ? b->repo_tags[0] : base);
	}
	sc_error_clear(&err);
	sc_image_free(b);
	return n;
}

/* "RUN /bin/sh -c apt-get install x # buildkit" -> "apt-get install x"; whitespace collapsed. */
static char *normalise_instr(const char *s)
{
	char *out = sc_xmalloc(strlen(s) + 1);
	size_t o = 0;
	static const char *const prefixes[] = {"RUN ", "|", "/bin/sh -c ", "#(nop) ", NULL};
	for (bool again = true; again;) {
		again = false;
		while (isspace((unsigned char)*s))
			s++;
		for (size_t i = 0; prefixes[i]; i++) {
			size_t n = strlen(prefixes[i]);
			if (strncmp(s, prefixes[i], n) != 0)
				continue;
			s += n;
			if (prefixes[i][0] == '|') { /* buildkit "|2 A=1 B=2 cmd": skip the count and the args */
				while (*s && !isspace((unsigned char)*s))
					s++;
				while (*s == ' ' && strchr(s + 1, '=') && strchr(s + 1, ' ') && strchr(s + 1, '=') < strchr(s + 1, ' ')) {
					s++;
					while (*s && *s != ' ')
						s++;
				}
			}
			again = true;
		}
	}
	bool sp = false;
	for (; *s; s++) {
		if (isspace((unsigned char)*s) || *s == '\\') {
			sp = o > 0;
			continue;
		}
		if (sp)
			out[o++] = ' ';
		sp = false;
		out[o++] = *s;
	}
	out[o] = '\0';
	char *bk = strstr(out, " # buildkit");
	if (bk && !bk[11])
		*bk = '\0';
	return out;
}

/* The Dockerfile line of the repository whose instruction made the layer (created_by), 0 when not found. */
static unsigned dockerfile_line(struct sc_scan_ctx *ctx, const char *created_by, const char **file)
{
	if (!ctx->repo || !created_by)
		return 0;
	static const char *const names[] = {"Dockerfile", "Containerfile", NULL};
	for (size_t k = 0; names[k]; k++) {
		if (!sc_fs_find(ctx->repo, names[k]))
			continue;
		char *data = NULL;
		size_t len = 0;
		struct sc_error err = {0};
		if (sc_fs_read(ctx->repo, names[k], 4u << 20, &data, &len, &err) != SC_OK) {
			sc_error_clear(&err);
			continue;
		}
		char *want = normalise_instr(created_by);
		unsigned found = 0, line = 1;
		for (char *p = data; *p && !found;) {
			/* one instruction with its continuation lines */
			unsigned start = line;
			struct sc_strbuf ins;
			sc_strbuf_init(&ins, 1 << 20);
			for (;;) {
				char *nl = strchr(p, '\n');
				size_t n = nl ? (size_t)(nl - p) : strlen(p);
				sc_strbuf_append(&ins, p, n);
				sc_strbuf_putc(&ins, ' ');
				bool cont = n && (p[n - 1] == '\\' || (n > 1 && p[n - 1] == '\r' && p[n - 2] == '\\'));
				p = nl ? nl + 1 : p + n;
				line++;
				if (!cont || !nl)
					break;
			}
			const char *text = sc_strbuf_str(&ins);
			while (isspace((unsigned char)*text))
				text++;
			if (*text && *text != '#') {
				char *have = normalise_instr(text);
				if (*have && (!strcmp(have, want) || (strlen(have) > 8 && strstr(want, have))))
					found = start;
				free(have);
			}
			sc_strbuf_free(&ins);
		}
		free(want);
		free(data);
		if (found) {
			*file = names[k];
			return found;
		}
	}
	return 0;
}

/* ---- matching ---- */

static const char *const *dup_list(struct sc_arena *a, const char *const *v)
{
	size_t n = 0;
	while (v && v[n])
		n++;
	const char **out = sc_arena_alloc(a, (n + 1) * sizeof(*out));
	for (size_t i = 0; i < n; i++)
		out[i] = sc_arena_strdup(a, v[i]);
	return out;
}

static enum sc_status run(struct sc_scan_ctx *ctx, struct sc_error *err)
{
	struct sc_result *r = ctx->result;
	check_eol(ctx);
	if (!ctx->image_inv)
		return SC_OK;
	if (!ctx->db) {
		size_t os = 0;
		for (size_t i = 0; i < ctx->image_inv->packages.len; i++)
			os += (((const struct sc_package *)ctx->image_inv->packages.items[i])->flags & SC_PKG_OS) != 0;
		sc_scan_warn_no_db(ctx, "vulns", os, os == 1 ? "OS package was" : "OS packages were");
		return SC_OK;
	}
	const char *base_name = ctx->base_name;
	size_t base_layers = ctx->base_layers;
	bool ignore_unfixed = ctx->opts->ignore_unfixed;
	const struct sc_ynode *sec = sc_policy_section(ctx->policy, "vulns");
	if (sec) {
		const char *v = sc_ymap_str(sc_policy_yaml(ctx->policy), sec, "ignore_unfixed");
		if (v && !strcmp(v, "true"))
			ignore_unfixed = true;
	}
	struct sc_arena *qa = sc_arena_new();
	enum sc_status st = SC_OK;
	for (size_t i = 0; i < ctx->image_inv->packages.len; i++) {
		const struct sc_package *inv_pkg = ctx->image_inv->packages.items[i];
		if (!(inv_pkg->flags & SC_PKG_OS) || !inv_pkg->version || !strchr(inv_pkg->ecosystem, ':'))
			continue;
		/* Debian/Ubuntu advisories name source packages; Alpine's name origins */
		const char *qname = inv_pkg->source_name ? inv_pkg->source_name : inv_pkg->name;
		const char *qver = inv_pkg->source_version ? inv_pkg->source_version : inv_pkg->version;
		struct sc_vuln_match *m = NULL;
		size_t n = 0;
		struct sc_error qerr = {0};
		st = sc_db_query(ctx->db, inv_pkg->ecosystem, qname, qver, qa, &m, &n, &qerr);
		if (st == SC_EINPUT) { /* no version scheme for this ecosystem: say so once per package */
			sc_result_add_warning(r, inv_pkg->path, 0, 0, "vulns: %s", qerr.msg);
			sc_error_clear(&qerr);
			st = SC_OK;
			continue;
		}
		if (st != SC_OK) {
			sc_error_reset(err, st, qerr.file, qerr.line, qerr.col, "%s", qerr.msg ? qerr.msg : "query failed");
			sc_error_clear(&qerr);
			break;
		}
		const struct sc_package *pkg = NULL;
		for (size_t k = 0; k < n; k++) {
			bool unfixed = !m[k].fixed || !m[k].fixed[0];
			if (unfixed && ignore_unfixed)
				continue;
			if (!pkg)
				pkg = sc_package_copy(r->arena, inv_pkg);
			struct sc_finding *f = sc_result_add_finding(r, &rule_vuln);
			f->severity = m[k].severity;
			f->title = sc_arena_printf(r->arena, "%s %s: %s", pkg->name, pkg->version, m[k].id);
			f->pkg = pkg;
			struct sc_advisory_ref *ad = sc_arena_alloc(r->arena, sizeof(*ad));
			ad->id = sc_arena_strdup(r->arena, m[k].id);
			ad->aliases = dup_list(r->arena, m[k].aliases);
			ad->fixed = dup_list(r->arena, m[k].fixed);
			ad->url = sc_arena_strdup(r->arena, m[k].url);
			ad->summary = sc_arena_strdup(r->arena, m[k].summary);
			ad->severity = m[k].severity;
			f->advisories = ad;
			f->n_advisories = 1;
			const char *fixed = unfixed ? NULL : m[k].fixed[0];
			const char *src = inv_pkg->source_name || inv_pkg->source_version
						  ? sc_arena_printf(r->arena, " (source package %s %s)", qname, qver)
						  : "";
			f->message = sc_arena_printf(r->arena, "%s %s%s in %s is affected by %s%s%s. %s", pkg->name,
						     pkg->version, src, pkg->ecosystem, m[k].id,
						     m[k].summary ? ": " : "", m[k].summary ? m[k].summary : "",
						     fixed ? sc_arena_printf(r->arena, "Fixed in %s.", fixed)
							   : "No fix yet.");
			int layer = pkg->layer;
			const char *created_by = layer > 0 && (size_t)layer <= r->n_layers ? r->layers[layer - 1].created_by : NULL;
			f->loc.path = pkg->path;
			f->loc.layer = layer;
			f->loc.layer_digest = layer > 0 && (size_t)layer <= r->n_layers ? r->layers[layer - 1].digest : NULL;
			f->loc.created_by = created_by;
			const char *fix = fixed ? sc_arena_printf(r->arena, "%s %s", pkg->name, fixed)
						: "a version with a fix (none is published yet: watch the advisory)";
			if (base_layers && layer > 0 && (size_t)layer <= base_layers) {
				f->attribution = "base";
				f->remediation = sc_arena_printf(
					r->arena,
					"Owned by the base image%s%s%s (layer %d: %s). Rebuild on a current base image "
					"that ships %s; do not patch it in your Dockerfile or in running containers.",
					base_name ? " `" : "", base_name ? base_name : "", base_name ? "`" : "", layer,
					created_by ? created_by : "?", fix);
			} else if (base_layers && layer > 0) {
				const char *df = NULL;
				unsigned line = dockerfile_line(ctx, created_by, &df);
				f->attribution = "dockerfile";
				f->remediation = sc_arena_printf(
					r->arena,
					"Introduced by your Dockerfile%s (layer %d: %s). Upgrade here to %s (e.g. pin "
					"the version in the install command), or drop the package if it is not needed.",
					line ? sc_arena_printf(r->arena, " at %s:%u", df, line) : "", layer,
					created_by ? created_by : "?", fix);
			} else {
				const char *df = NULL;
				unsigned line = dockerfile_line(ctx, created_by, &df);
				f->remediation = sc_arena_printf(
					r->arena,
					"Brought in by layer %d (%s)%s. Get %s: rebuild on a current base image if "
					"that layer is the base image's, else upgrade it in the Dockerfile instruction "
					"that installs it. Pass --base-image to tell them apart.",
					layer, created_by ? created_by : "?",
					line ? sc_arena_printf(r->arena, ", Dockerfile %s:%u", df, line) : "", fix);
			}
			char *key = sc_arena_printf(r->arena, "image:%s:%s", pkg->name, pkg->path ? pkg->path : "");
			char *content = sc_arena_printf(r->arena, "%s %s", m[k].id, pkg->version);
			sc_finding_set_fingerprint(f, key, content);
		}
	}
	sc_arena_free(qa);
	return st;
}

static enum sc_status validate(const struct sc_policy *p, const struct sc_yaml *y, const struct sc_ynode *section,
			       struct sc_error *err)
{
	if (sc_ynode_type(section) != SC_Y_MAP)
		return sc_policy_node_error(p, section, err, "vulns: expected a mapping");
	for (size_t i = 0; i < sc_ynode_len(y, section); i++) {
		const struct sc_ynode *k = sc_ymap_key(y, section, i);
		const struct sc_ynode *v = sc_ymap_value(y, section, i);
		const char *key = sc_ynode_str(k, NULL);
		const char *val = sc_ynode_str(v, NULL);
		if (!key)
			return sc_policy_node_error(p, k, err, "vulns: keys must be strings");
		if (!strcmp(key, "base_image")) {
			if (!val || !*val)
				return sc_policy_node_error(p, v, err, "vulns.base_image: expected a path");
		} else if (!strcmp(key, "base_layers")) {
			char *end = NULL;
			long n = val ? strtol(val, &end, 10) : 0;
			if (!val || *end || n < 1 || n > 512)
				return sc_policy_node_error(p, v, err, "vulns.base_layers: expected a layer count (1-512)");
		} else if (!strcmp(key, "ignore_unfixed")) {
			if (!val || (strcmp(val, "true") && strcmp(val, "false")))
				return sc_policy_node_error(p, v, err, "vulns.ignore_unfixed: expected true or false");
		} else {
			return sc_policy_node_error(p, k, err,
						    "vulns: unknown key `%s` (expected base_image, base_layers, ignore_unfixed)", key);
		}
	}
	return SC_OK;
}

const struct sc_check sc_check_vulns = {
	.name = "vulns",
	.title = "Vulnerable OS packages in the image",
	.flags = SC_CHECK_IMAGE | SC_CHECK_DB,
	.rules = rules,
	.n_rules = sizeof(rules) / sizeof(rules[0]),
	.run = run,
	.validate_config = validate,
};
