/* narrow.c - whether one query can only match fewer rows than another:
 * the filter line typed a character further. Then the rows shown need
 * only be matched again, not the whole snapshot filtered and sorted.
 */
#include "query/query_int.h"

#include <string.h>

static bool same_node(const struct query *a, const struct qnode *x, const struct query *b,
		      const struct qnode *y);

/* Children lists, pairwise by a test. */
static bool kids_pairwise(const struct query *a, const struct qnode *x, const struct query *b,
			  const struct qnode *y,
			  bool (*test)(const struct query *, const struct qnode *,
				       const struct query *, const struct qnode *))
{
	int32_t i = x->kid, j = y->kid;
	for (; i >= 0 && j >= 0; i = a->nodes[i].next, j = b->nodes[j].next)
		if (!test(a, &a->nodes[i], b, &b->nodes[j]))
			return false;
	return i < 0 && j < 0;
}

static bool same_needle(const struct query *a, const struct qnode *x, const struct query *b,
			const struct qnode *y)
{
	return x->len == y->len && memcmp(a->strs + x->str, b->strs + y->str, x->len) == 0;
}

static bool same_keyword(const struct qnode *x, const struct qnode *y)
{
	return memcmp(&x->kw, &y->kw, sizeof x->kw) == 0;
}

/* The same term: the same rows match both. */
static bool same_node(const struct query *a, const struct qnode *x, const struct query *b,
		      const struct qnode *y)
{
	if (x->kind != y->kind)
		return false;
	switch (x->kind) {
	case QN_ALL:
		return true;
	case QN_AND:
	case QN_OR:
	case QN_NOT:
		return kids_pairwise(a, x, b, y, same_node);
	case QN_ANY:
		return same_needle(a, x, b, y);
	case QN_TEXT:
	case QN_EXACT:
		return same_keyword(x, y) && same_needle(a, x, b, y);
	case QN_CIDR:
		return same_keyword(x, y) && x->family == y->family && x->plen == y->plen &&
		       memcmp(x->net, y->net, sizeof x->net) == 0;
	case QN_CMP:
		return same_keyword(x, y) && x->op == y->op && x->num == y->num;
	}
	return false;
}

/* Every row y matches, x matches: text terms match substrings, so a
 * needle that holds x's matches only where x's does; "and" and "or" keep
 * that term by term; under "not" it turns around, so there the terms
 * must be the same. */
static bool covers(const struct query *a, const struct qnode *x, const struct query *b,
		   const struct qnode *y)
{
	if (x->kind == QN_ALL)
		return true;
	if (x->kind != y->kind)
		return false;
	switch (x->kind) {
	case QN_AND:
	case QN_OR:
		return kids_pairwise(a, x, b, y, covers);
	case QN_TEXT:
		if (!same_keyword(x, y))
			return false;
		/* fall through */
	case QN_ANY:
		return query_ci_contains(b->strs + y->str, y->len, a->strs + x->str, x->len);
	default:
		return same_node(a, x, b, y);
	}
}

bool query_narrows(const struct query *wider, const struct query *q)
{
	if (!wider)
		return true;
	return q && covers(wider, &wider->nodes[wider->root], q, &q->nodes[q->root]);
}
