/* dnscache.c - fixed-size address -> name map with per-set LRU. */
#include "engine/dnscache.h"

#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "base/hash.h"
#include "base/xalloc.h"

#define DNSCACHE_DEFAULT 4096
#define DNSCACHE_MAX_SETS ((size_t)1 << 24)

struct dnscache_entry {
	uint64_t used;  /* last use stamp; 0 = empty slot */
	uint64_t expires_us;
	uint8_t family; /* 4 or 6 */
	uint8_t addr[16];
	char name[DNSCACHE_NAME_MAX + 1];
};

struct dnscache {
	size_t sets;    /* power of two */
	size_t count;
	uint64_t clock; /* last stamp handed out */
	struct dnscache_entry *slot; /* sets * DNSCACHE_WAYS */
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

static struct dnscache_entry *cache_set(const struct dnscache *c, uint8_t fam, const uint8_t key[16])
{
	uint64_t h = hash_bytes(key, 16, fam);
	return c->slot + (h & (c->sets - 1)) * DNSCACHE_WAYS;
}

static struct dnscache_entry *cache_find(struct dnscache_entry *set, uint8_t fam, const uint8_t key[16])
{
	for (int w = 0; w < DNSCACHE_WAYS; w++)
		if (set[w].used && set[w].family == fam && memcmp(set[w].addr, key, 16) == 0)
			return &set[w];
	return NULL;
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
	c->slot = xcalloc(sets * DNSCACHE_WAYS, sizeof *c->slot);
	return c;
}

void dnscache_free(struct dnscache *c)
{
	if (!c)
		return;
	free(c->slot);
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
	struct dnscache_entry *set = cache_set(c, fam, key);
	struct dnscache_entry *e = cache_find(set, fam, key);
	if (!e) { /* an empty way, else the least recently used one */
		e = &set[0];
		for (int w = 1; w < DNSCACHE_WAYS && e->used; w++)
			if (set[w].used < e->used)
				e = &set[w];
		if (!e->used)
			c->count++;
		e->family = fam;
		memcpy(e->addr, key, 16);
	}
	size_t n = strnlen(name, DNSCACHE_NAME_MAX);
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
	struct dnscache_entry *e = cache_find(cache_set(c, fam, key), fam, key);
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
