/* history.h - traffic over time for the Graph view and Details: the
 * interface's received and sent bytes per second and packets per second,
 * one sample per refresh in fixed rings (no growth however long it runs),
 * the top talkers by process and by application, and the own rates of
 * the connections on screen (and the selected one) since they came into
 * view, for Details. Pure data: no curses.
 */
#ifndef WT_TUI_HISTORY_H
#define WT_TUI_HISTORY_H

#include <stdbool.h>
#include <stdint.h>

#include "flow/row.h"

/* Samples kept: over four minutes at the default refresh of a second. */
#define HISTORY_LEN 256
#define TALKERS_MAX 5
/* Connections with rates of their own kept: a screenful and more. */
#define CONN_HISTORY_MAX 128
#define TALKER_NAME_MAX 32

struct series {
	float v[HISTORY_LEN];
	uint32_t head, n;       /* next slot; samples held */
};

struct talker {
	char name[TALKER_NAME_MAX];
	double rate;            /* bytes per second, both ways */
	uint32_t conns;
};

struct conn_history {
	uint64_t id;            /* 0: a free slot */
	uint64_t sample;        /* the sample it was last given */
	struct series rx, tx;
};

/* A name -> (rate, connections) table, reused from sample to sample. */
struct tally {
	struct tally_slot *slot;
	uint32_t cap, used;
};

struct history {
	struct series rx, tx, pps;
	uint64_t sampled_at;    /* the data clock of the last sample */
	struct talker by_proc[TALKERS_MAX], by_app[TALKERS_MAX];
	int nproc, napp;
	struct tally tally;
	uint64_t samples;       /* taken so far */
	struct conn_history *conns; /* CONN_HISTORY_MAX, made at the first use */
};

void series_push(struct series *s, float v);
/* The sample age refreshes ago (0 the newest); 0 past what is held. */
float series_at(const struct series *s, uint32_t age);
/* The largest of the newest n samples. */
float series_max(const struct series *s, uint32_t n);

void history_init(struct history *h);
void history_fini(struct history *h);
/* One sample of the interface from snapshot s (every row, the filter
 * aside) and the packets per second the status bar shows; a snapshot of
 * the same data time as the last is not sampled again (false). */
bool history_sample(struct history *h, const struct snapshot *s, double pps);
/* The top talkers of s by process and by application (it reads every
 * row: made while the Graph view shows). */
void history_talkers(struct history *h, const struct snapshot *s);
/* The rates of these connections (those on screen), once per sample: one
 * seen for the first time takes the slot of the one longest out of view. */
void history_follow(struct history *h, const struct conn_row *const *rows, int n);
/* The connection's own rates, or NULL when it has not been followed. */
const struct conn_history *history_of(const struct history *h, uint64_t id);

#endif
