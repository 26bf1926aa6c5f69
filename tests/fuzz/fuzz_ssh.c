/* fuzz_ssh.c - libFuzzer entry for the SSH dissector, fed by the shared
 * driver (fuzz_stream.h: segments of 4-byte units, streams bounded at
 * 4 KiB so the stream_full path is reached). Checks: the application
 * state stays in range, stored strings are sanitized. */
#include "dissect/dissector.h"
#include "fuzz_checks.h"
#include "fuzz_stream.h"

extern const struct dissector dissector_ssh;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const struct fuzz_stream s = { &dissector_ssh, 22, NULL, 4096, 4 };
	struct flow_meta m;
	meta_init(&m);
	fuzz_stream_run(&s, data, size, &m);
	if (m.app_state > APP_STATE_SSH_ESTABLISHED)
		abort();
	fuzz_check_strings(&m);
	meta_fini(&m);
	return 0;
}
