/* names.h - the passive "address -> name" map shared by all workers.
 *
 * DESIGN: DNS answers are seen by whichever worker owns the DNS flow, but
 * the connection to the resolved address may live on another, so the map
 * is shared behind a mutex. Inserts happen once per DNS answer and lookups
 * once per published row, never per packet. */
#ifndef WT_ENGINE_NAMES_H
#define WT_ENGINE_NAMES_H

#include <stddef.h>
#include <stdint.h>

#include "dissect/dpi.h"
#include "flow/row.h"

struct names;
struct resolver;

/* resolver: reverse lookups for addresses without another name (live);
 * NULL: none. Borrowed: it outlives the names. */
struct names *names_new(size_t capacity, struct resolver *resolver);
void names_free(struct names *n);
/* Matches struct dpi_env.dns_answer; opaque is the struct names. */
void names_on_dns_answer(void *opaque, const struct dns_answer *a);
/* Fill r->peer_name from the remote endpoint's address: the latest answer
 * for it that held when the connection opened (its TTL respected); with a
 * resolver, when neither an answer nor the connection's own SNI or Host
 * names it, its PTR name (or a lookup starts, for a later row). */
void names_fill_row(struct names *n, struct conn_row *r);

#endif
