#include "export/hub.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/clock.h"
#include "base/macros.h"
#include "base/xalloc.h"
#include "export/conntab.h"
#include "export/ipfix_enc.h"
#include "flow/state.h"
#include "flow/tracker.h"

#define MAX_SINKS CONNTAB_SINKS
#define BATCH 256
#define TICK_US (100 * US_PER_MS)

struct hub_event {
	uint8_t ev;                   /* enum conn_event */
	uint8_t why;                  /* enum retire_reason */
	uint8_t shard;
	uint64_t now_us;
	struct conn_row row;          /* owned by the event */
};

/* A growable list of connection keys. */
struct keys {
	uint64_t *v;
	uint32_t n, cap;
};

struct export_hub {
	struct export_hub_opts o;
	struct export_sink sinks[MAX_SINKS];
	int nsinks;
	pthread_t thread;
	bool started;
	/* the queue: workers push, the hub's thread pops */
	pthread_mutex_t mu;
	pthread_cond_t not_empty, not_full;
	struct hub_event *q;
	uint32_t cap, head, n;
	bool stop;
	_Atomic uint64_t dropped;
	_Atomic bool reopen;
	/* settings for the exporters' retune, applied by the hub's thread */
	struct {
		bool due;
		unsigned char opts[EXPORT_OPTS_MAX];
	} retune[MAX_SINKS];                   /* guarded by mu */
	_Atomic bool retune_due;
	/* the hub thread's own */
	struct conntab *conns;
	struct keys pending;          /* connections whose OPEN waits for their process */
	struct keys due;              /* scratch of sweep() */
	uint64_t clock_us[64];        /* each shard's data clock: the newest event's */
	_Atomic uint64_t report_every_us; /* the longest cadence of ACTIVE reports so far */
	uint64_t last_tick_us, last_sweep_us;
};

struct export_hub *export_hub_new(const struct export_hub_opts *o)
{
	struct export_hub *h = xcalloc(1, sizeof *h);
	h->o = *o;
	if (!h->o.queue_len)
		h->o.queue_len = 32768;
	if (!h->o.open_wait_us)
		h->o.open_wait_us = 2 * US_PER_SEC;
	if (!h->o.max_idle_us)
		h->o.max_idle_us = 3600 * US_PER_SEC;
	if (!h->o.report_every_us || h->o.report_every_us > h->o.max_idle_us)
		h->o.report_every_us = h->o.max_idle_us;
	atomic_init(&h->report_every_us, h->o.report_every_us);
	h->cap = h->o.queue_len;
	h->q = xcalloc(h->cap, sizeof *h->q);
	pthread_mutex_init(&h->mu, NULL);
	pthread_cond_init(&h->not_empty, NULL);
	pthread_cond_init(&h->not_full, NULL);
	h->conns = conntab_new();
	return h;
}

void export_hub_add(struct export_hub *h, const struct export_sink *s)
{
	if (h->nsinks < MAX_SINKS)
		h->sinks[h->nsinks++] = *s;
}

int export_hub_count(const struct export_hub *h) { return h ? h->nsinks : 0; }

/* ---- the queue (worker threads) ---- */

void export_hub_event(void *hub, enum conn_event ev, const struct conn_row *r, int shard, int why,
		      uint64_t now_us)
{
	struct export_hub *h = hub;
	struct hub_event e = { (uint8_t)ev, (uint8_t)why, (uint8_t)shard, now_us, { 0 } };
	row_copy(&e.row, r); /* outside the lock */
	pthread_mutex_lock(&h->mu);
	while (h->n == h->cap && h->o.wait_when_full && !h->stop)
		pthread_cond_wait(&h->not_full, &h->mu);
	bool room = h->n < h->cap;
	if (room) {
		h->q[(h->head + h->n) % h->cap] = e;
		if (h->n++ == 0)
			pthread_cond_signal(&h->not_empty);
	}
	pthread_mutex_unlock(&h->mu);
	if (!room) {
		atomic_fetch_add_explicit(&h->dropped, 1, memory_order_relaxed);
		row_fini(&e.row);
	}
}

/* Up to BATCH events into out; waits up to a tick for the first. */
static uint32_t take(struct export_hub *h, struct hub_event *out, bool *stopping)
{
	pthread_mutex_lock(&h->mu);
	if (!h->n && !h->stop) {
		struct timespec until = clock_real_deadline(TICK_US);
		pthread_cond_timedwait(&h->not_empty, &h->mu, &until);
	}
	uint32_t k = 0;
	while (k < BATCH && h->n) {
		out[k++] = h->q[h->head];
		h->head = (h->head + 1) % h->cap;
		h->n--;
	}
	if (k)
		pthread_cond_broadcast(&h->not_full);
	*stopping = h->stop && !h->n;
	pthread_mutex_unlock(&h->mu);
	return k;
}

/* ---- records (the hub's thread) ---- */

static uint64_t key_of(const struct conn_row *r, int shard) { return (r->id << 6) | (uint64_t)shard; }

static const uint8_t closing_states[] = {
	FS_TCP + TCP_ST_CLOSED,     FS_TCP + TCP_ST_TIME_WAIT,  FS_TCP + TCP_ST_CLOSING,
	FS_TCP + TCP_ST_LAST_ACK,   FS_TCP + TCP_ST_CLOSE_WAIT, FS_TCP + TCP_ST_FIN_WAIT1,
	FS_TCP + TCP_ST_FIN_WAIT2,  FS_APP + APP_STATE_QUIC_CLOSED, FS_APP + APP_STATE_QUIC_DRAINING,
};

static uint8_t end_reason(const struct conn_row *r, int why)
{
	switch (why) {
	case RETIRE_REUSED: return IPFIX_END_DETECTED;
	case RETIRE_EVICTED: return IPFIX_END_RESOURCES;
	case RETIRE_END: return IPFIX_END_FORCED;
	default: break;
	}
	for (size_t i = 0; i < ARRAY_LEN(closing_states); i++)
		if (r->state == closing_states[i])
			return IPFIX_END_DETECTED;
	return IPFIX_END_IDLE;
}

static void fill_proc(struct export_hub *h, struct conn_row *r, struct export_proc *p)
{
	memset(p, 0, sizeof *p);
	if (h->o.join && r->proc.pid <= 0)
		h->o.join(h->o.ctx, r);
	if (h->o.proc_detail && r->proc.pid > 0)
		h->o.proc_detail(h->o.ctx, r->proc.pid, p);
}

/* Counters since sink i's previous record; moves its mark. */
static void deltas(struct conn_mark *m, const struct conn_row *r, uint64_t now_us, struct export_rec *rec)
{
	const uint64_t pk[2] = { r->src_packets, r->dst_packets };
	const uint64_t by[2] = { r->src_bytes, r->dst_bytes };
	const uint64_t ip[2] = { r->src_ip_bytes, r->dst_ip_bytes };
	for (int d = 0; d < 2; d++) {
		rec->d_packets[d] = pk[d] - m->packets[d];
		rec->d_bytes[d] = by[d] - m->bytes[d];
		rec->d_ip_bytes[d] = ip[d] - m->ip_bytes[d];
		m->packets[d] = pk[d];
		m->bytes[d] = by[d];
		m->ip_bytes[d] = ip[d];
	}
	m->at_us = now_us;
}

static void keys_push(struct keys *k, uint64_t key)
{
	if (k->n == k->cap) {
		k->cap = k->cap ? k->cap * 2 : 256;
		k->v = xrealloc(k->v, k->cap * sizeof *k->v);
	}
	k->v[k->n++] = key;
}

static bool keys_remove(struct keys *k, uint64_t key)
{
	for (uint32_t i = 0; i < k->n; i++)
		if (k->v[i] == key) {
			k->v[i] = k->v[--k->n];
			return true;
		}
	return false;
}

static void announce(struct export_hub *h, struct conn_state *st, uint64_t ts_us)
{
	struct export_proc p;
	fill_proc(h, st->last, &p);
	struct export_rec rec = { .kind = EXPORT_OPEN, .row = st->last, .proc = &p, .ts_us = ts_us };
	for (int i = 0; i < h->nsinks; i++)
		h->sinks[i].record(h->sinks[i].self, &rec);
	st->announced = true;
}

/* The final record of st's row to every exporter. A connection the hub
 * closed already (lost) tells only what came since. */
static void close_conn(struct export_hub *h, struct conn_state *st, uint8_t why, uint64_t ts_us)
{
	struct export_proc p;
	fill_proc(h, st->last, &p);
	struct export_rec rec = { EXPORT_CLOSE, why, st->last, &p, ts_us, { 0 }, { 0 }, { 0 } };
	for (int i = 0; i < h->nsinks; i++) {
		struct export_rec mine = rec;
		deltas(&st->mark[i], st->last, ts_us, &mine);
		if (st->lost && !mine.d_packets[0] && !mine.d_packets[1])
			continue;
		h->sinks[i].record(h->sinks[i].self, &mine);
	}
}

static void on_opened(struct export_hub *h, struct hub_event *e, uint64_t key)
{
	bool created;
	struct conn_state *st = conntab_get(h->conns, key, &created);
	if (!created)
		return; /* cannot happen: ids are not reused */
	st->seen_wall_us = clock_real_us();
	conntab_keep_row(st, &e->row);
	if (h->o.join)
		keys_push(&h->pending, key);
	else
		announce(h, st, e->now_us);
}

static void on_active(struct export_hub *h, struct hub_event *e, uint64_t key)
{
	struct conn_state *st = conntab_find(h->conns, key);
	if (!st || !st->announced)
		return; /* its OPEN is still held back (or was dropped) */
	conntab_keep_row(st, &e->row);
	st->lost = false; /* alive after all: its retirement is still to come */
	struct export_proc p;
	bool filled = false;
	for (int i = 0; i < h->nsinks; i++) {
		const struct export_sink *s = &h->sinks[i];
		uint64_t since = st->mark[i].at_us ? st->mark[i].at_us : st->last->first_seen_us;
		if (!s->active_us || e->now_us < since + s->active_us)
			continue;
		if (!filled) {
			fill_proc(h, st->last, &p);
			filled = true;
		}
		struct export_rec rec = { EXPORT_UPDATE, IPFIX_END_ACTIVE, st->last, &p, e->now_us, { 0 }, { 0 }, { 0 } };
		deltas(&st->mark[i], st->last, e->now_us, &rec);
		s->record(s->self, &rec);
	}
}

static void on_retired(struct export_hub *h, struct hub_event *e, uint64_t key)
{
	bool created;
	struct conn_state *st = conntab_get(h->conns, key, &created);
	keys_remove(&h->pending, key);
	conntab_keep_row(st, &e->row);
	if (!st->announced)
		announce(h, st, st->last->first_seen_us);
	close_conn(h, st, end_reason(st->last, e->why), e->now_us);
	conntab_remove(h->conns, st);
}

static void deliver(struct export_hub *h, struct hub_event *e)
{
	uint64_t key = key_of(&e->row, e->shard);
	if (e->now_us > h->clock_us[e->shard & 63])
		h->clock_us[e->shard & 63] = e->now_us;
	if (e->ev == CONN_EVENT_OPENED)
		on_opened(h, e, key);
	else if (e->ev == CONN_EVENT_ACTIVE)
		on_active(h, e, key);
	else
		on_retired(h, e, key);
	row_fini(&e->row);
}

/* Held-back OPENs whose process is now known, or that waited long enough. */
static void release_pending(struct export_hub *h, uint64_t now_wall, bool all)
{
	for (uint32_t i = 0; i < h->pending.n;) {
		struct conn_state *st = conntab_find(h->conns, h->pending.v[i]);
		if (st && !st->announced) {
			struct conn_row *r = st->last;
			if (r->proc.pid <= 0)
				h->o.join(h->o.ctx, r);
			if (!all && r->proc.pid <= 0 && now_wall < st->seen_wall_us + h->o.open_wait_us) {
				i++;
				continue;
			}
			announce(h, st, r->first_seen_us);
		}
		h->pending.v[i] = h->pending.v[--h->pending.n];
	}
}

/* ---- connections whose retirement never came (a full queue dropped it) ----
 *
 * The tracker retires an idle connection at its row's expires_us. Traffic
 * moves that on, and the engine reports a connection with traffic within
 * report_every_us, so once its shard's data clock is past expires_us plus
 * that (and some slack) without a word, its retirement was lost: the hub
 * closes it as idle and frees its row. It remembers the connection for
 * max_idle_us more, in case it was alive after all (its ACTIVE reports
 * were lost too): a later report then carries on from what was sent. */
#define LOST_SLACK_US (2 * US_PER_SEC)
#define SWEEP_EVERY_US US_PER_SEC

struct sweep_walk {
	struct export_hub *h;
	bool all;
};

static bool past_due(const struct export_hub *h, const struct conn_state *st)
{
	uint64_t clock = h->clock_us[st->key & 63];
	if (st->lost)
		return clock >= st->forget_us;
	uint64_t every = atomic_load_explicit(&h->report_every_us, memory_order_relaxed);
	return clock > st->last->expires_us + every + LOST_SLACK_US;
}

static void collect_due(struct conn_state *st, void *arg)
{
	struct sweep_walk *w = arg;
	if (w->all || past_due(w->h, st))
		keys_push(&w->h->due, st->key);
}

/* Closes what is past due; all (stopping): everything still open, as
 * forced ends. */
static void sweep(struct export_hub *h, bool all)
{
	struct sweep_walk w = { h, all };
	h->due.n = 0;
	conntab_each(h->conns, collect_due, &w);
	for (uint32_t i = 0; i < h->due.n; i++) {
		struct conn_state *st = conntab_find(h->conns, h->due.v[i]);
		uint64_t clock = h->clock_us[st->key & 63];
		if (!st->lost) {
			if (!st->announced)
				announce(h, st, st->last->first_seen_us);
			uint8_t why = all ? IPFIX_END_FORCED : end_reason(st->last, RETIRE_TIMEOUT);
			close_conn(h, st, why, all ? clock : st->last->expires_us);
		}
		if (all || st->lost) {
			conntab_remove(h->conns, st);
			continue;
		}
		conntab_drop_row(st);
		st->lost = true;
		st->forget_us = clock + h->o.max_idle_us;
	}
}

static void apply_retunes(struct export_hub *h)
{
	unsigned char opts[MAX_SINKS][EXPORT_OPTS_MAX];
	bool due[MAX_SINKS];
	pthread_mutex_lock(&h->mu);
	for (int i = 0; i < h->nsinks; i++) {
		due[i] = h->retune[i].due;
		h->retune[i].due = false;
		memcpy(opts[i], h->retune[i].opts, EXPORT_OPTS_MAX);
	}
	pthread_mutex_unlock(&h->mu);
	for (int i = 0; i < h->nsinks; i++)
		if (due[i])
			h->sinks[i].retune(h->sinks[i].self, opts[i], &h->sinks[i].active_us);
}

static void tick(struct export_hub *h)
{
	uint64_t now = clock_real_us();
	if (now < h->last_tick_us + TICK_US)
		return;
	h->last_tick_us = now;
	if (atomic_exchange(&h->reopen, false))
		for (int i = 0; i < h->nsinks; i++)
			if (h->sinks[i].reopen)
				h->sinks[i].reopen(h->sinks[i].self);
	if (atomic_exchange(&h->retune_due, false))
		apply_retunes(h);
	release_pending(h, now, false);
	if (now >= h->last_sweep_us + SWEEP_EVERY_US) {
		h->last_sweep_us = now;
		sweep(h, false);
	}
	for (int i = 0; i < h->nsinks; i++)
		if (h->sinks[i].tick)
			h->sinks[i].tick(h->sinks[i].self, now);
}

static void *hub_main(void *arg)
{
	struct export_hub *h = arg;
	pthread_setname_np(pthread_self(), "wt-export");
	struct hub_event *batch = xcalloc(BATCH, sizeof *batch);
	for (;;) {
		bool stopping;
		uint32_t k = take(h, batch, &stopping);
		for (uint32_t i = 0; i < k; i++)
			deliver(h, &batch[i]);
		tick(h);
		if (stopping)
			break;
	}
	release_pending(h, clock_real_us(), true);
	sweep(h, true);
	for (int i = 0; i < h->nsinks; i++)
		if (h->sinks[i].flush)
			h->sinks[i].flush(h->sinks[i].self);
	free(batch);
	return NULL;
}

int export_hub_start(struct export_hub *h, struct wt_err *err)
{
	if (pthread_create(&h->thread, NULL, hub_main, h) != 0)
		return wt_err_set(err, WT_ERR_SYSTEM, "cannot start the export thread");
	h->started = true;
	return 0;
}

void export_hub_reopen(struct export_hub *h)
{
	if (h)
		atomic_store(&h->reopen, true);
}

bool export_hub_retune(struct export_hub *h, const char *name, const void *opts, size_t size)
{
	for (int i = 0; h && i < h->nsinks; i++) {
		if (strcmp(h->sinks[i].name, name) != 0 || !h->sinks[i].retune || size > EXPORT_OPTS_MAX)
			continue;
		pthread_mutex_lock(&h->mu);
		memcpy(h->retune[i].opts, opts, size);
		h->retune[i].due = true;
		pthread_mutex_unlock(&h->mu);
		atomic_store(&h->retune_due, true);
		return true;
	}
	return false;
}

void export_hub_set_report_every(struct export_hub *h, uint64_t every_us)
{
	if (!h)
		return;
	uint64_t was = atomic_load(&h->report_every_us);
	while (every_us > was && !atomic_compare_exchange_weak(&h->report_every_us, &was, every_us))
		;
}

uint64_t export_hub_drops(struct export_hub *h)
{
	if (!h)
		return 0;
	uint64_t n = atomic_load_explicit(&h->dropped, memory_order_relaxed);
	for (int i = 0; i < h->nsinks; i++)
		if (h->sinks[i].drops)
			n += h->sinks[i].drops(h->sinks[i].self);
	return n;
}

void export_hub_stop(struct export_hub *h)
{
	if (!h || !h->started)
		return;
	pthread_mutex_lock(&h->mu);
	h->stop = true;
	pthread_cond_broadcast(&h->not_empty);
	pthread_cond_broadcast(&h->not_full);
	pthread_mutex_unlock(&h->mu);
	pthread_join(h->thread, NULL);
	h->started = false;
}

void export_hub_free(struct export_hub *h)
{
	if (!h)
		return;
	export_hub_stop(h);
	for (uint32_t i = 0; i < h->n; i++)
		row_fini(&h->q[(h->head + i) % h->cap].row);
	free(h->pending.v);
	free(h->due.v);
	for (int i = 0; i < h->nsinks; i++)
		if (h->sinks[i].destroy)
			h->sinks[i].destroy(h->sinks[i].self);
	free(h->q);
	conntab_free(h->conns);
	pthread_mutex_destroy(&h->mu);
	pthread_cond_destroy(&h->not_empty);
	pthread_cond_destroy(&h->not_full);
	free(h);
}
