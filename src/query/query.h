/* query.h - the filter language: compile an expression, match rows.
 *
 *   expr   := or
 *   or     := and { ("or" | "||") and }
 *   and    := unary { ["and" | "&&"] unary }        (juxtaposition is "and")
 *   unary  := ("!" | "not") unary | "(" expr ")" | term
 *   term   := WORD                                   any field contains WORD
 *           | KEY ":" VALUE                          KEY contains VALUE (ports, pids
 *                                                    as decimal text; CIDR for addresses)
 *           | KEY OP VALUE                           OP: < <= > >= = == !=
 *
 * Text matches are case-insensitive substrings; "=" on a text field is a
 * case-insensitive exact match. Numbers take k/M/G/T suffixes (x1000, or
 * x1024 with "i": 1Ki) and durations us/ms/s/m/h/d. A field with several
 * values (port = local or remote port) matches when any value does.
 *
 * Keywords and what they search come from the fields table (field/field.h).
 * Compiled queries are immutable: one query may be matched from several
 * threads at once.
 */
#ifndef WT_QUERY_QUERY_H
#define WT_QUERY_QUERY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/err.h"
#include "flow/row.h"

#define QUERY_MAX_LEN 1024  /* longest expression accepted */
#define QUERY_MAX_DEPTH 64  /* nesting of parentheses and negations */

struct query;
struct query_error {
	int pos;                /* byte offset into the expression */
	char msg[128];
};

/* NULL on error (err, when given, says where and why); "" matches all. */
struct query *query_compile(const char *expr, struct query_error *err);
/* The --filter option: NULL with a usage error ("--filter: ... at
 * character N") that the program exits 2 on. */
struct query *query_compile_option(const char *expr, struct wt_err *err);
/* now_us is the data clock (age, idle); a NULL q matches every row. */
bool query_match(const struct query *q, const struct conn_row *r, uint64_t now_us);
void query_free(struct query *q);
/* True when q matches every row (the empty expression). */
bool query_is_all(const struct query *q);
/* True when every row q matches is matched by wider too (q is wider with
 * a text term typed further, say); false when that cannot be told. A NULL
 * wider matches every row. */
bool query_narrows(const struct query *wider, const struct query *q);

#endif
