/* view_groups.c - the overview grouped (tui/group.h): a line per group
 * with its name, connections, summed Rx and Tx rates and bytes; under an
 * opened group its connections, drawn as the overview draws them and
 * moved right under the group's name.
 */
#include "tui/ui.h"

#include <stdio.h>

#include "tui/format.h"

#define INDENT 2       /* the open / closed mark, and the connections' indent */
#define CONNS_W 6
#define RATE_W 10
#define BYTES_W 9
#define FIGURES_W (CONNS_W + 2 * RATE_W + BYTES_W + 4) /* with a space before each */

struct figures {
	const char *conns, *rx, *tx, *bytes;
};

/* The name at INDENT, the figures right-aligned at the end of the line. */
static void draw_cells(const struct ui *ui, int y, const char *mark, const char *name,
		       const struct figures *f, attr_t a)
{
	bool utf8 = ui->theme.utf8;
	int name_w = ui->cols - INDENT - FIGURES_W;
	int x = ui->cols - FIGURES_W + 1;
	wattrset(stdscr, a);
	mvwhline(stdscr, y, 0, ' ', ui->cols);
	disp_put(stdscr, y, 0, INDENT, mark, a, DISP_LEFT, utf8);
	disp_put(stdscr, y, INDENT, name_w, name, a, DISP_LEFT, utf8);
	disp_put(stdscr, y, x, CONNS_W, f->conns, a, DISP_RIGHT, utf8);
	x += CONNS_W + 1;
	disp_put(stdscr, y, x, RATE_W, f->rx, a, DISP_RIGHT, utf8);
	x += RATE_W + 1;
	disp_put(stdscr, y, x, RATE_W, f->tx, a, DISP_RIGHT, utf8);
	x += RATE_W + 1;
	disp_put(stdscr, y, x, BYTES_W, f->bytes, a, DISP_RIGHT, utf8);
}

static void draw_header(const struct ui *ui, int y)
{
	static const char *const titles[GROUP_BY_COUNT] = { "", "Process", "Application", "Container" };
	struct figures f = { "Conns", "Rx", "Tx", "Bytes" };
	draw_cells(ui, y, "", titles[ui->group.by], &f, theme_attr(&ui->theme, ROLE_HEADER));
}

static void draw_group(const struct ui *ui, int y, const struct group *g, bool selected)
{
	char conns[16], rx[24], tx[24], bytes[24];
	snprintf(conns, sizeof conns, "%u", g->conns);
	fmt_rate(rx, sizeof rx, g->rx);
	fmt_rate(tx, sizeof tx, g->tx);
	fmt_bytes(bytes, sizeof bytes, (double)g->bytes);
	struct figures f = { conns, rx, tx, bytes };
	bool utf8 = ui->theme.utf8;
	const char *mark = g->open ? (utf8 ? "\u25be" : "-") : (utf8 ? "\u25b8" : "+");
	draw_cells(ui, y, mark, g->name, &f,
		   theme_attr(&ui->theme, selected ? ROLE_SELECTED : ROLE_SECTION));
}

void view_groups_draw(const struct ui *ui, int y0, int h)
{
	const struct grouping *gr = &ui->group;
	const struct model *m = &ui->model;
	draw_header(ui, y0);
	if (!gr->nline) {
		view_overview_empty(ui, y0 + 2);
		return;
	}
	struct col_layout lay;
	columns_layout(ui->widths, ui->cols - INDENT, &lay);
	struct cell_ctx cc = { .now_us = model_now(m), .numeric_ports = ui->numeric_ports,
			       .numeric_hosts = ui->numeric_hosts, .utf8 = ui->theme.utf8 };
	for (int i = 0; i < h - 1 && gr->top + (uint32_t)i < gr->nline; i++) {
		uint32_t at = gr->top + (uint32_t)i;
		const struct group_line *l = &gr->line[at];
		int y = y0 + 1 + i;
		if (l->pos == GROUP_HEAD) {
			draw_group(ui, y, &gr->g[l->group], at == gr->sel);
		} else {
			wattrset(stdscr, A_NORMAL);
			mvwhline(stdscr, y, 0, ' ', INDENT);
			view_overview_row(ui, &lay, &cc, y, INDENT, model_row(m, l->pos), at == gr->sel);
		}
	}
}
