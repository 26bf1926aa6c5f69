#include "export/netaddr.h"

#include <netdb.h>
#include <string.h>

int netaddr_parse(const char *opt, const char *text, struct netaddr *out, struct wt_err *err)
{
	char host[256];
	const char *colon = strrchr(text, ':');
	if (!colon || !colon[1] || (size_t)(colon - text) >= sizeof host)
		return wt_err_set(err, WT_ERR_USAGE, "--%s: '%s' is not HOST:PORT", opt, text);
	const char *h = text;
	size_t hn = (size_t)(colon - text);
	if (hn >= 2 && h[0] == '[' && h[hn - 1] == ']') { /* [IPv6]:port */
		h++;
		hn -= 2;
	}
	memcpy(host, h, hn);
	host[hn] = '\0';
	struct addrinfo hints = { .ai_family = AF_UNSPEC, .ai_socktype = SOCK_DGRAM,
				  .ai_flags = AI_NUMERICSERV };
	struct addrinfo *res = NULL;
	int rc = getaddrinfo(hn ? host : NULL, colon + 1, &hints, &res);
	if (rc != 0 || !res)
		return wt_err_set(err, WT_ERR_USAGE, "--%s: cannot resolve '%s': %s", opt, text,
				  rc ? gai_strerror(rc) : "no address");
	memset(out, 0, sizeof *out);
	memcpy(&out->sa, res->ai_addr, res->ai_addrlen);
	out->len = res->ai_addrlen;
	out->family = res->ai_family;
	freeaddrinfo(res);
	return 0;
}
