/* netaddr.h - "HOST:PORT" (a name, an IPv4 address or [IPv6]) to a socket
 * address, for the exporters' and the metrics endpoint's options. */
#ifndef WT_EXPORT_NETADDR_H
#define WT_EXPORT_NETADDR_H

#include <sys/socket.h>

#include "base/err.h"

struct netaddr {
	struct sockaddr_storage sa;
	socklen_t len;
	int family;
};

/* opt names the option in error messages. Resolves names (before the
 * sandbox: it reads /etc/hosts and may ask DNS). */
int netaddr_parse(const char *opt, const char *text, struct netaddr *out, struct wt_err *err);

#endif
