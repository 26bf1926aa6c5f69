/* fuzz_http.c - libFuzzer entry for the HTTP dissector, fed by the shared
 * driver (fuzz_stream.h: segments of 4-byte units, streams bounded at
 * 8 KiB). Checks: results in range, a status of three digits, stored
 * strings sanitized. */
#include "dissect/dissector.h"
#include "fuzz_checks.h"
#include "fuzz_stream.h"

extern const struct dissector dissector_http;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const struct fuzz_stream s = { &dissector_http, 80, NULL, 8192, 4 };
	struct flow_meta m;
	meta_init(&m);
	fuzz_stream_run(&s, data, size, &m);
	uint64_t status = 0;
	if (meta_num(&m, META_HTTP_STATUS, &status) && status > 999)
		abort();
	fuzz_check_strings(&m);
	meta_fini(&m);
	return 0;
}
