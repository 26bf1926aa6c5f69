/* fuzz_dns.c - libFuzzer entry for the DNS / mDNS / LLMNR dissectors and
 * name decoding. The first input byte picks the transport and port; the
 * rest is one datagram (UDP) or a byte stream cut into segments (TCP),
 * both directions, fed the way the DPI driver feeds them. */
#include <stdlib.h>
#include <string.h>

#include "dissect/dissector.h"
#include "dissect/dns_name.h"

extern const struct dissector dissector_dns;
extern const struct dissector dissector_dns_tcp;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FUZZ_STREAM_MAX 16384

static void fuzz_answer(void *opaque, const char *name, int family, const uint8_t addr[16])
{
	size_t *n = opaque;
	*n += strlen(name) + (size_t)family + addr[0];
}

static void fuzz_names(const uint8_t *data, size_t size)
{
	struct rd r = rd_make(data, size);
	for (size_t at = 0; at < size && at < 64; at++) {
		struct dns_name nm;
		r.off = at;
		r.err = false;
		/* labels may hold NUL bytes: the length, not strlen, is the truth */
		if (dns_name_read(&r, &nm) == DNS_NAME_OK &&
		    (nm.len > DNS_NAME_TEXT_MAX || nm.text[nm.len] != '\0' || strlen(nm.text) > nm.len))
			abort();
	}
}

static void fuzz_udp(const uint8_t *data, size_t size, uint16_t port,
		     struct flow_meta *m, const struct dpi_env *env)
{
	struct pkt p = { .l4 = L4_UDP, .sport = 40000, .dport = port };
	struct dissect_in in = { .data = data, .len = size, .from_client = true,
				 .pkt = &p, .meta = m, .env = env };
	void *st = calloc(1, dissector_dns.state_size);
	dissector_dns.probe(&in);
	/* the same datagram twice, then as a reply */
	dissector_dns.parse(st, &in);
	dissector_dns.parse(st, &in);
	in.from_client = false;
	dissector_dns.parse(st, &in);
	free(st);
}

/* Segment lengths come from the input itself (one byte each, up front). */
static void fuzz_tcp(const uint8_t *data, size_t size, uint16_t port,
		     struct flow_meta *m, const struct dpi_env *env)
{
	if (size < 4)
		return;
	size_t nseg = data[0] % 8 + 1;
	const uint8_t *cuts = data + 1;
	if (size < 1 + nseg)
		return;
	data += 1 + nseg;
	size -= 1 + nseg;
	uint8_t *buf[2] = { calloc(1, FUZZ_STREAM_MAX), calloc(1, FUZZ_STREAM_MAX) };
	size_t len[2] = { 0, 0 };
	void *st = calloc(1, dissector_dns_tcp.state_size);
	struct pkt p = { .l4 = L4_TCP, .sport = 40000, .dport = port };
	bool chosen = false;
	size_t pos = 0;
	for (size_t i = 0; i < nseg && pos < size; i++) {
		int d = cuts[i] & 1;
		size_t n = i + 1 == nseg ? size - pos : (size_t)(cuts[i] >> 1) + 1;
		if (n > size - pos)
			n = size - pos;
		size_t room = FUZZ_STREAM_MAX - len[d], take = n < room ? n : room;
		memcpy(buf[d] + len[d], data + pos, take);
		len[d] += take;
		pos += n;
		p.payload_len = (uint32_t)n;
		struct dissect_in in = { .data = buf[d], .len = len[d], .from_client = d == 0,
					 .stream_full = len[d] == FUZZ_STREAM_MAX,
					 .pkt = &p, .meta = m, .env = env };
		if (!chosen)
			chosen = dissector_dns_tcp.probe(&in) == PROBE_YES || port == 53;
		if (chosen && dissector_dns_tcp.parse(st, &in) == PARSE_DONE)
			break;
	}
	free(st);
	free(buf[0]);
	free(buf[1]);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	static const uint16_t ports[] = { 53, 5353, 5355, 40001 };
	uint16_t port = ports[(data[0] >> 1) & 3];
	size_t seen = 0;
	struct dpi_env env = { .dns_answer = fuzz_answer, .opaque = &seen };
	struct flow_meta m;
	meta_init(&m);
	if (data[0] & 1)
		fuzz_tcp(data + 1, size - 1, port, &m, &env);
	else
		fuzz_udp(data + 1, size - 1, port, &m, &env);
	const char *q = meta_str(&m, META_DNS_QUERY);
	if (q && strlen(q) > META_STR_MAX * 4)
		abort();
	meta_fini(&m);
	fuzz_names(data, size);
	return 0;
}
