/* fuzz_hpack.c - libFuzzer entry for HPACK (RFC 7541): the input is one
 * header block, decoded whole; then, read as a Huffman-coded string, into
 * a buffer of the first byte's size.
 *
 * Checks: every field handed out lies within the input, the static table
 * or the decoder's scratch space as its lengths say (ASan reads each byte),
 * names never exceed HPACK_NAME_MAX nor values HPACK_VALUE_MAX, and the
 * Huffman decoder never writes past the room it is given. */
#include <stdlib.h>
#include <string.h>

#include "dissect/hpack.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static bool touch(void *ctx, const struct hpack_field *f)
{
	unsigned *sum = ctx;
	if (f->name_len > HPACK_NAME_MAX || f->value_len > HPACK_VALUE_MAX)
		abort();
	for (size_t i = 0; i < f->name_len; i++)
		*sum += f->name[i];
	for (size_t i = 0; i < f->value_len; i++)
		*sum += f->value[i];
	return true;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	unsigned sum = 0; /* the callback reads every byte into it */
	hpack_decode(data, size, touch, &sum);
	if (size) {
		size_t cap = data[0];
		uint8_t *out = malloc(cap ? cap : 1); /* exact size for ASan */
		bool cut;
		long n = hpack_huffman(data + 1, size - 1, out, cap, &cut);
		if (n > (long)cap || (n >= 0 && cut && n != (long)cap))
			abort();
		free(out);
	}
	return 0;
}
