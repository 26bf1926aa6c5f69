/* parse.c - recursive descent over the tokens of lex.c into a flat node
 * array (see the grammar in query.h). Nesting is bounded so no input can
 * exhaust the stack; every error carries the byte position it refers to.
 */
#include "query/query_int.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/macros.h"
#include "base/xalloc.h"

struct parser {
	struct lexer lx;
	struct query *q;
	struct query_error *err;
	int depth;
	bool failed;
};

__attribute__((format(printf, 3, 4)))
static int32_t fail(struct parser *p, int pos, const char *fmt, ...)
{
	if (p->failed)
		return -1;
	p->failed = true;
	if (p->err) {
		va_list ap;
		va_start(ap, fmt);
		p->err->pos = pos;
		vsnprintf(p->err->msg, sizeof p->err->msg, fmt, ap);
		va_end(ap);
	}
	return -1;
}

static bool advance(struct parser *p)
{
	if (p->failed)
		return false;
	if (!lex_next(&p->lx, p->err))
		p->failed = true;
	return !p->failed;
}

static int32_t node_new(struct parser *p, enum qn_kind kind)
{
	struct query *q = p->q;
	if (q->n == q->cap) {
		q->cap = q->cap ? q->cap * 2 : 16;
		q->nodes = xrealloc(q->nodes, sizeof *q->nodes * q->cap);
	}
	struct qnode *nd = &q->nodes[q->n];
	memset(nd, 0, sizeof *nd);
	nd->kind = (uint8_t)kind;
	nd->kid = nd->next = -1;
	return (int32_t)q->n++;
}

/* Values a needle can never be found in: digits-only numbers, addresses
 * made of hex digits, ':' and '.'. */
static uint8_t needle_skip(const char *s, size_t n)
{
	uint8_t skip = 0;
	for (size_t i = 0; i < n; i++) {
		char c = (char)(s[i] | 0x20);
		bool digit = s[i] >= '0' && s[i] <= '9';
		if (!digit)
			skip |= QUERY_SKIP_NUMBER;
		if (!digit && !(c >= 'a' && c <= 'f') && s[i] != ':' && s[i] != '.')
			skip |= QUERY_SKIP_ADDR;
	}
	return skip;
}

/* Stores the needle lower-cased. */
static void node_str(struct parser *p, int32_t id, const char *s, size_t n)
{
	struct query *q = p->q;
	if (q->slen + n + 1 > q->scap) {
		while (q->slen + n + 1 > q->scap)
			q->scap = q->scap ? q->scap * 2 : 64;
		q->strs = xrealloc(q->strs, q->scap);
	}
	for (size_t i = 0; i < n; i++)
		q->strs[q->slen + i] = (char)(s[i] >= 'A' && s[i] <= 'Z' ? s[i] + 32 : s[i]);
	q->strs[q->slen + n] = '\0';
	q->nodes[id].str = q->slen;
	q->nodes[id].len = (uint32_t)n;
	q->nodes[id].skip = needle_skip(s, n);
	q->slen += (uint32_t)(n + 1);
}

static int32_t wrap_not(struct parser *p, int32_t kid)
{
	int32_t id = node_new(p, QN_NOT);
	p->q->nodes[id].kid = kid;
	return id;
}

static int32_t bare_word(struct parser *p)
{
	const struct tok *t = &p->lx.tok;
	if (t->len == 0) /* "": a term that would match everything */
		return fail(p, t->pos, "empty term");
	int32_t id = node_new(p, QN_ANY);
	node_str(p, id, t->text, t->len);
	return id;
}

static bool is_hex(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || ((s[i] | 32) >= 'a' && (s[i] | 32) <= 'f')))
			return false;
	return true;
}

/* What the fields of a keyword have in common. */
struct kw_class {
	bool numeric;   /* all compare as numbers */
	bool digits;    /* all take ':' as a digit search */
	bool addr;      /* all are addresses (CIDR) */
	enum field_unit unit;
};

static struct kw_class classify(const struct field_keyword *kw)
{
	size_t n;
	const struct field *f = field_all(&n);
	struct kw_class c = { true, true, true, FIELD_UNIT_NONE };
	for (int i = 0; i < kw->n; i++) {
		const struct field *g = &f[kw->field[i]];
		c.numeric &= field_is_numeric(g, kw->port[i]);
		c.digits &= field_is_digits(g, kw->port[i]);
		c.addr &= !kw->port[i] && g->type == FIELD_ADDR;
		if (i == 0 && !kw->port[i])
			c.unit = g->unit;
	}
	return c;
}

static int32_t keyed_node(struct parser *p, enum qn_kind kind, const struct field_keyword *kw)
{
	int32_t id = node_new(p, kind);
	p->q->nodes[id].kw = *kw;
	return id;
}

static int32_t text_only(struct parser *p, const struct field_keyword *kw)
{
	return fail(p, p->lx.tok.sep_pos, "'%s' is text: use %s:VALUE or %s=VALUE", kw->word,
		    kw->word, kw->word);
}

static int32_t cmp_term(struct parser *p, const struct field_keyword *kw,
			const struct kw_class *c, enum query_op op, const char *val, int vpos)
{
	const char *why = NULL;
	double v;
	if (!c->numeric)
		return text_only(p, kw);
	if (!query_parse_number(val, c->unit, &v, &why))
		return fail(p, vpos, "%s: %s", kw->word, why);
	int32_t id = keyed_node(p, QN_CMP, kw);
	struct qnode *nd = &p->q->nodes[id];
	nd->op = (uint8_t)(op == OP_NE ? OP_EQ : op);
	nd->num = v;
	return op == OP_NE ? wrap_not(p, id) : id;
}

static int32_t cidr_term(struct parser *p, const struct field_keyword *kw,
			 const struct kw_class *c, const char *val, int vpos, bool *done)
{
	uint8_t net[16], family = 0, plen = 0;
	int r = c->addr ? query_parse_cidr(val, net, &family, &plen) : 0;
	*done = r != 0 || (c->addr && strchr(val, '/'));
	if (r < 0)
		return fail(p, vpos + (int)(strchr(val, '/') - val) + 1,
			    "bad prefix length (0-%d)", family == 4 ? 32 : 128);
	if (r == 0 && c->addr && strchr(val, '/'))
		return fail(p, vpos, "expected ADDRESS/PREFIX, e.g. 10.0.0.0/8");
	if (r == 0)
		return -1;
	int32_t id = keyed_node(p, QN_CIDR, kw);
	struct qnode *nd = &p->q->nodes[id];
	memcpy(nd->net, net, 16);
	nd->family = family;
	nd->plen = plen;
	return id;
}

static int32_t text_term(struct parser *p, const struct field_keyword *kw,
			 const struct kw_class *c, enum query_op op, const char *val, int vpos)
{
	bool done;
	int32_t id = cidr_term(p, kw, c, val, vpos, &done);
	if (done)
		return op == OP_NE && id >= 0 ? wrap_not(p, id) : id;
	if (op != OP_COLON && op != OP_EQ && op != OP_NE)
		return text_only(p, kw);
	if (c->digits && val[strspn(val, "0123456789")] != '\0')
		return fail(p, vpos, "%s: expected digits", kw->word);
	id = keyed_node(p, op == OP_COLON ? QN_TEXT : QN_EXACT, kw);
	node_str(p, id, val, strlen(val));
	return op == OP_NE ? wrap_not(p, id) : id;
}

/* "key:>5" compares like "key>5". */
static enum query_op colon_op(const char **val, int *vpos)
{
	static const struct { const char *s; enum query_op op; } t[] = {
		{ "<=", OP_LE }, { ">=", OP_GE }, { "<", OP_LT }, { ">", OP_GT },
		{ "!=", OP_NE }, { "=", OP_EQ },
	};
	for (size_t i = 0; i < ARRAY_LEN(t); i++) {
		size_t n = strlen(t[i].s);
		if (strncmp(*val, t[i].s, n) == 0) {
			*val += n;
			*vpos += (int)n;
			return t[i].op;
		}
	}
	return OP_COLON;
}

/* Numbers with a unit compare on ':' too (bytes:1M is bytes=1M); plain
 * numbers (ports, pids) search their digits on ':' and compare otherwise. */
static int32_t keyed_term(struct parser *p, const struct field_keyword *kw)
{
	const struct tok *t = &p->lx.tok;
	const char *val = t->text + t->sep + t->sep_len;
	int vpos = t->sep_pos + t->sep_len;
	enum query_op op = t->op;
	struct kw_class c = classify(kw);
	if (op == OP_COLON && c.numeric)
		op = colon_op(&val, &vpos);
	if (!*val)
		return fail(p, t->end, "missing value after '%.*s'", t->sep + t->sep_len, t->text);
	bool numeric = c.numeric && (!c.digits || op != OP_COLON);
	return numeric ? cmp_term(p, kw, &c, op == OP_COLON ? OP_EQ : op, val, vpos)
		       : text_term(p, kw, &c, op, val, vpos);
}

static int32_t term(struct parser *p)
{
	const struct tok *t = &p->lx.tok;
	struct field_keyword kw;
	if (t->sep < 0)
		return bare_word(p);
	if (!field_keyword_find(t->text, (size_t)t->sep, &kw)) {
		/* "fe80::1", "::1", "aa:bb:cc": hex before a colon is an address */
		bool hex = t->sep > 0 ? is_hex(t->text, (size_t)t->sep) : t->text[1] == ':';
		if (t->op == OP_COLON && hex)
			return bare_word(p);
		if (t->sep == 0)
			return fail(p, t->pos, "missing field name before '%.*s'", t->sep_len,
				    t->text);
		return fail(p, t->pos, "unknown field '%.*s' (h lists them)", t->sep, t->text);
	}
	return keyed_term(p, &kw);
}

static int32_t parse_or(struct parser *p);

static bool starts_term(enum tok_kind k)
{
	return k == TOK_WORD || k == TOK_NOT || k == TOK_LPAREN;
}

static int32_t missing_term(struct parser *p, const char *after)
{
	const struct tok *t = &p->lx.tok;
	if (t->kind == TOK_RPAREN && !after)
		return fail(p, t->pos, "unmatched ')'");
	if (t->kind == TOK_AND || t->kind == TOK_OR)
		return fail(p, t->pos, "'%.*s' needs a term on its left", t->end - t->pos,
			    p->lx.s + t->pos);
	if (after)
		return fail(p, t->pos, "expected a term after '%s'", after);
	return fail(p, t->pos, "expected a term");
}

static int32_t nested(struct parser *p, int32_t (*fn)(struct parser *), int pos)
{
	if (++p->depth > QUERY_MAX_DEPTH)
		return fail(p, pos, "too deeply nested");
	int32_t r = fn(p);
	p->depth--;
	return r;
}

static int32_t parse_unary(struct parser *p);

static int32_t not_rest(struct parser *p)
{
	char word[8]; /* "!" or "not", as typed */
	const struct tok *t = &p->lx.tok;
	snprintf(word, sizeof word, "%.*s", t->end - t->pos, p->lx.s + t->pos);
	if (!advance(p))
		return -1;
	if (!starts_term(p->lx.tok.kind))
		return missing_term(p, word);
	int32_t kid = parse_unary(p);
	return kid < 0 ? -1 : wrap_not(p, kid);
}

static int32_t paren_rest(struct parser *p)
{
	int open = p->lx.tok.pos;
	if (!advance(p))
		return -1;
	if (p->lx.tok.kind == TOK_RPAREN)
		return fail(p, p->lx.tok.pos, "empty parentheses");
	int32_t e = parse_or(p);
	if (e < 0)
		return -1;
	if (p->lx.tok.kind != TOK_RPAREN)
		return fail(p, open, "unclosed '('");
	return advance(p) ? e : -1;
}

static int32_t parse_unary(struct parser *p)
{
	const struct tok *t = &p->lx.tok;
	if (t->kind == TOK_NOT)
		return nested(p, not_rest, t->pos);
	if (t->kind == TOK_LPAREN)
		return nested(p, paren_rest, t->pos);
	if (t->kind != TOK_WORD)
		return missing_term(p, NULL);
	int32_t id = term(p);
	return id >= 0 && advance(p) ? id : -1;
}

/* Builds an n-ary node of kind from operands parsed by next, joined by sep
 * (and, for QN_AND, by juxtaposition). */
static int32_t parse_list(struct parser *p, enum qn_kind kind, enum tok_kind sep,
			  int32_t (*next)(struct parser *))
{
	int32_t first = next(p);
	if (first < 0)
		return -1;
	int32_t list = -1, last = first;
	for (;;) {
		enum tok_kind k = p->lx.tok.kind;
		bool joined = k == sep;
		if (!joined && !(kind == QN_AND && starts_term(k)))
			break;
		const char *word = kind == QN_AND ? "and" : "or";
		if (joined && (!advance(p) || !starts_term(p->lx.tok.kind)))
			return p->failed ? -1 : missing_term(p, word);
		int32_t r = next(p);
		if (r < 0)
			return -1;
		if (list < 0) {
			list = node_new(p, kind);
			p->q->nodes[list].kid = first;
		}
		p->q->nodes[last].next = r;
		last = r;
	}
	return list < 0 ? first : list;
}

static int32_t parse_and(struct parser *p)
{
	return parse_list(p, QN_AND, TOK_AND, parse_unary);
}

static int32_t parse_or(struct parser *p)
{
	return parse_list(p, QN_OR, TOK_OR, parse_and);
}

static int32_t parse_top(struct parser *p)
{
	if (!advance(p))
		return -1;
	if (p->lx.tok.kind == TOK_END)
		return node_new(p, QN_ALL);
	int32_t e = parse_or(p);
	if (e >= 0 && p->lx.tok.kind != TOK_END)
		return missing_term(p, NULL);
	return e;
}

struct query *query_compile(const char *expr, struct query_error *err)
{
	if (err) {
		err->pos = 0;
		err->msg[0] = '\0';
	}
	if (!expr)
		expr = "";
	size_t n = strlen(expr);
	if (n > QUERY_MAX_LEN) {
		if (err) {
			err->pos = QUERY_MAX_LEN;
			snprintf(err->msg, sizeof err->msg, "filter longer than %d bytes",
				 QUERY_MAX_LEN);
		}
		return NULL;
	}
	struct query *q = xcalloc(1, sizeof *q);
	struct parser p = { .lx = { .s = expr, .n = (int)n }, .q = q, .err = err };
	q->root = parse_top(&p);
	if (q->root < 0 || p.failed) {
		query_free(q);
		return NULL;
	}
	return q;
}

struct query *query_compile_option(const char *expr, struct wt_err *err)
{
	struct query_error qe;
	struct query *q = query_compile(expr, &qe);
	if (!q)
		wt_err_set(err, WT_ERR_USAGE, "--filter: %s at character %d", qe.msg, qe.pos + 1);
	return q;
}

void query_free(struct query *q)
{
	if (!q)
		return;
	free(q->nodes);
	free(q->strs);
	free(q);
}

bool query_is_all(const struct query *q)
{
	return q && q->nodes[q->root].kind == QN_ALL;
}
