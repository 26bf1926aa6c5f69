/* full_row.c - see full_row.h. */
#include "full_row.h"

#include <stdio.h>
#include <string.h>

#include "base/strpool.h"
#include "flow/state.h"

const char *pooled_name(const char *s)
{
	struct strpool *p = strpool_new();
	const char *ref = strpool_get(p, s);
	strpool_free(p);
	return ref;
}

static void tcp_row(struct conn_row *r)
{
	memset(r, 0, sizeof *r);
	meta_init(&r->meta);
	r->id = 7;
	r->l4 = L4_TCP;
	r->family = 4;
	r->local_side = 0;
	r->gateway = true;
	const uint8_t src[4] = { 192, 0, 2, 10 }, dst[4] = { 198, 51, 100, 20 };
	memcpy(r->src, src, 4);
	memcpy(r->dst, dst, 4);
	r->sport = 40000;
	r->dport = 443;
	r->state = FS_TCP + TCP_ST_ESTABLISHED;
	r->src_packets = 10;
	r->src_bytes = 1200;
	r->dst_packets = 12;
	r->dst_bytes = 34000;
	r->first_seen_us = 1700000000000000ull;
	r->last_seen_us = 1700000005000000ull;
	r->expires_us = 1700000300000000ull;
	r->src_rate = 100;
	r->dst_rate = 2000;
	struct flow_meta *m = &r->meta;
	m->app = APP_TLS;
	m->app_state = APP_STATE_SSH_ESTABLISHED;
	m->dns_qtype = 28;
	m->tls_version = 0x0304;
	m->tls_cipher = 0x1301;
	/* every key both ways: each field reads the kind it wants */
	for (int k = 0; k < META_KEY_COUNT; k++) {
		char s[32];
		int n = snprintf(s, sizeof s, "value%d", k);
		meta_set_str(m, (enum meta_key)k, (const uint8_t *)s, (size_t)n);
		meta_set_num(m, (enum meta_key)k, (uint64_t)k + 1);
	}
	meta_set_num(m, META_QUIC_VERSION, 1);
	meta_set_num(m, META_QUIC_IDLE_MS, 30000);
	meta_set_num(m, META_TCP_RTT_SPIKE_AT_US, 1700000003000000ull);
	r->proc.pid = 4242;
	r->proc.uid = 1000;
	r->proc.name = pooled_name("curl");
	r->proc.user = pooled_name("alice");
	r->proc_side = 0;
	r->proc_match = PROC_MATCH_SOCKET;
	const char *place[ROW_PLACE_PARTS] = { "user@1000.service/app.slice/curl.scope", "web",
					       "shop/web-7d4b9",
					       /* started by a shell of a login session */
					       "4100", "bash", "/usr/bin/bash",
					       "731", "sshd", "/usr/sbin/sshd",
					       "", "", "", "", "", "" };
	struct strpool *pool = strpool_new();
	r->place = strpool_get_parts(pool, place, ROW_PLACE_PARTS);
	const char *lan[ROW_LAN_PARTS] = { "3c:22:fb:01:02:03", "02:42:ac:11:00:1e",
					   "locally administered" };
	r->lan = strpool_get_parts(pool, lan, ROW_LAN_PARTS);
	strpool_free(pool);
	r->peer.pid = 4343;
	r->peer.name = pooled_name("nginx");
	r->peer.user = pooled_name("www-data");
	/* it came through a VXLAN tunnel (VNI 42) between two VTEPs */
	struct pkt_tunnel tun = { .type = TUNNEL_VXLAN, .family = 4, .has_id = 1, .id = 42 };
	const uint8_t vtep_a[4] = { 203, 0, 113, 1 }, vtep_b[4] = { 203, 0, 113, 2 };
	memcpy(tun.src, vtep_a, 4);
	memcpy(tun.dst, vtep_b, 4);
	row_set_tunnel(r, &tun);
}

bool full_row(struct conn_row *r, int variant)
{
	static const uint16_t protos[] = { L4_TCP, L4_ESP, L4_GRE, L4_IGMP };
	const int nprotos = (int)(sizeof protos / sizeof protos[0]);
	if (variant < 0 || variant >= nprotos + APP_COUNT - 1)
		return false;
	tcp_row(r);
	if (variant >= nprotos) { /* a TCP row of each application, for its own fields */
		r->meta.app = (uint8_t)(variant - nprotos + 1);
		variant = 0;
	}
	r->l4 = protos[variant];
	if (variant == 1) { /* opened from outside: the initiator is the remote end */
		r->local_side = 1;
		r->peer_name = pooled_name("peer.example");
		r->peer_name_source = NAME_PTR;
	}
	r->has_xid = 1;
	r->xid = 0x1234;
	r->igmp_group = 0xef010203;
	return true;
}
