#include "base/sanitize.h"

static const char hexdig[] = "0123456789abcdef";

size_t sanitize_copy(char *dst, size_t cap, const uint8_t *src, size_t n)
{
	size_t o = 0;
	for (size_t i = 0; i < n; i++) {
		uint8_t c = src[i];
		if (c >= 0x20 && c < 0x7f && c != '\\') {
			if (o + 1 >= cap)
				break;
			dst[o++] = (char)c;
		} else if (c == '\\') {
			if (o + 2 >= cap)
				break;
			dst[o++] = '\\';
			dst[o++] = '\\';
		} else {
			if (o + 4 >= cap)
				break;
			dst[o++] = '\\';
			dst[o++] = 'x';
			dst[o++] = hexdig[c >> 4];
			dst[o++] = hexdig[c & 15];
		}
	}
	dst[o] = '\0';
	return o;
}
