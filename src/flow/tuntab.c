#include "flow/tuntab.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "base/hash.h"
#include "base/xalloc.h"

struct tuntab {
	struct tunnel_ent **ents;    /* by number; [0] unused */
	uint32_t nents;              /* numbers handed out so far + 1 */
	uint32_t *free_ids;
	uint32_t nfree;
	struct tunnel_ent **buckets;
	uint32_t nbuckets;           /* a power of two */
	uint32_t count;
	uint32_t cap;                /* room in ents and free_ids */
};

struct tuntab *tuntab_new(void)
{
	struct tuntab *t = xcalloc(1, sizeof *t);
	t->nbuckets = 64;
	t->buckets = xcalloc(t->nbuckets, sizeof *t->buckets);
	t->cap = 64;
	t->ents = xcalloc(t->cap, sizeof *t->ents);
	t->free_ids = xcalloc(t->cap, sizeof *t->free_ids);
	t->nents = 1;
	return t;
}

void tuntab_free(struct tuntab *t)
{
	if (!t)
		return;
	for (uint32_t i = 1; i < t->nents; i++)
		free(t->ents[i]);
	free(t->ents);
	free(t->free_ids);
	free(t->buckets);
	free(t);
}

/* The same hash whichever way round the outer addresses are. */
static uint64_t hash_of(uint32_t parent, const struct pkt_tunnel *tun)
{
	bool lo_src = memcmp(tun->src, tun->dst, 16) <= 0;
	uint64_t h = hash_bytes(lo_src ? tun->src : tun->dst, 16, parent);
	h = hash_bytes(lo_src ? tun->dst : tun->src, 16, h);
	uint64_t rest = (uint64_t)tun->type << 48 | (uint64_t)tun->family << 40 |
			(uint64_t)tun->has_id << 32 | tun->id;
	return hash_mix64(h ^ rest);
}

static bool same(const struct tunnel_ent *e, uint32_t parent, const struct pkt_tunnel *tun)
{
	const struct pkt_tunnel *a = &e->tun;
	if (e->parent != parent || a->type != tun->type || a->family != tun->family ||
	    a->has_id != tun->has_id || a->id != tun->id)
		return false;
	return (!memcmp(a->src, tun->src, 16) && !memcmp(a->dst, tun->dst, 16)) ||
	       (!memcmp(a->src, tun->dst, 16) && !memcmp(a->dst, tun->src, 16));
}

static void grow_buckets(struct tuntab *t)
{
	uint32_t n = t->nbuckets * 2;
	struct tunnel_ent **b = xcalloc(n, sizeof *b);
	for (uint32_t i = 0; i < t->nbuckets; i++) {
		for (struct tunnel_ent *e = t->buckets[i], *next; e; e = next) {
			next = e->chain;
			e->chain = b[e->hash & (n - 1)];
			b[e->hash & (n - 1)] = e;
		}
	}
	free(t->buckets);
	t->buckets = b;
	t->nbuckets = n;
}

static uint32_t take_id(struct tuntab *t)
{
	if (t->nfree)
		return t->free_ids[--t->nfree];
	if (t->nents == t->cap) {
		t->cap *= 2;
		t->ents = xrealloc(t->ents, t->cap * sizeof *t->ents);
		t->free_ids = xrealloc(t->free_ids, t->cap * sizeof *t->free_ids);
	}
	return t->nents++;
}

uint32_t tuntab_number(struct tuntab *t, uint32_t parent, const struct pkt_tunnel *tun)
{
	uint64_t h = hash_of(parent, tun);
	for (struct tunnel_ent *e = t->buckets[h & (t->nbuckets - 1)]; e; e = e->chain)
		if (e->hash == h && same(e, parent, tun))
			return e->id;
	if (t->count >= t->nbuckets)
		grow_buckets(t);
	struct tunnel_ent *e = xcalloc(1, sizeof *e);
	e->tun = *tun;
	e->parent = parent;
	e->hash = h;
	e->chain = t->buckets[h & (t->nbuckets - 1)];
	t->buckets[h & (t->nbuckets - 1)] = e;
	uint32_t id = take_id(t);
	e->id = id;
	t->ents[id] = e;
	t->count++;
	if (parent)
		tuntab_ref(t, parent);
	return id;
}

const struct tunnel_ent *tuntab_get(const struct tuntab *t, uint32_t id)
{
	return id && id < t->nents ? t->ents[id] : NULL;
}

uint32_t tuntab_count(const struct tuntab *t) { return t->count; }

void tuntab_ref(struct tuntab *t, uint32_t id)
{
	if (id && id < t->nents && t->ents[id])
		t->ents[id]->refs++;
}

static void forget(struct tuntab *t, uint32_t id)
{
	struct tunnel_ent *e = t->ents[id];
	struct tunnel_ent **pp = &t->buckets[e->hash & (t->nbuckets - 1)];
	while (*pp != e)
		pp = &(*pp)->chain;
	*pp = e->chain;
	t->ents[id] = NULL;
	t->free_ids[t->nfree++] = id;
	t->count--;
	uint32_t parent = e->parent;
	free(e);
	if (parent)
		tuntab_unref(t, parent);
}

void tuntab_unref(struct tuntab *t, uint32_t id)
{
	if (!id || id >= t->nents || !t->ents[id])
		return;
	if (t->ents[id]->refs > 0 && --t->ents[id]->refs == 0)
		forget(t, id);
}
