/* eval.c - match one row against a compiled query. Pure: reads the query
 * and the row only, so it may run on any thread.
 */
#include "query/query_int.h"

#include <string.h>

struct match_sink {
	struct query_sink base;  /* first: put() receives &base */
	const char *needle;
	size_t len;
	bool exact;
	bool hit;
};

static bool match_put(struct query_sink *s, const char *str, size_t n)
{
	struct match_sink *m = (struct match_sink *)s;
	m->hit = m->exact ? query_ci_equal(str, n, m->needle, m->len)
			  : query_ci_contains(str, n, m->needle, m->len);
	return m->hit;
}

static bool field_has(const struct query_field *f, const struct conn_row *r,
		      struct match_sink *m)
{
	if (!f->text)
		return false;
	m->hit = false;
	f->text(r, &m->base);
	return m->hit;
}

/* Numbers (ports, pids) are matched as decimal digits without a sink. */
static bool digits_contain(double v, const char *needle, size_t n)
{
	char b[24];
	size_t i = sizeof b;
	uint64_t x = v > 0 ? (uint64_t)v : 0;
	do {
		b[--i] = (char)('0' + x % 10);
		x /= 10;
	} while (x);
	return query_ci_contains(b + i, sizeof b - i, needle, n);
}

static bool eval_int_text(const struct query *q, const struct qnode *nd,
			  const struct query_field *f, const struct conn_row *r, uint64_t now)
{
	double v[QUERY_MAX_VALUES];
	int n = f->num(r, now, v);
	for (int i = 0; i < n; i++)
		if (digits_contain(v[i], q->strs + nd->str, nd->len))
			return true;
	return false;
}

static bool eval_text(const struct query *q, const struct qnode *nd, const struct conn_row *r,
		      uint64_t now)
{
	const struct query_field *f = query_field_at(nd->field);
	if (f->type == QUERY_INT && nd->kind == QN_TEXT)
		return eval_int_text(q, nd, f, r, now);
	struct match_sink m = { { match_put, nd->skip }, q->strs + nd->str, nd->len,
				nd->kind == QN_EXACT, false };
	return field_has(f, r, &m);
}

static bool eval_any(const struct query *q, const struct qnode *nd, const struct conn_row *r)
{
	struct match_sink m = { { match_put, nd->skip | QUERY_SKIP_DPI }, q->strs + nd->str,
				nd->len, false, false };
	size_t n;
	const struct query_field *f = query_fields_array(&n);
	for (size_t i = 0; i < n; i++)
		if (f[i].in_any && field_has(&f[i], r, &m))
			return true;
	return false;
}

static bool eval_cidr(const struct qnode *nd, const struct conn_row *r)
{
	const struct query_field *f = query_field_at(nd->field);
	if (r->family != nd->family || !f->addr)
		return false;
	const uint8_t *a = f->addr(r);
	unsigned full = nd->plen / 8, rest = nd->plen % 8;
	if (memcmp(a, nd->net, full) != 0)
		return false;
	if (!rest)
		return true;
	uint8_t mask = (uint8_t)(0xff << (8 - rest));
	return (a[full] & mask) == (nd->net[full] & mask);
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

static bool eval_cmp(const struct qnode *nd, const struct conn_row *r, uint64_t now)
{
	double v[QUERY_MAX_VALUES];
	int n = query_field_at(nd->field)->num(r, now, v);
	for (int i = 0; i < n; i++)
		if (compare((enum query_op)nd->op, v[i], nd->num))
			return true;
	return false;
}

static bool eval(const struct query *q, int32_t id, const struct conn_row *r, uint64_t now)
{
	const struct qnode *nd = &q->nodes[id];
	switch ((enum qn_kind)nd->kind) {
	case QN_ALL:
		return true;
	case QN_AND:
		for (int32_t k = nd->kid; k >= 0; k = q->nodes[k].next)
			if (!eval(q, k, r, now))
				return false;
		return true;
	case QN_OR:
		for (int32_t k = nd->kid; k >= 0; k = q->nodes[k].next)
			if (eval(q, k, r, now))
				return true;
		return false;
	case QN_NOT:
		return !eval(q, nd->kid, r, now);
	case QN_ANY:
		return eval_any(q, nd, r);
	case QN_TEXT:
	case QN_EXACT:
		return eval_text(q, nd, r, now);
	case QN_CIDR:
		return eval_cidr(nd, r);
	case QN_CMP:
		return eval_cmp(nd, r, now);
	}
	return false;
}

bool query_match(const struct query *q, const struct conn_row *r, uint64_t now_us)
{
	return !q || eval(q, q->root, r, now_us);
}
