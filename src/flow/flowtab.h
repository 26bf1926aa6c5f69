/* flowtab.h - one shard's flow table: a pool of flows plus an
 * open-addressing index (linear probing, backward-shift deletion).
 * Called by the owning worker only; no locks.
 */
#ifndef WT_FLOW_FLOWTAB_H
#define WT_FLOW_FLOWTAB_H

#include <stdint.h>

#include "flow/flow.h"

#define FLOWTAB_NONE UINT32_MAX

struct flowtab;

struct flowtab *flowtab_new(uint32_t expected);
void flowtab_free(struct flowtab *t);

uint64_t flowtab_hash(const struct flow_key *k);
struct flow *flowtab_find(struct flowtab *t, const struct flow_key *k, uint64_t h);
/* A new zeroed flow with key k; never fails (memory is xalloc'd). */
struct flow *flowtab_insert(struct flowtab *t, const struct flow_key *k, uint64_t h);
/* Unlink and recycle f; the caller has released what f owns. */
void flowtab_remove(struct flowtab *t, struct flow *f);

uint32_t flowtab_count(const struct flowtab *t);
struct flow *flowtab_at(struct flowtab *t, uint32_t idx);
/* Visit every live flow (order unspecified); fn must not insert or remove. */
void flowtab_each(struct flowtab *t, void (*fn)(struct flow *f, void *arg), void *arg);
/* Ask the CPU to fetch the index slot of hash h, then (once that has
 * arrived) the flow it names: lookups of a batch of packets overlap their
 * cache misses instead of taking them one after another. */
void flowtab_prefetch_slot(const struct flowtab *t, uint64_t h);
void flowtab_prefetch_flow(struct flowtab *t, uint64_t h);

#endif
