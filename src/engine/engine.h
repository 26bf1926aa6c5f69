/* engine.h - the packet path: one capture thread feeding N workers.
 *
 * DESIGN: the capture thread (reader.c) reads frames (libpcap live; a
 * capture file offline, read into a few windows used in turn) and hands
 * each to the SPSC ring of worker hash(address pair) % N, so both
 * directions of a flow, and its IP fragments, meet on one worker (the
 * outermost pair: a tunnel's inner connections, keyed with their tunnel,
 * go with the frames carrying them): live as a copy, offline as a pointer
 * into the file window, which is filled again only once every worker has
 * released past it. Workers decode; the capture thread reads only the
 * address pair to pick a shard when N > 1. Each worker owns a tracker
 * (its shard of the flow table): no locks on the packet path. Workers write retired
 * connections as JSON records through their own buffer (flushed whole
 * under the output lock; live, at every tick).
 * The capture thread keeps the workers' clock: offline, packet time (a
 * tick whenever it enters a new second); live, the wall clock (a tick
 * every 100 ms whether or not packets come). Live, a full ring drops the
 * frame (counted) rather than block the capture.
 * Rows are published on request: engine_snapshot() asks, the capture
 * thread passes the request to every worker behind the frames already
 * handed over, each publishes its shard (rates over the window since the
 * previous request), and the snapshot is shared (one worker) or merged
 * (several).
 *
 * Thread rules: engine_open/start/wait/free from the main thread;
 * engine_stop from anywhere; engine_snapshot/engine_rows/engine_rows_late/
 * engine_status from one reader thread (the UI) at a time.
 */
#ifndef WT_ENGINE_ENGINE_H
#define WT_ENGINE_ENGINE_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#include "base/err.h"
#include "capture/capture.h"
#include "flow/row.h"
#include "flow/tracker.h"

struct resolver;

struct engine;
struct wtlog;

struct engine_opts {
	struct capture_opts capture;
	struct tracker_opts tracker;   /* locals are filled in by the engine when live */
	int workers;                   /* 0 = cores - 1, at least 1, at most 4 */
	bool json;                     /* write retired connections as JSON records */
	int json_fd;                   /* where records go (1 = stdout) */
	bool keep_rows;                /* publish snapshots for a reader (the UI) */
	bool keep_all_closed;          /* offline viewing: closed rows never vanish */
	unsigned refresh_ms;           /* snapshot cadence for the reader */
	unsigned linger_ms;            /* how long closed rows stay visible (live) */
	bool exit_when_gone;           /* live: an interface that disappears ends the run (else: wait for it) */
	bool show_localhost;           /* keep loopback-to-loopback flows (live, not on lo: hidden by default);
					* tracker.hide_localhost hides them everywhere */
	/* Reverse lookups of remote addresses no DNS answer or SNI / Host
	 * named, live (engine/resolver.h); NULL: none. Borrowed: it is closed
	 * after the engine. Its own lookups are never tracked. */
	struct resolver *resolver;
	/* Optional: decide whether a retired row is written (--filter). */
	bool (*row_filter)(void *ctx, const struct conn_row *r, uint64_t now_us);
	/* Optional: fill r->proc (process attribution); thread-safe. */
	void (*row_join)(void *ctx, struct conn_row *r);
	void *hook_ctx;
	/* Optional: connection events for exporters, on worker threads;
	 * CONN_EVENT_ACTIVE for connections with traffic, every
	 * active_every_us of the data clock. `why` is a retire_reason. */
	void (*conn_event)(void *ctx, enum conn_event ev, const struct conn_row *r, int shard, int why,
			   uint64_t now_us);
	void *event_ctx;
	_Atomic uint64_t active_every_us; /* engine_set_report_every changes it live */
	/* Optional: every captured frame, on the capture thread (--pcapng);
	 * may_wait when reading a file (the tap may then hold the reader). */
	void (*frame_tap)(void *ctx, uint64_t ts_us, const uint8_t *data, uint32_t caplen, uint32_t wirelen,
			  int linktype, bool may_wait);
	void *tap_ctx;
	/* Connection openings and closings at debug level; NULL: no log. */
	struct wtlog *log;
};

/* Something wrong with the capture itself (live): how often, and the
 * wall-clock times of the first and the last; all 0 when never. */
struct capture_trouble {
	uint64_t count, first_us, last_us;
};

struct engine_status {
	char source[256];              /* interface or file */
	bool live, finished;
	char link[40];                 /* live: "" when up, else "link down", ... */
	bool gone;                     /* live: the interface disappeared (link says so) */
	char stopped[512];             /* what ended the capture early ("" none): a read
					* error, a damaged file, a lost interface */
	int linktype;
	int workers;
	uint64_t packets, bytes;
	uint64_t last_packet_us;       /* live: time of the newest packet */
	uint64_t kernel_drops, internal_drops;
	uint64_t decode_errors;        /* truncated or invalid frames */
	uint64_t unparsed;             /* frames counted into no connection (tracker_unparsed) */
	uint64_t flows, flows_created, flows_evicted;
	uint64_t closed_listed;        /* closed connections still listed for the reader */
	uint64_t closed_cut;           /* ... dropped early to stay within the connection cap */
	uint64_t flows_peak;           /* sum of the workers' peaks: an upper bound */
	struct capture_trouble drops;  /* kernel and internal drops, when they grew */
	struct capture_trouble link_downs; /* the link went down, lost its carrier or its interface */
};

int engine_open(struct engine **out, const struct engine_opts *o, struct wt_err *err);
/* Set the row hooks (see engine_opts) before engine_start. */
void engine_set_hooks(struct engine *e, bool (*row_filter)(void *, const struct conn_row *, uint64_t),
		      void (*row_join)(void *, struct conn_row *), void *ctx);
/* Set the event hook (see engine_opts) before engine_start. */
void engine_set_events(struct engine *e,
		       void (*fn)(void *, enum conn_event, const struct conn_row *, int, int, uint64_t),
		       void *ctx, uint64_t active_every_us);
/* A new cadence of CONN_EVENT_ACTIVE (SIGHUP); any thread. */
void engine_set_report_every(struct engine *e, uint64_t active_every_us);
/* Set the frame tap (see engine_opts) before engine_start. */
void engine_set_tap(struct engine *e,
		    void (*fn)(void *, uint64_t, const uint8_t *, uint32_t, uint32_t, int, bool), void *ctx);
int engine_start(struct engine *e, struct wt_err *err);
/* Ask everything to wind down (signal-safe: only sets a flag). */
void engine_stop(struct engine *e);
bool engine_finished(struct engine *e);
/* The first error writing JSON records (an errno value; EPIPE: the reader
 * went away), or 0. Records after it are lost, so the run should end.
 * Any thread. */
int engine_output_error(struct engine *e);
/* Join all threads. Returns 0, with a warning in warn for a damaged
 * capture file (empty when none); -1 when a live capture ended by an error
 * (the interface disappeared with exit_when_gone, a read failed), with
 * the message in warn. */
int engine_wait(struct engine *e, char *warn, size_t warncap);
void engine_free(struct engine *e);

/* Every worker's rows as of now (each worker is asked and waited for, a
 * quarter second at most); caller frees it. */
struct snapshot *engine_snapshot(struct engine *e);
/* True while a worker has yet to publish the rows engine_snapshot asked
 * for last (it gave up waiting and returned the ones published before). */
bool engine_rows_late(struct engine *e);
/* Every worker's rows as published last, without asking anew: what a late
 * answer brought, once engine_rows_late says it is in; caller frees it. */
struct snapshot *engine_rows(struct engine *e);
/* Live: closed connections stay listed (within the connection cap) until
 * this is turned off again, rather than for linger_ms; any thread. */
void engine_keep_closed(struct engine *e, bool on);
void engine_status(struct engine *e, struct engine_status *st);

#endif
