/* str.h - bounded string copy (strlcpy semantics), hex digits and notes
 * lists. */
#ifndef WT_BASE_STR_H
#define WT_BASE_STR_H

#include <stdarg.h>
#include <stddef.h>
#include <string.h>

/* Copy src into dst (cap >= 1 bytes), truncating; returns strlen(src). */
static inline size_t str_copy(char *dst, size_t cap, const char *src)
{
	size_t n = strlen(src);
	size_t k = n < cap - 1 ? n : cap - 1;
	memcpy(dst, src, k);
	dst[k] = '\0';
	return n;
}

/* The value of hex digit c (either case), or -1. */
static inline int str_hex_digit(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Appends a note to a "; "-separated list in buf (cap bytes), as much of
 * it as fits. */
void str_vnote(char *buf, size_t cap, const char *fmt, va_list ap)
	__attribute__((format(printf, 3, 0)));

#endif
