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

/* Text form of an address (RFC 5952 for IPv6) into buf (>= 46 bytes). */
const char *addr_to_text(uint8_t family, const uint8_t addr[16], char *buf, size_t cap);

#endif
