/* ownports.h - the UDP and TCP sockets wiretop itself opens to ask DNS
 * servers (reverse lookups), so that the capture can leave them out: a
 * packet between one of these local ports and one of the servers belongs
 * to wiretop, not to anything it should show.
 *
 * DESIGN: the servers are set once, before any thread reads the set; the
 * ports are marked and cleared by the thread that opens and closes the
 * sockets and read by every worker, one relaxed atomic load per check,
 * made only for a packet that would start a new connection.
 */
#ifndef WT_BASE_OWNPORTS_H
#define WT_BASE_OWNPORTS_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#define OWN_PORTS_SERVERS 4

struct own_server {
	uint8_t family;   /* 4 or 6 */
	uint8_t addr[16]; /* IPv4 in the first four */
	uint16_t port;
};

struct own_ports {
	_Atomic uint64_t bits[65536 / 64]; /* local ports of our sockets */
	struct own_server server[OWN_PORTS_SERVERS];
	unsigned nservers;
};

void own_ports_add_server(struct own_ports *o, uint8_t family, const uint8_t addr[16], uint16_t port);
void own_ports_mark(struct own_ports *o, uint16_t port, bool ours);

/* A packet from src:sport to dst:dport (either way round) between one of
 * our ports and one of the servers. */
bool own_ports_match(const struct own_ports *o, uint8_t family, const uint8_t src[16],
		     uint16_t sport, const uint8_t dst[16], uint16_t dport);

#endif
