/* test_ftp.c - FTP control connections (RFC 959) through the DPI driver:
 * commands, reply codes, greeting and user (never the password), AUTH TLS
 * handing over to TLS (RFC 4217 4), and input that must stay bounded. */
#include <stdio.h>
#include <string.h>

#include "base/macros.h"
#include "check.h"
#include "conv.h"
#include "dissect/ftp_data.h"

/* No stored string holds `s`. */
static bool nowhere(const struct flow_meta *m, const char *s)
{
	size_t pos = 0;
	for (const char *v; (v = meta_str_next(m, &pos));)
		if (strstr(v, s))
			return false;
	return true;
}

static void test_login(void)
{
	struct conv c;
	conv_open(&c, 21);
	conv_say(&c, false, "220 (vsFTPd 3.0.3)\r\n");
	conv_say(&c, true, "USER alice\r\n");
	conv_say(&c, false, "331 Please specify the password.\r\n");
	conv_say(&c, true, "PASS s3cr3t-pw\r\n");
	conv_say(&c, false, "230 Login successful.\r\n");
	conv_say(&c, true, "feat\r\n");
	conv_say(&c, false, "211-Features:\r\n EPSV\r\n 230 is not a reply here\r\n211 End\r\n");
	CHECK_STR(meta_app_name(&c.m, 21), "FTP");
	CHECK_STR(meta_str(&c.m, META_FTP_SERVER), "vsFTPd 3.0.3");
	CHECK_STR(meta_str(&c.m, META_FTP_USER), "alice");
	CHECK_STR(meta_str(&c.m, META_FTP_COMMANDS), "USER\x1fPASS\x1f" "FEAT");
	CHECK_STR(meta_str(&c.m, META_FTP_REPLIES), "220\x1f" "331\x1f" "230\x1f" "211");
	CHECK(nowhere(&c.m, "s3cr3t"));
	CHECK(meta_str(&c.m, META_UPGRADE) == NULL);
	conv_close(&c);
}

/* A greeting that does not name FTP, on a port that hints nothing, cut
 * into pieces: the client's USER decides. */
static void test_unhinted_split(void)
{
	struct conv c;
	conv_open(&c, 10021);
	conv_say(&c, false, "220-golden.test\r\n");
	conv_say(&c, false, "220 ready\r\n");
	CHECK(c.m.app == APP_NONE);
	conv_say(&c, true, "US");
	conv_say(&c, true, "ER bob\r\n");
	CHECK_STR(meta_app_name(&c.m, 10021), "FTP");
	CHECK_STR(meta_str(&c.m, META_FTP_SERVER), "golden.test");
	CHECK_STR(meta_str(&c.m, META_FTP_USER), "bob");
	CHECK_STR(meta_str(&c.m, META_FTP_REPLIES), "220");
	conv_close(&c);
}

static void test_auth_tls(void)
{
	struct conv c;
	conv_open(&c, 21);
	conv_say(&c, false, "220 ProFTPD Server (golden) [10.0.0.2]\r\n");
	conv_say(&c, true, "AUTH TLS\r\n");
	CHECK(meta_str(&c.m, META_UPGRADE) == NULL); /* asked, not yet accepted */
	conv_say(&c, false, "234 AUTH TLS successful\r\n");
	conv_tls_handshake(&c, "ftp.golden.test", "ftp");
	CHECK_STR(meta_app_name(&c.m, 21), "FTP");
	CHECK_STR(meta_str(&c.m, META_UPGRADE), "TLS");
	CHECK_STR(meta_str(&c.m, META_SNI), "ftp.golden.test");
	CHECK_STR(meta_str(&c.m, META_ALPN), "ftp");
	CHECK_INT(c.m.tls_version, 0x0304);
	CHECK_INT(c.m.tls_cipher, 0x1301);
	CHECK_STR(meta_str(&c.m, META_FTP_SERVER), "ProFTPD Server (golden) [10.0.0.2]");
	CHECK_STR(meta_str(&c.m, META_FTP_COMMANDS), "AUTH");
	CHECK_STR(meta_str(&c.m, META_FTP_REPLIES), "220\x1f" "234");
	conv_close(&c);
}

/* AUTH SSL answered by a multi-line 234: TLS starts after its last line. */
static void test_auth_ssl_multiline(void)
{
	struct conv c;
	conv_open(&c, 2121);
	conv_say(&c, false, "220 FTP ready\r\n");
	conv_say(&c, true, "AUTH SSL\r\n");
	conv_say(&c, false, "234-going\r\n");
	CHECK(meta_str(&c.m, META_UPGRADE) == NULL);
	conv_say(&c, false, "234 now\r\n");
	conv_tls_handshake(&c, "ssl.golden.test", NULL);
	CHECK_STR(meta_str(&c.m, META_UPGRADE), "TLS");
	CHECK_STR(meta_str(&c.m, META_SNI), "ssl.golden.test");
	conv_close(&c);
}

/* A refusal (RFC 4217 4: 504, 534, 431) leaves the session in the clear. */
static void test_auth_refused(void)
{
	struct conv c;
	conv_open(&c, 21);
	conv_say(&c, false, "220 FTP ready\r\n");
	conv_say(&c, true, "AUTH TLS\r\n");
	conv_say(&c, false, "504 Security mechanism not understood\r\n");
	conv_say(&c, true, "USER carol\r\n");
	conv_say(&c, false, "331 Password required\r\n");
	CHECK(meta_str(&c.m, META_UPGRADE) == NULL);
	CHECK_STR(meta_str(&c.m, META_FTP_USER), "carol");
	CHECK_STR(meta_str(&c.m, META_FTP_REPLIES), "220\x1f" "504\x1f" "331");
	conv_close(&c);
}

/* An ESMTP greeting is SMTP's, even on FTP's port. */
static void test_smtp_on_21(void)
{
	struct conv c;
	conv_open(&c, 21);
	conv_say(&c, false, "220 mail.golden.test ESMTP\r\n");
	conv_say(&c, true, "EHLO x\r\n");
	CHECK_STR(meta_app_name(&c.m, 21), "SMTP");
	CHECK(meta_str(&c.m, META_FTP_SERVER) == NULL);
	conv_close(&c);
}

/* A line longer than any FTP line ends inspection; nothing of it is kept. */
static void test_overlong_line(void)
{
	struct conv c;
	static char big[4000];
	conv_open(&c, 21);
	conv_say(&c, false, "220 FTP ready\r\n");
	memset(big, 'A', sizeof big - 1);
	memcpy(big, "USER ", 5);
	bool more = conv_say(&c, true, big);
	CHECK(!more);
	CHECK(meta_str(&c.m, META_FTP_USER) == NULL);
	conv_close(&c);
}

/* Thousands of commands: each kind is listed once. */
static void test_command_flood(void)
{
	struct conv c;
	static char many[19 * 400 + 1];
	conv_open(&c, 21);
	conv_say(&c, false, "220 FTP ready\r\n");
	for (int i = 0; i < 400; i++)
		memcpy(many + 19 * i, "PORT 10,0,0,1,4,1\r\n", 19);
	conv_say(&c, true, many);
	CHECK_STR(meta_str(&c.m, META_FTP_COMMANDS), "PORT");
	conv_close(&c);
}

/* The ports announced to it, in order. */
struct announcements {
	int n;
	uint16_t port[300];
};

static void note_announcement(void *ctx, const struct dpi_expect *e)
{
	struct announcements *a = ctx;
	if (a->n < (int)ARRAY_LEN(a->port))
		a->port[a->n++] = e->to_port;
}

/* One session fetching file after file, as a mirror does: every data
 * connection is announced, however long the session, and what the driver
 * keeps of the control connection stays one partial line. */
static void test_long_session(void)
{
	struct conv c;
	struct announcements got = { 0 };
	conv_open(&c, 21);
	c.env.announce = note_announcement;
	c.env.expect_ctx = &got;
	conv_say(&c, false, "220 FTP ready\r\n");
	conv_say(&c, true, "USER anonymous\r\n");
	conv_say(&c, false, "331 Password required\r\n");
	conv_say(&c, true, "PASS guest\r\n");
	conv_say(&c, false, "230 Logged in\r\n");
	for (int i = 0; i < 250; i++) {
		char line[80];
		conv_say(&c, true, i % 2 ? "EPSV\r\n" : "PA");
		if (i % 2 == 0)
			conv_say(&c, true, "SV\r\n"); /* a command cut in two */
		if (i % 2)
			snprintf(line, sizeof line, "229 Entering Extended Passive Mode (|||%d|)\r\n", 20000 + i);
		else
			snprintf(line, sizeof line, "227 Entering Passive Mode (10,0,0,2,%d,%d).\r\n",
				 (20000 + i) >> 8, (20000 + i) & 255);
		size_t half = strlen(line) / 2; /* a reply in two segments */
		conv_send(&c, false, line, half);
		conv_say(&c, false, line + half);
		conv_say(&c, true, "RETR file\r\n");
		conv_say(&c, false, "150 Opening BINARY mode data connection\r\n");
		conv_say(&c, false, "226 Transfer complete\r\n");
	}
	CHECK(c.inspecting);
	CHECK_INT(got.n, 250);
	CHECK_INT(got.port[0], 20000);
	CHECK_INT(got.port[249], 20249);
	CHECK(dpi_flow_bytes(c.d) < 4096);
	conv_say(&c, true, "QUIT\r\n");
	conv_say(&c, false, "221 Goodbye\r\n");
	CHECK_STR(meta_str(&c.m, META_FTP_COMMANDS), "USER\x1fPASS\x1fPASV\x1fRETR\x1f" "EPSV\x1fQUIT");
	CHECK_STR(meta_str(&c.m, META_FTP_REPLIES),
		  "220\x1f" "331\x1f" "230\x1f" "227\x1f" "150\x1f" "226\x1f" "229\x1f" "221");
	conv_close(&c);
}

static struct rd text(const char *s) { return rd_make(s, strlen(s)); }

/* RFC 959 4.1.2 and 227; RFC 2428 EPRT and 229; and what is not them. */
static void test_data_addresses(void)
{
	uint8_t a[16], fam;
	uint16_t port;
	CHECK(ftp_data_hostport(text("Entering Passive Mode (192,168,1,20,195,80)."), a, &port));
	CHECK_INT(a[0], 192);
	CHECK_INT(a[3], 20);
	CHECK_INT(a[4], 0);
	CHECK_INT(port, 50000);
	CHECK(ftp_data_hostport(text("=10,0,0,1,4,1"), a, &port)); /* no parentheses */
	CHECK_INT(port, 1025);
	CHECK(!ftp_data_hostport(text("(300,1,2,3,4,5)"), a, &port));
	CHECK(!ftp_data_hostport(text("(1,2,3,4,5)"), a, &port));
	CHECK(!ftp_data_hostport(text("(1,2,3,4,0,0)"), a, &port));
	CHECK(!ftp_data_hostport(text("(1,2,3,4,1000,1)"), a, &port));
	CHECK(ftp_data_epsv(text("Entering Extended Passive Mode (|||6446|)"), &port));
	CHECK_INT(port, 6446);
	CHECK(ftp_data_epsv(text("ok (!!!21!)"), &port));
	CHECK(!ftp_data_epsv(text("(|||99999|)"), &port));
	CHECK(!ftp_data_epsv(text("(|||0|)"), &port));
	CHECK(!ftp_data_epsv(text("(||6446|)"), &port));
	CHECK(!ftp_data_epsv(text("(|||6446"), &port));
	CHECK(ftp_data_eprt(text("|1|132.235.1.2|6275|"), &fam, a, &port));
	CHECK_INT(fam, 4);
	CHECK_INT(a[0], 132);
	CHECK_INT(port, 6275);
	CHECK(ftp_data_eprt(text("|2|1080::8:800:200C:417A|5282|"), &fam, a, &port));
	CHECK_INT(fam, 6);
	CHECK_INT(a[0], 0x10);
	CHECK_INT(a[15], 0x7a);
	CHECK(!ftp_data_eprt(text("|3|1.2.3.4|5|"), &fam, a, &port));
	CHECK(!ftp_data_eprt(text("|1|1.2.3.4.5|5|"), &fam, a, &port));
	CHECK(!ftp_data_eprt(text("|2|1::2|70000|"), &fam, a, &port));
	CHECK(!ftp_data_eprt(text("1|1.2.3.4|5|"), &fam, a, &port));
	char big[200];
	memset(big, '1', sizeof big - 1);
	big[0] = big[2] = '|';
	big[sizeof big - 1] = '\0';
	CHECK(!ftp_data_eprt(text(big), &fam, a, &port));
}

int main(void)
{
	RUN(test_data_addresses);
	RUN(test_login);
	RUN(test_unhinted_split);
	RUN(test_auth_tls);
	RUN(test_auth_ssl_multiline);
	RUN(test_auth_refused);
	RUN(test_smtp_on_21);
	RUN(test_overlong_line);
	RUN(test_command_flood);
	RUN(test_long_session);
	return check_summary("ftp");
}
