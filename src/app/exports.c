#include "app/exports.h"

#include <string.h>

#include "attr/attr.h"
#include "base/str.h"
#include "engine/engine.h"
#include "export/hub.h"
#include "export/ipfix.h"

static void join_proc(void *ctx, struct conn_row *r)
{
	attr_lookup(ctx, r->l4, r->family, r->src, r->sport, r->dst, r->dport, &r->proc);
}

static bool proc_detail(void *ctx, int32_t pid, struct export_proc *out)
{
	struct attr_proc_detail d;
	if (!attr_lookup_detail(ctx, pid, &d))
		return false;
	str_copy(out->unit, sizeof out->unit, d.unit);
	str_copy(out->container, sizeof out->container, d.container);
	str_copy(out->cgroup, sizeof out->cgroup, d.cgroup);
	return true;
}

static int open_ipfix(struct export_hub *hub, const struct options *o, struct wt_err *err)
{
	struct ipfix_opts io = {
		.target = o->ipfix,
		.pen = o->ipfix_pen,
		.domain = 1,
		.active_us = (uint64_t)o->ipfix_active_s * 1000000u,
		.template_refresh_us = (uint64_t)o->ipfix_template_refresh_s * 1000000u,
	};
	struct export_sink s;
	if (ipfix_exporter_open(&s, &io, err) < 0)
		return -1;
	export_hub_add(hub, &s);
	return 0;
}

int app_exports_open(struct export_hub **out, const struct options *o, struct engine *e,
		     struct attr *attr, struct wt_err *err)
{
	*out = NULL;
	if (!o->ipfix)
		return 0;
	struct export_hub_opts ho = {
		.wait_when_full = o->read_path != NULL,
		.join = attr ? join_proc : NULL,
		.proc_detail = attr ? proc_detail : NULL,
		.ctx = attr,
	};
	struct export_hub *hub = export_hub_new(&ho);
	*out = hub;
	if (o->ipfix && open_ipfix(hub, o, err) < 0)
		return -1;
	engine_set_events(e, export_hub_event, hub, export_hub_active_us(hub));
	return 0;
}
