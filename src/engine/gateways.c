/* gateways.c - the default routes' gateways (see gateways.h). */
#include "engine/gateways.h"

#include <errno.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

static void add(struct gateways *g, const struct rtattr *a, uint8_t family)
{
	size_t alen = family == AF_INET ? 4 : 16;
	uint8_t addr[16] = { 0 };
	if (RTA_PAYLOAD(a) < alen || g->n == GATEWAYS_MAX)
		return;
	memcpy(addr, RTA_DATA(a), alen);
	for (uint32_t i = 0; i < g->n; i++)
		if (memcmp(g->addr[i], addr, 16) == 0)
			return;
	memcpy(g->addr[g->n++], addr, 16);
}

/* RTA_MULTIPATH: a list of next hops, each with its own attributes. */
static void add_multipath(struct gateways *g, const struct rtattr *mp, uint8_t family)
{
	const struct rtnexthop *nh = RTA_DATA(mp);
	int left = (int)RTA_PAYLOAD(mp);
	while (left >= (int)sizeof *nh && nh->rtnh_len >= sizeof *nh && nh->rtnh_len <= left) {
		int alen = nh->rtnh_len - (int)RTNH_LENGTH(0);
		for (const struct rtattr *a = RTNH_DATA(nh); RTA_OK(a, alen); a = RTA_NEXT(a, alen))
			if (a->rta_type == RTA_GATEWAY)
				add(g, a, family);
		left -= (int)RTNH_ALIGN(nh->rtnh_len);
		nh = RTNH_NEXT(nh);
	}
}

/* A default route (no destination prefix) of unicast type: its gateways. */
static void parse_route(struct gateways *g, const struct nlmsghdr *h)
{
	const struct rtmsg *rt = NLMSG_DATA(h);
	if (h->nlmsg_len < NLMSG_LENGTH(sizeof *rt) || rt->rtm_dst_len != 0 ||
	    rt->rtm_type != RTN_UNICAST || (rt->rtm_family != AF_INET && rt->rtm_family != AF_INET6))
		return;
	int len = (int)RTM_PAYLOAD(h);
	for (const struct rtattr *a = RTM_RTA(rt); RTA_OK(a, len); a = RTA_NEXT(a, len)) {
		if (a->rta_type == RTA_GATEWAY)
			add(g, a, rt->rtm_family);
		else if (a->rta_type == RTA_MULTIPATH)
			add_multipath(g, a, rt->rtm_family);
	}
}

int gateways_parse(struct gateways *g, const void *buf, size_t len)
{
	if (len > (size_t)INT32_MAX)
		return -1;
	int left = (int)len;
	const struct nlmsghdr *h = buf;
	if (!NLMSG_OK(h, left))
		return -1;
	for (; NLMSG_OK(h, left); h = NLMSG_NEXT(h, left)) {
		if (h->nlmsg_type == NLMSG_DONE || h->nlmsg_type == NLMSG_ERROR)
			return 1;
		if (h->nlmsg_type == RTM_NEWROUTE)
			parse_route(g, h);
	}
	return 0;
}

static bool ask(int fd)
{
	struct {
		struct nlmsghdr h;
		struct rtmsg rt;
	} req;
	struct sockaddr_nl to = { .nl_family = AF_NETLINK };
	memset(&req, 0, sizeof req);
	req.h.nlmsg_len = NLMSG_LENGTH(sizeof req.rt);
	req.h.nlmsg_type = RTM_GETROUTE;
	req.h.nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
	req.rt.rtm_family = AF_UNSPEC; /* both families */
	return sendto(fd, &req, req.h.nlmsg_len, 0, (struct sockaddr *)&to, sizeof to) ==
	       (ssize_t)req.h.nlmsg_len;
}

bool gateways_read(struct gateways *g)
{
	/* aligned for the nlmsghdr casts of the NLMSG_ macros; as large as
	 * the kernel makes one read of a dump (32 KiB), so none is cut */
	_Alignas(struct nlmsghdr) char buf[32768];
	int fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
	int r = -1;

	g->n = 0;
	if (fd < 0)
		return false;
	if (ask(fd)) {
		do {
			ssize_t n = recv(fd, buf, sizeof buf, 0);
			if (n < 0 && errno == EINTR)
				continue;
			r = n > 0 ? gateways_parse(g, buf, (size_t)n) : -1;
		} while (r == 0);
	}
	close(fd);
	if (r < 0)
		g->n = 0;
	return r > 0;
}
