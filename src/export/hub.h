/* hub.h - the export hub: connection events in from the workers, records
 * out to the exporters (event log, IPFIX, metrics), off the packet path.
 *
 * DESIGN: workers call export_hub_event (the engine's event hook), which
 * copies the row into a bounded queue: live, a full queue drops the event
 * and counts it; reading a file, the worker waits (nothing is lost). One
 * hub thread drains the queue, joins rows to their process, holds back a
 * new connection's OPEN until its process is known (at most open_wait),
 * turns counters into per-exporter deltas, and calls the exporters
 * (sink.h) on its own thread. A connection whose retirement was dropped
 * is closed by the hub once the tracker must have retired it, and every
 * connection still open when the hub stops is closed then. export_hub_new/add/start/stop/free from the
 * main thread; export_hub_reopen and export_hub_drops from any thread.
 */
#ifndef WT_EXPORT_HUB_H
#define WT_EXPORT_HUB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/err.h"
#include "export/sink.h"
#include "flow/row.h"

struct export_hub;

struct export_hub_opts {
	bool wait_when_full;          /* reading a file: never drop */
	uint32_t queue_len;           /* events; 0 = 32768 */
	uint64_t open_wait_us;        /* OPEN without a process after this long; 0 = 2 s */
	/* How often the engine reports a connection with traffic (its
	 * active_every_us), and the longest idle timeout of the tracker: they
	 * tell when a connection whose retirement never came is gone
	 * (0: once an hour). */
	uint64_t report_every_us, max_idle_us;
	/* Attribution (NULL: none, OPEN goes out at once): fill r->proc, and
	 * the unit/container of a pid. Called on the hub's thread. */
	void (*join)(void *ctx, struct conn_row *r);
	bool (*proc_detail)(void *ctx, int32_t pid, struct export_proc *out);
	void *ctx;
};

struct export_hub *export_hub_new(const struct export_hub_opts *o);
/* Register an exporter (before start); the hub owns it from now on. */
void export_hub_add(struct export_hub *h, const struct export_sink *s);
int export_hub_count(const struct export_hub *h);
int export_hub_start(struct export_hub *h, struct wt_err *err);
/* The engine's event hook: any worker thread. `why` is the enum
 * retire_reason of a CONN_EVENT_RETIRED. */
void export_hub_event(void *hub, enum conn_event ev, const struct conn_row *r, int shard, int why,
		      uint64_t now_us);
/* Ask the exporters to reopen their files (SIGHUP); signal-safe. */
void export_hub_reopen(struct export_hub *h);
/* SIGHUP: the settings of the exporter called name that apply while
 * running, from its options struct of size bytes (copied; applied by the
 * hub's thread within a tick). False when there is no such exporter or
 * it has none. Any thread. */
bool export_hub_retune(struct export_hub *h, const char *name, const void *opts, size_t size);
/* The engine reports connections with traffic at a new cadence. */
void export_hub_set_report_every(struct export_hub *h, uint64_t every_us);
/* Events dropped on a full queue plus records the exporters lost. */
uint64_t export_hub_drops(struct export_hub *h);
/* Deliver what is queued, flush every exporter, stop the thread. Call
 * after the workers have stopped. */
void export_hub_stop(struct export_hub *h);
void export_hub_free(struct export_hub *h);

#endif
