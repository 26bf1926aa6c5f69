/* Unit tests for src/decode: hand-built frames for every link type, tags,
 * IPv4/IPv6 headers, fragments, transports, ARP and the failure verdicts. */
#include "check.h"

#include "decode/decode.h"

/* A frame under construction: ADD(f, bytes...) appends. */
struct fb {
	uint8_t b[512];
	size_t n;
};

static void fb_add(struct fb *f, const uint8_t *p, size_t n)
{
	memcpy(f->b + f->n, p, n);
	f->n += n;
}

#define ADD(f, ...) \
	fb_add(&(f), (const uint8_t[]){ __VA_ARGS__ }, sizeof((const uint8_t[]){ __VA_ARGS__ }))

#define HI(x) (uint8_t)((x) >> 8)
#define LO(x) (uint8_t)((x)&0xff)

static const uint8_t V4_SRC[16] = { 192, 168, 1, 2 };
static const uint8_t V4_DST[16] = { 10, 0, 0, 1 };
static const uint8_t V6_SRC[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 1 };
static const uint8_t V6_DST[16] = { 0x20, 0x01, 0x0d, 0xb8, [14] = 0xab, [15] = 2 };

static void eth(struct fb *f, uint16_t type)
{
	ADD(*f, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, HI(type), LO(type));
}

/* 20-byte IPv4 header 192.168.1.2 -> 10.0.0.1, id 0x1234, DF. */
static void ipv4(struct fb *f, uint8_t proto, uint16_t totlen)
{
	ADD(*f, 0x45, 0, HI(totlen), LO(totlen), 0x12, 0x34, 0x40, 0, 64, proto, 0, 0,
	    192, 168, 1, 2, 10, 0, 0, 1);
}

static void ipv6(struct fb *f, uint8_t nh, uint16_t plen)
{
	ADD(*f, 0x60, 0, 0, 0, HI(plen), LO(plen), nh, 64);
	fb_add(f, V6_SRC, 16);
	fb_add(f, V6_DST, 16);
}

/* TCP 1234 -> 80, seq 0x01020304, ack 0x05060708, 20-byte header. */
static void tcp(struct fb *f, uint8_t flags)
{
	ADD(*f, 0x04, 0xd2, 0, 80, 1, 2, 3, 4, 5, 6, 7, 8, 0x50, flags, 0xff, 0xff, 0, 0, 0, 0);
}

static void udp(struct fb *f, uint16_t sport, uint16_t dport, uint16_t len)
{
	ADD(*f, HI(sport), LO(sport), HI(dport), LO(dport), HI(len), LO(len), 0, 0);
}

/* Ethernet / IPv4 / TCP PSH|ACK with "GET " and 2 bytes of padding. */
static struct fb eth_v4_tcp(void)
{
	struct fb f = { .n = 0 };
	eth(&f, 0x0800);
	ipv4(&f, 6, 44);
	tcp(&f, TCP_PSH | TCP_ACK);
	ADD(f, 'G', 'E', 'T', ' ', 0xee, 0xee);
	return f;
}

static enum decode_verdict dec(int link, const struct fb *f, struct pkt *p)
{
	return decode_frame(link, f->b, (uint32_t)f->n, p);
}

static void check_v4_tcp(const struct pkt *p)
{
	CHECK_INT(p->family, 4);
	CHECK_INT(p->l4, L4_TCP);
	CHECK_MEM(p->src, V4_SRC, 16);
	CHECK_MEM(p->dst, V4_DST, 16);
	CHECK_INT(p->sport, 1234);
	CHECK_INT(p->dport, 80);
}

static void test_ethernet_ipv4_tcp(void)
{
	struct fb f = eth_v4_tcp();
	struct pkt p;
	memset(&p, 0xa5, sizeof p); /* stale garbage must be cleared */
	p.ts_us = 77;
	p.wirelen = 99;
	p.caplen = 55;
	CHECK_INT(dec(LINK_ETHERNET, &f, &p), DECODE_OK);
	check_v4_tcp(&p);
	CHECK_INT(p.seq, 0x01020304);
	CHECK_INT(p.ack, 0x05060708);
	CHECK_INT(p.tcp_flags, TCP_PSH | TCP_ACK);
	CHECK_INT(p.ip_payload_len, 24);
	CHECK_INT(p.payload_len, 4); /* padding is not payload */
	CHECK_INT(p.l4_len, 4);
	CHECK(p.payload == f.b + 54);
	CHECK_MEM(p.payload, "GET ", 4);
	CHECK(p.eth == f.b); /* its addresses, read once per connection */
	CHECK_INT(p.frag_more, 0);
	CHECK_INT(p.frag_id, 0);
	CHECK_INT(p.frag_off, 0);
	CHECK_INT(p.icmp_type, 0);
	CHECK_INT(p.arp_op, 0);
	CHECK_INT(p.ts_us, 77);
	CHECK_INT(p.wirelen, 99);
	CHECK_INT(p.caplen, 55);
}

static void test_tcp_syn_with_options(void)
{
	struct fb f = { .n = 0 };
	eth(&f, 0x0800);
	ipv4(&f, 6, 20 + 28);
	ADD(f, 0x04, 0xd2, 0, 80, 0xde, 0xad, 0xbe, 0xef, 0, 0, 0, 0, 0x70, TCP_SYN, 0xff, 0xff,
	    0, 0, 0, 0, 2, 4, 0x05, 0xb4, 1, 1, 4, 2); /* MSS, NOP, NOP, SACK-permitted */
	struct pkt p;
	CHECK_INT(dec(LINK_ETHERNET, &f, &p), DECODE_OK);
	CHECK_INT(p.tcp_flags, TCP_SYN);
	CHECK_INT(p.seq, 0xdeadbeef);
	CHECK_INT(p.payload_len, 0);
	CHECK_INT(p.l4_len, 0);
}

static void test_reuse_clears_previous_packet(void)
{
	struct fb f = eth_v4_tcp();
	struct pkt p;
	CHECK_INT(dec(LINK_ETHERNET, &f, &p), DECODE_OK);
	struct fb g = { .n = 0 };
	eth(&g, 0x0800);
	ipv4(&g, 17, 28);
	udp(&g, 53, 5353, 8);
	CHECK_INT(dec(LINK_ETHERNET, &g, &p), DECODE_OK);
	CHECK_INT(p.l4, L4_UDP);
	CHECK_INT(p.seq, 0);
	CHECK_INT(p.ack, 0);
	CHECK_INT(p.tcp_flags, 0);
	CHECK_INT(p.payload_len, 0);
}

static void test_single_vlan(void)
{
	struct fb f = { .n = 0 };
	eth(&f, 0x8100);
	ADD(f, 0x00, 0x64, 0x08, 0x00);
	ipv4(&f, 6, 40);
	tcp(&f, TCP_SYN);
	struct pkt p;
	CHECK_INT(dec(LINK_ETHERNET, &f, &p), DECODE_OK);
	check_v4_tcp(&p);
	CHECK_INT(p.tcp_flags, TCP_SYN);
}

static void test_qinq(void)
{
	static const uint16_t outer[] = { 0x88a8, 0x9100, 0x8100 };
	for (size_t i = 0; i < 3; i++) {
		struct fb f = { .n = 0 };
		eth(&f, outer[i]);
		ADD(f, 0x00, 0x0a, 0x81, 0x00, 0x00, 0x14, 0x86, 0xdd);
		ipv6(&f, 17, 8);
		udp(&f, 5000, 53, 8);
		struct pkt p;
		CHECK_INT(dec(LINK_ETHERNET, &f, &p), DECODE_OK);
		CHECK_INT(p.family, 6);
		CHECK_INT(p.l4, L4_UDP);
		CHECK_MEM(p.src, V6_SRC, 16);
		CHECK_MEM(p.dst, V6_DST, 16);
		CHECK_INT(p.sport, 5000);
		CHECK_INT(p.dport, 53);
	}
}

static void test_too_many_tags_is_not_ip(void)
{
	struct fb f = { .n = 0 };
	eth(&f, 0x8100);
	for (int i = 0; i < 9; i++)
		ADD(f, 0x00, 0x01, 0x81, 0x00);
	ADD(f, 0x00, 0x01, 0x08, 0x00);
	ipv4(&f, 6, 40);
	tcp(&f, TCP_SYN);
	struct pkt p;
	CHECK_INT(dec(LINK_ETHERNET, &f, &p), DECODE_NOT_IP);
}

static void test_llc_snap_ip(void)
{
	struct fb f = { .n = 0 };
	eth(&f, 8 + 20 + 8); /* 802.3 length */
	ADD(f, 0xaa, 0xaa, 0x03, 0, 0, 0, 0x08, 0x00);
	ipv4(&f, 17, 28);
	udp(&f, 67, 68, 8);
	struct pkt p;
	CHECK_INT(dec(LINK_ETHERNET, &f, &p), DECODE_OK);
	CHECK_INT(p.l4, L4_UDP);
	CHECK_INT(p.sport, 67);
}

static void test_not_ip(void)
{
	struct pkt p;
	struct fb lldp = { .n = 0 };
	eth(&lldp, 0x88cc);
	ADD(lldp, 0x02, 0x07, 0x04, 0, 1, 2, 3, 4, 5);
	CHECK_INT(dec(LINK_ETHERNET, &lldp, &p), DECODE_NOT_IP);

	struct fb ipx = { .n = 0 }; /* 802.3 raw (Novell): no LLC */
	eth(&ipx, 30);
	ADD(ipx, 0xff, 0xff, 0, 30, 0, 4);
	CHECK_INT(dec(LINK_ETHERNET, &ipx, &p), DECODE_NOT_IP);

	struct fb stp = { .n = 0 };
	eth(&stp, 38);
	ADD(stp, 0x42, 0x42, 0x03, 0, 0, 0, 0, 0);
	CHECK_INT(dec(LINK_ETHERNET, &stp, &p), DECODE_NOT_IP);
	CHECK_INT(p.family, 0);
}

static void test_pppoe_session(void)
{
	struct fb f = { .n = 0 };
	eth(&f, 0x8864);
	ADD(f, 0x11, 0x00, 0x12, 0x34, 0, 30, 0x00, 0x21);
	ipv4(&f, 6, 40);
	tcp(&f, TCP_ACK);
	struct pkt p;
	CHECK_INT(dec(LINK_ETHERNET, &f, &p), DECODE_OK);
	check_v4_tcp(&p);

	struct fb lcp = { .n = 0 };
	eth(&lcp, 0x8864);
	ADD(lcp, 0x11, 0x00, 0x12, 0x34, 0, 6, 0xc0, 0x21, 1, 1, 0, 4);
	CHECK_INT(dec(LINK_ETHERNET, &lcp, &p), DECODE_NOT_IP);
}

static void test_mpls(void)
{
	struct fb f = { .n = 0 };
	eth(&f, 0x8847);
	ADD(f, 0x00, 0x01, 0x00, 0x40, 0x00, 0x02, 0x01, 0x40); /* two labels, S on 2nd */
	ipv4(&f, 6, 40);
	tcp(&f, TCP_ACK);
	struct pkt p;
	CHECK_INT(dec(LINK_ETHERNET, &f, &p), DECODE_OK);
	check_v4_tcp(&p);
}

static void test_linux_sll(void)
{
	struct fb f = { .n = 0 };
	ADD(f, 0, 0, 0, 1, 0, 6, 1, 2, 3, 4, 5, 6, 0, 0, 0x08, 0x00);
	ipv4(&f, 17, 28 + 3);
	udp(&f, 1000, 2000, 11);
	ADD(f, 'a', 'b', 'c');
	struct pkt p;
	CHECK_INT(dec(LINK_LINUX_SLL, &f, &p), DECODE_OK);
	CHECK(p.eth == NULL); /* a cooked header has no destination address */
	CHECK_INT(p.l4, L4_UDP);
	CHECK_INT(p.sport, 1000);
	CHECK_INT(p.dport, 2000);
	CHECK_INT(p.payload_len, 3);
	CHECK_MEM(p.payload, "abc", 3);

	struct fb arp = { .n = 0 };
	ADD(arp, 0, 0, 0, 1, 0, 6, 1, 2, 3, 4, 5, 6, 0, 0, 0x08, 0x06);
	ADD(arp, 0, 1, 8, 0, 6, 4, 0, 2, 1, 2, 3, 4, 5, 6, 10, 0, 0, 9, 6, 5, 4, 3, 2, 1, 10,
	    0, 0, 1);
	CHECK_INT(dec(LINK_LINUX_SLL, &arp, &p), DECODE_OK);
	CHECK_INT(p.l4, L4_ARP);
	CHECK_INT(p.arp_op, 2);

	struct fb nl = { .n = 0 }; /* netlink: the protocol field is no ethertype */
	ADD(nl, 0, 4, 0x03, 0x38, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x08, 0x00);
	ipv4(&nl, 17, 28);
	udp(&nl, 1, 2, 8);
	nl.b[2] = 0x03;
	nl.b[3] = 0x38; /* 824 */
	CHECK_INT(dec(LINK_LINUX_SLL, &nl, &p), DECODE_NOT_IP);
}

static void test_linux_sll2(void)
{
	struct fb f = { .n = 0 };
	ADD(f, 0x86, 0xdd, 0, 0, 0, 0, 0, 3, 0, 1, 4, 6, 1, 2, 3, 4, 5, 6, 0, 0);
	ipv6(&f, 6, 20);
	tcp(&f, TCP_FIN | TCP_ACK);
	struct pkt p;
	CHECK_INT(dec(LINK_LINUX_SLL2, &f, &p), DECODE_OK);
	CHECK_INT(p.family, 6);
	CHECK_INT(p.l4, L4_TCP);
	CHECK_MEM(p.src, V6_SRC, 16);
	CHECK_INT(p.tcp_flags, TCP_FIN | TCP_ACK);
	CHECK_INT(p.dport, 80);

	struct fb cut = f;
	cut.n = 19;
	CHECK_INT(dec(LINK_LINUX_SLL2, &cut, &p), DECODE_TRUNCATED);
}

static void test_raw_links(void)
{
	struct fb v4 = { .n = 0 }, v6 = { .n = 0 };
	ipv4(&v4, 6, 40);
	tcp(&v4, TCP_SYN);
	ipv6(&v6, 17, 8);
	udp(&v6, 9, 10, 8);
	static const int raw[] = { LINK_RAW, LINK_DLT_RAW_ALT, LINK_DLT_RAW_ALT2 };
	struct pkt p;
	for (size_t i = 0; i < 3; i++) {
		CHECK_INT(dec(raw[i], &v4, &p), DECODE_OK);
		check_v4_tcp(&p);
		CHECK_INT(dec(raw[i], &v6, &p), DECODE_OK);
		CHECK_INT(p.family, 6);
		CHECK_INT(p.sport, 9);
	}
	CHECK_INT(dec(LINK_IPV4, &v4, &p), DECODE_OK);
	CHECK_INT(dec(LINK_IPV6, &v6, &p), DECODE_OK);
	CHECK_INT(dec(LINK_IPV4, &v6, &p), DECODE_INVALID);
	CHECK_INT(dec(LINK_IPV6, &v4, &p), DECODE_INVALID);

	struct fb v5 = v4;
	v5.b[0] = 0x55;
	CHECK_INT(dec(LINK_RAW, &v5, &p), DECODE_INVALID);
	struct fb empty = { .n = 0 };
	CHECK_INT(dec(LINK_RAW, &empty, &p), DECODE_TRUNCATED);
}

static void test_null_and_loop(void)
{
	struct pkt p;
	struct fb f = { .n = 0 };
	ADD(f, 2, 0, 0, 0); /* AF_INET, little-endian writer */
	ipv4(&f, 6, 40);
	tcp(&f, TCP_SYN);
	CHECK_INT(dec(LINK_NULL, &f, &p), DECODE_OK);
	check_v4_tcp(&p);
	f.b[0] = 0;
	f.b[3] = 2; /* big-endian writer */
	CHECK_INT(dec(LINK_NULL, &f, &p), DECODE_OK);
	CHECK_INT(dec(LINK_LOOP, &f, &p), DECODE_OK);
	f.b[3] = 30; /* AF_INET6 on Darwin, but an IPv4 packet */
	CHECK_INT(dec(LINK_NULL, &f, &p), DECODE_INVALID);
	f.b[3] = 7;
	CHECK_INT(dec(LINK_NULL, &f, &p), DECODE_NOT_IP);

	static const uint8_t af6[] = { 10, 24, 28, 30 };
	for (size_t i = 0; i < 4; i++) {
		struct fb g = { .n = 0 };
		ADD(g, af6[i], 0, 0, 0);
		ipv6(&g, 17, 8);
		udp(&g, 9, 10, 8);
		CHECK_INT(dec(LINK_NULL, &g, &p), DECODE_OK);
		CHECK_INT(p.family, 6);
		CHECK_INT(p.dport, 10);
	}
	struct fb cut = { .n = 0 };
	ADD(cut, 2, 0, 0);
	CHECK_INT(dec(LINK_NULL, &cut, &p), DECODE_TRUNCATED);
}

static void test_ipv4_options(void)
{
	struct fb f = { .n = 0 };
	eth(&f, 0x0800);
	ADD(f, 0x47, 0, 0, 20 + 8 + 8 + 2, 0, 1, 0, 0, 64, 17, 0, 0, 192, 168, 1, 2, 10, 0, 0,
	    1, 1, 1, 1, 1, 0x94, 4, 0, 0); /* NOPs + router alert */
	udp(&f, 1900, 1901, 10);
	ADD(f, 'h', 'i');
	struct pkt p;
	CHECK_INT(dec(LINK_ETHERNET, &f, &p), DECODE_OK);
	CHECK_INT(p.sport, 1900);
	CHECK_INT(p.dport, 1901);
	CHECK_INT(p.payload_len, 2);
	CHECK_MEM(p.payload, "hi", 2);
	CHECK_MEM(p.src, V4_SRC, 16);
}

static void test_ipv4_first_fragment(void)
{
	struct fb f = { .n = 0 };
	eth(&f, 0x0800);
	ADD(f, 0x45, 0, 0, 20 + 8 + 16, 0xab, 0xcd, 0x20, 0x00, 64, 17, 0, 0, 192, 168, 1, 2,
	    10, 0, 0, 1);
	udp(&f, 4000, 4001, 3000); /* the whole datagram's length */
	for (int i = 0; i < 16; i++)
		ADD(f, (uint8_t)i);
	struct pkt p;
	/* a fragment like any other: its data, UDP header and all, goes to
	 * reassembly; nothing past IP is read */
	CHECK_INT(dec(LINK_ETHERNET, &f, &p), DECODE_FRAGMENT);
	CHECK_INT(p.l4, L4_UDP);
	CHECK_INT(p.sport, 0);
	CHECK_INT(p.frag_more, 1);
	CHECK_INT(p.frag_id, 0xabcd);
	CHECK_INT(p.frag_off, 0);
	CHECK_INT(p.payload_len, 8 + 16); /* bounded by the IP length */
	CHECK_INT(p.l4_len, 8 + 16);
	CHECK(p.payload == f.b + 14 + 20);
}

static void test_ipv4_later_fragment(void)
{
	struct fb f = { .n = 0 };
	eth(&f, 0x0800);
	ADD(f, 0x45, 0, 0, 20 + 12, 0xab, 0xcd, 0x00, 185, 64, 17, 0, 0, 192, 168, 1, 2, 10, 0,
	    0, 1); /* offset 185 * 8, last fragment */
	ADD(f, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12);
	struct pkt p;
	CHECK_INT(dec(LINK_ETHERNET, &f, &p), DECODE_FRAGMENT);
	CHECK_INT(p.family, 4);
	CHECK_INT(p.l4, L4_UDP);
	CHECK_MEM(p.src, V4_SRC, 16);
	CHECK_MEM(p.dst, V4_DST, 16);
	CHECK_INT(p.frag_id, 0xabcd);
	CHECK_INT(p.frag_off, 1480);
	CHECK_INT(p.frag_more, 0);
	CHECK_INT(p.sport, 0);
	CHECK_INT(p.dport, 0);
	CHECK_INT(p.payload_len, 12);

	f.b[14 + 6] = 0x20; /* MF + offset: a middle fragment, TCP this time */
	f.b[14 + 9] = 6;
	CHECK_INT(dec(LINK_ETHERNET, &f, &p), DECODE_FRAGMENT);
	CHECK_INT(p.l4, L4_TCP);
	CHECK_INT(p.frag_more, 1);
	CHECK_INT(p.frag_off, 1480);
}

/* Hop-by-hop (8 bytes) then a fragment header, then TCP. */
static struct fb v6_hbh_frag(uint16_t offfl)
{
	struct fb f = { .n = 0 };
	eth(&f, 0x86dd);
	ipv6(&f, 0, 8 + 8 + 20);
	ADD(f, 44, 0, 5, 2, 0, 0, 1, 0);                                 /* HBH: router alert + PadN */
	ADD(f, 6, 0, HI(offfl), LO(offfl), 0xde, 0xad, 0xbe, 0xef); /* fragment */
	tcp(&f, TCP_SYN);
	return f;
}

static void test_ipv6_hbh_fragment(void)
{
	struct pkt p;
	struct fb first = v6_hbh_frag(0x0001);
	CHECK_INT(dec(LINK_ETHERNET, &first, &p), DECODE_FRAGMENT);
	CHECK_INT(p.family, 6);
	CHECK_INT(p.l4, L4_TCP);
	CHECK_INT(p.sport, 0);
	CHECK_INT(p.frag_more, 1);
	CHECK_INT(p.frag_off, 0);
	CHECK_INT(p.frag_id, 0xdeadbeef);
	CHECK_INT(p.ip_payload_len, 20);
	CHECK_INT(p.payload_len, 20);
	CHECK(p.payload == first.b + 14 + 40 + 16);

	struct fb later = v6_hbh_frag(0x05c8); /* offset 185 * 8, last */
	CHECK_INT(dec(LINK_ETHERNET, &later, &p), DECODE_FRAGMENT);
	CHECK_INT(p.l4, L4_TCP);
	CHECK_INT(p.frag_off, 1480);
	CHECK_INT(p.frag_id, 0xdeadbeef);
	CHECK_INT(p.frag_more, 0);
	CHECK_INT(p.sport, 0);
	CHECK_MEM(p.src, V6_SRC, 16);
	CHECK_MEM(p.dst, V6_DST, 16);

	struct fb atomic = v6_hbh_frag(0); /* RFC 6946 atomic fragment */
	CHECK_INT(dec(LINK_ETHERNET, &atomic, &p), DECODE_OK);
	CHECK_INT(p.frag_more, 0);
	CHECK_INT(p.frag_id, 0);
	CHECK_INT(p.sport, 1234);
}

static void test_ipv6_ext_chain(void)
{
	struct fb f = { .n = 0 };
	ipv6(&f, 43, 16 + 8 + 16 + 8);
	ADD(f, 60, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0); /* routing, 16 bytes */
	ADD(f, 51, 0, 1, 4, 0, 0, 0, 0);                         /* dst opts */
	ADD(f, 17, 2, 0, 0, 0, 0, 0, 1, 0, 0, 0, 7, 0, 0, 0, 0); /* AH: (2+2)*4 */
	udp(&f, 500, 4500, 8);
	struct pkt p;
	CHECK_INT(dec(LINK_RAW, &f, &p), DECODE_OK); /* AH is keyed by its SPI, not walked */
	CHECK_INT(p.l4, L4_AH);
	CHECK_INT(p.xid, 1);
	CHECK_INT(p.sport, 0);
	CHECK_INT(p.ip_payload_len, 16 + 8);
	CHECK_INT(p.l4_len, 8);

	struct fb esp = { .n = 0 };
	ipv6(&esp, 50, 8);
	ADD(esp, 0, 0, 1, 0, 0, 0, 0, 1);
	CHECK_INT(dec(LINK_RAW, &esp, &p), DECODE_OK);
	CHECK_INT(p.l4, L4_ESP);
	CHECK_INT(p.xid, 0x100);
	CHECK_INT(p.sport, 0);

	struct fb none = { .n = 0 };
	ipv6(&none, 60, 8);
	ADD(none, 59, 0, 1, 4, 0, 0, 0, 0);
	CHECK_INT(dec(LINK_RAW, &none, &p), DECODE_OK);
	CHECK_INT(p.l4, 59); /* No Next Header: a protocol like any other */

	struct fb longc = { .n = 0 }; /* nine destination-options headers, then UDP */
	ipv6(&longc, 60, 9 * 8 + 8);
	for (int i = 0; i < 9; i++)
		ADD(longc, (uint8_t)(i == 8 ? 17 : 60), 0, 1, 4, 0, 0, 0, 0);
	udp(&longc, 1, 2, 8);
	CHECK_INT(dec(LINK_RAW, &longc, &p), DECODE_OK);
	CHECK_INT(p.l4, 60); /* keyed by the header where the walk stopped */
	CHECK_INT(p.sport, 0);
}

static void test_ipv6_ext_short(void)
{
	struct pkt p;
	struct fb f = { .n = 0 };
	ipv6(&f, 0, 16);
	ADD(f, 17, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
	udp(&f, 1, 2, 8);
	CHECK_INT(dec(LINK_RAW, &f, &p), DECODE_INVALID); /* HBH of 16 leaves no UDP */
	f.b[5] = 24;
	CHECK_INT(dec(LINK_RAW, &f, &p), DECODE_OK);
	CHECK_INT(p.sport, 1);
	struct fb cut = f;
	cut.n = 40 + 12;
	CHECK_INT(dec(LINK_RAW, &cut, &p), DECODE_TRUNCATED);
}

static void test_udp_length_bounds(void)
{
	struct fb f = { .n = 0 };
	eth(&f, 0x0800);
	ipv4(&f, 17, 20 + 8 + 12);
	udp(&f, 53, 53, 8 + 4); /* UDP says 4 bytes, IP says 12 */
	ADD(f, 'd', 'a', 't', 'a', 'x', 'x', 'x', 'x', 'x', 'x', 'x', 'x');
	struct pkt p;
	CHECK_INT(dec(LINK_ETHERNET, &f, &p), DECODE_OK);
	CHECK_INT(p.payload_len, 4);
	CHECK_INT(p.l4_len, 4);
	CHECK_MEM(p.payload, "data", 4);

	f.b[14 + 20 + 5] = 200; /* UDP says more than IP carries */
	CHECK_INT(dec(LINK_ETHERNET, &f, &p), DECODE_OK);
	CHECK_INT(p.payload_len, 12);
	CHECK_INT(p.l4_len, 12);

	f.b[14 + 20 + 5] = 4; /* shorter than its own header */
	CHECK_INT(dec(LINK_ETHERNET, &f, &p), DECODE_INVALID);
}

static void test_icmp(void)
{
	struct fb f = { .n = 0 };
	eth(&f, 0x0800);
	ipv4(&f, 1, 20 + 8 + 4);
	ADD(f, 8, 0, 0xf7, 0xff, 0, 1, 0, 7, 'p', 'i', 'n', 'g');
	struct pkt p;
	CHECK_INT(dec(LINK_ETHERNET, &f, &p), DECODE_OK);
	CHECK_INT(p.l4, L4_ICMP);
	CHECK_INT(p.icmp_type, 8);
	CHECK_INT(p.icmp_code, 0);
	CHECK_INT(p.sport, 0);
	CHECK_INT(p.dport, 0);
	CHECK_INT(p.payload_len, 4);
	CHECK_MEM(p.payload, "ping", 4);

	struct fb u = { .n = 0 };
	eth(&u, 0x0800);
	ipv4(&u, 1, 20 + 4 + 4);
	ADD(u, 3, 3, 0, 0, 0, 0, 0, 0);
	CHECK_INT(dec(LINK_ETHERNET, &u, &p), DECODE_OK);
	CHECK_INT(p.icmp_type, 3);
	CHECK_INT(p.icmp_code, 3);
	CHECK_INT(p.payload_len, 4);

	struct fb cut = f; /* echo cut inside identifier/sequence */
	cut.n = 14 + 20 + 6;
	CHECK_INT(dec(LINK_ETHERNET, &cut, &p), DECODE_OK);
	CHECK_INT(p.icmp_type, 8);
	CHECK_INT(p.payload_len, 0);
	CHECK_INT(p.l4_len, 4);
	cut.n = 14 + 20 + 3;
	CHECK_INT(dec(LINK_ETHERNET, &cut, &p), DECODE_TRUNCATED);
}

static void test_icmpv6(void)
{
	struct fb f = { .n = 0 };
	ipv6(&f, 58, 8 + 2);
	ADD(f, 129, 0, 0, 0, 0x12, 0x34, 0, 1, 'h', 'i');
	struct pkt p;
	CHECK_INT(dec(LINK_RAW, &f, &p), DECODE_OK);
	CHECK_INT(p.l4, L4_ICMPV6);
	CHECK_INT(p.icmp_type, 129);
	CHECK_INT(p.payload_len, 2);
	CHECK_MEM(p.payload, "hi", 2);

	struct fb ns = { .n = 0 };
	ipv6(&ns, 58, 24);
	ADD(ns, 135, 0, 0, 0, 0, 0, 0, 0);
	fb_add(&ns, V6_DST, 16);
	CHECK_INT(dec(LINK_RAW, &ns, &p), DECODE_OK);
	CHECK_INT(p.icmp_type, 135);
	CHECK_INT(p.payload_len, 20);
}

static void test_other_ip_protocol(void)
{
	struct fb f = { .n = 0 };
	eth(&f, 0x0800);
	ipv4(&f, 89, 20 + 4); /* OSPF: no header wiretop reads; the payload is whole */
	ADD(f, 2, 1, 0, 44);
	struct pkt p;
	CHECK_INT(dec(LINK_ETHERNET, &f, &p), DECODE_OK);
	CHECK_INT(p.l4, 89);
	CHECK_INT(p.sport, 0);
	CHECK_INT(p.xid, 0);
	CHECK_INT(p.l4_len, 4);
	CHECK_INT(p.payload_len, 4);
}

static struct fb v4_proto(uint8_t proto, const uint8_t *hdr, size_t n)
{
	struct fb f = { .n = 0 };
	ipv4(&f, proto, (uint16_t)(20 + n));
	fb_add(&f, hdr, n);
	return f;
}

#define V4_PROTO(proto, ...) \
	v4_proto(proto, (const uint8_t[]){ __VA_ARGS__ }, sizeof((const uint8_t[]){ __VA_ARGS__ }))

static void test_ported_protocols(void)
{
	struct pkt p;
	/* SCTP: ports, verification tag, checksum, then an INIT chunk */
	struct fb sctp = V4_PROTO(132, 0x0b, 0x59, 0x0b, 0x5a, 0, 0, 0, 0, 1, 2, 3, 4, 1, 0, 0, 4);
	CHECK_INT(dec(LINK_RAW, &sctp, &p), DECODE_OK);
	CHECK_INT(p.l4, L4_SCTP);
	CHECK_INT(p.sport, 2905);
	CHECK_INT(p.dport, 2906);
	CHECK_INT(p.payload_len, 4);
	/* DCCP: data offset 3 words; 4 of payload after it */
	struct fb dccp = V4_PROTO(33, 0x13, 0x88, 0, 80, 3, 0, 0, 0, 0, 0, 0, 0, 'a', 'b', 'c', 'd');
	CHECK_INT(dec(LINK_RAW, &dccp, &p), DECODE_OK);
	CHECK_INT(p.l4, L4_DCCP);
	CHECK_INT(p.sport, 5000);
	CHECK_INT(p.dport, 80);
	CHECK_INT(p.payload_len, 4);
	struct fb bad = V4_PROTO(33, 0x13, 0x88, 0, 80, 2, 0, 0, 0, 0, 0, 0, 0);
	CHECK_INT(dec(LINK_RAW, &bad, &p), DECODE_INVALID); /* offset under the header */
	struct fb lite = V4_PROTO(136, 0, 7, 0, 9, 0, 8, 0, 0, 'x');
	CHECK_INT(dec(LINK_RAW, &lite, &p), DECODE_OK);
	CHECK_INT(p.l4, L4_UDPLITE);
	CHECK_INT(p.sport, 7);
	CHECK_INT(p.dport, 9);
	CHECK_INT(p.payload_len, 1);
	struct fb cut = V4_PROTO(132, 0x0b, 0x59, 0x0b, 0x5a, 0, 0, 0, 0, 1, 2, 3, 4);
	cut.n -= 2;
	CHECK_INT(dec(LINK_RAW, &cut, &p), DECODE_TRUNCATED);
}

static void test_ipsec_spi(void)
{
	struct pkt p;
	struct fb esp = V4_PROTO(50, 0xde, 0xad, 0xbe, 0xef, 0, 0, 0, 9, 0x11, 0x22);
	CHECK_INT(dec(LINK_RAW, &esp, &p), DECODE_OK);
	CHECK_INT(p.l4, L4_ESP);
	CHECK_INT(p.xid, 0xdeadbeef);
	CHECK_INT(p.has_xid, 1);
	CHECK_INT(p.payload_len, 2);
	/* AH with a 12-byte ICV: length (3 + 6 words) - 2 = 4 */
	struct fb ah = V4_PROTO(51, 6, 4, 0, 0, 0, 0, 0x10, 0x01, 0, 0, 0, 1, 1, 2, 3, 4, 5, 6, 7, 8,
				9, 10, 11, 12, 0xaa);
	CHECK_INT(dec(LINK_RAW, &ah, &p), DECODE_OK);
	CHECK_INT(p.l4, L4_AH);
	CHECK_INT(p.xid, 0x1001);
	CHECK_INT(p.payload_len, 1);
	struct fb ah_short = V4_PROTO(51, 6, 0, 0, 0, 0, 0, 0x10, 0x01, 0, 0, 0, 1);
	CHECK_INT(dec(LINK_RAW, &ah_short, &p), DECODE_INVALID); /* 8 bytes: under AH's 12 */
}

static void test_gre(void)
{
	struct pkt p;
	/* RFC 2784 without options: no key */
	struct fb plain = V4_PROTO(47, 0, 0, 0x08, 0x00, 0x45);
	CHECK_INT(dec(LINK_RAW, &plain, &p), DECODE_OK);
	CHECK_INT(p.l4, L4_GRE);
	CHECK_INT(p.has_xid, 0);
	CHECK_INT(p.gre_proto, 0x0800);
	CHECK_INT(p.payload_len, 1);
	/* checksum, key and sequence number (RFC 2890) */
	struct fb keyed = V4_PROTO(47, 0xb0, 0, 0x65, 0x58, 0, 0, 0, 0, 0, 0, 0, 42, 0, 0, 0, 1, 0xee);
	CHECK_INT(dec(LINK_RAW, &keyed, &p), DECODE_OK);
	CHECK_INT(p.has_xid, 1);
	CHECK_INT(p.xid, 42);
	CHECK_INT(p.gre_proto, 0x6558);
	CHECK_INT(p.payload_len, 1);
	/* PPTP (version 1): key = payload length 0x0010, call ID 0x0203; ack follows */
	struct fb pptp = V4_PROTO(47, 0x30, 0x81, 0x88, 0x0b, 0, 0x10, 2, 3, 0, 0, 0, 5, 0, 0, 0, 4,
				  0xff);
	CHECK_INT(dec(LINK_RAW, &pptp, &p), DECODE_OK);
	CHECK_INT(p.has_xid, 1);
	CHECK_INT(p.xid, 0x0203);
	CHECK_INT(p.gre_proto, 0); /* PPP payload: not decapsulated */
	CHECK_INT(p.payload_len, 1);
	struct fb cut = V4_PROTO(47, 0x20, 0, 0x08, 0x00, 0, 0);
	CHECK_INT(dec(LINK_RAW, &cut, &p), DECODE_INVALID); /* key announced, not there */
}

static void test_igmp(void)
{
	struct pkt p;
	struct fb query = V4_PROTO(2, 0x11, 100, 0, 0, 0, 0, 0, 0);
	CHECK_INT(dec(LINK_RAW, &query, &p), DECODE_OK);
	CHECK_INT(p.l4, L4_IGMP);
	CHECK_INT(p.icmp_type, 0x11);
	CHECK_INT(p.igmp_group, 0);
	struct fb leave = V4_PROTO(2, 0x17, 0, 0, 0, 239, 1, 2, 3);
	CHECK_INT(dec(LINK_RAW, &leave, &p), DECODE_OK);
	CHECK_INT(p.icmp_type, 0x17);
	CHECK_INT(p.igmp_group, 0xef010203);
	/* v3 report, one record: change to include mode, no source = leave */
	struct fb v3 = V4_PROTO(2, 0x22, 0, 0, 0, 0, 0, 0, 1, 3, 0, 0, 0, 239, 9, 9, 9);
	CHECK_INT(dec(LINK_RAW, &v3, &p), DECODE_OK);
	CHECK_INT(p.icmp_type, 0x22);
	CHECK_INT(p.icmp_code, 1);
	CHECK_INT(p.igmp_group, 0xef090909);
	v3.b[20 + 8] = 4; /* change to exclude mode: a join */
	CHECK_INT(dec(LINK_RAW, &v3, &p), DECODE_OK);
	CHECK_INT(p.icmp_code, 0);
	struct fb cut = V4_PROTO(2, 0x16, 0, 0, 0, 239);
	CHECK_INT(dec(LINK_RAW, &cut, &p), DECODE_INVALID);
}

/* A reassembled datagram is decoded from its IP payload on. */
static void test_datagram(void)
{
	struct fb u = { .n = 0 };
	udp(&u, 53, 5353, 8 + 4);
	ADD(u, 'd', 'n', 's', '!');
	struct pkt p;
	memset(&p, 0xa5, sizeof p);
	p.ts_us = 5;
	p.family = 4;
	memcpy(p.src, V4_SRC, 16);
	memcpy(p.dst, V4_DST, 16);
	CHECK_INT(decode_datagram(&p, 17, u.b, (uint32_t)u.n, (uint32_t)u.n), DECODE_OK);
	CHECK_INT(p.ts_us, 5);
	CHECK_INT(p.family, 4);
	CHECK_MEM(p.src, V4_SRC, 16);
	CHECK_INT(p.l4, L4_UDP);
	CHECK_INT(p.sport, 53);
	CHECK_INT(p.frag_id, 0);
	CHECK_INT(p.payload_len, 4);
	CHECK_MEM(p.payload, "dns!", 4);
	/* the capture kept only 6 bytes: the UDP header is cut */
	CHECK_INT(decode_datagram(&p, 17, u.b, 6, (uint32_t)u.n), DECODE_TRUNCATED);
	/* IPv6: a destination-options header after the fragment header */
	struct fb v = { .n = 0 };
	ADD(v, 17, 0, 1, 4, 0, 0, 0, 0);
	fb_add(&v, u.b, u.n);
	p.family = 6;
	CHECK_INT(decode_datagram(&p, 60, v.b, (uint32_t)v.n, (uint32_t)v.n), DECODE_OK);
	CHECK_INT(p.l4, L4_UDP);
	CHECK_INT(p.dport, 5353);
	CHECK_INT(p.ip_payload_len, 12);
	/* a fragment header inside a datagram put together: not followed */
	struct fb w = { .n = 0 };
	ADD(w, 17, 0, 0, 1, 0, 0, 0, 1);
	fb_add(&w, u.b, u.n);
	CHECK_INT(decode_datagram(&p, 44, w.b, (uint32_t)w.n, (uint32_t)w.n), DECODE_INVALID);
}

/* RFC 8200 4.5: the first fragment holds every header through the
 * upper-layer header. */
static void test_ip6_first_fragment_headers(void)
{
	const uint8_t dst_opts[8] = { 6, 0, 1, 4, 0, 0, 0, 0 };
	CHECK(decode_ip6_upper_header_fits(6, NULL, 0, 20));
	CHECK(!decode_ip6_upper_header_fits(6, NULL, 0, 19));
	CHECK(decode_ip6_upper_header_fits(17, NULL, 0, 8));
	CHECK(!decode_ip6_upper_header_fits(17, NULL, 0, 7));
	CHECK(decode_ip6_upper_header_fits(50, NULL, 0, 1));
	CHECK(decode_ip6_upper_header_fits(60, dst_opts, 8, 8 + 20));
	CHECK(!decode_ip6_upper_header_fits(60, dst_opts, 8, 8 + 19));
	CHECK(decode_ip6_upper_header_fits(60, dst_opts, 1, 9)); /* cut by the capture: no telling */
}

/* IPv4 172.16.0.1 -> 172.16.0.2, TCP SYN 1234 -> 80: a tunnel's cargo. */
static void inner_v4_tcp(struct fb *f)
{
	ADD(*f, 0x45, 0, 0, 40, 0, 1, 0, 0, 64, 6, 0, 0, 172, 16, 0, 1, 172, 16, 0, 2);
	tcp(f, TCP_SYN);
}

static const uint8_t INNER_SRC[16] = { 172, 16, 0, 1 };

/* Ethernet / IPv4 / UDP 50000 -> dport / an 8-byte tunnel header / inner. */
static struct fb udp_tunnel(uint16_t dport, const uint8_t hdr[8], uint16_t inner_type)
{
	struct fb f = { .n = 0 };
	eth(&f, 0x0800);
	ipv4(&f, 17, 20 + 8 + 8 + 14 + 40);
	udp(&f, 50000, dport, 8 + 8 + 14 + 40);
	fb_add(&f, hdr, 8);
	eth(&f, inner_type);
	inner_v4_tcp(&f);
	return f;
}

static bool tunnel_of(const struct fb *f, int link, struct pkt *in, struct pkt_tunnel *tun,
		      enum decode_verdict *v)
{
	struct pkt out;
	if (dec(link, f, &out) != DECODE_OK)
		return false;
	return decode_tunnel(&out, in, tun, v);
}

static void check_inner(const struct pkt *in, enum decode_verdict v)
{
	CHECK_INT(v, DECODE_OK);
	CHECK_INT(in->l4, L4_TCP);
	CHECK_MEM(in->src, INNER_SRC, 16);
	CHECK_INT(in->sport, 1234);
	CHECK_INT(in->tcp_flags, TCP_SYN);
}

static void test_vxlan_and_geneve(void)
{
	static const uint8_t vx[8] = { 0x08, 0, 0, 0, 0, 0, 42, 0 };
	static const uint8_t vx_gpe[8] = { 0x0c, 0, 0, 3, 0, 0, 42, 0 }; /* more flags than I */
	struct pkt in;
	struct pkt_tunnel tun;
	enum decode_verdict v;
	struct fb f = udp_tunnel(4789, vx, 0x0800);
	CHECK(tunnel_of(&f, LINK_ETHERNET, &in, &tun, &v));
	check_inner(&in, v);
	CHECK_INT(tun.type, TUNNEL_VXLAN);
	CHECK_INT(tun.has_id, 1);
	CHECK_INT(tun.id, 42);
	CHECK_INT(tun.family, 4);
	CHECK_MEM(tun.src, V4_SRC, 16); /* the outer addresses: what picks the worker */
	CHECK_MEM(tun.dst, V4_DST, 16);
	CHECK_STR(decode_tunnel_name(tun.type), "vxlan");
	f = udp_tunnel(9999, vx, 0x0800); /* another port: the header validates */
	CHECK(tunnel_of(&f, LINK_ETHERNET, &in, &tun, &v));
	check_inner(&in, v);
	f = udp_tunnel(9999, vx_gpe, 0x0800);
	CHECK(!tunnel_of(&f, LINK_ETHERNET, &in, &tun, &v));
	f = udp_tunnel(4789, vx_gpe, 0x0800); /* its own port: the I flag suffices */
	CHECK(tunnel_of(&f, LINK_ETHERNET, &in, &tun, &v));
	f = udp_tunnel(9999, vx, 0x88cc); /* not IP inside: only on its own port */
	CHECK(!tunnel_of(&f, LINK_ETHERNET, &in, &tun, &v));
	f = udp_tunnel(4789, vx, 0x88cc);
	CHECK(tunnel_of(&f, LINK_ETHERNET, &in, &tun, &v));
	CHECK_INT(v, DECODE_NOT_IP);

	static const uint8_t gn[8] = { 0, 0, 0x65, 0x58, 0, 0, 7, 0 };
	f = udp_tunnel(6081, gn, 0x0800);
	CHECK(tunnel_of(&f, LINK_ETHERNET, &in, &tun, &v));
	check_inner(&in, v);
	CHECK_INT(tun.type, TUNNEL_GENEVE);
	CHECK_INT(tun.id, 7);
	f = udp_tunnel(12345, gn, 0x0800);
	CHECK(tunnel_of(&f, LINK_ETHERNET, &in, &tun, &v));
	CHECK_INT(tun.type, TUNNEL_GENEVE);
	/* options: one 4-byte option, then the frame */
	struct fb o = { .n = 0 };
	eth(&o, 0x0800);
	ipv4(&o, 17, 20 + 8 + 12 + 14 + 40);
	udp(&o, 50000, 6081, 8 + 12 + 14 + 40);
	ADD(o, 1, 0x80, 0x65, 0x58, 0, 0, 9, 0, 0x01, 0x02, 0x03, 0x00);
	eth(&o, 0x0800);
	inner_v4_tcp(&o);
	CHECK(tunnel_of(&o, LINK_ETHERNET, &in, &tun, &v));
	check_inner(&in, v);
	CHECK_INT(tun.id, 9);
	/* plain UDP on another port stays UDP */
	struct fb dns = { .n = 0 };
	eth(&dns, 0x0800);
	ipv4(&dns, 17, 20 + 8 + 12);
	udp(&dns, 5353, 5353, 8 + 12);
	ADD(dns, 0x08, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0);
	CHECK(!tunnel_of(&dns, LINK_ETHERNET, &in, &tun, &v));
}

static void test_gre_and_ip_in_ip(void)
{
	struct pkt in;
	struct pkt_tunnel tun;
	enum decode_verdict v;
	struct fb gre = { .n = 0 };
	ipv4(&gre, 47, 20 + 8 + 40);
	ADD(gre, 0x20, 0, 0x08, 0x00, 0, 0, 0, 5); /* key 5, IPv4 */
	inner_v4_tcp(&gre);
	CHECK(tunnel_of(&gre, LINK_RAW, &in, &tun, &v));
	check_inner(&in, v);
	CHECK_INT(tun.type, TUNNEL_GRE);
	CHECK_INT(tun.has_id, 1);
	CHECK_INT(tun.id, 5);
	struct fb teb = { .n = 0 }; /* transparent Ethernet bridging, no key */
	ipv4(&teb, 47, 20 + 4 + 14 + 40);
	ADD(teb, 0, 0, 0x65, 0x58);
	eth(&teb, 0x0800);
	inner_v4_tcp(&teb);
	CHECK(tunnel_of(&teb, LINK_RAW, &in, &tun, &v));
	check_inner(&in, v);
	CHECK_INT(tun.has_id, 0);
	struct fb ipip = { .n = 0 };
	ipv4(&ipip, 4, 20 + 40);
	inner_v4_tcp(&ipip);
	CHECK(tunnel_of(&ipip, LINK_RAW, &in, &tun, &v));
	check_inner(&in, v);
	CHECK_INT(tun.type, TUNNEL_IPIP);
	struct fb sixin4 = { .n = 0 };
	ipv4(&sixin4, 41, 20 + 40 + 8);
	ipv6(&sixin4, 17, 8);
	udp(&sixin4, 53, 53, 8);
	CHECK(tunnel_of(&sixin4, LINK_RAW, &in, &tun, &v));
	CHECK_INT(v, DECODE_OK);
	CHECK_INT(tun.type, TUNNEL_6IN4);
	CHECK_INT(in.family, 6);
	CHECK_MEM(in.src, V6_SRC, 16);
	struct fb fourin6 = { .n = 0 };
	ipv6(&fourin6, 4, 40);
	inner_v4_tcp(&fourin6);
	CHECK(tunnel_of(&fourin6, LINK_RAW, &in, &tun, &v));
	check_inner(&in, v);
	CHECK_INT(tun.type, TUNNEL_4IN6);
	CHECK_INT(tun.family, 6);
	CHECK_MEM(tun.src, V6_SRC, 16);
	/* GRE carrying what is no tunnel's (an experimental type): no inner */
	struct fb other = { .n = 0 };
	ipv4(&other, 47, 20 + 4 + 4);
	ADD(other, 0, 0, 0x88, 0xb5, 1, 2, 3, 4);
	CHECK(!tunnel_of(&other, LINK_RAW, &in, &tun, &v));
	/* a TCP packet is no tunnel */
	struct fb t = eth_v4_tcp();
	CHECK(!tunnel_of(&t, LINK_ETHERNET, &in, &tun, &v));
}

static void test_proto_names(void)
{
	CHECK_STR(decode_proto_name(L4_TCP), "TCP");
	CHECK_STR(decode_proto_name(L4_ICMPV6), "ICMPv6");
	CHECK_STR(decode_proto_name(L4_GRE), "GRE");
	CHECK_STR(decode_proto_name(L4_ESP), "ESP");
	CHECK_STR(decode_proto_name(L4_AH), "AH");
	CHECK_STR(decode_proto_name(L4_SCTP), "SCTP");
	CHECK_STR(decode_proto_name(L4_IGMP), "IGMP");
	CHECK_STR(decode_proto_name(89), "OSPF");
	CHECK_STR(decode_proto_name(L4_IPIP), "IPv4");
	CHECK_STR(decode_proto_name(L4_ARP), "ARP");
	CHECK_STR(decode_proto_name(61), "IP-61");
	CHECK_STR(decode_proto_name(200), "IP-200");
	CHECK_STR(decode_proto_name(255), "IP-255");
	for (unsigned i = 0; i < 256; i++) { /* every number has a one-word name */
		const char *n = decode_proto_name((uint16_t)i);
		CHECK(n && *n && !strchr(n, ' '));
	}
	CHECK(decode_proto_has_ports(L4_SCTP) && decode_proto_has_ports(L4_UDP));
	CHECK(!decode_proto_has_ports(L4_ESP) && !decode_proto_has_ports(L4_ICMP));
}

static struct fb arp(uint16_t htype, uint16_t op)
{
	struct fb f = { .n = 0 };
	eth(&f, 0x0806);
	ADD(f, HI(htype), LO(htype), 8, 0, 6, 4, HI(op), LO(op), 1, 2, 3, 4, 5, 6, 192, 168,
	    1, 2, 0, 0, 0, 0, 0, 0, 10, 0, 0, 1);
	return f;
}

static void test_arp(void)
{
	struct pkt p;
	struct fb req = arp(1, 1);
	CHECK_INT(dec(LINK_ETHERNET, &req, &p), DECODE_OK);
	CHECK_INT(p.l4, L4_ARP);
	CHECK_INT(p.family, 4);
	CHECK_INT(p.arp_op, 1);
	CHECK_MEM(p.src, V4_SRC, 16);
	CHECK_MEM(p.dst, V4_DST, 16);
	CHECK_INT(p.sport, 0);

	struct fb rep = arp(1, 2);
	CHECK_INT(dec(LINK_ETHERNET, &rep, &p), DECODE_OK);
	CHECK_INT(p.arp_op, 2);

	struct fb ieee = arp(6, 1);
	CHECK_INT(dec(LINK_ETHERNET, &ieee, &p), DECODE_NOT_IP);

	struct fb cut = arp(1, 1);
	cut.n -= 1;
	CHECK_INT(dec(LINK_ETHERNET, &cut, &p), DECODE_TRUNCATED);
}

/* Every cut inside the headers is TRUNCATED; past them it is OK with the
 * captured payload. */
static void check_cuts(int link, const struct fb *f, size_t hdrs, size_t payload)
{
	for (size_t n = 0; n <= hdrs + payload; n++) {
		struct fb c = *f;
		c.n = n;
		struct pkt p;
		enum decode_verdict v = dec(link, &c, &p);
		if (n < hdrs) {
			CHECK_INT(v, DECODE_TRUNCATED);
		} else {
			CHECK_INT(v, DECODE_OK);
			CHECK_INT(p.payload_len, n - hdrs);
			CHECK_INT(p.l4_len, payload);
		}
	}
}

static void test_truncated_at_each_layer(void)
{
	struct fb f = eth_v4_tcp();
	check_cuts(LINK_ETHERNET, &f, 54, 4);

	struct fb v = { .n = 0 };
	eth(&v, 0x8100);
	ADD(v, 0, 5, 0x86, 0xdd);
	ipv6(&v, 17, 8 + 3);
	udp(&v, 1, 2, 11);
	ADD(v, 'x', 'y', 'z');
	check_cuts(LINK_ETHERNET, &v, 18 + 40 + 8, 3);

	struct fb s = v6_hbh_frag(0); /* an atomic fragment: no fragment at all */
	check_cuts(LINK_ETHERNET, &s, 14 + 40 + 16 + 20, 0);

	struct fb sll = { .n = 0 };
	ADD(sll, 0, 0, 0, 1, 0, 6, 1, 2, 3, 4, 5, 6, 0, 0, 0x08, 0x00);
	ipv4(&sll, 1, 20 + 8 + 2);
	ADD(sll, 3, 1, 0, 0, 0, 0, 0, 0, 'o', 'k'); /* host unreachable */
	check_cuts(LINK_LINUX_SLL, &sll, 16 + 20 + 4, 6);

	struct fb opt = { .n = 0 }; /* cut inside IPv4 options */
	eth(&opt, 0x0800);
	ADD(opt, 0x46, 0, 0, 32, 0, 1, 0, 0, 64, 17, 0, 0, 192, 168, 1, 2, 10, 0, 0, 1, 1, 1);
	struct pkt p;
	CHECK_INT(dec(LINK_ETHERNET, &opt, &p), DECODE_TRUNCATED);
}

static void test_invalid_headers(void)
{
	struct pkt p;
	struct fb f = eth_v4_tcp();
	struct fb ihl = f;
	ihl.b[14] = 0x44;
	CHECK_INT(dec(LINK_ETHERNET, &ihl, &p), DECODE_INVALID);

	struct fb tot = f;
	tot.b[17] = 16; /* total length < header length */
	CHECK_INT(dec(LINK_ETHERNET, &tot, &p), DECODE_INVALID);

	struct fb doff = f;
	doff.b[14 + 20 + 12] = 0x40;
	CHECK_INT(dec(LINK_ETHERNET, &doff, &p), DECODE_INVALID);

	struct fb ver = f;
	ver.b[14] = 0x65; /* IPv6 nibble behind ethertype 0x0800 */
	CHECK_INT(dec(LINK_ETHERNET, &ver, &p), DECODE_INVALID);

	struct fb small = f;
	small.b[17] = 20 + 16; /* IP length leaves no room for the TCP header */
	CHECK_INT(dec(LINK_ETHERNET, &small, &p), DECODE_INVALID);

	struct fb v6 = { .n = 0 };
	eth(&v6, 0x86dd);
	ipv6(&v6, 6, 20);
	tcp(&v6, TCP_ACK);
	v6.b[14] = 0x40;
	CHECK_INT(dec(LINK_ETHERNET, &v6, &p), DECODE_INVALID);
}

/* IPv4 total length 0 is what TSO hands a local capture: use what is there. */
static void test_ipv4_total_length_zero(void)
{
	struct fb f = eth_v4_tcp();
	f.b[16] = 0;
	f.b[17] = 0;
	f.n -= 2;
	struct pkt p;
	CHECK_INT(dec(LINK_ETHERNET, &f, &p), DECODE_OK);
	CHECK_INT(p.payload_len, 4);
	f.n = 14 + 20 + 10;
	CHECK_INT(dec(LINK_ETHERNET, &f, &p), DECODE_TRUNCATED);
}

static void test_link_types(void)
{
	struct fb f = eth_v4_tcp();
	struct pkt p;
	CHECK_INT(dec(147, &f, &p), DECODE_BAD_LINK);
	CHECK_INT(dec(105, &f, &p), DECODE_BAD_LINK);
	CHECK(!decode_linktype_supported(147));
	CHECK(!decode_linktype_supported(-1));
	static const int ok[] = { LINK_NULL, LINK_ETHERNET, LINK_RAW, LINK_LOOP, LINK_LINUX_SLL,
				  LINK_IPV4, LINK_IPV6, LINK_LINUX_SLL2, LINK_DLT_RAW_ALT,
				  LINK_DLT_RAW_ALT2 };
	for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
		CHECK(decode_linktype_supported(ok[i]));
		CHECK(decode_linktype_name(ok[i]) != NULL);
	}
	CHECK_STR(decode_linktype_name(LINK_ETHERNET), "EN10MB");
	CHECK_STR(decode_linktype_name(LINK_LINUX_SLL2), "LINUX_SLL2");
	CHECK_STR(decode_linktype_name(LINK_RAW), "RAW");
	CHECK_STR(decode_linktype_name(147), "USER0");
	CHECK_STR(decode_linktype_name(162), "USER15");
	CHECK_STR(decode_linktype_name(127), "IEEE802_11_RADIO");
	CHECK_STR(decode_linktype_name(163), NULL);
	CHECK_STR(decode_linktype_name(-5), NULL);
	CHECK_STR(decode_verdict_name(DECODE_TRUNCATED), "truncated");
	CHECK_STR(decode_verdict_name(DECODE_BAD_LINK), "bad-link");
}

/* Whenever decode_frame() finds addresses, decode_addresses() gives the
 * same ones, by its fast path (untagged Ethernet IP) or not; returns what
 * decode_addresses() said. */
static bool check_same_addresses(int link, const struct fb *f)
{
	struct pkt p;
	enum decode_verdict v = dec(link, f, &p);
	uint8_t src[16], dst[16];
	bool got = decode_addresses(link, f->b, (uint32_t)f->n, src, dst);
	if (v == DECODE_OK || v == DECODE_FRAGMENT) {
		CHECK(got);
		CHECK_MEM(src, p.src, 16);
		CHECK_MEM(dst, p.dst, 16);
	}
	return got;
}

static void test_addresses_alone(void)
{
	struct fb v4 = eth_v4_tcp();
	check_same_addresses(LINK_ETHERNET, &v4);
	uint8_t src[16], dst[16];
	CHECK(decode_addresses(LINK_ETHERNET, v4.b, (uint32_t)v4.n, src, dst));
	CHECK_MEM(src, V4_SRC, 16);
	CHECK_MEM(dst, V4_DST, 16);

	struct fb v6 = { .n = 0 };
	eth(&v6, 0x86dd);
	ipv6(&v6, 17, 8);
	udp(&v6, 5353, 5353, 8);
	check_same_addresses(LINK_ETHERNET, &v6);
	CHECK(decode_addresses(LINK_ETHERNET, v6.b, (uint32_t)v6.n, src, dst));
	CHECK_MEM(src, V6_SRC, 16);

	struct fb vlan = { .n = 0 };
	eth(&vlan, 0x8100);
	ADD(vlan, 0x00, 0x64, 0x08, 0x00);
	ipv4(&vlan, 6, 40);
	tcp(&vlan, TCP_SYN);
	check_same_addresses(LINK_ETHERNET, &vlan);

	struct fb frag = v6_hbh_frag(0x0009);
	check_same_addresses(LINK_ETHERNET, &frag);
	struct fb req = arp(1, 1);
	check_same_addresses(LINK_ETHERNET, &req);
	CHECK(!check_same_addresses(LINK_RAW, &(struct fb){ .n = 0 }));

	/* cut anywhere: no addresses until both are there, then the right ones */
	for (size_t n = 0; n < v4.n; n++) {
		struct fb cut = v4;
		cut.n = n;
		CHECK_INT(check_same_addresses(LINK_ETHERNET, &cut), n >= 14 + 20);
		if (decode_addresses(LINK_ETHERNET, cut.b, (uint32_t)n, src, dst))
			CHECK_MEM(dst, V4_DST, 16);
	}
	for (size_t n = 0; n < v6.n; n++) {
		struct fb cut = v6;
		cut.n = n;
		CHECK_INT(check_same_addresses(LINK_ETHERNET, &cut), n >= 14 + 40);
	}
	struct fb lldp = { .n = 0 };
	eth(&lldp, 0x88cc);
	ADD(lldp, 0x02, 0x07, 0x04, 0, 1, 2, 3, 4, 5);
	CHECK(!check_same_addresses(LINK_ETHERNET, &lldp));
	v4.b[14] = 0x65; /* an IPv4 ethertype with version 6 inside: decoded, not guessed */
	check_same_addresses(LINK_ETHERNET, &v4);
}

int main(void)
{
	RUN(test_ethernet_ipv4_tcp);
	RUN(test_tcp_syn_with_options);
	RUN(test_reuse_clears_previous_packet);
	RUN(test_single_vlan);
	RUN(test_qinq);
	RUN(test_too_many_tags_is_not_ip);
	RUN(test_llc_snap_ip);
	RUN(test_not_ip);
	RUN(test_ported_protocols);
	RUN(test_ipsec_spi);
	RUN(test_gre);
	RUN(test_igmp);
	RUN(test_proto_names);
	RUN(test_datagram);
	RUN(test_ip6_first_fragment_headers);
	RUN(test_vxlan_and_geneve);
	RUN(test_gre_and_ip_in_ip);
	RUN(test_pppoe_session);
	RUN(test_mpls);
	RUN(test_linux_sll);
	RUN(test_linux_sll2);
	RUN(test_raw_links);
	RUN(test_null_and_loop);
	RUN(test_ipv4_options);
	RUN(test_ipv4_first_fragment);
	RUN(test_ipv4_later_fragment);
	RUN(test_ipv6_hbh_fragment);
	RUN(test_ipv6_ext_chain);
	RUN(test_ipv6_ext_short);
	RUN(test_udp_length_bounds);
	RUN(test_icmp);
	RUN(test_icmpv6);
	RUN(test_other_ip_protocol);
	RUN(test_arp);
	RUN(test_truncated_at_each_layer);
	RUN(test_invalid_headers);
	RUN(test_ipv4_total_length_zero);
	RUN(test_link_types);
	RUN(test_addresses_alone);
	return check_summary("decode");
}
