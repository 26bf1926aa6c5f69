/* pop3.c - POP3 (RFC 1939) sessions up to STLS (RFC 2595 4), which hands
 * the connection to TLS.
 *
 *   S: +OK POP3 server ready
 *   C: STLS
 *   S: +OK Begin TLS negotiation
 *   (TLS from here on, both ways)
 *
 * Recognised by the server's +OK greeting or by a client's CAPA or STLS.
 */
#include <string.h>

#include "base/macros.h"
#include "base/rd.h"
#include "dissect/starttls.h"

#define POP3_CLIENT_LINES 16

struct pop3_state {
	struct starttls tls;
};

static bool pop3_asks(struct starttls *st, struct rd line)
{
	return starttls_word_is(line, "STLS");
}

static enum starttls_answer pop3_answer(const struct starttls *st, struct rd line)
{
	return starttls_word_is(line, "+OK") ? STARTTLS_YES : STARTTLS_NO;
}

static bool pop3_in_clear(struct rd line)
{
	static const char *const words[] = { "USER", "PASS", "APOP", "AUTH" };
	for (size_t i = 0; i < ARRAY_LEN(words); i++)
		if (starttls_word_is(line, words[i]))
			return true;
	return false;
}

static const struct starttls_rules pop3_rules = {
	.asks = pop3_asks,
	.answer = pop3_answer,
	.in_clear = pop3_in_clear,
	.max_lines = POP3_CLIENT_LINES,
};

/* The first line is `word`, alone or followed by a space. */
static enum probe_result pop3_first_word(const struct dissect_in *in, const char *word)
{
	size_t w = strlen(word);
	struct rd r = rd_make(in->data, in->len);
	if (rd_prefix_case(&r, word, w) == RD_PREFIX_NO)
		return PROBE_NO;
	if (rd_left(&r) <= w)
		return in->stream_full ? PROBE_NO : PROBE_MAYBE;
	uint8_t next = rd_peek8(&r, w);
	return next == ' ' || next == '\r' || next == '\n' ? PROBE_YES : PROBE_NO;
}

static enum probe_result pop3_probe(const struct dissect_in *in)
{
	if (!in->from_client)
		return pop3_first_word(in, "+OK");
	enum probe_result capa = pop3_first_word(in, "CAPA");
	return capa != PROBE_NO ? capa : pop3_first_word(in, "STLS");
}

static enum parse_result pop3_parse(void *state, const struct dissect_in *in)
{
	struct pop3_state *st = state;
	meta_set_app(in->meta, APP_POP3);
	return starttls_parse(&st->tls, &pop3_rules, in);
}

const struct dissector dissector_pop3 = {
	.name = "pop3",
	.label = "POP3",
	.l4 = L4_TCP,
	.ports = { 110, 0 },
	.probe = pop3_probe,
	.parse = pop3_parse,
	.state_size = sizeof(struct pop3_state),
};
