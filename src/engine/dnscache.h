/* dnscache.h - passive "address -> name" map fed by observed DNS answers.
 *
 * DESIGN: a single-threaded object. The worker that owns it is the only
 * caller of every function here (typically from its dpi_env.dns_answer
 * callback, and from whatever renders rows for it); share across threads
 * only behind the caller's own lock. At most `capacity` entries, found
 * through an open-addressed index; when full, the least recently used
 * (inserted or looked up) entry makes room, so inserts and lookups are
 * O(1) and a flood of answers only evicts. Memory follows the entries
 * held, not the capacity.
 *
 * Families are 4 and 6 as in struct pkt (AF_INET / AF_INET6 are accepted
 * too); addresses are 16 bytes with IPv4 in the first four.
 */
#ifndef WT_ENGINE_DNSCACHE_H
#define WT_ENGINE_DNSCACHE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define DNSCACHE_NAME_MAX 253 /* longest dotted DNS name */

struct dnscache;

/* A cache holding up to `capacity` entries (0 picks a default of 4096). */
struct dnscache *dnscache_new(size_t capacity);
void dnscache_free(struct dnscache *c);

/* Remember that `name` resolves to addr until expires_us (the answer's
 * time plus its TTL); a newer answer for the same address replaces the
 * older one, whatever their TTLs. Names longer than DNSCACHE_NAME_MAX are
 * truncated; empty names and unknown families are ignored. */
void dnscache_insert(struct dnscache *c, const char *name, int family, const uint8_t addr[16],
		     uint64_t expires_us);

/* Copy the name that addr had at time at_us into buf (always
 * NUL-terminated when cap > 0, truncated to fit) and mark the entry
 * recently used. False when unknown, or when the answer had expired by
 * at_us: an expired entry stays (until evicted) for lookups of earlier
 * times, so a connection opened while the answer held keeps its name. */
bool dnscache_lookup(struct dnscache *c, int family, const uint8_t addr[16], uint64_t at_us,
		     char *buf, size_t cap);

/* Entries currently held, and the most it holds. */
size_t dnscache_count(const struct dnscache *c);
size_t dnscache_capacity(const struct dnscache *c);

#endif
