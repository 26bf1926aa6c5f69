/* hooks.h - the glue between the engine and its companions: the --filter
 * query, process attribution and the UI's data source. */
#ifndef WT_APP_HOOKS_H
#define WT_APP_HOOKS_H

#include <stdbool.h>
#include <stdint.h>

#include "flow/row.h"

struct query;
struct attr;
struct engine;
struct tui_source;
struct app_exports;

struct app_hooks {
	const struct query *filter; /* may be NULL */
	struct attr *attr;          /* may be NULL */
	struct engine *engine;
	struct app_exports *exports;  /* their drops for the status bar */
	char security[96];          /* privileges and confinement in force */
};

void app_hooks_init(struct app_hooks *h, const struct query *filter, struct attr *attr);
/* engine_opts.row_filter: keep rows matching --filter. Any worker thread. */
bool app_hook_filter(void *ctx, const struct conn_row *r, uint64_t now_us);
/* engine_opts.row_join: fill r->proc, r->peer and r->proc_side from
 * attribution. Any thread. */
void app_hook_join(void *ctx, struct conn_row *r);
/* A UI data source reading the engine's snapshots. */
void app_tui_source(struct app_hooks *h, struct engine *e, struct tui_source *src);

#endif
