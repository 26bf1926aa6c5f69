/* test_findings.c - output/findings.h: which final rows make which
 * findings, at the thresholds' edges, and how they are gathered and
 * written (the golden captures in tests/golden/findings/ check the whole
 * path against tshark). */
#include <stdlib.h>
#include <string.h>

#include "base/clock.h"
#include "check.h"
#include "flow/state.h"
#include "output/findings.h"

static const struct findings_opts defaults = {
	.no_answer_us = FINDINGS_NO_ANSWER_SEC * US_PER_SEC,
	.retransmit_percent = FINDINGS_RETRANSMIT_PERCENT,
	.retransmit_min = FINDINGS_RETRANSMIT_MIN,
	.rtt_rise_us = FINDINGS_RTT_RISE_MS * US_PER_MS,
	.rtt_spike_us = FINDINGS_RTT_SPIKE_MS * US_PER_MS,
};

#define T0 (1700000000ull * US_PER_SEC)

static struct conn_row tcp_row(uint8_t last_dst_byte, uint16_t sport, uint16_t dport, uint8_t seen)
{
	struct conn_row r;
	memset(&r, 0, sizeof r);
	meta_init(&r.meta);
	r.l4 = L4_TCP;
	r.family = 4;
	uint8_t src[4] = { 10, 1, 0, 2 }, dst[4] = { 10, 2, 0, last_dst_byte };
	memcpy(r.src, src, 4);
	memcpy(r.dst, dst, 4);
	r.sport = sport;
	r.dport = dport;
	r.tcp_seen = seen;
	r.src_packets = 1;
	r.first_seen_us = r.last_seen_us = T0;
	return r;
}

static struct conn_row dns_row(uint16_t sport, const char *name, int rcode)
{
	struct conn_row r = tcp_row(53, sport, 53, 0);
	r.l4 = L4_UDP;
	r.meta.app = APP_DNS;
	if (name)
		meta_set_str(&r.meta, META_DNS_QUERY, (const uint8_t *)name, strlen(name));
	if (rcode >= 0) {
		meta_set_num(&r.meta, META_DNS_RCODE, (uint64_t)rcode);
		r.dst_packets = 1;
	}
	return r;
}

/* Copies of rows with metadata of their own, for a second written(),
 * which frees the metadata of the rows it is given. */
static void copy_rows(struct conn_row *to, const struct conn_row *from, int n)
{
	for (int i = 0; i < n; i++) {
		to[i] = from[i];
		meta_init(&to[i].meta);
		meta_copy(&to[i].meta, &from[i].meta);
	}
}

/* The findings of rows, each retired at its own now_us, as text. */
static char *written(struct conn_row *rows, const uint64_t *now, size_t n, const struct findings_opts *o)
{
	struct findings *fs = findings_new(o);
	for (size_t i = 0; i < n; i++) {
		findings_add(fs, &rows[i], now[i]);
		meta_fini(&rows[i].meta);
	}
	struct outbuf ob;
	outbuf_init(&ob, 256);
	findings_write(fs, &ob);
	outbuf_putc(&ob, '\0');
	findings_free(fs);
	return ob.buf;
}

static int count_of(const char *text, const char *needle)
{
	int n = 0;
	for (const char *p = text; (p = strstr(p, needle)); p += strlen(needle))
		n++;
	return n;
}

/* Exactly 5 s after the first SYN is a finding; a microsecond less is not. */
static void test_no_answer_edge(void)
{
	struct conn_row r[2] = { tcp_row(10, 41000, 80, ROW_TCP_SYN), tcp_row(10, 41001, 80, ROW_TCP_SYN) };
	uint64_t now[2] = { T0 + 5 * US_PER_SEC, T0 + 5 * US_PER_SEC - 1 };
	char *out = written(r, now, 2, &defaults);
	CHECK_INT(count_of(out, "\"finding\": \"tcp_no_answer\""), 1);
	CHECK(strstr(out, "\"count\": 1,") != NULL);
	CHECK(strstr(out, "\"src_port\": 41000") != NULL);
	CHECK(strstr(out, "41001") == NULL);
	free(out);
}

/* Anything back from the responder, or a SYN+ACK, is an answer. */
static void test_answered_is_not_no_answer(void)
{
	struct conn_row r[2] = { tcp_row(10, 41000, 80, ROW_TCP_SYN), tcp_row(10, 41001, 80, ROW_TCP_SYN | ROW_TCP_SYN_ACK) };
	r[0].dst_packets = 1;
	r[1].dst_packets = 1;
	uint64_t now[2] = { T0 + 60 * US_PER_SEC, T0 + 60 * US_PER_SEC };
	char *out = written(r, now, 2, &defaults);
	CHECK_STR(out, "");
	free(out);
}

/* A SYN a router answered with host unreachable (or time exceeded) has
 * that finding, not tcp_no_answer, however long ago it was sent; a
 * packet too big quoting it leaves it unanswered. */
static void test_icmp_answered_syn(void)
{
	uint8_t types[3] = { 3, 11, 4 }; /* unreachable, time exceeded, source quench */
	const char *want[3] = { "icmp_unreachable", "icmp_time_exceeded", "tcp_no_answer" };
	for (int i = 0; i < 3; i++) {
		struct conn_row r = tcp_row(10, 41000, 80, ROW_TCP_SYN);
		struct meta_icmp_error e = { types[i], 1, 0, false };
		meta_set_num(&r.meta, META_ICMP_ERROR, meta_icmp_error_pack(e));
		meta_set_str(&r.meta, META_ICMP_ERROR_FROM, (const uint8_t *)"10.0.0.1", 8);
		meta_set_num(&r.meta, META_ICMP_ERRORS, 1);
		uint64_t now = T0 + 60 * US_PER_SEC;
		char *out = written(&r, &now, 1, &defaults);
		CHECK_INT(count_of(out, "\"finding\""), 1);
		char f[64];
		snprintf(f, sizeof f, "\"finding\": \"%s\"", want[i]);
		CHECK(strstr(out, f) != NULL);
		free(out);
	}
}

/* A RST after FINs both ways is a close, not a reset; before them it is
 * one; a RST to a SYN is a refusal, not a reset. */
static void test_resets(void)
{
	uint8_t est = ROW_TCP_SYN | ROW_TCP_SYN_ACK | ROW_TCP_ESTABLISHED;
	struct conn_row r[3] = {
		tcp_row(12, 41020, 443, est | ROW_TCP_RST | ROW_TCP_FIN_BOTH),
		tcp_row(12, 41021, 443, est | ROW_TCP_RST),
		tcp_row(11, 41010, 81, ROW_TCP_SYN | ROW_TCP_RST),
	};
	uint64_t now[3] = { T0, T0, T0 };
	char *out = written(r, now, 3, &defaults);
	CHECK_INT(count_of(out, "\n"), 2);
	CHECK(strstr(out, "{\"finding\": \"tcp_refused\", \"severity\": \"error\", \"count\": 1, "
			  "\"first_seen\": 1700000000.000000, \"last_seen\": 1700000000.000000, \"proto\": \"TCP\", "
			  "\"dst_ip\": \"10.2.0.11\", \"dst_port\": 81, \"connections\": [{\"proto\": \"TCP\", "
			  "\"src_ip\": \"10.1.0.2\", \"src_port\": 41010, \"dst_ip\": \"10.2.0.11\", \"dst_port\": 81, "
			  "\"first_seen\": 1700000000.000000}]}\n") != NULL);
	CHECK(strstr(out, "\"tcp_reset\"") != NULL && strstr(out, "41021") != NULL && strstr(out, "41020") == NULL);
	free(out);
}

/* 3 of 30 packets is 10 %: a finding; 3 of 31 is not, nor 2 of 2. */
static void test_retransmit_thresholds(void)
{
	uint8_t est = ROW_TCP_SYN | ROW_TCP_SYN_ACK | ROW_TCP_ESTABLISHED;
	struct conn_row r[3] = { tcp_row(14, 1, 80, est), tcp_row(14, 2, 80, est), tcp_row(14, 3, 80, est) };
	uint64_t packets[3] = { 30, 31, 2 }, re[3] = { 3, 3, 2 };
	uint64_t now[3] = { T0, T0, T0 };
	for (int i = 0; i < 3; i++) {
		r[i].src_packets = packets[i] / 2;
		r[i].dst_packets = packets[i] - packets[i] / 2;
		meta_set_num(&r[i].meta, META_TCP_RETRANSMITS, re[i] - 1);
		meta_set_num(&r[i].meta, META_TCP_RETRANSMITS_RESP, 1);
	}
	char *out = written(r, now, 3, &defaults);
	CHECK_INT(count_of(out, "\"tcp_retransmits\""), 1);
	CHECK(strstr(out, "\"count\": 1,") != NULL && strstr(out, "\"src_port\": 1,") != NULL);
	free(out);
	/* a SYN sent again and again is the handshake's finding only */
	struct conn_row syn = tcp_row(10, 4, 80, ROW_TCP_SYN);
	syn.src_packets = 4;
	meta_set_num(&syn.meta, META_TCP_RETRANSMITS, 3);
	uint64_t later = T0 + 10 * US_PER_SEC;
	out = written(&syn, &later, 1, &defaults);
	CHECK_INT(count_of(out, "\"finding\""), 1);
	CHECK(strstr(out, "\"tcp_no_answer\"") != NULL);
	free(out);
}

/* The smoothed RTT risen 100 ms over the handshake's and to twice it: a
 * finding at exactly both edges; a microsecond short of either is not;
 * --findings-rtt-rise 0 turns it off. */
static void test_rtt_rise(void)
{
	uint8_t est = ROW_TCP_SYN | ROW_TCP_SYN_ACK | ROW_TCP_ESTABLISHED;
	/* handshake, srtt: 10 ms -> 110 ms (+100, 11x); 10 -> 109.999; 150 -> 299.999 (+150, < 2x);
	 * 150 -> 300 (+150, 2x); none at all */
	uint64_t hs[5] = { 10000, 10000, 150000, 150000, 0 }, srtt[5] = { 110000, 109999, 299999, 300000, 0 };
	struct conn_row r[5];
	uint64_t now[5];
	for (int i = 0; i < 5; i++) {
		r[i] = tcp_row(15, (uint16_t)(i + 1), 80, est);
		r[i].dst_packets = 1;
		now[i] = T0;
		if (hs[i]) {
			meta_set_num(&r[i].meta, META_TCP_HANDSHAKE_RTT_US, hs[i]);
			meta_set_num(&r[i].meta, META_TCP_SRTT_US, srtt[i]);
		}
	}
	struct conn_row copy[5];
	copy_rows(copy, r, 5);
	char *out = written(r, now, 5, &defaults);
	CHECK_INT(count_of(out, "\"tcp_rtt_rise\""), 1);
	CHECK(strstr(out, "\"count\": 2,") != NULL);
	CHECK(strstr(out, "\"src_port\": 1,") && strstr(out, "\"src_port\": 4,") && !strstr(out, "\"src_port\": 2,"));
	free(out);
	struct findings_opts off = defaults;
	off.rtt_rise_us = 0;
	out = written(copy, now, 5, &off);
	CHECK_INT(count_of(out, "\"finding\""), 0);
	free(out);
}

/* A connection whose samples the tracker found a spike among
 * (flow/tcp_health.h judges them) is a finding, per responder, whatever
 * its smoothed RTT ended at: two connections to one endpoint are one
 * finding of count 2 with their first and last times; one without spikes
 * is none; one never established is none; --findings-rtt-spike 0 none. */
static void test_rtt_spike(void)
{
	uint8_t est = ROW_TCP_SYN | ROW_TCP_SYN_ACK | ROW_TCP_ESTABLISHED;
	uint8_t seen[4] = { est, est, est, ROW_TCP_SYN };
	uint64_t spikes[4] = { 1, 3, 0, 1 };
	struct conn_row r[4], copy[4];
	uint64_t now[4];
	for (int i = 0; i < 4; i++) {
		r[i] = tcp_row(16, (uint16_t)(i + 1), 80, seen[i]);
		r[i].dst_packets = 1;
		r[i].first_seen_us = T0 + (uint64_t)i * US_PER_SEC;
		r[i].last_seen_us = r[i].first_seen_us + 500000;
		now[i] = r[i].last_seen_us;
		meta_set_num(&r[i].meta, META_TCP_SRTT_US, 20000);
		if (spikes[i])
			meta_set_num(&r[i].meta, META_TCP_RTT_SPIKES, spikes[i]);
	}
	copy_rows(copy, r, 4);
	char *out = written(r, now, 4, &defaults);
	CHECK_INT(count_of(out, "\"finding\""), 1);
	CHECK(strstr(out, "{\"finding\": \"tcp_rtt_spike\", \"severity\": \"warning\", \"count\": 2, "
			  "\"first_seen\": 1700000000.000000, \"last_seen\": 1700000001.500000, "
			  "\"proto\": \"TCP\", \"dst_ip\": \"10.2.0.16\", \"dst_port\": 80,") == out);
	CHECK(strstr(out, "\"src_port\": 1,") && strstr(out, "\"src_port\": 2,") && !strstr(out, "\"src_port\": 3,"));
	free(out);
	struct findings_opts off = defaults;
	off.rtt_spike_us = 0;
	out = written(copy, now, 4, &off);
	CHECK_INT(count_of(out, "\"finding\""), 0);
	free(out);
}

/* Per name: two NXDOMAINs of one name are one finding of count 2; a
 * query without a readable name is gathered under null; REFUSED and
 * NOERROR; a name with a stored escape is written as JSON. */
static void test_dns_by_name(void)
{
	struct conn_row r[6] = {
		dns_row(50001, "nx.example.com", 3), dns_row(50002, "nx.example.com", 3),
		dns_row(50003, "ok.example.com", 0), dns_row(50004, "no.example.com", 5),
		dns_row(50005, NULL, -1), dns_row(50006, "a\"b", 2),
	};
	r[1].first_seen_us = r[1].last_seen_us = T0 + 2 * US_PER_SEC;
	uint64_t now[6] = { T0, T0 + 2 * US_PER_SEC, T0, T0, T0 + 6 * US_PER_SEC, T0 };
	char *out = written(r, now, 6, &defaults);
	CHECK_INT(count_of(out, "\n"), 4);
	CHECK(strstr(out, "\"finding\": \"dns_nxdomain\", \"severity\": \"warning\", \"count\": 2, "
			  "\"first_seen\": 1700000000.000000, \"last_seen\": 1700000002.000000, "
			  "\"dns_query\": \"nx.example.com\"") != NULL);
	CHECK(strstr(out, "\"dns_refused\"") != NULL);
	CHECK(strstr(out, "\"dns_no_answer\", \"severity\": \"error\", \"count\": 1, \"first_seen\": "
			  "1700000000.000000, \"last_seen\": 1700000000.000000, \"dns_query\": null") != NULL);
	CHECK(strstr(out, "\"dns_query\": \"a\\\"b\"") != NULL);
	CHECK(strstr(out, "ok.example.com") == NULL);
	/* by kind: servfail before refused before no answer */
	CHECK(strstr(out, "dns_servfail") < strstr(out, "dns_refused"));
	CHECK(strstr(out, "dns_refused") < strstr(out, "dns_no_answer"));
	free(out);
}

/* ICMPv6 time exceeded, by address pair. */
static void test_icmp(void)
{
	struct conn_row r = tcp_row(1, 0, 0, 0);
	r.l4 = L4_ICMPV6;
	r.family = 6;
	memset(r.src, 0, 16);
	memset(r.dst, 0, 16);
	r.src[0] = 0x20, r.src[1] = 0x01, r.src[2] = 0x0d, r.src[3] = 0xb8, r.src[15] = 1;
	r.dst[0] = 0xfd, r.dst[15] = 2;
	r.state = FS_TIME_EXCEEDED;
	uint64_t now = T0;
	char *out = written(&r, &now, 1, &defaults);
	CHECK(strstr(out, "\"finding\": \"icmp_time_exceeded\"") != NULL);
	CHECK(strstr(out, "\"proto\": \"ICMPv6\", \"src_ip\": \"2001:db8::1\", \"dst_ip\": \"fd00::2\", "
			  "\"connections\"") != NULL);
	free(out);
}

/* A UDP row from 10.1.0.2:41000 to 10.2.0.9:33434 that an ICMP error
 * from `from` quoted (type, code; the datagram the initiator's). */
static struct conn_row quoted_row(uint16_t dport, const char *from, uint8_t type, uint8_t code)
{
	struct conn_row r = tcp_row(9, 41000, dport, 0);
	r.l4 = L4_UDP;
	struct meta_icmp_error e = { type, code, 0, false };
	meta_set_num(&r.meta, META_ICMP_ERROR, meta_icmp_error_pack(e));
	meta_set_str(&r.meta, META_ICMP_ERROR_FROM, (const uint8_t *)from, strlen(from));
	meta_set_num(&r.meta, META_ICMP_ERRORS, 1);
	return r;
}

/* The exchange of router 10.0.0.1 with 10.1.0.2, whose last message had
 * `state`; sent first by the router, or by 10.1.0.2 (router_last). */
static struct conn_row router_row(uint8_t state, bool router_last)
{
	struct conn_row r = tcp_row(1, 0, 0, 0);
	r.l4 = L4_ICMP;
	uint8_t router[4] = { 10, 0, 0, 1 }, local[4] = { 10, 1, 0, 2 };
	memcpy(r.src, router_last ? local : router, 4);
	memcpy(r.dst, router_last ? router : local, 4);
	r.state = state;
	r.first_seen_us = r.last_seen_us = T0 + 2;
	return r;
}

/* An error quoting a connection lists it with the ICMP exchange, in one
 * finding about the pair however the exchange's record orders it, and
 * whichever of the two ended first; packet too big makes none. */
static void test_icmp_quoted_connections(void)
{
	for (int order = 0; order < 2; order++) {
		struct conn_row r[3] = { quoted_row(33434, "10.0.0.1", 11, 0), router_row(FS_TIME_EXCEEDED, true),
					 quoted_row(33435, "10.0.0.1", 11, 0) };
		if (order) {
			struct conn_row x = r[0];
			r[0] = r[1];
			r[1] = x;
		}
		uint64_t now[3] = { T0, T0, T0 };
		char *out = written(r, now, 3, &defaults);
		CHECK_INT(count_of(out, "\"finding\""), 1);
		CHECK(strstr(out, "\"finding\": \"icmp_time_exceeded\", \"severity\": \"warning\", \"count\": 3") != NULL);
		/* the exchange's own record names its first sender first */
		CHECK(strstr(out, "\"proto\": \"ICMP\", \"src_ip\": \"10.1.0.2\", \"dst_ip\": \"10.0.0.1\", "
				  "\"connections\"") != NULL);
		CHECK(strstr(out, "\"dst_ip\": \"10.2.0.9\", \"dst_port\": 33434") != NULL);
		CHECK(strstr(out, "\"dst_ip\": \"10.2.0.9\", \"dst_port\": 33435") != NULL);
		free(out);
	}
	/* without the exchange's record: about the error's sender and receiver */
	struct conn_row q = quoted_row(40000, "10.0.0.1", 3, 1);
	uint64_t now = T0;
	char *out = written(&q, &now, 1, &defaults);
	CHECK(strstr(out, "\"finding\": \"icmp_unreachable\", \"severity\": \"warning\", \"count\": 1") != NULL);
	CHECK(strstr(out, "\"src_ip\": \"10.0.0.1\", \"dst_ip\": \"10.1.0.2\", \"connections\"") != NULL);
	free(out);
	q = quoted_row(40000, "10.0.0.1", 11, 1);
	meta_set_num(&q.meta, META_ICMP_ERROR, meta_icmp_error_pack((struct meta_icmp_error){ 2, 0, 1280, false }));
	q.family = 4; /* ICMP's type 2 is no error; neither is ICMPv6's, packet too big, a finding */
	out = written(&q, &now, 1, &defaults);
	CHECK_STR(out, "");
	free(out);
	/* an exchange whose own echo an error quoted counts once */
	struct conn_row self = router_row(FS_DEST_UNREACHABLE, false);
	meta_set_num(&self.meta, META_ICMP_ERROR, meta_icmp_error_pack((struct meta_icmp_error){ 3, 1, 0, false }));
	meta_set_str(&self.meta, META_ICMP_ERROR_FROM, (const uint8_t *)"10.0.0.1", 8);
	memcpy(self.src, (const uint8_t[4]){ 10, 1, 0, 2 }, 4);
	memcpy(self.dst, (const uint8_t[4]){ 10, 0, 0, 1 }, 4);
	out = written(&self, &now, 1, &defaults);
	CHECK(strstr(out, "\"count\": 1,") != NULL);
	free(out);
}

/* Beyond 16 connections the count goes on and the 16 earliest are listed,
 * in order, whatever order they ended in. */
static void test_connection_cap(void)
{
	enum { N = 40 };
	struct conn_row r[N];
	uint64_t now[N];
	for (int i = 0; i < N; i++) {
		int k = (i * 7) % N; /* a shuffled order of first times */
		r[i] = tcp_row(11, (uint16_t)(1000 + k), 81, ROW_TCP_SYN | ROW_TCP_RST);
		r[i].first_seen_us = r[i].last_seen_us = T0 + (uint64_t)k * US_PER_SEC;
		now[i] = r[i].last_seen_us;
	}
	char *out = written(r, now, N, &defaults);
	CHECK(strstr(out, "\"count\": 40,") != NULL);
	CHECK_INT(count_of(out, "\"src_port\": "), 16);
	CHECK(strstr(out, "\"src_port\": 1015,") != NULL && strstr(out, "\"src_port\": 1016,") == NULL);
	CHECK(strstr(out, "\"src_port\": 1000,") < strstr(out, "\"src_port\": 1001,"));
	CHECK(strstr(out, "\"last_seen\": 1700000039.000000") != NULL);
	free(out);
}

/* Many subjects: each its own finding (the index grows). */
static void test_many_subjects(void)
{
	enum { N = 300 };
	struct findings *fs = findings_new(&defaults);
	for (int i = 0; i < N; i++) {
		struct conn_row r = tcp_row(11, 41000, (uint16_t)(1 + i), ROW_TCP_SYN | ROW_TCP_RST);
		findings_add(fs, &r, T0);
		findings_add(fs, &r, T0);
		meta_fini(&r.meta);
	}
	CHECK_INT(findings_count(fs), N);
	findings_free(fs);
	findings_free(NULL);
}

/* A row's worst finding, for the UI's severity-first sort: a reset after
 * heavy retransmission is a warning, a refused handshake an error, a
 * clean connection none; a SYN waiting is an error only once it has
 * waited the no-answer time. */
/* The capture's own troubles: one line each, about the interface, with no
 * connections; a count of 0 is none; times unknown are null; they come
 * after the connections' kinds. */
static void test_capture_troubles(void)
{
	struct findings_opts o = defaults;
	struct findings *fs = findings_new(&o);
	findings_add_capture(fs, FK_LINK_DOWN, "eth0", 2, 1700000001000000, 1700000003500000);
	findings_add_capture(fs, FK_CAPTURE_DROPS, "eth0", 0, 1, 2);
	findings_add_capture(fs, FK_EXPORT_DROPS, "eth0", 7, 0, 0);
	findings_add_capture(fs, FK_TCP_RESET, "eth0", 1, 1, 2); /* not a capture kind: nothing */
	struct conn_row r = tcp_row(10, 41000, 80, ROW_TCP_SYN);
	findings_add(fs, &r, r.first_seen_us + 6 * US_PER_SEC);
	meta_fini(&r.meta);
	CHECK_INT(findings_count(fs), 3);
	struct outbuf ob;
	outbuf_init(&ob, 256);
	findings_write(fs, &ob);
	outbuf_putc(&ob, '\0');
	const char *export = strstr(ob.buf, "{\"finding\": \"export_drops\"");
	const char *link = strstr(ob.buf, "{\"finding\": \"link_down\"");
	CHECK(strstr(ob.buf, "{\"finding\": \"tcp_no_answer\"") == ob.buf);
	CHECK(export && link && export < link);
	CHECK(strstr(ob.buf, "{\"finding\": \"export_drops\", \"severity\": \"warning\", \"count\": 7, "
			     "\"first_seen\": null, \"last_seen\": null, \"interface\": \"eth0\", "
			     "\"connections\": []}\n") != NULL);
	CHECK(strstr(ob.buf, "{\"finding\": \"link_down\", \"severity\": \"warning\", \"count\": 2, "
			     "\"first_seen\": 1700000001.000000, \"last_seen\": 1700000003.500000, "
			     "\"interface\": \"eth0\", \"connections\": []}\n") != NULL);
	CHECK(!strstr(ob.buf, "capture_drops"));
	outbuf_fini(&ob);
	findings_free(fs);
}

static void test_row_severity(void)
{
	uint8_t est = ROW_TCP_SYN | ROW_TCP_SYN_ACK | ROW_TCP_ESTABLISHED;
	struct conn_row clean = tcp_row(12, 1, 443, est), reset = tcp_row(12, 2, 443, est | ROW_TCP_RST),
			refused = tcp_row(11, 3, 81, ROW_TCP_SYN | ROW_TCP_RST),
			waiting = tcp_row(10, 4, 80, ROW_TCP_SYN);
	clean.dst_packets = reset.dst_packets = 10;
	meta_set_num(&reset.meta, META_TCP_RETRANSMITS, 5);
	CHECK_INT(findings_row_severity(&clean, T0, &defaults), FINDING_NONE);
	CHECK_INT(findings_row_severity(&reset, T0, &defaults), FINDING_WARNING);
	CHECK_INT(findings_row_severity(&refused, T0, &defaults), FINDING_ERROR);
	CHECK_INT(findings_row_severity(&waiting, T0 + defaults.no_answer_us - 1, &defaults), FINDING_NONE);
	CHECK_INT(findings_row_severity(&waiting, T0 + defaults.no_answer_us, &defaults), FINDING_ERROR);
	CHECK_STR(findings_severity_word(FINDING_ERROR), "error");
	meta_fini(&reset.meta);
}

int main(void)
{
	RUN(test_no_answer_edge);
	RUN(test_answered_is_not_no_answer);
	RUN(test_icmp_answered_syn);
	RUN(test_resets);
	RUN(test_retransmit_thresholds);
	RUN(test_rtt_rise);
	RUN(test_rtt_spike);
	RUN(test_dns_by_name);
	RUN(test_icmp);
	RUN(test_icmp_quoted_connections);
	RUN(test_connection_cap);
	RUN(test_many_subjects);
	RUN(test_capture_troubles);
	RUN(test_row_severity);
	return check_summary("findings");
}
