/* macs.h - the hardware addresses a tracker's connections' local ends
 * used, each held once and named by a small number, so that a flow keeps
 * its local end's MAC in two bytes (struct flow is paid per connection)
 * and a row takes its text as a pooled reference, never formatted anew.
 *
 * DESIGN: owned by one tracker and called only on its worker's thread;
 * the references macs_row_lan hands out are strpool ones, readable and
 * given up from any thread, and outlive the set.
 *
 * Bounded: at most MACS_MAX addresses; a new one beyond that gets
 * MACS_NONE (a flood of forged source addresses only fills the set).
 */
#ifndef WT_FLOW_MACS_H
#define WT_FLOW_MACS_H

#include <stdint.h>

#define MACS_MAX 65534u
#define MACS_NONE 0xffffu /* in a flow: no address to be had (0: none seen yet) */

struct macs;

struct macs *macs_new(void);
void macs_free(struct macs *m);
/* The number (1 to MACS_MAX) of mac, added when new; MACS_NONE when the
 * set is full. */
uint16_t macs_intern(struct macs *m, const uint8_t mac[6]);
/* A new reference to a row's lan parts (flow/row.h) holding number i's
 * text as ROW_LAN_LOCAL_MAC and nothing else; NULL for 0 and MACS_NONE. */
const char *macs_row_lan(const struct macs *m, uint16_t i);

#endif
