/* ssh.c - SSH identification strings and transport framing (RFC 4253
 * sections 4.2, 6, 7.1, 7.3).
 *
 * Each side opens with "SSH-protoversion-softwareversion [SP comments]"
 * CR LF; the server may send other lines first (4.2), tolerated here up
 * to SSH_PRE_LINES lines / SSH_PRE_BYTES bytes. The strings are stored as
 * sent, without CR LF. After them come binary packets (uint32
 * packet_length, uint8 padding_length, payload whose first byte is the
 * message code), readable only until that side's NEWKEYS (code 21).
 *
 * States (forward only): BANNER once an identification string is seen,
 * KEYEXCHANGE at the first KEXINIT (20), AUTHENTICATION when both sides
 * sent NEWKEYS. ESTABLISHED is inferred, since everything after NEWKEYS is
 * encrypted: once each side has sent SSH_ESTABLISHED_SEGMENTS segments
 * with new data after its NEWKEYS. A successful user authentication takes
 * at least three round trips (service request, a method attempt, success)
 * and the first channel opens right after, so four in each direction
 * rarely happen before a session exists; a rejected client that keeps
 * trying can be counted as established too.
 *
 * The flow is done at ESTABLISHED, when neither side can teach more (its
 * framing broke, the reassembly bound cut it off, or it is past NEWKEYS
 * and counted), or after SSH_MAX_CALLS calls, so bulk transfers stop
 * paying for inspection early.
 */
#include <stdbool.h>
#include <string.h>

#include "base/rd.h"
#include "dissect/dissector.h"

#define SSH_PRE_LINES 8            /* server lines before its banner */
#define SSH_PRE_BYTES 1024
#define SSH_LINE_MAX 1024          /* RFC says 255; be lenient */
#define SSH_PACKET_MAX 35000       /* RFC 4253 6.1 */
#define SSH_PLAIN_PACKETS_MAX 32   /* unencrypted packets per side */
#define SSH_ESTABLISHED_SEGMENTS 4
#define SSH_MAX_CALLS 64

enum {
	SSH_MSG_KEXINIT = 20,
	SSH_MSG_NEWKEYS = 21,
};

enum ssh_phase {
	SSH_PH_BANNER = 0, /* looking for the identification string */
	SSH_PH_PACKETS,    /* unencrypted binary packets */
	SSH_PH_ENCRYPTED,  /* after this side's NEWKEYS */
	SSH_PH_STOPPED,    /* nothing more to learn from this side */
};

struct ssh_dir {
	uint32_t off;      /* stream bytes consumed */
	uint32_t seen;     /* stream length when last counted (encrypted phase) */
	uint8_t phase;     /* enum ssh_phase */
	uint8_t lines;     /* lines before the banner */
	uint8_t packets;   /* unencrypted packets */
	uint8_t segments;  /* segments with new data after NEWKEYS */
};

struct ssh_state {
	struct ssh_dir dir[2]; /* 0 client, 1 server */
	uint16_t calls;
};

static void ssh_set_state(struct flow_meta *m, uint8_t s)
{
	if (m->app_state < s)
		m->app_state = s;
}

/* Bytes that may appear in a text line (UTF-8 allowed, no control bytes). */
static bool ssh_text_byte(uint8_t b)
{
	return b >= 0x20 || b == '\t' || b == '\r';
}

/* "SSH-" then a digit; *partial when the bytes so far match a prefix. */
static bool ssh_is_ident(const struct rd *r, bool *partial)
{
	enum rd_prefix pre = rd_prefix(r, "SSH-", 4);
	*partial = pre == RD_PREFIX_SO_FAR || (pre == RD_PREFIX_YES && rd_left(r) < 5);
	return pre == RD_PREFIX_YES && rd_peek8(r, 4) >= '0' && rd_peek8(r, 4) <= '9';
}

/* Lines before the identification must be text (4.2 allows them from the
 * server only). */
static enum probe_result ssh_probe(const struct dissect_in *in)
{
	struct rd r = rd_make(in->data, in->len);
	for (unsigned lines = 0; lines <= SSH_PRE_LINES && rd_pos(&r) <= SSH_PRE_BYTES; lines++) {
		bool partial;
		if (ssh_is_ident(&r, &partial))
			return PROBE_YES;
		if (partial)
			return in->stream_full ? PROBE_NO : PROBE_MAYBE;
		if (in->from_client) /* the client's banner comes first (4.2) */
			return PROBE_NO;
		size_t left = rd_left(&r);
		struct rd line;
		bool ended = rd_line(&r, left, &line);
		if (!ended)
			line = rd_sub(&r, left);
		while (rd_left(&line))
			if (!ssh_text_byte(rd_u8(&line)))
				return PROBE_NO;
		if (!ended)
			return in->stream_full || left > SSH_PRE_BYTES ? PROBE_NO : PROBE_MAYBE;
	}
	return PROBE_NO;
}

/* An identification line without CR LF. SSH 1.x other than 1.99 has
 * another packet format: stop there. */
static void ssh_banner_found(struct ssh_dir *dir, const struct dissect_in *in, struct rd line)
{
	meta_set_app(in->meta, APP_SSH);
	meta_set_str(in->meta, in->from_client ? META_SSH_CLIENT : META_SSH_SERVER, rd_ptr(&line),
		     rd_left(&line));
	ssh_set_state(in->meta, APP_STATE_SSH_BANNER);
	bool v1 = rd_prefix(&line, "SSH-1.", 6) == RD_PREFIX_YES &&
		  rd_prefix(&line, "SSH-1.99", 8) != RD_PREFIX_YES;
	dir->phase = v1 ? SSH_PH_STOPPED : SSH_PH_PACKETS;
}

/* No line end within SSH_LINE_MAX bytes or before the stream ended: an
 * identification string is kept as far as it goes, marked truncated;
 * nothing after it can be framed. */
static void ssh_banner_cut(struct ssh_dir *dir, const struct dissect_in *in, struct rd id)
{
	bool partial;
	dir->phase = SSH_PH_STOPPED;
	if (!ssh_is_ident(&id, &partial))
		return;
	meta_set_app(in->meta, APP_SSH);
	meta_set_str_cut(in->meta, in->from_client ? META_SSH_CLIENT : META_SSH_SERVER, rd_ptr(&id),
			 rd_left(&id));
	ssh_set_state(in->meta, APP_STATE_SSH_BANNER);
}

static void ssh_banner(struct ssh_dir *dir, const struct dissect_in *in)
{
	while (dir->phase == SSH_PH_BANNER) {
		struct rd r = rd_make_at(in->data, in->len, dir->off), line;
		if (!rd_line(&r, SSH_LINE_MAX, &line)) {
			size_t n = rd_left(&r);
			if (in->stream_full || n >= SSH_LINE_MAX)
				ssh_banner_cut(dir, in, rd_sub(&r, n < SSH_LINE_MAX ? n : SSH_LINE_MAX));
			return;
		}
		dir->off += (uint32_t)rd_pos(&r);
		bool partial;
		if (ssh_is_ident(&line, &partial)) {
			ssh_banner_found(dir, in, line);
			return;
		}
		if (in->from_client || ++dir->lines > SSH_PRE_LINES || dir->off > SSH_PRE_BYTES)
			dir->phase = SSH_PH_STOPPED;
	}
}

/* One unencrypted binary packet (RFC 4253 6); false to wait for more. */
static bool ssh_packet(struct ssh_dir *dir, const struct dissect_in *in)
{
	struct rd r = rd_make_at(in->data, in->len, dir->off);
	uint32_t plen = rd_be32(&r);
	if (!rd_ok(&r))
		return false;
	if (plen < 5 || plen > SSH_PACKET_MAX) {
		dir->phase = SSH_PH_STOPPED; /* not SSH framing after all */
		return false;
	}
	struct rd body = rd_sub(&r, plen);
	if (!rd_ok(&body))
		return false;
	uint8_t pad = rd_u8(&body);
	uint8_t code = rd_u8(&body);
	if ((size_t)pad + 2 > plen || ++dir->packets > SSH_PLAIN_PACKETS_MAX) {
		dir->phase = SSH_PH_STOPPED;
		return false;
	}
	dir->off += 4 + plen;
	if (code == SSH_MSG_KEXINIT)
		ssh_set_state(in->meta, APP_STATE_SSH_KEYEXCHANGE);
	else if (code == SSH_MSG_NEWKEYS) {
		dir->phase = SSH_PH_ENCRYPTED;
		dir->seen = dir->off;
	}
	return true;
}

static void ssh_packets(struct ssh_dir *dir, const struct dissect_in *in)
{
	while (dir->phase == SSH_PH_PACKETS && ssh_packet(dir, in))
		;
	if (dir->phase == SSH_PH_PACKETS && in->stream_full)
		dir->phase = SSH_PH_STOPPED; /* the rest of the packet never comes */
}

/* Encrypted phase: count segments that carried data. Past the reassembly
 * bound the stream stops growing; the packet's own payload still counts. */
static void ssh_encrypted(struct ssh_dir *dir, const struct dissect_in *in, bool was_encrypted)
{
	bool fresh = in->len > dir->seen ||
		     (was_encrypted && in->stream_full && in->pkt && in->pkt->payload_len > 0);
	if (in->len > dir->seen)
		dir->seen = (uint32_t)in->len;
	if (fresh && dir->segments < UINT8_MAX)
		dir->segments++;
}

static bool ssh_dir_finished(const struct ssh_dir *dir)
{
	return dir->phase == SSH_PH_STOPPED ||
	       (dir->phase == SSH_PH_ENCRYPTED && dir->segments >= SSH_ESTABLISHED_SEGMENTS);
}

static enum parse_result ssh_parse(void *state, const struct dissect_in *in)
{
	struct ssh_state *st = state;
	struct ssh_dir *dir = &st->dir[in->from_client ? 0 : 1];
	st->calls++;
	if (dir->off > in->len) /* the stream cannot shrink; be safe anyway */
		dir->phase = SSH_PH_STOPPED;
	bool was_encrypted = dir->phase == SSH_PH_ENCRYPTED;
	ssh_banner(dir, in);
	ssh_packets(dir, in);
	if (was_encrypted || dir->phase == SSH_PH_ENCRYPTED)
		ssh_encrypted(dir, in, was_encrypted);

	const struct ssh_dir *c = &st->dir[0], *s = &st->dir[1];
	bool both_keys = c->phase == SSH_PH_ENCRYPTED && s->phase == SSH_PH_ENCRYPTED;
	if (both_keys)
		ssh_set_state(in->meta, APP_STATE_SSH_AUTHENTICATION);
	if (both_keys && ssh_dir_finished(c) && ssh_dir_finished(s)) {
		ssh_set_state(in->meta, APP_STATE_SSH_ESTABLISHED);
		return PARSE_DONE;
	}
	if ((ssh_dir_finished(c) && ssh_dir_finished(s)) || st->calls >= SSH_MAX_CALLS)
		return PARSE_DONE;
	return PARSE_MORE;
}

const struct dissector dissector_ssh = {
	.name = "ssh",
	.label = "SSH",
	.l4 = L4_TCP,
	.ports = { 22, 2222, 0 },
	.probe = ssh_probe,
	.parse = ssh_parse,
	.state_size = sizeof(struct ssh_state),
};
