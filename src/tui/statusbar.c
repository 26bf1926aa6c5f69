/* statusbar.c - the three bars around the views: the title with the view
 * tabs and sort, the hint / filter line, and the status bar (interface,
 * link state, capture, attribution, shown/total, packets/s and bytes/s,
 * drops, evicted, unlisted and unparsed counts, active filter, privileges).
 */
#include "tui/ui.h"

#include <stdio.h>
#include <string.h>

#include "base/macros.h"
#include "tui/format.h"

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
	{ "H", "Health" }, { "T", "Graph" }, { "a", "Group" }, { "s", "Sort" }, { "p", "Ports" }, { "c", "Copy" }, { "h", "Help" },
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

static void status_capture(const struct ui *ui, char *b, size_t cap)
{
	const struct tui_status *st = &ui->status;
	const char *phase = !st->offline ? "" : st->finished ? " (done)" : " (reading)";
	snprintf(b, cap, "%s%s", st->capture[0] ? st->capture : "-", phase);
}

/* "N/M shown": M is what the engine holds now (tracked connections and
 * closed ones still listed), so rows it could not list yet show as N < M
 * even with no filter. */
static uint64_t shown_of(const struct ui *ui)
{
	const struct snapshot *s = ui->model.snap;
	uint64_t rows = model_total(&ui->model);
	return s && s->flows_total > rows ? s->flows_total : rows;
}

void statusbar_status(const struct ui *ui, int y)
{
	const struct snapshot *s = ui->model.snap;
	struct bar b = { ui, y, 0 };
	char t[256], pps[24], bps[24];
	bar_fill(ui, y, ROLE_STATUS);
	snprintf(t, sizeof t, " %s", ui->status.iface[0] ? ui->status.iface : "-");
	bar_put(&b, t, ROLE_STATUS);
	if (ui->status.link[0]) { /* next to the interface: seen even when the bar is cut */
		bar_put(&b, " | ", ROLE_STATUS);
		bar_put(&b, ui->status.link, ROLE_STATUS_WARN);
	}
	if (ui->status.stopped[0]) { /* stays: the rows shown are all there will be */
		char why[sizeof ui->status.stopped + 64];
		snprintf(why, sizeof why, ui->status.offline ? "read stopped: %s; the rows before it are shown"
							 : "capture stopped: %s; restart wiretop (--doctor checks why)",
			 ui->status.stopped);
		bar_put(&b, " | ", ROLE_STATUS);
		bar_put(&b, why, ROLE_STATUS_WARN);
	}
	if (ui->paused) {
		bar_put(&b, " | ", ROLE_STATUS);
		bar_put(&b, "PAUSED", ROLE_STATUS_WARN);
	}
	status_capture(ui, t, sizeof t);
	bar_put(&b, " | ", ROLE_STATUS);
	bar_put(&b, t, ROLE_STATUS);
	bar_put(&b, " | attr: ", ROLE_STATUS);
	bar_put(&b, ui->status.attr[0] ? ui->status.attr : "-", ROLE_STATUS);
	fmt_count(pps, sizeof pps, ui->pps);
	fmt_rate(bps, sizeof bps, ui->bps);
	snprintf(t, sizeof t, " | %u/%llu shown | %s pkt/s %s ", ui->model.n, (unsigned long long)shown_of(ui),
		 ui->pps_valid ? pps : "-", ui->pps_valid ? bps : "-");
	bar_put(&b, t, ROLE_STATUS);
	uint64_t kd = s ? s->kernel_drops : 0, id = s ? s->internal_drops : 0;
	snprintf(t, sizeof t, "| drops %llu kernel, %llu internal ", (unsigned long long)kd,
		 (unsigned long long)id);
	bar_put(&b, t, kd || id ? ROLE_STATUS_WARN : ROLE_STATUS);
	if (ui->status.exporting) {
		snprintf(t, sizeof t, "| export drops %llu ", (unsigned long long)ui->status.export_drops);
		bar_put(&b, t, ui->status.export_drops ? ROLE_STATUS_WARN : ROLE_STATUS);
	}
	if (s && s->flows_evicted) {
		snprintf(t, sizeof t, "| %llu evicted ", (unsigned long long)s->flows_evicted);
		bar_put(&b, t, ROLE_STATUS_WARN);
	}
	if (s && s->closed_cut) {
		snprintf(t, sizeof t, "| %llu closed unlisted (cap) ", (unsigned long long)s->closed_cut);
		bar_put(&b, t, ROLE_STATUS_WARN);
	}
	if (s && s->unparsed) { /* frames in no row: not IP, cut short, malformed */
		snprintf(t, sizeof t, "| %llu unparsed ", (unsigned long long)s->unparsed);
		bar_put(&b, t, ROLE_STATUS_WARN);
	}
	if (ui->filter.len && !ui->filter.editing) {
		bar_put(&b, "| filter: ", ROLE_STATUS);
		bar_put(&b, ui->filter.text, ROLE_STATUS);
		bar_put(&b, " ", ROLE_STATUS);
	}
	if (ui->status.security[0]) { /* last: it does not change while running */
		snprintf(t, sizeof t, "| %s", ui->status.security);
		bar_put(&b, t, ROLE_STATUS);
	}
}
