/* rpm_header.h - the RPM header blob reader of rpm.c (exposed for tests and fuzzing). */
#ifndef SC_RPM_HEADER_H
#define SC_RPM_HEADER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Strings point into the blob. */
struct sc_rpm_header {
	const char *name, *version, *release, *arch, *sourcerpm;
	int64_t epoch; /* -1 when absent */
};

/* Parses a header blob as stored in rpmdb.sqlite (index count, data length, 16-byte index entries,
 * data store; big-endian). False when malformed or without name and version. */
bool sc_rpm_header_parse(const unsigned char *blob, size_t len, struct sc_rpm_header *h);

#endif
