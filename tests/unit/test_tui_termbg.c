/* test_tui_termbg.c - the terminal's background: OSC 11 replies as xterm
 * documents them (ctlseqs: "OSC 11 ; rgb:RRRR/GGGG/BBBB ST", each channel
 * 1 to 4 hex digits), COLORFGBG, and the question asked over a real
 * pseudo-terminal whose far end answers like a terminal would.
 */
#include "check.h"

#include <poll.h>
#include <pty.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "base/clock.h"
#include "tui/termbg.h"

static enum termbg parse(const char *s, char *text, size_t cap)
{
	return termbg_parse(s, strlen(s), text, cap);
}

static void test_parse_replies(void)
{
	char t[48];
	CHECK_INT(parse("\033]11;rgb:ffff/ffff/ffff\033\\", t, sizeof t), TERMBG_LIGHT);
	CHECK_STR(t, "rgb:ffff/ffff/ffff");
	CHECK_INT(parse("\033]11;rgb:0000/0000/0000\a", t, sizeof t), TERMBG_DARK);
	CHECK_STR(t, "rgb:0000/0000/0000");
	/* 2-digit channels, as some terminals send; BT.601 luma */
	CHECK_INT(parse("\033]11;rgb:fd/f6/e3\033\\", NULL, 0), TERMBG_LIGHT); /* solarized light */
	CHECK_INT(parse("\033]11;rgb:00/2b/36\033\\", NULL, 0), TERMBG_DARK);  /* solarized dark */
	/* pure green is light (luma .587), pure blue dark (.114) */
	CHECK_INT(parse("\033]11;rgb:0/f/0\a", NULL, 0), TERMBG_LIGHT);
	CHECK_INT(parse("\033]11;rgb:000/000/fff\a", NULL, 0), TERMBG_DARK);
	/* rgba, and the reply after other bytes (a DA reply first) */
	CHECK_INT(parse("\033[?1;2c\033]11;rgba:ffff/ffff/ffff/ffff\033\\", t, sizeof t), TERMBG_LIGHT);
	CHECK_STR(t, "rgba:ffff/ffff/ffff/ffff");
	/* tmux's grey: c0c0 is 75 % */
	CHECK_INT(parse("\033]11;rgb:c0c0/c0c0/c0c0\033\\", NULL, 0), TERMBG_LIGHT);
}

static void test_parse_rejects(void)
{
	char t[48] = "untouched";
	CHECK_INT(parse("", t, sizeof t), TERMBG_UNKNOWN);
	CHECK_INT(parse("\033[?1;2c", t, sizeof t), TERMBG_UNKNOWN);         /* DA only */
	CHECK_INT(parse("\033]11;rgb:ffff/ffff/ff", t, sizeof t), TERMBG_UNKNOWN); /* cut */
	CHECK_INT(parse("\033]11;rgb:ffff/ffff\033\\", t, sizeof t), TERMBG_UNKNOWN);
	CHECK_INT(parse("\033]11;rgb:/ffff/ffff\033\\", t, sizeof t), TERMBG_UNKNOWN);
	CHECK_INT(parse("\033]11;rgb:fffff/0/0\033\\", t, sizeof t), TERMBG_UNKNOWN); /* 5 digits */
	CHECK_INT(parse("\033]11;cmy:1/1/1\033\\", t, sizeof t), TERMBG_UNKNOWN);
	CHECK_INT(parse("\033]10;rgb:ffff/ffff/ffff\033\\", t, sizeof t), TERMBG_UNKNOWN); /* fg */
	CHECK_STR(t, "untouched");
}

static void test_colorfgbg(void)
{
	CHECK_INT(termbg_from_colorfgbg("15;0"), TERMBG_DARK);
	CHECK_INT(termbg_from_colorfgbg("0;15"), TERMBG_LIGHT);
	CHECK_INT(termbg_from_colorfgbg("0;7"), TERMBG_LIGHT);
	CHECK_INT(termbg_from_colorfgbg("7;8"), TERMBG_DARK);
	CHECK_INT(termbg_from_colorfgbg("0;default;15"), TERMBG_LIGHT);
	CHECK_INT(termbg_from_colorfgbg("15;default"), TERMBG_UNKNOWN);
	CHECK_INT(termbg_from_colorfgbg("0;16"), TERMBG_UNKNOWN);
	CHECK_INT(termbg_from_colorfgbg(""), TERMBG_UNKNOWN);
	CHECK_INT(termbg_from_colorfgbg(NULL), TERMBG_UNKNOWN);
}

/* The far end of a pty: reads the question, checks it, and answers with
 * reply (or stays silent for NULL); exits 0 when the question was right. */
static void terminal(int master, const char *reply)
{
	static const char ask[] = "\033]11;?\033\\\033[c";
	char got[64];
	size_t n = 0;
	while (n < sizeof ask - 1) {
		struct pollfd pf = { .fd = master, .events = POLLIN };
		if (poll(&pf, 1, 2000) <= 0)
			_exit(2);
		ssize_t r = read(master, got + n, sizeof got - n);
		if (r <= 0)
			_exit(3);
		n += (size_t)r;
	}
	if (n != sizeof ask - 1 || memcmp(got, ask, n) != 0)
		_exit(4);
	if (reply && write(master, reply, strlen(reply)) < 0)
		_exit(5);
	sleep(2); /* keep the pty open until the question's side is done */
	_exit(0);
}

static enum termbg probe_with(const char *reply, int timeout_ms, uint64_t *took_us, char *t, size_t cap,
			      bool *modes_kept)
{
	int master, slave;
	if (openpty(&master, &slave, NULL, NULL, NULL) < 0)
		return TERMBG_UNKNOWN;
	struct termios before, after;
	tcgetattr(slave, &before);
	pid_t pid = fork();
	if (pid == 0) {
		close(slave);
		terminal(master, reply);
	}
	uint64_t t0 = clock_mono_us();
	enum termbg bg = termbg_probe(slave, slave, timeout_ms, t, cap);
	*took_us = clock_mono_us() - t0;
	tcgetattr(slave, &after);
	*modes_kept = before.c_lflag == after.c_lflag && before.c_cc[VMIN] == after.c_cc[VMIN];
	kill(pid, SIGKILL);
	int st;
	waitpid(pid, &st, 0);
	CHECK(WIFSIGNALED(st) || (WIFEXITED(st) && WEXITSTATUS(st) == 0));
	close(master);
	close(slave);
	return bg;
}

static void test_probe_over_a_pty(void)
{
	char t[48] = "";
	uint64_t took;
	bool kept;
	/* answers both: light, without waiting out the timeout */
	CHECK_INT(probe_with("\033]11;rgb:ffff/ffff/ffff\033\\\033[?1;2c", 5000, &took, t, sizeof t, &kept),
		  TERMBG_LIGHT);
	CHECK_STR(t, "rgb:ffff/ffff/ffff");
	CHECK(took < 4000 * US_PER_MS); /* not the timeout */
	CHECK(kept);
	/* knows no OSC 11, answers the device attributes: unknown at once */
	CHECK_INT(probe_with("\033[?1;2c", 5000, &took, t, sizeof t, &kept), TERMBG_UNKNOWN);
	CHECK(took < 4000 * US_PER_MS); /* not the timeout */
	CHECK(kept);
	/* answers nothing: unknown after the timeout, modes restored */
	CHECK_INT(probe_with(NULL, 200, &took, t, sizeof t, &kept), TERMBG_UNKNOWN);
	CHECK(took >= 190 * US_PER_MS);
	CHECK(kept);
	/* not a terminal */
	CHECK_INT(termbg_probe(-1, -1, 100, t, sizeof t), TERMBG_UNKNOWN);
}

int main(void)
{
	RUN(test_parse_replies);
	RUN(test_parse_rejects);
	RUN(test_colorfgbg);
	RUN(test_probe_over_a_pty);
	return check_summary("tui_termbg");
}
