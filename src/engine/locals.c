/* locals.c - this machine's addresses (see locals.h). */
#include "engine/locals.h"

#include <errno.h>
#include <ifaddrs.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "base/xalloc.h"

static int cmp_addr(const void *a, const void *b) { return memcmp(a, b, 16); }

static bool addr_of(const struct sockaddr *sa, uint8_t out[16])
{
	memset(out, 0, 16);
	if (sa->sa_family == AF_INET)
		memcpy(out, &((const struct sockaddr_in *)(const void *)sa)->sin_addr, 4);
	else if (sa->sa_family == AF_INET6)
		memcpy(out, &((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr, 16);
	else
		return false;
	return true;
}

struct local_set *local_set_read(void)
{
	struct ifaddrs *all;
	uint32_t n = 0;

	if (getifaddrs(&all) < 0)
		return NULL;
	for (struct ifaddrs *i = all; i; i = i->ifa_next)
		n++;
	struct local_set *s = xcalloc(1, sizeof *s + (size_t)n * 16);
	for (struct ifaddrs *i = all; i; i = i->ifa_next)
		if (i->ifa_addr && addr_of(i->ifa_addr, s->addr[s->n]))
			s->n++;
	freeifaddrs(all);
	qsort(s->addr, s->n, 16, cmp_addr);
	gateways_read(&s->gw);
	qsort(s->gw.addr, s->gw.n, 16, cmp_addr);
	atomic_init(&s->refs, 1);
	return s;
}

struct local_set *local_set_hold(struct local_set *s)
{
	if (s)
		atomic_fetch_add_explicit(&s->refs, 1, memory_order_relaxed);
	return s;
}

void local_set_drop(struct local_set *s)
{
	if (s && atomic_fetch_sub_explicit(&s->refs, 1, memory_order_acq_rel) == 1)
		free(s);
}

bool local_set_same(const struct local_set *a, const struct local_set *b)
{
	if (!a || !b)
		return a == b;
	return a->n == b->n && memcmp(a->addr, b->addr, (size_t)a->n * 16) == 0 &&
	       a->gw.n == b->gw.n && memcmp(a->gw.addr, b->gw.addr, (size_t)a->gw.n * 16) == 0;
}

struct local_addrs local_set_view(const struct local_set *s)
{
	struct local_addrs v = { 0, NULL, 0, NULL };
	if (s) {
		v.n = s->n;
		v.addr = (const uint8_t (*)[16])s->addr;
		v.gw_n = s->gw.n;
		v.gw = (const uint8_t (*)[16])s->gw.addr;
	}
	return v;
}

int local_watch_open(void)
{
	struct sockaddr_nl sa;
	int fd = socket(AF_NETLINK, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC, NETLINK_ROUTE);

	if (fd < 0)
		return -1;
	memset(&sa, 0, sizeof sa);
	sa.nl_family = AF_NETLINK;
	sa.nl_groups = RTMGRP_IPV4_IFADDR | RTMGRP_IPV6_IFADDR | RTMGRP_IPV4_ROUTE | RTMGRP_IPV6_ROUTE;
	if (bind(fd, (struct sockaddr *)&sa, sizeof sa) != 0) {
		close(fd);
		return -1;
	}
	return fd;
}

bool local_watch_relevant(const void *buf, size_t len)
{
	int left = len > (size_t)INT32_MAX ? INT32_MAX : (int)len;
	const struct nlmsghdr *h = buf;
	if (!NLMSG_OK(h, left))
		return true; /* not understood: read again to be sure */
	for (; NLMSG_OK(h, left); h = NLMSG_NEXT(h, left)) {
		bool route = h->nlmsg_type == RTM_NEWROUTE || h->nlmsg_type == RTM_DELROUTE;
		const struct rtmsg *rt = NLMSG_DATA(h);
		if (!route || h->nlmsg_len < NLMSG_LENGTH(sizeof *rt) || rt->rtm_dst_len == 0)
			return true;
	}
	return false;
}

/* Only address and route announcements arrive here (the groups bound
 * above); of routes, only a default one's matters (a host adding a route
 * per container need not read the routes again each time). */
bool local_watch_changed(int fd)
{
	_Alignas(struct nlmsghdr) char buf[8192];
	bool changed = false;

	for (;;) {
		ssize_t n = recv(fd, buf, sizeof buf, MSG_DONTWAIT);
		if (n > 0)
			changed |= local_watch_relevant(buf, (size_t)n);
		else if (n < 0 && errno == ENOBUFS) /* some were lost */
			changed = true;
		else if (n < 0 && errno == EINTR)
			continue;
		else
			return changed;
	}
}
