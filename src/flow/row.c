#include "flow/row.h"

#include <string.h>

#include <stdlib.h>

#include "base/xalloc.h"

struct snapshot *snapshot_new(uint32_t cap)
{
	struct snapshot *s = xcalloc(1, sizeof *s);
	s->cap = cap ? cap : 64;
	s->rows = xmalloc(sizeof *s->rows * s->cap);
	return s;
}

struct conn_row *snapshot_push(struct snapshot *s)
{
	if (s->n == s->cap) {
		s->cap *= 2;
		s->rows = xrealloc(s->rows, sizeof *s->rows * s->cap);
	}
	struct conn_row *r = &s->rows[s->n++];
	memset(r, 0, sizeof *r);
	meta_init(&r->meta);
	r->local_side = -1;
	return r;
}

void snapshot_free(struct snapshot *s)
{
	if (!s)
		return;
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
