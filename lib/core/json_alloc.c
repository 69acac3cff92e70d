/* json_alloc.c - jansson's allocation functions (see sc_json_alloc.h): malloc/free, except inside
 * a thread's scope, where allocations are bumped from the thread's blocks and frees of pointers in
 * those blocks do nothing. Installed by a constructor, before any jansson call can allocate: a
 * pointer malloc'd by jansson is never handed to the scope's free or the other way round. Parsing
 * an OSV record is ~40% malloc/free otherwise. */
#include "sc_json_alloc.h"

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>

#include "shipcheck/sc_core.h"

#define BLOCK (64u << 10) /* under malloc's mmap threshold: blocks come from the heap */

struct block {
	struct block *next;
	size_t used, cap;
	_Alignas(16) unsigned char data[];
};

static _Thread_local struct block *blocks; /* newest first; all freed when the scope ends */
static _Thread_local bool in_scope;

static bool owned(const void *p)
{
	for (const struct block *b = blocks; b; b = b->next)
		if ((const unsigned char *)p >= b->data && (const unsigned char *)p < b->data + b->cap)
			return true;
	return false;
}

static void *scope_malloc(size_t n)
{
	if (!in_scope)
		return malloc(n);
	n = (n + 15) & ~(size_t)15;
	if (!blocks || blocks->cap - blocks->used < n) {
		size_t cap = n > BLOCK ? n : BLOCK;
		struct block *b = sc_xmalloc(sizeof(*b) + cap);
		b->next = blocks;
		b->used = 0;
		b->cap = cap;
		blocks = b;
	}
	void *p = blocks->data + blocks->used;
	blocks->used += n;
	return p;
}

static void scope_free(void *p)
{
	if (p && !owned(p))
		free(p);
}

__attribute__((constructor)) static void install(void)
{
	json_set_alloc_funcs(scope_malloc, scope_free);
}

void sc_json_scope_begin(void)
{
	in_scope = true;
}

void sc_json_scope_end(void)
{
	in_scope = false;
	while (blocks) {
		struct block *b = blocks;
		blocks = b->next;
		free(b);
	}
}
