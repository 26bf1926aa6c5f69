/* fields.c - the one table of connection fields (see field.h), and the
 * getters that read each field from a row.
 *
 * Order is the JSON key order. Keywords: the first is the field's own (a
 * JSON field's is its key); later ones are shared with other fields, so
 * "host:" searches the HTTP Host, the SNI and the DNS query at once.
 * "src"/"sport" are the local end and "dst"/"dport" the remote end (the
 * initiator counts as local when the local side is unknown); "src_ip" and
 * "dst_ip", like the JSON keys, are the initiator and the responder.
 */
#include "field/field.h"

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/addrscope.h"
#include "base/clock.h"
#include "base/macros.h"
#include "geo/geo.h"

/* ---- getters ---- */

static bool text(struct field_val *v, const char *s)
{
	v->s = s ? s : "";
	return s && *s;
}

static bool uint_val(struct field_val *v, uint64_t u)
{
	v->u = u;
	return true;
}

static bool real_val(struct field_val *v, double d)
{
	v->d = d;
	return true;
}

static bool addr_val(struct field_val *v, const struct conn_row *r, const uint8_t *a, uint16_t port)
{
	v->addr = a;
	v->family = r->family;
	v->has_port = row_has_ports(r);
	v->port = port;
	v->name = NULL;
	v->claimed = false;
	return true;
}

static bool g_proto(const struct field *f, const struct conn_row *r, const struct field_ctx *c,
		    struct field_val *v)
{
	return text(v, decode_proto_name(r->l4));
}

static bool g_local(const struct field *f, const struct conn_row *r, const struct field_ctx *c,
		    struct field_val *v)
{
	return addr_val(v, r, row_local_addr(r), row_local_port(r));
}

/* The remote end is named by a DNS answer seen for its address; failing
 * that, by the name the connection itself claimed for it (SNI, HTTP Host),
 * which anyone can write and is marked as such where it is shown; failing
 * that, by a reverse lookup. */
static bool g_remote(const struct field *f, const struct conn_row *r, const struct field_ctx *c,
		     struct field_val *v)
{
	addr_val(v, r, row_remote_addr(r), row_remote_port(r));
	enum name_source src;
	v->name = row_peer_name(r, &src);
	v->claimed = src == NAME_SNI || src == NAME_HTTP;
	return true;
}

/* Names are known for the remote end only: side (0 initiator, 1
 * responder) has one when it is that end. */
static const char *side_name(const struct conn_row *r, int side, enum name_source *src)
{
	if (side == row_local_index(r)) {
		*src = NAME_NONE;
		return NULL;
	}
	return row_peer_name(r, src);
}

static bool g_side_name(const struct field *f, const struct conn_row *r,
			const struct field_ctx *c, struct field_val *v)
{
	enum name_source src;
	return text(v, side_name(r, f->arg, &src));
}

static bool g_side_name_source(const struct field *f, const struct conn_row *r,
			       const struct field_ctx *c, struct field_val *v)
{
	enum name_source src;
	side_name(r, f->arg, &src);
	return text(v, name_source_word(src));
}

static int remote_index(const struct conn_row *r)
{
	return 1 - row_local_index(r);
}

/* The remote end's country code, "?" when the databases do not know it,
 * or what kind of address has none (private, loopback...); "" when no
 * database was asked, which the display turns into a hint. */
static bool g_location(const struct field *f, const struct conn_row *r,
		       const struct field_ctx *c, struct field_val *v)
{
	if (r->l4 == L4_ARP)
		return false;
	const char *scope = addr_scope(r->family, row_remote_addr(r));
	if (scope)
		return text(v, scope);
	if (!meta_num(&r->meta, META_GEO_ASKED, NULL)) {
		v->s = "";
		return true;
	}
	const char *cc = meta_str(&r->meta, (enum meta_key)(META_GEO_COUNTRY + remote_index(r)));
	return text(v, cc ? cc : "?");
}

static void s_location(const struct conn_row *r, const struct field_ctx *c, char *b, size_t cap)
{
	struct field_val v;
	g_location(NULL, r, c, &v);
	snprintf(b, cap, "%s", *v.s ? v.s : c->brief ? "no GeoIP" : GEO_HINT);
}


static bool g_gateway(const struct field *f, const struct conn_row *r, const struct field_ctx *c,
		      struct field_val *v)
{
	v->u = 1;
	return r->gateway;
}

/* A part of the ends' MACs: .arg is the enum row_lan_part. */
static bool g_lan(const struct field *f, const struct conn_row *r, const struct field_ctx *c,
		  struct field_val *v)
{
	return text(v, row_lan(r, (enum row_lan_part)f->arg));
}

static bool g_initiator(const struct field *f, const struct conn_row *r,
			const struct field_ctx *c, struct field_val *v)
{
	return addr_val(v, r, r->src, r->sport);
}

static bool g_responder(const struct field *f, const struct conn_row *r,
			const struct field_ctx *c, struct field_val *v)
{
	return addr_val(v, r, r->dst, r->dport);
}

static bool g_spi(const struct field *f, const struct conn_row *r, const struct field_ctx *c,
		  struct field_val *v)
{
	return (r->l4 == L4_ESP || r->l4 == L4_AH) && r->has_xid && uint_val(v, r->xid);
}

static bool g_gre_key(const struct field *f, const struct conn_row *r,
		      const struct field_ctx *c, struct field_val *v)
{
	return r->l4 == L4_GRE && r->has_xid && uint_val(v, r->xid);
}

/* The group is kept as a number; as an address it needs bytes. */
static bool g_igmp_group(const struct field *f, const struct conn_row *r,
			 const struct field_ctx *c, struct field_val *v)
{
	if (r->l4 != L4_IGMP)
		return false;
	uint8_t *a = (uint8_t *)v->buf;
	memset(a, 0, 16);
	for (int i = 0; i < 4; i++)
		a[i] = (uint8_t)(r->igmp_group >> (24 - 8 * i));
	v->addr = a;
	v->family = 4;
	v->has_port = false;
	v->name = NULL;
	return true;
}

/* The row's tunnel; all zero (TUNNEL_NONE) when it came through none. */
static const struct pkt_tunnel *tunnel_of(const struct conn_row *r)
{
	static const struct pkt_tunnel none;
	return r->tunnel ? r->tunnel : &none;
}

static bool g_tunnel(const struct field *f, const struct conn_row *r, const struct field_ctx *c,
		     struct field_val *v)
{
	return text(v, decode_tunnel_name(tunnel_of(r)->type));
}

static bool tunnel_addr(struct field_val *v, const struct conn_row *r, const uint8_t *a)
{
	v->addr = a;
	v->family = tunnel_of(r)->family;
	v->has_port = false;
	v->name = NULL;
	return tunnel_of(r)->type != TUNNEL_NONE;
}

static bool g_tunnel_src(const struct field *f, const struct conn_row *r,
			 const struct field_ctx *c, struct field_val *v)
{
	return tunnel_addr(v, r, tunnel_of(r)->src);
}

static bool g_tunnel_dst(const struct field *f, const struct conn_row *r,
			 const struct field_ctx *c, struct field_val *v)
{
	return tunnel_addr(v, r, tunnel_of(r)->dst);
}

static bool g_tunnel_id(const struct field *f, const struct conn_row *r,
			const struct field_ctx *c, struct field_val *v)
{
	const struct pkt_tunnel *t = tunnel_of(r);
	return t->type != TUNNEL_NONE && t->has_id && uint_val(v, t->id);
}

static bool g_state(const struct field *f, const struct conn_row *r, const struct field_ctx *c,
		    struct field_val *v)
{
	return text(v, row_state_word(r));
}

static bool g_service(const struct field *f, const struct conn_row *r,
		      const struct field_ctx *c, struct field_val *v)
{
	return text(v, row_service(r));
}

static bool g_dpi(const struct field *f, const struct conn_row *r, const struct field_ctx *c,
		  struct field_val *v)
{
	size_t pos = 0;
	v->meta = &r->meta;
	uint64_t quic = 0;
	return meta_str_next(&r->meta, &pos) != NULL ||
	       (meta_num(&r->meta, META_QUIC_VERSION, &quic) && quic);
}

static bool g_app(const struct field *f, const struct conn_row *r, const struct field_ctx *c,
		  struct field_val *v)
{
	return text(v, meta_app_name(&r->meta, r->dport));
}

static bool g_app_state(const struct field *f, const struct conn_row *r,
			const struct field_ctx *c, struct field_val *v)
{
	return text(v, meta_app_state_name((enum app_state)r->meta.app_state));
}

/* A string a dissector stored under the meta key f->arg. */
static bool g_meta_str(const struct field *f, const struct conn_row *r,
		       const struct field_ctx *c, struct field_val *v)
{
	return text(v, meta_str(&r->meta, (enum meta_key)f->arg));
}

/* A number a dissector stored under the meta key f->arg. */
static bool g_meta_num(const struct field *f, const struct conn_row *r,
		       const struct field_ctx *c, struct field_val *v)
{
	return meta_num(&r->meta, (enum meta_key)f->arg, &v->u);
}

/* A duration a dissector stored in microseconds under f->arg, in ms. */
static bool g_meta_us_as_ms(const struct field *f, const struct conn_row *r,
			    const struct field_ctx *c, struct field_val *v)
{
	uint64_t us;
	return meta_num(&r->meta, (enum meta_key)f->arg, &us) && real_val(v, (double)us / US_PER_MS);
}

/* The first ICMP error that quoted the connection's datagram, in words. */
static bool g_icmp_error(const struct field *f, const struct conn_row *r,
			 const struct field_ctx *c, struct field_val *v)
{
	uint64_t e;
	if (!meta_num(&r->meta, META_ICMP_ERROR, &e))
		return false;
	struct meta_icmp_error ie = meta_icmp_error_unpack(e);
	decode_icmp_error_text(v->buf, sizeof v->buf, r->family == 6 ? L4_ICMPV6 : L4_ICMP, ie.type,
			       ie.code, ie.mtu);
	return text(v, v->buf);
}

static bool g_tls_version(const struct field *f, const struct conn_row *r,
			  const struct field_ctx *c, struct field_val *v)
{
	return text(v, meta_tls_version_name(r->meta.tls_version));
}

/* The suite's name, or its number when the name is not in our list. */
static bool g_tls_cipher(const struct field *f, const struct conn_row *r,
			 const struct field_ctx *c, struct field_val *v)
{
	if (text(v, meta_str(&r->meta, META_TLS_CIPHER)))
		return true;
	if (!r->meta.tls_cipher)
		return false;
	snprintf(v->buf, sizeof v->buf, "0x%04x", r->meta.tls_cipher);
	return text(v, v->buf);
}

static bool g_dns_qtype(const struct field *f, const struct conn_row *r,
			const struct field_ctx *c, struct field_val *v)
{
	if (!r->meta.dns_qtype)
		return false;
	return text(v, meta_dns_qtype_name(r->meta.dns_qtype, v->buf, sizeof v->buf));
}

static bool g_quic_version(const struct field *f, const struct conn_row *r,
			   const struct field_ctx *c, struct field_val *v)
{
	static const char hex[] = "0123456789abcdef";
	uint64_t x = 0;
	if (!meta_num(&r->meta, META_QUIC_VERSION, &x) || !x)
		return false;
	v->buf[0] = '0';
	v->buf[1] = 'x';
	for (int i = 0; i < 8; i++)
		v->buf[2 + i] = hex[(x >> (28 - 4 * i)) & 15];
	v->buf[10] = '\0';
	return text(v, v->buf);
}

static bool g_quic_idle(const struct field *f, const struct conn_row *r,
			const struct field_ctx *c, struct field_val *v)
{
	uint64_t ms = 0;
	return meta_num(&r->meta, META_QUIC_IDLE_MS, &ms) && ms && uint_val(v, ms);
}

/* A uint64_t member of the row at offset f->arg. */
static bool g_row_u64(const struct field *f, const struct conn_row *r,
		      const struct field_ctx *c, struct field_val *v)
{
	memcpy(&v->u, (const char *)r + f->arg, sizeof v->u);
	return true;
}

static bool g_time(const struct field *f, const struct conn_row *r, const struct field_ctx *c,
		   struct field_val *v)
{
	return g_row_u64(f, r, c, v) && v->u;
}

static bool g_bytes(const struct field *f, const struct conn_row *r, const struct field_ctx *c,
		    struct field_val *v)
{
	return uint_val(v, r->src_bytes + r->dst_bytes);
}

static bool g_packets(const struct field *f, const struct conn_row *r,
		      const struct field_ctx *c, struct field_val *v)
{
	return uint_val(v, r->src_packets + r->dst_packets);
}

static bool g_rxbytes(const struct field *f, const struct conn_row *r,
		      const struct field_ctx *c, struct field_val *v)
{
	return uint_val(v, row_rx_bytes(r));
}

static bool g_txbytes(const struct field *f, const struct conn_row *r,
		      const struct field_ctx *c, struct field_val *v)
{
	return uint_val(v, row_tx_bytes(r));
}

static bool g_rate(const struct field *f, const struct conn_row *r, const struct field_ctx *c,
		   struct field_val *v)
{
	return real_val(v, r->src_rate + r->dst_rate);
}

static bool g_rxrate(const struct field *f, const struct conn_row *r, const struct field_ctx *c,
		     struct field_val *v)
{
	return real_val(v, row_rx_rate(r));
}

static bool g_txrate(const struct field *f, const struct conn_row *r, const struct field_ctx *c,
		     struct field_val *v)
{
	return real_val(v, row_tx_rate(r));
}

/* TCP analysis (flow/tcp_health.h): a count is 0 until the first event;
 * other protocols know none. */
static bool g_tcp_count(const struct field *f, const struct conn_row *r,
			const struct field_ctx *c, struct field_val *v)
{
	if (r->l4 != L4_TCP)
		return false;
	v->u = 0;
	meta_num(&r->meta, (enum meta_key)f->arg, &v->u);
	return true;
}

/* The smoothed round trip, else the handshake's, in ms. */
static bool g_rtt(const struct field *f, const struct conn_row *r, const struct field_ctx *c,
		  struct field_val *v)
{
	uint64_t us;
	return (meta_num(&r->meta, META_TCP_SRTT_US, &us) ||
		meta_num(&r->meta, META_TCP_HANDSHAKE_RTT_US, &us)) &&
	       real_val(v, (double)us / US_PER_MS);
}

/* Both directions of a count keyed by its initiator's key (f->arg). */
static bool g_tcp_total(const struct field *f, const struct conn_row *r,
			const struct field_ctx *c, struct field_val *v)
{
	uint64_t a = 0, b = 0;
	meta_num(&r->meta, (enum meta_key)f->arg, &a);
	meta_num(&r->meta, (enum meta_key)(f->arg + 1), &b);
	return r->l4 == L4_TCP && uint_val(v, a + b);
}

/* The overview's health badge: a row's TCP troubles at a glance. A SYN
 * counts as unanswered once the initial retransmission timeout (1 s, RFC
 * 6298 2.1) has passed with nothing back: by then the sender resends it. */
#define SYN_RTO_US US_PER_SEC

static bool g_health(const struct field *f, const struct conn_row *r, const struct field_ctx *c,
		     struct field_val *v)
{
	if (r->l4 != L4_TCP)
		return false;
	char *p = v->buf;
	unsigned seen = r->tcp_seen;
	bool opened = seen & (ROW_TCP_SYN_ACK | ROW_TCP_ESTABLISHED);
	if ((seen & ROW_TCP_SYN) && !opened && (seen & ROW_TCP_RST))
		*p++ = 'X';
	else if ((seen & ROW_TCP_SYN) && !opened && !r->dst_packets &&
		 c->now_us >= r->first_seen_us + SYN_RTO_US)
		*p++ = 'N';
	uint64_t a = 0, b = 0, o = 0, q = 0, spikes = 0;
	meta_num(&r->meta, META_TCP_RETRANSMITS, &a);
	meta_num(&r->meta, META_TCP_RETRANSMITS_RESP, &b);
	meta_num(&r->meta, META_TCP_OUT_OF_ORDER, &o);
	meta_num(&r->meta, META_TCP_OUT_OF_ORDER_RESP, &q);
	meta_num(&r->meta, META_TCP_RTT_SPIKES, &spikes);
	if (a + b)
		*p++ = 'R';
	if (o + q)
		*p++ = 'O';
	if (spikes)
		*p++ = 'S';
	*p = '\0';
	return text(v, v->buf);
}

/* Seconds from t to the data clock (0 when t is in its future). */
static double since(uint64_t now, uint64_t t)
{
	return now > t ? (double)(now - t) / US_PER_SEC : 0.0;
}

static bool g_age(const struct field *f, const struct conn_row *r, const struct field_ctx *c,
		  struct field_val *v)
{
	return real_val(v, since(c->now_us, r->first_seen_us));
}

static bool g_idle(const struct field *f, const struct conn_row *r, const struct field_ctx *c,
		   struct field_val *v)
{
	return real_val(v, since(c->now_us, r->last_seen_us));
}

static bool g_expires(const struct field *f, const struct conn_row *r,
		      const struct field_ctx *c, struct field_val *v)
{
	return r->expires_us && real_val(v, since(r->expires_us, c->now_us));
}

static bool g_id(const struct field *f, const struct conn_row *r, const struct field_ctx *c,
		 struct field_val *v)
{
	return uint_val(v, r->id);
}

static bool g_pid(const struct field *f, const struct conn_row *r, const struct field_ctx *c,
		  struct field_val *v)
{
	return r->proc.pid > 0 && uint_val(v, (uint64_t)r->proc.pid);
}

static bool g_process(const struct field *f, const struct conn_row *r,
		      const struct field_ctx *c, struct field_val *v)
{
	return text(v, r->proc.name);
}

static bool g_user(const struct field *f, const struct conn_row *r, const struct field_ctx *c,
		   struct field_val *v)
{
	return text(v, r->proc.user);
}

static bool g_uid(const struct field *f, const struct conn_row *r, const struct field_ctx *c,
		  struct field_val *v)
{
	return r->proc.pid > 0 && uint_val(v, r->proc.uid);
}

/* The row's unit, container or pod: .arg is the enum row_place_part. */
static bool g_place(const struct field *f, const struct conn_row *r, const struct field_ctx *c,
		    struct field_val *v)
{
	return text(v, row_place(r, (enum row_place_part)f->arg));
}

static bool g_process_match(const struct field *f, const struct conn_row *r,
			    const struct field_ctx *c, struct field_val *v)
{
	return r->proc.pid > 0 && text(v, proc_match_word((enum proc_match)r->proc_match));
}

static bool g_parents(const struct field *f, const struct conn_row *r, const struct field_ctx *c,
		      struct field_val *v)
{
	const char *first;
	v->u = row_parents(r, &first);
	v->s = first;
	return v->u > 0;
}

static bool g_peer_pid(const struct field *f, const struct conn_row *r,
		       const struct field_ctx *c, struct field_val *v)
{
	return r->peer.pid > 0 && uint_val(v, (uint64_t)r->peer.pid);
}

static bool g_peer_process(const struct field *f, const struct conn_row *r,
			   const struct field_ctx *c, struct field_val *v)
{
	return text(v, r->peer.name);
}

static bool g_peer_user(const struct field *f, const struct conn_row *r,
			const struct field_ctx *c, struct field_val *v)
{
	return text(v, r->peer.user);
}

/* ---- display text beyond the generic ---- */

/* Both ends when both are local processes, initiator first: "curl → nginx";
 * else the owner and its pid. */
static void s_spi(const struct conn_row *r, const struct field_ctx *c, char *b, size_t cap)
{
	snprintf(b, cap, "0x%08x", r->xid);
}

static void s_process(const struct conn_row *r, const struct field_ctx *c, char *b, size_t cap)
{
	if (r->proc.name && r->peer.name) {
		const struct row_proc *from = r->proc_side == 1 ? &r->peer : &r->proc;
		const struct row_proc *to = r->proc_side == 1 ? &r->proc : &r->peer;
		snprintf(b, cap, "%s %s %s", from->name, c->utf8 ? "\u2192" : "->", to->name);
	} else if (r->proc.name && r->proc.pid > 0) {
		snprintf(b, cap, "%s(%d)", r->proc.name, (int)r->proc.pid);
	} else {
		snprintf(b, cap, "%s", r->proc.name ? r->proc.name : "");
	}
	size_t n = strlen(b);
	if (r->proc_match == PROC_MATCH_LISTENER && n + 1 < cap)
		snprintf(b + n, cap - n, "?"); /* a guess says so */
}

/* How the owner was found, in words; a guess says it is one. */
static void s_process_match(const struct conn_row *r, const struct field_ctx *c, char *b,
			    size_t cap)
{
	static const char *const said[] = {
		[PROC_MATCH_SOCKET] = "its own socket",
		[PROC_MATCH_PREEXISTING] = "its own socket, open before wiretop started",
		[PROC_MATCH_NETNS] = "its own socket, in another network namespace",
		[PROC_MATCH_LISTENER] = "a guess: the listening or bound socket on its port",
	};
	const char *s = r->proc_match < ARRAY_LEN(said) ? said[r->proc_match] : NULL;
	snprintf(b, cap, "%s", s ? s : "");
}

static void s_peer(const struct conn_row *r, const struct field_ctx *c, char *b, size_t cap)
{
	snprintf(b, cap, "%s at the %s end", r->peer.name ? r->peer.name : "",
		 r->proc_side == 1 ? "initiating" : "responding");
}

static const char *ssh_software(const char *banner)
{
	const char *p = banner && strncmp(banner, "SSH-", 4) == 0 ? strchr(banner + 4, '-') : NULL;
	return p ? p + 1 : banner;
}

/* The other protocols' most telling value, the first one known. */
static void s_dpi_other(const struct flow_meta *m, char *b, size_t cap)
{
	static const enum meta_key telling[] = {
		META_SSDP_TYPE, META_SNMP_COMMUNITY, META_STUN_SOFTWARE, META_STUN_METHOD,
		META_NTP_MODE, META_DHCP_HOSTNAME, META_DHCP_CLIENT_MAC, META_DHCP_TYPE,
		META_NETBIOS_NAME, META_MQTT_TOPIC, META_MQTT_CLIENT_ID, META_BT_INFO_HASH,
		META_BT_DHT_QUERY, META_XMPP_TO, META_FTP_SERVER, META_FTP_USER, META_FTP_CONTROL,
	};
	for (size_t i = 0; i < ARRAY_LEN(telling); i++) {
		const char *v = meta_str(m, telling[i]);
		if (v) {
			snprintf(b, cap, "%s", v);
			for (char *p = b; *p; p++)
				if (*p == META_LIST_SEP) /* a list shows as words */
					*p = ' ';
			return;
		}
	}
	if (cap)
		b[0] = '\0';
}

/* The one line that says most about what DPI saw: SNI, HTTP host and
 * path, DNS query and type, SSH software, QUIC version. */
static void s_dpi(const struct conn_row *r, const struct field_ctx *c, char *b, size_t cap)
{
	const struct flow_meta *m = &r->meta;
	const char *sni = meta_str(m, META_SNI), *host = meta_str(m, META_HTTP_HOST);
	const char *path = meta_str(m, META_HTTP_PATH), *q = meta_str(m, META_DNS_QUERY);
	const char *ssh = meta_str(m, META_SSH_SERVER);
	char tb[16];
	uint64_t quic = 0;
	if (!ssh)
		ssh = meta_str(m, META_SSH_CLIENT);
	if (sni)
		snprintf(b, cap, "%s", sni);
	else if (host && path && *path != '/') /* a proxy request's path is a whole URL */
		snprintf(b, cap, "%s", path);
	else if (host)
		snprintf(b, cap, "%s%s", host, path ? path : "");
	else if (q && m->dns_qtype)
		snprintf(b, cap, "%s %s", q, meta_dns_qtype_name(m->dns_qtype, tb, sizeof tb));
	else if (q)
		snprintf(b, cap, "%s", q);
	else if (ssh)
		snprintf(b, cap, "%s", ssh_software(ssh));
	else if (meta_num(m, META_QUIC_VERSION, &quic) && quic)
		snprintf(b, cap, "QUIC 0x%08x", (unsigned)quic);
	else
		s_dpi_other(m, b, cap);
}

/* ---- the table ---- */

#define KEY(k) ", \"" k "\": "
#define JSON(k) .name = k, .json_key = KEY(k), .json_key_len = sizeof KEY(k) - 1
#define PORT_JSON(k) .port_json_key = KEY(k), .port_json_key_len = sizeof KEY(k) - 1
#define VIEW(k) .name = k

/* A string or list a dissector stores under META_x; its keyword is its key. */
#define META_TEXT(k, key, lbl, more, hlp) \
	{ JSON(k), .label = lbl, .keywords = k " " more, .help = hlp, .type = FIELD_TEXT, \
	  .section = FIELD_SEC_APP, .arg = key, .get = g_meta_str }
#define META_LIST(k, key, lbl, more, hlp) \
	{ JSON(k), .label = lbl, .keywords = k " " more, .help = hlp, .type = FIELD_LIST, \
	  .section = FIELD_SEC_APP, .arg = key, .get = g_meta_str }
#define META_UINT(k, key, lbl, hlp) \
	{ JSON(k), .label = lbl, .keywords = k, .help = hlp, .type = FIELD_UINT, \
	  .section = FIELD_SEC_APP, .arg = key, .get = g_meta_num }
/* One protocol's detail: the key is written only on connections that
 * carry it (FIELD_SPARSE), so the others' records do not grow. */
#define APPS(a) (1u << (a))
#define NTP APPS(APP_NTP)
#define SSDP APPS(APP_SSDP)
#define SNMP APPS(APP_SNMP)
#define STUN (APPS(APP_STUN) | APPS(APP_TURN))
#define DHCP (APPS(APP_DHCP) | APPS(APP_DHCPV6))
#define NBNS APPS(APP_NBNS)
#define MQTT APPS(APP_MQTT)
#define BT APPS(APP_BITTORRENT)
#define XMPP APPS(APP_XMPP)
#define FTP APPS(APP_FTP)
#define FTP_DATA APPS(APP_FTP_DATA)
#define WG APPS(APP_WIREGUARD)
#define OVPN APPS(APP_OPENVPN)
#define PROTO_TEXT(k, key, apps_, lbl, more, hlp) \
	{ JSON(k), .label = lbl, .keywords = k " " more, .help = hlp, .type = FIELD_TEXT, \
	  .section = FIELD_SEC_APP, .flags = FIELD_SPARSE, .apps = apps_, .arg = key, \
	  .get = g_meta_str }
#define PROTO_LIST(k, key, apps_, lbl, more, hlp) \
	{ JSON(k), .label = lbl, .keywords = k " " more, .help = hlp, .type = FIELD_LIST, \
	  .section = FIELD_SEC_APP, .flags = FIELD_SPARSE, .apps = apps_, .arg = key, \
	  .get = g_meta_str }
#define PROTO_UINT(k, key, apps_, lbl, hlp) \
	{ JSON(k), .label = lbl, .keywords = k, .help = hlp, .type = FIELD_UINT, \
	  .section = FIELD_SEC_APP, .flags = FIELD_SPARSE, .apps = apps_, .arg = key, \
	  .get = g_meta_num }
/* A uint64_t counter of struct conn_row. */
#define ROW_COUNT(k, member, u, lbl, hlp) \
	{ JSON(k), .label = lbl, .keywords = k, .help = hlp, .type = FIELD_UINT, .unit = u, \
	  .section = FIELD_SEC_TRAFFIC, .arg = offsetof(struct conn_row, member), .get = g_row_u64 }
/* A TCP analysis count: both ways (with its column's flags and COL), the
 * initiator's, the responder's. */
#define TCP_COUNTS(k, key, lbl, what, lbl_init, lbl_resp, col_flags, col) \
	{ JSON(k), .label = lbl, .keywords = k, .help = what " both ways", .type = FIELD_UINT, \
	  .unit = FIELD_UNIT_COUNT, .section = FIELD_SEC_HEALTH, .flags = FIELD_SPARSE | col_flags, \
	  col, .arg = key, .get = g_tcp_total }, \
	{ JSON("src_" k), .label = lbl_init, .keywords = "src_" k, \
	  .help = what " the initiator sent", .type = FIELD_UINT, .unit = FIELD_UNIT_COUNT, \
	  .section = FIELD_SEC_HEALTH, .flags = FIELD_SPARSE, .arg = key, .get = g_tcp_count }, \
	{ JSON("dst_" k), .label = lbl_resp, .keywords = "dst_" k, \
	  .help = what " the responder sent", .type = FIELD_UINT, .unit = FIELD_UNIT_COUNT, \
	  .section = FIELD_SEC_HEALTH, .flags = FIELD_SPARSE, .arg = key + 1, .get = g_tcp_count }
/* A GeoIP item of one side: known only with a database and for an
 * address it places. */
#define GEO_TEXT(k, kw, lbl, key, hlp) \
	{ JSON(k), .label = lbl, .keywords = kw, .help = hlp, .type = FIELD_TEXT, \
	  .flags = FIELD_SPARSE, .arg = key, .get = g_meta_str }
#define GEO_UINT(k, kw, lbl, key, hlp) \
	{ JSON(k), .label = lbl, .keywords = kw, .help = hlp, .type = FIELD_UINT, \
	  .flags = FIELD_SPARSE, .arg = key, .get = g_meta_num }
#define COL(t, w, mw, d) .column = { .title = t, .width = w, .min_width = mw, .drop = d }
#define NO_COL .column = { 0 }

static const struct field fields[] = {
	{ JSON("proto"), .label = "Protocol", .keywords = "proto",
	  .help = "protocol: tcp, udp, icmp, arp, or IANA's name of any other (gre, esp, sctp)",
	  .type = FIELD_TEXT,
	  .flags = FIELD_ANY | FIELD_COLUMN, COL("Proto", 6, 4, 5), .get = g_proto },
	{ VIEW("local"), .label = "Local", .keywords = "src", .port_keywords = "sport port",
	  .help = "local address (CIDR allowed: src:fd00::/64)", .type = FIELD_ADDR,
	  .flags = FIELD_VIEW | FIELD_ANY | FIELD_COLUMN, COL("Local Address", 21, 9, 9),
	  .get = g_local },
	{ VIEW("remote"), .label = "Remote", .keywords = "dst", .port_keywords = "dport port",
	  .help = "remote address or its name from DNS; \"name\": claimed by SNI / HTTP Host (dst:10.0.0.0/8)",
	  .type = FIELD_ADDR, .flags = FIELD_VIEW | FIELD_ANY | FIELD_COLUMN,
	  COL("Remote Address", 26, 12, 0), .get = g_remote },
	{ JSON("src_ip"), PORT_JSON("src_port"), .label = "Initiator", .keywords = "src_ip",
	  .port_keywords = "src_port", .help = "address of the side that opened the connection",
	  .type = FIELD_ADDR, .get = g_initiator },
	{ JSON("dst_ip"), PORT_JSON("dst_port"), .label = "Responder", .keywords = "dst_ip",
	  .port_keywords = "dst_port", .help = "address of the side that answered",
	  .type = FIELD_ADDR, .get = g_responder },
	{ JSON("spi"), .label = "SPI", .keywords = "spi",
	  .help = "ESP / AH security parameter index", .type = FIELD_UINT, .get = g_spi,
	  .show = s_spi },
	{ JSON("gre_key"), .label = "GRE key", .keywords = "gre_key", .help = "GRE key (RFC 2890)",
	  .type = FIELD_UINT, .get = g_gre_key },
	{ JSON("igmp_group"), .label = "IGMP group", .keywords = "igmp_group",
	  .help = "IGMP: group of the last message", .type = FIELD_ADDR, .get = g_igmp_group },
	{ JSON("tunnel"), .label = "Tunnel", .keywords = "tunnel",
	  .help = "tunnel it came through: vxlan, geneve, gre, ipip, 6in4, 4in6, 6in6",
	  .type = FIELD_TEXT, .get = g_tunnel },
	{ JSON("tunnel_src_ip"), .label = "Tunnel from", .keywords = "tunnel_src_ip tunnel_ip",
	  .help = "the tunnel's outer address on the initiator's side", .type = FIELD_ADDR,
	  .get = g_tunnel_src },
	{ JSON("tunnel_dst_ip"), .label = "Tunnel to", .keywords = "tunnel_dst_ip tunnel_ip",
	  .help = "the tunnel's outer address on the responder's side", .type = FIELD_ADDR,
	  .get = g_tunnel_dst },
	{ JSON("tunnel_id"), .label = "Tunnel VNI / key", .keywords = "tunnel_id",
	  .help = "the tunnel's VXLAN or GENEVE VNI, or its GRE key", .type = FIELD_UINT,
	  .get = g_tunnel_id },
	{ JSON("src_name"), .label = "Initiator name", .keywords = "src_name name",
	  .help = "the initiator's name when it is the remote end (see src_name_source)",
	  .type = FIELD_TEXT, .arg = 0, .get = g_side_name },
	{ JSON("src_name_source"), .label = "Initiator named by",
	  .keywords = "src_name_source name_source",
	  .help = "where src_name came from: dns, sni, http, ptr", .type = FIELD_TEXT, .arg = 0,
	  .get = g_side_name_source },
	{ JSON("dst_name"), .label = "Responder name", .keywords = "dst_name name",
	  .help = "the responder's name when it is the remote end: name:example.com",
	  .type = FIELD_TEXT, .arg = 1, .get = g_side_name },
	{ JSON("dst_name_source"), .label = "Responder named by",
	  .keywords = "dst_name_source name_source",
	  .help = "where dst_name came from: dns (an answer seen), sni, http (the client's word), ptr",
	  .type = FIELD_TEXT, .arg = 1, .get = g_side_name_source },
	GEO_TEXT("src_country", "src_country country", "Initiator country", META_GEO_COUNTRY,
		 "the initiator's country (ISO code, GeoIP): country:DE"),
	GEO_TEXT("dst_country", "dst_country country", "Responder country", META_GEO_COUNTRY_RESP,
		 "the responder's country (ISO code, GeoIP)"),
	GEO_UINT("src_asn", "src_asn asn", "Initiator AS", META_GEO_ASN,
		 "the initiator's autonomous system number (GeoIP ASN): asn=15169"),
	GEO_UINT("dst_asn", "dst_asn asn", "Responder AS", META_GEO_ASN_RESP,
		 "the responder's autonomous system number (GeoIP ASN)"),
	GEO_TEXT("src_as_org", "src_as_org as_org", "Initiator network", META_GEO_AS_ORG,
		 "the organisation of the initiator's autonomous system"),
	GEO_TEXT("dst_as_org", "dst_as_org as_org", "Responder network", META_GEO_AS_ORG_RESP,
		 "the organisation of the responder's autonomous system: as_org:google"),
	{ VIEW("location"), .label = "Location", .keywords = "location",
	  .help = "the remote end's country code (? unknown), or private, loopback, link-local, multicast",
	  .type = FIELD_TEXT, .flags = FIELD_VIEW | FIELD_COLUMN, COL("Loc", 8, 3, 13),
	  .get = g_location, .show = s_location },
	{ VIEW("src_city"), .label = "Initiator city", .keywords = "src_city city",
	  .help = "the initiator's city (GeoIP City)", .type = FIELD_TEXT, .flags = FIELD_VIEW,
	  .arg = META_GEO_CITY, .get = g_meta_str },
	{ VIEW("dst_city"), .label = "Responder city", .keywords = "dst_city city",
	  .help = "the responder's city (GeoIP City)", .type = FIELD_TEXT, .flags = FIELD_VIEW,
	  .arg = META_GEO_CITY_RESP, .get = g_meta_str },
	{ JSON("gateway"), .label = "Gateway", .keywords = "gateway",
	  .help = "the remote end is a default gateway (live, from the routing table): gateway",
	  .type = FIELD_FLAG, .flags = FIELD_ANY | FIELD_SPARSE, .get = g_gateway },
	{ JSON("local_mac"), .label = "Local MAC", .keywords = "local_mac mac",
	  .help = "the local end's hardware address, from the connection's own Ethernet frames: "
		  "mac:02:42:ac:11:00:02",
	  .type = FIELD_TEXT, .flags = FIELD_SPARSE, .arg = ROW_LAN_LOCAL_MAC, .get = g_lan },
	{ JSON("remote_mac"), .label = "Remote MAC", .keywords = "remote_mac mac",
	  .help = "the remote end's hardware address, when it is on the link (from ARP or "
		  "neighbour discovery): mac:3c:22:fb",
	  .type = FIELD_TEXT, .flags = FIELD_ANY | FIELD_SPARSE, .arg = ROW_LAN_REMOTE_MAC,
	  .get = g_lan },
	{ JSON("remote_mac_vendor"), .label = "Remote vendor", .keywords = "remote_mac_vendor vendor",
	  .help = "the remote MAC's vendor (IEEE OUI registry), or locally administered (a random "
		  "or private address): vendor:apple",
	  .type = FIELD_TEXT, .flags = FIELD_ANY | FIELD_SPARSE, .arg = ROW_LAN_REMOTE_VENDOR,
	  .get = g_lan },
	{ JSON("state"), .label = "State", .keywords = "state",
	  .help = "connection state: established, fin_wait, quic_handshake, dns_query",
	  .type = FIELD_TEXT, .flags = FIELD_ANY | FIELD_COLUMN, COL("State", 14, 5, 8),
	  .get = g_state },
	{ VIEW("health"), .label = "Health", .keywords = "health",
	  .help = "TCP troubles: X handshake refused (RST), N SYN unanswered for 1 s, "
		  "R retransmissions, O out of order, S round-trip spikes: health:R",
	  .type = FIELD_TEXT, .section = FIELD_SEC_HEALTH, .flags = FIELD_VIEW | FIELD_COLUMN,
	  COL("Health", 6, 3, 7), .get = g_health },
	{ VIEW("service"), .label = "Service", .keywords = "service app",
	  .help = "application from DPI, else the well-known service of the port",
	  .type = FIELD_TEXT, .flags = FIELD_VIEW | FIELD_ANY | FIELD_COLUMN,
	  COL("Service", 9, 4, 6), .get = g_service },
	{ VIEW("dpi"), .label = "DPI", .keywords = "dpi",
	  .help = "any DPI string: SNI, HTTP, DNS, SSH, ALPN, cipher", .type = FIELD_STRINGS,
	  .section = FIELD_SEC_APP, .flags = FIELD_VIEW | FIELD_ANY | FIELD_COLUMN,
	  .column = { .title = "DPI", .width = 16, .min_width = 8, .drop = 2, .flex = true },
	  .get = g_dpi, .show = s_dpi },
	{ VIEW("rxrate"), .label = "Rx rate", .keywords = "rxrate",
	  .help = "bytes per second received", .type = FIELD_REAL, .unit = FIELD_UNIT_RATE,
	  .section = FIELD_SEC_TRAFFIC, .flags = FIELD_VIEW | FIELD_COLUMN, COL("Rx", 8, 5, 3),
	  .get = g_rxrate },
	{ VIEW("txrate"), .label = "Tx rate", .keywords = "txrate",
	  .help = "bytes per second sent", .type = FIELD_REAL, .unit = FIELD_UNIT_RATE,
	  .section = FIELD_SEC_TRAFFIC, .flags = FIELD_VIEW | FIELD_COLUMN, COL("Tx", 8, 5, 4),
	  .get = g_txrate },
	{ VIEW("bytes"), .label = "Bytes", .keywords = "bytes", .help = "bytes both ways: bytes>1M",
	  .type = FIELD_UINT, .unit = FIELD_UNIT_BYTES, .section = FIELD_SEC_TRAFFIC,
	  .flags = FIELD_VIEW | FIELD_COLUMN, COL("Bytes", 7, 5, 10), .get = g_bytes },
	{ JSON("app"), .label = "Application", .keywords = "app",
	  .help = "application protocol from DPI: https, dns, ssh, quic", .type = FIELD_TEXT,
	  .section = FIELD_SEC_APP, .get = g_app },
	{ JSON("app_state"), .label = "App state", .keywords = "app_state state",
	  .help = "application state: dns_query, quic_connected, keyexchange", .type = FIELD_TEXT,
	  .section = FIELD_SEC_APP, .flags = FIELD_ANY, .get = g_app_state },
	META_TEXT("upgrade", META_UPGRADE, "Upgraded to", "",
		  "what the connection switched to: TLS (STARTTLS), websocket, h2c"),
	META_TEXT("http_host", META_HTTP_HOST, "HTTP host", "host sni", "HTTP Host header"),
	META_TEXT("http_method", META_HTTP_METHOD, "HTTP method", "http", "HTTP request method"),
	META_TEXT("http_path", META_HTTP_PATH, "HTTP path", "http", "HTTP request target"),
	META_TEXT("http_user_agent", META_HTTP_UA, "User-Agent", "http", "HTTP User-Agent header"),
	META_UINT("http_status", META_HTTP_STATUS, "HTTP status",
		  "first response's status: http_status>=400"),
	META_TEXT("sni", META_SNI, "SNI", "host", "TLS / QUIC server name"),
	META_LIST("alpn", META_ALPN, "ALPN", "", "ALPN protocol offered (alpn:h2)"),
	{ JSON("tls_version"), .label = "TLS version", .keywords = "tls_version tls",
	  .help = "TLS version: negotiated, else offered (tls:1.3)", .type = FIELD_TEXT,
	  .section = FIELD_SEC_APP, .flags = FIELD_ANY, .get = g_tls_version },
	{ JSON("tls_cipher"), .label = "TLS cipher", .keywords = "tls_cipher tls",
	  .help = "negotiated cipher suite", .type = FIELD_TEXT, .section = FIELD_SEC_APP,
	  .get = g_tls_cipher },
	META_TEXT("dns_query", META_DNS_QUERY, "DNS query", "dns host", "DNS question name"),
	{ JSON("dns_qtype"), .label = "DNS type", .keywords = "dns_qtype",
	  .help = "DNS question type: a, aaaa, mx", .type = FIELD_TEXT, .section = FIELD_SEC_APP,
	  .get = g_dns_qtype },
	META_UINT("dns_rcode", META_DNS_RCODE, "DNS rcode", "response code: dns_rcode=3 (NXDOMAIN)"),
	{ JSON("dns_response_ms"), .label = "DNS response", .keywords = "dns_response_ms",
	  .help = "DNS: from the first query to its response, as captured (tshark: dns.time)",
	  .type = FIELD_REAL, .unit = FIELD_UNIT_MS, .section = FIELD_SEC_HEALTH,
	  .flags = FIELD_SPARSE, .arg = META_DNS_RESPONSE_US, .get = g_meta_us_as_ms },
	META_LIST("dns_answers", META_DNS_ANSWERS, "DNS answers", "dns", "addresses and names answered"),
	META_TEXT("ssh_client", META_SSH_CLIENT, "SSH client", "ssh", "client's SSH software (ssh:openssh)"),
	META_TEXT("ssh_server", META_SSH_SERVER, "SSH server", "ssh", "server's SSH software"),
	{ JSON("quic_version"), .label = "QUIC version", .keywords = "quic_version",
	  .help = "QUIC version, hex: quic_version:0x00000001", .type = FIELD_TEXT,
	  .section = FIELD_SEC_APP, .get = g_quic_version },
	{ JSON("quic_idle_timeout_ms"), .label = "QUIC idle", .keywords = "quic_idle_timeout_ms",
	  .help = "QUIC max_idle_timeout the peers set", .type = FIELD_UINT, .unit = FIELD_UNIT_MS,
	  .section = FIELD_SEC_APP, .get = g_quic_idle },
	PROTO_UINT("ntp_version", META_NTP_VERSION, NTP, "NTP version", "NTP version number (1-4)"),
	PROTO_LIST("ntp_mode", META_NTP_MODE, NTP, "NTP mode", "ntp",
		   "NTP modes seen: client, server, symmetric active, broadcast, control"),
	PROTO_UINT("ntp_stratum", META_NTP_STRATUM, NTP, "NTP stratum",
		   "stratum of the server (or peer): ntp_stratum=1"),
	{ JSON("ntp_response_ms"), .label = "NTP response", .keywords = "ntp_response_ms",
	  .help = "NTP: from a client's request to the server's answer, as captured",
	  .type = FIELD_REAL, .unit = FIELD_UNIT_MS, .section = FIELD_SEC_APP,
	  .flags = FIELD_SPARSE, .apps = NTP, .arg = META_NTP_RESPONSE_US, .get = g_meta_us_as_ms },
	PROTO_TEXT("ssdp_method", META_SSDP_METHOD, SSDP, "SSDP method", "ssdp",
		   "SSDP request: M-SEARCH or NOTIFY"),
	PROTO_TEXT("ssdp_type", META_SSDP_TYPE, SSDP, "SSDP type", "ssdp",
		   "SSDP search or notification target (ST / NT)"),
	PROTO_TEXT("snmp_version", META_SNMP_VERSION, SNMP, "SNMP version", "snmp",
		   "SNMP version: 1, 2c, 3"),
	PROTO_TEXT("snmp_community", META_SNMP_COMMUNITY, SNMP, "SNMP community", "snmp",
		   "SNMPv1 / v2c community string"),
	PROTO_LIST("snmp_pdu", META_SNMP_PDU, SNMP, "SNMP PDU", "snmp",
		   "SNMP PDU types seen: get-request, response, trap"),
	PROTO_TEXT("stun_method", META_STUN_METHOD, STUN, "STUN method", "stun",
		   "STUN / TURN method of the first message: Binding, Allocate"),
	PROTO_LIST("stun_class", META_STUN_CLASS, STUN, "STUN class", "stun",
		   "STUN message classes seen: request, success response"),
	PROTO_TEXT("stun_software", META_STUN_SOFTWARE, STUN, "STUN software", "stun",
		   "STUN SOFTWARE attribute"),
	PROTO_LIST("dhcp_type", META_DHCP_TYPE, DHCP, "DHCP messages", "dhcp",
		   "DHCP / DHCPv6 message types seen: discover, ack, solicit, reply"),
	PROTO_TEXT("dhcp_hostname", META_DHCP_HOSTNAME, DHCP, "DHCP host name", "dhcp host",
		   "host name the client gave (DHCP option 12, DHCPv6 Client FQDN)"),
	PROTO_TEXT("dhcp_client_mac", META_DHCP_CLIENT_MAC, DHCP, "DHCP client MAC", "dhcp mac",
		   "client's hardware address (chaddr, DHCPv6 DUID)"),
	PROTO_TEXT("netbios_name", META_NETBIOS_NAME, NBNS, "NetBIOS name", "host",
		   "NetBIOS name asked or registered: WORKGROUP<1d>"),
	PROTO_TEXT("mqtt_version", META_MQTT_VERSION, MQTT, "MQTT version", "mqtt",
		   "MQTT version: 3.1, 3.1.1, 5.0"),
	PROTO_TEXT("mqtt_client_id", META_MQTT_CLIENT_ID, MQTT, "MQTT client", "mqtt",
		   "MQTT client identifier"),
	PROTO_TEXT("mqtt_topic", META_MQTT_TOPIC, MQTT, "MQTT topic", "mqtt",
		   "first MQTT topic published or subscribed to"),
	PROTO_TEXT("bt_info_hash", META_BT_INFO_HASH, BT, "Info hash", "bittorrent",
		   "BitTorrent info_hash, hex (handshake or DHT)"),
	PROTO_LIST("bt_client", META_BT_CLIENT, BT, "BitTorrent clients", "bittorrent",
		   "each peer's client from its peer id: qBittorrent 4250"),
	PROTO_LIST("bt_dht_query", META_BT_DHT_QUERY, BT, "DHT queries", "bittorrent",
		   "BitTorrent DHT methods queried: get_peers, find_node"),
	PROTO_TEXT("xmpp_to", META_XMPP_TO, XMPP, "XMPP domain", "xmpp host",
		   "XMPP: the domain the client's stream is addressed to (to=)"),
	PROTO_TEXT("ftp_server", META_FTP_SERVER, FTP, "FTP server", "ftp",
		   "FTP server's greeting (220): its software, vsFTPd 3.0.3"),
	PROTO_TEXT("ftp_user", META_FTP_USER, FTP, "FTP user", "ftp",
		   "FTP user name (USER; the password is never kept)"),
	PROTO_LIST("ftp_commands", META_FTP_COMMANDS, FTP, "FTP commands", "ftp",
		   "FTP commands sent, each once: USER, PASV, RETR"),
	PROTO_LIST("ftp_replies", META_FTP_REPLIES, FTP, "FTP replies", "ftp",
		   "FTP reply codes received, each once: 220, 230, 550"),
	PROTO_TEXT("ftp_control", META_FTP_CONTROL, FTP_DATA, "FTP control", "ftp",
		   "FTP-DATA: the control connection that set it up, 10.0.0.1:40000 -> 10.0.0.2:21"),
	PROTO_TEXT("ftp_data_setup", META_FTP_DATA_SETUP, FTP_DATA, "FTP data setup", "ftp",
		   "FTP-DATA: the command that set it up: PASV, EPSV, PORT, EPRT"),
	PROTO_LIST("wg_type", META_WG_TYPE, WG, "WireGuard messages", "wireguard",
		   "WireGuard message types seen: Handshake Initiation, Transport Data"),
	PROTO_TEXT("wg_sender", META_WG_SENDER, WG, "WG sender index", "wireguard",
		   "WireGuard: sender index of the first handshake initiation, 0x1a2b3c4d"),
	PROTO_TEXT("wg_receiver", META_WG_RECEIVER, WG, "WG receiver index", "wireguard",
		   "WireGuard: sender index of the first handshake response"),
	PROTO_UINT("wg_handshakes", META_WG_HANDSHAKES, WG, "WG handshakes",
		   "WireGuard handshake initiations seen: wg_handshakes>3"),
	PROTO_LIST("openvpn_opcode", META_OVPN_OPCODE, OVPN, "OpenVPN opcodes", "openvpn",
		   "OpenVPN opcodes seen: P_CONTROL_HARD_RESET_CLIENT_V2, P_DATA_V2"),
	PROTO_TEXT("openvpn_src_session", META_OVPN_SRC_SESSION, OVPN, "Initiator session",
		   "openvpn", "OpenVPN: the initiator's session id, 16 hex digits"),
	PROTO_TEXT("openvpn_dst_session", META_OVPN_DST_SESSION, OVPN, "Responder session",
		   "openvpn", "OpenVPN: the responder's session id"),
	PROTO_TEXT("arp_src_mac", META_ARP_SRC_MAC, 0, "Initiator MAC", "mac arp",
		   "ARP: the initiator's hardware address (sender of the first packet)"),
	PROTO_TEXT("arp_src_vendor", META_ARP_SRC_VENDOR, 0, "Initiator vendor", "vendor arp",
		   "ARP: the initiator's vendor, from the IEEE OUI registry"),
	PROTO_TEXT("arp_dst_mac", META_ARP_DST_MAC, 0, "Responder MAC", "mac arp",
		   "ARP: the responder's hardware address (from its reply)"),
	PROTO_TEXT("arp_dst_vendor", META_ARP_DST_VENDOR, 0, "Responder vendor", "vendor arp",
		   "ARP: the responder's vendor, from the IEEE OUI registry"),
	ROW_COUNT("src_packets", src_packets, FIELD_UNIT_COUNT, "Initiator packets",
		  "packets the initiator sent"),
	ROW_COUNT("src_bytes", src_bytes, FIELD_UNIT_BYTES, "Initiator bytes",
		  "bytes the initiator sent"),
	ROW_COUNT("dst_packets", dst_packets, FIELD_UNIT_COUNT, "Responder packets",
		  "packets the responder sent"),
	ROW_COUNT("dst_bytes", dst_bytes, FIELD_UNIT_BYTES, "Responder bytes",
		  "bytes the responder sent"),
	{ JSON("rtt_ms"), .label = "RTT", .keywords = "rtt_ms rtt",
	  .help = "TCP round trip, ms: smoothed from data to its ACK, else the handshake's: rtt>100",
	  .type = FIELD_REAL, .unit = FIELD_UNIT_MS, .section = FIELD_SEC_HEALTH,
	  .flags = FIELD_SPARSE | FIELD_COLUMN, COL("RTT", 8, 6, 11), .get = g_rtt },
	{ JSON("icmp_response_ms"), .label = "Echo response", .keywords = "icmp_response_ms",
	  .help = "ICMP echo: the latest answered request to its reply, ms (tshark: icmp.resptime)",
	  .type = FIELD_REAL, .unit = FIELD_UNIT_MS, .section = FIELD_SEC_HEALTH,
	  .flags = FIELD_SPARSE, .arg = META_ICMP_RESPONSE_US, .get = g_meta_us_as_ms },
	{ JSON("icmp_error"), .label = "ICMP error", .keywords = "icmp_error",
	  .help = "the first ICMP error about it: port unreachable, TTL exceeded in transit",
	  .type = FIELD_TEXT, .section = FIELD_SEC_HEALTH, .flags = FIELD_SPARSE,
	  .get = g_icmp_error },
	{ JSON("icmp_error_from"), .label = "ICMP error from", .keywords = "icmp_error_from",
	  .help = "who sent that error: the remote end, or a router on the way", .type = FIELD_TEXT,
	  .section = FIELD_SEC_HEALTH, .flags = FIELD_SPARSE, .arg = META_ICMP_ERROR_FROM,
	  .get = g_meta_str },
	{ JSON("icmp_errors"), .label = "ICMP errors", .keywords = "icmp_errors",
	  .help = "ICMP errors that quoted its packets: icmp_errors>1", .type = FIELD_UINT,
	  .unit = FIELD_UNIT_COUNT, .section = FIELD_SEC_HEALTH, .flags = FIELD_SPARSE,
	  .arg = META_ICMP_ERRORS, .get = g_meta_num },
	{ JSON("quic_handshake_rtt_ms"), .label = "QUIC handshake RTT",
	  .keywords = "quic_handshake_rtt_ms",
	  .help = "QUIC: client's first datagram to its first after the server's, ms",
	  .type = FIELD_REAL, .unit = FIELD_UNIT_MS, .section = FIELD_SEC_HEALTH,
	  .flags = FIELD_SPARSE, .arg = META_QUIC_HANDSHAKE_RTT_US, .get = g_meta_us_as_ms },
	{ JSON("handshake_rtt_ms"), .label = "Handshake RTT", .keywords = "handshake_rtt_ms rtt",
	  .help = "TCP: SYN to the ACK of the SYN+ACK, ms (tshark: tcp.analysis.initial_rtt)",
	  .type = FIELD_REAL, .unit = FIELD_UNIT_MS, .section = FIELD_SEC_HEALTH,
	  .flags = FIELD_SPARSE, .arg = META_TCP_HANDSHAKE_RTT_US, .get = g_meta_us_as_ms },
	{ JSON("rtt_spikes"), .label = "RTT spikes", .keywords = "rtt_spikes",
	  .help = "TCP round-trip samples over SRTT + 4*RTTVAR and --findings-rtt-spike over SRTT",
	  .type = FIELD_UINT, .unit = FIELD_UNIT_COUNT, .section = FIELD_SEC_HEALTH,
	  .flags = FIELD_SPARSE, .arg = META_TCP_RTT_SPIKES, .get = g_meta_num },
	{ JSON("rtt_spike_max_ms"), .label = "Largest RTT spike", .keywords = "rtt_spike_max_ms",
	  .help = "TCP: the largest of those samples, data to its ACK, ms: rtt_spike_max_ms>500",
	  .type = FIELD_REAL, .unit = FIELD_UNIT_MS, .section = FIELD_SEC_HEALTH,
	  .flags = FIELD_SPARSE, .arg = META_TCP_RTT_SPIKE_MAX_US, .get = g_meta_us_as_ms },
	{ JSON("rtt_spike_at"), .label = "Largest spike at", .keywords = "rtt_spike_at",
	  .help = "TCP: time of the ACK that ended the largest spike, epoch seconds",
	  .type = FIELD_TIME, .section = FIELD_SEC_HEALTH, .flags = FIELD_SPARSE,
	  .arg = META_TCP_RTT_SPIKE_AT_US, .get = g_meta_num },
	TCP_COUNTS("retransmits", META_TCP_RETRANSMITS, "Retransmissions",
		   "TCP segments retransmitted (tshark: tcp.analysis.retransmission),",
		   "Init retransmits", "Resp retransmits", FIELD_COLUMN, COL("Retr", 5, 4, 12)),
	TCP_COUNTS("out_of_order", META_TCP_OUT_OF_ORDER, "Out of order",
		   "TCP segments out of order (tcp.analysis.out_of_order),",
		   "Init out of order", "Resp out of order", 0, NO_COL),
	TCP_COUNTS("dup_acks", META_TCP_DUP_ACKS, "Duplicate ACKs",
		   "TCP duplicate ACKs (tcp.analysis.duplicate_ack),",
		   "Init dup ACKs", "Resp dup ACKs", 0, NO_COL),
	TCP_COUNTS("zero_windows", META_TCP_ZERO_WINDOWS, "Zero windows",
		   "TCP segments announcing a zero window (tcp.analysis.zero_window),",
		   "Init zero windows", "Resp zero windows", 0, NO_COL),
	{ VIEW("packets"), .label = "Packets", .keywords = "packets",
	  .help = "packets both ways: packets>=10", .type = FIELD_UINT, .unit = FIELD_UNIT_COUNT,
	  .section = FIELD_SEC_TRAFFIC, .flags = FIELD_VIEW, .get = g_packets },
	{ VIEW("rxbytes"), .label = "Received", .keywords = "rxbytes",
	  .help = "bytes received by the local side", .type = FIELD_UINT, .unit = FIELD_UNIT_BYTES,
	  .section = FIELD_SEC_TRAFFIC, .flags = FIELD_VIEW, .get = g_rxbytes },
	{ VIEW("txbytes"), .label = "Sent", .keywords = "txbytes",
	  .help = "bytes sent by the local side", .type = FIELD_UINT, .unit = FIELD_UNIT_BYTES,
	  .section = FIELD_SEC_TRAFFIC, .flags = FIELD_VIEW, .get = g_txbytes },
	{ VIEW("rate"), .label = "Rate", .keywords = "rate",
	  .help = "bytes per second both ways: rate>100k", .type = FIELD_REAL,
	  .unit = FIELD_UNIT_RATE, .section = FIELD_SEC_TRAFFIC, .flags = FIELD_VIEW,
	  .get = g_rate },
	{ JSON("first_seen"), .label = "First seen", .keywords = "first_seen",
	  .help = "time of the first packet, epoch seconds", .type = FIELD_TIME,
	  .section = FIELD_SEC_TIMING, .arg = offsetof(struct conn_row, first_seen_us),
	  .get = g_time },
	{ JSON("last_seen"), .label = "Last seen", .keywords = "last_seen",
	  .help = "time of the last packet, epoch seconds", .type = FIELD_TIME,
	  .section = FIELD_SEC_TIMING, .arg = offsetof(struct conn_row, last_seen_us),
	  .get = g_time },
	{ VIEW("age"), .label = "Age", .keywords = "age", .help = "time since first packet: age<10s",
	  .type = FIELD_REAL, .unit = FIELD_UNIT_SECONDS, .section = FIELD_SEC_TIMING,
	  .flags = FIELD_VIEW, .get = g_age },
	{ VIEW("idle"), .label = "Idle", .keywords = "idle", .help = "time since last packet: idle>5m",
	  .type = FIELD_REAL, .unit = FIELD_UNIT_SECONDS, .section = FIELD_SEC_TIMING,
	  .flags = FIELD_VIEW, .get = g_idle },
	{ VIEW("expires"), .label = "Expires in", .keywords = "expires",
	  .help = "time left before an idle connection is retired", .type = FIELD_REAL,
	  .unit = FIELD_UNIT_SECONDS, .section = FIELD_SEC_TIMING, .flags = FIELD_VIEW,
	  .get = g_expires },
	{ VIEW("id"), .label = "Id", .keywords = "id", .help = "wiretop's number for the connection",
	  .type = FIELD_UINT, .section = FIELD_SEC_CONNECTION, .flags = FIELD_VIEW, .get = g_id },
	{ JSON("pid"), .label = "PID", .keywords = "pid",
	  .help = "process id contains the digits; pid=1234 is exact", .type = FIELD_UINT,
	  .section = FIELD_SEC_PROCESS, .flags = FIELD_PROC, .get = g_pid },
	{ JSON("process"), .label = "Process", .keywords = "process", .help = "process name",
	  .type = FIELD_TEXT, .section = FIELD_SEC_PROCESS,
	  .flags = FIELD_PROC | FIELD_ANY | FIELD_COLUMN, COL("Process", 14, 6, 1),
	  .get = g_process, .show = s_process },
	{ JSON("user"), .label = "User", .keywords = "user", .help = "user owning the process",
	  .type = FIELD_TEXT, .section = FIELD_SEC_PROCESS, .flags = FIELD_PROC | FIELD_ANY,
	  .get = g_user },
	{ JSON("uid"), .label = "UID", .keywords = "uid", .help = "user id owning the process",
	  .type = FIELD_UINT, .section = FIELD_SEC_PROCESS, .flags = FIELD_PROC, .get = g_uid },
	{ JSON("unit"), .label = "Unit", .keywords = "unit",
	  .help = "systemd unit of the process: nginx.service, user@1000.service/app.slice/...",
	  .type = FIELD_TEXT, .section = FIELD_SEC_PROCESS, .flags = FIELD_PROC | FIELD_ANY,
	  .arg = ROW_PLACE_UNIT, .get = g_place },
	{ JSON("container"), .label = "Container", .keywords = "container",
	  .help = "Docker, Podman, containerd, CRI-O or LXC container: its name, else its short id",
	  .type = FIELD_TEXT, .section = FIELD_SEC_PROCESS, .flags = FIELD_PROC | FIELD_ANY,
	  .arg = ROW_PLACE_CONTAINER, .get = g_place },
	{ JSON("pod"), .label = "Pod", .keywords = "pod",
	  .help = "Kubernetes pod: namespace/name, else its UID", .type = FIELD_TEXT,
	  .section = FIELD_SEC_PROCESS, .flags = FIELD_PROC | FIELD_ANY, .arg = ROW_PLACE_POD,
	  .get = g_place },
	{ JSON("process_match"), .label = "Matched by", .keywords = "process_match",
	  .help = "how the process was found: socket, preexisting, netns, listener (a guess)",
	  .type = FIELD_TEXT, .section = FIELD_SEC_PROCESS, .flags = FIELD_PROC,
	  .get = g_process_match, .show = s_process_match },
	{ JSON("process_parents"), .label = "Parents", .keywords = "parent",
	  .help = "the processes that started it (up to 4, nearest first): any one's name or executable",
	  .type = FIELD_PROCS, .section = FIELD_SEC_PROCESS, .flags = FIELD_PROC,
	  .get = g_parents },
	{ JSON("peer_pid"), .label = "Peer PID", .keywords = "peer_pid",
	  .help = "process id at the other end, when that is on this host too", .type = FIELD_UINT,
	  .section = FIELD_SEC_PROCESS, .flags = FIELD_PEER, .get = g_peer_pid },
	{ JSON("peer_process"), .label = "Peer", .keywords = "peer_process process",
	  .help = "process at the other end (loopback, a container on a veth)", .type = FIELD_TEXT,
	  .section = FIELD_SEC_PROCESS, .flags = FIELD_PEER | FIELD_ANY, .get = g_peer_process,
	  .show = s_peer },
	{ JSON("peer_user"), .label = "Peer user", .keywords = "peer_user user",
	  .help = "user owning the process at the other end", .type = FIELD_TEXT,
	  .section = FIELD_SEC_PROCESS, .flags = FIELD_PEER | FIELD_ANY, .get = g_peer_user },
};

const struct field *field_all(size_t *n)
{
	*n = ARRAY_LEN(fields);
	return fields;
}

const struct field *field_at(size_t i)
{
	return i < ARRAY_LEN(fields) ? &fields[i] : NULL;
}
