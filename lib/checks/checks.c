/* checks.c - the table of checks built from checks.def. */
#include "shipcheck/sc_policy.h"
#include "shipcheck/sc_scan.h"

#include <string.h>

#define SC_CHECK(n) extern const struct sc_check sc_check_##n;
#include "checks.def"
#undef SC_CHECK

static const struct sc_check *const table[] = {
#define SC_CHECK(n) &sc_check_##n,
#include "checks.def"
#undef SC_CHECK
};

size_t sc_check_count(void)
{
	return sizeof(table) / sizeof(table[0]);
}

const struct sc_check *sc_check_at(size_t i)
{
	return i < sc_check_count() ? table[i] : NULL;
}

const struct sc_check *sc_check_find(const char *name)
{
	for (size_t i = 0; i < sc_check_count(); i++)
		if (!strcmp(table[i]->name, name))
			return table[i];
	return NULL;
}
