/* neighbours.h - the passive "address -> hardware address" table shared
 * by all workers: who is on the link, learned from ARP and IPv6 neighbour
 * discovery (decode_neighbour), for the MACs of a connection's ends.
 *
 * DESIGN: an ARP or neighbour discovery packet is seen by whichever
 * worker owns its frame, but the connection to the address it names may
 * live on another, so the table is shared behind a mutex, as names.h's.
 * Inserts happen once per such packet (every other packet costs
 * decode_may_name_neighbour's compare) and lookups once per row filled,
 * never per packet. Any thread may call every function here.
 *
 * Bounded: at most `capacity` addresses, the least recently used out
 * first (a flood of ARP only evicts), and an address not heard of for
 * NEIGHBOURS_AGE_US before a connection began is not trusted for it
 * (addresses are handed to other machines).
 */
#ifndef WT_ENGINE_NEIGHBOURS_H
#define WT_ENGINE_NEIGHBOURS_H

#include <stddef.h>

#include "base/clock.h"
#include "decode/pkt.h"
#include "flow/row.h"

#define NEIGHBOURS_AGE_US (3600 * US_PER_SEC)

struct neighbours;
struct oui;

/* capacity 0 picks a default; oui (borrowed, may be NULL) names vendors. */
struct neighbours *neighbours_new(size_t capacity, struct oui *oui);
void neighbours_free(struct neighbours *n);
/* Learns what p (decoded DECODE_OK) says about a neighbour, if anything. */
void neighbours_note(struct neighbours *n, const struct pkt *p);
/* When r's remote end is on the link (in the table, heard of within
 * NEIGHBOURS_AGE_US before r began, or since): r->lan gains its MAC and
 * its vendor ("locally administered" for an address with the U/L bit
 * set), keeping the local end's MAC the tracker gave it from the
 * connection's own frames (tracker_fill_row). ARP rows have their own
 * (arp_src_mac ...) and get none. */
void neighbours_fill_row(struct neighbours *n, struct conn_row *r);

#endif
