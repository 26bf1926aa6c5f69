/* ftp.c - FTP control connections (RFC 959): the commands the client
 * sends, the reply codes the server answers, the server's greeting and
 * the user name (never the password); AUTH TLS / AUTH SSL accepted with
 * 234 hands the connection to TLS (RFC 4217 4).
 *
 *   S: 220 (vsFTPd 3.0.3)
 *   C: AUTH TLS
 *   S: 234 Proceed with negotiation.
 *   (TLS from here on, both ways)
 *
 * PASV (227) and EPSV (229) replies and PORT and EPRT commands (RFC 959
 * 4.1.2, RFC 2428) announce a data connection (dpi_env.announce), which
 * is then labelled FTP-DATA and linked here (dpi_link_announced).
 *
 * The driver follows a control connection as long as it lasts (a session
 * may fetch any number of files, each announced): once the session stays
 * in the clear, the lines read are handed back (ftp_consumed) and only a
 * partial line is kept.
 *
 * Recognised by content, on any port: a greeting "220 ..." that names FTP,
 * or (for a greeting that does not, which SMTP sends too) the client's
 * first command being one FTP opens a session with.
 */
#include <stdio.h>
#include <string.h>

#include "base/macros.h"
#include "dissect/ftp_data.h"
#include "dissect/starttls.h"

#define FTP_CLIENT_LINES 16 /* commands read before giving up on AUTH TLS */
#define FTP_WORD_MAX 4      /* RFC 959 5.3.1: commands are 3 or 4 letters */

struct ftp_state {
	struct starttls tls;   /* tls.off[] is where each direction's next line starts */
	int reply_open;        /* code of a multi-line reply still being read, else 0 */
};

/* A command that asks for TLS: AUTH TLS (RFC 4217), or the older AUTH SSL,
 * TLS-C and TLS-P that servers still accept. */
static bool ftp_asks(struct starttls *st, struct rd line)
{
	static const char *const how[] = { "AUTH TLS", "AUTH SSL", "AUTH TLS-C", "AUTH TLS-P" };
	for (size_t i = 0; i < ARRAY_LEN(how); i++)
		if (rd_left(&line) == strlen(how[i]) && starttls_word_is(line, how[i]))
			return true;
	return false;
}

/* Only a reply's last line reaches here (ftp_server_line). */
static enum starttls_answer ftp_answer(const struct starttls *st, struct rd line)
{
	bool last;
	return starttls_reply_code(line, &last) == 234 ? STARTTLS_YES : STARTTLS_NO;
}

static bool ftp_in_clear(struct rd line)
{
	return starttls_word_is(line, "USER") || starttls_word_is(line, "PASS");
}

static const struct starttls_rules ftp_rules = {
	.asks = ftp_asks,
	.answer = ftp_answer,
	.in_clear = ftp_in_clear,
	.max_lines = FTP_CLIENT_LINES,
};

/* The command word of a client line, upper-cased into word[]: 3 or 4
 * letters, then the end or a space. False for anything else. */
static bool ftp_command(struct rd line, char word[FTP_WORD_MAX + 1])
{
	size_t n = 0;
	while (rd_left(&line) && n <= FTP_WORD_MAX) {
		uint8_t c = rd_u8(&line);
		if (c == ' ')
			break;
		if (n == FTP_WORD_MAX || !((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z')))
			return false;
		word[n++] = (char)(c & ~0x20);
	}
	word[n] = '\0';
	return n >= 3;
}

/* The text after "NNN " or "NNN-". */
static struct rd reply_text(struct rd line)
{
	if (rd_left(&line) <= 4)
		return rd_make(rd_ptr(&line), 0);
	rd_skip(&line, 4);
	return line;
}

/* The greeting's text names the server software: "220 (vsFTPd 3.0.3)"
 * says vsFTPd 3.0.3, "220 ProFTPD Server (Debian)" all of it. */
static void ftp_greeting(struct flow_meta *m, struct rd line)
{
	struct rd t = reply_text(line);
	const uint8_t *p = rd_ptr(&t);
	size_t n = rd_left(&t);
	while (n && p[n - 1] == ' ')
		n--;
	if (n >= 2 && p[0] == '(' && p[n - 1] == ')' && !memchr(p + 1, ')', n - 2)) {
		p++;
		n -= 2;
	}
	if (n)
		meta_set_str(m, META_FTP_SERVER, p, n);
}

/* The control connection's ends: its initiator is the FTP client. */
static struct dpi_ends control_ends(const struct dissect_in *in)
{
	const struct pkt *p = in->pkt;
	struct dpi_ends c = { .family = p->family };
	memcpy(c.src, in->from_client ? p->src : p->dst, 16);
	memcpy(c.dst, in->from_client ? p->dst : p->src, 16);
	c.sport = in->from_client ? p->sport : p->dport;
	c.dport = in->from_client ? p->dport : p->sport;
	return c;
}

/* A data connection to `to` port `port` will be opened by the server
 * (PORT, EPRT) or the client (PASV, EPSV). */
static void announce(const struct dissect_in *in, const char *how, uint8_t family,
		     const uint8_t to[16], uint16_t port, bool server_opens)
{
	const struct dpi_env *env = in->env;
	if (!env || !env->announce || !in->pkt)
		return;
	struct dpi_expect e;
	memset(&e, 0, sizeof e);
	e.control = control_ends(in);
	e.family = family;
	e.any_from = family != e.control.family;
	if (!e.any_from)
		memcpy(e.from, server_opens ? e.control.dst : e.control.src, 16);
	memcpy(e.to, to, 16);
	e.to_port = port;
	e.app = APP_FTP_DATA;
	snprintf(e.how, sizeof e.how, "%s", how);
	e.ts_us = in->pkt->ts_us;
	env->announce(env->expect_ctx, &e);
}

/* What follows a command word and its space. */
static struct rd command_arg(struct rd line)
{
	long sp = rd_find(&line, ' ', rd_left(&line));
	if (sp < 0)
		return rd_make(rd_ptr(&line), 0);
	rd_skip(&line, (size_t)sp + 1);
	return line;
}

static void ftp_active_mode(const struct dissect_in *in, const char *word, struct rd line)
{
	uint8_t addr[16], family = 4;
	uint16_t port;
	if (strcmp(word, "PORT") == 0 && ftp_data_hostport(command_arg(line), addr, &port))
		announce(in, word, 4, addr, port, true);
	else if (strcmp(word, "EPRT") == 0 && ftp_data_eprt(command_arg(line), &family, addr, &port))
		announce(in, word, family, addr, port, true);
}

static void ftp_passive_mode(const struct dissect_in *in, int code, struct rd line)
{
	uint8_t addr[16];
	uint16_t port;
	if (code == 227 && ftp_data_hostport(reply_text(line), addr, &port)) {
		announce(in, "PASV", 4, addr, port, false);
	} else if (code == 229 && ftp_data_epsv(reply_text(line), &port)) {
		struct dpi_ends c = control_ends(in); /* EPSV: the server's own address */
		announce(in, "EPSV", c.family, c.dst, port, false);
	}
}

static void ftp_client_line(struct ftp_state *st, const struct dissect_in *in, struct rd line)
{
	char word[FTP_WORD_MAX + 1];
	starttls_client_line(&st->tls, &ftp_rules, line, st->tls.off[0]);
	if (!ftp_command(line, word))
		return;
	meta_add_once(in->meta, META_FTP_COMMANDS, word);
	ftp_active_mode(in, word, line);
	if (strcmp(word, "USER") == 0 && rd_left(&line) > 5) {
		struct rd arg = line;
		rd_skip(&arg, 5);
		meta_set_str(in->meta, META_FTP_USER, rd_ptr(&arg), rd_left(&arg));
	}
}

/* A server line; true when it accepted TLS (in->upgrade is filled). A
 * multi-line reply (RFC 959 4.2) is "NNN-" text, any lines, "NNN " text:
 * its code counts once, and only its last line answers a command. */
static bool ftp_server_line(struct ftp_state *st, const struct dissect_in *in, struct rd line)
{
	bool last;
	int code = starttls_reply_code(line, &last);
	if (st->reply_open) {
		if (code != st->reply_open || !last)
			return false;
		st->reply_open = 0;
		return starttls_server_line(&st->tls, &ftp_rules, line, st->tls.off[1], in->upgrade);
	}
	if (code < 100 || code > 599)
		return false;
	char text[4] = { (char)('0' + code / 100), (char)('0' + code / 10 % 10),
			 (char)('0' + code % 10), '\0' };
	meta_add_once(in->meta, META_FTP_REPLIES, text);
	if (code == 220)
		ftp_greeting(in->meta, line);
	ftp_passive_mode(in, code, line);
	if (!last) {
		st->reply_open = code;
		return false;
	}
	return starttls_server_line(&st->tls, &ftp_rules, line, st->tls.off[1], in->upgrade);
}

static enum parse_result ftp_parse(void *state, const struct dissect_in *in)
{
	struct ftp_state *st = state;
	int side = in->from_client ? 0 : 1;
	struct rd line;
	bool too_long;
	meta_set_app(in->meta, APP_FTP);
	while (starttls_line_next(in, &st->tls.off[side], &line, &too_long)) {
		if (in->from_client)
			ftp_client_line(st, in, line);
		else if (ftp_server_line(st, in, line))
			return PARSE_UPGRADE;
	}
	return too_long ? PARSE_DONE : PARSE_MORE;
}

/* Once the session stays in the clear, no upgrade offset is needed any
 * more: the lines of this direction read so far are done with. */
static uint32_t ftp_consumed(void *state, bool from_client)
{
	struct ftp_state *st = state;
	if (!st->tls.ended)
		return 0;
	uint32_t *off = &st->tls.off[from_client ? 0 : 1];
	uint32_t done = *off;
	*off = 0;
	return done;
}

/* The greeting: a reply line naming FTP is enough; one that does not
 * leaves it to the client's first command. */
static enum probe_result ftp_probe_greeting(const struct dissect_in *in)
{
	uint32_t off = 0;
	struct rd line;
	bool too_long, last;
	if (!starttls_reply_begins(in))
		return PROBE_NO;
	if (!starttls_line_next(in, &off, &line, &too_long))
		return too_long ? PROBE_NO : PROBE_MAYBE;
	int code = starttls_reply_code(line, &last);
	if (code != 220 && code != 120)
		return PROBE_NO;
	struct rd t = reply_text(line);
	if (rd_contains(&t, "SMTP", 4))
		return PROBE_NO;
	return rd_contains_case(&t, "FTP", 3) ? PROBE_YES : PROBE_MAYBE;
}

/* Commands a client opens an FTP session with (RFC 959, RFC 2228, RFC
 * 2389, RFC 7151); none of them opens an SMTP, POP3 or IMAP session. */
static enum probe_result ftp_probe_command(const struct dissect_in *in)
{
	static const char *const openers[] = { "USER", "AUTH", "FEAT", "SYST", "OPTS", "HOST" };
	uint32_t off = 0;
	struct rd line;
	bool too_long;
	char word[FTP_WORD_MAX + 1];
	if (!starttls_line_next(in, &off, &line, &too_long))
		return too_long ? PROBE_NO : PROBE_MAYBE;
	if (!ftp_command(line, word))
		return PROBE_NO;
	for (size_t i = 0; i < ARRAY_LEN(openers); i++)
		if (strcmp(word, openers[i]) == 0)
			return PROBE_YES;
	return PROBE_NO;
}

static enum probe_result ftp_probe(const struct dissect_in *in)
{
	return in->from_client ? ftp_probe_command(in) : ftp_probe_greeting(in);
}

const struct dissector dissector_ftp = {
	.name = "ftp",
	.label = "FTP",
	.l4 = L4_TCP,
	.ports = { 21, 0 },
	.probe = ftp_probe,
	.parse = ftp_parse,
	.state_size = sizeof(struct ftp_state),
	.consumed = ftp_consumed,
};
