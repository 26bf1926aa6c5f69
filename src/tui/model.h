/* model.h - what the overview shows: the current snapshot, the active
 * filter, the rows that pass it in sort order, and the selection (which
 * follows the same connection, by row id, across refreshes). Views read
 * it; only the UI loop and key handlers change it.
 */
#ifndef WT_TUI_MODEL_H
#define WT_TUI_MODEL_H

#include <stdbool.h>
#include <stdint.h>

#include "flow/row.h"
#include "output/findings.h"
#include "query/query.h"
#include "tui/sort.h"

struct model {
	struct snapshot *snap;   /* owned; NULL before the first refresh */
	struct query *q;         /* active filter, owned; NULL shows all */
	uint32_t *byid;          /* indices into snap->rows in id order */
	uint32_t *order;         /* indices into snap->rows, display order */
	bool *hit;               /* per row of snap->rows: it passes the filter */
	uint32_t *spare;         /* scratch for the worst-first pass, like order */
	uint8_t *sev;            /* per position: its worst finding (that pass) */
	uint32_t n, cap;
	const struct field *sort_field; /* sorted by it; NULL: first seen */
	int sort_col;            /* the column showing it, or COL_NONE */
	bool sort_desc;
	bool worst_first;        /* by worst finding first, then by the sort column */
	struct findings_opts findings; /* the thresholds that decide it */
	bool has_sel;
	uint64_t sel_id;         /* the selected connection */
	uint32_t sel, top;       /* selected and first shown position */
	struct sorter sorter;
	uint64_t gen;            /* counts changes of the rows shown or their order */
};

void model_init(struct model *m);
void model_fini(struct model *m);
/* Takes ownership of s and rebuilds the order; returns the snapshot it
 * replaces, for the caller to free once the new frame is out. */
struct snapshot *model_set_snapshot(struct model *m, struct snapshot *s);
/* Gives up the snapshot (returned, for the caller to free) and its rows
 * until the next one is set; the filter, the sort, the selection and the
 * scroll position stay for it. */
struct snapshot *model_let_go(struct model *m);
/* Takes ownership of q and rebuilds the order. */
void model_set_query(struct model *m, struct query *q);
/* By column col (COL_NONE: first seen). */
void model_set_sort(struct model *m, int col, bool desc);
/* By field f, a column's or not (NULL: first seen); sort_col says which
 * column shows it, if one does. */
void model_set_sort_field(struct model *m, const struct field *f, bool desc);
/* Rows whose worst finding (output/findings.h) is an error first, then
 * warnings, then the rest, each in the sort column's order; o: the
 * thresholds. */
void model_set_worst_first(struct model *m, bool on, const struct findings_opts *o);
/* Filter and sort again; the selection follows its row id. */
void model_rebuild(struct model *m);

uint64_t model_now(const struct model *m);
uint32_t model_total(const struct model *m);
const struct conn_row *model_row(const struct model *m, uint32_t pos);
const struct conn_row *model_selected(const struct model *m);
/* Select position pos (clamped); keeps it inside a window of page rows. */
void model_select(struct model *m, int64_t pos, int page);
/* Adjusts top so the selection is visible in page rows. */
void model_scroll(struct model *m, int page);

#endif
