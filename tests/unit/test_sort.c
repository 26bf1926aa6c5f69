/* test_sort.c - the overview's sort (tui/sort.c) puts rows in the order a
 * plain comparison sort gives: for every column and for first seen,
 * ascending and descending, on rows whose ids are not their memory order,
 * ties in id order. The comparison is written here from what the sort
 * promises (sort.h, sort.c's header), not from its keys: numbers as
 * numbers; addresses IPv4 before IPv6, then the address bytes, then the
 * port; text by the first 32 bytes of what the cell shows, lower-cased;
 * unknown first, level with an empty text. 1,000 rows take the path for a
 * few distinct values; 6,000 rows have more distinct numbers and addresses
 * than it keeps, and take the other. And the model's sort key: a new sort
 * keeps the rows the filter kept, and a snapshot without rows sorts.
 */
#include "check.h"

#include <stdlib.h>

#include "tui/columns.h"
#include "tui/model.h"
#include "tui/sort.h"

#include "../tui/fake_rows.h"

#define TEXT_PREFIX 32

enum ref_kind { REF_UNKNOWN, REF_NUM, REF_ADDR, REF_TEXT };

/* What the comparison looks at in one row. */
struct ref {
	enum ref_kind kind;
	double num;
	bool v6;
	uint8_t addr[16];
	uint16_t port;
	char text[TEXT_PREFIX + 1];
	uint64_t id;
};

static void lower_prefix(const char *s, char out[TEXT_PREFIX + 1])
{
	size_t i = 0;
	for (; i < TEXT_PREFIX && s[i]; i++)
		out[i] = (char)(s[i] >= 'A' && s[i] <= 'Z' ? s[i] + 32 : s[i]);
	out[i] = '\0';
}

static struct ref ref_of(const struct field *f, const struct conn_row *r, const struct field_ctx *c)
{
	struct ref x = { .kind = REF_UNKNOWN, .id = r->id };
	struct field_val v;
	char buf[META_STR_MAX + 64];
	if (!f) {
		x.kind = REF_NUM;
		x.num = (double)r->first_seen_us;
	} else if (!field_get(f, r, c, &v)) {
		return x;
	} else if (f->type == FIELD_ADDR) {
		x.kind = REF_ADDR;
		x.v6 = v.family == 6;
		memcpy(x.addr, v.addr, sizeof x.addr);
		x.port = v.has_port ? v.port : 0;
	} else if (field_number(f, &v, false, &x.num)) {
		x.kind = REF_NUM;
	} else if (f->type == FIELD_STRINGS) {
		x.kind = REF_TEXT;
		lower_prefix(field_text(f, r, c, buf, sizeof buf), x.text);
	} else if (v.s) {
		x.kind = REF_TEXT;
		lower_prefix(v.s, x.text);
	}
	return x;
}

static int sign(double a, double b)
{
	return a < b ? -1 : a > b;
}

/* The column's order, without the id tiebreak. */
static int ref_cmp_value(const struct ref *a, const struct ref *b)
{
	if (a->kind == REF_NUM || b->kind == REF_NUM) {
		if (a->kind != b->kind)
			return a->kind == REF_NUM ? 1 : -1; /* unknown first */
		return sign(a->num, b->num);
	}
	if (a->kind == REF_ADDR || b->kind == REF_ADDR) {
		static const struct ref none; /* unknown: a zero IPv4 address, port 0 */
		const struct ref *x = a->kind == REF_ADDR ? a : &none, *y = b->kind == REF_ADDR ? b : &none;
		if (x->v6 != y->v6)
			return x->v6 ? 1 : -1;
		int d = memcmp(x->addr, y->addr, sizeof x->addr);
		return d ? d : sign(x->port, y->port);
	}
	return strcmp(a->text, b->text); /* unknown has an empty text */
}

static struct ref *refs;
static bool refs_desc;

static int ref_cmp(const void *pa, const void *pb)
{
	const struct ref *a = &refs[*(const uint32_t *)pa], *b = &refs[*(const uint32_t *)pb];
	int d = ref_cmp_value(a, b);
	if (refs_desc)
		d = -d;
	return d ? d : sign((double)a->id, (double)b->id);
}

/* Rows in memory order with ids a permutation of 1..n; some process
 * names agree in their first 8 bytes, differ only in case, or agree in
 * the first 32 and differ after them (a tie). */
static struct snapshot *shuffled_rows(uint32_t n, uint64_t seed)
{
	static const char *const names[] = {
		"kworker/u8:0", "kworker/u8:1", "Kworker/u8:10", "kworker/u16:2",
		"a-process-name-longer-than-32-bytes-a", "a-process-name-longer-than-32-bytes-b",
	};
	struct snapshot *s = snapshot_new(n);
	fake_bulk(s, n, 1, FAKE_NOW, seed);
	for (uint32_t i = 0; i < n; i++) {
		s->rows[i].id = (uint64_t)((i * 7919u) % n) + 1;
		if (i % 3 == 0) {
			strpool_put(s->rows[i].proc.name);
			s->rows[i].proc.name = fake_name(names[(i / 3) % 6]);
		}
	}
	s->now_us = FAKE_NOW;
	return s;
}

/* Sorts the rows in byid[] with every third one left out (a filter) when
 * some, and checks the order against qsort's. */
static bool sorts_as_qsort(struct sorter *sorter, const struct snapshot *s, const uint32_t *byid,
			   int col, bool desc, bool some, uint32_t *got, uint32_t *want)
{
	uint32_t n = 0;
	for (uint32_t i = 0; i < s->n; i++)
		if (!some || byid[i] % 3 != 1)
			got[n++] = byid[i];
	memcpy(want, got, sizeof *got * n);
	sorter_sort(sorter, s->rows, got, n, column_at(col), desc, s->now_us);
	refs_desc = desc;
	qsort(want, n, sizeof *want, ref_cmp);
	return memcmp(got, want, sizeof *got * n) == 0;
}

/* Every column (and first seen, COL_NONE) sorted both ways, all rows and
 * some, one after the other with one sorter, as the overview does (the
 * sorter keeps keys between sorts); returns how many sorts differ from
 * qsort's, and names them. */
static int check_columns(uint32_t n, uint64_t seed)
{
	struct snapshot *s = shuffled_rows(n, seed);
	struct sorter sorter = { 0 };
	uint32_t *byid = malloc(sizeof *byid * n), *got = malloc(sizeof *got * n),
		 *want = malloc(sizeof *want * n);
	refs = malloc(sizeof *refs * n);
	for (uint32_t i = 0; i < n; i++)
		byid[i] = i;
	sorter_by_id(&sorter, s->rows, byid, n);
	struct field_ctx c = { .now_us = s->now_us, .brief = true };
	int bad = 0;
	for (int col = COL_NONE; col < column_count(); col++) {
		const struct field *f = col == COL_NONE ? NULL : column_at(col);
		for (uint32_t i = 0; i < n; i++)
			refs[i] = ref_of(f, &s->rows[i], &c);
		for (int pass = 0; pass < 4; pass++) { /* some, all, the other way: all, some */
			bool desc = pass >= 2, some = pass == 0 || pass == 3;
			if (!sorts_as_qsort(&sorter, s, byid, col, desc, some, got, want)) {
				printf("  %u rows: column %s %s (%s rows) differs from qsort\n", n,
				       f ? f->name : "first seen", desc ? "descending" : "ascending",
				       some ? "some" : "all");
				bad++;
			}
		}
	}
	sorter_fini(&sorter);
	free(refs);
	free(byid);
	free(got);
	free(want);
	snapshot_free(s);
	return bad;
}

static void test_every_column_sorts_as_qsort(void)
{
	CHECK(column_count() > 10);
	CHECK_INT(check_columns(1000, 7), 0);
}

static void test_many_distinct_values_sort_as_qsort(void)
{
	CHECK_INT(check_columns(6000, 11), 0);
}

/* A new sort starts from the rows the filter kept, without matching
 * them again: the rows and their order are those a whole rebuild (filter,
 * then sort) gives. */
static void test_model_sort_keeps_the_filtered_rows(void)
{
	struct model m;
	model_init(&m);
	model_set_snapshot(&m, shuffled_rows(3000, 5));
	struct query_error err;
	model_set_query(&m, query_compile("dport:443 or process:curl", &err));
	uint32_t shown = m.n;
	CHECK(shown > 100 && shown < 3000);
	uint64_t *ids = malloc(sizeof *ids * shown);
	bool same = true;
	for (int col = COL_NONE; col < column_count(); col++) {
		model_set_sort(&m, col, col % 2 != 0);
		for (uint32_t i = 0; i < m.n; i++)
			ids[i] = model_row(&m, i)->id;
		uint32_t n = m.n;
		model_rebuild(&m);
		same = same && n == shown && m.n == shown;
		for (uint32_t i = 0; same && i < m.n; i++)
			same = model_row(&m, i)->id == ids[i];
	}
	CHECK(same);
	free(ids);
	model_fini(&m);
}

/* Sorting a snapshot without rows (a capture that has seen nothing yet). */
static void test_model_sorts_no_rows(void)
{
	struct model m;
	model_init(&m);
	model_set_snapshot(&m, snapshot_new(0));
	model_set_sort(&m, column_of("bytes"), true);
	CHECK_INT(m.n, 0);
	CHECK(model_selected(&m) == NULL);
	model_fini(&m);
}

int main(void)
{
	RUN(test_every_column_sorts_as_qsort);
	RUN(test_many_distinct_values_sort_as_qsort);
	RUN(test_model_sort_keeps_the_filtered_rows);
	RUN(test_model_sorts_no_rows);
	return check_summary("test_sort");
}
