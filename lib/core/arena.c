/* arena.c - bump allocator: a scan's packages, findings and strings live and die together. */
#include "shipcheck/sc_core.h"

#include <stdlib.h>
#include <string.h>

#define CHUNK_MIN (64 * 1024)
#define ALIGN 16

struct chunk {
	struct chunk *next;
	size_t size;
	size_t used;
	_Alignas(ALIGN) unsigned char data[];
};

struct sc_arena {
	struct chunk *head;
	size_t total;
};

struct sc_arena *sc_arena_new(void)
{
	return sc_xcalloc(1, sizeof(struct sc_arena));
}

void sc_arena_free(struct sc_arena *a)
{
	if (!a)
		return;
	struct chunk *c = a->head;
	while (c) {
		struct chunk *n = c->next;
		free(c);
		c = n;
	}
	free(a);
}

void sc_arena_adopt(struct sc_arena *dst, struct sc_arena *src)
{
	if (!src)
		return;
	struct chunk *tail = src->head;
	while (tail && tail->next)
		tail = tail->next;
	if (tail) {
		if (dst->head) { /* behind dst's current chunk, which stays the one small allocations use */
			tail->next = dst->head->next;
			dst->head->next = src->head;
		} else {
			dst->head = src->head;
		}
	}
	dst->total += src->total;
	free(src);
}

void *sc_arena_alloc(struct sc_arena *a, size_t n)
{
	size_t need = (n + ALIGN - 1) & ~(size_t)(ALIGN - 1);
	if (need < n)
		abort();
	struct chunk *c = a->head;
	if (!c || c->size - c->used < need) {
		size_t size = need > CHUNK_MIN / 2 ? need : CHUNK_MIN;
		struct chunk *nc = sc_xmalloc(sizeof(*nc) + size);
		nc->size = size;
		nc->used = 0;
		if (c && need > CHUNK_MIN / 2) {
			/* big block: keep the current chunk as head for small allocations */
			nc->next = c->next;
			c->next = nc;
		} else {
			nc->next = c;
			a->head = nc;
		}
		c = nc;
	}
	void *p = c->data + c->used;
	c->used += need;
	a->total += need;
	memset(p, 0, n);
	return p;
}

char *sc_arena_strndup(struct sc_arena *a, const char *s, size_t n)
{
	char *p = sc_arena_alloc(a, n + 1);
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *sc_arena_strdup(struct sc_arena *a, const char *s)
{
	return s ? sc_arena_strndup(a, s, strlen(s)) : NULL;
}

char *sc_arena_vprintf(struct sc_arena *a, const char *fmt, va_list ap)
{
	/* Most strings fit the stack buffer: one formatting pass instead of measure-then-write (the
	 * measuring vsnprintf(NULL, 0) flushes a 64-byte buffer over and over). */
	char small[1024];
	va_list cp;
	va_copy(cp, ap);
	int n = vsnprintf(small, sizeof(small), fmt, cp);
	va_end(cp);
	if (n < 0)
		n = 0;
	char *p = sc_arena_alloc(a, (size_t)n + 1);
	if ((size_t)n < sizeof(small))
		memcpy(p, small, (size_t)n + 1);
	else
		vsnprintf(p, (size_t)n + 1, fmt, ap);
	return p;
}

char *sc_arena_printf(struct sc_arena *a, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *p = sc_arena_vprintf(a, fmt, ap);
	va_end(ap);
	return p;
}

size_t sc_arena_used(const struct sc_arena *a)
{
	return a->total;
}
