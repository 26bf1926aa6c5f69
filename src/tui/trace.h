/* trace.h - --trace-ui: one plain-text line per UI event with the time
 * wiretop itself spent on it, for benchmarks (bench/run.sh) and tests.
 * The format is documented in docs/PERFORMANCE.md ("The UI trace"); a
 * line is
 *
 *     T_MS EVENT key=value ...
 *
 * T_MS: milliseconds since the program started; durations in ms, both
 * wall time and the UI thread's CPU time. Called on the UI thread only.
 */
#ifndef WT_TUI_TRACE_H
#define WT_TUI_TRACE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct ui_trace {
	int fd;              /* > 2: the trace file; else no trace */
	uint64_t start_us;   /* CLOCK_MONOTONIC at the program's start */
	bool first_done;     /* first_rows written */
	bool all_done;       /* all_rows written */
};

/* A point in time on both clocks. */
struct trace_mark {
	uint64_t wall_ns, cpu_ns;
};

static inline bool trace_on(const struct ui_trace *t)
{
	return t->fd > 2;
}

/* Now, on the monotonic clock and the calling thread's CPU clock. */
struct trace_mark trace_mark(void);
/* Wall-clock milliseconds since m. */
double trace_wall_ms(struct trace_mark m);
/* "wall=W cpu=C": milliseconds since m on both clocks, into buf. */
void trace_span(char *buf, size_t cap, struct trace_mark m);
/* Writes "T_MS EVENT fields\n" (fields formatted as printf). */
void trace_event(const struct ui_trace *t, const char *event, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#endif
