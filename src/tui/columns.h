/* columns.h - the overview table's columns: title, the field of the query
 * fields table they sort by, widths, and how each cell is written.
 */
#ifndef WT_TUI_COLUMNS_H
#define WT_TUI_COLUMNS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "flow/row.h"

enum col_id {
	COL_PROTO,
	COL_LOCAL,
	COL_REMOTE,
	COL_STATE,
	COL_SERVICE,
	COL_DPI,
	COL_RX,
	COL_TX,
	COL_BYTES,
	COL_PROCESS,
	COL_COUNT,
};
#define COL_NONE (-1) /* sort by first seen */

#define COL_WIDTH_MAX 80

struct cell_ctx {
	uint64_t now_us;
	bool numeric_ports;   /* 443 rather than https */
	bool utf8;            /* may use an ellipsis */
	int width;            /* of the cell being written */
};

struct column {
	const char *title;
	const char *field;    /* keyword in the fields table: sort key, help */
	const char *tie;      /* second sort key, or NULL */
	short width;          /* default */
	short min_width;
	short drop;           /* narrow screens drop the highest first; 0 never */
	bool right;           /* numbers align right */
	bool flex;            /* takes the width left over */
	void (*cell)(const struct conn_row *r, const struct cell_ctx *c, char *buf, size_t cap);
};

const struct column *column_at(int id);
void columns_defaults(int widths[COL_COUNT]);

struct col_layout {
	int n;                /* visible columns, left to right */
	int id[COL_COUNT];
	int x[COL_COUNT];
	int w[COL_COUNT];
};

/* Which columns fit in screen_w, where, and how wide. */
void columns_layout(const int widths[COL_COUNT], int screen_w, struct col_layout *out);

/* The DPI detail line of a row: SNI, HTTP host and path, DNS query, SSH software. */
void column_dpi_text(const struct conn_row *r, char *buf, size_t cap);

#endif
