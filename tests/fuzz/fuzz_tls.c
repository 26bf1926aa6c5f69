/* fuzz_tls.c - libFuzzer entry for the TLS hello parsers and the TLS
 * dissector. The first byte picks the target: a ClientHello or ServerHello
 * message (from the third byte on), or the dissector fed by the shared
 * driver (fuzz_dissector.h, from the second byte on: streams bounded at
 * 16 KiB). Checks: results in range, the QUIC transport parameters inside
 * the input, stored strings sanitized. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "dissect/tls_hello.h"
#include "fuzz_dissector.h"

extern const struct dissector dissector_tls;

static void run_hello(const uint8_t *buf, size_t n, int server, struct flow_meta *m)
{
	if (server) {
		int rc = tls_server_hello_parse(buf, n, m);
		if (rc < -1 || rc > 1)
			abort();
		return;
	}
	struct tls_hello_info info;
	memset(&info, 0, sizeof info);
	int rc = tls_client_hello_parse(buf, n, m, &info);
	if (rc < -1 || rc > 1)
		abort();
	if (info.quic_tp && (info.quic_tp < buf || info.quic_tp + info.quic_tp_len > buf + n))
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const struct fuzz_target streams = { .d = &dissector_tls, .stream_max = 16384 };
	if (size < 2)
		return 0;
	size_t n = size - 2;
	uint8_t *buf = malloc(n ? n : 1); /* exact size: ASan sees overreads */
	if (!buf)
		return 0;
	memcpy(buf, data + 2, n);
	struct flow_meta m;
	meta_init(&m);
	switch (data[0] % 3) {
	case 0:
	case 1:
		run_hello(buf, n, data[0] % 3, &m);
		fuzz_check_strings(&m);
		break;
	default:
		fuzz_dissector_run(&streams, data + 1, size - 1, &m);
		break;
	}
	meta_fini(&m);
	free(buf);
	return 0;
}
