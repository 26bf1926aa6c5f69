/* ui.h - the UI's state and the calls between its files: the loop (tui.c)
 * feeds keys (keys.c) and refreshes (ui.c); views draw from the state and
 * never change it. Everything runs on the thread that called tui_run.
 */
#ifndef WT_TUI_UI_H
#define WT_TUI_UI_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "query/query.h"
#include "tui/columns.h"
#include "tui/group.h"
#include "tui/health.h"
#include "tui/history.h"
#include "tui/host.h"
#include "tui/model.h"
#include "tui/theme.h"
#include "tui/trace.h"
#include "tui/tui.h"

/* In Tab order. */
enum ui_view { VIEW_OVERVIEW, VIEW_DETAILS, VIEW_HEALTH, VIEW_HOST, VIEW_GRAPH, VIEW_HELP,
	       VIEW_COUNT };

/* What a key handler did. */
enum {
	UI_HANDLED = 1,
	UI_REDRAW = 2,
	UI_QUIT = 4,
};

/* Keys are characters (code points) or curses KEY_* codes with this bit. */
#define UI_KEY_FN 0x1000000
#define UI_CTRL(c) ((c) & 0x1f)

/* Smallest screen drawn; below it a message says so. */
#define UI_MIN_W 32
#define UI_MIN_H 8
#define UI_CHROME 4 /* title, column header, filter line, status bar */

struct filter_line {
	char text[QUERY_MAX_LEN + 1];
	size_t len;
	bool editing;
	bool bad;                /* text does not compile: the last good filter stays */
	bool full;               /* the last key did not fit: refused, never cut */
	struct query_error err;
};

/* Where the last refresh's time went, in wall-clock ms (--trace-ui). */
struct refresh_cost {
	double free_ms;       /* letting the rows shown until now go */
	double snapshot_ms;   /* the source making the new ones */
	double model_ms;      /* filtering and sorting them */
	double host_ms;       /* the Host view's sockets listed anew; 0 when not */
};

struct ui {
	struct tui_opts opts;
	const struct tui_source *src;
	struct theme theme;
	struct model model;
	struct filter_line filter;
	struct health health;        /* the Health view's findings, made while it shows */
	struct history history;      /* rates over time: the Graph view, Details */
	struct host host;            /* the Host view's sockets, listed while it shows */
	uint32_t host_refreshes;     /* refreshes since they were last listed */
	struct grouping group;       /* the overview by process, application, container (a) */
	enum ui_view view, back;     /* back: where Esc and h return to */
	int widths[COL_MAX];
	bool numeric_ports;
	bool numeric_hosts;          /* remote addresses, not their names (d) */
	bool paused;                 /* Space: no new snapshot until resumed */
	bool keep_closed;            /* x: closed connections stay listed (live) */
	bool panel;                  /* i: the side panel (panel.c) is open */
	bool quit_armed;             /* q pressed once */
	int detail_scroll, help_scroll;
	int detail_lines, help_lines; /* from the last draw; bound the scrolling */
	struct tui_status status;
	uint64_t pps_packets, pps_bytes, pps_now; /* counters at the previous refresh */
	double pps, bps;             /* packets and bytes per second since then */
	bool pps_valid;
	bool source_done;            /* offline and finished: nothing changes any more */
	bool late;                   /* the last refresh got older rows than it asked for */
	char msg[256];               /* one-shot notice in the hint line */
	struct snapshot *retired;    /* replaced by the last refresh, freed after drawing */
	struct conn_row detail;      /* deep copy of the selected connection */
	bool have_detail;
	bool detail_gone;            /* it left the snapshot */
	int32_t proc_pid;            /* proc_text describes this pid */
	char proc_text[2048];
	int lines, cols;             /* screen size at the last draw */
	int body_cols;               /* of cols, what the views had: all but the side panel
					(0: the panel took the body) */
	int status_lines;            /* the status bar's, at the last draw (statusbar_lines) */
	FILE *term;                  /* the terminal, for OSC 52; NULL: none */
	struct ui_trace trace;       /* --trace-ui */
	struct refresh_cost cost;    /* of the last refresh or catch-up */
};

/* ui.c */
/* Takes over o->filter_query (else compiles o->filter as if typed); false
 * when o->filter is longer than the filter line. */
bool ui_init(struct ui *ui, const struct tui_opts *o, const struct tui_source *src);
void ui_fini(struct ui *ui);
/* Asks the source for status and a fresh snapshot. */
void ui_refresh(struct ui *ui);
/* After a refresh that got older rows than it asked for: takes the ones
 * asked for once the source has them (true: the screen needs a redraw). */
bool ui_catch_up(struct ui *ui);
/* A file is being read: true until the rows taken after its end are in. */
bool ui_reading_file(const struct ui *ui);
/* While reading a file: asks the source whether it has read it all. */
bool ui_file_read(struct ui *ui);
/* Takes ownership of s; the one it replaces waits for ui_release. */
void ui_set_snapshot(struct ui *ui, struct snapshot *s);
/* Frees the replaced snapshot: call after the new frame is on screen. */
void ui_release(struct ui *ui);
/* Recompiles the filter text; keeps the last good query on an error. */
void ui_apply_filter(struct ui *ui);
/* Rows of the overview table on the current screen. */
int ui_page(const struct ui *ui);
/* Draws the whole screen into stdscr (the caller refreshes). */
void ui_draw(struct ui *ui);
/* Copies the selected row for the details view. */
void ui_copy_detail(struct ui *ui);
/* Makes the Health view's findings from the rows held now. */
void ui_build_health(struct ui *ui);
/* Asks the source for the machine's sockets, for the Host view. */
void ui_build_host(struct ui *ui);

/* keys.c */
int ui_key(struct ui *ui, int key);
/* The key bindings for the help screen, i in 0 .. until false. */
bool keys_help_at(size_t i, const char **keys, const char **help);
/* Shows view v (its figures made afresh when they are made only while shown). */
void ui_set_view(struct ui *ui, enum ui_view v);
/* What Enter does in the view shown. */
int ui_enter(struct ui *ui);
/* Moves the selection by delta rows, or scrolls Details and Help. */
int ui_move_by(struct ui *ui, int64_t delta);

/* mouse.c */
void ui_mouse_on(void);
/* A press of buttons at screen line y, column x. */
int ui_mouse(struct ui *ui, int y, int x, mmask_t buttons);

/* views: each draws rows y0 .. y0 + h - 1 and returns the lines it has */
void view_overview_draw(const struct ui *ui, int y0, int h);
/* One connection's line, its columns laid out by lay and moved right by x0. */
void view_overview_row(const struct ui *ui, const struct col_layout *lay, struct cell_ctx *cc,
		       int y, int x0, const struct conn_row *r, bool selected);
/* What the overview says when it has no row to show. */
void view_overview_empty(const struct ui *ui, int y);
/* view_groups.c: the overview grouped (ui->group, made by draw time). */
void view_groups_draw(const struct ui *ui, int y0, int h);
int view_details_draw(const struct ui *ui, int y0, int h);
int view_help_draw(const struct ui *ui, int y0, int h);
void view_health_draw(const struct ui *ui, int y0, int h);
void view_graph_draw(const struct ui *ui, int y0, int h);
void view_host_draw(const struct ui *ui, int y0, int h);

/* statusbar.c */
void statusbar_title(const struct ui *ui, int y);
void statusbar_hints(const struct ui *ui, int y);
/* Lines the status bar needs: 1, more when a capture failure does not fit
 * on it with the counts kept on a narrow screen (it goes above them). */
int statusbar_lines(const struct ui *ui);
/* The status bar on lines y .. y + statusbar_lines - 1. Parts it has no
 * room for go (status_parts.h), the least needed first: security and
 * attribution (cut first while enough is left), filter, capture,
 * interface, rates, the counts of evicted and unparsed; shown/total, drops,
 * the link's state and a capture failure stay. The side panel has them
 * all. */
void statusbar_status(const struct ui *ui, int y);
/* The view whose name the title bar shows at column x, or -1. */
int statusbar_view_at(const struct ui *ui, int x);

/* status_parts.c: the status bar's texts, also shown in the side panel:
 * the capture ("live, 2 workers", "x.pcap (done)"), what ended it early
 * with what to do ("" when nothing did), the connections held (the M of
 * "N/M shown"). */
void status_capture_text(const struct ui *ui, char *b, size_t cap);
void status_stopped_text(const struct ui *ui, char *b, size_t cap);
uint64_t status_held(const struct ui *ui);

/* panel.c: the side panel (i). */
#define PANEL_W 38        /* with its separator line */
#define PANEL_BODY_MIN 60 /* narrower than this left for the views: the panel takes the body */
struct panel_place {
	int x, w;         /* the panel's columns; w 0: closed */
	int body_w;       /* left of it for the views; 0: none */
};
struct panel_place panel_place(bool open, int cols);
/* Lines y0 .. y0 + h - 1 of the panel's columns. */
void panel_draw(const struct ui *ui, const struct panel_place *at, int y0, int h);

/* clipboard.c: OSC 52 on the terminal, plus wl-copy / xclip when present.
 * note says what was done. */
void clipboard_copy(FILE *term, const char *text, char *note, size_t cap);

#endif
