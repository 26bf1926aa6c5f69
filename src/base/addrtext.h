/* addrtext.h - IPv4 and IPv6 addresses as text (RFC 4291 section 2.2),
 * without printf or allocation.
 *
 * The output is byte-identical to glibc's inet_ntop, which the JSON
 * contract and its golden files follow: lowercase hex without leading
 * zeros, the first longest run of two or more zero groups written "::",
 * and the embedded dotted quad of "::a.b.c.d" (first six groups zero)
 * and "::ffff:a.b.c.d" (IPv4-mapped).
 */
#ifndef WT_BASE_ADDRTEXT_H
#define WT_BASE_ADDRTEXT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* INET6_ADDRSTRLEN: room for the longest text and its NUL. */
#define ADDR_TEXT_MAX 46

/* Writes the text of addr and a NUL into buf; returns the length, without
 * the NUL. family 6 reads 16 bytes of addr; any other family is IPv4 and
 * reads the first 4. */
size_t addr_text(char buf[ADDR_TEXT_MAX], uint8_t family, const uint8_t *addr);

/* A 48-bit hardware address as tshark and ip(8) write it:
 * "02:00:5e:10:00:01" (lowercase, colons), and its NUL. */
#define MAC_TEXT_MAX 18
size_t addr_mac_text(char buf[MAC_TEXT_MAX], const uint8_t mac[6]);

/* Does text s read as an IP address: IPv4 in any form inet_aton takes
 * (1.1.1.1, 1.1.1, 0x01010101), IPv6, bracketed or not, either with a
 * ":port" and one trailing dot? A name a peer claims for itself (SNI, HTTP
 * Host) that does is no name: the real address is shown instead. */
bool addr_text_is_address(const char *s);

#endif
