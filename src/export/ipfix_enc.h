/* ipfix_enc.h - IPFIX messages (RFC 7011) carrying biflows (RFC 5103).
 *
 * Pure encoding into a caller's buffer: no I/O, no clock. One template
 * for IPv4 and one for IPv6 flows (IPFIX_TEMPLATE_V4/V6), each with the
 * standard elements of RFC 7012 (addresses, ports, protocol, start/end
 * milliseconds, end reason, biflowDirection), the forward counts as
 * octetDeltaCount/packetDeltaCount and the reverse ones as the same
 * elements under the reverse enterprise number 29305 (RFC 5103), then
 * wiretop's own elements under a configurable enterprise number
 * (docs/FLEET.md lists them).
 */
#ifndef WT_EXPORT_IPFIX_ENC_H
#define WT_EXPORT_IPFIX_ENC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define IPFIX_VERSION 10
#define IPFIX_TEMPLATE_V4 256
#define IPFIX_TEMPLATE_V6 257
#define IPFIX_REVERSE_PEN 29305u
/* The enterprise number RFC 5612 reserves for documentation: a default
 * that collides with nobody; set your own with --ipfix-pen. */
#define IPFIX_DEFAULT_PEN 32473u
/* Keeps a message in one unfragmented UDP datagram on any usual path
 * (RFC 7011 10.3.3). */
#define IPFIX_UDP_MESSAGE_MAX 1400
#define IPFIX_MESSAGE_MAX 65535

/* flowEndReason (RFC 7012, element 136). */
enum ipfix_end_reason {
	IPFIX_END_IDLE = 1,
	IPFIX_END_ACTIVE = 2,
	IPFIX_END_DETECTED = 3,   /* FIN/RST seen, or a reused 5-tuple */
	IPFIX_END_FORCED = 4,     /* shutdown, end of the capture */
	IPFIX_END_RESOURCES = 5,  /* evicted by the connection cap */
};

/* wiretop's enterprise-specific elements (under the configured number). */
enum ipfix_wt_element {
	IPFIX_WT_PROCESS_NAME = 1,
	IPFIX_WT_PROCESS_ID = 2,
	IPFIX_WT_USER_NAME = 3,
	IPFIX_WT_UNIT = 4,
	IPFIX_WT_CONTAINER = 5,
	IPFIX_WT_APPLICATION = 6,
	IPFIX_WT_TLS_SNI = 7,
	IPFIX_WT_HTTP_HOST = 8,
};

/* One biflow record. Strings may be NULL (sent as empty). */
struct ipfix_flow {
	uint8_t family;               /* 4 or 6 */
	uint8_t src[16], dst[16];     /* initiator / responder */
	uint16_t sport, dport;
	uint8_t proto;
	uint8_t end_reason;           /* enum ipfix_end_reason */
	uint64_t start_ms, end_ms;    /* since the epoch */
	uint64_t octets[2], packets[2]; /* [0] initiator->responder, [1] reverse */
	uint32_t pid;                 /* 0 unknown */
	const char *process, *user, *unit, *container, *app, *sni, *http_host;
};

/* A message being built in buf (at least `limit` bytes). */
struct ipfix_msg {
	uint8_t *buf;
	size_t len, limit;
	size_t set_at;                /* offset of the open set's header; 0 = none */
	uint16_t set_id;
	uint32_t records;             /* data records in this message */
};

void ipfix_msg_begin(struct ipfix_msg *m, uint8_t *buf, size_t limit);
/* Both templates in one template set. Returns false when they do not fit. */
bool ipfix_msg_templates(struct ipfix_msg *m, uint32_t pen);
/* One data record; false when it does not fit (the message is unchanged). */
bool ipfix_msg_flow(struct ipfix_msg *m, const struct ipfix_flow *f);
/* Close the open set and write the header. Returns the message length. */
size_t ipfix_msg_end(struct ipfix_msg *m, uint32_t export_time_s, uint32_t sequence, uint32_t domain);

#endif
