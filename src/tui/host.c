/* host.c - the Host view's sockets: a copy of what the source's listing
 * gave, kept until the next one. */
#include "tui/host.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/str.h"
#include "base/xalloc.h"
#include "tui/listsel.h"

/* The listing being made, and the one before it (to carry each socket's
 * first-listed time over). */
struct building {
	struct host *h;
	struct host_socket *old;
	size_t nold;
	uint64_t now_us;
};

static int cmp_u64(uint64_t a, uint64_t b) { return (a > b) - (a < b); }

/* The listing's order (attr_listening): namespace, protocol, family, port,
 * address. */
static int cmp_socket(const struct host_socket *a, const struct host_socket *b)
{
	int c = cmp_u64(a->netns, b->netns);
	if (!c)
		c = cmp_u64(a->l4, b->l4);
	if (!c)
		c = cmp_u64(a->family, b->family);
	if (!c)
		c = cmp_u64(a->port, b->port);
	return c ? c : memcmp(a->addr, b->addr, 16);
}

/* When s was first listed: as the previous listing had it, else now. */
static uint64_t first_listed(const struct building *b, const struct host_socket *s)
{
	size_t lo = 0, hi = b->nold;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = cmp_socket(&b->old[mid], s);
		if (!c)
			return b->old[mid].first_us;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return b->now_us;
}

static void keep(void *arg, const struct attr_listener *l)
{
	struct building *b = arg;
	struct host *h = b->h;
	if (h->n == h->cap) {
		h->cap = h->cap ? h->cap * 2 : 32;
		h->v = xrealloc(h->v, h->cap * sizeof *h->v);
	}
	struct host_socket *s = &h->v[h->n++];
	memset(s, 0, sizeof *s);
	s->l4 = l->l4;
	s->family = l->family;
	memcpy(s->addr, l->addr, sizeof s->addr);
	s->port = l->port;
	s->netns = l->netns;
	memcpy(s->netns_name, l->netns_name, sizeof s->netns_name);
	s->pid = l->proc.ref.pid;
	if (s->pid > 0)
		snprintf(s->process, sizeof s->process, "%s", l->proc.ref.name);
	snprintf(s->user, sizeof s->user, "%s", l->user);
	snprintf(s->place, sizeof s->place, "%s",
		 l->proc.unit[0] ? l->proc.unit : l->proc.container);
	s->first_us = first_listed(b, s);
	s->since_listed = !(s->pid > 0 && l->started_us);
	s->since_us = s->since_listed ? s->first_us : l->started_us;
}

void host_build(struct host *h, host_list_fn list, void *ctx, uint64_t now_us)
{
	struct wt_err e = { WT_OK, "" };
	struct building b = { h, h->v, h->n, now_us };
	h->v = NULL;
	h->n = h->cap = 0;
	h->asked = true;
	memset(&h->reach, 0, sizeof h->reach);
	h->failed = !list || list(ctx, keep, &b, &h->reach, &e) < 0;
	free(b.old);
	if (!list)
		str_copy(h->err, sizeof h->err, "this source cannot list the machine's sockets");
	else if (h->failed)
		str_copy(h->err, sizeof h->err, e.msg); /* cut to fit: a line on screen */
	if (h->sel >= h->n)
		h->sel = h->n ? (uint32_t)h->n - 1 : 0;
}

void host_fini(struct host *h)
{
	free(h->v);
	memset(h, 0, sizeof *h);
}

void host_select(struct host *h, int64_t pos, int page)
{
	list_select(&h->sel, &h->top, h->n, pos, page);
}
