/* theme.c - role -> curses attributes, in color or in plain video
 * attributes for --no-color, NO_COLOR (https://no-color.org) and
 * monochrome terminals.
 */
#include "tui/theme.h"

#include <langinfo.h>
#include <stdlib.h>
#include <string.h>

struct role_style {
	short fg, bg;      /* -1: the terminal's default */
	attr_t color_attr; /* added to the color pair */
	attr_t mono_attr;  /* used alone without color */
};

static const struct role_style styles[ROLE_COUNT] = {
	[ROLE_NORMAL] = { -1, -1, A_NORMAL, A_NORMAL },
	[ROLE_TITLE] = { COLOR_BLACK, COLOR_CYAN, A_NORMAL, A_REVERSE },
	[ROLE_TAB] = { COLOR_BLACK, COLOR_CYAN, A_NORMAL, A_REVERSE },
	[ROLE_TAB_ACTIVE] = { COLOR_WHITE, COLOR_BLUE, A_BOLD, A_BOLD },
	[ROLE_HEADER] = { COLOR_BLACK, COLOR_GREEN, A_NORMAL, A_REVERSE },
	[ROLE_HEADER_SORT] = { COLOR_BLACK, COLOR_CYAN, A_BOLD, A_BOLD | A_UNDERLINE },
	[ROLE_SELECTED] = { COLOR_BLACK, COLOR_CYAN, A_NORMAL, A_REVERSE },
	[ROLE_CLOSED] = { -1, -1, A_DIM, A_DIM },
	[ROLE_EXPIRING] = { COLOR_YELLOW, -1, A_NORMAL, A_DIM },
	[ROLE_STATUS] = { COLOR_BLACK, COLOR_CYAN, A_NORMAL, A_REVERSE },
	[ROLE_STATUS_WARN] = { COLOR_WHITE, COLOR_RED, A_BOLD, A_REVERSE | A_BOLD },
	[ROLE_FILTER] = { COLOR_YELLOW, -1, A_BOLD, A_BOLD },
	[ROLE_ERROR] = { COLOR_RED, -1, A_BOLD, A_BOLD | A_UNDERLINE },
	[ROLE_HINT_KEY] = { COLOR_CYAN, -1, A_BOLD, A_BOLD },
	[ROLE_LABEL] = { COLOR_CYAN, -1, A_NORMAL, A_BOLD },
	[ROLE_SECTION] = { COLOR_GREEN, -1, A_BOLD, A_BOLD | A_UNDERLINE },
	[ROLE_MESSAGE] = { COLOR_GREEN, -1, A_BOLD, A_BOLD },
};

static bool env_no_color(void)
{
	const char *v = getenv("NO_COLOR");
	return v && *v;
}

void theme_init(struct theme *t, bool no_color)
{
	const char *cs = nl_langinfo(CODESET);
	t->utf8 = cs && strcmp(cs, "UTF-8") == 0;
	t->color = !no_color && !env_no_color() && has_colors() && start_color() == OK;
	if (t->color)
		use_default_colors();
	for (int r = 0; r < ROLE_COUNT; r++) {
		if (!t->color) {
			t->attr[r] = styles[r].mono_attr;
			continue;
		}
		init_pair((short)(r + 1), styles[r].fg, styles[r].bg);
		t->attr[r] = COLOR_PAIR(r + 1) | styles[r].color_attr;
	}
}

attr_t theme_attr(const struct theme *t, enum role r)
{
	return (unsigned)r < ROLE_COUNT ? t->attr[r] : A_NORMAL;
}
