/* tui.h - the terminal user interface (ncursesw): overview table, details,
 * health (findings), host (listening sockets), help, filter line, status bar.
 *
 * The UI reads only published rows: it asks the source for a fresh merged
 * snapshot every refresh and never sees a flow table. tui_run runs on the
 * calling thread and returns when the user quits; the terminal is restored
 * on every path out.
 */
#ifndef WT_TUI_TUI_H
#define WT_TUI_TUI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "attr/attr.h"
#include "base/err.h"
#include "flow/row.h"
#include "output/findings.h"

struct query;

struct tui_status {
	char iface[64];
	char capture[96];    /* "live", "file.pcap", ... */
	char attr[512];      /* process attribution: the back end, what it sees, notes */
	char security[96];   /* privileges and confinement in force; "" not shown */
	char link[48];       /* live: "" when up, else "link down", "interface gone, ..." */
	char stopped[256];   /* what ended the capture early: a read error, a damaged file */
	bool offline;
	bool finished;       /* offline: the whole file has been read */
	bool exporting;      /* an exporter is on: its drops are shown */
	uint64_t export_drops;
};

struct tui_source {
	void *ctx;
	/* A fresh merged snapshot; the UI frees it with snapshot_free. */
	struct snapshot *(*snapshot)(void *ctx);
	void (*status)(void *ctx, struct tui_status *st);
	/* Optional (may be NULL): exe, cmdline, user, cgroup as "key: value\n" lines. */
	bool (*proc_detail)(void *ctx, int32_t pid, char *buf, size_t cap);
	/* Optional (both or neither): after a snapshot marked late (it holds
	 * older rows than were asked for), late is true while the rows asked
	 * for are still being made; latest then hands them over without
	 * asking anew. */
	bool (*late)(void *ctx);
	struct snapshot *(*latest)(void *ctx);
	/* Optional (may be NULL): the machine's listening TCP and bound UDP
	 * sockets, each handed to fn, as attr_listening does (the Host view). */
	int (*listening)(void *ctx, attr_listener_fn fn, void *arg, struct attr_listen_reach *reach,
			 struct wt_err *err);
	/* Optional (may be NULL): live, closed connections stay listed (on)
	 * or go after their usual few seconds (off): the history key, x. */
	void (*keep_closed)(void *ctx, bool on);
};

struct tui_opts {
	unsigned refresh_ms;  /* 0: 1000 */
	bool no_color;        /* also when NO_COLOR is set and not empty */
	bool no_mouse;        /* --no-mouse: the terminal keeps the mouse */
	const char *theme;    /* --theme: auto (NULL), muted, vivid, light */
	bool show_ports;      /* port numbers instead of service names */
	const char *filter;   /* initial filter expression, may be NULL */
	struct query *filter_query; /* filter compiled; NULL: the UI compiles it */
	int trace_fd;         /* > 2: write --trace-ui events there (not closed) */
	uint64_t start_us;    /* CLOCK_MONOTONIC at the program's start, for the trace */
	struct findings_opts findings; /* the Health view's thresholds; all 0: the defaults */
};

/* Returns 0 when the user quits, -1 with err filled when the terminal could
 * not be set up. tui_run owns opts.filter_query from the call on. */
int tui_run(const struct tui_opts *o, const struct tui_source *src, struct wt_err *err);

#endif
