/* Connection tracking driven packet by packet: directions fold into one
 * flow, idle flows retire on their timeouts, the cap evicts, a reused
 * 5-tuple starts a new connection, and the counters (created, retired,
 * evicted, peak tracked at once) say what happened. */
#include <stdio.h>
#include <string.h>

#include "check.h"
#include "flow/tracker.h"

#define SEC 1000000ull

/* What the sink was told, in order. */
struct seen {
	int n;
	enum retire_reason why[16];
	uint16_t sport[16];
	uint64_t packets[16]; /* both directions */
};

static void on_retired(void *opaque, const struct flow *f, uint64_t now_us, enum retire_reason why)
{
	(void)now_us;
	struct seen *s = opaque;
	if (s->n >= 16)
		return;
	s->why[s->n] = why;
	s->sport[s->n] = f->init_is_b ? f->key.pb : f->key.pa;
	s->packets[s->n] = f->packets[DIR_INIT] + f->packets[DIR_RESP];
	s->n++;
}

static struct tracker *tracker_for_test(uint32_t max_flows, struct seen *s)
{
	struct tracker_opts o;
	memset(&o, 0, sizeof o);
	timeouts_default(&o.timeouts);
	o.max_flows = max_flows;
	o.no_dpi = true;
	struct tracker_sink sink = { on_retired, NULL, s };
	return tracker_new(&o, &sink);
}

/* 10.0.0.1:sport <-> 192.0.2.1:dport, or the reverse with `reply`. */
static struct pkt udp_packet(uint64_t ts, uint16_t sport, uint16_t dport, bool reply)
{
	struct pkt p;
	memset(&p, 0, sizeof p);
	p.ts_us = ts;
	p.wirelen = p.caplen = 100;
	p.family = 4;
	p.l4 = L4_UDP;
	const uint8_t a[4] = { 10, 0, 0, 1 }, b[4] = { 192, 0, 2, 1 };
	memcpy(p.src, reply ? b : a, 4);
	memcpy(p.dst, reply ? a : b, 4);
	p.sport = reply ? dport : sport;
	p.dport = reply ? sport : dport;
	return p;
}

static struct pkt tcp_packet(uint64_t ts, uint16_t sport, bool reply, uint8_t flags, uint32_t seq)
{
	struct pkt p = udp_packet(ts, sport, 80, reply);
	p.l4 = L4_TCP;
	p.tcp_flags = flags;
	p.seq = seq;
	return p;
}

static void feed(struct tracker *t, struct pkt p)
{
	tracker_packet(t, &p, DECODE_OK, NULL);
}

static void test_both_directions_are_one_flow(void)
{
	struct seen s = { 0 };
	struct tracker *t = tracker_for_test(0, &s);
	feed(t, udp_packet(1 * SEC, 5000, 53, false));
	feed(t, udp_packet(1 * SEC + 10, 5000, 53, true));
	feed(t, udp_packet(1 * SEC + 20, 5000, 53, false));
	CHECK_INT(tracker_count(t), 1);
	tracker_flush(t, 2 * SEC);
	CHECK_INT(s.n, 1);
	CHECK_INT(s.why[0], RETIRE_END);
	CHECK_INT(s.sport[0], 5000);
	CHECK_INT(s.packets[0], 3);
	CHECK_INT(tracker_count(t), 0);
	tracker_free(t);
}

static void test_idle_flows_retire_and_the_peak_remains(void)
{
	struct seen s = { 0 };
	struct tracker *t = tracker_for_test(0, &s);
	struct timeouts to;
	timeouts_default(&to);
	uint64_t udp_idle = (uint64_t)to.sec[TO_UDP] * SEC;
	feed(t, udp_packet(1 * SEC, 6001, 9999, false));
	feed(t, udp_packet(1 * SEC, 6002, 9999, false));
	feed(t, udp_packet(1 * SEC, 6003, 9999, false));
	CHECK_INT(tracker_count(t), 3);
	/* only the third keeps talking */
	feed(t, udp_packet(1 * SEC + udp_idle / 2, 6003, 9999, false));
	tracker_tick(t, 1 * SEC + udp_idle + 2 * SEC);
	CHECK_INT(tracker_count(t), 1);
	CHECK_INT(s.n, 2);
	CHECK_INT(s.why[0], RETIRE_TIMEOUT);
	CHECK_INT(s.why[1], RETIRE_TIMEOUT);
	feed(t, udp_packet(1 * SEC + udp_idle + 3 * SEC, 6004, 9999, false));
	const struct tracker_stats *st = tracker_stats(t);
	CHECK_INT(st->flows_created, 4);
	CHECK_INT(st->flows_retired, 2);
	CHECK_INT(st->flows_peak, 3);
	CHECK_INT(tracker_count(t), 2);
	tracker_free(t);
}

static void test_the_cap_evicts_one_flow_per_new_one(void)
{
	struct seen s = { 0 };
	struct tracker *t = tracker_for_test(2, &s);
	for (uint16_t port = 7001; port <= 7005; port++)
		feed(t, udp_packet(port * 10ull, port, 9999, false));
	const struct tracker_stats *st = tracker_stats(t);
	CHECK_INT(tracker_count(t), 2);
	CHECK_INT(st->flows_created, 5);
	CHECK_INT(st->flows_evicted, 3);
	CHECK_INT(st->flows_peak, 2);
	CHECK_INT(s.n, 3);
	for (int i = 0; i < s.n; i++)
		CHECK_INT(s.why[i], RETIRE_EVICTED);
	tracker_free(t);
}

static void test_a_new_syn_on_a_closed_tuple_is_a_new_connection(void)
{
	struct seen s = { 0 };
	struct tracker *t = tracker_for_test(0, &s);
	feed(t, tcp_packet(1 * SEC, 40000, false, TCP_SYN, 100));
	feed(t, tcp_packet(1 * SEC + 1, 40000, true, TCP_SYN | TCP_ACK, 500));
	feed(t, tcp_packet(1 * SEC + 2, 40000, false, TCP_ACK, 101));
	feed(t, tcp_packet(1 * SEC + 3, 40000, false, TCP_RST, 101));
	CHECK_INT(tracker_count(t), 1);
	feed(t, tcp_packet(2 * SEC, 40000, false, TCP_SYN, 9000));
	CHECK_INT(s.n, 1);
	CHECK_INT(s.why[0], RETIRE_REUSED);
	CHECK_INT(s.packets[0], 4);
	CHECK_INT(tracker_count(t), 1);
	CHECK_INT(tracker_stats(t)->flows_created, 2);
	CHECK_INT(tracker_stats(t)->flows_peak, 1);
	tracker_free(t);
}

/* The state word of the only tracked flow, as a published row says it. */
static void state_at(struct tracker *t, uint64_t now_us, char *out, size_t cap)
{
	struct snapshot *s = snapshot_new(4);
	tracker_rows(t, s, now_us);
	snprintf(out, cap, "%s", s->n == 1 ? s->rows[0].state : "(none)");
	snapshot_free(s);
}

static void test_udp_activity_uses_the_reference_thresholds(void)
{
	struct seen s = { 0 };
	struct tracker *t = tracker_for_test(0, &s);
	char st[ROW_STATE_MAX];
	feed(t, udp_packet(1 * SEC, 6100, 7777, false));
	state_at(t, 1 * SEC + 29 * SEC + 999999, st, sizeof st);
	CHECK_STR(st, "UDP_ACTIVE");
	state_at(t, 1 * SEC + 30 * SEC, st, sizeof st);
	CHECK_STR(st, "UDP_IDLE");
	state_at(t, 1 * SEC + 60 * SEC, st, sizeof st);
	CHECK_STR(st, "UDP_IDLE");
	state_at(t, 1 * SEC + 60 * SEC + 1, st, sizeof st);
	CHECK_STR(st, "UDP_STALE");
	tracker_free(t);
}

/* A closed connection goes within a quarter second of its deadline, not
 * at the next whole second: live records follow the close closely. */
static void test_retired_within_a_quarter_second_of_the_deadline(void)
{
	struct seen s = { 0 };
	struct tracker *t = tracker_for_test(0, &s);
	struct timeouts to;
	timeouts_default(&to);
	uint64_t closed_at = 1 * SEC + 300000, deadline = closed_at + to.sec[TO_TCP_CLOSED] * SEC;
	feed(t, tcp_packet(1 * SEC, 41000, false, TCP_SYN, 100));
	feed(t, tcp_packet(closed_at, 41000, false, TCP_RST, 101));
	tracker_tick(t, deadline - 100000);
	CHECK_INT(s.n, 0);
	tracker_tick(t, deadline + 250000);
	CHECK_INT(s.n, 1);
	CHECK_INT(s.why[0], RETIRE_TIMEOUT);
	tracker_free(t);
}

int main(void)
{
	RUN(test_both_directions_are_one_flow);
	RUN(test_idle_flows_retire_and_the_peak_remains);
	RUN(test_the_cap_evicts_one_flow_per_new_one);
	RUN(test_a_new_syn_on_a_closed_tuple_is_a_new_connection);
	RUN(test_udp_activity_uses_the_reference_thresholds);
	RUN(test_retired_within_a_quarter_second_of_the_deadline);
	return check_summary("tracker");
}
