/* Unit tests for the SSH dissector: banners, pre-banner lines, the
 * KEXINIT / NEWKEYS state progression and its bounds. */
#include "check.h"

#include <stdlib.h>

#include "dissect/dissector.h"

extern const struct dissector dissector_ssh;

#define STREAM_MAX 16384

/* One connection: the stream of each direction grows as segments arrive,
 * as the DPI driver presents it. */
struct conn {
	struct flow_meta meta;
	struct pkt pkt;
	void *state;
	uint8_t buf[2][STREAM_MAX];
	size_t len[2];
	size_t cap[2]; /* reassembly bound per direction */
};

static void conn_init(struct conn *c)
{
	memset(c, 0, sizeof *c);
	meta_init(&c->meta);
	c->pkt.l4 = L4_TCP;
	c->pkt.sport = 50000;
	c->pkt.dport = 22;
	c->state = calloc(1, dissector_ssh.state_size);
	c->cap[0] = c->cap[1] = STREAM_MAX;
}

static void conn_fini(struct conn *c)
{
	meta_fini(&c->meta);
	free(c->state);
}

static struct dissect_in conn_add(struct conn *c, bool from_client, const void *seg, size_t n)
{
	int d = from_client ? 0 : 1;
	size_t room = c->cap[d] - c->len[d], take = n < room ? n : room;
	memcpy(c->buf[d] + c->len[d], seg, take);
	c->len[d] += take;
	c->pkt.payload_len = (uint32_t)n;
	struct dissect_in in = {
		.data = c->buf[d], .len = c->len[d], .from_client = from_client,
		.stream_full = c->len[d] == c->cap[d], .pkt = &c->pkt, .meta = &c->meta,
	};
	return in;
}

static enum probe_result conn_probe(struct conn *c, bool from_client, const char *s)
{
	struct dissect_in in = conn_add(c, from_client, s, strlen(s));
	return dissector_ssh.probe(&in);
}

static enum parse_result conn_send(struct conn *c, bool from_client, const void *seg, size_t n)
{
	struct dissect_in in = conn_add(c, from_client, seg, n);
	return dissector_ssh.parse(c->state, &in);
}

static enum parse_result conn_sends(struct conn *c, bool from_client, const char *s)
{
	return conn_send(c, from_client, s, strlen(s));
}

/* An unencrypted binary packet with message `code` and `body` more payload
 * bytes, padded to a multiple of 8 as RFC 4253 6 asks. */
static size_t ssh_packet(uint8_t *out, uint8_t code, size_t body)
{
	size_t pad = 8 - ((4 + 1 + 1 + body) % 8);
	if (pad < 4)
		pad += 8;
	size_t plen = 1 + 1 + body + pad;
	out[0] = (uint8_t)(plen >> 24);
	out[1] = (uint8_t)(plen >> 16);
	out[2] = (uint8_t)(plen >> 8);
	out[3] = (uint8_t)plen;
	out[4] = (uint8_t)pad;
	out[5] = code;
	memset(out + 6, 0x5a, body + pad);
	return 4 + plen;
}

static const char cli_banner[] = "SSH-2.0-OpenSSH_9.2p1 Debian-2\r\n";
static const char srv_banner[] = "SSH-2.0-OpenSSH_7.4\r\n";

static void test_banners_both_sides(void)
{
	struct conn c;
	conn_init(&c);
	CHECK_INT(conn_probe(&c, true, cli_banner), PROBE_YES);
	c.len[0] = 0;
	CHECK_INT(conn_sends(&c, true, cli_banner), PARSE_MORE);
	CHECK_INT(c.meta.app, APP_SSH);
	CHECK_INT(c.meta.app_state, APP_STATE_SSH_BANNER);
	CHECK_STR(meta_str(&c.meta, META_SSH_CLIENT), "SSH-2.0-OpenSSH_9.2p1 Debian-2");
	CHECK_STR(meta_str(&c.meta, META_SSH_SERVER), NULL);
	CHECK_INT(conn_sends(&c, false, srv_banner), PARSE_MORE);
	CHECK_STR(meta_str(&c.meta, META_SSH_SERVER), "SSH-2.0-OpenSSH_7.4");
	CHECK_INT(c.meta.app_state, APP_STATE_SSH_BANNER);
	conn_fini(&c);
}

static void test_banner_split_and_lf_only(void)
{
	struct conn c;
	conn_init(&c);
	CHECK_INT(conn_probe(&c, false, "SS"), PROBE_MAYBE);
	c.len[1] = 0;
	CHECK_INT(conn_sends(&c, false, "SSH-1.99-Cisco"), PARSE_MORE);
	CHECK_STR(meta_str(&c.meta, META_SSH_SERVER), NULL);
	CHECK_INT(conn_sends(&c, false, "-1.25\n"), PARSE_MORE);
	CHECK_STR(meta_str(&c.meta, META_SSH_SERVER), "SSH-1.99-Cisco-1.25");
	/* control bytes in a banner are stored escaped */
	CHECK_INT(conn_sends(&c, true, "SSH-2.0-evil\x1b[2J\r\n"), PARSE_MORE);
	CHECK_STR(meta_str(&c.meta, META_SSH_CLIENT), "SSH-2.0-evil\\x1b[2J");
	conn_fini(&c);
}

static void test_pre_banner_lines(void)
{
	const char *pre = "Welcome to the gateway\r\nAuthorised use only\r\n";
	struct conn c;
	conn_init(&c);
	CHECK_INT(conn_probe(&c, false, "Welcome to the gateway\r\n"), PROBE_MAYBE);
	CHECK_INT(conn_probe(&c, false, "Authorised use only\r\nSSH-2.0-gw\r\n"), PROBE_YES);
	c.len[1] = 0;
	CHECK_INT(conn_sends(&c, false, pre), PARSE_MORE);
	CHECK_INT(c.meta.app_state, APP_STATE_NONE);
	CHECK_INT(conn_sends(&c, false, "SSH-2.0-gw\r\n"), PARSE_MORE);
	CHECK_STR(meta_str(&c.meta, META_SSH_SERVER), "SSH-2.0-gw");
	CHECK_INT(c.meta.app_state, APP_STATE_SSH_BANNER);
	conn_fini(&c);
}

static void test_pre_banner_lines_bounded(void)
{
	struct conn c;
	conn_init(&c);
	for (int i = 0; i < 9; i++)
		CHECK_INT(conn_probe(&c, false, "line\r\n"), i < 8 ? PROBE_MAYBE : PROBE_NO);
	/* the client may not send anything before its banner */
	CHECK_INT(conn_probe(&c, true, "hello\r\nSSH-2.0-x\r\n"), PROBE_NO);
	/* parse gives up on a server that never identifies itself */
	struct conn d;
	conn_init(&d);
	enum parse_result r = PARSE_MORE;
	for (int i = 0; i < 20 && r == PARSE_MORE; i++)
		r = conn_sends(&d, false, "still not a banner\r\n");
	CHECK_INT(conn_sends(&d, true, "SSH-2.0-c\r\n"), PARSE_MORE);
	CHECK_STR(meta_str(&d.meta, META_SSH_SERVER), NULL);
	conn_fini(&c);
	conn_fini(&d);
}

static void test_kexinit_newkeys_progression(void)
{
	uint8_t p[2048];
	size_t n;
	struct conn c;
	conn_init(&c);
	conn_sends(&c, false, srv_banner);
	conn_sends(&c, true, cli_banner);
	/* client KEXINIT in two segments */
	n = ssh_packet(p, 20, 1000);
	CHECK_INT(conn_send(&c, true, p, 300), PARSE_MORE);
	CHECK_INT(c.meta.app_state, APP_STATE_SSH_BANNER);
	CHECK_INT(conn_send(&c, true, p + 300, n - 300), PARSE_MORE);
	CHECK_INT(c.meta.app_state, APP_STATE_SSH_KEYEXCHANGE);
	/* server KEXINIT, ECDH reply and NEWKEYS in one segment */
	uint8_t s[4096];
	size_t sn = ssh_packet(s, 20, 600);
	sn += ssh_packet(s + sn, 31, 500);
	sn += ssh_packet(s + sn, 21, 0);
	CHECK_INT(conn_send(&c, false, s, sn), PARSE_MORE);
	CHECK_INT(c.meta.app_state, APP_STATE_SSH_KEYEXCHANGE);
	/* client ECDH init, then NEWKEYS: both sides switched keys */
	n = ssh_packet(p, 30, 32);
	CHECK_INT(conn_send(&c, true, p, n), PARSE_MORE);
	CHECK_INT(c.meta.app_state, APP_STATE_SSH_KEYEXCHANGE);
	n = ssh_packet(p, 21, 0);
	CHECK_INT(conn_send(&c, true, p, n), PARSE_MORE);
	CHECK_INT(c.meta.app_state, APP_STATE_SSH_AUTHENTICATION);
	/* encrypted traffic both ways: established after a few segments each */
	uint8_t enc[64];
	memset(enc, 0xa7, sizeof enc);
	enum parse_result r = PARSE_MORE;
	int segs = 0;
	for (; segs < 10 && r == PARSE_MORE; segs++) {
		r = conn_send(&c, true, enc, sizeof enc);
		if (r == PARSE_MORE)
			r = conn_send(&c, false, enc, sizeof enc);
		if (segs < 3)
			CHECK_INT(c.meta.app_state, APP_STATE_SSH_AUTHENTICATION);
	}
	CHECK_INT(r, PARSE_DONE);
	CHECK_INT(segs, 4);
	CHECK_INT(c.meta.app_state, APP_STATE_SSH_ESTABLISHED);
	conn_fini(&c);
}

static void test_encrypted_data_after_newkeys_in_same_segment(void)
{
	uint8_t s[512];
	struct conn c;
	conn_init(&c);
	conn_sends(&c, true, cli_banner);
	conn_sends(&c, false, srv_banner);
	size_t n = ssh_packet(s, 21, 0);
	memset(s + n, 0xee, 48); /* first encrypted packet rides along */
	conn_send(&c, false, s, n + 48);
	n = ssh_packet(s, 21, 0);
	conn_send(&c, true, s, n);
	CHECK_INT(c.meta.app_state, APP_STATE_SSH_AUTHENTICATION);
	uint8_t enc[40] = { 0 };
	for (int i = 0; i < 3; i++)
		conn_send(&c, false, enc, sizeof enc);
	/* server: 4 segments with data after NEWKEYS; client: none yet */
	CHECK_INT(c.meta.app_state, APP_STATE_SSH_AUTHENTICATION);
	enum parse_result r = PARSE_MORE;
	for (int i = 0; i < 4; i++)
		r = conn_send(&c, true, enc, sizeof enc);
	CHECK_INT(r, PARSE_DONE);
	CHECK_INT(c.meta.app_state, APP_STATE_SSH_ESTABLISHED);
	conn_fini(&c);
}

static void test_non_ssh_not_detected(void)
{
	struct conn c;
	conn_init(&c);
	CHECK_INT(conn_probe(&c, true, "GET / HTTP/1.1\r\nHost: x\r\n\r\n"), PROBE_NO);
	struct conn d;
	conn_init(&d);
	const uint8_t bin[] = { 0x16, 0x03, 0x01, 0x02, 0x00, 0x01 };
	struct dissect_in in = conn_add(&d, false, bin, sizeof bin);
	CHECK_INT(dissector_ssh.probe(&in), PROBE_NO);
	struct conn e;
	conn_init(&e);
	CHECK_INT(conn_probe(&e, true, "SSH-x"), PROBE_NO); /* version must start with a digit */
	struct conn f;
	conn_init(&f);
	CHECK_INT(conn_probe(&f, false, "220 mail.example.com ESMTP\r\n"), PROBE_MAYBE);
	CHECK_INT(conn_probe(&f, true, "EHLO me\r\n"), PROBE_NO);
	conn_fini(&c);
	conn_fini(&d);
	conn_fini(&e);
	conn_fini(&f);
}

static void test_bad_framing_and_ssh1_stop(void)
{
	struct conn c;
	conn_init(&c);
	conn_sends(&c, true, cli_banner);
	conn_sends(&c, false, srv_banner);
	const uint8_t huge[] = { 0x7f, 0xff, 0xff, 0xff, 4, 20 };
	CHECK_INT(conn_send(&c, true, huge, sizeof huge), PARSE_MORE);
	CHECK_INT(c.meta.app_state, APP_STATE_SSH_BANNER);
	const uint8_t badpad[] = { 0, 0, 0, 8, 9, 20, 0, 0, 0, 0, 0, 0 };
	CHECK_INT(conn_send(&c, false, badpad, sizeof badpad), PARSE_DONE);
	CHECK_INT(c.meta.app_state, APP_STATE_SSH_BANNER);

	/* SSH 1.x framing is different: banners only */
	struct conn d;
	conn_init(&d);
	CHECK_INT(conn_sends(&d, true, "SSH-1.5-old\n"), PARSE_MORE);
	CHECK_INT(conn_sends(&d, false, "SSH-1.5-srv\n"), PARSE_DONE);
	CHECK_STR(meta_str(&d.meta, META_SSH_SERVER), "SSH-1.5-srv");
	conn_fini(&c);
	conn_fini(&d);
}

static void test_stream_bound_and_call_bound(void)
{
	/* the reassembly bound cuts a packet: that side stops */
	uint8_t p[1024];
	struct conn c;
	conn_init(&c);
	c.cap[0] = c.cap[1] = 600;
	conn_sends(&c, true, cli_banner);
	conn_sends(&c, false, srv_banner);
	size_t n = ssh_packet(p, 20, 900);
	conn_send(&c, true, p, n);
	conn_send(&c, false, p, n);
	CHECK_INT(conn_send(&c, false, p, n), PARSE_DONE);
	CHECK_INT(c.meta.app_state, APP_STATE_SSH_BANNER);

	/* one side keeps sending encrypted data, the other is silent: bounded */
	struct conn d;
	conn_init(&d);
	conn_sends(&d, true, cli_banner);
	conn_sends(&d, false, srv_banner);
	n = ssh_packet(p, 21, 0);
	conn_send(&d, true, p, n);
	int calls = 0;
	uint8_t enc[100] = { 1 };
	while (conn_send(&d, true, enc, sizeof enc) == PARSE_MORE && calls < 1000)
		calls++;
	CHECK(calls < 100);
	CHECK_INT(d.meta.app_state, APP_STATE_SSH_BANNER);
	conn_fini(&c);
	conn_fini(&d);
}

static void test_established_past_stream_bound(void)
{
	/* the streams fill up exactly at NEWKEYS; later segments still count */
	uint8_t p[64];
	size_t nk = ssh_packet(p, 21, 0);
	struct conn c;
	conn_init(&c);
	c.cap[0] = strlen(cli_banner) + nk;
	conn_sends(&c, true, cli_banner);
	CHECK_INT(conn_send(&c, true, p, nk), PARSE_MORE);
	conn_sends(&c, false, srv_banner);
	conn_send(&c, false, p, nk);
	CHECK_INT(c.meta.app_state, APP_STATE_SSH_AUTHENTICATION);
	uint8_t enc[32] = { 0 };
	for (int i = 0; i < 3; i++) {
		conn_send(&c, true, enc, sizeof enc); /* stream full: length unchanged */
		conn_send(&c, false, enc, sizeof enc);
	}
	CHECK_INT(c.len[0], c.cap[0]);
	conn_send(&c, false, enc, sizeof enc);
	CHECK_INT(c.meta.app_state, APP_STATE_SSH_AUTHENTICATION);
	CHECK_INT(conn_send(&c, true, enc, sizeof enc), PARSE_DONE);
	CHECK_INT(c.meta.app_state, APP_STATE_SSH_ESTABLISHED);
	conn_fini(&c);
}

int main(void)
{
	RUN(test_banners_both_sides);
	RUN(test_banner_split_and_lf_only);
	RUN(test_pre_banner_lines);
	RUN(test_pre_banner_lines_bounded);
	RUN(test_kexinit_newkeys_progression);
	RUN(test_encrypted_data_after_newkeys_in_same_segment);
	RUN(test_non_ssh_not_detected);
	RUN(test_bad_framing_and_ssh1_stop);
	RUN(test_stream_bound_and_call_bound);
	RUN(test_established_past_stream_bound);
	return check_summary("test_ssh");
}
