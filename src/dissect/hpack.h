/* hpack.h - HPACK header block decoding (RFC 7541) for the HTTP/2
 * dissector.
 *
 * A block is decoded on its own: fields given literally or by the static
 * table (Appendix A) come out with their names; a field given by reference
 * to the dynamic table (an entry an earlier block of the connection
 * added) cannot be resolved without that block and is passed over. That
 * is all the first request and response of a connection need. Strings may
 * be Huffman-coded (Appendix B). Reentrant; no state between calls.
 */
#ifndef WT_DISSECT_HPACK_H
#define WT_DISSECT_HPACK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "dissect/meta.h"

#define HPACK_NAME_MAX 128          /* longer names are not ones anybody asks for */
#define HPACK_VALUE_MAX META_PATH_MAX /* longer values come out cut */

struct hpack_field {
	const uint8_t *name;  /* lower case on the wire (RFC 9113 8.2.1) */
	size_t name_len;
	const uint8_t *value;
	size_t value_len;
	bool value_cut;       /* the value was longer than HPACK_VALUE_MAX */
};

/* Called for each field, in order; returning false stops the decoding. */
typedef bool (*hpack_field_fn)(void *ctx, const struct hpack_field *f);

/* Decode one header block. Returns false when it is malformed (the
 * fields before the damage were handed out). */
bool hpack_decode(const uint8_t *block, size_t n, hpack_field_fn fn, void *ctx);

/* Huffman-decode n bytes (RFC 7541 5.2) into out, at most cap bytes
 * (*cut set when more would have followed). Returns the length, or -1
 * for an invalid code: the EOS symbol, or padding longer than 7 bits or
 * not the EOS code's prefix. */
long hpack_huffman(const uint8_t *in, size_t n, uint8_t *out, size_t cap, bool *cut);

#endif
