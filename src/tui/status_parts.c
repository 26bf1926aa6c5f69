/* status_parts.c - what the status bar says, part by part, and which parts
 * fit (status_parts.h); statusbar.c draws them.
 */
#include "tui/status_parts.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "tui/format.h"

void status_capture_text(const struct ui *ui, char *b, size_t cap)
{
	const struct tui_status *st = &ui->status;
	const char *phase = !st->offline ? "" : st->finished ? " (done)" : " (reading)";
	snprintf(b, cap, "%s%s", st->capture[0] ? st->capture : "-", phase);
}

void status_stopped_text(const struct ui *ui, char *b, size_t cap)
{
	const struct tui_status *st = &ui->status;
	if (!st->stopped[0])
		b[0] = '\0';
	else
		snprintf(b, cap, st->offline ? "read stopped: %s; the rows before it are shown"
					     : "capture stopped: %s; restart wiretop (--doctor checks why)",
			 st->stopped);
}

/* "N/M shown": M is what the engine holds now (tracked connections and
 * closed ones still listed), so rows it could not list yet show as N < M
 * even with no filter. */
uint64_t status_held(const struct ui *ui)
{
	const struct snapshot *s = ui->model.snap;
	uint64_t rows = model_total(&ui->model);
	return s && s->flows_total > rows ? s->flows_total : rows;
}

static void part_add(struct status_parts *ps, enum part_drop drop, enum role r, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static void part_add(struct status_parts *ps, enum part_drop drop, enum role r, const char *fmt, ...)
{
	if (ps->n == STATUS_PARTS_MAX)
		return;
	struct status_part *p = &ps->p[ps->n++];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(p->text, sizeof p->text, fmt, ap);
	va_end(ap);
	p->role = r;
	p->drop = drop;
	p->on = true;
}

/* The counts of troubles: each shown once there is one. */
static void trouble_parts(const struct ui *ui, struct status_parts *ps)
{
	const struct snapshot *s = ui->model.snap;
	if (ui->status.exporting)
		part_add(ps, DROP_COUNTS, ui->status.export_drops ? ROLE_STATUS_WARN : ROLE_STATUS,
			 "export drops %llu", (unsigned long long)ui->status.export_drops);
	if (s && s->flows_evicted)
		part_add(ps, DROP_COUNTS, ROLE_STATUS_WARN, "%llu evicted",
			 (unsigned long long)s->flows_evicted);
	if (s && s->closed_cut)
		part_add(ps, DROP_COUNTS, ROLE_STATUS_WARN, "%llu closed unlisted (cap)",
			 (unsigned long long)s->closed_cut);
	if (s && s->unparsed) /* frames in no row: not IP, cut short, malformed */
		part_add(ps, DROP_COUNTS, ROLE_STATUS_WARN, "%llu unparsed",
			 (unsigned long long)s->unparsed);
}

/* Every part, left to right, as a wide screen shows them. */
static void make_parts(const struct ui *ui, struct status_parts *ps)
{
	const struct tui_status *st = &ui->status;
	const struct snapshot *s = ui->model.snap;
	char t[STATUS_PART_MAX], pps[24], bps[24];
	ps->n = 0;
	part_add(ps, DROP_IFACE, ROLE_STATUS, "%s", st->iface[0] ? st->iface : "-");
	if (st->link[0]) /* next to the interface */
		part_add(ps, KEEP, ROLE_STATUS_WARN, "%s", st->link);
	status_stopped_text(ui, t, sizeof t);
	ps->stopped = t[0] ? ps->n : -1;
	if (t[0]) /* stays: the rows shown are all there will be */
		part_add(ps, KEEP, ROLE_STATUS_WARN, "%s", t);
	if (ui->paused)
		part_add(ps, KEEP, ROLE_STATUS_WARN, "PAUSED");
	status_capture_text(ui, t, sizeof t);
	part_add(ps, DROP_CAPTURE, ROLE_STATUS, "%s", t);
	part_add(ps, DROP_ATTR, ROLE_STATUS, "attr: %s", st->attr[0] ? st->attr : "-");
	part_add(ps, KEEP, ROLE_STATUS, "%u/%llu shown", ui->model.n, (unsigned long long)status_held(ui));
	fmt_count(pps, sizeof pps, ui->pps);
	fmt_rate(bps, sizeof bps, ui->bps);
	part_add(ps, DROP_RATES, ROLE_STATUS, "%s pkt/s %s", ui->pps_valid ? pps : "-",
		 ui->pps_valid ? bps : "-");
	uint64_t kd = s ? s->kernel_drops : 0, id = s ? s->internal_drops : 0;
	part_add(ps, KEEP, kd || id ? ROLE_STATUS_WARN : ROLE_STATUS, "drops %llu kernel, %llu internal",
		 (unsigned long long)kd, (unsigned long long)id);
	trouble_parts(ui, ps);
	if (ui->filter.len && !ui->filter.editing)
		part_add(ps, DROP_FILTER, ROLE_STATUS, "filter: %s", ui->filter.text);
	if (st->security[0]) /* last: it does not change while running */
		part_add(ps, DROP_SECURITY, ROLE_STATUS, "%s", st->security);
}

/* Columns the parts still on take: " a | b | c ". */
static int parts_width(const struct status_parts *ps)
{
	int w = 0;
	for (int i = 0; i < ps->n; i++)
		if (ps->p[i].on)
			w += (w ? (int)strlen(STATUS_SEP) : 1) + disp_width(ps->p[i].text);
	return w + 1;
}

/* Cuts text to cols columns, its end marked, never inside a character. */
static void cut_text(char *text, int cols, bool utf8)
{
	const char *mark = utf8 ? "\u2026" : "~";
	size_t k = 0;
	for (int c = 0; text[k] && c < cols - 1; c++) {
		k++;
		while ((text[k] & 0xc0) == 0x80)
			k++;
	}
	snprintf(text + k, STATUS_PART_MAX - k, "%s", mark);
}

/* Makes room for excess more columns with the part to go next: a long
 * text (attribution's, the privileges) is cut when enough of it is left,
 * as a wide screen shows as much of it as fits; any other goes whole.
 * False when only kept parts are left. */
static bool drop_one(struct status_parts *ps, int excess, bool utf8)
{
	int best = -1;
	for (int i = 0; i < ps->n; i++)
		if (ps->p[i].on && ps->p[i].drop != KEEP && (best < 0 || ps->p[i].drop > ps->p[best].drop))
			best = i;
	if (best < 0)
		return false;
	struct status_part *p = &ps->p[best];
	int left = disp_width(p->text) - excess;
	if (p->drop >= DROP_ATTR && left >= STATUS_CUT_MIN)
		cut_text(p->text, left, utf8);
	else
		p->on = false;
	return true;
}

/* Drops or cuts parts until the rest fits on cols columns, or only kept
 * ones are left. */
static void fit_in(struct status_parts *ps, int cols, bool utf8)
{
	int w;
	while ((w = parts_width(ps)) > cols && drop_one(ps, w - cols, utf8))
		;
}

bool status_fit(const struct ui *ui, struct status_parts *ps)
{
	make_parts(ui, ps);
	fit_in(ps, ui->cols, ui->theme.utf8);
	bool above = ps->stopped >= 0 && parts_width(ps) > ui->cols;
	if (above) {
		make_parts(ui, ps); /* with the room the failure leaves, some may come back */
		ps->p[ps->stopped].on = false;
		fit_in(ps, ui->cols, ui->theme.utf8);
	}
	return above;
}

size_t status_wrap_at(const char *s, int w)
{
	size_t k = 0, space = 0;
	for (int cols = 0; s[k] && cols < w; cols++) {
		if (s[k] == ' ' && cols >= w / 2)
			space = k + 1;
		k++;
		while ((s[k] & 0xc0) == 0x80)
			k++;
	}
	return s[k] && space ? space : k;
}

int status_stopped_lines(const struct ui *ui)
{
	char t[STATUS_PART_MAX];
	status_stopped_text(ui, t, sizeof t);
	int n = 0;
	for (const char *at = t; *at && n < STATUS_STOPPED_LINES_MAX; n++)
		at += status_wrap_at(at, ui->cols - 2);
	return n;
}
