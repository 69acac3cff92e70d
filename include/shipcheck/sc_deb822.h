/* sc_deb822.h - reader of Debian control-file paragraphs (deb822): dpkg status, apt Packages,
 * Release/InRelease, deb822 .sources. Zero-copy: fields point into the caller's buffer. */
#ifndef SHIPCHECK_SC_DEB822_H
#define SHIPCHECK_SC_DEB822_H

#include "sc_core.h"

#ifdef __cplusplus
extern "C" {
#endif

struct sc_deb822_field {
	const char *name;
	size_t name_len;
	const char *value; /* from the first non-blank after ':' to the end of the field, continuation
			      lines included (raw), trailing whitespace trimmed */
	size_t value_len;
	unsigned line;
};

struct sc_deb822_stanza {
	struct sc_deb822_field *fields;
	size_t n;
	size_t cap;
	unsigned line; /* line of the first field */
};

struct sc_deb822 {
	const char *path;
	const char *data;
	size_t len;
	size_t pos;
	unsigned line;
	size_t max_fields; /* per stanza (default 4096) */
	bool allow_comments; /* '#' lines (deb822 .sources, control files); off for status/Packages */
};

void sc_deb822_init(struct sc_deb822 *p, const char *path, const char *data, size_t len);
/* Reads the next paragraph into st (reusing its storage). *got = false at the end of input.
 * Malformed lines are SC_EINPUT with FILE:LINE:COL. */
enum sc_status sc_deb822_next(struct sc_deb822 *p, struct sc_deb822_stanza *st, bool *got,
			      struct sc_error *err);
void sc_deb822_stanza_free(struct sc_deb822_stanza *st);
/* Case-insensitive field lookup; NULL when absent. */
const struct sc_deb822_field *sc_deb822_get(const struct sc_deb822_stanza *st, const char *name);
/* The value of a field as a NUL-terminated copy in arena a (NULL when absent). */
char *sc_deb822_dup(const struct sc_deb822_stanza *st, const char *name, struct sc_arena *a);

#ifdef __cplusplus
}
#endif
#endif
