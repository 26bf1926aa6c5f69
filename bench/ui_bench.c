/* ui_bench.c - how long the terminal UI takes with 100,000 connections:
 * one refresh (take a new snapshot, free the old one, filter, sort, draw
 * into an off-screen curses screen) and one keystroke of the filter line
 * (recompile, filter, sort, draw), and the sort keys (s over every
 * column, S). Prints the figures; asserts nothing.
 *
 *   make build/bench/ui_bench && build/bench/ui_bench [ROWS]   (or: make bench)
 *
 * Targets: refresh < 20 ms, keystroke < 50 ms.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "tui/ui.h"

#include "fake_rows.h"

#define ITERS 9

static double clock_ms(clockid_t id)
{
	struct timespec ts;
	clock_gettime(id, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

/* Wall time is what a user waits; CPU time of this thread shows what the
 * UI costs when other processes share the machine. */
struct stamp {
	double wall, cpu;
};

static struct stamp stamp_now(void)
{
	return (struct stamp){ clock_ms(CLOCK_MONOTONIC), clock_ms(CLOCK_THREAD_CPUTIME_ID) };
}

static void stamp_since(struct stamp t0, double *wall, double *cpu)
{
	struct stamp t1 = stamp_now();
	*wall = t1.wall - t0.wall;
	*cpu = t1.cpu - t0.cpu;
}

static struct snapshot *make_snapshot(uint32_t rows, unsigned round)
{
	struct snapshot *s = snapshot_new(rows + FAKE_COUNT);
	uint64_t now = FAKE_NOW + round * FAKE_SEC;
	for (int i = 0; i < FAKE_COUNT; i++)
		fake_fill(snapshot_push(s), &fake_specs[i], (uint64_t)i + 1, now);
	fake_bulk(s, rows, 1000, now, 12345 + round); /* rates and bytes move */
	s->now_us = now;
	s->packets = 100000ULL * round;
	return s;
}

static void paint(struct ui *ui)
{
	ui_draw(ui);
	wnoutrefresh(stdscr);
	doupdate();
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

static void report(const char *what, double *wall, double *cpu, int n, uint32_t shown)
{
	qsort(wall, (size_t)n, sizeof *wall, cmp_double);
	qsort(cpu, (size_t)n, sizeof *cpu, cmp_double);
	printf("  %-44s wall median %6.2f max %6.2f | cpu median %6.2f ms  (%u shown)\n", what,
	       wall[n / 2], wall[n - 1], cpu[n / 2], shown);
}

struct scenario {
	const char *name;
	const char *filter;
	const char *sort;   /* the sorted column's field; NULL: first seen */
	bool desc;
};

static const struct scenario refreshes[] = {
	{ "no filter, first seen", "", NULL, false },
	{ "no filter, sort Bytes", "", "bytes", true },
	{ "no filter, sort Remote Address", "", "remote", false },
	{ "no filter, sort Process (text)", "", "process", false },
	{ "dport:443 state:estab, sort Rx", "dport:443 state:estab", "rxrate", true },
	{ "bytes>1M rate>50k, sort Bytes", "bytes>1M rate>50k", "bytes", true },
	{ "bare word \"google\", sort State", "google", "state", false },
	{ "dst:10.0.0.0/8 or !proto:tcp", "dst:10.0.0.0/8 or !proto:tcp", NULL, false },
};

static void bench_refresh(struct ui *ui, uint32_t rows, const struct scenario *sc, unsigned *round)
{
	double t[ITERS], tc[ITERS], f[ITERS], fc[ITERS];
	snprintf(ui->filter.text, sizeof ui->filter.text, "%s", sc->filter);
	ui->filter.len = strlen(sc->filter);
	ui_apply_filter(ui);
	model_set_sort(&ui->model, sc->sort ? column_of(sc->sort) : COL_NONE, sc->desc);
	for (int i = 0; i < ITERS; i++) {
		struct snapshot *s = make_snapshot(rows, ++*round);
		struct stamp t0 = stamp_now();
		ui_set_snapshot(ui, s);
		paint(ui);
		stamp_since(t0, &t[i], &tc[i]);
		t0 = stamp_now();
		ui_release(ui);
		stamp_since(t0, &f[i], &fc[i]);
	}
	char what[96];
	snprintf(what, sizeof what, "refresh: %s", sc->name);
	report(what, t, tc, ITERS, ui->model.n);
	report("  then freeing the old snapshot", f, fc, ITERS, ui->model.n);
}

/* Types text into the filter line one key at a time. */
static void bench_typing(struct ui *ui, const char *text, int sort_col)
{
	double t[QUERY_MAX_LEN], tc[QUERY_MAX_LEN];
	int n = 0;
	ui->filter.len = 0;
	ui_apply_filter(ui);
	model_set_sort(&ui->model, sort_col, false);
	ui_key(ui, '/');
	for (const char *p = text; *p && n < QUERY_MAX_LEN; p++) {
		struct stamp t0 = stamp_now();
		ui_key(ui, (unsigned char)*p);
		paint(ui);
		stamp_since(t0, &t[n], &tc[n]);
		n++;
	}
	char what[96];
	snprintf(what, sizeof what, "keystroke: typing \"%s\"", text);
	report(what, t, tc, n, ui->model.n);
	ui_key(ui, 27);
}

/* The sort key: s over every column, from first seen, on one snapshot
 * (each column's first sort computes its keys), then S (the same keys,
 * the other way) as many times. With the filter of bare_word, or none. */
static void bench_sort_keys(struct ui *ui, const char *bare_word)
{
	double t[COL_MAX + 1], tc[COL_MAX + 1], r[COL_MAX + 1], rc[COL_MAX + 1];
	int n = 0;
	snprintf(ui->filter.text, sizeof ui->filter.text, "%s", bare_word);
	ui->filter.len = strlen(bare_word);
	ui_apply_filter(ui);
	model_set_sort(&ui->model, COL_NONE, false);
	paint(ui);
	do {
		struct stamp t0 = stamp_now();
		ui_key(ui, 's');
		paint(ui);
		stamp_since(t0, &t[n], &tc[n]);
		t0 = stamp_now();
		ui_key(ui, 'S');
		paint(ui);
		stamp_since(t0, &r[n], &rc[n]);
		n++;
	} while (ui->model.sort_col != COL_NONE && n <= COL_MAX);
	char what[96];
	snprintf(what, sizeof what, "sort key s, each column (filter \"%s\")", bare_word);
	report(what, t, tc, n, ui->model.n);
	report("  then S, the other way", r, rc, n, ui->model.n);
}

int main(int argc, char **argv)
{
	uint32_t rows = argc > 1 ? (uint32_t)strtoul(argv[1], NULL, 10) : 100000;
	FILE *out = fopen("/dev/null", "w"), *in = fopen("/dev/null", "r");
	SCREEN *scr = out && in ? newterm("xterm-256color", out, in) : NULL;
	if (!scr) {
		fprintf(stderr, "ui_bench: no off-screen terminal (xterm-256color terminfo?)\n");
		return 1;
	}
	set_term(scr);
	resize_term(50, 200);
	struct ui *ui = calloc(1, sizeof *ui);
	struct tui_opts o = { .refresh_ms = 1000 };
	if (!ui || !ui_init(ui, &o, NULL))
		return 1;
	theme_init(&ui->theme, false, NULL, NULL);
	unsigned round = 0;
	ui_set_snapshot(ui, make_snapshot(rows, ++round));
	paint(ui);
	printf("ui_bench: %u connections, 200x50 off-screen terminal, %d runs each\n",
	       rows + FAKE_COUNT, ITERS);
	for (size_t i = 0; i < sizeof refreshes / sizeof refreshes[0]; i++)
		bench_refresh(ui, rows, &refreshes[i], &round);
	bench_sort_keys(ui, "");
	bench_sort_keys(ui, "7");
	bench_typing(ui, "api.github", COL_NONE);
	bench_typing(ui, "dport:443 sni:goo", column_of("bytes"));
	bench_typing(ui, "bytes>10M", column_of("remote"));
	ui_fini(ui);
	free(ui);
	endwin();
	delscreen(scr);
	fclose(out);
	fclose(in);
	return 0;
}
