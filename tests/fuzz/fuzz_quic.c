/* fuzz_quic.c - libFuzzer entry for the QUIC dissector and its Initial
 * packet protection. The input is a list of records (a flag byte, a
 * 16-bit length, the bytes), all fed to one flow. A record's flags pick
 * the direction and whether its bytes are one raw datagram or the
 * plaintext frames of an Initial packet that is first protected here with
 * the flow's keys, so the frame parser, the CRYPTO reassembly and the
 * ClientHello path are reached past authentication too. */
#include <stdlib.h>
#include <string.h>

#include "dissect/dissector.h"
#include "dissect/quic_keys.h"

extern const struct dissector dissector_quic;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FUZZ_DGRAM_MAX 1500

enum { REC_SERVER = 0x01, REC_SEALED = 0x02, REC_V2 = 0x04, REC_OTHER_CID = 0x08 };

static const uint8_t fuzz_cid[2][8] = { { 1, 2, 3, 4, 5, 6, 7, 8 }, { 8, 7, 6, 5, 4, 3, 2, 1 } };

/* An Initial carrying `frames` (padded with PADDING), protected with the
 * keys of client DCID fuzz_cid[which]. Returns its length, 0 if none. */
static size_t fuzz_seal(uint8_t *out, const uint8_t *frames, size_t n, uint8_t flags, uint64_t pn)
{
	bool v2 = flags & REC_V2;
	const uint8_t *cid = fuzz_cid[(flags & REC_OTHER_CID) ? 1 : 0];
	size_t hdr = 1 + 4 + 1 + 8 + 1 + 0 + 1 + 2;
	size_t body = 4 + n + QUIC_TAG_LEN;
	if (body < 4 + 16 + 4)
		body = 4 + 16 + 4;
	if (hdr + body > FUZZ_DGRAM_MAX)
		return 0;
	size_t at = 0;
	out[at++] = v2 ? 0xd3 : 0xc3;
	uint32_t version = v2 ? 0x6b3343cfu : 1u;
	for (int i = 3; i >= 0; i--)
		out[at++] = (uint8_t)(version >> (8 * i));
	out[at++] = 8;
	memcpy(out + at, cid, 8);
	at += 8;
	out[at++] = 0; /* SCID */
	out[at++] = 0; /* token */
	out[at++] = (uint8_t)(0x40 | (body >> 8));
	out[at++] = (uint8_t)body;
	memset(out + at, 0, body);
	memcpy(out + at + 4, frames, n);
	struct quic_keys k;
	if (!quic_keys_initial(v2 ? QUIC_SALT_V2 : QUIC_SALT_V1, cid, 8, flags & REC_SERVER, &k) ||
	    !quic_packet_seal(&k, out, at, at + body, pn))
		abort(); /* sealing well-formed input cannot fail */
	return at + body;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct flow_meta m;
	meta_init(&m);
	size_t budget = 0;
	struct dpi_env env = { .buffered_bytes = &budget, .buffered_limit = 64 * 1024 };
	struct pkt p = { .l4 = L4_UDP, .sport = 40000, .dport = 443 };
	void *st = calloc(1, dissector_quic.state_size);
	uint8_t *dg = malloc(FUZZ_DGRAM_MAX);
	if (!st || !dg)
		abort();
	bool done = false;
	uint64_t pn = 0;
	size_t at = 0;
	while (!done && size - at >= 3) {
		uint8_t flags = data[at];
		size_t n = ((size_t)data[at + 1] << 8) | data[at + 2];
		at += 3;
		if (n > size - at)
			n = size - at;
		const uint8_t *rec = data + at;
		at += n;
		size_t len = n;
		uint8_t *copy = NULL;
		if (flags & REC_SEALED) {
			len = fuzz_seal(dg, rec, n, flags, pn++);
			if (!len)
				continue;
		} else { /* an exact-size copy so ASan sees reads past the end */
			copy = malloc(n ? n : 1);
			if (!copy)
				abort();
			memcpy(copy, rec, n);
		}
		struct dissect_in in = { .data = copy ? copy : dg, .len = len,
					 .from_client = !(flags & REC_SERVER), .pkt = &p,
					 .meta = &m, .env = &env };
		dissector_quic.probe(&in);
		done = dissector_quic.parse(st, &in) == PARSE_DONE;
		free(copy);
	}
	dissector_quic.state_fini(st);
	if (budget != 0)
		abort(); /* every buffered byte is given back */
	free(st);
	free(dg);
	meta_fini(&m);
	return 0;
}
