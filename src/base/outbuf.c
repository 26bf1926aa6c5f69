#include "base/outbuf.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/xalloc.h"

void outbuf_init(struct outbuf *o, size_t cap)
{
	o->cap = cap ? cap : 256;
	o->buf = xmalloc(o->cap);
	o->len = 0;
}

void outbuf_fini(struct outbuf *o)
{
	free(o->buf);
	o->buf = NULL;
	o->len = o->cap = 0;
}

void outbuf_grow(struct outbuf *o, size_t n)
{
	if (o->len + n <= o->cap)
		return;
	if (o->cap == 0)
		o->cap = 256;
	while (o->len + n > o->cap)
		o->cap *= 2;
	o->buf = xrealloc(o->buf, o->cap);
}

void outbuf_u64(struct outbuf *o, uint64_t v)
{
	char tmp[24];
	size_t i = sizeof tmp;
	do {
		tmp[--i] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	outbuf_write(o, tmp + i, sizeof tmp - i);
}

void outbuf_printf(struct outbuf *o, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n <= 0)
		return;
	outbuf_grow(o, (size_t)n + 1);
	va_start(ap, fmt);
	vsnprintf(o->buf + o->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	o->len += (size_t)n;
}
