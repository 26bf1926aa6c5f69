/* fuzz_quic.c - libFuzzer entry for the QUIC dissector and its Initial
 * packet protection, fed by the shared driver (fuzz_dissector.h: the
 * segments are datagrams to port 443, from the server when the driver
 * says). Each segment's first byte is its flags: whether the rest is one
 * raw datagram or the plaintext frames of an Initial packet that is first
 * protected here with the flow's keys, so the frame parser, the CRYPTO
 * reassembly and the ClientHello path are reached past authentication
 * too. Checks: the driver's, and every buffered byte is given back. */
#include <stdlib.h>
#include <string.h>

#include "dissect/quic_keys.h"
#include "fuzz_dissector.h"

extern const struct dissector dissector_quic;

#define FUZZ_DGRAM_MAX 1500

enum { REC_SEALED = 0x02, REC_V2 = 0x04, REC_OTHER_CID = 0x08 };

static const uint8_t fuzz_cid[2][8] = { { 1, 2, 3, 4, 5, 6, 7, 8 }, { 8, 7, 6, 5, 4, 3, 2, 1 } };

/* An Initial carrying `frames` (padded with PADDING), protected with the
 * keys of client DCID fuzz_cid[which]. Returns its length, 0 if none. */
static size_t fuzz_seal(uint8_t *out, const uint8_t *frames, size_t n, uint8_t flags, bool server,
			uint64_t pn)
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
	if (!quic_keys_initial(v2 ? QUIC_SALT_V2 : QUIC_SALT_V1, cid, 8, server, &k) ||
	    !quic_packet_seal(&k, out, at, at + body, pn))
		abort(); /* sealing well-formed input cannot fail */
	return at + body;
}

/* The datagram of one segment: its flags byte, then raw bytes or sealed
 * frames. ctx counts the packet numbers of the sealed ones. */
static size_t fuzz_datagram(void *ctx, bool server, const uint8_t *seg, size_t n, uint8_t *out)
{
	uint64_t *pn = ctx;
	if (n < 1)
		return 0;
	if (seg[0] & REC_SEALED)
		return fuzz_seal(out, seg + 1, n - 1, seg[0], server, (*pn)++);
	memcpy(out, seg + 1, n - 1);
	return n - 1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	size_t budget = 0;
	uint64_t pn = 0;
	struct dpi_env env = { .buffered_bytes = &budget, .buffered_limit = 64 * 1024 };
	struct fuzz_target t = { .d = &dissector_quic, .env = &env, .server_port = 443,
				 .datagram = fuzz_datagram, .ctx = &pn };
	struct flow_meta m;
	meta_init(&m);
	fuzz_dissector_run(&t, data, size, &m);
	if (budget != 0)
		abort(); /* every buffered byte is given back */
	meta_fini(&m);
	return 0;
}
