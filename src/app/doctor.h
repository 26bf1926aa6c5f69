/* doctor.h - `wiretop --doctor`: what this machine allows, and how to fix
 * what is missing; and the message for a start without privilege.
 * Main thread only.
 */
#ifndef WT_APP_DOCTOR_H
#define WT_APP_DOCTOR_H

#include <stdio.h>

#include "cli/options.h"

/* Runs every check and writes one line per check to out:
 *     ok       capture      eth0: frames can be captured
 *     missing  privilege    no CAP_NET_RAW: run with sudo, or ...
 * Returns the exit status: 0 when nothing is missing, 1 otherwise. */
int doctor_run(const struct options *o, FILE *out);

/* After a capture failed for lack of privilege: which capabilities this
 * process lacks and the two ways to get them (sudo, setcap). */
void doctor_explain_privilege(FILE *out);

#endif
