/* sc_purl.h - package URLs (purl-spec): pkg:TYPE/NAMESPACE/NAME@VERSION?QUALIFIERS. */
#ifndef SHIPCHECK_SC_PURL_H
#define SHIPCHECK_SC_PURL_H

#include "sc_core.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Builds a purl in arena a, percent-encoding each component as the spec says. namespace,
 * version and qualifiers (already "k=v&k2=v2", values encoded by the caller with
 * sc_purl_encode) may be NULL. A namespace may contain '/' separators (kept). */
char *sc_purl(struct sc_arena *a, const char *type, const char *ns, const char *name,
	      const char *version, const char *qualifiers);
/* PEP 503 name normalisation (PyPI): lower case, each run of '-', '_', '.' becomes one '-'. */
char *sc_pep503_name(struct sc_arena *a, const char *name);
/* Percent-encodes s for use in a purl component (unreserved characters kept). */
char *sc_purl_encode(struct sc_arena *a, const char *s);

#ifdef __cplusplus
}
#endif
#endif
