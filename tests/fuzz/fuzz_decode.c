/* fuzz_decode.c - libFuzzer entry for src/decode: the first byte picks a
 * link type, the rest is the frame. Checks the decoder's promises: payload
 * inside the frame, caller fields untouched, verdict in range, and the
 * address-only fast path agreeing with a full decode; then the packets
 * inside tunnels, down to four deep, keep the same promises, and every
 * tunnel's addresses are those of the packet that carried it (so the
 * outermost ones, which pick the worker, stand for the whole chain); a
 * neighbour (decode_neighbour) only where the quick look allows one. */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "decode/decode.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const int fuzz_links[] = {
	LINK_NULL,     LINK_ETHERNET,   LINK_RAW,         LINK_LOOP,         LINK_LINUX_SLL,
	LINK_IPV4,     LINK_IPV6,       LINK_LINUX_SLL2,  LINK_DLT_RAW_ALT,  LINK_DLT_RAW_ALT2,
};

static void check_packet(const struct pkt *p, enum decode_verdict v, const uint8_t *frame,
			 size_t n)
{
	if ((unsigned)v > DECODE_BAD_LINK || v == DECODE_BAD_LINK)
		abort();
	if (p->ts_us != 1 || p->wirelen != 2 || p->caplen != 3)
		abort();
	if (p->payload_len && (p->payload < frame || p->payload + p->payload_len > frame + n))
		abort();
	if (v == DECODE_OK) {
		if (p->family != 4 && p->family != 6)
			abort();
		if (p->payload_len > p->l4_len && p->l4 != L4_ARP)
			abort();
		volatile uint8_t sink = 0;
		for (uint32_t i = 0; i < p->payload_len; i++)
			sink ^= p->payload[i];
		(void)sink;
	}
	if (v == DECODE_FRAGMENT && (p->sport || p->dport || !(p->frag_off || p->frag_more)))
		abort();
}

static void check_tunnels(const struct pkt *p, const uint8_t *frame, size_t n)
{
	struct pkt layers[2] = { *p };
	struct pkt_tunnel tun;
	enum decode_verdict v;
	for (int depth = 0; depth < 4; depth++) {
		const struct pkt *outer = &layers[depth % 2];
		struct pkt *inner = &layers[(depth + 1) % 2];
		if (!decode_tunnel(outer, inner, &tun, &v))
			return;
		check_packet(inner, v, frame, n);
		if (tun.family != outer->family || memcmp(tun.src, outer->src, 16) ||
		    memcmp(tun.dst, outer->dst, 16) || !decode_tunnel_name(tun.type))
			abort();
		if (v != DECODE_OK)
			return;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	int link = fuzz_links[data[0] % (sizeof fuzz_links / sizeof fuzz_links[0])];
	/* A copy of exactly the frame so ASan sees any read past its end. */
	size_t n = size - 1;
	uint8_t *frame = malloc(n ? n : 1);
	if (!frame)
		return 0;
	memcpy(frame, data + 1, n);

	struct pkt p;
	memset(&p, 0x5a, sizeof p);
	p.ts_us = 1;
	p.wirelen = 2;
	p.caplen = 3;
	enum decode_verdict v = decode_frame(link, frame, (uint32_t)n, &p);
	check_packet(&p, v, frame, n);
	if (v == DECODE_OK)
		check_tunnels(&p, frame, n);
	/* a neighbour only from ARP or neighbour discovery, with a unicast MAC */
	struct pkt_neighbour nb;
	if (v == DECODE_OK && decode_neighbour(&p, &nb) &&
	    (!decode_may_name_neighbour(&p) || (nb.family != 4 && nb.family != 6) || (nb.mac[0] & 1)))
		abort();
	/* the workers' shard: the same addresses whenever decoding found some */
	uint8_t src[16], dst[16];
	bool got = decode_addresses(link, frame, (uint32_t)n, src, dst);
	if ((v == DECODE_OK || v == DECODE_FRAGMENT) &&
	    (!got || memcmp(src, p.src, 16) != 0 || memcmp(dst, p.dst, 16) != 0))
		abort();
	/* ... and beside them an ICMP error's quoted pair, the one its quote
	 * decodes to, sent by the error's receiver */
	struct decode_shard_pairs sp;
	bool shard = decode_shard_addresses(link, frame, (uint32_t)n, &sp);
	struct pkt_quote q;
	bool quote = v == DECODE_OK && decode_icmp_quote(&p, &q);
	if (shard != got || (got && (memcmp(sp.src, src, 16) != 0 || memcmp(sp.dst, dst, 16) != 0)))
		abort();
	if (sp.quoted != quote || (quote && (memcmp(sp.qsrc, q.inner.src, 16) != 0 ||
					     memcmp(sp.qdst, q.inner.dst, 16) != 0 ||
					     memcmp(q.inner.src, p.dst, 16) != 0)))
		abort();
	if (quote) {
		char words[64];
		if (decode_icmp_error_text(words, sizeof words, p.l4, p.icmp_type, p.icmp_code, q.mtu) >=
		    sizeof words)
			abort();
	}
	free(frame);
	return 0;
}
