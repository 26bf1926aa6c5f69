/* IP reassembly (src/flow/reasm.c) against Linux's rules: any arrival
 * order, duplicates ignored, overlaps discard the datagram (RFC 5722),
 * inconsistent lengths too, timeouts, the memory limit, and every
 * fragment accounted for. */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "flow/reasm.h"

#define SEC 1000000ull

static uint8_t payload[65536]; /* byte i of every test datagram is (uint8_t)(i * 7 + 1) */

static void fill_payload(void)
{
	for (size_t i = 0; i < sizeof payload; i++)
		payload[i] = (uint8_t)(i * 7 + 1);
}

/* A fragment as decode_frame() reports one: data [off, off + len). */
static struct pkt frag(uint8_t family, uint32_t id, uint32_t off, uint32_t len, bool more)
{
	struct pkt p;
	memset(&p, 0, sizeof p);
	p.ts_us = 1 * SEC;
	p.wirelen = len + 34;
	p.family = family;
	p.l4 = 17;
	p.src[0] = 10;
	p.dst[0] = 192;
	if (family == 6) {
		p.src[15] = 1;
		p.dst[15] = 2;
	}
	p.frag_id = id;
	p.frag_off = (uint16_t)off;
	p.frag_more = more;
	p.payload = payload + off;
	p.payload_len = len;
	p.l4_len = len;
	return p;
}

struct hooks_seen {
	int held, released;
};

static void on_hold(void *arg, uint32_t tunnel)
{
	(void)tunnel;
	((struct hooks_seen *)arg)->held++;
}

static void on_release(void *arg, uint32_t tunnel)
{
	(void)tunnel;
	((struct hooks_seen *)arg)->released++;
}

static struct reasm *new_reasm(size_t limit, struct hooks_seen *seen)
{
	struct reasm_hooks h = { on_hold, on_release, seen };
	return reasm_new(limit, seen ? &h : NULL);
}

/* A fragment that came in one frame of its own. */
static enum reasm_result add(struct reasm *r, const struct pkt *p, uint32_t tunnel,
			     struct reasm_datagram *out)
{
	struct reasm_origin o = { tunnel, 1, p->wirelen };
	return reasm_add(r, p, &o, out);
}

/* Feeds the fragments in order; returns how many calls said DONE and
 * leaves the datagram (if any) in *out. */
static int feed(struct reasm *r, const struct pkt *f, int n, struct reasm_datagram *out)
{
	int done = 0;
	for (int i = 0; i < n; i++) {
		struct reasm_datagram d;
		if (add(r, &f[i], 0, &d) == REASM_DONE) {
			if (done++)
				reasm_datagram_fini(out);
			*out = d;
		}
	}
	return done;
}

static void check_whole(const struct reasm_datagram *d, uint32_t len, uint32_t frames)
{
	CHECK_INT(d->len, len);
	CHECK_INT(d->captured, len);
	CHECK_INT(d->frames, frames);
	CHECK_INT(d->proto, 17);
	CHECK(d->data && memcmp(d->data, payload, len) == 0);
}

static void test_every_arrival_order(void)
{
	/* four fragments: 24 + 16 + 32 + 5 bytes; all 24 orders */
	static const uint32_t off[4] = { 0, 24, 40, 72 }, len[4] = { 24, 16, 32, 5 };
	static const int perms[24][4] = {
		{ 0, 1, 2, 3 }, { 0, 1, 3, 2 }, { 0, 2, 1, 3 }, { 0, 2, 3, 1 }, { 0, 3, 1, 2 }, { 0, 3, 2, 1 },
		{ 1, 0, 2, 3 }, { 1, 0, 3, 2 }, { 1, 2, 0, 3 }, { 1, 2, 3, 0 }, { 1, 3, 0, 2 }, { 1, 3, 2, 0 },
		{ 2, 0, 1, 3 }, { 2, 0, 3, 1 }, { 2, 1, 0, 3 }, { 2, 1, 3, 0 }, { 2, 3, 0, 1 }, { 2, 3, 1, 0 },
		{ 3, 0, 1, 2 }, { 3, 0, 2, 1 }, { 3, 1, 0, 2 }, { 3, 1, 2, 0 }, { 3, 2, 0, 1 }, { 3, 2, 1, 0 },
	};
	for (int fam = 4; fam <= 6; fam += 2) {
		for (int k = 0; k < 24; k++) {
			struct hooks_seen seen = { 0, 0 };
			struct reasm *r = new_reasm(REASM_MEM_LIMIT, &seen);
			struct pkt f[4];
			for (int i = 0; i < 4; i++) {
				int j = perms[k][i];
				f[i] = frag((uint8_t)fam, 77, off[j], len[j], j != 3);
				f[i].ts_us = (uint64_t)(10 + i) * SEC;
			}
			struct reasm_datagram d;
			CHECK_INT(feed(r, f, 4, &d), 1);
			check_whole(&d, 77, 4);
			CHECK_INT(d.first_us, 10 * SEC);
			CHECK_INT(d.wire_bytes, 77 + 4 * 34);
			CHECK_INT(reasm_stats(r)->held_frames, 0);
			CHECK_INT(reasm_stats(r)->held_bytes, 0);
			CHECK_INT(seen.held, 1);
			CHECK_INT(seen.released, 1);
			reasm_datagram_fini(&d);
			reasm_free(r);
		}
	}
}

static void test_duplicates_are_ignored_and_counted(void)
{
	struct reasm *r = new_reasm(REASM_MEM_LIMIT, NULL);
	struct pkt f[5] = {
		frag(4, 1, 0, 16, true), frag(4, 1, 16, 16, true),
		frag(4, 1, 0, 32, true),  /* inside the run [0, 32) the first two made */
		frag(4, 1, 0, 16, true),  /* an exact duplicate */
		frag(4, 1, 32, 3, false),
	};
	struct reasm_datagram d;
	CHECK_INT(feed(r, f, 5, &d), 1);
	check_whole(&d, 35, 5); /* every frame on the wire counts */
	CHECK_INT(reasm_stats(r)->frames_dropped, 0);
	reasm_datagram_fini(&d);
	reasm_free(r);
}

static void check_overlap_discards(uint8_t family, const struct pkt *f, int n)
{
	struct hooks_seen seen = { 0, 0 };
	struct reasm *r = new_reasm(REASM_MEM_LIMIT, &seen);
	struct reasm_datagram d;
	CHECK_INT(feed(r, f, n, &d), 0);
	const struct reasm_stats *st = reasm_stats(r);
	CHECK_INT(st->overlaps, 1);
	CHECK_INT(st->held_frames, 0);
	CHECK_INT(st->frames_dropped, n);
	CHECK_INT(seen.held, seen.released);
	(void)family;
	reasm_free(r);
}

static void test_overlaps_discard_the_datagram(void)
{
	for (uint8_t fam = 4; fam <= 6; fam += 2) {
		/* a partial overlap: [0, 24) then [16, 40) */
		struct pkt a[2] = { frag(fam, 2, 0, 24, true), frag(fam, 2, 16, 24, false) };
		check_overlap_discards(fam, a, 2);
		/* the same data, arriving out of order: [8, 16) and [16, 24)
		 * are runs of their own, so [8, 24) lies in no one run */
		struct pkt b[4] = { frag(fam, 3, 0, 8, true), frag(fam, 3, 16, 8, true),
				    frag(fam, 3, 8, 8, true), frag(fam, 3, 8, 16, true) };
		check_overlap_discards(fam, b, 4);
		/* a newcomer at the tail that starts inside the last fragment */
		struct pkt c[3] = { frag(fam, 4, 0, 16, true), frag(fam, 4, 16, 16, true),
				    frag(fam, 4, 24, 16, false) };
		check_overlap_discards(fam, c, 3);
	}
	/* after a discard, what comes later of the datagram waits anew */
	struct reasm *r = new_reasm(REASM_MEM_LIMIT, NULL);
	struct pkt d[3] = { frag(4, 5, 0, 24, true), frag(4, 5, 16, 16, true), frag(4, 5, 32, 8, false) };
	struct reasm_datagram out;
	CHECK_INT(feed(r, d, 3, &out), 0);
	CHECK_INT(reasm_stats(r)->frames_dropped, 2);
	CHECK_INT(reasm_stats(r)->held_frames, 1);
	reasm_expire(r, UINT64_MAX);
	CHECK_INT(reasm_stats(r)->frames_dropped, 3);
	reasm_free(r);
}

static void test_inconsistent_lengths_discard(void)
{
	struct reasm *r = new_reasm(REASM_MEM_LIMIT, NULL);
	struct reasm_datagram d;
	/* two last fragments that disagree */
	struct pkt a[2] = { frag(4, 6, 16, 8, false), frag(4, 6, 24, 8, false) };
	CHECK_INT(feed(r, a, 2, &d), 0);
	CHECK_INT(reasm_stats(r)->frames_dropped, 2);
	/* data past the known end */
	struct pkt b[2] = { frag(4, 7, 16, 8, false), frag(4, 7, 24, 16, true) };
	CHECK_INT(feed(r, b, 2, &d), 0);
	CHECK_INT(reasm_stats(r)->frames_dropped, 4);
	/* a zero-length fragment */
	struct pkt c[2] = { frag(4, 8, 0, 8, true), frag(4, 8, 8, 0, true) };
	CHECK_INT(feed(r, c, 2, &d), 0);
	CHECK_INT(reasm_stats(r)->frames_dropped, 6);
	CHECK_INT(reasm_stats(r)->held_frames, 0);
	reasm_free(r);
}

static void test_ipv6_fragments_dropped_alone(void)
{
	struct reasm *r = new_reasm(REASM_MEM_LIMIT, NULL);
	struct reasm_datagram d;
	/* not the last, not a multiple of 8: that fragment alone goes */
	struct pkt f[3] = { frag(6, 9, 0, 16, true), frag(6, 9, 16, 12, true), frag(6, 9, 16, 9, false) };
	CHECK_INT(feed(r, f, 3, &d), 1);
	check_whole(&d, 25, 2);
	CHECK_INT(reasm_stats(r)->frames_dropped, 1);
	reasm_datagram_fini(&d);
	/* a first fragment that stops inside its UDP header */
	struct pkt g[2] = { frag(6, 10, 0, 8, true), frag(6, 10, 8, 8, false) };
	g[0].l4_len = 6;
	g[0].payload_len = 6;
	CHECK_INT(feed(r, g, 2, &d), 0);
	CHECK_INT(reasm_stats(r)->frames_dropped, 2);
	CHECK_INT(reasm_stats(r)->held_frames, 1);
	reasm_free(r);
}

static void test_keys_and_tunnels(void)
{
	struct hooks_seen seen = { 0, 0 };
	struct reasm *r = new_reasm(REASM_MEM_LIMIT, &seen);
	struct reasm_datagram d;
	struct pkt a = frag(4, 11, 0, 8, true), b = frag(4, 11, 8, 8, false);
	b.l4 = 6; /* IPv4 keys by protocol too: another datagram */
	CHECK_INT(add(r, &a, 0, &d), REASM_HELD);
	CHECK_INT(add(r, &b, 0, &d), REASM_HELD);
	b.l4 = 17;
	CHECK_INT(add(r, &b, 5, &d), REASM_HELD); /* another tunnel: another datagram */
	CHECK_INT(add(r, &b, 0, &d), REASM_DONE);
	CHECK_INT(d.tunnel, 0);
	reasm_datagram_fini(&d);
	struct pkt c = frag(6, 11, 0, 8, true), e = frag(6, 11, 8, 8, false);
	e.l4 = 6; /* IPv6 keys without it: the first fragment's next header wins */
	CHECK_INT(add(r, &c, 3, &d), REASM_HELD);
	CHECK_INT(add(r, &e, 3, &d), REASM_DONE);
	CHECK_INT(d.proto, 17);
	CHECK_INT(d.tunnel, 3);
	CHECK_INT(d.family, 6);
	reasm_datagram_fini(&d);
	CHECK_INT(seen.held, 4);
	CHECK_INT(seen.released, 2);
	reasm_expire(r, UINT64_MAX);
	CHECK_INT(seen.released, 4);
	/* inside a tunnel, given-up frames are counted apart: they are the
	 * tunnel connection's too */
	CHECK_INT(reasm_stats(r)->frames_dropped, 1);
	CHECK_INT(reasm_stats(r)->tunneled_frames_dropped, 1);
	/* a fragment that came inside a datagram of three frames counts them */
	struct pkt g = frag(4, 12, 0, 8, true), h = frag(4, 12, 8, 8, false);
	struct reasm_origin three = { 9, 3, 3000 }, one = { 9, 1, 500 };
	CHECK_INT(reasm_add(r, &g, &three, &d), REASM_HELD);
	CHECK_INT(reasm_add(r, &h, &one, &d), REASM_DONE);
	CHECK_INT(d.frames, 4);
	CHECK_INT(d.wire_bytes, 3500);
	reasm_datagram_fini(&d);
	reasm_free(r);
}

static void test_timeouts(void)
{
	struct reasm *r = new_reasm(REASM_MEM_LIMIT, NULL);
	struct reasm_datagram d;
	struct pkt a = frag(4, 12, 0, 8, true), b = frag(6, 12, 0, 8, true);
	CHECK_INT(add(r, &a, 0, &d), REASM_HELD);
	CHECK_INT(add(r, &b, 0, &d), REASM_HELD);
	reasm_expire(r, 1 * SEC + REASM_TIMEOUT4_US - 1);
	CHECK_INT(reasm_stats(r)->held_frames, 2);
	reasm_expire(r, 1 * SEC + REASM_TIMEOUT4_US);
	CHECK_INT(reasm_stats(r)->held_frames, 1); /* IPv4 after 30 s, IPv6 waits 60 */
	CHECK_INT(reasm_stats(r)->timeouts, 1);
	reasm_expire(r, 1 * SEC + REASM_TIMEOUT6_US);
	CHECK_INT(reasm_stats(r)->held_frames, 0);
	CHECK_INT(reasm_stats(r)->frames_dropped, 2);
	/* a fragment after its datagram timed out starts afresh */
	struct pkt c = frag(4, 12, 8, 8, false);
	c.ts_us = 100 * SEC;
	CHECK_INT(add(r, &c, 0, &d), REASM_HELD);
	reasm_free(r);
}

static void test_memory_limit(void)
{
	size_t limit = 8192;
	struct reasm *r = new_reasm(limit, NULL);
	struct reasm_datagram d;
	int held = 0;
	enum reasm_result last = REASM_HELD;
	for (uint32_t id = 0; id < 100 && last == REASM_HELD; id++) {
		struct pkt f = frag(4, id, 0, 512, true);
		last = add(r, &f, 0, &d);
		held += last == REASM_HELD;
	}
	const struct reasm_stats *st = reasm_stats(r);
	CHECK_INT(last, REASM_DROPPED);
	CHECK(st->held_bytes <= limit);
	CHECK_INT(st->over_limit, 1);
	CHECK_INT(st->held_frames, held);
	CHECK_INT(st->frames_dropped, 1);
	/* a datagram that already waits loses its fragments with it */
	struct pkt more = frag(4, 0, 512, 512, true);
	CHECK_INT(add(r, &more, 0, &d), REASM_DROPPED);
	CHECK_INT(st->held_frames, held - 1);
	CHECK_INT(st->frames_dropped, 3);
	reasm_free(r);
}

static void test_short_capture_and_size_limits(void)
{
	struct reasm *r = new_reasm(REASM_MEM_LIMIT, NULL);
	struct reasm_datagram d;
	/* the capture kept 10 of the second fragment's 16 bytes */
	struct pkt f[2] = { frag(4, 13, 0, 16, true), frag(4, 13, 16, 16, false) };
	f[1].payload_len = 10;
	CHECK_INT(feed(r, f, 2, &d), 1);
	CHECK_INT(d.len, 32);
	CHECK_INT(d.captured, 26);
	CHECK(memcmp(d.data, payload, 26) == 0);
	reasm_datagram_fini(&d);
	/* IPv4: more than 65535 bytes with the header */
	struct pkt g[2] = { frag(4, 14, 0, 8, true), frag(4, 14, 65520, 8, false) };
	CHECK_INT(feed(r, g, 2, &d), 0);
	CHECK_INT(reasm_stats(r)->held_frames, 2);
	struct pkt h[2] = { frag(6, 15, 0, 8, true), frag(6, 15, 65528, 8, false) };
	CHECK_INT(feed(r, h, 2, &d), 0); /* IPv6: past 65535, the fragment alone */
	CHECK_INT(reasm_stats(r)->frames_dropped, 1);
	reasm_free(r);
}

static void test_a_thousand_tiny_fragments_are_refused(void)
{
	struct reasm *r = new_reasm(REASM_MEM_LIMIT, NULL);
	struct reasm_datagram d;
	enum reasm_result res = REASM_HELD;
	uint32_t n = 0;
	while (res == REASM_HELD && n < 2000) {
		struct pkt f = frag(4, 16, n * 8, 8, true);
		res = add(r, &f, 0, &d);
		n++;
	}
	CHECK_INT(res, REASM_DROPPED);
	CHECK_INT(n, 1025);
	CHECK_INT(reasm_stats(r)->frames_dropped, 1025);
	reasm_free(r);
}

int main(void)
{
	fill_payload();
	RUN(test_every_arrival_order);
	RUN(test_duplicates_are_ignored_and_counted);
	RUN(test_overlaps_discard_the_datagram);
	RUN(test_inconsistent_lengths_discard);
	RUN(test_ipv6_fragments_dropped_alone);
	RUN(test_keys_and_tunnels);
	RUN(test_timeouts);
	RUN(test_memory_limit);
	RUN(test_short_capture_and_size_limits);
	RUN(test_a_thousand_tiny_fragments_are_refused);
	return check_summary("reasm");
}
