#include "app/app.h"

#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "engine/engine.h"

static void engine_opts_from(const struct options *o, struct engine_opts *eo)
{
	memset(eo, 0, sizeof *eo);
	eo->capture.iface = o->iface;
	eo->capture.path = o->read_path;
	eo->capture.bpf_filter = o->bpf_filter;
	eo->capture.snaplen = o->snaplen;
	eo->capture.buffer_mb = o->buffer_mb;
	eo->tracker.timeouts = o->timeouts;
	eo->tracker.max_flows = o->max_flows;
	eo->tracker.no_dpi = o->no_dpi;
	eo->workers = o->threads;
	eo->json = o->json;
	eo->json_fd = 1;
	eo->refresh_ms = o->refresh_ms;
	eo->linger_ms = 3000;
	eo->show_localhost = o->show_localhost;
	if (o->read_path && o->no_localhost)
		eo->tracker.hide_localhost = true;
}

/* Headless: wait for the end of the file, the duration, or a signal. */
static void wait_headless(struct engine *e, const struct options *o)
{
	sigset_t set;
	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	struct timespec start, now;
	clock_gettime(CLOCK_MONOTONIC, &start);
	while (!engine_finished(e)) {
		struct timespec tick = { 0, 50 * 1000000 };
		if (sigtimedwait(&set, NULL, &tick) > 0)
			break;
		clock_gettime(CLOCK_MONOTONIC, &now);
		double el = (double)(now.tv_sec - start.tv_sec) + (now.tv_nsec - start.tv_nsec) / 1e9;
		if (o->duration_s > 0 && el >= o->duration_s)
			break;
	}
	engine_stop(e);
}

static void block_signals(void)
{
	sigset_t set;
	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
}

int app_run(const struct options *o)
{
	struct engine_opts eo;
	struct wt_err err = { 0 };
	struct engine *e = NULL;
	engine_opts_from(o, &eo);
	block_signals(); /* threads inherit the mask; the main thread waits for them */
	if (engine_open(&e, &eo, &err) < 0) {
		fprintf(stderr, "wiretop: %s\n", err.msg);
		return err.code == WT_ERR_USAGE || err.code == WT_ERR_INPUT ? 2 : 1;
	}
	if (engine_start(e, &err) < 0) {
		fprintf(stderr, "wiretop: %s\n", err.msg);
		engine_free(e);
		return 1;
	}
	wait_headless(e, o);
	char warn[512];
	engine_wait(e, warn, sizeof warn);
	if (warn[0])
		fprintf(stderr, "wiretop: warning: %s\n", warn);
	engine_free(e);
	return 0;
}
