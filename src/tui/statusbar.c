/* statusbar.c - the three bars around the views: the title with the view
 * tabs and sort, the hint / filter line, and the status bar (interface,
 * link state, capture, attribution, shown/total, packets/s and bytes/s,
 * drops, evicted, unlisted and unparsed counts, active filter, privileges).
 * A narrow status bar keeps what says whether the rows can be trusted
 * (shown/total, drops, the link, a capture failure) and leaves the rest to
 * the side panel (panel.c); status_parts.c says which parts go first.
 */
#include "tui/ui.h"

#include <stdio.h>
#include <string.h>

#include "base/macros.h"
#include "tui/format.h"
#include "tui/status_parts.h"

struct bar {
	const struct ui *ui;
	int y, x;
};

static void bar_put(struct bar *b, const char *s, enum role r)
{
	if (b->x >= b->ui->cols)
		return;
	b->x += disp_text(stdscr, b->y, b->x, b->ui->cols - b->x, s,
			  theme_attr(&b->ui->theme, r), b->ui->theme.utf8);
}

static void bar_fill(const struct ui *ui, int y, enum role r)
{
	wattrset(stdscr, theme_attr(&ui->theme, r));
	mvwhline(stdscr, y, 0, ' ', ui->cols);
}

static const char *const view_names[VIEW_COUNT] = { "Overview", "Details", "Health", "Host",
							"Graph", "Help" };

/* The modes on the right of the title bar; !full: only those that change
 * which rows the overview has (for a narrow screen), "" when none is on. */
static void sort_text(const struct ui *ui, char *b, size_t cap, bool full)
{
	const struct field *c = ui->model.sort_field;
	const char *arrow = ui->model.sort_desc ? (ui->theme.utf8 ? "\u25bc" : "v")
						: (ui->theme.utf8 ? "\u25b2" : "^");
	char grouped[32] = "";
	if (ui->group.by != GROUP_NONE)
		snprintf(grouped, sizeof grouped, "by %s  ", grouping_word(ui->group.by));
	if (!full) {
		snprintf(b, cap, "%s%s", ui->keep_closed ? "history  " : "", grouped);
		return;
	}
	snprintf(b, cap, "%s%ssort: %s%s%s  ports: %s ", ui->keep_closed ? "history  " : "", grouped,
		 ui->model.worst_first ? "worst first, " : "", !c ? "first seen" : c->column.title ? c->column.title : c->label, c ? arrow : "",
		 ui->numeric_ports ? "numbers" : "names");
}

#define TITLE " wiretop "

static void tab_text(int v, char *t, size_t cap)
{
	snprintf(t, cap, " %s ", view_names[v]);
}

void statusbar_title(const struct ui *ui, int y)
{
	struct bar b = { ui, y, 0 };
	bar_fill(ui, y, ROLE_TITLE);
	bar_put(&b, TITLE, ROLE_TITLE);
	for (int v = 0; v < VIEW_COUNT; v++) {
		char t[24];
		tab_text(v, t, sizeof t);
		bar_put(&b, t, v == (int)ui->view ? ROLE_TAB_ACTIVE : ROLE_TAB);
	}
	char s[128];
	sort_text(ui, s, sizeof s, true);
	if (b.x + 2 + disp_width(s) > ui->cols)
		sort_text(ui, s, sizeof s, false);
	int w = disp_width(s);
	if (w && b.x + 2 + w <= ui->cols) {
		b.x = ui->cols - w;
		bar_put(&b, s, ROLE_TITLE);
	}
}

int statusbar_view_at(const struct ui *ui, int x)
{
	int x0 = disp_width(TITLE);
	for (int v = 0; v < VIEW_COUNT && x0 < ui->cols; v++) {
		char t[24];
		tab_text(v, t, sizeof t);
		int w = disp_width(t);
		if (x >= x0 && x < x0 + w)
			return v;
		x0 += w;
	}
	return -1;
}

static const struct {
	const char *key, *what;
} hints[] = {
	{ "q", "Quit" }, { "/", "Filter" }, { "Enter", "Details" }, { "Tab", "Views" },
	{ "H", "Health" }, { "T", "Graph" }, { "i", "Info" }, { "a", "Group" }, { "s", "Sort" }, { "p", "Ports" }, { "c", "Copy" }, { "h", "Help" },
};

static void draw_hints(struct bar *b)
{
	for (size_t i = 0; i < ARRAY_LEN(hints); i++) {
		bar_put(b, i ? "  " : " ", ROLE_NORMAL);
		bar_put(b, hints[i].key, ROLE_HINT_KEY);
		bar_put(b, " ", ROLE_NORMAL);
		bar_put(b, hints[i].what, ROLE_NORMAL);
	}
}

/* What is wrong with the filter line ("" when nothing is). */
static void error_text(const struct ui *ui, const struct filter_line *f, char *e, size_t cap)
{
	const char *mark = ui->theme.utf8 ? "\u2717" : "x";
	if (f->full)
		snprintf(e, cap, "  %s filter longer than %d bytes: key refused", mark, QUERY_MAX_LEN);
	else if (f->bad)
		snprintf(e, cap, "  %s at %d: %s", mark, f->err.pos + 1, f->err.msg);
	else
		e[0] = '\0';
}

/* The filter being typed; a long one scrolls so its end, and what is
 * wrong with it, stay in view. */
static void draw_editing(struct bar *b, const struct filter_line *f)
{
	char e[192];
	error_text(b->ui, f, e, sizeof e);
	int room = b->ui->cols - 2 - (int)strlen(e);
	if (room < b->ui->cols / 2)
		room = b->ui->cols / 2;
	size_t start = f->len > (size_t)room ? f->len - (size_t)room : 0;
	while (start < f->len && (f->text[start] & 0xc0) == 0x80) /* not inside a character */
		start++;
	bar_put(b, "/", ROLE_HINT_KEY);
	int x0 = b->x;
	bar_put(b, f->text + start, ROLE_FILTER);
	if (f->bad && f->err.pos >= (int)start && (size_t)f->err.pos < f->len) {
		char c[2] = { f->text[f->err.pos], '\0' }; /* mark where the error is */
		disp_text(stdscr, b->y, x0 + f->err.pos - (int)start, 1, c,
			  theme_attr(&b->ui->theme, ROLE_ERROR) | A_REVERSE, false);
	}
	int cx = b->x;
	bar_put(b, e, ROLE_ERROR);
	wmove(stdscr, b->y, cx < b->ui->cols ? cx : b->ui->cols - 1);
	curs_set(1);
}

void statusbar_hints(const struct ui *ui, int y)
{
	const struct filter_line *f = &ui->filter;
	struct bar b = { ui, y, 0 };
	bar_fill(ui, y, ROLE_NORMAL);
	if (f->editing) {
		draw_editing(&b, f);
	} else if (ui->msg[0]) {
		bar_put(&b, " ", ROLE_NORMAL);
		bar_put(&b, ui->msg, ROLE_MESSAGE);
	} else if (f->len) {
		bar_put(&b, " filter: ", ROLE_HINT_KEY);
		bar_put(&b, f->text, ROLE_FILTER);
		char e[192];
		error_text(ui, f, e, sizeof e);
		bar_put(&b, e, ROLE_ERROR);
		bar_put(&b, "   / edit  Esc clear", ROLE_NORMAL);
	} else {
		draw_hints(&b);
	}
}

int statusbar_lines(const struct ui *ui)
{
	struct status_parts ps;
	return status_fit(ui, &ps) ? 1 + status_stopped_lines(ui) : 1;
}

/* The capture failure on lines y .. y + n - 1. */
static void draw_stopped(const struct ui *ui, int y, int n)
{
	char t[STATUS_PART_MAX];
	status_stopped_text(ui, t, sizeof t);
	const char *at = t;
	for (int i = 0; i < n && *at; i++) {
		struct bar b = { ui, y + i, 0 };
		bar_fill(ui, y + i, ROLE_STATUS);
		bar_put(&b, " ", ROLE_STATUS);
		size_t k = status_wrap_at(at, ui->cols - 2);
		char piece[STATUS_PART_MAX];
		snprintf(piece, sizeof piece, "%.*s", (int)k, at);
		bar_put(&b, piece, ROLE_STATUS_WARN);
		at += k;
	}
}

void statusbar_status(const struct ui *ui, int y)
{
	struct status_parts ps;
	if (status_fit(ui, &ps)) {
		int n = status_stopped_lines(ui);
		draw_stopped(ui, y, n);
		y += n;
	}
	struct bar b = { ui, y, 0 };
	bar_fill(ui, y, ROLE_STATUS);
	bool first = true;
	for (int i = 0; i < ps.n; i++) {
		if (!ps.p[i].on)
			continue;
		bar_put(&b, first ? " " : STATUS_SEP, ROLE_STATUS);
		bar_put(&b, ps.p[i].text, ps.p[i].role);
		first = false;
	}
	bar_put(&b, " ", ROLE_STATUS);
}
