/* stream.c - bounded in-order TCP reassembly of one direction (RFC 9293
 * 3.4): trimming of retransmissions, a few held out-of-order segments,
 * sequence arithmetic modulo 2^32. See stream.h.
 */
#include "dissect/stream.h"

#include <stdlib.h>
#include <string.h>

#include "base/xalloc.h"

#define STREAM_ROUND 64u

struct stream_seg {
	struct stream_seg *next;
	uint32_t seq, len;
	uint8_t data[];
};

/* Signed distance from b to a in sequence space. */
static int32_t seq_diff(uint32_t a, uint32_t b)
{
	return (int32_t)(a - b);
}

/* How far seq lies behind next, for a seq at or before next. Unsigned, so a
 * sequence number exactly 2^31 behind yields 2^31, not a negated INT32_MIN. */
static uint32_t seq_behind(uint32_t seq, uint32_t next)
{
	return next - seq;
}

static bool budget_take(const struct stream_budget *b, size_t n)
{
	if (!b || !b->used)
		return true;
	if (*b->used + n > b->limit)
		return false;
	*b->used += n;
	return true;
}

static void budget_give(const struct stream_budget *b, size_t n)
{
	if (b && b->used)
		*b->used = *b->used >= n ? *b->used - n : 0;
}

/* Capacity the buffer would need for `need` bytes; 0 when the budget
 * cannot pay for it. Charges the budget when `charge`. */
static uint32_t grow_cap(struct stream *s, uint32_t need, const struct stream_budget *b, bool charge)
{
	if (need <= s->cap)
		return s->cap;
	/* double when growing, else fit: a lone hello should not pay for more */
	uint32_t cap = s->cap * 2;
	if (cap < need)
		cap = (need + STREAM_ROUND - 1) & ~(STREAM_ROUND - 1);
	if (cap > STREAM_MAX)
		cap = STREAM_MAX;
	size_t limit = (b && b->used) ? b->limit : SIZE_MAX;
	size_t used = (b && b->used) ? *b->used : 0;
	if (used + (cap - s->cap) > limit)
		cap = need; /* tight fit as a last resort */
	if (used + (cap - s->cap) > limit)
		return 0;
	if (charge)
		budget_take(b, cap - s->cap);
	return cap;
}

/* Append up to n bytes at the stream's end; marks the stream full when the
 * bound or the budget cuts it short. Returns the bytes appended. */
static size_t append(struct stream *s, const uint8_t *p, size_t n, const struct stream_budget *b)
{
	size_t room = STREAM_MAX - s->len;
	size_t take = n < room ? n : room;
	if (take) {
		uint32_t cap = grow_cap(s, (uint32_t)(s->len + take), b, true);
		if (!cap) {
			s->full = true;
			return 0;
		}
		if (cap != s->cap) {
			s->buf = xrealloc(s->buf, cap);
			s->cap = cap;
		}
		memcpy(s->buf + s->len, p, take);
		s->len += (uint32_t)take;
	}
	s->next += (uint32_t)n;
	if (take < n || s->len == STREAM_MAX)
		s->full = true;
	return take;
}

static void free_held(struct stream *s, const struct stream_budget *b)
{
	struct stream_seg *g = s->held;
	while (g) {
		struct stream_seg *nx = g->next;
		budget_give(b, sizeof *g + g->len);
		free(g);
		g = nx;
	}
	s->held = NULL;
	s->nheld = 0;
}

/* Keep a segment that lies `ahead` bytes past the next expected byte. */
static void hold(struct stream *s, uint32_t seq, const uint8_t *p, size_t n, uint32_t ahead,
		 const struct stream_budget *b)
{
	if (s->nheld >= STREAM_HELD_MAX || (size_t)s->len + ahead >= STREAM_MAX)
		return;
	size_t room = STREAM_MAX - s->len - ahead;
	if (n > room)
		n = room;
	for (struct stream_seg *g = s->held; g; g = g->next)
		if (g->seq == seq && g->len >= n)
			return; /* a retransmission of a held segment */
	if (!budget_take(b, sizeof(struct stream_seg) + n))
		return;
	struct stream_seg *g = xmalloc(sizeof *g + n);
	g->seq = seq;
	g->len = (uint32_t)n;
	memcpy(g->data, p, n);
	g->next = s->held;
	s->held = g;
	s->nheld++;
}

/* Move held segments that the gap no longer separates into the buffer. */
static void merge_held(struct stream *s, const struct stream_budget *b)
{
	bool again = true;
	while (again && !s->full) {
		again = false;
		for (struct stream_seg **pp = &s->held; *pp; pp = &(*pp)->next) {
			struct stream_seg *g = *pp;
			int32_t off = seq_diff(g->seq, s->next);
			if (off > 0)
				continue;
			uint32_t skip = seq_behind(g->seq, s->next);
			if (skip < g->len)
				append(s, g->data + skip, g->len - skip, b);
			*pp = g->next;
			budget_give(b, sizeof *g + g->len);
			free(g);
			s->nheld--;
			again = true;
			break;
		}
	}
	if (s->full)
		free_held(s, b);
}

void stream_syn(struct stream *s, uint32_t isn)
{
	if (s->started)
		return;
	s->next = isn + 1;
	s->isn_known = true;
}

/* In-order first bytes with nothing buffered: show them in place. */
static void view_in_place(struct stream *s, const uint8_t *p, size_t n,
			  const struct stream_budget *b, struct stream_view *v)
{
	if (n >= STREAM_MAX) {
		n = STREAM_MAX;
		s->full = true;
	} else if (!grow_cap(s, (uint32_t)n, b, false)) {
		s->full = true; /* could not keep it: this is all the flow will see */
	}
	s->next += (uint32_t)n;
	*v = (struct stream_view){ p, n, true, s->full };
}

bool stream_add(struct stream *s, uint32_t seq, const uint8_t *p, size_t n,
		const struct stream_budget *b, struct stream_view *v)
{
	if (s->full || n == 0)
		return false;
	if (!s->started) {
		if (!s->isn_known)
			s->next = seq;
		s->started = true;
	}
	int32_t off = seq_diff(seq, s->next);
	if (off > 0) {
		hold(s, seq, p, n, (uint32_t)off, b);
		return false;
	}
	uint32_t dup = seq_behind(seq, s->next);
	if (n <= dup)
		return false; /* retransmission */
	p += dup;
	n -= dup;
	if (s->len == 0 && s->nheld == 0) {
		view_in_place(s, p, n, b, v);
		return true;
	}
	append(s, p, n, b);
	merge_held(s, b);
	*v = (struct stream_view){ s->buf, s->len, false, s->full };
	return true;
}

void stream_keep(struct stream *s, const struct stream_view *v, const struct stream_budget *b)
{
	if (!v->borrowed || v->full || s->len != 0)
		return;
	s->next -= (uint32_t)v->len; /* append() advances it again */
	append(s, v->data, v->len, b);
}

void stream_discard(struct stream *s, size_t n)
{
	if (n > s->len)
		n = s->len;
	if (!n)
		return;
	memmove(s->buf, s->buf + n, s->len - n);
	s->len -= (uint32_t)n;
}

void stream_fini(struct stream *s, const struct stream_budget *b)
{
	free_held(s, b);
	budget_give(b, s->cap);
	free(s->buf);
	s->buf = NULL;
	s->len = s->cap = 0;
}

size_t stream_bytes(const struct stream *s)
{
	size_t n = s->cap;
	for (const struct stream_seg *g = s->held; g; g = g->next)
		n += sizeof *g + g->len;
	return n;
}
