/* lifecycle.h - how long a connection may stay silent before it is retired.
 *
 * One table of named timeouts (seconds), overridable from the command line
 * (--timeout NAME=SECONDS) or a config file with the same NAME=SECONDS
 * lines. flow_timeout_us() picks the one that applies to a flow's protocol,
 * state and activity.
 */
#ifndef WT_FLOW_LIFECYCLE_H
#define WT_FLOW_LIFECYCLE_H

#include <stddef.h>
#include <stdint.h>

#include "base/err.h"
#include "flow/flow.h"

enum timeout_id {
	TO_TCP_SYN,          /* handshake not completed */
	TO_TCP_ESTABLISHED,  /* idle established TCP */
	TO_TCP_CLOSING,      /* FIN seen from one side */
	TO_TCP_CLOSED,       /* RST, or FIN both ways: linger, then go */
	TO_SSH,              /* idle SSH session */
	TO_UDP,              /* idle UDP without a known protocol */
	TO_DNS,              /* DNS, mDNS, LLMNR */
	TO_QUIC,             /* QUIC without an idle timeout in its parameters */
	TO_QUIC_DRAINING,
	TO_QUIC_CLOSED,      /* after CONNECTION_CLOSE */
	TO_ICMP,
	TO_ARP,
	TO_IP,               /* every other IP protocol: GRE, ESP, SCTP, IGMP, ... */
	TO_COUNT,
};

struct timeouts {
	uint32_t sec[TO_COUNT];
};

/* Flows with at least this many packets count as busy and are kept twice
 * as long while open. */
#define BUSY_FLOW_PACKETS 1000

void timeouts_default(struct timeouts *t);
/* Apply one "name=seconds" setting. */
int timeouts_set(struct timeouts *t, const char *setting, struct wt_err *err);
/* Name and meaning of each timeout, for --help and the man page. */
const char *timeout_name(enum timeout_id id);
const char *timeout_help(enum timeout_id id);
uint32_t timeout_default_sec(enum timeout_id id);

uint64_t flow_timeout_us(const struct flow *f, const struct timeouts *t);

#endif
