/* dns_name.h - DNS domain name decoding with message compression
 * (RFC 1035 sections 3.1, 4.1.4).
 *
 * Names come from untrusted messages, so decoding is strict and bounded:
 * every compression pointer must point before the start of the label run
 * it interrupts (so offsets strictly decrease and loops are impossible),
 * at most DNS_NAME_MAX_PTRS pointers are followed, labels are at most 63
 * bytes, the wire form is at most 255 bytes, and the reserved label types
 * 0x40 / 0x80 are rejected.
 */
#ifndef WT_DISSECT_DNS_NAME_H
#define WT_DISSECT_DNS_NAME_H

#include <stddef.h>
#include <stdint.h>

#include "base/rd.h"

#define DNS_NAME_WIRE_MAX 255 /* RFC 1035 2.3.4, length octets included */
#define DNS_NAME_TEXT_MAX 253 /* dotted text without the trailing dot */
#define DNS_NAME_MAX_PTRS 64

enum dns_name_err {
	DNS_NAME_OK = 0,
	DNS_NAME_TRUNCATED,  /* the message ends inside the name */
	DNS_NAME_BAD_LABEL,  /* label type 0x40 or 0x80 (a length above 63) */
	DNS_NAME_TOO_LONG,   /* wire form longer than 255 bytes */
	DNS_NAME_BAD_POINTER, /* forward or self pointer, or too many pointers */
};

/* A decoded name: label bytes joined by '.', no trailing dot, raw (labels
 * may hold any byte; sanitize before showing). The root name is "". */
struct dns_name {
	uint8_t len;
	char text[DNS_NAME_TEXT_MAX + 1]; /* NUL-terminated */
	uint8_t labels;
};

/* Decode the name at msg's current position. `msg` must read the whole
 * DNS message (offset 0 = the header's first byte) because compression
 * pointers are message offsets. On success msg moves past the name (past
 * the first pointer, if any); on failure msg's error flag is set. */
enum dns_name_err dns_name_read(struct rd *msg, struct dns_name *out);

/* Skip the name at msg's position without decoding it (same checks). */
enum dns_name_err dns_name_skip(struct rd *msg);

/* Case-insensitive (ASCII) comparison of two decoded names. */
int dns_name_equal(const struct dns_name *a, const struct dns_name *b);

#endif
