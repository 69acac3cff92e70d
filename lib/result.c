/* result.c - the scan result: findings, packages and warnings in one arena; sorting and counts. */
#include "shipcheck/sc_finding.h"
#include "shipcheck/sc_scan.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const char *const sev_names[] = {"UNKNOWN", "LOW", "MEDIUM", "HIGH", "CRITICAL"};

const char *sc_severity_name(enum sc_severity s)
{
	return (unsigned)s < 5 ? sev_names[s] : "UNKNOWN";
}

bool sc_severity_parse(const char *s, enum sc_severity *out)
{
	for (unsigned i = 0; i < 5; i++) {
		if (!strcasecmp(s, sev_names[i])) {
			*out = (enum sc_severity)i;
			return true;
		}
	}
	return false;
}

void sc_finding_set_fingerprint(struct sc_finding *f, const char *location_key, const char *content)
{
	struct sc_strbuf sb;
	sc_strbuf_init(&sb, (size_t)1 << 30);
	sc_strbuf_puts(&sb, f->rule->id);
	sc_strbuf_putc(&sb, '\0');
	sc_strbuf_puts(&sb, location_key ? location_key : "");
	sc_strbuf_putc(&sb, '\0');
	sc_strbuf_puts(&sb, content ? content : "");
	char hex[65];
	sc_sha256_hex(sb.buf, sb.len, hex);
	memcpy(f->fingerprint, hex, 32);
	f->fingerprint[32] = '\0';
	sc_strbuf_free(&sb);
}

struct sc_result *sc_result_new(void)
{
	struct sc_result *r = sc_xcalloc(1, sizeof(*r));
	r->arena = sc_arena_new();
	r->fail_on = SC_SEV_HIGH;
	return r;
}

void sc_result_free(struct sc_result *r)
{
	if (!r)
		return;
	sc_ptrvec_free(&r->findings);
	sc_ptrvec_free(&r->packages);
	sc_ptrvec_free(&r->warnings);
	sc_ptrvec_free(&r->checks_run);
	sc_arena_free(r->arena);
	free(r);
}

struct sc_finding *sc_result_add_finding(struct sc_result *r, const struct sc_rule *rule)
{
	struct sc_finding *f = sc_arena_alloc(r->arena, sizeof(*f));
	f->rule = rule;
	f->severity = rule->severity;
	f->title = rule->title;
	sc_ptrvec_push(&r->findings, f);
	return f;
}

struct sc_package *sc_result_add_package(struct sc_result *r, const struct sc_package *p)
{
	struct sc_package *q = sc_package_copy(r->arena, p);
	sc_ptrvec_push(&r->packages, q);
	return q;
}

void sc_result_add_warning(struct sc_result *r, const char *path, unsigned line, unsigned col,
			   const char *fmt, ...)
{
	struct sc_warning *w = sc_arena_alloc(r->arena, sizeof(*w));
	w->path = sc_arena_strdup(r->arena, path);
	w->line = line;
	w->col = col;
	va_list ap;
	va_start(ap, fmt);
	w->message = sc_arena_vprintf(r->arena, fmt, ap);
	va_end(ap);
	sc_ptrvec_push(&r->warnings, w);
}

static int strcmp0(const char *a, const char *b)
{
	return strcmp(a ? a : "", b ? b : "");
}

/* Worst unsuppressed severity (+1) per check, so that groups are ordered most severe first. */
static int worst_of(const struct sc_map *worst, const char *check)
{
	return (int)(uintptr_t)sc_map_get(worst, check ? check : "");
}

static int cmp_finding(const void *pa, const void *pb, void *ctx)
{
	const struct sc_finding *a = *(const struct sc_finding *const *)pa;
	const struct sc_finding *b = *(const struct sc_finding *const *)pb;
	const struct sc_map *worst = ctx;
	int c;
	int wa = worst_of(worst, a->rule->check), wb = worst_of(worst, b->rule->check);
	if (wa != wb)
		return wa > wb ? -1 : 1;
	if ((c = strcmp0(a->rule->check, b->rule->check)))
		return c;
	if (a->suppressed != b->suppressed)
		return a->suppressed ? 1 : -1;
	if (a->severity != b->severity)
		return a->severity > b->severity ? -1 : 1;
	if ((c = strcmp0(a->loc.path, b->loc.path)))
		return c;
	if (a->loc.line != b->loc.line)
		return a->loc.line < b->loc.line ? -1 : 1;
	if ((c = strcmp(a->rule->id, b->rule->id)))
		return c;
	if (a->pkg && b->pkg) {
		if ((c = strcmp0(a->pkg->name, b->pkg->name)))
			return c;
		if ((c = strcmp0(a->pkg->version, b->pkg->version)))
			return c;
	}
	return strcmp(a->fingerprint, b->fingerprint);
}

static int cmp_warning(const void *pa, const void *pb)
{
	const struct sc_warning *a = *(const struct sc_warning *const *)pa;
	const struct sc_warning *b = *(const struct sc_warning *const *)pb;
	int c = strcmp0(a->path, b->path);
	if (c)
		return c;
	if (a->line != b->line)
		return a->line < b->line ? -1 : 1;
	return strcmp0(a->message, b->message);
}

void sc_result_finish(struct sc_result *r)
{
	struct sc_map *worst = sc_map_new();
	for (size_t i = 0; i < r->findings.len; i++) {
		const struct sc_finding *f = r->findings.items[i];
		const char *k = f->rule->check ? f->rule->check : "";
		int w = f->suppressed ? 0 : (int)f->severity + 1;
		if (w > worst_of(worst, k))
			sc_map_put(worst, k, (void *)(uintptr_t)w);
	}
	if (r->findings.len > 1)
		qsort_r(r->findings.items, r->findings.len, sizeof(void *), cmp_finding, worst);
	sc_map_free(worst);
	sc_ptrvec_sort(&r->warnings, cmp_warning);
	memset(r->by_severity, 0, sizeof(r->by_severity));
	r->suppressed_count = 0;
	r->failed = false;
	for (size_t i = 0; i < r->findings.len; i++) {
		const struct sc_finding *f = r->findings.items[i];
		if (f->suppressed) {
			r->suppressed_count++;
			continue;
		}
		r->by_severity[f->severity]++;
		if (!r->fail_none && f->severity >= r->fail_on)
			r->failed = true;
	}
}
