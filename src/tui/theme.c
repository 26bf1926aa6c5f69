/* theme.c - role -> curses attributes: three colour sets (muted, the
 * default on a dark background; vivid; light, for light backgrounds), or
 * plain video attributes for --no-color, NO_COLOR (https://no-color.org)
 * and monochrome terminals.
 */
#include "tui/theme.h"

#include <langinfo.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/macros.h"

struct role_style {
	short fg, bg;      /* -1: the terminal's default */
	attr_t attr;       /* added to the color pair */
};

struct palette {
	const char *name;
	struct role_style role[ROLE_COUNT];
};

#define DEF (-1)

/* Foreground accents on the terminal's own background; colour only in
 * the bars. */
static const struct palette muted = { "muted", {
	[ROLE_NORMAL] = { DEF, DEF, A_NORMAL },
	[ROLE_TITLE] = { COLOR_WHITE, COLOR_BLUE, A_NORMAL },
	[ROLE_TAB] = { COLOR_WHITE, COLOR_BLUE, A_NORMAL },
	[ROLE_TAB_ACTIVE] = { COLOR_BLACK, COLOR_WHITE, A_BOLD },
	[ROLE_HEADER] = { DEF, DEF, A_BOLD | A_UNDERLINE },
	[ROLE_HEADER_SORT] = { COLOR_CYAN, DEF, A_BOLD | A_UNDERLINE },
	[ROLE_SELECTED] = { DEF, DEF, A_REVERSE },
	[ROLE_CLOSED] = { DEF, DEF, A_DIM },
	[ROLE_EXPIRING] = { COLOR_YELLOW, DEF, A_NORMAL },
	[ROLE_STATUS] = { COLOR_WHITE, COLOR_BLUE, A_NORMAL },
	[ROLE_STATUS_WARN] = { COLOR_WHITE, COLOR_RED, A_BOLD },
	[ROLE_FILTER] = { COLOR_YELLOW, DEF, A_BOLD },
	[ROLE_ERROR] = { COLOR_RED, DEF, A_BOLD },
	[ROLE_HINT_KEY] = { COLOR_CYAN, DEF, A_BOLD },
	[ROLE_LABEL] = { COLOR_CYAN, DEF, A_NORMAL },
	[ROLE_SECTION] = { COLOR_GREEN, DEF, A_BOLD },
	[ROLE_MESSAGE] = { COLOR_GREEN, DEF, A_BOLD },
} };

static const struct palette vivid = { "vivid", {
	[ROLE_NORMAL] = { DEF, DEF, A_NORMAL },
	[ROLE_TITLE] = { COLOR_BLACK, COLOR_CYAN, A_NORMAL },
	[ROLE_TAB] = { COLOR_BLACK, COLOR_CYAN, A_NORMAL },
	[ROLE_TAB_ACTIVE] = { COLOR_WHITE, COLOR_BLUE, A_BOLD },
	[ROLE_HEADER] = { COLOR_BLACK, COLOR_GREEN, A_NORMAL },
	[ROLE_HEADER_SORT] = { COLOR_BLACK, COLOR_CYAN, A_BOLD },
	[ROLE_SELECTED] = { COLOR_BLACK, COLOR_CYAN, A_NORMAL },
	[ROLE_CLOSED] = { DEF, DEF, A_DIM },
	[ROLE_EXPIRING] = { COLOR_YELLOW, DEF, A_NORMAL },
	[ROLE_STATUS] = { COLOR_BLACK, COLOR_CYAN, A_NORMAL },
	[ROLE_STATUS_WARN] = { COLOR_WHITE, COLOR_RED, A_BOLD },
	[ROLE_FILTER] = { COLOR_YELLOW, DEF, A_BOLD },
	[ROLE_ERROR] = { COLOR_RED, DEF, A_BOLD },
	[ROLE_HINT_KEY] = { COLOR_CYAN, DEF, A_BOLD },
	[ROLE_LABEL] = { COLOR_CYAN, DEF, A_NORMAL },
	[ROLE_SECTION] = { COLOR_GREEN, DEF, A_BOLD },
	[ROLE_MESSAGE] = { COLOR_GREEN, DEF, A_BOLD },
} };

/* On white: no yellow, cyan or white text on the terminal's background
 * (unreadable there); blue and magenta accents. */
static const struct palette light = { "light", {
	[ROLE_NORMAL] = { DEF, DEF, A_NORMAL },
	[ROLE_TITLE] = { COLOR_WHITE, COLOR_BLUE, A_NORMAL },
	[ROLE_TAB] = { COLOR_WHITE, COLOR_BLUE, A_NORMAL },
	[ROLE_TAB_ACTIVE] = { COLOR_WHITE, COLOR_BLACK, A_BOLD },
	[ROLE_HEADER] = { COLOR_BLUE, DEF, A_BOLD | A_UNDERLINE },
	[ROLE_HEADER_SORT] = { COLOR_MAGENTA, DEF, A_BOLD | A_UNDERLINE },
	[ROLE_SELECTED] = { COLOR_WHITE, COLOR_BLUE, A_NORMAL },
	[ROLE_CLOSED] = { DEF, DEF, A_DIM },
	[ROLE_EXPIRING] = { COLOR_MAGENTA, DEF, A_NORMAL },
	[ROLE_STATUS] = { COLOR_WHITE, COLOR_BLUE, A_NORMAL },
	[ROLE_STATUS_WARN] = { COLOR_WHITE, COLOR_RED, A_BOLD },
	[ROLE_FILTER] = { COLOR_MAGENTA, DEF, A_BOLD },
	[ROLE_ERROR] = { COLOR_RED, DEF, A_BOLD },
	[ROLE_HINT_KEY] = { COLOR_BLUE, DEF, A_BOLD },
	[ROLE_LABEL] = { COLOR_BLUE, DEF, A_NORMAL },
	[ROLE_SECTION] = { COLOR_BLACK, DEF, A_BOLD | A_UNDERLINE },
	[ROLE_MESSAGE] = { COLOR_BLUE, DEF, A_BOLD },
} };

/* Without colour: video attributes alone. */
static const attr_t mono[ROLE_COUNT] = {
	[ROLE_NORMAL] = A_NORMAL,
	[ROLE_TITLE] = A_REVERSE,
	[ROLE_TAB] = A_REVERSE,
	[ROLE_TAB_ACTIVE] = A_BOLD,
	[ROLE_HEADER] = A_REVERSE,
	[ROLE_HEADER_SORT] = A_BOLD | A_UNDERLINE,
	[ROLE_SELECTED] = A_REVERSE,
	[ROLE_CLOSED] = A_DIM,
	[ROLE_EXPIRING] = A_DIM,
	[ROLE_STATUS] = A_REVERSE,
	[ROLE_STATUS_WARN] = A_REVERSE | A_BOLD,
	[ROLE_FILTER] = A_BOLD,
	[ROLE_ERROR] = A_BOLD | A_UNDERLINE,
	[ROLE_HINT_KEY] = A_BOLD,
	[ROLE_LABEL] = A_BOLD,
	[ROLE_SECTION] = A_BOLD | A_UNDERLINE,
	[ROLE_MESSAGE] = A_BOLD,
};

static const struct palette *const palettes[] = { &muted, &vivid, &light };

bool theme_colour_wanted(bool no_color)
{
	const char *v = getenv("NO_COLOR");
	return !no_color && !(v && *v);
}

/* The palette asked for by name, or for auto the one the background
 * calls for; why says which. */
static const struct palette *choose(const char *choice, const struct theme_bg *bg, char *why, size_t cap)
{
	for (size_t i = 0; choice && i < ARRAY_LEN(palettes); i++)
		if (strcmp(choice, palettes[i]->name) == 0) {
			snprintf(why, cap, "named with --theme or the config's theme =");
			return palettes[i];
		}
	if (!bg || bg->bg == TERMBG_UNKNOWN) {
		snprintf(why, cap, "the terminal did not say its background (--theme light for one)");
		return &muted;
	}
	snprintf(why, cap, "the terminal's background is %s (%s)", bg->bg == TERMBG_LIGHT ? "light" : "dark",
		 bg->text);
	return bg->bg == TERMBG_LIGHT ? &light : &muted;
}

void theme_init(struct theme *t, bool no_color, const char *choice, const struct theme_bg *bg)
{
	const char *cs = nl_langinfo(CODESET);
	t->utf8 = cs && strcmp(cs, "UTF-8") == 0;
	t->color = theme_colour_wanted(no_color) && has_colors() && start_color() == OK;
	if (!t->color) {
		memcpy(t->attr, mono, sizeof t->attr);
		t->name = "none";
		snprintf(t->why, sizeof t->why, "--no-color, NO_COLOR or a terminal without colours");
		return;
	}
	use_default_colors();
	const struct palette *p = choose(choice, bg, t->why, sizeof t->why);
	t->name = p->name;
	for (int r = 0; r < ROLE_COUNT; r++) {
		init_pair((short)(r + 1), p->role[r].fg, p->role[r].bg);
		t->attr[r] = COLOR_PAIR(r + 1) | p->role[r].attr;
	}
}

attr_t theme_attr(const struct theme *t, enum role r)
{
	return (unsigned)r < ROLE_COUNT ? t->attr[r] : A_NORMAL;
}
