/* group.h - the overview grouped by process, application or container:
 * one line per group (its connections, the sums of their rates and their
 * bytes) over the rows that pass the filter, and under each group opened
 * its connections in the overview's order. Made again only when the
 * model's rows, filter or sort changed (model.gen), in one pass over them
 * with a hash table; the arrays grow to the largest snapshot seen and are
 * reused. Pure data: no curses.
 */
#ifndef WT_TUI_GROUP_H
#define WT_TUI_GROUP_H

#include <stdbool.h>
#include <stdint.h>

#include "tui/model.h"

/* In the order `a` cycles through them. */
enum group_by { GROUP_NONE, GROUP_PROCESS, GROUP_APP, GROUP_CONTAINER, GROUP_BY_COUNT };

#define GROUP_NAME_MAX 64
#define GROUP_OPEN_MAX 32      /* groups held open at once; the oldest closes first */
#define GROUP_HEAD UINT32_MAX  /* a line that is the group itself */

struct group {
	char name[GROUP_NAME_MAX];
	uint64_t hash;             /* of name: what the open set and the selection keep */
	uint32_t conns;
	double rx, tx;             /* bytes per second, the local side's view, summed */
	uint64_t bytes;            /* both ways */
	uint32_t first, last;      /* its connections: positions in the model's order */
	bool open;
	/* while made: the key its rows share (see key_of in group.c) */
	const char *key_s;
	int32_t key_n;
	uint32_t key_hash;
	double rank, rank2;        /* what it is sorted by, bigger first */
	int8_t name_dir;           /* ties, and sorting by name: 1 A..Z, -1 Z..A */
};

struct group_slot {
	uint32_t at;               /* group index + 1; 0 empty */
	uint32_t hash;             /* its key's hash: most probes need not read the group */
};

/* What the groups are sorted by (grouping.sorted_by): the busiest
 * (rate, then bytes) unless the overview's sort column is one a group's
 * line shows. */
enum group_sort { GROUP_SORT_BUSY, GROUP_SORT_NAME, GROUP_SORT_RX, GROUP_SORT_TX, GROUP_SORT_BYTES };

/* A line of the grouped overview: a group, or one of its connections. */
struct group_line {
	uint32_t group;            /* index into groups */
	uint32_t pos;              /* position in the model's order, or GROUP_HEAD */
};

struct grouping {
	enum group_by by;
	struct group *g;           /* in the order first met */
	uint32_t *order;           /* indices into g, in display order */
	uint32_t ng, gcap;
	struct group_slot *slot;   /* hash table of the groups' keys, at most half full */
	uint32_t slot_cap;
	uint32_t *next;            /* per position in the model's order: the next in its group */
	uint32_t next_cap;
	struct group_line *line;
	uint32_t nline, line_cap;
	uint64_t open[GROUP_OPEN_MAX]; /* name hashes of the groups opened, oldest first */
	uint32_t nopen;
	uint32_t sel, top;         /* selected and first shown line */
	uint64_t sel_group;        /* the selection, kept across remakes: its group's hash */
	uint64_t sel_row;          /* and its connection's id, 0 for the group line */
	enum group_sort sorted_by; /* at the last remake; the direction is the model's */
	uint64_t made_gen;         /* model.gen the lines were made from */
	bool stale;                /* the grouping or the open set changed */
};

void grouping_init(struct grouping *gr);
void grouping_fini(struct grouping *gr);
/* Groups by `by` from now on (GROUP_NONE: not at all). */
void grouping_set(struct grouping *gr, enum group_by by);
/* What the groups are of ("process"); "" for GROUP_NONE. */
const char *grouping_word(enum group_by by);
/* The group a row belongs to, as its line shows it: "firefox (4242)",
 * "TLS", "web-1"; "(unknown)" or "(none)" when the row has no such thing. */
void grouping_name(enum group_by by, const struct conn_row *r, char *buf, size_t cap);
/* Makes the groups and lines again when the model changed since (or the
 * grouping did); the selection stays on its group or connection. */
void grouping_update(struct grouping *gr, const struct model *m);
/* Selects line (clamped), scrolled into a window of page lines; a
 * connection line selects that connection in the model too. */
void grouping_select(struct grouping *gr, struct model *m, int64_t line, int page);
/* Keeps the selection inside a window of page lines. */
void grouping_scroll(struct grouping *gr, int page);
const struct group_line *grouping_selected(const struct grouping *gr);
/* The connections on the lines a page of page lines from the top shows,
 * at most cap, into out; returns how many. */
int grouping_rows_shown(const struct grouping *gr, const struct model *m, int page,
			const struct conn_row **out, int cap);
/* Opens or closes the selected line's group (on one of its connections:
 * closing selects the group). false when there was nothing to do. */
bool grouping_open(struct grouping *gr, struct model *m, bool open, int page);

#endif
