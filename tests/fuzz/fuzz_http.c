/* fuzz_http.c - libFuzzer entry for the HTTP dissector: the input is split
 * into a client and a server stream (first byte: where), each shown in
 * growing prefixes (second byte: step), as the driver would. Checks:
 * results in range, stored strings free of control bytes. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "dissect/dissector.h"
#include "dissect/meta.h"
#include "fuzz_checks.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

extern const struct dissector dissector_http;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 2)
		return 0;
	size_t n = size - 2;
	size_t split = n ? (size_t)data[0] * n / 255 : 0;
	size_t step = (size_t)data[1] % 64 + 1;
	uint8_t *bufs[2] = { malloc(split ? split : 1), malloc(n - split ? n - split : 1) };
	if (!bufs[0] || !bufs[1]) {
		free(bufs[0]);
		free(bufs[1]);
		return 0;
	}
	memcpy(bufs[0], data + 2, split);
	memcpy(bufs[1], data + 2 + split, n - split);
	size_t len[2] = { split, n - split }, have[2] = { 0, 0 };
	struct flow_meta m;
	meta_init(&m);
	void *st = calloc(1, dissector_http.state_size);
	bool chosen = false, done = false;
	for (int turn = 0; !done && (have[0] < len[0] || have[1] < len[1]); turn ^= 1) {
		if (have[turn] >= len[turn])
			continue;
		have[turn] = have[turn] + step < len[turn] ? have[turn] + step : len[turn];
		struct dissect_in in = { bufs[turn], have[turn], turn == 0, have[turn] == len[turn],
					 NULL, &m, NULL };
		if (!chosen) {
			enum probe_result r = dissector_http.probe(&in);
			if ((unsigned)r > PROBE_YES)
				abort();
			if (r == PROBE_NO)
				break;
			chosen = r == PROBE_YES;
		}
		if (chosen) {
			enum parse_result r = dissector_http.parse(st, &in);
			if ((unsigned)r > PARSE_DONE)
				abort();
			done = r == PARSE_DONE;
		}
	}
	uint64_t status = 0;
	if (meta_num(&m, META_HTTP_STATUS, &status) && status > 999)
		abort();
	fuzz_check_strings(&m);
	free(st);
	meta_fini(&m);
	free(bufs[0]);
	free(bufs[1]);
	return 0;
}
