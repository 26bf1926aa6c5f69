#include "export/ipfix.h"

#include <errno.h>
#include <netinet/in.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "base/clock.h"
#include "base/xalloc.h"
#include "decode/pkt.h"
#include "export/ipfix_enc.h"
#include "export/netaddr.h"
#include "field/field.h"

#define TCP_MESSAGE_MAX 16384

/* The connection facts sent as enterprise strings, read through the field
 * table like the JSON and the UI read them (field/field.h): application,
 * TLS/QUIC server name, HTTP host. */
enum { TEXT_PROCESS, TEXT_USER, TEXT_APP, TEXT_SNI, TEXT_HTTP_HOST, TEXT_COUNT };
static const char *const text_field_names[TEXT_COUNT] = { "process", "user", "app", "sni",
							  "http_host" };

struct ipfix_exp {
	struct ipfix_opts o;
	int fd;
	bool tcp;
	bool templates_sent;
	bool msg_templates;           /* the message being built starts with the templates */
	uint64_t templates_at_us;     /* wall clock of the last templates */
	uint32_t sequence;            /* data records sent before the current message */
	const struct field *text[TEXT_COUNT];
	struct ipfix_msg msg;
	uint8_t buf[TCP_MESSAGE_MAX];
	_Atomic uint64_t dropped;
};

static bool send_all(int fd, const uint8_t *p, size_t n)
{
	while (n) {
		ssize_t k = send(fd, p, n, MSG_NOSIGNAL);
		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0)
			return false;
		p += k;
		n -= (size_t)k;
	}
	return true;
}

static bool templates_due(const struct ipfix_exp *x, uint64_t now)
{
	if (!x->templates_sent)
		return true;
	return !x->tcp && now >= x->templates_at_us + x->o.template_refresh_us;
}

static void start_message(struct ipfix_exp *x)
{
	ipfix_msg_begin(&x->msg, x->buf, x->tcp ? TCP_MESSAGE_MAX : IPFIX_UDP_MESSAGE_MAX);
	uint64_t now = clock_real_us();
	x->msg_templates = templates_due(x, now);
	if (x->msg_templates) {
		ipfix_msg_templates(&x->msg, x->o.pen);
		x->templates_sent = true;
		x->templates_at_us = now;
	}
}

/* Sends the message being built (if it holds anything) and starts anew. */
static void send_message(struct ipfix_exp *x)
{
	if (x->msg.len <= 16) {
		start_message(x);
		return;
	}
	uint32_t records = x->msg.records;
	size_t n = ipfix_msg_end(&x->msg, (uint32_t)(clock_real_us() / US_PER_SEC), x->sequence, x->o.domain);
	if (send_all(x->fd, x->buf, n))
		x->sequence += records; /* RFC 7011 3.1: records sent, not lost ones */
	else
		atomic_fetch_add_explicit(&x->dropped, records, memory_order_relaxed);
	start_message(x);
}

/* f's strings may point into vals, which must outlive f. */
static void to_flow(const struct ipfix_exp *x, const struct export_rec *rec, struct ipfix_flow *f,
		    struct field_val vals[TEXT_COUNT])
{
	const struct conn_row *r = rec->row;
	memset(f, 0, sizeof *f);
	f->family = r->family;
	memcpy(f->src, r->src, 16);
	memcpy(f->dst, r->dst, 16);
	f->sport = r->sport;
	f->dport = r->dport;
	f->proto = (uint8_t)r->l4; /* an IP protocol number: ARP is not exported */
	f->end_reason = rec->end_reason;
	f->start_ms = r->first_seen_us / US_PER_MS;
	f->end_ms = r->last_seen_us / US_PER_MS;
	for (int d = 0; d < 2; d++) {
		f->octets[d] = rec->d_ip_bytes[d];
		f->packets[d] = rec->d_packets[d];
	}
	f->pid = r->proc.pid > 0 ? (uint32_t)r->proc.pid : 0;
	f->unit = rec->proc->unit;
	f->container = rec->proc->container;
	const struct field_ctx ctx = { .now_us = rec->ts_us };
	const char **text[TEXT_COUNT] = { [TEXT_PROCESS] = &f->process, [TEXT_USER] = &f->user,
					  [TEXT_APP] = &f->app, [TEXT_SNI] = &f->sni,
					  [TEXT_HTTP_HOST] = &f->http_host };
	for (int i = 0; i < TEXT_COUNT; i++)
		*text[i] = x->text[i] && field_get(x->text[i], r, &ctx, &vals[i]) ? vals[i].s : NULL;
}

static void ipfix_record(void *self, const struct export_rec *rec)
{
	struct ipfix_exp *x = self;
	if (rec->kind == EXPORT_OPEN)
		return; /* IPFIX reports traffic: at active timeouts and at the end */
	if (rec->row->l4 == L4_ARP)
		return; /* not IP */
	if (!rec->d_packets[0] && !rec->d_packets[1])
		return;
	if (!x->msg_templates && templates_due(x, clock_real_us()))
		send_message(x); /* the refresh is due: records after it follow the templates */
	struct ipfix_flow f;
	struct field_val vals[TEXT_COUNT];
	to_flow(x, rec, &f, vals);
	if (ipfix_msg_flow(&x->msg, &f))
		return;
	send_message(x);
	if (!ipfix_msg_flow(&x->msg, &f))
		atomic_fetch_add_explicit(&x->dropped, 1, memory_order_relaxed);
}

static void ipfix_tick(void *self, uint64_t wall)
{
	struct ipfix_exp *x = self;
	if (x->msg.records || x->msg_templates || templates_due(x, wall))
		send_message(x);
}

static void ipfix_flush(void *self) { send_message(self); }

static void ipfix_retune(void *self, const void *opts, uint64_t *active_us)
{
	struct ipfix_exp *x = self;
	const struct ipfix_opts *o = opts;
	x->o.active_us = *active_us = o->active_us;
	x->o.template_refresh_us = o->template_refresh_us;
}

static uint64_t ipfix_drops(void *self)
{
	struct ipfix_exp *x = self;
	return atomic_load_explicit(&x->dropped, memory_order_relaxed);
}

static void ipfix_destroy(void *self)
{
	struct ipfix_exp *x = self;
	if (x->fd >= 0)
		close(x->fd);
	free(x);
}

int ipfix_exporter_open(struct export_sink *out, const struct ipfix_opts *o, struct wt_err *err)
{
	const char *t = o->target;
	bool tcp = strncmp(t, "tcp://", 6) == 0;
	if (tcp)
		t += 6;
	else if (strncmp(t, "udp://", 6) == 0)
		t += 6;
	struct netaddr na;
	if (netaddr_parse("ipfix", t, &na, err) < 0)
		return -1;
	int fd = socket(na.family, (tcp ? SOCK_STREAM : SOCK_DGRAM) | SOCK_CLOEXEC, 0);
	if (fd < 0 || connect(fd, (const struct sockaddr *)&na.sa, na.len) < 0) {
		wt_err_set(err, WT_ERR_SYSTEM, "--ipfix %s: %s", o->target, strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	struct ipfix_exp *x = xcalloc(1, sizeof *x);
	x->o = *o;
	x->fd = fd;
	x->tcp = tcp;
	for (int i = 0; i < TEXT_COUNT; i++)
		x->text[i] = field_by_name(text_field_names[i]);
	start_message(x);
	*out = (struct export_sink){
		.name = "ipfix", .active_us = o->active_us, .record = ipfix_record, .tick = ipfix_tick,
		.retune = ipfix_retune, .flush = ipfix_flush, .drops = ipfix_drops, .destroy = ipfix_destroy,
		.self = x,
	};
	return 0;
}
