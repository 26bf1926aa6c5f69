/* listsel.h - the selection of a list drawn a page at a time: the
 * selected line, clamped to the list, and the first line shown, moved
 * just enough to keep the selection in view. */
#ifndef WT_TUI_LISTSEL_H
#define WT_TUI_LISTSEL_H

#include <stdint.h>

static inline void list_select(uint32_t *sel, uint32_t *top, uint64_t n, int64_t pos, int page)
{
	if (page < 1)
		page = 1;
	if (pos >= (int64_t)n)
		pos = (int64_t)n - 1;
	*sel = pos < 0 ? 0 : (uint32_t)pos;
	if (*sel < *top)
		*top = *sel;
	else if (*sel >= *top + (uint32_t)page)
		*top = *sel - (uint32_t)page + 1;
}

#endif
