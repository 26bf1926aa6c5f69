#include "export/metrics.h"

#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "base/xalloc.h"
#include "export/netaddr.h"
#include "field/field.h"

#define LABEL_MAX 64

/* Counters of one label value. */
struct series {
	char value[LABEL_MAX];
	uint64_t bytes, packets, connections;
};

/* All values of one label (process, application). */
struct family {
	const char *label;
	struct series *v;
	uint32_t n, cap;
	uint64_t overflow;            /* records folded into "other" */
};

struct metrics {
	struct metrics_opts o;
	int listen_fd;
	pthread_t thread;
	bool started;
	_Atomic bool stop;
	pthread_mutex_t mu;           /* guards everything below */
	struct family by_process, by_app;
	const struct field *app;      /* the application, as the JSON and the UI read it */
	const struct field *process;  /* the owning process's name, likewise */
	uint64_t connections, attributed;
};

static void escape_label(char *out, size_t cap, const char *s)
{
	size_t n = 0;
	for (; *s && n + 3 < cap; s++) {
		if (*s == '\\' || *s == '"')
			out[n++] = '\\';
		out[n++] = *s == '\n' ? ' ' : *s;
	}
	out[n] = '\0';
}

/* The series of value v, created while under the cap, else "other". */
static struct series *series_of(struct family *f, const char *v, uint32_t max)
{
	char esc[LABEL_MAX];
	escape_label(esc, sizeof esc, v && *v ? v : "unknown");
	for (uint32_t i = 0; i < f->n; i++)
		if (strcmp(f->v[i].value, esc) == 0)
			return &f->v[i];
	if (f->n >= max) {
		f->overflow++;
		snprintf(esc, sizeof esc, "other");
		for (uint32_t i = 0; i < f->n; i++)
			if (strcmp(f->v[i].value, esc) == 0)
				return &f->v[i];
	}
	if (f->n == f->cap) {
		f->cap = f->cap ? f->cap * 2 : 16;
		f->v = xrealloc(f->v, f->cap * sizeof *f->v);
	}
	struct series *s = &f->v[f->n++];
	memset(s, 0, sizeof *s);
	memcpy(s->value, esc, sizeof s->value);
	return s;
}

static void add(struct series *s, const struct export_rec *rec)
{
	s->bytes += rec->d_bytes[0] + rec->d_bytes[1];
	s->packets += rec->d_packets[0] + rec->d_packets[1];
	s->connections += rec->kind == EXPORT_OPEN;
}

static void metrics_record(void *self, const struct export_rec *rec)
{
	struct metrics *m = self;
	const struct conn_row *r = rec->row;
	uint32_t cap = m->o.max_labels; /* and "other" beyond it */
	pthread_mutex_lock(&m->mu);
	const struct field_ctx ctx = { .now_us = rec->ts_us };
	struct field_val proc, app;
	add(series_of(&m->by_process, m->process && field_get(m->process, r, &ctx, &proc) ? proc.s : NULL, cap),
	    rec);
	add(series_of(&m->by_app, m->app && field_get(m->app, r, &ctx, &app) ? app.s : NULL, cap), rec);
	if (rec->kind == EXPORT_OPEN) {
		m->connections++;
		m->attributed += r->proc.pid > 0;
	}
	pthread_mutex_unlock(&m->mu);
}

static void metrics_retune(void *self, const void *opts, uint64_t *active_us)
{
	struct metrics *m = self;
	const struct metrics_opts *o = opts;
	pthread_mutex_lock(&m->mu);
	m->o.max_labels = o->max_labels ? o->max_labels : 100;
	pthread_mutex_unlock(&m->mu);
	*active_us = o->update_us;
}

static void put_family(struct outbuf *o, const struct family *f, const char *what)
{
	static const char *const kinds[] = { "bytes", "packets", "connections" };
	static const char *const helps[] = {
		"link-layer bytes of connections, both ways", "packets of connections, both ways",
		"connections opened",
	};
	for (int k = 0; k < 3; k++) {
		outbuf_printf(o, "# HELP wiretop_%s_%s_total %s, by %s\n# TYPE wiretop_%s_%s_total counter\n",
			      what, kinds[k], helps[k], f->label, what, kinds[k]);
		for (uint32_t i = 0; i < f->n; i++) {
			const struct series *s = &f->v[i];
			uint64_t v = k == 0 ? s->bytes : k == 1 ? s->packets : s->connections;
			outbuf_printf(o, "wiretop_%s_%s_total{%s=\"%s\"} %llu\n", what, kinds[k], f->label,
				      s->value, (unsigned long long)v);
		}
	}
}

static void put_status(struct outbuf *o, const struct metrics_status *st)
{
	char ifname[LABEL_MAX];
	escape_label(ifname, sizeof ifname, st->interface);
	outbuf_printf(o,
		      "# HELP wiretop_interface_bytes_total bytes of every captured frame\n"
		      "# TYPE wiretop_interface_bytes_total counter\n"
		      "wiretop_interface_bytes_total{interface=\"%s\"} %llu\n"
		      "# HELP wiretop_interface_packets_total captured frames\n"
		      "# TYPE wiretop_interface_packets_total counter\n"
		      "wiretop_interface_packets_total{interface=\"%s\"} %llu\n"
		      "# HELP wiretop_drops_total frames or records lost: by the kernel, between capture and "
		      "workers (internal), by the exporters (export)\n"
		      "# TYPE wiretop_drops_total counter\n"
		      "wiretop_drops_total{where=\"kernel\"} %llu\n"
		      "wiretop_drops_total{where=\"internal\"} %llu\n"
		      "wiretop_drops_total{where=\"export\"} %llu\n"
		      "# HELP wiretop_flows_tracked connections tracked now\n"
		      "# TYPE wiretop_flows_tracked gauge\n"
		      "wiretop_flows_tracked %llu\n",
		      ifname, (unsigned long long)st->bytes, ifname, (unsigned long long)st->packets,
		      (unsigned long long)st->kernel_drops, (unsigned long long)st->internal_drops,
		      (unsigned long long)st->export_drops, (unsigned long long)st->flows);
}

static void put_attribution(struct outbuf *o, const struct metrics *m)
{
	outbuf_printf(o,
		      "# HELP wiretop_connections_total connections opened\n"
		      "# TYPE wiretop_connections_total counter\n"
		      "wiretop_connections_total %llu\n"
		      "# HELP wiretop_connections_attributed_total connections opened whose process is known\n"
		      "# TYPE wiretop_connections_attributed_total counter\n"
		      "wiretop_connections_attributed_total %llu\n"
		      "# HELP wiretop_attribution_coverage_ratio share of connections whose process is known\n"
		      "# TYPE wiretop_attribution_coverage_ratio gauge\n"
		      "wiretop_attribution_coverage_ratio %.4f\n",
		      (unsigned long long)m->connections, (unsigned long long)m->attributed,
		      m->connections ? (double)m->attributed / (double)m->connections : 0.0);
}

static void put_cardinality(struct outbuf *o, const struct metrics *m)
{
	const struct family *fs[] = { &m->by_process, &m->by_app };
	outbuf_printf(o, "# HELP wiretop_label_values series of a label (cap %u values, then \"other\")\n"
			 "# TYPE wiretop_label_values gauge\n", m->o.max_labels);
	for (int i = 0; i < 2; i++)
		outbuf_printf(o, "wiretop_label_values{label=\"%s\"} %u\n", fs[i]->label, fs[i]->n);
	outbuf_printf(o, "# HELP wiretop_label_overflow_total records counted under \"other\" because "
			 "the label had reached its cap\n# TYPE wiretop_label_overflow_total counter\n");
	for (int i = 0; i < 2; i++)
		outbuf_printf(o, "wiretop_label_overflow_total{label=\"%s\"} %llu\n", fs[i]->label,
			      (unsigned long long)fs[i]->overflow);
}

void metrics_render(struct metrics *m, struct outbuf *out)
{
	struct metrics_status st = { 0 };
	if (m->o.status)
		m->o.status(m->o.ctx, &st);
	put_status(out, &st);
	pthread_mutex_lock(&m->mu);
	put_attribution(out, m);
	put_family(out, &m->by_process, "process");
	put_family(out, &m->by_app, "application");
	put_cardinality(out, m);
	pthread_mutex_unlock(&m->mu);
}

/* ---- the HTTP side: one request per connection, GET /metrics only ---- */

static void reply(int fd, const char *status, const char *type, const char *body, size_t n)
{
	char head[256];
	int h = snprintf(head, sizeof head,
			 "HTTP/1.1 %s\r\nContent-Type: %s\r\nContent-Length: %zu\r\nConnection: close\r\n\r\n",
			 status, type, n);
	if (send(fd, head, (size_t)h, MSG_NOSIGNAL) != h)
		return;
	for (size_t off = 0; off < n;) {
		ssize_t k = send(fd, body + off, n - off, MSG_NOSIGNAL);
		if (k <= 0)
			return;
		off += (size_t)k;
	}
}

/* Reads the request head (a slow or silent client gets a second). */
static bool read_request(int fd, char *buf, size_t cap)
{
	size_t n = 0;
	while (n + 1 < cap) {
		struct pollfd p = { fd, POLLIN, 0 };
		if (poll(&p, 1, 1000) <= 0)
			return false;
		ssize_t k = recv(fd, buf + n, cap - 1 - n, 0);
		if (k <= 0)
			return false;
		n += (size_t)k;
		buf[n] = '\0';
		if (strstr(buf, "\r\n\r\n") || strstr(buf, "\n\n"))
			return true;
	}
	return false;
}

static void serve(struct metrics *m, int fd)
{
	char req[4096];
	if (!read_request(fd, req, sizeof req))
		return;
	bool metrics = strncmp(req, "GET /metrics ", 13) == 0 || strncmp(req, "GET /metrics?", 13) == 0;
	if (!metrics) {
		static const char nf[] = "wiretop serves /metrics only\n";
		reply(fd, "404 Not Found", "text/plain", nf, sizeof nf - 1);
		return;
	}
	struct outbuf page;
	outbuf_init(&page, 16384);
	metrics_render(m, &page);
	reply(fd, "200 OK", "text/plain; version=0.0.4; charset=utf-8", page.buf, page.len);
	outbuf_fini(&page);
}

static void *server_main(void *arg)
{
	struct metrics *m = arg;
	pthread_setname_np(pthread_self(), "wt-metrics");
	while (!atomic_load(&m->stop)) {
		struct pollfd p = { m->listen_fd, POLLIN, 0 };
		if (poll(&p, 1, 100) <= 0)
			continue;
		int fd = accept4(m->listen_fd, NULL, NULL, SOCK_CLOEXEC);
		if (fd < 0)
			continue;
		serve(m, fd);
		close(fd);
	}
	return NULL;
}

static void metrics_tick(void *self, uint64_t wall_us)
{
	struct metrics *m = self;
	if (!m->started && pthread_create(&m->thread, NULL, server_main, m) == 0)
		m->started = true;
}

static void metrics_destroy(void *self)
{
	struct metrics *m = self;
	atomic_store(&m->stop, true);
	if (m->started)
		pthread_join(m->thread, NULL);
	close(m->listen_fd);
	free(m->by_process.v);
	free(m->by_app.v);
	pthread_mutex_destroy(&m->mu);
	free(m);
}

static int listen_on(const char *text, struct wt_err *err)
{
	struct netaddr na;
	if (netaddr_parse("metrics", text, &na, err) < 0)
		return -1;
	int fd = socket(na.family, SOCK_STREAM | SOCK_CLOEXEC, 0);
	int one = 1;
	if (fd >= 0)
		setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
	if (fd < 0 || bind(fd, (const struct sockaddr *)&na.sa, na.len) < 0 || listen(fd, 16) < 0) {
		wt_err_set(err, errno == EACCES ? WT_ERR_PERM : WT_ERR_SYSTEM, "--metrics %s: %s", text,
			   strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	return fd;
}

int metrics_open(struct export_sink *out, const struct metrics_opts *o, struct wt_err *err)
{
	int fd = listen_on(o->listen, err);
	if (fd < 0)
		return -1;
	struct metrics *m = xcalloc(1, sizeof *m);
	m->o = *o;
	if (!m->o.max_labels)
		m->o.max_labels = 100;
	m->listen_fd = fd;
	m->by_process.label = "process";
	m->by_app.label = "application";
	m->app = field_by_name("app");
	m->process = field_by_name("process");
	pthread_mutex_init(&m->mu, NULL);
	*out = (struct export_sink){
		.name = "metrics", .active_us = o->update_us, .record = metrics_record,
		.tick = metrics_tick, .retune = metrics_retune, .destroy = metrics_destroy, .self = m,
	};
	return 0;
}
