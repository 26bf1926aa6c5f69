/* fuzz_http.c - libFuzzer entry for the HTTP dissector, fed by the shared
 * driver (fuzz_dissector.h, streams bounded at 8 KiB). Checks: the
 * driver's, and a status of three digits. */
#include "fuzz_dissector.h"

extern const struct dissector dissector_http;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const struct fuzz_target t = { .d = &dissector_http, .stream_max = 8192 };
	struct flow_meta m;
	meta_init(&m);
	fuzz_dissector_run(&t, data, size, &m);
	uint64_t status = 0;
	if (meta_num(&m, META_HTTP_STATUS, &status) && status > 999)
		abort();
	meta_fini(&m);
	return 0;
}
