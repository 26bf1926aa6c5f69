/* termbg.c - the terminal's background, asked or read from COLORFGBG.
 *
 * The question is written and the answers read on the terminal itself,
 * before the screen is set up (curses would read the answer as keys).
 * Answers come in order, so the device-attributes reply ("ESC [ ? ... c")
 * ends the wait: a terminal that does not know OSC 11 answers only that.
 */
#include "tui/termbg.h"

#include <poll.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "base/clock.h"
#include "base/str.h"

#define REPLY_MAX 256

/* One channel of 1 to 4 hex digits at s[*i], as a fraction of its
 * largest value; -1 when there is none. */
static double channel(const char *s, size_t n, size_t *i)
{
	unsigned v = 0, digits = 0;
	for (int d; *i < n && (d = str_hex_digit(s[*i])) >= 0 && digits < 4; (*i)++, digits++)
		v = v * 16 + (unsigned)d;
	if (digits == 0)
		return -1;
	return (double)v / (double)((1u << (4 * digits)) - 1);
}

static const char *find(const char *buf, size_t n, const char *what)
{
	size_t wn = strlen(what);
	for (size_t i = 0; i + wn <= n; i++)
		if (memcmp(buf + i, what, wn) == 0)
			return buf + i;
	return NULL;
}

enum termbg termbg_parse(const char *buf, size_t n, char *rgb_text, size_t cap)
{
	const char *osc = find(buf, n, "\033]11;rgb");
	if (!osc)
		return TERMBG_UNKNOWN;
	size_t start = (size_t)(osc - buf) + 5, i = start + 3;
	if (i < n && buf[i] == 'a') /* rgba: */
		i++;
	if (i >= n || buf[i++] != ':')
		return TERMBG_UNKNOWN;
	double rgb[3];
	for (int c = 0; c < 3; c++) {
		if (c > 0 && (i >= n || buf[i++] != '/'))
			return TERMBG_UNKNOWN;
		if ((rgb[c] = channel(buf, n, &i)) < 0)
			return TERMBG_UNKNOWN;
	}
	size_t end = i;
	while (end < n && buf[end] != '\a' && buf[end] != '\033')
		end++;
	if (end >= n)
		return TERMBG_UNKNOWN; /* cut off: not the whole reply */
	if (rgb_text && cap)
		snprintf(rgb_text, cap, "%.*s", (int)(end - start), buf + start);
	/* ITU-R BT.601 luma of the colour as sent (no gamma: light or dark is
	 * all that is asked) */
	double luma = 0.299 * rgb[0] + 0.587 * rgb[1] + 0.114 * rgb[2];
	return luma > 0.5 ? TERMBG_LIGHT : TERMBG_DARK;
}

enum termbg termbg_from_colorfgbg(const char *value)
{
	if (!value || !*value)
		return TERMBG_UNKNOWN;
	const char *last = strrchr(value, ';');
	if (!last || !last[1])
		return TERMBG_UNKNOWN;
	char *end;
	long bg = strtol(last + 1, &end, 10);
	if (*end || bg < 0 || bg > 15)
		return TERMBG_UNKNOWN;
	return bg == 7 || bg >= 9 ? TERMBG_LIGHT : TERMBG_DARK;
}

/* Whether buf holds a whole device-attributes reply: ESC [ ? ... c */
static bool has_da_reply(const char *buf, size_t n)
{
	const char *da = find(buf, n, "\033[?");
	return da && memchr(da, 'c', n - (size_t)(da - buf)) != NULL;
}

static size_t read_replies(int fd, char *buf, size_t cap, int timeout_ms)
{
	size_t n = 0;
	uint64_t end = clock_mono_us() + (uint64_t)timeout_ms * US_PER_MS;
	while (n < cap && !has_da_reply(buf, n)) {
		uint64_t now = clock_mono_us();
		if (now >= end)
			break;
		struct pollfd pf = { .fd = fd, .events = POLLIN };
		if (poll(&pf, 1, (int)((end - now + US_PER_MS - 1) / US_PER_MS)) <= 0)
			break;
		ssize_t got = read(fd, buf + n, cap - n);
		if (got <= 0)
			break;
		n += (size_t)got;
	}
	return n;
}

enum termbg termbg_probe(int in_fd, int out_fd, int timeout_ms, char *rgb_text, size_t cap)
{
	struct termios saved, raw;
	if (tcgetattr(in_fd, &saved) < 0)
		return TERMBG_UNKNOWN;
	raw = saved;
	raw.c_lflag &= ~(tcflag_t)(ICANON | ECHO);
	raw.c_cc[VMIN] = 0;
	raw.c_cc[VTIME] = 0;
	if (tcsetattr(in_fd, TCSANOW, &raw) < 0)
		return TERMBG_UNKNOWN;
	static const char ask[] = "\033]11;?\033\\\033[c";
	char buf[REPLY_MAX];
	size_t n = 0;
	if (write(out_fd, ask, sizeof ask - 1) == (ssize_t)(sizeof ask - 1))
		n = read_replies(in_fd, buf, sizeof buf, timeout_ms);
	tcsetattr(in_fd, TCSANOW, &saved);
	return termbg_parse(buf, n, rgb_text, cap);
}
