/* format.h - the one display helper every string on screen goes through,
 * (number and endpoint formatting for the views is in field/fmt.h).
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

#include "field/fmt.h"

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

#endif
