/* fuzz_dns.c - libFuzzer entry for the DNS / mDNS / LLMNR dissectors and
 * name decoding. The first input byte picks the transport (bit 0: TCP)
 * and the server port (bits 1-2); the rest goes to the shared driver
 * (fuzz_dissector.h): datagrams for UDP, streams bounded at 16 KiB for
 * TCP. Name decoding is tried at every offset of the input. */
#include <stdlib.h>
#include <string.h>

#include "dissect/dns_name.h"
#include "fuzz_dissector.h"

extern const struct dissector dissector_dns;
extern const struct dissector dissector_dns_tcp;

static void fuzz_answer(void *opaque, const struct dns_answer *a)
{
	size_t *n = opaque;
	*n += strlen(a->name) + (size_t)a->family + a->addr[0] + a->ttl;
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
	struct fuzz_target t = { .d = data[0] & 1 ? &dissector_dns_tcp : &dissector_dns, .env = &env,
				 .server_port = port, .stream_max = 16384 };
	fuzz_dissector_run(&t, data + 1, size - 1, &m);
	const char *q = meta_str(&m, META_DNS_QUERY);
	if (q && strlen(q) > META_STR_MAX * 4)
		abort();
	meta_fini(&m);
	fuzz_names(data, size);
	return 0;
}
