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

#endif
