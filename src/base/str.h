/* str.h - bounded string copy (strlcpy semantics). */
#ifndef WT_BASE_STR_H
#define WT_BASE_STR_H

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

#endif
