/* Reverse lookups asked for by a worker: queued, never sent by the caller.
 * The live test (tests/live/resolve_live.sh) checks the names themselves
 * against a DNS server; here only what the asking thread does. */
#include <dirent.h>
#include <stdint.h>

#include "check.h"
#include "engine/resolver.h"

static int open_fds(void)
{
	DIR *d = opendir("/proc/self/fd");
	if (!d)
		return -1;
	int n = 0;
	while (readdir(d))
		n++;
	closedir(d);
	return n;
}

/* c-ares sends a query as soon as it is handed one (a socket, connected
 * to the server): that must happen on the resolver's thread, which here
 * never starts, not on the caller's. */
static void test_asking_opens_no_socket(void)
{
	struct resolver *r = NULL;
	struct wt_err err = { 0 };
	if (resolver_open(&r, &err) < 0)
		SKIP("c-ares cannot read a resolver configuration here");
	int before = open_fds();
	char name[256];
	for (unsigned i = 0; i < RESOLVER_INFLIGHT + 8; i++) {
		uint8_t a[16] = { 192, 0, 2, (uint8_t)i };
		CHECK(!resolver_name(r, 4, a, 1000000, name, sizeof name));
	}
	uint8_t v6[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 1 };
	CHECK(!resolver_name(r, 6, v6, 1000000, name, sizeof name));
	CHECK_INT(open_fds(), before);
	/* asked again: under way, so not queued twice, still no name */
	uint8_t first[16] = { 192, 0, 2, 0 };
	CHECK(!resolver_name(r, 4, first, 2000000, name, sizeof name));
	resolver_close(r); /* what is queued goes with it (the leak check sees) */
}

int main(void)
{
	RUN(test_asking_opens_no_socket);
	return check_summary("resolver");
}
