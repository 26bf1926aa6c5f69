/* Unit tests for src/output/json: key order and spelling, escaping,
 * lists, numbers and nulls of one record. */
#include "check.h"

#include "decode/pkt.h"
#include "flow/state.h"
#include "output/json.h"

static struct conn_row sample_row(void)
{
	struct conn_row r;
	memset(&r, 0, sizeof r);
	meta_init(&r.meta);
	r.l4 = L4_UDP;
	r.family = 6;
	r.src[15] = 1;
	r.dst[0] = 0x20;
	r.dst[1] = 0x01;
	r.dst[2] = 0x0d;
	r.dst[3] = 0xb8;
	r.dst[15] = 3;
	r.sport = 5353;
	r.dport = 443;
	r.state = FS_APP + APP_STATE_QUIC_CONNECTED;
	r.src_packets = 2;
	r.src_bytes = 2400;
	r.first_seen_us = 1700000000000001ull;
	r.last_seen_us = 1700000001999999ull;
	r.meta.app = APP_QUIC;
	meta_set_num(&r.meta, META_QUIC_VERSION, 0x6b3343cf);
	return r;
}

static void test_record_spells_every_key_in_order(void)
{
	struct conn_row r = sample_row();
	struct outbuf o;
	outbuf_init(&o, 64);
	json_write_row(&o, &r, false);
	outbuf_putc(&o, '\0');
	CHECK_STR(o.buf,
		  "{\"proto\": \"UDP\", \"src_ip\": \"::1\", \"src_port\": 5353, \"dst_ip\": \"2001:db8::3\", "
		  "\"dst_port\": 443, \"spi\": null, \"gre_key\": null, \"igmp_group\": null, "
		  "\"tunnel\": null, \"tunnel_src_ip\": null, \"tunnel_dst_ip\": null, \"tunnel_id\": null, "
		  "\"src_name\": null, \"src_name_source\": null, \"dst_name\": null, "
		  "\"dst_name_source\": null, "
		  "\"state\": \"QUIC_CONNECTED\", \"app\": \"QUIC\", \"app_state\": null, "
		  "\"upgrade\": null, \"http_host\": null, \"http_method\": null, \"http_path\": null, "
		  "\"http_user_agent\": null, "
		  "\"http_status\": null, \"sni\": null, \"alpn\": null, \"tls_version\": null, "
		  "\"tls_cipher\": null, \"dns_query\": null, \"dns_qtype\": null, \"dns_rcode\": null, "
		  "\"dns_answers\": null, \"ssh_client\": null, \"ssh_server\": null, "
		  "\"quic_version\": \"0x6b3343cf\", \"quic_idle_timeout_ms\": null, \"src_packets\": 2, "
		  "\"src_bytes\": 2400, \"dst_packets\": 0, \"dst_bytes\": 0, "
		  "\"first_seen\": 1700000000.000001, \"last_seen\": 1700000001.999999}\n");
	outbuf_fini(&o);
	meta_fini(&r.meta);
}

/* A protocol's own keys are written where they are known, in table
 * order, and left out elsewhere (the record above has none of them). */
static void test_protocol_keys_only_where_known(void)
{
	struct conn_row r = sample_row();
	r.meta.app = APP_NTP;
	meta_set_num(&r.meta, META_QUIC_VERSION, 0);
	meta_set_num(&r.meta, META_NTP_STRATUM, 2);
	meta_add_once(&r.meta, META_NTP_MODE, "client");
	meta_add_once(&r.meta, META_NTP_MODE, "server");
	meta_add_once(&r.meta, META_NTP_MODE, "client");
	meta_set_num(&r.meta, META_NTP_RESPONSE_US, 12345);
	struct outbuf o;
	outbuf_init(&o, 64);
	json_write_row(&o, &r, false);
	outbuf_putc(&o, '\0');
	CHECK(strstr(o.buf, "\"quic_idle_timeout_ms\": null, \"ntp_mode\": [\"client\", \"server\"], "
			    "\"ntp_stratum\": 2, \"ntp_response_ms\": 12.345, \"src_packets\": 2") != NULL);
	CHECK(strstr(o.buf, "ntp_version") == NULL);
	CHECK(strstr(o.buf, "snmp") == NULL);
	outbuf_fini(&o);
	meta_fini(&r.meta);
}

static void test_strings_are_escaped_and_lists_split(void)
{
	struct conn_row r = sample_row();
	meta_set_str(&r.meta, META_SNI, (const uint8_t *)"a\"b\x01", 4);
	meta_add_item(&r.meta, META_ALPN, (const uint8_t *)"h3", 2);
	meta_add_item(&r.meta, META_ALPN, (const uint8_t *)"h3-29", 5);
	struct outbuf o;
	outbuf_init(&o, 64);
	json_write_row(&o, &r, false);
	outbuf_putc(&o, '\0');
	CHECK(strstr(o.buf, "\"sni\": \"a\\\"b\\u0001\"") != NULL);
	CHECK(strstr(o.buf, "\"alpn\": [\"h3\", \"h3-29\"]") != NULL);
	outbuf_fini(&o);
	meta_fini(&r.meta);
}

/* Valid UTF-8 as it is, controls as \u escapes, a byte that is not UTF-8
 * as \udcNN (reversed by Python's surrogateescape), a backslash as \\. */
static void test_strings_keep_utf8(void)
{
	struct conn_row r = sample_row();
	const char host[] = "caf\xc3\xa9\x1b[2J\\x41\xff\xc2\x9b";
	meta_set_str(&r.meta, META_HTTP_HOST, (const uint8_t *)host, sizeof host - 1);
	struct outbuf o;
	outbuf_init(&o, 64);
	json_write_row(&o, &r, false);
	outbuf_putc(&o, '\0');
	CHECK(strstr(o.buf, "\"http_host\": \"caf\xc3\xa9\\u001b[2J\\\\x41\\udcff\\u009b\"") != NULL);
	outbuf_fini(&o);
	meta_fini(&r.meta);
}

/* The record of r, NUL-terminated, in o (emptied first). */
static const char *record(struct outbuf *o, const struct conn_row *r, bool with_proc)
{
	o->len = 0;
	json_write_row(o, r, with_proc);
	outbuf_putc(o, '\0');
	return o->buf;
}

/* The owner, and a local process at the other end too (loopback, a
 * container over a veth), only live (with_proc) and when known; the peer's
 * keys follow the owner's, which keep their meaning. */
static void test_owner_and_peer_only_when_asked_and_known(void)
{
	struct conn_row r = sample_row();
	struct outbuf o;
	outbuf_init(&o, 64);
	r.proc.pid = 42;
	r.proc.name = "curl"; /* never released: the row's meta alone is freed */
	CHECK(strstr(record(&o, &r, false), "\"pid\"") == NULL);
	CHECK(strstr(record(&o, &r, true),
		     "\"pid\": 42, \"process\": \"curl\", \"user\": null, \"uid\": 0, "
		     "\"unit\": null, \"container\": null, \"pod\": null, "
		     "\"process_match\": null, \"process_parents\": null}") != NULL);
	r.proc.user = "alice";
	/* as strpool_get_parts lays it out: the pod unknown, two parents, the
	 * second one's executable unknown */
	r.place = "nginx.service\0web\0\0"
		  "4100\0bash\0/usr/bin/bash\0"
		  "1\0systemd\0\0"
		  "\0\0\0\0\0";
	r.proc_match = PROC_MATCH_LISTENER;
	r.peer.pid = 400;
	r.peer.name = "nginx";
	CHECK(strstr(record(&o, &r, true),
		     "\"pid\": 42, \"process\": \"curl\", \"user\": \"alice\", \"uid\": 0, "
		     "\"unit\": \"nginx.service\", \"container\": \"web\", \"pod\": null, "
		     "\"process_match\": \"listener\", \"process_parents\": "
		     "[{\"pid\": 4100, \"name\": \"bash\", \"exe\": \"/usr/bin/bash\"}, "
		     "{\"pid\": 1, \"name\": \"systemd\", \"exe\": null}], "
		     "\"peer_pid\": 400, \"peer_process\": \"nginx\", \"peer_user\": null}") != NULL);
	CHECK(strstr(record(&o, &r, false), "peer") == NULL);
	outbuf_fini(&o);
	meta_fini(&r.meta);
}

static const char *record_of(const struct conn_row *r, struct outbuf *o)
{
	o->len = 0;
	json_write_row(o, r, false);
	outbuf_putc(o, '\0');
	return o->buf;
}

static void test_protocol_names_and_identifiers(void)
{
	struct conn_row r = sample_row();
	struct outbuf o;
	outbuf_init(&o, 64);
	r.sport = r.dport = 0;
	r.l4 = L4_ESP;
	r.has_xid = 1;
	r.xid = 0xdeadbeef;
	CHECK(strstr(record_of(&r, &o), "{\"proto\": \"ESP\"") != NULL);
	CHECK(strstr(o.buf, "\"spi\": 3735928559, \"gre_key\": null, \"igmp_group\": null") != NULL);
	r.l4 = L4_GRE;
	r.xid = 42;
	CHECK(strstr(record_of(&r, &o), "\"spi\": null, \"gre_key\": 42,") != NULL);
	r.has_xid = 0;
	CHECK(strstr(record_of(&r, &o), "\"gre_key\": null,") != NULL);
	r.l4 = L4_IGMP;
	r.igmp_group = 0xef010203;
	CHECK(strstr(record_of(&r, &o), "\"proto\": \"IGMP\"") != NULL);
	CHECK(strstr(o.buf, "\"igmp_group\": \"239.1.2.3\"") != NULL);
	r.l4 = 253;
	CHECK(strstr(record_of(&r, &o), "{\"proto\": \"IP-253\"") != NULL);
	outbuf_fini(&o);
	meta_fini(&r.meta);
}

/* The remote end's name and where it came from: a DNS answer wins over
 * the connection's own SNI; the local end has none. */
static void test_names(void)
{
	struct conn_row r = sample_row();
	struct outbuf o;
	outbuf_init(&o, 64);
	r.local_side = 0;
	meta_set_str(&r.meta, META_SNI, (const uint8_t *)"sni.example", 11);
	CHECK(strstr(record_of(&r, &o), "\"src_name\": null, \"src_name_source\": null, "
			 "\"dst_name\": \"sni.example\", \"dst_name_source\": \"sni\",") != NULL);
	r.peer_name = "dns.example";
	r.peer_name_source = NAME_DNS;
	CHECK(strstr(record_of(&r, &o), "\"dst_name\": \"dns.example\", "
			 "\"dst_name_source\": \"dns\",") != NULL);
	/* the initiator is the remote end: a PTR name, SNI is not its */
	r.local_side = 1;
	r.peer_name_source = NAME_PTR;
	CHECK(strstr(record_of(&r, &o), "\"src_name\": \"dns.example\", \"src_name_source\": "
			 "\"ptr\", \"dst_name\": null, \"dst_name_source\": null,") != NULL);
	outbuf_fini(&o);
	meta_fini(&r.meta);
}

static void test_tunnel(void)
{
	struct conn_row r = sample_row();
	struct outbuf o;
	outbuf_init(&o, 64);
	struct pkt_tunnel tun = { .type = TUNNEL_VXLAN, .family = 4, .has_id = 1, .id = 42 };
	tun.src[0] = 192, tun.src[3] = 1;
	tun.dst[0] = 192, tun.dst[3] = 2;
	r.tunnel = &tun; /* never released: the row stays here */
	CHECK(strstr(record_of(&r, &o), "\"tunnel\": \"vxlan\", \"tunnel_src_ip\": \"192.0.0.1\", "
			 "\"tunnel_dst_ip\": \"192.0.0.2\", \"tunnel_id\": 42, \"src_name\"") != NULL);
	tun.type = TUNNEL_GRE;
	CHECK(strstr(record_of(&r, &o), "\"tunnel\": \"gre\", \"tunnel_src_ip\": \"192.0.0.1\", "
			 "\"tunnel_dst_ip\": \"192.0.0.2\", \"tunnel_id\": 42,") != NULL);
	tun.type = TUNNEL_6IN4;
	tun.has_id = 0;
	CHECK(strstr(record_of(&r, &o), "\"tunnel\": \"6in4\", \"tunnel_src_ip\": \"192.0.0.1\", "
			 "\"tunnel_dst_ip\": \"192.0.0.2\", \"tunnel_id\": null,") != NULL);
	outbuf_fini(&o);
	meta_fini(&r.meta);
}

int main(void)
{
	RUN(test_record_spells_every_key_in_order);
	RUN(test_protocol_keys_only_where_known);
	RUN(test_strings_are_escaped_and_lists_split);
	RUN(test_strings_keep_utf8);
	RUN(test_owner_and_peer_only_when_asked_and_known);
	RUN(test_protocol_names_and_identifiers);
	RUN(test_tunnel);
	RUN(test_names);
	return check_summary("json");
}
