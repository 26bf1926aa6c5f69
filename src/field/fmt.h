/* fmt.h - numbers, times and endpoints as the UI shows them. Pure: the
 * field table's display text and the terminal views both use these.
 */
#ifndef WT_FIELD_FMT_H
#define WT_FIELD_FMT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "flow/row.h"

/* 999B 12.3k 4.5M 1.2G (x1000, the filter language's units). */
void fmt_bytes(char *buf, size_t cap, double v);
/* 999 12.3k 4.5M: fmt_bytes without the B. */
void fmt_count(char *buf, size_t cap, double v);
/* fmt_bytes plus "/s"; "-" for 0. */
void fmt_rate(char *buf, size_t cap, double v);
/* 850ms 12.3s 4m05s 2h03m 3d04h */
void fmt_duration(char *buf, size_t cap, double seconds);
/* "host:port", "[v6]:port", or without a port; service names instead of
 * numbers unless numeric. */
void fmt_endpoint(char *buf, size_t cap, const char *host, bool v6, const struct conn_row *r,
		  uint16_t port, bool numeric);
/* Local-time clock of a microsecond timestamp: "2024-01-02 15:04:05.123". */
void fmt_time(char *buf, size_t cap, uint64_t us);

#endif
