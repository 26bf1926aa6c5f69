/* pane.h - a scrolling page of sections and key / value lines (details,
 * help, the side panel). Lines above the scroll position or below the page are counted but
 * not drawn, so the caller learns how long the page is.
 */
#ifndef WT_TUI_PANE_H
#define WT_TUI_PANE_H

#include "tui/ui.h"

struct pane {
	const struct ui *ui;
	int y0, h;        /* screen rows available */
	int scroll;       /* first line shown */
	int n;            /* lines so far */
	int keyw;         /* width of the key column */
	int x0, w;        /* screen columns: the view's (0, body_cols) unless moved */
};

void pane_init(struct pane *p, const struct ui *ui, int y0, int h, int scroll, int keyw);
void pane_section(struct pane *p, const char *title);
/* Long values wrap onto following lines. */
void pane_kv(struct pane *p, const char *key, const char *val);
void pane_kvf(struct pane *p, const char *key, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void pane_text(struct pane *p, const char *text, enum role r);
void pane_blank(struct pane *p);

#endif
