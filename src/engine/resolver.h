/* resolver.h - reverse DNS (PTR) names of remote addresses, through
 * c-ares; resolver.c is the only file that includes <ares.h>.
 *
 * DESIGN: resolver_open reads the system's resolver configuration
 * (/etc/resolv.conf, before the sandbox closes the file system);
 * resolver_start starts one thread, "wt-resolve", that waits on c-ares' sockets and runs its
 * callbacks; every use of the c-ares channel is under the resolver's
 * mutex. resolver_name may be called from any thread: it answers from a
 * bounded cache and, for an address not in it, queues one lookup for the
 * thread to send (at most RESOLVER_INFLIGHT at once; an address over that
 * is asked again on a later call) and returns at once, without a system
 * call but the thread's wake-up. Names are kept an hour, failures five
 * minutes. The sockets it opens are wiretop's own: their local ports are
 * marked in resolver_own_ports, which the tracker reads to keep those
 * lookups out of the connection list.
 */
#ifndef WT_ENGINE_RESOLVER_H
#define WT_ENGINE_RESOLVER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/err.h"
#include "base/ownports.h"

#define RESOLVER_INFLIGHT 32
#define RESOLVER_CACHE 4096

struct resolver;

int resolver_open(struct resolver **out, struct wt_err *err);
/* Starts its thread: after the sandbox is entered, so that the thread is
 * confined like the others (Landlock binds a thread and what it starts).
 * Lookups asked for before wait for it. NULL is a no-op. */
int resolver_start(struct resolver *r, struct wt_err *err);
/* Stops the thread and cancels what is pending; NULL is a no-op. */
void resolver_close(struct resolver *r);

/* The PTR name of addr (family 4 or 6) into buf, when one is cached;
 * otherwise starts a lookup unless one is under way or failed lately,
 * and returns false. now_us: the wall clock. */
bool resolver_name(struct resolver *r, int family, const uint8_t addr[16], uint64_t now_us,
		   char *buf, size_t cap);

/* The local ports of the sockets it asks through, and its servers. */
const struct own_ports *resolver_own_ports(const struct resolver *r);

#endif
