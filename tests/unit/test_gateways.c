/* Unit tests for src/engine/gateways.c and the route watch of locals.c:
 * which routes of a netlink dump give default gateways, and which
 * announcements are worth reading the routes again for, from messages
 * built here as the kernel writes them. */
#include "check.h"

#include <arpa/inet.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>

#include "engine/gateways.h"
#include "engine/locals.h"

struct dump {
	_Alignas(struct nlmsghdr) uint8_t b[2048];
	size_t len;
	struct nlmsghdr *cur;
};

static void *put(struct dump *d, size_t n)
{
	void *p = d->b + d->len;
	memset(p, 0, NLMSG_ALIGN(n));
	d->len += NLMSG_ALIGN(n);
	d->cur->nlmsg_len = (uint32_t)(d->b + d->len - (uint8_t *)d->cur);
	return p;
}

static void route(struct dump *d, uint8_t family, uint8_t dst_len, uint8_t type)
{
	d->cur = (struct nlmsghdr *)(d->b + d->len);
	put(d, sizeof *d->cur);
	d->cur->nlmsg_type = RTM_NEWROUTE;
	struct rtmsg *rt = put(d, sizeof *rt);
	rt->rtm_family = family;
	rt->rtm_dst_len = dst_len;
	rt->rtm_type = type;
	rt->rtm_table = RT_TABLE_MAIN;
}

static void attr(struct dump *d, uint16_t type, const void *data, size_t n)
{
	struct rtattr *a = put(d, RTA_LENGTH(n));
	a->rta_type = type;
	a->rta_len = (uint16_t)RTA_LENGTH(n);
	memcpy(RTA_DATA(a), data, n);
}

static void done(struct dump *d)
{
	d->cur = (struct nlmsghdr *)(d->b + d->len);
	put(d, sizeof *d->cur);
	d->cur->nlmsg_type = NLMSG_DONE;
	put(d, sizeof(int));
}

static bool has(const struct gateways *g, int af, const char *text)
{
	uint8_t a[16] = { 0 };
	inet_pton(af, text, a);
	for (uint32_t i = 0; i < g->n; i++)
		if (memcmp(g->addr[i], a, 16) == 0)
			return true;
	return false;
}

/* Default routes (IPv4, IPv6, a multipath one) give their gateways, once
 * each; a route to a prefix, one without a gateway and an unreachable
 * default give none. */
static void test_default_routes_give_their_gateways(void)
{
	struct dump d = { .len = 0 };
	uint8_t v4[4], v4b[4], v6[16], other[4];
	inet_pton(AF_INET, "192.0.2.1", v4);
	inet_pton(AF_INET, "192.0.2.254", v4b);
	inet_pton(AF_INET6, "fe80::1", v6);
	inet_pton(AF_INET, "198.51.100.1", other);
	uint32_t oif = 2;

	route(&d, AF_INET, 0, RTN_UNICAST);
	attr(&d, RTA_OIF, &oif, 4);
	attr(&d, RTA_GATEWAY, v4, 4);
	route(&d, AF_INET, 24, RTN_UNICAST);     /* 203.0.113.0/24 via another router */
	attr(&d, RTA_GATEWAY, other, 4);
	route(&d, AF_INET, 0, RTN_UNICAST);      /* the same gateway, another metric */
	attr(&d, RTA_GATEWAY, v4, 4);
	route(&d, AF_INET, 0, RTN_UNREACHABLE);
	attr(&d, RTA_GATEWAY, other, 4);
	route(&d, AF_INET6, 0, RTN_UNICAST);     /* a device route: no gateway */
	attr(&d, RTA_OIF, &oif, 4);
	route(&d, AF_INET6, 0, RTN_UNICAST);
	attr(&d, RTA_GATEWAY, v6, 16);
	CHECK_INT(gateways_parse(&(struct gateways){ 0 }, d.b, d.len), 0); /* no end yet */

	/* multipath: two next hops, each with its gateway */
	route(&d, AF_INET, 0, RTN_UNICAST);
	uint8_t mp[2 * RTNH_ALIGN(sizeof(struct rtnexthop) + RTA_LENGTH(4))] = { 0 };
	size_t off = 0;
	const uint8_t *hops[2] = { v4b, v4 };
	for (int i = 0; i < 2; i++) {
		struct rtnexthop *nh = (struct rtnexthop *)(void *)(mp + off);
		nh->rtnh_len = (unsigned short)(sizeof *nh + RTA_LENGTH(4));
		struct rtattr *a = RTNH_DATA(nh);
		a->rta_type = RTA_GATEWAY;
		a->rta_len = RTA_LENGTH(4);
		memcpy(RTA_DATA(a), hops[i], 4);
		off += RTNH_ALIGN(nh->rtnh_len);
	}
	attr(&d, RTA_MULTIPATH, mp, off);
	done(&d);

	struct gateways g = { 0 };
	CHECK_INT(gateways_parse(&g, d.b, d.len), 1);
	CHECK_INT(g.n, 3);
	CHECK(has(&g, AF_INET, "192.0.2.1"));
	CHECK(has(&g, AF_INET, "192.0.2.254"));
	CHECK(has(&g, AF_INET6, "fe80::1"));
	CHECK(!has(&g, AF_INET, "198.51.100.1"));
}

/* A cut message or a length past the buffer is not read beyond it. */
static void test_bad_input_is_refused(void)
{
	struct dump d = { .len = 0 };
	uint8_t v4[4] = { 192, 0, 2, 1 };
	struct gateways g = { 0 };
	route(&d, AF_INET, 0, RTN_UNICAST);
	attr(&d, RTA_GATEWAY, v4, 4);
	CHECK_INT(gateways_parse(&g, d.b, 8), -1);         /* half a header */
	d.cur->nlmsg_len = 4000;                           /* past the end */
	CHECK_INT(gateways_parse(&g, d.b, d.len), -1);
	CHECK_INT(g.n, 0);
	d.cur->nlmsg_len = (uint32_t)d.len;
	struct rtattr *a = (struct rtattr *)(void *)(d.b + NLMSG_LENGTH(sizeof(struct rtmsg)));
	a->rta_len = 200;                                  /* an attribute past its message */
	CHECK_INT(gateways_parse(&g, d.b, d.len), 0);
	CHECK_INT(g.n, 0);
}

/* The watch reads the routes again for an address or a default route
 * announced, not for another route (one per container on a busy host). */
static void test_the_watch_reads_again_for_default_routes_only(void)
{
	struct dump d = { .len = 0 };
	route(&d, AF_INET, 32, RTN_UNICAST);
	route(&d, AF_INET6, 64, RTN_UNICAST);
	d.cur->nlmsg_type = RTM_DELROUTE;
	CHECK(!local_watch_relevant(d.b, d.len));
	route(&d, AF_INET6, 0, RTN_UNICAST);
	d.cur->nlmsg_type = RTM_DELROUTE;
	CHECK(local_watch_relevant(d.b, d.len));

	struct dump a = { .len = 0 };
	route(&a, AF_INET, 24, RTN_UNICAST);
	a.cur->nlmsg_type = RTM_NEWADDR; /* an address: always */
	CHECK(local_watch_relevant(a.b, a.len));
	CHECK(local_watch_relevant(a.b, 4)); /* not understood: read again */
}

/* The machine's own routing table answers (no privilege needed). */
static void test_reads_this_machines_routes(void)
{
	struct gateways g;
	CHECK(gateways_read(&g));
	CHECK(g.n <= GATEWAYS_MAX);
}

int main(void)
{
	RUN(test_default_routes_give_their_gateways);
	RUN(test_bad_input_is_refused);
	RUN(test_the_watch_reads_again_for_default_routes_only);
	RUN(test_reads_this_machines_routes);
	return check_summary("gateways");
}
