/* imap.c - IMAP (RFC 9051, RFC 3501) sessions up to STARTTLS (6.2.1),
 * which hands the connection to TLS.
 *
 *   S: * OK [CAPABILITY IMAP4rev1 STARTTLS ...] ready
 *   C: a1 STARTTLS
 *   S: a1 OK Begin TLS negotiation now
 *   (TLS from here on, both ways)
 *
 * Recognised by the server's greeting (untagged OK, PREAUTH or BYE) or by
 * a client's tagged command of the not-authenticated state.
 */
#include <string.h>

#include "base/macros.h"
#include "base/rd.h"
#include "dissect/starttls.h"

#define IMAP_CLIENT_LINES 16

struct imap_state {
	struct starttls tls;
};

/* tag = 1*<ASTRING-CHAR except "+"> (RFC 9051 9); letters, digits and a
 * few marks in practice. */
static bool imap_tag_byte(uint8_t c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
	       c == '.' || c == '-' || c == '_';
}

/* Split "tag SP rest"; false when the line does not start with a tag. */
static bool imap_split(struct rd line, struct rd *tag, struct rd *rest)
{
	size_t n = 0;
	while (n < rd_left(&line) && n < STARTTLS_TAG_MAX && imap_tag_byte(rd_peek8(&line, n)))
		n++;
	if (n == 0 || rd_peek8(&line, n) != ' ')
		return false;
	*tag = rd_sub(&line, n);
	rd_skip(&line, 1);
	*rest = line;
	return rd_ok(&line);
}

static bool imap_asks(struct starttls *st, struct rd line)
{
	struct rd tag, rest;
	if (!imap_split(line, &tag, &rest) || !starttls_word_is(rest, "STARTTLS") ||
	    rd_left(&rest) != strlen("STARTTLS"))
		return false;
	st->tag_len = (uint8_t)rd_left(&tag);
	memcpy(st->tag, rd_ptr(&tag), st->tag_len);
	return true;
}

/* The tagged status of the STARTTLS command; untagged data and
 * continuation requests come before it. */
static enum starttls_answer imap_answer(const struct starttls *st, struct rd line)
{
	struct rd tag, rest;
	if (!imap_split(line, &tag, &rest) || !rd_equals(&tag, st->tag, st->tag_len))
		return STARTTLS_MORE;
	return starttls_word_is(rest, "OK") ? STARTTLS_YES : STARTTLS_NO;
}

static bool imap_in_clear(struct rd line)
{
	static const char *const words[] = { "LOGIN", "AUTHENTICATE", "SELECT", "EXAMINE" };
	struct rd tag, rest;
	if (!imap_split(line, &tag, &rest))
		return false;
	for (size_t i = 0; i < ARRAY_LEN(words); i++)
		if (starttls_word_is(rest, words[i]))
			return true;
	return false;
}

static const struct starttls_rules imap_rules = {
	.asks = imap_asks,
	.answer = imap_answer,
	.in_clear = imap_in_clear,
	.max_lines = IMAP_CLIENT_LINES,
};

/* The start of `in` against each of `words`: YES on a whole match, MAYBE
 * while it could still become one. */
static enum probe_result imap_prefix(const struct dissect_in *in, const char *const *words, size_t n)
{
	struct rd r = rd_make(in->data, in->len);
	for (size_t i = 0; i < n; i++) {
		enum rd_prefix pre = rd_prefix_case(&r, words[i], strlen(words[i]));
		if (pre != RD_PREFIX_NO)
			return probe_of_prefix(pre, in->stream_full);
	}
	return PROBE_NO;
}

/* "tag SP command" with a command of the not-authenticated state, judged
 * on the bytes there are (a binary stream is refused within a few). */
static enum probe_result imap_probe_command(const struct dissect_in *in)
{
	static const char *const commands[] = { "CAPABILITY", "STARTTLS", "LOGIN", "AUTHENTICATE",
						"NOOP", "ID", "LOGOUT" };
	struct rd r = rd_make(in->data, in->len);
	size_t t = 0;
	while (t < rd_left(&r) && t < STARTTLS_TAG_MAX && imap_tag_byte(rd_peek8(&r, t)))
		t++;
	if (t == rd_left(&r))
		return t < STARTTLS_TAG_MAX && !in->stream_full ? PROBE_MAYBE : PROBE_NO;
	if (t == 0 || rd_peek8(&r, t) != ' ')
		return PROBE_NO;
	rd_skip(&r, t + 1);
	for (size_t i = 0; i < ARRAY_LEN(commands); i++) {
		size_t w = strlen(commands[i]);
		if (rd_prefix_case(&r, commands[i], w) == RD_PREFIX_NO)
			continue;
		if (rd_left(&r) <= w)
			return in->stream_full ? PROBE_NO : PROBE_MAYBE;
		uint8_t next = rd_peek8(&r, w);
		if (next == ' ' || next == '\r' || next == '\n')
			return PROBE_YES;
	}
	return PROBE_NO;
}

static enum probe_result imap_probe(const struct dissect_in *in)
{
	static const char *const greetings[] = { "* OK ", "* PREAUTH ", "* BYE " };
	if (!in->from_client)
		return imap_prefix(in, greetings, ARRAY_LEN(greetings));
	return imap_probe_command(in);
}

static enum parse_result imap_parse(void *state, const struct dissect_in *in)
{
	struct imap_state *st = state;
	meta_set_app(in->meta, APP_IMAP);
	return starttls_parse(&st->tls, &imap_rules, in);
}

const struct dissector dissector_imap = {
	.name = "imap",
	.label = "IMAP",
	.l4 = L4_TCP,
	.ports = { 143, 0 },
	.probe = imap_probe,
	.parse = imap_parse,
	.state_size = sizeof(struct imap_state),
};
