/* theme.h - colors named by role. Views ask for a role, never a color. */
#ifndef WT_TUI_THEME_H
#define WT_TUI_THEME_H

#include <stdbool.h>

#ifndef NCURSES_WIDECHAR
#define NCURSES_WIDECHAR 1
#endif
#include <curses.h>

#include "tui/termbg.h"

enum role {
	ROLE_NORMAL,
	ROLE_TITLE,        /* the top bar */
	ROLE_TAB,          /* an inactive view name */
	ROLE_TAB_ACTIVE,
	ROLE_HEADER,       /* column titles */
	ROLE_HEADER_SORT,  /* the sort column's title */
	ROLE_SELECTED,     /* the selected row */
	ROLE_CLOSED,       /* a retired connection, lingering */
	ROLE_EXPIRING,     /* idle, about to be retired */
	ROLE_STATUS,       /* the bottom bar */
	ROLE_STATUS_WARN,  /* drops, evictions */
	ROLE_FILTER,       /* the filter being typed */
	ROLE_ERROR,
	ROLE_HINT_KEY,     /* key names in hints and help */
	ROLE_LABEL,        /* detail keys */
	ROLE_SECTION,      /* detail and help section titles */
	ROLE_MESSAGE,      /* one-shot notices ("copied ...") */
	ROLE_COUNT,
};

struct theme {
	attr_t attr[ROLE_COUNT];
	bool color;
	bool utf8;         /* the locale can show arrows and ellipses */
	const char *name;  /* the colours in use: muted, vivid, light, or none */
	char why[96];      /* how they were chosen, for the help */
};

/* What the terminal said of its background, for --theme auto. */
struct theme_bg {
	enum termbg bg;
	char text[48];     /* "rgb:ffff/ffff/ffff", "COLORFGBG 0;15", "" */
};

/* After the screen is set up. Colors unless no_color, NO_COLOR (non-empty)
 * or a terminal without them; choice is a --theme name (NULL: auto), bg
 * what the terminal said of its background. */
void theme_init(struct theme *t, bool no_color, const char *choice, const struct theme_bg *bg);
attr_t theme_attr(const struct theme *t, enum role r);
/* Whether colours may be used at all (before the screen is set up):
 * neither --no-color nor NO_COLOR. */
bool theme_colour_wanted(bool no_color);

#endif
