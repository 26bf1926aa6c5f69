/* test_tui_health.c - tui/health.h: the Health view's findings of the rows
 * the UI holds, worst first, and the filter that shows a finding's
 * connections: compiled by the filter language, it must match exactly
 * those rows and no other. */
#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>

#include "base/clock.h"
#include "check.h"
#include "flow/state.h"
#include "query/query.h"
#include "tui/health.h"

#define T0 (1700000000ull * US_PER_SEC)

static const struct findings_opts defaults = {
	.no_answer_us = FINDINGS_NO_ANSWER_SEC * US_PER_SEC,
	.retransmit_percent = FINDINGS_RETRANSMIT_PERCENT,
	.retransmit_min = FINDINGS_RETRANSMIT_MIN,
	.rtt_rise_us = FINDINGS_RTT_RISE_MS * US_PER_MS,
	.rtt_spike_us = FINDINGS_RTT_SPIKE_MS * US_PER_MS,
};

static struct conn_row *tcp(struct snapshot *s, const char *src, uint16_t sport, const char *dst,
			    uint16_t dport, uint8_t seen)
{
	struct conn_row *r = snapshot_push(s);
	r->id = s->n;
	r->l4 = L4_TCP;
	r->family = strchr(src, ':') ? 6 : 4;
	inet_pton(r->family == 6 ? AF_INET6 : AF_INET, src, r->src);
	inet_pton(r->family == 6 ? AF_INET6 : AF_INET, dst, r->dst);
	r->sport = sport;
	r->dport = dport;
	r->tcp_seen = seen;
	r->src_packets = 1;
	r->first_seen_us = r->last_seen_us = T0 + s->n * US_PER_SEC / 10;
	return r;
}

static void dns(struct snapshot *s, uint16_t sport, const char *name, int rcode)
{
	struct conn_row *r = tcp(s, "10.1.0.2", sport, "10.0.0.53", 53, 0);
	r->l4 = L4_UDP;
	r->meta.app = APP_DNS;
	meta_set_str(&r->meta, META_DNS_QUERY, (const uint8_t *)name, strlen(name));
	meta_set_num(&r->meta, META_DNS_RCODE, (uint64_t)rcode);
	r->dst_packets = 1;
}

static const uint8_t OPENED = ROW_TCP_SYN | ROW_TCP_SYN_ACK | ROW_TCP_ESTABLISHED;

/* Two SYNs nobody answered and an answered connection to the same
 * endpoint, a refused one, an ICMP unreachable and an NXDOMAIN. */
static struct snapshot *problems(void)
{
	struct snapshot *s = snapshot_new(8);
	tcp(s, "10.1.0.2", 41000, "10.2.0.10", 80, ROW_TCP_SYN);
	tcp(s, "10.1.0.2", 41001, "10.2.0.10", 80, ROW_TCP_SYN);
	tcp(s, "10.1.0.2", 41002, "10.2.0.10", 80, OPENED)->dst_packets = 3;
	tcp(s, "10.1.0.2", 41010, "10.2.0.11", 81, ROW_TCP_SYN | ROW_TCP_RST)->dst_packets = 1;
	struct conn_row *icmp = tcp(s, "10.2.0.13", 0, "10.1.0.2", 0, 0);
	icmp->l4 = L4_ICMP;
	icmp->state = FS_DEST_UNREACHABLE;
	dns(s, 50001, "nx.example.com", 3);
	s->now_us = T0 + 10 * US_PER_SEC;
	return s;
}

/* The rows (by id) the filter text matches, as a bit set. */
static unsigned matched(const struct snapshot *s, const char *text)
{
	struct query_error err;
	struct query *q = query_compile(text, &err);
	if (!q) {
		check_fail(__FILE__, __LINE__, "filter \"%s\" does not compile: %s", text, err.msg);
		return 0;
	}
	unsigned bits = 0;
	for (uint32_t i = 0; i < s->n; i++)
		if (query_match(q, &s->rows[i], s->now_us))
			bits |= 1u << s->rows[i].id;
	query_free(q);
	return bits;
}

static void test_listed_worst_first(void)
{
	struct snapshot *s = problems();
	struct health h;
	health_init(&h, &defaults);
	health_build(&h, s);
	CHECK_INT(h.n, 4);
	CHECK_INT(h.rows, 6);
	static const enum finding_kind want[] = { FK_TCP_NO_ANSWER, FK_TCP_REFUSED,
						  FK_ICMP_UNREACHABLE, FK_DNS_NXDOMAIN };
	for (size_t i = 0; i < h.n && i < 4; i++)
		CHECK_INT(h.list[i]->kind, want[i]);
	CHECK_INT(h.list[0]->count, 2);
	char about[128];
	health_about(h.list[0], about, sizeof about);
	CHECK_STR(about, "TCP 10.2.0.10:80");
	health_about(h.list[2], about, sizeof about);
	CHECK_STR(about, "ICMP 10.2.0.13 > 10.1.0.2");
	health_about(h.list[3], about, sizeof about);
	CHECK_STR(about, "DNS nx.example.com");
	health_fini(&h);
	snapshot_free(s);
}

/* Each finding's filter matches its own connections, and only them: not
 * the answered connection to the same endpoint. */
static void test_filter_selects_exactly_its_connections(void)
{
	struct snapshot *s = problems();
	struct health h;
	health_init(&h, &defaults);
	health_build(&h, s);
	static const unsigned want[] = { 1u << 1 | 1u << 2, 1u << 4, 1u << 5, 1u << 6 };
	char text[QUERY_MAX_LEN + 1];
	bool exact;
	for (size_t i = 0; i < h.n && i < 4; i++) {
		health_filter(h.list[i], text, sizeof text, &exact);
		CHECK(exact);
		CHECK_INT(matched(s, text), want[i]);
	}
	health_filter(h.list[0], text, sizeof text, &exact);
	CHECK_STR(text, "proto=TCP src_ip=10.1.0.2 dst_ip=10.2.0.10 dst_port=80 "
			"( src_port=41000 or src_port=41001 )");
	health_fini(&h);
	snapshot_free(s);
}

/* More connections than a finding lists: every connection of its
 * subject, said to be so; IPv6 addresses compile too. */
static void test_filter_of_many_is_the_subject(void)
{
	struct snapshot *s = snapshot_new(32);
	for (uint16_t p = 0; p < FINDINGS_CONNS_MAX + 2; p++)
		tcp(s, "fd00::2", (uint16_t)(42000 + p), "fd00::10", 443, ROW_TCP_SYN);
	tcp(s, "fd00::2", 41999, "fd00::10", 443, OPENED)->dst_packets = 1;
	tcp(s, "fd00::2", 41998, "fd00::11", 443, OPENED)->dst_packets = 1;
	s->now_us = T0 + 60 * US_PER_SEC;
	struct health h;
	health_init(&h, &defaults);
	health_build(&h, s);
	CHECK_INT(h.n, 1);
	char text[QUERY_MAX_LEN + 1];
	bool exact = true;
	health_filter(h.list[0], text, sizeof text, &exact);
	CHECK(!exact);
	CHECK_STR(text, "proto=TCP dst_ip=fd00::10 dst_port=443");
	unsigned all_to_10 = ((1u << (FINDINGS_CONNS_MAX + 4)) - 1) & ~1u; /* ids 1 .. 19 */
	CHECK_INT(matched(s, text), all_to_10);
	health_fini(&h);
	snapshot_free(s);
}

/* A filter that would not fit the filter line falls back to the subject. */
static void test_filter_too_long_falls_back(void)
{
	struct snapshot *s = snapshot_new(32);
	char src[64];
	for (int i = 0; i < 8; i++) {
		snprintf(src, sizeof src, "2001:db8:aaaa:bbbb:cccc:dddd:eeee:%x", 0x1000 + i);
		tcp(s, src, (uint16_t)(42000 + i), "2001:db8::10", 443, ROW_TCP_SYN);
	}
	s->now_us = T0 + 60 * US_PER_SEC;
	struct health h;
	health_init(&h, &defaults);
	health_build(&h, s);
	char text[QUERY_MAX_LEN + 1];
	bool exact;
	health_filter(h.list[0], text, 200, &exact);
	CHECK(!exact);
	CHECK_STR(text, "proto=TCP dst_ip=2001:db8::10 dst_port=443");
	health_filter(h.list[0], text, sizeof text, &exact);
	CHECK(exact);
	CHECK_INT(matched(s, text), 0x1feu); /* ids 1 .. 8 */
	health_fini(&h);
	snapshot_free(s);
}

/* A name with a quote in it is quoted for the filter language (the
 * backslash is stored escaped, as every string from the wire). */
static void test_filter_quotes_a_name(void)
{
	struct snapshot *s = snapshot_new(32);
	for (int i = 0; i < FINDINGS_CONNS_MAX + 1; i++)
		dns(s, (uint16_t)(50000 + i), "a\"b\\c.example", 2);
	dns(s, 49999, "other.example", 2);
	s->now_us = T0 + 60 * US_PER_SEC;
	struct health h;
	health_init(&h, &defaults);
	health_build(&h, s);
	CHECK_INT(h.n, 2);
	char text[QUERY_MAX_LEN + 1];
	bool exact;
	health_filter(h.list[0], text, sizeof text, &exact);
	CHECK(!exact);
	CHECK(strncmp(text, "app=dns dns_query=\"a\\\"b\\\\", 24) == 0);
	CHECK_INT(matched(s, text), ((1u << (FINDINGS_CONNS_MAX + 2)) - 1) & ~1u);
	health_fini(&h);
	snapshot_free(s);
}

/* Rebuilt from fewer findings, the selection stays within them. */
static void test_selection_clamped(void)
{
	struct snapshot *s = problems();
	struct health h;
	health_init(&h, &defaults);
	health_build(&h, s);
	health_select(&h, 100, 2);
	CHECK_INT(h.sel, 3);
	CHECK_INT(h.top, 2);
	health_select(&h, -5, 2);
	CHECK_INT(h.sel, 0);
	CHECK_INT(h.top, 0);
	health_select(&h, 3, 2);
	snapshot_free(s);
	s = snapshot_new(1);
	health_build(&h, s);
	CHECK_INT(h.n, 0);
	CHECK(health_selected(&h) == NULL);
	health_fini(&h);
	snapshot_free(s);
}

/* An ICMP finding's filter takes the connection its error quoted (UDP)
 * with the ICMP exchange, and not another datagram to the same port. */
static void test_filter_of_quoted_connections(void)
{
	struct snapshot *s = snapshot_new(4);
	struct conn_row *udp = tcp(s, "10.1.0.2", 41030, "10.2.0.13", 9999, 0);
	udp->l4 = L4_UDP;
	meta_set_num(&udp->meta, META_ICMP_ERROR, meta_icmp_error_pack((struct meta_icmp_error){ 3, 3, 0, false }));
	meta_set_str(&udp->meta, META_ICMP_ERROR_FROM, (const uint8_t *)"10.2.0.13", 9);
	struct conn_row *icmp = tcp(s, "10.2.0.13", 0, "10.1.0.2", 0, 0);
	icmp->l4 = L4_ICMP;
	icmp->state = FS_DEST_UNREACHABLE;
	tcp(s, "10.1.0.2", 41031, "10.2.0.13", 9999, 0)->l4 = L4_UDP;
	s->now_us = T0 + 10 * US_PER_SEC;
	struct health h;
	health_init(&h, &defaults);
	health_build(&h, s);
	CHECK_INT(h.n, 1);
	char text[QUERY_MAX_LEN + 1];
	bool exact;
	health_filter(h.list[0], text, sizeof text, &exact);
	CHECK(exact);
	CHECK_STR(text, "( proto=UDP src_ip=10.1.0.2 src_port=41030 dst_ip=10.2.0.13 dst_port=9999 or "
			"proto=ICMP src_ip=10.2.0.13 dst_ip=10.1.0.2 )");
	CHECK_INT(matched(s, text), 1u << 1 | 1u << 2);
	health_fini(&h);
	snapshot_free(s);
}

int main(void)
{
	RUN(test_listed_worst_first);
	RUN(test_filter_selects_exactly_its_connections);
	RUN(test_filter_of_many_is_the_subject);
	RUN(test_filter_too_long_falls_back);
	RUN(test_filter_quotes_a_name);
	RUN(test_filter_of_quoted_connections);
	RUN(test_selection_clamped);
	return check_summary("tui_health");
}
