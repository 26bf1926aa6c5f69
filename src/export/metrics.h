/* metrics.h - the Prometheus endpoint (--metrics ADDR:PORT): counters by
 * process, application and interface, drops, attribution coverage and
 * tracked connections, as Prometheus text (format 0.0.4) at /metrics.
 *
 * DESIGN: opened on the main thread before the sandbox (the socket is
 * bound and listening then). The export hub's thread feeds it records
 * (sink.h) and starts its server thread on the first tick; the server
 * thread renders under the same mutex the records are added under, and
 * asks the status callback for the engine's figures. Label values past
 * max_labels distinct ones per label fold into "other", and
 * wiretop_label_overflow_total says how often that happened.
 */
#ifndef WT_EXPORT_METRICS_H
#define WT_EXPORT_METRICS_H

#include <stdint.h>

#include "base/err.h"
#include "base/outbuf.h"
#include "export/sink.h"

/* What the engine and the hub know, asked for at each scrape. */
struct metrics_status {
	char interface[64];
	uint64_t packets, bytes;      /* every frame captured */
	uint64_t kernel_drops, internal_drops, export_drops;
	uint64_t flows;               /* tracked now */
};

struct metrics_opts {
	const char *listen;           /* ADDR:PORT */
	uint32_t max_labels;          /* distinct values per label; 0 = 100 */
	uint64_t update_us;           /* long connections counted this often */
	void (*status)(void *ctx, struct metrics_status *st); /* any thread */
	void *ctx;
};

int metrics_open(struct export_sink *out, const struct metrics_opts *o, struct wt_err *err);

/* The page (for tests): what a scrape returns. */
struct metrics;
void metrics_render(struct metrics *m, struct outbuf *out);

#endif
