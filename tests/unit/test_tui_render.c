/* Unit tests for src/tui: the UI drawn into an off-screen curses screen
 * (newterm on /dev/null), driven by key codes, read back cell by cell. */
#include "check.h"

#include <stdlib.h>
#include <unistd.h>

#include "base/macros.h"
#include "full_row.h"
#include "tui/ui.h"

#include "../tui/fake_rows.h"
#define TUI_DEMO_EMBEDDED
#include "../tui/tui_demo.c"

#define FN(k) ((k) | UI_KEY_FN)

struct screen {
	SCREEN *scr;
	FILE *out, *in;
};

static bool screen_open(struct screen *s, int lines, int cols)
{
	s->out = fopen("/dev/null", "w");
	s->in = fopen("/dev/null", "r");
	s->scr = s->out && s->in ? newterm("xterm-256color", s->out, s->in) : NULL;
	if (!s->scr)
		return false;
	set_term(s->scr);
	resize_term(lines, cols);
	return true;
}

static void screen_close(struct screen *s)
{
	if (s->scr) {
		endwin();
		delscreen(s->scr);
	}
	if (s->out)
		fclose(s->out);
	if (s->in)
		fclose(s->in);
}

static void line_text(int y, char *buf, int cap)
{
	mvwinnstr(stdscr, y, 0, buf, cap - 1);
}

/* First screen line containing needle, or -1. */
static int find_line(const char *needle)
{
	char b[1024];
	for (int y = 0; y < LINES; y++) {
		line_text(y, b, sizeof b);
		if (strstr(b, needle))
			return y;
	}
	return -1;
}

#define CHECK_SHOWN(s)                                                                   \
	do {                                                                             \
		if (find_line(s) < 0)                                                    \
			check_fail(__FILE__, __LINE__, "screen lacks \"%s\"", s);        \
	} while (0)
#define CHECK_NOT_SHOWN(s)                                                               \
	do {                                                                             \
		if (find_line(s) >= 0)                                                   \
			check_fail(__FILE__, __LINE__, "screen shows \"%s\"", s);        \
	} while (0)

struct fake_source {
	unsigned snapshots;
	bool offline_done;
	uint32_t extra;
	const char *link;
	const char *stopped;          /* what ended the capture early */
	const char *security;         /* privileges and confinement */
	bool guess;                   /* the first row's owner is a guess */
	int keep_calls;               /* keep_closed: how often, and the last */
	bool keep;
	uint32_t making;              /* rows still being made: a snapshot now is late */
	unsigned listings;            /* the Host view's asks */
	unsigned latest_calls;
};

static struct snapshot *src_snapshot(void *ctx)
{
	struct fake_source *f = ctx;
	f->snapshots++;
	struct snapshot *s = fake_snapshot(FAKE_NOW);
	fake_bulk(s, f->extra, 1000, FAKE_NOW, 7);
	if (f->guess)
		s->rows[0].proc_match = PROC_MATCH_LISTENER;
	s->late = f->making > 0;
	s->flows_total = s->n + f->making;
	return s;
}

static bool src_late(void *ctx)
{
	const struct fake_source *f = ctx;
	return f->making > 0;
}

/* The rows made since: the ones the late snapshot could not wait for. */
static struct snapshot *src_latest(void *ctx)
{
	struct fake_source *f = ctx;
	f->latest_calls++;
	struct snapshot *s = fake_snapshot(FAKE_NOW);
	fake_bulk(s, f->extra, 1000, FAKE_NOW, 7);
	s->flows_total = s->n;
	return s;
}

static void src_status(void *ctx, struct tui_status *st)
{
	const struct fake_source *f = ctx;
	snprintf(st->iface, sizeof st->iface, "test0");
	snprintf(st->capture, sizeof st->capture, "unit.pcap");
	snprintf(st->attr, sizeof st->attr, "procfs: partial, 3/9 processes (6 hidden), 1 netns");
	st->offline = f->offline_done;
	st->finished = f->offline_done;
	snprintf(st->link, sizeof st->link, "%s", f->link ? f->link : "");
	snprintf(st->stopped, sizeof st->stopped, "%s", f->stopped ? f->stopped : "");
	snprintf(st->security, sizeof st->security, "%s", f->security ? f->security : "");
}

static void src_keep_closed(void *ctx, bool on)
{
	struct fake_source *f = ctx;
	f->keep_calls++;
	f->keep = on;
}

static bool src_proc(void *ctx, int32_t pid, char *buf, size_t cap)
{
	snprintf(buf, cap, "exe: /usr/lib/firefox/firefox\ncgroup: /user.slice\n");
	return pid == 4242;
}

struct fixture {
	struct screen scr;
	struct fake_source fs;
	struct tui_source src;
	struct ui ui;
	bool ok;
};

static bool fx_open(struct fixture *fx, int lines, int cols, const struct tui_opts *o)
{
	memset(fx, 0, sizeof *fx);
	fx->src = (struct tui_source){ .ctx = &fx->fs, .snapshot = src_snapshot, .status = src_status,
				       .proc_detail = src_proc, .keep_closed = src_keep_closed };
	if (!screen_open(&fx->scr, lines, cols)) {
		screen_close(&fx->scr);
		return false;
	}
	struct tui_opts def = { .refresh_ms = 1000, .no_color = true };
	if (!ui_init(&fx->ui, o ? o : &def, &fx->src))
		return false;
	theme_init(&fx->ui.theme, fx->ui.opts.no_color, fx->ui.opts.theme, NULL);
	ui_refresh(&fx->ui);
	ui_draw(&fx->ui);
	fx->ok = true;
	return true;
}

static void fx_close(struct fixture *fx)
{
	if (fx->ok)
		ui_fini(&fx->ui);
	screen_close(&fx->scr);
}

static int keys(struct ui *ui, const char *s)
{
	int flags = 0;
	for (; *s; s++)
		flags |= ui_key(ui, (unsigned char)*s);
	ui_draw(ui);
	return flags;
}

static int key(struct ui *ui, int k)
{
	int flags = ui_key(ui, k);
	ui_draw(ui);
	return flags;
}

static void test_overview_lists_connections(void)
{
	struct fixture fx;
	CHECK(fx_open(&fx, 30, 180, NULL));
	CHECK_SHOWN("\"github.com\":https");
	CHECK_SHOWN("\"www.google.com\":https");
	CHECK_SHOWN("\"neverssl.com\":http");
	CHECK_SHOWN("neverssl.com/index.html");
	CHECK_SHOWN("wiretop.example A");
	CHECK_SHOWN("OpenSSH_9.2p1 Debian-2");
	CHECK_SHOWN("[2001:db8::10]:55555");
	CHECK_SHOWN("\"cloudflare-dns.com\":https");
	CHECK_SHOWN("ECHO_REPLY");
	CHECK_SHOWN("firefox(4242)");
	CHECK_SHOWN("10/10 shown");
	CHECK_SHOWN("test0 | unit.pcap");
	CHECK_SHOWN("attr: procfs");
	int y = find_line("\"github.com\":https");
	char b[512];
	line_text(y, b, sizeof b);
	CHECK(strstr(b, "192.168.1.10:51514") != NULL); /* local side */
	CHECK(strstr(b, "HTTPS") != NULL);
	CHECK(strstr(b, "150k/s") != NULL);            /* rx: the responder's rate */
	y = find_line("10.0.0.5:ssh");                   /* local side is the responder */
	CHECK(y > 0 && find_line("203.0.113.9:60000") == y);
	fx_close(&fx);
}

static void test_long_names_keep_their_port(void)
{
	struct fixture fx;
	CHECK(fx_open(&fx, 30, 180, NULL));
	struct snapshot *s = fake_snapshot(FAKE_NOW);
	struct conn_row *r = &s->rows[FAKE_HTTP];
	meta_fini(&r->meta);
	meta_init(&r->meta);
	r->meta.app = APP_HTTP;
	fake_str(&r->meta, META_HTTP_HOST, "a-very-long-host-name.proxy.example");
	fake_str(&r->meta, META_HTTP_PATH, "http://origin.example/x");
	ui_set_snapshot(&fx.ui, s);
	ui_draw(&fx.ui);
	int y = find_line("\"a-very-long-host-na~:http "); /* cut to the column, port kept */
	CHECK(y > 0);
	CHECK_INT((int)strlen("a-very-long-host-nam~:http"), column_at(column_of("remote"))->column.width);
	char b[512] = "";
	if (y > 0)
		line_text(y, b, sizeof b);
	CHECK(strstr(b, " http://origin.example/x") != NULL); /* an absolute path alone */
	CHECK(strstr(b, "examplehttp") == NULL);
	fx_close(&fx);
}

/* The Remote column: a name from DNS as it is; a name the connection
 * claimed (SNI, HTTP Host) quoted; a claim that reads as an address never
 * in place of the real one (Details still says what was claimed). */
static void test_remote_names_resolved_or_claimed(void)
{
	struct fixture fx;
	CHECK(fx_open(&fx, 30, 160, NULL));
	struct snapshot *s = fake_snapshot(FAKE_NOW);
	s->rows[FAKE_GOOGLE].peer_name = fake_name("resolved.test");
	s->rows[FAKE_GOOGLE].peer_name_source = NAME_DNS;
	struct conn_row *r = &s->rows[FAKE_HTTP];
	meta_fini(&r->meta);
	meta_init(&r->meta);
	r->meta.app = APP_HTTP;
	fake_str(&r->meta, META_HTTP_HOST, "1.1.1.1");
	ui_set_snapshot(&fx.ui, s);
	ui_draw(&fx.ui);
	CHECK_SHOWN(" resolved.test:https ");
	CHECK_NOT_SHOWN("www.google.com\":https");
	CHECK_SHOWN("\"github.com\":https");
	CHECK_SHOWN(" 93.184.216.34:http ");
	CHECK_NOT_SHOWN("1.1.1.1:http");
	keys(&fx.ui, "/dst:93.184.216.34");
	key(&fx.ui, '\r');
	key(&fx.ui, '\r');
	CHECK_INT(fx.ui.view, VIEW_DETAILS);
	CHECK_SHOWN("93.184.216.34:80  (claimed: 1.1.1.1)");
	fx_close(&fx);
}

static void test_ports_toggle(void)
{
	struct fixture fx;
	CHECK(fx_open(&fx, 30, 160, NULL));
	key(&fx.ui, 'p');
	CHECK_SHOWN("\"github.com\":443");
	CHECK_NOT_SHOWN("\"github.com\":https");
	CHECK_SHOWN("9.9.9.9:53");
	key(&fx.ui, 'p');
	CHECK_SHOWN("\"github.com\":https");
	CHECK_SHOWN("9.9.9.9:dns");
	fx_close(&fx);
	struct tui_opts o = { .show_ports = true, .no_color = true };
	CHECK(fx_open(&fx, 30, 160, &o));
	CHECK_SHOWN("\"github.com\":443");
	fx_close(&fx);
}

static void test_filter_narrows_as_typed(void)
{
	struct fixture fx;
	CHECK(fx_open(&fx, 30, 160, NULL));
	key(&fx.ui, '/');
	CHECK(fx.ui.filter.editing);
	keys(&fx.ui, "g");
	int after_g = (int)fx.ui.model.n;
	keys(&fx.ui, "it");
	CHECK(after_g > 1);
	CHECK_INT(fx.ui.model.n, 1);
	CHECK_SHOWN("1/10 shown");
	CHECK_SHOWN("/git");
	CHECK_SHOWN("\"github.com\":https");
	CHECK_NOT_SHOWN("www.google.com");
	key(&fx.ui, FN(KEY_BACKSPACE));
	key(&fx.ui, FN(KEY_BACKSPACE));
	key(&fx.ui, 127);
	CHECK_INT(fx.ui.model.n, 10);
	keys(&fx.ui, "port:44");
	CHECK_INT(fx.ui.model.n, 5); /* 443 x4 and 8443 */
	key(&fx.ui, 27);            /* Esc clears */
	CHECK(!fx.ui.filter.editing);
	CHECK_INT(fx.ui.filter.len, 0);
	CHECK_INT(fx.ui.model.n, 10);
	fx_close(&fx);
}

static void test_filter_arrows_move_while_typing(void)
{
	struct fixture fx;
	CHECK(fx_open(&fx, 30, 160, NULL));
	keys(&fx.ui, "/firefox");
	CHECK_INT(fx.ui.model.n, 2);
	CHECK_INT(fx.ui.model.sel, 0);
	key(&fx.ui, FN(KEY_DOWN));
	CHECK(fx.ui.filter.editing);
	CHECK_INT(fx.ui.model.sel, 1);
	CHECK_INT(fx.ui.filter.len, 7);
	key(&fx.ui, '\r');          /* Enter keeps the filter */
	CHECK(!fx.ui.filter.editing);
	CHECK_INT(fx.ui.model.n, 2);
	CHECK_SHOWN("filter: firefox");
	key(&fx.ui, 27);            /* Esc in the overview clears it */
	CHECK_INT(fx.ui.model.n, 10);
	/* the selection stayed on its connection */
	CHECK(model_selected(&fx.ui.model)->proc.pid == 4242);
	fx_close(&fx);
}

static void test_filter_error_keeps_last_results(void)
{
	struct fixture fx;
	CHECK(fx_open(&fx, 30, 160, NULL));
	keys(&fx.ui, "/bytes>");
	CHECK(fx.ui.filter.bad);
	CHECK_INT(fx.ui.filter.err.pos, 6);
	CHECK_SHOWN("missing value after 'bytes>'");
	keys(&fx.ui, "1M");
	CHECK(!fx.ui.filter.bad);
	CHECK_INT(fx.ui.model.n, 2);
	CHECK_NOT_SHOWN("missing value");
	keys(&fx.ui, " (");
	CHECK(fx.ui.filter.bad);
	CHECK_INT(fx.ui.model.n, 2);
	/* none of these may show everything or nothing instead */
	static const char *const bad[] = { "(", "a or", "!", "not", "\"abc", "port:x", ")",
					   ":x", "\"\"", "dst:/8", "nosuch:1", "bytes>1Q" };
	for (size_t i = 0; i < ARRAY_LEN(bad); i++) {
		snprintf(fx.ui.filter.text, sizeof fx.ui.filter.text, "sni:github");
		fx.ui.filter.len = strlen(fx.ui.filter.text);
		ui_apply_filter(&fx.ui);
		CHECK_INT(fx.ui.model.n, 1);
		snprintf(fx.ui.filter.text, sizeof fx.ui.filter.text, "%s", bad[i]);
		fx.ui.filter.len = strlen(fx.ui.filter.text);
		ui_apply_filter(&fx.ui);
		ui_draw(&fx.ui);
		if (!fx.ui.filter.bad || fx.ui.model.n != 1 || find_line(" at ") < 0)
			check_fail(__FILE__, __LINE__, "'%s': bad %d, %u rows", bad[i], fx.ui.filter.bad,
				   fx.ui.model.n);
	}
	fx_close(&fx);
}

/* A key that would make the filter longer than the line holds is refused
 * with a message; the filter typed so far stays whole and in force. */
static void test_filter_line_refuses_overflow(void)
{
	struct fixture fx;
	CHECK(fx_open(&fx, 30, 160, NULL));
	keys(&fx.ui, "/sni:github or ");
	while (fx.ui.filter.len < QUERY_MAX_LEN)
		key(&fx.ui, 'x');
	CHECK(!fx.ui.filter.bad);
	CHECK_INT(fx.ui.model.n, 1);
	ui_draw(&fx.ui);
	CHECK_NOT_SHOWN("key refused");
	key(&fx.ui, 'y');
	CHECK_INT(fx.ui.filter.len, QUERY_MAX_LEN);
	CHECK(fx.ui.filter.text[QUERY_MAX_LEN - 1] == 'x');
	CHECK(!fx.ui.filter.bad);
	CHECK_INT(fx.ui.model.n, 1);
	ui_draw(&fx.ui);
	CHECK_SHOWN("filter longer than 1024 bytes: key refused");
	key(&fx.ui, FN(KEY_BACKSPACE));
	ui_draw(&fx.ui);
	CHECK_NOT_SHOWN("key refused");
	fx_close(&fx);
}

static void test_details_show_dpi_and_process(void)
{
	struct fixture fx;
	CHECK(fx_open(&fx, 60, 120, NULL));
	keys(&fx.ui, "/sni:github");
	key(&fx.ui, '\r');
	key(&fx.ui, '\r');
	CHECK_INT(fx.ui.view, VIEW_DETAILS);
	CHECK_SHOWN("Connection");
	CHECK_SHOWN("140.82.112.3:443  (claimed: github.com)");
	CHECK_SHOWN("SNI");
	CHECK_SHOWN("h2");
	CHECK_SHOWN("TLS1.3");
	CHECK_SHOWN("firefox");
	CHECK_SHOWN("alice");
	CHECK_SHOWN("UID");
	CHECK_SHOWN("/usr/lib/firefox/firefox"); /* from proc_detail */
	CHECK_SHOWN("Expires in");
	/* what attribution sees, uncut */
	int y = find_line("Attribution");
	CHECK(y > 0 && find_line("procfs: partial, 3/9 processes (6 hidden), 1 netns") == y);
	key(&fx.ui, 27);
	CHECK_INT(fx.ui.view, VIEW_OVERVIEW);
	CHECK_INT(fx.ui.model.n, 1); /* Esc from details only goes back */
	fx_close(&fx);
}

/* Both ends local: the Process cell names them initiator first, whichever
 * end the credited process owns; one end alone keeps its pid. */
static void test_process_cell_names_both_local_ends(void)
{
	const struct field *c = column_at(column_of("process"));
	struct cell_ctx cx = { .utf8 = true, .width = 30 };
	struct conn_row r;
	char b[128];

	memset(&r, 0, sizeof r);
	r.proc.pid = 400;
	r.proc.name = "nginx"; /* never released: the row stays here */
	r.proc_side = 1;
	column_cell(c, &r, &cx, b, sizeof b);
	CHECK_STR(b, "nginx(400)");
	r.peer.pid = 200;
	r.peer.name = "curl";
	column_cell(c, &r, &cx, b, sizeof b);
	CHECK_STR(b, "curl \u2192 nginx");
	r.proc_side = 0;
	cx.utf8 = false;
	column_cell(c, &r, &cx, b, sizeof b);
	CHECK_STR(b, "nginx -> curl");
	/* a guess from the listener on the port says it is one */
	r.proc_match = PROC_MATCH_LISTENER;
	column_cell(c, &r, &cx, b, sizeof b);
	CHECK_STR(b, "nginx -> curl?");
	r.peer.pid = 0;
	r.peer.name = NULL;
	column_cell(c, &r, &cx, b, sizeof b);
	CHECK_STR(b, "nginx(400)?");
}

/* Details: how the owner was found, and its parents nearest first with
 * their executables. */
static void test_details_match_and_parents(void)
{
	struct conn_row r;
	struct field_ctx c = { .utf8 = true };
	char b[256];

	memset(&r, 0, sizeof r);
	r.proc.pid = 400;
	r.proc.name = "nginx";
	r.proc_match = PROC_MATCH_LISTENER;
	r.place = "\0\0\0" "4100\0bash\0/usr/bin/bash\0" "1\0systemd\0\0" "\0\0\0\0\0";
	field_text(field_by_name("process_match"), &r, &c, b, sizeof b);
	CHECK_STR(b, "a guess: the listening or bound socket on its port");
	field_text(field_by_name("process_parents"), &r, &c, b, sizeof b);
	CHECK_STR(b, "bash(4100) /usr/bin/bash \u2190 systemd(1)");
	c.utf8 = false;
	field_text(field_by_name("process_parents"), &r, &c, b, sizeof b);
	CHECK_STR(b, "bash(4100) /usr/bin/bash <- systemd(1)");
	r.proc_match = PROC_MATCH_SOCKET;
	field_text(field_by_name("process_match"), &r, &c, b, sizeof b);
	CHECK_STR(b, "its own socket");
}

/* The Details line of a field: its label alone in the key column (2 + 18
 * wide), then the start of its value. */
static bool details_show(const struct field *f, const struct conn_row *r, uint64_t now)
{
	char want[80], val[64], line[512];
	struct field_ctx c = { .now_us = now, .numeric_ports = true };
	snprintf(want, sizeof want, "  %-18s %s", f->label, "");
	field_text(f, r, &c, val, 17); /* a prefix: long values wrap */
	int y = find_line(want);
	if (y >= 0)
		line_text(y, line, sizeof line);
	return y >= 0 && val[0] && strncmp(line + strlen(want), val, strlen(val)) == 0;
}

/* Every field of the table, with its label and its value, on one of the
 * rows that have them all (tests/unit/full_row.c). */
static void test_details_show_every_field(void)
{
	size_t n;
	const struct field *f = field_all(&n);
	bool *shown = calloc(n, sizeof *shown);
	struct conn_row row;
	for (int v = 0; full_row(&row, v); v++) {
		row_fini(&row);
		struct fixture fx;
		CHECK(fx_open(&fx, 140, 160, NULL));
		struct snapshot *s = snapshot_new(1);
		full_row(snapshot_push(s), v);
		s->now_us = s->rows[0].last_seen_us;
		ui_set_snapshot(&fx.ui, s);
		key(&fx.ui, '\r');
		CHECK_INT(fx.ui.view, VIEW_DETAILS);
		struct field_ctx c = { .now_us = s->now_us };
		for (size_t i = 0; i < n; i++) {
			struct field_val val;
			if (field_get(&f[i], &fx.ui.detail, &c, &val) &&
			    details_show(&f[i], &fx.ui.detail, s->now_us))
				shown[i] = true;
		}
		fx_close(&fx);
	}
	for (size_t i = 0; i < n; i++)
		if (!shown[i])
			check_fail(__FILE__, __LINE__, "Details never shows %s", f[i].label);
	free(shown);
}

static void test_details_keep_a_vanished_connection(void)
{
	struct fixture fx;
	CHECK(fx_open(&fx, 60, 120, NULL));
	keys(&fx.ui, "/ssh:openssh\r\r");
	CHECK_INT(fx.ui.detail.id, FAKE_SSH + 1);
	struct snapshot *s = fake_snapshot(FAKE_NOW + FAKE_SEC);
	s->rows[FAKE_SSH].id = 999; /* the ssh connection is gone */
	ui_set_snapshot(&fx.ui, s);
	ui_draw(&fx.ui);
	CHECK(fx.ui.detail_gone);
	CHECK_SHOWN("This connection is gone");
	CHECK_SHOWN("OpenSSH_9.2p1");
	fx_close(&fx);
}

/* The GitHub row as the tracker leaves it with a GeoIP database. */
static void set_github_place(struct snapshot *s)
{
	struct flow_meta *m = &s->rows[FAKE_GITHUB].meta;
	meta_set_num(m, META_GEO_ASKED, 1);
	meta_set_str(m, META_GEO_COUNTRY_RESP, (const uint8_t *)"US", 2);
	meta_set_str(m, META_GEO_CITY_RESP, (const uint8_t *)"San Francisco", 13);
	meta_set_num(m, META_GEO_ASN_RESP, 36459);
	meta_set_str(m, META_GEO_AS_ORG_RESP, (const uint8_t *)"GITHUB", 6);
}

/* The Location column: the remote end's country code where the databases
 * were asked, what kind of address a private one is, a hint where no
 * database was; the city and network in Details. */
static void test_location_column(void)
{
	struct fixture fx;
	CHECK(fx_open(&fx, 30, 220, NULL));
	struct snapshot *s = fake_snapshot(FAKE_NOW + FAKE_SEC);
	set_github_place(s);
	ui_set_snapshot(&fx.ui, s);
	ui_draw(&fx.ui);
	CHECK_SHOWN("Loc");
	int y = find_line("\"github.com\":https");
	char line[1024] = "";
	if (y >= 0)
		line_text(y, line, sizeof line);
	CHECK(strstr(line, " US ") != NULL);
	y = find_line("10.1.2.3"); /* a closed connection to a private address */
	line[0] = '\0';
	if (y >= 0)
		line_text(y, line, sizeof line);
	CHECK(strstr(line, " private ") != NULL);
	CHECK_SHOWN("no GeoIP"); /* rows no database was asked for */
	keys(&fx.ui, "/github\r\r");
	CHECK_INT(fx.ui.detail.id, FAKE_GITHUB + 1);
	CHECK_SHOWN("San Francisco");
	CHECK_SHOWN("36459");
	CHECK_SHOWN("GITHUB");
	fx_close(&fx);
}

static void test_help_lists_keys_and_fields(void)
{
	struct fixture fx;
	CHECK(fx_open(&fx, 260, 120, NULL));
	key(&fx.ui, 'h');
	CHECK_INT(fx.ui.view, VIEW_HELP);
	struct field_keyword kw;
	for (size_t i = 0; field_keyword_at(i, &kw); i++) {
		char k[40], help[256];
		const struct field *f = field_at(kw.field[0]);
		bool compares = field_is_numeric(f, kw.port[0]) && !field_is_digits(f, kw.port[0]);
		snprintf(k, sizeof k, "  %s%s ", kw.word, compares ? "<>=" : ":");
		CHECK_SHOWN(k);
		field_keyword_help(&kw, help, sizeof help);
		help[60] = '\0'; /* what fits the screen */
		CHECK_SHOWN(help);
	}
	const char *label, *help;
	for (size_t i = 0; keys_help_at(i, &label, &help); i++)
		CHECK_SHOWN(help);
	CHECK_SHOWN("Ctrl+C");
	CHECK_SHOWN("Shift+Tab");
	key(&fx.ui, 'h');
	CHECK_INT(fx.ui.view, VIEW_OVERVIEW);
	fx_close(&fx);
}

/* a: by process, application, container, then one row per connection
 * again; Enter opens a group in place, Enter on one of its connections
 * shows that connection's Details, Left closes the group. */
static void test_grouping_keys(void)
{
	struct fixture fx;
	CHECK(fx_open(&fx, 30, 120, NULL));
	key(&fx.ui, 'a');
	CHECK_SHOWN("by process");
	int y = find_line("firefox (4242)");
	CHECK(y > 0);
	char line[256];
	line_text(y, line, sizeof line);
	CHECK(strstr(line, " 2 ") != NULL); /* two connections */
	CHECK(strstr(line, "2.50M") != NULL); /* 1200 + 2,500,000 + 900 + 1800 bytes */
	CHECK_NOT_SHOWN("github.com");
	key(&fx.ui, 'g');
	for (int i = 0; i < FAKE_COUNT && fx.ui.group.sel < fx.ui.group.nline &&
			strcmp(fx.ui.group.g[fx.ui.group.line[fx.ui.group.sel].group].name, "firefox (4242)") != 0;
	     i++)
		key(&fx.ui, 'j');
	key(&fx.ui, '\r');
	CHECK_SHOWN("github.com");
	CHECK_SHOWN("cloudflare-dns.com");
	CHECK_INT(fx.ui.view, VIEW_OVERVIEW);
	key(&fx.ui, 'j');
	key(&fx.ui, '\r');
	CHECK_INT(fx.ui.view, VIEW_DETAILS);
	CHECK_INT(fx.ui.detail.id, fx.ui.model.snap->rows[fx.ui.model.order[fx.ui.model.sel]].id);
	CHECK_STR(fx.ui.detail.proc.name, "firefox");
	key(&fx.ui, 27);
	key(&fx.ui, FN(KEY_LEFT));
	CHECK_NOT_SHOWN("github.com");
	/* sorted by Bytes: the groups' Bytes title says so, fewest first after S */
	model_set_sort(&fx.ui.model, column_of("bytes"), true);
	key(&fx.ui, 'S');
	y = find_line("Conns");
	line_text(y, line, sizeof line);
	CHECK(strstr(line, "Bytes\u25b2") || strstr(line, "Bytes^"));
	CHECK(find_line("(unknown)") < find_line("firefox (4242)")); /* 144 B against 2.5 MB */
	key(&fx.ui, 'a');
	CHECK_SHOWN("by application");
	CHECK_SHOWN("HTTPS");
	key(&fx.ui, 'a');
	CHECK_SHOWN("by container");
	CHECK_SHOWN("(none)");
	key(&fx.ui, 'a');
	CHECK_NOT_SHOWN("by ");
	CHECK_SHOWN("github.com");
	fx_close(&fx);
	/* 80 columns: no room for the sort, still for the grouping */
	CHECK(fx_open(&fx, 30, 80, NULL));
	CHECK_NOT_SHOWN("sort:");
	key(&fx.ui, 'a');
	char title[128];
	line_text(0, title, sizeof title);
	CHECK(strstr(title, "by process") != NULL);
	fx_close(&fx);
}

static void test_tab_cycles_views(void)
{
	struct fixture fx;
	CHECK(fx_open(&fx, 30, 120, NULL));
	key(&fx.ui, '\t');
	CHECK_INT(fx.ui.view, VIEW_DETAILS);
	key(&fx.ui, '\t');
	CHECK_INT(fx.ui.view, VIEW_HEALTH);
	key(&fx.ui, '\t');
	CHECK_INT(fx.ui.view, VIEW_HOST);
	key(&fx.ui, '\t');
	CHECK_INT(fx.ui.view, VIEW_GRAPH);
	key(&fx.ui, '\t');
	CHECK_INT(fx.ui.view, VIEW_HELP);
	key(&fx.ui, '\t');
	CHECK_INT(fx.ui.view, VIEW_OVERVIEW);
	key(&fx.ui, FN(KEY_BTAB));
	CHECK_INT(fx.ui.view, VIEW_HELP);
	key(&fx.ui, 27);
	CHECK_INT(fx.ui.view, VIEW_OVERVIEW);
	fx_close(&fx);
}

static int first_row_line(void)
{
	return 2; /* title, column header */
}

/* Two sockets, a named owner and an unnamed one; a second listing has a
 * third: the view asks again at each refresh. */
static int src_listening(void *ctx, attr_listener_fn fn, void *arg, struct attr_listen_reach *reach,
			 struct wt_err *err)
{
	struct fake_source *f = ctx;
	struct attr_listener l;
	memset(&l, 0, sizeof l);
	memset(reach, 0, sizeof *reach);
	l.l4 = L4_TCP;
	l.family = 4;
	l.port = 8080;
	l.netns = 4026531840u;
	snprintf(l.user, sizeof l.user, "www-data");
	l.proc.ref.pid = 4242;
	snprintf(l.proc.ref.name, sizeof l.proc.ref.name, "nginx");
	snprintf(l.proc.unit, sizeof l.proc.unit, "nginx.service");
	fn(arg, &l);
	memset(&l, 0, sizeof l);
	l.l4 = L4_UDP;
	l.family = 6;
	l.port = 5353;
	snprintf(l.user, sizeof l.user, "avahi");
	snprintf(l.netns_name, sizeof l.netns_name, "blue");
	fn(arg, &l);
	reach->procs = 9;
	reach->procs_hidden = 1;
	if (++f->listings > 1) {
		l.l4 = L4_TCP;
		l.port = 2222;
		fn(arg, &l);
	}
	return 0;
}

/* L lists the machine's sockets with their owners, says what it could
 * not see, and lists them again at each refresh (not while paused). A
 * source that cannot list them says so. */
static void test_host_view(void)
{
	struct fixture fx;
	CHECK(fx_open(&fx, 30, 160, NULL));
	key(&fx.ui, 'L');
	CHECK_INT(fx.ui.view, VIEW_HOST);
	CHECK_SHOWN("this source cannot list the machine's sockets");
	fx.src.listening = src_listening;
	key(&fx.ui, 27);
	key(&fx.ui, 'L');
	char b[256];
	line_text(first_row_line(), b, sizeof b);
	CHECK(strstr(b, "TCP   0.0.0.0") == b);
	CHECK(strstr(b, " 8080    4242 nginx ") != NULL);
	CHECK(strstr(b, "www-data") != NULL && strstr(b, "nginx.service") != NULL);
	line_text(first_row_line() + 1, b, sizeof b);
	CHECK(strstr(b, "UDP   ::") == b);
	CHECK(strstr(b, " 5353       - - ") != NULL && strstr(b, "blue") != NULL);
	CHECK_SHOWN("1 of 9 processes could not be looked into");
	CHECK_NOT_SHOWN(" 2222 ");
	ui_refresh(&fx.ui);
	ui_draw(&fx.ui);
	CHECK_SHOWN(" 2222 ");
	key(&fx.ui, ' ');
	fx.fs.listings = 0;
	ui_refresh(&fx.ui);
	ui_draw(&fx.ui);
	CHECK_SHOWN(" 2222 "); /* paused: the listing stays */
	fx_close(&fx);
}

/* Refreshing ten times a second, the view lists the sockets when it opens
 * and then every tenth refresh: once a second. */
static void test_host_view_lists_at_most_once_a_second(void)
{
	struct fixture fx;
	struct tui_opts o = { .refresh_ms = 100, .no_color = true };
	CHECK(fx_open(&fx, 30, 160, &o));
	fx.src.listening = src_listening;
	key(&fx.ui, 'L');
	CHECK_INT(fx.fs.listings, 1);
	for (int i = 0; i < 9; i++)
		ui_refresh(&fx.ui);
	CHECK_INT(fx.fs.listings, 1);
	ui_refresh(&fx.ui);
	CHECK_INT(fx.fs.listings, 2);
	ui_draw(&fx.ui);
	CHECK_SHOWN(" 2222 ");
	key(&fx.ui, 27); /* opened again: listed at once */
	key(&fx.ui, 'L');
	CHECK_INT(fx.fs.listings, 3);
	fx_close(&fx);
}

static struct conn_row *push_syn(struct snapshot *s, uint64_t id, const char *dst, uint16_t sport,
				 uint8_t seen, uint64_t age_us)
{
	struct conn_row *r = snapshot_push(s);
	r->id = id;
	r->l4 = L4_TCP;
	r->family = 4;
	fake_addr(r->src, 4, "192.168.1.10");
	fake_addr(r->dst, 4, dst);
	r->sport = sport;
	r->dport = 8080;
	r->tcp_seen = seen;
	r->src_packets = 1;
	r->first_seen_us = r->last_seen_us = FAKE_NOW - age_us;
	return r;
}

/* The line of the row whose local end is ep ("" when none). */
static const char *row_line(const char *ep, char *b, int cap)
{
	int y = find_line(ep);
	b[0] = '\0';
	if (y >= 0)
		line_text(y, b, cap);
	return b;
}

/* The Health column marks a refused handshake X, a SYN unanswered past
 * the initial RTO (1 s) N but not one sent half a second ago,
 * retransmissions R and round-trip spikes S; ! puts the rows with an error finding first (the
 * refused one: a SYN must wait 5 s for its), keeping the sort within. */
static void test_health_badge_and_worst_first(void)
{
	struct fixture fx;
	CHECK(fx_open(&fx, 30, 200, NULL));
	struct snapshot *s = fake_snapshot(FAKE_NOW);
	push_syn(s, 101, "10.9.9.1", 45001, ROW_TCP_SYN | ROW_TCP_RST, 0)->dst_packets = 1;
	push_syn(s, 102, "10.9.9.2", 45002, ROW_TCP_SYN, FAKE_SEC / 2);
	push_syn(s, 103, "10.9.9.3", 45003, ROW_TCP_SYN, 2 * FAKE_SEC);
	struct conn_row *spiky = push_syn(s, 104, "10.9.9.4", 45004,
					  ROW_TCP_SYN | ROW_TCP_SYN_ACK | ROW_TCP_ESTABLISHED, 0);
	spiky->dst_packets = 3;
	meta_set_num(&spiky->meta, META_TCP_RTT_SPIKES, 2);
	ui_set_snapshot(&fx.ui, s);
	ui_draw(&fx.ui);
	int hx = -1;
	char b[512];
	line_text(1, b, sizeof b);
	char *h = strstr(b, " Health ");
	CHECK(h != NULL);
	hx = h ? (int)(h - b) + 1 : 0;
	static const struct {
		const char *ep, *badge;
	} want[] = { { "192.168.1.10:45001 ", "X     " }, { "192.168.1.10:45002 ", "-     " },
		     { "192.168.1.10:45003 ", "N     " }, { "192.168.1.10:45004 ", "S     " },
		     { "192.168.1.10:40001 ", "R     " },
		     { "192.168.1.10:51514 ", "-     " } };
	for (size_t i = 0; i < ARRAY_LEN(want); i++) {
		row_line(want[i].ep, b, sizeof b);
		CHECK((int)strlen(b) > hx + 6 && strncmp(b + hx, want[i].badge, 6) == 0);
	}
	key(&fx.ui, '!');
	CHECK(fx.ui.model.worst_first);
	CHECK_SHOWN("sort: worst first, first seen");
	CHECK_INT(find_line("192.168.1.10:45001 "), first_row_line());
	key(&fx.ui, '!');
	CHECK(!fx.ui.model.worst_first);
	CHECK(find_line("192.168.1.10:45001 ") > first_row_line());
	fx_close(&fx);
}

/* H shows the findings of the rows held; with none, what is checked.
 * Enter on one filters the overview to its connections; Esc clears it. */
static void test_health_view_and_jump(void)
{
	struct fixture fx;
	CHECK(fx_open(&fx, 30, 160, NULL));
	key(&fx.ui, 'H');
	CHECK_INT(fx.ui.view, VIEW_HEALTH);
	CHECK_SHOWN(" Health ");
	CHECK_SHOWN("No findings among the 10 connections held.");
	CHECK_SHOWN("Checked: TCP handshakes refused or unanswered for 5 s");
	struct snapshot *s = fake_snapshot(FAKE_NOW);
	struct conn_row *r = snapshot_push(s);
	r->id = 99;
	r->l4 = L4_TCP;
	r->family = 4;
	fake_addr(r->src, 4, "192.168.1.10");
	fake_addr(r->dst, 4, "10.9.9.9");
	r->sport = 45000;
	r->dport = 8080;
	r->tcp_seen = ROW_TCP_SYN;
	r->src_packets = 2;
	r->first_seen_us = r->last_seen_us = FAKE_NOW - 10 * FAKE_SEC;
	ui_set_snapshot(&fx.ui, s);
	ui_draw(&fx.ui);
	int y = find_line("tcp_no_answer");
	CHECK(y == first_row_line());
	char b[256];
	line_text(y, b, sizeof b);
	CHECK(strstr(b, "error") == b);
	CHECK(strstr(b, "TCP 10.9.9.9:8080") != NULL);
	key(&fx.ui, '\r');
	CHECK_INT(fx.ui.view, VIEW_OVERVIEW);
	CHECK_STR(fx.ui.filter.text, "proto=TCP src_ip=192.168.1.10 src_port=45000 dst_ip=10.9.9.9 "
				     "dst_port=8080");
	CHECK_SHOWN("1/11 shown");
	CHECK_SHOWN("tcp_no_answer: its 1 connection (Esc clears the filter)");
	CHECK_SHOWN("192.168.1.10:45000");
	key(&fx.ui, 27);
	CHECK_SHOWN("11/11 shown");
	fx_close(&fx);
}

static void test_sort_and_selection_follows_id(void)
{
	struct fixture fx;
	CHECK(fx_open(&fx, 30, 160, NULL));
	while (fx.ui.model.sort_col != column_of("bytes"))
		key(&fx.ui, 's');
	CHECK(fx.ui.model.sort_desc);
	char b[512];
	line_text(first_row_line(), b, sizeof b);
	CHECK(strstr(b, "www.google.com") != NULL); /* 3.02M, the most */
	CHECK_SHOWN("Bytesv");                       /* header marks the sort column */
	key(&fx.ui, 'S');
	line_text(first_row_line(), b, sizeof b);
	CHECK(strstr(b, "10.1.2.3") != NULL);       /* 60B, the least */
	/* select the ssh row, then refresh with the rows in another order */
	keys(&fx.ui, "/ssh:open\r");
	key(&fx.ui, 27);
	CHECK_INT(model_selected(&fx.ui.model)->id, FAKE_SSH + 1);
	struct snapshot *s = snapshot_new(FAKE_COUNT);
	for (int i = FAKE_COUNT - 1; i >= 0; i--)
		fake_fill(snapshot_push(s), &fake_specs[i], (uint64_t)i + 1, FAKE_NOW);
	s->rows[0].dst_bytes = 1; /* ARP row moves to the top */
	ui_set_snapshot(&fx.ui, s);
	CHECK_INT(model_selected(&fx.ui.model)->id, FAKE_SSH + 1);
	fx_close(&fx);
}

static void test_sort_is_stable_for_ties(void)
{
	struct fixture fx;
	CHECK(fx_open(&fx, 30, 160, NULL));
	struct snapshot *s = snapshot_new(300);
	fake_bulk(s, 300, 1, FAKE_NOW, 3);
	for (uint32_t i = 0; i < s->n; i++)
		s->rows[i].dst_rate = s->rows[i].src_rate = (double)(i % 3);
	ui_set_snapshot(&fx.ui, s);
	model_set_sort(&fx.ui.model, column_of("rxrate"), true);
	bool ok = true;
	for (uint32_t i = 1; ok && i < fx.ui.model.n; i++) {
		const struct conn_row *a = model_row(&fx.ui.model, i - 1), *c = model_row(&fx.ui.model, i);
		ok = a->dst_rate > c->dst_rate || (a->dst_rate == c->dst_rate && a->id < c->id);
	}
	CHECK(ok);
	model_set_sort(&fx.ui.model, column_of("remote"), false);
	for (uint32_t i = 1; ok && i < fx.ui.model.n; i++) {
		const struct conn_row *a = model_row(&fx.ui.model, i - 1), *c = model_row(&fx.ui.model, i);
		int d = a->family != c->family ? a->family - c->family : memcmp(a->dst, c->dst, 16);
		ok = d < 0 || (d == 0 && (a->dport < c->dport || (a->dport == c->dport && a->id < c->id)));
	}
	CHECK(ok);
	model_set_sort(&fx.ui.model, column_of("process"), false);
	for (uint32_t i = 1; ok && i < fx.ui.model.n; i++) {
		const struct conn_row *a = model_row(&fx.ui.model, i - 1), *c = model_row(&fx.ui.model, i);
		int d = strcmp(a->proc.name ? a->proc.name : "", c->proc.name ? c->proc.name : "");
		ok = d < 0 || (d == 0 && a->id < c->id);
	}
	CHECK(ok);
	fx_close(&fx);
}

/* Typing a filter further matches only the rows shown again: the rows
 * and their order are those a whole rebuild gives, with rows whose memory
 * order is not their id order. */
static void test_filter_typed_further_matches_a_rebuild(void)
{
	struct fixture fx;
	CHECK(fx_open(&fx, 30, 160, NULL));
	struct snapshot *s = snapshot_new(3000);
	fake_bulk(s, 3000, 1, FAKE_NOW, 5);
	for (uint32_t i = 0; i < s->n; i++)
		s->rows[i].id = (uint64_t)((i * 7919u) % 3000u) + 1; /* a permutation */
	ui_set_snapshot(&fx.ui, s);
	model_set_sort(&fx.ui.model, column_of("remote"), false);
	key(&fx.ui, '/');
	const char *typed = "1.1";
	uint32_t before = fx.ui.model.n;
	for (const char *p = typed; *p; p++) {
		key(&fx.ui, (unsigned char)*p);
		uint32_t n = fx.ui.model.n;
		uint64_t *ids = malloc(sizeof *ids * (n ? n : 1));
		for (uint32_t i = 0; i < n; i++)
			ids[i] = model_row(&fx.ui.model, i)->id;
		model_rebuild(&fx.ui.model);
		CHECK_INT(fx.ui.model.n, n);
		bool same = true;
		for (uint32_t i = 0; same && i < n; i++)
			same = model_row(&fx.ui.model, i)->id == ids[i];
		CHECK(same);
		CHECK(n <= before);
		before = n;
		free(ids);
	}
	CHECK(before > 0 && before < 3000);
	fx_close(&fx);
}

static void test_closed_dim_and_expiring_colored(void)
{
	struct fixture fx;
	struct tui_opts o = { .no_color = false };
	unsetenv("NO_COLOR");
	CHECK(fx_open(&fx, 30, 160, &o));
	if (!fx.ui.theme.color) { /* a terminal without colors: nothing to see */
		fx_close(&fx);
		SKIP("the test terminal has no colors");
	}
	int y = find_line("10.1.2.3:https-alt");
	CHECK(y > first_row_line()); /* not selected */
	CHECK((mvwinch(stdscr, y, 0) & A_DIM) != 0);
	y = find_line("8.8.8.8"); /* expires in 4 s */
	CHECK((mvwinch(stdscr, y, 0) & A_COLOR) ==
	      (theme_attr(&fx.ui.theme, ROLE_EXPIRING) & A_COLOR));
	y = find_line("\"github.com\":https"); /* 300 s to go */
	CHECK((mvwinch(stdscr, y, 0) & A_COLOR) ==
	      (theme_attr(&fx.ui.theme, ROLE_NORMAL) & A_COLOR));
	fx_close(&fx);
}

/* Each --theme gives its colours; the light one writes no text in yellow,
 * white or cyan on the terminal's own (light) background, where it cannot
 * be read; auto without an answer from the terminal is the muted one. */
static void test_themes(void)
{
	static const char *const names[] = { "muted", "vivid", "light" };
	unsetenv("NO_COLOR");
	for (size_t i = 0; i < 3; i++) {
		struct fixture fx;
		struct tui_opts o = { .theme = names[i] };
		CHECK(fx_open(&fx, 30, 160, &o));
		if (!fx.ui.theme.color) {
			fx_close(&fx);
			SKIP("the test terminal has no colors");
		}
		CHECK_STR(fx.ui.theme.name, names[i]);
		CHECK(strstr(fx.ui.theme.why, "--theme") != NULL);
		for (int r = 0; r < ROLE_COUNT && strcmp(names[i], "light") == 0; r++) {
			short fg, bg;
			CHECK(pair_content((short)PAIR_NUMBER(theme_attr(&fx.ui.theme, (enum role)r)), &fg, &bg) == OK);
			if (bg == -1)
				CHECK(fg != COLOR_YELLOW && fg != COLOR_WHITE && fg != COLOR_CYAN);
		}
		fx_close(&fx);
	}
	struct fixture fx;
	struct tui_opts o = { .theme = "auto" };
	CHECK(fx_open(&fx, 30, 160, &o));
	CHECK_STR(fx.ui.theme.name, "muted");
	CHECK(strstr(fx.ui.theme.why, "did not say") != NULL);
	fx_close(&fx);
}

static void test_no_color_env(void)
{
	struct fixture fx;
	struct tui_opts o = { .no_color = false };
	setenv("NO_COLOR", "1", 1);
	CHECK(fx_open(&fx, 30, 160, &o));
	CHECK(!fx.ui.theme.color);
	CHECK_STR(fx.ui.theme.name, "none");
	CHECK((theme_attr(&fx.ui.theme, ROLE_SELECTED) & A_COLOR) == 0);
	CHECK((theme_attr(&fx.ui.theme, ROLE_SELECTED) & A_REVERSE) != 0);
	unsetenv("NO_COLOR");
	fx_close(&fx);
}

static void test_hostile_strings_stay_text(void)
{
	struct fixture fx;
	CHECK(fx_open(&fx, 30, 180, NULL));
	CHECK_SHOWN("evil\\x1b[2J\\x07.example");
	int bad = 0;
	for (int y = 0; y < LINES; y++)
		for (int x = 0; x < COLS; x++) {
			chtype c = mvwinch(stdscr, y, x) & A_CHARTEXT;
			bad += c < 0x20 || c == 0x7f;
		}
	CHECK_INT(bad, 0);
	fx_close(&fx);
}

static void test_small_and_narrow_screens(void)
{
	struct fixture fx;
	CHECK(fx_open(&fx, 30, 160, NULL));
	resize_term(6, 20);
	key(&fx.ui, FN(KEY_RESIZE));
	CHECK_SHOWN("too small");
	resize_term(20, 60);
	key(&fx.ui, FN(KEY_RESIZE));
	CHECK_NOT_SHOWN("too small");
	CHECK_SHOWN("Remote Address");
	CHECK_SHOWN("Process");
	CHECK_SHOWN("DPI");
	CHECK_NOT_SHOWN(" Tx");
	CHECK_NOT_SHOWN("Local Address");
	CHECK_SHOWN("\"github.com\":https");
	CHECK(find_line("wiretop") == 0);
	CHECK(find_line("10/10 shown") == 19);
	struct col_layout lay;
	columns_layout(fx.ui.widths, 60, &lay);
	CHECK(lay.n >= 3);
	CHECK(lay.x[lay.n - 1] + lay.w[lay.n - 1] <= 60);
	/* 80 columns: what the connection is and how busy, before where
	 * from locally and its state */
	resize_term(24, 80);
	key(&fx.ui, FN(KEY_RESIZE));
	char h[256];
	line_text(1, h, sizeof h);
	static const char *const kept[] = { "Remote Address", "Process", "DPI", "Rx", "Tx" };
	for (size_t i = 0; i < ARRAY_LEN(kept); i++)
		if (!strstr(h, kept[i]))
			check_fail(__FILE__, __LINE__, "80 columns: header lacks %s: %s", kept[i], h);
	CHECK(strstr(h, "Local Address") == NULL);
	CHECK(strstr(h, "State") == NULL);
	resize_term(30, 160);
	key(&fx.ui, FN(KEY_RESIZE));
	CHECK_SHOWN(" Tx");
	CHECK_SHOWN("Local Address");
	fx_close(&fx);
}

/* RTT and retransmissions are columns on a wide screen, dropped first on
 * a narrow one, and RTT sorts: the longest round trip first. */
static void test_rtt_and_retransmit_columns(void)
{
	struct fixture fx;
	CHECK(fx_open(&fx, 30, 220, NULL));
	CHECK_SHOWN(" RTT ");
	CHECK_SHOWN(" Retr ");
	CHECK_SHOWN("44.0 ms"); /* github.com's, from port 51514 */
	int col = column_of("rtt_ms");
	CHECK(col != COL_NONE);
	model_set_sort(&fx.ui.model, col, true);
	ui_draw(&fx.ui);
	CHECK_SHOWN("sort: RTT");
	int ssh = find_line("OpenSSH_9.2p1"), http = find_line("neverssl.com"),
	    gh = find_line("\"github.com\":https");
	CHECK(ssh >= 0 && http > ssh && gh > http); /* 70, 51, 44 ms */
	resize_term(30, 120);
	key(&fx.ui, FN(KEY_RESIZE));
	CHECK_NOT_SHOWN(" Retr ");
	fx_close(&fx);
}

static void test_quit_needs_two_q(void)
{
	struct fixture fx;
	CHECK(fx_open(&fx, 30, 120, NULL));
	CHECK(!(key(&fx.ui, 'q') & UI_QUIT));
	CHECK_SHOWN("Press q again");
	CHECK(!(key(&fx.ui, 'j') & UI_QUIT)); /* another key disarms */
	CHECK_INT(fx.ui.model.sel, 1);
	CHECK(!(key(&fx.ui, 'q') & UI_QUIT));
	CHECK(key(&fx.ui, 'q') & UI_QUIT);
	CHECK(key(&fx.ui, UI_CTRL('c')) & UI_QUIT);
	key(&fx.ui, '/');
	CHECK(!(key(&fx.ui, 'q') & UI_QUIT)); /* typed into the filter */
	CHECK_INT(fx.ui.filter.len, 1);
	CHECK(key(&fx.ui, UI_CTRL('c')) & UI_QUIT);
	fx_close(&fx);
}

static void test_column_width_keys(void)
{
	struct fixture fx;
	CHECK(fx_open(&fx, 30, 160, NULL));
	int w = fx.ui.widths[column_of("remote")];
	key(&fx.ui, '>');
	CHECK_INT(fx.ui.widths[column_of("remote")], w + 2);
	for (int i = 0; i < 100; i++)
		ui_key(&fx.ui, '<');
	CHECK_INT(fx.ui.widths[column_of("remote")], column_at(column_of("remote"))->column.min_width);
	key(&fx.ui, 's');
	CHECK_INT(fx.ui.model.sort_col, column_of("proto"));
	key(&fx.ui, '>');
	CHECK_INT(fx.ui.widths[column_of("proto")], column_at(column_of("proto"))->column.width + 2);
	key(&fx.ui, '=');
	CHECK_INT(fx.ui.widths[column_of("remote")], column_at(column_of("remote"))->column.width);
	fx_close(&fx);
}

static void test_copy_writes_osc52(void)
{
	struct fixture fx;
	CHECK(fx_open(&fx, 30, 160, NULL));
	unsetenv("DISPLAY");
	unsetenv("WAYLAND_DISPLAY");
	FILE *t = tmpfile();
	fx.ui.term = t;
	keys(&fx.ui, "/sni:github\r");
	key(&fx.ui, 'c');
	char b[128] = "";
	rewind(t);
	size_t n = fread(b, 1, sizeof b - 1, t);
	b[n] = '\0';
	CHECK_STR(b, "\033]52;c;MTQwLjgyLjExMi4zOjQ0Mw==\a"); /* 140.82.112.3:443 */
	CHECK_SHOWN("Copied 140.82.112.3:443");
	fclose(t);
	fx_close(&fx);
}

static void test_paging_keys(void)
{
	struct fixture fx;
	CHECK(fx_open(&fx, 30, 160, NULL));
	fx.fs.extra = 50;
	ui_refresh(&fx.ui);
	CHECK_INT(model_total(&fx.ui.model), 60);
	int page = ui_page(&fx.ui);
	CHECK(page > 10);
	key(&fx.ui, FN(KEY_NPAGE)); /* a whole page: the row below the last shown */
	CHECK_INT(fx.ui.model.sel, page);
	CHECK_INT(fx.ui.model.top, 1);
	key(&fx.ui, FN(KEY_PPAGE));
	CHECK_INT(fx.ui.model.sel, 0);
	key(&fx.ui, 'G');
	CHECK_INT(fx.ui.model.sel, 59);
	CHECK(fx.ui.model.top > 0); /* scrolled to keep it visible */
	key(&fx.ui, 'k');
	CHECK_INT(fx.ui.model.sel, 58);
	key(&fx.ui, 'g');
	CHECK_INT(fx.ui.model.sel, 0);
	CHECK_INT(fx.ui.model.top, 0);
	fx_close(&fx);
}

/* A mouse press as the terminal reports it: queued in curses, then read
 * by the KEY_MOUSE handler. */
static int mouse(struct ui *ui, int y, int x, mmask_t buttons)
{
	MEVENT ev = { .id = 0, .x = x, .y = y, .bstate = buttons };
	if (ungetmouse(&ev) != OK)
		return -1;
	return key(ui, FN(KEY_MOUSE));
}

/* Column of the first place line y shows needle, or -1. */
static int find_x(int y, const char *needle)
{
	char b[1024];
	line_text(y, b, sizeof b);
	const char *p = strstr(b, needle);
	return p ? (int)(p - b) : -1;
}

static void test_mouse(void)
{
	struct fixture fx;
	CHECK(fx_open(&fx, 30, 160, NULL));
	ui_mouse_on();
	struct ui *ui = &fx.ui;
	int y = first_row_line();
	/* a row: selected; again: its Details */
	CHECK(mouse(ui, y + 2, 5, BUTTON1_PRESSED) & UI_REDRAW);
	CHECK_INT(ui->model.sel, 2);
	CHECK_INT(ui->view, VIEW_OVERVIEW);
	uint64_t id = model_selected(&ui->model)->id;
	mouse(ui, y + 2, 40, BUTTON1_PRESSED);
	CHECK_INT(ui->view, VIEW_DETAILS);
	CHECK_INT(ui->detail.id, id);
	/* a view name in the title bar */
	mouse(ui, 0, find_x(0, " Health ") + 2, BUTTON1_PRESSED);
	CHECK_INT(ui->view, VIEW_HEALTH);
	mouse(ui, 0, find_x(0, " Help ") + 1, BUTTON1_PRESSED);
	CHECK_INT(ui->view, VIEW_HELP);
	mouse(ui, 0, find_x(0, " Overview ") + 8, BUTTON1_PRESSED);
	CHECK_INT(ui->view, VIEW_OVERVIEW);
	mouse(ui, 0, 2, BUTTON1_PRESSED); /* the program's name: nothing */
	CHECK_INT(ui->view, VIEW_OVERVIEW);
	/* a column header sorts by it, biggest first; again: the other way */
	int bytes = find_x(1, "Bytes");
	CHECK(bytes > 0);
	mouse(ui, 1, bytes + 1, BUTTON1_PRESSED);
	CHECK_INT(ui->model.sort_col, column_of("bytes"));
	CHECK(ui->model.sort_desc);
	char b[512];
	line_text(y, b, sizeof b);
	CHECK(strstr(b, "www.google.com") != NULL); /* 3.02M, the most */
	mouse(ui, 1, bytes + 1, BUTTON1_PRESSED);
	CHECK(!ui->model.sort_desc);
	line_text(y, b, sizeof b);
	CHECK(strstr(b, "10.1.2.3") != NULL); /* 60B, the least */
	/* the wheel: a few rows a notch, either way */
	key(ui, 'g');
	mouse(ui, 10, 10, BUTTON5_PRESSED);
	CHECK_INT(ui->model.sel, 3);
	mouse(ui, 10, 10, BUTTON5_PRESSED);
	mouse(ui, 10, 10, BUTTON4_PRESSED);
	CHECK_INT(ui->model.sel, 3);
	/* below the last row, and the bars: nothing moves */
	mouse(ui, y + FAKE_COUNT + 3, 5, BUTTON1_PRESSED);
	mouse(ui, LINES - 1, 5, BUTTON1_PRESSED);
	CHECK_INT(ui->model.sel, 3);
	CHECK_INT(ui->view, VIEW_OVERVIEW);
	/* a click while typing a filter keeps the filter and acts */
	keys(ui, "/ssh");
	CHECK(ui->filter.editing);
	CHECK_INT(ui->model.n, 1);
	mouse(ui, y, 5, BUTTON1_PRESSED);
	CHECK(!ui->filter.editing);
	CHECK_STR(ui->filter.text, "ssh");
	CHECK_INT(ui->model.sel, 0);
	fx_close(&fx);
}

/* Grouped, a click selects a group's line, a second opens it (as Enter
 * does), and one on its connection twice shows that connection's Details;
 * the header there names no column to sort by. */
static void test_mouse_grouped(void)
{
	struct fixture fx;
	CHECK(fx_open(&fx, 30, 120, NULL));
	ui_mouse_on();
	struct ui *ui = &fx.ui;
	key(ui, 'a');
	int y = find_line("firefox (4242)");
	CHECK(y > 1);
	mouse(ui, y, 10, BUTTON1_PRESSED);
	CHECK_STR(ui->group.g[ui->group.line[ui->group.sel].group].name, "firefox (4242)");
	CHECK_NOT_SHOWN("github.com");
	mouse(ui, y, 10, BUTTON1_PRESSED);
	CHECK_SHOWN("github.com");
	int c = find_line("github.com");
	mouse(ui, c, 30, BUTTON1_PRESSED);
	CHECK_INT(ui->view, VIEW_OVERVIEW);
	mouse(ui, c, 30, BUTTON1_PRESSED);
	CHECK_INT(ui->view, VIEW_DETAILS);
	CHECK_STR(ui->detail.proc.name, "firefox");
	CHECK_SHOWN("github.com");
	key(ui, 27);
	int sort = ui->model.sort_col;
	mouse(ui, 1, 5, BUTTON1_PRESSED);
	CHECK_INT(ui->model.sort_col, sort);
	fx_close(&fx);
}

static double row_rate(const struct conn_row *r) { return r->src_rate + r->dst_rate; }
static double row_bytes(const struct conn_row *r) { return (double)(r->src_bytes + r->dst_bytes); }

/* The rows shown, in order, go by by() biggest first (dir 1) or smallest
 * first (dir -1). */
static bool ordered_by(const struct model *m, double (*by)(const struct conn_row *), int dir)
{
	for (uint32_t i = 1; i < m->n; i++)
		if (dir * (by(model_row(m, i - 1)) - by(model_row(m, i))) < 0)
			return false;
	return m->n > 2;
}

/* b: by the rate both ways, a field no column shows; t: by the bytes
 * both ways, the Bytes column's. Each biggest first, S reverses. */
static void test_sort_by_rate_and_bytes(void)
{
	struct fixture fx;
	CHECK(fx_open(&fx, 30, 160, NULL));
	fx.fs.extra = 40; /* rates and byte counts in different orders */
	ui_refresh(&fx.ui);
	struct model *m = &fx.ui.model;
	key(&fx.ui, 'b');
	CHECK(ordered_by(m, row_rate, 1));
	CHECK(!ordered_by(m, row_bytes, 1));
	CHECK_INT(m->sort_col, COL_NONE);
	CHECK_SHOWN("sort: Ratev");
	CHECK_NOT_SHOWN("Bytesv"); /* no column marked */
	CHECK_NOT_SHOWN("Rxv");
	CHECK_NOT_SHOWN("Txv");
	key(&fx.ui, 'S');
	CHECK(ordered_by(m, row_rate, -1));
	CHECK_SHOWN("sort: Rate^");
	key(&fx.ui, 't');
	CHECK(ordered_by(m, row_bytes, 1));
	CHECK(!ordered_by(m, row_rate, 1));
	CHECK_INT(m->sort_col, column_of("bytes"));
	CHECK_SHOWN("sort: Bytesv");
	CHECK_SHOWN("Bytesv");
	key(&fx.ui, 'S');
	CHECK(ordered_by(m, row_bytes, -1));
	fx_close(&fx);
}

/* Space freezes the view: a refresh while paused keeps the rows shown,
 * and the status bar says so; Space again takes the next snapshot. */
static void test_pause_keeps_the_view(void)
{
	struct fixture fx;
	CHECK(fx_open(&fx, 30, 160, NULL));
	fx.fs.extra = 50;
	ui_refresh(&fx.ui);
	CHECK_INT(model_total(&fx.ui.model), 60);
	key(&fx.ui, ' ');
	CHECK_SHOWN("PAUSED");
	fx.fs.extra = 70;
	ui_refresh(&fx.ui);
	ui_draw(&fx.ui);
	CHECK_INT(model_total(&fx.ui.model), 60);
	CHECK_SHOWN("PAUSED");
	key(&fx.ui, ' ');
	CHECK_SHOWN("Resumed");
	CHECK_NOT_SHOWN("PAUSED");
	ui_refresh(&fx.ui);
	CHECK_INT(model_total(&fx.ui.model), 80);
	fx_close(&fx);
}

static void test_packet_rate_from_deltas(void)
{
	struct fixture fx;
	CHECK(fx_open(&fx, 30, 160, NULL));
	struct snapshot *s = fake_snapshot(FAKE_NOW);
	s->packets = 1000;
	ui_set_snapshot(&fx.ui, s);
	s = fake_snapshot(FAKE_NOW + 2 * FAKE_SEC);
	s->packets = 3000;
	s->kernel_drops = 7;
	ui_set_snapshot(&fx.ui, s);
	ui_draw(&fx.ui);
	CHECK_SHOWN("1.00k pkt/s");
	CHECK_SHOWN("drops 7 kernel, 0 internal");
	fx_close(&fx);
}

/* Packets and bytes per second cover the refresh interval, and drop to
 * zero once the newest packet is older than the interval, even when the
 * counters moved (packets of the past read late). */
static void test_rates_fall_to_zero_when_the_link_is_silent(void)
{
	struct fixture fx;
	CHECK(fx_open(&fx, 30, 160, NULL));
	struct snapshot *s = fake_snapshot(FAKE_NOW);
	s->packets = 1000;
	s->bytes = 100000;
	s->last_packet_us = FAKE_NOW;
	ui_set_snapshot(&fx.ui, s);
	s = fake_snapshot(FAKE_NOW + FAKE_SEC);
	s->packets = 1500;
	s->bytes = 150000;
	s->last_packet_us = FAKE_NOW + FAKE_SEC - 1000;
	ui_set_snapshot(&fx.ui, s);
	ui_draw(&fx.ui);
	CHECK_SHOWN("500 pkt/s 50.0k/s");
	s = fake_snapshot(FAKE_NOW + 2 * FAKE_SEC);
	s->packets = 1510; /* read during this interval, sent before it */
	s->bytes = 151000;
	s->last_packet_us = FAKE_NOW + FAKE_SEC - 500;
	ui_set_snapshot(&fx.ui, s);
	ui_draw(&fx.ui);
	CHECK_SHOWN("| 0 pkt/s - |");
	fx_close(&fx);
}

static void test_status_bar_says_the_link_is_down(void)
{
	struct fixture fx;
	CHECK(fx_open(&fx, 30, 200, NULL));
	CHECK_NOT_SHOWN("link down");
	fx.fs.link = "link down";
	ui_refresh(&fx.ui);
	ui_draw(&fx.ui);
	CHECK_SHOWN("| link down |");
	CHECK_SHOWN("github.com"); /* the table stays */
	fx_close(&fx);
}

/* Screen line y without its trailing blanks. */
static void line_trimmed(int y, char *b, int cap)
{
	line_text(y, b, cap);
	size_t n = strlen(b);
	while (n && b[n - 1] == ' ')
		b[--n] = '\0';
}

/* A capture that ended on an error says so, and what to do, for as long
 * as it runs: in the status bar when it fits there, else whole on lines
 * of its own above it, the bar keeping its counts. */
static void test_status_bar_says_the_capture_stopped(void)
{
	struct fixture fx;
	CHECK(fx_open(&fx, 30, 80, NULL));
	CHECK_NOT_SHOWN("stopped");
	int page = ui_page(&fx.ui);
	fx.fs.stopped = "eth0: recvfrom: Network is down";
	ui_refresh(&fx.ui);
	ui_draw(&fx.ui);
	CHECK_INT(fx.ui.status_lines, 3);
	char l[256];
	line_trimmed(27, l, sizeof l); /* wrapped at a space */
	CHECK_STR(l, " capture stopped: eth0: recvfrom: Network is down; restart wiretop (--doctor");
	line_trimmed(28, l, sizeof l);
	CHECK_STR(l, " checks why)");
	char bar[256];
	line_text(29, bar, sizeof bar);
	CHECK(strstr(bar, "10/10 shown | ") != NULL);
	CHECK(strstr(bar, "| drops 0 kernel, 0 internal") != NULL);
	CHECK(strstr(bar, "stopped") == NULL);
	CHECK_SHOWN(" Enter Details"); /* the hint line, above the failure */
	CHECK_INT(find_line(" Enter Details"), 26);
	CHECK_INT(ui_page(&fx.ui), page - 2); /* the table gave up the lines */
	CHECK_INT(find_line("wiretop"), 0);
	fx_close(&fx);
	CHECK(fx_open(&fx, 30, 200, NULL));
	fx.fs.offline_done = true;
	fx.fs.stopped = "unit.pcap: truncated packet";
	ui_refresh(&fx.ui);
	ui_draw(&fx.ui);
	CHECK_SHOWN("| read stopped: unit.pcap: truncated packet; the rows before it are shown |");
	CHECK_SHOWN("github.com"); /* the rows read stay */
	fx_close(&fx);
}

/* Where the side panel goes: the right of the screen while the views keep
 * PANEL_BODY_MIN columns, else the whole body. */
static void test_panel_place(void)
{
	struct panel_place p = panel_place(false, 160);
	CHECK_INT(p.w, 0);
	CHECK_INT(p.body_w, 160);
	p = panel_place(true, 160);
	CHECK_INT(p.x, 160 - PANEL_W);
	CHECK_INT(p.w, PANEL_W);
	CHECK_INT(p.body_w, 160 - PANEL_W);
	p = panel_place(true, PANEL_BODY_MIN + PANEL_W);
	CHECK_INT(p.body_w, PANEL_BODY_MIN);
	p = panel_place(true, PANEL_BODY_MIN + PANEL_W - 1);
	CHECK_INT(p.x, 0);
	CHECK_INT(p.w, PANEL_BODY_MIN + PANEL_W - 1);
	CHECK_INT(p.body_w, 0);
	p = panel_place(true, 80);
	CHECK_INT(p.w, 80);
	CHECK_INT(p.body_w, 0);
}

#define SECURITY "uid 65534, caps none, seccomp (97 rules, kill), landlock v4"
#define ATTR "procfs: partial, 3/9 processes (6 hidden), 1 netns"

/* A wide status bar has every part; at 160 columns the privileges (the
 * least needed) are cut to fit, at 110 they go and attribution is cut; at
 * 80 attribution goes too, and the counts stay. */
static void test_status_bar_keeps_counts_when_narrow(void)
{
	struct fixture fx;
	CHECK(fx_open(&fx, 30, 240, NULL));
	fx.fs.security = SECURITY;
	ui_refresh(&fx.ui);
	ui_draw(&fx.ui);
	char bar[512];
	line_trimmed(29, bar, sizeof bar);
	CHECK_STR(bar, " test0 | unit.pcap | attr: " ATTR " | 10/10 shown | 0 pkt/s - "
		       "| drops 0 kernel, 0 internal | " SECURITY);
	resize_term(30, 160); /* the privileges cut to fit */
	key(&fx.ui, FN(KEY_RESIZE));
	line_trimmed(29, bar, sizeof bar);
	CHECK_STR(bar, " test0 | unit.pcap | attr: " ATTR " | 10/10 shown | 0 pkt/s - "
		       "| drops 0 kernel, 0 internal | uid 65534, caps none, s~");
	CHECK_INT((int)strlen(bar), 159); /* and the bar's closing blank */
	resize_term(30, 110); /* the privileges too short cut: gone; attribution cut */
	key(&fx.ui, FN(KEY_RESIZE));
	line_trimmed(29, bar, sizeof bar);
	CHECK_STR(bar, " test0 | unit.pcap | attr: procfs: partial, 3/9 proce~ | 10/10 shown "
		       "| 0 pkt/s - | drops 0 kernel, 0 internal");
	resize_term(24, 80);
	key(&fx.ui, FN(KEY_RESIZE));
	line_trimmed(23, bar, sizeof bar);
	CHECK_STR(bar, " test0 | unit.pcap | 10/10 shown | 0 pkt/s - | drops 0 kernel, 0 internal");
	fx.fs.link = "link down";
	ui_refresh(&fx.ui);
	ui_draw(&fx.ui);
	line_trimmed(23, bar, sizeof bar);
	CHECK_STR(bar, " test0 | link down | 10/10 shown | 0 pkt/s - | drops 0 kernel, 0 internal");
	fx_close(&fx);
}

/* i opens the side panel on the right of a wide screen: the overview's
 * columns lay out in what is left, the panel has what the status bar
 * dropped; i closes it. */
static void test_side_panel_wide(void)
{
	struct fixture fx;
	CHECK(fx_open(&fx, 40, 160, NULL));
	fx.fs.security = SECURITY;
	fx.fs.guess = true;
	ui_refresh(&fx.ui);
	ui_draw(&fx.ui);
	CHECK_NOT_SHOWN("Privileges");
	CHECK_SHOWN("Local Address");
	keys(&fx.ui, "i");
	int px = 160 - PANEL_W;
	CHECK_INT(fx.ui.body_cols, px);
	CHECK_INT(find_x(find_line("Interface"), "Interface"), px + 3);
	CHECK_SHOWN("Interface    test0");
	CHECK_SHOWN("Link         up");
	CHECK_SHOWN("Source       unit.pcap");
	CHECK_SHOWN("Drops        0 kernel, 0 internal");
	CHECK_SHOWN("Owners       8 of 10 connections,");
	CHECK_SHOWN("1 a guess");
	CHECK_SHOWN("Method       procfs: partial, 3/9"); /* wrapped in the panel */
	CHECK_SHOWN("Privileges   uid 65534, caps none,");
	/* wrapped at a word's end: the next word starts the next line */
	CHECK_INT(find_x(find_line("seccomp (97 rules,"), "seccomp"), px + 16);
	/* the overview: the columns of a 122-column screen, none under the panel */
	struct col_layout lay;
	columns_layout(fx.ui.widths, px, &lay);
	CHECK(lay.x[lay.n - 1] + lay.w[lay.n - 1] <= px);
	char h[512];
	line_text(1, h, sizeof h);
	for (int i = 0; i < lay.n; i++) {
		const char *t = column_at(lay.id[i])->column.title;
		const char *at = strstr(h, t);
		if (!at || at - h >= px)
			check_fail(__FILE__, __LINE__, "header lacks %s left of the panel: %s", t, h);
	}
	CHECK(strstr(h, "Local Address") == NULL); /* dropped, as on a 122-column screen */
	CHECK_SHOWN("\"github.com\":https");
	/* the status bar stays as it was */
	CHECK_SHOWN(" test0 | unit.pcap | attr: ");
	/* a click on the panel does nothing to the table */
	ui_mouse_on();
	uint32_t sel = fx.ui.model.sel;
	mouse(&fx.ui, 4, px + 5, BUTTON1_PRESSED);
	CHECK_INT(fx.ui.model.sel, sel);
	keys(&fx.ui, "i");
	CHECK_INT(fx.ui.body_cols, 160);
	CHECK_NOT_SHOWN("Privileges");
	CHECK_SHOWN("Local Address");
	fx_close(&fx);
}

/* At 80 columns the panel takes the whole body until i or Esc closes it;
 * the status bar keeps its counts below it. */
static void test_side_panel_narrow(void)
{
	struct fixture fx;
	CHECK(fx_open(&fx, 24, 80, NULL));
	fx.fs.security = SECURITY;
	ui_refresh(&fx.ui);
	ui_draw(&fx.ui);
	CHECK_SHOWN("Remote Address");
	keys(&fx.ui, "i");
	CHECK_INT(fx.ui.body_cols, 0);
	CHECK_NOT_SHOWN("Remote Address");
	CHECK_NOT_SHOWN("github.com");
	CHECK_INT(find_x(find_line("Interface"), "Interface"), 2);
	CHECK_SHOWN("Method       " ATTR);
	CHECK_SHOWN("Privileges   " SECURITY);
	CHECK_SHOWN("Owners       8 of 10 connections");
	CHECK_NOT_SHOWN("a guess");
	CHECK_INT(find_line("10/10 shown | "), 23);
	/* the hidden view's keys wait: no move, no sort, no view change */
	uint32_t sel = fx.ui.model.sel;
	key(&fx.ui, FN(KEY_DOWN));
	keys(&fx.ui, "jGsH\t");
	CHECK_INT(fx.ui.model.sel, sel);
	CHECK_INT(fx.ui.view, VIEW_OVERVIEW);
	CHECK(fx.ui.panel);
	CHECK_SHOWN("Privileges   " SECURITY);
	key(&fx.ui, 27);
	CHECK(!fx.ui.panel);
	CHECK_SHOWN("Remote Address");
	CHECK_NOT_SHOWN("Privileges");
	keys(&fx.ui, "i");
	CHECK_SHOWN("Privileges");
	keys(&fx.ui, "i");
	CHECK_SHOWN("Remote Address");
	/* wider: the same panel at the side */
	keys(&fx.ui, "i");
	resize_term(24, 160);
	key(&fx.ui, FN(KEY_RESIZE));
	CHECK_SHOWN("Remote Address");
	CHECK_SHOWN("Privileges");
	key(&fx.ui, 27); /* beside the view: Esc is the view's again */
	CHECK(fx.ui.panel);
	fx_close(&fx);
}

/* x asks the source to keep closed connections listed, and again to let
 * them go; the title bar says so. Reading a file, it only says they stay. */
static void test_history_key(void)
{
	struct fixture fx;
	CHECK(fx_open(&fx, 30, 200, NULL));
	CHECK_NOT_SHOWN("history  sort:");
	key(&fx.ui, 'x');
	CHECK(fx.fs.keep_calls == 1 && fx.fs.keep);
	CHECK_SHOWN("history  sort:");
	CHECK_SHOWN("closed connections stay listed");
	key(&fx.ui, 'x');
	CHECK(fx.fs.keep_calls == 2 && !fx.fs.keep);
	CHECK_NOT_SHOWN("history  sort:");
	fx_close(&fx);
	CHECK(fx_open(&fx, 30, 200, NULL));
	fx.fs.offline_done = true;
	ui_refresh(&fx.ui);
	key(&fx.ui, 'x');
	CHECK(fx.fs.keep_calls == 0);
	CHECK_SHOWN("Reading a file: every closed connection stays listed");
	fx_close(&fx);
}

/* "N/M shown": M is what the engine holds, so rows it has not listed yet
 * count as not shown even without a filter. */
static void test_shown_counts_what_the_engine_holds(void)
{
	struct fixture fx;
	CHECK(fx_open(&fx, 30, 160, NULL));
	struct snapshot *s = fake_snapshot(FAKE_NOW);
	s->flows_total = 25;
	ui_set_snapshot(&fx.ui, s);
	ui_draw(&fx.ui);
	CHECK_SHOWN("10/25 shown");
	fx_close(&fx);
}

/* A refresh that got older rows than it asked for (the workers were busy)
 * shows them, counting the rest, and takes the rows it asked for as soon
 * as they are in, without asking anew. */
static void test_late_rows_are_taken_once_in(void)
{
	struct fixture fx;
	CHECK(fx_open(&fx, 30, 160, NULL));
	fx.src.late = src_late;
	fx.src.latest = src_latest;
	fx.fs.making = 15;
	ui_refresh(&fx.ui);
	ui_draw(&fx.ui);
	CHECK_SHOWN("10/25 shown");
	CHECK(!ui_catch_up(&fx.ui)); /* still being made */
	CHECK_INT(fx.fs.latest_calls, 0);
	unsigned asked = fx.fs.snapshots;
	fx.fs.making = 0;
	fx.fs.extra = 15;
	CHECK(ui_catch_up(&fx.ui));
	ui_draw(&fx.ui);
	CHECK_SHOWN("25/25 shown");
	CHECK_INT(fx.fs.snapshots, asked);
	CHECK_INT(fx.fs.latest_calls, 1);
	CHECK(!ui_catch_up(&fx.ui)); /* once: nothing is late any more */
	ui_refresh(&fx.ui);          /* an answer in time needs no catching up */
	CHECK(!ui_catch_up(&fx.ui));
	CHECK_INT(fx.fs.latest_calls, 1);
	fx_close(&fx);
}

static void test_offline_finished_stops_polling(void)
{
	struct fixture fx;
	CHECK(fx_open(&fx, 30, 160, NULL));
	fx.fs.offline_done = true;
	unsigned before = fx.fs.snapshots;
	ui_refresh(&fx.ui);
	ui_refresh(&fx.ui);
	ui_refresh(&fx.ui);
	CHECK_INT(fx.fs.snapshots, before + 1);
	ui_draw(&fx.ui);
	CHECK_SHOWN("unit.pcap (done)");
	fx_close(&fx);
}

static void test_initial_filter(void)
{
	struct fixture fx;
	struct tui_opts o = { .filter = "proto:udp", .no_color = true };
	CHECK(fx_open(&fx, 30, 160, &o));
	CHECK_INT(fx.ui.model.n, 2);
	CHECK_SHOWN("filter: proto:udp");
	fx_close(&fx);
	/* a bad first filter shows as one being typed: marked, nothing hidden */
	o.filter = "port:";
	CHECK(fx_open(&fx, 30, 160, &o));
	CHECK(fx.ui.filter.bad);
	CHECK_INT(fx.ui.filter.err.pos, 5);
	CHECK_INT(fx.ui.model.n, FAKE_COUNT);
	fx_close(&fx);
	/* one longer than the filter line is refused, not cut */
	char *longf = malloc(QUERY_MAX_LEN + 2);
	memset(longf, 'a', QUERY_MAX_LEN + 1);
	longf[QUERY_MAX_LEN + 1] = '\0';
	o.filter = longf;
	struct wt_err err = { 0 };
	CHECK(tui_run(&o, NULL, &err) == -1);
	CHECK(strstr(err.msg, "--filter: filter longer than") != NULL);
	free(longf);
	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
		o.filter = NULL;
		CHECK(tui_run(&o, NULL, &err) == -1);
		CHECK(strstr(err.msg, "needs a terminal") != NULL);
	}
}

int main(int argc, char **argv)
{
	if (argc > 1 && strcmp(argv[1], "--demo") == 0) /* for tests/tui/ui_tmux.sh */
		return tui_demo_main(argc - 1, argv + 1);
	RUN(test_overview_lists_connections);
	RUN(test_long_names_keep_their_port);
	RUN(test_remote_names_resolved_or_claimed);
	RUN(test_ports_toggle);
	RUN(test_filter_narrows_as_typed);
	RUN(test_filter_arrows_move_while_typing);
	RUN(test_filter_error_keeps_last_results);
	RUN(test_filter_line_refuses_overflow);
	RUN(test_details_show_dpi_and_process);
	RUN(test_process_cell_names_both_local_ends);
	RUN(test_details_show_every_field);
	RUN(test_details_match_and_parents);
	RUN(test_details_keep_a_vanished_connection);
	RUN(test_location_column);
	RUN(test_help_lists_keys_and_fields);
	RUN(test_grouping_keys);
	RUN(test_tab_cycles_views);
	RUN(test_health_view_and_jump);
	RUN(test_health_badge_and_worst_first);
	RUN(test_host_view);
	RUN(test_host_view_lists_at_most_once_a_second);
	RUN(test_sort_and_selection_follows_id);
	RUN(test_sort_is_stable_for_ties);
	RUN(test_filter_typed_further_matches_a_rebuild);
	RUN(test_closed_dim_and_expiring_colored);
	RUN(test_themes);
	RUN(test_no_color_env);
	RUN(test_hostile_strings_stay_text);
	RUN(test_small_and_narrow_screens);
	RUN(test_rtt_and_retransmit_columns);
	RUN(test_quit_needs_two_q);
	RUN(test_column_width_keys);
	RUN(test_copy_writes_osc52);
	RUN(test_paging_keys);
	RUN(test_mouse);
	RUN(test_sort_by_rate_and_bytes);
	RUN(test_mouse_grouped);
	RUN(test_pause_keeps_the_view);
	RUN(test_packet_rate_from_deltas);
	RUN(test_rates_fall_to_zero_when_the_link_is_silent);
	RUN(test_status_bar_says_the_link_is_down);
	RUN(test_status_bar_says_the_capture_stopped);
	RUN(test_panel_place);
	RUN(test_status_bar_keeps_counts_when_narrow);
	RUN(test_side_panel_wide);
	RUN(test_side_panel_narrow);
	RUN(test_history_key);
	RUN(test_shown_counts_what_the_engine_holds);
	RUN(test_late_rows_are_taken_once_in);
	RUN(test_offline_finished_stops_polling);
	RUN(test_initial_filter);
	return check_summary("test_tui_render");
}
