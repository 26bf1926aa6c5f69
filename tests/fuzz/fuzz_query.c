/* fuzz_query.c - libFuzzer entry for the filter language: compile any
 * text, then match it against a set of rows with every kind of field.
 * A malformed query must give an error position inside the text, never
 * crash; a good one must match the same way every time.
 */
#include <stdlib.h>
#include <string.h>

#include "query/query.h"

#include "../tui/fake_rows.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FUZZ_TEXT_MAX (QUERY_MAX_LEN + 64) /* a little past the limit, too */

static void check_error(const struct query_error *err, size_t len)
{
	if (err->pos < 0 || (size_t)err->pos > len || err->msg[0] == '\0')
		__builtin_trap();
}

static void check_matches(const struct query *q, const struct snapshot *s)
{
	for (uint32_t i = 0; i < s->n; i++) {
		bool a = query_match(q, &s->rows[i], s->now_us);
		bool b = query_match(q, &s->rows[i], s->now_us);
		if (a != b)
			__builtin_trap();
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size > FUZZ_TEXT_MAX)
		size = FUZZ_TEXT_MAX;
	char *text = malloc(size + 1);
	memcpy(text, data, size);
	text[size] = '\0';
	size_t len = strlen(text);
	struct query_error err;
	struct query *q = query_compile(text, &err);
	if (!q) {
		check_error(&err, len);
	} else {
		struct snapshot *s = fake_snapshot(FAKE_NOW);
		fake_bulk(s, 16, 100, FAKE_NOW, size);
		check_matches(q, s);
		snapshot_free(s);
		query_free(q);
	}
	free(text);
	return 0;
}
