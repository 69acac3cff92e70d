/* map.c - open-addressing hash map from string keys (borrowed) to pointers. */
#include "shipcheck/sc_core.h"

#include <stdlib.h>
#include <string.h>

struct slot {
	const char *key;
	void *value;
	uint64_t hash;
};

struct sc_map {
	struct slot *slots;
	size_t cap; /* power of two */
	size_t len;
};

uint64_t sc_hash_bytes(const void *data, size_t n)
{
	/* FNV-1a 64 with a final avalanche (splitmix). */
	const unsigned char *p = data;
	uint64_t h = 1469598103934665603ULL;
	for (size_t i = 0; i < n; i++) {
		h ^= p[i];
		h *= 1099511628211ULL;
	}
	h ^= h >> 30;
	h *= 0xbf58476d1ce4e5b9ULL;
	h ^= h >> 27;
	h *= 0x94d049bb133111ebULL;
	h ^= h >> 31;
	return h;
}

struct sc_map *sc_map_new(void)
{
	struct sc_map *m = sc_xcalloc(1, sizeof(*m));
	m->cap = 16;
	m->slots = sc_xcalloc(m->cap, sizeof(struct slot));
	return m;
}

void sc_map_free(struct sc_map *m)
{
	if (!m)
		return;
	free(m->slots);
	free(m);
}

static struct slot *find(const struct sc_map *m, const char *key, uint64_t h)
{
	size_t mask = m->cap - 1;
	for (size_t i = h & mask;; i = (i + 1) & mask) {
		struct slot *s = &m->slots[i];
		if (!s->key || (s->hash == h && strcmp(s->key, key) == 0))
			return s;
	}
}

static void grow(struct sc_map *m)
{
	struct slot *old = m->slots;
	size_t oldcap = m->cap;
	m->cap *= 2;
	m->slots = sc_xcalloc(m->cap, sizeof(struct slot));
	for (size_t i = 0; i < oldcap; i++) {
		if (old[i].key) {
			struct slot *s = find(m, old[i].key, old[i].hash);
			*s = old[i];
		}
	}
	free(old);
}

void *sc_map_put(struct sc_map *m, const char *key, void *value)
{
	if ((m->len + 1) * 4 > m->cap * 3)
		grow(m);
	uint64_t h = sc_hash_bytes(key, strlen(key));
	struct slot *s = find(m, key, h);
	void *prev = NULL;
	if (s->key) {
		prev = s->value;
	} else {
		s->key = key;
		s->hash = h;
		m->len++;
	}
	s->value = value;
	return prev;
}

void *sc_map_get(const struct sc_map *m, const char *key)
{
	uint64_t h = sc_hash_bytes(key, strlen(key));
	const struct slot *s = find(m, key, h);
	return s->key ? s->value : NULL;
}

size_t sc_map_len(const struct sc_map *m)
{
	return m->len;
}

bool sc_map_next(const struct sc_map *m, size_t *it, const char **key, void **value)
{
	while (*it < m->cap) {
		const struct slot *s = &m->slots[(*it)++];
		if (s->key) {
			if (key)
				*key = s->key;
			if (value)
				*value = s->value;
			return true;
		}
	}
	return false;
}
