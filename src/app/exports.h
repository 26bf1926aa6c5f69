/* exports.h - the exporters the options ask for (src/export/), wired to
 * the engine's connection events and to attribution. */
#ifndef WT_APP_EXPORTS_H
#define WT_APP_EXPORTS_H

#include <stdint.h>

#include "base/err.h"
#include "cli/options.h"

struct attr;
struct engine;
struct export_hub;

/* Opens every exporter asked for (sockets, files: before the sandbox) and
 * hooks them to the engine. *hub stays NULL when none is. */
int app_exports_open(struct export_hub **hub, const struct options *o, struct engine *e,
		     struct attr *attr, struct wt_err *err);

#endif
