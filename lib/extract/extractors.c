/* extractors.c - the table of extractors built from extractors.def. */
#include "shipcheck/sc_scan.h"

#include <string.h>

#define SC_EXTRACTOR(n) extern const struct sc_extractor sc_extractor_##n;
#include "extractors.def"
#undef SC_EXTRACTOR

static const struct sc_extractor *const table[] = {
#define SC_EXTRACTOR(n) &sc_extractor_##n,
#include "extractors.def"
#undef SC_EXTRACTOR
	NULL,
};

size_t sc_extractor_count(void)
{
	return sizeof(table) / sizeof(table[0]) - 1;
}

const struct sc_extractor *sc_extractor_at(size_t i)
{
	return i < sc_extractor_count() ? table[i] : NULL;
}

const struct sc_extractor *sc_extractor_find(const char *name)
{
	for (size_t i = 0; i < sc_extractor_count(); i++)
		if (!strcmp(table[i]->name, name))
			return table[i];
	return NULL;
}
