/* resolver.c - see resolver.h. */
#include "engine/resolver.h"

#include <ares.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netdb.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

#include "base/clock.h"
#include "base/sanitize.h"
#include "base/xalloc.h"
#include "engine/dnscache.h"

#define SEC_US US_PER_SEC
#define NAME_KEEP_US (3600 * SEC_US)
#define FAIL_KEEP_US (300 * SEC_US)
#define PENDING_US (30 * SEC_US) /* longer than c-ares' tries take */
/* A closed socket's port stays marked this long: its last packets may
 * still wait in a worker's ring when it closes. */
#define CLOSED_KEEP_US (5 * SEC_US)
#define CLOSED_MAX 64
/* The cache holds this in place of a name while a lookup is under way or
 * after it failed; a sanitized name from the wire never starts with it. */
#define NO_NAME "\x01"

struct resolver {
	pthread_mutex_t mu;            /* guards everything below but `own`'s atomics */
	ares_channel ch;
	struct dnscache *cache;
	unsigned inflight;             /* queued, and handed to c-ares */
	/* Asked for and not yet handed to c-ares. The thread hands them
	 * over: c-ares sends a query at once (socket, connect, send), and
	 * the thread that asks, a worker building rows, makes no system
	 * call for a name. */
	struct {
		int family;
		uint8_t addr[16];
	} queue[RESOLVER_INFLIGHT];
	unsigned queued;
	bool stop;
	bool started;                  /* the thread runs (set before any other thread asks) */
	int wake[2];                   /* a byte here wakes the thread: lookups were queued */
	pthread_t thread;
	struct own_ports own;
	/* Ports of closed sockets, oldest first, unmarked CLOSED_KEEP_US
	 * after closing (a ring; under mu). */
	struct {
		uint16_t port;
		uint64_t at_us;
	} closed[CLOSED_MAX];
	unsigned closed_head, closed_n;
};

struct lookup {
	struct resolver *r;
	int family;
	uint8_t addr[16];
};

/* ---- the sockets c-ares asks through: marked as ours ---- */

static uint16_t local_port(ares_socket_t s)
{
	struct sockaddr_storage ss;
	socklen_t len = sizeof ss;
	if (getsockname(s, (struct sockaddr *)&ss, &len) != 0)
		return 0;
	if (ss.ss_family == AF_INET)
		return ntohs(((struct sockaddr_in *)&ss)->sin_port);
	if (ss.ss_family == AF_INET6)
		return ntohs(((struct sockaddr_in6 *)&ss)->sin6_port);
	return 0;
}

static ares_socket_t sock_open(int domain, int type, int protocol, void *user)
{
	return socket(domain, type | SOCK_CLOEXEC | SOCK_NONBLOCK, protocol);
}

/* Unmarks the ports closed before `before` (all when the ring is full
 * and one more must fit). Under mu. */
static void unmark_closed(struct resolver *r, uint64_t before, unsigned keep)
{
	while (r->closed_n && (r->closed_n > keep || r->closed[r->closed_head].at_us < before)) {
		own_ports_mark(&r->own, r->closed[r->closed_head].port, false);
		r->closed_head = (r->closed_head + 1) % CLOSED_MAX;
		r->closed_n--;
	}
}

/* Called inside c-ares, so under mu. */
static int sock_close(ares_socket_t s, void *user)
{
	struct resolver *r = user;
	uint16_t port = local_port(s);
	if (port) {
		unmark_closed(r, 0, CLOSED_MAX - 1);
		unsigned i = (r->closed_head + r->closed_n++) % CLOSED_MAX;
		r->closed[i].port = port;
		r->closed[i].at_us = clock_real_us();
	}
	return close(s);
}

/* The local port is known once connect has bound it, before any query is
 * sent: the capture cannot see a packet of ours before it is marked. */
static int sock_connect(ares_socket_t s, const struct sockaddr *sa, ares_socklen_t len, void *user)
{
	struct resolver *r = user;
	int rc = connect(s, sa, len);
	int saved = errno;
	uint16_t port = local_port(s);
	if (port)
		own_ports_mark(&r->own, port, true);
	errno = saved;
	return rc;
}

static ares_ssize_t sock_recvfrom(ares_socket_t s, void *buf, size_t len, int flags,
				  struct sockaddr *from, ares_socklen_t *fromlen, void *user)
{
	return recvfrom(s, buf, len, flags, from, fromlen);
}

static ares_ssize_t sock_sendv(ares_socket_t s, const struct iovec *iov, int n, void *user)
{
	return writev(s, iov, n);
}

static const struct ares_socket_functions sock_funcs = {
	sock_open, sock_close, sock_connect, sock_recvfrom, sock_sendv,
};

/* ---- lookups ---- */

/* Runs inside a c-ares call, so under r->mu. */
static void lookup_done(void *arg, int status, int timeouts, struct hostent *host)
{
	struct lookup *l = arg;
	struct resolver *r = l->r;
	uint64_t now = clock_real_us();
	char name[DNSCACHE_NAME_MAX + 1];
	if (status == ARES_SUCCESS && host && host->h_name && host->h_name[0]) {
		sanitize_copy(name, sizeof name, (const uint8_t *)host->h_name, strlen(host->h_name));
		dnscache_insert(r->cache, name, l->family, l->addr, now + NAME_KEEP_US);
	} else if (status != ARES_EDESTRUCTION) {
		dnscache_insert(r->cache, NO_NAME, l->family, l->addr, now + FAIL_KEEP_US);
	}
	r->inflight--;
	free(l);
}

/* Under mu: queues the lookup, and wakes the thread when the queue was
 * empty (once per batch). The cache holds it as under way from now on. */
static void queue_lookup(struct resolver *r, int family, const uint8_t addr[16], uint64_t now_us)
{
	dnscache_insert(r->cache, NO_NAME, family, addr, now_us + PENDING_US);
	r->inflight++;
	unsigned i = r->queued++; /* < RESOLVER_INFLIGHT: queued <= inflight */
	r->queue[i].family = family;
	memcpy(r->queue[i].addr, addr, 16);
	if (i == 0) {
		ssize_t ignored = write(r->wake[1], "", 1); /* a full pipe wakes it as well */
		(void)ignored;
	}
}

/* In the thread, under mu: the queued lookups go to c-ares. */
static void hand_over(struct resolver *r)
{
	for (unsigned i = 0; i < r->queued; i++) {
		struct lookup *l = xcalloc(1, sizeof *l);
		l->r = r;
		l->family = r->queue[i].family;
		memcpy(l->addr, r->queue[i].addr, 16);
		ares_gethostbyaddr(r->ch, l->addr, l->family == 4 ? 4 : 16,
				   l->family == 4 ? AF_INET : AF_INET6, lookup_done, l);
	}
	r->queued = 0;
}

bool resolver_name(struct resolver *r, int family, const uint8_t addr[16], uint64_t now_us,
		   char *buf, size_t cap)
{
	if (family != 4 && family != 6)
		return false;
	char name[DNSCACHE_NAME_MAX + 1];
	pthread_mutex_lock(&r->mu);
	bool cached = dnscache_lookup(r->cache, family, addr, now_us, name, sizeof name);
	if (!cached && r->inflight < RESOLVER_INFLIGHT)
		queue_lookup(r, family, addr, now_us);
	pthread_mutex_unlock(&r->mu);
	if (!cached || strcmp(name, NO_NAME) == 0)
		return false;
	snprintf(buf, cap, "%s", name);
	return true;
}

/* ---- the thread ---- */

static int poll_ms(const struct timeval *tv)
{
	return tv ? (int)(tv->tv_sec * MS_PER_SEC + (tv->tv_usec + US_PER_MS - 1) / US_PER_MS)
		  : (int)MS_PER_SEC;
}

/* Bit `bit` of ares_getsock()'s mask: readable for socket i is bit i,
 * writable bit i + ARES_GETSOCK_MAXNUM. Not c-ares's macros: for the 16th
 * socket they shift a signed 1 into the sign bit. */
static bool sock_bit(int bits, int bit)
{
	return ((unsigned)bits >> bit) & 1u;
}

static void *resolver_main(void *arg)
{
	struct resolver *r = arg;
	pthread_setname_np(pthread_self(), "wt-resolve");
	for (;;) {
		ares_socket_t socks[ARES_GETSOCK_MAXNUM];
		struct pollfd pfd[ARES_GETSOCK_MAXNUM + 1] = { { .fd = r->wake[0], .events = POLLIN } };
		struct timeval max = { 1, 0 }, tv;
		pthread_mutex_lock(&r->mu);
		if (r->stop) {
			pthread_mutex_unlock(&r->mu);
			return NULL;
		}
		hand_over(r);
		int bits = ares_getsock(r->ch, socks, ARES_GETSOCK_MAXNUM);
		int wait_ms = poll_ms(ares_timeout(r->ch, &max, &tv));
		pthread_mutex_unlock(&r->mu);
		int n = 1;
		for (int i = 0; i < ARES_GETSOCK_MAXNUM; i++) {
			short ev = (short)((sock_bit(bits, i) ? POLLIN : 0) |
					   (sock_bit(bits, i + ARES_GETSOCK_MAXNUM) ? POLLOUT : 0));
			if (ev)
				pfd[n++] = (struct pollfd){ .fd = socks[i], .events = ev };
		}
		poll(pfd, (nfds_t)n, wait_ms);
		char drain[64];
		if (pfd[0].revents & POLLIN)
			while (read(r->wake[0], drain, sizeof drain) > 0)
				;
		pthread_mutex_lock(&r->mu);
		for (int i = 1; i < n; i++)
			ares_process_fd(r->ch, pfd[i].revents & (POLLIN | POLLERR | POLLHUP) ? pfd[i].fd : ARES_SOCKET_BAD,
					pfd[i].revents & POLLOUT ? pfd[i].fd : ARES_SOCKET_BAD);
		ares_process_fd(r->ch, ARES_SOCKET_BAD, ARES_SOCKET_BAD); /* timeouts */
		unmark_closed(r, clock_real_us() - CLOSED_KEEP_US, CLOSED_MAX);
		pthread_mutex_unlock(&r->mu);
	}
}

/* ---- set-up ---- */

static void note_servers(struct resolver *r)
{
	struct ares_addr_port_node *list = NULL;
	if (ares_get_servers_ports(r->ch, &list) != ARES_SUCCESS)
		return;
	for (struct ares_addr_port_node *s = list; s; s = s->next) {
		uint16_t port = s->udp_port ? (uint16_t)s->udp_port : 53;
		uint8_t a[16] = { 0 };
		if (s->family == AF_INET) {
			memcpy(a, &s->addr.addr4, 4);
			own_ports_add_server(&r->own, 4, a, port);
		} else if (s->family == AF_INET6) {
			memcpy(a, &s->addr.addr6, 16);
			own_ports_add_server(&r->own, 6, a, port);
		}
	}
	ares_free_data(list);
}

static int open_channel(struct resolver *r, struct wt_err *err)
{
	int rc = ares_library_init(ARES_LIB_INIT_ALL);
	if (rc != ARES_SUCCESS)
		return wt_err_set(err, WT_ERR_SYSTEM, "c-ares: %s", ares_strerror(rc));
	char dns_only[] = "b"; /* no /etc/hosts; c-ares copies it */
	struct ares_options o = { .lookups = dns_only };
	rc = ares_init_options(&r->ch, &o, ARES_OPT_LOOKUPS);
	if (rc != ARES_SUCCESS) {
		ares_library_cleanup();
		return wt_err_set(err, WT_ERR_SYSTEM, "c-ares: reading the resolver configuration: %s",
				  ares_strerror(rc));
	}
	ares_set_socket_functions(r->ch, &sock_funcs, r);
	note_servers(r);
	return 0;
}

int resolver_open(struct resolver **out, struct wt_err *err)
{
	struct resolver *r = xcalloc(1, sizeof *r);
	if (pipe2(r->wake, O_CLOEXEC | O_NONBLOCK) != 0) {
		free(r);
		return wt_err_set(err, WT_ERR_SYSTEM, "resolver: pipe: %s", strerror(errno));
	}
	if (open_channel(r, err) < 0) {
		close(r->wake[0]);
		close(r->wake[1]);
		free(r);
		return -1;
	}
	pthread_mutex_init(&r->mu, NULL);
	r->cache = dnscache_new(RESOLVER_CACHE);
	*out = r;
	return 0;
}

int resolver_start(struct resolver *r, struct wt_err *err)
{
	if (!r)
		return 0;
	int rc = pthread_create(&r->thread, NULL, resolver_main, r);
	if (rc != 0)
		return wt_err_set(err, WT_ERR_SYSTEM, "resolver: thread: %s", strerror(rc));
	r->started = true;
	return 0;
}

void resolver_close(struct resolver *r)
{
	if (!r)
		return;
	pthread_mutex_lock(&r->mu);
	r->stop = true;
	pthread_mutex_unlock(&r->mu);
	if (r->started) {
		ssize_t ignored = write(r->wake[1], "", 1);
		(void)ignored;
		pthread_join(r->thread, NULL);
	}
	ares_destroy(r->ch); /* callbacks see ARES_EDESTRUCTION and free their lookups */
	ares_library_cleanup();
	dnscache_free(r->cache);
	pthread_mutex_destroy(&r->mu);
	close(r->wake[0]);
	close(r->wake[1]);
	free(r);
}

const struct own_ports *resolver_own_ports(const struct resolver *r)
{
	return &r->own;
}
