#include "export/conntab.h"

#include <stdlib.h>
#include <string.h>

#include "base/hash.h"
#include "base/xalloc.h"

/* Open addressing with linear probing; removal shifts the run back, so
 * there are no tombstones. At most half full. */
struct conntab {
	struct conn_state *slots;
	uint32_t mask, n;
};

struct conntab *conntab_new(void)
{
	struct conntab *t = xcalloc(1, sizeof *t);
	t->mask = 1023;
	t->slots = xcalloc(t->mask + 1, sizeof *t->slots);
	return t;
}

void conntab_keep_row(struct conn_state *s, struct conn_row *r)
{
	if (!s->last)
		s->last = xmalloc(sizeof *s->last);
	else
		row_fini(s->last);
	row_move(s->last, r);
}

void conntab_drop_row(struct conn_state *s)
{
	if (!s->last)
		return;
	row_fini(s->last);
	free(s->last);
	s->last = NULL;
}

void conntab_free(struct conntab *t)
{
	if (!t)
		return;
	for (uint32_t i = 0; i <= t->mask; i++)
		if (t->slots[i].key)
			conntab_drop_row(&t->slots[i]);
	free(t->slots);
	free(t);
}

static uint32_t home(const struct conntab *t, uint64_t key) { return (uint32_t)hash_mix64(key) & t->mask; }

static void grow(struct conntab *t)
{
	struct conn_state *old = t->slots;
	uint32_t oldn = t->mask + 1;
	t->mask = t->mask * 2 + 1;
	t->slots = xcalloc(t->mask + 1, sizeof *t->slots);
	for (uint32_t i = 0; i < oldn; i++) {
		if (!old[i].key)
			continue;
		uint32_t j = home(t, old[i].key);
		while (t->slots[j].key)
			j = (j + 1) & t->mask;
		t->slots[j] = old[i];
	}
	free(old);
}

struct conn_state *conntab_find(struct conntab *t, uint64_t key)
{
	for (uint32_t i = home(t, key);; i = (i + 1) & t->mask) {
		if (t->slots[i].key == key)
			return &t->slots[i];
		if (!t->slots[i].key)
			return NULL;
	}
}

struct conn_state *conntab_get(struct conntab *t, uint64_t key, bool *created)
{
	struct conn_state *s = conntab_find(t, key);
	*created = !s;
	if (s)
		return s;
	if ((t->n + 1) * 2 > t->mask + 1)
		grow(t);
	uint32_t i = home(t, key);
	while (t->slots[i].key)
		i = (i + 1) & t->mask;
	memset(&t->slots[i], 0, sizeof t->slots[i]);
	t->slots[i].key = key;
	t->n++;
	return &t->slots[i];
}

void conntab_remove(struct conntab *t, struct conn_state *s)
{
	uint32_t i = (uint32_t)(s - t->slots);
	conntab_drop_row(s);
	t->slots[i].key = 0;
	t->n--;
	/* shift back every later member of the run that may move closer home */
	for (uint32_t j = (i + 1) & t->mask; t->slots[j].key; j = (j + 1) & t->mask) {
		uint32_t h = home(t, t->slots[j].key);
		bool movable = i <= j ? (h <= i || h > j) : (h <= i && h > j);
		if (movable) {
			t->slots[i] = t->slots[j];
			t->slots[j].key = 0;
			i = j;
		}
	}
}

uint32_t conntab_count(const struct conntab *t) { return t->n; }

void conntab_each(struct conntab *t, void (*fn)(struct conn_state *s, void *arg), void *arg)
{
	for (uint32_t i = 0; i <= t->mask; i++)
		if (t->slots[i].key)
			fn(&t->slots[i], arg);
}
