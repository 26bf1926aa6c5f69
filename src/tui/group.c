/* group.c - the grouped overview's groups and lines (tui/group.h).
 *
 * A remake is one pass over the rows that pass the filter, in the
 * overview's order: each row's key (a process id, an application or a
 * container name) is looked up in an open-addressed table and the row is
 * counted into its group and chained after the group's last row, so an
 * opened group lists its connections in the overview's order without a
 * sort of its own. Then the groups (few, next to the rows) are sorted and
 * the lines laid out.
 */
#include "tui/group.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/hash.h"
#include "base/xalloc.h"
#include "tui/columns.h"

#define CHAIN_END UINT32_MAX
#define GROUPS_FIRST 16
#define SLOTS_MIN 64

static const char *const words[GROUP_BY_COUNT] = { "", "process", "application", "container" };

void grouping_init(struct grouping *gr)
{
	memset(gr, 0, sizeof *gr);
	gr->stale = true;
}

void grouping_fini(struct grouping *gr)
{
	free(gr->g);
	free(gr->order);
	free(gr->slot);
	free(gr->next);
	free(gr->line);
	memset(gr, 0, sizeof *gr);
}

void grouping_set(struct grouping *gr, enum group_by by)
{
	gr->by = by;
	gr->stale = true;
	gr->sel = gr->top = 0;
	gr->sel_group = gr->sel_row = 0;
}

const char *grouping_word(enum group_by by)
{
	return by < GROUP_BY_COUNT ? words[by] : "";
}

static const char *nonempty(const char *s)
{
	return s && *s ? s : NULL;
}

/* The key rows of one group share: a string, a number, or both (a
 * process: its id, with its name for the line). NULL and 0: no such
 * thing, the "(unknown)" or "(none)" group. */
static void key_of(enum group_by by, const struct conn_row *r, const char **s, int32_t *n)
{
	*s = NULL;
	*n = 0;
	switch (by) {
	case GROUP_PROCESS:
		if (r->proc.pid > 0) {
			*n = r->proc.pid;
			*s = nonempty(r->proc.name);
		}
		break;
	case GROUP_APP:
		*s = nonempty(meta_app_name(&r->meta, r->dport));
		break;
	case GROUP_CONTAINER:
		*s = nonempty(row_place(r, ROW_PLACE_CONTAINER));
		break;
	default:
		break;
	}
}

void grouping_name(enum group_by by, const struct conn_row *r, char *buf, size_t cap)
{
	const char *s;
	int32_t n;
	key_of(by, r, &s, &n);
	if (by == GROUP_PROCESS && n)
		snprintf(buf, cap, "%s (%ld)", s ? s : "?", (long)n);
	else if (s)
		snprintf(buf, cap, "%s", s);
	else /* a connection outside any container runs on the host itself */
		snprintf(buf, cap, "%s", by == GROUP_CONTAINER ? "(none)" : "(unknown)");
}

static uint64_t name_hash(const char *name)
{
	return hash_bytes(name, strlen(name), 0);
}

/* ---- the remake ---- */

/* Room for n rows in the chain; an empty table, sized for as many
 * groups as the largest grouping so far (it grows while counting: sized
 * by the groups, not the rows, it stays in the cache). */
static void reserve(struct grouping *gr, uint32_t n)
{
	if (n > gr->next_cap) {
		gr->next_cap = n;
		gr->next = xrealloc(gr->next, sizeof *gr->next * n);
	}
	if (!gr->slot) {
		gr->slot_cap = SLOTS_MIN;
		gr->slot = xmalloc(sizeof *gr->slot * gr->slot_cap);
	}
	memset(gr->slot, 0, sizeof *gr->slot * gr->slot_cap);
	gr->ng = 0;
}

/* Twice the slots, the groups placed again: the table stays half empty. */
static void grow_slots(struct grouping *gr)
{
	free(gr->slot);
	gr->slot_cap *= 2;
	gr->slot = xcalloc(gr->slot_cap, sizeof *gr->slot);
	uint32_t mask = gr->slot_cap - 1;
	for (uint32_t k = 0; k < gr->ng; k++) {
		uint32_t i = gr->g[k].key_hash & mask;
		while (gr->slot[i].at)
			i = (i + 1) & mask;
		gr->slot[i] = (struct group_slot){ k + 1, gr->g[k].key_hash };
	}
}

static bool same_key(const struct group *g, const char *s, int32_t n)
{
	return g->key_n == n && (g->key_s == s || (g->key_s && s && strcmp(g->key_s, s) == 0));
}

static struct group *new_group(struct grouping *gr, const struct conn_row *r, const char *s, int32_t n)
{
	if (gr->ng == gr->gcap) {
		gr->gcap = gr->gcap ? gr->gcap * 2 : GROUPS_FIRST;
		gr->g = xrealloc(gr->g, sizeof *gr->g * gr->gcap);
		gr->order = xrealloc(gr->order, sizeof *gr->order * gr->gcap);
	}
	struct group *g = &gr->g[gr->ng++];
	memset(g, 0, sizeof *g);
	grouping_name(gr->by, r, g->name, sizeof g->name);
	g->hash = name_hash(g->name);
	g->key_s = s;
	g->key_n = n;
	g->first = g->last = CHAIN_END;
	return g;
}

/* The group of row r (made at its first row), through the table. */
static struct group *group_for(struct grouping *gr, const struct conn_row *r)
{
	const char *s;
	int32_t n;
	key_of(gr->by, r, &s, &n);
	uint32_t h = (uint32_t)(s ? hash_bytes(s, strlen(s), (uint64_t)n) : hash_mix64((uint64_t)n + 1));
	uint32_t mask = gr->slot_cap - 1;
	for (uint32_t i = h & mask;; i = (i + 1) & mask) {
		struct group_slot *sl = &gr->slot[i];
		if (sl->at && sl->hash == h && same_key(&gr->g[sl->at - 1], s, n))
			return &gr->g[sl->at - 1];
		if (sl->at)
			continue;
		struct group *g = new_group(gr, r, s, n);
		g->key_hash = h;
		*sl = (struct group_slot){ gr->ng, h };
		if (gr->ng * 2 > gr->slot_cap)
			grow_slots(gr);
		return g;
	}
}

static void count_rows(struct grouping *gr, const struct model *m)
{
	for (uint32_t pos = 0; pos < m->n; pos++) {
		const struct conn_row *r = model_row(m, pos);
		struct group *g = group_for(gr, r);
		g->conns++;
		g->rx += row_rx_rate(r);
		g->tx += row_tx_rate(r);
		g->bytes += r->src_bytes + r->dst_bytes;
		gr->next[pos] = CHAIN_END;
		if (g->last == CHAIN_END)
			g->first = pos;
		else
			gr->next[g->last] = pos;
		g->last = pos;
	}
}

static int by_rank(const void *pa, const void *pb, void *ctx)
{
	const struct group *g = ctx;
	const struct group *a = &g[*(const uint32_t *)pa], *b = &g[*(const uint32_t *)pb];
	if (a->rank != b->rank)
		return a->rank > b->rank ? -1 : 1;
	if (a->rank2 != b->rank2)
		return a->rank2 > b->rank2 ? -1 : 1;
	return a->name_dir * strcmp(a->name, b->name);
}

/* What the groups sort by: what their line shows when the overview
 * sorts by it (Rx, Tx, Bytes, or the name when sorted by the column the
 * groups are of), else the busiest first. */
static enum group_sort sort_of(enum group_by by, const struct model *m)
{
	static const char *const own_column[GROUP_BY_COUNT] = { NULL, "process", "service", NULL };
	static const struct {
		const char *col;
		enum group_sort by;
	} shown[] = { { "rxrate", GROUP_SORT_RX }, { "txrate", GROUP_SORT_TX }, { "bytes", GROUP_SORT_BYTES } };
	const struct field *c = column_at(m->sort_col);
	if (!c)
		return GROUP_SORT_BUSY;
	if (own_column[by] && strcmp(c->name, own_column[by]) == 0)
		return GROUP_SORT_NAME;
	for (size_t i = 0; i < sizeof shown / sizeof shown[0]; i++)
		if (strcmp(c->name, shown[i].col) == 0)
			return shown[i].by;
	return GROUP_SORT_BUSY;
}

static void sort_groups(struct grouping *gr, const struct model *m)
{
	enum group_sort by = sort_of(gr->by, m);
	double dir = m->sort_desc ? 1 : -1;
	for (uint32_t i = 0; i < gr->ng; i++) {
		struct group *g = &gr->g[i];
		gr->order[i] = i;
		g->name_dir = by == GROUP_SORT_NAME && m->sort_desc ? -1 : 1;
		g->rank = by == GROUP_SORT_NAME    ? 0
			  : by == GROUP_SORT_RX    ? dir * g->rx
			  : by == GROUP_SORT_TX    ? dir * g->tx
			  : by == GROUP_SORT_BYTES ? dir * (double)g->bytes
						   : g->rx + g->tx;
		g->rank2 = by == GROUP_SORT_NAME ? 0 : (double)g->bytes;
	}
	qsort_r(gr->order, gr->ng, sizeof *gr->order, by_rank, gr->g); /* indices: a group is big */
	gr->sorted_by = by;
}

static bool is_open(const struct grouping *gr, uint64_t hash)
{
	for (uint32_t i = 0; i < gr->nopen; i++)
		if (gr->open[i] == hash)
			return true;
	return false;
}

static void add_line(struct grouping *gr, uint32_t group, uint32_t pos)
{
	if (gr->nline == gr->line_cap) {
		gr->line_cap = gr->line_cap ? gr->line_cap * 2 : GROUPS_FIRST;
		gr->line = xrealloc(gr->line, sizeof *gr->line * gr->line_cap);
	}
	gr->line[gr->nline++] = (struct group_line){ group, pos };
}

static void lay_out(struct grouping *gr)
{
	gr->nline = 0;
	for (uint32_t i = 0; i < gr->ng; i++) {
		uint32_t at = gr->order[i];
		struct group *g = &gr->g[at];
		g->key_s = NULL; /* it points into the rows, which go at the next refresh */
		g->open = is_open(gr, g->hash);
		add_line(gr, at, GROUP_HEAD);
		for (uint32_t pos = g->first; g->open && pos != CHAIN_END; pos = gr->next[pos])
			add_line(gr, at, pos);
	}
}

static uint64_t line_row(const struct model *m, const struct group_line *l)
{
	return l->pos == GROUP_HEAD ? 0 : model_row(m, l->pos)->id;
}

static void remember(struct grouping *gr, const struct model *m)
{
	const struct group_line *l = grouping_selected(gr);
	gr->sel_group = l ? gr->g[l->group].hash : 0;
	gr->sel_row = l ? line_row(m, l) : 0;
}

/* The line of the selection's connection, else of its group, else the
 * same place. */
static void follow(struct grouping *gr, const struct model *m)
{
	uint32_t head = CHAIN_END;
	for (uint32_t i = 0; i < gr->nline; i++) {
		const struct group_line *l = &gr->line[i];
		if (gr->g[l->group].hash != gr->sel_group)
			continue;
		if (l->pos == GROUP_HEAD)
			head = i;
		if (line_row(m, l) == gr->sel_row) {
			gr->sel = i;
			return;
		}
	}
	if (head != CHAIN_END)
		gr->sel = head;
	else if (gr->sel >= gr->nline)
		gr->sel = gr->nline ? gr->nline - 1 : 0;
	remember(gr, m);
}

void grouping_update(struct grouping *gr, const struct model *m)
{
	if (gr->by == GROUP_NONE || (!gr->stale && gr->made_gen == m->gen))
		return;
	reserve(gr, m->n);
	count_rows(gr, m);
	sort_groups(gr, m);
	lay_out(gr);
	follow(gr, m);
	gr->made_gen = m->gen;
	gr->stale = false;
}

/* ---- selection and opening ---- */

const struct group_line *grouping_selected(const struct grouping *gr)
{
	return gr->sel < gr->nline ? &gr->line[gr->sel] : NULL;
}

void grouping_scroll(struct grouping *gr, int page)
{
	uint32_t p = page < 1 ? 1 : (uint32_t)page;
	if (gr->sel < gr->top)
		gr->top = gr->sel;
	else if (gr->sel >= gr->top + p)
		gr->top = gr->sel - p + 1;
	if (gr->nline <= p)
		gr->top = 0;
	else if (gr->top > gr->nline - p)
		gr->top = gr->nline - p;
}

int grouping_rows_shown(const struct grouping *gr, const struct model *m, int page,
			const struct conn_row **out, int cap)
{
	int n = 0;
	for (uint32_t i = gr->top; i < gr->nline && i < gr->top + (uint32_t)page && n < cap; i++)
		if (gr->line[i].pos != GROUP_HEAD)
			out[n++] = model_row(m, gr->line[i].pos);
	return n;
}

void grouping_select(struct grouping *gr, struct model *m, int64_t line, int page)
{
	if (!gr->nline)
		return;
	gr->sel = line < 0 ? 0 : line >= (int64_t)gr->nline ? gr->nline - 1 : (uint32_t)line;
	remember(gr, m);
	const struct group_line *l = grouping_selected(gr);
	if (l->pos != GROUP_HEAD) /* Details, copy and the rest act on it */
		model_select(m, l->pos, page);
	grouping_scroll(gr, page);
}

static void set_open(struct grouping *gr, uint64_t hash, bool open)
{
	uint32_t kept = 0;
	for (uint32_t i = 0; i < gr->nopen; i++)
		if (gr->open[i] != hash)
			gr->open[kept++] = gr->open[i];
	gr->nopen = kept;
	if (!open)
		return;
	if (gr->nopen == GROUP_OPEN_MAX) { /* the one opened longest ago closes */
		memmove(gr->open, gr->open + 1, sizeof *gr->open * (GROUP_OPEN_MAX - 1));
		gr->nopen--;
	}
	gr->open[gr->nopen++] = hash;
}

bool grouping_open(struct grouping *gr, struct model *m, bool open, int page)
{
	const struct group_line *l = grouping_selected(gr);
	if (!l)
		return false;
	const struct group *g = &gr->g[l->group];
	bool head = l->pos == GROUP_HEAD;
	if (g->open == open || (!head && open))
		return false;
	set_open(gr, g->hash, open);
	gr->sel_group = g->hash;
	gr->sel_row = 0; /* closing from one of its connections selects the group */
	gr->stale = true;
	grouping_update(gr, m);
	grouping_scroll(gr, page);
	return true;
}
