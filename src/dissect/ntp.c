/* ntp.c - the Network Time Protocol (RFC 5905 section 7.3; RFC 1305
 * appendix B for mode 6, control messages).
 *
 *   LI(2) VN(3) Mode(3) | Stratum | Poll | Precision | Root Delay(4)
 *   Root Dispersion(4) | Reference ID(4) | Reference, Origin, Receive and
 *   Transmit Timestamps (8 each)                       = 48 bytes
 *
 * NTP has no signature of its own: a datagram to or from port 123 whose
 * first byte names a version 1-4 and a mode is taken for it. The version,
 * every mode seen, the stratum of the first packet not sent by a client
 * (a client's own is 0, "unspecified") and the response time are kept.
 * The response time is what the capture saw between a client's request
 * and the server's answer that echoes its Transmit Timestamp as Origin
 * (RFC 5905 section 8): it is what the path and the server cost the
 * client, which tshark shows as the answer's delta time.
 */
#include <string.h>

#include "base/rd.h"
#include "dissect/dissector.h"

#define NTP_PORT 123
#define NTP_HEADER 48
#define NTP_CONTROL_HEADER 12
#define NTP_MAX_CALLS 16

enum {
	NTP_MODE_SYM_ACTIVE = 1,
	NTP_MODE_CLIENT = 3,
	NTP_MODE_SERVER = 4,
	NTP_MODE_BROADCAST = 5,
	NTP_MODE_CONTROL = 6,
	NTP_MODE_PRIVATE = 7,
};

static const char *const ntp_modes[8] = {
	"reserved", "symmetric active", "symmetric passive", "client",
	"server", "broadcast", "control", "private",
};

struct ntp_state {
	uint64_t request_us;   /* capture time of the last client request */
	uint8_t request_xmt[8]; /* its Transmit Timestamp */
	bool request_seen;
	bool answered;
	uint8_t calls;
};

/* Version 1-4 and a header long enough for the mode (mode 0 is reserved). */
static bool ntp_shape(const uint8_t *d, size_t n)
{
	if (n < 1)
		return false;
	unsigned vn = (d[0] >> 3) & 7, mode = d[0] & 7;
	if (vn < 1 || vn > 4 || mode == 0)
		return false;
	if (mode == NTP_MODE_CONTROL)
		return n >= NTP_CONTROL_HEADER;
	return mode == NTP_MODE_PRIVATE || n >= NTP_HEADER;
}

static enum probe_result ntp_probe(const struct dissect_in *in)
{
	bool port = in->pkt->sport == NTP_PORT || in->pkt->dport == NTP_PORT;
	return port && ntp_shape(in->data, in->len) ? PROBE_YES : PROBE_NO;
}

/* A client's request starts a measurement; the server's answer whose
 * Origin Timestamp is that request's Transmit Timestamp ends it. */
static void ntp_time(struct ntp_state *st, const struct dissect_in *in, unsigned mode,
		     const uint8_t *origin, const uint8_t *xmt)
{
	if (mode == NTP_MODE_CLIENT) {
		memcpy(st->request_xmt, xmt, 8);
		st->request_us = in->pkt->ts_us;
		st->request_seen = true;
	} else if (mode == NTP_MODE_SERVER && st->request_seen && !st->answered &&
		   memcmp(origin, st->request_xmt, 8) == 0 && in->pkt->ts_us >= st->request_us) {
		meta_set_num(in->meta, META_NTP_RESPONSE_US, in->pkt->ts_us - st->request_us);
		st->answered = true;
	}
}

static enum parse_result ntp_parse(void *state, const struct dissect_in *in)
{
	struct ntp_state *st = state;
	struct rd r = rd_make(in->data, in->len);
	uint8_t flags = rd_u8(&r);
	uint8_t stratum = rd_u8(&r);
	if (!ntp_shape(in->data, in->len))
		return ++st->calls >= NTP_MAX_CALLS ? PARSE_DONE : PARSE_MORE;
	unsigned mode = flags & 7;
	in->meta->app = APP_NTP;
	if (!meta_num(in->meta, META_NTP_VERSION, NULL))
		meta_set_num(in->meta, META_NTP_VERSION, (flags >> 3) & 7);
	meta_add_once(in->meta, META_NTP_MODE, ntp_modes[mode]);
	if (mode <= NTP_MODE_BROADCAST) {
		if (mode != NTP_MODE_CLIENT && !meta_num(in->meta, META_NTP_STRATUM, NULL))
			meta_set_num(in->meta, META_NTP_STRATUM, stratum);
		rd_skip(&r, 22); /* poll .. reference timestamp */
		const uint8_t *origin = rd_take(&r, 8);
		rd_skip(&r, 8);
		const uint8_t *xmt = rd_take(&r, 8);
		if (rd_ok(&r))
			ntp_time(st, in, mode, origin, xmt);
	}
	return ++st->calls >= NTP_MAX_CALLS || st->answered ? PARSE_DONE : PARSE_MORE;
}

const struct dissector dissector_ntp = {
	.name = "ntp",
	.l4 = L4_UDP,
	.ports = { NTP_PORT, 0 },
	.probe = ntp_probe,
	.parse = ntp_parse,
	.state_size = sizeof(struct ntp_state),
};
