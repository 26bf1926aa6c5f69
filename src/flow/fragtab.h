/* fragtab.h - IP fragments after the first carry no ports (nor SPI, nor
 * GRE key): the first fragment's are remembered by (addresses, protocol,
 * IP ID) so the later ones count to the same flow. A fixed direct-mapped table: a
 * collision forgets the older datagram, which then counts as unmatched.
 * Owned by one tracker; no locks. */
#ifndef WT_FLOW_FRAGTAB_H
#define WT_FLOW_FRAGTAB_H

#include <stdbool.h>
#include <stdint.h>

#include "decode/pkt.h"

#define FRAGTAB_SLOTS 1024
#define FRAGTAB_TTL_US (30ull * 1000000)

struct frag_ent {
	uint8_t src[16], dst[16];
	uint32_t id;
	uint16_t l4;
	uint8_t family;
	uint8_t has_xid;
	uint16_t sport, dport;
	uint32_t xid;
	uint64_t ts_us;
};

struct fragtab {
	struct frag_ent e[FRAGTAB_SLOTS]; /* zeroed: ts_us 0 means empty */
};

/* Whether later fragments of the protocol need their first's fields. */
bool fragtab_keyed_beyond_addresses(uint16_t l4);
/* Remember a first fragment (offset 0, more fragments to come). */
void fragtab_remember(struct fragtab *t, const struct pkt *p);
/* Fill a later fragment's ports from its first; false when unknown. The
 * fragment then carries no payload for inspection. */
bool fragtab_lookup(const struct fragtab *t, struct pkt *p);

#endif
