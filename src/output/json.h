/* json.h - headless connection records, one JSON object per line
 * (contract v1: see docs/JSON.md). Pure formatting: no I/O here. */
#ifndef WT_OUTPUT_JSON_H
#define WT_OUTPUT_JSON_H

#include <stdbool.h>

#include "base/outbuf.h"
#include "flow/row.h"

/* Append one record and a newline. with_proc adds pid/process/user when
 * the row has an owner (live mode). */
void json_write_row(struct outbuf *o, const struct conn_row *r, bool with_proc);
/* Append one connection event (the event log): "event" ("open", "update"
 * or "close") and "ts" (seconds) first, for "close" also "duration"
 * (last_seen - first_seen), then the keys of a record. */
void json_write_event(struct outbuf *o, const char *event, uint64_t ts_us, const struct conn_row *r,
		      bool with_proc);
/* Append s (a stored string: base/sanitize.h's escapes) as a JSON string,
 * quotes included, as the records write their strings. */
void json_put_string(struct outbuf *o, const char *s);
/* Append a time in microseconds as the records write theirs: epoch
 * seconds with six decimals. */
void json_put_time(struct outbuf *o, uint64_t us);

#endif
