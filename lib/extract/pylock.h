/* pylock.h - what poetry.lock and uv.lock share: the project's own pyproject.toml (read through
 * in->fs) says which dependencies are direct and which are dev. Internal to lib/extract. */
#ifndef SC_PYLOCK_H
#define SC_PYLOCK_H

#include "extract.h"

/* Marks graph nodes keyed by PEP 503 names as roots from pyproject.toml beside the lockfile
 * (Poetry's [tool.poetry.*dependencies], groups, and PEP 621 [project] / dependency-groups).
 * Returns false when there is no usable pyproject.toml. */
bool sc_pylock_roots_from_pyproject(const struct sc_extract_input *in, struct sc_depgraph *g,
				    struct sc_arena *a);

#endif
