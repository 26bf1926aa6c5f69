/* ui.c - the UI's state over time: refreshes from the source, the packet
 * and byte rates from counter deltas on the data clock, the filter line compiled on
 * every change, the copy of the connection the details view shows, and the
 * screen drawn from all of it.
 */
#include "tui/ui.h"

#include <stdio.h>
#include <string.h>

#include "base/clock.h"
#include "tui/format.h"

bool ui_init(struct ui *ui, const struct tui_opts *o, const struct tui_source *src)
{
	memset(ui, 0, sizeof *ui);
	ui->opts = *o;
	ui->opts.filter_query = NULL;
	if (!ui->opts.refresh_ms)
		ui->opts.refresh_ms = 1000;
	ui->src = src;
	ui->trace = (struct ui_trace){ .fd = o->trace_fd, .start_us = o->start_us };
	model_init(&ui->model);
	struct findings_opts fo = o->findings;
	if (!fo.no_answer_us) /* not given: what --findings takes by default */
		fo = (struct findings_opts){ FINDINGS_NO_ANSWER_SEC * US_PER_SEC, FINDINGS_RETRANSMIT_PERCENT,
					     FINDINGS_RETRANSMIT_MIN, FINDINGS_RTT_RISE_MS * US_PER_MS,
					     FINDINGS_RTT_SPIKE_MS * US_PER_MS };
	health_init(&ui->health, &fo);
	ui->model.findings = fo;
	history_init(&ui->history);
	grouping_init(&ui->group);
	columns_defaults(ui->widths);
	ui->numeric_ports = o->show_ports;
	ui->view = ui->back = VIEW_OVERVIEW;
	size_t n = o->filter ? strlen(o->filter) : 0;
	if (n > QUERY_MAX_LEN) { /* refused, never cut */
		query_free(o->filter_query);
		model_fini(&ui->model);
		health_fini(&ui->health);
		history_fini(&ui->history);
		grouping_fini(&ui->group);
		return false;
	}
	memcpy(ui->filter.text, o->filter ? o->filter : "", n);
	ui->filter.len = n;
	if (o->filter_query)
		model_set_query(&ui->model, o->filter_query);
	else
		ui_apply_filter(ui);
	return true;
}

void ui_fini(struct ui *ui)
{
	if (ui->have_detail)
		row_fini(&ui->detail);
	ui_release(ui);
	model_fini(&ui->model);
	health_fini(&ui->health);
	history_fini(&ui->history);
	host_fini(&ui->host);
	grouping_fini(&ui->group);
}

/* Packets and bytes per second over the refresh interval, on the data
 * clock; zero when the newest packet is older than the interval (so a
 * packet read late does not keep a silent link above zero). */
static void update_pps(struct ui *ui, const struct snapshot *s)
{
	bool silent = s->last_packet_us && s->last_packet_us <= ui->pps_now;
	if (ui->pps_valid && s->now_us > ui->pps_now && s->packets >= ui->pps_packets && !silent) {
		double dt = (double)(s->now_us - ui->pps_now);
		ui->pps = (double)(s->packets - ui->pps_packets) * (double)US_PER_SEC / dt;
		ui->bps = s->bytes >= ui->pps_bytes ? (double)(s->bytes - ui->pps_bytes) * (double)US_PER_SEC / dt : 0;
	} else if (ui->pps_valid && (s->now_us == ui->pps_now || silent)) {
		ui->pps = ui->bps = 0; /* the data clock stood still, or nothing came */
	}
	ui->pps_packets = s->packets;
	ui->pps_bytes = s->bytes;
	ui->pps_now = s->now_us;
	ui->pps_valid = true;
}

static void load_proc(struct ui *ui, int32_t pid)
{
	ui->proc_pid = pid;
	ui->proc_text[0] = '\0';
	if (pid > 0 && ui->src && ui->src->proc_detail &&
	    !ui->src->proc_detail(ui->src->ctx, pid, ui->proc_text, sizeof ui->proc_text))
		ui->proc_text[0] = '\0';
}

static void take_detail(struct ui *ui, const struct conn_row *r)
{
	if (ui->have_detail)
		row_fini(&ui->detail);
	ui->have_detail = r != NULL;
	ui->detail_gone = false;
	if (!r)
		return;
	row_copy(&ui->detail, r);
	if (ui->view == VIEW_DETAILS)
		load_proc(ui, r->proc.pid);
}

void ui_copy_detail(struct ui *ui)
{
	take_detail(ui, model_selected(&ui->model));
}

/* After a refresh: the details view keeps showing its connection, marked
 * gone once it has left the snapshot. */
static void update_detail(struct ui *ui)
{
	const struct conn_row *r = model_selected(&ui->model);
	if (ui->view == VIEW_DETAILS && ui->have_detail && (!r || r->id != ui->detail.id)) {
		ui->detail_gone = true;
		return;
	}
	take_detail(ui, r);
}

/* The connections Details may be asked for soon keep rates of their own:
 * the selected one and the overview's page. */
static void follow_rows_on_screen(struct ui *ui)
{
	const struct conn_row *rows[CONN_HISTORY_MAX];
	int n = 0;
	rows[n++] = model_selected(&ui->model);
	if (ui->group.by != GROUP_NONE) { /* the connections of the groups opened on the page */
		grouping_update(&ui->group, &ui->model);
		n += grouping_rows_shown(&ui->group, &ui->model, ui_page(ui), rows + n, CONN_HISTORY_MAX - 1);
		history_follow(&ui->history, rows, n);
		return;
	}
	uint32_t top = ui->model.top;
	for (uint32_t pos = top; pos < ui->model.n && n < CONN_HISTORY_MAX - 1 && pos < top + (uint32_t)ui_page(ui);
	     pos++)
		rows[n++] = model_row(&ui->model, pos);
	history_follow(&ui->history, rows, n);
}

void ui_set_snapshot(struct ui *ui, struct snapshot *s)
{
	update_pps(ui, s);
	ui_release(ui);
	ui->retired = model_set_snapshot(&ui->model, s);
	update_detail(ui);
	if (history_sample(&ui->history, s, ui->pps))
		follow_rows_on_screen(ui);
	if (ui->view == VIEW_HEALTH) /* made only while shown: it reads every row */
		ui_build_health(ui);
	if (ui->view == VIEW_GRAPH) /* the same */
		history_talkers(&ui->history, s);
	if (ui->view == VIEW_HOST) /* the same */
		host_join(&ui->host, s->rows, s->n);
}

void ui_build_health(struct ui *ui)
{
	health_build(&ui->health, ui->model.snap);
}

/* Whether this refresh lists the sockets anew: at most once a second, so
 * that a short --refresh-interval does not scan every process's sockets
 * (in the attribution thread or helper) each time; opening the view
 * always lists them (ui_build_host). The connections and bytes through
 * them follow every refresh (host_join). Counted in refreshes, not read
 * off a clock: the loop refreshes every refresh_ms. */
static bool host_due(struct ui *ui)
{
	uint32_t every = (HOST_RELIST_MS + ui->opts.refresh_ms - 1) / ui->opts.refresh_ms;
	return ++ui->host_refreshes >= every;
}

void ui_build_host(struct ui *ui)
{
	ui->host_refreshes = 0;
	host_build(&ui->host, ui->src ? ui->src->listening : NULL, ui->src ? ui->src->ctx : NULL,
		   clock_real_us());
	if (ui->model.snap)
		host_join(&ui->host, ui->model.snap->rows, ui->model.snap->n);
}

void ui_release(struct ui *ui)
{
	snapshot_free(ui->retired);
	ui->retired = NULL;
}

/* Lets the rows shown go before new ones are asked for: the engine makes
 * the new ones after letting its old ones go, so a refresh holds one copy
 * of them, not two (under a flood, a connection cap's worth). */
static void let_rows_go(struct ui *ui)
{
	struct trace_mark m = trace_mark();
	ui_release(ui);
	snapshot_free(model_let_go(&ui->model));
	ui->cost.free_ms = trace_wall_ms(m);
}

/* Takes s (if any) from the source's call that began at m. */
static void take_snapshot(struct ui *ui, struct snapshot *s, struct trace_mark m)
{
	ui->cost.snapshot_ms = trace_wall_ms(m);
	ui->cost.model_ms = 0;
	if (!s)
		return;
	m = trace_mark();
	ui_set_snapshot(ui, s);
	ui->cost.model_ms = trace_wall_ms(m);
}

void ui_refresh(struct ui *ui)
{
	const struct tui_source *src = ui->src;
	if (!src)
		return;
	ui->cost = (struct refresh_cost){ 0 };
	if (src->status)
		src->status(src->ctx, &ui->status);
	if (ui->view == VIEW_HOST && !ui->paused && host_due(ui)) { /* the machine's, even once a file is read */
		struct trace_mark m = trace_mark();
		ui_build_host(ui);
		ui->cost.host_ms = trace_wall_ms(m);
	}
	if (ui->source_done || !src->snapshot || ui->paused)
		return;
	/* status first: a snapshot taken after "finished" holds everything */
	bool done = ui->status.offline && ui->status.finished;
	let_rows_go(ui);
	struct trace_mark m = trace_mark();
	struct snapshot *s = src->snapshot(src->ctx);
	if (s)
		ui->late = s->late && src->late && src->latest;
	take_snapshot(ui, s, m);
	if (s)
		ui->source_done = done;
}

bool ui_catch_up(struct ui *ui)
{
	const struct tui_source *src = ui->src;
	if (!ui->late || ui->paused || src->late(src->ctx))
		return false;
	ui->late = false;
	let_rows_go(ui); /* one copy of the rows at a time, as in ui_refresh */
	struct trace_mark m = trace_mark();
	take_snapshot(ui, src->latest(src->ctx), m);
	return true;
}

bool ui_reading_file(const struct ui *ui)
{
	return ui->status.offline && !ui->source_done;
}

bool ui_file_read(struct ui *ui)
{
	const struct tui_source *src = ui->src;
	if (!ui_reading_file(ui) || !src->status)
		return false;
	src->status(src->ctx, &ui->status);
	return ui->status.finished;
}

void ui_apply_filter(struct ui *ui)
{
	struct filter_line *f = &ui->filter;
	f->text[f->len] = '\0';
	struct query *q = query_compile(f->text, &f->err);
	f->bad = q == NULL;
	if (!q)
		return;
	/* the selection stays on its connection while that still matches;
	 * otherwise it goes to the first match */
	uint64_t id = ui->model.sel_id;
	bool had = ui->model.has_sel;
	model_set_query(&ui->model, q);
	const struct conn_row *r = model_selected(&ui->model);
	if (!had || !r || r->id != id)
		model_select(&ui->model, 0, ui_page(ui));
}

int ui_page(const struct ui *ui)
{
	/* the lines a capture failure took above the status bar at the last draw */
	int h = ui->lines - UI_CHROME - (ui->status_lines > 1 ? ui->status_lines - 1 : 0);
	return h > 1 ? h : 1;
}

static void draw_too_small(const struct ui *ui)
{
	char b[96];
	snprintf(b, sizeof b, "Terminal too small (%dx%d): need %dx%d", ui->cols, ui->lines,
		 UI_MIN_W, UI_MIN_H);
	int w = disp_width(b);
	int x = w < ui->cols ? (ui->cols - w) / 2 : 0;
	disp_text(stdscr, ui->lines / 2, x, ui->cols, b, theme_attr(&ui->theme, ROLE_ERROR),
		  ui->theme.utf8);
}

/* Scroll positions valid for the lines a view has now. */
static int clamp_scroll(int scroll, int total, int h)
{
	int max = total > h ? total - h : 0;
	return scroll < 0 ? 0 : scroll > max ? max : scroll;
}

static void draw_body(struct ui *ui, int y0, int h)
{
	switch (ui->view) {
	case VIEW_OVERVIEW:
		model_scroll(&ui->model, h - 1);
		grouping_update(&ui->group, &ui->model); /* no-op when not grouped or unchanged */
		grouping_scroll(&ui->group, h - 1);
		if (ui->group.by != GROUP_NONE)
			view_groups_draw(ui, y0, h); /* the overview's rows, in their groups */
		else
			view_overview_draw(ui, y0, h);
		break;
	case VIEW_DETAILS:
		ui->detail_lines = view_details_draw(ui, y0, h);
		ui->detail_scroll = clamp_scroll(ui->detail_scroll, ui->detail_lines, h);
		break;
	case VIEW_HEALTH:
		health_select(&ui->health, ui->health.sel, h - 1);
		view_health_draw(ui, y0, h);
		break;
	case VIEW_GRAPH:
		view_graph_draw(ui, y0, h);
		break;
	case VIEW_HOST:
		host_select(&ui->host, ui->host.sel, h - 2);
		view_host_draw(ui, y0, h);
		break;
	case VIEW_HELP:
		ui->help_lines = view_help_draw(ui, y0, h);
		ui->help_scroll = clamp_scroll(ui->help_scroll, ui->help_lines, h);
		break;
	default:
		break;
	}
}

/* The view on lines 1 .. 1 + h - 1 of its columns, the side panel on the
 * rest (or on all of them when the view would be left too few). */
static void draw_middle(struct ui *ui, int h)
{
	struct panel_place at = panel_place(ui->panel, ui->cols);
	ui->body_cols = at.body_w;
	if (at.body_w) {
		int scroll_d = ui->detail_scroll, scroll_h = ui->help_scroll;
		draw_body(ui, 1, h);
		if (scroll_d != ui->detail_scroll || scroll_h != ui->help_scroll) {
			/* the screen grew or the text shrank: draw at the clamped place */
			wattrset(stdscr, A_NORMAL);
			for (int y = 1; y < 1 + h; y++)
				mvwhline(stdscr, y, 0, ' ', at.body_w);
			draw_body(ui, 1, h);
		}
	}
	if (at.w)
		panel_draw(ui, &at, 1, h);
}

void ui_draw(struct ui *ui)
{
	getmaxyx(stdscr, ui->lines, ui->cols);
	wattrset(stdscr, A_NORMAL);
	werase(stdscr);
	curs_set(0);
	if (ui->cols < UI_MIN_W || ui->lines < UI_MIN_H) {
		draw_too_small(ui);
		return;
	}
	ui->status_lines = statusbar_lines(ui);
	statusbar_title(ui, 0);
	draw_middle(ui, ui->lines - 2 - ui->status_lines);
	statusbar_status(ui, ui->lines - ui->status_lines);
	statusbar_hints(ui, ui->lines - 1 - ui->status_lines); /* last: it may place the cursor */
}
