/* addrtext.c - address text the way glibc's inet_ntop writes it (RFC 4291
 * section 2.2), by hand: inet_ntop goes through sprintf, a visible cost
 * when every record and every DNS answer carries addresses. */
#include "base/addrtext.h"

#include <arpa/inet.h>
#include <stdbool.h>
#include <string.h>

static const char addrtext_hex[] = "0123456789abcdef";

/* A run of zero 16-bit groups; len 0 means none worth compressing. */
struct zero_run {
	int base, len;
};

static char *put_dec8(char *o, unsigned v)
{
	if (v >= 100)
		*o++ = (char)('0' + v / 100);
	if (v >= 10)
		*o++ = (char)('0' + v / 10 % 10);
	*o++ = (char)('0' + v % 10);
	return o;
}

static char *put_v4(char *o, const uint8_t a[4])
{
	o = put_dec8(o, a[0]);
	for (int i = 1; i < 4; i++) {
		*o++ = '.';
		o = put_dec8(o, a[i]);
	}
	return o;
}

static char *put_hex16(char *o, unsigned v)
{
	int shift = v >= 0x1000 ? 12 : v >= 0x100 ? 8 : v >= 0x10 ? 4 : 0;
	for (; shift >= 0; shift -= 4)
		*o++ = addrtext_hex[(v >> shift) & 0xf];
	return o;
}

/* The first of the longest runs wins a tie (a later run must be strictly
 * longer to replace it), and a lone zero group stays "0", as in glibc. */
static struct zero_run longest_zero_run(const unsigned w[8])
{
	struct zero_run best = { 8, 0 }, cur = { 0, 0 };
	for (int i = 0; i < 8; i++) {
		if (w[i]) {
			cur.len = 0;
			continue;
		}
		if (cur.len++ == 0)
			cur.base = i;
		if (cur.len > best.len)
			best = cur;
	}
	return best.len >= 2 ? best : (struct zero_run){ 8, 0 };
}

static char *put_v6(char *o, const uint8_t a[16])
{
	unsigned w[8];
	for (int i = 0; i < 8; i++)
		w[i] = (unsigned)a[2 * i] << 8 | a[2 * i + 1];
	struct zero_run z = longest_zero_run(w);
	/* glibc's test: exactly "::" + dotted quad, or "::ffff:" + dotted quad;
	 * "::1" (seven zero groups) stays hex. */
	bool quad = z.base == 0 && (z.len == 6 || (z.len == 5 && w[5] == 0xffff));
	int groups = quad ? 6 : 8;
	for (int i = 0; i < groups; i++) {
		if (i == z.base) {
			*o++ = ':';
			i += z.len - 1;
			continue;
		}
		if (i)
			*o++ = ':';
		o = put_hex16(o, w[i]);
	}
	if (quad) {
		*o++ = ':';
		return put_v4(o, a + 12);
	}
	if (z.len && z.base + z.len == 8)
		*o++ = ':';
	return o;
}

size_t addr_text(char buf[ADDR_TEXT_MAX], uint8_t family, const uint8_t *addr)
{
	char *end = family == 6 ? put_v6(buf, addr) : put_v4(buf, addr);
	*end = '\0';
	return (size_t)(end - buf);
}

size_t addr_mac_text(char buf[MAC_TEXT_MAX], const uint8_t mac[6])
{
	for (int i = 0; i < 6; i++) {
		buf[3 * i] = addrtext_hex[mac[i] >> 4];
		buf[3 * i + 1] = addrtext_hex[mac[i] & 15];
		buf[3 * i + 2] = i < 5 ? ':' : '\0';
	}
	return MAC_TEXT_MAX - 1;
}

/* Cuts an all-digit ":port" (and a trailing dot before it) off b. */
static void cut_port(char *b)
{
	char *colon = strrchr(b, ':');
	if (colon && colon[1] && strspn(colon + 1, "0123456789") == strlen(colon + 1))
		*colon = '\0';
	size_t n = strlen(b);
	if (n > 1 && b[n - 1] == '.')
		b[n - 1] = '\0';
}

bool addr_text_is_address(const char *s)
{
	char b[ADDR_TEXT_MAX + 16];
	struct in6_addr a6;
	struct in_addr a4;
	size_t n = s ? strlen(s) : 0;
	if (n == 0 || n >= sizeof b)
		return false;
	memcpy(b, s, n + 1);
	if (inet_pton(AF_INET6, b, &a6) == 1)
		return true;
	if (b[0] == '[') {
		char *end = strchr(b, ']');
		if (!end || (end[1] && end[1] != ':'))
			return false;
		*end = '\0';
		return inet_pton(AF_INET6, b + 1, &a6) == 1;
	}
	cut_port(b);
	return inet_aton(b, &a4) != 0;
}
