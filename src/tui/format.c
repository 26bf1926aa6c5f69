/* format.c - the display helper and number formatting. Strings from the
 * network were sanitized when stored; disp_put still replaces anything a
 * terminal could act on, so no path to the screen can carry an escape.
 */
#include "tui/format.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#define DISP_MAX 512 /* characters kept per call; wider cells are cut anyway */

/* Decodes one character of s; control and invalid bytes become '?'. */
static size_t next_char(const char *s, wchar_t *wc, int *cols)
{
	unsigned char c = (unsigned char)*s;
	if (c >= 0x20 && c < 0x7f) {
		*wc = c;
		*cols = 1;
		return 1;
	}
	mbstate_t st;
	memset(&st, 0, sizeof st);
	size_t n = c < 0x80 ? (size_t)-1 : mbrtowc(wc, s, MB_CUR_MAX, &st);
	int w = n == (size_t)-1 || n == (size_t)-2 || n == 0 ? -1 : wcwidth(*wc);
	if (w < 1) { /* control, invalid, or zero-width: one visible stand-in */
		*wc = L'?';
		*cols = 1;
		return 1;
	}
	*cols = w;
	return n;
}

int disp_width(const char *s)
{
	int total = 0, cols;
	wchar_t wc;
	while (*s) {
		s += next_char(s, &wc, &cols);
		total += cols;
	}
	return total;
}

/* Fits s into w columns: out gets the characters, returns columns used. */
static int fit(const char *s, int w, bool utf8, wchar_t *out, size_t *nout)
{
	int used = 0, cols;
	size_t n = 0;
	wchar_t wc;
	bool cut = disp_width(s) > w;
	int room = cut ? w - 1 : w; /* keep one column for the cut mark */
	while (*s && n + 1 < DISP_MAX) {
		size_t len = next_char(s, &wc, &cols);
		if (used + cols > room)
			break;
		out[n++] = wc;
		used += cols;
		s += len;
	}
	if (cut && w > 0) {
		out[n++] = utf8 ? L'\x2026' : L'~';
		used++;
	}
	out[n] = L'\0';
	*nout = n;
	return used;
}

int disp_text(WINDOW *win, int y, int x, int w, const char *s, attr_t a, bool utf8)
{
	wchar_t buf[DISP_MAX];
	size_t n;
	if (w <= 0 || !s)
		return 0;
	int used = fit(s, w, utf8, buf, &n);
	wattrset(win, a);
	mvwaddnwstr(win, y, x, buf, (int)n);
	return used;
}

int disp_put(WINDOW *win, int y, int x, int w, const char *s, attr_t a,
	     enum disp_align al, bool utf8)
{
	if (w <= 0)
		return 0;
	int tw = disp_width(s ? s : "");
	int pad = tw < w ? w - tw : 0;
	wattrset(win, a);
	if (al == DISP_RIGHT && pad)
		mvwhline(win, y, x, ' ', pad);
	int off = al == DISP_RIGHT ? pad : 0;
	int used = disp_text(win, y, x + off, w - off, s ? s : "", a, utf8);
	if (off + used < w)
		mvwhline(win, y, x + off + used, ' ', w - off - used);
	return w;
}
