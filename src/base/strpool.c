#include "base/strpool.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/hash.h"
#include "base/xalloc.h"

struct pooled {
	struct pooled *next;          /* in its bucket */
	struct strpool *pool;
	_Atomic uint32_t refs;
	uint32_t hash;
	uint32_t len;                 /* bytes of s before its last NUL (parts hold NULs) */
	char s[];
};

struct strpool {
	pthread_mutex_t mu;
	struct pooled **buckets;
	uint32_t mask;                /* buckets - 1, a power of two less one */
	uint32_t n;                   /* strings held */
	uint32_t holders;             /* the strings, and the owner until strpool_free */
};

#define FIRST_BUCKETS 64u

static struct pooled *pooled_of(const char *s)
{
	return (struct pooled *)(uintptr_t)(s - offsetof(struct pooled, s));
}

struct strpool *strpool_new(void)
{
	struct strpool *p = xcalloc(1, sizeof *p);
	pthread_mutex_init(&p->mu, NULL);
	p->buckets = xcalloc(FIRST_BUCKETS, sizeof *p->buckets);
	p->mask = FIRST_BUCKETS - 1;
	p->holders = 1;
	return p;
}

static void pool_destroy(struct strpool *p)
{
	pthread_mutex_destroy(&p->mu);
	free(p->buckets);
	free(p);
}

void strpool_free(struct strpool *p)
{
	if (!p)
		return;
	pthread_mutex_lock(&p->mu);
	bool last = --p->holders == 0;
	pthread_mutex_unlock(&p->mu);
	if (last)
		pool_destroy(p);
}

/* Twice the buckets once there are more strings than buckets. */
static void grow_locked(struct strpool *p)
{
	uint32_t size = (p->mask + 1) * 2;
	struct pooled **b = xcalloc(size, sizeof *b);
	for (uint32_t i = 0; i <= p->mask; i++) {
		struct pooled *e = p->buckets[i];
		while (e) {
			struct pooled *next = e->next;
			e->next = b[e->hash & (size - 1)];
			b[e->hash & (size - 1)] = e;
			e = next;
		}
	}
	free(p->buckets);
	p->buckets = b;
	p->mask = size - 1;
}

/* The pool's copy of the len bytes at s (and a NUL after them). */
static const char *get_bytes(struct strpool *p, const char *s, size_t len)
{
	uint32_t h = (uint32_t)hash_bytes(s, len, 0);
	pthread_mutex_lock(&p->mu);
	struct pooled *e = p->buckets[h & p->mask];
	while (e && (e->hash != h || e->len != len || memcmp(e->s, s, len) != 0))
		e = e->next;
	if (e) {
		atomic_fetch_add_explicit(&e->refs, 1, memory_order_relaxed);
	} else {
		e = xmalloc(sizeof *e + len + 1);
		memcpy(e->s, s, len);
		e->s[len] = '\0';
		e->pool = p;
		e->hash = h;
		e->len = (uint32_t)len;
		atomic_init(&e->refs, 1);
		e->next = p->buckets[h & p->mask];
		p->buckets[h & p->mask] = e;
		p->holders++;
		if (++p->n > p->mask + 1)
			grow_locked(p);
	}
	pthread_mutex_unlock(&p->mu);
	return e->s;
}

const char *strpool_get(struct strpool *p, const char *s)
{
	if (!s || !*s)
		return NULL;
	return get_bytes(p, s, strlen(s));
}

const char *strpool_get_parts(struct strpool *p, const char *const *parts, size_t n)
{
	size_t len = 0, at = 0;
	for (size_t i = 0; i < n; i++)
		len += strlen(parts[i]) + (i + 1 < n);
	if (len + 1 == n || !n)
		return NULL; /* every part empty */
	char small[512]; /* a row's unit, container, pod and parents usually fit: no allocation per row */
	char *joined = len < sizeof small ? small : xmalloc(len + 1);
	for (size_t i = 0; i < n; i++) {
		size_t l = strlen(parts[i]);
		memcpy(joined + at, parts[i], l + 1); /* its NUL separates it from the next */
		at += l + 1;
	}
	const char *s = get_bytes(p, joined, len);
	if (joined != small)
		free(joined);
	return s;
}

const char *strpool_part(const char *s, size_t i)
{
	if (!s)
		return NULL;
	for (; i > 0; i--)
		s += strlen(s) + 1;
	return *s ? s : NULL;
}

const char *strpool_ref(const char *s)
{
	if (s)
		atomic_fetch_add_explicit(&pooled_of(s)->refs, 1, memory_order_relaxed);
	return s;
}

static void unlink_locked(struct strpool *p, struct pooled *e)
{
	struct pooled **at = &p->buckets[e->hash & p->mask];
	while (*at != e)
		at = &(*at)->next;
	*at = e->next;
	p->n--;
}

/* A count above one drops without the lock. The last reference is let go
 * under it: strpool_get, which finds strings under the lock, then either
 * revives the string first or no longer finds it. */
void strpool_put(const char *s)
{
	if (!s)
		return;
	struct pooled *e = pooled_of(s);
	uint32_t n = atomic_load_explicit(&e->refs, memory_order_relaxed);
	while (n > 1)
		if (atomic_compare_exchange_weak_explicit(&e->refs, &n, n - 1, memory_order_acq_rel,
							  memory_order_relaxed))
			return;
	struct strpool *p = e->pool;
	bool pool_gone = false;
	pthread_mutex_lock(&p->mu);
	if (atomic_fetch_sub_explicit(&e->refs, 1, memory_order_acq_rel) == 1) {
		unlink_locked(p, e);
		free(e);
		pool_gone = --p->holders == 0;
	}
	pthread_mutex_unlock(&p->mu);
	if (pool_gone)
		pool_destroy(p);
}
