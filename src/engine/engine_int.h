/* engine_int.h - the engine's state, shared by engine.c (set-up, reader
 * calls) and reader.c (the capture thread). Internal to src/engine/. */
#ifndef WT_ENGINE_ENGINE_INT_H
#define WT_ENGINE_ENGINE_INT_H

#include <pthread.h>
#include <stdatomic.h>

#include "engine/engine.h"
#include "engine/locals.h"
#include "engine/worker.h"

#define MAX_WORKERS 64

struct engine {
	struct engine_opts opts;
	struct capture *cap;
	struct json_out out;
	struct rows_signal rows_signal;
	struct names *names;           /* passive DNS */
	struct neighbours *neighbours; /* passive ARP and neighbour discovery */
	struct expect_table *expect;   /* announced connections; NULL without DPI */
	struct end_gate at_end;        /* initialised when nworkers > 1 */
	struct worker *workers[MAX_WORKERS];
	int nworkers;
	struct local_set *locals;      /* the addresses the workers were given (capture thread after start) */
	/* A change seen but not yet handed over: it applies to frames from
	 * locals_since_us on, and earlier frames may still be in the kernel's
	 * block (see reader.c, watch_addrs). NULL when none. */
	struct local_set *locals_pending;
	uint64_t locals_since_us;
	int addr_watch;                /* told of address changes (live); -1 none */
	pthread_t capture_thread;
	bool started;
	_Atomic bool stop;
	_Atomic bool keep_closed;      /* engine_keep_closed */
	_Atomic uint64_t packets, bytes, internal_drops, kernel_drops;
	_Atomic uint64_t last_packet_us;
	_Atomic int link;              /* enum capture_link */
	/* live: when drops grew and the link went away (wall clock, first and
	 * last), and how often the link went away; written by the capture thread */
	_Atomic uint64_t drops_first_us, drops_last_us;
	_Atomic uint64_t link_downs, link_first_down_us, link_last_down_us;
	/* Requests for rows: the reader bumps rows_wanted; the capture thread
	 * sends REC_ROWS when it differs from rows_sent. */
	_Atomic uint64_t rows_wanted;
	/* capture thread only */
	uint64_t rows_sent;
	uint64_t drops_seen;           /* kernel + internal drops at the last look */
	uint64_t last_tick_us, next_link_us;
	unsigned unpublished[MAX_WORKERS];
	uint64_t woken_at[MAX_WORKERS]; /* ring position at the last wake-up (live) */
	/* Zero-copy reading of a capture file: frames are passed by pointer
	 * into the file's windows; window_tail records, per window, each
	 * ring's position after its last frame, so a window is filled again
	 * only once every worker has read past it. */
	bool by_ref;
	uint32_t cur_window;
	uint64_t window_tail[CAPTURE_WINDOWS][MAX_WORKERS];
	/* written by the capture thread once, before it ends; read after the
	 * join, or while it runs once warned says it is written */
	char warning[512];
	_Atomic bool warned;
	bool failed;                   /* live capture ended by an error: warning says which */
};

/* reader.c: the capture thread's body, and the gate of the file's windows. */
void *engine_reader_main(void *arg);
bool engine_window_released(void *ctx, uint32_t window);

#endif
