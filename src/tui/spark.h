/* spark.h - sparklines as text: a series drawn over rows of a given
 * height, each character covering two samples and four levels a row in
 * Unicode braille (U+2800 + dot bits), or one sample and one level a row
 * in ASCII where the locale cannot show braille. Pure: no curses.
 */
#ifndef WT_TUI_SPARK_H
#define WT_TUI_SPARK_H

#include <stdbool.h>
#include <stddef.h>

#include "tui/history.h"

/* Samples one character stands for. */
int spark_per_char(bool utf8);
/* Row row (0 the top) of rows of the newest width characters' worth of s,
 * oldest left, scaled so max fills the height; written as UTF-8 into out
 * (cap: 3 bytes a character and the terminator), blank where there are no
 * samples yet. Returns the bytes written. */
size_t spark_row(char *out, size_t cap, const struct series *s, float max, int row, int rows, int width,
		 bool utf8);

#endif
