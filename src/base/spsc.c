#include "base/spsc.h"

#include <linux/futex.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>
#include <string.h>

#include "base/clock.h"
#include "base/xalloc.h"

static uint64_t rec_size(uint32_t n)
{
	return (sizeof(struct spsc_hdr) + (uint64_t)n + 7) & ~(uint64_t)7;
}

struct spsc *spsc_new(size_t size)
{
	uint64_t s = 1u << 12;
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

static void futex_wait(_Atomic uint32_t *word, uint32_t seen, int timeout_ms)
{
	struct timespec ts = clock_span_ms((uint64_t)timeout_ms);
	syscall(SYS_futex, word, FUTEX_WAIT_PRIVATE, seen, &ts, NULL, 0);
}

static void futex_wake(_Atomic uint32_t *word)
{
	syscall(SYS_futex, word, FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0);
}

/* A sleeping side is woken only once a quarter of the ring is ready for
 * it (or when told to), so the two threads hand over big batches instead
 * of waking each other for every few records. */
static void publish(struct spsc *r, bool force)
{
	atomic_store_explicit(&r->tail, r->p_tail, memory_order_seq_cst);
	if (!atomic_load_explicit(&r->consumer_sleeps, memory_order_seq_cst))
		return;
	uint64_t queued = r->p_tail - atomic_load_explicit(&r->head, memory_order_relaxed);
	if (force || queued >= r->size / 4) {
		atomic_fetch_add_explicit(&r->tail_seq, 1, memory_order_seq_cst);
		futex_wake(&r->tail_seq);
	}
}

void spsc_publish(struct spsc *r) { publish(r, false); }
void spsc_flush(struct spsc *r) { publish(r, true); }

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
	atomic_store_explicit(&r->head, r->c_head, memory_order_seq_cst);
	if (atomic_load_explicit(&r->producer_sleeps, memory_order_seq_cst) &&
	    r->c_head >= atomic_load_explicit(&r->wake_head, memory_order_relaxed)) {
		atomic_fetch_add_explicit(&r->head_seq, 1, memory_order_seq_cst);
		futex_wake(&r->head_seq);
	}
}

#define SPIN_ROUNDS 256

static inline void cpu_relax(void)
{
#if defined(__x86_64__) || defined(__i386__)
	__builtin_ia32_pause();
#endif
}

void spsc_wait_data(struct spsc *r, int timeout_ms)
{
	for (int i = 0; i < SPIN_ROUNDS; i++) {
		if (atomic_load_explicit(&r->tail, memory_order_acquire) != r->c_head)
			return;
		cpu_relax();
	}
	uint32_t seq = atomic_load_explicit(&r->tail_seq, memory_order_seq_cst);
	atomic_store_explicit(&r->consumer_sleeps, 1, memory_order_seq_cst);
	if (atomic_load_explicit(&r->tail, memory_order_seq_cst) == r->c_head)
		futex_wait(&r->tail_seq, seq, timeout_ms);
	atomic_store_explicit(&r->consumer_sleeps, 0, memory_order_relaxed);
}

/* Producer: sleep until the consumer's head reaches target. */
static bool wait_head(struct spsc *r, uint64_t target, int timeout_ms)
{
	for (int i = 0; i < SPIN_ROUNDS; i++) {
		if (atomic_load_explicit(&r->head, memory_order_acquire) >= target)
			return true;
		cpu_relax();
	}
	uint32_t seq = atomic_load_explicit(&r->head_seq, memory_order_seq_cst);
	atomic_store_explicit(&r->wake_head, target, memory_order_relaxed);
	atomic_store_explicit(&r->producer_sleeps, 1, memory_order_seq_cst);
	if (atomic_load_explicit(&r->head, memory_order_seq_cst) < target)
		futex_wait(&r->head_seq, seq, timeout_ms);
	atomic_store_explicit(&r->producer_sleeps, 0, memory_order_relaxed);
	return atomic_load_explicit(&r->head, memory_order_acquire) >= target;
}

void spsc_wait_space(struct spsc *r, uint32_t n, int timeout_ms)
{
	/* a quarter of the ring, so the two sides hand over in batches; at
	 * least room for this record and a padding record before it */
	uint64_t need = rec_size(n) * 2 > r->size / 4 ? rec_size(n) * 2 : r->size / 4;
	if (r->p_tail + need > r->size)
		wait_head(r, r->p_tail + need - r->size, timeout_ms);
}

bool spsc_wait_consumed(struct spsc *r, uint64_t pos, int timeout_ms)
{
	return wait_head(r, pos, timeout_ms);
}
