/* columns.c - the overview's column table and its layout on narrow screens:
 * columns drop in a fixed order (highest drop rank first) until the rest
 * fits; the flexible column takes whatever width is left.
 */
#include "tui/columns.h"

#include <stdio.h>
#include <string.h>

#include "query/query.h"
#include "tui/format.h"

static void c_proto(const struct conn_row *r, const struct cell_ctx *c, char *b, size_t cap)
{
	snprintf(b, cap, "%s", query_proto_name(r->l4));
}

/* A long host loses its end, not its port: "api.example…:https". Hosts
 * are ASCII (addresses, sanitized names), so bytes are columns. */
static void keep_port(char *b, size_t cap, const struct cell_ctx *c)
{
	size_t len = strlen(b);
	const char *colon = strrchr(b, ':');
	if (c->width <= 0 || len <= (size_t)c->width || !colon)
		return;
	const char *mark = c->utf8 ? "\u2026" : "~";
	size_t tail = strlen(colon), ml = strlen(mark);
	if (tail + 2 > (size_t)c->width)
		return; /* too narrow for this: the display helper cuts it */
	size_t keep = (size_t)c->width - tail - 1;
	if (keep + ml + tail + 1 > cap)
		return;
	memmove(b + keep + ml, colon, tail + 1);
	memcpy(b + keep, mark, ml);
}

static void endpoint(const struct conn_row *r, const struct cell_ctx *c, const char *name,
		     const uint8_t *addr, uint16_t port, char *b, size_t cap)
{
	char host[META_STR_MAX + 1];
	if (name)
		snprintf(host, sizeof host, "%s", name);
	else
		query_addr_text(host, sizeof host, addr, r->family);
	fmt_endpoint(b, cap, host, !name && r->family == 6, r, port, c->numeric_ports);
	if (query_has_ports(r))
		keep_port(b, cap, c);
}

static void c_local(const struct conn_row *r, const struct cell_ctx *c, char *b, size_t cap)
{
	endpoint(r, c, NULL, query_local_addr(r), query_local_port(r), b, cap);
}

static void c_remote(const struct conn_row *r, const struct cell_ctx *c, char *b, size_t cap)
{
	endpoint(r, c, query_remote_name(r), query_remote_addr(r), query_remote_port(r), b, cap);
}

static void c_state(const struct conn_row *r, const struct cell_ctx *c, char *b, size_t cap)
{
	const char *s = r->state[0] ? r->state
				    : meta_app_state_name((enum app_state)r->meta.app_state);
	snprintf(b, cap, "%s", s ? s : "-");
}

static void c_service(const struct conn_row *r, const struct cell_ctx *c, char *b, size_t cap)
{
	const char *a = query_app_name(r);
	snprintf(b, cap, "%s", a ? a : "-");
}

static void c_dpi(const struct conn_row *r, const struct cell_ctx *c, char *b, size_t cap)
{
	column_dpi_text(r, b, cap);
}

static void c_rx(const struct conn_row *r, const struct cell_ctx *c, char *b, size_t cap)
{
	fmt_rate(b, cap, query_rx_rate(r));
}

static void c_tx(const struct conn_row *r, const struct cell_ctx *c, char *b, size_t cap)
{
	fmt_rate(b, cap, query_tx_rate(r));
}

static void c_bytes(const struct conn_row *r, const struct cell_ctx *c, char *b, size_t cap)
{
	fmt_bytes(b, cap, (double)(r->src_bytes + r->dst_bytes));
}

/* Both ends when both are local processes, initiator first: "curl → nginx". */
static void c_process(const struct conn_row *r, const struct cell_ctx *c, char *b, size_t cap)
{
	if (r->proc.name[0] && r->peer.name[0]) {
		const struct proc_ref *from = r->proc_side == 1 ? &r->peer : &r->proc;
		const struct proc_ref *to = r->proc_side == 1 ? &r->proc : &r->peer;
		snprintf(b, cap, "%s %s %s", from->name, c->utf8 ? "\u2192" : "->", to->name);
	} else if (r->proc.name[0] && r->proc.pid > 0)
		snprintf(b, cap, "%s(%d)", r->proc.name, (int)r->proc.pid);
	else if (r->proc.name[0])
		snprintf(b, cap, "%s", r->proc.name);
	else
		snprintf(b, cap, "-");
}

static const struct column columns[COL_COUNT] = {
	[COL_PROTO] = { "Proto", "proto", NULL, 6, 4, 3, false, false, c_proto },
	[COL_LOCAL] = { "Local Address", "src", "sport", 21, 9, 7, false, false, c_local },
	[COL_REMOTE] = { "Remote Address", "dst", "dport", 26, 12, 0, false, false, c_remote },
	[COL_STATE] = { "State", "state", NULL, 14, 5, 4, false, false, c_state },
	[COL_SERVICE] = { "Service", "app", NULL, 9, 4, 2, false, false, c_service },
	[COL_DPI] = { "DPI", "host", NULL, 16, 8, 5, false, true, c_dpi },
	[COL_RX] = { "Rx", "rxrate", NULL, 8, 5, 9, true, false, c_rx },
	[COL_TX] = { "Tx", "txrate", NULL, 8, 5, 10, true, false, c_tx },
	[COL_BYTES] = { "Bytes", "bytes", NULL, 7, 5, 8, true, false, c_bytes },
	[COL_PROCESS] = { "Process", "process", NULL, 14, 6, 6, false, false, c_process },
};

const struct column *column_at(int id)
{
	return id >= 0 && id < COL_COUNT ? &columns[id] : NULL;
}

void columns_defaults(int widths[COL_COUNT])
{
	for (int i = 0; i < COL_COUNT; i++)
		widths[i] = columns[i].width;
}

static int needed(const int widths[COL_COUNT], const bool on[COL_COUNT])
{
	int total = 0, n = 0;
	for (int i = 0; i < COL_COUNT; i++) {
		if (!on[i])
			continue;
		total += widths[i];
		n++;
	}
	return total + (n ? n - 1 : 0); /* one space between columns */
}

static int drop_next(const bool on[COL_COUNT])
{
	int best = -1;
	for (int i = 0; i < COL_COUNT; i++)
		if (on[i] && columns[i].drop > 0 && (best < 0 || columns[i].drop > columns[best].drop))
			best = i;
	return best;
}

void columns_layout(const int widths[COL_COUNT], int screen_w, struct col_layout *out)
{
	bool on[COL_COUNT];
	for (int i = 0; i < COL_COUNT; i++)
		on[i] = true;
	int d;
	while (needed(widths, on) > screen_w && (d = drop_next(on)) >= 0)
		on[d] = false;
	int spare = screen_w - needed(widths, on);
	int x = 0;
	out->n = 0;
	for (int i = 0; i < COL_COUNT; i++) {
		if (!on[i])
			continue;
		int w = widths[i] + (columns[i].flex && spare > 0 ? spare : 0);
		if (x + w > screen_w) /* only the never-dropped column can get here */
			w = screen_w - x;
		if (w <= 0)
			break;
		out->id[out->n] = i;
		out->x[out->n] = x;
		out->w[out->n] = w;
		out->n++;
		x += w + 1;
	}
}

static void dns_text(const struct conn_row *r, const char *q, char *buf, size_t cap)
{
	char tb[16];
	if (r->meta.dns_qtype)
		snprintf(buf, cap, "%s %s", q, meta_dns_qtype_name(r->meta.dns_qtype, tb, sizeof tb));
	else
		snprintf(buf, cap, "%s", q);
}

/* host + path; a proxy request's path is already a whole URL */
static void http_text(const char *host, const char *path, char *buf, size_t cap)
{
	if (path && *path != '/')
		snprintf(buf, cap, "%s", path);
	else
		snprintf(buf, cap, "%s%s", host, path ? path : "");
}

static const char *ssh_software(const char *banner)
{
	const char *p = banner && strncmp(banner, "SSH-", 4) == 0 ? strchr(banner + 4, '-') : NULL;
	return p ? p + 1 : banner;
}

void column_dpi_text(const struct conn_row *r, char *buf, size_t cap)
{
	const struct flow_meta *m = &r->meta;
	const char *sni = meta_str(m, META_SNI), *host = meta_str(m, META_HTTP_HOST);
	const char *q = meta_str(m, META_DNS_QUERY);
	const char *ssh = meta_str(m, META_SSH_SERVER);
	if (!ssh)
		ssh = meta_str(m, META_SSH_CLIENT);
	if (sni)
		snprintf(buf, cap, "%s", sni);
	else if (host)
		http_text(host, meta_str(m, META_HTTP_PATH), buf, cap);
	else if (q)
		dns_text(r, q, buf, cap);
	else if (ssh)
		snprintf(buf, cap, "%s", ssh_software(ssh));
	else if (m->quic_version)
		snprintf(buf, cap, "QUIC 0x%08x", (unsigned)m->quic_version);
	else
		buf[0] = '\0';
}
