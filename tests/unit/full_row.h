/* full_row.h - rows that together give every field of the fields table a
 * value: the walking tests (test_field.c, test_tui_render.c) check that each
 * field shows up in JSON, in the Details view and in the docs. A TCP row
 * holds nearly everything; protocol-specific fields (an ESP SPI, a GRE
 * key) need rows of their protocol. A new field that none of them has a
 * value for fails test_field's first check: give one here. */
#ifndef WT_TESTS_FULL_ROW_H
#define WT_TESTS_FULL_ROW_H

#include <stdbool.h>

#include "flow/row.h"

/* Fills r with variant i (0: TCP with everything); false past the last.
 * r's previous contents are not released; row_fini(r) frees it. */
bool full_row(struct conn_row *r, int variant);
/* A name as rows hold it: a pooled copy (alone in its pool, which goes
 * with it). */
const char *pooled_name(const char *s);

#endif
