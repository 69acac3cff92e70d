/* reporters.c - the table of reporters built from reporters.def. */
#include "shipcheck/sc_report.h"

#include <string.h>

#define SC_REPORTER(n) extern const struct sc_reporter sc_reporter_##n;
#include "reporters.def"
#undef SC_REPORTER

static const struct sc_reporter *const table[] = {
#define SC_REPORTER(n) &sc_reporter_##n,
#include "reporters.def"
#undef SC_REPORTER
};

size_t sc_reporter_count(void)
{
	return sizeof(table) / sizeof(table[0]);
}

const struct sc_reporter *sc_reporter_at(size_t i)
{
	return i < sc_reporter_count() ? table[i] : NULL;
}

const struct sc_reporter *sc_reporter_find(const char *name)
{
	for (size_t i = 0; i < sc_reporter_count(); i++)
		if (!strcmp(table[i]->name, name))
			return table[i];
	return NULL;
}
