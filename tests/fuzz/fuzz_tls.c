/* fuzz_tls.c - libFuzzer entry for the TLS hello parsers and the TLS
 * dissector. The first byte picks the target: a ClientHello or ServerHello
 * message, or the dissector fed a client and a server stream that grow in
 * steps (the second byte sets the step). Checks: results in range, the
 * QUIC transport parameters inside the input, stored strings free of
 * control bytes. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "dissect/dissector.h"
#include "dissect/meta.h"
#include "fuzz_checks.h"
#include "dissect/tls_hello.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

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

/* Grow each direction's stream by `step` bytes per call, alternating. */
static void run_dissector(const uint8_t *buf, size_t n, size_t step, struct flow_meta *m)
{
	size_t half = n / 2, have[2] = { 0, 0 }, len[2] = { half, n - half };
	const uint8_t *start[2] = { buf, buf + half };
	void *st = calloc(1, dissector_tls.state_size);
	bool chosen = false, done = false;
	for (int turn = 0; !done && (have[0] < len[0] || have[1] < len[1]); turn ^= 1) {
		if (have[turn] >= len[turn])
			continue;
		have[turn] = have[turn] + step < len[turn] ? have[turn] + step : len[turn];
		struct dissect_in in = { start[turn], have[turn], turn == 0, have[turn] == len[turn],
					 NULL, m, NULL };
		if (!chosen) {
			enum probe_result r = dissector_tls.probe(&in);
			if (r == PROBE_NO)
				break;
			chosen = r == PROBE_YES;
		}
		if (chosen)
			done = dissector_tls.parse(st, &in) == PARSE_DONE;
	}
	free(st);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
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
		break;
	default:
		run_dissector(buf, n, (size_t)data[1] * 8 + 1, &m);
		break;
	}
	fuzz_check_strings(&m);
	meta_fini(&m);
	free(buf);
	return 0;
}
