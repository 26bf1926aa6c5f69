/* sanitize.h - make network strings safe to show or store.
 *
 * Strings from the wire (SNI, Host, SSH banners, DNS names) may carry
 * control bytes and escape sequences. They are copied through here before
 * they are stored, so nothing downstream (terminal, log, JSON) can be
 * steered by them: bytes < 0x20, 0x7f and 0x80..0xff become "\xNN", and a
 * backslash becomes "\\".
 */
#ifndef WT_BASE_SANITIZE_H
#define WT_BASE_SANITIZE_H

#include <stddef.h>
#include <stdint.h>

/* Writes at most cap-1 characters plus NUL into dst (never splits an
 * escape); returns the length written. cap must be >= 1. */
size_t sanitize_copy(char *dst, size_t cap, const uint8_t *src, size_t n);

#endif
