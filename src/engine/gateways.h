/* gateways.h - the default routes' gateways, to mark connections to them.
 *
 * Read from the kernel's routing tables over netlink (an RTM_GETROUTE
 * dump, both families; no privilege needed), at start and again whenever
 * the route watch of locals.h says a route changed. Pure but for
 * gateways_read; any thread. Internal to src/engine/.
 */
#ifndef WT_ENGINE_GATEWAYS_H
#define WT_ENGINE_GATEWAYS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define GATEWAYS_MAX 16 /* more default next hops than any host has */

struct gateways {
	uint32_t n;
	uint8_t addr[GATEWAYS_MAX][16]; /* IPv4 in the first 4 bytes; unsorted, distinct */
};

/* Adds the gateways of the default routes among the netlink messages in
 * buf (one read of a dump's reply). Returns 1 when the dump ended (its
 * NLMSG_DONE or an error message), 0 when more is to come, -1 when the
 * buffer is not netlink. */
int gateways_parse(struct gateways *g, const void *buf, size_t len);

/* The default gateways now; false (g empty) when the routes cannot be read. */
bool gateways_read(struct gateways *g);

#endif
