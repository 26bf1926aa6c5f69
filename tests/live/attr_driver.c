/* attr_driver.c - live test driver for process attribution (needs root).
 *
 *   attr_driver --backend B [--netns PATH] [--collide PATH] [--clients N]
 *               [--port P] [--min PCT] [--min-server PCT] [--wait-ms MS]
 *               [--ping] [--drop] [--v6] [--helper]
 *   attr_driver --list [--netns PATH] [--clients N] [--port P] [--v6]
 *   attr_driver hold-server ADDR PORT
 *   attr_driver hold-client ADDR PORT MS
 *
 * Enters network namespace PATH (setns, so /sys and the cgroup mounts stay
 * as they are), opens attribution with back end B, starts a long-lived
 * server (TCP and UDP on 127.0.0.1:P) and then N short-lived client
 * processes one after another, each of which connects (TCP), sends
 * unconnected (UDP sendto) or sends connected (UDP connect+send), gets one
 * byte back and exits within a few milliseconds. Clients and server are
 * this binary run through symlinks (wt-cli-tcp, wt-cli-udp, wt-cli-udpc,
 * wt-srv), so each has its own process name. After the last client has
 * exited it looks every connection up, both orientations, and checks pid
 * and name.
 *
 * --collide PATH: the same 5-tuple is then used in a second namespace by
 * another process; the lookup must still name the process of ours.
 * --ping: a connected ICMP echo socket (ping_group_range permitting).
 * --list: no attribution here: run the server and the clients and print
 * "CLIENT <TCP|UDP> <local port> <pid> <name>" per client, for checking
 * another program's output (wiretop --json) against.
 * --v6: clients connect to [::1] instead of 127.0.0.1 (the server has both).
 * --drop: become nobody right after attr_open, as wiretop does once its
 * capture and attribution are set up; everything after runs unprivileged.
 * --helper: scans run in the attribution helper, whose seccomp filter here
 * kills it on any call outside its allowlist; it must still be serving at
 * the end. --min-server: the share the server side needs (default --min).
 * hold-server: TCP on IPv4 ADDR:PORT, prints "ready PID", echoes a byte on
 * each connection and keeps it until the peer closes. hold-client:
 * connects, exchanges a byte, prints "LOCALPORT PID", keeps the connection
 * MS milliseconds exchanging a byte each way every 50 ms, closes. Both are for scripts that run them (through a
 * symlink that names the process) where a scan must find them alive.
 *
 * Prints "PASS name ..." / "FAIL name ..." / "INFO ..." lines; exit 0 when
 * nothing failed, 1 on a failure, 3 when back end B could not be opened.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <dirent.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <grp.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "attr/attr.h"
#include "decode/pkt.h"

#define MAX_CLIENTS 2000

enum kind { K_TCP, K_UDP, K_UDPC, K_PING, NKINDS };

static const char *const kind_names[NKINDS] = { "wt-cli-tcp", "wt-cli-udp", "wt-cli-udpc",
						"wt-cli-ping" };

struct client {
	pid_t pid;
	enum kind kind;
	uint16_t lport;
	bool reused; /* a later client got the same 5-tuple: it owns it now */
};

struct cfg {
	const char *backend, *netns, *collide;
	int clients, min_pct, min_server, wait_ms;
	uint16_t port;
	bool ping, drop, list, helper;
	int family; /* of the clients: 4 or 6 */
	char dir[64]; /* where the symlinks live */
	char self[4096];
};

/* ---- client and server modes (run through the symlinks) ----------------- */

/* 127.0.0.1 or ::1 and port; returns the address length. */
static socklen_t loopback(int family, uint16_t port, struct sockaddr_storage *ss)
{
	memset(ss, 0, sizeof *ss);
	if (family == 6) {
		struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)ss;
		s6->sin6_family = AF_INET6;
		s6->sin6_port = htons(port);
		s6->sin6_addr = in6addr_loopback;
		return sizeof *s6;
	}
	struct sockaddr_in *s4 = (struct sockaddr_in *)ss;
	s4->sin_family = AF_INET;
	s4->sin_port = htons(port);
	s4->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	return sizeof *s4;
}

static int open_sock(int family, int type, int proto)
{
	return socket(family == 6 ? AF_INET6 : AF_INET, type, proto);
}

static int bind_port(int fd, int family, uint16_t port)
{
	struct sockaddr_storage ss;
	socklen_t len = loopback(family, port, &ss);
	int one = 1;
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
	if (family == 6)
		setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof one);
	return bind(fd, (struct sockaddr *)&ss, len);
}

static uint16_t local_port(int fd)
{
	struct sockaddr_storage ss;
	socklen_t len = sizeof ss;
	if (getsockname(fd, (struct sockaddr *)&ss, &len) != 0)
		return 0;
	return ntohs(ss.ss_family == AF_INET6 ? ((struct sockaddr_in6 *)&ss)->sin6_port
					      : ((struct sockaddr_in *)&ss)->sin_port);
}

/* One exchange; prints the local port (the echo id for ping) and exits. */
static int client_main(const char *kind, int family, uint16_t port, uint16_t bindp)
{
	struct sockaddr_storage sa;
	socklen_t sl = loopback(family, port, &sa);
	char b = 'x';
	int fd;

	if (strcmp(kind, "tcp") == 0) {
		fd = open_sock(family, SOCK_STREAM, 0);
		if (bindp)
			bind_port(fd, family, bindp);
		if (connect(fd, (struct sockaddr *)&sa, sl) != 0 || write(fd, &b, 1) != 1 ||
		    read(fd, &b, 1) != 1)
			return 1;
	} else if (strcmp(kind, "udp") == 0) {
		fd = open_sock(family, SOCK_DGRAM, 0);
		if (sendto(fd, &b, 1, 0, (struct sockaddr *)&sa, sl) != 1 || recv(fd, &b, 1, 0) != 1)
			return 1;
	} else if (strcmp(kind, "udpc") == 0) {
		fd = open_sock(family, SOCK_DGRAM, 0);
		if (connect(fd, (struct sockaddr *)&sa, sl) != 0 || send(fd, &b, 1, 0) != 1 ||
		    recv(fd, &b, 1, 0) != 1)
			return 1;
	} else {
		uint8_t echo[8] = { 8, 0, 0, 0, 0, 0, 0, 1 }, rep[64];
		sl = loopback(4, 0, &sa);
		fd = socket(AF_INET, SOCK_DGRAM, IPPROTO_ICMP);
		if (fd < 0 || connect(fd, (struct sockaddr *)&sa, sl) != 0 ||
		    send(fd, echo, sizeof echo, 0) != (ssize_t)sizeof echo || recv(fd, rep, sizeof rep, 0) <= 0)
			return 1;
	}
	printf("%u\n", local_port(fd));
	close(fd);
	return 0;
}

static void serve_tcp(int lfd)
{
	char b;
	int c = accept(lfd, NULL, NULL);
	if (c < 0)
		return;
	if (read(c, &b, 1) == 1 && write(c, &b, 1) != 1)
		b = 0;
	close(c);
}

static void serve_udp(int ufd)
{
	struct sockaddr_storage from;
	socklen_t fl = sizeof from;
	char b;
	if (recvfrom(ufd, &b, 1, 0, (struct sockaddr *)&from, &fl) == 1)
		sendto(ufd, &b, 1, 0, (struct sockaddr *)&from, fl);
}

/* TCP and UDP on 127.0.0.1:port and [::1]:port until killed; "ready"
 * once bound. */
static int server_main(uint16_t port)
{
	struct pollfd p[4];

	for (int i = 0; i < 4; i++) {
		int family = i < 2 ? 4 : 6, tcp = i % 2 == 0;
		int fd = open_sock(family, tcp ? SOCK_STREAM : SOCK_DGRAM, 0);
		if (bind_port(fd, family, port) != 0 || (tcp && listen(fd, 512) != 0))
			return 1;
		p[i].fd = fd;
		p[i].events = POLLIN;
	}
	printf("ready\n");
	fflush(stdout);
	for (;;) {
		if (poll(p, 4, -1) < 0 && errno != EINTR)
			return 1;
		for (int i = 0; i < 4; i++) {
			if (!(p[i].revents & POLLIN))
				continue;
			if (i % 2 == 0)
				serve_tcp(p[i].fd);
			else
				serve_udp(p[i].fd);
		}
	}
}

/* ---- hold-server / hold-client ------------------------------------------------ */

static void sleep_ms(int ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };
	nanosleep(&ts, NULL);
}


static socklen_t ipv4_at(const char *addr, const char *port, struct sockaddr_in *sa)
{
	memset(sa, 0, sizeof *sa);
	sa->sin_family = AF_INET;
	sa->sin_port = htons((uint16_t)atoi(port));
	return inet_pton(AF_INET, addr, &sa->sin_addr) == 1 ? sizeof *sa : 0;
}

/* One process holds every accepted connection, so each is owned by the pid
 * it printed. */
static int hold_server(const char *addr, const char *port)
{
	struct sockaddr_in sa;
	socklen_t sl = ipv4_at(addr, port, &sa);
	struct pollfd p[64];
	int one = 1, n = 1;

	p[0].fd = socket(AF_INET, SOCK_STREAM, 0);
	p[0].events = POLLIN;
	setsockopt(p[0].fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
	if (!sl || bind(p[0].fd, (struct sockaddr *)&sa, sl) != 0 || listen(p[0].fd, 64) != 0)
		return 1;
	printf("ready %d\n", (int)getpid());
	fflush(stdout);
	for (;;) {
		if (poll(p, (nfds_t)n, -1) < 0 && errno != EINTR)
			return 1;
		for (int i = n - 1; i >= 1; i--) {
			char b;
			if (!p[i].revents)
				continue;
			if (read(p[i].fd, &b, 1) == 1 && write(p[i].fd, &b, 1) == 1)
				continue;
			close(p[i].fd); /* the peer closed */
			p[i] = p[--n];
		}
		if ((p[0].revents & POLLIN) && n < 64) {
			p[n].fd = accept(p[0].fd, NULL, NULL);
			p[n].events = POLLIN;
			n += p[n].fd >= 0;
		}
	}
}

static int hold_client(const char *addr, const char *port, const char *ms)
{
	struct sockaddr_in sa;
	socklen_t sl = ipv4_at(addr, port, &sa);
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	char b = 'x';

	if (!sl || connect(fd, (struct sockaddr *)&sa, sl) != 0 || write(fd, &b, 1) != 1 ||
	    read(fd, &b, 1) != 1)
		return 1;
	printf("%u %d\n", local_port(fd), (int)getpid());
	fflush(stdout);
	for (int left = atoi(ms); left > 0; left -= 50) { /* a byte each way every 50 ms */
		sleep_ms(50);
		if (write(fd, &b, 1) != 1 || read(fd, &b, 1) != 1)
			return 1;
	}
	close(fd);
	return 0;
}

/* ---- the driver ----------------------------------------------------------- */

static int make_links(struct cfg *c)
{
	static const char *const names[] = { "wt-srv", "wt-cli-tcp", "wt-cli-udp", "wt-cli-udpc",
					     "wt-cli-ping" };
	ssize_t n = readlink("/proc/self/exe", c->self, sizeof c->self - 1);

	if (n <= 0)
		return -1;
	c->self[n] = '\0';
	snprintf(c->dir, sizeof c->dir, "/tmp/wt-attr-XXXXXX");
	if (!mkdtemp(c->dir))
		return -1;
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
		char p[128];
		snprintf(p, sizeof p, "%s/%s", c->dir, names[i]);
		if (symlink(c->self, p) != 0)
			return -1;
	}
	return 0;
}

static void remove_links(const struct cfg *c)
{
	static const char *const names[] = { "wt-srv", "wt-cli-tcp", "wt-cli-udp", "wt-cli-udpc",
					     "wt-cli-ping" };
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
		char p[128];
		snprintf(p, sizeof p, "%s/%s", c->dir, names[i]);
		unlink(p);
	}
	rmdir(c->dir);
}

/* In a sanitizer build, a client's leak check at exit (a scan of the
 * whole heap) cost some 50 ms a client, most of attr_live's time; the
 * clients are this test's own scaffolding, the driver keeps its check.
 * Nothing in a build without sanitizers reads the variable. */
static void no_leak_check(void)
{
	char opts[512];
	const char *had = getenv("ASAN_OPTIONS");
	snprintf(opts, sizeof opts, "%s%sdetect_leaks=0", had ? had : "", had && *had ? ":" : "");
	setenv("ASAN_OPTIONS", opts, 1);
}

/* Runs dir/name with up to three arguments; its first output line into
 * line. Returns the pid (waited for when wait_exit; line "" on failure). */
static pid_t spawn(const struct cfg *c, const char *name, const char *const arg[3], char *line,
		   size_t cap, bool wait_exit)
{
	char path[128], av[4][32];
	char *argv[5] = { av[0], NULL, NULL, NULL, NULL };
	int pfd[2];
	pid_t pid;
	ssize_t n;

	snprintf(path, sizeof path, "%s/%s", c->dir, name);
	snprintf(av[0], sizeof av[0], "%s", name);
	for (int i = 0; i < 3 && arg[i]; i++) {
		snprintf(av[i + 1], sizeof av[i + 1], "%s", arg[i]);
		argv[i + 1] = av[i + 1];
	}
	if (pipe(pfd) != 0)
		return -1;
	pid = fork();
	if (pid == 0) {
		dup2(pfd[1], 1);
		close(pfd[0]);
		close(pfd[1]);
		no_leak_check();
		execv(path, argv);
		_exit(127);
	}
	close(pfd[1]);
	n = read(pfd[0], line, cap - 1);
	line[n > 0 ? n : 0] = '\0';
	close(pfd[0]);
	if (wait_exit && pid > 0) {
		int st;
		waitpid(pid, &st, 0);
		if (!WIFEXITED(st) || WEXITSTATUS(st) != 0)
			line[0] = '\0';
	}
	return pid;
}

static pid_t start_server(const struct cfg *c)
{
	char port[16], line[64];
	const char *const arg[3] = { "server", port, NULL };
	pid_t pid;

	snprintf(port, sizeof port, "%u", c->port);
	pid = spawn(c, "wt-srv", arg, line, sizeof line, false);
	return pid > 0 && strncmp(line, "ready", 5) == 0 ? pid : -1;
}

static pid_t run_client(const struct cfg *c, enum kind k, uint16_t bindp, uint16_t *lport)
{
	static const char *const kind_arg[NKINDS] = { "tcp", "udp", "udpc", "ping" };
	char port[16], line[64];
	const char *const arg[3] = { "client", kind_arg[k], port };
	pid_t pid;

	/* bind port and family ride in the port argument as "PORT:BIND:FAMILY" */
	snprintf(port, sizeof port, "%u:%u:%d", c->port, bindp, c->family);
	pid = spawn(c, kind_names[k], arg, line, sizeof line, true);
	*lport = (uint16_t)atoi(line);
	return line[0] ? pid : -1;
}

static uint8_t l4_of(enum kind k)
{
	return k == K_TCP ? L4_TCP : k == K_PING ? L4_ICMP : L4_UDP;
}

struct tally {
	int right, wrong, unknown;
};

static void check_one(struct attr *a, int family, uint8_t l4, uint16_t sp, uint16_t dp,
		      pid_t want, const char *name, struct tally *t)
{
	uint8_t lo[16] = { 127, 0, 0, 1 };
	struct proc_ref r;

	if (family == 6)
		memcpy(lo, &in6addr_loopback, 16);
	if (!attr_lookup(a, l4, (uint8_t)family, lo, sp, lo, dp, &r))
		t->unknown++;
	else if (r.pid == want && strcmp(r.name, name) == 0)
		t->right++;
	else {
		t->wrong++;
		printf("INFO wrong: l4 %u %u->%u want %d %s, got %d %s\n", l4, sp, dp, (int)want, name,
		       (int)r.pid, r.name);
	}
}

static int report(const char *what, const struct tally *t, int total, int min_pct)
{
	double pct = total ? 100.0 * t->right / total : 0;
	bool pass = pct + 1e-9 >= min_pct;

	printf("%s %s %d/%d (%.1f%%) right, %d wrong, %d unknown\n",
	       min_pct > 0 ? (pass ? "PASS" : "FAIL") : "INFO", what, t->right, total, pct, t->wrong,
	       t->unknown);
	return min_pct > 0 && !pass;
}

/* The same tuple in another namespace, made by another process, after ours. */
static int collide(const struct cfg *c, struct attr *a)
{
	uint16_t lp = 0;
	pid_t ours = run_client(c, K_TCP, 45000, &lp), child;
	struct tally t = { 0, 0, 0 };
	int fds[2];
	char made = 0;

	if (ours < 0 || lp != 45000 || pipe(fds) != 0)
		return report("netns-collision (setup)", &t, 1, 100);
	child = fork();
	if (child == 0) {
		int ns = open(c->collide, O_RDONLY | O_CLOEXEC);
		uint16_t lp2 = 0;
		pid_t s2;
		if (ns < 0 || setns(ns, CLONE_NEWNET) != 0 || (s2 = start_server(c)) < 0)
			_exit(2);
		made = run_client(c, K_TCP, 45000, &lp2) > 0 && lp2 == 45000;
		kill(s2, SIGTERM);
		waitpid(s2, NULL, 0);
		_exit(write(fds[1], &made, 1) == 1 ? 0 : 3);
	}
	close(fds[1]);
	if (read(fds[0], &made, 1) != 1)
		made = 0;
	close(fds[0]);
	waitpid(child, NULL, 0);
	sleep_ms(c->wait_ms);
	if (!made)
		return report("netns-collision (second namespace setup)", &t, 1, 100);
	check_one(a, c->family, L4_TCP, 45000, c->port, ours, "wt-cli-tcp", &t);
	return report("netns-collision (same tuple in two namespaces)", &t, 1, 100);
}

/* The helper started, and no call outside its allowlist killed it since. */
static int helper_serving(struct attr *a)
{
	struct attr_stats st;
	char seen[160];
	bool ok = attr_helper_of(a) > 0;

	attr_get_stats(a, &st);
	attr_describe(a, seen, sizeof seen);
	printf("%s attribution helper serving after %llu scans (%s; %s)\n", ok ? "PASS" : "FAIL",
	       (unsigned long long)st.scans, seen, attr_backend_notes(a));
	return !ok;
}

static int parse_args(int argc, char **argv, struct cfg *c)
{
	memset(c, 0, sizeof *c);
	c->backend = "auto";
	c->clients = 200;
	c->port = 47000;
	c->min_pct = 99;
	c->min_server = -1;
	c->wait_ms = 300;
	c->family = 4;
	for (int i = 1; i < argc; i++) {
		const char *v = i + 1 < argc ? argv[i + 1] : NULL;
		if (strcmp(argv[i], "--ping") == 0 || strcmp(argv[i], "--drop") == 0) {
			*(argv[i][2] == 'p' ? &c->ping : &c->drop) = true;
			continue;
		}
		if (strcmp(argv[i], "--v6") == 0) {
			c->family = 6;
			continue;
		}
		if (strcmp(argv[i], "--list") == 0 || strcmp(argv[i], "--helper") == 0) {
			*(argv[i][2] == 'l' ? &c->list : &c->helper) = true;
			continue;
		}
		if (!v)
			return -1;
		if (strcmp(argv[i], "--backend") == 0)
			c->backend = v;
		else if (strcmp(argv[i], "--netns") == 0)
			c->netns = v;
		else if (strcmp(argv[i], "--collide") == 0)
			c->collide = v;
		else if (strcmp(argv[i], "--clients") == 0)
			c->clients = atoi(v);
		else if (strcmp(argv[i], "--port") == 0)
			c->port = (uint16_t)atoi(v);
		else if (strcmp(argv[i], "--min") == 0)
			c->min_pct = atoi(v);
		else if (strcmp(argv[i], "--min-server") == 0)
			c->min_server = atoi(v);
		else if (strcmp(argv[i], "--wait-ms") == 0)
			c->wait_ms = atoi(v);
		else
			return -1;
		i++;
	}
	if (c->min_server < 0)
		c->min_server = c->min_pct;
	return c->clients > 0 && c->clients <= MAX_CLIENTS ? 0 : -1;
}

static const char *const be_expect[][2] = {
	{ "bpf", "ebpf" }, { "ebpf", "ebpf" }, { "diag", "sock_diag" }, { "sock_diag", "sock_diag" },
	{ "procfs", "procfs" }, { "none", "none" },
};

static bool backend_is(const char *asked, const char *got)
{
	for (size_t i = 0; i < sizeof be_expect / sizeof be_expect[0]; i++)
		if (strcmp(asked, be_expect[i][0]) == 0)
			return strcmp(got, be_expect[i][1]) == 0;
	return true; /* auto */
}

static void mark_reused(struct client *cl, int n)
{
	for (int i = 0; i < n; i++)
		for (int j = i + 1; j < n && !cl[i].reused; j++)
			cl[i].reused = cl[j].pid > 0 && l4_of(cl[j].kind) == l4_of(cl[i].kind) &&
				       cl[j].lport == cl[i].lport;
}

/* How many exited clients still have their command line and executable:
 * read from /proc while they lived (a few ms), kept after they exited. */
static void report_details(struct attr *a, const struct client *cl, int n)
{
	int have = 0, asked = 0;

	for (int i = 0; i < n; i++) {
		struct attr_proc_detail d;
		if (cl[i].pid <= 0 || cl[i].reused)
			continue;
		asked++;
		have += attr_lookup_detail(a, cl[i].pid, &d) && strstr(d.cmdline, " client ") &&
			d.exe[0];
	}
	printf("INFO %d/%d exited clients have exe and command line in their details\n", have,
	       asked);
}

static int run_clients(const struct cfg *c, struct attr *a, pid_t srv, struct client *cl)
{
	struct tally cli = { 0, 0, 0 }, srvt = { 0, 0, 0 }, per[K_PING];
	int counts[K_PING] = { 0 }, reused = 0, total = 0, fails = 0;
	char what[96];

	memset(per, 0, sizeof per);
	for (int i = 0; i < c->clients; i++) {
		cl[i].kind = (enum kind)(i % K_PING);
		cl[i].pid = run_client(c, cl[i].kind, 0, &cl[i].lport);
	}
	sleep_ms(c->wait_ms);
	mark_reused(cl, c->clients);
	for (int i = 0; i < c->clients; i++) {
		if (cl[i].reused) {
			reused++;
			continue;
		}
		total++;
		if (cl[i].pid <= 0) {
			cli.unknown++;
			continue;
		}
		counts[cl[i].kind]++;
		check_one(a, c->family, l4_of(cl[i].kind), cl[i].lport, c->port, cl[i].pid,
			  kind_names[cl[i].kind], &per[cl[i].kind]);
		check_one(a, c->family, l4_of(cl[i].kind), c->port, cl[i].lport, srv, "wt-srv",
			  &srvt);
	}
	for (int k = 0; k < K_PING; k++) {
		cli.right += per[k].right;
		cli.wrong += per[k].wrong;
		cli.unknown += per[k].unknown;
		snprintf(what, sizeof what, "  %s", kind_names[k]);
		report(what, &per[k], counts[k], 0);
	}
	printf("INFO %d clients, %d of them left out: a later client reused the 5-tuple\n",
	       c->clients, reused);
	report_details(a, cl, c->clients);
	snprintf(what, sizeof what, "%s IPv%d short-lived clients, right pid and name", c->backend,
		 c->family);
	fails += report(what, &cli, total, c->min_pct);
	snprintf(what, sizeof what, "%s IPv%d server side of those connections", c->backend,
		 c->family);
	fails += report(what, &srvt, total, c->min_server);
	return fails;
}

/* One connected ping socket (ICMP has no ports: one pinger at a time). */
static int ping_once(const struct cfg *c, struct attr *a)
{
	struct tally t = { 0, 0, 0 };
	uint16_t id = 0;
	pid_t pid = run_client(c, K_PING, 0, &id);

	if (pid < 0) {
		printf("INFO icmp: no ping socket here (net.ipv4.ping_group_range)\n");
		return 0;
	}
	sleep_ms(c->wait_ms);
	check_one(a, 4, L4_ICMP, 0, 0, pid, kind_names[K_PING], &t);
	return report("icmp connected ping socket", &t, 1, c->min_pct ? 100 : 0);
}

/* nobody, and the link directory with it (so it can be removed after). */
static int drop_privileges(const struct cfg *c)
{
	static const char *const names[] = { "wt-srv", "wt-cli-tcp", "wt-cli-udp", "wt-cli-udpc",
					     "wt-cli-ping" };
	const uid_t nobody = 65534;

	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
		char p[128];
		snprintf(p, sizeof p, "%s/%s", c->dir, names[i]);
		if (lchown(p, nobody, nobody) != 0)
			return -1;
	}
	if (chown(c->dir, nobody, nobody) != 0 || setgroups(0, NULL) != 0 ||
	    setgid(nobody) != 0 || setuid(nobody) != 0)
		return -1;
	printf("INFO running as uid %d from here on\n", (int)getuid());
	return 0;
}

/* Descriptors of eBPF objects (programs, links, maps) this process holds. */
static int bpf_fds(void)
{
	DIR *d = opendir("/proc/self/fd");
	struct dirent *e;
	int n = 0;

	while (d && (e = readdir(d)) != NULL) {
		char path[300], link[64];
		ssize_t len;
		snprintf(path, sizeof path, "/proc/self/fd/%s", e->d_name);
		len = readlink(path, link, sizeof link - 1);
		if (len > 0) {
			link[len] = '\0';
			n += strncmp(link, "anon_inode:bpf", 14) == 0;
		}
	}
	if (d)
		closedir(d);
	return n;
}

/* --list: the clients and who they were, nothing else. */
static int list_clients(const struct cfg *c)
{
	pid_t srv = start_server(c);

	if (srv <= 0) {
		printf("FAIL server did not start\n");
		return 1;
	}
	for (int i = 0; i < c->clients; i++) {
		enum kind k = (enum kind)(i % K_PING);
		uint16_t lport = 0;
		pid_t pid = run_client(c, k, 0, &lport);
		if (pid > 0)
			printf("CLIENT %s %u %d %s\n", k == K_TCP ? "TCP" : "UDP", lport, (int)pid,
			       kind_names[k]);
	}
	kill(srv, SIGTERM);
	waitpid(srv, NULL, 0);
	return 0;
}

static int drive(struct cfg *c)
{
	struct attr_opts o = { .backend = c->backend, .helper = c->helper,
			       .helper_violation = SANDBOX_KILL };
	struct wt_err err = { WT_OK, "" };
	struct attr *a = NULL;
	struct client *cl = calloc((size_t)c->clients, sizeof *cl);
	pid_t srv;
	int fails;

	if (attr_open(&a, &o, &err) != 0) {
		printf("FAIL attr_open: %s\n", err.msg);
		return 1;
	}
	printf("INFO backend %s; notes: %s\n", attr_backend_name(a), attr_backend_notes(a));
	if (!backend_is(c->backend, attr_backend_name(a))) {
		attr_close(a);
		free(cl);
		return 3;
	}
	if (c->drop && drop_privileges(c) != 0) {
		printf("FAIL cannot become nobody: %s\n", strerror(errno));
		attr_close(a);
		free(cl);
		return 1;
	}
	srv = start_server(c);
	if (srv <= 0) {
		printf("FAIL server did not start\n");
		attr_close(a);
		free(cl);
		return 1;
	}
	fails = run_clients(c, a, srv, cl);
	if (c->ping)
		fails += ping_once(c, a);
	if (c->collide)
		fails += collide(c, a);
	if (c->helper)
		fails += helper_serving(a);
	kill(srv, SIGTERM);
	waitpid(srv, NULL, 0);
	{
		struct attr_stats st;
		attr_get_stats(a, &st);
		printf("INFO events %llu lost %llu scans %llu entries %llu thread cpu %.1f ms\n",
		       (unsigned long long)st.events, (unsigned long long)st.lost,
		       (unsigned long long)st.scans, (unsigned long long)st.entries,
		       st.thread_cpu_ns / 1e6);
	}
	{
		int held = bpf_fds();
		attr_close(a);
		if (held > 0) { /* eBPF was in use */
			int left = bpf_fds();
			printf("%s attr_close released every eBPF object (%d held before, %d after)\n",
			       left ? "FAIL" : "PASS", held, left);
			fails += left != 0;
		}
	}
	free(cl);
	return fails ? 1 : 0;
}

int main(int argc, char **argv)
{
	struct cfg c;
	int rc;

	if (argc > 1 && strcmp(argv[1], ATTR_HELPER_ARG) == 0)
		return attr_helper_main(argc, argv);
	if (argc >= 4 && strcmp(argv[1], "client") == 0) {
		unsigned port = 0, bind = 0;
		int family = 4;
		sscanf(argv[3], "%u:%u:%d", &port, &bind, &family);
		return client_main(argv[2], family, (uint16_t)port, (uint16_t)bind);
	}
	if (argc >= 3 && strcmp(argv[1], "server") == 0)
		return server_main((uint16_t)atoi(argv[2]));
	if (argc >= 4 && strcmp(argv[1], "hold-server") == 0)
		return hold_server(argv[2], argv[3]);
	if (argc >= 5 && strcmp(argv[1], "hold-client") == 0)
		return hold_client(argv[2], argv[3], argv[4]);
	if (parse_args(argc, argv, &c) != 0) {
		fprintf(stderr, "usage: attr_driver --backend B [--netns PATH] [--collide PATH] "
				"[--clients N] [--port P] [--min PCT] [--wait-ms MS] [--ping] [--drop] "
				"[--v6]\n       attr_driver --list [--netns PATH] [--clients N] "
				"[--port P] [--v6]\n");
		return 2;
	}
	if (c.netns) {
		int ns = open(c.netns, O_RDONLY | O_CLOEXEC);
		if (ns < 0 || setns(ns, CLONE_NEWNET) != 0) {
			printf("FAIL cannot enter %s: %s\n", c.netns, strerror(errno));
			return 1;
		}
		close(ns);
	}
	if (make_links(&c) != 0) {
		printf("FAIL cannot make client links in /tmp\n");
		return 1;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	rc = c.list ? list_clients(&c) : drive(&c);
	remove_links(&c);
	return rc;
}
