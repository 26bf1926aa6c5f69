/* history.c - rings of samples, and the top talkers counted in a hash
 * table of names that is kept (cleared, not freed) between samples.
 */
#include "tui/history.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/hash.h"
#include "base/xalloc.h"
#include "dissect/meta.h"

#define TALLY_FIRST 256

struct tally_slot {
	const char *name;      /* the row's text, valid while its snapshot is */
	size_t len;
	uint64_t hash;
	double rate;
	uint32_t conns;
};

void series_push(struct series *s, float v)
{
	s->v[s->head] = v;
	s->head = (s->head + 1) % HISTORY_LEN;
	if (s->n < HISTORY_LEN)
		s->n++;
}

float series_at(const struct series *s, uint32_t age)
{
	if (age >= s->n)
		return 0;
	return s->v[(s->head + HISTORY_LEN - 1 - age) % HISTORY_LEN];
}

float series_max(const struct series *s, uint32_t n)
{
	float m = 0;
	for (uint32_t a = 0; a < n && a < s->n; a++)
		if (series_at(s, a) > m)
			m = series_at(s, a);
	return m;
}

void history_init(struct history *h)
{
	memset(h, 0, sizeof *h);
}

void history_fini(struct history *h)
{
	free(h->tally.slot);
	free(h->conns);
	memset(h, 0, sizeof *h);
}

bool history_sample(struct history *h, const struct snapshot *s, double pps)
{
	if (!s || (h->rx.n && s->now_us == h->sampled_at))
		return false;
	double rx = 0, tx = 0;
	for (uint32_t i = 0; i < s->n; i++) {
		rx += row_rx_rate(&s->rows[i]);
		tx += row_tx_rate(&s->rows[i]);
	}
	series_push(&h->rx, (float)rx);
	series_push(&h->tx, (float)tx);
	series_push(&h->pps, (float)pps);
	h->sampled_at = s->now_us;
	h->samples++;
	return true;
}

/* ---- top talkers ---- */

static void tally_clear(struct tally *t)
{
	if (t->slot)
		memset(t->slot, 0, t->cap * sizeof *t->slot);
	t->used = 0;
}

static struct tally_slot *tally_find(struct tally *t, const char *name, size_t len, uint64_t hash)
{
	uint32_t mask = t->cap - 1;
	for (uint32_t i = (uint32_t)hash & mask;; i = (i + 1) & mask) {
		struct tally_slot *sl = &t->slot[i];
		if (!sl->name || (sl->hash == hash && sl->len == len && memcmp(sl->name, name, len) == 0))
			return sl;
	}
}

/* Doubles the table once it is half full (a free slot always ends a probe). */
static void tally_grow(struct tally *t)
{
	struct tally_slot *old = t->slot;
	uint32_t old_cap = t->cap;
	t->cap = old_cap ? old_cap * 2 : TALLY_FIRST;
	t->slot = xcalloc(t->cap, sizeof *t->slot);
	for (uint32_t i = 0; i < old_cap; i++)
		if (old[i].name)
			*tally_find(t, old[i].name, old[i].len, old[i].hash) = old[i];
	free(old);
}

static void tally_add(struct tally *t, const char *name, double rate)
{
	if ((t->used + 1) * 2 > t->cap)
		tally_grow(t);
	size_t len = strlen(name);
	uint64_t hash = hash_bytes(name, len, 0);
	struct tally_slot *sl = tally_find(t, name, len, hash);
	if (!sl->name) {
		*sl = (struct tally_slot){ .name = name, .len = len, .hash = hash };
		t->used++;
	}
	sl->rate += rate;
	sl->conns++;
}

/* a before b: a bigger rate, then more connections, then the name (the
 * same order every time) */
static bool before(const struct talker *a, const struct talker *b)
{
	if (a->rate != b->rate)
		return a->rate > b->rate;
	if (a->conns != b->conns)
		return a->conns > b->conns;
	return strcmp(a->name, b->name) < 0;
}

/* The n first in that order, copied out of the table; out[0..k) is kept
 * sorted as each is placed. */
static int tally_top(const struct tally *t, struct talker *out, int n)
{
	int k = 0;
	for (uint32_t i = 0; i < t->cap; i++) {
		const struct tally_slot *sl = &t->slot[i];
		if (!sl->name)
			continue;
		struct talker c = { .rate = sl->rate, .conns = sl->conns };
		snprintf(c.name, sizeof c.name, "%.*s", (int)sl->len, sl->name);
		int at = k;
		while (at > 0 && before(&c, &out[at - 1]))
			at--;
		if (at >= n)
			continue;
		int last = k < n ? k : n - 1; /* the one past the end drops off */
		memmove(&out[at + 1], &out[at], (size_t)(last - at) * sizeof *out);
		out[at] = c;
		if (k < n)
			k++;
	}
	return k;
}

static const char *process_of(const struct conn_row *r)
{
	return r->proc.name && *r->proc.name ? r->proc.name : "(unknown)";
}

static const char *app_of(const struct conn_row *r)
{
	const char *a = meta_app_name(&r->meta, r->dport);
	return a && *a ? a : "(not recognised)";
}

static int top_by(struct tally *t, const struct snapshot *s, const char *(*key)(const struct conn_row *),
		  struct talker *out)
{
	tally_clear(t);
	for (uint32_t i = 0; i < s->n; i++)
		tally_add(t, key(&s->rows[i]), s->rows[i].src_rate + s->rows[i].dst_rate);
	return tally_top(t, out, TALKERS_MAX);
}

void history_talkers(struct history *h, const struct snapshot *s)
{
	h->nproc = h->napp = 0;
	if (!s)
		return;
	h->nproc = top_by(&h->tally, s, process_of, h->by_proc);
	h->napp = top_by(&h->tally, s, app_of, h->by_app);
}

const struct conn_history *history_of(const struct history *h, uint64_t id)
{
	for (int i = 0; h->conns && id && i < CONN_HISTORY_MAX; i++)
		if (h->conns[i].id == id)
			return &h->conns[i];
	return NULL;
}

/* The slot of id, or the one longest unused, emptied for it. */
static struct conn_history *slot_for(struct history *h, uint64_t id)
{
	struct conn_history *oldest = &h->conns[0];
	for (int i = 0; i < CONN_HISTORY_MAX; i++) {
		struct conn_history *c = &h->conns[i];
		if (c->id == id)
			return c;
		if (c->sample < oldest->sample)
			oldest = c;
	}
	memset(oldest, 0, sizeof *oldest);
	oldest->id = id;
	return oldest;
}

void history_follow(struct history *h, const struct conn_row *const *rows, int n)
{
	if (!h->conns)
		h->conns = xcalloc(CONN_HISTORY_MAX, sizeof *h->conns);
	for (int i = 0; i < n; i++) {
		const struct conn_row *r = rows[i];
		if (!r || !r->id)
			continue;
		struct conn_history *c = slot_for(h, r->id);
		if (c->sample == h->samples && c->rx.n)
			continue; /* listed twice (on screen and selected) */
		series_push(&c->rx, (float)row_rx_rate(r));
		series_push(&c->tx, (float)row_tx_rate(r));
		c->sample = h->samples;
	}
}
