/* test_tui_history.c - the Graph view's data: rings that keep the newest
 * HISTORY_LEN samples, the interface's rates as the sum of every row's,
 * the top talkers, following the selected connection, and sparklines
 * whose characters are the Unicode braille patterns the dots make
 * (U+2800 + dots 1 2 3 7 down the left column as bits 0x01 0x02 0x04
 * 0x40, dots 4 5 6 8 down the right as 0x08 0x10 0x20 0x80).
 */
#include "check.h"

#include "../tui/fake_rows.h"
#include "tui/history.h"
#include "tui/spark.h"

static void test_series_keeps_the_newest(void)
{
	struct series s = { 0 };
	CHECK(series_at(&s, 0) == 0);
	for (int i = 1; i <= HISTORY_LEN + 44; i++)
		series_push(&s, (float)i);
	CHECK_INT(s.n, HISTORY_LEN);
	CHECK(series_at(&s, 0) == (float)(HISTORY_LEN + 44));
	CHECK(series_at(&s, HISTORY_LEN - 1) == 45.0f);
	CHECK(series_at(&s, HISTORY_LEN) == 0);
	CHECK(series_max(&s, 10) == (float)(HISTORY_LEN + 44));
	series_push(&s, 1);
	CHECK(series_max(&s, 1) == 1.0f);
	CHECK(series_max(&s, 2) == (float)(HISTORY_LEN + 44));
}

static struct conn_row *row(struct snapshot *s, uint64_t id, const char *proc, double tx, double rx)
{
	struct conn_row *r = snapshot_push(s);
	r->id = id;
	r->l4 = L4_UDP;
	r->family = 4;
	r->local_side = 0; /* src is local: src_rate is sent */
	r->proc.name = fake_name(proc);
	r->src_rate = tx;
	r->dst_rate = rx;
	return r;
}

static void test_interface_rates_and_talkers(void)
{
	struct history h;
	history_init(&h);
	struct snapshot *s = snapshot_new(8);
	s->now_us = FAKE_NOW;
	row(s, 1, "curl", 100, 1000);
	row(s, 2, "firefox", 3000, 50);
	row(s, 3, "curl", 200, 0);
	row(s, 4, NULL, 5, 5);
	row(s, 5, "sshd", 0, 0);
	CHECK(history_sample(&h, s, 42));
	CHECK(h.tx.n == 1 && series_at(&h.tx, 0) == 3305.0f);
	CHECK(series_at(&h.rx, 0) == 1055.0f);
	CHECK(series_at(&h.pps, 0) == 42.0f);
	CHECK(!history_sample(&h, s, 43)); /* the same data time: no second sample */
	CHECK_INT(h.rx.n, 1);

	history_talkers(&h, s);
	CHECK_INT(h.nproc, 4);
	CHECK_STR(h.by_proc[0].name, "firefox");
	CHECK(h.by_proc[0].rate == 3050 && h.by_proc[0].conns == 1);
	CHECK_STR(h.by_proc[1].name, "curl");
	CHECK(h.by_proc[1].rate == 1300 && h.by_proc[1].conns == 2);
	CHECK_STR(h.by_proc[2].name, "(unknown)");
	CHECK_STR(h.by_proc[3].name, "sshd");
	CHECK_INT(h.napp, 1);
	CHECK_STR(h.by_app[0].name, "(not recognised)");
	CHECK_INT(h.by_app[0].conns, 5);
	snapshot_free(s);

	/* more names than are shown: the biggest TALKERS_MAX, in order; the
	 * table grows past its first size */
	s = snapshot_new(1000);
	s->now_us = FAKE_NOW + FAKE_SEC;
	for (int i = 0; i < 600; i++) {
		char name[16];
		snprintf(name, sizeof name, "p%03d", i);
		row(s, (uint64_t)i + 10, name, i, 0);
	}
	history_talkers(&h, s);
	CHECK_INT(h.nproc, TALKERS_MAX);
	CHECK_STR(h.by_proc[0].name, "p599");
	CHECK_STR(h.by_proc[TALKERS_MAX - 1].name, "p595");
	snapshot_free(s);
	history_fini(&h);
}

static void test_follows_the_connections_on_screen(void)
{
	struct history h;
	history_init(&h);
	struct snapshot *s = snapshot_new(CONN_HISTORY_MAX + 10);
	s->now_us = FAKE_NOW;
	struct conn_row *a = row(s, 7, "curl", 10, 20);
	struct conn_row *b = row(s, 8, "curl", 30, 40);
	CHECK(history_of(&h, 7) == NULL);
	history_sample(&h, s, 0);
	history_follow(&h, (const struct conn_row *[]){ a, b, a }, 3); /* a twice: once */
	s->now_us += FAKE_SEC;
	history_sample(&h, s, 0);
	history_follow(&h, (const struct conn_row *[]){ a }, 1);
	const struct conn_history *ha = history_of(&h, 7), *hb = history_of(&h, 8);
	CHECK(ha && ha->tx.n == 2 && series_at(&ha->tx, 0) == 10.0f && series_at(&ha->rx, 0) == 20.0f);
	CHECK(hb && hb->tx.n == 1 && series_at(&hb->tx, 0) == 30.0f);
	/* a screenful of others: b, out of view longest, gives its slot up first */
	const struct conn_row *many[CONN_HISTORY_MAX - 1];
	for (int i = 0; i < CONN_HISTORY_MAX - 1; i++)
		many[i] = row(s, 100 + (uint64_t)i, "x", 1, 1);
	s->now_us += FAKE_SEC;
	history_sample(&h, s, 0);
	history_follow(&h, many, CONN_HISTORY_MAX - 1);
	CHECK(history_of(&h, 8) == NULL);
	CHECK(history_of(&h, 7) != NULL);
	CHECK(history_of(&h, 100 + CONN_HISTORY_MAX - 2) != NULL);
	snapshot_free(s);
	history_fini(&h);
}

static void push_all(struct series *s, const float *v, int n)
{
	for (int i = 0; i < n; i++)
		series_push(s, v[i]);
}

static void test_braille_sparklines(void)
{
	char out[64];
	struct series s = { 0 };
	/* nothing yet: blank */
	spark_row(out, sizeof out, &s, 1, 0, 1, 3, true);
	CHECK_STR(out, "   ");
	/* older full, newer nothing, one row: the left column (dots 1 2 3 7) */
	push_all(&s, (const float[]){ 8, 0 }, 2);
	spark_row(out, sizeof out, &s, 8, 0, 1, 1, true);
	CHECK_STR(out, "\xe2\xa1\x87"); /* U+2847 */
	/* two rows: half the peak fills the lower row only (U+2800 above) */
	memset(&s, 0, sizeof s);
	push_all(&s, (const float[]){ 4, 8 }, 2);
	spark_row(out, sizeof out, &s, 8, 0, 2, 1, true);
	CHECK_STR(out, "\xe2\xa2\xb8"); /* top: the right column only, U+28B8 */
	spark_row(out, sizeof out, &s, 8, 1, 2, 1, true);
	CHECK_STR(out, "\xe2\xa3\xbf"); /* bottom: all eight dots, U+28FF */
	/* a trickle still shows: one dot, the lowest on its side */
	memset(&s, 0, sizeof s);
	push_all(&s, (const float[]){ 0.001f, 1000 }, 2);
	spark_row(out, sizeof out, &s, 1000, 0, 1, 1, true);
	CHECK_STR(out, "\xe2\xa3\xb8"); /* 0x40 (dot 7) + the right column 0xb8: U+28F8 */
	/* oldest left, newest right; samples past the held ones blank */
	memset(&s, 0, sizeof s);
	push_all(&s, (const float[]){ 8, 8, 8 }, 3);
	spark_row(out, sizeof out, &s, 8, 0, 1, 3, true);
	/* blank; the right (newer) only: its older neighbour is not held; both */
	CHECK_STR(out, " \xe2\xa2\xb8\xe2\xa3\xbf");
}

static void test_ascii_sparklines(void)
{
	char out[64];
	struct series s = { 0 };
	push_all(&s, (const float[]){ 8, 4, 0 }, 3);
	spark_row(out, sizeof out, &s, 8, 0, 2, 4, false);
	CHECK_STR(out, " #  ");
	spark_row(out, sizeof out, &s, 8, 1, 2, 4, false);
	CHECK_STR(out, " ##_");
	/* the output is bounded by cap */
	spark_row(out, 6, &s, 8, 1, 2, 40, false);
	CHECK(strlen(out) < 6);
}

int main(void)
{
	RUN(test_series_keeps_the_newest);
	RUN(test_interface_rates_and_talkers);
	RUN(test_follows_the_connections_on_screen);
	RUN(test_braille_sparklines);
	RUN(test_ascii_sparklines);
	return check_summary("tui_history");
}
