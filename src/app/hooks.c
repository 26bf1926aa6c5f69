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
	r->proc_side = o.proc_side;
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

static bool source_proc_detail(void *ctx, int32_t pid, char *buf, size_t cap)
{
	struct app_hooks *h = ctx;
	struct attr_proc_detail d;
	if (!h->attr || !attr_lookup_detail(h->attr, pid, &d))
		return false;
	snprintf(buf, cap, "exe: %s\ncmdline: %s\nuser: %s\ncgroup: %s\n%s%s%s%s%s",
		 d.exe, d.cmdline, d.ref.user, d.cgroup,
		 d.unit[0] ? "unit: " : "", d.unit, d.unit[0] ? "\n" : "",
		 d.container[0] ? "container: " : "", d.container);
	return true;
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
}
