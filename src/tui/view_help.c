/* view_help.c - every key (from the bindings in keys.c) and every filter
 * keyword (from the fields table), with the syntax and examples.
 */
#include "tui/ui.h"

#include <stdio.h>
#include <string.h>

#include "base/macros.h"
#include "tui/pane.h"

#define KEY_W 24

static const struct {
	const char *keys, *help;
} filter_keys[] = {
	{ "type", "narrows the list at every key press" },
	{ "Up/Down PgUp/PgDn", "move through the results while typing" },
	{ "Enter", "keep the filter and leave the line" },
	{ "Esc", "clear the filter" },
	{ "Backspace Ctrl+W", "delete a character / a word" },
	{ "Ctrl+U", "delete the whole line" },
};

static const struct {
	const char *form, *meaning;
} syntax[] = {
	{ "word", "any field contains word (case-insensitive): address, port, SNI, host, "
		  "DNS, SSH, ALPN, app, state, process" },
	{ "key:value", "that field contains value (port:44 matches 443 and 8443)" },
	{ "key=value", "exact text or equal number; key!=value the opposite" },
	{ "key>N key<=N", "compare: > >= < <= with k M G T (x1000), Ki Mi Gi, and "
			  "us ms s m h d for times" },
	{ "a b  /  a and b", "both" },
	{ "a or b", "either; and binds tighter than or" },
	{ "!a  /  not a", "negation" },
	{ "( ... )", "grouping" },
	{ "\"a b\"", "quotes keep spaces and keywords literal" },
	{ "dst:10.0.0.0/8", "CIDR prefix on src: and dst: (src:fd00::/64)" },
};

static const char *const examples[] = {
	"sport:80 process:nginx",   "dport:443 sni:google.com",
	"proto:tcp state:established", "process:firefox state:quic_connected",
	"dport:22 ssh:openssh",      "!port:53 (app:https or app:quic)",
	"bytes>1M rate>100k",        "dst:10.0.0.0/8 age<10s",
};

static void keys_section(struct pane *p)
{
	const char *keys, *help;
	pane_section(p, "Keys");
	for (size_t i = 0; keys_help_at(i, &keys, &help); i++)
		pane_kv(p, keys, help);
	pane_section(p, "While typing a filter (/)");
	for (size_t i = 0; i < ARRAY_LEN(filter_keys); i++)
		pane_kv(p, filter_keys[i].keys, filter_keys[i].help);
}

static void filter_section(struct pane *p)
{
	pane_section(p, "Filter syntax");
	for (size_t i = 0; i < ARRAY_LEN(syntax); i++)
		pane_kv(p, syntax[i].form, syntax[i].meaning);
	pane_section(p, "Filter keywords (src/sport: local end, dst/dport: remote end)");
	struct field_keyword kw;
	for (size_t i = 0; field_keyword_at(i, &kw); i++) {
		char k[FIELD_KW_MAX + 4], help[256];
		field_keyword_help(&kw, help, sizeof help);
		const struct field *f = field_at(kw.field[0]);
		bool compares = field_is_numeric(f, kw.port[0]) && !field_is_digits(f, kw.port[0]);
		snprintf(k, sizeof k, "%s%s", kw.word, compares ? "<>=" : ":");
		pane_kv(p, k, help);
	}
	pane_section(p, "Examples");
	for (size_t i = 0; i < ARRAY_LEN(examples); i++)
		pane_text(p, examples[i], ROLE_FILTER);
}

static void columns_section(struct pane *p)
{
	pane_section(p, "Columns (s sorts by the field named)");
	const struct field *f;
	for (int i = 0; (f = column_at(i)) != NULL; i++) {
		const char *kw = f->keywords, *sp = strchr(kw, ' ');
		pane_kvf(p, f->column.title, "%.*s: %s", sp ? (int)(sp - kw) : (int)strlen(kw), kw,
			 f->help);
	}
}

/* What the colours say, each drawn in its own. */
static const struct {
	enum role role;
	const char *what, *meaning;
} legend[] = {
	{ ROLE_EXPIRING, "expiring", "idle: about to be retired" },
	{ ROLE_CLOSED, "closed", "ended: shown a while before it goes" },
	{ ROLE_STATUS_WARN, "warning", "in the status bar: drops, evictions, unparsed frames, "
				       "a link down or gone, PAUSED" },
	{ ROLE_FILTER, "filter", "the filter being typed, and the examples above" },
	{ ROLE_HEADER_SORT, "sort column", "the title of the column rows are sorted by" },
	{ ROLE_ERROR, "error", "a filter that does not parse, and where" },
};

static void colours_section(const struct ui *ui, struct pane *p)
{
	pane_section(p, "Colours");
	pane_kvf(p, "theme", "%s: %s", ui->theme.name, ui->theme.why);
	for (size_t i = 0; i < ARRAY_LEN(legend); i++) {
		char line[160];
		snprintf(line, sizeof line, "%-12s %s", legend[i].what, legend[i].meaning);
		pane_text(p, line, legend[i].role);
	}
}

int view_help_draw(const struct ui *ui, int y0, int h)
{
	struct pane p;
	pane_init(&p, ui, y0, h, ui->help_scroll, KEY_W);
	keys_section(&p);
	filter_section(&p);
	columns_section(&p);
	colours_section(ui, &p);
	return p.n;
}
