/* fake_rows.h - made-up connections for the UI's tests, demo and benchmark:
 * a fixed set with known DPI fields, and a generator for many rows.
 * Header-only so each test program stays a single file.
 */
#ifndef WT_TESTS_FAKE_ROWS_H
#define WT_TESTS_FAKE_ROWS_H

#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "base/strpool.h"
#include "decode/pkt.h"
#include "flow/row.h"
#include "flow/state.h"

#define FAKE_NOW 1700000000000000ULL
#define FAKE_SEC 1000000ULL

struct fake_spec {
	uint16_t l4;
	uint8_t family;
	int8_t local_side;
	bool closed;
	const char *src, *dst;
	uint16_t sport, dport;
	const char *state;
	uint8_t app, app_state;
	const char *sni, *host, *path, *dns, *ssh_client, *ssh_server, *alpn;
	const char *proc, *user;
	int32_t pid;
	uint64_t sbytes, dbytes;
	double srate, drate;
	uint32_t age_s, idle_s, expires_in_s;
};

enum {
	FAKE_GITHUB, FAKE_GOOGLE, FAKE_HTTP, FAKE_DNS, FAKE_SSH, FAKE_PING, FAKE_CLOSED,
	FAKE_EVIL, FAKE_V6, FAKE_ARP, FAKE_COUNT
};

static const struct fake_spec fake_specs[FAKE_COUNT] = {
	[FAKE_GITHUB] = { L4_TCP, 4, 0, false, "192.168.1.10", "140.82.112.3", 51514, 443,
			  "ESTABLISHED", APP_TLS, 0, "github.com", NULL, NULL, NULL, NULL, NULL,
			  "h2", "firefox", "alice", 4242, 1200, 2500000, 150, 150000, 30, 1, 300 },
	[FAKE_GOOGLE] = { L4_UDP, 4, 0, false, "192.168.1.10", "142.250.1.1", 50000, 443,
			  "QUIC_CONNECTED", APP_QUIC, APP_STATE_QUIC_CONNECTED, "www.google.com",
			  NULL, NULL, NULL, NULL, NULL, "h3", "chrome", "alice", 5555, 20000,
			  3000000, 1000, 2000000, 600, 0, 30 },
	[FAKE_HTTP] = { L4_TCP, 4, 0, false, "192.168.1.10", "93.184.216.34", 40001, 80,
			"FIN_WAIT1", APP_HTTP, 0, NULL, "neverssl.com", "/index.html", NULL, NULL,
			NULL, NULL, "curl", "bob", 31337, 300, 4000, 0, 0, 12, 2, 100 },
	[FAKE_DNS] = { L4_UDP, 4, 0, false, "192.168.1.10", "9.9.9.9", 40000, 53, "DNS_RESPONSE",
		       APP_DNS, APP_STATE_DNS_RESPONSE, NULL, NULL, NULL, "wiretop.example", NULL,
		       NULL, NULL, "systemd-resolve", "systemd-resolve", 321, 80, 120, 0, 0, 5,
		       5, 25 },
	[FAKE_SSH] = { L4_TCP, 4, 1, false, "203.0.113.9", "10.0.0.5", 60000, 22, "ESTABLISHED",
		       APP_SSH, APP_STATE_SSH_ESTABLISHED, NULL, NULL, NULL, NULL,
		       "SSH-2.0-PuTTY_Release_0.78", "SSH-2.0-OpenSSH_9.2p1 Debian-2", NULL,
		       "sshd", "root", 900, 5000, 9000, 10, 20, 7200, 60, 1800 },
	[FAKE_PING] = { L4_ICMP, 4, 0, false, "192.168.1.10", "8.8.8.8", 0, 0, "ECHO_REPLY", 0, 0,
			NULL, NULL, NULL, NULL, NULL, NULL, NULL, "ping", "bob", 77, 84, 84, 0, 0,
			1, 1, 4 },
	[FAKE_CLOSED] = { L4_TCP, 4, 0, true, "192.168.1.10", "10.1.2.3", 33333, 8443, "CLOSED",
			  0, 0, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, 0, 60, 0, 0,
			  0, 3, 3, 2 },
	[FAKE_EVIL] = { L4_TCP, 4, 0, false, "192.168.1.10", "198.51.100.7", 44444, 443,
			"ESTABLISHED", APP_TLS, 0, "evil\x1b[2J\x07.example", NULL, NULL, NULL,
			NULL, NULL, NULL, "wget", "bob", 4444, 500, 700, 0, 0, 9, 9, 200 },
	[FAKE_V6] = { L4_TCP, 6, 0, false, "2001:db8::10", "2606:4700::1111", 55555, 443,
		      "ESTABLISHED", APP_TLS, 0, "cloudflare-dns.com", NULL, NULL, NULL, NULL,
		      NULL, "h2", "firefox", "alice", 4242, 900, 1800, 5, 9, 50, 3, 250 },
	[FAKE_ARP] = { L4_ARP, 4, -1, false, "192.168.1.1", "192.168.1.10", 0, 0, "ARP_REPLY",
		       0, 0, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, 0, 42, 42, 0,
		       0, 20, 20, 40 },
};

static inline void fake_addr(uint8_t out[16], uint8_t family, const char *s)
{
	memset(out, 0, 16);
	if (inet_pton(family == 6 ? AF_INET6 : AF_INET, s, out) != 1)
		fprintf(stderr, "fake_rows: bad address %s\n", s);
}

static inline void fake_str(struct flow_meta *m, enum meta_key f, const char *s)
{
	if (s)
		meta_set_str(m, f, (const uint8_t *)s, strlen(s));
}

static inline void fake_meta(struct conn_row *r, const struct fake_spec *sp)
{
	struct flow_meta *m = &r->meta;
	m->app = sp->app;
	m->app_state = sp->app_state;
	if (sp->app == APP_TLS || sp->app == APP_QUIC)
		m->tls_version = 0x0304;
	if (sp->app == APP_QUIC)
		meta_set_num(m, META_QUIC_VERSION, 1);
	if (sp->dns)
		m->dns_qtype = 1;
	fake_str(m, META_SNI, sp->sni);
	fake_str(m, META_HTTP_HOST, sp->host);
	fake_str(m, META_HTTP_PATH, sp->path);
	if (sp->host)
		fake_str(m, META_HTTP_METHOD, "GET");
	fake_str(m, META_DNS_QUERY, sp->dns);
	fake_str(m, META_SSH_CLIENT, sp->ssh_client);
	fake_str(m, META_SSH_SERVER, sp->ssh_server);
	if (sp->alpn)
		meta_add_item(m, META_ALPN, (const uint8_t *)sp->alpn, strlen(sp->alpn));
	if (sp->l4 == L4_TCP) /* a round trip of 10 to 99 ms; the HTTP one lost two segments */
		meta_set_num(m, META_TCP_SRTT_US, (sp->sport % 90 + 10) * 1000u);
	if (sp->host)
		meta_set_num(m, META_TCP_RETRANSMITS_RESP, 2);
}

/* A name as rows hold it: a pooled copy (alone in its pool, which goes
 * with it); NULL for NULL or "". */
static inline const char *fake_name(const char *s)
{
	struct strpool *p = strpool_new();
	const char *ref = strpool_get(p, s);
	strpool_free(p);
	return ref;
}

static inline void fake_fill(struct conn_row *r, const struct fake_spec *sp, uint64_t id,
			     uint64_t now)
{
	r->id = id;
	r->l4 = sp->l4;
	r->family = sp->family;
	r->local_side = sp->local_side;
	r->closed = sp->closed;
	fake_addr(r->src, sp->family, sp->src);
	fake_addr(r->dst, sp->family, sp->dst);
	r->sport = sp->sport;
	r->dport = sp->dport;
	r->state = (uint8_t)flow_state_parse(sp->state);
	fake_meta(r, sp);
	r->proc.name = fake_name(sp->proc);
	r->proc.user = fake_name(sp->user);
	r->proc.pid = sp->pid;
	r->src_bytes = sp->sbytes;
	r->dst_bytes = sp->dbytes;
	r->src_packets = sp->sbytes / 100 + 1;
	r->dst_packets = sp->dbytes / 100 + 1;
	r->src_rate = sp->srate;
	r->dst_rate = sp->drate;
	r->first_seen_us = now - sp->age_s * FAKE_SEC;
	r->last_seen_us = now - sp->idle_s * FAKE_SEC;
	r->expires_us = now + sp->expires_in_s * FAKE_SEC;
}

/* The fixed set, ids 1 .. FAKE_COUNT. */
static inline struct snapshot *fake_snapshot(uint64_t now)
{
	struct snapshot *s = snapshot_new(FAKE_COUNT);
	for (int i = 0; i < FAKE_COUNT; i++)
		fake_fill(snapshot_push(s), &fake_specs[i], (uint64_t)i + 1, now);
	s->now_us = now;
	s->flows_total = FAKE_COUNT;
	return s;
}

static inline uint32_t fake_rand(uint64_t *st)
{
	*st = *st * 6364136223846793005ULL + 1442695040888963407ULL;
	return (uint32_t)(*st >> 33);
}

/* n generated rows (ids from first_id), a mix of protocols and DPI. */
static inline void fake_bulk(struct snapshot *s, uint32_t n, uint64_t first_id, uint64_t now,
			     uint64_t seed)
{
	static const char *const names[] = {
		"api.github.com", "www.google.com", "fonts.gstatic.com", "cdn.jsdelivr.net",
		"example.org", "updates.debian.org", "ocsp.digicert.com", "s3.amazonaws.com",
		"login.microsoftonline.com", "slack.com", "zoom.us", "registry.npmjs.org",
	};
	static const char *const procs[] = { "firefox", "chrome", "curl", "sshd", "python3",
					     "node", "systemd-resolve", "" };
	static const char *const states[] = { "ESTABLISHED", "SYN_SENT", "TIME_WAIT",
					      "FIN_WAIT2", "CLOSE_WAIT", "UDP_ACTIVE" };
	for (uint32_t i = 0; i < n; i++) {
		struct conn_row *r = snapshot_push(s);
		uint32_t x = fake_rand(&seed);
		r->id = first_id + i;
		r->l4 = x % 5 == 0 ? L4_UDP : L4_TCP;
		r->family = x % 11 == 0 ? 6 : 4;
		r->local_side = 0;
		r->src[0] = 192, r->src[1] = 168, r->src[2] = (uint8_t)(i >> 8), r->src[3] = (uint8_t)i;
		r->dst[0] = (uint8_t)(x >> 24 | 1), r->dst[1] = (uint8_t)(x >> 16);
		r->dst[2] = (uint8_t)(x >> 8), r->dst[3] = (uint8_t)x;
		r->sport = (uint16_t)(1024 + fake_rand(&seed) % 60000);
		r->dport = (uint16_t)(x % 3 ? 443 : x % 7 ? 80 : 22 + (uint16_t)(x % 9000));
		uint32_t y = fake_rand(&seed); /* independent of x */
		r->state = (uint8_t)flow_state_parse(states[y % 6]);
		if (x % 2)
			fake_str(&r->meta, META_SNI, names[(y >> 3) % 12]);
		r->meta.app = x % 2 ? APP_TLS : 0;
		r->proc.name = fake_name(procs[(x >> 5) % 8]);
		r->proc.pid = (int32_t)(100 + (x >> 7) % 30000);
		r->src_bytes = fake_rand(&seed) % 5000000;
		r->dst_bytes = fake_rand(&seed) % 50000000;
		r->src_packets = r->src_bytes / 700 + 1;
		r->dst_packets = r->dst_bytes / 1200 + 1;
		r->src_rate = (double)(fake_rand(&seed) % 100000);
		r->dst_rate = x % 4 ? 0 : (double)(fake_rand(&seed) % 10000000);
		r->first_seen_us = now - (uint64_t)(fake_rand(&seed) % 3600) * FAKE_SEC;
		r->last_seen_us = now - (uint64_t)(fake_rand(&seed) % 60) * FAKE_SEC;
		r->expires_us = now + (uint64_t)(fake_rand(&seed) % 300) * FAKE_SEC;
	}
}

#endif
