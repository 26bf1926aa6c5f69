/* findings.h - --findings: the final row of every connection, from the
 * export hub's thread, gathered by output/findings.h and written to stdout
 * as JSON lines once the run ends. */
#ifndef WT_APP_FINDINGS_H
#define WT_APP_FINDINGS_H

#include "cli/options.h"
#include "engine/engine.h"
#include "export/sink.h"
#include "output/findings.h"

struct query;
struct app_findings;

/* The thresholds the --findings-* options set (the Health view's too). */
struct findings_opts app_findings_opts(const struct options *o);
/* Gathers the connections filter matches (NULL: all); filter is borrowed. */
struct app_findings *app_findings_new(const struct options *o, const struct query *filter);
void app_findings_free(struct app_findings *af);
/* The exporter that feeds af (the hub calls it; af outlives the hub). */
void app_findings_sink(struct app_findings *af, struct export_sink *s);
/* The capture's own troubles at the end of a live run: drops (kernel and
 * internal), export drops, and the link going away. */
void app_findings_capture(struct app_findings *af, const struct engine_status *st, uint64_t export_drops);
/* Write every finding to fd, after the hub has stopped. Returns 0 or an
 * errno value. */
int app_findings_write(struct app_findings *af, int fd);

#endif
