/* stream.h - bounded in-order TCP reassembly of one direction (RFC 9293
 * 3.4 sequence numbers), for the DPI driver.
 *
 * A stream keeps the direction's bytes from its first byte, up to
 * STREAM_MAX. It starts at ISN+1 when the SYN was seen, else at the first
 * payload segment. Retransmitted and overlapping bytes are trimmed,
 * segments ahead of a gap are held (at most STREAM_HELD_MAX) and merged
 * when the gap fills; sequence numbers compare modulo 2^32.
 *
 * Zero-copy: while nothing is buffered, an in-order segment is shown in
 * place (view.borrowed) and copied only if the caller asks with
 * stream_keep(). Every byte held is charged to the caller's budget.
 * Called by the flow's worker only.
 */
#ifndef WT_DISSECT_STREAM_H
#define WT_DISSECT_STREAM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define STREAM_MAX 16384u
#define STREAM_HELD_MAX 4

struct stream_seg;

/* Memory charged for buffered bytes; used == NULL means unbounded. */
struct stream_budget {
	size_t *used;
	size_t limit;
};

struct stream {
	uint8_t *buf;            /* owned; bytes [0, len) of the stream */
	struct stream_seg *held; /* owned; out-of-order segments, seq order */
	uint32_t next;           /* sequence number of the next in-order byte */
	uint32_t len, cap;
	uint8_t nheld;
	bool isn_known, started;
	bool full;               /* bound or budget reached: nothing more accepted */
};

/* The direction's bytes from its first byte, as shown to a dissector. */
struct stream_view {
	const uint8_t *data;
	size_t len;
	bool borrowed; /* points into the caller's segment, not the buffer */
	bool full;     /* no more bytes will be added after these */
};

/* A SYN with sequence number isn: data starts at isn + 1. Ignored once the
 * stream started. */
void stream_syn(struct stream *s, uint32_t isn);

/* Add a segment's payload. Returns true and fills *v when new in-order
 * bytes became available (or the stream just became full). */
bool stream_add(struct stream *s, uint32_t seq, const uint8_t *p, size_t n,
		const struct stream_budget *b, struct stream_view *v);

/* Copy a borrowed view into the buffer so later calls still see it. */
void stream_keep(struct stream *s, const struct stream_view *v, const struct stream_budget *b);

/* Forget the first n bytes kept (at most all of them): the stream shown
 * from now on starts after them. Used when the connection switches to
 * another protocol there. */
void stream_discard(struct stream *s, size_t n);

/* Release everything and return its memory to the budget. */
void stream_fini(struct stream *s, const struct stream_budget *b);

/* Bytes held (buffer capacity plus held segments). */
size_t stream_bytes(const struct stream *s);

#endif
