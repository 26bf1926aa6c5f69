/* helper.c - wiretop's side of the attribution helper (helperd.c): start
 * it, ask it to scan, read its answers, stop it.
 *
 * Started by attr_open while wiretop is still privileged, before the
 * attribution thread: posix_spawn of wiretop's own executable with only
 * the socket (descriptor 3) and /dev/null on 0-2, in a session of its own,
 * signals unblocked; environment SUDO_UID/SUDO_GID only (where it drops
 * to). Afterwards only the attribution thread talks to it, one scan at a
 * time; replies are read through the bounded reader, and a scan that did
 * not answer in time leaves replies behind that the next scan skips by
 * their sequence number.
 */
#include "attr/attr_int.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "base/clock.h"
#include "base/macros.h"
#include "base/rd.h"
#include "base/xalloc.h"

#define HELLO_WAIT_S 5
#define SCAN_WAIT_S 5
#define STOP_WAIT_MS 1000

struct attr_helper {
	pid_t pid;
	int fd;
	uint32_t seq;
	uint8_t *buf; /* one message */
	char holds[160];
};

/* ---- reading messages ------------------------------------------------------- */

struct msg {
	char type;
	uint16_t count;
	uint32_t seq;
	struct rd body;
};

/* One message; 1 read, 0 the helper closed its end, -1 timeout or error. */
static int recv_msg(struct attr_helper *h, struct msg *m)
{
	ssize_t n;
	struct rd r;

	do
		n = recv(h->fd, h->buf, ATTR_WIRE_MAX, 0);
	while (n < 0 && errno == EINTR);
	if (n <= 0)
		return n == 0 || errno == ECONNRESET ? 0 : -1;
	r = rd_make(h->buf, (size_t)n);
	m->type = (char)rd_u8(&r);
	if (rd_u8(&r) != ATTR_WIRE_VERSION)
		m->type = '?';
	m->count = rd_host16(&r);
	m->seq = rd_host32(&r);
	m->body = r;
	return rd_ok(&r) ? 1 : -1;
}

static void text_of(struct rd body, char *out, size_t cap)
{
	size_t n = rd_left(&body) < cap - 1 ? rd_left(&body) : cap - 1;
	rd_copy(&body, out, n);
	out[n] = '\0';
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)out[i] < 0x20 || (unsigned char)out[i] >= 0x7f)
			out[i] = '?';
}

static bool sock_of(struct rd *r, struct attr_sock *s)
{
	memset(s, 0, sizeof *s);
	s->l4 = rd_u8(r);
	s->family = rd_u8(r);
	s->state = rd_u8(r);
	rd_skip(r, 1);
	s->lport = rd_host16(r);
	s->rport = rd_host16(r);
	rd_copy(r, s->laddr, 16);
	rd_copy(r, s->raddr, 16);
	s->uid = rd_host32(r);
	s->pid = (int32_t)rd_host32(r);
	s->inode = rd_host64(r);
	s->netns = rd_host64(r);
	return rd_ok(r) && (s->family == 4 || s->family == 6);
}

/* ---- start, hello ------------------------------------------------------------- */

static void cap_names(uint64_t caps, char *out, size_t cap)
{
	static const struct {
		int bit;
		const char *name;
	} known[] = { { 2, "CAP_DAC_READ_SEARCH" }, { 19, "CAP_SYS_PTRACE" } };
	size_t len = 0;

	out[0] = '\0';
	for (size_t i = 0; i < ARRAY_LEN(known); i++)
		if (caps >> known[i].bit & 1)
			len += (size_t)snprintf(out + len, len < cap ? cap - len : 0, "%s%s",
						len ? " " : "", known[i].name);
	if (!caps)
		snprintf(out, cap, "no capabilities");
}

static int read_hello(struct attr_helper *h, char *why, size_t cap)
{
	struct msg m;
	char caps[64], sc[32], text[400];
	uint32_t uid, rules;
	uint64_t capset;
	int rc = recv_msg(h, &m);

	if (rc <= 0) {
		snprintf(why, cap, "helper: no answer (%s)", rc == 0 ? "it exited" : strerror(errno));
		return -1;
	}
	if (m.type == 'X' || m.type != 'H') {
		text_of(m.body, text, sizeof text);
		snprintf(why, cap, "helper: %s", m.type == 'X' ? text : "unexpected answer");
		return -1;
	}
	uid = rd_host32(&m.body);
	rd_host32(&m.body); /* gid */
	capset = rd_host64(&m.body);
	rules = rd_host32(&m.body);
	cap_names(capset, caps, sizeof caps);
	if (rules)
		snprintf(sc, sizeof sc, "seccomp (%u rules)", rules);
	else
		snprintf(sc, sizeof sc, "no seccomp");
	snprintf(h->holds, sizeof h->holds, "uid %u, %s, %s", uid, caps, sc);
	return rd_ok(&m.body) ? 0 : -1;
}

/* posix_spawn's view of the child: descriptor 3 and /dev/null only, a
 * session of its own, default signal handling. */
static int spawn_setup(posix_spawn_file_actions_t *fa, posix_spawnattr_t *sa, int child_fd)
{
	sigset_t none, dfl;

	sigemptyset(&none);
	sigfillset(&dfl);
	sigdelset(&dfl, SIGKILL);
	sigdelset(&dfl, SIGSTOP);
	if (posix_spawn_file_actions_init(fa) != 0)
		return -1;
	if (posix_spawnattr_init(sa) != 0) {
		posix_spawn_file_actions_destroy(fa);
		return -1;
	}
	posix_spawn_file_actions_addopen(fa, 0, "/dev/null", O_RDONLY, 0);
	posix_spawn_file_actions_addopen(fa, 1, "/dev/null", O_WRONLY, 0);
	posix_spawn_file_actions_addopen(fa, 2, "/dev/null", O_WRONLY, 0);
	posix_spawn_file_actions_adddup2(fa, child_fd, ATTR_HELPER_FD);
	posix_spawn_file_actions_addclosefrom_np(fa, ATTR_HELPER_FD + 1);
	posix_spawnattr_setsigmask(sa, &none);
	posix_spawnattr_setsigdefault(sa, &dfl);
	posix_spawnattr_setflags(sa, POSIX_SPAWN_SETSID | POSIX_SPAWN_SETSIGMASK |
					     POSIX_SPAWN_SETSIGDEF);
	return 0;
}

/* SUDO_UID / SUDO_GID, so the helper drops to the same user as wiretop. */
static void helper_env(char env[2][48], char *envp[3])
{
	static const char *const keep[2] = { "SUDO_UID", "SUDO_GID" };
	int n = 0;

	for (int i = 0; i < 2; i++) {
		const char *v = getenv(keep[i]);
		if (v && strlen(v) < 32) {
			snprintf(env[n], sizeof env[n], "%s=%s", keep[i], v);
			envp[n] = env[n];
			n++;
		}
	}
	envp[n] = NULL;
}

static int spawn(struct attr_helper *h, const struct attr_helper_opts *o, int child_fd)
{
	posix_spawn_file_actions_t fa;
	posix_spawnattr_t sa;
	char env[2][48], *envp[3];
	const char *exe = o->exe ? o->exe : "/proc/self/exe";
	char prog[] = "wiretop", flag[] = ATTR_HELPER_ARG, tables[16], mode[8], root[PATH_MAX];
	char rt_root[PATH_MAX];
	char *argv[] = { prog, flag, tables, mode, root, rt_root, NULL };
	int rc;

	snprintf(tables, sizeof tables, "%s", o->tables == ATTR_TABLES_PROCFS ? "procfs" : "sock_diag");
	snprintf(mode, sizeof mode, "%s", attr_helper_mode_name(o->on_violation));
	snprintf(root, sizeof root, "%s", o->proc_root);
	snprintf(rt_root, sizeof rt_root, "%s", o->runtime_root && *o->runtime_root ? o->runtime_root : "/");
	if (spawn_setup(&fa, &sa, child_fd) != 0)
		return ENOMEM;
	helper_env(env, envp);
	rc = posix_spawn(&h->pid, exe, &fa, &sa, argv, envp);
	posix_spawn_file_actions_destroy(&fa);
	posix_spawnattr_destroy(&sa);
	return rc;
}

static void set_timeout(int fd, int seconds)
{
	struct timeval tv = { seconds, 0 };
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
}

int attr_helper_start(struct attr_helper **out, const struct attr_helper_opts *o, char *why,
		      size_t cap)
{
	struct attr_helper *h;
	int sv[2], child_fd, rc;

	*out = NULL;
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) != 0) {
		snprintf(why, cap, "helper: socketpair: %s", strerror(errno));
		return -1;
	}
	/* above 3, so that dup2 onto 3 always makes a new, inheritable one */
	child_fd = fcntl(sv[1], F_DUPFD_CLOEXEC, ATTR_HELPER_FD + 1);
	close(sv[1]);
	h = xcalloc(1, sizeof *h);
	h->fd = sv[0];
	h->pid = -1;
	h->buf = xmalloc(ATTR_WIRE_MAX);
	rc = child_fd < 0 ? errno : spawn(h, o, child_fd);
	if (child_fd >= 0)
		close(child_fd);
	if (rc != 0) {
		snprintf(why, cap, "helper: cannot start %s: %s", o->exe ? o->exe : "/proc/self/exe",
			 strerror(rc));
		h->pid = -1;
		attr_helper_stop(h);
		return -1;
	}
	set_timeout(h->fd, HELLO_WAIT_S);
	if (read_hello(h, why, cap) < 0) {
		attr_helper_stop(h);
		return -1;
	}
	set_timeout(h->fd, SCAN_WAIT_S);
	*out = h;
	return 0;
}

/* ---- scans ------------------------------------------------------------------------ */

static void end_of(struct rd *r, int *rc, struct attr_reach *reach)
{
	*rc = (int32_t)rd_host32(r);
	reach->procs = rd_host32(r);
	reach->procs_hidden = rd_host32(r);
	reach->netns = rd_host32(r);
}

static void records(struct msg *m, attr_sock_fn fn, void *ctx)
{
	for (uint16_t i = 0; i < m->count; i++) {
		struct attr_sock s;
		if (!sock_of(&m->body, &s))
			break;
		fn(ctx, &s);
	}
}

int attr_helper_scan(struct attr_helper *h, attr_sock_fn fn, void *ctx, struct attr_reach *reach)
{
	uint8_t req[ATTR_WIRE_HDR] = { 'S', ATTR_WIRE_VERSION, 0, 0 };
	struct msg m;
	int rc;

	memset(reach, 0, sizeof *reach);
	h->seq++;
	memcpy(req + 4, &h->seq, 4);
	if (send(h->fd, req, sizeof req, MSG_NOSIGNAL) != (ssize_t)sizeof req)
		return errno == EAGAIN ? -1 : ATTR_HELPER_GONE;
	for (;;) {
		rc = recv_msg(h, &m);
		if (rc <= 0)
			return rc == 0 ? ATTR_HELPER_GONE : -1;
		if (m.type == 'X')
			return ATTR_HELPER_GONE;
		if (m.seq != h->seq)
			continue; /* the tail of a scan that timed out */
		if (m.type == 'R')
			records(&m, fn, ctx);
		else if (m.type == 'E')
			break;
	}
	end_of(&m.body, &rc, reach);
	return rd_ok(&m.body) ? rc : -1;
}

/* ---- names ---------------------------------------------------------------------- */

/* Text up to a NUL or the end of body, control bytes replaced. */
static void part_of(struct rd *body, char *out, size_t cap)
{
	size_t n = 0;
	while (rd_left(body) > 0) {
		uint8_t c = rd_u8(body);
		if (!c)
			break;
		if (n + 1 < cap)
			out[n++] = c < 0x20 || c == 0x7f ? '?' : (char)c;
	}
	out[n] = '\0';
}

/* Sends a request (its seq set here) and waits for its answer of type
 * `want`: 1, or 0 / -1 / ATTR_HELPER_GONE as the callers return. */
static int ask(struct attr_helper *h, uint8_t *req, size_t len, char want, struct msg *m)
{
	int rc;

	h->seq++;
	memcpy(req + 4, &h->seq, 4);
	if (send(h->fd, req, len, MSG_NOSIGNAL) != (ssize_t)len)
		return errno == EAGAIN ? -1 : ATTR_HELPER_GONE;
	do {
		rc = recv_msg(h, m);
		if (rc <= 0)
			return rc == 0 ? ATTR_HELPER_GONE : -1;
		if (m->type == 'X')
			return ATTR_HELPER_GONE;
	} while (m->seq != h->seq || m->type != want); /* the tail of a scan that timed out */
	return 1;
}

int attr_helper_names(struct attr_helper *h, const char *cgroup, struct attr_proc_detail *d)
{
	uint8_t req[ATTR_WIRE_HDR + ATTR_CGROUP_MAX] = { 'N', ATTR_WIRE_VERSION, 0, 0 };
	size_t n = strnlen(cgroup, ATTR_CGROUP_MAX - 1);
	struct msg m;
	int rc;

	memcpy(req + ATTR_WIRE_HDR, cgroup, n);
	rc = ask(h, req, ATTR_WIRE_HDR + n, 'P', &m);
	if (rc <= 0)
		return rc;
	part_of(&m.body, d->container, sizeof d->container);
	part_of(&m.body, d->pod, sizeof d->pod);
	return 0;
}

int attr_helper_lineage(struct attr_helper *h, int32_t ppid, struct attr_proc_detail *d)
{
	uint8_t req[ATTR_WIRE_HDR + 4] = { 'L', ATTR_WIRE_VERSION, 0, 0 };
	struct msg m;
	int rc;

	memcpy(req + ATTR_WIRE_HDR, &ppid, 4);
	rc = ask(h, req, sizeof req, 'A', &m);
	if (rc <= 0)
		return rc;
	memset(d->parents, 0, sizeof d->parents);
	d->nparents = 0;
	for (uint16_t i = 0; i < m.count && i < ATTR_PARENTS_MAX; i++) {
		struct attr_parent *p = &d->parents[i];
		p->pid = (int32_t)rd_host32(&m.body);
		part_of(&m.body, p->name, sizeof p->name);
		part_of(&m.body, p->exe, sizeof p->exe);
		if (!rd_ok(&m.body) || p->pid <= 0)
			break;
		d->nparents++;
	}
	return 0;
}

int attr_helper_pid(const struct attr_helper *h)
{
	return h && h->pid > 0 ? (int)h->pid : 0;
}

const char *attr_helper_holds(const struct attr_helper *h)
{
	return h ? h->holds : "";
}

static void sleep_ms(int ms)
{
	struct timespec ts = clock_span_ms((uint64_t)ms);
	nanosleep(&ts, NULL);
}

void attr_helper_stop(struct attr_helper *h)
{
	if (!h)
		return;
	close(h->fd); /* the helper reads the end of its socket and exits */
	if (h->pid > 0) {
		bool reaped = false;
		for (int waited = 0; !reaped && waited < STOP_WAIT_MS; waited += 10) {
			reaped = waitpid(h->pid, NULL, WNOHANG) != 0;
			if (!reaped)
				sleep_ms(10);
		}
		if (!reaped) {
			kill(h->pid, SIGKILL);
			waitpid(h->pid, NULL, 0);
		}
	}
	free(h->buf);
	free(h);
}
