#include "base/str.h"

#include <stdio.h>

void str_vnote(char *buf, size_t cap, const char *fmt, va_list ap)
{
	size_t len = strlen(buf);
	if (len && len + 3 < cap) {
		memcpy(buf + len, "; ", 3);
		len += 2;
	}
	if (len + 1 < cap)
		vsnprintf(buf + len, cap - len, fmt, ap);
}
