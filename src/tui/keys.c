/* keys.c - what each key does. One table binds keys to handlers and gives
 * the help screen its text; the filter line has its own small editor.
 * Handlers return UI_HANDLED | UI_REDRAW | UI_QUIT.
 */
#include "tui/ui.h"

#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <wchar.h>

#include "base/addrtext.h"
#include "base/macros.h"
#include "tui/format.h"

#define FN(k) ((k) | UI_KEY_FN)
#define KEY_ESC 27
#define WIDTH_STEP 2

static const int HR = UI_HANDLED | UI_REDRAW;

static void notice(struct ui *ui, const char *msg)
{
	snprintf(ui->msg, sizeof ui->msg, "%s", msg);
}

static void set_view(struct ui *ui, enum ui_view v)
{
	if (v == ui->view)
		return;
	if (v == VIEW_HELP)
		ui->back = ui->view;
	ui->view = v;
	if (v == VIEW_DETAILS) {
		ui->detail_scroll = 0;
		ui_copy_detail(ui);
	}
	if (v == VIEW_HEALTH)
		ui_build_health(ui);
	if (v == VIEW_GRAPH)
		history_talkers(&ui->history, ui->model.snap);
	if (v == VIEW_HOST)
		ui_build_host(ui);
}

void ui_set_view(struct ui *ui, enum ui_view v)
{
	set_view(ui, v);
}

static int k_quit(struct ui *ui)
{
	ui->quit_armed = true;
	notice(ui, "Press q again to quit, any other key to stay");
	return HR;
}

static int k_quit_now(struct ui *ui)
{
	return UI_QUIT;
}

static int k_next_view(struct ui *ui)
{
	set_view(ui, (enum ui_view)((ui->view + 1) % VIEW_COUNT));
	return HR;
}

static int k_prev_view(struct ui *ui)
{
	set_view(ui, (enum ui_view)((ui->view + VIEW_COUNT - 1) % VIEW_COUNT));
	return HR;
}

/* Moves the selection (of connections or findings), or scrolls the
 * details and help pages (the next draw clamps the scroll to the page's
 * length). */
static int move_by(struct ui *ui, int64_t delta)
{
	if (ui->view == VIEW_OVERVIEW && ui->group.by != GROUP_NONE) {
		grouping_update(&ui->group, &ui->model);
		grouping_select(&ui->group, &ui->model, (int64_t)ui->group.sel + delta, ui_page(ui));
		return HR;
	}
	if (ui->view == VIEW_OVERVIEW) {
		model_select(&ui->model, (int64_t)ui->model.sel + delta, ui_page(ui));
		return HR;
	}
	if (ui->view == VIEW_HEALTH) { /* its header line takes the table header's place */
		health_select(&ui->health, (int64_t)ui->health.sel + delta, ui_page(ui));
		return HR;
	}
	if (ui->view == VIEW_HOST) { /* less its note line */
		host_select(&ui->host, (int64_t)ui->host.sel + delta, ui_page(ui) - 1);
		return HR;
	}
	int *scroll = ui->view == VIEW_DETAILS ? &ui->detail_scroll : &ui->help_scroll;
	int64_t v = *scroll + delta;
	*scroll = v < 0 ? 0 : v > INT32_MAX / 2 ? INT32_MAX / 2 : (int)v;
	return HR;
}

int ui_move_by(struct ui *ui, int64_t delta)
{
	return move_by(ui, delta);
}

static int k_up(struct ui *ui) { return move_by(ui, -1); }
static int k_down(struct ui *ui) { return move_by(ui, 1); }
static int k_pgup(struct ui *ui) { return move_by(ui, -ui_page(ui)); }
static int k_pgdn(struct ui *ui) { return move_by(ui, ui_page(ui)); }
static int k_first(struct ui *ui) { return move_by(ui, -(int64_t)UINT32_MAX); }
static int k_last(struct ui *ui) { return move_by(ui, (int64_t)UINT32_MAX); }

/* The overview, filtered to the selected finding's connections: the
 * filter line shows how they were chosen, and Esc clears it. */
static void jump_to_finding(struct ui *ui)
{
	const struct finding *f = health_selected(&ui->health);
	if (!f)
		return;
	struct filter_line *fl = &ui->filter;
	bool exact;
	health_filter(f, fl->text, sizeof fl->text, &exact);
	fl->len = strlen(fl->text);
	fl->editing = false;
	ui->view = VIEW_OVERVIEW;
	ui_apply_filter(ui);
	const char *kind = findings_kind_word(f->kind);
	unsigned long long n = (unsigned long long)f->count;
	if (exact)
		snprintf(ui->msg, sizeof ui->msg, "%s: its %llu connection%s (Esc clears the filter)",
			 kind, n, n == 1 ? "" : "s");
	else
		snprintf(ui->msg, sizeof ui->msg,
			 "%s: its %llu connections are among these (Esc clears the filter)", kind, n);
}

/* Grouped: opens or closes the selected group (open true / false), or
 * toggles it (toggle); on a connection, Enter shows its details. */
static void group_key(struct ui *ui, bool open, bool toggle)
{
	struct grouping *gr = &ui->group;
	grouping_update(gr, &ui->model);
	const struct group_line *l = grouping_selected(gr);
	if (!l)
		return;
	if (toggle && l->pos != GROUP_HEAD) {
		model_select(&ui->model, l->pos, ui_page(ui));
		set_view(ui, VIEW_DETAILS);
		return;
	}
	if (toggle)
		open = !gr->g[l->group].open;
	grouping_open(gr, &ui->model, open, ui_page(ui));
}

static int k_enter(struct ui *ui)
{
	if (ui->view == VIEW_OVERVIEW && ui->group.by != GROUP_NONE)
		group_key(ui, false, true);
	else if (ui->view == VIEW_OVERVIEW)
		set_view(ui, VIEW_DETAILS);
	else if (ui->view == VIEW_HEALTH)
		jump_to_finding(ui);
	return HR;
}

int ui_enter(struct ui *ui)
{
	return k_enter(ui);
}

static int k_right(struct ui *ui)
{
	if (ui->view != VIEW_OVERVIEW || ui->group.by == GROUP_NONE)
		return 0;
	group_key(ui, true, false);
	return HR;
}

static int k_left(struct ui *ui)
{
	if (ui->view != VIEW_OVERVIEW || ui->group.by == GROUP_NONE)
		return 0;
	group_key(ui, false, false);
	return HR;
}

/* None, by process, by application, by container, none again. */
static int k_group(struct ui *ui)
{
	enum group_by by = (enum group_by)((ui->group.by + 1) % GROUP_BY_COUNT);
	grouping_set(&ui->group, by);
	ui->view = VIEW_OVERVIEW;
	if (by == GROUP_NONE)
		notice(ui, "One row per connection");
	else
		snprintf(ui->msg, sizeof ui->msg,
			 "Grouped by %s: Enter or Right opens a group, Left closes it (a: next grouping)",
			 grouping_word(by));
	return HR;
}

static int k_health(struct ui *ui)
{
	set_view(ui, VIEW_HEALTH);
	return HR;
}

static int k_graph(struct ui *ui)
{
	set_view(ui, VIEW_GRAPH);
	return HR;
}

static int k_host(struct ui *ui)
{
	set_view(ui, VIEW_HOST);
	return HR;
}

static void clear_filter(struct ui *ui)
{
	ui->filter.len = 0;
	ui->filter.editing = false;
	ui_apply_filter(ui);
}

static int k_escape(struct ui *ui)
{
	if (ui->panel && !ui->body_cols) /* the panel hides the view: it goes first */
		ui->panel = false;
	else if (ui->view == VIEW_HELP)
		ui->view = ui->back == VIEW_HELP ? VIEW_OVERVIEW : ui->back;
	else if (ui->view != VIEW_OVERVIEW)
		ui->view = VIEW_OVERVIEW;
	else if (ui->filter.len)
		clear_filter(ui);
	return HR;
}

static int k_filter(struct ui *ui)
{
	ui->view = VIEW_OVERVIEW;
	ui->filter.editing = true;
	return HR;
}

/* Remote end as "addr:port" ("[v6]:port"), numbers only. */
static int k_copy(struct ui *ui)
{
	const struct conn_row *r = ui->view == VIEW_DETAILS && ui->have_detail
					   ? &ui->detail : model_selected(&ui->model);
	if (!r) {
		notice(ui, "Nothing selected to copy");
		return HR;
	}
	char a[ADDR_TEXT_MAX], e[96], note[96];
	addr_text(a, r->family, row_remote_addr(r));
	fmt_endpoint(e, sizeof e, a, r->family == 6, r, row_remote_port(r), true);
	clipboard_copy(ui->term, e, note, sizeof note);
	snprintf(ui->msg, sizeof ui->msg, "Copied %s (%s)", e, note);
	return HR;
}

/* The side panel: on a screen too narrow for it and the view, it takes
 * the view's place until closed. */
static int k_panel(struct ui *ui)
{
	ui->panel = !ui->panel;
	return HR;
}

static int k_ports(struct ui *ui)
{
	ui->numeric_ports = !ui->numeric_ports;
	notice(ui, ui->numeric_ports ? "Showing port numbers" : "Showing service names");
	return HR;
}

static int k_hosts(struct ui *ui)
{
	ui->numeric_hosts = !ui->numeric_hosts;
	notice(ui, ui->numeric_hosts ? "Showing addresses" : "Showing host names");
	return HR;
}

static int k_help(struct ui *ui)
{
	if (ui->view == VIEW_HELP)
		ui->view = ui->back;
	else
		set_view(ui, VIEW_HELP);
	return HR;
}

static int k_sort_next(struct ui *ui)
{
	int col = ui->model.sort_col + 1;
	if (col >= column_count())
		col = COL_NONE;
	const struct field *c = column_at(col);
	model_set_sort(&ui->model, col, c && column_right(c)); /* numbers: biggest first */
	return HR;
}

static int k_worst_first(struct ui *ui)
{
	model_set_worst_first(&ui->model, !ui->model.worst_first, &ui->health.opts);
	notice(ui, ui->model.worst_first
			   ? "Worst first: connections with an error finding, then a warning (! again: off)"
			   : "Sorted by the sort column alone");
	return HR;
}

static int k_sort_dir(struct ui *ui)
{
	model_set_sort_field(&ui->model, ui->model.sort_field, !ui->model.sort_desc);
	return HR;
}

/* Biggest first by the field called name: the busiest connections on
 * top. */
static int sort_biggest(struct ui *ui, const char *name)
{
	model_set_sort_field(&ui->model, field_by_name(name), true);
	return HR;
}

static int k_sort_rate(struct ui *ui) { return sort_biggest(ui, "rate"); }
static int k_sort_bytes(struct ui *ui) { return sort_biggest(ui, "bytes"); }

static int resize_col(struct ui *ui, int delta)
{
	int col = ui->model.sort_col == COL_NONE ? column_of("remote") : ui->model.sort_col;
	const struct field *c = column_at(col);
	int w = ui->widths[col] + delta;
	if (w < c->column.min_width)
		w = c->column.min_width;
	if (w > COL_WIDTH_MAX)
		w = COL_WIDTH_MAX;
	ui->widths[col] = w;
	snprintf(ui->msg, sizeof ui->msg, "%s: width %d (< > resize the sort column, = resets)",
		 c->column.title, w);
	return HR;
}

static int k_narrow(struct ui *ui) { return resize_col(ui, -WIDTH_STEP); }
static int k_widen(struct ui *ui) { return resize_col(ui, WIDTH_STEP); }

static int k_reset_widths(struct ui *ui)
{
	columns_defaults(ui->widths);
	notice(ui, "Column widths reset");
	return HR;
}

/* The view stays as it is (no new rows, no new figures) while capture
 * goes on; resuming shows where it has got to at the next refresh. */
static int k_pause(struct ui *ui)
{
	ui->paused = !ui->paused;
	notice(ui, ui->paused ? "Paused: the view stays, capture goes on (Space resumes)" : "Resumed");
	return HR;
}

/* Live, closed connections stay listed for review until x again lets
 * them go (within the connection cap); a file keeps them all anyway. */
static int k_history(struct ui *ui)
{
	if (ui->status.offline) {
		notice(ui, "Reading a file: every closed connection stays listed");
		return HR;
	}
	if (!ui->src || !ui->src->keep_closed) {
		notice(ui, "Closed connections cannot be kept here");
		return HR;
	}
	ui->keep_closed = !ui->keep_closed;
	ui->src->keep_closed(ui->src->ctx, ui->keep_closed);
	notice(ui, ui->keep_closed ? "History: closed connections stay listed (dimmed); x lets them go"
				   : "History off: closed connections go after a few seconds");
	return HR;
}

static int k_mouse(struct ui *ui)
{
	MEVENT ev;
	if (getmouse(&ev) != OK)
		return 0;
	return ui_mouse(ui, ev.y, ev.x, ev.bstate);
}

static int k_redraw(struct ui *ui)
{
	clearok(curscr, TRUE);
	return HR;
}

struct binding {
	int keys[4];           /* 0-terminated */
	const char *label;     /* NULL: described by the previous entry */
	const char *help;
	int (*fn)(struct ui *ui);
};

static const struct binding bindings[] = {
	{ { 'q' }, "q", "quit (press twice to confirm)", k_quit },
	{ { UI_CTRL('c') }, "Ctrl+C", "quit at once", k_quit_now },
	{ { '\t' }, "Tab", "next view: Overview, Details, Health, Host, Graph, Help", k_next_view },
	{ { FN(KEY_BTAB) }, "Shift+Tab", "previous view", k_prev_view },
	{ { FN(KEY_UP), 'k' }, "Up / k", "move up (scroll in Details and Help)", k_up },
	{ { FN(KEY_DOWN), 'j' }, "Down / j", "move down", k_down },
	{ { FN(KEY_PPAGE) }, "PgUp", "up a page", k_pgup },
	{ { FN(KEY_NPAGE) }, "PgDn", "down a page", k_pgdn },
	{ { 'g', FN(KEY_HOME) }, "g / Home", "first row", k_first },
	{ { 'G', FN(KEY_END) }, "G / End", "last row", k_last },
	{ { '\n', '\r', FN(KEY_ENTER) }, "Enter",
	  "a connection's details, or open / close a group; in Health, the finding's connections",
	  k_enter },
	{ { FN(KEY_RIGHT) }, "Right / Left", "grouped: open / close the selected group", k_right },
	{ { FN(KEY_LEFT) }, NULL, NULL, k_left },
	{ { 'a' }, "a", "group the overview by process, application, container, or not", k_group },
	{ { KEY_ESC }, "Esc", "back to the overview, or clear the filter; first, a side panel over the whole body",
	  k_escape },
	{ { '/' }, "/", "filter: results update as you type", k_filter },
	{ { 'c' }, "c", "copy the remote address (OSC 52, wl-copy, xclip)", k_copy },
	{ { 'p' }, "p", "service names or port numbers", k_ports },
	{ { 'd' }, "d", "host names or addresses (Remote column)", k_hosts },
	{ { 'H' }, "H", "Health: findings (failed handshakes, resets, ICMP and DNS errors)", k_health },
	{ { 'T' }, "T", "Graph: the interface's traffic over time, the top processes and applications", k_graph },
	{ { 'L' }, "L", "Host: this machine's listening TCP and bound UDP sockets, with owners", k_host },
	{ { 'i' }, "i", "side panel: interface, capture and drops, attribution, sandbox (again: closes)",
	  k_panel },
	{ { 'h', '?' }, "h / ?", "this help (again: back)", k_help },
	{ { 's' }, "s", "sort by the next column", k_sort_next },
	{ { 'S' }, "S", "reverse the sort direction", k_sort_dir },
	{ { 'b' }, "b", "sort by bandwidth: the rate both ways (Rx + Tx), biggest first", k_sort_rate },
	{ { 't' }, "t", "sort by total bytes both ways, biggest first", k_sort_bytes },
	{ { '!' }, "!", "worst first: rows with an error finding, then a warning; again: off",
	  k_worst_first },
	{ { '<' }, "< / >", "narrow / widen the sort column (Remote when unsorted)", k_narrow },
	{ { '>' }, NULL, NULL, k_widen },
	{ { '=' }, "=", "reset column widths", k_reset_widths },
	{ { ' ' }, "Space", "pause the view (capture goes on); again: resume", k_pause },
	{ { 'x' }, "x", "history: closed connections stay listed for review; again: they go", k_history },
	{ { UI_CTRL('l') }, "Ctrl+L", "redraw the screen", k_redraw },
	{ { FN(KEY_MOUSE) }, "Click",
	  "row: select (again: as Enter); column header: sort (again: reverse); view name: show it",
	  k_mouse },
	{ { 0 }, "Wheel", "scroll; Shift+drag selects text; --no-mouse leaves the mouse to the terminal",
	  k_mouse }, /* the same events as Click: described apart */
};

bool keys_help_at(size_t i, const char **keys, const char **help)
{
	size_t n = 0;
	for (size_t b = 0; b < ARRAY_LEN(bindings); b++) {
		if (!bindings[b].label)
			continue;
		if (n++ == i) {
			*keys = bindings[b].label;
			*help = bindings[b].help;
			return true;
		}
	}
	return false;
}

/* What acts while the side panel hides the view: quitting, closing the
 * panel, pausing, redrawing; the view's own keys wait until it shows. */
static bool acts_over_panel(const struct binding *b)
{
	return b->fn == k_quit || b->fn == k_quit_now || b->fn == k_escape || b->fn == k_panel ||
	       b->fn == k_pause || b->fn == k_redraw;
}

static const struct binding *lookup(int key)
{
	for (size_t b = 0; b < ARRAY_LEN(bindings); b++)
		for (int k = 0; k < 4 && bindings[b].keys[k]; k++)
			if (bindings[b].keys[k] == key)
				return &bindings[b];
	return NULL;
}

/* ---- the filter line ---- */

static void filter_append(struct ui *ui, int ch)
{
	struct filter_line *f = &ui->filter;
	char mb[MB_LEN_MAX];
	mbstate_t st;
	memset(&st, 0, sizeof st);
	size_t n = ch < 0x80 ? 1 : wcrtomb(mb, (wchar_t)ch, &st);
	if (ch < 0x80)
		mb[0] = (char)ch;
	if (n == (size_t)-1)
		return;
	if (f->len + n > QUERY_MAX_LEN) {
		f->full = true;
		return;
	}
	memcpy(f->text + f->len, mb, n);
	f->len += n;
	ui_apply_filter(ui);
}

static void filter_backspace(struct ui *ui)
{
	struct filter_line *f = &ui->filter;
	while (f->len && (f->text[f->len - 1] & 0xc0) == 0x80) /* UTF-8 continuation */
		f->len--;
	if (f->len)
		f->len--;
	ui_apply_filter(ui);
}

static void filter_delete_word(struct ui *ui)
{
	struct filter_line *f = &ui->filter;
	while (f->len && f->text[f->len - 1] == ' ')
		f->len--;
	while (f->len && f->text[f->len - 1] != ' ')
		f->len--;
	ui_apply_filter(ui);
}

static bool is_navigation(int key)
{
	static const int nav[] = { FN(KEY_UP), FN(KEY_DOWN), FN(KEY_PPAGE), FN(KEY_NPAGE),
				   FN(KEY_HOME), FN(KEY_END) };
	for (size_t i = 0; i < ARRAY_LEN(nav); i++)
		if (nav[i] == key)
			return true;
	return false;
}

static int filter_key(struct ui *ui, int key)
{
	ui->filter.full = false;
	if (key == KEY_ESC) {
		clear_filter(ui);
	} else if (key == '\n' || key == '\r' || key == FN(KEY_ENTER)) {
		ui->filter.editing = false;
	} else if (key == FN(KEY_BACKSPACE) || key == 127 || key == 8) {
		filter_backspace(ui);
	} else if (key == UI_CTRL('u')) {
		ui->filter.len = 0;
		ui_apply_filter(ui);
	} else if (key == UI_CTRL('w')) {
		filter_delete_word(ui);
	} else if (key == UI_CTRL('c')) {
		return UI_QUIT;
	} else if (is_navigation(key)) {
		return lookup(key)->fn(ui);
	} else if (!(key & UI_KEY_FN) && key >= 0x20 && key != 0x7f) {
		filter_append(ui, key);
	} else {
		return 0;
	}
	return HR;
}

int ui_key(struct ui *ui, int key)
{
	if (key == FN(KEY_RESIZE))
		return HR;
	if (ui->filter.editing && key == FN(KEY_MOUSE))
		ui->filter.editing = false; /* the filter stays, as after Enter */
	if (ui->filter.editing)
		return filter_key(ui, key);
	bool armed = ui->quit_armed;
	ui->quit_armed = false;
	ui->msg[0] = '\0';
	if (armed && key == 'q')
		return UI_QUIT;
	const struct binding *b = lookup(key);
	if (b && ui->panel && !ui->body_cols && !acts_over_panel(b))
		return 0;
	return b ? b->fn(ui) : (armed ? HR : 0);
}
