/* starttls.h - the plaintext opening of a line-based protocol that can
 * switch to TLS on the same connection: the client sends a command, the
 * server accepts it with a reply, and the next byte each side sends is the
 * TLS handshake's.
 *
 *   SMTP  STARTTLS             -> 220          RFC 3207 4
 *   IMAP  tag STARTTLS         -> tag OK       RFC 9051 6.2.1
 *   POP3  STLS                 -> +OK          RFC 2595 4
 *   FTP   AUTH TLS | AUTH SSL  -> 234          RFC 4217 4
 *
 * and protocols that are not line-based but take turns the same way, read
 * a unit at a time (struct starttls_rules' `next`):
 *
 *   XMPP  <starttls xmlns=..tls/>  -> <proceed/>   RFC 6120 5.4   (a tag)
 *   LDAP  ExtendedRequest StartTLS -> success      RFC 4511 4.14  (a message)
 *
 * A protocol's dissector keeps a struct starttls in its state and hands it
 * each complete line (or unit), in stream order per direction, with the
 * stream offset just past it; when a server line accepts, the struct
 * dpi_upgrade is filled and the dissector returns PARSE_UPGRADE. The rules
 * (struct starttls_rules) say how the protocol asks and answers.
 * starttls_parse() does all of it for a protocol with nothing else to
 * read; one that reads more (FTP's commands) calls starttls_line_next()
 * and the two _line functions itself. Called on the flow's worker only.
 */
#ifndef WT_DISSECT_STARTTLS_H
#define WT_DISSECT_STARTTLS_H

#include <stdbool.h>
#include <stdint.h>

#include "base/rd.h"
#include "dissect/dissector.h"

#define STARTTLS_LINE_MAX 2048 /* longer lines are not this kind of protocol */
#define STARTTLS_TAG_MAX 32

/* A server line once TLS was asked for. */
enum starttls_answer {
	STARTTLS_MORE = 0, /* not the answer yet (a continuation, an untagged line) */
	STARTTLS_YES,      /* accepted: TLS follows this line */
	STARTTLS_NO,       /* refused: the session goes on in the clear */
};

struct starttls;

struct starttls_rules {
	/* Does this client line ask for TLS? (IMAP keeps its tag in st->tag.) */
	bool (*asks)(struct starttls *st, struct rd line);
	/* What this server line, read after the ask, says to it. */
	enum starttls_answer (*answer)(const struct starttls *st, struct rd line);
	/* Does this client line mean the session goes on in the clear (a
	 * login, a mail transaction)? NULL: only the line bound says so. */
	bool (*in_clear)(struct rd line);
	uint8_t max_lines; /* client lines read before giving up */
	/* The next unit of in's stream from *off, as starttls_line_next()
	 * reads a line (same contract). NULL: lines. */
	bool (*next)(const struct dissect_in *in, uint32_t *off, struct rd *unit, bool *too_long);
};

struct starttls {
	uint32_t off[2];        /* per direction ([0] initiator): next unread line */
	uint32_t asked_end;     /* initiator's stream offset past the ask; 0: not asked */
	uint8_t client_lines;
	bool ended;             /* stays in the clear: nothing more to learn here */
	uint8_t tag_len;
	char tag[STARTTLS_TAG_MAX];
};

/* The next complete line of in's stream from *off (without CR LF), moving
 * *off past it. False when no complete line is there; *too_long then says
 * whether none can come (STARTTLS_LINE_MAX bytes without a line end, or a
 * stream that ended). */
bool starttls_line_next(const struct dissect_in *in, uint32_t *off, struct rd *line,
			bool *too_long);

/* A client line ending at stream offset `end`. */
void starttls_client_line(struct starttls *st, const struct starttls_rules *r, struct rd line,
			  uint32_t end);

/* A server line ending at stream offset `end`: true when it accepted TLS
 * (then *up says where TLS starts in each direction, and the caller
 * returns PARSE_UPGRADE). */
bool starttls_server_line(struct starttls *st, const struct starttls_rules *r, struct rd line,
			  uint32_t end, struct dpi_upgrade *up);

/* Everything above for the lines in->data holds: PARSE_UPGRADE when TLS
 * was accepted, PARSE_DONE once the session stays in the clear. */
enum parse_result starttls_parse(struct starttls *st, const struct starttls_rules *r,
				 const struct dissect_in *in);

/* Helpers for rules. Case-insensitive: is the line `word`, alone or
 * followed by a space? */
bool starttls_word_is(struct rd line, const char *word);
/* A reply line "NNN" SP|"-" text (SMTP, FTP): its code, or -1; *last
 * false for a continuation line "NNN-". */
int starttls_reply_code(struct rd line, bool *last);
/* Do in's first bytes, as far as they go, begin such a reply ("NNN" SP|"-")? */
bool starttls_reply_begins(const struct dissect_in *in);

extern const struct dissector dissector_tls;

#endif
