/* conntab.h - what the export hub remembers of each open connection: was
 * it announced, what each exporter has been told so far (to send deltas),
 * and its latest row (to close it when its retirement never arrives).
 * Keyed by (shard, connection id); single-threaded. */
#ifndef WT_EXPORT_CONNTAB_H
#define WT_EXPORT_CONNTAB_H

#include <stdbool.h>
#include <stdint.h>

#include "flow/row.h"

#define CONNTAB_SINKS 4

struct conn_mark {
	uint64_t at_us;               /* data clock of the last record; 0 none yet */
	uint64_t packets[2], bytes[2], ip_bytes[2];
};

struct conn_state {
	uint64_t key;                 /* 0: empty slot */
	uint64_t seen_wall_us;        /* when the hub first heard of it */
	bool announced;               /* EXPORT_OPEN delivered */
	bool lost;                    /* closed by the hub: its retirement never came */
	uint64_t forget_us;           /* lost: data clock at which the state goes */
	struct conn_row *last;        /* the newest row heard of; owned; NULL once lost */
	struct conn_mark mark[CONNTAB_SINKS];
};

struct conntab;

struct conntab *conntab_new(void);
void conntab_free(struct conntab *t);
/* The state of key (never 0), created zeroed when absent. */
struct conn_state *conntab_get(struct conntab *t, uint64_t key, bool *created);
struct conn_state *conntab_find(struct conntab *t, uint64_t key);
/* Replace s's row by r, taking r's strings (r is left owning nothing). */
void conntab_keep_row(struct conn_state *s, struct conn_row *r);
void conntab_drop_row(struct conn_state *s);
/* Removes s and frees its row. */
void conntab_remove(struct conntab *t, struct conn_state *s);
uint32_t conntab_count(const struct conntab *t);
/* Visit every state (none may be added or removed meanwhile). */
void conntab_each(struct conntab *t, void (*fn)(struct conn_state *s, void *arg), void *arg);

#endif
