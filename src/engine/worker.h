/* worker.h - one shard of the packet path (see engine.h for the design).
 * Internal to src/engine/. */
#ifndef WT_ENGINE_WORKER_H
#define WT_ENGINE_WORKER_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/outbuf.h"
#include "base/spsc.h"
#include "decode/pkt.h"
#include "dissect/dpi.h"
#include "flow/row.h"
#include "flow/tracker.h"

struct engine_opts;
struct local_set;
struct names;
struct neighbours;
struct expect_table;

/* What every worker shares with the others. */
struct worker_shared {
	struct names *names;          /* passive DNS */
	struct neighbours *neighbours; /* passive ARP and neighbour discovery */
	struct expect_table *expect;  /* announced connections (FTP data); NULL without DPI */
	struct end_gate *at_end;      /* NULL with one worker */
	_Atomic bool *keep_closed;    /* the reader asks that closed rows stay (engine_keep_closed) */
};

/* Several workers: each waits here at the end of the input until all
 * have read their packets (or END_GATE_WAIT_MS passed: a worker that
 * never hears of the end must not hold the others), so a connection
 * announced on one is known when another reports its last rows, and a
 * DNS answer read by one names the connections of all. */
struct end_gate {
	pthread_mutex_t mu;
	pthread_cond_t all_in;
	int arrived, workers;
};
#define END_GATE_WAIT_MS 2000

void end_gate_init(struct end_gate *g, int workers);
void end_gate_fini(struct end_gate *g);
void end_gate_pass(struct end_gate *g);

/* Record types in a worker's ring. */
enum rec_type {
	REC_FRAME = 1, /* struct frame_rec, then the captured bytes */
	REC_FRAME_REF, /* struct frame_rec, then a pointer to the bytes in a file window */
	REC_TICK,    /* struct time_rec: the clock moved on */
	REC_ROWS,    /* struct time_rec: a tick, then publish rows and answer request `seq` */
	REC_END,     /* struct time_rec: flush and exit */
	REC_LOCALS,  /* a struct local_set *, one reference for the worker: new local addresses */
};

struct time_rec {
	uint64_t now_us;
	uint64_t seq;  /* REC_ROWS: the reader's request number */
};

/* A captured frame in a ring; the worker decodes it. */
struct frame_rec {
	uint64_t ts_us;
	uint32_t caplen, wirelen;
	int32_t linktype;
	uint32_t flags;  /* FRAME_* */
};

enum {
	/* An ICMP error handed to the worker of the connection it quotes,
	 * which only notes it there: its own worker counts the frame. */
	FRAME_QUOTE_ONLY = 1,
};

/* Shared by all workers: where JSON goes. The first write error (an
 * errno value) stays in `error`; records after it are dropped unwritten. */
struct json_out {
	pthread_mutex_t mu;
	int fd;
	_Atomic int error;
};

/* Shared by all workers and the reader: workers broadcast on cv (under mu)
 * each time they answer a request for rows or finish. */
struct rows_signal {
	pthread_mutex_t mu;
	pthread_cond_t cv;
};

/* Rows of retired connections kept for the reader a while: first in,
 * first out (each lingers equally long), rows[head .. n) of `rows`. */
struct closed_rows {
	struct snapshot *rows;
	uint32_t head;
};

struct worker {
	int index;
	const struct engine_opts *opts;
	struct json_out *out;
	struct names *names;           /* shared passive DNS */
	struct neighbours *neighbours; /* shared: who is on the link */
	struct end_gate *at_end;       /* see struct worker_shared */
	pthread_t thread;
	struct spsc *ring;
	struct tracker *tracker;
	struct local_set *locals;      /* the addresses the tracker looks at (a reference) */
	struct dpi_env dpi_env;
	size_t dpi_buffered;
	struct outbuf json;
	struct closed_rows closed;     /* retired connections still listed (UI) */
	_Atomic bool *keep_closed;     /* see struct worker_shared */
	struct rows_signal *rows_signal;
	uint64_t last_active_us;       /* data clock of the last CONN_EVENT_ACTIVE walk */
	pthread_mutex_t mu;            /* guards `published` and `building` */
	pthread_cond_t built;          /* `building` ended */
	struct snapshot *published;    /* NULL while the next is being built */
	bool building;
	_Atomic bool done;
	_Atomic uint64_t rows_answered; /* the last request for rows published */
	_Atomic uint64_t flows;        /* tracked now, for the status bar */
	_Atomic uint64_t closed_listed; /* closed rows listed now */
	_Atomic uint64_t closed_cut;   /* closed rows dropped early to stay within the cap */
	_Atomic uint64_t flows_created, flows_evicted, flows_peak;
	_Atomic uint64_t decode_errors; /* truncated or invalid frames */
	_Atomic uint64_t unparsed;     /* frames counted into no connection */
};

struct worker *worker_new(int index, const struct engine_opts *o, struct json_out *out,
			  struct rows_signal *rows_signal, const struct worker_shared *shared,
			  struct local_set *locals, size_t ring_bytes);
int worker_start(struct worker *w);
void worker_join(struct worker *w);
void worker_free(struct worker *w);

/* These wait while the worker builds its next rows (a bounded copy of its
 * shard: the old rows are let go before the new are made). */
/* Rows in the worker's latest published snapshot (reader thread). */
uint32_t worker_row_count(struct worker *w);
/* A view of the worker's latest published rows, or NULL if none yet. */
struct snapshot *worker_share_rows(struct worker *w);
/* Copy the worker's latest published rows into s (reader thread). */
void worker_copy_rows(struct worker *w, struct snapshot *s);

#endif
