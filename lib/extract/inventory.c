/* inventory.c - a list of packages and per-file warnings, in one arena. */
#include "shipcheck/sc_scan.h"

#include <stdlib.h>

struct sc_inventory *sc_inventory_new(void)
{
	struct sc_inventory *inv = sc_xcalloc(1, sizeof(*inv));
	inv->arena = sc_arena_new();
	return inv;
}

void sc_inventory_free(struct sc_inventory *inv)
{
	if (!inv)
		return;
	sc_ptrvec_free(&inv->packages);
	sc_ptrvec_free(&inv->warnings);
	sc_arena_free(inv->arena);
	free(inv);
}

struct sc_package *sc_inventory_add(struct sc_inventory *inv, const struct sc_package *p)
{
	struct sc_package *q = sc_package_copy(inv->arena, p);
	sc_ptrvec_push(&inv->packages, q);
	return q;
}

struct sc_package *sc_package_copy(struct sc_arena *a, const struct sc_package *p)
{
	struct sc_package *q = sc_arena_alloc(a, sizeof(*q));
	*q = *p;
	q->ecosystem = sc_arena_strdup(a, p->ecosystem);
	q->name = sc_arena_strdup(a, p->name);
	q->version = sc_arena_strdup(a, p->version);
	q->source_name = sc_arena_strdup(a, p->source_name);
	q->source_version = sc_arena_strdup(a, p->source_version);
	q->arch = sc_arena_strdup(a, p->arch);
	q->purl = sc_arena_strdup(a, p->purl);
	q->path = sc_arena_strdup(a, p->path);
	q->parent = sc_arena_strdup(a, p->parent);
	q->spec = sc_arena_strdup(a, p->spec);
	return q;
}

void sc_inventory_warn(struct sc_inventory *inv, const char *path, unsigned line, unsigned col,
		       const char *fmt, ...)
{
	struct sc_warning *w = sc_arena_alloc(inv->arena, sizeof(*w));
	w->path = sc_arena_strdup(inv->arena, path);
	w->line = line;
	w->col = col;
	va_list ap;
	va_start(ap, fmt);
	w->message = sc_arena_vprintf(inv->arena, fmt, ap);
	va_end(ap);
	sc_ptrvec_push(&inv->warnings, w);
}
