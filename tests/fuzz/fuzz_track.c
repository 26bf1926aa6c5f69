/* fuzz_track.c - libFuzzer entry for the packet path past decoding:
 * decode_frame, then a tracker (IP reassembly, tunnels and their
 * numbering, flows, DPI) fed frame after frame. The input is a sequence
 * of Ethernet frames:
 *
 *   per frame: len(2) step(1) frame(len)
 *     step: tenths of a second since the previous frame (up to 25.5 s, so
 *     fragments and flows time out too)
 *
 * Checks: every frame is accounted for - counted into a connection,
 * unparsed, or hidden - once the tracker has been flushed; no tunnel
 * number outlives the connections and fragments that used it; the DPI
 * budget is paid back; and what ASan and the leak checker see. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "decode/decode.h"
#include "flow/tracker.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	size_t buffered = 0;
	struct dpi_env env = { .buffered_bytes = &buffered, .buffered_limit = 1u << 20 };
	struct tracker_opts o;
	memset(&o, 0, sizeof o);
	timeouts_default(&o.timeouts);
	o.max_flows = 64; /* the cap evicts too */
	o.dpi_env = &env;
	struct tracker_sink sink = { NULL, NULL, NULL };
	struct tracker *t = tracker_new(&o, &sink);
	uint64_t now = 1700000000ull * 1000000;
	size_t i = 0;
	while (i + 3 <= size) {
		size_t len = (size_t)data[i] << 8 | data[i + 1];
		now += (uint64_t)data[i + 2] * 100000;
		i += 3;
		if (len > size - i)
			len = size - i;
		uint8_t *frame = malloc(len ? len : 1); /* exactly the frame: ASan sees overreads */
		if (!frame)
			break;
		memcpy(frame, data + i, len);
		i += len;
		struct pkt p;
		p.ts_us = now;
		p.caplen = p.wirelen = (uint32_t)len;
		enum decode_verdict v = decode_frame(LINK_ETHERNET, frame, (uint32_t)len, &p);
		struct flow_lookup lk;
		tracker_prefetch_slot(t, &p, v, &lk);
		tracker_packet(t, &p, v, &lk);
		free(frame);
	}
	tracker_flush(t, now);
	const struct tracker_stats *st = tracker_stats(t);
	if (st->packets != st->tracked_packets + tracker_unparsed(st) + st->localhost)
		abort();
	if (tracker_tunnel_count(t) || tracker_count(t) || buffered)
		abort();
	tracker_free(t);
	return 0;
}
