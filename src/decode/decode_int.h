/* decode_int.h - the decoder's internal layers (link.c -> ip.c -> l4.c).
 *
 * Each layer reads from a struct rd positioned at its header and returns a
 * verdict. `full` tells a layer whether its reader covers all the bytes the
 * enclosing header claims (so a header that does not fit is INVALID) or
 * only what the capture kept (so it is TRUNCATED).
 */
#ifndef WT_DECODE_INT_H
#define WT_DECODE_INT_H

#include <stdbool.h>
#include <stdint.h>

#include "base/rd.h"
#include "decode/pkt.h"

/* A frame from its Ethernet header; what follows an ethertype (tags,
 * MPLS, IP, ARP; no 802.3 length); IP by its version nibble, `want` 4 or
 * 6 (0: either). */
enum decode_verdict decode_ethernet(struct rd *r, struct pkt *out);
enum decode_verdict decode_ethertype(struct rd *r, uint16_t type, struct pkt *out);
enum decode_verdict decode_ip(struct rd *r, int want, struct pkt *out);

/* IPv4 (RFC 791) and IPv6 (RFC 8200) with extension headers. */
enum decode_verdict decode_ipv4(struct rd *r, struct pkt *out);
enum decode_verdict decode_ipv6(struct rd *r, struct pkt *out);

/* The transport header in r (exactly the IP payload that was captured). */
enum decode_verdict decode_l4(struct rd *r, uint8_t proto, bool full, struct pkt *out);

static inline enum decode_verdict decode_short(bool full)
{
	return full ? DECODE_INVALID : DECODE_TRUNCATED;
}

#endif
