/* ownports.c - see ownports.h. */
#include "base/ownports.h"

#include <string.h>

void own_ports_add_server(struct own_ports *o, uint8_t family, const uint8_t addr[16], uint16_t port)
{
	if (o->nservers >= OWN_PORTS_SERVERS)
		return;
	struct own_server *s = &o->server[o->nservers++];
	s->family = family;
	memset(s->addr, 0, sizeof s->addr);
	memcpy(s->addr, addr, family == 4 ? 4 : 16);
	s->port = port;
}

void own_ports_mark(struct own_ports *o, uint16_t port, bool ours)
{
	uint64_t bit = 1ull << (port & 63);
	if (ours)
		atomic_fetch_or_explicit(&o->bits[port >> 6], bit, memory_order_relaxed);
	else
		atomic_fetch_and_explicit(&o->bits[port >> 6], ~bit, memory_order_relaxed);
}

static bool ours(const struct own_ports *o, uint16_t port)
{
	return atomic_load_explicit(&o->bits[port >> 6], memory_order_relaxed) >> (port & 63) & 1;
}

static bool is_server(const struct own_ports *o, uint8_t family, const uint8_t addr[16],
		      uint16_t port)
{
	for (unsigned i = 0; i < o->nservers; i++) {
		const struct own_server *s = &o->server[i];
		if (s->family == family && s->port == port &&
		    memcmp(s->addr, addr, family == 4 ? 4 : 16) == 0)
			return true;
	}
	return false;
}

bool own_ports_match(const struct own_ports *o, uint8_t family, const uint8_t src[16],
		     uint16_t sport, const uint8_t dst[16], uint16_t dport)
{
	return (ours(o, sport) && is_server(o, family, dst, dport)) ||
	       (ours(o, dport) && is_server(o, family, src, sport));
}
