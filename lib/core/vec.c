/* vec.c - vector of pointers. */
#include "shipcheck/sc_core.h"

#include <stdlib.h>

void sc_ptrvec_push(struct sc_ptrvec *v, void *p)
{
	if (v->len == v->cap) {
		v->cap = v->cap ? v->cap * 2 : 16;
		v->items = sc_xrealloc(v->items, v->cap * sizeof(void *));
	}
	v->items[v->len++] = p;
}

void sc_ptrvec_free(struct sc_ptrvec *v)
{
	free(v->items);
	v->items = NULL;
	v->len = v->cap = 0;
}

void sc_ptrvec_sort(struct sc_ptrvec *v, int (*cmp)(const void *a, const void *b))
{
	if (v->len > 1)
		qsort(v->items, v->len, sizeof(void *), cmp);
}
