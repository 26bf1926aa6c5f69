/* fuzz_checks.h - invariants the dissector harnesses assert after every
 * input (abort() makes libFuzzer report the input). */
#ifndef WT_FUZZ_CHECKS_H
#define WT_FUZZ_CHECKS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdlib.h>

#include "dissect/meta.h"

/* The code point at s; its length goes to *n, 0 when s is not valid UTF-8. */
static inline unsigned fuzz_utf8(const unsigned char *s, size_t *n)
{
	unsigned c = s[0];
	size_t len = c < 0x80 ? 1 : c >= 0xc2 && c <= 0xdf ? 2 : c >= 0xe0 && c <= 0xef ? 3
		   : c >= 0xf0 && c <= 0xf4 ? 4 : 0;
	unsigned cp = len == 1 ? c : len == 2 ? c & 0x1f : len == 3 ? c & 0x0f : c & 0x07;
	for (size_t i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80) { /* also stops at the NUL */
			len = 0;
			break;
		}
		cp = cp << 6 | (s[i] & 0x3f);
	}
	bool shortest = len < 3 || (len == 3 && cp >= 0x800) || (len == 4 && cp >= 0x10000);
	*n = len && shortest && !(cp >= 0xd800 && cp <= 0xdfff) && cp <= 0x10ffff ? len : 0;
	return cp;
}

/* Every stored string is sanitized: valid UTF-8 without control
 * characters, but for the list separator. */
static inline void fuzz_check_strings(const struct flow_meta *m)
{
	size_t pos = 0;
	for (const char *s; (s = meta_str_next(m, &pos)) != NULL;) {
		for (size_t n; *s; s += n) {
			unsigned cp = fuzz_utf8((const unsigned char *)s, &n);
			if (!n || (cp < 0x20 && cp != META_LIST_SEP) || (cp >= 0x7f && cp < 0xa0))
				abort();
		}
	}
}

#endif
