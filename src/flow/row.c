#include "flow/row.h"

#include <stdlib.h>
#include <string.h>

#include "base/refcount.h"
#include "base/xalloc.h"

struct snapshot *snapshot_new(uint32_t cap)
{
	struct snapshot *s = xcalloc(1, sizeof *s);
	s->refs = xmalloc(sizeof *s->refs);
	refcount_init(s->refs);
	s->cap = cap ? cap : 64;
	s->rows = xmalloc(sizeof *s->rows * s->cap);
	return s;
}

static void reserve_rows(struct snapshot *s, uint32_t more)
{
	if (s->n + more <= s->cap)
		return;
	while (s->n + more > s->cap)
		s->cap *= 2;
	s->rows = xrealloc(s->rows, sizeof *s->rows * s->cap);
}

struct conn_row *snapshot_push(struct snapshot *s)
{
	reserve_rows(s, 1);
	struct conn_row *r = &s->rows[s->n++];
	memset(r, 0, sizeof *r);
	meta_init(&r->meta);
	r->local_side = -1;
	r->proc_side = -1;
	return r;
}

struct snapshot *snapshot_share(struct snapshot *s)
{
	struct snapshot *v = xmalloc(sizeof *v);
	*v = *s;
	v->cap = 0;
	v->shared = s;
	v->refs = NULL;
	refcount_get(s->refs);
	return v;
}

void snapshot_free(struct snapshot *s)
{
	if (!s)
		return;
	if (s->shared) {
		snapshot_free(s->shared);
		free(s);
		return;
	}
	if (!refcount_put(s->refs))
		return;
	free(s->refs);
	for (uint32_t i = 0; i < s->n; i++)
		meta_fini(&s->rows[i].meta);
	free(s->rows);
	free(s);
}

void row_copy(struct conn_row *dst, const struct conn_row *src)
{
	*dst = *src;
	meta_copy(&dst->meta, &src->meta);
}

/* SNI and Host name the responder: they describe the remote end only when
 * the local side initiated. */
const char *row_remote_name(const struct conn_row *r)
{
	if (row_local_index(r) != 0)
		return NULL;
	const char *s = meta_str(&r->meta, META_SNI);
	if (!s || !*s)
		s = meta_str(&r->meta, META_HTTP_HOST);
	return s && *s ? s : NULL;
}

const char *row_service(const struct conn_row *r)
{
	const char *a = meta_app_name(&r->meta, r->dport);
	if (a)
		return a;
	if (!row_has_ports(r))
		return NULL;
	a = service_name(r->l4, r->dport);
	return a ? a : service_name(r->l4, r->sport);
}
