/* host.h - what the Host view lists: the machine's listening TCP and bound
 * UDP sockets with their owners, as the source's listening callback
 * (attr_listening, the same as `wiretop --listening`) gives them, asked
 * again when the view opens and then at most every HOST_RELIST_MS while
 * it shows (ui.c). No curses here: the view
 * (view_host.c) draws what this holds.
 */
#ifndef WT_TUI_HOST_H
#define WT_TUI_HOST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "attr/attr.h"

#define HOST_PLACE_MAX 256
/* While the view shows, the sockets are listed anew at most this often
 * (each listing asks for a scan of every process's sockets). */
#define HOST_RELIST_MS 1000

/* One socket, as much of its listener as a line shows. */
struct host_socket {
	uint8_t l4, family;
	uint8_t addr[16];
	uint16_t port;
	uint64_t netns;
	char netns_name[ATTR_NETNS_NAME_MAX];
	int32_t pid;                  /* 0 unknown */
	char process[ROW_PROC_MAX];
	char user[ROW_USER_MAX];
	char place[HOST_PLACE_MAX];   /* systemd unit, else container; "" none */
	uint64_t first_us;            /* epoch µs: when first listed */
	uint64_t since_us;            /* epoch µs: the process's start when known
					 (since_listed false), else when first listed */
	bool since_listed;
	/* the connections the UI holds through it (host_join): accepted by a
	 * TCP listener, to or from a bound UDP socket; bytes as the rows count
	 * them, in: from the remote ends, out: to them */
	uint64_t conns, in_bytes, out_bytes;
};

struct host {
	struct host_socket *v;
	size_t n, cap;
	struct attr_listen_reach reach;
	bool asked;                   /* the source was asked at least once */
	bool failed;                  /* ... and could not list them: err says why */
	char err[256];
	uint32_t sel, top;
};

/* Lists every socket of the machine into h, through list (the source's
 * callback, with its ctx; NULL: the source cannot list them). */
typedef int (*host_list_fn)(void *ctx, attr_listener_fn fn, void *arg,
			    struct attr_listen_reach *reach, struct wt_err *err);
/* now_us (epoch) is when a socket not in the previous listing was first
 * listed. */
void host_build(struct host *h, host_list_fn list, void *ctx, uint64_t now_us);
/* Credits each connection of rows to the socket it went through (pure):
 * a TCP row to the listener on its responder's (dst) address and port; a
 * UDP row to the bound socket on its dst end, else on its src end; an end
 * the tracker marked remote (conn_row.local_side) is not claimed. Of
 * several, the most specific: the same address, then the family's
 * wildcard, then :: (dual-stack) for IPv4; then the one the row's process
 * holds; then the first listed. Every socket's counters are set anew. */
void host_join(struct host *h, const struct conn_row *rows, size_t n);
void host_fini(struct host *h);
/* Select line pos (clamped) and keep it inside a window of page lines. */
void host_select(struct host *h, int64_t pos, int page);

#endif
