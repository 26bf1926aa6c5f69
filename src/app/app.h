/* app.h - wiring: builds the engine and its companions from the options,
 * runs the chosen front end (UI or JSON), and tears down in reverse. */
#ifndef WT_APP_APP_H
#define WT_APP_APP_H

#include <stdint.h>

#include "cli/options.h"

/* start_us: CLOCK_MONOTONIC when the program started (--trace-ui counts
 * from there). Returns the process exit status. */
int app_run(const struct options *o, uint64_t start_us);

#endif
