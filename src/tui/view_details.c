/* view_details.c - everything known about the selected connection:
 * endpoints and state, what DPI learned, counters and rates, timings, and
 * the owning process (plus the source's proc_detail lines).
 */
#include "tui/ui.h"

#include <stdio.h>
#include <string.h>

#include "tui/format.h"
#include "tui/pane.h"

#define KEY_W 16

static void kv_meta(struct pane *p, const char *key, const struct conn_row *r, enum meta_str f)
{
	const char *s = meta_str(&r->meta, f);
	if (!s)
		return;
	char b[META_STR_MAX * 4 + 1];
	snprintf(b, sizeof b, "%s", s);
	for (char *c = b; *c; c++) /* lists: items joined by META_LIST_SEP */
		if (*c == META_LIST_SEP)
			*c = ',';
	pane_kv(p, key, b);
}

static void endpoint_line(struct pane *p, const char *key, const struct conn_row *r,
			  const uint8_t *addr, uint16_t port, const char *name)
{
	char a[64], e[128];
	query_addr_text(a, sizeof a, addr, r->family);
	fmt_endpoint(e, sizeof e, a, r->family == 6, r, port, true);
	if (name)
		pane_kvf(p, key, "%s  (%s)", e, name);
	else
		pane_kv(p, key, e);
}

/* What tells the connection apart besides its addresses, by protocol. */
static void connection_ids(struct pane *p, const struct conn_row *r)
{
	if ((r->l4 == L4_ESP || r->l4 == L4_AH) && r->has_xid)
		pane_kvf(p, "SPI", "0x%08x", r->xid);
	if (r->l4 == L4_GRE && r->has_xid)
		pane_kvf(p, "GRE key", "%u", r->xid);
	if (r->l4 == L4_IGMP) {
		uint32_t g = r->igmp_group;
		pane_kvf(p, "Group", "%u.%u.%u.%u", g >> 24, (g >> 16) & 255, (g >> 8) & 255, g & 255);
	}
}

static void section_connection(struct pane *p, const struct conn_row *r)
{
	const char *app_state = meta_app_state_name((enum app_state)r->meta.app_state);
	const char *svc = query_app_name(r);
	pane_section(p, "Connection");
	pane_kvf(p, "Protocol", "%s over IPv%u", query_proto_name(r->l4), r->family);
	endpoint_line(p, "Local", r, query_local_addr(r), query_local_port(r), NULL);
	endpoint_line(p, "Remote", r, query_remote_addr(r), query_remote_port(r),
		      query_remote_name(r));
	connection_ids(p, r);
	pane_kvf(p, "State", "%s%s%s%s", r->state[0] ? r->state : "-",
		 app_state && strcmp(app_state, r->state) ? "  app: " : "",
		 app_state && strcmp(app_state, r->state) ? app_state : "",
		 r->closed ? "  (closed)" : "");
	pane_kv(p, "Service", svc ? svc : "-");
	pane_kv(p, "Initiator", r->local_side == 0 ? "local" : r->local_side == 1 ? "remote"
										   : "unknown");
	pane_kvf(p, "Id", "%llu", (unsigned long long)r->id);
}

static void section_tls(struct pane *p, const struct conn_row *r)
{
	const struct flow_meta *m = &r->meta;
	kv_meta(p, "SNI", r, META_SNI);
	kv_meta(p, "ALPN", r, META_ALPN);
	const char *v = meta_tls_version_name(m->tls_version);
	if (v)
		pane_kv(p, "TLS version", v);
	if (meta_str(m, META_TLS_CIPHER))
		kv_meta(p, "TLS cipher", r, META_TLS_CIPHER);
	else if (m->tls_cipher)
		pane_kvf(p, "TLS cipher", "0x%04x", m->tls_cipher);
	if (m->quic_version)
		pane_kvf(p, "QUIC version", "0x%08x", (unsigned)m->quic_version);
	if (m->quic_idle_timeout_ms)
		pane_kvf(p, "QUIC idle", "%u ms", (unsigned)m->quic_idle_timeout_ms);
}

static void section_http_dns_ssh(struct pane *p, const struct conn_row *r)
{
	const struct flow_meta *m = &r->meta;
	kv_meta(p, "HTTP host", r, META_HTTP_HOST);
	kv_meta(p, "HTTP method", r, META_HTTP_METHOD);
	kv_meta(p, "HTTP path", r, META_HTTP_PATH);
	kv_meta(p, "User-Agent", r, META_HTTP_UA);
	if (m->http_status)
		pane_kvf(p, "HTTP status", "%u", m->http_status);
	kv_meta(p, "DNS query", r, META_DNS_QUERY);
	if (m->dns_qtype) {
		char tb[16];
		pane_kv(p, "DNS type", meta_dns_qtype_name(m->dns_qtype, tb, sizeof tb));
	}
	if (m->has_dns_rcode)
		pane_kvf(p, "DNS rcode", "%u", m->dns_rcode);
	kv_meta(p, "DNS answers", r, META_DNS_ANSWERS);
	kv_meta(p, "SSH client", r, META_SSH_CLIENT);
	kv_meta(p, "SSH server", r, META_SSH_SERVER);
}

static void section_app(struct pane *p, const struct conn_row *r)
{
	const char *app = meta_app_name(&r->meta, r->dport);
	const char *st = meta_app_state_name((enum app_state)r->meta.app_state);
	pane_section(p, "Application (DPI)");
	pane_kv(p, "Protocol", app ? app : "not recognised");
	if (st)
		pane_kv(p, "App state", st);
	section_tls(p, r);
	section_http_dns_ssh(p, r);
}

static void section_traffic(struct pane *p, const struct conn_row *r)
{
	char b1[24], b2[24];
	pane_section(p, "Traffic");
	fmt_bytes(b1, sizeof b1, (double)r->src_bytes);
	pane_kvf(p, "Initiator sent", "%llu packets, %llu bytes (%s)",
		 (unsigned long long)r->src_packets, (unsigned long long)r->src_bytes, b1);
	fmt_bytes(b1, sizeof b1, (double)r->dst_bytes);
	pane_kvf(p, "Responder sent", "%llu packets, %llu bytes (%s)",
		 (unsigned long long)r->dst_packets, (unsigned long long)r->dst_bytes, b1);
	fmt_rate(b1, sizeof b1, query_rx_rate(r));
	fmt_rate(b2, sizeof b2, query_tx_rate(r));
	pane_kvf(p, "Rate", "rx %s  tx %s", b1, b2);
}

static void section_timing(struct pane *p, const struct conn_row *r, uint64_t now)
{
	char t[40], d[24];
	pane_section(p, "Timing");
	fmt_time(t, sizeof t, r->first_seen_us);
	fmt_duration(d, sizeof d, now > r->first_seen_us ? (double)(now - r->first_seen_us) / 1e6 : 0);
	pane_kvf(p, "First seen", "%s  (%s ago)", t, d);
	fmt_time(t, sizeof t, r->last_seen_us);
	fmt_duration(d, sizeof d, now > r->last_seen_us ? (double)(now - r->last_seen_us) / 1e6 : 0);
	pane_kvf(p, "Last seen", "%s  (%s ago)", t, d);
	if (r->expires_us) {
		fmt_duration(d, sizeof d, r->expires_us > now ? (double)(r->expires_us - now) / 1e6 : 0);
		pane_kv(p, "Expires in", r->expires_us > now ? d : "due");
	}
}

/* proc_detail's "key: value" lines. */
static void proc_lines(struct pane *p, const char *text)
{
	while (*text) {
		const char *nl = strchr(text, '\n');
		size_t n = nl ? (size_t)(nl - text) : strlen(text);
		char line[512], *colon;
		snprintf(line, sizeof line, "%.*s", (int)n, text);
		if ((colon = strstr(line, ": ")) != NULL) {
			*colon = '\0';
			pane_kv(p, line, colon + 2);
		} else if (line[0]) {
			pane_kv(p, "", line);
		}
		text += n + (nl ? 1 : 0);
	}
}

static void section_process(struct pane *p, const struct ui *ui, const struct conn_row *r)
{
	pane_section(p, "Process");
	if (r->proc.pid <= 0 && !r->proc.name[0]) {
		pane_kv(p, "Process", "unknown");
		return;
	}
	pane_kvf(p, "PID", "%d", (int)r->proc.pid);
	pane_kv(p, "Name", r->proc.name[0] ? r->proc.name : "-");
	pane_kvf(p, "User", "%s (uid %u)", r->proc.user[0] ? r->proc.user : "-",
		 (unsigned)r->proc.uid);
	if (ui->proc_pid == r->proc.pid)
		proc_lines(p, ui->proc_text);
	if (r->peer.pid > 0)
		pane_kvf(p, "Peer", "%s (pid %d, %s) at the %s end", r->peer.name, (int)r->peer.pid,
			 r->peer.user[0] ? r->peer.user : "-",
			 r->proc_side == 1 ? "initiating" : "responding");
}

int view_details_draw(const struct ui *ui, int y0, int h)
{
	struct pane p;
	pane_init(&p, ui, y0, h, ui->detail_scroll, KEY_W);
	if (!ui->have_detail) {
		pane_text(&p, "No connection selected: pick one in the overview and press Enter.",
			  ROLE_CLOSED);
		return p.n;
	}
	const struct conn_row *r = &ui->detail;
	if (ui->detail_gone)
		pane_text(&p, "This connection is gone; its last known state:", ROLE_EXPIRING);
	section_connection(&p, r);
	section_app(&p, r);
	section_traffic(&p, r);
	section_timing(&p, r, model_now(&ui->model));
	section_process(&p, ui, r);
	return p.n;
}
