/* locals.h - this machine's addresses, to tell the local side of a
 * connection, and its default gateways (gateways.h), to mark connections
 * to them; kept current while capturing live.
 *
 * A local_set is immutable once read and shared by reference count: the
 * capture thread reads a new one when the kernel announces an address or
 * a route added or removed (a netlink route socket subscribed to address
 * and route changes, opened at start-up; no privilege needed), and hands it to every worker
 * in its ring (REC_LOCALS); each holder drops its reference when it takes
 * the next one or exits. Internal to src/engine/.
 */
#ifndef WT_ENGINE_LOCALS_H
#define WT_ENGINE_LOCALS_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "engine/gateways.h"
#include "flow/tracker.h"

struct local_set {
	_Atomic uint32_t refs;
	struct gateways gw;
	uint32_t n;
	uint8_t addr[][16]; /* sorted; IPv4 in the first 4 bytes */
};

/* The addresses of every interface and the default gateways now, with
 * one reference (the caller's); NULL when the addresses cannot be read
 * (unreadable routes leave no gateway). */
struct local_set *local_set_read(void);
struct local_set *local_set_hold(struct local_set *s);
/* Drops one reference; the last frees. NULL: nothing. */
void local_set_drop(struct local_set *s);
bool local_set_same(const struct local_set *a, const struct local_set *b);
/* The tracker's view of s (valid while a reference is held). */
struct local_addrs local_set_view(const struct local_set *s);

/* A non-blocking socket told of every address and route added or
 * removed; -1 when there is none (those read at start then stay). */
int local_watch_open(void);
/* Drains the socket; true when an address or a route came or went since
 * the last call (or announcements were lost, which may hide one). */
bool local_watch_changed(int fd);
/* Does one read of the socket (netlink messages) announce a change worth
 * reading again for: an address, or a default route? */
bool local_watch_relevant(const void *buf, size_t len);

#endif
