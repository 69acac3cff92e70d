/* text.c - the human report: grouped by check, most severe first; where, what, why, how to fix. */
#include "report_impl.h"

#include <string.h>

#define C_RESET "\033[0m"
#define C_BOLD "\033[1m"
#define C_DIM "\033[2m"
#define C_RED "\033[31m"
#define C_BRED "\033[1;31m"
#define C_YELLOW "\033[33m"
#define C_BLUE "\033[34m"
#define C_GREEN "\033[32m"

static const char *sev_color(enum sc_severity s)
{
	switch (s) {
	case SC_SEV_CRITICAL: return C_BRED;
	case SC_SEV_HIGH: return C_RED;
	case SC_SEV_MEDIUM: return C_YELLOW;
	case SC_SEV_LOW: return C_BLUE;
	default: return C_DIM;
	}
}

static const char *c(const struct sc_report_options *o, const char *code)
{
	return o->color ? code : "";
}

#define WIDTH 100

/* Prints "label text", word-wrapped at WIDTH columns, continuation lines aligned after the label. */
/* A newline and `margin` spaces (put_wrapped runs per word of every finding: no fprintf there). */
static void newline_indent(FILE *out, int margin)
{
	static const char spaces[] = "                                ";
	putc_unlocked('\n', out);
	for (int n = margin; n > 0; n -= (int)sizeof(spaces) - 1)
		fwrite_unlocked(spaces, 1, n < (int)sizeof(spaces) - 1 ? (size_t)n : sizeof(spaces) - 1, out);
}

static void put_wrapped(FILE *out, const char *label, const char *text, int indent)
{
	int margin = indent + 7;
	fprintf(out, "%*s%-6s ", indent, "", label);
	int col = margin;
	const char *p = text;
	while (*p) {
		if (*p == '\n') {
			newline_indent(out, margin);
			col = margin;
			p++;
			continue;
		}
		size_t w = strcspn(p, " \n");
		if (col > margin && col + (int)w > WIDTH) {
			newline_indent(out, margin);
			col = margin;
		}
		fwrite_unlocked(p, 1, w, out);
		col += (int)w;
		p += w;
		if (*p == ' ') {
			/* a run of spaces: keep one, unless the line breaks here */
			while (*p == ' ')
				p++;
			if (*p && *p != '\n') {
				size_t nw = strcspn(p, " \n");
				if (col + 1 + (int)nw > WIDTH) {
					newline_indent(out, margin);
					col = margin;
				} else {
					putc_unlocked(' ', out);
					col++;
				}
			}
		}
	}
	putc_unlocked('\n', out);
}

static bool gates(const struct sc_result *r, const struct sc_finding *f)
{
	return !f->suppressed && !r->fail_none && f->severity >= r->fail_on;
}

static enum sc_status write_text(const struct sc_result *r, const struct sc_report_options *o, FILE *out,
				 struct sc_error *err)
{
	struct sc_arena *a = sc_arena_new();
	const char *target = r->target_path ? r->target_path : "";
	if (!o->quiet) {
		fprintf(out, "%sshipcheck %s%s: %s %s", c(o, C_BOLD), sc_tool_version(), c(o, C_RESET),
			r->target_kind ? r->target_kind : "target", target);
		if (r->service)
			fprintf(out, " (service %s", r->service);
		if (r->commit)
			fprintf(out, "%scommit %.12s", r->service ? ", " : " (", r->commit);
		if (r->service || r->commit)
			fputc(')', out);
		fputc('\n', out);
		if (r->os)
			fprintf(out, "image os: %s\n", r->os);
		if (r->db_path)
			fprintf(out, "vulnerability db: %s (built %s)\n", r->db_path,
				r->db_built_at ? r->db_built_at : "?");
	}
	const char *check = NULL;
	for (size_t i = 0; i < r->findings.len; i++) {
		const struct sc_finding *f = r->findings.items[i];
		if (f->suppressed && !o->show_suppressed)
			continue;
		if (o->quiet && !gates(r, f))
			continue;
		if (!check || strcmp(check, f->rule->check)) {
			check = f->rule->check;
			size_t n = 0;
			for (size_t k = i; k < r->findings.len; k++) {
				const struct sc_finding *g = r->findings.items[k];
				if (strcmp(g->rule->check, check))
					break;
				if (!g->suppressed)
					n++;
			}
			fprintf(out, "\n%s%s%s (%zu)\n", c(o, C_BOLD), sc_report_check_title(check), c(o, C_RESET), n);
		}
		fprintf(out, "\n  %s%-8s%s %s%s%s  %s%s\n", c(o, sev_color(f->severity)), sc_severity_name(f->severity),
			c(o, C_RESET), c(o, C_BOLD), f->rule->id, c(o, C_RESET), f->title ? f->title : f->rule->title,
			f->suppressed ? "  [suppressed]" : "");
		const char *where = sc_report_location(a, &f->loc);
		if (where)
			put_wrapped(out, "where:", where, 11);
		if (f->pkg && f->pkg->name)
			put_wrapped(out, "pkg:", sc_arena_printf(a, "%s %s (%s)", f->pkg->name,
							 f->pkg->version ? f->pkg->version : "(unpinned)",
							 f->pkg->ecosystem ? f->pkg->ecosystem : "?"),
				    11);
		if (f->n_advisories) {
			struct sc_strbuf sb;
			sc_strbuf_init(&sb, 1 << 20);
			for (size_t k = 0; k < f->n_advisories; k++) {
				const struct sc_advisory_ref *ad = &f->advisories[k];
				sc_strbuf_printf(&sb, "%s%s", k ? ", " : "", ad->id);
				for (size_t m = 0; ad->aliases && ad->aliases[m]; m++)
					sc_strbuf_printf(&sb, "%s%s", m ? "/" : " (", ad->aliases[m]);
				if (ad->aliases && ad->aliases[0])
					sc_strbuf_putc(&sb, ')');
			}
			put_wrapped(out, "ids:", sc_strbuf_str(&sb), 11);
			sc_strbuf_free(&sb);
		}
		if (f->message)
			put_wrapped(out, "what:", f->message, 11);
		if (f->snippet_redacted)
			put_wrapped(out, "saw:", f->snippet_redacted, 11);
		if (f->remediation)
			put_wrapped(out, "fix:", f->remediation, 11);
		if (f->suppressed)
			put_wrapped(out, "ok by:", sc_arena_printf(a, "%s (%s)", f->suppression_reason ? f->suppression_reason : "",
							    f->suppression_source ? f->suppression_source : "policy"),
				    11);
		else if (gates(r, f))
			put_wrapped(out, "docs:", sc_arena_printf(a, "shipcheck explain %s%s%s", f->rule->id,
							  o->runbook ? " | runbook: " : "", o->runbook ? o->runbook : ""),
				    11);
	}
	if (r->warnings.len && !o->quiet) {
		fprintf(out, "\n%sWarnings (%zu)%s\n", c(o, C_BOLD), r->warnings.len, c(o, C_RESET));
		for (size_t i = 0; i < r->warnings.len; i++) {
			const struct sc_warning *w = r->warnings.items[i];
			fprintf(out, "  %s", w->path ? w->path : "");
			if (w->line)
				fprintf(out, ":%u", w->line);
			if (w->line && w->col)
				fprintf(out, ":%u", w->col);
			fprintf(out, "%s%s\n", w->path ? ": " : "", w->message);
		}
	}
	/* one-line summary */
	size_t total = 0;
	for (int s = 0; s < 5; s++)
		total += r->by_severity[s];
	fprintf(out, "\n%s%s%s: %zu finding%s (%zu critical, %zu high, %zu medium, %zu low, %zu unknown), "
		     "%zu suppressed; fail-on %s\n",
		c(o, r->failed ? C_BRED : C_GREEN), r->failed ? "FAILED" : "PASSED", c(o, C_RESET), total,
		total == 1 ? "" : "s", r->by_severity[SC_SEV_CRITICAL], r->by_severity[SC_SEV_HIGH],
		r->by_severity[SC_SEV_MEDIUM], r->by_severity[SC_SEV_LOW], r->by_severity[SC_SEV_UNKNOWN],
		r->suppressed_count, r->fail_none ? "none" : sc_severity_name(r->fail_on));
	/* image findings split by who owns the fix (lib/checks/vulns.c sets `attribution`) */
	size_t n_base = 0, n_df = 0;
	for (size_t i = 0; i < r->findings.len; i++) {
		const struct sc_finding *f = r->findings.items[i];
		if (f->suppressed || !f->attribution)
			continue;
		n_base += !strcmp(f->attribution, "base");
		n_df += !strcmp(f->attribution, "dockerfile");
	}
	if (n_base || n_df)
		fprintf(out, "image: %zu owned by the base image (rebuild on a current base), %zu introduced by "
			     "your Dockerfile (upgrade there)\n", n_base, n_df);
	if (r->failed && o->runbook)
		fprintf(out, "How to fix, including allowlisting: %s\n", o->runbook);
	sc_arena_free(a);
	if (ferror(out))
		return sc_error_set(err, SC_EIO, NULL, 0, 0, "cannot write text report");
	return SC_OK;
}

const struct sc_reporter sc_reporter_text = {
	.name = "text",
	.description = "human-readable report grouped by check",
	.write = write_text,
};
