/* tuntab.h - the tunnels that inner connections came through, numbered.
 *
 * An inner connection's key holds its tunnel's number, so the same inner
 * 5-tuple in two tunnels (two tenants' address spaces in two VNIs) is two
 * connections. A tunnel is its kind, the unordered pair of outer
 * addresses, its VNI or GRE key, and the tunnel it came through itself:
 * a number stands for the whole chain down to the outermost addresses,
 * which are what picks a packet's worker (engine.c), so every packet of
 * an inner connection, both ways and every fragment, meets on one worker.
 *
 * Numbers are held by the flows and reassembly queues that use them, by
 * the tunnels inside, and by the packet being taken (tuntab_ref/unref);
 * one nobody holds is forgotten and its number used again. Owned by one
 * tracker; no locks.
 */
#ifndef WT_FLOW_TUNTAB_H
#define WT_FLOW_TUNTAB_H

#include <stdint.h>

#include "decode/pkt.h"

struct tunnel_ent {
	struct pkt_tunnel tun;       /* outer addresses as first seen */
	uint32_t parent;             /* the tunnel this one came through; 0 none */
	uint32_t refs;
	uint32_t id;                 /* its number */
	uint64_t hash;
	struct tunnel_ent *chain;
};

struct tuntab;

struct tuntab *tuntab_new(void);
void tuntab_free(struct tuntab *t);

/* The number (never 0) of tunnel `tun` inside tunnel `parent` (0: none),
 * numbered now if it is new: the caller takes a reference at once, and a
 * tunnel is forgotten when its last reference goes. */
uint32_t tuntab_number(struct tuntab *t, uint32_t parent, const struct pkt_tunnel *tun);
void tuntab_ref(struct tuntab *t, uint32_t id);
void tuntab_unref(struct tuntab *t, uint32_t id);

/* NULL for 0 or a number forgotten. */
const struct tunnel_ent *tuntab_get(const struct tuntab *t, uint32_t id);
uint32_t tuntab_count(const struct tuntab *t);

#endif
