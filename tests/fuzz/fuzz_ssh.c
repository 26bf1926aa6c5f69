/* fuzz_ssh.c - libFuzzer entry for the SSH dissector, fed by the shared
 * driver (fuzz_dissector.h, streams bounded at 4 KiB so the stream_full
 * path is reached). Checks: the driver's, and the application state stays
 * in range. */
#include "fuzz_dissector.h"

extern const struct dissector dissector_ssh;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const struct fuzz_target t = { .d = &dissector_ssh, .stream_max = 4096 };
	struct flow_meta m;
	meta_init(&m);
	fuzz_dissector_run(&t, data, size, &m);
	if (m.app_state > APP_STATE_SSH_ESTABLISHED)
		abort();
	meta_fini(&m);
	return 0;
}
