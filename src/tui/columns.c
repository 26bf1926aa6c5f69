/* columns.c - the overview's columns and their layout on narrow screens:
 * columns drop in a fixed order (highest drop rank first) until the rest
 * fits; the flexible column takes whatever width is left.
 */
#include "tui/columns.h"

#include <stdio.h>
#include <string.h>

#include "tui/format.h"

int column_count(void)
{
	int k = 0;
	while (column_at(k))
		k++;
	return k;
}

const struct field *column_at(int i)
{
	size_t n;
	const struct field *f = field_all(&n);
	for (size_t j = 0; j < n && i >= 0; j++)
		if ((f[j].flags & FIELD_COLUMN) && i-- == 0)
			return &f[j];
	return NULL;
}

int column_of(const char *name)
{
	const struct field *f;
	for (int i = 0; (f = column_at(i)) != NULL; i++)
		if (strcmp(f->name, name) == 0)
			return i;
	return COL_NONE;
}

bool column_right(const struct field *f)
{
	return f->type == FIELD_UINT || f->type == FIELD_REAL;
}

void columns_defaults(int widths[COL_MAX])
{
	const struct field *f;
	for (int i = 0; i < COL_MAX; i++)
		widths[i] = (f = column_at(i)) != NULL ? f->column.width : 0;
}

/* Bytes of s that fill at most cols columns, never half a character. */
static size_t cut_at(const char *s, int cols)
{
	size_t i = 0;
	char c[8];
	while (s[i]) {
		size_t n = 1;
		while ((s[i + n] & 0xc0) == 0x80 && n < sizeof c - 1)
			n++;
		memcpy(c, s + i, n);
		c[n] = '\0';
		if ((cols -= disp_width(c)) < 0)
			break;
		i += n;
	}
	return i;
}

/* A long host loses its end, not its port: "api.example…:https". */
static void keep_port(char *b, size_t cap, const struct cell_ctx *c)
{
	const char *colon = strrchr(b, ':');
	if (c->width <= 0 || disp_width(b) <= c->width || !colon)
		return;
	const char *mark = c->utf8 ? "\u2026" : "~";
	size_t tail = strlen(colon), ml = strlen(mark);
	int tail_cols = disp_width(colon);
	if (tail_cols + 2 > c->width)
		return; /* too narrow for this: the display helper cuts it */
	size_t keep = cut_at(b, c->width - tail_cols - 1);
	if (keep + ml + tail + 1 > cap)
		return;
	memmove(b + keep + ml, colon, tail + 1);
	memcpy(b + keep, mark, ml);
}

void column_cell(const struct field *f, const struct conn_row *r, const struct cell_ctx *c,
		 char *buf, size_t cap)
{
	struct field_ctx fc = { .now_us = c->now_us, .numeric_ports = c->numeric_ports,
				.numeric_hosts = c->numeric_hosts, .brief = true, .utf8 = c->utf8 };
	field_text(f, r, &fc, buf, cap);
	if (!buf[0])
		snprintf(buf, cap, "-");
	else if (f->type == FIELD_ADDR && row_has_ports(r))
		keep_port(buf, cap, c);
}

struct cols {
	int n;
	const struct field *f[COL_MAX];
};

static void cols_get(struct cols *c)
{
	c->n = 0;
	while (c->n < COL_MAX && (c->f[c->n] = column_at(c->n)) != NULL)
		c->n++;
}

static int needed(const struct cols *c, const int widths[COL_MAX], const bool on[COL_MAX])
{
	int total = 0, n = 0;
	for (int i = 0; i < c->n; i++) {
		if (!on[i])
			continue;
		total += widths[i];
		n++;
	}
	return total + (n ? n - 1 : 0); /* one space between columns */
}

static int drop_next(const struct cols *c, const bool on[COL_MAX])
{
	int best = -1;
	for (int i = 0; i < c->n; i++)
		if (on[i] && c->f[i]->column.drop > 0 &&
		    (best < 0 || c->f[i]->column.drop > c->f[best]->column.drop))
			best = i;
	return best;
}

void columns_layout(const int widths[COL_MAX], int screen_w, struct col_layout *out)
{
	struct cols c;
	bool on[COL_MAX];
	cols_get(&c);
	for (int i = 0; i < c.n; i++)
		on[i] = true;
	int d;
	while (needed(&c, widths, on) > screen_w && (d = drop_next(&c, on)) >= 0)
		on[d] = false;
	int spare = screen_w - needed(&c, widths, on);
	int x = 0;
	out->n = 0;
	for (int i = 0; i < c.n; i++) {
		if (!on[i])
			continue;
		int w = widths[i] + (c.f[i]->column.flex && spare > 0 ? spare : 0);
		if (x + w > screen_w) /* only the never-dropped column can get here */
			w = screen_w - x;
		if (w <= 0)
			break;
		out->id[out->n] = i;
		out->x[out->n] = x;
		out->w[out->n] = w;
		out->n++;
		x += w + 1;
	}
}
