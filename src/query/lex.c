/* lex.c - tokens of the filter language: ( ) ! not and && or || and words.
 * A word may hold quoted parts ("a b", with \" and \\) and an operator
 * (key:value, key>=value); the first unquoted one is remembered in sep.
 */
#include "query/query_int.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "base/macros.h"

static bool lex_fail(struct query_error *err, int pos, const char *msg)
{
	if (err) {
		err->pos = pos;
		snprintf(err->msg, sizeof err->msg, "%s", msg);
	}
	return false;
}

static bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static bool ends_word(char c)
{
	return is_space(c) || c == '(' || c == ')' || c == '\0';
}

static const struct {
	const char *text;
	enum query_op op;
} ops[] = { /* longest first */
	{ "<=", OP_LE }, { ">=", OP_GE }, { "==", OP_EQ }, { "!=", OP_NE },
	{ ":", OP_COLON }, { "<", OP_LT }, { ">", OP_GT }, { "=", OP_EQ },
};

static int op_at(const char *p, enum query_op *op)
{
	for (size_t i = 0; i < ARRAY_LEN(ops); i++) {
		size_t n = strlen(ops[i].text);
		if (strncmp(p, ops[i].text, n) == 0) {
			*op = ops[i].op;
			return (int)n;
		}
	}
	return 0;
}

/* A quoted part starting at the quote; appends its text. */
static bool lex_quoted(struct lexer *lx, struct tok *t, struct query_error *err)
{
	int start = lx->pos++;
	while (lx->pos < lx->n && lx->s[lx->pos] != '"') {
		char c = lx->s[lx->pos];
		if (c == '\\' && lx->pos + 1 < lx->n)
			c = lx->s[++lx->pos];
		t->text[t->len++] = c;
		lx->pos++;
	}
	if (lx->pos >= lx->n)
		return lex_fail(err, start, "unterminated quote");
	lx->pos++;
	return true;
}

static void note_op(struct lexer *lx, struct tok *t, bool quoted)
{
	enum query_op op;
	int n;
	if (quoted || t->sep >= 0 || !(n = op_at(lx->s + lx->pos, &op)))
		return;
	t->sep = (int)t->len;
	t->sep_len = n;
	t->sep_pos = lx->pos;
	t->op = op;
}

static bool lex_word(struct lexer *lx, struct query_error *err)
{
	struct tok *t = &lx->tok;
	bool quoted = false;
	t->kind = TOK_WORD;
	t->len = 0;
	t->sep = -1;
	t->op = OP_NONE;
	while (!ends_word(lx->s[lx->pos])) {
		unsigned char c = (unsigned char)lx->s[lx->pos];
		if (c == '"') {
			if (!lex_quoted(lx, t, err))
				return false;
			quoted = true;
			continue;
		}
		if (c < 0x20 || c == 0x7f)
			return lex_fail(err, lx->pos, "invalid character");
		note_op(lx, t, quoted);
		t->text[t->len++] = (char)c;
		lx->pos++;
	}
	t->text[t->len] = '\0';
	return true;
}

static const struct {
	const char *word;
	enum tok_kind kind;
} keywords[] = {
	{ "and", TOK_AND }, { "or", TOK_OR }, { "not", TOK_NOT },
	{ "&&", TOK_AND }, { "||", TOK_OR },
};

/* An unquoted word spelled like a keyword becomes that keyword. */
static void classify(struct lexer *lx)
{
	struct tok *t = &lx->tok;
	size_t raw = (size_t)(lx->pos - t->pos);
	for (size_t i = 0; i < ARRAY_LEN(keywords); i++)
		if (raw == strlen(keywords[i].word) &&
		    strncasecmp(lx->s + t->pos, keywords[i].word, raw) == 0)
			t->kind = keywords[i].kind;
}

bool lex_next(struct lexer *lx, struct query_error *err)
{
	while (lx->pos < lx->n && is_space(lx->s[lx->pos]))
		lx->pos++;
	struct tok *t = &lx->tok;
	t->pos = lx->pos;
	char c = lx->pos < lx->n ? lx->s[lx->pos] : '\0';
	if (c == '\0') {
		t->kind = TOK_END;
	} else if (c == '(' || c == ')') {
		t->kind = c == '(' ? TOK_LPAREN : TOK_RPAREN;
		lx->pos++;
	} else if (c == '!' && lx->s[lx->pos + 1] != '=') {
		t->kind = TOK_NOT;
		lx->pos++;
	} else {
		if (!lex_word(lx, err))
			return false;
		classify(lx);
	}
	t->end = lx->pos;
	return true;
}
