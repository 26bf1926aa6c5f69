/* expect.c - the shared table of announced connections (see expect.h). */
#include "engine/expect.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "base/hash.h"
#include "base/xalloc.h"

struct expect_entry {
	bool used;
	struct dpi_expect e;
};

struct expect_table {
	pthread_mutex_t mu;
	atomic_bool any;           /* an announcement was ever made: lookups lock */
	size_t sets;               /* a power of two */
	struct expect_entry *slot; /* sets * EXPECT_WAYS */
};

struct expect_table *expect_new(size_t capacity)
{
	size_t want = capacity ? capacity : 1024, sets = 1;
	while (sets * EXPECT_WAYS < want)
		sets <<= 1;
	struct expect_table *t = xcalloc(1, sizeof *t);
	pthread_mutex_init(&t->mu, NULL);
	atomic_init(&t->any, false);
	t->sets = sets;
	t->slot = xcalloc(sets * EXPECT_WAYS, sizeof *t->slot);
	return t;
}

void expect_free(struct expect_table *t)
{
	if (!t)
		return;
	pthread_mutex_destroy(&t->mu);
	free(t->slot);
	free(t);
}

static struct expect_entry *set_of(const struct expect_table *t, uint8_t family,
				   const uint8_t to[16], uint16_t port)
{
	uint64_t h = hash_bytes(to, 16, (uint64_t)family << 16 | port);
	return t->slot + (h & (t->sets - 1)) * EXPECT_WAYS;
}

static bool same_target(const struct dpi_expect *a, const struct dpi_expect *b)
{
	return a->family == b->family && a->to_port == b->to_port && a->any_from == b->any_from &&
	       memcmp(a->to, b->to, 16) == 0 && memcmp(a->from, b->from, 16) == 0;
}

/* The slot a new announcement goes to: the same one's, a free one, or
 * the oldest. */
static struct expect_entry *slot_for(struct expect_entry *set, const struct dpi_expect *e)
{
	struct expect_entry *oldest = &set[0];
	for (int w = 0; w < EXPECT_WAYS; w++) {
		if (set[w].used && same_target(&set[w].e, e))
			return &set[w];
		if (!set[w].used)
			oldest = &set[w];
		else if (oldest->used && set[w].e.ts_us < oldest->e.ts_us)
			oldest = &set[w];
	}
	return oldest;
}

void expect_announce(void *ctx, const struct dpi_expect *e)
{
	struct expect_table *t = ctx;
	pthread_mutex_lock(&t->mu);
	struct expect_entry *s = slot_for(set_of(t, e->family, e->to, e->to_port), e);
	s->used = true;
	s->e = *e;
	pthread_mutex_unlock(&t->mu);
	atomic_store_explicit(&t->any, true, memory_order_release);
}

static bool matches(const struct dpi_expect *e, const struct dpi_ends *c, uint64_t first_us)
{
	return e->family == c->family && e->to_port == c->dport &&
	       memcmp(e->to, c->dst, 16) == 0 &&
	       (e->any_from || memcmp(e->from, c->src, 16) == 0) &&
	       first_us + EXPECT_EARLY_US >= e->ts_us && first_us <= e->ts_us + EXPECT_TTL_US;
}

bool expect_find(void *ctx, const struct dpi_ends *conn, uint64_t first_us, struct dpi_expect *out)
{
	struct expect_table *t = ctx;
	if (!atomic_load_explicit(&t->any, memory_order_acquire))
		return false;
	const struct expect_entry *best = NULL;
	pthread_mutex_lock(&t->mu);
	const struct expect_entry *set = set_of(t, conn->family, conn->dst, conn->dport);
	for (int w = 0; w < EXPECT_WAYS; w++)
		if (set[w].used && matches(&set[w].e, conn, first_us) &&
		    (!best || set[w].e.ts_us > best->e.ts_us))
			best = &set[w];
	if (best)
		*out = best->e;
	pthread_mutex_unlock(&t->mu);
	return best != NULL;
}
