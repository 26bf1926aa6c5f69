/* lru.c - bounded hash table with least-recently-used eviction.
 *
 * Slots are numbered from 1 (0 means none). Each slot holds its hash, the
 * next slot in its bucket chain, its neighbours in the recency list, then
 * the key and the value, each rounded up to 8 bytes.
 */
#include "attr/lru.h"

#include <stdlib.h>
#include <string.h>

#include "base/hash.h"
#include "base/xalloc.h"

struct slot_hdr {
	uint64_t hash;
	uint32_t chain, newer, older;
	uint32_t used;
};

struct attr_lru {
	uint32_t cap, nslots, count;
	uint32_t key_size, hash_size, val_size;
	size_t slot_size;
	uint32_t mask;      /* buckets - 1 */
	uint32_t *bucket;   /* head slot per bucket */
	uint32_t newest, oldest, free_list;
	unsigned char *mem; /* nslots * slot_size */
};

#define ALIGN8(n) (((n) + 7u) & ~(size_t)7u)

static struct slot_hdr *slot(const struct attr_lru *t, uint32_t i)
{
	return (struct slot_hdr *)(void *)(t->mem + (size_t)(i - 1) * t->slot_size);
}

static unsigned char *slot_key(const struct attr_lru *t, uint32_t i)
{
	return (unsigned char *)slot(t, i) + sizeof(struct slot_hdr);
}

static void *slot_val(const struct attr_lru *t, uint32_t i)
{
	return slot_key(t, i) + ALIGN8(t->key_size);
}

struct attr_lru *attr_lru_new(uint32_t cap, uint32_t key_size, uint32_t hash_size,
			      uint32_t val_size)
{
	struct attr_lru *t = xcalloc(1, sizeof *t);
	uint32_t buckets = 16;

	while (buckets < cap)
		buckets <<= 1;
	t->cap = cap;
	t->key_size = key_size;
	t->hash_size = hash_size <= key_size ? hash_size : key_size;
	t->val_size = val_size;
	t->slot_size = sizeof(struct slot_hdr) + ALIGN8(key_size) + ALIGN8(val_size);
	t->mask = buckets - 1;
	t->bucket = xcalloc(buckets, sizeof *t->bucket);
	return t;
}

void attr_lru_free(struct attr_lru *t)
{
	if (!t)
		return;
	free(t->bucket);
	free(t->mem);
	free(t);
}

uint32_t attr_lru_count(const struct attr_lru *t)
{
	return t->count;
}

static uint64_t key_hash(const struct attr_lru *t, const void *key)
{
	return hash_bytes(key, t->hash_size, 0x5eed);
}

static uint32_t find(const struct attr_lru *t, const void *key, uint64_t h)
{
	for (uint32_t i = t->bucket[h & t->mask]; i; i = slot(t, i)->chain) {
		if (slot(t, i)->hash == h && memcmp(slot_key(t, i), key, t->key_size) == 0)
			return i;
	}
	return 0;
}

static void lru_unlink(struct attr_lru *t, uint32_t i)
{
	struct slot_hdr *s = slot(t, i);

	if (s->newer)
		slot(t, s->newer)->older = s->older;
	else
		t->newest = s->older;
	if (s->older)
		slot(t, s->older)->newer = s->newer;
	else
		t->oldest = s->newer;
	s->newer = s->older = 0;
}

static void lru_push(struct attr_lru *t, uint32_t i)
{
	struct slot_hdr *s = slot(t, i);

	s->older = t->newest;
	s->newer = 0;
	if (t->newest)
		slot(t, t->newest)->newer = i;
	t->newest = i;
	if (!t->oldest)
		t->oldest = i;
}

static void chain_unlink(struct attr_lru *t, uint32_t i)
{
	uint32_t *pp = &t->bucket[slot(t, i)->hash & t->mask];

	while (*pp && *pp != i)
		pp = &slot(t, *pp)->chain;
	if (*pp)
		*pp = slot(t, i)->chain;
}

static void release(struct attr_lru *t, uint32_t i)
{
	chain_unlink(t, i);
	lru_unlink(t, i);
	slot(t, i)->used = 0;
	slot(t, i)->chain = t->free_list;
	t->free_list = i;
	t->count--;
}

/* A free slot: from the free list, a newly grown one, or the oldest entry. */
static uint32_t take_slot(struct attr_lru *t)
{
	uint32_t i = t->free_list;

	if (i) {
		t->free_list = slot(t, i)->chain;
		return i;
	}
	if (t->nslots < t->cap) {
		uint32_t old = t->nslots;
		uint32_t n = old ? old * 2 : 64;
		if (n > t->cap)
			n = t->cap;
		t->mem = xrealloc(t->mem, (size_t)n * t->slot_size);
		t->nslots = n;
		for (uint32_t j = n; j > old + 1; j--) {
			slot(t, j)->used = 0;
			slot(t, j)->chain = t->free_list;
			t->free_list = j;
		}
		return old + 1;
	}
	i = t->oldest;
	release(t, i);
	t->free_list = slot(t, i)->chain;
	return i;
}

void *attr_lru_get(struct attr_lru *t, const void *key)
{
	uint32_t i = find(t, key, key_hash(t, key));

	if (!i)
		return NULL;
	lru_unlink(t, i);
	lru_push(t, i);
	return slot_val(t, i);
}

void *attr_lru_put(struct attr_lru *t, const void *key, bool *fresh)
{
	uint64_t h = key_hash(t, key);
	uint32_t i = find(t, key, h);
	struct slot_hdr *s;

	if (fresh)
		*fresh = !i;
	if (i) {
		lru_unlink(t, i);
		lru_push(t, i);
		return slot_val(t, i);
	}
	i = take_slot(t);
	s = slot(t, i);
	s->hash = h;
	s->used = 1;
	s->chain = t->bucket[h & t->mask];
	t->bucket[h & t->mask] = i;
	memcpy(slot_key(t, i), key, t->key_size);
	memset(slot_val(t, i), 0, t->val_size);
	lru_push(t, i);
	t->count++;
	return slot_val(t, i);
}

void *attr_lru_match(struct attr_lru *t, const void *key, uint32_t *it, const void **key_out)
{
	uint64_t h = key_hash(t, key);
	uint32_t i = *it ? slot(t, *it)->chain : t->bucket[h & t->mask];

	for (; i; i = slot(t, i)->chain) {
		if (slot(t, i)->hash == h && memcmp(slot_key(t, i), key, t->hash_size) == 0) {
			*it = i;
			if (key_out)
				*key_out = slot_key(t, i);
			return slot_val(t, i);
		}
	}
	*it = 0;
	return NULL;
}

bool attr_lru_del(struct attr_lru *t, const void *key)
{
	uint32_t i = find(t, key, key_hash(t, key));

	if (!i)
		return false;
	release(t, i);
	return true;
}
