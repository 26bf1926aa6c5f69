/* view_details.c - everything known about the selected connection: every
 * field of the fields table it has a value for, by section, plus the
 * source's proc_detail lines for the owning process and what attribution
 * can see (the status bar's text, uncut: why a process may be unknown).
 */
#include "tui/ui.h"

#include <stdio.h>
#include <string.h>

#include "tui/format.h"
#include "tui/pane.h"
#include "tui/spark.h"

#define KEY_W 18
#define HISTORY_W 48 /* characters of the rate history lines */

static const struct {
	const char *title;
	const char *none;        /* shown when the section knows nothing */
} sections[FIELD_SEC_COUNT] = {
	[FIELD_SEC_CONNECTION] = { "Connection", NULL },
	[FIELD_SEC_APP] = { "Application (DPI)", "not recognised" },
	[FIELD_SEC_TRAFFIC] = { "Traffic", NULL },
	[FIELD_SEC_TIMING] = { "Timing", NULL },
	[FIELD_SEC_HEALTH] = { "Health", NULL },
	[FIELD_SEC_PROCESS] = { "Process", "unknown" },
};

/* Every field of the section the row knows, in table order. */
static int section_fields(struct pane *p, const struct conn_row *r, const struct field_ctx *c,
			  enum field_section sec)
{
	size_t n;
	const struct field *f = field_all(&n);
	char buf[META_STR_MAX * 4 + 64];
	int shown = 0;
	for (size_t i = 0; i < n; i++) {
		if (f[i].section != sec || !*field_text(&f[i], r, c, buf, sizeof buf))
			continue;
		pane_kv(p, f[i].label, buf);
		shown++;
	}
	return shown;
}

/* proc_detail's "key: value" lines. */
static void proc_lines(struct pane *p, const char *text)
{
	while (*text) {
		const char *nl = strchr(text, '\n');
		size_t n = nl ? (size_t)(nl - text) : strlen(text);
		char line[512], *colon;
		snprintf(line, sizeof line, "%.*s", (int)n, text);
		if ((colon = strstr(line, ": ")) != NULL) {
			*colon = '\0';
			pane_kv(p, line, colon + 2);
		} else if (line[0]) {
			pane_kv(p, "", line);
		}
		text += n + (nl ? 1 : 0);
	}
}

/* The connection's own rates since it came into view, one sparkline line
 * each way, scaled to the larger peak of the two. */
static void rate_history(struct pane *p, const struct ui *ui, const struct conn_row *r)
{
	const struct conn_history *h = history_of(&ui->history, r->id);
	if (!h || !h->rx.n)
		return;
	bool utf8 = ui->theme.utf8;
	uint32_t shown = (uint32_t)(HISTORY_W * spark_per_char(utf8));
	float rx = series_max(&h->rx, shown), tx = series_max(&h->tx, shown);
	float max = rx > tx ? rx : tx;
	const struct series *s[2] = { &h->rx, &h->tx };
	const char *label[2] = { "Rx history", "Tx history" };
	float peak[2] = { rx, tx };
	for (int i = 0; i < 2; i++) {
		char spark[3 * HISTORY_W + 1], top[24], line[sizeof spark + 48];
		spark_row(spark, sizeof spark, s[i], max, 0, 1, HISTORY_W, utf8);
		fmt_rate(top, sizeof top, peak[i]);
		snprintf(line, sizeof line, "%s  peak %s", spark, top);
		pane_kv(p, label[i], line);
	}
}

static void section(struct pane *p, const struct ui *ui, const struct conn_row *r,
		    const struct field_ctx *c, enum field_section sec)
{
	pane_section(p, sections[sec].title);
	if (!section_fields(p, r, c, sec) && sections[sec].none)
		pane_kv(p, sections[sec].title, sections[sec].none);
	if (sec == FIELD_SEC_TRAFFIC)
		rate_history(p, ui, r);
	if (sec != FIELD_SEC_PROCESS)
		return;
	if (r->proc.pid > 0 && ui->proc_pid == r->proc.pid)
		proc_lines(p, ui->proc_text);
	if (ui->status.attr[0])
		pane_kv(p, "Attribution", ui->status.attr);
}

int view_details_draw(const struct ui *ui, int y0, int h)
{
	struct pane p;
	pane_init(&p, ui, y0, h, ui->detail_scroll, KEY_W);
	if (!ui->have_detail) {
		pane_text(&p, "No connection selected: pick one in the overview and press Enter.",
			  ROLE_CLOSED);
		return p.n;
	}
	const struct conn_row *r = &ui->detail;
	struct field_ctx c = { .now_us = model_now(&ui->model), .numeric_ports = true };
	if (ui->detail_gone)
		pane_text(&p, "This connection is gone; its last known state:", ROLE_EXPIRING);
	else if (r->closed)
		pane_text(&p, "This connection has closed; it stays listed for a moment.", ROLE_CLOSED);
	for (int sec = 0; sec < FIELD_SEC_COUNT; sec++)
		section(&p, ui, r, &c, (enum field_section)sec);
	return p.n;
}
