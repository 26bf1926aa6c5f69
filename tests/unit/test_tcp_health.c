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

/* A segment sent by dir at T0 + ms. */
static void seg(struct flow *f, int dir, uint64_t ms, uint8_t flags, uint32_t seq, uint32_t ack,
		uint32_t len, uint16_t win)
{
	struct pkt p;
	memset(&p, 0, sizeof p);
	p.ts_us = T0 + ms * MS;
	p.l4 = L4_TCP;
	p.tcp_flags = flags;
	p.seq = seq;
	p.ack = ack;
	p.l4_len = p.payload_len = len;
	p.tcp_window = win;
	tcp_health_track(f, dir, &p);
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

int main(void)
{
	RUN(test_a_lone_syn_costs_no_block);
	RUN(test_a_held_data_segment_is_timed_and_compared);
	RUN(test_a_first_segment_after_the_flows_start_gets_a_block);
	RUN(test_handshake_rtt_is_syn_to_the_ack_of_the_syn_ack);
	RUN(test_srtt_smooths_samples_and_skips_retransmitted_data);
	RUN(test_counts_go_to_the_sender);
	return check_summary("test_tcp_health");
}
