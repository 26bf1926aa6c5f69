/* notify.h - readiness for systemd (Type=notify): the sd_notify protocol
 * (one datagram to $NOTIFY_SOCKET), without libsystemd. The socket is
 * connected at open, before the sandbox forbids new sockets. */
#ifndef WT_APP_NOTIFY_H
#define WT_APP_NOTIFY_H

struct sd_notifier {
	int fd;                       /* -1: not under systemd's supervision */
};

void notify_open(struct sd_notifier *n);
/* e.g. "READY=1", "RELOADING=1", "STOPPING=1"; nothing when not supervised. */
void notify_send(const struct sd_notifier *n, const char *state);
void notify_close(struct sd_notifier *n);

#endif
