/* refcount.h - a thread-safe reference count for objects shared between
 * threads and freed by whichever holder lets go last. */
#ifndef WT_BASE_REFCOUNT_H
#define WT_BASE_REFCOUNT_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

struct refcount {
	_Atomic uint32_t n;
};

static inline void refcount_init(struct refcount *r) { atomic_init(&r->n, 1); }
static inline void refcount_get(struct refcount *r) { atomic_fetch_add_explicit(&r->n, 1, memory_order_relaxed); }
/* True when this was the last reference: the caller frees the object. */
static inline bool refcount_put(struct refcount *r)
{
	return atomic_fetch_sub_explicit(&r->n, 1, memory_order_acq_rel) == 1;
}

#endif
