#include "flow/flowtab.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "base/hash.h"
#include "base/xalloc.h"

/* Flows live in fixed chunks so a flow never moves once created. */
_Static_assert(sizeof(struct flow) <= 200, "a flow's size is paid once per tracked connection");
#define CHUNK_SHIFT 10
#define CHUNK_SIZE (1u << CHUNK_SHIFT)

/* An index slot: high 32 bits hash tag, low 32 bits pool index + 1; 0 empty.
 * A flow does not keep its hash: moving or removing its slot computes it
 * again from the key (a few multiplies, on the cache line the key is on)
 * rather than every flow paying 4 bytes for it. */
struct flowtab {
	uint64_t *slots;
	uint32_t mask;
	uint32_t count;
	struct flow **chunks;
	uint32_t nchunks, chunks_cap;
	uint32_t pool_used;  /* flows handed out from chunks so far */
	uint32_t free_head;  /* recycled flows, linked through wheel_next */
};

static uint32_t slot_idx(uint64_t s) { return (uint32_t)s - 1; }
static uint32_t slot_tag(uint64_t s) { return (uint32_t)(s >> 32); }

struct flowtab *flowtab_new(uint32_t expected)
{
	struct flowtab *t = xcalloc(1, sizeof *t);
	uint32_t cap = 1024;
	while (cap < expected * 2u && cap < (1u << 30))
		cap *= 2;
	t->slots = xcalloc(cap, sizeof *t->slots);
	t->mask = cap - 1;
	t->free_head = FLOWTAB_NONE;
	return t;
}

void flowtab_free(struct flowtab *t)
{
	if (!t)
		return;
	for (uint32_t i = 0; i < t->nchunks; i++)
		free(t->chunks[i]);
	free(t->chunks);
	free(t->slots);
	free(t);
}

/* The key is six 64-bit words; each is multiplied by its own odd
 * constant and the sum goes through one full mix, so every byte (the last
 * address bytes too) reaches every bit of the result. The last word (SPI
 * or GRE key, tunnel) is zero for most flows: it is skipped then. */
#define HASH_WORD(w, m) (((w) ^ ((w) >> 29)) * (m))
uint64_t flowtab_hash(const struct flow_key *k)
{
	_Static_assert(sizeof(struct flow_key) == 48, "flow key is six words");
	uint64_t w[6];
	memcpy(w, k, sizeof w);
	uint64_t h = HASH_WORD(w[0], 0x9e3779b97f4a7c15ULL) + HASH_WORD(w[1], 0xc2b2ae3d27d4eb4fULL) +
		     HASH_WORD(w[2], 0x165667b19e3779f9ULL) + HASH_WORD(w[3], 0xd6e8feb86659fd93ULL) +
		     HASH_WORD(w[4], 0xff51afd7ed558ccdULL);
	if (w[5])
		h += HASH_WORD(w[5], 0xc4ceb9fe1a85ec53ULL);
	return hash_mix64(h);
}

struct flow *flowtab_at(struct flowtab *t, uint32_t idx)
{
	return &t->chunks[idx >> CHUNK_SHIFT][idx & (CHUNK_SIZE - 1)];
}

struct flow *flowtab_find(struct flowtab *t, const struct flow_key *k, uint64_t h)
{
	uint32_t tag = (uint32_t)(h >> 32);
	for (uint32_t i = (uint32_t)h & t->mask;; i = (i + 1) & t->mask) {
		uint64_t s = t->slots[i];
		if (!s)
			return NULL;
		if (slot_tag(s) == tag) {
			struct flow *f = flowtab_at(t, slot_idx(s));
			if (memcmp(&f->key, k, sizeof *k) == 0)
				return f;
		}
	}
}

static void place(struct flowtab *t, uint32_t tag, uint32_t hash_lo, uint32_t idx)
{
	uint32_t i = hash_lo & t->mask;
	while (t->slots[i])
		i = (i + 1) & t->mask;
	t->slots[i] = ((uint64_t)tag << 32) | (idx + 1);
}

static void grow(struct flowtab *t)
{
	uint64_t *old = t->slots;
	uint32_t oldcap = t->mask + 1;
	t->slots = xcalloc((size_t)oldcap * 2, sizeof *t->slots);
	t->mask = oldcap * 2 - 1;
	for (uint32_t i = 0; i < oldcap; i++) {
		if (!old[i])
			continue;
		struct flow *f = flowtab_at(t, slot_idx(old[i]));
		place(t, slot_tag(old[i]), (uint32_t)flowtab_hash(&f->key), slot_idx(old[i]));
	}
	free(old);
}

static uint32_t take_flow(struct flowtab *t)
{
	if (t->free_head != FLOWTAB_NONE) {
		uint32_t idx = t->free_head;
		t->free_head = flowtab_at(t, idx)->wheel_next;
		return idx;
	}
	if (t->pool_used == t->nchunks * CHUNK_SIZE) {
		if (t->nchunks == t->chunks_cap) {
			t->chunks_cap = t->chunks_cap ? t->chunks_cap * 2 : 16;
			t->chunks = xrealloc(t->chunks, t->chunks_cap * sizeof *t->chunks);
		}
		t->chunks[t->nchunks++] = xmalloc(CHUNK_SIZE * sizeof(struct flow));
	}
	return t->pool_used++;
}

struct flow *flowtab_insert(struct flowtab *t, const struct flow_key *k, uint64_t h)
{
	if ((t->count + 1) * 2 > t->mask + 1)
		grow(t);
	uint32_t idx = take_flow(t);
	struct flow *f = flowtab_at(t, idx);
	memset(f, 0, sizeof *f);
	f->key = *k;
	f->idx = idx;
	place(t, (uint32_t)(h >> 32), (uint32_t)h, idx);
	t->count++;
	return f;
}

/* Backward-shift deletion keeps probe chains intact without tombstones. */
void flowtab_remove(struct flowtab *t, struct flow *f)
{
	uint32_t idx = f->idx;
	uint32_t i = (uint32_t)flowtab_hash(&f->key) & t->mask;
	while (slot_idx(t->slots[i]) != idx || !t->slots[i])
		i = (i + 1) & t->mask;
	for (uint32_t j = (i + 1) & t->mask;; j = (j + 1) & t->mask) {
		uint64_t s = t->slots[j];
		if (!s)
			break;
		uint32_t home = (uint32_t)flowtab_hash(&flowtab_at(t, slot_idx(s))->key) & t->mask;
		/* move s back into the hole unless its home lies in (i, j] */
		bool stays = (i <= j) ? (home > i && home <= j) : (home > i || home <= j);
		if (!stays) {
			t->slots[i] = s;
			i = j;
		}
	}
	t->slots[i] = 0;
	t->count--;
	f->wheel_next = t->free_head;
	t->free_head = idx;
}

uint32_t flowtab_count(const struct flowtab *t) { return t->count; }

void flowtab_each(struct flowtab *t, void (*fn)(struct flow *f, void *arg), void *arg)
{
	for (uint32_t i = 0; i <= t->mask; i++)
		if (t->slots[i])
			fn(flowtab_at(t, slot_idx(t->slots[i])), arg);
}

void flowtab_prefetch_slot(const struct flowtab *t, uint64_t h)
{
	__builtin_prefetch(&t->slots[(uint32_t)h & t->mask]);
}

void flowtab_prefetch_flow(struct flowtab *t, uint64_t h)
{
	uint64_t s = t->slots[(uint32_t)h & t->mask];
	if (s)
		__builtin_prefetch(flowtab_at(t, slot_idx(s)));
}
