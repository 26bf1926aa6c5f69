/* Unit tests for who is on the link: decode_neighbour (ARP senders, and
 * IPv6 neighbour solicitations and advertisements with their link-layer
 * address options under RFC 4861's validity rules) and the engine's table
 * of them (neighbours_note, neighbours_fill_row). */
#include "check.h"

#include "base/strpool.h"
#include "decode/decode.h"
#include "engine/neighbours.h"

struct fb {
	uint8_t b[256];
	size_t n;
};

static void fb_add(struct fb *f, const uint8_t *p, size_t n)
{
	memcpy(f->b + f->n, p, n);
	f->n += n;
}

#define ADD(f, ...) \
	fb_add(&(f), (const uint8_t[]){ __VA_ARGS__ }, sizeof((const uint8_t[]){ __VA_ARGS__ }))

enum { NS = 135, NA = 136, SLLA = 1, TLLA = 2 };

static const uint8_t HOST6[16] = { 0xfd, 0, 0, 7, [15] = 0x10 };
static const uint8_t PEER6[16] = { 0xfd, 0, 0, 7, [15] = 0x20 };
static const uint8_t FAR6[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 0x05 }; /* never on the link */
static const uint8_t SOLICITED[16] = { 0xff, 2, [11] = 1, [12] = 0xff, [15] = 0x20 };
static const uint8_t UNSPEC[16];
static const uint8_t MAC_A[6] = { 0x3c, 0x22, 0xfb, 1, 2, 3 };
static const uint8_t MAC_B[6] = { 0x00, 0x1b, 0x21, 0xaa, 0xbb, 0xcc };

/* IPv6 (raw link) with ICMPv6 type `type`, code `code`: the header, 4
 * bytes reserved or flags, the target, then the options the caller adds;
 * nd_done sets the payload length. */
static struct fb nd(uint8_t type, uint8_t code, uint8_t hlim, const uint8_t src[16],
		    const uint8_t dst[16], const uint8_t target[16])
{
	struct fb f = { .n = 0 };
	ADD(f, 0x60, 0, 0, 0, 0, 0, 58, hlim);
	fb_add(&f, src, 16);
	fb_add(&f, dst, 16);
	ADD(f, type, code, 0, 0, type == NA ? 0x60 : 0, 0, 0, 0);
	fb_add(&f, target, 16);
	return f;
}

static void lla(struct fb *f, uint8_t type, const uint8_t mac[6])
{
	ADD(*f, type, 1);
	fb_add(f, mac, 6);
}

static void nd_done(struct fb *f)
{
	f->b[4] = (uint8_t)((f->n - 40) >> 8);
	f->b[5] = (uint8_t)(f->n - 40);
}

/* What decode_frame then decode_neighbour make of f (raw IP). */
static bool learn(const struct fb *f, struct pkt_neighbour *nb)
{
	struct pkt p;
	memset(nb, 0, sizeof *nb);
	if (decode_frame(LINK_RAW, f->b, (uint32_t)f->n, &p) != DECODE_OK)
		return false;
	CHECK(decode_may_name_neighbour(&p));
	return decode_neighbour(&p, nb);
}

static void test_solicitation_names_its_source(void)
{
	struct fb f = nd(NS, 0, 255, HOST6, SOLICITED, PEER6);
	lla(&f, SLLA, MAC_A);
	nd_done(&f);
	struct pkt_neighbour nb;
	CHECK(learn(&f, &nb));
	CHECK_INT(nb.family, 6);
	CHECK_MEM(nb.addr, HOST6, 16);
	CHECK_MEM(nb.mac, MAC_A, 6);

	/* a target link-layer option in a solicitation is not its sender's */
	struct fb wrong = nd(NS, 0, 255, HOST6, SOLICITED, PEER6);
	lla(&wrong, TLLA, MAC_A);
	nd_done(&wrong);
	CHECK(!learn(&wrong, &nb));

	/* duplicate address detection: the source is unspecified */
	struct fb dad = nd(NS, 0, 255, UNSPEC, SOLICITED, PEER6);
	nd_done(&dad);
	CHECK(!learn(&dad, &nb));
}

static void test_advertisement_names_its_target(void)
{
	/* a nonce option (RFC 3971, type 14) before the address: skipped */
	struct fb f = nd(NA, 0, 255, PEER6, HOST6, PEER6);
	ADD(f, 14, 1, 1, 2, 3, 4, 5, 6);
	lla(&f, TLLA, MAC_B);
	nd_done(&f);
	struct pkt_neighbour nb;
	CHECK(learn(&f, &nb));
	CHECK_MEM(nb.addr, PEER6, 16);
	CHECK_MEM(nb.mac, MAC_B, 6);

	/* without the option, nothing is said */
	struct fb bare = nd(NA, 0, 255, PEER6, HOST6, PEER6);
	nd_done(&bare);
	CHECK(!learn(&bare, &nb));
}

/* RFC 4861 sections 7.1.1 and 7.1.2: what a host must discard. */
static void test_invalid_messages_are_ignored(void)
{
	struct pkt_neighbour nb;
	static const uint8_t hops[] = { 64, 254, 1, 0 };
	for (size_t i = 0; i < sizeof hops; i++) {
		struct fb f = nd(NA, 0, hops[i], PEER6, HOST6, PEER6);
		lla(&f, TLLA, MAC_B);
		nd_done(&f);
		CHECK(!learn(&f, &nb));
	}
	struct fb code = nd(NA, 1, 255, PEER6, HOST6, PEER6);
	lla(&code, TLLA, MAC_B);
	nd_done(&code);
	CHECK(!learn(&code, &nb));

	struct fb group = nd(NA, 0, 255, PEER6, HOST6, SOLICITED);
	lla(&group, TLLA, MAC_B);
	nd_done(&group);
	CHECK(!learn(&group, &nb));

	/* an option of length 0 makes the whole message invalid, even
	 * after a good link-layer option */
	struct fb zero = nd(NA, 0, 255, PEER6, HOST6, PEER6);
	lla(&zero, TLLA, MAC_B);
	ADD(zero, 14, 0, 0, 0, 0, 0, 0, 0);
	nd_done(&zero);
	CHECK(!learn(&zero, &nb));

	/* a link-layer option of another length is no Ethernet address */
	struct fb long_opt = nd(NA, 0, 255, PEER6, HOST6, PEER6);
	ADD(long_opt, TLLA, 2, 0, 0x1b, 0x21, 0xaa, 0xbb, 0xcc, 0, 0, 0, 0, 0, 0, 0, 0);
	nd_done(&long_opt);
	CHECK(!learn(&long_opt, &nb));

	/* a group address is nobody's own */
	static const uint8_t group_mac[6] = { 0x33, 0x33, 0, 0, 0, 1 };
	struct fb gm = nd(NA, 0, 255, PEER6, HOST6, PEER6);
	lla(&gm, TLLA, group_mac);
	nd_done(&gm);
	CHECK(!learn(&gm, &nb));
}

static void test_cut_messages(void)
{
	struct pkt_neighbour nb;
	struct fb f = nd(NA, 0, 255, PEER6, HOST6, PEER6);
	lla(&f, TLLA, MAC_B);
	nd_done(&f);
	/* the capture cut the option: every shorter frame learns nothing */
	for (size_t n = 40; n < f.n; n++) {
		struct fb cut = f;
		cut.n = n;
		CHECK(!learn(&cut, &nb));
	}
	/* the header claims less than the option: the option is not there */
	struct fb short_claim = f;
	short_claim.b[5] = (uint8_t)(f.b[5] - 8);
	CHECK(!learn(&short_claim, &nb));
	/* less than 24 octets of ICMPv6 */
	struct fb tiny = { .n = 0 };
	ADD(tiny, 0x60, 0, 0, 0, 0, 8, 58, 255);
	fb_add(&tiny, PEER6, 16);
	fb_add(&tiny, HOST6, 16);
	ADD(tiny, NA, 0, 0, 0, 0x60, 0, 0, 0);
	CHECK(!learn(&tiny, &nb));
}

/* Ethernet / ARP from sender mac, ip. */
static struct fb arp(const uint8_t mac[6], const uint8_t ip[4], uint16_t op)
{
	struct fb f = { .n = 0 };
	ADD(f, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff);
	fb_add(&f, mac, 6);
	ADD(f, 0x08, 0x06, 0, 1, 8, 0, 6, 4, 0, (uint8_t)op);
	fb_add(&f, mac, 6);
	fb_add(&f, ip, 4);
	ADD(f, 0, 0, 0, 0, 0, 0, 192, 168, 7, 1);
	return f;
}

static void test_arp_senders(void)
{
	static const uint8_t ip[4] = { 192, 168, 7, 10 }, none[4] = { 0 };
	struct pkt p;
	struct pkt_neighbour nb;
	struct fb req = arp(MAC_A, ip, 1);
	CHECK_INT(decode_frame(LINK_ETHERNET, req.b, (uint32_t)req.n, &p), DECODE_OK);
	CHECK(decode_neighbour(&p, &nb));
	CHECK_INT(nb.family, 4);
	CHECK_MEM(nb.addr, ip, 4);
	CHECK_MEM(nb.mac, MAC_A, 6);
	/* a probe (RFC 5227) claims no address yet */
	struct fb probe = arp(MAC_A, none, 1);
	CHECK_INT(decode_frame(LINK_ETHERNET, probe.b, (uint32_t)probe.n, &p), DECODE_OK);
	CHECK(!decode_neighbour(&p, &nb));
}

static void test_other_packets_say_nothing(void)
{
	struct fb f = nd(128, 0, 255, HOST6, PEER6, PEER6); /* an echo request */
	nd_done(&f);
	struct pkt p;
	struct pkt_neighbour nb;
	CHECK_INT(decode_frame(LINK_RAW, f.b, (uint32_t)f.n, &p), DECODE_OK);
	CHECK_INT(p.hop_limit, 255);
	CHECK(!decode_may_name_neighbour(&p));
	CHECK(!decode_neighbour(&p, &nb));
}

/* A row of a connection HOST6 -> peer (the initiator local), begun at t. */
static void row_to(struct conn_row *r, const uint8_t peer[16], uint64_t t)
{
	memset(r, 0, sizeof *r);
	r->l4 = L4_UDP;
	r->family = 6;
	r->local_side = 0;
	memcpy(r->src, HOST6, 16);
	memcpy(r->dst, peer, 16);
	r->first_seen_us = r->last_seen_us = t;
}

static void note(struct neighbours *n, uint8_t type, const uint8_t who[16],
		 const uint8_t mac[6], uint64_t t)
{
	struct fb f = type == NS ? nd(NS, 0, 255, who, SOLICITED, PEER6)
				 : nd(NA, 0, 255, who, HOST6, who);
	lla(&f, type == NS ? SLLA : TLLA, mac);
	nd_done(&f);
	struct pkt p;
	CHECK_INT(decode_frame(LINK_RAW, f.b, (uint32_t)f.n, &p), DECODE_OK);
	p.ts_us = t;
	neighbours_note(n, &p);
}

static void test_table_fills_rows(void)
{
	struct neighbours *n = neighbours_new(0, NULL);
	uint64_t t0 = 1700000000ULL * US_PER_SEC;
	struct conn_row r;
	row_to(&r, PEER6, t0);
	neighbours_fill_row(n, &r);
	CHECK(r.lan == NULL);

	static const uint8_t random_mac[6] = { 0x02, 0x42, 0xac, 0x11, 0, 0x1e };
	note(n, NA, PEER6, random_mac, t0);
	neighbours_fill_row(n, &r);
	CHECK_STR(row_lan(&r, ROW_LAN_REMOTE_MAC), "02:42:ac:11:00:1e");
	CHECK_STR(row_lan(&r, ROW_LAN_REMOTE_VENDOR), "locally administered");
	CHECK(row_lan(&r, ROW_LAN_LOCAL_MAC) == NULL);

	/* the local end's MAC is the row's own (the tracker's, from the
	 * connection's frames), not what the table says of its address */
	note(n, NS, HOST6, MAC_A, t0 + 1);
	neighbours_fill_row(n, &r);
	CHECK(row_lan(&r, ROW_LAN_LOCAL_MAC) == NULL);
	row_fini_borrowed(&r);
	row_to(&r, PEER6, t0);
	struct strpool *pool = strpool_new();
	const char *own[ROW_LAN_PARTS] = { "02:00:00:00:00:0a", "", "" };
	r.lan = strpool_get_parts(pool, own, ROW_LAN_PARTS);
	/* no registry: a registered block has no vendor */
	note(n, NA, PEER6, MAC_B, t0 + 2);
	neighbours_fill_row(n, &r);
	CHECK_STR(row_lan(&r, ROW_LAN_LOCAL_MAC), "02:00:00:00:00:0a");
	CHECK_STR(row_lan(&r, ROW_LAN_REMOTE_MAC), "00:1b:21:aa:bb:cc");
	CHECK(row_lan(&r, ROW_LAN_REMOTE_VENDOR) == NULL);
	neighbours_fill_row(n, &r); /* again: the same */
	CHECK_STR(row_lan(&r, ROW_LAN_LOCAL_MAC), "02:00:00:00:00:0a");
	CHECK_STR(row_lan(&r, ROW_LAN_REMOTE_MAC), "00:1b:21:aa:bb:cc");
	row_fini_borrowed(&r);
	/* off the link: the local MAC stays, alone */
	row_to(&r, FAR6, t0);
	r.lan = strpool_get_parts(pool, own, ROW_LAN_PARTS);
	neighbours_fill_row(n, &r);
	CHECK_STR(row_lan(&r, ROW_LAN_LOCAL_MAC), "02:00:00:00:00:0a");
	CHECK(row_lan(&r, ROW_LAN_REMOTE_MAC) == NULL);
	row_fini_borrowed(&r);
	strpool_free(pool);

	/* begun an age after the peer was last heard of: not trusted */
	row_to(&r, PEER6, t0 + 2 + NEIGHBOURS_AGE_US);
	neighbours_fill_row(n, &r);
	CHECK(r.lan == NULL);
	/* ARP's own rows have their own keys */
	row_to(&r, PEER6, t0);
	r.l4 = L4_ARP;
	neighbours_fill_row(n, &r);
	CHECK(r.lan == NULL);
	neighbours_free(n);
}

static void test_table_is_bounded(void)
{
	struct neighbours *n = neighbours_new(2, NULL);
	uint64_t t0 = 1700000000ULL * US_PER_SEC;
	uint8_t a[3][16];
	for (int i = 0; i < 3; i++) {
		memcpy(a[i], PEER6, 16);
		a[i][15] = (uint8_t)(0x40 + i);
		note(n, NA, a[i], MAC_B, t0 + (uint64_t)i);
	}
	struct conn_row r;
	row_to(&r, a[0], t0 + 3);
	neighbours_fill_row(n, &r);
	CHECK(r.lan == NULL); /* the oldest made room */
	row_to(&r, a[2], t0 + 3);
	neighbours_fill_row(n, &r);
	CHECK_STR(row_lan(&r, ROW_LAN_REMOTE_MAC), "00:1b:21:aa:bb:cc");
	row_fini_borrowed(&r);
	neighbours_free(n);
}

int main(void)
{
	RUN(test_solicitation_names_its_source);
	RUN(test_advertisement_names_its_target);
	RUN(test_invalid_messages_are_ignored);
	RUN(test_cut_messages);
	RUN(test_arp_senders);
	RUN(test_other_packets_say_nothing);
	RUN(test_table_fills_rows);
	RUN(test_table_is_bounded);
	return check_summary("neighbour");
}
