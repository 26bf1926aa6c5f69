/* status_parts.h - what the status bar says, as parts that go one by one,
 * the least needed first, when the bar is too narrow for them all (what
 * says whether the rows can be trusted stays); statusbar.c draws them.
 * The texts it shares with the side panel are in ui.h
 * (status_capture_text and the like).
 */
#ifndef WT_TUI_STATUS_PARTS_H
#define WT_TUI_STATUS_PARTS_H

#include "tui/ui.h"

#define STATUS_SEP " | "
#define STATUS_PARTS_MAX 16
#define STATUS_PART_MAX 640
#define STATUS_STOPPED_LINES_MAX 4
#define STATUS_CUT_MIN 24 /* columns of attribution's or the privileges' text worth showing cut */

/* How soon a part goes: the highest first; KEEP never. What goes is in
 * the side panel (i). The last two are cut rather than dropped while
 * STATUS_CUT_MIN columns of them would be left. */
enum part_drop { KEEP, DROP_COUNTS, DROP_RATES, DROP_IFACE, DROP_CAPTURE, DROP_FILTER,
		 DROP_ATTR, DROP_SECURITY };

struct status_part {
	char text[STATUS_PART_MAX];
	enum role role;
	enum part_drop drop;
	bool on;                  /* shown: it fits */
};

struct status_parts {
	struct status_part p[STATUS_PARTS_MAX];
	int n;
	int stopped;              /* the capture failure's part, or -1 */
};

/* The parts, those that fit on ui->cols columns on (" a | b | c "), a
 * long one perhaps cut;
 * true when the capture failure had to leave the bar for lines of its own
 * above it. */
bool status_fit(const struct ui *ui, struct status_parts *ps);
/* Lines the capture failure takes above the bar, wrapped to the screen's
 * width less a column either side (at most STATUS_STOPPED_LINES_MAX). */
int status_stopped_lines(const struct ui *ui);
/* Bytes of s for a line of w columns: at a space in its second half when
 * the rest does not fit, never inside a character. */
size_t status_wrap_at(const char *s, int w);

#endif
