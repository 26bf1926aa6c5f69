/* mouse.c - what a mouse event does: a click on a view name in the title
 * bar switches to it, a click on a column header sorts by that column
 * (again: the other way), a click on a row selects it (again: what Enter
 * does: Details, or grouped, open or close the group), the wheel moves a
 * few rows a notch.
 *
 * Only presses are asked for, and at once (no click interval): a double
 * click is two presses, which select and then open. A terminal sends no
 * text selection to a program that reports the mouse, so Shift+drag (in
 * most terminals) still selects text; --no-mouse leaves the mouse to the
 * terminal altogether.
 */
#include "tui/ui.h"

#define WHEEL_ROWS 3 /* a notch of the wheel */

/* The events asked for; tui_run and the tests turn them on alike. */
void ui_mouse_on(void)
{
	mouseinterval(0);
	mousemask(BUTTON1_PRESSED | BUTTON4_PRESSED | BUTTON5_PRESSED, NULL);
}

/* The column header at x: sort by it, or the other way when it is the
 * sort column already. Numbers start biggest first, as with s. */
static int click_header(struct ui *ui, int x)
{
	struct col_layout lay;
	columns_layout(ui->widths, ui->body_cols, &lay);
	for (int i = 0; i < lay.n; i++) {
		if (x < lay.x[i] || x >= lay.x[i] + lay.w[i])
			continue;
		int col = lay.id[i];
		if (col == ui->model.sort_col)
			model_set_sort(&ui->model, col, !ui->model.sort_desc);
		else
			model_set_sort(&ui->model, col, column_right(column_at(col)));
		return UI_HANDLED | UI_REDRAW;
	}
	return UI_HANDLED;
}

/* The line at screen line y of the overview (its table starts under the
 * header, at line 2): select it, or do what Enter does when it is
 * selected already (a connection's Details; grouped, open or close the
 * group). */
static int click_row(struct ui *ui, int y)
{
	uint32_t at = (uint32_t)(y - 2);
	if (ui->group.by != GROUP_NONE) {
		struct grouping *gr = &ui->group;
		grouping_update(gr, &ui->model);
		at += gr->top;
		if (at >= gr->nline)
			return UI_HANDLED;
		if (at == gr->sel)
			return ui_enter(ui);
		grouping_select(gr, &ui->model, at, ui_page(ui));
		return UI_HANDLED | UI_REDRAW;
	}
	at += ui->model.top;
	if (at >= ui->model.n)
		return UI_HANDLED;
	if (ui->model.has_sel && at == ui->model.sel)
		return ui_enter(ui);
	model_select(&ui->model, at, ui_page(ui));
	return UI_HANDLED | UI_REDRAW;
}

static int click(struct ui *ui, int y, int x)
{
	if (y == 0) {
		int v = statusbar_view_at(ui, x);
		if (v < 0)
			return UI_HANDLED;
		ui_set_view(ui, (enum ui_view)v);
		return UI_HANDLED | UI_REDRAW;
	}
	if (ui->view != VIEW_OVERVIEW || y >= ui->lines - 1 - ui->status_lines) /* the hint and status bars */
		return UI_HANDLED;
	if (x >= ui->body_cols) /* the side panel */
		return UI_HANDLED;
	if (y > 1)
		return click_row(ui, y);
	/* grouped, the header names the groups' figures, not columns */
	return ui->group.by == GROUP_NONE ? click_header(ui, x) : UI_HANDLED;
}

int ui_mouse(struct ui *ui, int y, int x, mmask_t buttons)
{
	if (ui->cols < UI_MIN_W || ui->lines < UI_MIN_H) /* nothing drawn to click on */
		return UI_HANDLED;
	if (buttons & BUTTON4_PRESSED)
		return ui_move_by(ui, -WHEEL_ROWS);
	if (buttons & BUTTON5_PRESSED)
		return ui_move_by(ui, WHEEL_ROWS);
	if (buttons & BUTTON1_PRESSED)
		return click(ui, y, x);
	return UI_HANDLED;
}
