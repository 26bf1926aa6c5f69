/* smtp.c - SMTP (RFC 5321), LMTP (RFC 2033) and submission sessions up to
 * STARTTLS (RFC 3207), which hands the connection to TLS.
 *
 *   S: 220 mail.example.org ESMTP
 *   C: EHLO client.example.org
 *   S: 250-mail.example.org  ...  250 STARTTLS
 *   C: STARTTLS
 *   S: 220 2.0.0 Ready to start TLS
 *   (TLS from here on, both ways)
 *
 * Recognised by a greeting that names (E|L)SMTP, or by the client's EHLO,
 * HELO or LHLO (an FTP server greets with 220 too).
 */
#include <string.h>

#include "base/macros.h"
#include "base/rd.h"
#include "dissect/starttls.h"

#define SMTP_CLIENT_LINES 16 /* commands read before giving up on STARTTLS */

static const char *const smtp_hellos[] = { "EHLO", "HELO", "LHLO" };

struct smtp_state {
	struct starttls tls;
};

static bool smtp_asks(struct starttls *st, struct rd line)
{
	return starttls_word_is(line, "STARTTLS");
}

static enum starttls_answer smtp_answer(const struct starttls *st, struct rd line)
{
	bool last;
	int code = starttls_reply_code(line, &last);
	if (code >= 0 && !last)
		return STARTTLS_MORE;
	return code == 220 ? STARTTLS_YES : STARTTLS_NO;
}

/* A mail transaction or a login in the clear: no STARTTLS after it. */
static bool smtp_in_clear(struct rd line)
{
	static const char *const words[] = { "MAIL", "AUTH", "DATA", "BDAT" };
	for (size_t i = 0; i < ARRAY_LEN(words); i++)
		if (starttls_word_is(line, words[i]))
			return true;
	return false;
}

static const struct starttls_rules smtp_rules = {
	.asks = smtp_asks,
	.answer = smtp_answer,
	.in_clear = smtp_in_clear,
	.max_lines = SMTP_CLIENT_LINES,
};

/* "220 host ESMTP ...": three digits and a separator; the greeting must
 * say SMTP, else the client's hello decides. */
static enum probe_result smtp_probe_greeting(const struct dissect_in *in)
{
	uint32_t off = 0;
	struct rd line;
	bool too_long;
	if (!starttls_reply_begins(in))
		return PROBE_NO;
	if (!starttls_line_next(in, &off, &line, &too_long))
		return too_long ? PROBE_NO : PROBE_MAYBE;
	bool last;
	if (starttls_reply_code(line, &last) < 0)
		return PROBE_NO;
	return rd_contains(&line, "SMTP", 4) ? PROBE_YES : PROBE_MAYBE;
}

static enum probe_result smtp_probe_hello(const struct dissect_in *in)
{
	struct rd r = rd_make(in->data, in->len);
	for (size_t i = 0; i < ARRAY_LEN(smtp_hellos); i++) {
		char want[6];
		memcpy(want, smtp_hellos[i], 4);
		want[4] = ' ';
		enum rd_prefix pre = rd_prefix_case(&r, want, 5);
		if (pre != RD_PREFIX_NO)
			return probe_of_prefix(pre, in->stream_full);
	}
	return PROBE_NO;
}

static enum probe_result smtp_probe(const struct dissect_in *in)
{
	return in->from_client ? smtp_probe_hello(in) : smtp_probe_greeting(in);
}

static enum parse_result smtp_parse(void *state, const struct dissect_in *in)
{
	struct smtp_state *st = state;
	meta_set_app(in->meta, APP_SMTP);
	return starttls_parse(&st->tls, &smtp_rules, in);
}

const struct dissector dissector_smtp = {
	.name = "smtp",
	.label = "SMTP",
	.l4 = L4_TCP,
	.ports = { 25, 587, 2525, 24, 0 },
	.probe = smtp_probe,
	.parse = smtp_parse,
	.state_size = sizeof(struct smtp_state),
};
