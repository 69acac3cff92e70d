/* json.c - the versioned JSON report (schema "shipcheck/report" version 1, docs/json-schema.md). */
#include "report_impl.h"

#include <stdlib.h>
#include <string.h>

static void set_str(json_t *o, const char *k, const char *v)
{
	if (v)
		json_object_set_new(o, k, sc_json_str(v));
}

static json_t *str_array(const char *const *v)
{
	json_t *a = json_array();
	for (size_t i = 0; v && v[i]; i++)
		json_array_append_new(a, sc_json_str(v[i]));
	return a;
}

static json_t *package_json(const struct sc_package *p)
{
	json_t *o = json_object();
	set_str(o, "ecosystem", p->ecosystem);
	set_str(o, "name", p->name);
	set_str(o, "version", p->version);
	set_str(o, "source_name", p->source_name);
	set_str(o, "source_version", p->source_version);
	set_str(o, "arch", p->arch);
	set_str(o, "purl", p->purl);
	set_str(o, "path", p->path);
	if (p->line)
		json_object_set_new(o, "line", json_integer(p->line));
	if (p->layer)
		json_object_set_new(o, "layer", json_integer(p->layer));
	set_str(o, "parent", p->parent);
	set_str(o, "spec", p->spec);
	if (p->flags & SC_PKG_DIRECT)
		json_object_set_new(o, "direct", json_true());
	if (p->flags & SC_PKG_DEV)
		json_object_set_new(o, "dev", json_true());
	if (p->flags & SC_PKG_OPTIONAL)
		json_object_set_new(o, "optional", json_true());
	if (p->flags & SC_PKG_UNPINNED)
		json_object_set_new(o, "unpinned", json_true());
	if (p->flags & SC_PKG_ROOT)
		json_object_set_new(o, "root", json_true());
	return o;
}

static json_t *finding_json(const struct sc_finding *f)
{
	json_t *o = json_object();
	set_str(o, "rule", f->rule->id);
	set_str(o, "name", f->rule->name);
	set_str(o, "check", f->rule->check);
	set_str(o, "severity", sc_severity_name(f->severity));
	set_str(o, "title", f->title ? f->title : f->rule->title);
	set_str(o, "message", f->message);
	set_str(o, "remediation", f->remediation);
	if (f->loc.path || f->loc.layer) {
		json_t *l = json_object();
		set_str(l, "path", f->loc.path);
		if (f->loc.line)
			json_object_set_new(l, "line", json_integer(f->loc.line));
		if (f->loc.col)
			json_object_set_new(l, "column", json_integer(f->loc.col));
		if (f->loc.end_line)
			json_object_set_new(l, "end_line", json_integer(f->loc.end_line));
		if (f->loc.layer)
			json_object_set_new(l, "layer", json_integer(f->loc.layer));
		set_str(l, "layer_digest", f->loc.layer_digest);
		set_str(l, "created_by", f->loc.created_by);
		json_object_set_new(o, "location", l);
	}
	if (f->pkg)
		json_object_set_new(o, "package", package_json(f->pkg));
	if (f->n_advisories) {
		json_t *a = json_array();
		for (size_t i = 0; i < f->n_advisories; i++) {
			const struct sc_advisory_ref *ad = &f->advisories[i];
			json_t *x = json_object();
			set_str(x, "id", ad->id);
			json_object_set_new(x, "aliases", str_array(ad->aliases));
			json_object_set_new(x, "fixed", str_array(ad->fixed));
			set_str(x, "severity", sc_severity_name(ad->severity));
			set_str(x, "summary", ad->summary);
			set_str(x, "url", ad->url);
			json_array_append_new(a, x);
		}
		json_object_set_new(o, "advisories", a);
	}
	if (f->rule->equivalents && f->rule->equivalents[0])
		json_object_set_new(o, "equivalents", str_array(f->rule->equivalents));
	set_str(o, "evidence", f->snippet_redacted);
	set_str(o, "attribution", f->attribution);
	set_str(o, "fingerprint", f->fingerprint);
	json_object_set_new(o, "suppressed", json_boolean(f->suppressed));
	if (f->suppressed) {
		json_t *s = json_object();
		set_str(s, "reason", f->suppression_reason);
		set_str(s, "source", f->suppression_source);
		set_str(s, "expires", f->suppression_expires);
		json_object_set_new(o, "suppression", s);
	}
	return o;
}

json_t *sc_report_summary_json(const struct sc_result *r)
{
	json_t *sum = json_object();
	json_t *bysev = json_object();
	for (int s = SC_SEV_CRITICAL; s >= SC_SEV_UNKNOWN; s--)
		json_object_set_new(bysev, sc_severity_name((enum sc_severity)s), json_integer((json_int_t)r->by_severity[s]));
	json_object_set_new(sum, "by_severity", bysev);
	json_t *bycheck = json_object();
	for (size_t i = 0; i < r->checks_run.len; i++)
		json_object_set_new(bycheck, r->checks_run.items[i], json_integer(0));
	for (size_t i = 0; i < r->findings.len; i++) {
		const struct sc_finding *f = r->findings.items[i];
		if (f->suppressed)
			continue;
		json_t *n = json_object_get(bycheck, f->rule->check);
		json_object_set_new(bycheck, f->rule->check, json_integer(n ? json_integer_value(n) + 1 : 1));
	}
	json_object_set_new(sum, "by_check", bycheck);
	json_object_set_new(sum, "suppressed", json_integer((json_int_t)r->suppressed_count));
	json_object_set_new(sum, "failed", json_boolean(r->failed));
	set_str(sum, "fail_on", r->fail_none ? "none" : sc_severity_name(r->fail_on));
	json_object_set_new(sum, "include_dev", json_boolean(r->include_dev));
	return sum;
}

json_t *sc_report_json(const struct sc_result *r)
{
	json_t *root = json_object();
	set_str(root, "schema", "shipcheck/report");
	json_object_set_new(root, "version", json_integer(1));
	json_t *tool = json_object();
	set_str(tool, "name", "shipcheck");
	set_str(tool, "version", sc_tool_version());
	json_object_set_new(root, "tool", tool);

	json_t *t = json_object();
	set_str(t, "kind", r->target_kind);
	set_str(t, "path", r->target_path);
	set_str(t, "service", r->service);
	set_str(t, "commit", r->commit);
	if (r->image_digest || r->n_layers || r->os) {
		json_t *img = json_object();
		set_str(img, "digest", r->image_digest);
		set_str(img, "os", r->os);
		json_t *layers = json_array();
		for (size_t i = 0; i < r->n_layers; i++) {
			json_t *l = json_object();
			set_str(l, "digest", r->layers[i].digest);
			set_str(l, "diff_id", r->layers[i].diff_id);
			set_str(l, "created_by", r->layers[i].created_by);
			if (r->layers[i].size)
				json_object_set_new(l, "size", json_integer((json_int_t)r->layers[i].size));
			json_array_append_new(layers, l);
		}
		json_object_set_new(img, "layers", layers);
		json_object_set_new(t, "image", img);
	}
	json_object_set_new(root, "target", t);

	if (r->db_path) {
		json_t *db = json_object();
		set_str(db, "path", r->db_path);
		set_str(db, "built_at", r->db_built_at);
		set_str(db, "digest", r->db_digest);
		json_object_set_new(db, "sources", str_array(r->db_sources));
		json_object_set_new(root, "db", db);
	}

	json_t *sum = sc_report_summary_json(r);
	json_object_set_new(root, "summary", sum);

	json_t *fs = json_array();
	for (size_t i = 0; i < r->findings.len; i++)
		json_array_append_new(fs, finding_json(r->findings.items[i]));
	json_object_set_new(root, "findings", fs);

	if (r->packages.len) {
		json_t *ps = json_array();
		for (size_t i = 0; i < r->packages.len; i++)
			json_array_append_new(ps, package_json(r->packages.items[i]));
		json_object_set_new(root, "packages", ps);
	}

	json_t *ws = json_array();
	for (size_t i = 0; i < r->warnings.len; i++) {
		const struct sc_warning *w = r->warnings.items[i];
		json_t *o = json_object();
		set_str(o, "path", w->path);
		if (w->line)
			json_object_set_new(o, "line", json_integer(w->line));
		if (w->col)
			json_object_set_new(o, "column", json_integer(w->col));
		set_str(o, "message", w->message);
		json_array_append_new(ws, o);
	}
	json_object_set_new(root, "warnings", ws);
	return root;
}

/* ---- the streaming writer (jw.c) ----
 * The json reporter writes the document directly instead of building a jansson tree and dumping it
 * (that cost ~100k instructions per finding: 40% of `shipcheck dockerfile -f json` on a corpus).
 * Its output is byte for byte what json_dumpf(sc_report_json(r), JSON_INDENT(2) |
 * JSON_PRESERVE_ORDER) writes; test_report checks the two against each other. */

static void jw_package(struct sc_jw *w, const char *key, const struct sc_package *p)
{
	sc_jw_open(w, key, '{', true);
	sc_jw_str(w, "ecosystem", p->ecosystem);
	sc_jw_str(w, "name", p->name);
	sc_jw_str(w, "version", p->version);
	sc_jw_str(w, "source_name", p->source_name);
	sc_jw_str(w, "source_version", p->source_version);
	sc_jw_str(w, "arch", p->arch);
	sc_jw_str(w, "purl", p->purl);
	sc_jw_str(w, "path", p->path);
	if (p->line)
		sc_jw_int(w, "line", p->line);
	if (p->layer)
		sc_jw_int(w, "layer", p->layer);
	sc_jw_str(w, "parent", p->parent);
	sc_jw_str(w, "spec", p->spec);
	if (p->flags & SC_PKG_DIRECT)
		sc_jw_bool(w, "direct", true);
	if (p->flags & SC_PKG_DEV)
		sc_jw_bool(w, "dev", true);
	if (p->flags & SC_PKG_OPTIONAL)
		sc_jw_bool(w, "optional", true);
	if (p->flags & SC_PKG_UNPINNED)
		sc_jw_bool(w, "unpinned", true);
	if (p->flags & SC_PKG_ROOT)
		sc_jw_bool(w, "root", true);
	sc_jw_close(w, '}');
}

static void jw_finding(struct sc_jw *w, const struct sc_finding *f)
{
	sc_jw_open(w, NULL, '{', true);
	sc_jw_str(w, "rule", f->rule->id);
	sc_jw_str(w, "name", f->rule->name);
	sc_jw_str(w, "check", f->rule->check);
	sc_jw_str(w, "severity", sc_severity_name(f->severity));
	sc_jw_str(w, "title", f->title ? f->title : f->rule->title);
	sc_jw_str(w, "message", f->message);
	sc_jw_str(w, "remediation", f->remediation);
	if (f->loc.path || f->loc.layer) {
		sc_jw_open(w, "location", '{', true);
		sc_jw_str(w, "path", f->loc.path);
		if (f->loc.line)
			sc_jw_int(w, "line", f->loc.line);
		if (f->loc.col)
			sc_jw_int(w, "column", f->loc.col);
		if (f->loc.end_line)
			sc_jw_int(w, "end_line", f->loc.end_line);
		if (f->loc.layer)
			sc_jw_int(w, "layer", f->loc.layer);
		sc_jw_str(w, "layer_digest", f->loc.layer_digest);
		sc_jw_str(w, "created_by", f->loc.created_by);
		sc_jw_close(w, '}');
	}
	if (f->pkg)
		jw_package(w, "package", f->pkg);
	if (f->n_advisories) {
		sc_jw_open(w, "advisories", '[', true);
		for (size_t i = 0; i < f->n_advisories; i++) {
			const struct sc_advisory_ref *ad = &f->advisories[i];
			sc_jw_open(w, NULL, '{', true);
			sc_jw_str(w, "id", ad->id);
			sc_jw_str_array(w, "aliases", ad->aliases);
			sc_jw_str_array(w, "fixed", ad->fixed);
			sc_jw_str(w, "severity", sc_severity_name(ad->severity));
			sc_jw_str(w, "summary", ad->summary);
			sc_jw_str(w, "url", ad->url);
			sc_jw_close(w, '}');
		}
		sc_jw_close(w, ']');
	}
	if (f->rule->equivalents && f->rule->equivalents[0])
		sc_jw_str_array(w, "equivalents", f->rule->equivalents);
	sc_jw_str(w, "evidence", f->snippet_redacted);
	sc_jw_str(w, "attribution", f->attribution);
	sc_jw_str(w, "fingerprint", f->fingerprint);
	sc_jw_bool(w, "suppressed", f->suppressed);
	if (f->suppressed) {
		sc_jw_open(w, "suppression", '{', true);
		sc_jw_str(w, "reason", f->suppression_reason);
		sc_jw_str(w, "source", f->suppression_source);
		sc_jw_str(w, "expires", f->suppression_expires);
		sc_jw_close(w, '}');
	}
	sc_jw_close(w, '}');
}

/* summary.by_check: every check run (0 when clean) in run order, then checks that only appear in
 * findings, in order of appearance (as json_object_set on a PRESERVE_ORDER object orders them). */
static void jw_by_check(struct sc_jw *w, const struct sc_result *r)
{
	size_t cap = r->checks_run.len + 8, n = 0;
	const char **names = sc_xmalloc(cap * sizeof(*names));
	size_t *counts = sc_xmalloc(cap * sizeof(*counts));
	for (size_t i = 0; i < r->checks_run.len + r->findings.len; i++) {
		const char *name;
		bool count = i >= r->checks_run.len;
		if (count) {
			const struct sc_finding *f = r->findings.items[i - r->checks_run.len];
			if (f->suppressed)
				continue;
			name = f->rule->check;
		} else {
			name = r->checks_run.items[i];
		}
		size_t k = 0;
		while (k < n && strcmp(names[k], name))
			k++;
		if (k == n) {
			if (n == cap) {
				cap *= 2;
				names = sc_xrealloc(names, cap * sizeof(*names));
				counts = sc_xrealloc(counts, cap * sizeof(*counts));
			}
			names[n] = name;
			counts[n++] = 0;
		}
		if (count)
			counts[k]++;
	}
	sc_jw_open(w, "by_check", '{', true);
	for (size_t k = 0; k < n; k++)
		sc_jw_int(w, names[k], (long long)counts[k]);
	sc_jw_close(w, '}');
	free(names);
	free(counts);
}

static enum sc_status write_json(const struct sc_result *r, const struct sc_report_options *o, FILE *out,
				 struct sc_error *err)
{
	(void)o;
	struct sc_jw *w = sc_jw_new(out);
	sc_jw_open(w, NULL, '{', false);
	sc_jw_str(w, "schema", "shipcheck/report");
	sc_jw_int(w, "version", 1);
	sc_jw_open(w, "tool", '{', true);
	sc_jw_str(w, "name", "shipcheck");
	sc_jw_str(w, "version", sc_tool_version());
	sc_jw_close(w, '}');

	sc_jw_open(w, "target", '{', true);
	sc_jw_str(w, "kind", r->target_kind);
	sc_jw_str(w, "path", r->target_path);
	sc_jw_str(w, "service", r->service);
	sc_jw_str(w, "commit", r->commit);
	if (r->image_digest || r->n_layers || r->os) {
		sc_jw_open(w, "image", '{', true);
		sc_jw_str(w, "digest", r->image_digest);
		sc_jw_str(w, "os", r->os);
		sc_jw_open(w, "layers", '[', true);
		for (size_t i = 0; i < r->n_layers; i++) {
			sc_jw_open(w, NULL, '{', true);
			sc_jw_str(w, "digest", r->layers[i].digest);
			sc_jw_str(w, "diff_id", r->layers[i].diff_id);
			sc_jw_str(w, "created_by", r->layers[i].created_by);
			if (r->layers[i].size)
				sc_jw_int(w, "size", (long long)r->layers[i].size);
			sc_jw_close(w, '}');
		}
		sc_jw_close(w, ']');
		sc_jw_close(w, '}');
	}
	sc_jw_close(w, '}');

	if (r->db_path) {
		sc_jw_open(w, "db", '{', true);
		sc_jw_str(w, "path", r->db_path);
		sc_jw_str(w, "built_at", r->db_built_at);
		sc_jw_str(w, "digest", r->db_digest);
		sc_jw_str_array(w, "sources", r->db_sources);
		sc_jw_close(w, '}');
	}

	sc_jw_open(w, "summary", '{', true);
	sc_jw_open(w, "by_severity", '{', true);
	for (int s = SC_SEV_CRITICAL; s >= SC_SEV_UNKNOWN; s--)
		sc_jw_int(w, sc_severity_name((enum sc_severity)s), (long long)r->by_severity[s]);
	sc_jw_close(w, '}');
	jw_by_check(w, r);
	sc_jw_int(w, "suppressed", (long long)r->suppressed_count);
	sc_jw_bool(w, "failed", r->failed);
	sc_jw_str(w, "fail_on", r->fail_none ? "none" : sc_severity_name(r->fail_on));
	sc_jw_bool(w, "include_dev", r->include_dev);
	sc_jw_close(w, '}');

	sc_jw_open(w, "findings", '[', true);
	for (size_t i = 0; i < r->findings.len; i++)
		jw_finding(w, r->findings.items[i]);
	sc_jw_close(w, ']');

	if (r->packages.len) {
		sc_jw_open(w, "packages", '[', true);
		for (size_t i = 0; i < r->packages.len; i++)
			jw_package(w, NULL, r->packages.items[i]);
		sc_jw_close(w, ']');
	}

	sc_jw_open(w, "warnings", '[', true);
	for (size_t i = 0; i < r->warnings.len; i++) {
		const struct sc_warning *wn = r->warnings.items[i];
		sc_jw_open(w, NULL, '{', true);
		sc_jw_str(w, "path", wn->path);
		if (wn->line)
			sc_jw_int(w, "line", wn->line);
		if (wn->col)
			sc_jw_int(w, "column", wn->col);
		sc_jw_str(w, "message", wn->message);
		sc_jw_close(w, '}');
	}
	sc_jw_close(w, ']');
	sc_jw_close(w, '}');
	if (!sc_jw_finish(w))
		return sc_error_set(err, SC_EIO, NULL, 0, 0, "cannot write JSON report");
	return SC_OK;
}

const struct sc_reporter sc_reporter_json = {
	.name = "json",
	.description = "versioned JSON report (docs/json-schema.md)",
	.write = write_json,
};
