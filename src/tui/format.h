/* format.h - the one display helper every string on screen goes through,
 * and number / endpoint formatting for the views.
 */
#ifndef WT_TUI_FORMAT_H
#define WT_TUI_FORMAT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifndef NCURSES_WIDECHAR
#define NCURSES_WIDECHAR 1
#endif
#include <curses.h>

#include "flow/row.h"

enum disp_align { DISP_LEFT, DISP_RIGHT };

/* Draws s at (y, x) in exactly w columns (padded with spaces): control
 * bytes and invalid UTF-8 show as '?', wide characters count double, a cut
 * string ends in '~' (or an ellipsis when utf8). Returns columns drawn. */
int disp_put(WINDOW *win, int y, int x, int w, const char *s, attr_t a,
	     enum disp_align al, bool utf8);
/* Like disp_put without padding: returns columns used. */
int disp_text(WINDOW *win, int y, int x, int w, const char *s, attr_t a, bool utf8);
/* Columns s takes on screen (after the same replacements). */
int disp_width(const char *s);

/* 999B 12.3k 4.5M 1.2G (x1000, the filter language's units). */
void fmt_bytes(char *buf, size_t cap, double v);
/* 999 12.3k 4.5M: fmt_bytes without the B. */
void fmt_count(char *buf, size_t cap, double v);
/* fmt_bytes plus "/s"; "-" for 0. */
void fmt_rate(char *buf, size_t cap, double v);
/* 850ms 12.3s 4m05s 2h03m 3d04h */
void fmt_duration(char *buf, size_t cap, double seconds);
/* "host:port", "[v6]:port", or without a port; service names instead of
 * numbers unless numeric. */
void fmt_endpoint(char *buf, size_t cap, const char *host, bool v6, const struct conn_row *r,
		  uint16_t port, bool numeric);
/* Local-time clock of a microsecond timestamp: "2024-01-02 15:04:05.123". */
void fmt_time(char *buf, size_t cap, uint64_t us);

#endif
