/* reload.h - SIGHUP for a daemon: read the command line and its --config
 * again, apply the settings that can change while running (exporters'
 * intervals, rotation sizes, the metrics' label cap), and say which
 * changed ones wait for a restart. */
#ifndef WT_APP_RELOAD_H
#define WT_APP_RELOAD_H

#include "app/exports.h"
#include "base/log.h"
#include "cli/options.h"

/* running: the settings in effect, updated with those applied. Strings
 * keep pointing where they did: only numbers are applied. */
void app_reload(struct options *running, struct app_exports *x, struct wtlog *log);

#endif
