/* view_overview.c - the connection table: one line per row of the model,
 * columns from columns.c laid out for the screen width. Closed rows are
 * dim, rows close to expiry are marked, the selection is highlighted.
 */
#include "tui/ui.h"

#include <stdio.h>
#include <string.h>

#include "base/clock.h"
#include "tui/format.h"

#define EXPIRY_WARN_US (10 * US_PER_SEC) /* "about to go" when idle expiry is this close */

static void draw_header(const struct ui *ui, const struct col_layout *lay, int y)
{
	const struct theme *t = &ui->theme;
	wattrset(stdscr, theme_attr(t, ROLE_HEADER));
	mvwhline(stdscr, y, 0, ' ', ui->body_cols);
	for (int i = 0; i < lay->n; i++) {
		const struct field *c = column_at(lay->id[i]);
		bool sorted = lay->id[i] == ui->model.sort_col;
		char title[48];
		const char *arrow = !sorted ? ""
				    : ui->model.sort_desc ? (t->utf8 ? "\u25bc" : "v")
							  : (t->utf8 ? "\u25b2" : "^");
		snprintf(title, sizeof title, "%s%s", c->column.title, arrow);
		disp_put(stdscr, y, lay->x[i], lay->w[i], title,
			 theme_attr(t, sorted ? ROLE_HEADER_SORT : ROLE_HEADER),
			 column_right(c) ? DISP_RIGHT : DISP_LEFT, t->utf8);
	}
}

static enum role row_role(const struct conn_row *r, uint64_t now, bool selected)
{
	if (selected)
		return ROLE_SELECTED;
	if (r->closed)
		return ROLE_CLOSED;
	if (r->expires_us && r->expires_us <= now + EXPIRY_WARN_US)
		return ROLE_EXPIRING;
	return ROLE_NORMAL;
}

void view_overview_row(const struct ui *ui, const struct col_layout *lay, struct cell_ctx *cc,
		       int y, int x0, const struct conn_row *r, bool selected)
{
	attr_t a = theme_attr(&ui->theme, row_role(r, cc->now_us, selected));
	char buf[META_STR_MAX + 64];
	wattrset(stdscr, a);
	mvwhline(stdscr, y, x0, ' ', ui->body_cols - x0);
	for (int i = 0; i < lay->n; i++) {
		const struct field *c = column_at(lay->id[i]);
		cc->width = lay->w[i];
		column_cell(c, r, cc, buf, sizeof buf);
		disp_put(stdscr, y, x0 + lay->x[i], lay->w[i], buf, a,
			 column_right(c) ? DISP_RIGHT : DISP_LEFT, ui->theme.utf8);
	}
}

void view_overview_empty(const struct ui *ui, int y)
{
	const char *msg = !ui->model.snap ? "Waiting for data..."
			  : model_total(&ui->model) ? "No connection matches the filter (Esc clears it)"
						    : "No connections yet";
	disp_text(stdscr, y, 2, ui->body_cols - 2, msg, theme_attr(&ui->theme, ROLE_CLOSED),
		  ui->theme.utf8);
}

void view_overview_draw(const struct ui *ui, int y0, int h)
{
	const struct model *m = &ui->model;
	struct col_layout lay;
	columns_layout(ui->widths, ui->body_cols, &lay);
	draw_header(ui, &lay, y0);
	if (!m->n) {
		view_overview_empty(ui, y0 + 2);
		return;
	}
	struct cell_ctx cc = { .now_us = model_now(m), .numeric_ports = ui->numeric_ports,
			       .numeric_hosts = ui->numeric_hosts, .utf8 = ui->theme.utf8 };
	for (int i = 0; i < h - 1 && m->top + (uint32_t)i < m->n; i++) {
		uint32_t pos = m->top + (uint32_t)i;
		view_overview_row(ui, &lay, &cc, y0 + 1 + i, 0, model_row(m, pos), pos == m->sel);
	}
}
