#include "app/exports.h"

#include "app/findings.h"

#include <string.h>

#include "attr/attr.h"
#include "base/clock.h"
#include "base/macros.h"
#include "base/str.h"
#include "engine/engine.h"
#include "export/hub.h"
#include "export/ipfix.h"
#include "export/jsonlog.h"
#include "export/metrics.h"
#include "export/pcapng.h"
#include "sandbox/sandbox.h"

static void join_proc(void *ctx, struct conn_row *r)
{
	struct attr_owners o;
	attr_lookup_owners(ctx, (uint8_t)r->l4, r->family, r->src, r->sport, r->dst, r->dport, &o);
	attr_row_proc(ctx, &r->proc, &o.proc);
	attr_row_place(ctx, &r->place, o.proc.pid);
	r->proc_match = o.proc_match;
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

static struct ipfix_opts ipfix_opts_of(const struct options *o)
{
	return (struct ipfix_opts){
		.target = o->ipfix,
		.pen = o->ipfix_pen,
		.domain = 1,
		.active_us = (uint64_t)o->ipfix_active_s * US_PER_SEC,
		.template_refresh_us = (uint64_t)o->ipfix_template_refresh_s * US_PER_SEC,
	};
}

static int open_ipfix(struct export_hub *hub, const struct options *o, struct wt_err *err)
{
	struct ipfix_opts io = ipfix_opts_of(o);
	struct export_sink s;
	if (ipfix_exporter_open(&s, &io, err) < 0)
		return -1;
	export_hub_add(hub, &s);
	return 0;
}

/* Files are handed to the user that privileges drop to, who must be able
 * to rotate and reopen them afterwards. */
static void file_owner(const struct options *o, int *uid, int *gid)
{
	struct sandbox_support sup;
	*uid = *gid = -1;
	if (o->no_priv_drop)
		return;
	sandbox_probe(&sup);
	if (sup.root) {
		*uid = (int)sup.drop_uid;
		*gid = (int)sup.drop_gid;
	}
}

static struct jsonlog_opts jsonlog_opts_of(const struct options *o, bool with_proc)
{
	return (struct jsonlog_opts){
		.path = o->json_log,
		.update_us = (uint64_t)o->json_log_interval_s * US_PER_SEC,
		.max_bytes = (uint64_t)o->json_log_max_mb << 20,
		.with_proc = with_proc,
		.owner_uid = -1,
		.owner_gid = -1,
	};
}

static int open_json_log(struct export_hub *hub, const struct options *o, bool with_proc,
			 struct wt_err *err)
{
	struct jsonlog_opts jo = jsonlog_opts_of(o, with_proc);
	file_owner(o, &jo.owner_uid, &jo.owner_gid);
	struct export_sink s;
	if (jsonlog_open(&s, &jo, err) < 0)
		return -1;
	export_hub_add(hub, &s);
	return 0;
}

static bool dir_of(const char *path, char *out, size_t cap)
{
	const char *slash = strrchr(path, '/');
	if (!slash)
		return str_copy(out, cap, ".") < cap;
	size_t n = slash == path ? 1 : (size_t)(slash - path);
	if (n >= cap)
		return false;
	memcpy(out, path, n);
	out[n] = '\0';
	return true;
}

size_t app_exports_dirs(const struct options *o, char (*dirs)[4096], size_t max)
{
	const char *files[] = { o->json_log, o->pcapng };
	size_t n = 0;
	for (size_t i = 0; i < ARRAY_LEN(files) && n < max; i++)
		if (files[i] && dir_of(files[i], dirs[n], sizeof dirs[n]))
			n++;
	return n;
}

static void metrics_status(void *ctx, struct metrics_status *ms)
{
	struct app_exports *x = ctx;
	struct engine_status st;
	engine_status(x->engine, &st);
	str_copy(ms->interface, sizeof ms->interface, st.live ? st.source : "file");
	ms->packets = st.packets;
	ms->bytes = st.bytes;
	ms->kernel_drops = st.kernel_drops;
	ms->internal_drops = st.internal_drops;
	ms->export_drops = app_exports_drops(x);
	ms->flows = st.flows;
}

/* Long connections count towards the metrics every few seconds: about a
 * scrape interval, so rates stay smooth. */
#define METRICS_UPDATE_US (5 * US_PER_SEC)

static struct metrics_opts metrics_opts_of(struct app_exports *x, const struct options *o)
{
	return (struct metrics_opts){
		.listen = o->metrics,
		.max_labels = o->metrics_max_labels,
		.update_us = 1, /* every report of the engine: deltas */
		.status = metrics_status,
		.ctx = x,
	};
}

static int open_metrics(struct app_exports *x, const struct options *o, struct wt_err *err)
{
	struct metrics_opts mo = metrics_opts_of(x, o);
	struct export_sink s;
	if (metrics_open(&s, &mo, err) < 0)
		return -1;
	export_hub_add(x->hub, &s);
	return 0;
}

/* The process owning a packet's connection, as a pcapng comment. */
static enum pcapng_owner packet_owner(void *ctx, const struct pkt *p, char *comment, size_t cap)
{
	struct proc_ref ref;
	bool socket_kind = p->l4 == L4_TCP || p->l4 == L4_UDP || p->l4 == L4_ICMP || p->l4 == L4_ICMPV6;
	if (!socket_kind || p->frag_off) /* what attribution knows sockets of */
		return PCAPNG_OWNER_NONE;
	enum attr_verdict v = attr_lookup_verdict(ctx, p->l4, p->family, p->src, p->sport, p->dst, p->dport, &ref);
	if (v == ATTR_UNKNOWN)
		return PCAPNG_OWNER_LATER;
	if (v != ATTR_FOUND)
		return PCAPNG_OWNER_NONE;
	struct attr_proc_detail d;
	bool more = attr_lookup_detail(ctx, ref.pid, &d);
	snprintf(comment, cap, "pid=%d process=%s user=%s%s%s%s%s", (int)ref.pid, ref.name,
		 ref.user[0] ? ref.user : "?", more && d.cgroup[0] ? " cgroup=" : "", more ? d.cgroup : "",
		 more && d.container[0] ? " container=" : "", more ? d.container : "");
	return PCAPNG_OWNER_KNOWN;
}

static int open_pcapng(struct app_exports *x, const struct options *o, struct attr *attr,
		       struct wt_err *err)
{
	struct pcapng_opts po = {
		.path = o->pcapng,
		.max_bytes = (uint64_t)o->pcapng_max_mb << 20,
		.wait_when_full = o->read_path != NULL,
		.owner = attr ? packet_owner : NULL,
		.ctx = attr,
	};
	file_owner(o, &po.owner_uid, &po.owner_gid);
	if (pcapng_open(&x->pcapng, &po, err) < 0)
		return -1;
	engine_set_tap(x->engine, pcapng_tap, x->pcapng);
	return 0;
}

/* How often the engine reports connections with traffic: as often as the
 * most eager exporter wants to hear of them. */
static uint64_t report_every_us(const struct options *o)
{
	uint64_t every = o->metrics ? METRICS_UPDATE_US : UINT64_MAX;
	if (o->json_log && (uint64_t)o->json_log_interval_s * US_PER_SEC < every)
		every = (uint64_t)o->json_log_interval_s * US_PER_SEC;
	if (o->ipfix && (uint64_t)o->ipfix_active_s * US_PER_SEC < every)
		every = (uint64_t)o->ipfix_active_s * US_PER_SEC;
	return every;
}

/* The longest a connection may stay idle before the tracker retires it:
 * the largest timeout, doubled for busy flows (flow/lifecycle.h). */
static uint64_t max_idle_us(const struct options *o)
{
	uint32_t most = 0;
	for (int i = 0; i < TO_COUNT; i++)
		if (o->timeouts.sec[i] > most)
			most = o->timeouts.sec[i];
	return (uint64_t)most * 2 * US_PER_SEC;
}

/* The exporters of connection events (the pcapng writer taps frames). */
static bool event_exporters_wanted(const struct options *o)
{
	return o->ipfix || o->json_log || o->metrics;
}

/* --findings reads the connections' final rows from the hub too. */
static bool hub_wanted(const struct options *o)
{
	return event_exporters_wanted(o) || o->findings;
}

bool app_exports_wanted(const struct options *o)
{
	return o->pcapng || event_exporters_wanted(o);
}

int app_exports_open(struct app_exports *x, const struct options *o, struct engine *e,
		     struct attr *attr, struct wt_err *err)
{
	x->hub = NULL;
	x->pcapng = NULL; /* x->findings is the caller's */
	x->engine = e;
	if (o->pcapng && open_pcapng(x, o, attr, err) < 0)
		return -1;
	if (!hub_wanted(o))
		return 0;
	struct export_hub_opts ho = {
		.wait_when_full = o->read_path != NULL,
		.report_every_us = report_every_us(o),
		.max_idle_us = max_idle_us(o),
		.join = attr ? join_proc : NULL,
		.proc_detail = attr ? proc_detail : NULL,
		.ctx = attr,
	};
	struct export_hub *hub = export_hub_new(&ho);
	x->hub = hub;
	if (o->json_log && open_json_log(hub, o, attr != NULL, err) < 0)
		return -1;
	if (o->ipfix && open_ipfix(hub, o, err) < 0)
		return -1;
	if (o->metrics && open_metrics(x, o, err) < 0)
		return -1;
	if (x->findings) {
		struct export_sink s;
		app_findings_sink(x->findings, &s);
		export_hub_add(hub, &s);
	}
	engine_set_events(e, export_hub_event, hub, report_every_us(o));
	return 0;
}

int app_exports_start(struct app_exports *x, struct wt_err *err)
{
	if (x->pcapng && pcapng_start(x->pcapng, err) < 0)
		return -1;
	return x->hub ? export_hub_start(x->hub, err) : 0;
}

void app_exports_reopen(struct app_exports *x)
{
	pcapng_reopen(x->pcapng);
	export_hub_reopen(x->hub);
}

void app_exports_retune(struct app_exports *x, const struct options *o)
{
	pcapng_retune(x->pcapng, (uint64_t)o->pcapng_max_mb << 20);
	if (!x->hub)
		return;
	const struct jsonlog_opts jo = jsonlog_opts_of(o, false);
	const struct ipfix_opts io = ipfix_opts_of(o);
	const struct metrics_opts mo = metrics_opts_of(x, o);
	export_hub_retune(x->hub, "json-log", &jo, sizeof jo);
	export_hub_retune(x->hub, "ipfix", &io, sizeof io);
	export_hub_retune(x->hub, "metrics", &mo, sizeof mo);
	export_hub_set_report_every(x->hub, report_every_us(o));
	engine_set_report_every(x->engine, report_every_us(o));
}

uint64_t app_exports_drops(struct app_exports *x)
{
	return pcapng_drops(x->pcapng) + export_hub_drops(x->hub);
}

bool app_exports_on(const struct app_exports *x) { return x->hub || x->pcapng; }

void app_exports_stop(struct app_exports *x)
{
	pcapng_stop(x->pcapng);
	export_hub_stop(x->hub);
}

void app_exports_free(struct app_exports *x)
{
	export_hub_free(x->hub);
	pcapng_close(x->pcapng);
	x->hub = NULL;
	x->pcapng = NULL; /* x->findings is the caller's */
}
