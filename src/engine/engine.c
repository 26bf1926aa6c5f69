#include "engine/engine.h"

#include <ifaddrs.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "base/hash.h"
#include "base/xalloc.h"
#include "decode/decode.h"
#include "engine/names.h"
#include "engine/worker.h"

#define MAX_WORKERS 64
/* Offline the reader waits for a worker, so a small ring suffices (and
 * keeps memory low); live, the ring absorbs bursts the worker lags on. */
#define RING_BYTES_OFFLINE (2u << 20)
#define RING_BYTES_BY_REF (64u << 10) /* frame references only */
#define RING_BYTES_LIVE (8u << 20)
#define PUBLISH_EVERY 32
#define LIVE_TICK_US 100000u

struct engine {
	struct engine_opts opts;
	struct capture *cap;
	struct json_out out;
	struct names *names;           /* passive DNS, kept when rows are shown */
	struct worker *workers[MAX_WORKERS];
	int nworkers;
	uint8_t (*locals)[16];
	pthread_t capture_thread;
	bool started;
	_Atomic bool stop;
	_Atomic bool finished;
	_Atomic uint64_t packets, bytes, internal_drops, kernel_drops;
	uint64_t last_tick_us;
	unsigned unpublished[MAX_WORKERS];
	/* Zero-copy reading of a capture file: frames are passed by pointer
	 * into mapped windows; window_tail records, per window, each ring's
	 * position after its last frame, so a window is unmapped only once
	 * every worker has read past it. */
	bool by_ref;
	uint32_t cur_window;
	uint64_t window_tail[CAPTURE_WINDOWS][MAX_WORKERS];
	char warning[512];
};

/* One worker per core besides the capture thread's, at most 4: on two
 * cores a reader and one worker run side by side without contention. */
static int default_workers(void)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN) - 1;
	return n < 1 ? 1 : n > 4 ? 4 : (int)n;
}

static int cmp_addr(const void *a, const void *b) { return memcmp(a, b, 16); }

/* This machine's addresses, to tell the local side of a connection. */
static void load_locals(struct engine *e)
{
	struct ifaddrs *all;
	if (getifaddrs(&all) < 0)
		return;
	uint32_t n = 0, cap = 16;
	uint8_t (*v)[16] = xcalloc(cap, 16);
	for (struct ifaddrs *i = all; i; i = i->ifa_next) {
		if (!i->ifa_addr || (i->ifa_addr->sa_family != AF_INET && i->ifa_addr->sa_family != AF_INET6))
			continue;
		if (n == cap)
			v = xrealloc(v, (cap *= 2) * 16);
		memset(v[n], 0, 16);
		if (i->ifa_addr->sa_family == AF_INET)
			memcpy(v[n], &((const struct sockaddr_in *)(const void *)i->ifa_addr)->sin_addr, 4);
		else
			memcpy(v[n], &((const struct sockaddr_in6 *)(const void *)i->ifa_addr)->sin6_addr, 16);
		n++;
	}
	freeifaddrs(all);
	qsort(v, n, 16, cmp_addr);
	e->locals = v;
	e->opts.tracker.locals.n = n;
	e->opts.tracker.locals.addr = (const uint8_t (*)[16])v;
}

static bool is_loopback_name(const char *iface)
{
	return iface && strncmp(iface, "lo", 2) == 0 && (iface[2] == '\0' || (iface[2] >= '0' && iface[2] <= '9'));
}

static bool window_released(void *ctx, uint32_t window);

int engine_open(struct engine **out, const struct engine_opts *o, struct wt_err *err)
{
	struct engine *e = xcalloc(1, sizeof *e);
	e->opts = *o;
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
	if (capture_is_live(e->cap)) {
		load_locals(e);
		/* by default loopback flows show only when capturing on lo */
		e->opts.tracker.hide_localhost |= !o->show_localhost && !is_loopback_name(capture_name(e->cap));
	}
	e->nworkers = o->workers > 0 ? (o->workers > MAX_WORKERS ? MAX_WORKERS : o->workers) : default_workers();
	/* the cap is for the whole program: each shard holds its share */
	uint32_t cap = o->tracker.max_flows ? o->tracker.max_flows : TRACKER_DEFAULT_MAX_FLOWS;
	e->opts.tracker.max_flows = (cap + (uint32_t)e->nworkers - 1) / (uint32_t)e->nworkers;
	e->out.fd = o->json_fd;
	pthread_mutex_init(&e->out.mu, NULL);
	if (o->keep_rows)
		e->names = names_new(65536);
	e->by_ref = capture_has_windows(e->cap);
	e->cur_window = CAPTURE_NO_WINDOW;
	size_t ring = capture_is_live(e->cap) ? RING_BYTES_LIVE
		      : e->by_ref ? RING_BYTES_BY_REF : RING_BYTES_OFFLINE;
	for (int i = 0; i < e->nworkers; i++)
		e->workers[i] = worker_new(i, &e->opts, &e->out, e->names, ring);
	if (e->by_ref)
		capture_set_window_gate(e->cap, window_released, e);
	*out = e;
	return 0;
}

/* Both directions of a flow, and all fragments of a datagram, share the
 * address pair: XOR is symmetric, the mix spreads it over the workers.
 * Nothing is decoded here beyond the addresses (decoding is the workers'
 * job), and with one worker not even those. */
static int shard_of(const struct engine *e, const struct frame *fr)
{
	if (e->nworkers == 1)
		return 0;
	uint8_t src[16], dst[16];
	if (!decode_addresses(fr->linktype, fr->data, fr->caplen, src, dst))
		return 0; /* counted by the worker that decodes it */
	uint64_t x[2], y[2];
	memcpy(x, src, 16);
	memcpy(y, dst, 16);
	return (int)(hash_mix64((x[0] ^ y[0]) * 31 + (x[1] ^ y[1])) % (uint64_t)e->nworkers);
}

static void publish_ring(struct engine *e, int w)
{
	spsc_publish(e->workers[w]->ring);
	e->unpublished[w] = 0;
}

static void flush_ring(struct engine *e, int w)
{
	spsc_flush(e->workers[w]->ring);
	e->unpublished[w] = 0;
}

/* Room in worker w's ring; offline waits for it, live drops the frame. */
static void *reserve(struct engine *e, int w, uint32_t n, uint32_t type, bool may_wait)
{
	for (;;) {
		void *slot = spsc_reserve(e->workers[w]->ring, n, type);
		if (slot || !may_wait || atomic_load_explicit(&e->stop, memory_order_relaxed))
			return slot;
		publish_ring(e, w);
		spsc_wait_space(e->workers[w]->ring, n, 100);
	}
}

static bool live_clock(struct engine *e) { return capture_is_live(e->cap); }

static void send_time(struct engine *e, uint32_t type, uint64_t now_us)
{
	for (int w = 0; w < e->nworkers; w++) {
		void *slot = reserve(e, w, sizeof now_us, type, true);
		if (slot) {
			memcpy(slot, &now_us, sizeof now_us);
			spsc_commit(e->workers[w]->ring, sizeof now_us);
		}
		if (type == REC_END || live_clock(e))
			flush_ring(e, w);
		else
			publish_ring(e, w);
	}
}

static void record_window_tails(struct engine *e, uint32_t window)
{
	for (int w = 0; w < e->nworkers; w++)
		e->window_tail[window % CAPTURE_WINDOWS][w] = spsc_produced(e->workers[w]->ring);
}

/* The capture's gate: returns once no worker can still read `window`. */
static bool window_released(void *ctx, uint32_t window)
{
	struct engine *e = ctx;
	if (e->cur_window == CAPTURE_NO_WINDOW || window > e->cur_window)
		return true; /* no frame of it was handed out */
	if (window == e->cur_window)
		record_window_tails(e, window);
	for (int w = 0; w < e->nworkers; w++) {
		flush_ring(e, w);
		while (!spsc_wait_consumed(e->workers[w]->ring, e->window_tail[window % CAPTURE_WINDOWS][w], 10))
			flush_ring(e, w);
	}
	return true;
}

static void dispatch(struct engine *e, const struct frame *fr, bool live)
{
	int w = shard_of(e, fr);
	bool by_ref = fr->window != CAPTURE_NO_WINDOW && e->by_ref;
	if (by_ref && fr->window != e->cur_window) {
		if (e->cur_window != CAPTURE_NO_WINDOW)
			record_window_tails(e, e->cur_window);
		e->cur_window = fr->window;
	}
	uint32_t n = (uint32_t)sizeof(struct frame_rec) + (by_ref ? (uint32_t)sizeof fr->data : fr->caplen);
	uint8_t *slot = reserve(e, w, n, by_ref ? REC_FRAME_REF : REC_FRAME, !live);
	if (!slot) {
		atomic_fetch_add_explicit(&e->internal_drops, 1, memory_order_relaxed);
		return;
	}
	struct frame_rec fh = { fr->ts_us, fr->caplen, fr->wirelen, fr->linktype, 0 };
	memcpy(slot, &fh, sizeof fh);
	if (by_ref)
		memcpy(slot + sizeof fh, &fr->data, sizeof fr->data);
	else
		memcpy(slot + sizeof fh, fr->data, fr->caplen);
	spsc_commit(e->workers[w]->ring, n);
	if (++e->unpublished[w] >= PUBLISH_EVERY)
		publish_ring(e, w);
}

static uint64_t wall_us(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u;
}

/* Offline: tick when packet time enters a new second. Live: every 100 ms. */
static void maybe_tick(struct engine *e, uint64_t now_us, bool live)
{
	bool due = live ? now_us >= e->last_tick_us + LIVE_TICK_US
			: now_us / 1000000 != e->last_tick_us / 1000000;
	if (!due)
		return;
	e->last_tick_us = now_us;
	send_time(e, REC_TICK, now_us);
	if (live)
		atomic_store_explicit(&e->kernel_drops, capture_kernel_drops(e->cap), memory_order_relaxed);
}

static void *capture_main(void *arg)
{
	struct engine *e = arg;
	pthread_setname_np(pthread_self(), "wt-capture");
	bool live = capture_is_live(e->cap);
	uint64_t last_ts = 0;
	struct wt_err err = { 0 };
	while (!atomic_load_explicit(&e->stop, memory_order_relaxed)) {
		struct frame fr;
		enum capture_result rc = capture_next(e->cap, &fr, &err);
		if (rc == CAPTURE_FRAME) {
			atomic_fetch_add_explicit(&e->packets, 1, memory_order_relaxed);
			atomic_fetch_add_explicit(&e->bytes, fr.wirelen, memory_order_relaxed);
			if (fr.ts_us > last_ts)
				last_ts = fr.ts_us;
			maybe_tick(e, live ? wall_us() : last_ts, live);
			dispatch(e, &fr, live);
		} else if (rc == CAPTURE_TIMEOUT) {
			maybe_tick(e, wall_us(), true);
			for (int w = 0; w < e->nworkers; w++)
				flush_ring(e, w);
		} else {
			if (rc == CAPTURE_BROKEN || rc == CAPTURE_ERROR)
				snprintf(e->warning, sizeof e->warning, "%s", err.msg);
			break;
		}
	}
	if (live)
		atomic_store(&e->kernel_drops, capture_kernel_drops(e->cap));
	send_time(e, REC_END, live ? wall_us() : last_ts);
	return NULL;
}

void engine_set_hooks(struct engine *e, bool (*row_filter)(void *, const struct conn_row *, uint64_t),
		      void (*row_join)(void *, struct conn_row *), void *ctx)
{
	e->opts.row_filter = row_filter;
	e->opts.row_join = row_join;
	e->opts.hook_ctx = ctx;
}

int engine_start(struct engine *e, struct wt_err *err)
{
	for (int i = 0; i < e->nworkers; i++)
		if (worker_start(e->workers[i]) != 0)
			return wt_err_set(err, WT_ERR_SYSTEM, "cannot start worker thread");
	if (pthread_create(&e->capture_thread, NULL, capture_main, e) != 0)
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
	return 0;
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
	pthread_mutex_destroy(&e->out.mu);
	free(e->locals);
	free(e);
}

struct snapshot *engine_snapshot(struct engine *e)
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
	s->kernel_drops = st.kernel_drops;
	s->internal_drops = st.internal_drops;
	s->flows_total = st.flows;
	s->flows_evicted = st.flows_evicted;
	s->unparsed = st.unparsed;
	return s;
}

void engine_status(struct engine *e, struct engine_status *st)
{
	memset(st, 0, sizeof *st);
	snprintf(st->source, sizeof st->source, "%s", capture_name(e->cap));
	st->live = capture_is_live(e->cap);
	st->finished = engine_finished(e);
	st->linktype = capture_linktype(e->cap);
	st->workers = e->nworkers;
	st->packets = atomic_load_explicit(&e->packets, memory_order_relaxed);
	st->bytes = atomic_load_explicit(&e->bytes, memory_order_relaxed);
	st->kernel_drops = atomic_load_explicit(&e->kernel_drops, memory_order_relaxed);
	st->internal_drops = atomic_load_explicit(&e->internal_drops, memory_order_relaxed);
	for (int i = 0; i < e->nworkers; i++) {
		st->flows += atomic_load_explicit(&e->workers[i]->flows, memory_order_relaxed);
		st->flows_created += atomic_load_explicit(&e->workers[i]->flows_created, memory_order_relaxed);
		st->flows_evicted += atomic_load_explicit(&e->workers[i]->flows_evicted, memory_order_relaxed);
		st->flows_peak += atomic_load_explicit(&e->workers[i]->flows_peak, memory_order_relaxed);
		st->decode_errors += atomic_load_explicit(&e->workers[i]->decode_errors, memory_order_relaxed);
		st->unparsed += atomic_load_explicit(&e->workers[i]->unparsed, memory_order_relaxed);
	}
}
