/* spark.c - a series as rows of text. In braille, each character holds
 * two samples side by side (the left one older) and four dot rows; dots
 * fill from the bottom to a sample's level, the Unicode braille pattern
 * U+2800 plus the bits of the dots raised (dots 1 2 3 7 down the left
 * column, 4 5 6 8 down the right).
 */
#include "tui/spark.h"

#include <math.h>

/* the bits of the left and right dot of each dot row, top to bottom */
static const unsigned char left_dot[4] = { 0x01, 0x02, 0x04, 0x40 };
static const unsigned char right_dot[4] = { 0x08, 0x10, 0x20, 0x80 };

int spark_per_char(bool utf8)
{
	return utf8 ? 2 : 1;
}

/* A sample's height in dot rows out of levels: anything above zero shows
 * at least one, so a trickle is not drawn as silence. */
static int level_of(float v, float max, int levels)
{
	if (!(v > 0) || !(max > 0))
		return 0;
	int l = (int)ceilf(v / max * (float)levels);
	return l < 1 ? 1 : l > levels ? levels : l;
}

/* How many of the four dot rows of text row row (0 the top of rows) a
 * level fills. */
static int dots_in_row(int level, int row, int rows)
{
	int below = (rows - 1 - row) * 4; /* dot rows under this text row */
	int d = level - below;
	return d < 0 ? 0 : d > 4 ? 4 : d;
}

static size_t put_braille(char *out, unsigned bits)
{
	unsigned cp = 0x2800 + bits;
	out[0] = (char)(0xe0 | (cp >> 12));
	out[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
	out[2] = (char)(0x80 | (cp & 0x3f));
	return 3;
}

size_t spark_row(char *out, size_t cap, const struct series *s, float max, int row, int rows, int width,
		 bool utf8)
{
	int per = spark_per_char(utf8), levels = rows * (utf8 ? 4 : 1);
	size_t o = 0;
	if (cap == 0)
		return 0;
	for (int c = 0; c < width && o + 4 <= cap; c++) {
		/* character c (0 left) holds the samples this many refreshes old */
		uint32_t newest = (uint32_t)((width - 1 - c) * per);
		if (!utf8) {
			bool have = newest < s->n;
			int l = level_of(series_at(s, newest), max, levels);
			out[o++] = !have ? ' ' : l > rows - 1 - row ? '#' : (row == rows - 1 ? '_' : ' ');
			continue;
		}
		unsigned bits = 0;
		for (int side = 0; side < 2; side++) {
			uint32_t age = newest + (side == 0 ? 1 : 0); /* the left one is older */
			if (age >= s->n)
				continue;
			int d = dots_in_row(level_of(series_at(s, age), max, levels), row, rows);
			for (int k = 0; k < d; k++)
				bits |= side == 0 ? left_dot[3 - k] : right_dot[3 - k];
		}
		if (newest >= s->n) {
			out[o++] = ' '; /* before the first sample */
			continue;
		}
		o += put_braille(out + o, bits);
	}
	out[o] = '\0';
	return o;
}
