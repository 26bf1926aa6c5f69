/* listening.h - `wiretop --listening [--json]`: the machine's listening TCP
 * and bound UDP sockets, each with its process, then exit. Main thread.
 */
#ifndef WT_APP_LISTENING_H
#define WT_APP_LISTENING_H

#include <stdio.h>

#include "cli/options.h"

/* Writes one line per socket to out (a listening record per line with
 * o->json, else a table), and to err what was not visible without
 * privilege. Returns the exit status: 0, or 1 when nothing could be read. */
int listening_run(const struct options *o, FILE *out, FILE *err);

#endif
