#include "engine/names.h"

#include <pthread.h>
#include <stdlib.h>

#include "base/xalloc.h"
#include "engine/dnscache.h"

struct names {
	pthread_mutex_t mu;
	struct dnscache *cache;
};

struct names *names_new(size_t capacity)
{
	struct names *n = xcalloc(1, sizeof *n);
	pthread_mutex_init(&n->mu, NULL);
	n->cache = dnscache_new(capacity);
	return n;
}

void names_free(struct names *n)
{
	if (!n)
		return;
	dnscache_free(n->cache);
	pthread_mutex_destroy(&n->mu);
	free(n);
}

void names_on_dns_answer(void *opaque, const struct dns_answer *a)
{
	struct names *n = opaque;
	uint64_t expires_us = a->seen_us + (uint64_t)a->ttl * 1000000u;
	pthread_mutex_lock(&n->mu);
	dnscache_insert(n->cache, a->name, a->family, a->addr, expires_us);
	pthread_mutex_unlock(&n->mu);
}

void names_fill_row(struct names *n, struct conn_row *r)
{
	pthread_mutex_lock(&n->mu);
	bool known = dnscache_lookup(n->cache, r->family, row_remote_addr(r), r->first_seen_us,
				     r->peer_name, sizeof r->peer_name);
	pthread_mutex_unlock(&n->mu);
	r->peer_name_source = known ? NAME_DNS : NAME_NONE;
	if (!known)
		r->peer_name[0] = '\0';
}
