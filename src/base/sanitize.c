#include "base/sanitize.h"

static const char hexdig[] = "0123456789abcdef";

/* Length of the valid UTF-8 sequence at s (RFC 3629: no overlong forms, no
 * surrogates, nothing past U+10FFFF), or 0. */
static size_t utf8_len(const uint8_t *s, size_t n)
{
	uint8_t c = s[0];
	size_t len;
	uint8_t lo = 0x80, hi = 0xbf; /* the second byte's range */
	if (c >= 0xc2 && c <= 0xdf)
		len = 2;
	else if (c >= 0xe0 && c <= 0xef)
		len = 3, lo = c == 0xe0 ? 0xa0 : 0x80, hi = c == 0xed ? 0x9f : 0xbf;
	else if (c >= 0xf0 && c <= 0xf4)
		len = 4, lo = c == 0xf0 ? 0x90 : 0x80, hi = c == 0xf4 ? 0x8f : 0xbf;
	else
		return 0;
	if (n < len || s[1] < lo || s[1] > hi)
		return 0;
	for (size_t i = 2; i < len; i++)
		if ((s[i] & 0xc0) != 0x80)
			return 0;
	return len;
}

/* The stored text of the character at s: the bytes themselves, or an
 * escape. Returns how many bytes of s it stands for. */
static size_t one(const uint8_t *s, size_t n, char out[8], size_t *olen)
{
	uint8_t c = s[0];
	size_t len = c >= 0x80 ? utf8_len(s, n) : 1;
	if (c == '\\') {
		*olen = 2;
		out[0] = out[1] = '\\';
	} else if (len == 2 && c == 0xc2 && s[1] < 0xa0) { /* C1 control U+0080..U+009F */
		const char u[6] = { '\\', 'u', '0', '0', hexdig[s[1] >> 4], hexdig[s[1] & 15] };
		*olen = 6;
		for (size_t i = 0; i < 6; i++)
			out[i] = u[i];
	} else if (len > 1 || (c >= 0x20 && c < 0x7f)) {
		*olen = len;
		for (size_t i = 0; i < len; i++)
			out[i] = (char)s[i];
	} else { /* a C0 control, DEL, or a byte that is not valid UTF-8 */
		const char x[4] = { '\\', 'x', hexdig[c >> 4], hexdig[c & 15] };
		*olen = 4;
		len = 1;
		for (size_t i = 0; i < 4; i++)
			out[i] = x[i];
	}
	return len;
}

size_t sanitize_copy(char *dst, size_t cap, const uint8_t *src, size_t n)
{
	size_t o = 0;
	for (size_t i = 0; i < n;) {
		/* printable ASCII other than '\\' is most of what comes (names,
		 * paths, agents) and stands for itself */
		uint8_t c = src[i];
		if (c >= 0x20 && c < 0x7f && c != '\\') {
			if (o + 2 > cap)
				break;
			dst[o++] = (char)c;
			i++;
			continue;
		}
		char text[8];
		size_t tn, used = one(src + i, n - i, text, &tn);
		if (o + tn + 1 > cap)
			break; /* never half a character or half an escape */
		for (size_t k = 0; k < tn; k++)
			dst[o++] = text[k];
		i += used;
	}
	dst[o] = '\0';
	return o;
}
