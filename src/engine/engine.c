#include "base/clock.h"
#include "engine/engine_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "base/xalloc.h"
#include "decode/decode.h"
#include "dissect/registry.h"
#include "engine/expect.h"
#include "engine/locals.h"
#include "engine/names.h"
#include "engine/neighbours.h"
#include "engine/resolver.h"

/* Offline the reader waits for a worker, so a small ring suffices (and
 * keeps memory low); live, the ring absorbs bursts the worker lags on. */
#define RING_BYTES_OFFLINE (2u << 20)
#define RING_BYTES_BY_REF (64u << 10) /* frame references only */
/* Live, a worker building the UI's first full snapshot under a flood
 * stalls for its length (100-150 ms at 100,000 rows): at 400,000 packets/s
 * that is up to 60,000 frames to hold, 6 MiB; the ring has room for twice
 * that before it drops */
#define RING_BYTES_LIVE (16u << 20)
/* How long engine_snapshot waits for the workers' fresh rows before it
 * makes do with the ones they published last. */
#define ROWS_WAIT_MS 250

/* One worker per core besides the capture thread's, at most 4: on two
 * cores a reader and one worker run side by side without contention. */
static int default_workers(void)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN) - 1;
	return n < 1 ? 1 : n > 4 ? 4 : (int)n;
}

static bool is_loopback_name(const char *iface)
{
	return iface && strncmp(iface, "lo", 2) == 0 && (iface[2] == '\0' || (iface[2] >= '0' && iface[2] <= '9'));
}

int engine_open(struct engine **out, const struct engine_opts *o, struct wt_err *err)
{
	struct engine *e = xcalloc(1, sizeof *e);
	e->opts = *o;
	e->addr_watch = -1;
	if (capture_open(&e->cap, &o->capture, err) < 0) {
		free(e);
		return -1;
	}
	int lt = capture_linktype(e->cap);
	if (!decode_linktype_supported(lt)) {
		const char *name = decode_linktype_name(lt);
		wt_err_set(err, WT_ERR_INPUT, "%s: unsupported link type %d%s%s%s", capture_name(e->cap), lt,
			   name ? " (" : "", name ? name : "", name ? ")" : "");
		capture_close(e->cap);
		free(e);
		return -1;
	}
	if (!o->tracker.no_dpi)
		registry_prepare(); /* what dissectors load from files: before the sandbox */
	if (capture_is_live(e->cap)) {
		/* this machine's addresses, to tell the local side of a
		 * connection, and its default gateways, to mark connections
		 * to them; the capture thread keeps them current */
		e->addr_watch = local_watch_open();
		e->locals = local_set_read();
		e->opts.tracker.locals = local_set_view(e->locals);
		/* by default loopback flows show only when capturing on lo */
		e->opts.tracker.hide_localhost |= !o->show_localhost && !is_loopback_name(capture_name(e->cap));
	}
	e->nworkers = o->workers > 0 ? (o->workers > MAX_WORKERS ? MAX_WORKERS : o->workers) : default_workers();
	/* the cap is for the whole program: each shard holds its share */
	uint32_t cap = o->tracker.max_flows ? o->tracker.max_flows : TRACKER_DEFAULT_MAX_FLOWS;
	e->opts.tracker.max_flows = (cap + (uint32_t)e->nworkers - 1) / (uint32_t)e->nworkers;
	e->out.fd = o->json_fd;
	pthread_mutex_init(&e->out.mu, NULL);
	pthread_mutex_init(&e->rows_signal.mu, NULL);
	pthread_cond_init(&e->rows_signal.cv, NULL);
	e->names = names_new(65536, o->resolver);
	e->neighbours = neighbours_new(0, o->tracker.oui);
	if (o->resolver)
		e->opts.tracker.own = resolver_own_ports(o->resolver);
	e->by_ref = capture_has_windows(e->cap);
	e->cur_window = CAPTURE_NO_WINDOW;
	size_t ring = capture_is_live(e->cap) ? RING_BYTES_LIVE
		      : e->by_ref ? RING_BYTES_BY_REF : RING_BYTES_OFFLINE;
	struct worker_shared shared = { e->names, e->neighbours, NULL, NULL, &e->keep_closed };
	if (!o->tracker.no_dpi)
		shared.expect = e->expect = expect_new(0);
	if (e->nworkers > 1) {
		end_gate_init(&e->at_end, e->nworkers);
		shared.at_end = &e->at_end;
	}
	for (int i = 0; i < e->nworkers; i++)
		e->workers[i] = worker_new(i, &e->opts, &e->out, &e->rows_signal, &shared, e->locals, ring);
	if (e->by_ref)
		capture_set_window_gate(e->cap, engine_window_released, e);
	*out = e;
	return 0;
}

void engine_set_hooks(struct engine *e, bool (*row_filter)(void *, const struct conn_row *, uint64_t),
		      void (*row_join)(void *, struct conn_row *), void *ctx)
{
	e->opts.row_filter = row_filter;
	e->opts.row_join = row_join;
	e->opts.hook_ctx = ctx;
}

void engine_set_events(struct engine *e,
		       void (*fn)(void *, enum conn_event, const struct conn_row *, int, int, uint64_t),
		       void *ctx, uint64_t active_every_us)
{
	e->opts.conn_event = fn;
	e->opts.event_ctx = ctx;
	atomic_store_explicit(&e->opts.active_every_us, active_every_us, memory_order_relaxed);
}

void engine_set_report_every(struct engine *e, uint64_t active_every_us)
{
	atomic_store_explicit(&e->opts.active_every_us, active_every_us, memory_order_relaxed);
}

void engine_set_tap(struct engine *e,
		    void (*fn)(void *, uint64_t, const uint8_t *, uint32_t, uint32_t, int, bool), void *ctx)
{
	e->opts.frame_tap = fn;
	e->opts.tap_ctx = ctx;
}

int engine_start(struct engine *e, struct wt_err *err)
{
	for (int i = 0; i < e->nworkers; i++)
		if (worker_start(e->workers[i]) != 0)
			return wt_err_set(err, WT_ERR_SYSTEM, "cannot start worker thread");
	if (pthread_create(&e->capture_thread, NULL, engine_reader_main, e) != 0)
		return wt_err_set(err, WT_ERR_SYSTEM, "cannot start capture thread");
	e->started = true;
	return 0;
}

void engine_stop(struct engine *e)
{
	atomic_store(&e->stop, true);
	if (e->cap)
		capture_break(e->cap);
}

bool engine_finished(struct engine *e)
{
	for (int i = 0; i < e->nworkers; i++)
		if (!atomic_load(&e->workers[i]->done))
			return false;
	return true;
}

int engine_output_error(struct engine *e)
{
	return atomic_load(&e->out.error);
}

int engine_wait(struct engine *e, char *warn, size_t warncap)
{
	if (e->started) {
		pthread_join(e->capture_thread, NULL);
		for (int i = 0; i < e->nworkers; i++)
			worker_join(e->workers[i]);
		e->started = false;
	}
	if (warn && warncap)
		snprintf(warn, warncap, "%s", e->warning);
	return e->failed ? -1 : 0;
}

void engine_free(struct engine *e)
{
	if (!e)
		return;
	if (e->started) {
		engine_stop(e);
		engine_wait(e, NULL, 0);
	}
	for (int i = 0; i < e->nworkers; i++)
		worker_free(e->workers[i]);
	capture_close(e->cap);
	names_free(e->names);
	neighbours_free(e->neighbours);
	expect_free(e->expect);
	if (e->nworkers > 1)
		end_gate_fini(&e->at_end);
	pthread_mutex_destroy(&e->out.mu);
	pthread_mutex_destroy(&e->rows_signal.mu);
	pthread_cond_destroy(&e->rows_signal.cv);
	local_set_drop(e->locals);
	local_set_drop(e->locals_pending);
	if (e->addr_watch >= 0)
		close(e->addr_watch);
	free(e);
}

static bool rows_answered(struct engine *e, uint64_t seq)
{
	for (int i = 0; i < e->nworkers; i++)
		if (atomic_load(&e->workers[i]->rows_answered) < seq && !atomic_load(&e->workers[i]->done))
			return false;
	return true;
}

/* Ask every worker for rows as of now and wait (at most ROWS_WAIT_MS) for
 * them: the capture thread passes the request on behind the frames it
 * handed over, so the rows hold every packet read before the call. */
static void request_rows(struct engine *e)
{
	if (!e->started)
		return;
	uint64_t seq = atomic_fetch_add(&e->rows_wanted, 1) + 1;
	if (capture_is_live(e->cap))
		capture_break(e->cap); /* wakes a capture thread waiting for packets */
	struct timespec until = clock_real_deadline(ROWS_WAIT_MS * US_PER_MS);
	pthread_mutex_lock(&e->rows_signal.mu);
	while (!rows_answered(e, seq))
		if (pthread_cond_timedwait(&e->rows_signal.cv, &e->rows_signal.mu, &until) != 0)
			break; /* late: the rows published last will do this time */
	pthread_mutex_unlock(&e->rows_signal.mu);
}

bool engine_rows_late(struct engine *e)
{
	return e->started && !rows_answered(e, atomic_load(&e->rows_wanted));
}

struct snapshot *engine_snapshot(struct engine *e)
{
	request_rows(e);
	/* asked before the rows are taken: rows that come in between are not
	 * missed, at worst taken twice */
	bool late = engine_rows_late(e);
	struct snapshot *s = engine_rows(e);
	s->late = late;
	return s;
}

struct snapshot *engine_rows(struct engine *e)
{
	struct snapshot *s = e->nworkers == 1 ? worker_share_rows(e->workers[0]) : NULL;
	if (!s) { /* several shards: merge copies of their rows */
		uint32_t rows = 0;
		for (int i = 0; i < e->nworkers; i++)
			rows += worker_row_count(e->workers[i]);
		s = snapshot_new(rows + 1024); /* room for a publish in between */
		for (int i = 0; i < e->nworkers; i++)
			worker_copy_rows(e->workers[i], s);
	}
	if (e->opts.row_join)
		for (uint32_t i = 0; i < s->n; i++)
			e->opts.row_join(e->opts.hook_ctx, &s->rows[i]);
	struct engine_status st;
	engine_status(e, &st);
	s->packets = st.packets;
	s->bytes = st.bytes;
	s->last_packet_us = st.last_packet_us;
	s->kernel_drops = st.kernel_drops;
	s->internal_drops = st.internal_drops;
	s->flows_total = st.flows + st.closed_listed;
	s->flows_evicted = st.flows_evicted;
	s->unparsed = st.unparsed;
	s->closed_cut = st.closed_cut;
	return s;
}

static const char *const link_words[] = {
	[CAPTURE_LINK_UP] = "", [CAPTURE_LINK_DOWN] = "link down",
	[CAPTURE_LINK_NO_CARRIER] = "no carrier", [CAPTURE_LINK_GONE] = "interface gone, waiting for it",
};

void engine_keep_closed(struct engine *e, bool on)
{
	atomic_store_explicit(&e->keep_closed, on, memory_order_relaxed);
}

void engine_status(struct engine *e, struct engine_status *st)
{
	memset(st, 0, sizeof *st);
	snprintf(st->source, sizeof st->source, "%s", capture_name(e->cap));
	st->live = capture_is_live(e->cap);
	st->finished = engine_finished(e);
	st->linktype = capture_linktype(e->cap);
	st->workers = e->nworkers;
	int link = atomic_load_explicit(&e->link, memory_order_relaxed);
	snprintf(st->link, sizeof st->link, "%s", link_words[link]);
	st->gone = link == CAPTURE_LINK_GONE;
	if (atomic_load_explicit(&e->warned, memory_order_acquire))
		snprintf(st->stopped, sizeof st->stopped, "%s", e->warning);
	st->packets = atomic_load_explicit(&e->packets, memory_order_relaxed);
	st->bytes = atomic_load_explicit(&e->bytes, memory_order_relaxed);
	st->last_packet_us = atomic_load_explicit(&e->last_packet_us, memory_order_relaxed);
	st->kernel_drops = atomic_load_explicit(&e->kernel_drops, memory_order_relaxed);
	st->internal_drops = atomic_load_explicit(&e->internal_drops, memory_order_relaxed);
	st->drops = (struct capture_trouble){
		st->kernel_drops + st->internal_drops,
		atomic_load_explicit(&e->drops_first_us, memory_order_relaxed),
		atomic_load_explicit(&e->drops_last_us, memory_order_relaxed),
	};
	st->link_downs = (struct capture_trouble){
		atomic_load_explicit(&e->link_downs, memory_order_relaxed),
		atomic_load_explicit(&e->link_first_down_us, memory_order_relaxed),
		atomic_load_explicit(&e->link_last_down_us, memory_order_relaxed),
	};
	for (int i = 0; i < e->nworkers; i++) {
		const struct worker *w = e->workers[i];
		st->flows += atomic_load_explicit(&w->flows, memory_order_relaxed);
		st->closed_listed += atomic_load_explicit(&w->closed_listed, memory_order_relaxed);
		st->closed_cut += atomic_load_explicit(&w->closed_cut, memory_order_relaxed);
		st->flows_created += atomic_load_explicit(&w->flows_created, memory_order_relaxed);
		st->flows_evicted += atomic_load_explicit(&w->flows_evicted, memory_order_relaxed);
		st->flows_peak += atomic_load_explicit(&w->flows_peak, memory_order_relaxed);
		st->decode_errors += atomic_load_explicit(&w->decode_errors, memory_order_relaxed);
		st->unparsed += atomic_load_explicit(&w->unparsed, memory_order_relaxed);
	}
}
