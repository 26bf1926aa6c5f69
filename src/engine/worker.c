#include "engine/worker.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "base/addrtext.h"
#include "base/clock.h"
#include "base/log.h"
#include "base/xalloc.h"
#include "decode/decode.h"
#include "engine/engine.h"
#include "engine/expect.h"
#include "engine/locals.h"
#include "engine/names.h"
#include "engine/neighbours.h"
#include "output/json.h"

#define JSON_FLUSH_BYTES (64u << 10)
#define RELEASE_EVERY 64

/* All of buf to fd; 0, or the errno value of the failure. */
static int write_all(int fd, const char *buf, size_t len)
{
	size_t off = 0;
	while (off < len) {
		ssize_t n = write(fd, buf + off, len - off);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return n < 0 ? errno : EIO;
		off += (size_t)n;
	}
	return 0;
}

/* After a write error (a reader that went away, a full disk) nothing more
 * is written: the engine's owner sees out->error and ends the run. */
static void json_flush(struct worker *w)
{
	if (!w->json.len)
		return;
	pthread_mutex_lock(&w->out->mu);
	if (!atomic_load_explicit(&w->out->error, memory_order_relaxed)) {
		int e = write_all(w->out->fd, w->json.buf, w->json.len);
		if (e)
			atomic_store(&w->out->error, e);
	}
	pthread_mutex_unlock(&w->out->mu);
	w->json.len = 0;
}

void end_gate_init(struct end_gate *g, int workers)
{
	pthread_mutex_init(&g->mu, NULL);
	pthread_cond_init(&g->all_in, NULL);
	g->arrived = 0;
	g->workers = workers;
}

void end_gate_fini(struct end_gate *g)
{
	pthread_cond_destroy(&g->all_in);
	pthread_mutex_destroy(&g->mu);
}

void end_gate_pass(struct end_gate *g)
{
	struct timespec until = clock_real_deadline((uint64_t)END_GATE_WAIT_MS * US_PER_MS);
	pthread_mutex_lock(&g->mu);
	if (++g->arrived >= g->workers)
		pthread_cond_broadcast(&g->all_in);
	while (g->arrived < g->workers)
		if (pthread_cond_timedwait(&g->all_in, &g->mu, &until) != 0)
			break;
	pthread_mutex_unlock(&g->mu);
}

/* ---- closed rows: listed for linger_ms after their connection retired ---- */

static uint32_t closed_count(const struct closed_rows *c) { return c->rows->n - c->head; }

static void closed_drop_oldest(struct closed_rows *c)
{
	row_fini(&c->rows->rows[c->head]);
	c->head++;
}

/* Drops the dropped rows' slots once they are half the array. */
static void closed_compact(struct closed_rows *c)
{
	if (c->head < 64 || c->head < c->rows->n / 2)
		return;
	uint32_t n = closed_count(c);
	memmove(c->rows->rows, c->rows->rows + c->head, sizeof *c->rows->rows * n);
	c->rows->n = n;
	c->head = 0;
}

static void keep_closed_row(struct worker *w, const struct conn_row *borrowed, uint64_t now_us)
{
	struct conn_row *r = snapshot_push(w->closed.rows);
	row_copy(r, borrowed);
	r->closed = true;
	r->expires_us = now_us + (uint64_t)w->opts->linger_ms * US_PER_MS;
}

/* Closed rows go when their linger is over (they expire in the order they
 * came), unless the reader asked to keep them (the UI's history), and
 * early when tracked flows and closed rows together would exceed the
 * shard's connection cap: the cap bounds what the reader is shown too.
 * Viewing a file keeps them all. */
static void prune_closed(struct worker *w, uint64_t now_us)
{
	struct closed_rows *c = &w->closed;
	if (w->opts->keep_all_closed)
		return;
	bool keep = w->keep_closed && atomic_load_explicit(w->keep_closed, memory_order_relaxed);
	while (!keep && closed_count(c) && c->rows->rows[c->head].expires_us <= now_us)
		closed_drop_oldest(c);
	uint64_t cap = w->opts->tracker.max_flows, tracked = tracker_count(w->tracker);
	uint64_t cut = 0;
	while (closed_count(c) && tracked + closed_count(c) > cap) {
		closed_drop_oldest(c);
		cut++;
	}
	if (cut)
		atomic_fetch_add_explicit(&w->closed_cut, cut, memory_order_relaxed);
	closed_compact(c);
}

static const char *const retire_words[] = {
	[RETIRE_TIMEOUT] = "idle timeout", [RETIRE_REUSED] = "5-tuple reused",
	[RETIRE_EVICTED] = "evicted by the connection cap", [RETIRE_END] = "end of capture",
};

/* One debug line per connection event; the row's strings are sanitized. */
static void log_row(struct worker *w, const char *what, const struct conn_row *r, const char *why)
{
	char a[ADDR_TEXT_MAX], b[ADDR_TEXT_MAX];
	addr_text(a, r->family, r->src);
	addr_text(b, r->family, r->dst);
	char tail[128] = "";
	if (why)
		snprintf(tail, sizeof tail, " state %s, %llu+%llu packets (%s)", row_state_word(r),
			 (unsigned long long)r->src_packets, (unsigned long long)r->dst_packets, why);
	log_msg(w->opts->log, LOGLV_DEBUG, "%s %s %s:%u -> %s:%u%s", what, decode_proto_name(r->l4),
		a, r->sport, b, r->dport, tail);
}

/* The row of a flow as readers see it, the remote end named. Its meta is
 * the flow's; its names are its own (row_fini_borrowed). */
static void fill_row(struct worker *w, const struct flow *f, struct conn_row *r, uint64_t now_us)
{
	memset(r, 0, sizeof *r);
	tracker_fill_row(w->tracker, f, r, now_us, true);
	names_fill_row(w->names, r);
	neighbours_fill_row(w->neighbours, r);
}

static void on_created(void *opaque, const struct flow *f)
{
	struct worker *w = opaque;
	const struct engine_opts *o = w->opts;
	bool logged = log_enabled(o->log, LOGLV_DEBUG);
	if (!logged && !o->conn_event && !o->resolver)
		return; /* with a resolver, naming the row starts its lookup early */
	struct conn_row r;
	fill_row(w, f, &r, f->first_us);
	if (logged)
		log_row(w, "opened", &r, NULL);
	if (o->conn_event)
		o->conn_event(o->event_ctx, CONN_EVENT_OPENED, &r, w->index, 0, f->first_us);
	row_fini_borrowed(&r);
}

/* A walk over the flows that tells the exporters `ev` of each. */
struct event_walk {
	struct worker *w;
	uint64_t now_us;
	enum conn_event ev;
	int why;
};

static void report_flow(void *arg, const struct flow *f)
{
	const struct event_walk *a = arg;
	const struct engine_opts *o = a->w->opts;
	struct conn_row r;
	fill_row(a->w, f, &r, a->now_us);
	o->conn_event(o->event_ctx, a->ev, &r, a->w->index, a->why, a->now_us);
	row_fini_borrowed(&r);
}

/* Exporters hear of connections with traffic every active_every_us. */
static void maybe_report_active(struct worker *w, uint64_t now_us)
{
	const struct engine_opts *o = w->opts;
	uint64_t every = atomic_load_explicit(&o->active_every_us, memory_order_relaxed);
	if (!o->conn_event || !every)
		return;
	if (!w->last_active_us) {
		w->last_active_us = now_us;
		return;
	}
	if (now_us < w->last_active_us + every)
		return;
	struct event_walk a = { w, now_us, CONN_EVENT_ACTIVE, 0 };
	tracker_each_active(w->tracker, w->last_active_us, report_flow, &a);
	w->last_active_us = now_us;
}

static void on_retired(void *opaque, const struct flow *f, uint64_t now_us, enum retire_reason why)
{
	struct worker *w = opaque;
	const struct engine_opts *o = w->opts;
	struct conn_row r;
	fill_row(w, f, &r, now_us);
	if (o->row_join)
		o->row_join(o->hook_ctx, &r);
	if (log_enabled(o->log, LOGLV_DEBUG))
		log_row(w, "closed", &r, retire_words[why]);
	if (o->json && (!o->row_filter || o->row_filter(o->hook_ctx, &r, now_us))) {
		json_write_row(&w->json, &r, o->row_join != NULL);
		if (w->json.len >= JSON_FLUSH_BYTES)
			json_flush(w);
	}
	if (o->conn_event)
		o->conn_event(o->event_ctx, CONN_EVENT_RETIRED, &r, w->index, (int)why, now_us);
	/* evicted connections are counted, not listed: under a flood their rows
	 * would outgrow the cap */
	if (o->keep_rows && why != RETIRE_END && why != RETIRE_EVICTED)
		keep_closed_row(w, &r, now_us);
	row_fini_borrowed(&r);
}

/* A fresh snapshot of the shard for the reader: every tracked flow, with
 * rates over the window since the previous one, and the closed rows.
 * The previous snapshot is let go before the new one is made: a reader
 * that gave up its view before asking (the UI does) then never has two
 * copies of a shard's rows alive at once (tens of MiB each under a flood
 * at the connection cap), and its row array is reused, not mapped and
 * faulted in afresh (snapshot_renew). A reader that comes while they are
 * being made waits for them (published_locked). */
static void publish(struct worker *w, uint64_t now_us)
{
	pthread_mutex_lock(&w->mu);
	struct snapshot *old = w->published;
	w->published = NULL;
	w->building = true;
	pthread_mutex_unlock(&w->mu);
	const struct closed_rows *c = &w->closed;
	struct snapshot *s = snapshot_renew(old, tracker_count(w->tracker) + closed_count(c) + 1);
	s->now_us = now_us;
	tracker_rows(w->tracker, s, now_us);
	for (uint32_t i = 0; i < s->n; i++) {
		names_fill_row(w->names, &s->rows[i]);
		neighbours_fill_row(w->neighbours, &s->rows[i]);
	}
	for (uint32_t i = c->head; i < c->rows->n; i++)
		row_copy(snapshot_push(s), &c->rows->rows[i]);

	pthread_mutex_lock(&w->mu);
	w->published = s;
	w->building = false;
	pthread_cond_broadcast(&w->built);
	pthread_mutex_unlock(&w->mu);
}

/* Tell a reader waiting in engine_snapshot that request seq is answered. */
static void answer_rows(struct worker *w, uint64_t seq)
{
	pthread_mutex_lock(&w->rows_signal->mu);
	atomic_store(&w->rows_answered, seq);
	pthread_cond_broadcast(&w->rows_signal->cv);
	pthread_mutex_unlock(&w->rows_signal->mu);
}

static void update_counters(struct worker *w)
{
	const struct tracker_stats *st = tracker_stats(w->tracker);
	atomic_store_explicit(&w->flows, tracker_count(w->tracker), memory_order_relaxed);
	atomic_store_explicit(&w->closed_listed, closed_count(&w->closed), memory_order_relaxed);
	atomic_store_explicit(&w->flows_created, st->flows_created, memory_order_relaxed);
	atomic_store_explicit(&w->flows_evicted, st->flows_evicted, memory_order_relaxed);
	atomic_store_explicit(&w->flows_peak, st->flows_peak, memory_order_relaxed);
	atomic_store_explicit(&w->decode_errors, st->truncated + st->invalid, memory_order_relaxed);
	atomic_store_explicit(&w->unparsed, tracker_unparsed(st), memory_order_relaxed);
}

/* The clock moved on: retire what is due, and (live) hand the records
 * written since the last tick to the output, so a script reading them
 * sees each within a tick of its connection's retirement. */
static void on_tick(struct worker *w, uint64_t now_us)
{
	tracker_tick(w->tracker, now_us);
	prune_closed(w, now_us);
	maybe_report_active(w, now_us);
	update_counters(w);
	if (w->opts->json && w->opts->capture.path == NULL)
		json_flush(w);
}

/* The reader asked for rows: they are published as of now, every packet
 * handed over before the request included. */
static void on_rows(struct worker *w, uint64_t now_us, uint64_t seq)
{
	on_tick(w, now_us);
	if (w->opts->keep_rows)
		publish(w, now_us);
	answer_rows(w, seq);
}

static void on_end(struct worker *w, uint64_t now_us)
{
	if (w->opts->keep_all_closed) {
		tracker_tick(w->tracker, now_us);
		publish(w, now_us); /* viewing a file: open rows stay open */
		struct event_walk a = { w, now_us, CONN_EVENT_RETIRED, RETIRE_END };
		if (w->opts->conn_event) /* but the exporters have seen the whole file */
			tracker_each_active(w->tracker, 0, report_flow, &a);
	} else {
		tracker_flush(w->tracker, now_us);
		if (w->opts->keep_rows)
			publish(w, now_us);
	}
	update_counters(w);
	json_flush(w);
}

#define BATCH 16

/* Frames are taken a batch at a time and go through each stage together
 * (headers fetched, decoded with their flow lookups' index slots fetched,
 * flows fetched, tracked), so the cache misses of sixteen frames overlap
 * instead of following one another; records stay valid until the ring
 * space is released, which happens after the batch. */
struct batch {
	struct frame_rec fh[BATCH];
	const uint8_t *data[BATCH];
	struct pkt pkt[BATCH];
	enum decode_verdict v[BATCH];
	struct flow_lookup lk[BATCH];
	unsigned n;
};

static void batch_add(struct batch *b, const void *rec, bool by_ref)
{
	memcpy(&b->fh[b->n], rec, sizeof b->fh[b->n]);
	const uint8_t *data = (const uint8_t *)rec + sizeof b->fh[b->n];
	if (by_ref)
		memcpy(&data, data, sizeof data);
	__builtin_prefetch(data);
	__builtin_prefetch(data + 64);
	b->data[b->n++] = data;
}

static void batch_decode(struct worker *w, struct batch *b)
{
	for (unsigned i = 0; i < b->n; i++) {
		const struct frame_rec *fh = &b->fh[i];
		struct pkt *p = &b->pkt[i];
		p->ts_us = fh->ts_us;
		p->caplen = fh->caplen;
		p->wirelen = fh->wirelen;
		b->v[i] = decode_frame(fh->linktype, b->data[i], fh->caplen, p);
		if (b->v[i] == DECODE_OK && decode_may_name_neighbour(p))
			neighbours_note(w->neighbours, p);
		tracker_prefetch_slot(w->tracker, p, b->v[i], &b->lk[i]);
	}
}

static void batch_run(struct worker *w, struct batch *b)
{
	batch_decode(w, b);
	for (unsigned i = 0; i < b->n; i++)
		tracker_prefetch_flow(w->tracker, &b->lk[i]);
	for (unsigned i = 0; i < b->n; i++) {
		if (b->fh[i].flags & FRAME_QUOTE_ONLY)
			tracker_note_quote(w->tracker, &b->pkt[i], b->v[i]);
		else
			tracker_packet(w->tracker, &b->pkt[i], b->v[i], &b->lk[i]);
	}
	b->n = 0;
}

/* Done: a reader waiting for rows stops waiting for this worker. */
static void finish(struct worker *w)
{
	pthread_mutex_lock(&w->rows_signal->mu);
	atomic_store(&w->done, true);
	pthread_cond_broadcast(&w->rows_signal->cv);
	pthread_mutex_unlock(&w->rows_signal->mu);
}

/* New local addresses: flows from now on take their local side from them. */
static void on_locals(struct worker *w, const void *rec)
{
	struct local_set *s;
	memcpy(&s, rec, sizeof s);
	tracker_set_locals(w->tracker, local_set_view(s));
	local_set_drop(w->locals);
	w->locals = s;
}

static void *worker_main(void *arg)
{
	struct worker *w = arg;
	struct batch b = { .n = 0 };
	char name[16];
	snprintf(name, sizeof name, "wt-worker%d", w->index);
	pthread_setname_np(pthread_self(), name); /* top -H, perf; from inside: the sandbox allows it */
	unsigned since_release = 0;
	for (;;) {
		struct spsc_hdr h;
		const void *rec = spsc_peek(w->ring, &h);
		if (rec && (h.type == REC_FRAME || h.type == REC_FRAME_REF)) {
			batch_add(&b, rec, h.type == REC_FRAME_REF);
			spsc_consume(w->ring, &h);
			if (b.n < BATCH)
				continue;
		}
		batch_run(w, &b);
		if (++since_release >= RELEASE_EVERY / BATCH || !rec) {
			spsc_release(w->ring);
			since_release = 0;
		}
		if (!rec) {
			spsc_wait_data(w->ring, 100);
			continue;
		}
		if (h.type == REC_FRAME || h.type == REC_FRAME_REF)
			continue;
		if (h.type == REC_LOCALS) {
			on_locals(w, rec);
			spsc_consume(w->ring, &h);
			continue;
		}
		struct time_rec t;
		memcpy(&t, rec, sizeof t);
		spsc_consume(w->ring, &h);
		if (h.type == REC_TICK) {
			on_tick(w, t.now_us);
		} else if (h.type == REC_ROWS) {
			on_rows(w, t.now_us, t.seq);
		} else if (h.type == REC_END) {
			if (w->at_end)
				end_gate_pass(w->at_end);
			on_end(w, t.now_us);
			spsc_release(w->ring);
			finish(w);
			return NULL;
		}
	}
}

struct worker *worker_new(int index, const struct engine_opts *o, struct json_out *out,
			  struct rows_signal *rows_signal, const struct worker_shared *shared,
			  struct local_set *locals, size_t ring_bytes)
{
	struct worker *w = xcalloc(1, sizeof *w);
	w->index = index;
	w->opts = o;
	w->out = out;
	w->rows_signal = rows_signal;
	w->ring = spsc_new(ring_bytes);
	w->names = shared->names;
	w->neighbours = shared->neighbours;
	w->at_end = shared->at_end;
	w->keep_closed = shared->keep_closed;
	w->locals = local_set_hold(locals); /* o->tracker.locals views it */
	if (shared->names) {
		w->dpi_env.dns_answer = names_on_dns_answer;
		w->dpi_env.opaque = shared->names;
	}
	if (shared->expect) {
		w->dpi_env.announce = expect_announce;
		w->dpi_env.expected = expect_find;
		w->dpi_env.expect_ctx = shared->expect;
	}
	w->dpi_env.buffered_bytes = &w->dpi_buffered;
	w->dpi_env.buffered_limit = 64u << 20;
	struct tracker_opts to = o->tracker;
	to.dpi_env = &w->dpi_env;
	/* the event hook is set after the workers exist (engine_set_events) */
	struct tracker_sink sink = { on_retired, on_created, w };
	w->tracker = tracker_new(&to, &sink);
	outbuf_init(&w->json, JSON_FLUSH_BYTES + 4096);
	w->closed.rows = snapshot_new(64);
	pthread_mutex_init(&w->mu, NULL);
	pthread_cond_init(&w->built, NULL);
	return w;
}

int worker_start(struct worker *w)
{
	return pthread_create(&w->thread, NULL, worker_main, w);
}

void worker_join(struct worker *w)
{
	pthread_join(w->thread, NULL);
}

void worker_free(struct worker *w)
{
	if (!w)
		return;
	tracker_free(w->tracker);
	local_set_drop(w->locals);
	spsc_free(w->ring);
	outbuf_fini(&w->json);
	while (closed_count(&w->closed))
		closed_drop_oldest(&w->closed);
	w->closed.rows->n = 0; /* every row's strings are released */
	snapshot_free(w->closed.rows);
	snapshot_free(w->published);
	pthread_cond_destroy(&w->built);
	pthread_mutex_destroy(&w->mu);
	free(w);
}

/* The published rows, under w->mu: waits while the next are being built
 * (a copy of the shard, no blocking inside). */
static const struct snapshot *published_locked(struct worker *w)
{
	while (w->building)
		pthread_cond_wait(&w->built, &w->mu);
	return w->published;
}

void worker_copy_rows(struct worker *w, struct snapshot *s)
{
	pthread_mutex_lock(&w->mu);
	const struct snapshot *src = published_locked(w);
	for (uint32_t i = 0; src && i < src->n; i++) {
		row_copy(snapshot_push(s), &src->rows[i]);
	}
	if (src && src->now_us > s->now_us)
		s->now_us = src->now_us;
	pthread_mutex_unlock(&w->mu);
}

uint32_t worker_row_count(struct worker *w)
{
	pthread_mutex_lock(&w->mu);
	const struct snapshot *src = published_locked(w);
	uint32_t n = src ? src->n : 0;
	pthread_mutex_unlock(&w->mu);
	return n;
}

struct snapshot *worker_share_rows(struct worker *w)
{
	pthread_mutex_lock(&w->mu);
	published_locked(w);
	struct snapshot *v = w->published ? snapshot_share(w->published) : NULL;
	pthread_mutex_unlock(&w->mu);
	return v;
}
