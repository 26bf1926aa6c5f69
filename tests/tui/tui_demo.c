/* tui_demo.c - runs the terminal UI on made-up connections (fake_rows.h)
 * so it can be driven by tests/tui/ui_tmux.sh without a capture.
 *
 *   tui_demo [--rows N] [--refresh MS] [--slow MS] [--ports] [--no-color] [--filter EXPR]
 *
 * --slow makes each refresh take MS longer (a busy engine); the status bar
 * counts the refreshes ("synthetic, refresh N").
 *
 * tests/unit/test_tui_render.c embeds it (TUI_DEMO_EMBEDDED) so that
 * "build/tests/test_tui_render --demo" is the same program, built with the
 * project's flags and sanitizers.
 */
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "tui/tui.h"

#include "fake_rows.h"

struct demo {
	unsigned calls;
	uint32_t extra;
	unsigned slow_ms;
};

static struct snapshot *demo_snapshot(void *ctx)
{
	struct demo *d = ctx;
	d->calls++;
	struct timespec slow = { d->slow_ms / 1000, (long)(d->slow_ms % 1000) * 1000000L };
	nanosleep(&slow, NULL);
	uint64_t now = FAKE_NOW + d->calls * FAKE_SEC;
	struct snapshot *s = fake_snapshot(now);
	for (uint32_t i = 0; i < s->n; i++) { /* traffic keeps flowing */
		s->rows[i].src_bytes += d->calls * (uint64_t)s->rows[i].src_rate;
		s->rows[i].dst_bytes += d->calls * (uint64_t)s->rows[i].dst_rate;
	}
	fake_bulk(s, d->extra, 1000, now, 42);
	s->packets = 1500ULL * d->calls;
	s->bytes = 900000ULL * d->calls;
	s->flows_total = s->n;
	return s;
}

static void demo_status(void *ctx, struct tui_status *st)
{
	const struct demo *d = ctx;
	snprintf(st->iface, sizeof st->iface, "demo0");
	snprintf(st->capture, sizeof st->capture, "synthetic, refresh %u", d->calls);
	snprintf(st->attr, sizeof st->attr, "none (demo rows)");
	st->offline = false;
	st->finished = false;
}

static bool demo_proc(void *ctx, int32_t pid, char *buf, size_t cap)
{
	if (pid != 4242)
		return false;
	snprintf(buf, cap, "exe: /usr/lib/firefox/firefox\ncmdline: firefox --new-window\n"
			   "user: alice\ncgroup: /user.slice/user-1000.slice\n");
	return true;
}

static int tui_demo_main(int argc, char **argv)
{
	struct demo d = { 0, 0, 0 };
	struct tui_opts o = { .refresh_ms = 1000 };
	for (int i = 1; i < argc; i++) {
		const char *next = i + 1 < argc ? argv[i + 1] : NULL;
		if (!strcmp(argv[i], "--rows") && next)
			d.extra = (uint32_t)strtoul(argv[++i], NULL, 10);
		else if (!strcmp(argv[i], "--refresh") && next)
			o.refresh_ms = (unsigned)strtoul(argv[++i], NULL, 10);
		else if (!strcmp(argv[i], "--slow") && next)
			d.slow_ms = (unsigned)strtoul(argv[++i], NULL, 10);
		else if (!strcmp(argv[i], "--filter") && next)
			o.filter = argv[++i];
		else if (!strcmp(argv[i], "--ports"))
			o.show_ports = true;
		else if (!strcmp(argv[i], "--no-color"))
			o.no_color = true;
		else if (!strcmp(argv[i], "--no-mouse"))
			o.no_mouse = true;
		else {
			fprintf(stderr, "usage: %s [--rows N] [--refresh MS] [--slow MS] [--ports] "
					"[--no-color] [--no-mouse] [--filter EXPR]\n", argv[0]);
			return 2;
		}
	}
	/* as the program does: Ctrl+C is a key, kill and hangup are seen by the UI loop */
	sigset_t set;
	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGHUP);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	struct tui_source src = { .ctx = &d, .snapshot = demo_snapshot, .status = demo_status,
				  .proc_detail = demo_proc };
	struct wt_err err = { 0 };
	if (tui_run(&o, &src, &err) != 0) {
		fprintf(stderr, "tui_demo: %s\n", err.msg);
		return 2;
	}
	return 0;
}

#ifndef TUI_DEMO_EMBEDDED
int main(int argc, char **argv)
{
	return tui_demo_main(argc, argv);
}
#endif
