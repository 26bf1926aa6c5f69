/* addrscope.h - addresses that name no place: private (RFC 1918, RFC
 * 6598, RFC 4193), loopback, link-local, multicast, broadcast and
 * unspecified. GeoIP never looks them up; the Location column names them.
 */
#ifndef WT_BASE_ADDRSCOPE_H
#define WT_BASE_ADDRSCOPE_H

#include <stdint.h>

/* "private", "loopback", "link-local", "multicast", "broadcast",
 * "unspecified"; NULL for an address a database may know. family 4 or 6,
 * 16 bytes with IPv4 in the first four (IPv4-mapped IPv6 as IPv4). */
const char *addr_scope(int family, const uint8_t a[16]);

#endif
