/* view_graph.c - traffic over time (tui/history.h): the interface's
 * received and sent bytes per second and its packets per second as
 * sparklines over the last samples (newest on the right), each under a
 * line with its latest value and the peak shown, then the top talkers by
 * process and by application side by side.
 */
#include "tui/ui.h"

#include <stdio.h>
#include <string.h>

#include "tui/format.h"
#include "tui/spark.h"

#define LABEL_W 12
#define TALKER_RATE_W 10
#define TALKER_CONNS_W 6
#define SPARK_W_MAX 512

enum graph_unit { UNIT_RATE, UNIT_COUNT };

static void value_text(char *buf, size_t cap, float v, enum graph_unit u)
{
	if (u == UNIT_RATE)
		fmt_rate(buf, cap, v);
	else
		fmt_count(buf, cap, v);
}

/* A title line, then rows of sparkline: the series' newest samples that fit. */
static int draw_series(const struct ui *ui, int y, int rows, const char *title, const struct series *s,
		       enum graph_unit u)
{
	int width = ui->body_cols - 2 < SPARK_W_MAX ? ui->body_cols - 2 : SPARK_W_MAX;
	bool utf8 = ui->theme.utf8;
	float max = series_max(s, (uint32_t)(width * spark_per_char(utf8)));
	char now[24] = "-", peak[24] = "-", line[160];
	if (s->n) {
		value_text(now, sizeof now, series_at(s, 0), u);
		value_text(peak, sizeof peak, max, u);
	}
	snprintf(line, sizeof line, "%-*s %10s%s   peak %s", LABEL_W, title, now, u == UNIT_COUNT ? "/s" : "",
		 peak);
	disp_text(stdscr, y, 1, ui->body_cols - 1, line, theme_attr(&ui->theme, ROLE_SECTION), utf8);
	char row[3 * SPARK_W_MAX + 1];
	for (int r = 0; r < rows; r++) {
		spark_row(row, sizeof row, s, max, r, rows, width, utf8);
		disp_text(stdscr, y + 1 + r, 1, width, row, theme_attr(&ui->theme, ROLE_HINT_KEY), utf8);
	}
	return 1 + rows;
}

/* Title, rate and connection count headers, then one talker a line. */
static void draw_talkers(const struct ui *ui, int y, int x, int w, int h, const char *title,
			 const struct talker *t, int n)
{
	int name_w = w - TALKER_RATE_W - TALKER_CONNS_W - 2;
	if (name_w < 4 || h < 1)
		return;
	bool utf8 = ui->theme.utf8;
	attr_t head = theme_attr(&ui->theme, ROLE_SECTION), a = theme_attr(&ui->theme, ROLE_NORMAL);
	int x_rate = x + name_w + 1, x_conns = x_rate + TALKER_RATE_W + 1;
	disp_put(stdscr, y, x, name_w, title, head, DISP_LEFT, utf8);
	disp_put(stdscr, y, x_rate, TALKER_RATE_W, "rate", head, DISP_RIGHT, utf8);
	disp_put(stdscr, y, x_conns, TALKER_CONNS_W, "conns", head, DISP_RIGHT, utf8);
	for (int i = 0; i < n && i + 1 < h; i++) {
		char rate[24], conns[16];
		fmt_rate(rate, sizeof rate, t[i].rate);
		snprintf(conns, sizeof conns, "%u", t[i].conns);
		disp_put(stdscr, y + 1 + i, x, name_w, t[i].name, a, DISP_LEFT, utf8);
		disp_put(stdscr, y + 1 + i, x_rate, TALKER_RATE_W, rate, a, DISP_RIGHT, utf8);
		disp_put(stdscr, y + 1 + i, x_conns, TALKER_CONNS_W, conns, a, DISP_RIGHT, utf8);
	}
	if (n == 0 && h > 1)
		disp_put(stdscr, y + 1, x, name_w, "nothing yet", theme_attr(&ui->theme, ROLE_CLOSED), DISP_LEFT,
			 utf8);
}

/* The height each sparkline gets: what is left after the titles and the
 * talkers, shared two parts each to the byte rates and one to packets. */
static void heights(int h, int *bytes_rows, int *pps_rows, int *talker_rows)
{
	*talker_rows = h >= 3 + 3 + TALKERS_MAX + 1 ? TALKERS_MAX + 1 : 0;
	int left = h - 3 - *talker_rows - (*talker_rows ? 1 : 0);
	*bytes_rows = left / 5 * 2;
	*pps_rows = left - 2 * *bytes_rows;
	if (*bytes_rows < 1) {
		*bytes_rows = left >= 3 ? 1 : 0;
		*pps_rows = left - 2 * *bytes_rows > 0 ? left - 2 * *bytes_rows : 0;
	}
}

void view_graph_draw(const struct ui *ui, int y0, int h)
{
	const struct history *hi = &ui->history;
	int bytes_rows, pps_rows, talker_rows;
	heights(h, &bytes_rows, &pps_rows, &talker_rows);
	int y = y0;
	y += draw_series(ui, y, bytes_rows, "Received", &hi->rx, UNIT_RATE);
	y += draw_series(ui, y, bytes_rows, "Sent", &hi->tx, UNIT_RATE);
	y += draw_series(ui, y, pps_rows, "Packets", &hi->pps, UNIT_COUNT);
	if (!talker_rows)
		return;
	y++;
	int half = (ui->body_cols - 3) / 2;
	draw_talkers(ui, y, 1, half, talker_rows, "Top processes", hi->by_proc, hi->nproc);
	draw_talkers(ui, y, 2 + half, half, talker_rows, "Top applications", hi->by_app, hi->napp);
}
