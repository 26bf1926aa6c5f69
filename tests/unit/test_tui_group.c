/* test_tui_group.c - the overview grouped (src/tui/group.c) over the
 * made-up connections of tests/tui/fake_rows.h: each group's count and
 * sums are those of its rows worked out here from the rows' own numbers,
 * rows without a process, application or container go to one group, only
 * rows that pass the filter count, an opened group lists its connections
 * in the overview's order, the selection stays on its group across
 * refreshes, and 100,000 rows are grouped at refresh speed with no growth
 * from one refresh to the next.
 */
#include "check.h"

#include <time.h>

#include "../tui/fake_rows.h"
#include "tui/columns.h"
#include "tui/group.h"

static double now_ms(void)
{
	struct timespec t;
	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
	return (double)t.tv_sec * 1e3 + (double)t.tv_nsec / 1e6;
}

static void set_filter(struct model *m, const char *text)
{
	struct query_error err;
	struct query *q = query_compile(text, &err);
	CHECK(q != NULL);
	model_set_query(m, q);
}

static const struct group *find(const struct grouping *gr, const char *name)
{
	for (uint32_t i = 0; i < gr->ng; i++)
		if (strcmp(gr->g[i].name, name) == 0)
			return &gr->g[i];
	return NULL;
}

static int64_t line_of(const struct grouping *gr, const char *name)
{
	for (uint32_t i = 0; i < gr->nline; i++)
		if (gr->line[i].pos == GROUP_HEAD && strcmp(gr->g[gr->line[i].group].name, name) == 0)
			return i;
	return -1;
}

/* Every group's count, bytes and rates are its rows' sums, and every
 * row that passes the filter is in exactly one group. */
static void check_sums(const struct grouping *gr, const struct model *m)
{
	uint32_t total = 0;
	for (uint32_t i = 0; i < gr->ng; i++) {
		const struct group *g = &gr->g[i];
		uint32_t conns = 0;
		uint64_t bytes = 0;
		double rx = 0, tx = 0;
		for (uint32_t pos = 0; pos < m->n; pos++) {
			const struct conn_row *r = model_row(m, pos);
			char name[GROUP_NAME_MAX];
			grouping_name(gr->by, r, name, sizeof name);
			if (strcmp(name, g->name) != 0)
				continue;
			conns++;
			bytes += r->src_bytes + r->dst_bytes;
			rx += row_rx_rate(r);
			tx += row_tx_rate(r);
		}
		CHECK_INT(g->conns, conns);
		CHECK_INT(g->bytes, bytes);
		CHECK(g->rx == rx && g->tx == tx);
		total += g->conns;
	}
	CHECK_INT(total, m->n);
}

static void test_by_process(void)
{
	struct model m;
	struct grouping gr;
	model_init(&m);
	grouping_init(&gr);
	model_set_snapshot(&m, fake_snapshot(FAKE_NOW));
	grouping_set(&gr, GROUP_PROCESS);
	grouping_update(&gr, &m);
	/* firefox (pid 4242) has two connections, the closed one and ARP none */
	CHECK_INT(gr.ng, 8);
	const struct group *ff = find(&gr, "firefox (4242)");
	CHECK(ff != NULL);
	if (ff) {
		CHECK_INT(ff->conns, 2);
		CHECK_INT(ff->bytes, 1200 + 2500000 + 900 + 1800);
		CHECK(ff->rx == 150000 + 9); /* local side is the initiator: Rx is dst_rate */
		CHECK(ff->tx == 150 + 5);
	}
	const struct group *unknown = find(&gr, "(unknown)");
	CHECK(unknown && unknown->conns == 2);
	check_sums(&gr, &m);
	/* the busiest first: chrome's 2 MB/s, then firefox */
	CHECK_STR(gr.g[gr.order[0]].name, "chrome (5555)");
	CHECK_STR(gr.g[gr.order[1]].name, "firefox (4242)");
	CHECK_INT(gr.nline, gr.ng); /* all closed */
	grouping_fini(&gr);
	model_fini(&m);
}

static void test_by_application_and_container(void)
{
	struct model m;
	struct grouping gr;
	model_init(&m);
	grouping_init(&gr);
	model_set_snapshot(&m, fake_snapshot(FAKE_NOW));
	grouping_set(&gr, GROUP_APP);
	grouping_update(&gr, &m);
	const struct group *https = find(&gr, "HTTPS"); /* github, evil, v6: TLS to 443 */
	CHECK(https && https->conns == 3);
	const struct group *none = find(&gr, "(unknown)"); /* ping, closed, ARP: no application */
	CHECK(none && none->conns == 3);
	CHECK(find(&gr, "DNS") && find(&gr, "SSH") && find(&gr, "QUIC") && find(&gr, "HTTP"));
	CHECK_INT(gr.ng, 6);
	check_sums(&gr, &m);
	/* no row has a container: one group, "(none)", of all of them */
	grouping_set(&gr, GROUP_CONTAINER);
	grouping_update(&gr, &m);
	CHECK_INT(gr.ng, 1);
	CHECK_STR(gr.g[0].name, "(none)");
	CHECK_INT(gr.g[0].conns, FAKE_COUNT);
	grouping_fini(&gr);
	model_fini(&m);
}

/* Only the rows that pass the filter, and a new filter remakes the groups. */
static void test_follows_the_filter(void)
{
	struct model m;
	struct grouping gr;
	model_init(&m);
	grouping_init(&gr);
	model_set_snapshot(&m, fake_snapshot(FAKE_NOW));
	grouping_set(&gr, GROUP_PROCESS);
	grouping_update(&gr, &m);
	set_filter(&m, "proto=udp");
	grouping_update(&gr, &m);
	CHECK_INT(m.n, 2); /* QUIC and DNS */
	CHECK_INT(gr.ng, 2);
	CHECK(find(&gr, "chrome (5555)") && find(&gr, "systemd-resolve (321)"));
	CHECK(!find(&gr, "firefox (4242)"));
	check_sums(&gr, &m);
	set_filter(&m, "nothing-matches-this");
	grouping_update(&gr, &m);
	CHECK_INT(gr.ng, 0);
	CHECK_INT(gr.nline, 0);
	CHECK(grouping_selected(&gr) == NULL);
	grouping_fini(&gr);
	model_fini(&m);
}

/* Opening lists the group's rows under it in the overview's order;
 * closing from one of them selects the group; Details' row follows. */
static void test_open_and_close(void)
{
	struct model m;
	struct grouping gr;
	model_init(&m);
	grouping_init(&gr);
	model_set_snapshot(&m, fake_snapshot(FAKE_NOW));
	model_set_sort(&m, column_of("bytes"), true);
	grouping_set(&gr, GROUP_PROCESS);
	grouping_update(&gr, &m);
	int64_t at = line_of(&gr, "firefox (4242)");
	CHECK(at >= 0);
	grouping_select(&gr, &m, at, 20);
	CHECK(!grouping_open(&gr, &m, false, 20)); /* closed already */
	CHECK(grouping_open(&gr, &m, true, 20));
	CHECK_INT(gr.nline, gr.ng + 2);
	CHECK_INT(gr.sel, line_of(&gr, "firefox (4242)"));
	CHECK(gr.g[gr.line[gr.sel].group].open);
	/* by bytes, biggest first: github's 2.5 MB, then the IPv6 one */
	const struct group_line *l1 = &gr.line[gr.sel + 1], *l2 = &gr.line[gr.sel + 2];
	CHECK_INT(model_row(&m, l1->pos)->id, FAKE_GITHUB + 1);
	CHECK_INT(model_row(&m, l2->pos)->id, FAKE_V6 + 1);
	CHECK(!grouping_open(&gr, &m, true, 20)); /* open already */
	/* the connections on the page (for their Rx/Tx history): the two
	 * opened, and none on a page that ends before them */
	const struct conn_row *shown[4];
	CHECK_INT(grouping_rows_shown(&gr, &m, 20, shown, 4), 2);
	CHECK_INT(shown[0]->id, FAKE_GITHUB + 1);
	CHECK_INT(shown[1]->id, FAKE_V6 + 1);
	CHECK_INT(grouping_rows_shown(&gr, &m, (int)gr.sel + 1, shown, 4), 0);
	CHECK_INT(grouping_rows_shown(&gr, &m, 20, shown, 1), 1);
	/* on a connection: it is the model's selection (Details, copy) */
	grouping_select(&gr, &m, gr.sel + 2, 20);
	CHECK_INT(model_selected(&m)->id, FAKE_V6 + 1);
	CHECK(!grouping_open(&gr, &m, true, 20)); /* a connection does not open */
	/* the open group stays open across a refresh, the selection on its row */
	snapshot_free(model_set_snapshot(&m, fake_snapshot(FAKE_NOW + FAKE_SEC)));
	grouping_update(&gr, &m);
	CHECK_INT(gr.nline, gr.ng + 2);
	CHECK_INT(model_row(&m, grouping_selected(&gr)->pos)->id, FAKE_V6 + 1);
	CHECK(grouping_open(&gr, &m, false, 20));
	CHECK_INT(gr.nline, gr.ng);
	CHECK_INT(gr.sel, line_of(&gr, "firefox (4242)"));
	CHECK_INT(grouping_selected(&gr)->pos, GROUP_HEAD);
	grouping_fini(&gr);
	model_fini(&m);
}

/* The groups sort by what their line shows when the overview sorts by it. */
static void test_sort(void)
{
	struct model m;
	struct grouping gr;
	model_init(&m);
	grouping_init(&gr);
	model_set_snapshot(&m, fake_snapshot(FAKE_NOW));
	grouping_set(&gr, GROUP_PROCESS);
	grouping_update(&gr, &m);
	CHECK_INT(gr.sorted_by, GROUP_SORT_BUSY); /* first seen: not on a group's line */
	model_set_sort(&m, column_of("bytes"), false); /* fewest bytes first */
	grouping_update(&gr, &m);
	CHECK_INT(gr.sorted_by, GROUP_SORT_BYTES);
	for (uint32_t i = 1; i < gr.ng; i++)
		CHECK(gr.g[gr.order[i - 1]].bytes <= gr.g[gr.order[i]].bytes);
	model_set_sort(&m, column_of("txrate"), true);
	grouping_update(&gr, &m);
	for (uint32_t i = 1; i < gr.ng; i++)
		CHECK(gr.g[gr.order[i - 1]].tx >= gr.g[gr.order[i]].tx);
	model_set_sort(&m, column_of("process"), false); /* by name, A..Z */
	grouping_update(&gr, &m);
	CHECK_INT(gr.sorted_by, GROUP_SORT_NAME);
	for (uint32_t i = 1; i < gr.ng; i++)
		CHECK(strcmp(gr.g[gr.order[i - 1]].name, gr.g[gr.order[i]].name) < 0);
	grouping_fini(&gr);
	model_fini(&m);
}

/* 100,000 rows, grouped at five refreshes; pids: how many process ids
 * the rows have (0: fake_bulk's own, about one for every row and a
 * half). Returns the slowest remake, in ms; the arrays made for the first
 * refresh serve the next ones. */
static double time_grouping(uint32_t pids)
{
	struct model m;
	struct grouping gr;
	model_init(&m);
	grouping_init(&gr);
	grouping_set(&gr, GROUP_PROCESS);
	double worst = 0;
	uint32_t gcap = 0, slots = 0, lines = 0;
	for (int refresh = 0; refresh < 5; refresh++) {
		struct snapshot *s = snapshot_new(100000);
		fake_bulk(s, 100000, 1, FAKE_NOW, 11 + (uint64_t)refresh);
		for (uint32_t i = 0; pids && i < s->n; i++)
			s->rows[i].proc.pid = (int32_t)(100 + s->rows[i].id % pids);
		s->now_us = FAKE_NOW;
		snapshot_free(model_set_snapshot(&m, s));
		double t = now_ms();
		grouping_update(&gr, &m);
		t = now_ms() - t;
		worst = t > worst ? t : worst;
		if (refresh == 0) {
			gcap = gr.gcap, slots = gr.slot_cap, lines = gr.line_cap;
			continue;
		}
		CHECK_INT(gr.gcap, gcap);
		CHECK_INT(gr.slot_cap, slots);
		CHECK_INT(gr.line_cap, lines);
	}
	uint32_t total = 0; /* (check_sums is quadratic: not at this size) */
	for (uint32_t i = 0; i < gr.ng; i++)
		total += gr.g[i].conns;
	CHECK_INT(total, m.n);
	printf("  grouping 100,000 rows by process, %u groups: %.1f ms at worst\n", gr.ng, worst);
	grouping_fini(&gr);
	model_fini(&m);
	return worst;
}

/* Sanitizers slow every memory access several times over. */
#if defined(__SANITIZE_ADDRESS__)
#define SLOWER 5
#else
#define SLOWER 1
#endif

/* A remake is one pass over the rows: milliseconds of CPU for a host's
 * few hundred processes, and not much more when nearly every row is a
 * group of its own. (About 55 to 90 and 150 to 220 ms on a loaded
 * two-core machine; the bounds catch a pass that became a loop over the
 * groups for every row, which takes seconds.) */
static void test_many_rows(void)
{
	CHECK(time_grouping(300) < 200 * SLOWER);
	CHECK(time_grouping(0) < 1000 * SLOWER);
}

int main(void)
{
	RUN(test_by_process);
	RUN(test_by_application_and_container);
	RUN(test_follows_the_filter);
	RUN(test_open_and_close);
	RUN(test_sort);
	RUN(test_many_rows);
	return check_summary("tui_group");
}
