#include "app/signals.h"

#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <string.h>
#include <sys/signalfd.h>
#include <unistd.h>

static const struct {
	int sig;
	enum app_signal_action action;
} signal_actions[] = {
	{ SIGINT, APP_SIGNAL_STOP },
	{ SIGTERM, APP_SIGNAL_STOP },
	{ SIGHUP, APP_SIGNAL_STOP }, /* until there are exports to reopen */
};
#define NSIGNALS (sizeof signal_actions / sizeof signal_actions[0])

int app_signals_open(struct app_signals *s, struct wt_err *err)
{
	sigemptyset(&s->set);
	for (size_t i = 0; i < NSIGNALS; i++)
		sigaddset(&s->set, signal_actions[i].sig);
	pthread_sigmask(SIG_BLOCK, &s->set, NULL);
	s->fd = signalfd(-1, &s->set, SFD_CLOEXEC | SFD_NONBLOCK);
	if (s->fd < 0)
		return wt_err_set(err, WT_ERR_SYSTEM, "signalfd: %s", strerror(errno));
	return 0;
}

int app_signals_fd(const struct app_signals *s)
{
	return s->fd;
}

enum app_signal_action app_signals_wait(struct app_signals *s, int timeout_ms)
{
	struct pollfd p = { s->fd, POLLIN, 0 };
	if (poll(&p, 1, timeout_ms) <= 0)
		return APP_SIGNAL_NONE;
	struct signalfd_siginfo si;
	if (read(s->fd, &si, sizeof si) != (ssize_t)sizeof si)
		return APP_SIGNAL_NONE;
	for (size_t i = 0; i < NSIGNALS; i++)
		if ((int)si.ssi_signo == signal_actions[i].sig)
			return signal_actions[i].action;
	return APP_SIGNAL_NONE;
}

void app_signals_close(struct app_signals *s)
{
	if (s->fd >= 0)
		close(s->fd);
	s->fd = -1;
}
