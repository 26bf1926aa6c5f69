/* strpool.h - shared, reference-counted copies of strings that repeat
 * across many records (process and user names, DNS names): equal strings
 * are one copy, held by a count of references.
 *
 * A reference is the const char * itself, readable from any thread for as
 * long as it is held; it is given up with strpool_put from any thread. A
 * pool goes away once strpool_free was called and its last string was
 * put, so a reference never outlives its storage, whoever frees first.
 * Thread-safe.
 */
#ifndef WT_BASE_STRPOOL_H
#define WT_BASE_STRPOOL_H

#include <stddef.h>

struct strpool;

struct strpool *strpool_new(void);
/* The owner lets go; strings still held keep the pool alive. NULL: no-op. */
void strpool_free(struct strpool *p);
/* A reference to the pool's copy of s; NULL for NULL or "". */
const char *strpool_get(struct strpool *p, const char *s);
/* One reference to n strings kept together ("a\0b\0c": several facts
 * about one thing, held by one pointer); NULL when every part is "". The
 * i-th part is strpool_part(s, i). */
const char *strpool_get_parts(struct strpool *p, const char *const *parts, size_t n);
/* Part i of a strpool_get_parts reference, NULL when it is "" (or s is
 * NULL); i must be below the n it was made with. */
const char *strpool_part(const char *s, size_t i);
/* Another reference to a pooled string the caller holds; NULL stays NULL. */
const char *strpool_ref(const char *s);
/* Gives up a reference; NULL: no-op. */
void strpool_put(const char *s);

#endif
