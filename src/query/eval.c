/* eval.c - match one row against a compiled query. Pure: reads the query
 * and the row only, so it may run on any thread.
 */
#include "query/query_int.h"

#include <string.h>

#include "base/addrtext.h"
#include "base/clock.h"

struct needle {
	const char *s;
	size_t len;
	bool exact;
	unsigned skip;           /* QUERY_SKIP_* */
};

static bool hit(const struct needle *nd, const char *s, size_t n)
{
	return nd->exact ? query_ci_equal(s, n, nd->s, nd->len)
			 : query_ci_contains(s, n, nd->s, nd->len);
}

static bool hit_str(const struct needle *nd, const char *s)
{
	return s && *s && hit(nd, s, strlen(s));
}

/* Numbers (ports, pids) are matched as decimal digits, written by hand:
 * printf is the slowest part of a search over 100k rows. */
static bool hit_digits(const struct needle *nd, uint64_t x)
{
	char b[24];
	size_t i = sizeof b;
	if (nd->skip & QUERY_SKIP_NUMBER)
		return false;
	do {
		b[--i] = (char)('0' + x % 10);
		x /= 10;
	} while (x);
	return hit(nd, b + i, sizeof b - i);
}

/* Items of a META_LIST_SEP-joined list, one at a time. */
static bool hit_list(const struct needle *nd, const char *list)
{
	while (list && *list) {
		const char *sep = strchr(list, META_LIST_SEP);
		size_t n = sep ? (size_t)(sep - list) : strlen(list);
		if (n && hit(nd, list, n))
			return true;
		list = sep ? sep + 1 : NULL;
	}
	return false;
}

/* Every DPI string; a bare word reads them here rather than field by field. */
static bool hit_strings(const struct needle *nd, const struct flow_meta *m)
{
	size_t pos = 0;
	for (const char *s; (s = meta_str_next(m, &pos)) != NULL;)
		if (hit_str(nd, s))
			return true;
	return false;
}

/* Processes (parents): any one's name or executable. */
static bool hit_procs(const struct needle *nd, const struct field_val *v)
{
	for (unsigned i = 0; i < v->u; i++) {
		struct field_proc p;
		field_proc_at(v, i, &p);
		if (hit_str(nd, p.name) || hit_str(nd, p.exe))
			return true;
	}
	return false;
}

/* An address: its text, its name (a DPI string), and for a bare word its port. */
static bool hit_addr(const struct needle *nd, const struct field_val *v, bool any)
{
	char b[ADDR_TEXT_MAX];
	if (!(nd->skip & QUERY_SKIP_ADDR) && hit(nd, b, addr_text(b, v->family, v->addr)))
		return true;
	if (any && v->has_port && hit_digits(nd, v->port))
		return true;
	return !(nd->skip & QUERY_SKIP_DPI) && hit_str(nd, v->name);
}

static bool field_hit(const struct needle *nd, const struct field *f, bool port,
		      const struct conn_row *r, const struct field_ctx *c, bool any)
{
	struct field_val v;
	if (!field_get(f, r, c, &v))
		return false;
	if (port)
		return v.has_port && hit_digits(nd, v.port);
	switch (f->type) {
	case FIELD_TEXT:
		return hit_str(nd, v.s);
	case FIELD_LIST:
		return hit_list(nd, v.s);
	case FIELD_ADDR:
		return hit_addr(nd, &v, any);
	case FIELD_UINT:
		return hit_digits(nd, v.u);
	case FIELD_TIME:
		return hit_digits(nd, v.u / US_PER_SEC);
	case FIELD_STRINGS:
		return hit_strings(nd, v.meta);
	case FIELD_REAL:
		return false;
	case FIELD_FLAG: /* set: a bare word finds its keyword, KEYWORD:VALUE "yes" */
		return any ? hit(nd, f->keywords, strcspn(f->keywords, " ")) : hit_str(nd, "yes");
	case FIELD_PROCS:
		return hit_procs(nd, &v);
	}
	return false;
}

static bool eval_text(const struct query *q, const struct qnode *nd, const struct conn_row *r,
		      const struct field_ctx *c)
{
	struct needle n = { q->strs + nd->str, nd->len, nd->kind == QN_EXACT, nd->skip };
	for (int i = 0; i < nd->kw.n; i++)
		if (field_hit(&n, field_at(nd->kw.field[i]), nd->kw.port[i], r, c, false))
			return true;
	return false;
}

/* A bare word: every field marked FIELD_ANY. */
static bool eval_any(const struct query *q, const struct qnode *nd, const struct conn_row *r,
		     const struct field_ctx *c)
{
	size_t n;
	const struct field *f = field_all(&n);
	struct needle w = { q->strs + nd->str, nd->len, false, nd->skip | QUERY_SKIP_DPI };
	for (size_t i = 0; i < n; i++)
		if ((f[i].flags & FIELD_ANY) && field_hit(&w, &f[i], false, r, c, true))
			return true;
	return false;
}

static bool in_prefix(const struct qnode *nd, const uint8_t *a)
{
	unsigned full = nd->plen / 8, rest = nd->plen % 8;
	if (memcmp(a, nd->net, full) != 0)
		return false;
	if (!rest)
		return true;
	uint8_t mask = (uint8_t)(0xff << (8 - rest));
	return (a[full] & mask) == (nd->net[full] & mask);
}

static bool eval_cidr(const struct qnode *nd, const struct conn_row *r, const struct field_ctx *c)
{
	for (int i = 0; i < nd->kw.n; i++) {
		struct field_val v;
		if (field_get(field_at(nd->kw.field[i]), r, c, &v) && v.family == nd->family &&
		    in_prefix(nd, v.addr))
			return true;
	}
	return false;
}

static bool compare(enum query_op op, double a, double b)
{
	switch (op) {
	case OP_LT: return a < b;
	case OP_LE: return a <= b;
	case OP_GT: return a > b;
	case OP_GE: return a >= b;
	case OP_EQ: return a == b;
	default: return false;
	}
}

static bool eval_cmp(const struct qnode *nd, const struct conn_row *r, const struct field_ctx *c)
{
	for (int i = 0; i < nd->kw.n; i++) {
		const struct field *f = field_at(nd->kw.field[i]);
		struct field_val v;
		double x;
		if (field_get(f, r, c, &v) && field_number(f, &v, nd->kw.port[i], &x) &&
		    compare((enum query_op)nd->op, x, nd->num))
			return true;
	}
	return false;
}

static bool eval(const struct query *q, int32_t id, const struct conn_row *r,
		 const struct field_ctx *c)
{
	const struct qnode *nd = &q->nodes[id];
	switch ((enum qn_kind)nd->kind) {
	case QN_ALL:
		return true;
	case QN_AND:
		for (int32_t k = nd->kid; k >= 0; k = q->nodes[k].next)
			if (!eval(q, k, r, c))
				return false;
		return true;
	case QN_OR:
		for (int32_t k = nd->kid; k >= 0; k = q->nodes[k].next)
			if (eval(q, k, r, c))
				return true;
		return false;
	case QN_NOT:
		return !eval(q, nd->kid, r, c);
	case QN_ANY:
		return eval_any(q, nd, r, c);
	case QN_TEXT:
	case QN_EXACT:
		return eval_text(q, nd, r, c);
	case QN_CIDR:
		return eval_cidr(nd, r, c);
	case QN_CMP:
		return eval_cmp(nd, r, c);
	}
	return false;
}

bool query_match(const struct query *q, const struct conn_row *r, uint64_t now_us)
{
	struct field_ctx c = { .now_us = now_us };
	return !q || eval(q, q->root, r, &c);
}
