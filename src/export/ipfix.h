/* ipfix.h - the IPFIX exporter (--ipfix): connection records to a
 * collector over UDP or TCP (RFC 7011), as biflows (RFC 5103).
 *
 * DESIGN: opened on the main thread before the sandbox (the socket is
 * connected then); afterwards called only by the export hub's thread
 * (sink.h). Over UDP each message fits one datagram and the templates
 * go out first and again every template refresh interval; over TCP they
 * go once, at the start of the stream. A record that cannot be sent is
 * counted as dropped.
 */
#ifndef WT_EXPORT_IPFIX_H
#define WT_EXPORT_IPFIX_H

#include <stdint.h>

#include "base/err.h"
#include "export/sink.h"

struct ipfix_opts {
	const char *target;           /* HOST:PORT, udp://HOST:PORT or tcp://HOST:PORT */
	uint32_t pen;                 /* enterprise number of wiretop's elements */
	uint32_t domain;              /* observation domain id */
	uint64_t active_us;           /* a long connection is reported this often */
	uint64_t template_refresh_us; /* UDP: templates again this often */
};

int ipfix_exporter_open(struct export_sink *out, const struct ipfix_opts *o, struct wt_err *err);

#endif
