/* Exporters' pure parts: the IPFIX encoder (RFC 7011 layout, read back
 * field by field) and the export hub's connection table; and the strings
 * the IPFIX exporter sends, which are the fields table's. */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include "check.h"
#include "export/conntab.h"
#include "export/ipfix.h"
#include "export/ipfix_enc.h"
#include "field/field.h"
#include "full_row.h"

static unsigned be16(const uint8_t *p) { return (unsigned)p[0] << 8 | p[1]; }
static uint32_t be32(const uint8_t *p) { return (uint32_t)be16(p) << 16 | be16(p + 2); }
static uint64_t be64(const uint8_t *p) { return (uint64_t)be32(p) << 32 | be32(p + 4); }

static struct ipfix_flow sample_flow(void)
{
	struct ipfix_flow f = { .family = 4, .sport = 40000, .dport = 443, .proto = 6,
				.end_reason = IPFIX_END_IDLE, .start_ms = 1700000000123ull,
				.end_ms = 1700000005456ull, .octets = { 1000, 20000 },
				.packets = { 10, 20 }, .pid = 4242, .process = "curl",
				.user = "alice", .app = "HTTPS", .sni = "example.org" };
	memcpy(f.src, (uint8_t[]){ 192, 0, 2, 1 }, 4);
	memcpy(f.dst, (uint8_t[]){ 198, 51, 100, 7 }, 4);
	return f;
}

static void test_message_header_and_sets(void)
{
	uint8_t buf[IPFIX_UDP_MESSAGE_MAX];
	struct ipfix_msg m;
	ipfix_msg_begin(&m, buf, sizeof buf);
	CHECK(ipfix_msg_templates(&m, 32473));
	struct ipfix_flow f = sample_flow();
	CHECK(ipfix_msg_flow(&m, &f));
	size_t n = ipfix_msg_end(&m, 1700000009, 77, 5);
	CHECK_INT(be16(buf), 10);
	CHECK_INT(be16(buf + 2), n);
	CHECK_INT(be32(buf + 4), 1700000009);
	CHECK_INT(be32(buf + 8), 77);
	CHECK_INT(be32(buf + 12), 5);
	/* sets tile the message exactly: a template set, then a data set */
	size_t at = 16;
	CHECK_INT(be16(buf + at), 2);
	size_t tlen = be16(buf + at + 2);
	at += tlen;
	CHECK_INT(be16(buf + at), IPFIX_TEMPLATE_V4);
	CHECK_INT(at + be16(buf + at + 2), n);
}

/* Walks the IPv4 template and checks each field of the record against it. */
static void test_record_matches_template(void)
{
	uint8_t buf[IPFIX_UDP_MESSAGE_MAX];
	struct ipfix_msg m;
	ipfix_msg_begin(&m, buf, sizeof buf);
	ipfix_msg_templates(&m, 32473);
	struct ipfix_flow f = sample_flow();
	ipfix_msg_flow(&m, &f);
	ipfix_msg_end(&m, 0, 0, 0);
	const uint8_t *t = buf + 16 + 4;
	CHECK_INT(be16(t), IPFIX_TEMPLATE_V4);
	unsigned nfields = be16(t + 2);
	const uint8_t *spec = t + 4;
	const uint8_t *rec = buf + 16 + be16(buf + 16 + 2) + 4;
	int reverse_octets = 0, strings = 0;
	for (unsigned i = 0; i < nfields; i++) {
		unsigned id = be16(spec) & 0x7fff, len = be16(spec + 2);
		uint32_t pen = (be16(spec) & 0x8000) ? be32(spec + 4) : 0;
		spec += pen ? 8 : 4;
		if (len == 65535) { /* variable length */
			size_t sl = rec[0];
			rec += 1;
			if (pen == 32473 && id == IPFIX_WT_PROCESS_NAME)
				CHECK(sl == 4 && memcmp(rec, "curl", 4) == 0);
			if (pen == 32473 && id == IPFIX_WT_TLS_SNI)
				CHECK(sl == 11 && memcmp(rec, "example.org", 11) == 0);
			if (pen == 32473 && id == IPFIX_WT_UNIT)
				CHECK_INT(sl, 0);
			rec += sl;
			strings++;
			continue;
		}
		if (!pen && id == 8)
			CHECK_INT(be32(rec), 0xc0000201u);
		if (!pen && id == 11)
			CHECK_INT(be16(rec), 443);
		if (!pen && id == 152)
			CHECK_INT(be64(rec), 1700000000123ull);
		if (!pen && id == 1)
			CHECK_INT(be64(rec), 1000);
		if (pen == IPFIX_REVERSE_PEN && id == 1) {
			CHECK_INT(be64(rec), 20000);
			reverse_octets++;
		}
		if (pen == IPFIX_REVERSE_PEN && id == 2)
			CHECK_INT(be64(rec), 20);
		if (pen == 32473 && id == IPFIX_WT_PROCESS_ID)
			CHECK_INT(be32(rec), 4242);
		rec += len;
	}
	CHECK_INT(reverse_octets, 1);
	CHECK_INT(strings, 7);
	CHECK(rec == buf + m.len); /* the record ends where the message does */
}

static void test_long_string_and_full_message(void)
{
	uint8_t buf[IPFIX_UDP_MESSAGE_MAX];
	struct ipfix_msg m;
	ipfix_msg_begin(&m, buf, sizeof buf);
	char host[400];
	memset(host, 'a', sizeof host - 1);
	host[sizeof host - 1] = '\0';
	struct ipfix_flow f = sample_flow();
	f.family = 6;
	f.http_host = host;
	int fitted = 0;
	while (ipfix_msg_flow(&m, &f))
		fitted++;
	CHECK(fitted >= 2);
	CHECK(m.len <= IPFIX_UDP_MESSAGE_MAX);
	CHECK_INT(m.records, fitted);
	/* the last string of the record: 255, then a two-byte length */
	size_t n = ipfix_msg_end(&m, 0, 0, 0);
	CHECK_INT(be16(buf + n - 399 - 2), 399);
	CHECK_INT(buf[n - 399 - 3], 255);
}

static void test_conntab(void)
{
	struct conntab *t = conntab_new();
	bool created;
	for (uint64_t k = 1; k <= 5000; k++) {
		struct conn_state *s = conntab_get(t, k * 64, &created);
		CHECK(created);
		s->mark[0].packets[0] = k;
	}
	CHECK_INT(conntab_count(t), 5000);
	for (uint64_t k = 1; k <= 5000; k += 2)
		conntab_remove(t, conntab_find(t, k * 64));
	CHECK_INT(conntab_count(t), 2500);
	int wrong = 0;
	for (uint64_t k = 1; k <= 5000; k++) {
		struct conn_state *s = conntab_find(t, k * 64);
		if ((k % 2 == 1) != (s == NULL) || (s && s->mark[0].packets[0] != k))
			wrong++;
	}
	CHECK_INT(wrong, 0);
	struct conn_state *s = conntab_get(t, 2 * 64, &created);
	CHECK(!created && s->mark[0].packets[0] == 2);
	conntab_free(t);
}

/* Is text in the datagram as an IPFIX variable-length string? */
static bool has_string(const uint8_t *p, size_t n, const char *text)
{
	size_t k = strlen(text);
	for (size_t i = 0; k < 255 && i + 1 + k <= n; i++)
		if (p[i] == k && memcmp(p + i + 1, text, k) == 0)
			return true;
	return false;
}

/* A UDP socket on loopback for an exporter to send to; its address as
 * HOST:PORT in target. */
static int collector(char *target, size_t cap)
{
	int rx = socket(AF_INET, SOCK_DGRAM, 0);
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t alen = sizeof a;
	CHECK(bind(rx, (struct sockaddr *)&a, sizeof a) == 0);
	CHECK(getsockname(rx, (struct sockaddr *)&a, &alen) == 0);
	struct timeval tv = { .tv_sec = 5 };
	setsockopt(rx, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
	snprintf(target, cap, "127.0.0.1:%u", ntohs(a.sin_port));
	return rx;
}

/* The end of connection r, one packet each way. */
static struct export_rec close_of(const struct conn_row *r, const struct export_proc *proc)
{
	return (struct export_rec){ .kind = EXPORT_CLOSE, .end_reason = IPFIX_END_IDLE, .row = r,
				    .proc = proc, .ts_us = r->last_seen_us, .d_packets = { 1, 1 } };
}

static void test_ipfix_strings_are_the_fields(void)
{
	char target[32];
	int rx = collector(target, sizeof target);
	struct ipfix_opts o = { .target = target, .pen = 32473, .domain = 1 };
	struct export_sink s;
	struct wt_err err = { 0 };
	CHECK(ipfix_exporter_open(&s, &o, &err) == 0);

	struct conn_row r;
	CHECK(full_row(&r, 0));
	struct export_proc proc = { .unit = "demo.service" };
	struct export_rec rec = close_of(&r, &proc);
	s.record(s.self, &rec);
	s.flush(s.self);
	uint8_t dgram[IPFIX_UDP_MESSAGE_MAX];
	ssize_t n = recv(rx, dgram, sizeof dgram, 0);
	CHECK(n > 0);
	const char *names[] = { "process", "user", "app", "sni", "http_host" };
	for (size_t i = 0; i < sizeof names / sizeof names[0] && n > 0; i++) {
		struct field_val v;
		const struct field_ctx ctx = { .now_us = r.last_seen_us };
		const struct field *f = field_by_name(names[i]);
		CHECK(f && field_get(f, &r, &ctx, &v) && v.s[0]);
		if (f && v.s && !has_string(dgram, (size_t)n, v.s))
			check_fail(__FILE__, __LINE__, "%s \"%s\" is not in the record", names[i], v.s);
	}
	s.destroy(s.self);
	row_fini(&r);
	close(rx);
}

/* Does the message hold a template set (set id 2)? */
static bool has_template_set(const uint8_t *p, size_t n)
{
	for (size_t at = 16; at + 4 <= n && be16(p + at + 2) >= 4; at += be16(p + at + 2))
		if (be16(p + at) == 2)
			return true;
	return false;
}

/* Over UDP the templates go with the first message and again once the
 * refresh interval has passed (RFC 7011 8.4), not with every message. */
static void test_ipfix_udp_template_refresh(void)
{
	char target[32];
	int rx = collector(target, sizeof target);
	struct ipfix_opts o = { .target = target, .pen = 32473, .domain = 1, .template_refresh_us = 1000000 };
	struct export_sink s;
	struct wt_err err = { 0 };
	CHECK(ipfix_exporter_open(&s, &o, &err) == 0);
	struct conn_row r;
	CHECK(full_row(&r, 0));
	struct export_proc proc = { .unit = "" };
	struct export_rec rec = close_of(&r, &proc);
	uint8_t m[IPFIX_UDP_MESSAGE_MAX];
	bool templates[3];
	for (int i = 0; i < 3; i++) {
		if (i == 2)
			usleep(1200000);
		s.record(s.self, &rec);
		s.flush(s.self);
		ssize_t n = recv(rx, m, sizeof m, 0);
		CHECK(n > 16);
		templates[i] = n > 16 && has_template_set(m, (size_t)n);
	}
	CHECK(templates[0]);
	CHECK(!templates[1]);
	CHECK(templates[2]);
	s.destroy(s.self);
	row_fini(&r);
	close(rx);
}

int main(void)
{
	RUN(test_message_header_and_sets);
	RUN(test_record_matches_template);
	RUN(test_long_string_and_full_message);
	RUN(test_conntab);
	RUN(test_ipfix_strings_are_the_fields);
	RUN(test_ipfix_udp_template_refresh);
	return check_summary("export");
}
