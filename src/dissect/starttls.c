/* starttls.c - a command that switches a line-based protocol to TLS and
 * the reply that accepts it (see starttls.h).
 *
 * The answer is the first server reply read after the ask: a client sends
 * STARTTLS (STLS, AUTH TLS) only once the replies to its earlier commands
 * are in (RFC 3207 4 and RFC 2920 3.1 forbid pipelining past it), so in
 * capture order they precede it.
 */
#include "dissect/starttls.h"

#include <string.h>

bool starttls_line_next(const struct dissect_in *in, uint32_t *off, struct rd *line,
			bool *too_long)
{
	struct rd r = rd_make_at(in->data, in->len, *off);
	*too_long = false;
	if (!rd_left(&r)) {
		*too_long = in->stream_full;
		return false;
	}
	if (!rd_line(&r, STARTTLS_LINE_MAX, line)) {
		*too_long = rd_left(&r) >= STARTTLS_LINE_MAX || in->stream_full;
		return false;
	}
	*off += (uint32_t)rd_pos(&r);
	return true;
}

void starttls_client_line(struct starttls *st, const struct starttls_rules *r, struct rd line,
			  uint32_t end)
{
	if (st->ended)
		return;
	if (r->asks(st, line)) {
		st->asked_end = end;
		return;
	}
	if (++st->client_lines >= r->max_lines || (r->in_clear && r->in_clear(line)))
		st->ended = true;
}

bool starttls_server_line(struct starttls *st, const struct starttls_rules *r, struct rd line,
			  uint32_t end, struct dpi_upgrade *up)
{
	if (!st->asked_end || st->ended)
		return false;
	if (!up) { /* a caller that cannot switch: nothing more to learn */
		st->ended = true;
		return false;
	}
	switch (r->answer(st, line)) {
	case STARTTLS_YES:
		up->to = &dissector_tls;
		up->start[0] = st->asked_end;
		up->start[1] = end;
		return true;
	case STARTTLS_NO:
		st->asked_end = 0; /* refused: the client may go on in the clear */
		return false;
	case STARTTLS_MORE:
		return false;
	}
	return false;
}

enum parse_result starttls_parse(struct starttls *st, const struct starttls_rules *r,
				 const struct dissect_in *in)
{
	int side = in->from_client ? 0 : 1;
	bool (*next)(const struct dissect_in *, uint32_t *, struct rd *, bool *) =
		r->next ? r->next : starttls_line_next;
	struct rd line;
	bool too_long = false;
	while (!st->ended && next(in, &st->off[side], &line, &too_long)) {
		if (in->from_client)
			starttls_client_line(st, r, line, st->off[side]);
		else if (starttls_server_line(st, r, line, st->off[side], in->upgrade))
			return PARSE_UPGRADE;
	}
	if (too_long)
		st->ended = true;
	return st->ended ? PARSE_DONE : PARSE_MORE;
}

bool starttls_word_is(struct rd line, const char *word)
{
	size_t n = strlen(word);
	if (rd_prefix_case(&line, word, n) != RD_PREFIX_YES)
		return false;
	return rd_left(&line) == n || rd_peek8(&line, n) == ' ';
}

bool starttls_reply_begins(const struct dissect_in *in)
{
	struct rd r = rd_make(in->data, in->len);
	for (size_t i = 0; i < rd_left(&r) && i < 4; i++) {
		uint8_t c = rd_peek8(&r, i);
		if (i < 3 ? c < '0' || c > '9' : c != ' ' && c != '-')
			return false;
	}
	return true;
}

int starttls_reply_code(struct rd line, bool *last)
{
	int code = 0;
	for (int i = 0; i < 3; i++) {
		uint8_t c = rd_u8(&line);
		if (c < '0' || c > '9')
			return -1;
		code = code * 10 + (c - '0');
	}
	uint8_t sep = rd_left(&line) ? rd_u8(&line) : ' ';
	if (!rd_ok(&line) || (sep != ' ' && sep != '-'))
		return -1;
	*last = sep == ' ';
	return code;
}
