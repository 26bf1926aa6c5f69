/* columns.h - the overview table's columns: the fields of the fields table
 * (field/fields.c) shown as columns, left to right in table order, with
 * their widths, and how narrow screens drop them.
 */
#ifndef WT_TUI_COLUMNS_H
#define WT_TUI_COLUMNS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "field/field.h"

#define COL_MAX 32        /* columns the layout can hold */
#define COL_NONE (-1)     /* sort by first seen */
#define COL_WIDTH_MAX 80

struct cell_ctx {
	uint64_t now_us;
	bool numeric_ports;   /* 443 rather than https */
	bool numeric_hosts;   /* the address rather than its name */
	bool utf8;            /* may use an ellipsis */
	int width;            /* of the cell being written */
};

/* Columns shown, and the field of column i (NULL past the last). */
int column_count(void);
const struct field *column_at(int i);
/* The column showing the field called name, or COL_NONE. */
int column_of(const char *name);
/* Numbers align right (and sort biggest first). */
bool column_right(const struct field *f);
void columns_defaults(int widths[COL_MAX]);
/* A cell's text: the field's brief display text, "-" when unknown. */
void column_cell(const struct field *f, const struct conn_row *r, const struct cell_ctx *c,
		 char *buf, size_t cap);

struct col_layout {
	int n;                /* visible columns, left to right */
	int id[COL_MAX];
	int x[COL_MAX];
	int w[COL_MAX];
};

/* Which columns fit in screen_w, where, and how wide. */
void columns_layout(const int widths[COL_MAX], int screen_w, struct col_layout *out);

#endif
