/* sanitize.h - make network strings safe to show or store.
 *
 * Strings from the wire (SNI, Host, SSH banners, DNS names) may carry
 * control bytes and escape sequences. They are copied through here before
 * they are stored, so nothing downstream (terminal, log, JSON) can be
 * steered by them. Valid UTF-8 is kept as it is (é stays é); a control
 * character becomes "\xNN" (C0 and DEL) or "\u00NN" (C1, U+0080..U+009F);
 * a byte that is not part of valid UTF-8 becomes "\xNN" (NN >= 80); a
 * backslash becomes "\\". So a stored string is valid UTF-8 without
 * control characters, and its escapes say exactly which bytes it stands
 * for (output/json.c turns them back into JSON escapes).
 */
#ifndef WT_BASE_SANITIZE_H
#define WT_BASE_SANITIZE_H

#include <stddef.h>
#include <stdint.h>

/* Writes at most cap-1 bytes plus NUL into dst (never splits a character
 * or an escape); returns the length written. cap must be >= 1. */
size_t sanitize_copy(char *dst, size_t cap, const uint8_t *src, size_t n);

#endif
