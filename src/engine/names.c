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

void names_on_dns_answer(void *opaque, const char *name, int family, const uint8_t addr[16])
{
	struct names *n = opaque;
	pthread_mutex_lock(&n->mu);
	dnscache_insert(n->cache, name, family, addr);
	pthread_mutex_unlock(&n->mu);
}

void names_fill_row(struct names *n, struct conn_row *r)
{
	const uint8_t *remote = r->local_side == 1 ? r->src : r->dst;
	pthread_mutex_lock(&n->mu);
	if (!dnscache_lookup(n->cache, r->family, remote, r->peer_name, sizeof r->peer_name))
		r->peer_name[0] = '\0';
	pthread_mutex_unlock(&n->mu);
}
