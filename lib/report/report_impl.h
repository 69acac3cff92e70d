/* report_impl.h - internal helpers shared by the reporters. */
#ifndef SC_REPORT_IMPL_H
#define SC_REPORT_IMPL_H

#include "shipcheck/sc_report.h"
#include "shipcheck/sc_scan.h"

#include <jansson.h>

const char *sc_report_check_title(const char *check);
/* "path:line (layer N: created_by)" in a, or NULL when the finding has no location. */
const char *sc_report_location(struct sc_arena *a, const struct sc_location *l);
/* Length of the valid UTF-8 sequence at p (1..4), or 0 when invalid (p is NUL-terminated). */
size_t sc_utf8_seq(const unsigned char *p);
/* A JSON string that never fails (invalid UTF-8 is kept byte for byte). */
json_t *sc_json_str(const char *s);
/* The full JSON report document (shared by the json reporter and --notify). */
json_t *sc_report_json(const struct sc_result *r);
/* The report's "summary" object alone (what --notify sends), without building the rest. */
json_t *sc_report_summary_json(const struct sc_result *r);

/* The streaming JSON writer (jw.c): JSON_INDENT(2) | JSON_PRESERVE_ORDER output of jansson,
 * written as it goes. A member has a key inside an object, none inside an array. */
#define JW_MAX_DEPTH 16 /* nesting of the documents written */

struct sc_jw {
	FILE *out;
	char buf[1 << 16];
	size_t len;
	int depth;
	bool first[JW_MAX_DEPTH]; /* no member written yet at this depth */
	bool failed;
};
struct sc_jw *sc_jw_new(FILE *out);
/* Opens an object ('{') or array ('['); member: false only for the document itself. */
void sc_jw_open(struct sc_jw *w, const char *key, char c, bool member);
void sc_jw_close(struct sc_jw *w, char c);
void sc_jw_str(struct sc_jw *w, const char *key, const char *v); /* nothing when v is NULL */
void sc_jw_int(struct sc_jw *w, const char *key, long long v);
void sc_jw_bool(struct sc_jw *w, const char *key, bool v);
void sc_jw_str_array(struct sc_jw *w, const char *key, const char *const *v);
/* Ends the document with a newline, flushes and frees w; false when a write failed. */
bool sc_jw_finish(struct sc_jw *w);

#endif
