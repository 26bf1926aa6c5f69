/* sort.c - LSD radix sort on 64-bit keys computed once per row.
 *
 * Each column's field (from the fields table) yields up to SORT_KEYS
 * order-preserving keys, most significant first: a number; an address as
 * (family and high bits, high, low, port); text as the first 32 lower-cased
 * bytes of what the cell shows.
 *
 * A row's keys are kept, by its place in the snapshot, until the
 * snapshot or the column changes: sorting the same rows again (the other
 * direction, a filter typed further and cleared) computes none, and rows
 * are only read for the keys of rows that have none yet, in memory order.
 *
 * The rows come in id order (sorter_by_id, once per snapshot) and every
 * pass is stable, so rows with equal keys stay in id order and do not swap
 * places between refreshes. When the rows have few distinct values
 * (states, apps, process names: all keys taken together), each row's is
 * replaced by its rank and one radix pass on that orders them. Otherwise
 * the first key is squeezed into 32 bits (offset from the smallest,
 * shifted to fit: order kept, only near-equal values merge); after one
 * radix pass on that, runs whose keys tie there but differ in full are
 * sorted exactly, key by key. Byte positions where all keys agree are
 * skipped and short runs use insertion sort, so 100k rows take a handful
 * of passes.
 */
#include "tui/sort.h"

#include <stdlib.h>
#include <string.h>

#include "base/hash.h"
#include "base/xalloc.h"
#include "tui/columns.h"

#define SORT_KEYS 4
#define SMALL_RUN 48
#define RANK_SLOTS 8192     /* hash slots for the distinct first keys */
#define RANK_MAX 4096       /* more distinct values than this: squeeze instead */

struct sort_ent {
	uint64_t key;
	uint32_t idx;       /* the row's place in rows[] */
	uint32_t pad;
};

struct key_ctx {
	const struct field *f;
	struct field_ctx fc;
	int nkeys;
};

void sorter_fini(struct sorter *s)
{
	free(s->e);
	free(s->tmp);
	free(s->key0);
	free(s->rest);
	free(s->stamp);
	free(s->mark);
	free(s->slot);
	free(s->rank_row);
	free(s->rank);
	free(s->used);
	memset(s, 0, sizeof *s);
}

/* A bigger array, its pages touched now: a sort by a column of text
 * first writes most of keys[], and taking its pages then (megabytes at
 * 100,000 rows) cost a first sort several milliseconds more than the next. */
static void *grow(void *p, size_t size)
{
	p = xrealloc(p, size);
	memset(p, 0, size);
	return p;
}

static void reserve(struct sorter *s, size_t n)
{
	if (n <= s->cap)
		return;
	s->cap = n + n / 2;
	s->e = grow(s->e, sizeof *s->e * s->cap);
	s->tmp = grow(s->tmp, sizeof *s->tmp * s->cap);
	s->slot = grow(s->slot, sizeof *s->slot * s->cap);
	if (!s->rank_row) {
		s->rank_row = xmalloc(sizeof *s->rank_row * RANK_SLOTS);
		s->rank = xmalloc(sizeof *s->rank * RANK_SLOTS);
		s->used = xmalloc(RANK_SLOTS);
	}
}

/* Room for the keys of rows[0..nrows); growing forgets every key kept. */
static void reserve_rows(struct sorter *s, size_t nrows)
{
	if (nrows <= s->row_cap)
		return;
	s->row_cap = nrows + nrows / 2;
	s->key0 = grow(s->key0, sizeof *s->key0 * s->row_cap);
	s->rest = grow(s->rest, sizeof *s->rest * s->row_cap * (SORT_KEYS - 1));
	s->stamp = grow(s->stamp, sizeof *s->stamp * s->row_cap); /* all 0: no keys */
	s->mark = grow(s->mark, s->row_cap);
}

/* Forgets the keys kept: a row has keys when its stamp is gen. */
static void forget_keys(struct sorter *s)
{
	if (++s->gen == 0) { /* wrapped: old stamps could match again */
		memset(s->stamp, 0, sizeof *s->stamp * s->row_cap);
		s->gen = 1;
	}
}

/* Doubles ordered as unsigned integers. */
static uint64_t num_key(double v)
{
	uint64_t b;
	memcpy(&b, &v, sizeof b);
	return b >> 63 ? ~b : b | (1ULL << 63);
}

static uint64_t be64(const uint8_t *p)
{
	uint64_t v;
	memcpy(&v, p, sizeof v);
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	v = __builtin_bswap64(v);
#endif
	return v;
}

/* The first 32 bytes of s, lower-cased, as 4 big-endian keys. */
static void text_keys(const char *s, uint64_t *k)
{
	uint8_t b[32] = { 0 };
	for (size_t i = 0; i < sizeof b && s[i]; i++)
		b[i] = (uint8_t)(s[i] >= 'A' && s[i] <= 'Z' ? s[i] + 32 : s[i]);
	for (size_t j = 0; j < 4; j++)
		k[j] = be64(b + 8 * j);
}

static void row_keys(const struct key_ctx *c, const struct conn_row *r, uint64_t k[SORT_KEYS])
{
	const struct field *f = c->f;
	struct field_val v;
	double x;
	char buf[META_STR_MAX + 64];
	memset(k, 0, sizeof *k * SORT_KEYS);
	if (!f) {
		k[0] = r->first_seen_us;
	} else if (!field_get(f, r, &c->fc, &v)) {
		return; /* unknown sorts first */
	} else if (f->type == FIELD_ADDR) {
		const uint8_t *a = v.addr; /* IPv4 fills 4 bytes, the rest are zero */
		k[0] = (v.family == 6 ? 1ULL << 63 : 0) | be64(a) >> 1;
		k[1] = be64(a);
		k[2] = be64(a + 8);
		k[3] = v.has_port ? v.port : 0;
	} else if (field_number(f, &v, false, &x)) {
		k[0] = num_key(x);
	} else if (f->type == FIELD_STRINGS || f->type == FIELD_PROCS) { /* what the cell shows */
		text_keys(field_text(f, r, &c->fc, buf, sizeof buf), k);
	} else if (v.s) {
		text_keys(v.s, k);
	}
}

static int key_count(const struct field *f)
{
	return !f || field_is_numeric(f, false) ? 1 : 4; /* !f: first seen */
}

/* LSD radix sort of e[0..n) on the low nbytes of .key, skipping bytes
 * where all keys agree. Stable. */
static void radix(struct sort_ent *e, struct sort_ent *tmp, size_t n, int nbytes)
{
	uint32_t hist[8][256];
	memset(hist, 0, sizeof hist[0] * (size_t)nbytes);
	for (size_t i = 0; i < n; i++)
		for (int b = 0; b < nbytes; b++)
			hist[b][(e[i].key >> (8 * b)) & 0xff]++;
	struct sort_ent *src = e, *dst = tmp;
	for (int b = 0; b < nbytes; b++) {
		if (hist[b][(e[0].key >> (8 * b)) & 0xff] == n)
			continue;
		uint32_t pos = 0;
		for (int v = 0; v < 256; v++) {
			uint32_t c = hist[b][v];
			hist[b][v] = pos;
			pos += c;
		}
		for (size_t i = 0; i < n; i++)
			dst[hist[b][(src[i].key >> (8 * b)) & 0xff]++] = src[i];
		struct sort_ent *t = src;
		src = dst;
		dst = t;
	}
	if (src != e)
		memcpy(e, src, sizeof *e * n);
}

struct sort_job {
	struct sort_ent *tmp;
	const uint64_t *key0, *rest; /* by row: the first key, the others */
	bool desc;
	int nkeys;
};

static uint64_t key_at(const struct sort_job *j, uint32_t row, int level)
{
	return level == 0 ? j->key0[row] : j->rest[(size_t)row * (SORT_KEYS - 1) + (size_t)level - 1];
}

static uint64_t level_key(const struct sort_job *j, uint32_t row, int level)
{
	uint64_t k = key_at(j, row, level);
	return j->desc ? ~k : k;
}

/* Compares keys from level on; for insertion sort (stable: strict less). */
static bool less_from(const struct sort_job *j, uint32_t a, uint32_t b, int level)
{
	for (int l = level; l < j->nkeys; l++) {
		uint64_t ka = level_key(j, a, l), kb = level_key(j, b, l);
		if (ka != kb)
			return ka < kb;
	}
	return false;
}

static void insertion(const struct sort_job *j, struct sort_ent *e, size_t n, int level)
{
	for (size_t i = 1; i < n; i++) {
		struct sort_ent x = e[i];
		size_t k = i;
		while (k > 0 && less_from(j, x.idx, e[k - 1].idx, level)) {
			e[k] = e[k - 1];
			k--;
		}
		e[k] = x;
	}
}

/* Stable sort of e[0..n) by keys level .. nkeys-1. */
static void sort_level(const struct sort_job *j, struct sort_ent *e, size_t n, int level)
{
	if (n < 2 || level >= j->nkeys)
		return;
	if (n < SMALL_RUN) {
		insertion(j, e, n, level);
		return;
	}
	for (size_t i = 0; i < n; i++)
		e[i].key = level_key(j, e[i].idx, level);
	radix(e, j->tmp, n, 8);
	size_t start = 0;
	for (size_t i = 1; i <= n; i++) {
		if (i < n && e[i].key == e[start].key)
			continue;
		sort_level(j, e + start, i - start, level + 1);
		start = i;
	}
}

/* How far to shift (k0 - min) right so that the spread fits in 32 bits. */
static int squeeze_shift(const struct sort_job *j, const struct sort_ent *e, size_t n,
			 uint64_t *min)
{
	uint64_t lo = UINT64_MAX, hi = 0;
	for (size_t i = 0; i < n; i++) {
		uint64_t k = j->key0[e[i].idx];
		lo = k < lo ? k : lo;
		hi = k > hi ? k : hi;
	}
	int shift = 0;
	while (shift < 32 && (hi - lo) >> shift > UINT32_MAX)
		shift++;
	*min = lo;
	return shift;
}

static bool keys_equal(const struct sort_job *j, uint32_t a, uint32_t b)
{
	for (int l = 0; l < j->nkeys; l++)
		if (key_at(j, a, l) != key_at(j, b, l))
			return false;
	return true;
}

/* Sorts each run of equal e[].key exactly (from key level on) unless all
 * its keys already agree. */
static void fix_runs(const struct sort_job *j, struct sort_ent *e, size_t n, int level)
{
	size_t start = 0;
	for (size_t i = 1; i <= n; i++) {
		if (i < n && e[i].key == e[start].key)
			continue;
		for (size_t k = start + 1; k < i; k++)
			if (!keys_equal(j, e[start].idx, e[k].idx)) {
				sort_level(j, e + start, i - start, level);
				break;
			}
		start = i;
	}
}

/* Many distinct first keys: squeeze them into 32 bits. */
static void sort_squeezed(const struct sort_job *j, struct sort_ent *e, size_t n)
{
	uint64_t min;
	int shift = squeeze_shift(j, e, n, &min);
	for (size_t i = 0; i < n; i++) {
		uint64_t p = (j->key0[e[i].idx] - min) >> shift;
		e[i].key = j->desc ? UINT32_MAX - p : p;
	}
	radix(e, j->tmp, n, 4);
	fix_runs(j, e, n, 0);
}

static uint64_t keys_hash(const struct sort_job *j, uint32_t row)
{
	uint64_t h = 0;
	for (int l = 0; l < j->nkeys; l++)
		h = hash_mix64(h ^ key_at(j, row, l));
	return h;
}

/* Orders two rows by all their keys, ascending (for qsort_r). */
static int keys_cmp(const void *a, const void *b, void *job)
{
	const struct sort_job *j = job;
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
	for (int l = 0; l < j->nkeys; l++) {
		uint64_t kx = key_at(j, x, l), ky = key_at(j, y, l);
		if (kx != ky)
			return kx < ky ? -1 : 1;
	}
	return 0;
}

/* The hash slot of row's keys: where they are, or the free one to put
 * them in. */
static uint32_t rank_slot(const struct sorter *s, const struct sort_job *j, uint32_t row)
{
	uint32_t h = (uint32_t)keys_hash(j, row) & (RANK_SLOTS - 1);
	while (s->used[h] && !keys_equal(j, s->rank_row[h], row))
		h = (h + 1) & (RANK_SLOTS - 1);
	return h;
}

/* Few distinct values, all keys taken together (states, apps, process
 * names): number them in order and sort on that number, which orders the
 * rows completely (ties are equal in every key and stay in id order).
 * False when there are too many. */
static bool sort_ranked(struct sorter *s, struct sort_job *j, size_t n)
{
	uint32_t distinct[RANK_MAX]; /* a row holding each */
	uint32_t count = 0;
	memset(s->used, 0, RANK_SLOTS);
	for (size_t i = 0; i < n; i++) {
		uint32_t row = s->e[i].idx, h = rank_slot(s, j, row);
		if (!s->used[h]) {
			if (count == RANK_MAX)
				return false;
			s->used[h] = 1;
			s->rank_row[h] = row;
			distinct[count++] = row;
		}
		s->slot[i] = (uint16_t)h;
	}
	qsort_r(distinct, count, sizeof *distinct, keys_cmp, j);
	for (uint32_t r = 0; r < count; r++)
		s->rank[rank_slot(s, j, distinct[r])] = j->desc ? count - 1 - r : r;
	for (size_t i = 0; i < n; i++)
		s->e[i].key = s->rank[s->slot[i]];
	radix(s->e, j->tmp, n, 2);
	return true;
}

void sorter_by_id(struct sorter *s, const struct conn_row *rows, uint32_t *order, size_t n)
{
	/* here, once per snapshot, not in the first sort by a key */
	reserve(s, n);
	reserve_rows(s, n);
	forget_keys(s);
	size_t i = 1;
	while (i < n && rows[order[i - 1]].id <= rows[order[i]].id)
		i++;
	if (i >= n) /* already in order, as many sources publish */
		return;
	for (i = 0; i < n; i++) {
		s->e[i].key = rows[order[i]].id;
		s->e[i].idx = order[i];
	}
	radix(s->e, s->tmp, n, 8);
	for (i = 0; i < n; i++)
		order[i] = s->e[i].idx;
}

/* The keys of the rows in order[0..n) that have none yet, kept by row.
 * The rows are read in the order they lie in memory, not in order[]'s:
 * ids are not where rows lie, and a row is hundreds of bytes, so reading
 * them in id order missed the cache on every one (at 100,000 rows most of
 * a sort's time). Only the keys the column has are kept: a number's one,
 * not four. */
static void compute_keys(struct sorter *s, const struct key_ctx *kc, const struct conn_row *rows,
			 const uint32_t *order, size_t n, size_t nrows)
{
	memset(s->mark, 0, nrows);
	bool any = false;
	for (size_t i = 0; i < n; i++)
		if (s->stamp[order[i]] != s->gen) {
			s->mark[order[i]] = 1;
			any = true;
		}
	if (!any)
		return;
	for (size_t r = 0; r < nrows; r++) {
		if (!s->mark[r])
			continue;
		uint64_t k[SORT_KEYS];
		row_keys(kc, &rows[r], k);
		s->key0[r] = k[0];
		if (kc->nkeys > 1)
			memcpy(s->rest + r * (SORT_KEYS - 1), k + 1, sizeof *k * (SORT_KEYS - 1));
		s->stamp[r] = s->gen;
	}
}

/* One past the highest row index in order[0..n). */
static size_t rows_spanned(const uint32_t *order, size_t n)
{
	uint32_t hi = 0;
	for (size_t i = 0; i < n; i++)
		hi = order[i] > hi ? order[i] : hi;
	return (size_t)hi + 1;
}

void sorter_sort(struct sorter *s, const struct conn_row *rows, uint32_t *order, size_t n,
		 const struct field *f, bool desc, uint64_t now_us)
{
	if (n < 2)
		return;
	size_t nrows = rows_spanned(order, n);
	reserve(s, n);
	reserve_rows(s, nrows);
	if (rows != s->rows || f != s->field || now_us != s->now_us) {
		forget_keys(s);
		s->rows = rows;
		s->field = f;
		s->now_us = now_us;
	}
	struct key_ctx kc = { f, { .now_us = now_us, .brief = true }, 1 };
	kc.nkeys = key_count(kc.f);
	compute_keys(s, &kc, rows, order, n, nrows);
	for (size_t i = 0; i < n; i++)
		s->e[i].idx = order[i];
	struct sort_job j = { s->tmp, s->key0, s->rest, desc, kc.nkeys };
	if (!sort_ranked(s, &j, n))
		sort_squeezed(&j, s->e, n);
	for (size_t i = 0; i < n; i++)
		order[i] = s->e[i].idx;
}
