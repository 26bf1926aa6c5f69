#include "output/json.h"

#include <stdbool.h>
#include <string.h>

#include "base/addrtext.h"
#include "decode/decode.h"

static bool needs_escape(unsigned char c) { return c == '"' || c == '\\' || c < 0x20 || c >= 0x7f; }

static void put_escaped(struct outbuf *o, const char *s, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	outbuf_putc(o, '"');
	size_t clean = 0;
	while (clean < n && !needs_escape((unsigned char)s[clean]))
		clean++;
	outbuf_write(o, s, clean); /* stored strings are sanitized: usually all of it */
	for (size_t i = clean; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c == '"' || c == '\\') {
			outbuf_putc(o, '\\');
			outbuf_putc(o, (char)c);
		} else if (c < 0x20 || c >= 0x7f) {
			char e[6] = { '\\', 'u', '0', '0', hex[c >> 4], hex[c & 15] };
			outbuf_write(o, e, 6);
		} else {
			outbuf_putc(o, (char)c);
		}
	}
	outbuf_putc(o, '"');
}

/* Keys are literals with their separator: ", \"name\": " written in one go. */
#define KEY(name) ", \"" name "\": ", sizeof(", \"" name "\": ") - 1

static void put_str_or_null(struct outbuf *o, const char *k, size_t kn, const char *v)
{
	outbuf_write(o, k, kn);
	if (v)
		put_escaped(o, v, strlen(v));
	else
		outbuf_puts(o, "null");
}

static void put_u64(struct outbuf *o, const char *k, size_t kn, uint64_t v)
{
	outbuf_write(o, k, kn);
	outbuf_u64(o, v);
}

static void put_time(struct outbuf *o, const char *k, size_t kn, uint64_t us)
{
	outbuf_write(o, k, kn);
	outbuf_u64(o, us / 1000000);
	char frac[8];
	uint64_t f = us % 1000000;
	frac[0] = '.';
	for (int i = 6; i >= 1; i--) {
		frac[i] = (char)('0' + f % 10);
		f /= 10;
	}
	outbuf_write(o, frac, 7);
}

static void put_list(struct outbuf *o, const char *k, size_t kn, const char *v)
{
	outbuf_write(o, k, kn);
	if (!v) {
		outbuf_puts(o, "null");
		return;
	}
	outbuf_putc(o, '[');
	for (const char *p = v;;) {
		const char *sep = strchr(p, META_LIST_SEP);
		size_t n = sep ? (size_t)(sep - p) : strlen(p);
		if (p != v)
			outbuf_puts(o, ", ");
		put_escaped(o, p, n);
		if (!sep)
			break;
		p = sep + 1;
	}
	outbuf_putc(o, ']');
}

static void put_dpi(struct outbuf *o, const struct conn_row *r)
{
	const struct flow_meta *m = &r->meta;
	char tmp[16];
	put_str_or_null(o, KEY("app"), meta_app_name(m, r->dport));
	put_str_or_null(o, KEY("http_host"), meta_str(m, META_HTTP_HOST));
	put_str_or_null(o, KEY("http_method"), meta_str(m, META_HTTP_METHOD));
	put_str_or_null(o, KEY("http_path"), meta_str(m, META_HTTP_PATH));
	put_str_or_null(o, KEY("sni"), meta_str(m, META_SNI));
	put_list(o, KEY("alpn"), meta_str(m, META_ALPN));
	put_str_or_null(o, KEY("tls_version"), meta_tls_version_name(m->tls_version));
	put_str_or_null(o, KEY("dns_query"), meta_str(m, META_DNS_QUERY));
	put_str_or_null(o, KEY("dns_qtype"),
			m->dns_qtype ? meta_dns_qtype_name(m->dns_qtype, tmp, sizeof tmp) : NULL);
	put_str_or_null(o, KEY("ssh_client"), meta_str(m, META_SSH_CLIENT));
	put_str_or_null(o, KEY("ssh_server"), meta_str(m, META_SSH_SERVER));
	outbuf_write(o, KEY("quic_version"));
	if (m->quic_version) {
		static const char hex[] = "0123456789abcdef";
		char v[12] = { '"', '0', 'x' };
		for (int i = 0; i < 8; i++)
			v[3 + i] = hex[(m->quic_version >> (28 - 4 * i)) & 15];
		v[11] = '"';
		outbuf_write(o, v, sizeof v);
	} else {
		outbuf_puts(o, "null");
	}
}

static void put_u64_or_null(struct outbuf *o, const char *k, size_t kn, bool has, uint64_t v)
{
	outbuf_write(o, k, kn);
	if (has)
		outbuf_u64(o, v);
	else
		outbuf_puts(o, "null");
}

/* What identifies a connection beyond addresses and ports, by protocol. */
static void put_ids(struct outbuf *o, const struct conn_row *r)
{
	bool ipsec = r->l4 == L4_ESP || r->l4 == L4_AH;
	put_u64_or_null(o, KEY("spi"), ipsec && r->has_xid, r->xid);
	put_u64_or_null(o, KEY("gre_key"), r->l4 == L4_GRE && r->has_xid, r->xid);
	char g[ADDR_TEXT_MAX];
	uint8_t a[16] = { (uint8_t)(r->igmp_group >> 24), (uint8_t)(r->igmp_group >> 16),
			  (uint8_t)(r->igmp_group >> 8), (uint8_t)r->igmp_group };
	if (r->l4 == L4_IGMP)
		addr_text(g, 4, a);
	put_str_or_null(o, KEY("igmp_group"), r->l4 == L4_IGMP ? g : NULL);
}

void json_write_row(struct outbuf *o, const struct conn_row *r, bool with_proc)
{
	char a[ADDR_TEXT_MAX];
	outbuf_puts(o, "{\"proto\": \"");
	outbuf_puts(o, decode_proto_name(r->l4));
	outbuf_putc(o, '"');
	addr_text(a, r->family, r->src);
	put_str_or_null(o, KEY("src_ip"), a);
	put_u64(o, KEY("src_port"), r->sport);
	addr_text(a, r->family, r->dst);
	put_str_or_null(o, KEY("dst_ip"), a);
	put_u64(o, KEY("dst_port"), r->dport);
	put_ids(o, r);
	put_str_or_null(o, KEY("state"), r->state);
	put_dpi(o, r);
	put_u64(o, KEY("src_packets"), r->src_packets);
	put_u64(o, KEY("src_bytes"), r->src_bytes);
	put_u64(o, KEY("dst_packets"), r->dst_packets);
	put_u64(o, KEY("dst_bytes"), r->dst_bytes);
	put_time(o, KEY("first_seen"), r->first_seen_us);
	put_time(o, KEY("last_seen"), r->last_seen_us);
	if (with_proc && r->proc.pid > 0) {
		put_u64(o, KEY("pid"), (uint64_t)r->proc.pid);
		put_str_or_null(o, KEY("process"), r->proc.name);
		put_str_or_null(o, KEY("user"), r->proc.user[0] ? r->proc.user : NULL);
	}
	if (with_proc && r->peer.pid > 0) {
		put_u64(o, KEY("peer_pid"), (uint64_t)r->peer.pid);
		put_str_or_null(o, KEY("peer_process"), r->peer.name);
		put_str_or_null(o, KEY("peer_user"), r->peer.user[0] ? r->peer.user : NULL);
	}
	outbuf_puts(o, "}\n");
}
