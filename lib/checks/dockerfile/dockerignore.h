/* dockerignore.h - .dockerignore patterns with Docker's matching rules (last match wins, `!`
 * re-includes, a pattern that matches a parent directory matches everything below it). */
#ifndef SC_DOCKERIGNORE_H
#define SC_DOCKERIGNORE_H

#include "shipcheck/sc_core.h"

struct sc_dockerignore_pattern {
	char *pattern; /* cleaned */
	bool negated;
	unsigned line;
};

struct sc_dockerignore {
	struct sc_dockerignore_pattern *pats;
	size_t n;
	size_t cap;
};

void sc_dockerignore_parse(struct sc_dockerignore *di, const char *data, size_t len);
void sc_dockerignore_free(struct sc_dockerignore *di);
/* Is path (relative to the context) excluded from the build context? *decided_by = line of the
 * last pattern that matched (0 = none). */
bool sc_dockerignore_excluded(const struct sc_dockerignore *di, const char *path, unsigned *decided_by);

#endif
