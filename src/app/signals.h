/* signals.h - what SIGINT, SIGTERM and SIGHUP mean to a run.
 *
 * The three are blocked in every thread (app_signals_open runs before any
 * thread starts; threads inherit the mask) and taken synchronously through
 * a signalfd: nothing runs in a handler, and a read that may block for
 * ever (a FIFO with no writer, a stalled pipe) watches the same
 * descriptor (capture_opts.stop_fd) and gives up when a signal is pending.
 * Each signal has one action in one table. SIGINT and SIGTERM stop the
 * run as the end of the input would: every open connection's record is
 * written, and the exit status is 0. SIGHUP reopens the outputs when
 * there are files to reopen (logrotate), and then has a descriptor of its
 * own, so that a waiting read does not take it for a stop; otherwise it
 * stops the run like the other two.
 *
 * DESIGN: the main thread opens, waits and closes; other threads only
 * poll the descriptor (never read it).
 */
#ifndef WT_APP_SIGNALS_H
#define WT_APP_SIGNALS_H

#include <signal.h>
#include <stdbool.h>

#include "base/err.h"

enum app_signal_action {
	APP_SIGNAL_NONE = 0, /* nothing arrived */
	APP_SIGNAL_STOP,     /* end the run, records written */
	APP_SIGNAL_REOPEN,   /* reopen the outputs (SIGHUP when hup_reopens) */
};

struct app_signals {
	int fd;          /* signalfd of the stopping signals; -1 when closed */
	int hup_fd;      /* signalfd of SIGHUP when it reopens; else -1 */
};

/* Blocks the signals in the calling thread and opens the descriptors;
 * hup_reopens: SIGHUP means APP_SIGNAL_REOPEN instead of a stop. */
int app_signals_open(struct app_signals *s, bool hup_reopens, struct wt_err *err);
/* Readable while a stopping signal is pending (not consumed by polling
 * it). */
int app_signals_fd(const struct app_signals *s);
/* Waits up to timeout_ms (0: just looks) for a signal, takes it and
 * returns its action; APP_SIGNAL_NONE when none came. */
enum app_signal_action app_signals_wait(struct app_signals *s, int timeout_ms);
void app_signals_close(struct app_signals *s);

#endif
