/* expect.h - connections announced before they are opened: the data
 * connections FTP control connections set up (PASV, EPSV, PORT, EPRT),
 * shared by all workers.
 *
 * DESIGN: the control connection and its data connection hash to any
 * workers, so the table is shared behind a mutex, like the passive DNS
 * map (names.h). An announcement is inserted once per PASV / PORT; a
 * lookup is made when a connection is created and when it retires, and
 * skips the lock until the first announcement. Memory is fixed at
 * creation: EXPECT_WAYS entries per set chosen by a hash of where the
 * connection goes; a new announcement replaces the same one or the
 * oldest of its set, so a flood of PORT commands only evicts. An entry
 * matches connections that begin within EXPECT_TTL_US of it. */
#ifndef WT_ENGINE_EXPECT_H
#define WT_ENGINE_EXPECT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/clock.h"
#include "dissect/dpi.h"

#define EXPECT_WAYS 4
#define EXPECT_TTL_US (300 * US_PER_SEC) /* as Linux's FTP conntrack helper waits */
#define EXPECT_EARLY_US US_PER_SEC /* a capture may show the SYN just before the reply */

struct expect_table;

/* A table of at least `capacity` entries (0: 1024). */
struct expect_table *expect_new(size_t capacity);
void expect_free(struct expect_table *t);

/* Matches struct dpi_env.announce; ctx is the table. */
void expect_announce(void *ctx, const struct dpi_expect *e);
/* Matches struct dpi_env.expected: the newest announcement of a
 * connection like conn, begun at first_us, into *out. */
bool expect_find(void *ctx, const struct dpi_ends *conn, uint64_t first_us, struct dpi_expect *out);

#endif
