/* model.c - filter and sort a snapshot into display order, and keep the
 * selection on the same connection across refreshes. Collects rows; the
 * views only render what is here.
 */
#include "tui/model.h"

#include <stdlib.h>
#include <string.h>

#include "base/xalloc.h"
#include "tui/columns.h"

void model_init(struct model *m)
{
	memset(m, 0, sizeof *m);
	m->sort_col = COL_NONE;
}

void model_fini(struct model *m)
{
	snapshot_free(m->snap);
	query_free(m->q);
	free(m->order);
	free(m->byid);
	free(m->hit);
	free(m->spare);
	free(m->sev);
	sorter_fini(&m->sorter);
	memset(m, 0, sizeof *m);
}

uint64_t model_now(const struct model *m)
{
	return m->snap ? m->snap->now_us : 0;
}

uint32_t model_total(const struct model *m)
{
	return m->snap ? m->snap->n : 0;
}

/* The rows are matched in the order they lie in memory and kept in id
 * order: ids are not where rows lie, and a row is hundreds of bytes, so
 * matching them in id order missed the cache on every one (at 100,000
 * rows most of a keystroke's time). */
static void filter_rows(struct model *m)
{
	const struct snapshot *s = m->snap;
	m->n = 0;
	if (!s || !s->n) /* no rows: m->order may not be allocated yet */
		return;
	if (!m->q || query_is_all(m->q)) {
		memcpy(m->order, m->byid, sizeof *m->order * s->n);
		m->n = s->n;
		return;
	}
	for (uint32_t r = 0; r < s->n; r++)
		m->hit[r] = query_match(m->q, &s->rows[r], s->now_us);
	for (uint32_t i = 0; i < s->n; i++)
		if (m->hit[m->byid[i]])
			m->order[m->n++] = m->byid[i];
}

/* Rows in id order, once per snapshot: the sort is stable, so rows with
 * equal keys stay in this order from one refresh to the next. */
static void index_by_id(struct model *m)
{
	const struct snapshot *s = m->snap;
	if (!s)
		return;
	if (s->n > m->cap) {
		m->cap = s->n;
		m->order = xrealloc(m->order, sizeof *m->order * m->cap);
		m->byid = xrealloc(m->byid, sizeof *m->byid * m->cap);
		m->hit = xrealloc(m->hit, sizeof *m->hit * m->cap);
		m->spare = xrealloc(m->spare, sizeof *m->spare * m->cap);
		m->sev = xrealloc(m->sev, sizeof *m->sev * m->cap);
	}
	for (uint32_t i = 0; i < s->n; i++)
		m->byid[i] = i;
	sorter_by_id(&m->sorter, s->rows, m->byid, s->n);
}

/* Errors, then warnings, then the rest: a stable pass over the sorted
 * order, so the sort column still orders rows of one severity. */
static void worst_first(struct model *m)
{
	if (!m->worst_first || m->n < 2)
		return;
	const struct snapshot *s = m->snap;
	uint32_t count[FINDING_ERROR + 1] = { 0 };
	for (uint32_t i = 0; i < m->n; i++) {
		m->sev[i] = (uint8_t)findings_row_severity(&s->rows[m->order[i]], s->now_us, &m->findings);
		count[m->sev[i]]++;
	}
	uint32_t at[FINDING_ERROR + 1];
	at[FINDING_ERROR] = 0;
	at[FINDING_WARNING] = count[FINDING_ERROR];
	at[FINDING_NONE] = count[FINDING_ERROR] + count[FINDING_WARNING];
	for (uint32_t i = 0; i < m->n; i++)
		m->spare[at[m->sev[i]]++] = m->order[i];
	memcpy(m->order, m->spare, sizeof *m->order * m->n);
}

static void sort_rows(struct model *m)
{
	sorter_sort(&m->sorter, m->snap->rows, m->order, m->n, m->sort_field, m->sort_desc,
		    m->snap->now_us);
	worst_first(m);
}

static void follow_selection(struct model *m)
{
	if (m->has_sel) {
		for (uint32_t i = 0; i < m->n; i++)
			if (m->snap->rows[m->order[i]].id == m->sel_id) {
				m->sel = i;
				return;
			}
	}
	/* gone (or none yet): stay at the same position */
	if (m->sel >= m->n)
		m->sel = m->n ? m->n - 1 : 0;
	m->has_sel = m->n > 0;
	if (m->has_sel)
		m->sel_id = m->snap->rows[m->order[m->sel]].id;
}

void model_rebuild(struct model *m)
{
	m->gen++;
	filter_rows(m);
	if (m->snap)
		sort_rows(m);
	follow_selection(m);
}

struct snapshot *model_set_snapshot(struct model *m, struct snapshot *s)
{
	struct snapshot *old = m->snap;
	m->snap = s;
	index_by_id(m);
	model_rebuild(m);
	return old;
}

struct snapshot *model_let_go(struct model *m)
{
	struct snapshot *s = m->snap;
	m->snap = NULL;
	m->n = 0;
	m->gen++;
	return s;
}

/* The rows shown that still pass the filter, in the order shown: a
 * narrower filter keeps a subset of them, already sorted. Matched in
 * memory order, as in filter_rows. */
static void narrow_rows(struct model *m)
{
	const struct snapshot *s = m->snap;
	memset(m->hit, 0, sizeof *m->hit * s->n);
	for (uint32_t i = 0; i < m->n; i++)
		m->hit[m->order[i]] = true;
	for (uint32_t r = 0; r < s->n; r++)
		if (m->hit[r])
			m->hit[r] = query_match(m->q, &s->rows[r], s->now_us);
	uint32_t kept = 0;
	for (uint32_t i = 0; i < m->n; i++)
		if (m->hit[m->order[i]])
			m->order[kept++] = m->order[i];
	m->n = kept;
}

void model_set_query(struct model *m, struct query *q)
{
	bool narrower = m->snap && query_narrows(m->q, q);
	query_free(m->q);
	m->q = q;
	if (!narrower) {
		model_rebuild(m);
		return;
	}
	m->gen++;
	narrow_rows(m);
	follow_selection(m);
}

/* The rows shown, back in id order, for a new sort to start from (the
 * sort is stable: ties stay in id order). The filter did not change, so
 * the rows are those shown already: matching every row again cost more
 * than the sort itself (a bare word over 100,000 rows). */
static void unsort_rows(struct model *m)
{
	const struct snapshot *s = m->snap;
	if (m->n == s->n) { /* all of them */
		memcpy(m->order, m->byid, sizeof *m->order * s->n);
		return;
	}
	memset(m->hit, 0, sizeof *m->hit * s->n);
	for (uint32_t i = 0; i < m->n; i++)
		m->hit[m->order[i]] = true;
	uint32_t kept = 0;
	for (uint32_t i = 0; i < s->n; i++)
		if (m->hit[m->byid[i]])
			m->order[kept++] = m->byid[i];
}

void model_set_sort(struct model *m, int col, bool desc)
{
	model_set_sort_field(m, column_at(col), desc);
}

void model_set_sort_field(struct model *m, const struct field *f, bool desc)
{
	m->sort_field = f;
	m->sort_col = f ? column_of(f->name) : COL_NONE;
	m->sort_desc = desc;
	m->gen++;
	if (!m->snap || !m->snap->n) { /* no rows: m->order may not be allocated yet */
		model_rebuild(m);
		return;
	}
	unsort_rows(m);
	sort_rows(m);
	follow_selection(m);
}

void model_set_worst_first(struct model *m, bool on, const struct findings_opts *o)
{
	m->worst_first = on;
	m->findings = *o;
	model_set_sort_field(m, m->sort_field, m->sort_desc);
}

const struct conn_row *model_row(const struct model *m, uint32_t pos)
{
	return pos < m->n ? &m->snap->rows[m->order[pos]] : NULL;
}

const struct conn_row *model_selected(const struct model *m)
{
	return m->has_sel ? model_row(m, m->sel) : NULL;
}

void model_scroll(struct model *m, int page)
{
	if (page < 1)
		page = 1;
	if (m->sel < m->top)
		m->top = m->sel;
	else if (m->sel >= m->top + (uint32_t)page)
		m->top = m->sel - (uint32_t)page + 1;
	/* no empty space below the last row when rows were removed */
	if (m->n > (uint32_t)page && m->top > m->n - (uint32_t)page)
		m->top = m->n - (uint32_t)page;
	if (m->n <= (uint32_t)page)
		m->top = 0;
}

void model_select(struct model *m, int64_t pos, int page)
{
	if (!m->n)
		return;
	if (pos < 0)
		pos = 0;
	if (pos >= (int64_t)m->n)
		pos = m->n - 1;
	m->sel = (uint32_t)pos;
	m->sel_id = m->snap->rows[m->order[m->sel]].id;
	m->has_sel = true;
	model_scroll(m, page);
}
