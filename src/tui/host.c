/* host.c - the Host view's sockets: a copy of what the source's listing
 * gave, kept until the next one. */
#include "tui/host.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/xalloc.h"

static void keep(void *arg, const struct attr_listener *l)
{
	struct host *h = arg;
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
}

void host_build(struct host *h, host_list_fn list, void *ctx)
{
	struct wt_err e = { WT_OK, "" };
	h->n = 0;
	h->asked = true;
	memset(&h->reach, 0, sizeof h->reach);
	h->failed = !list || list(ctx, keep, h, &h->reach, &e) < 0;
	if (!list)
		snprintf(h->err, sizeof h->err, "%s", "this source cannot list the machine's sockets");
	else if (h->failed)
		snprintf(h->err, sizeof h->err, "%s", e.msg);
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
	if (page < 1)
		page = 1;
	if (pos >= (int64_t)h->n)
		pos = (int64_t)h->n - 1;
	h->sel = pos < 0 ? 0 : (uint32_t)pos;
	if (h->sel < h->top)
		h->top = h->sel;
	else if (h->sel >= h->top + (uint32_t)page)
		h->top = h->sel - (uint32_t)page + 1;
}
