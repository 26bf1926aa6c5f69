/* lru.h - bounded hash table with least-recently-used eviction.
 *
 * Fixed-size keys and values stored inline; slots are allocated as the
 * table fills, up to cap, after which a put evicts the least recently used
 * entry. Only the first hash_size bytes of a key are hashed, so entries
 * that differ only in the rest (e.g. the network namespace after a 5-tuple)
 * share a chain and can be listed together with attr_lru_match. Not
 * thread-safe: the owner serializes access.
 */
#ifndef WT_ATTR_LRU_H
#define WT_ATTR_LRU_H

#include <stdbool.h>
#include <stdint.h>

struct attr_lru;

/* key_size and val_size in bytes; hash_size <= key_size. Keys are compared
 * with memcmp, so callers zero their padding. */
struct attr_lru *attr_lru_new(uint32_t cap, uint32_t key_size, uint32_t hash_size,
			      uint32_t val_size);
void attr_lru_free(struct attr_lru *t);

/* Value of the entry with this exact key, or NULL; marks it recently used. */
void *attr_lru_get(struct attr_lru *t, const void *key);

/* Value slot for key: the existing one, or a new zeroed one (evicting the
 * least recently used entry when full; *fresh says which). */
void *attr_lru_put(struct attr_lru *t, const void *key, bool *fresh);

/* Entries whose first hash_size key bytes equal key's: start with *it = 0,
 * call until NULL. Does not change recency. */
void *attr_lru_match(struct attr_lru *t, const void *key, uint32_t *it, const void **key_out);

bool attr_lru_del(struct attr_lru *t, const void *key);
uint32_t attr_lru_count(const struct attr_lru *t);

#endif
