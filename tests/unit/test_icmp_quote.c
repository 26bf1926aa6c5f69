/* Unit tests for src/decode/quote.c: the datagram an ICMP or ICMPv6 error
 * quotes, cut at every length, the words for each error, and the address
 * pairs a frame is sharded by. Frames are built by hand from RFC 792,
 * 1191 and 4443's layouts. */
#include "check.h"

#include "decode/decode.h"

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

/* The local end (which sent the quoted datagram), its peer, a router. */
static const uint8_t LOCAL4[16] = { 192, 168, 1, 2 };
static const uint8_t PEER4[16] = { 10, 0, 0, 1 };
static const uint8_t ROUTER4[16] = { 172, 16, 0, 254 };
static const uint8_t LOCAL6[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 1 };
static const uint8_t PEER6[16] = { 0x20, 0x01, 0x0d, 0xb8, [14] = 0xab, [15] = 2 };
static const uint8_t ROUTER6[16] = { 0x20, 0x01, 0x0d, 0xb9, [15] = 0xfe };

static void eth(struct fb *f, uint16_t type)
{
	ADD(*f, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, HI(type), LO(type));
}

/* A 20-byte IPv4 header (or 24 with a 4-byte option), DF. */
static void ipv4(struct fb *f, uint8_t proto, uint16_t totlen, const uint8_t *src, const uint8_t *dst,
		 bool option)
{
	ADD(*f, option ? 0x46 : 0x45, 0, HI(totlen), LO(totlen), 0x12, 0x34, 0x40, 0, 64, proto, 0, 0);
	fb_add(f, src, 4);
	fb_add(f, dst, 4);
	if (option)
		ADD(*f, 0x94, 0x04, 0, 0); /* router alert */
}

static void ipv6(struct fb *f, uint8_t nh, uint16_t plen, const uint8_t *src, const uint8_t *dst)
{
	ADD(*f, 0x60, 0, 0, 0, HI(plen), LO(plen), nh, 64);
	fb_add(f, src, 16);
	fb_add(f, dst, 16);
}

/* Ethernet / IPv4 from `from` to LOCAL4 / ICMP type, code, the word after
 * the checksum, then the quote (q bytes of it). */
static struct fb icmp4_error(const uint8_t *from, uint8_t type, uint8_t code, uint32_t word,
			     const struct fb *quote, size_t q)
{
	struct fb f = { .n = 0 };
	eth(&f, 0x0800);
	ipv4(&f, L4_ICMP, (uint16_t)(20 + 8 + q), from, LOCAL4, false);
	ADD(f, type, code, 0, 0, (uint8_t)(word >> 24), (uint8_t)(word >> 16), HI(word), LO(word));
	fb_add(&f, quote->b, q);
	return f;
}

static struct fb icmp6_error(const uint8_t *from, uint8_t type, uint8_t code, uint32_t word,
			     const struct fb *quote, size_t q)
{
	struct fb f = { .n = 0 };
	eth(&f, 0x86dd);
	ipv6(&f, L4_ICMPV6, (uint16_t)(8 + q), from, LOCAL6);
	ADD(f, type, code, 0, 0, (uint8_t)(word >> 24), (uint8_t)(word >> 16), HI(word), LO(word));
	fb_add(&f, quote->b, q);
	return f;
}

/* What LOCAL4 sent to PEER4: UDP 41000 -> 9999 with 4 bytes of data. */
static struct fb sent_udp4(void)
{
	struct fb q = { .n = 0 };
	ipv4(&q, L4_UDP, 32, LOCAL4, PEER4, false);
	ADD(q, 0xa0, 0x28, 0x27, 0x0f, 0, 12, 0, 0, 'p', 'i', 'n', 'g');
	return q;
}

/* A TCP SYN 41001 -> 443 (options in its header), quoted whole. */
static struct fb sent_tcp4(bool option)
{
	struct fb q = { .n = 0 };
	ipv4(&q, L4_TCP, option ? 44 : 40, LOCAL4, PEER4, option);
	ADD(q, 0xa0, 0x29, 0x01, 0xbb, 0, 0, 0x03, 0xe8, 0, 0, 0, 0, 0x50, TCP_SYN, 0xff, 0xff, 0, 0, 0, 0);
	return q;
}

static bool quote_of(const struct fb *f, struct pkt_quote *q)
{
	struct pkt p;
	CHECK_INT(decode_frame(LINK_ETHERNET, f->b, (uint32_t)f->n, &p), DECODE_OK);
	return decode_icmp_quote(&p, q);
}

/* Port unreachable from the peer itself, quoting the header and 8 bytes
 * (RFC 792's minimum) or the whole datagram. */
static void test_port_unreachable_v4(void)
{
	struct fb sent = sent_udp4();
	size_t lens[] = { 28, sent.n };
	for (size_t i = 0; i < 2; i++) {
		struct fb f = icmp4_error(PEER4, 3, 3, 0, &sent, lens[i]);
		struct pkt_quote q;
		CHECK(quote_of(&f, &q));
		CHECK_INT(q.inner.family, 4);
		CHECK_INT(q.inner.l4, L4_UDP);
		CHECK_MEM(q.inner.src, LOCAL4, 16);
		CHECK_MEM(q.inner.dst, PEER4, 16);
		CHECK_INT(q.inner.sport, 41000);
		CHECK_INT(q.inner.dport, 9999);
		CHECK_INT(q.mtu, 0);
	}
}

/* A router's host unreachable about a TCP SYN, and its fragmentation
 * needed with the next hop's MTU (RFC 1191: the low 16 bits of the word);
 * a quoted header with options. */
static void test_router_errors_v4(void)
{
	struct fb sent = sent_tcp4(false);
	struct fb f = icmp4_error(ROUTER4, 3, 1, 0, &sent, 28);
	struct pkt_quote q;
	CHECK(quote_of(&f, &q));
	CHECK_INT(q.inner.l4, L4_TCP);
	CHECK_INT(q.inner.sport, 41001);
	CHECK_INT(q.inner.dport, 443);
	CHECK_MEM(q.inner.dst, PEER4, 16);

	f = icmp4_error(ROUTER4, 3, 4, 1400, &sent, 28);
	CHECK(quote_of(&f, &q));
	CHECK_INT(q.mtu, 1400);

	struct fb opt = sent_tcp4(true);
	f = icmp4_error(ROUTER4, 11, 0, 0, &opt, 32);
	CHECK(quote_of(&f, &q));
	CHECK_INT(q.inner.sport, 41001);
	CHECK_INT(q.mtu, 0);
}

/* Cut anywhere before the ports end, the quote tells no connection. */
static void test_truncated_quote(void)
{
	struct fb sent = sent_udp4();
	for (size_t n = 0; n < 24; n++) {
		struct fb f = icmp4_error(PEER4, 3, 3, 0, &sent, n);
		struct pkt_quote q;
		CHECK(!quote_of(&f, &q));
	}
	for (size_t n = 24; n <= 28; n++) {
		struct fb f = icmp4_error(PEER4, 3, 3, 0, &sent, n);
		struct pkt_quote q;
		CHECK(quote_of(&f, &q));
	}
	/* the error word itself cut */
	struct fb f = icmp4_error(PEER4, 3, 3, 0, &sent, 0);
	f.n -= 2;
	struct pkt p;
	decode_frame(LINK_ETHERNET, f.b, (uint32_t)f.n, &p);
	struct pkt_quote q;
	CHECK(!decode_icmp_quote(&p, &q));
}

/* Not taken: an error about a datagram its receiver did not send, a
 * later fragment (no transport header), a quote of another IP version,
 * messages that are no errors. */
static void test_not_taken(void)
{
	struct fb sent = { .n = 0 };
	ipv4(&sent, L4_UDP, 32, PEER4, ROUTER4, false);
	ADD(sent, 0xa0, 0x28, 0x27, 0x0f, 0, 12, 0, 0);
	struct fb f = icmp4_error(PEER4, 3, 3, 0, &sent, sent.n);
	struct pkt_quote q;
	CHECK(!quote_of(&f, &q));

	struct fb frag = sent_udp4();
	frag.b[6] = 0x00;
	frag.b[7] = 0x10; /* offset 128 */
	f = icmp4_error(PEER4, 3, 3, 0, &frag, 28);
	CHECK(!quote_of(&f, &q));

	struct fb v6 = { .n = 0 };
	ipv6(&v6, L4_UDP, 8, LOCAL6, PEER6);
	ADD(v6, 0xa0, 0x28, 0x27, 0x0f, 0, 8, 0, 0);
	f = icmp4_error(PEER4, 3, 3, 0, &v6, v6.n);
	CHECK(!quote_of(&f, &q));

	sent = sent_udp4();
	f = icmp4_error(PEER4, 0, 0, 0, &sent, sent.n); /* echo reply */
	CHECK(!quote_of(&f, &q));
	f = icmp4_error(PEER4, 5, 1, 0, &sent, sent.n); /* redirect */
	CHECK(!quote_of(&f, &q));
}

/* An echo request quoted: the ICMP exchange by its addresses, the
 * identifier noted. */
static void test_quoted_echo(void)
{
	struct fb sent = { .n = 0 };
	ipv4(&sent, L4_ICMP, 28, LOCAL4, PEER4, false);
	ADD(sent, 8, 0, 0, 0, 0x12, 0x34, 0, 1);
	struct fb f = icmp4_error(ROUTER4, 11, 0, 0, &sent, sent.n);
	struct pkt_quote q;
	CHECK(quote_of(&f, &q));
	CHECK_INT(q.inner.l4, L4_ICMP);
	CHECK_INT(q.inner.echo, PKT_ECHO_REQUEST);
	CHECK_INT(q.inner.echo_id, 0x1234);
	CHECK_INT(q.inner.sport, 0);
	/* cut after the type: still the exchange of those addresses */
	f = icmp4_error(ROUTER4, 11, 0, 0, &sent, 21);
	CHECK(quote_of(&f, &q));
	CHECK_INT(q.inner.echo, 0);
}

/* ICMPv6 packet too big with its MTU (RFC 4443 3.2), unreachable and
 * time exceeded; a quoted fragment header (the first fragment) and a
 * hop-by-hop header walked. */
static void test_icmpv6_errors(void)
{
	struct fb sent = { .n = 0 };
	ipv6(&sent, L4_TCP, 20, LOCAL6, PEER6);
	ADD(sent, 0xa0, 0x2a, 0x01, 0xbb, 0, 0, 0, 1, 0, 0, 0, 0, 0x50, 0x18, 0xff, 0xff, 0, 0, 0, 0);
	struct fb f = icmp6_error(ROUTER6, 2, 0, 1280, &sent, sent.n);
	struct pkt_quote q;
	CHECK(quote_of(&f, &q));
	CHECK_INT(q.inner.family, 6);
	CHECK_INT(q.inner.l4, L4_TCP);
	CHECK_MEM(q.inner.src, LOCAL6, 16);
	CHECK_MEM(q.inner.dst, PEER6, 16);
	CHECK_INT(q.inner.sport, 41002);
	CHECK_INT(q.inner.dport, 443);
	CHECK_INT(q.mtu, 1280);
	f = icmp6_error(ROUTER6, 3, 0, 0, &sent, 44);
	CHECK(quote_of(&f, &q));
	CHECK_INT(q.mtu, 0);
	f = icmp6_error(PEER6, 1, 4, 0, &sent, 43);
	CHECK(!quote_of(&f, &q));

	struct fb ext = { .n = 0 };
	ipv6(&ext, 0, 24, LOCAL6, PEER6);
	ADD(ext, 44, 0, 1, 4, 0, 0, 0, 0);            /* hop-by-hop, 8 bytes: PadN */
	ADD(ext, L4_UDP, 0, 0, 1, 0, 0, 0, 9);        /* fragment: offset 0, M */
	ADD(ext, 0xa0, 0x2b, 0x00, 0x35, 0, 8, 0, 0); /* UDP 41003 -> 53 */
	f = icmp6_error(PEER6, 1, 4, 0, &ext, ext.n);
	CHECK(quote_of(&f, &q));
	CHECK_INT(q.inner.l4, L4_UDP);
	CHECK_INT(q.inner.sport, 41003);
	CHECK_INT(q.inner.dport, 53);
	ext.b[40 + 8 + 2] = 0x01; /* offset 32: a later fragment */
	f = icmp6_error(PEER6, 1, 4, 0, &ext, ext.n);
	CHECK(!quote_of(&f, &q));
}

static void test_error_words(void)
{
	char b[64];
	decode_icmp_error_text(b, sizeof b, L4_ICMP, 3, 3, 0);
	CHECK_STR(b, "port unreachable");
	decode_icmp_error_text(b, sizeof b, L4_ICMP, 3, 1, 0);
	CHECK_STR(b, "host unreachable");
	decode_icmp_error_text(b, sizeof b, L4_ICMP, 3, 4, 1400);
	CHECK_STR(b, "fragmentation needed (mtu 1400)");
	decode_icmp_error_text(b, sizeof b, L4_ICMP, 3, 13, 0);
	CHECK_STR(b, "communication administratively prohibited");
	decode_icmp_error_text(b, sizeof b, L4_ICMP, 3, 16, 0);
	CHECK_STR(b, "destination unreachable (code 16)");
	decode_icmp_error_text(b, sizeof b, L4_ICMP, 11, 0, 0);
	CHECK_STR(b, "TTL exceeded in transit");
	decode_icmp_error_text(b, sizeof b, L4_ICMPV6, 1, 4, 0);
	CHECK_STR(b, "port unreachable");
	decode_icmp_error_text(b, sizeof b, L4_ICMPV6, 1, 3, 0);
	CHECK_STR(b, "address unreachable");
	decode_icmp_error_text(b, sizeof b, L4_ICMPV6, 2, 0, 1280);
	CHECK_STR(b, "packet too big (mtu 1280)");
	decode_icmp_error_text(b, sizeof b, L4_ICMPV6, 3, 0, 0);
	CHECK_STR(b, "hop limit exceeded in transit");
	decode_icmp_error_text(b, sizeof b, L4_ICMPV6, 3, 1, 0);
	CHECK_STR(b, "fragment reassembly time exceeded");
	decode_icmp_error_text(b, sizeof b, L4_ICMPV6, 77, 2, 0);
	CHECK_STR(b, "type 77 code 2");
	size_t n = decode_icmp_error_text(b, 5, L4_ICMP, 3, 3, 0);
	CHECK_INT(n, 4);
	CHECK_STR(b, "port");
}

/* The frame's pair, and an error's quoted pair beside it. */
static void test_shard_pairs(void)
{
	struct fb sent = sent_tcp4(false);
	struct fb f = icmp4_error(ROUTER4, 3, 1, 0, &sent, 28);
	struct decode_shard_pairs sp;
	CHECK(decode_shard_addresses(LINK_ETHERNET, f.b, (uint32_t)f.n, &sp));
	CHECK_MEM(sp.src, ROUTER4, 16);
	CHECK_MEM(sp.dst, LOCAL4, 16);
	CHECK(sp.quoted);
	CHECK_MEM(sp.qsrc, LOCAL4, 16);
	CHECK_MEM(sp.qdst, PEER4, 16);

	struct fb plain = { .n = 0 };
	eth(&plain, 0x0800);
	fb_add(&plain, sent.b, sent.n);
	CHECK(decode_shard_addresses(LINK_ETHERNET, plain.b, (uint32_t)plain.n, &sp));
	CHECK(!sp.quoted);
	CHECK_MEM(sp.src, LOCAL4, 16);

	/* raw IP: decoded, quote and all */
	CHECK(decode_shard_addresses(LINK_RAW, f.b + 14, (uint32_t)f.n - 14, &sp));
	CHECK(sp.quoted);
	CHECK_MEM(sp.qdst, PEER4, 16);

	/* an error cut inside its quote: its own pair only, as decode_addresses */
	CHECK(decode_shard_addresses(LINK_ETHERNET, f.b, 14 + 20 + 8 + 10, &sp));
	CHECK(!sp.quoted);
	CHECK_MEM(sp.src, ROUTER4, 16);
	CHECK(!decode_shard_addresses(LINK_ETHERNET, f.b, 20, &sp));
}

int main(void)
{
	RUN(test_port_unreachable_v4);
	RUN(test_router_errors_v4);
	RUN(test_truncated_quote);
	RUN(test_not_taken);
	RUN(test_quoted_echo);
	RUN(test_icmpv6_errors);
	RUN(test_error_words);
	RUN(test_shard_pairs);
	return check_summary("icmp_quote");
}
