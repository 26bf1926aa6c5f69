/* fields.c - the one table of filterable fields: keyword, help line, type and
 * accessors. The parser, the UI's columns and its help screen all read it.
 * "src"/"sport" are the local end and "dst"/"dport" the remote end (the
 * initiator counts as local when the local side is unknown).
 */
#include "query/query_int.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

static bool put_str(struct query_sink *s, const char *str)
{
	return str && *str ? s->put(s, str, strlen(str)) : false;
}

/* Items of a META_LIST_SEP-joined list, one at a time. */
static bool put_list(struct query_sink *s, const char *list)
{
	while (list && *list) {
		const char *sep = strchr(list, META_LIST_SEP);
		size_t n = sep ? (size_t)(sep - list) : strlen(list);
		if (n && s->put(s, list, n))
			return true;
		list = sep ? sep + 1 : NULL;
	}
	return false;
}

static bool put_meta(struct query_sink *s, const struct conn_row *r, enum meta_str f)
{
	return put_str(s, meta_str(&r->meta, f));
}

/* Decimal by hand: printf is the slowest part of a search over 100k rows. */
static bool put_uint(struct query_sink *s, uint32_t v)
{
	char b[12];
	size_t i = sizeof b;
	if (s->skip & QUERY_SKIP_NUMBER)
		return false;
	do {
		b[--i] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	return s->put(s, b + i, sizeof b - i);
}

static bool put_addr(struct query_sink *s, const uint8_t *a, uint8_t family)
{
	char b[64];
	if (s->skip & QUERY_SKIP_ADDR)
		return false;
	size_t n = query_addr_text(b, sizeof b, a, family);
	return s->put(s, b, n);
}

static void t_proto(const struct conn_row *r, struct query_sink *s)
{
	put_str(s, query_proto_name(r->l4));
}

static void t_src(const struct conn_row *r, struct query_sink *s)
{
	put_addr(s, query_local_addr(r), r->family);
}

static void t_dst(const struct conn_row *r, struct query_sink *s)
{
	if (put_addr(s, query_remote_addr(r), r->family) || query_local_index(r) ||
	    (s->skip & QUERY_SKIP_DPI))
		return;
	if (!put_meta(s, r, META_SNI))
		put_meta(s, r, META_HTTP_HOST);
}

static void t_sport(const struct conn_row *r, struct query_sink *s)
{
	if (query_has_ports(r))
		put_uint(s, query_local_port(r));
}

static void t_dport(const struct conn_row *r, struct query_sink *s)
{
	if (query_has_ports(r))
		put_uint(s, query_remote_port(r));
}

static void t_port(const struct conn_row *r, struct query_sink *s)
{
	if (query_has_ports(r) && !put_uint(s, r->sport))
		put_uint(s, r->dport);
}

static void t_state(const struct conn_row *r, struct query_sink *s)
{
	if (put_str(s, r->state))
		return;
	const char *a = meta_app_state_name((enum app_state)r->meta.app_state);
	if (a && strcasecmp(a, r->state) != 0)
		put_str(s, a);
}

static void t_app(const struct conn_row *r, struct query_sink *s)
{
	put_str(s, query_app_name(r));
}

static void t_sni(const struct conn_row *r, struct query_sink *s)
{
	put_meta(s, r, META_SNI);
}

static void t_host(const struct conn_row *r, struct query_sink *s)
{
	if (!put_meta(s, r, META_HTTP_HOST) && !put_meta(s, r, META_SNI))
		put_meta(s, r, META_DNS_QUERY);
}

static void t_dns(const struct conn_row *r, struct query_sink *s)
{
	if (!put_meta(s, r, META_DNS_QUERY))
		put_list(s, meta_str(&r->meta, META_DNS_ANSWERS));
}

static void t_ssh(const struct conn_row *r, struct query_sink *s)
{
	if (!put_meta(s, r, META_SSH_CLIENT))
		put_meta(s, r, META_SSH_SERVER);
}

static void t_alpn(const struct conn_row *r, struct query_sink *s)
{
	put_list(s, meta_str(&r->meta, META_ALPN));
}

static void t_http(const struct conn_row *r, struct query_sink *s)
{
	if (!put_meta(s, r, META_HTTP_METHOD) && !put_meta(s, r, META_HTTP_PATH))
		put_meta(s, r, META_HTTP_UA);
}

static void t_tls(const struct conn_row *r, struct query_sink *s)
{
	if (!put_str(s, meta_tls_version_name(r->meta.tls_version)) && !(s->skip & QUERY_SKIP_DPI))
		put_meta(s, r, META_TLS_CIPHER);
}

/* Every DPI string at once: they sit NUL-separated in one block, and a
 * needle never holds a NUL, so one scan covers them all. */
static void t_dpi(const struct conn_row *r, struct query_sink *s)
{
	const struct flow_meta *m = &r->meta;
	if (m->strs && m->strs_len)
		s->put(s, m->strs, m->strs_len);
}

static void t_process(const struct conn_row *r, struct query_sink *s)
{
	put_str(s, r->proc.name);
}

static void t_user(const struct conn_row *r, struct query_sink *s)
{
	put_str(s, r->proc.user);
}

static void t_pid(const struct conn_row *r, struct query_sink *s)
{
	if (r->proc.pid > 0)
		put_uint(s, (uint32_t)r->proc.pid);
}

static int n_sport(const struct conn_row *r, uint64_t now, double *o)
{
	o[0] = query_local_port(r);
	return query_has_ports(r);
}

static int n_dport(const struct conn_row *r, uint64_t now, double *o)
{
	o[0] = query_remote_port(r);
	return query_has_ports(r);
}

static int n_port(const struct conn_row *r, uint64_t now, double *o)
{
	o[0] = r->sport;
	o[1] = r->dport;
	return query_has_ports(r) ? 2 : 0;
}

static int n_pid(const struct conn_row *r, uint64_t now, double *o)
{
	o[0] = r->proc.pid;
	return r->proc.pid > 0;
}

static int n_bytes(const struct conn_row *r, uint64_t now, double *o)
{
	o[0] = (double)(r->src_bytes + r->dst_bytes);
	return 1;
}

static int n_rxbytes(const struct conn_row *r, uint64_t now, double *o)
{
	o[0] = (double)query_rx_bytes(r);
	return 1;
}

static int n_txbytes(const struct conn_row *r, uint64_t now, double *o)
{
	o[0] = (double)query_tx_bytes(r);
	return 1;
}

static int n_packets(const struct conn_row *r, uint64_t now, double *o)
{
	o[0] = (double)(r->src_packets + r->dst_packets);
	return 1;
}

static int n_rate(const struct conn_row *r, uint64_t now, double *o)
{
	o[0] = r->src_rate + r->dst_rate;
	return 1;
}

static int n_rxrate(const struct conn_row *r, uint64_t now, double *o)
{
	o[0] = query_rx_rate(r);
	return 1;
}

static int n_txrate(const struct conn_row *r, uint64_t now, double *o)
{
	o[0] = query_tx_rate(r);
	return 1;
}

/* Seconds between t and the data clock (0 when t is in its future). */
static double since(uint64_t now, uint64_t t)
{
	return now > t ? (double)(now - t) / 1e6 : 0.0;
}

static int n_age(const struct conn_row *r, uint64_t now, double *o)
{
	o[0] = since(now, r->first_seen_us);
	return 1;
}

static int n_idle(const struct conn_row *r, uint64_t now, double *o)
{
	o[0] = since(now, r->last_seen_us);
	return 1;
}

#define TEXT(n, h, fn, any) { n, h, QUERY_TEXT, QUERY_UNIT_NONE, any, fn, NULL, NULL }
#define NUM(n, h, unit, fn) { n, h, QUERY_NUM, unit, false, NULL, fn, NULL }

static const struct query_field fields[] = {
	TEXT("proto", "transport protocol: tcp, udp, icmp, icmpv6, arp", t_proto, true),
	{ "src", "local address (CIDR allowed: src:fd00::/64)", QUERY_ADDR,
	  QUERY_UNIT_NONE, true, t_src, NULL, query_local_addr },
	{ "dst", "remote address or its name from SNI / HTTP Host (dst:10.0.0.0/8)",
	  QUERY_ADDR, QUERY_UNIT_NONE, true, t_dst, NULL, query_remote_addr },
	{ "port", "either port contains the digits (port:44 matches 443, 8443)",
	  QUERY_INT, QUERY_UNIT_NONE, false, t_port, n_port, NULL },
	{ "sport", "local port contains the digits; sport<1024 compares", QUERY_INT,
	  QUERY_UNIT_NONE, true, t_sport, n_sport, NULL },
	{ "dport", "remote port contains the digits; dport=443 is exact",
	  QUERY_INT, QUERY_UNIT_NONE, true, t_dport, n_dport, NULL },
	TEXT("state", "connection state: established, fin_wait, quic_handshake, dns_query",
	     t_state, true),
	TEXT("app", "application or service: https, dns, ssh, quic", t_app, true),
	TEXT("sni", "TLS / QUIC server name", t_sni, false),
	TEXT("host", "any host name: HTTP Host, SNI, DNS query", t_host, false),
	TEXT("dns", "DNS query name or answer", t_dns, false),
	TEXT("ssh", "SSH software of either side (ssh:openssh)", t_ssh, false),
	TEXT("alpn", "ALPN protocol offered (alpn:h2)", t_alpn, false),
	TEXT("http", "HTTP request method, path or User-Agent", t_http, false),
	TEXT("tls", "TLS version or cipher suite (tls:1.3)", t_tls, true),
	TEXT("dpi", "any DPI string: SNI, HTTP, DNS, SSH, ALPN, cipher", t_dpi, true),
	TEXT("process", "process name", t_process, true),
	TEXT("user", "user owning the process", t_user, true),
	{ "pid", "process id contains the digits; pid=1234 is exact", QUERY_INT,
	  QUERY_UNIT_NONE, false, t_pid, n_pid, NULL },
	NUM("bytes", "bytes both ways: bytes>1M", QUERY_UNIT_BYTES, n_bytes),
	NUM("rxbytes", "bytes received by the local side", QUERY_UNIT_BYTES, n_rxbytes),
	NUM("txbytes", "bytes sent by the local side", QUERY_UNIT_BYTES, n_txbytes),
	NUM("packets", "packets both ways: packets>=10", QUERY_UNIT_COUNT, n_packets),
	NUM("rate", "bytes per second both ways: rate>100k", QUERY_UNIT_RATE, n_rate),
	NUM("rxrate", "bytes per second received", QUERY_UNIT_RATE, n_rxrate),
	NUM("txrate", "bytes per second sent", QUERY_UNIT_RATE, n_txrate),
	NUM("age", "time since first packet: age<10s", QUERY_UNIT_SECONDS, n_age),
	NUM("idle", "time since last packet: idle>5m", QUERY_UNIT_SECONDS, n_idle),
};

size_t query_field_count(void)
{
	return sizeof fields / sizeof fields[0];
}

const struct query_field *query_fields_array(size_t *n)
{
	*n = query_field_count();
	return fields;
}

const struct query_field *query_field_at(size_t i)
{
	return i < query_field_count() ? &fields[i] : NULL;
}

const struct query_field *query_field_find(const char *name, size_t n)
{
	for (size_t i = 0; i < query_field_count(); i++)
		if (strlen(fields[i].name) == n && strncasecmp(fields[i].name, name, n) == 0)
			return &fields[i];
	return NULL;
}
