/* fuzz_dpi.c - libFuzzer entry for the DPI driver and TCP reassembly: the
 * input is a flow description followed by packets.
 *
 *   byte 0: server port (table index) and L4 (bit 7: UDP)
 *   byte 1: reassembly budget in KiB (0: unbounded)
 *   then per packet: ctl(1) off(2) len(2) data(len)
 *     ctl bit 0: from the server; bits 1-4: SYN FIN RST ACK;
 *     off: sequence offset from the direction's base (overlaps, holes,
 *     wraparound - the bases sit just below 2^32).
 *
 * Checks: state exists iff the driver wants more, the budget is never
 * exceeded and is paid back in full. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "dissect/dpi.h"
#include "dissect/meta.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const uint16_t fuzz_ports[] = { 80, 443, 22, 53, 8080, 5060, 554, 5353, 5355, 4433, 9999 };

struct input {
	const uint8_t *p;
	size_t n;
};

static unsigned take(struct input *in, size_t k)
{
	unsigned v = 0;
	for (size_t i = 0; i < k; i++) {
		v = (v << 8) | (in->n ? *in->p : 0);
		if (in->n) {
			in->p++;
			in->n--;
		}
	}
	return v;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct input in = { data, size };
	if (size < 2)
		return 0;
	unsigned b0 = take(&in, 1), b1 = take(&in, 1);
	uint16_t sport = fuzz_ports[(b0 & 0x7f) % (sizeof fuzz_ports / sizeof fuzz_ports[0])];
	uint8_t l4 = (b0 & 0x80) ? L4_UDP : L4_TCP;
	size_t used = 0;
	struct dpi_env env = { NULL, NULL, b1 ? &used : NULL, (size_t)b1 * 1024 };
	struct flow_meta m;
	meta_init(&m);
	struct dpi_flow *d = NULL;
	const uint32_t base[2] = { 0xfffff000u, 0xffff8000u };
	bool more = true;
	while (more && in.n) {
		unsigned ctl = take(&in, 1), off = take(&in, 2), len = take(&in, 2);
		if (len > in.n)
			len = (unsigned)in.n;
		uint8_t *payload = malloc(len ? len : 1); /* exact size for ASan */
		if (!payload)
			break;
		memcpy(payload, in.p, len);
		in.p += len;
		in.n -= len;
		int server = ctl & 1;
		struct pkt p;
		memset(&p, 0, sizeof p);
		p.family = 4;
		p.l4 = l4;
		p.tcp_flags = (uint8_t)(((ctl >> 1) & 1 ? TCP_SYN : 0) | ((ctl >> 2) & 1 ? TCP_FIN : 0) |
					((ctl >> 3) & 1 ? TCP_RST : 0) | ((ctl >> 4) & 1 ? TCP_ACK : 0));
		p.sport = server ? sport : 50000;
		p.dport = server ? 50000 : sport;
		p.seq = base[server] + off;
		p.payload = payload;
		p.payload_len = len;
		p.l4_len = (ctl & 0x20) ? len + 10 : len; /* bit 5: capture cut the payload */
		more = dpi_packet(&d, &m, &p, !server, &env);
		free(payload);
		if (!more && d)
			abort();
		if (env.buffered_bytes && used > env.buffered_limit)
			abort();
		if (dpi_flow_bytes(d) > 200 * 1024)
			abort();
	}
	dpi_flow_free(d);
	if (used != 0)
		abort();
	meta_fini(&m);
	return 0;
}
