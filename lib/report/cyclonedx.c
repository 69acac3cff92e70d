/* cyclonedx.c - the inventory as a CycloneDX 1.5 JSON SBOM: the target (image, root filesystem or
 * repository) as the metadata component, its OS as an operating-system component, and every
 * package with its purl, version and the layer it came from (shipcheck:* properties). */
#include "report_impl.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

static void set_str(json_t *o, const char *k, const char *v)
{
	if (v && *v)
		json_object_set_new(o, k, sc_json_str(v));
}

static void prop(json_t *props, const char *name, const char *value)
{
	if (!value || !*value)
		return;
	json_t *p = json_object();
	set_str(p, "name", name);
	set_str(p, "value", value);
	json_array_append_new(props, p);
}

/* A stable urn:uuid from the inventory (not the path), so the same inventory gives the same
 * document wherever it was scanned. */
static char *serial(const struct sc_result *r)
{
	struct sc_strbuf sb;
	sc_strbuf_init(&sb, (size_t)1 << 30);
	sc_strbuf_printf(&sb, "%s\n%s\n%s\n", r->target_kind ? r->target_kind : "",
			 r->image_digest ? r->image_digest : "", r->os ? r->os : "");
	for (size_t i = 0; i < r->packages.len; i++) {
		const struct sc_package *p = r->packages.items[i];
		sc_strbuf_printf(&sb, "%s %s %d\n", p->purl ? p->purl : p->name, p->path ? p->path : "", p->layer);
	}
	char h[65];
	sc_sha256_hex(sb.buf, sb.len, h);
	sc_strbuf_free(&sb);
	/* version 4 layout with the variant bits set, from hash bytes */
	return sc_xasprintf("urn:uuid:%.8s-%.4s-4%.3s-8%.3s-%.12s", h, h + 8, h + 12, h + 15, h + 18);
}

static char *timestamp(void)
{
	const char *today = getenv("SHIPCHECK_TODAY");
	if (today && *today)
		return sc_xasprintf("%sT00:00:00Z", today);
	time_t t = time(NULL);
	struct tm tm;
	gmtime_r(&t, &tm);
	char buf[32];
	strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%SZ", &tm);
	return sc_xstrdup(buf);
}

static json_t *bom(const struct sc_result *r)
{
	json_t *root = json_object();
	set_str(root, "$schema", "http://cyclonedx.org/schema/bom-1.5.schema.json");
	set_str(root, "bomFormat", "CycloneDX");
	set_str(root, "specVersion", "1.5");
	char *sn = serial(r);
	set_str(root, "serialNumber", sn);
	free(sn);
	json_object_set_new(root, "version", json_integer(1));

	json_t *meta = json_object();
	char *ts = timestamp();
	set_str(meta, "timestamp", ts);
	free(ts);
	json_t *tool = json_object();
	set_str(tool, "type", "application");
	set_str(tool, "name", "shipcheck");
	set_str(tool, "version", sc_tool_version());
	json_t *tools = json_object();
	json_t *tcomps = json_array();
	json_array_append_new(tcomps, tool);
	json_object_set_new(tools, "components", tcomps);
	json_object_set_new(meta, "tools", tools);
	json_t *subject = json_object();
	bool image = r->target_kind && !strcmp(r->target_kind, "image");
	set_str(subject, "type", image ? "container" : r->target_kind && !strcmp(r->target_kind, "rootfs") ? "operating-system"
													 : "application");
	set_str(subject, "bom-ref", "target");
	set_str(subject, "name", r->service ? r->service : r->target_path ? r->target_path : "target");
	set_str(subject, "version", r->image_digest);
	json_t *sprops = json_array();
	prop(sprops, "shipcheck:target_kind", r->target_kind);
	prop(sprops, "shipcheck:target_path", r->target_path);
	prop(sprops, "shipcheck:commit", r->commit);
	for (size_t i = 0; i < r->n_layers; i++) {
		char name[48];
		snprintf(name, sizeof(name), "shipcheck:layer:%zu:digest", i + 1);
		prop(sprops, name, r->layers[i].digest);
		snprintf(name, sizeof(name), "shipcheck:layer:%zu:created_by", i + 1);
		prop(sprops, name, r->layers[i].created_by);
	}
	if (json_array_size(sprops))
		json_object_set_new(subject, "properties", sprops);
	else
		json_decref(sprops);
	json_object_set_new(meta, "component", subject);
	json_object_set_new(root, "metadata", meta);

	json_t *comps = json_array();
	if (r->os) {
		json_t *os = json_object();
		const char *sp = strchr(r->os, ' ');
		char *name = sp ? sc_xstrndup(r->os, (size_t)(sp - r->os)) : sc_xstrdup(r->os);
		set_str(os, "type", "operating-system");
		set_str(os, "bom-ref", "os");
		set_str(os, "name", name);
		set_str(os, "version", sp ? sp + 1 : NULL);
		free(name);
		json_array_append_new(comps, os);
	}
	for (size_t i = 0; i < r->packages.len; i++) {
		const struct sc_package *p = r->packages.items[i];
		json_t *c = json_object();
		set_str(c, "type", (p->flags & SC_PKG_ROOT) ? "application" : "library");
		char *ref = sc_xasprintf("pkg-%zu:%s", i + 1, p->purl ? p->purl : p->name);
		set_str(c, "bom-ref", ref);
		free(ref);
		set_str(c, "name", p->name);
		set_str(c, "version", p->version);
		set_str(c, "purl", p->purl);
		json_t *props = json_array();
		prop(props, "shipcheck:ecosystem", p->ecosystem);
		prop(props, "shipcheck:path", p->path);
		if (p->layer) {
			char l[16];
			snprintf(l, sizeof(l), "%d", p->layer);
			prop(props, "shipcheck:layer", l);
			if ((size_t)p->layer <= r->n_layers) {
				prop(props, "shipcheck:layer_digest", r->layers[p->layer - 1].digest);
				prop(props, "shipcheck:layer_created_by", r->layers[p->layer - 1].created_by);
			}
		}
		prop(props, "shipcheck:source_name", p->source_name);
		prop(props, "shipcheck:source_version", p->source_version);
		prop(props, "shipcheck:arch", p->arch);
		if (p->flags & SC_PKG_DEV)
			prop(props, "shipcheck:dev", "true");
		if (json_array_size(props))
			json_object_set_new(c, "properties", props);
		else
			json_decref(props);
		json_array_append_new(comps, c);
	}
	json_object_set_new(root, "components", comps);
	return root;
}

static enum sc_status write_cdx(const struct sc_result *r, const struct sc_report_options *o, FILE *out,
				struct sc_error *err)
{
	(void)o;
	json_t *root = bom(r);
	int rc = json_dumpf(root, out, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	json_decref(root);
	if (rc != 0 || fputc('\n', out) == EOF)
		return sc_error_set(err, SC_EIO, NULL, 0, 0, "cannot write the CycloneDX document");
	return SC_OK;
}

const struct sc_reporter sc_reporter_cyclonedx = {
	.name = "cyclonedx",
	.description = "CycloneDX 1.5 JSON SBOM of the inventory",
	.write = write_cdx,
};
