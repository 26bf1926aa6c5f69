#include "app/signals.h"

#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <string.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include "base/macros.h"

static const struct {
	int sig;
	enum app_signal_action action;
} signal_actions[] = {
	{ SIGINT, APP_SIGNAL_STOP },
	{ SIGTERM, APP_SIGNAL_STOP },
	{ SIGHUP, APP_SIGNAL_REOPEN }, /* a stop when there is nothing to reopen */
};
#define NSIGNALS ARRAY_LEN(signal_actions)

static int open_fd(const sigset_t *set, struct wt_err *err)
{
	int fd = signalfd(-1, set, SFD_CLOEXEC | SFD_NONBLOCK);
	if (fd < 0)
		wt_err_set(err, WT_ERR_SYSTEM, "signalfd: %s", strerror(errno));
	return fd;
}

int app_signals_open(struct app_signals *s, bool hup_reopens, struct wt_err *err)
{
	sigset_t all, hup;
	sigemptyset(&all);
	for (size_t i = 0; i < NSIGNALS; i++)
		sigaddset(&all, signal_actions[i].sig);
	pthread_sigmask(SIG_BLOCK, &all, NULL);
	sigemptyset(&hup);
	sigaddset(&hup, SIGHUP);
	if (hup_reopens)
		sigdelset(&all, SIGHUP);
	s->hup_fd = -1;
	s->fd = open_fd(&all, err);
	if (s->fd < 0)
		return -1;
	if (hup_reopens && (s->hup_fd = open_fd(&hup, err)) < 0)
		return -1;
	return 0;
}

int app_signals_fd(const struct app_signals *s)
{
	return s->fd;
}

static enum app_signal_action take(int fd, bool hup_reopens)
{
	struct signalfd_siginfo si;
	if (read(fd, &si, sizeof si) != (ssize_t)sizeof si)
		return APP_SIGNAL_NONE;
	for (size_t i = 0; i < NSIGNALS; i++) {
		if ((int)si.ssi_signo != signal_actions[i].sig)
			continue;
		enum app_signal_action a = signal_actions[i].action;
		return a == APP_SIGNAL_REOPEN && !hup_reopens ? APP_SIGNAL_STOP : a;
	}
	return APP_SIGNAL_NONE;
}

enum app_signal_action app_signals_wait(struct app_signals *s, int timeout_ms)
{
	struct pollfd p[2] = { { s->fd, POLLIN, 0 }, { s->hup_fd, POLLIN, 0 } };
	if (poll(p, 2, timeout_ms) <= 0)
		return APP_SIGNAL_NONE;
	if (p[0].revents & POLLIN) /* a stop outranks a reopen */
		return take(s->fd, s->hup_fd >= 0);
	if (p[1].revents & POLLIN)
		return take(s->hup_fd, true);
	return APP_SIGNAL_NONE;
}

void app_signals_close(struct app_signals *s)
{
	if (s->fd >= 0)
		close(s->fd);
	if (s->hup_fd >= 0)
		close(s->hup_fd);
	s->fd = s->hup_fd = -1;
}
