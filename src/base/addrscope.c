/* addrscope.c - the kinds of address that have no place on the map. */
#include "base/addrscope.h"

#include <string.h>

static const char *scope4(const uint8_t *a)
{
	if (a[0] == 10 || (a[0] == 172 && (a[1] & 0xf0) == 16) || (a[0] == 192 && a[1] == 168) ||
	    (a[0] == 100 && (a[1] & 0xc0) == 64)) /* RFC 1918, RFC 6598 */
		return "private";
	if (a[0] == 127)
		return "loopback";
	if (a[0] == 169 && a[1] == 254)
		return "link-local";
	if (a[0] >= 224 && a[0] < 240)
		return "multicast";
	if (a[0] == 255 && a[1] == 255 && a[2] == 255 && a[3] == 255)
		return "broadcast";
	if (a[0] == 0)
		return "unspecified";
	return NULL;
}

const char *addr_scope(int family, const uint8_t a[16])
{
	static const uint8_t mapped[12] = { [10] = 0xff, [11] = 0xff };
	static const uint8_t zero[16];
	if (family == 4)
		return scope4(a);
	if (memcmp(a, mapped, sizeof mapped) == 0)
		return scope4(a + 12);
	if (memcmp(a, zero, 15) == 0)
		return a[15] == 1 ? "loopback" : a[15] == 0 ? "unspecified" : NULL;
	if ((a[0] & 0xfe) == 0xfc)
		return "private"; /* unique local, RFC 4193 */
	if (a[0] == 0xfe && (a[1] & 0xc0) == 0x80)
		return "link-local";
	if (a[0] == 0xff)
		return "multicast";
	return NULL;
}
