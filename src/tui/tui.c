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
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "base/clock.h"
#include "base/xalloc.h"
#include "tui/ui.h"

#define ESC_DELAY_MS 25
/* How often a refresh that got older rows looks whether the ones it asked
 * for are in. */
#define CATCH_UP_MS 50

static void terminal_modes(void)
{
	raw();          /* Ctrl+C arrives as a key: quitting goes through cleanup */
	noecho();
	nonl();
	keypad(stdscr, TRUE);
	set_escdelay(ESC_DELAY_MS);
	curs_set(0);
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

static void loop(struct ui *ui)
{
	uint64_t every = ui->opts.refresh_ms, next = clock_mono_ms() + every;
	redraw(ui);
	for (;;) {
		uint64_t now = clock_mono_ms();
		uint64_t wait = next > now ? next - now : 0;
		if (ui->late && wait > CATCH_UP_MS)
			wait = CATCH_UP_MS;
		int key = read_key((int)wait);
		int flags = key >= 0 ? ui_key(ui, key) : 0;
		if ((flags & UI_QUIT) || stop_pending() || (key < 0 && terminal_gone()))
			return;
		if (clock_mono_ms() >= next) {
			ui_refresh(ui);
			next = next_refresh(next, every, clock_mono_ms());
			flags |= UI_REDRAW;
		} else if (ui_catch_up(ui)) {
			flags |= UI_REDRAW;
		}
		if (flags & UI_REDRAW)
			redraw(ui);
		ui_release(ui); /* the old snapshot goes once the new frame is out */
	}
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
	setlocale(LC_CTYPE, "");
	SCREEN *scr = newterm(NULL, stdout, stdin);
	if (!scr) {
		const char *term = getenv("TERM");
		ui_fini(ui);
		free(ui);
		return wt_err_set(err, WT_ERR_SYSTEM, "cannot use terminal type '%s'",
				  term ? term : "(unset)");
	}
	terminal_modes();
	theme_init(&ui->theme, ui->opts.no_color);
	ui->term = stdout;
	ui_refresh(ui);
	loop(ui);
	endwin();
	delscreen(scr);
	ui_fini(ui);
	free(ui);
	return 0;
}
