/* TCP health segment by segment: the handshake's round trip, the smoothed
 * round trip of RFC 6298 with Karn's rule (no sample from retransmitted
 * data), and the counts of retransmissions, out-of-order segments,
 * duplicate ACKs and zero windows by the direction that sent them. The
 * agreement with tshark on real captures is tests/shared/tcp_health.sh. */
#include <string.h>

#include "check.h"
#include "flow/tcp_health.h"

#define MS 1000ull
#define T0 1700000000000000ull
#define SPIKE_US (200 * MS) /* --findings-rtt-spike's default */
enum { ISN_C = 1000, ISN_S = 5000, WIN = 500 };

static struct flow new_flow(void)
{
	struct flow f;
	memset(&f, 0, sizeof f);
	meta_init(&f.meta);
	f.local_side = DIR_INIT;
	f.first_us = T0; /* as the tracker sets it: the first segment's time */
	return f;
}

static void free_flow(struct flow *f)
{
	tcp_health_release(f);
	meta_fini(&f->meta);
}

/* A segment sent by dir at T0 + us with window win, spikes judged by
 * spike_us. */
static void segment(struct flow *f, int dir, uint64_t us, uint8_t flags, uint32_t seq, uint32_t ack,
		    uint32_t len, uint16_t win, uint32_t spike_us)
{
	struct pkt p;
	memset(&p, 0, sizeof p);
	p.ts_us = T0 + us;
	p.l4 = L4_TCP;
	p.tcp_flags = flags;
	p.seq = seq;
	p.ack = ack;
	p.l4_len = p.payload_len = len;
	p.tcp_window = win;
	tcp_health_track(f, dir, &p, spike_us);
}

/* A segment sent by dir at T0 + ms. */
static void seg(struct flow *f, int dir, uint64_t ms, uint8_t flags, uint32_t seq, uint32_t ack,
		uint32_t len, uint16_t win)
{
	segment(f, dir, ms * MS, flags, seq, ack, len, win, SPIKE_US);
}

static uint64_t num(const struct flow *f, enum meta_key k)
{
	uint64_t v = 0;
	meta_num(&f->meta, k, &v);
	return v;
}

/* SYN at 0, SYN+ACK at 10, ACK at 20 ms. */
static void handshake(struct flow *f)
{
	seg(f, DIR_INIT, 0, TCP_SYN, ISN_C, 0, 0, WIN);
	seg(f, DIR_RESP, 10, TCP_SYN | TCP_ACK, ISN_S, ISN_C + 1, 0, WIN);
	seg(f, DIR_INIT, 20, TCP_ACK, ISN_C + 1, ISN_S + 1, 0, WIN);
}

static void test_handshake_rtt_is_syn_to_the_ack_of_the_syn_ack(void)
{
	struct flow f = new_flow();
	seg(&f, DIR_INIT, 0, TCP_SYN, ISN_C, 0, 0, WIN);
	seg(&f, DIR_INIT, 1000, TCP_SYN, ISN_C, 0, 0, WIN); /* retransmitted: timed from here */
	seg(&f, DIR_RESP, 1010, TCP_SYN | TCP_ACK, ISN_S, ISN_C + 1, 0, WIN);
	CHECK(!meta_num(&f.meta, META_TCP_HANDSHAKE_RTT_US, NULL));
	seg(&f, DIR_INIT, 1025, TCP_ACK, ISN_C + 1, ISN_S + 1, 0, WIN);
	CHECK_INT(num(&f, META_TCP_HANDSHAKE_RTT_US), 25 * MS);
	CHECK_INT(num(&f, META_TCP_RETRANSMITS), 1); /* the second SYN */
	CHECK_INT(num(&f, META_TCP_RETRANSMITS_RESP), 0);
	free_flow(&f);
}

static void test_srtt_smooths_samples_and_skips_retransmitted_data(void)
{
	struct flow f = new_flow();
	handshake(&f);
	uint32_t c = ISN_C + 1, s = ISN_S + 1;
	/* data at 30, its ACK at 50: the first sample, 20 ms */
	seg(&f, DIR_INIT, 30, TCP_ACK, c, s, 100, WIN);
	seg(&f, DIR_RESP, 50, TCP_ACK, s, c + 100, 0, WIN);
	CHECK_INT(num(&f, META_TCP_SRTT_US), 20 * MS);
	c += 100;
	/* data at 60, sent again at 400, acknowledged at 410: which copy the
	 * ACK answers is unknown, so no sample (Karn) */
	seg(&f, DIR_INIT, 60, TCP_ACK, c, s, 100, WIN);
	seg(&f, DIR_INIT, 400, TCP_ACK, c, s, 100, WIN);
	seg(&f, DIR_RESP, 410, TCP_ACK, s, c + 100, 0, WIN);
	CHECK_INT(num(&f, META_TCP_SRTT_US), 20 * MS);
	CHECK_INT(num(&f, META_TCP_RETRANSMITS), 1);
	c += 100;
	/* data at 500, ACK at 540: 40 ms; SRTT = 20 + (40 - 20) / 8 */
	seg(&f, DIR_INIT, 500, TCP_ACK, c, s, 100, WIN);
	seg(&f, DIR_RESP, 540, TCP_ACK, s, c + 100, 0, WIN);
	CHECK_INT(num(&f, META_TCP_SRTT_US), 22500);
	/* the responder's data is not timed (the local side is the initiator) */
	seg(&f, DIR_RESP, 600, TCP_ACK, s, c + 100, 100, WIN);
	seg(&f, DIR_INIT, 900, TCP_ACK, c + 100, s + 100, 0, WIN);
	CHECK_INT(num(&f, META_TCP_SRTT_US), 22500);
	free_flow(&f);
}

static void test_counts_go_to_the_sender(void)
{
	struct flow f = new_flow();
	handshake(&f);
	uint32_t c = ISN_C + 1, s = ISN_S + 1;
	/* the responder sends 3 segments; the second is lost, so the
	 * initiator repeats its ACK twice (duplicate ACKs) and the responder
	 * sends it again (a fast retransmission) */
	seg(&f, DIR_RESP, 30, TCP_ACK, s, c, 100, WIN);
	seg(&f, DIR_INIT, 31, TCP_ACK, c, s + 100, 0, WIN);
	seg(&f, DIR_RESP, 40, TCP_ACK, s + 200, c, 100, WIN);
	seg(&f, DIR_INIT, 41, TCP_ACK, c, s + 100, 0, WIN);
	seg(&f, DIR_RESP, 42, TCP_ACK, s + 300, c, 100, WIN);
	seg(&f, DIR_INIT, 43, TCP_ACK, c, s + 100, 0, WIN);
	seg(&f, DIR_RESP, 44, TCP_ACK, s + 100, c, 100, WIN);
	CHECK_INT(num(&f, META_TCP_DUP_ACKS), 2);
	CHECK_INT(num(&f, META_TCP_DUP_ACKS_RESP), 0);
	CHECK_INT(num(&f, META_TCP_RETRANSMITS_RESP), 1);
	CHECK_INT(num(&f, META_TCP_RETRANSMITS), 0);
	/* a segment behind the highest, within the handshake's 20 ms of it,
	 * that does not end where the highest does: out of order */
	seg(&f, DIR_RESP, 50, TCP_ACK, s + 500, c, 100, WIN);
	seg(&f, DIR_RESP, 52, TCP_ACK, s + 400, c, 100, WIN);
	CHECK_INT(num(&f, META_TCP_OUT_OF_ORDER_RESP), 1);
	/* the initiator's buffer fills: a zero window, twice; a RST with a
	 * zero window is not one */
	seg(&f, DIR_INIT, 60, TCP_ACK, c, s + 600, 0, 0);
	seg(&f, DIR_INIT, 61, TCP_ACK, c, s + 600, 0, 0);
	seg(&f, DIR_INIT, 62, TCP_RST | TCP_ACK, c, s + 600, 0, 0);
	CHECK_INT(num(&f, META_TCP_ZERO_WINDOWS), 2);
	CHECK_INT(num(&f, META_TCP_ZERO_WINDOWS_RESP), 0);
	free_flow(&f);
}

/* A first segment is held in the flow; the block comes with the second,
 * and what the first said still counts (here: for a retransmitted SYN,
 * and as the start of the handshake's round trip). */
static void test_a_lone_syn_costs_no_block(void)
{
	struct flow f = new_flow();
	seg(&f, DIR_INIT, 0, TCP_SYN, ISN_C, 0, 0, WIN);
	CHECK(!tcp_health_has_block(&f));
	seg(&f, DIR_INIT, 3000, TCP_SYN, ISN_C, 0, 0, WIN);
	CHECK(tcp_health_has_block(&f));
	CHECK_INT(num(&f, META_TCP_RETRANSMITS), 1);
	free_flow(&f);

	f = new_flow();
	seg(&f, DIR_INIT, 0, TCP_SYN, ISN_C, 0, 0, WIN);
	seg(&f, DIR_RESP, 10, TCP_SYN | TCP_ACK, ISN_S, ISN_C + 1, 0, WIN);
	seg(&f, DIR_INIT, 25, TCP_ACK, ISN_C + 1, ISN_S + 1, 0, WIN);
	CHECK_INT(num(&f, META_TCP_HANDSHAKE_RTT_US), 25 * MS);
	CHECK_INT(num(&f, META_TCP_RETRANSMITS), 0);
	free_flow(&f);
}

/* A connection picked up mid-stream: the held first segment's data is
 * timed to its ACK, and a repeat of it is a retransmission. */
static void test_a_held_data_segment_is_timed_and_compared(void)
{
	uint32_t c = ISN_C + 1, s = ISN_S + 1;
	struct flow f = new_flow();
	seg(&f, DIR_INIT, 0, TCP_ACK, c, s, 100, WIN);
	CHECK(!tcp_health_has_block(&f));
	seg(&f, DIR_RESP, 30, TCP_ACK, s, c + 100, 0, WIN);
	CHECK_INT(num(&f, META_TCP_SRTT_US), 30 * MS);
	free_flow(&f);

	f = new_flow();
	seg(&f, DIR_RESP, 0, TCP_ACK | TCP_FIN, s, c, 100, WIN);
	seg(&f, DIR_RESP, 200, TCP_ACK | TCP_FIN, s, c, 100, WIN);
	CHECK_INT(num(&f, META_TCP_RETRANSMITS_RESP), 1);
	CHECK(!meta_num(&f.meta, META_TCP_SRTT_US, NULL)); /* the responder's data is not timed */
	free_flow(&f);
}

/* A segment that is not the flow's first in time (a datagram reassembled
 * from fragments that came earlier) gets its block at once. */
static void test_a_first_segment_after_the_flows_start_gets_a_block(void)
{
	struct flow f = new_flow();
	seg(&f, DIR_INIT, 5, TCP_SYN, ISN_C, 0, 0, WIN);
	CHECK(tcp_health_has_block(&f));
	free_flow(&f);
}

/* After the handshake (it ends at 20 ms), the initiator's 100-byte
 * segments one at a time, each acknowledged samples[i] us after it, the
 * next sent 1 ms after that ACK. Returns the time of the last ACK. */
static uint64_t samples_of(struct flow *f, const uint32_t *samples, int n, uint32_t spike_us)
{
	uint32_t c = ISN_C + 1, s = ISN_S + 1;
	uint64_t t = 20 * MS;
	for (int i = 0; i < n; i++, c += 100) {
		t += MS;
		segment(f, DIR_INIT, t, TCP_ACK, c, s, 100, WIN, spike_us);
		t += samples[i];
		segment(f, DIR_RESP, t, TCP_ACK, s, c + 100, 0, WIN, spike_us);
	}
	return t;
}

/* The spikes of a flow whose round trips were first_us then second_us. */
static uint64_t spikes_after(uint32_t first_us, uint32_t second_us, uint32_t spike_us)
{
	struct flow f = new_flow();
	handshake(&f);
	uint32_t two[2] = { first_us, second_us };
	samples_of(&f, two, 2, spike_us);
	uint64_t n = num(&f, META_TCP_RTT_SPIKES);
	free_flow(&f);
	return n;
}

/* Each edge of the rule alone. A first sample R leaves SRTT = R and
 * RTTVAR = R / 2, so the timeout's base SRTT + 4 * RTTVAR is 3R. */
static void test_rtt_spike_edges(void)
{
	/* 40 ms: the base is 120 ms, the floor 40 + 200 = 240 ms */
	CHECK_INT(spikes_after(40000, 239999, SPIKE_US), 0);
	CHECK_INT(spikes_after(40000, 240000, SPIKE_US), 1);
	/* 200 ms: the floor is 400 ms, the base 600 ms, which is not over it */
	CHECK_INT(spikes_after(200000, 600000, SPIKE_US), 0);
	CHECK_INT(spikes_after(200000, 600001, SPIKE_US), 1);
	/* the floor set lower and higher; 0: nothing is a spike */
	CHECK_INT(spikes_after(40000, 150000, 100 * MS), 1);
	CHECK_INT(spikes_after(40000, 299999, 260 * MS), 0);
	CHECK_INT(spikes_after(40000, 3000000, 0), 0);
	/* the first sample has nothing to be over */
	struct flow f = new_flow();
	handshake(&f);
	uint32_t one = 3000000;
	samples_of(&f, &one, 1, SPIKE_US);
	CHECK(!meta_num(&f.meta, META_TCP_RTT_SPIKES, NULL));
	CHECK_INT(num(&f, META_TCP_SRTT_US), 3000000);
	free_flow(&f);
}

/* Two spikes among steady samples: counted, the largest kept with the
 * time of its ACK; SRTT and RTTVAR move by RFC 6298 (in us, toward zero):
 *   20000: SRTT 20000, RTTVAR 10000
 *   400000 > 20000 + 40000 and 380000 over SRTT: a spike;
 *          RTTVAR 10000 + (380000 - 10000) / 4 = 102500, SRTT 20000 + 380000 / 8 = 67500
 *   20000: RTTVAR 102500 + (47500 - 102500) / 4 = 88750, SRTT 67500 - 47500 / 8 = 61563
 *   700000 > 61563 + 355000, 638437 over SRTT: a spike, the largest
 *   700000 again: RTTVAR 88750 + (638437 - 88750) / 4 = 226171,
 *          SRTT 61563 + 638437 / 8 = 141367; 700000 < 141367 + 904684: none */
static void test_rtt_spikes_counted_with_the_largest(void)
{
	struct flow f = new_flow();
	handshake(&f);
	uint32_t s[5] = { 20000, 400000, 20000, 700000, 700000 };
	samples_of(&f, s, 4, SPIKE_US);
	uint64_t at = T0 + 20 * MS + 4 * MS + 20000 + 400000 + 20000 + 700000;
	CHECK_INT(num(&f, META_TCP_RTT_SPIKES), 2);
	CHECK_INT(num(&f, META_TCP_RTT_SPIKE_MAX_US), 700000);
	CHECK_INT(num(&f, META_TCP_RTT_SPIKE_AT_US), at);
	free_flow(&f);
	f = new_flow();
	handshake(&f);
	samples_of(&f, s, 5, SPIKE_US);
	CHECK_INT(num(&f, META_TCP_RTT_SPIKES), 2);
	CHECK_INT(num(&f, META_TCP_RTT_SPIKE_AT_US), at);
	CHECK_INT(num(&f, META_TCP_SRTT_US), 141367 + (700000 - 141367) / 8);
	free_flow(&f);
}

/* A late ACK of a retransmitted segment is no sample (Karn), so no spike. */
static void test_no_spike_from_retransmitted_data(void)
{
	struct flow f = new_flow();
	handshake(&f);
	uint32_t c = ISN_C + 1, s = ISN_S + 1;
	uint32_t first = 20000;
	samples_of(&f, &first, 1, SPIKE_US);
	c += 100;
	seg(&f, DIR_INIT, 100, TCP_ACK, c, s, 100, WIN);
	seg(&f, DIR_INIT, 400, TCP_ACK, c, s, 100, WIN);
	seg(&f, DIR_RESP, 1500, TCP_ACK, s, c + 100, 0, WIN);
	CHECK(!meta_num(&f.meta, META_TCP_RTT_SPIKES, NULL));
	CHECK_INT(num(&f, META_TCP_SRTT_US), 20000);
	free_flow(&f);
}

int main(void)
{
	RUN(test_a_lone_syn_costs_no_block);
	RUN(test_a_held_data_segment_is_timed_and_compared);
	RUN(test_a_first_segment_after_the_flows_start_gets_a_block);
	RUN(test_handshake_rtt_is_syn_to_the_ack_of_the_syn_ack);
	RUN(test_srtt_smooths_samples_and_skips_retransmitted_data);
	RUN(test_counts_go_to_the_sender);
	RUN(test_rtt_spike_edges);
	RUN(test_rtt_spikes_counted_with_the_largest);
	RUN(test_no_spike_from_retransmitted_data);
	return check_summary("test_tcp_health");
}
