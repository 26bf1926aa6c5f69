/* spsc.h - single-producer single-consumer ring of variable-length records.
 *
 * DESIGN: one thread writes (spsc_reserve / spsc_commit / spsc_publish),
 * one other thread reads (spsc_peek / spsc_consume). The producer makes
 * records visible in batches with spsc_publish(), so the shared tail line
 * moves once per batch, not once per packet; the consumer likewise returns
 * space in batches. A record never wraps: when it does not fit before the
 * end of the buffer, a padding record fills the rest. A side with nothing
 * to do spins briefly, then sleeps on a futex until the other side
 * publishes or releases: no fixed naps, so a two-thread pipeline keeps
 * both threads busy instead of taking turns.
 */
#ifndef WT_BASE_SPSC_H
#define WT_BASE_SPSC_H

#include <stdalign.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct spsc_hdr {
	uint32_t len;  /* payload bytes */
	uint32_t type; /* caller's record type; SPSC_PAD is reserved */
};

#define SPSC_PAD 0xffffffffu

struct spsc {
	alignas(64) _Atomic uint64_t tail; /* published by the producer */
	_Atomic uint32_t tail_seq;         /* futex word: bumped on each publish */
	_Atomic uint32_t consumer_sleeps;  /* the consumer waits on tail_seq */
	alignas(64) _Atomic uint64_t head; /* returned by the consumer */
	_Atomic uint32_t head_seq;         /* futex word: bumped on each release */
	_Atomic uint32_t producer_sleeps;  /* the producer waits on head_seq */
	_Atomic uint64_t wake_head;        /* ... until head reaches this */
	alignas(64) uint64_t p_tail;       /* producer: written, not yet published */
	uint64_t p_head_cache;             /* producer: last head seen */
	alignas(64) uint64_t c_head;       /* consumer: read, not yet returned */
	uint64_t c_tail_cache;             /* consumer: last tail seen */
	uint8_t *buf;
	uint64_t size; /* power of two */
};

/* size is rounded up to a power of two (at least 4 KiB). */
struct spsc *spsc_new(size_t size);
void spsc_free(struct spsc *r);

/* Producer: room for a record of n payload bytes, or NULL when full. */
void *spsc_reserve(struct spsc *r, uint32_t n, uint32_t type);
/* Producer: the reserved record is written (n must equal the reserved size). */
void spsc_commit(struct spsc *r, uint32_t n);
/* Producer: make committed records visible to the consumer (a sleeping
 * consumer is woken once enough has piled up). */
void spsc_publish(struct spsc *r);
/* Producer: publish and wake the consumer now (ticks, end of input). */
void spsc_flush(struct spsc *r);

/* Producer: position just past the last committed record. */
static inline uint64_t spsc_produced(const struct spsc *r) { return r->p_tail; }
/* Producer: block until the consumer has released everything before pos
 * (or timeout_ms passes); returns whether it has. */
bool spsc_wait_consumed(struct spsc *r, uint64_t pos, int timeout_ms);

/* Consumer: the next record's payload, or NULL when none is visible. */
const void *spsc_peek(struct spsc *r, struct spsc_hdr *hdr);
/* Consumer: done with the record returned by the last peek. */
void spsc_consume(struct spsc *r, const struct spsc_hdr *hdr);
/* Consumer: hand freed space back to the producer. */
void spsc_release(struct spsc *r);

/* Consumer: block until a record is visible or timeout_ms passes. */
void spsc_wait_data(struct spsc *r, int timeout_ms);
/* Producer: block until room for n payload bytes or timeout_ms passes. */
void spsc_wait_space(struct spsc *r, uint32_t n, int timeout_ms);

#endif
