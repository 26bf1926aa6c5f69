/* panel.c - the side panel (i): what the status bar drops on a narrow
 * screen, uncut, and a little more: the interface and its link, the
 * capture and what it lost, attribution (how it works, how many
 * connections have an owner) and the sandbox. It takes the right of the
 * screen, the views laying out in what is left; when that would be too
 * narrow for them it takes the whole body until closed.
 */
#include "tui/ui.h"

#include <stdio.h>

#include "tui/format.h"
#include "tui/pane.h"

#define KEY_W 12

struct panel_place panel_place(bool open, int cols)
{
	if (!open)
		return (struct panel_place){ .x = cols, .w = 0, .body_w = cols };
	if (cols - PANEL_W >= PANEL_BODY_MIN)
		return (struct panel_place){ .x = cols - PANEL_W, .w = PANEL_W, .body_w = cols - PANEL_W };
	return (struct panel_place){ .x = 0, .w = cols, .body_w = 0 };
}

static void capture_lines(struct pane *p, const struct ui *ui)
{
	const struct tui_status *st = &ui->status;
	const struct snapshot *s = ui->model.snap;
	char t[640], pps[24], bps[24];
	pane_section(p, "Capture");
	pane_kv(p, "Interface", st->iface[0] ? st->iface : "-");
	pane_kv(p, "Link", st->link[0] ? st->link : st->offline ? "- (a file)" : "up");
	status_capture_text(ui, t, sizeof t);
	pane_kv(p, "Source", t);
	status_stopped_text(ui, t, sizeof t);
	if (t[0])
		pane_kv(p, "Stopped", t);
	fmt_count(pps, sizeof pps, ui->pps);
	fmt_rate(bps, sizeof bps, ui->bps);
	pane_kvf(p, "Traffic", "%s pkt/s %s", ui->pps_valid ? pps : "-", ui->pps_valid ? bps : "-");
	pane_kvf(p, "Drops", "%llu kernel, %llu internal",
		 (unsigned long long)(s ? s->kernel_drops : 0), (unsigned long long)(s ? s->internal_drops : 0));
	if (st->exporting)
		pane_kvf(p, "Export drops", "%llu", (unsigned long long)st->export_drops);
	if (s && s->flows_evicted)
		pane_kvf(p, "Evicted", "%llu (connection cap)", (unsigned long long)s->flows_evicted);
	if (s && s->closed_cut)
		pane_kvf(p, "Unlisted", "%llu closed (cap)", (unsigned long long)s->closed_cut);
	if (s && s->unparsed)
		pane_kvf(p, "Unparsed", "%llu frames", (unsigned long long)s->unparsed);
}

/* How many of the connections held have a process credited, and how many
 * of those are guesses (the listener on their port). */
static void owner_line(struct pane *p, const struct ui *ui)
{
	const struct snapshot *s = ui->model.snap;
	uint32_t owned = 0, guessed = 0;
	for (uint32_t i = 0; s && i < s->n; i++) {
		owned += s->rows[i].proc.pid > 0;
		guessed += s->rows[i].proc.pid > 0 && s->rows[i].proc_match == PROC_MATCH_LISTENER;
	}
	char g[48] = "";
	if (guessed)
		snprintf(g, sizeof g, ", %u a guess", guessed);
	pane_kvf(p, "Owners", "%u of %u connections%s", owned, s ? s->n : 0, g);
}

void panel_draw(const struct ui *ui, const struct panel_place *at, int y0, int h)
{
	bool side = at->x > 0; /* else it has the whole body */
	wattrset(stdscr, A_NORMAL);
	for (int y = y0; y < y0 + h; y++)
		mvwhline(stdscr, y, at->x, ' ', at->w);
	if (side) {
		wattrset(stdscr, theme_attr(&ui->theme, ROLE_CLOSED));
		mvwvline(stdscr, y0, at->x, ui->theme.utf8 ? ACS_VLINE : '|', h);
	}
	struct pane p;
	pane_init(&p, ui, y0, h, 0, KEY_W);
	p.x0 = side ? at->x + 1 : at->x;
	p.w = at->x + at->w - p.x0;
	capture_lines(&p, ui);
	pane_section(&p, "Attribution");
	pane_kv(&p, "Method", ui->status.attr[0] ? ui->status.attr : "-");
	owner_line(&p, ui);
	pane_section(&p, "Sandbox");
	pane_kv(&p, "Privileges", ui->status.security[0] ? ui->status.security : "-");
	pane_blank(&p);
	pane_text(&p, side ? "i closes this panel" : "i (or Esc) closes this panel", ROLE_CLOSED);
}
