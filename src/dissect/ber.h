/* ber.h - reading ASN.1 BER (X.690 section 8) through the bounded reader:
 * the encoding of SNMP and LDAP messages. Definite lengths only; an
 * element that does not fit its parent leaves the reader in error. */
#ifndef WT_DISSECT_BER_H
#define WT_DISSECT_BER_H

#include <stdint.h>

#include "base/rd.h"

enum {
	BER_INTEGER = 0x02,
	BER_OCTET_STRING = 0x04,
	BER_ENUMERATED = 0x0a,
	BER_SEQUENCE = 0x30,
};

/* One element: its tag byte and a reader over its contents; r moves past
 * it. Lengths of up to 4 bytes; an indefinite or longer one puts r in
 * error. */
struct rd ber_next(struct rd *r, uint8_t *tag);

/* The next element, which must be tagged `tag` and hold a non-negative
 * integer of 1 to 4 bytes: its value, else -1. */
long ber_small(struct rd *r, uint8_t tag);

/* The length of the element at the start of `p` (header and contents),
 * 0 while its header is not all there, -1 when it cannot be BER. */
long ber_element_len(const uint8_t *p, size_t n);

#endif
