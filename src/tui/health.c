/* health.c - the Health view's findings, made by output/findings.c from
 * the rows the UI holds, and the filter that jumps from one to its
 * connections.
 */
#include "tui/health.h"
#include "tui/listsel.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/addrtext.h"
#include "base/xalloc.h"
#include "decode/decode.h"

void health_init(struct health *h, const struct findings_opts *o)
{
	memset(h, 0, sizeof *h);
	h->opts = *o;
}

void health_fini(struct health *h)
{
	findings_free(h->fs);
	free(h->list);
	memset(h, 0, sizeof *h);
}

void health_build(struct health *h, const struct snapshot *s)
{
	findings_free(h->fs);
	h->fs = findings_new(&h->opts);
	h->rows = s ? s->n : 0;
	for (uint32_t i = 0; i < h->rows; i++)
		findings_add(h->fs, &s->rows[i], s->now_us);
	h->n = findings_count(h->fs);
	if (h->n > h->cap) {
		h->cap = h->n;
		h->list = xrealloc(h->list, h->cap * sizeof *h->list);
	}
	findings_list(h->fs, h->list);
	if (h->sel >= h->n)
		h->sel = h->n ? (uint32_t)h->n - 1 : 0;
}

const struct finding *health_selected(const struct health *h)
{
	return h->sel < h->n ? h->list[h->sel] : NULL;
}

void health_select(struct health *h, int64_t pos, int page)
{
	list_select(&h->sel, &h->top, h->n, pos, page);
}

/* "10.2.0.10:80", "[fd00::1]:80", or the address alone. */
static void endpoint(char *buf, size_t cap, uint8_t family, const uint8_t *addr, int port)
{
	char a[ADDR_TEXT_MAX];
	addr_text(a, family, addr);
	if (port < 0)
		snprintf(buf, cap, "%s", a);
	else
		snprintf(buf, cap, family == 6 ? "[%s]:%d" : "%s:%d", a, port);
}

void health_about(const struct finding *f, char *buf, size_t cap)
{
	char a[ADDR_TEXT_MAX + 8], b[ADDR_TEXT_MAX];
	switch (findings_kind_subject(f->kind)) {
	case FINDING_BY_RESPONDER:
		endpoint(a, sizeof a, f->family, f->a, f->port);
		snprintf(buf, cap, "%s %s", decode_proto_name(f->l4), a);
		break;
	case FINDING_BY_PAIR:
		endpoint(a, sizeof a, f->family, f->a, -1);
		endpoint(b, sizeof b, f->family, f->b, -1);
		snprintf(buf, cap, "%s %s > %s", decode_proto_name(f->l4), a, b);
		break;
	case FINDING_BY_NAME:
		snprintf(buf, cap, "DNS %s", f->name ? f->name : "(no name read)");
		break;
	case FINDING_BY_CAPTURE:
		snprintf(buf, cap, "capture on %s", f->name ? f->name : "-");
		break;
	}
}

/* ---- the filter ---- */

/* The filter text being built; full once something did not fit. */
struct text {
	char *buf;
	size_t cap, len;
	bool full;
};

static void put(struct text *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void put(struct text *t, const char *fmt, ...)
{
	if (t->full)
		return;
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(t->buf + t->len, t->cap - t->len, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= t->cap - t->len) {
		t->full = true;
		t->buf[t->len] = '\0';
		return;
	}
	t->len += (size_t)n;
}

/* The parts of a connection a filter names, as the JSON records do. */
enum part { P_SRC_IP, P_SRC_PORT, P_DST_IP, P_DST_PORT, P_COUNT };

/* "src_ip=10.1.0.2" and the like: addresses and numbers, nothing that
 * needs quoting. */
static void part_text(const struct finding_conn *c, enum part p, char *buf, size_t cap)
{
	char a[ADDR_TEXT_MAX];
	switch (p) {
	case P_SRC_IP:
		addr_text(a, c->family, c->src);
		snprintf(buf, cap, "src_ip=%s", a);
		break;
	case P_DST_IP:
		addr_text(a, c->family, c->dst);
		snprintf(buf, cap, "dst_ip=%s", a);
		break;
	case P_SRC_PORT:
		snprintf(buf, cap, "src_port=%u", c->sport);
		break;
	default:
		snprintf(buf, cap, "dst_port=%u", c->dport);
		break;
	}
}

static bool part_shared(const struct finding *f, enum part p)
{
	char x[64], y[64];
	part_text(&f->conns[0], p, x, sizeof x);
	for (uint32_t i = 1; i < f->nconns; i++) {
		part_text(&f->conns[i], p, y, sizeof y);
		if (strcmp(x, y) != 0)
			return false;
	}
	return true;
}

static bool same_tuple(const struct finding_conn *x, const struct finding_conn *y)
{
	return x->family == y->family && x->sport == y->sport && x->dport == y->dport &&
	       memcmp(x->src, y->src, 16) == 0 && memcmp(x->dst, y->dst, 16) == 0;
}

/* The parts that name a connection of protocol l4; returns how many. */
static int parts_of(uint16_t l4, enum part parts[P_COUNT])
{
	int n = 0;
	bool ports = decode_proto_has_ports(l4);
	parts[n++] = P_SRC_IP;
	if (ports)
		parts[n++] = P_SRC_PORT;
	parts[n++] = P_DST_IP;
	if (ports)
		parts[n++] = P_DST_PORT;
	return n;
}

/* Each connection whole, "or" between them: an ICMP finding lists the
 * connections its errors quoted (UDP, TCP, ...) beside the ICMP exchange. */
static void by_mixed_connections(const struct finding *f, struct text *t)
{
	char p[64];
	put(t, "(");
	for (uint32_t c = 0; c < f->nconns; c++) {
		enum part parts[P_COUNT];
		int nparts = parts_of(f->conns[c].l4, parts);
		put(t, "%s proto=%s", c ? " or" : "", decode_proto_name(f->conns[c].l4));
		for (int i = 0; i < nparts; i++) {
			part_text(&f->conns[c], parts[i], p, sizeof p);
			put(t, " %s", p);
		}
	}
	put(t, " )");
}

static bool one_protocol(const struct finding *f)
{
	for (uint32_t c = 0; c < f->nconns; c++)
		if (f->conns[c].l4 != f->l4)
			return false;
	return true;
}

/* Each connection's parts that differ, "or" between them: the parts all
 * share are said once before. */
static void by_connections(const struct finding *f, struct text *t)
{
	if (!one_protocol(f)) {
		by_mixed_connections(f, t);
		return;
	}
	enum part parts[P_COUNT];
	int nparts = parts_of(f->l4, parts);
	bool shared[P_COUNT], any_own = false;
	char p[64];
	put(t, "proto=%s", decode_proto_name(f->l4));
	for (int i = 0; i < nparts; i++) {
		shared[i] = part_shared(f, parts[i]);
		any_own |= !shared[i];
		part_text(&f->conns[0], parts[i], p, sizeof p);
		if (shared[i])
			put(t, " %s", p);
	}
	if (!any_own)
		return;
	put(t, " (");
	for (uint32_t c = 0; c < f->nconns; c++) {
		bool seen = false;
		for (uint32_t d = 0; d < c && !seen; d++)
			seen = same_tuple(&f->conns[c], &f->conns[d]);
		if (seen)
			continue;
		put(t, c ? " or" : "");
		for (int i = 0; i < nparts; i++) {
			if (shared[i])
				continue;
			part_text(&f->conns[c], parts[i], p, sizeof p);
			put(t, " %s", p);
		}
	}
	put(t, " )");
}

/* The name quoted for the filter language: \" and \\ inside. */
static void put_quoted(struct text *t, const char *s)
{
	put(t, "\"");
	for (; *s; s++)
		put(t, *s == '"' || *s == '\\' ? "\\%c" : "%c", *s);
	put(t, "\"");
}

/* Every connection of f's subject: those behind f are among them. */
static void by_subject(const struct finding *f, struct text *t)
{
	char a[ADDR_TEXT_MAX], b[ADDR_TEXT_MAX];
	addr_text(a, f->family, f->a);
	addr_text(b, f->family, f->b);
	switch (findings_kind_subject(f->kind)) {
	case FINDING_BY_RESPONDER:
		put(t, "proto=%s dst_ip=%s dst_port=%u", decode_proto_name(f->l4), a, f->port);
		break;
	case FINDING_BY_PAIR:
		put(t, "proto=%s src_ip=%s dst_ip=%s", decode_proto_name(f->l4), a, b);
		break;
	case FINDING_BY_NAME:
		put(t, "app=dns");
		if (f->name) {
			put(t, " dns_query=");
			put_quoted(t, f->name);
		}
		break;
	case FINDING_BY_CAPTURE: /* about no connection in particular */
		break;
	}
}

void health_filter(const struct finding *f, char *buf, size_t cap, bool *exact)
{
	struct text t = { buf, cap, 0, false };
	buf[0] = '\0';
	*exact = f->nconns && f->count == f->nconns;
	if (*exact) {
		by_connections(f, &t);
		if (!t.full)
			return;
	}
	*exact = false;
	t = (struct text){ buf, cap, 0, false };
	by_subject(f, &t);
	if (t.full) { /* a name too long to quote in cap */
		t = (struct text){ buf, cap, 0, false };
		put(&t, "app=dns");
	}
}
