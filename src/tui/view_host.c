/* view_host.c - the machine's listening TCP and bound UDP sockets
 * (tui/host.h), one per line as `wiretop --listening` prints them:
 * protocol, address, port, process, user, the connections held through it
 * and their bytes each way, since when, network namespace, unit or
 * container. The last line says what could not be seen without privilege.
 */
#include "tui/ui.h"

#include <stdio.h>
#include <string.h>

#include "base/addrtext.h"
#include "decode/pkt.h"
#include "tui/format.h"

enum { C_PROTO, C_ADDR, C_PORT, C_PID, C_PROC, C_USER, C_CONNS, C_IN, C_OUT, C_SINCE, C_NETNS,
       C_PLACE, C_COUNT };

static const struct {
	const char *title;
	int w;
	enum disp_align al;
} cols[C_COUNT] = {
	[C_PROTO] = { "Proto", 5, DISP_LEFT },   [C_ADDR] = { "Address", 28, DISP_LEFT },
	[C_PORT] = { "Port", 5, DISP_RIGHT },    [C_PID] = { "PID", 7, DISP_RIGHT },
	[C_PROC] = { "Process", 16, DISP_LEFT }, [C_USER] = { "User", 12, DISP_LEFT },
	[C_CONNS] = { "Conns", 6, DISP_RIGHT },  [C_IN] = { "In", 7, DISP_RIGHT },
	[C_OUT] = { "Out", 7, DISP_RIGHT },      [C_SINCE] = { "Since", 20, DISP_LEFT },
	[C_NETNS] = { "Netns", 12, DISP_LEFT },  [C_PLACE] = { "Unit / container", 0, DISP_LEFT },
};

static void traffic(const struct host_socket *s, char out[C_COUNT][HOST_PLACE_MAX])
{
	snprintf(out[C_CONNS], HOST_PLACE_MAX, "%llu", (unsigned long long)s->conns);
	if (!s->conns) {
		snprintf(out[C_IN], HOST_PLACE_MAX, "-");
		snprintf(out[C_OUT], HOST_PLACE_MAX, "-");
		return;
	}
	fmt_bytes(out[C_IN], HOST_PLACE_MAX, (double)s->in_bytes);
	fmt_bytes(out[C_OUT], HOST_PLACE_MAX, (double)s->out_bytes);
}

/* "2024-01-02 15:04:05": its process's start; "~" before it: when it was
 * first listed (its process is not known). */
static void since(const struct host_socket *s, char *out)
{
	char t[40];
	fmt_time(t, sizeof t, s->since_us);
	t[19] = '\0'; /* to the second */
	snprintf(out, HOST_PLACE_MAX, "%s%s", s->since_listed ? "~" : "", t);
}

/* Each column's text for socket s (NULL: the header). */
static void cells(const struct host_socket *s, char out[C_COUNT][HOST_PLACE_MAX])
{
	if (!s) {
		for (int i = 0; i < C_COUNT; i++)
			snprintf(out[i], HOST_PLACE_MAX, "%s", cols[i].title);
		return;
	}
	char a[ADDR_TEXT_MAX];
	addr_text(a, s->family, s->addr);
	snprintf(out[C_PROTO], HOST_PLACE_MAX, "%s", s->l4 == L4_TCP ? "TCP" : "UDP");
	snprintf(out[C_ADDR], HOST_PLACE_MAX, "%s", a);
	snprintf(out[C_PORT], HOST_PLACE_MAX, "%u", s->port);
	if (s->pid > 0)
		snprintf(out[C_PID], HOST_PLACE_MAX, "%d", (int)s->pid);
	else
		snprintf(out[C_PID], HOST_PLACE_MAX, "-");
	snprintf(out[C_PROC], HOST_PLACE_MAX, "%s", s->process[0] ? s->process : "-");
	snprintf(out[C_USER], HOST_PLACE_MAX, "%s", s->user[0] ? s->user : "-");
	traffic(s, out);
	since(s, out[C_SINCE]);
	if (s->netns_name[0])
		snprintf(out[C_NETNS], HOST_PLACE_MAX, "%s", s->netns_name);
	else
		snprintf(out[C_NETNS], HOST_PLACE_MAX, "%llu", (unsigned long long)s->netns);
	snprintf(out[C_PLACE], HOST_PLACE_MAX, "%s", s->place[0] ? s->place : "-");
}

/* One line, left to right; the last column takes what is left. */
static void draw_line(const struct ui *ui, int y, const struct host_socket *s, attr_t a)
{
	char t[C_COUNT][HOST_PLACE_MAX];
	cells(s, t);
	wattrset(stdscr, a);
	mvwhline(stdscr, y, 0, ' ', ui->body_cols);
	for (int i = 0, x = 0; i < C_COUNT && x < ui->body_cols; i++) {
		int w = cols[i].w && x + cols[i].w <= ui->body_cols ? cols[i].w : ui->body_cols - x;
		disp_put(stdscr, y, x, w, t[i], a, cols[i].al, ui->theme.utf8);
		x += w + 1;
	}
}

/* What the listing missed, or why there is none. */
static void note(const struct ui *ui, int y)
{
	const struct host *h = &ui->host;
	char b[320];
	if (h->failed)
		snprintf(b, sizeof b, "The sockets could not be listed: %s", h->err);
	else if (h->reach.procs_hidden)
		snprintf(b, sizeof b,
			 "%u of %u processes could not be looked into: their sockets show without "
			 "process (`wiretop --listening` as root names them)",
			 h->reach.procs_hidden, h->reach.procs);
	else if (!h->n)
		snprintf(b, sizeof b, "%s", "No listening or bound sockets.");
	else
		return;
	disp_text(stdscr, y, 1, ui->body_cols - 2, b,
		  theme_attr(&ui->theme, h->failed ? ROLE_ERROR : ROLE_CLOSED), ui->theme.utf8);
}

void view_host_draw(const struct ui *ui, int y0, int h)
{
	const struct host *hs = &ui->host;
	draw_line(ui, y0, NULL, theme_attr(&ui->theme, ROLE_HEADER));
	bool noted = hs->failed || hs->reach.procs_hidden || !hs->n;
	int rows = h - 1 - (noted ? 1 : 0);
	int i = 0;
	for (; i < rows && hs->top + (uint32_t)i < hs->n; i++) {
		uint32_t pos = hs->top + (uint32_t)i;
		draw_line(ui, y0 + 1 + i, &hs->v[pos],
			  theme_attr(&ui->theme, pos == hs->sel ? ROLE_SELECTED : ROLE_NORMAL));
	}
	if (noted)
		note(ui, y0 + 1 + (hs->n ? i : 1));
}
