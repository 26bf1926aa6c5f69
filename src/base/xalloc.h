/* xalloc.h - allocation that never returns NULL: out of memory is fatal. */
#ifndef WT_BASE_XALLOC_H
#define WT_BASE_XALLOC_H

#include <stddef.h>

void *xmalloc(size_t n);
void *xcalloc(size_t count, size_t size);
void *xrealloc(void *p, size_t n);

#endif
