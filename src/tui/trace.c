/* trace.c - the --trace-ui writer: a line at a time, written whole, so a
 * reader of the file sees each event as it happens. A failed write is
 * not the UI's concern: the trace is for measuring, the screen goes on. */
#include "tui/trace.h"

#include <stdarg.h>
#include <stdio.h>
#include <time.h>

#include "base/clock.h"
#include "base/fdio.h"

struct trace_mark trace_mark(void)
{
	return (struct trace_mark){ clock_ns(CLOCK_MONOTONIC), clock_ns(CLOCK_THREAD_CPUTIME_ID) };
}

static double ms_between(uint64_t from_ns, uint64_t to_ns)
{
	return to_ns > from_ns ? (double)(to_ns - from_ns) / (double)NS_PER_MS : 0.0;
}

double trace_wall_ms(struct trace_mark m)
{
	return ms_between(m.wall_ns, clock_ns(CLOCK_MONOTONIC));
}

void trace_span(char *buf, size_t cap, struct trace_mark m)
{
	struct trace_mark now = trace_mark();
	snprintf(buf, cap, "wall=%.3f cpu=%.3f", ms_between(m.wall_ns, now.wall_ns),
		 ms_between(m.cpu_ns, now.cpu_ns));
}

void trace_event(const struct ui_trace *t, const char *event, const char *fmt, ...)
{
	if (!trace_on(t))
		return;
	char line[512];
	uint64_t now_ns = clock_ns(CLOCK_MONOTONIC);
	int n = snprintf(line, sizeof line, "%.3f %s ",
			 ms_between(t->start_us * NS_PER_US, now_ns), event);
	if (n < 0 || (size_t)n >= sizeof line)
		return;
	va_list ap;
	va_start(ap, fmt);
	int m = vsnprintf(line + n, sizeof line - (size_t)n - 1, fmt, ap);
	va_end(ap);
	if (m < 0)
		return;
	size_t len = (size_t)n + (size_t)m;
	if (len > sizeof line - 2)
		len = sizeof line - 2;
	line[len++] = '\n';
	fd_write_all(t->fd, line, len);
}
