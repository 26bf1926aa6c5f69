/* outbuf.h - a growable byte buffer for building output text. */
#ifndef WT_BASE_OUTBUF_H
#define WT_BASE_OUTBUF_H

#include <stddef.h>
#include <stdint.h>

struct outbuf {
	char *buf; /* owned */
	size_t len, cap;
};

void outbuf_init(struct outbuf *o, size_t cap);
void outbuf_fini(struct outbuf *o);
void outbuf_write(struct outbuf *o, const void *p, size_t n);
void outbuf_puts(struct outbuf *o, const char *s);
void outbuf_putc(struct outbuf *o, char c);
void outbuf_u64(struct outbuf *o, uint64_t v);
void outbuf_printf(struct outbuf *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
