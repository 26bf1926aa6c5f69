/* helperd.c - the attribution helper process: the one part of wiretop that
 * keeps a privilege after start-up, and the least it can: CAP_SYS_PTRACE
 * and CAP_DAC_READ_SEARCH, to read other users' /proc/<pid>/fd and
 * /proc/<pid>/ns/net, so the sock_diag and /proc back ends still name every
 * user's processes after wiretop has dropped to the invoking user.
 *
 * wiretop starts it at attribution start-up (helper.c) by running itself
 * again: a fresh image holding nothing of wiretop's (no capture socket, no
 * packet ring, no eBPF object: it never touches a packet), with one
 * descriptor, its socket to wiretop. Before it reads anything it confines
 * itself (sandbox_enter_helper: uid dropped like wiretop's, only those two
 * capabilities, no_new_privs, not dumpable, its own seccomp allowlist), then
 * says hello and answers scan, name and parent requests until wiretop
 * closes the socket. It decides which files it reads: a scan request
 * carries nothing but a number, a name request a cgroup path that it only
 * parses (the runtimes' metadata it then reads is named by a hex id or a
 * pod UUID), a parent request a pid (of which only /proc/<pid>/stat and
 * exe are read), so whoever holds the other end can make it scan, name and
 * tell parents, never read elsewhere. The runtimes' folders are usually root's alone, which
 * CAP_DAC_READ_SEARCH reads.
 *
 * Single-threaded; its own session, so a Ctrl+C in wiretop's terminal does
 * not reach it, and SIGKILL when wiretop dies.
 */
#include "attr/attr_int.h"

#include <errno.h>
#include <linux/capability.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include "base/macros.h"

#define KEEP_CAPS ((1ull << CAP_SYS_PTRACE) | (1ull << CAP_DAC_READ_SEARCH))

struct emitter {
	int fd;
	uint32_t seq;
	uint8_t buf[ATTR_WIRE_MAX];
	uint16_t n;
	bool failed;
};

static void put_hdr(uint8_t *b, char type, uint16_t count, uint32_t seq)
{
	b[0] = (uint8_t)type;
	b[1] = ATTR_WIRE_VERSION;
	memcpy(b + 2, &count, 2);
	memcpy(b + 4, &seq, 4);
}

static bool send_msg(int fd, const uint8_t *b, size_t len)
{
	ssize_t n;

	do
		n = send(fd, b, len, MSG_NOSIGNAL);
	while (n < 0 && errno == EINTR);
	return n == (ssize_t)len;
}

static void send_text(int fd, char type, const char *text)
{
	uint8_t b[ATTR_WIRE_HDR + 512];
	size_t n = strnlen(text, sizeof b - ATTR_WIRE_HDR);

	put_hdr(b, type, 0, 0);
	memcpy(b + ATTR_WIRE_HDR, text, n);
	send_msg(fd, b, ATTR_WIRE_HDR + n);
}

static void flush(struct emitter *e)
{
	if (!e->n)
		return;
	put_hdr(e->buf, 'R', e->n, e->seq);
	if (!send_msg(e->fd, e->buf, ATTR_WIRE_HDR + (size_t)e->n * ATTR_WIRE_SOCK))
		e->failed = true;
	e->n = 0;
}

static void emit(void *ctx, const struct attr_sock *s)
{
	struct emitter *e = ctx;
	uint8_t *p = e->buf + ATTR_WIRE_HDR + (size_t)e->n * ATTR_WIRE_SOCK;

	memset(p, 0, ATTR_WIRE_SOCK);
	p[0] = s->l4;
	p[1] = s->family;
	p[2] = s->state;
	memcpy(p + 4, &s->lport, 2);
	memcpy(p + 6, &s->rport, 2);
	memcpy(p + 8, s->laddr, 16);
	memcpy(p + 24, s->raddr, 16);
	memcpy(p + 40, &s->uid, 4);
	memcpy(p + 44, &s->pid, 4);
	memcpy(p + 48, &s->inode, 8);
	memcpy(p + 56, &s->netns, 8);
	if (++e->n == ATTR_WIRE_BATCH)
		flush(e);
}

static bool serve_scan(struct attr_scanner *sc, struct emitter *e)
{
	struct attr_reach r;
	uint8_t end[ATTR_WIRE_HDR + 16];
	int32_t rc = attr_scanner_run(sc, emit, e, &r);

	flush(e);
	put_hdr(end, 'E', 0, e->seq);
	memcpy(end + 8, &rc, 4);
	memcpy(end + 12, &r.procs, 4);
	memcpy(end + 16, &r.procs_hidden, 4);
	memcpy(end + 20, &r.netns, 4);
	return !e->failed && send_msg(e->fd, end, sizeof end);
}

/* The container and pod of the cgroup path a request holds. Only the
 * runtimes' own files are read, named by the ids the parser accepts (64
 * hex digits, a pod UUID), whatever the path says. */
static bool serve_names(int fd, const char *root, const uint8_t *req, size_t n, uint32_t seq)
{
	struct attr_proc_detail d;
	uint8_t b[ATTR_WIRE_HDR + sizeof d.container + sizeof d.pod];
	size_t cl, pl;

	memset(&d, 0, sizeof d);
	n = n < sizeof d.cgroup - 1 ? n : sizeof d.cgroup - 1;
	memcpy(d.cgroup, req, n);
	attr_place_of(root, &d);
	cl = strlen(d.container) + 1;
	pl = strlen(d.pod);
	put_hdr(b, 'P', 0, seq);
	memcpy(b + ATTR_WIRE_HDR, d.container, cl);
	memcpy(b + ATTR_WIRE_HDR + cl, d.pod, pl);
	return send_msg(fd, b, ATTR_WIRE_HDR + cl + pl);
}

/* The parents of the process a request names: only /proc/<pid>/stat and
 * exe are read, of that process and its parents. */
static bool serve_lineage(int fd, const char *proc_root, const uint8_t *req, size_t n,
			  uint32_t seq)
{
	struct attr_proc_detail d;
	uint8_t b[ATTR_WIRE_HDR + ATTR_PARENTS_MAX * sizeof(struct attr_parent)];
	size_t at = ATTR_WIRE_HDR;
	int32_t ppid;

	if (n != 4)
		return true; /* not a request of ours: nothing to answer */
	memcpy(&ppid, req, 4);
	attr_proc_lineage(proc_root, ppid, &d);
	put_hdr(b, 'A', d.nparents, seq);
	for (unsigned i = 0; i < d.nparents; i++) {
		const struct attr_parent *p = &d.parents[i];
		size_t nl = strlen(p->name) + 1, el = strlen(p->exe) + 1;
		memcpy(b + at, &p->pid, 4);
		memcpy(b + at + 4, p->name, nl);
		memcpy(b + at + 4 + nl, p->exe, el);
		at += 4 + nl + el;
	}
	return send_msg(fd, b, at);
}

/* Scans, names and parents on request until wiretop closes its end. */
static int serve(struct attr_scanner *sc, const char *proc_root, const char *runtime_root)
{
	struct emitter *e = calloc(1, sizeof *e);
	int rc = 0;

	if (!e)
		return 1;
	e->fd = ATTR_HELPER_FD;
	for (;;) {
		uint8_t req[ATTR_WIRE_HDR + ATTR_CGROUP_MAX];
		ssize_t n = recv(e->fd, req, sizeof req, 0);
		bool ok;
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			rc = n < 0;
			break;
		}
		if (n < ATTR_WIRE_HDR || req[1] != ATTR_WIRE_VERSION)
			continue; /* not a request of ours: nothing to do */
		memcpy(&e->seq, req + 4, 4);
		if (req[0] == 'S' && n == ATTR_WIRE_HDR)
			ok = serve_scan(sc, e);
		else if (req[0] == 'N')
			ok = serve_names(e->fd, runtime_root, req + ATTR_WIRE_HDR,
					 (size_t)n - ATTR_WIRE_HDR, e->seq);
		else if (req[0] == 'L')
			ok = serve_lineage(e->fd, proc_root, req + ATTR_WIRE_HDR,
					   (size_t)n - ATTR_WIRE_HDR, e->seq);
		else
			continue;
		if (!ok) {
			rc = 1;
			break;
		}
	}
	free(e);
	return rc;
}

static void send_hello(const struct sandbox_status *st)
{
	uint8_t b[ATTR_WIRE_HDR + 24 + sizeof st->notes];
	uint32_t uid = st->uid, gid = st->gid, rules = st->seccomp_rules;
	uint64_t caps = st->caps_kept;
	size_t n = strlen(st->notes);

	put_hdr(b, 'H', 0, 0);
	memcpy(b + 8, &uid, 4);
	memcpy(b + 12, &gid, 4);
	memcpy(b + 16, &caps, 8);
	memcpy(b + 24, &rules, 4);
	memcpy(b + 28, st->notes, n);
	send_msg(ATTR_HELPER_FD, b, 28 + n);
}

static bool is_our_socket(int fd)
{
	int type = 0, domain = 0;
	socklen_t tl = sizeof type, dl = sizeof domain;

	return getsockopt(fd, SOL_SOCKET, SO_TYPE, &type, &tl) == 0 &&
	       getsockopt(fd, SOL_SOCKET, SO_DOMAIN, &domain, &dl) == 0 && type == SOCK_SEQPACKET &&
	       domain == AF_UNIX;
}

static const struct {
	const char *name;
	enum sandbox_violation v;
} modes[] = { { "deny", SANDBOX_DENY }, { "kill", SANDBOX_KILL }, { "log", SANDBOX_LOG } };

static bool parse_mode(const char *s, enum sandbox_violation *v)
{
	for (size_t i = 0; i < ARRAY_LEN(modes); i++) {
		if (strcmp(s, modes[i].name) == 0) {
			*v = modes[i].v;
			return true;
		}
	}
	return false;
}

const char *attr_helper_mode_name(enum sandbox_violation v)
{
	for (size_t i = 0; i < ARRAY_LEN(modes); i++)
		if (modes[i].v == v)
			return modes[i].name;
	return "deny";
}

/* argv: PROG --attr-helper sock_diag|procfs deny|kill|log PROCROOT RUNTIMEROOT */
int attr_helper_main(int argc, char **argv)
{
	struct sandbox_helper_opts so = { KEEP_CAPS, SANDBOX_DENY, SIGKILL };
	struct sandbox_status st;
	struct wt_err err = { WT_OK, "" };
	enum attr_tables tables;
	struct attr_scanner *sc;
	int rc;

	if (argc != 6 || !is_our_socket(ATTR_HELPER_FD) || !parse_mode(argv[3], &so.on_violation)) {
		fprintf(stderr, "wiretop: %s is for wiretop to start itself, not a command\n",
			ATTR_HELPER_ARG);
		return 2;
	}
	tables = strcmp(argv[2], "procfs") == 0 ? ATTR_TABLES_PROCFS : ATTR_TABLES_DIAG;
	prctl(PR_SET_NAME, "wt-attr-helper", 0, 0, 0);
	if (sandbox_enter_helper(&so, &st, &err) < 0) {
		send_text(ATTR_HELPER_FD, 'X', err.msg);
		return 1;
	}
	sc = attr_scanner_new(argv[4], tables);
	send_hello(&st);
	/* "/" is "" to the readers: their paths start with '/' */
	rc = serve(sc, argv[4], strcmp(argv[5], "/") == 0 ? "" : argv[5]);
	attr_scanner_free(sc);
	return rc;
}
