/* query_int.h - inside the filter language: tokens, the compiled tree, value
 * parsers. Private to src/query.
 */
#ifndef WT_QUERY_INT_H
#define WT_QUERY_INT_H

#include "field/field.h"
#include "query/query.h"

/* ---- lexer ---- */

enum tok_kind { TOK_END, TOK_LPAREN, TOK_RPAREN, TOK_NOT, TOK_AND, TOK_OR, TOK_WORD };

enum query_op { OP_NONE, OP_COLON, OP_LT, OP_LE, OP_GT, OP_GE, OP_EQ, OP_NE };

struct tok {
	enum tok_kind kind;
	int pos, end;            /* byte span in the expression */
	/* TOK_WORD: text with quotes removed; sep is the index in text of the
	 * first unquoted ':' or comparison operator, -1 when none. */
	char text[QUERY_MAX_LEN + 1];
	size_t len;
	int sep, sep_len;        /* operator at text[sep .. sep + sep_len) */
	int sep_pos;             /* its byte offset in the expression */
	enum query_op op;
};

struct lexer {
	const char *s;
	int n, pos;
	struct tok tok;          /* the current token */
};

/* Advance to the next token; false with err filled on a lexical error. */
bool lex_next(struct lexer *lx, struct query_error *err);

/* Which values a needle can never be found in, so a match need not format
 * them: a hint, sending them anyway is harmless. */
enum {
	QUERY_SKIP_ADDR = 1,    /* addresses: the needle has a character no address has */
	QUERY_SKIP_NUMBER = 2,  /* ports, pids: the needle is not all digits */
	QUERY_SKIP_DPI = 4,     /* DPI strings: a bare word reads them all via "dpi" */
};

/* ---- value parsers ---- */

/* A number with the suffixes allowed for unit; false with a message. */
bool query_parse_number(const char *s, enum field_unit unit, double *out, const char **why);
/* "10.0.0.0/8", "fd00::/64": 1 parsed, 0 not a CIDR, -1 address fine but
 * prefix length bad. */
int query_parse_cidr(const char *s, uint8_t net[16], uint8_t *family, uint8_t *plen);
bool query_ci_contains(const char *h, size_t hn, const char *needle, size_t nn);
bool query_ci_equal(const char *a, size_t an, const char *b, size_t bn);

/* ---- compiled tree ---- */

enum qn_kind {
	QN_ALL,    /* matches everything */
	QN_AND, QN_OR, QN_NOT,
	QN_ANY,    /* bare word: any in_any field contains it */
	QN_TEXT,   /* field contains str */
	QN_EXACT,  /* field equals str */
	QN_CIDR,   /* field's address within net/plen */
	QN_CMP,    /* field's number OP num */
};

struct qnode {
	uint8_t kind;            /* enum qn_kind */
	uint8_t op;              /* QN_CMP: enum query_op */
	uint8_t family, plen;    /* QN_CIDR */
	uint8_t skip;            /* QN_ANY, QN_TEXT: QUERY_SKIP_* for the needle */
	struct field_keyword kw; /* the fields a keyed term searches */
	int32_t kid, next;       /* first child, next sibling; -1 none */
	uint32_t str, len;       /* lowercased needle at q->strs + str */
	double num;
	uint8_t net[16];
};

struct query {
	struct qnode *nodes;
	uint32_t n, cap;
	char *strs;
	uint32_t slen, scap;
	int32_t root;
};

#endif
