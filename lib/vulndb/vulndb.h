/* vulndb.h - internals of lib/vulndb shared by its files (and white-box tests): the schema, the
 * parsed OSV record, and helpers. Not a public header. */
#ifndef SC_VULNDB_INTERNAL_H
#define SC_VULNDB_INTERNAL_H

#include "shipcheck/sc_db.h"

/* The CVSS v4.0 score before rounding (for tests at rounding midpoints). */
bool sc_cvss4_unrounded(const char *vector, double *value);

#endif
