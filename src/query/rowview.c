/* rowview.c - what the fields table and the views both say about a row:
 * protocol name, address text, the remote's host name, the application.
 */
#include "query/query.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "decode/pkt.h"

static const struct {
	uint8_t l4;
	const char *name;
} proto_names[] = {
	{ L4_TCP, "TCP" }, { L4_UDP, "UDP" }, { L4_ICMP, "ICMP" },
	{ L4_ICMPV6, "ICMPv6" }, { L4_ARP, "ARP" },
};

const char *query_proto_name(uint8_t l4)
{
	for (size_t i = 0; i < sizeof proto_names / sizeof proto_names[0]; i++)
		if (proto_names[i].l4 == l4)
			return proto_names[i].name;
	return "OTHER";
}

static size_t put_dec(char *p, unsigned v)
{
	char tmp[4];
	size_t n = 0;
	do {
		tmp[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	for (size_t i = 0; i < n; i++)
		p[i] = tmp[n - 1 - i];
	return n;
}

/* IPv4 by hand: this runs for every row on every filter keystroke. */
static size_t ipv4_text(char *buf, size_t cap, const uint8_t *a)
{
	char tmp[16];
	size_t n = 0;
	for (int i = 0; i < 4; i++) {
		if (i)
			tmp[n++] = '.';
		n += put_dec(tmp + n, a[i]);
	}
	if (cap == 0)
		return 0;
	if (n >= cap)
		n = cap - 1;
	memcpy(buf, tmp, n);
	buf[n] = '\0';
	return n;
}

size_t query_addr_text(char *buf, size_t cap, const uint8_t *a, uint8_t family)
{
	if (family != 6)
		return ipv4_text(buf, cap, a);
	char tmp[INET6_ADDRSTRLEN];
	if (!inet_ntop(AF_INET6, a, tmp, sizeof tmp))
		tmp[0] = '\0';
	int n = snprintf(buf, cap, "%s", tmp);
	if (n < 0 || cap == 0)
		return 0;
	return (size_t)n < cap ? (size_t)n : cap - 1;
}

/* SNI and Host name the responder: they describe the remote end only when
 * the local side initiated. */
const char *query_remote_name(const struct conn_row *r)
{
	if (query_local_index(r) != 0)
		return NULL;
	const char *s = meta_str(&r->meta, META_SNI);
	if (!s || !*s)
		s = meta_str(&r->meta, META_HTTP_HOST);
	return s && *s ? s : NULL;
}

const char *query_app_name(const struct conn_row *r)
{
	const char *a = meta_app_name(&r->meta, r->dport);
	if (a)
		return a;
	if (!query_has_ports(r))
		return NULL;
	a = query_service_name(r->l4, r->dport);
	return a ? a : query_service_name(r->l4, r->sport);
}
