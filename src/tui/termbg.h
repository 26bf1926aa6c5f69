/* termbg.h - whether the terminal's background is light or dark, for the
 * automatic theme: the terminal is asked (OSC 11, xterm's "report the
 * background colour"), else COLORFGBG (rxvt, Konsole) says.
 */
#ifndef WT_TUI_TERMBG_H
#define WT_TUI_TERMBG_H

#include <stddef.h>

enum termbg { TERMBG_UNKNOWN, TERMBG_DARK, TERMBG_LIGHT };

/* The background an OSC 11 reply in buf names: "ESC ] 11 ; rgb:R/G/B"
 * (or rgba:R/G/B/A), 1 to 4 hex digits a channel, ended by BEL or ESC \.
 * Light when its luma is over half. rgb_text, when given, gets the
 * colour as the terminal wrote it ("rgb:ffff/ffff/ffff"). */
enum termbg termbg_parse(const char *buf, size_t n, char *rgb_text, size_t cap);

/* COLORFGBG's "fg;bg" (or "fg;default;bg"): a light background is colour
 * 7 or 9 to 15 of the 16 standard ones. */
enum termbg termbg_from_colorfgbg(const char *value);

/* Asks the terminal (read from tty in_fd, written to out_fd): OSC 11, then
 * a request every terminal answers (primary device attributes), so one
 * that ignores OSC 11 costs no wait; at most timeout_ms. The terminal's
 * modes are restored. */
enum termbg termbg_probe(int in_fd, int out_fd, int timeout_ms, char *rgb_text, size_t cap);

#endif
