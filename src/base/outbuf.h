/* outbuf.h - a growable byte buffer for building output text.
 *
 * The appends are inline: a JSON record is some forty of them, and a
 * call plus a capacity check each was a visible share of writing one. */
#ifndef WT_BASE_OUTBUF_H
#define WT_BASE_OUTBUF_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

struct outbuf {
	char *buf; /* owned */
	size_t len, cap;
};

void outbuf_init(struct outbuf *o, size_t cap);
void outbuf_fini(struct outbuf *o);
/* Make room for n more bytes (the slow path of the appends). */
void outbuf_grow(struct outbuf *o, size_t n);
void outbuf_u64(struct outbuf *o, uint64_t v);
void outbuf_printf(struct outbuf *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static inline void outbuf_write(struct outbuf *o, const void *p, size_t n)
{
	if (o->cap - o->len < n)
		outbuf_grow(o, n);
	memcpy(o->buf + o->len, p, n);
	o->len += n;
}

static inline void outbuf_puts(struct outbuf *o, const char *s) { outbuf_write(o, s, strlen(s)); }

static inline void outbuf_putc(struct outbuf *o, char c)
{
	if (o->cap == o->len)
		outbuf_grow(o, 1);
	o->buf[o->len++] = c;
}

#endif
