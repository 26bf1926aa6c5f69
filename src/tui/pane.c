/* pane.c - sections and key / value lines with scrolling and wrapping. */
#include "tui/pane.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "tui/format.h"

#define WRAP_MAX_LINES 12

void pane_init(struct pane *p, const struct ui *ui, int y0, int h, int scroll, int keyw)
{
	p->ui = ui;
	p->y0 = y0;
	p->h = h;
	p->scroll = scroll;
	p->n = 0;
	p->keyw = keyw;
	p->x0 = 0;
	p->w = ui->body_cols;
}

/* Screen row of the next line, or -1 when it is scrolled out of view. */
static int next_row(struct pane *p)
{
	int row = p->n++ - p->scroll;
	return row >= 0 && row < p->h ? p->y0 + row : -1;
}

void pane_section(struct pane *p, const char *title)
{
	if (p->n)
		pane_blank(p);
	int y = next_row(p);
	if (y >= 0)
		disp_text(stdscr, y, p->x0 + 1, p->w - 2, title,
			  theme_attr(&p->ui->theme, ROLE_SECTION), p->ui->theme.utf8);
}

void pane_blank(struct pane *p)
{
	next_row(p);
}

void pane_text(struct pane *p, const char *text, enum role r)
{
	int y = next_row(p);
	if (y >= 0)
		disp_text(stdscr, y, p->x0 + 2, p->w - 3, text, theme_attr(&p->ui->theme, r),
			  p->ui->theme.utf8);
}

/* Bytes of s shown on a line of w columns (ASCII in practice: strings are
 * sanitized; UTF-8 sequences are never split): when the rest does not
 * fit, up to the last space or slash in the line's second half, so words
 * and a path's parts stay whole where they can. */
static size_t chunk(const char *s, int w)
{
	size_t i = 0, brk = 0;
	int cols = 0;
	while (s[i] && cols < w) {
		if (cols >= w / 2 && s[i] == ' ')
			brk = i;     /* the space ends the line */
		else if (cols >= w / 2 && s[i] == '/')
			brk = i + 1; /* the slash stays on it */
		i++;
		while ((s[i] & 0xc0) == 0x80)
			i++;
		cols++;
	}
	return !s[i] || s[i] == ' ' || !brk ? i : brk;
}

void pane_kv(struct pane *p, const char *key, const char *val)
{
	const struct theme *t = &p->ui->theme;
	int vx = p->x0 + 2 + p->keyw + 1, vw = p->x0 + p->w - vx - 1;
	if (vw < 8)
		vw = 8;
	for (int line = 0; line < WRAP_MAX_LINES; line++) {
		size_t n = chunk(val, vw);
		int y = next_row(p);
		if (y >= 0) {
			char part[1024];
			snprintf(part, sizeof part, "%.*s", (int)n, val);
			if (line == 0)
				disp_put(stdscr, y, p->x0 + 2, p->keyw, key, theme_attr(t, ROLE_LABEL),
					 DISP_LEFT, t->utf8);
			disp_text(stdscr, y, vx, vw, part, theme_attr(t, ROLE_NORMAL), t->utf8);
		}
		val += n;
		if (*val == ' ') /* where the line broke */
			val++;
		if (!*val)
			break;
	}
}

void pane_kvf(struct pane *p, const char *key, const char *fmt, ...)
{
	char b[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(b, sizeof b, fmt, ap);
	va_end(ap);
	pane_kv(p, key, b);
}
