#include "export/hub.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/xalloc.h"
#include "export/conntab.h"
#include "export/ipfix_enc.h"
#include "flow/tracker.h"

#define MAX_SINKS CONNTAB_SINKS
#define BATCH 256
#define TICK_US 100000u

struct hub_event {
	uint8_t ev;                   /* enum conn_event */
	uint8_t why;                  /* enum retire_reason */
	uint8_t shard;
	uint64_t now_us;
	struct conn_row row;          /* meta owned by the event */
};

/* A connection whose OPEN waits for its process. */
struct pending {
	uint64_t key;
	struct conn_row row;
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
	/* the hub thread's own */
	struct conntab *conns;
	struct pending *pend;
	uint32_t npend, pend_cap;
	uint64_t last_tick_us;
};

static uint64_t wall_us(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u;
}

struct export_hub *export_hub_new(const struct export_hub_opts *o)
{
	struct export_hub *h = xcalloc(1, sizeof *h);
	h->o = *o;
	if (!h->o.queue_len)
		h->o.queue_len = 32768;
	if (!h->o.open_wait_us)
		h->o.open_wait_us = 2000000;
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
	struct hub_event e = { (uint8_t)ev, (uint8_t)why, (uint8_t)shard, now_us, *r };
	meta_copy(&e.row.meta, &r->meta); /* outside the lock */
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
		meta_fini(&e.row.meta);
	}
}

/* Up to BATCH events into out; waits up to a tick for the first. */
static uint32_t take(struct export_hub *h, struct hub_event *out, bool *stopping)
{
	pthread_mutex_lock(&h->mu);
	if (!h->n && !h->stop) {
		struct timespec until;
		clock_gettime(CLOCK_REALTIME, &until);
		until.tv_nsec += TICK_US * 1000;
		if (until.tv_nsec >= 1000000000) {
			until.tv_sec++;
			until.tv_nsec -= 1000000000;
		}
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

static const char *const closing_states[] = {
	"CLOSED", "TIME_WAIT", "CLOSING", "LAST_ACK", "CLOSE_WAIT", "FIN_WAIT1", "FIN_WAIT2",
	"QUIC_CLOSED", "QUIC_DRAINING",
};

static uint8_t end_reason(const struct conn_row *r, int why)
{
	switch (why) {
	case RETIRE_REUSED: return IPFIX_END_DETECTED;
	case RETIRE_EVICTED: return IPFIX_END_RESOURCES;
	case RETIRE_END: return IPFIX_END_FORCED;
	default: break;
	}
	for (size_t i = 0; i < sizeof closing_states / sizeof closing_states[0]; i++)
		if (strcmp(r->state, closing_states[i]) == 0)
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

static void announce(struct export_hub *h, struct conn_state *st, struct conn_row *r, uint64_t now_us)
{
	struct export_proc p;
	fill_proc(h, r, &p);
	struct export_rec rec = { .kind = EXPORT_OPEN, .row = r, .proc = &p, .ts_us = now_us };
	for (int i = 0; i < h->nsinks; i++)
		h->sinks[i].record(h->sinks[i].self, &rec);
	st->announced = true;
}

static struct pending *find_pending(struct export_hub *h, uint64_t key)
{
	for (uint32_t i = 0; i < h->npend; i++)
		if (h->pend[i].key == key)
			return &h->pend[i];
	return NULL;
}

static void drop_pending(struct export_hub *h, struct pending *p)
{
	meta_fini(&p->row.meta);
	*p = h->pend[--h->npend];
}

static void on_opened(struct export_hub *h, struct hub_event *e, uint64_t key)
{
	bool created;
	struct conn_state *st = conntab_get(h->conns, key, &created);
	st->seen_wall_us = wall_us();
	if (!h->o.join) {
		announce(h, st, &e->row, e->now_us);
		return;
	}
	if (h->npend == h->pend_cap) {
		h->pend_cap = h->pend_cap ? h->pend_cap * 2 : 256;
		h->pend = xrealloc(h->pend, h->pend_cap * sizeof *h->pend);
	}
	h->pend[h->npend].key = key;
	h->pend[h->npend].row = e->row; /* takes the meta */
	h->npend++;
	e->row.meta.strs = NULL;
	e->row.meta.strs_cap = 0;
}

static void on_active(struct export_hub *h, struct hub_event *e, uint64_t key)
{
	struct conn_state *st = conntab_find(h->conns, key);
	if (!st || !st->announced)
		return; /* its OPEN is still held back (or was dropped) */
	struct export_proc p;
	bool filled = false;
	for (int i = 0; i < h->nsinks; i++) {
		const struct export_sink *s = &h->sinks[i];
		uint64_t since = st->mark[i].at_us ? st->mark[i].at_us : e->row.first_seen_us;
		if (!s->active_us || e->now_us < since + s->active_us)
			continue;
		if (!filled) {
			fill_proc(h, &e->row, &p);
			filled = true;
		}
		struct export_rec rec = { EXPORT_UPDATE, IPFIX_END_ACTIVE, &e->row, &p, e->now_us, { 0 }, { 0 }, { 0 } };
		deltas(&st->mark[i], &e->row, e->now_us, &rec);
		s->record(s->self, &rec);
	}
}

static void on_retired(struct export_hub *h, struct hub_event *e, uint64_t key)
{
	bool created;
	struct conn_state *st = conntab_get(h->conns, key, &created);
	struct pending *pd = find_pending(h, key);
	if (pd)
		drop_pending(h, pd);
	if (!st->announced)
		announce(h, st, &e->row, e->row.first_seen_us);
	struct export_proc p;
	fill_proc(h, &e->row, &p);
	struct export_rec rec = { EXPORT_CLOSE, end_reason(&e->row, e->why), &e->row, &p, e->now_us,
				  { 0 }, { 0 }, { 0 } };
	for (int i = 0; i < h->nsinks; i++) {
		struct export_rec mine = rec;
		deltas(&st->mark[i], &e->row, e->now_us, &mine);
		h->sinks[i].record(h->sinks[i].self, &mine);
	}
	conntab_remove(h->conns, st);
}

static void deliver(struct export_hub *h, struct hub_event *e)
{
	uint64_t key = key_of(&e->row, e->shard);
	if (e->ev == CONN_EVENT_OPENED)
		on_opened(h, e, key);
	else if (e->ev == CONN_EVENT_ACTIVE)
		on_active(h, e, key);
	else
		on_retired(h, e, key);
	meta_fini(&e->row.meta);
}

/* Held-back OPENs whose process is now known, or that waited long enough. */
static void release_pending(struct export_hub *h, uint64_t now_wall, bool all)
{
	for (uint32_t i = 0; i < h->npend;) {
		struct pending *p = &h->pend[i];
		struct conn_state *st = conntab_find(h->conns, p->key);
		if (!st) {
			drop_pending(h, p);
			continue;
		}
		if (p->row.proc.pid <= 0)
			h->o.join(h->o.ctx, &p->row);
		if (all || p->row.proc.pid > 0 || now_wall >= st->seen_wall_us + h->o.open_wait_us) {
			announce(h, st, &p->row, p->row.first_seen_us);
			drop_pending(h, p);
			continue;
		}
		i++;
	}
}

static void tick(struct export_hub *h)
{
	uint64_t now = wall_us();
	if (now < h->last_tick_us + TICK_US)
		return;
	h->last_tick_us = now;
	if (atomic_exchange(&h->reopen, false))
		for (int i = 0; i < h->nsinks; i++)
			if (h->sinks[i].reopen)
				h->sinks[i].reopen(h->sinks[i].self);
	release_pending(h, now, false);
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
	release_pending(h, wall_us(), true);
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
		meta_fini(&h->q[(h->head + i) % h->cap].row.meta);
	while (h->npend)
		drop_pending(h, &h->pend[0]);
	free(h->pend);
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
