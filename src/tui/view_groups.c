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

/* A group line's cells after its mark: the name, then the figures. */
enum { CELL_NAME, CELL_CONNS, CELL_RX, CELL_TX, CELL_BYTES, CELLS };

/* The name at INDENT, the figures right-aligned at the end of the line;
 * cell `marked` (or none: CELLS) in attribute marked_a. */
static void draw_cells(const struct ui *ui, int y, const char *mark, const char *const text[CELLS],
		       attr_t a, int marked, attr_t marked_a)
{
	static const int widths[CELLS] = { 0, CONNS_W, RATE_W, RATE_W, BYTES_W };
	bool utf8 = ui->theme.utf8;
	wattrset(stdscr, a);
	mvwhline(stdscr, y, 0, ' ', ui->body_cols);
	disp_put(stdscr, y, 0, INDENT, mark, a, DISP_LEFT, utf8);
	int x = INDENT;
	for (int i = 0; i < CELLS; i++) {
		int w = i == CELL_NAME ? ui->body_cols - INDENT - FIGURES_W : widths[i];
		disp_put(stdscr, y, x, w, text[i], i == marked ? marked_a : a,
			 i == CELL_NAME ? DISP_LEFT : DISP_RIGHT, utf8);
		x += w + 1;
	}
}

/* The titles, the one the groups are sorted by marked with the sort's
 * direction. */
static void draw_header(const struct ui *ui, int y)
{
	static const char *const names[GROUP_BY_COUNT] = { "", "Process", "Application", "Container" };
	static const int cell_of[] = { [GROUP_SORT_BUSY] = CELLS, [GROUP_SORT_NAME] = CELL_NAME,
				       [GROUP_SORT_RX] = CELL_RX, [GROUP_SORT_TX] = CELL_TX,
				       [GROUP_SORT_BYTES] = CELL_BYTES };
	const struct theme *t = &ui->theme;
	const char *arrow = ui->model.sort_desc ? (t->utf8 ? "\u25bc" : "v") : (t->utf8 ? "\u25b2" : "^");
	char titles[CELLS][24];
	const char *const plain[CELLS] = { names[ui->group.by], "Conns", "Rx", "Tx", "Bytes" };
	int marked = cell_of[ui->group.sorted_by];
	const char *text[CELLS];
	for (int i = 0; i < CELLS; i++) {
		snprintf(titles[i], sizeof titles[i], "%s%s", plain[i], i == marked ? arrow : "");
		text[i] = titles[i];
	}
	draw_cells(ui, y, "", text, theme_attr(t, ROLE_HEADER), marked, theme_attr(t, ROLE_HEADER_SORT));
}

static void draw_group(const struct ui *ui, int y, const struct group *g, bool selected)
{
	char conns[16], rx[24], tx[24], bytes[24];
	snprintf(conns, sizeof conns, "%u", g->conns);
	fmt_rate(rx, sizeof rx, g->rx);
	fmt_rate(tx, sizeof tx, g->tx);
	fmt_bytes(bytes, sizeof bytes, (double)g->bytes);
	const char *text[CELLS] = { g->name, conns, rx, tx, bytes };
	bool utf8 = ui->theme.utf8;
	const char *mark = g->open ? (utf8 ? "\u25be" : "-") : (utf8 ? "\u25b8" : "+");
	draw_cells(ui, y, mark, text, theme_attr(&ui->theme, selected ? ROLE_SELECTED : ROLE_SECTION), CELLS, 0);
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
	columns_layout(ui->widths, ui->body_cols - INDENT, &lay);
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
