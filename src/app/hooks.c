#include "app/hooks.h"

#include <stdio.h>
#include <string.h>

#include "app/exports.h"
#include "attr/attr.h"
#include "base/str.h"
#include "engine/engine.h"
#include "query/query.h"
#include "tui/tui.h"

void app_hooks_init(struct app_hooks *h, const struct query *filter, struct attr *attr)
{
	memset(h, 0, sizeof *h);
	h->filter = filter;
	h->attr = attr;
}

bool app_hook_filter(void *ctx, const struct conn_row *r, uint64_t now_us)
{
	const struct app_hooks *h = ctx;
	return !h->filter || query_match(h->filter, r, now_us);
}

/* Sockets are known for these protocols only (attr_lookup). */
static bool has_sockets(uint16_t l4)
{
	return l4 == L4_TCP || l4 == L4_UDP || l4 == L4_ICMP || l4 == L4_ICMPV6;
}

void app_hook_join(void *ctx, struct conn_row *r)
{
	struct app_hooks *h = ctx;
	struct attr_owners o;
	if (!h->attr || !has_sockets(r->l4))
		return;
	attr_lookup_owners(h->attr, (uint8_t)r->l4, r->family, r->src, r->sport, r->dst, r->dport,
			   &o);
	attr_row_proc(h->attr, &r->proc, &o.proc);
	attr_row_proc(h->attr, &r->peer, &o.peer);
	attr_row_place(h->attr, &r->place, o.proc.pid);
	r->proc_side = o.proc_side;
	r->proc_match = o.proc_match;
}

static struct snapshot *source_snapshot(void *ctx)
{
	struct app_hooks *h = ctx;
	return engine_snapshot(h->engine);
}

static bool source_late(void *ctx)
{
	struct app_hooks *h = ctx;
	return engine_rows_late(h->engine);
}

static struct snapshot *source_latest(void *ctx)
{
	struct app_hooks *h = ctx;
	return engine_rows(h->engine);
}

static void source_status(void *ctx, struct tui_status *st)
{
	struct app_hooks *h = ctx;
	struct engine_status es;
	engine_status(h->engine, &es);
	memset(st, 0, sizeof *st);
	st->offline = !es.live;
	st->finished = es.finished;
	str_copy(st->stopped, sizeof st->stopped, es.stopped);
	if (es.live) {
		str_copy(st->iface, sizeof st->iface, es.source);
		str_copy(st->link, sizeof st->link, es.link);
		snprintf(st->capture, sizeof st->capture, "live, %d worker%s", es.workers,
			 es.workers == 1 ? "" : "s");
	} else {
		str_copy(st->iface, sizeof st->iface, "file");
		str_copy(st->capture, sizeof st->capture, es.source);
	}
	if (h->attr) {
		const char *notes = attr_backend_notes(h->attr);
		char seen[200], line[sizeof st->attr];
		attr_describe(h->attr, seen, sizeof seen);
		snprintf(line, sizeof line, notes[0] ? "%s (%s)" : "%s", seen, notes);
		str_copy(st->attr, sizeof st->attr, line);
	} else {
		snprintf(st->attr, sizeof st->attr, "%s", es.live ? "off" : "none (file)");
	}
	str_copy(st->security, sizeof st->security, h->security);
	st->exporting = h->exports && app_exports_on(h->exports);
	st->export_drops = st->exporting ? app_exports_drops(h->exports) : 0;
}

/* "label: value\n" into buf at *at (only when value is not "", unless always). */
static void detail_line(char *buf, size_t cap, size_t *at, const char *label, const char *value,
			bool always)
{
	if ((!value[0] && !always) || *at >= cap)
		return;
	int n = snprintf(buf + *at, cap - *at, "%s: %s\n", label, value);
	*at += n > 0 ? (size_t)n : 0;
}

static bool source_proc_detail(void *ctx, int32_t pid, char *buf, size_t cap)
{
	struct app_hooks *h = ctx;
	struct attr_proc_detail d;
	size_t at = 0;
	if (!h->attr || !attr_lookup_detail(h->attr, pid, &d) || !cap)
		return false;
	buf[0] = '\0';
	detail_line(buf, cap, &at, "exe", d.exe, true);
	detail_line(buf, cap, &at, "cmdline", d.cmdline, true);
	detail_line(buf, cap, &at, "user", d.ref.user, true);
	detail_line(buf, cap, &at, "cgroup", d.cgroup, true);
	detail_line(buf, cap, &at, "unit", d.unit, false);
	detail_line(buf, cap, &at, "container", d.container, false);
	if (strcmp(d.container, d.container_id) != 0)
		detail_line(buf, cap, &at, "container id", d.container_id, false);
	detail_line(buf, cap, &at, "pod", d.pod, false);
	if (at > 0 && at < cap && buf[at - 1] == '\n')
		buf[at - 1] = '\0';
	return true;
}

/* The Host view's sockets: what --listening lists, from attribution's
 * scans (in the helper, which names every user's processes once this one
 * has dropped its privileges), or, reading a file, from this thread
 * (sock_diag and /proc, which the sandbox allows). */
static int source_listening(void *ctx, attr_listener_fn fn, void *arg,
			    struct attr_listen_reach *reach, struct wt_err *err)
{
	struct app_hooks *h = ctx;
	return attr_listening_of(h->attr, fn, arg, reach, err);
}

static void source_keep_closed(void *ctx, bool on)
{
	struct app_hooks *h = ctx;
	engine_keep_closed(h->engine, on);
}

void app_tui_source(struct app_hooks *h, struct engine *e, struct tui_source *src)
{
	h->engine = e;
	src->ctx = h;
	src->snapshot = source_snapshot;
	src->status = source_status;
	src->proc_detail = source_proc_detail;
	src->late = source_late;
	src->latest = source_latest;
	src->listening = source_listening;
	src->keep_closed = source_keep_closed;
}
