/* dnscache.c - address -> name map of a fixed number of entries, per-set LRU. */
#include "engine/dnscache.h"

#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "base/hash.h"
#include "base/xalloc.h"

#define DNSCACHE_DEFAULT 4096
#define DNSCACHE_MAX_SETS ((size_t)1 << 24)

struct dnscache_entry {
	uint64_t used; /* last use stamp */
	uint64_t expires_us;
	char *name;    /* its own allocation: most names are far shorter than the longest */
	uint8_t family; /* 4 or 6 */
	uint8_t addr[16];
};

/* The sets hold numbers of entries, not entries: the sets are scattered by
 * the hash, so entries in them would touch a page of memory for each of
 * the first few thousand answers, however few; the entries themselves are
 * packed in the order they came and grow with the answers seen. */
struct dnscache {
	size_t sets;    /* power of two */
	size_t count;   /* entries in use: entry[0 .. count) */
	size_t room;    /* entries allocated */
	uint64_t clock; /* last stamp handed out */
	uint32_t *way;  /* sets * DNSCACHE_WAYS: 1 + the entry's index; 0 = empty */
	struct dnscache_entry *entry;
};

/* 4 or 6; 0 for anything else. */
static uint8_t cache_family(int family)
{
	if (family == 4 || family == AF_INET)
		return 4;
	if (family == 6 || family == AF_INET6)
		return 6;
	return 0;
}

/* Key bytes: IPv4 uses only the first four so stray bytes cannot split it. */
static void cache_key(uint8_t fam, const uint8_t addr[16], uint8_t key[16])
{
	memset(key, 0, 16);
	memcpy(key, addr, fam == 4 ? 4 : 16);
}

static uint32_t *cache_set(const struct dnscache *c, uint8_t fam, const uint8_t key[16])
{
	uint64_t h = hash_bytes(key, 16, fam);
	return c->way + (h & (c->sets - 1)) * DNSCACHE_WAYS;
}

static struct dnscache_entry *cache_find(const struct dnscache *c, const uint32_t *set, uint8_t fam,
					 const uint8_t key[16])
{
	for (int w = 0; w < DNSCACHE_WAYS; w++) {
		struct dnscache_entry *e = set[w] ? &c->entry[set[w] - 1] : NULL;
		if (e && e->family == fam && memcmp(e->addr, key, 16) == 0)
			return e;
	}
	return NULL;
}

/* The entry a new address takes in its set: an empty way gets a new entry
 * (the entries grow by doubling), a full set gives up its least recently
 * used one. */
static struct dnscache_entry *cache_take(struct dnscache *c, uint32_t *set)
{
	int victim = 0;
	for (int w = 0; w < DNSCACHE_WAYS; w++) {
		if (!set[w]) {
			if (c->count == c->room) {
				c->room = c->room ? c->room * 2 : 64;
				c->entry = xrealloc(c->entry, c->room * sizeof *c->entry);
			}
			set[w] = (uint32_t)++c->count;
			struct dnscache_entry *e = &c->entry[c->count - 1];
			e->name = NULL;
			return e;
		}
		if (c->entry[set[w] - 1].used < c->entry[set[victim] - 1].used)
			victim = w;
	}
	return &c->entry[set[victim] - 1];
}

struct dnscache *dnscache_new(size_t capacity)
{
	if (capacity == 0)
		capacity = DNSCACHE_DEFAULT;
	size_t sets = 1;
	while (sets * DNSCACHE_WAYS < capacity && sets < DNSCACHE_MAX_SETS)
		sets <<= 1;
	struct dnscache *c = xcalloc(1, sizeof *c);
	c->sets = sets;
	c->way = xcalloc(sets * DNSCACHE_WAYS, sizeof *c->way);
	return c;
}

void dnscache_free(struct dnscache *c)
{
	if (!c)
		return;
	for (size_t i = 0; i < c->count; i++)
		free(c->entry[i].name);
	free(c->entry);
	free(c->way);
	free(c);
}

void dnscache_insert(struct dnscache *c, const char *name, int family, const uint8_t addr[16],
		     uint64_t expires_us)
{
	uint8_t fam = cache_family(family);
	if (!fam || !name || !name[0])
		return;
	uint8_t key[16];
	cache_key(fam, addr, key);
	uint32_t *set = cache_set(c, fam, key);
	struct dnscache_entry *e = cache_find(c, set, fam, key);
	if (!e) {
		e = cache_take(c, set);
		e->family = fam;
		memcpy(e->addr, key, 16);
	}
	size_t n = strnlen(name, DNSCACHE_NAME_MAX);
	e->name = xrealloc(e->name, n + 1);
	memcpy(e->name, name, n);
	e->name[n] = '\0';
	e->expires_us = expires_us;
	e->used = ++c->clock;
}

bool dnscache_lookup(struct dnscache *c, int family, const uint8_t addr[16], uint64_t at_us,
		     char *buf, size_t cap)
{
	uint8_t fam = cache_family(family);
	if (!fam)
		return false;
	uint8_t key[16];
	cache_key(fam, addr, key);
	struct dnscache_entry *e = cache_find(c, cache_set(c, fam, key), fam, key);
	if (!e || at_us >= e->expires_us)
		return false;
	e->used = ++c->clock;
	if (cap) {
		size_t n = strlen(e->name);
		if (n >= cap)
			n = cap - 1;
		memcpy(buf, e->name, n);
		buf[n] = '\0';
	}
	return true;
}

size_t dnscache_count(const struct dnscache *c)
{
	return c->count;
}

size_t dnscache_capacity(const struct dnscache *c)
{
	return c->sets * DNSCACHE_WAYS;
}
