/* sarif.c - SARIF 2.1.0 for code-scanning UIs (GitHub, GitLab, Azure DevOps). Stays within
 * GitHub's limits: at most 25,000 results per run (the rest dropped with a notification). */
#include "report_impl.h"

#include <stdlib.h>
#include <string.h>

#define DEFAULT_MAX_RESULTS 25000
#define DEFAULT_DOCS "https://github.com/shipcheck/shipcheck/blob/main/docs/rules"

static const char *level(enum sc_severity s)
{
	switch (s) {
	case SC_SEV_CRITICAL:
	case SC_SEV_HIGH: return "error";
	case SC_SEV_MEDIUM: return "warning";
	default: return "note";
	}
}

/* GitHub's security-severity: a CVSS-like score string. */
static const char *security_severity(enum sc_severity s)
{
	switch (s) {
	case SC_SEV_CRITICAL: return "9.5";
	case SC_SEV_HIGH: return "8.0";
	case SC_SEV_MEDIUM: return "5.5";
	case SC_SEV_LOW: return "2.0";
	default: return "0.0";
	}
}

static json_t *text_obj(const char *s)
{
	json_t *o = json_object();
	json_object_set_new(o, "text", sc_json_str(s));
	return o;
}

/* SARIF wants rule names as Pascal-case identifiers: "dockerignore-git" -> "DockerignoreGit". */
static json_t *pascal_name(const char *name)
{
	char buf[256];
	size_t o = 0;
	bool up = true;
	for (const char *p = name; *p && o + 1 < sizeof(buf); p++) {
		if (*p == '-' || *p == '_' || *p == '.' || *p == ' ') {
			up = true;
			continue;
		}
		buf[o++] = up && *p >= 'a' && *p <= 'z' ? (char)(*p - 32) : *p;
		up = false;
	}
	buf[o] = '\0';
	return sc_json_str(buf);
}

static json_t *rule_json(const struct sc_rule *r, const char *docs)
{
	json_t *o = json_object();
	json_object_set_new(o, "id", sc_json_str(r->id));
	if (r->name)
		json_object_set_new(o, "name", pascal_name(r->name));
	json_object_set_new(o, "shortDescription", text_obj(r->title));
	json_object_set_new(o, "fullDescription", text_obj(r->title));
	const char *doc = sc_rule_doc(r->doc ? r->doc : r->id);
	json_t *help = json_object();
	json_object_set_new(help, "text", sc_json_str(doc ? doc : r->title));
	if (doc)
		json_object_set_new(help, "markdown", sc_json_str(doc));
	json_object_set_new(o, "help", help);
	char uri[1024];
	snprintf(uri, sizeof(uri), "%s/%s.md", docs, r->doc ? r->doc : r->id);
	json_object_set_new(o, "helpUri", sc_json_str(uri));
	json_t *cfg = json_object();
	json_object_set_new(cfg, "level", json_string(level(r->severity)));
	json_object_set_new(o, "defaultConfiguration", cfg);
	json_t *props = json_object();
	json_t *tags = json_array();
	json_array_append_new(tags, json_string("security"));
	json_array_append_new(tags, sc_json_str(r->check));
	json_object_set_new(props, "tags", tags);
	json_object_set_new(props, "security-severity", json_string(security_severity(r->severity)));
	json_object_set_new(props, "precision", json_string("high"));
	if (r->equivalents && r->equivalents[0]) {
		json_t *eq = json_array();
		for (size_t i = 0; r->equivalents[i]; i++)
			json_array_append_new(eq, sc_json_str(r->equivalents[i]));
		json_object_set_new(props, "equivalents", eq);
	}
	json_object_set_new(o, "properties", props);
	return o;
}

static json_t *message(struct sc_arena *a, const struct sc_finding *f)
{
	const char *m = f->message ? f->message : (f->title ? f->title : f->rule->title);
	if (f->remediation)
		m = sc_arena_printf(a, "%s\nFix: %s", m, f->remediation);
	return text_obj(m);
}

static enum sc_status write_sarif(const struct sc_result *r, const struct sc_report_options *o, FILE *out,
				  struct sc_error *err)
{
	struct sc_arena *a = sc_arena_new();
	const char *docs = o->docs_base_uri ? o->docs_base_uri : DEFAULT_DOCS;
	size_t max = o->sarif_max_results ? o->sarif_max_results : DEFAULT_MAX_RESULTS;
	json_t *root = json_object();
	json_object_set_new(root, "$schema", json_string("https://json.schemastore.org/sarif-2.1.0.json"));
	json_object_set_new(root, "version", json_string("2.1.0"));
	json_t *run = json_object();
	json_t *driver = json_object();
	json_object_set_new(driver, "name", json_string("shipcheck"));
	json_object_set_new(driver, "version", json_string(sc_tool_version()));
	json_object_set_new(driver, "semanticVersion", json_string(sc_tool_version()));
	json_object_set_new(driver, "informationUri", json_string("https://github.com/shipcheck/shipcheck"));

	/* rules: those that have results, in first-seen order */
	json_t *rules = json_array();
	struct sc_map *index = sc_map_new();
	json_t *results = json_array();
	size_t emitted = 0, dropped = 0;
	for (size_t i = 0; i < r->findings.len; i++) {
		const struct sc_finding *f = r->findings.items[i];
		if (emitted >= max) {
			dropped++;
			continue;
		}
		void *idxp = sc_map_get(index, f->rule->id);
		size_t idx;
		if (!idxp) {
			idx = json_array_size(rules);
			json_array_append_new(rules, rule_json(f->rule, docs));
			sc_map_put(index, f->rule->id, (void *)(uintptr_t)(idx + 1));
		} else {
			idx = (size_t)(uintptr_t)idxp - 1;
		}
		json_t *res = json_object();
		json_object_set_new(res, "ruleId", sc_json_str(f->rule->id));
		json_object_set_new(res, "ruleIndex", json_integer((json_int_t)idx));
		json_object_set_new(res, "level", json_string(level(f->severity)));
		json_object_set_new(res, "message", message(a, f));
		json_t *locs = json_array();
		json_t *loc = json_object();
		json_t *phys = json_object();
		json_t *art = json_object();
		/* SARIF needs a location; target-wide findings point at the target's config file */
		const char *uri = f->loc.path ? f->loc.path : (r->target_kind && !strcmp(r->target_kind, "image") ? "Dockerfile" : ".shipcheck.yml");
		json_object_set_new(art, "uri", sc_json_str(uri));
		json_object_set_new(art, "uriBaseId", json_string("%SRCROOT%"));
		json_object_set_new(phys, "artifactLocation", art);
		json_t *region = json_object();
		json_object_set_new(region, "startLine", json_integer(f->loc.line ? f->loc.line : 1));
		if (f->loc.col)
			json_object_set_new(region, "startColumn", json_integer(f->loc.col));
		if (f->loc.end_line >= f->loc.line && f->loc.end_line)
			json_object_set_new(region, "endLine", json_integer(f->loc.end_line));
		json_object_set_new(phys, "region", region);
		json_object_set_new(loc, "physicalLocation", phys);
		if (f->loc.layer) {
			json_t *lm = json_object();
			json_object_set_new(lm, "text", sc_json_str(sc_arena_printf(a, "image layer %d%s%s", f->loc.layer,
									    f->loc.created_by ? ": " : "",
									    f->loc.created_by ? f->loc.created_by : "")));
			json_object_set_new(loc, "message", lm);
		}
		json_array_append_new(locs, loc);
		json_object_set_new(res, "locations", locs);
		json_t *fp = json_object();
		json_object_set_new(fp, "shipcheck/v1", json_string(f->fingerprint[0] ? f->fingerprint : "0"));
		json_object_set_new(res, "partialFingerprints", fp);
		json_t *props = json_object();
		json_object_set_new(props, "severity", json_string(sc_severity_name(f->severity)));
		json_object_set_new(props, "security-severity", json_string(security_severity(f->severity)));
		if (f->pkg) {
			if (f->pkg->name)
				json_object_set_new(props, "package", sc_json_str(f->pkg->name));
			if (f->pkg->version)
				json_object_set_new(props, "version", sc_json_str(f->pkg->version));
			if (f->pkg->purl)
				json_object_set_new(props, "purl", sc_json_str(f->pkg->purl));
		}
		if (f->remediation)
			json_object_set_new(props, "remediation", sc_json_str(f->remediation));
		json_object_set_new(res, "properties", props);
		if (f->suppressed) {
			json_t *sups = json_array();
			json_t *s = json_object();
			json_object_set_new(s, "kind", json_string("external"));
			json_object_set_new(s, "status", json_string("accepted"));
			json_object_set_new(s, "justification", sc_json_str(f->suppression_reason ? f->suppression_reason : ""));
			if (f->suppression_source) {
				json_t *sl = json_object();
				json_t *sp = json_object();
				json_t *sa = json_object();
				json_object_set_new(sa, "uri", sc_json_str(f->suppression_source));
				json_object_set_new(sp, "artifactLocation", sa);
				json_object_set_new(sl, "physicalLocation", sp);
				json_object_set_new(s, "location", sl);
			}
			json_array_append_new(sups, s);
			json_object_set_new(res, "suppressions", sups);
		}
		json_array_append_new(results, res);
		emitted++;
	}
	json_object_set_new(driver, "rules", rules);
	json_t *tool = json_object();
	json_object_set_new(tool, "driver", driver);
	json_object_set_new(run, "tool", tool);

	json_t *inv = json_object();
	json_object_set_new(inv, "executionSuccessful", json_true());
	json_t *notes = json_array();
	if (dropped) {
		json_t *n = json_object();
		json_object_set_new(n, "level", json_string("warning"));
		json_object_set_new(n, "message", text_obj(sc_arena_printf(a, "%zu results were left out: SARIF consumers such as GitHub code scanning accept at most %zu results per run; the JSON report has all of them", dropped, max)));
		json_array_append_new(notes, n);
	}
	for (size_t i = 0; i < r->warnings.len; i++) {
		const struct sc_warning *w = r->warnings.items[i];
		json_t *n = json_object();
		json_object_set_new(n, "level", json_string("warning"));
		json_object_set_new(n, "message", text_obj(w->path ? sc_arena_printf(a, "%s: %s", w->path, w->message) : w->message));
		json_array_append_new(notes, n);
	}
	json_object_set_new(inv, "toolExecutionNotifications", notes);
	json_t *invs = json_array();
	json_array_append_new(invs, inv);
	json_object_set_new(run, "invocations", invs);
	json_t *bases = json_object();
	json_t *srcroot = json_object();
	if (r->target_path && r->target_kind && strcmp(r->target_kind, "image")) {
		char abs[4096];
		if (realpath(r->target_path, abs)) {
			json_object_set_new(srcroot, "uri", sc_json_str(sc_arena_printf(a, "file://%s/", abs)));
		}
	}
	json_object_set_new(srcroot, "description", text_obj("The scanned repository or image root"));
	json_object_set_new(bases, "%SRCROOT%", srcroot);
	json_object_set_new(run, "originalUriBaseIds", bases);
	json_object_set_new(run, "results", results);
	if (r->service || r->commit) {
		json_t *vcs = json_object();
		json_t *props = json_object();
		if (r->service)
			json_object_set_new(props, "service", sc_json_str(r->service));
		if (r->commit)
			json_object_set_new(props, "commit", sc_json_str(r->commit));
		json_object_set_new(run, "properties", props);
		json_decref(vcs);
	}
	json_t *runs = json_array();
	json_array_append_new(runs, run);
	json_object_set_new(root, "runs", runs);
	int rc = json_dumpf(root, out, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	fputc('\n', out);
	json_decref(root);
	sc_map_free(index);
	sc_arena_free(a);
	if (rc != 0)
		return sc_error_set(err, SC_EIO, NULL, 0, 0, "cannot write SARIF report");
	if (dropped)
		fprintf(stderr, "shipcheck: warning: SARIF report truncated to %zu results (%zu left out)\n", max, dropped);
	return SC_OK;
}

const struct sc_reporter sc_reporter_sarif = {
	.name = "sarif",
	.description = "SARIF 2.1.0 (GitHub code scanning and other CI UIs)",
	.write = write_sarif,
};
