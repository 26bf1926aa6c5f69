/* test_upgrade.c - connections that switch protocol, fed through the DPI
 * driver: SMTP, IMAP and POP3 sessions that start TLS (RFC 3207, RFC 9051
 * 6.2.1, RFC 2595), HTTP CONNECT tunnels and Upgrades (RFC 9110 9.3.6,
 * 7.8), HTTP/2 with prior knowledge (RFC 9113 3.3). The plaintext
 * protocol names the connection; what follows is inspected. */
#include <string.h>

#include "check.h"
#include "conv.h"

static void check_tls_after(struct conv *c, uint16_t port, const char *app)
{
	CHECK_STR(meta_app_name(&c->m, port), app);
	CHECK_STR(meta_str(&c->m, META_UPGRADE), "TLS");
	CHECK_STR(meta_str(&c->m, META_SNI), "mail.golden.test");
	CHECK_INT(c->m.tls_version, 0x0304);
	CHECK_INT(c->m.tls_cipher, 0x1301);
	CHECK(!c->inspecting); /* both hellos seen: nothing more to learn */
}

static void test_smtp_starttls(void)
{
	struct conv c;
	conv_open(&c, 25);
	conv_say(&c, false, "220 mail.golden.test ESMTP Postfix (Debian/GNU)\r\n");
	conv_say(&c, true, "EHLO client.golden.test\r\n");
	conv_say(&c, false, "250-mail.golden.test\r\n250-PIPELINING\r\n250 STARTTLS\r\n");
	conv_say(&c, true, "STARTTLS\r\n");
	CHECK(meta_str(&c.m, META_UPGRADE) == NULL); /* asked, not yet accepted */
	conv_say(&c, false, "220 2.0.0 Ready to start TLS\r\n");
	conv_tls_handshake(&c, "mail.golden.test", "smtp");
	check_tls_after(&c, 25, "SMTP");
	CHECK_STR(meta_str(&c.m, META_ALPN), "smtp");
	conv_close(&c);
}

/* Segments cut anywhere, on a port that hints nothing. */
static void test_smtp_split_unhinted(void)
{
	struct conv c;
	conv_open(&c, 10025);
	conv_say(&c, false, "220-mail.golden.test ESMTP\r\n220 welcome\r\n");
	conv_say(&c, true, "EH");
	conv_say(&c, true, "LO x\r\n");
	conv_say(&c, false, "250-mail.golden.test\r\n250 STARTTLS\r\n");
	conv_say(&c, true, "START");
	conv_say(&c, true, "TLS\r\n");
	conv_say(&c, false, "220 go ");
	conv_say(&c, false, "ahead\r\n");
	conv_tls_handshake(&c, "mail.golden.test", NULL);
	check_tls_after(&c, 10025, "SMTP");
	conv_close(&c);
}

/* A client that sends its hello right behind STARTTLS (it should wait for
 * the 220): TLS still starts where the command ends. */
static void test_smtp_hello_behind_command(void)
{
	struct conv c;
	uint8_t b[1024];
	conv_open(&c, 587);
	conv_say(&c, false, "220 mail.golden.test ESMTP\r\n");
	conv_say(&c, true, "EHLO x\r\n");
	conv_say(&c, false, "250 STARTTLS\r\n");
	memcpy(b, "STARTTLS\r\n", 10);
	size_t n = conv_client_hello(b + 10, sizeof b - 10, "mail.golden.test", NULL);
	conv_send(&c, true, b, 10 + n);
	conv_say(&c, false, "220 ready\r\n");
	conv_send(&c, false, b, conv_server_hello(b, sizeof b, 0x1301));
	check_tls_after(&c, 587, "SMTP");
	conv_close(&c);
}

static void test_smtp_refused(void)
{
	struct conv c;
	conv_open(&c, 25);
	conv_say(&c, false, "220 mail.golden.test ESMTP\r\n");
	conv_say(&c, true, "EHLO x\r\n");
	conv_say(&c, false, "250 mail.golden.test\r\n");
	conv_say(&c, true, "STARTTLS\r\n");
	conv_say(&c, false, "454-4.7.0 TLS not available\r\n454 4.7.0 try later\r\n");
	CHECK(c.inspecting);
	conv_say(&c, true, "MAIL FROM:<a@golden.test>\r\n");
	CHECK(!c.inspecting); /* a transaction in the clear: no TLS can follow */
	CHECK_STR(meta_app_name(&c.m, 25), "SMTP");
	CHECK(meta_str(&c.m, META_UPGRADE) == NULL);
	CHECK_INT(c.m.tls_version, 0);
	conv_close(&c);
}

/* An FTP server greets with 220 too: not SMTP's, FTP's. */
static void test_ftp_greeting_is_not_smtp(void)
{
	struct conv c;
	conv_open(&c, 2121);
	conv_say(&c, false, "220 (vsFTPd 3.0.3)\r\n");
	conv_say(&c, true, "USER anonymous\r\n");
	CHECK_STR(meta_app_name(&c.m, 2121), "FTP");
	conv_close(&c);
}

static void test_imap_starttls(void)
{
	struct conv c;
	conv_open(&c, 143);
	conv_say(&c, false, "* OK [CAPABILITY IMAP4rev1 STARTTLS LOGINDISABLED] ready\r\n");
	conv_say(&c, true, ". CAPABILITY\r\n");
	conv_say(&c, false, "* CAPABILITY IMAP4rev1 STARTTLS\r\n. OK done\r\n");
	conv_say(&c, true, "a2 STARTTLS\r\n");
	conv_say(&c, false, "* OK still here\r\n");
	conv_say(&c, false, "a2 OK Begin TLS negotiation now\r\n");
	conv_tls_handshake(&c, "mail.golden.test", "imap");
	check_tls_after(&c, 143, "IMAP");
	conv_close(&c);
}

static void test_imap_refused_then_login(void)
{
	struct conv c;
	conv_open(&c, 143);
	conv_say(&c, true, "a1 STARTTLS\r\n"); /* the greeting was not captured */
	conv_say(&c, false, "a1 BAD not now\r\n");
	CHECK(c.inspecting);
	conv_say(&c, true, "a2 LOGIN user pass\r\n");
	CHECK(!c.inspecting);
	CHECK_STR(meta_app_name(&c.m, 143), "IMAP");
	CHECK(meta_str(&c.m, META_UPGRADE) == NULL);
	conv_close(&c);
}

static void test_pop3_stls(void)
{
	struct conv c;
	conv_open(&c, 110);
	conv_say(&c, false, "+OK POP3 ready\r\n");
	conv_say(&c, true, "CAPA\r\n");
	conv_say(&c, false, "+OK\r\nSTLS\r\nUSER\r\n.\r\n");
	conv_say(&c, true, "STLS\r\n");
	conv_say(&c, false, "+OK Begin TLS negotiation\r\n");
	conv_tls_handshake(&c, "mail.golden.test", NULL);
	check_tls_after(&c, 110, "POP3");
	conv_close(&c);
}

static void test_pop3_refused(void)
{
	struct conv c;
	conv_open(&c, 110);
	conv_say(&c, false, "+OK POP3 ready\r\n");
	conv_say(&c, true, "STLS\r\n");
	conv_say(&c, false, "-ERR not supported\r\n");
	conv_say(&c, true, "USER me\r\n");
	CHECK(!c.inspecting);
	CHECK_STR(meta_app_name(&c.m, 110), "POP3");
	CHECK(meta_str(&c.m, META_UPGRADE) == NULL);
	conv_close(&c);
}


static const char h2_preface[] = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n";

/* curl --proxy: the request is recorded, the TLS inside the tunnel read. */
static void test_connect_tunnel(void)
{
	struct conv c;
	conv_open(&c, 3128);
	conv_say(&c, true, "CONNECT www.golden.test:443 HTTP/1.1\r\nHost: www.golden.test:443\r\n"
			   "User-Agent: curl/7.88.1\r\nProxy-Connection: Keep-Alive\r\n\r\n");
	conv_say(&c, false, "HTTP/1.1 200 Connection established\r\n\r\n");
	conv_tls_handshake(&c, "www.golden.test", "h2,http/1.1");
	CHECK_STR(meta_app_name(&c.m, 3128), "HTTP");
	CHECK_STR(meta_str(&c.m, META_HTTP_METHOD), "CONNECT");
	CHECK_STR(meta_str(&c.m, META_HTTP_PATH), "www.golden.test:443");
	CHECK_STR(meta_str(&c.m, META_HTTP_HOST), "www.golden.test:443");
	uint64_t status = 0;
	CHECK(meta_num(&c.m, META_HTTP_STATUS, &status) && status == 200);
	CHECK_STR(meta_str(&c.m, META_UPGRADE), "TLS");
	CHECK_STR(meta_str(&c.m, META_SNI), "www.golden.test");
	CHECK_STR(meta_str(&c.m, META_ALPN), "h2\x1fhttp/1.1");
	CHECK_INT(c.m.tls_cipher, 0x1301);
	CHECK(!c.inspecting);
	conv_close(&c);
}

/* SSH through a proxy: whatever runs inside is found by content. */
static void test_connect_other_protocol(void)
{
	struct conv c;
	conv_open(&c, 8080);
	conv_say(&c, true, "CONNECT git.golden.test:22 HTTP/1.1\r\nHost: git.golden.test:22\r\n\r\n");
	conv_say(&c, false, "HTTP/1.0 200 OK\r\nVia: golden\r\n\r\nSSH-2.0-OpenSSH_9.2p1\r\n");
	conv_say(&c, true, "SSH-2.0-OpenSSH_9.6\r\n");
	CHECK_STR(meta_app_name(&c.m, 8080), "HTTP");
	CHECK_STR(meta_str(&c.m, META_UPGRADE), "SSH");
	CHECK_STR(meta_str(&c.m, META_SSH_SERVER), "SSH-2.0-OpenSSH_9.2p1");
	CHECK_STR(meta_str(&c.m, META_SSH_CLIENT), "SSH-2.0-OpenSSH_9.6");
	conv_close(&c);
}

static void test_connect_refused(void)
{
	struct conv c;
	conv_open(&c, 3128);
	conv_say(&c, true, "CONNECT blocked.golden.test:443 HTTP/1.1\r\n\r\n");
	conv_say(&c, false, "HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n");
	CHECK(!c.inspecting);
	CHECK(meta_str(&c.m, META_UPGRADE) == NULL);
	conv_close(&c);
}

static void test_websocket(void)
{
	struct conv c;
	conv_open(&c, 80);
	conv_say(&c, true, "GET /chat HTTP/1.1\r\nHost: ws.golden.test\r\nUpgrade: websocket\r\n"
			   "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
			   "Sec-WebSocket-Version: 13\r\n\r\n");
	conv_say(&c, false, "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n"
			    "Connection: Upgrade\r\n"
			    "Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n\r\n");
	CHECK(!c.inspecting); /* WebSocket frames: nothing more to read */
	CHECK_STR(meta_app_name(&c.m, 80), "HTTP");
	CHECK_STR(meta_str(&c.m, META_UPGRADE), "websocket");
	CHECK_STR(meta_str(&c.m, META_HTTP_PATH), "/chat");
	conv_close(&c);
}

/* An Upgrade the server does not take: the connection stays HTTP/1.1. */
static void test_upgrade_declined(void)
{
	struct conv c;
	conv_open(&c, 80);
	conv_say(&c, true, "GET / HTTP/1.1\r\nHost: a\r\nUpgrade: h2c\r\nConnection: Upgrade\r\n\r\n");
	conv_say(&c, false, "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n");
	CHECK(!c.inspecting);
	CHECK(meta_str(&c.m, META_UPGRADE) == NULL);
	conv_close(&c);
}

/* An HPACK block (RFC 7541 C.4.1 with a user-agent): GET http / www.example.com. */
static size_t h2_headers(uint8_t *out, uint32_t stream, bool split)
{
	static const uint8_t block[] = { 0x82, 0x86, 0x84, 0x41, 0x8c, 0xf1, 0xe3, 0xc2, 0xe5, 0xf2,
					 0x3a, 0x6b, 0xa0, 0xab, 0x90, 0xf4, 0xff, 0x7a, 0x04,
					 'g', 'o', 'l', 'd' };
	size_t n = 0, cut = split ? 5 : sizeof block;
	const uint8_t hdr1[9] = { 0, 0, (uint8_t)cut, 0x1, split ? 0x1 : 0x5, 0, 0, 0,
				  (uint8_t)stream };
	memcpy(out, hdr1, 9);
	memcpy(out + 9, block, cut);
	n = 9 + cut;
	if (split) {
		const uint8_t hdr2[9] = { 0, 0, (uint8_t)(sizeof block - cut), 0x9, 0x4, 0, 0, 0,
					  (uint8_t)stream };
		memcpy(out + n, hdr2, 9);
		memcpy(out + n + 9, block + cut, sizeof block - cut);
		n += 9 + sizeof block - cut;
	}
	return n;
}

static void test_h2_prior_knowledge(void)
{
	static const uint8_t settings[9] = { 0, 0, 0, 0x4, 0, 0, 0, 0, 0 };
	static const uint8_t response[] = { 0, 0, 1, 0x1, 0x4, 0, 0, 0, 1, 0x88 }; /* :status 200 */
	for (int split = 0; split < 2; split++) {
		struct conv c;
		uint8_t b[128];
		conv_open(&c, 8080);
		conv_send(&c, false, settings, sizeof settings); /* the server's may come first */
		memcpy(b, h2_preface, 24);
		memcpy(b + 24, settings, 9);
		conv_send(&c, true, b, 33);
		conv_send(&c, true, b, h2_headers(b, 1, split));
		conv_send(&c, false, response, sizeof response);
		CHECK_STR(meta_app_name(&c.m, 8080), "HTTP2");
		CHECK_STR(meta_str(&c.m, META_HTTP_METHOD), "GET");
		CHECK_STR(meta_str(&c.m, META_HTTP_PATH), "/");
		CHECK_STR(meta_str(&c.m, META_HTTP_HOST), "www.example.com");
		CHECK_STR(meta_str(&c.m, META_HTTP_UA), "gold");
		uint64_t status = 0;
		CHECK(meta_num(&c.m, META_HTTP_STATUS, &status) && status == 200);
		CHECK(!c.inspecting);
		conv_close(&c);
	}
}

/* curl --http2 http://...: HTTP/1.1 with Upgrade: h2c, 101, then HTTP/2. */
static void test_h2c_upgrade(void)
{
	static const uint8_t settings[9] = { 0, 0, 0, 0x4, 0, 0, 0, 0, 0 };
	struct conv c;
	uint8_t b[128];
	conv_open(&c, 80);
	conv_say(&c, true, "GET /h2c HTTP/1.1\r\nHost: h2c.golden.test\r\nConnection: Upgrade, "
			   "HTTP2-Settings\r\nUpgrade: h2c\r\nHTTP2-Settings: AAMAAABkAAQCAAAAAAIAAAAA\r\n\r\n");
	conv_say(&c, false, "HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: h2c\r\n\r\n");
	CHECK(c.inspecting);
	conv_send(&c, false, settings, sizeof settings);
	memcpy(b, h2_preface, 24);
	memcpy(b + 24, settings, 9);
	conv_send(&c, true, b, 33);
	static const uint8_t response[] = { 0, 0, 1, 0x1, 0x4, 0, 0, 0, 1, 0x88 };
	conv_send(&c, false, response, sizeof response);
	CHECK(c.inspecting);
	conv_send(&c, true, b, h2_headers(b, 3, false)); /* HTTP/2 read both first blocks */
	CHECK(!c.inspecting);
	CHECK_STR(meta_app_name(&c.m, 80), "HTTP");
	CHECK_STR(meta_str(&c.m, META_UPGRADE), "h2c");
	CHECK_STR(meta_str(&c.m, META_HTTP_PATH), "/h2c");
	CHECK_STR(meta_str(&c.m, META_HTTP_HOST), "h2c.golden.test");
	conv_close(&c);
}

/* RFC 2817: Upgrade to TLS within HTTP/1.1. */
static void test_upgrade_to_tls(void)
{
	struct conv c;
	conv_open(&c, 80);
	conv_say(&c, true, "OPTIONS * HTTP/1.1\r\nHost: tls.golden.test\r\nUpgrade: TLS/1.0\r\n"
			   "Connection: Upgrade\r\n\r\n");
	conv_say(&c, false, "HTTP/1.1 101 Switching Protocols\r\nUpgrade: TLS/1.0, HTTP/1.1\r\n"
			    "Connection: Upgrade\r\n\r\n");
	conv_tls_handshake(&c, "tls.golden.test", NULL);
	CHECK_STR(meta_str(&c.m, META_UPGRADE), "TLS");
	CHECK_STR(meta_str(&c.m, META_SNI), "tls.golden.test");
	conv_close(&c);
}

/* DNS messages over HTTP/1.1 in the clear (RFC 8484 4.1). */
static void test_doh_in_the_clear(void)
{
	struct conv c;
	conv_open(&c, 80);
	conv_say(&c, true, "POST /dns-query HTTP/1.1\r\nHost: doh.golden.test\r\n"
			   "Content-Type: application/dns-message\r\nContent-Length: 33\r\n\r\n");
	CHECK_STR(meta_app_name(&c.m, 80), "DoH");
	conv_close(&c);
	/* inside a CONNECT tunnel the connection stays the proxy's HTTP */
	conv_open(&c, 3128);
	conv_say(&c, true, "CONNECT doh.golden.test:80 HTTP/1.1\r\n\r\n");
	conv_say(&c, false, "HTTP/1.1 200 OK\r\n\r\n");
	conv_say(&c, true, "GET /dns-query?dns=AAAB HTTP/1.1\r\nAccept: application/dns-message\r\n\r\n");
	CHECK_STR(meta_app_name(&c.m, 3128), "HTTP");
	CHECK_STR(meta_str(&c.m, META_UPGRADE), "HTTP");
	conv_close(&c);
}

/* PostgreSQL's SSLRequest answered 'S' (TLS) or 'N' (in the clear). */
static void test_pgsql_ssl_request(void)
{
	static const uint8_t ssl_request[8] = { 0, 0, 0, 8, 0x04, 0xd2, 0x16, 0x2f };
	struct conv c;
	conv_open(&c, 15432);
	conv_send(&c, true, ssl_request, sizeof ssl_request);
	conv_say(&c, false, "S");
	conv_tls_handshake(&c, "db.golden.test", "postgresql");
	CHECK_STR(meta_app_name(&c.m, 15432), "PostgreSQL");
	CHECK_STR(meta_str(&c.m, META_UPGRADE), "TLS");
	CHECK_STR(meta_str(&c.m, META_SNI), "db.golden.test");
	CHECK_INT(c.m.tls_cipher, 0x1301);
	CHECK(!c.inspecting);
	conv_close(&c);
	conv_open(&c, 5432);
	conv_send(&c, true, ssl_request, sizeof ssl_request);
	conv_say(&c, false, "N");
	CHECK(!c.inspecting);
	CHECK_STR(meta_app_name(&c.m, 5432), "PostgreSQL");
	CHECK(meta_str(&c.m, META_UPGRADE) == NULL);
	conv_close(&c);
}

#define XMPP_TLS_NS "'urn:ietf:params:xml:ns:xmpp-tls'"
#define XMPP_CLIENT_HEADER "<stream:stream xmlns:stream='http://etherx.jabber.org/streams' " \
			   "xmlns='jabber:client' to='chat.golden.test' version='1.0'>"
#define XMPP_SERVER_HEADER "<?xml version='1.0'?><stream:stream xmlns='jabber:client' " \
			   "xmlns:stream='http://etherx.jabber.org/streams' id='s1' " \
			   "from='chat.golden.test' version='1.0'><stream:features>" \
			   "<starttls xmlns=" XMPP_TLS_NS "><required/></starttls></stream:features>"

/* RFC 6120 5.4: <starttls/> answered <proceed/>; the stream header's to=
 * is kept. Cut anywhere, on a port that hints nothing. */
static void test_xmpp_starttls(void)
{
	struct conv c;
	conv_open(&c, 15222);
	conv_say(&c, true, "<?xml version='1.0'?>\n<stream:stream xmlns:stream='http://eth");
	conv_say(&c, true, "erx.jabber.org/streams' xmlns='jabber:client' to=\"chat.golden.test\" a='>'>");
	conv_say(&c, false, XMPP_SERVER_HEADER);
	conv_say(&c, true, "<starttls xmlns=" XMPP_TLS_NS "/");
	conv_say(&c, true, ">");
	CHECK(meta_str(&c.m, META_UPGRADE) == NULL); /* asked, not yet accepted */
	conv_say(&c, false, "<proceed xmlns=" XMPP_TLS_NS "/>");
	conv_tls_handshake(&c, "chat.golden.test", "xmpp-client");
	CHECK_STR(meta_app_name(&c.m, 15222), "XMPP");
	CHECK_STR(meta_str(&c.m, META_XMPP_TO), "chat.golden.test");
	CHECK_STR(meta_str(&c.m, META_UPGRADE), "TLS");
	CHECK_STR(meta_str(&c.m, META_SNI), "chat.golden.test");
	CHECK_STR(meta_str(&c.m, META_ALPN), "xmpp-client");
	CHECK_INT(c.m.tls_cipher, 0x1301);
	CHECK(!c.inspecting);
	conv_close(&c);
}

/* <starttls ...></starttls> and <proceed ...></proceed>: TLS starts after
 * the end tags. */
static void test_xmpp_end_tags(void)
{
	struct conv c;
	conv_open(&c, 5222);
	conv_say(&c, true, XMPP_CLIENT_HEADER);
	conv_say(&c, false, XMPP_SERVER_HEADER);
	conv_say(&c, true, "<starttls xmlns=" XMPP_TLS_NS "></starttls>");
	conv_say(&c, false, "<proceed xmlns=" XMPP_TLS_NS "></proceed>");
	conv_tls_handshake(&c, "chat.golden.test", NULL);
	CHECK_STR(meta_str(&c.m, META_UPGRADE), "TLS");
	CHECK_STR(meta_str(&c.m, META_SNI), "chat.golden.test");
	conv_close(&c);
}

/* <failure/> (5.4.2.2), or SASL in the clear: no TLS to look for. */
static void test_xmpp_refused(void)
{
	struct conv c;
	conv_open(&c, 5222);
	conv_say(&c, true, XMPP_CLIENT_HEADER);
	conv_say(&c, false, XMPP_SERVER_HEADER);
	conv_say(&c, true, "<starttls xmlns=" XMPP_TLS_NS "/>");
	conv_say(&c, false, "<failure xmlns=" XMPP_TLS_NS "/></stream:stream>");
	conv_say(&c, true, "<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' mechanism='PLAIN'/>");
	CHECK(!c.inspecting);
	CHECK_STR(meta_app_name(&c.m, 5222), "XMPP");
	CHECK(meta_str(&c.m, META_UPGRADE) == NULL);
	conv_close(&c);
	/* a <starttls/> of another namespace asks nothing */
	conv_open(&c, 5222);
	conv_say(&c, true, XMPP_CLIENT_HEADER);
	conv_say(&c, false, XMPP_SERVER_HEADER);
	conv_say(&c, true, "<starttls xmlns='urn:example:other'/>");
	conv_say(&c, false, "<proceed xmlns=" XMPP_TLS_NS "/>");
	CHECK(meta_str(&c.m, META_UPGRADE) == NULL);
	conv_close(&c);
}

/* Not XMPP: XML of another kind. */
static void test_xmpp_other_xml(void)
{
	struct conv c;
	conv_open(&c, 5222);
	conv_say(&c, true, "<?xml version='1.0'?><methodCall><methodName>x</methodName></methodCall>");
	CHECK(meta_app_name(&c.m, 5222) == NULL || strcmp(meta_app_name(&c.m, 5222), "XMPP") != 0);
	conv_close(&c);
}

/* RFC 4511 4.14.1: LDAPMessage { messageID 7, ExtendedRequest { [0] the
 * StartTLS OID } }, and the ExtendedResponse with resultCode `code`. */
static const uint8_t ldap_starttls_req[] = {
	0x30, 0x1d, 0x02, 0x01, 0x07, 0x77, 0x18, 0x80, 0x16, '1', '.', '3', '.', '6', '.',
	'1', '.', '4', '.', '1', '.', '1', '4', '6', '6', '.', '2', '0', '0', '3', '7',
};

static void ldap_response(struct conv *c, uint8_t id, uint8_t code)
{
	const uint8_t resp[] = { 0x30, 0x0c, 0x02, 0x01, id, 0x78, 0x07, 0x0a, 0x01, code,
				 0x04, 0x00, 0x04, 0x00 };
	conv_send(c, false, resp, sizeof resp);
}

static void test_ldap_starttls(void)
{
	/* an anonymous bind first (RFC 4513 allows StartTLS after it) */
	static const uint8_t bind[] = { 0x30, 0x0c, 0x02, 0x01, 0x06, 0x60, 0x07, 0x02, 0x01,
					0x03, 0x04, 0x00, 0x80, 0x00 };
	static const uint8_t bound[] = { 0x30, 0x0c, 0x02, 0x01, 0x06, 0x61, 0x07, 0x0a, 0x01,
					 0x00, 0x04, 0x00, 0x04, 0x00 };
	struct conv c;
	conv_open(&c, 10389);
	conv_send(&c, true, bind, sizeof bind);
	conv_send(&c, false, bound, sizeof bound);
	conv_send(&c, true, ldap_starttls_req, 10); /* cut inside the OID */
	conv_send(&c, true, ldap_starttls_req + 10, sizeof ldap_starttls_req - 10);
	ldap_response(&c, 6, 0); /* another message's answer decides nothing */
	CHECK(meta_str(&c.m, META_UPGRADE) == NULL);
	ldap_response(&c, 7, 0);
	conv_tls_handshake(&c, "ldap.golden.test", NULL);
	CHECK_STR(meta_app_name(&c.m, 10389), "LDAP");
	CHECK_STR(meta_str(&c.m, META_UPGRADE), "TLS");
	CHECK_STR(meta_str(&c.m, META_SNI), "ldap.golden.test");
	CHECK_INT(c.m.tls_version, 0x0304);
	CHECK(!c.inspecting);
	conv_close(&c);
}

/* A resultCode other than success: the session stays in the clear. */
static void test_ldap_refused(void)
{
	struct conv c;
	conv_open(&c, 389);
	conv_send(&c, true, ldap_starttls_req, sizeof ldap_starttls_req);
	ldap_response(&c, 7, 2); /* protocolError */
	conv_tls_handshake(&c, "ldap.golden.test", NULL);
	CHECK_STR(meta_app_name(&c.m, 389), "LDAP");
	CHECK(meta_str(&c.m, META_UPGRADE) == NULL);
	CHECK(meta_str(&c.m, META_SNI) == NULL);
	conv_close(&c);
}

/* Plain TLS and HTTP still name their connections as before. */
static void test_no_upgrade_elsewhere(void)
{
	struct conv c;
	conv_open(&c, 443);
	conv_tls_handshake(&c, "www.golden.test", "h2");
	CHECK_STR(meta_app_name(&c.m, 443), "HTTPS");
	CHECK(meta_str(&c.m, META_UPGRADE) == NULL);
	conv_close(&c);
}

int main(void)
{
	RUN(test_smtp_starttls);
	RUN(test_smtp_split_unhinted);
	RUN(test_smtp_hello_behind_command);
	RUN(test_smtp_refused);
	RUN(test_ftp_greeting_is_not_smtp);
	RUN(test_imap_starttls);
	RUN(test_imap_refused_then_login);
	RUN(test_pop3_stls);
	RUN(test_pop3_refused);
	RUN(test_connect_tunnel);
	RUN(test_connect_other_protocol);
	RUN(test_connect_refused);
	RUN(test_websocket);
	RUN(test_upgrade_declined);
	RUN(test_h2_prior_knowledge);
	RUN(test_h2c_upgrade);
	RUN(test_upgrade_to_tls);
	RUN(test_doh_in_the_clear);
	RUN(test_pgsql_ssl_request);
	RUN(test_xmpp_starttls);
	RUN(test_xmpp_end_tags);
	RUN(test_xmpp_refused);
	RUN(test_xmpp_other_xml);
	RUN(test_ldap_starttls);
	RUN(test_ldap_refused);
	RUN(test_no_upgrade_elsewhere);
	return check_summary("upgrade");
}
