/* health.h - what the Health view lists: the findings (output/findings.h)
 * of the rows the UI holds, worst first, and the filter that shows the
 * connections behind one of them in the overview. No curses here: the
 * view (view_health.c) draws what this holds.
 */
#ifndef WT_TUI_HEALTH_H
#define WT_TUI_HEALTH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "flow/row.h"
#include "output/findings.h"

struct health {
	struct findings_opts opts;
	struct findings *fs;         /* of the last snapshot built from; NULL before */
	const struct finding **list; /* worst severity first */
	size_t n, cap;
	uint32_t rows;               /* connections they were made of */
	uint32_t sel, top;           /* selected and first shown line */
};

/* o: the thresholds (the --findings-* options). */
void health_init(struct health *h, const struct findings_opts *o);
void health_fini(struct health *h);
/* The findings of every row of s, as if each ended at s->now_us (a SYN
 * still waiting counts once it has waited as long as --findings would
 * wait); the selection stays on the same line number. */
void health_build(struct health *h, const struct snapshot *s);
const struct finding *health_selected(const struct health *h);
/* Select line pos (clamped) and keep it inside a window of page lines. */
void health_select(struct health *h, int64_t pos, int page);

/* What f is about, for a line: "TCP 10.2.0.10:80", "ICMP 10.2.0.13 >
 * 10.1.0.2", "DNS nx.example.com". */
void health_about(const struct finding *f, char *buf, size_t cap);
/* A filter expression (query/query.h) that selects f's connections by
 * their addresses and ports, into buf of cap bytes. *exact is false when
 * it selects every connection of f's subject instead: f counts more
 * connections than it lists, or listing them would not fit in cap. */
void health_filter(const struct finding *f, char *buf, size_t cap, bool *exact);

#endif
