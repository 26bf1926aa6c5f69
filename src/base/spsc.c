#include "base/spsc.h"

#include <stdlib.h>
#include <string.h>

#include "base/xalloc.h"

static uint64_t rec_size(uint32_t n)
{
	return (sizeof(struct spsc_hdr) + (uint64_t)n + 7) & ~(uint64_t)7;
}

struct spsc *spsc_new(size_t size)
{
	uint64_t s = 1u << 16;
	while (s < size)
		s <<= 1;
	struct spsc *r = aligned_alloc(64, sizeof *r);
	if (!r)
		r = xmalloc(sizeof *r); /* unreachable in practice; alignment is a hint */
	memset(r, 0, sizeof *r);
	r->buf = xmalloc(s);
	r->size = s;
	return r;
}

void spsc_free(struct spsc *r)
{
	if (!r)
		return;
	free(r->buf);
	free(r);
}

static bool has_room(struct spsc *r, uint64_t need)
{
	if (r->p_tail + need - r->p_head_cache <= r->size)
		return true;
	r->p_head_cache = atomic_load_explicit(&r->head, memory_order_acquire);
	return r->p_tail + need - r->p_head_cache <= r->size;
}

void *spsc_reserve(struct spsc *r, uint32_t n, uint32_t type)
{
	uint64_t need = rec_size(n);
	if (need > r->size / 2)
		return NULL;
	uint64_t pos = r->p_tail & (r->size - 1);
	uint64_t pad = pos + need > r->size ? r->size - pos : 0;
	if (!has_room(r, pad + need))
		return NULL;
	if (pad) {
		struct spsc_hdr h = { (uint32_t)(pad - sizeof h), SPSC_PAD };
		memcpy(r->buf + pos, &h, sizeof h);
		r->p_tail += pad;
		pos = 0;
	}
	struct spsc_hdr h = { n, type };
	memcpy(r->buf + pos, &h, sizeof h);
	return r->buf + pos + sizeof h;
}

void spsc_commit(struct spsc *r, uint32_t n)
{
	r->p_tail += rec_size(n);
}

void spsc_publish(struct spsc *r)
{
	atomic_store_explicit(&r->tail, r->p_tail, memory_order_release);
}

const void *spsc_peek(struct spsc *r, struct spsc_hdr *hdr)
{
	for (;;) {
		if (r->c_head == r->c_tail_cache) {
			r->c_tail_cache = atomic_load_explicit(&r->tail, memory_order_acquire);
			if (r->c_head == r->c_tail_cache)
				return NULL;
		}
		uint64_t pos = r->c_head & (r->size - 1);
		memcpy(hdr, r->buf + pos, sizeof *hdr);
		if (hdr->type != SPSC_PAD)
			return r->buf + pos + sizeof *hdr;
		r->c_head += r->size - pos;
	}
}

void spsc_consume(struct spsc *r, const struct spsc_hdr *hdr)
{
	r->c_head += rec_size(hdr->len);
}

void spsc_release(struct spsc *r)
{
	atomic_store_explicit(&r->head, r->c_head, memory_order_release);
}
