#include "engine/names.h"

#include <pthread.h>
#include <stdlib.h>

#include "base/clock.h"
#include "base/strpool.h"
#include "base/xalloc.h"
#include "engine/dnscache.h"
#include "engine/resolver.h"

struct names {
	pthread_mutex_t mu;
	struct dnscache *cache;
	struct resolver *resolver;     /* NULL: no reverse lookups */
	struct strpool *pool;          /* the names rows hold */
};

struct names *names_new(size_t capacity, struct resolver *resolver)
{
	struct names *n = xcalloc(1, sizeof *n);
	pthread_mutex_init(&n->mu, NULL);
	n->cache = dnscache_new(capacity);
	n->resolver = resolver;
	n->pool = strpool_new();
	return n;
}

void names_free(struct names *n)
{
	if (!n)
		return;
	dnscache_free(n->cache);
	strpool_free(n->pool); /* rows still holding names keep it */
	pthread_mutex_destroy(&n->mu);
	free(n);
}

void names_on_dns_answer(void *opaque, const struct dns_answer *a)
{
	struct names *n = opaque;
	uint64_t expires_us = a->seen_us + (uint64_t)a->ttl * US_PER_SEC;
	pthread_mutex_lock(&n->mu);
	dnscache_insert(n->cache, a->name, a->family, a->addr, expires_us);
	pthread_mutex_unlock(&n->mu);
}

/* Addresses no DNS server names: multicast, broadcast, link-local. */
static bool never_named(int family, const uint8_t *a)
{
	if (family == 4)
		return a[0] >= 224 || (a[0] == 169 && a[1] == 254);
	return a[0] == 0xff || (a[0] == 0xfe && (a[1] & 0xc0) == 0x80);
}

void names_fill_row(struct names *n, struct conn_row *r)
{
	char name[DNSCACHE_NAME_MAX + 1];
	pthread_mutex_lock(&n->mu);
	bool known = dnscache_lookup(n->cache, r->family, row_remote_addr(r), r->first_seen_us,
				     name, sizeof name);
	pthread_mutex_unlock(&n->mu);
	enum name_source src = known ? NAME_DNS : NAME_NONE;
	if (!known && n->resolver && !row_remote_name(r, NULL) &&
	    !never_named(r->family, row_remote_addr(r)) &&
	    resolver_name(n->resolver, r->family, row_remote_addr(r), clock_real_us(), name,
			  sizeof name))
		src = NAME_PTR;
	strpool_put(r->peer_name);
	r->peer_name = src == NAME_NONE ? NULL : strpool_get(n->pool, name);
	r->peer_name_source = (uint8_t)src;
}
