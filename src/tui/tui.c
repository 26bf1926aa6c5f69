/* tui.c - tui_run: set up the terminal, then loop: wait for a key or the
 * next refresh, hand keys to keys.c, refresh from the source every
 * refresh_ms, redraw. The terminal is restored on every way out: SIGINT,
 * SIGTERM and SIGHUP (the terminal went away) end the loop when the caller
 * blocks them, and are covered by the handlers curses installs when it
 * does not.
 *
 * DESIGN: runs entirely on the calling thread; the only calls out are the
 * source's callbacks, made from this thread between frames.
 */
#include "tui/tui.h"

#include <locale.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "base/clock.h"
#include "base/xalloc.h"
#include "tui/ui.h"

#define ESC_DELAY_MS 25
/* How often a refresh that got older rows looks whether the ones it asked
 * for are in, and how often the UI looks whether a file it reads is read
 * to the end (to show all of it then, not at the next refresh). */
#define CATCH_UP_MS 50
/* The longest the terminal is given to say its background: most answer at
 * once (a local terminal in microseconds, one over ssh in a round trip) */
#define BACKGROUND_WAIT_MS 300

static void terminal_modes(bool mouse)
{
	raw();          /* Ctrl+C arrives as a key: quitting goes through cleanup */
	noecho();
	nonl();
	keypad(stdscr, TRUE);
	set_escdelay(ESC_DELAY_MS);
	curs_set(0);
	if (mouse)
		ui_mouse_on();
}

static void redraw(struct ui *ui)
{
	ui_draw(ui);
	wnoutrefresh(stdscr);
	doupdate();
}

/* A key, UI_KEY_FN | KEY_*, or -1 when the wait ran out. */
static int read_key(int wait_ms)
{
	wint_t ch;
	timeout(wait_ms);
	int rc = get_wch(&ch);
	if (rc == KEY_CODE_YES)
		return (int)ch | UI_KEY_FN;
	return rc == OK ? (int)ch : -1;
}

/* A caller that blocks SIGINT / SIGTERM / SIGHUP (to see Ctrl+C as a key)
 * still wants kill or a hangup to end the UI: take such a pending signal
 * as "quit". One sigtimedwait with a zero wait asks and takes at once
 * (the sandbox allows it, not sigpending). Signals that are not blocked
 * are left to their handlers. */
static bool stop_pending(void)
{
	sigset_t want;
	sigemptyset(&want);
	sigaddset(&want, SIGINT);
	sigaddset(&want, SIGTERM);
	sigaddset(&want, SIGHUP);
	struct timespec zero = { 0, 0 };
	return sigtimedwait(&want, NULL, &zero) > 0;
}

/* The terminal went away (the ssh session or the tmux pane closed): the
 * input hangs up, every read returns at once, and nobody is left to quit.
 * A hangup is seen by poll even when no SIGHUP arrives (it went to a
 * process group wiretop left, or the caller ignores it). */
static bool terminal_gone(void)
{
	struct pollfd p = { .fd = STDIN_FILENO, .events = POLLIN };
	return poll(&p, 1, 0) == 1 && (p.revents & (POLLHUP | POLLERR | POLLNVAL));
}

/* When the refresh after the one due at `due` is: on the interval's own
 * beat, so the time a refresh takes (under a burst, the engine building a
 * hundred thousand rows) does not stretch every interval by as much; one
 * that overran its interval starts the beat afresh instead of following
 * at once, which would leave the workers building rows without a pause. */
static uint64_t next_refresh(uint64_t due, uint64_t every, uint64_t now)
{
	return due + every > now ? due + every : now + every;
}

/* After a frame went out: the milestones --trace-ui writes once, the
 * first rows shown and (reading a file) all of them. */
static void trace_frame(struct ui *ui)
{
	struct ui_trace *t = &ui->trace;
	unsigned rows = model_total(&ui->model), shown = ui->model.n;
	if (!t->first_done && shown) {
		t->first_done = true;
		trace_event(t, "first_rows", "rows=%u shown=%u", rows, shown);
	}
	if (!t->all_done && ui->source_done) {
		t->all_done = true;
		trace_event(t, "all_rows", "rows=%u shown=%u", rows, shown);
	}
}

/* What a key changed, for the trace: its kind of work. */
struct key_before {
	const struct query *q;
	size_t filter_len;
	const struct field *sort_field;
	bool sort_desc, worst_first;
	uint32_t sel, top;
	enum ui_view view;
};

static struct key_before key_before(const struct ui *ui)
{
	return (struct key_before){ ui->model.q, ui->filter.len, ui->model.sort_field,
				    ui->model.sort_desc, ui->model.worst_first, ui->model.sel,
				    ui->model.top, ui->view };
}

static const char *key_kind(const struct ui *ui, const struct key_before *b)
{
	if (ui->model.q != b->q || ui->filter.len != b->filter_len)
		return "filter";
	if (ui->model.sort_field != b->sort_field || ui->model.sort_desc != b->sort_desc ||
	    ui->model.worst_first != b->worst_first)
		return "sort";
	if (ui->model.sel != b->sel || ui->model.top != b->top)
		return "move";
	return ui->view != b->view ? "view" : "other";
}

/* One key: handled and, when it changed the screen, drawn at once. */
static int handle_key(struct ui *ui, int key)
{
	struct trace_mark m = trace_mark();
	struct key_before b = key_before(ui);
	int flags = ui_key(ui, key);
	if (flags & UI_QUIT)
		return flags;
	if (flags & UI_REDRAW) {
		redraw(ui);
		trace_frame(ui);
	}
	if (trace_on(&ui->trace)) {
		char span[64];
		trace_span(span, sizeof span, m);
		trace_event(&ui->trace, "key", "kind=%s rows=%u shown=%u %s", key_kind(ui, &b),
			    model_total(&ui->model), ui->model.n, span);
	}
	return flags;
}

/* New rows from the source (a refresh, or the rows a late one asked for),
 * drawn. */
static void show_new_rows(struct ui *ui, bool catch_up)
{
	struct trace_mark m = trace_mark();
	if (catch_up) {
		if (!ui_catch_up(ui))
			return;
	} else {
		ui_refresh(ui);
	}
	struct trace_mark d = trace_mark();
	redraw(ui);
	if (trace_on(&ui->trace)) {
		char span[64];
		trace_span(span, sizeof span, m);
		trace_event(&ui->trace, catch_up ? "catch_up" : "refresh",
			    "rows=%u shown=%u free=%.3f snapshot=%.3f model=%.3f host=%.3f draw=%.3f %s",
			    model_total(&ui->model), ui->model.n, ui->cost.free_ms,
			    ui->cost.snapshot_ms, ui->cost.model_ms, ui->cost.host_ms, trace_wall_ms(d),
			    span);
	}
	trace_frame(ui);
}

static void loop(struct ui *ui)
{
	uint64_t every = ui->opts.refresh_ms, next = clock_mono_ms() + every;
	for (;;) {
		uint64_t now = clock_mono_ms();
		uint64_t wait = next > now ? next - now : 0;
		if ((ui->late || ui_reading_file(ui)) && wait > CATCH_UP_MS)
			wait = CATCH_UP_MS;
		int key = read_key((int)wait);
		if (key >= 0 && (handle_key(ui, key) & UI_QUIT))
			return;
		if (stop_pending() || (key < 0 && terminal_gone()))
			return;
		if (clock_mono_ms() >= next || ui_file_read(ui)) {
			show_new_rows(ui, false);
			next = next_refresh(next, every, clock_mono_ms());
		} else {
			show_new_rows(ui, true);
		}
		ui_release(ui); /* the old snapshot goes once the new frame is out */
	}
}

/* For --theme auto: the terminal's background, asked before the screen
 * is set up (its answer would otherwise come in as keys), else from
 * COLORFGBG. */
static void ask_background(const struct tui_opts *o, struct theme_bg *bg)
{
	memset(bg, 0, sizeof *bg);
	if ((o->theme && strcmp(o->theme, "auto") != 0) || !theme_colour_wanted(o->no_color))
		return;
	bg->bg = termbg_probe(STDIN_FILENO, STDOUT_FILENO, BACKGROUND_WAIT_MS, bg->text, sizeof bg->text);
	if (bg->bg != TERMBG_UNKNOWN)
		return;
	const char *fgbg = getenv("COLORFGBG");
	bg->bg = termbg_from_colorfgbg(fgbg);
	if (bg->bg != TERMBG_UNKNOWN)
		snprintf(bg->text, sizeof bg->text, "COLORFGBG %s", fgbg);
}

int tui_run(const struct tui_opts *o, const struct tui_source *src, struct wt_err *err)
{
	struct ui *ui = xcalloc(1, sizeof *ui);
	if (!ui_init(ui, o, src)) {
		free(ui);
		return wt_err_set(err, WT_ERR_USAGE, "--filter: filter longer than %d bytes",
				  QUERY_MAX_LEN);
	}
	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
		ui_fini(ui);
		free(ui);
		return wt_err_set(err, WT_ERR_USAGE,
				  "the interface needs a terminal; use --json to write to a pipe or file");
	}
	struct theme_bg bg;
	ask_background(&ui->opts, &bg);
	setlocale(LC_CTYPE, "");
	SCREEN *scr = newterm(NULL, stdout, stdin);
	if (!scr) {
		const char *term = getenv("TERM");
		ui_fini(ui);
		free(ui);
		return wt_err_set(err, WT_ERR_SYSTEM, "cannot use terminal type '%s'",
				  term ? term : "(unset)");
	}
	terminal_modes(!ui->opts.no_mouse);
	theme_init(&ui->theme, ui->opts.no_color, ui->opts.theme, &bg);
	ui->term = stdout;
	show_new_rows(ui, false);
	loop(ui);
	endwin();
	delscreen(scr);
	ui_fini(ui);
	free(ui);
	return 0;
}
