/* view_health.c - the findings of the connections held (tui/health.h),
 * one per line, worst first: severity, kind, what it is about, how many
 * connections, the first and last time. Enter (keys.c) shows the
 * selected one's connections in the overview. With none, what is checked.
 */
#include "tui/ui.h"

#include <stdio.h>
#include <string.h>

#include "base/clock.h"
#include "tui/format.h"

#define SEV_W 8
#define KIND_W 19
#define COUNT_W 6
#define TIME_W 12   /* 15:04:05.123 */
#define ABOUT_MIN 16

struct health_cols {
	int sev, kind, about, count, first, last; /* x of each; -1 not shown */
	int about_w;
};

/* The times go first on a narrow screen, then the count. */
static struct health_cols layout(int cols)
{
	struct health_cols c = { 0, SEV_W + 1, SEV_W + KIND_W + 2, -1, -1, -1, 0 };
	int rest = cols - c.about, tail = 1 + COUNT_W + 2 * (1 + TIME_W);
	if (rest - tail >= ABOUT_MIN) {
		c.about_w = rest - tail;
		c.count = c.about + c.about_w + 1;
		c.first = c.count + COUNT_W + 1;
		c.last = c.first + TIME_W + 1;
	} else if (rest - (1 + COUNT_W) >= ABOUT_MIN) {
		c.about_w = rest - (1 + COUNT_W);
		c.count = c.about + c.about_w + 1;
	} else {
		c.about_w = rest > 0 ? rest : 0;
	}
	return c;
}

/* The clock time of us, without the date (Details has the whole). */
static void time_of_day(char *buf, size_t cap, uint64_t us)
{
	char t[48];
	fmt_time(t, sizeof t, us);
	const char *sp = strchr(t, ' ');
	snprintf(buf, cap, "%s", sp ? sp + 1 : t);
}

static void put(const struct ui *ui, int y, int x, int w, const char *s, attr_t a,
		enum disp_align al)
{
	if (x >= 0 && w > 0 && x < ui->body_cols)
		disp_put(stdscr, y, x, x + w <= ui->body_cols ? w : ui->body_cols - x, s, a, al, ui->theme.utf8);
}

static void draw_header(const struct ui *ui, const struct health_cols *c, int y)
{
	attr_t a = theme_attr(&ui->theme, ROLE_HEADER);
	wattrset(stdscr, a);
	mvwhline(stdscr, y, 0, ' ', ui->body_cols);
	put(ui, y, c->sev, SEV_W, "Severity", a, DISP_LEFT);
	put(ui, y, c->kind, KIND_W, "Finding", a, DISP_LEFT);
	put(ui, y, c->about, c->about_w, "About", a, DISP_LEFT);
	put(ui, y, c->count, COUNT_W, "Count", a, DISP_RIGHT);
	put(ui, y, c->first, TIME_W, "First", a, DISP_LEFT);
	put(ui, y, c->last, TIME_W, "Last", a, DISP_LEFT);
}

static void draw_finding(const struct ui *ui, const struct health_cols *c, int y,
			 const struct finding *f, bool selected)
{
	enum finding_severity sev = findings_kind_severity(f->kind);
	attr_t a = theme_attr(&ui->theme, selected ? ROLE_SELECTED : ROLE_NORMAL);
	attr_t sa = selected ? a : theme_attr(&ui->theme, sev == FINDING_ERROR ? ROLE_ERROR : ROLE_EXPIRING);
	char about[META_STR_MAX + 64], n[24], first[48], last[48];
	health_about(f, about, sizeof about);
	snprintf(n, sizeof n, "%llu", (unsigned long long)f->count);
	time_of_day(first, sizeof first, f->first_us);
	time_of_day(last, sizeof last, f->last_us);
	wattrset(stdscr, a);
	mvwhline(stdscr, y, 0, ' ', ui->body_cols);
	put(ui, y, c->sev, SEV_W, findings_severity_word(sev), sa, DISP_LEFT);
	put(ui, y, c->kind, KIND_W, findings_kind_word(f->kind), a, DISP_LEFT);
	put(ui, y, c->about, c->about_w, about, a, DISP_LEFT);
	put(ui, y, c->count, COUNT_W, n, a, DISP_RIGHT);
	put(ui, y, c->first, TIME_W, first, a, DISP_LEFT);
	put(ui, y, c->last, TIME_W, last, a, DISP_LEFT);
}

/* No findings: say so, and what would have been one. */
static void draw_none(const struct ui *ui, int y, int h)
{
	const struct findings_opts *o = &ui->health.opts;
	char l[4][256];
	snprintf(l[0], sizeof l[0], "No findings among the %u connections held.", ui->health.rows);
	snprintf(l[1], sizeof l[1],
		 "Checked: TCP handshakes refused or unanswered for %llu s, resets, "
		 "retransmissions (%u%% of a connection's packets and at least %u), "
		 "a round trip risen %llu ms over the handshake's or spiking %llu ms over the smoothed one,",
		 (unsigned long long)(o->no_answer_us / US_PER_SEC), o->retransmit_percent,
		 o->retransmit_min, (unsigned long long)(o->rtt_rise_us / US_PER_MS),
		 (unsigned long long)(o->rtt_spike_us / US_PER_MS));
	snprintf(l[2], sizeof l[2],
		 "ICMP unreachable and time exceeded, DNS NXDOMAIN, SERVFAIL, REFUSED and "
		 "queries unanswered for %llu s.", (unsigned long long)(o->no_answer_us / US_PER_SEC));
	snprintf(l[3], sizeof l[3], "%s", "Thresholds: --findings-no-answer, "
		 "--findings-retransmit-percent, --findings-retransmit-min, --findings-rtt-rise, "
		 "--findings-rtt-spike (docs/FINDINGS.md).");
	for (int i = 0; i < 4 && i < h; i++)
		disp_text(stdscr, y + i, 2, ui->body_cols - 2, l[i],
			  theme_attr(&ui->theme, i ? ROLE_NORMAL : ROLE_CLOSED), ui->theme.utf8);
}

void view_health_draw(const struct ui *ui, int y0, int h)
{
	const struct health *hl = &ui->health;
	struct health_cols c = layout(ui->body_cols);
	draw_header(ui, &c, y0);
	if (!hl->n) {
		draw_none(ui, y0 + 2, h - 2);
		return;
	}
	for (int i = 0; i < h - 1 && hl->top + (uint32_t)i < hl->n; i++) {
		uint32_t pos = hl->top + (uint32_t)i;
		draw_finding(ui, &c, y0 + 1 + i, hl->list[pos], pos == hl->sel);
	}
}
