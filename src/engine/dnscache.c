/* dnscache.c - address -> name map of at most `capacity` entries, least
 * recently used out first. */
#include "engine/dnscache.h"

#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "base/hash.h"
#include "base/xalloc.h"

#define DNSCACHE_DEFAULT 4096
#define DNSCACHE_MAX ((size_t)1 << 26)
#define NONE UINT32_MAX

/* Names up to this long live in the entry (64 bytes in all); a longer
 * one has an allocation of its own, its pointer kept in the same bytes. A
 * separate allocation for every name cost 32-48 bytes more per entry. */
#define INLINE_NAME 29

struct dnscache_entry {
	uint64_t expires_us;
	uint8_t addr[16];
	uint32_t newer, older; /* the recency list: entry numbers, NONE at its ends */
	uint8_t family;      /* 4 or 6 */
	uint8_t heap_name;   /* name holds a char * to the name, not the name */
	char name[INLINE_NAME + 1];
};
_Static_assert(sizeof(struct dnscache_entry) == 64, "an entry is one cache line");

/* Entries are packed in the order they came and grow with the answers
 * seen; the index, 4 bytes a slot and at most half full, grows with them.
 * A table of whole entries sized for the capacity cost 19 MB at 65,536,
 * and the hash scattered the first few thousand answers over nearly every
 * page of it. */
struct dnscache {
	size_t capacity;
	uint32_t count, room; /* entries in use (entry[0 .. count)), allocated */
	uint32_t newest, oldest;
	uint32_t mask;       /* index slots - 1 */
	uint32_t *index;     /* open addressing, linear probing: 1 + entry number; 0 empty */
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

static const char *entry_name(const struct dnscache_entry *e)
{
	if (!e->heap_name)
		return e->name;
	char *p;
	memcpy(&p, e->name, sizeof p);
	return p;
}

static void drop_name(struct dnscache_entry *e)
{
	if (e->heap_name) {
		char *p;
		memcpy(&p, e->name, sizeof p);
		free(p);
	}
	e->heap_name = 0;
}

static void set_name(struct dnscache_entry *e, const char *name)
{
	size_t len = strnlen(name, DNSCACHE_NAME_MAX);
	drop_name(e);
	char *dst = e->name;
	if (len > INLINE_NAME) {
		dst = xmalloc(len + 1);
		memcpy(e->name, &dst, sizeof dst);
		e->heap_name = 1;
	}
	memcpy(dst, name, len);
	dst[len] = '\0';
}

static uint32_t home_slot(const struct dnscache *c, uint8_t fam, const uint8_t key[16])
{
	return (uint32_t)hash_bytes(key, 16, fam) & c->mask;
}

/* The index slot holding the entry for key, or the empty slot ending its probe. */
static uint32_t probe(const struct dnscache *c, uint8_t fam, const uint8_t key[16])
{
	uint32_t i = home_slot(c, fam, key);
	for (; c->index[i]; i = (i + 1) & c->mask) {
		const struct dnscache_entry *e = &c->entry[c->index[i] - 1];
		if (e->family == fam && memcmp(e->addr, key, 16) == 0)
			break;
	}
	return i;
}

static void index_resize(struct dnscache *c, uint32_t slots)
{
	free(c->index);
	c->index = xcalloc(slots, sizeof *c->index);
	c->mask = slots - 1;
	for (uint32_t n = 0; n < c->count; n++)
		c->index[probe(c, c->entry[n].family, c->entry[n].addr)] = n + 1;
}

/* Empties slot i; the entries probed past it move back so that every
 * probe still reaches its entry before an empty slot. */
static void index_remove(struct dnscache *c, uint32_t i)
{
	c->index[i] = 0;
	for (uint32_t j = (i + 1) & c->mask; c->index[j]; j = (j + 1) & c->mask) {
		const struct dnscache_entry *e = &c->entry[c->index[j] - 1];
		uint32_t home = home_slot(c, e->family, e->addr);
		/* stays if its home lies cyclically in (i, j] */
		if (((j - home) & c->mask) < ((j - i) & c->mask))
			continue;
		c->index[i] = c->index[j];
		c->index[j] = 0;
		i = j;
	}
}

static void unlink_entry(struct dnscache *c, uint32_t n)
{
	struct dnscache_entry *e = &c->entry[n];
	if (e->newer != NONE)
		c->entry[e->newer].older = e->older;
	else
		c->newest = e->older;
	if (e->older != NONE)
		c->entry[e->older].newer = e->newer;
	else
		c->oldest = e->newer;
}

static void make_newest(struct dnscache *c, uint32_t n)
{
	struct dnscache_entry *e = &c->entry[n];
	e->newer = NONE;
	e->older = c->newest;
	if (c->newest != NONE)
		c->entry[c->newest].newer = n;
	else
		c->oldest = n;
	c->newest = n;
}

static void touch(struct dnscache *c, uint32_t n)
{
	if (c->newest == n)
		return;
	unlink_entry(c, n);
	make_newest(c, n);
}

/* The entry a new address takes: a new one while below capacity, else
 * the least recently used, out of the index. */
static uint32_t take_entry(struct dnscache *c)
{
	if (c->count < c->capacity) {
		if (c->count == c->room) {
			c->room = c->room ? c->room * 2 : 64;
			c->entry = xrealloc(c->entry, (size_t)c->room * sizeof *c->entry);
		}
		if ((c->count + 1) * 2 > c->mask + 1)
			index_resize(c, (c->mask + 1) * 2);
		c->entry[c->count].heap_name = 0;
		return c->count++;
	}
	uint32_t n = c->oldest;
	index_remove(c, probe(c, c->entry[n].family, c->entry[n].addr));
	unlink_entry(c, n);
	return n;
}

struct dnscache *dnscache_new(size_t capacity)
{
	if (capacity == 0)
		capacity = DNSCACHE_DEFAULT;
	struct dnscache *c = xcalloc(1, sizeof *c);
	c->capacity = capacity < DNSCACHE_MAX ? capacity : DNSCACHE_MAX;
	c->newest = c->oldest = NONE;
	c->mask = 63;
	c->index = xcalloc(c->mask + 1, sizeof *c->index);
	return c;
}

void dnscache_free(struct dnscache *c)
{
	if (!c)
		return;
	for (uint32_t n = 0; n < c->count; n++)
		drop_name(&c->entry[n]);
	free(c->entry);
	free(c->index);
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
	uint32_t i = probe(c, fam, key);
	uint32_t n;
	if (c->index[i]) {
		n = c->index[i] - 1;
		touch(c, n);
	} else {
		n = take_entry(c);
		struct dnscache_entry *e = &c->entry[n];
		e->family = fam;
		memcpy(e->addr, key, 16);
		c->index[probe(c, fam, key)] = n + 1; /* the index may have moved */
		make_newest(c, n);
	}
	struct dnscache_entry *e = &c->entry[n];
	set_name(e, name);
	e->expires_us = expires_us;
}

bool dnscache_lookup(struct dnscache *c, int family, const uint8_t addr[16], uint64_t at_us,
		     char *buf, size_t cap)
{
	uint8_t fam = cache_family(family);
	if (!fam)
		return false;
	uint8_t key[16];
	cache_key(fam, addr, key);
	uint32_t i = probe(c, fam, key);
	if (!c->index[i])
		return false;
	uint32_t n = c->index[i] - 1;
	struct dnscache_entry *e = &c->entry[n];
	if (at_us >= e->expires_us)
		return false;
	touch(c, n);
	if (cap) {
		const char *name = entry_name(e);
		size_t len = strlen(name);
		if (len >= cap)
			len = cap - 1;
		memcpy(buf, name, len);
		buf[len] = '\0';
	}
	return true;
}

size_t dnscache_count(const struct dnscache *c)
{
	return c->count;
}

size_t dnscache_capacity(const struct dnscache *c)
{
	return c->capacity;
}
