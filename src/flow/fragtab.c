#include "flow/fragtab.h"

#include <string.h>

#include "base/hash.h"
#include "decode/decode.h"

bool fragtab_keyed_beyond_addresses(uint16_t l4)
{
	return decode_proto_has_ports(l4) || l4 == L4_ESP || l4 == L4_AH || l4 == L4_GRE;
}

static uint32_t slot_of(const struct pkt *p)
{
	uint64_t h = hash_bytes(p->src, 16, p->frag_id) ^ hash_bytes(p->dst, 16, p->l4);
	return (uint32_t)(h % FRAGTAB_SLOTS);
}

void fragtab_remember(struct fragtab *t, const struct pkt *p)
{
	struct frag_ent *e = &t->e[slot_of(p)];
	memcpy(e->src, p->src, 16);
	memcpy(e->dst, p->dst, 16);
	e->id = p->frag_id;
	e->l4 = p->l4;
	e->family = p->family;
	e->sport = p->sport;
	e->dport = p->dport;
	e->xid = p->xid;
	e->has_xid = p->has_xid;
	e->ts_us = p->ts_us;
}

bool fragtab_lookup(const struct fragtab *t, struct pkt *p)
{
	const struct frag_ent *e = &t->e[slot_of(p)];
	if (!e->ts_us || e->id != p->frag_id || e->l4 != p->l4 || e->family != p->family ||
	    memcmp(e->src, p->src, 16) || memcmp(e->dst, p->dst, 16) ||
	    p->ts_us > e->ts_us + FRAGTAB_TTL_US)
		return false;
	p->sport = e->sport;
	p->dport = e->dport;
	p->xid = e->xid;
	p->has_xid = e->has_xid;
	p->payload_len = 0;
	p->l4_len = 0;
	p->tcp_flags = 0;
	return true;
}
