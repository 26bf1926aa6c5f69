/* snapshot_bench.c - how long the UI's data source takes to merge the
 * workers' published rows into one snapshot (engine_snapshot), on a real
 * capture opened the way `wiretop --read FILE` opens it for viewing.
 * Prints the figures; asserts nothing.
 *
 *   make build/bench/snapshot_bench && build/bench/snapshot_bench FILE [THREADS]
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "engine/engine.h"

static double now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: %s CAPTURE [THREADS]\n", argv[0]);
		return 2;
	}
	struct engine_opts o;
	memset(&o, 0, sizeof o);
	o.capture.path = argv[1];
	timeouts_default(&o.tracker.timeouts);
	o.workers = argc > 2 ? atoi(argv[2]) : 0;
	o.keep_rows = true;
	o.keep_all_closed = true;
	o.refresh_ms = 1000;
	struct engine *e;
	struct wt_err err = { 0 };
	if (engine_open(&e, &o, &err) < 0 || engine_start(e, &err) < 0) {
		fprintf(stderr, "snapshot_bench: %s\n", err.msg);
		return 1;
	}
	while (!engine_finished(e))
		usleep(10000);
	enum { RUNS = 9 };
	double t[RUNS];
	uint32_t rows = 0;
	for (int i = 0; i < RUNS; i++) {
		double t0 = now_ms();
		struct snapshot *s = engine_snapshot(e);
		t[i] = now_ms() - t0;
		rows = s->n;
		snapshot_free(s);
	}
	qsort(t, RUNS, sizeof t[0], cmp_double);
	printf("engine_snapshot: %u rows merged in %.2f ms (median of %d, min %.2f, max %.2f)\n", rows,
	       t[RUNS / 2], RUNS, t[0], t[RUNS - 1]);
	engine_stop(e);
	engine_wait(e, NULL, 0);
	engine_free(e);
	return 0;
}
