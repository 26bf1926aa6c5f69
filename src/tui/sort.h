/* sort.h - order the overview's rows by a column, fast enough for 100k rows
 * per refresh. Ties are broken by row id so equal rows do not swap places
 * from one refresh to the next.
 */
#ifndef WT_TUI_SORT_H
#define WT_TUI_SORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "field/field.h"
#include "flow/row.h"

struct sort_ent;

/* Scratch space kept between refreshes, and the sort keys of the rows
 * last sorted, kept until the rows or the column change. */
struct sorter {
	struct sort_ent *e, *tmp;
	uint16_t *slot;          /* per entry: its first key's hash slot */
	uint32_t *rank_row;      /* hash of distinct keys (a row holding them) ... */
	uint32_t *rank;          /* ... and their ranks */
	uint8_t *used;
	size_t cap;
	/* by row index: */
	uint64_t *key0, *rest;   /* the first key; the others */
	uint32_t *stamp;         /* gen: the row's keys are known */
	uint8_t *mark;
	size_t row_cap;
	uint32_t gen;
	const struct conn_row *rows; /* the keys kept are of these rows, */
	const struct field *field; /* this field, */
	uint64_t now_us;         /* at this time */
};

void sorter_fini(struct sorter *s);
/* Sorts order[0..n) (indices into rows) by row id. Called once per
 * snapshot, with all its rows: the sort keys kept are forgotten. */
void sorter_by_id(struct sorter *s, const struct conn_row *rows, uint32_t *order, size_t n);
/* Sorts order[0..n), given in id order, by field f of the fields table
 * (a column's, or another such as the combined rate; NULL: first seen),
 * descending when desc; stable, so ties stay in id order. */
void sorter_sort(struct sorter *s, const struct conn_row *rows, uint32_t *order, size_t n,
		 const struct field *f, bool desc, uint64_t now_us);

#endif
