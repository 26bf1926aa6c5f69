/* exports.h - the exporters the options ask for (src/export/), wired to
 * the engine's connection events and frames, to attribution and, for the
 * metrics, to the engine's counters. */
#ifndef WT_APP_EXPORTS_H
#define WT_APP_EXPORTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/err.h"
#include "cli/options.h"

struct attr;
struct engine;
struct export_hub;
struct pcapng_writer;
struct app_findings;

struct app_exports {
	struct export_hub *hub;       /* event log, IPFIX, metrics; NULL when none */
	struct pcapng_writer *pcapng; /* NULL when off */
	struct engine *engine;
	struct app_findings *findings; /* --findings: fed by the hub; set before open, not owned */
};

/* Whether the options ask for any exporter. */
bool app_exports_wanted(const struct options *o);
/* Opens every exporter asked for (sockets, files: before the sandbox) and
 * hooks them to the engine. */
int app_exports_open(struct app_exports *x, const struct options *o, struct engine *e,
		     struct attr *attr, struct wt_err *err);
/* Their threads: before the engine starts. */
int app_exports_start(struct app_exports *x, struct wt_err *err);
/* SIGHUP: reopen the files. Any thread. */
void app_exports_reopen(struct app_exports *x);
/* SIGHUP: the settings of o that apply while running (rotation sizes,
 * intervals, the metrics' label cap); the caller says which others
 * changed. Main thread. */
void app_exports_retune(struct app_exports *x, const struct options *o);
/* Records and packets the exporters lost. Any thread. */
uint64_t app_exports_drops(struct app_exports *x);
bool app_exports_on(const struct app_exports *x);
/* Deliver what is queued and flush: after the engine's threads ended. */
void app_exports_stop(struct app_exports *x);
void app_exports_free(struct app_exports *x);

/* The folders the exporters write in after start-up (rotation, reopen):
 * at most max, into dirs. Returns how many. */
size_t app_exports_dirs(const struct options *o, char (*dirs)[4096], size_t max);

#endif
