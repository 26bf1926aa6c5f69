/* Unit tests for src/attr: the /proc and sock_diag parsers on fixtures (a
 * fake /proc tree, recorded netlink replies), process details, the LRU
 * table, and the whole procfs back end end to end.
 * No root needed. Fixtures: tests/fixtures/attr (see make_proc.sh and
 * record_diag.py there).
 */
#include "check.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "attr/attr.h"
#include "attr/attr_int.h"
#include "attr/lru.h"
#include "decode/pkt.h"

#define FIX "tests/fixtures/attr"
#define PROC FIX "/proc"

struct socks {
	struct attr_sock v[32];
	int n;
};

static void add_sock(void *ctx, const struct attr_sock *s)
{
	struct socks *ss = ctx;
	if (ss->n < 32)
		ss->v[ss->n++] = *s;
}

static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf;
	long n;

	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	buf = malloc((size_t)n + 1);
	*len = fread(buf, 1, (size_t)n, f);
	buf[*len] = '\0';
	fclose(f);
	return buf;
}

static void ip4(uint8_t out[16], int a, int b, int c, int d)
{
	memset(out, 0, 16);
	out[0] = (uint8_t)a;
	out[1] = (uint8_t)b;
	out[2] = (uint8_t)c;
	out[3] = (uint8_t)d;
}

static int parse_file(const char *leaf, uint8_t family, uint8_t l4, struct socks *ss)
{
	char path[256];
	size_t len = 0;
	char *text;
	int n;

	snprintf(path, sizeof path, PROC "/net/%s", leaf);
	text = slurp(path, &len);
	if (!text)
		return -2;
	memset(ss, 0, sizeof *ss);
	n = attr_procfs_parse_net(text, len, family, l4, add_sock, ss);
	free(text);
	return n;
}

static const struct attr_sock *by_inode(const struct socks *ss, uint64_t inode)
{
	for (int i = 0; i < ss->n; i++)
		if (ss->v[i].inode == inode)
			return &ss->v[i];
	return NULL;
}

/* ---- /proc/net parsers ---------------------------------------------------- */

static void test_procfs_tcp4(void)
{
	struct socks ss;
	uint8_t a[16];
	const struct attr_sock *s;

	CHECK_INT(parse_file("tcp", 4, L4_TCP, &ss), 5);
	s = by_inode(&ss, 1002);
	CHECK(s != NULL);
	if (!s)
		return;
	CHECK_INT(s->family, 4);
	CHECK_INT(s->l4, L4_TCP);
	CHECK_INT(s->state, 1);
	CHECK_INT(s->lport, 51000);
	CHECK_INT(s->rport, 443);
	CHECK_INT(s->uid, 54321);
	ip4(a, 10, 0, 0, 5);
	CHECK_MEM(s->laddr, a, 16);
	ip4(a, 93, 184, 216, 34);
	CHECK_MEM(s->raddr, a, 16);
	s = by_inode(&ss, 1001);
	CHECK(s && s->state == 10 && s->lport == 22 && s->rport == 0);
	CHECK(by_inode(&ss, 0) != NULL); /* TIME_WAIT is listed, with no owner */
}

static void test_procfs_tcp6_folds_v4_mapped(void)
{
	struct socks ss;
	uint8_t a[16], zero[16] = { 0 };
	const struct attr_sock *s;

	CHECK_INT(parse_file("tcp6", 6, L4_TCP, &ss), 2);
	s = by_inode(&ss, 1004);
	CHECK(s != NULL);
	if (!s)
		return;
	CHECK_INT(s->family, 4);
	ip4(a, 10, 0, 0, 5);
	CHECK_MEM(s->laddr, a, 16);
	ip4(a, 10, 0, 0, 9);
	CHECK_MEM(s->raddr, a, 16);
	CHECK_INT(s->lport, 8080);
	CHECK_INT(s->rport, 40000);
	s = by_inode(&ss, 1003);
	CHECK(s && s->family == 6 && memcmp(s->laddr, zero, 16) == 0 && s->lport == 8080);
}

static void test_procfs_udp6_and_icmp(void)
{
	static const uint8_t l6[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 5 };
	static const uint8_t r6[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 9 };
	struct socks ss;
	uint8_t a[16];

	CHECK_INT(parse_file("udp6", 6, L4_UDP, &ss), 1);
	CHECK_INT(ss.v[0].family, 6);
	CHECK_MEM(ss.v[0].laddr, l6, 16);
	CHECK_MEM(ss.v[0].raddr, r6, 16);
	CHECK_INT(ss.v[0].lport, 443);
	CHECK_INT(ss.v[0].rport, 50000);

	CHECK_INT(parse_file("icmp", 4, L4_ICMP, &ss), 1);
	CHECK_INT(ss.v[0].l4, L4_ICMP);
	CHECK_INT(ss.v[0].lport, 0); /* the echo id is not a port */
	ip4(a, 1, 1, 1, 1);
	CHECK_MEM(ss.v[0].raddr, a, 16);
}

static void test_procfs_rejects_bad_input(void)
{
	static const char bad_header[] = "garbage\n   0: 0100007F:0277 00000000:0000 0A 0:0 0:0 0 0 0 5\n";
	static const char bad_lines[] =
		"  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n"
		"   0: 0100007:0277 00000000:0000 0A 00000000:00000000 00:00000000 00000000 0 0 11\n"
		"   1: 0100007F:0277 00000000:0000 0A 00000000:00000000 00:00000000 00000000 0 0 x12\n"
		"   2: 0100007F:0277 0000000G:0000 0A 00000000:00000000 00:00000000 00000000 0 0 13\n"
		"   3: 0100007F:0277 00000000:0000 0A 00000000:00000000 00:00000000 00000000 0 0 14\n"
		"   4: 0100007F:02";
	struct socks ss;

	memset(&ss, 0, sizeof ss);
	CHECK_INT(attr_procfs_parse_net(bad_header, sizeof bad_header - 1, 4, L4_TCP, add_sock, &ss), -1);
	CHECK_INT(attr_procfs_parse_net(bad_lines, sizeof bad_lines - 1, 4, L4_TCP, add_sock, &ss), 1);
	CHECK_INT(ss.v[0].inode, 14);
	CHECK_INT(ss.v[0].lport, 631);
	CHECK_INT(attr_procfs_parse_net(bad_lines, sizeof bad_lines - 1, 5, L4_TCP, add_sock, &ss), -1);
}

/* ---- /proc/<pid>/fd -------------------------------------------------------- */

struct fdmap {
	uint64_t inode[32];
	int32_t pid[32];
	int n;
};

static void add_fd(void *ctx, uint64_t inode, int32_t pid)
{
	struct fdmap *m = ctx;
	if (m->n < 32) {
		m->inode[m->n] = inode;
		m->pid[m->n++] = pid;
	}
}

static bool only_1004(void *ctx, uint64_t inode)
{
	(void)ctx;
	return inode == 1004;
}

static int32_t fd_owner(const struct fdmap *m, uint64_t inode)
{
	for (int i = 0; i < m->n; i++)
		if (m->inode[i] == inode)
			return m->pid[i];
	return -1;
}

static void test_scan_fds(void)
{
	struct fdmap m;

	memset(&m, 0, sizeof m);
	/* every process is looked at, 1 and 800 (parents, no descriptors) too */
	CHECK_INT(attr_procfs_scan_fds(PROC, NULL, add_fd, &m), 12);
	CHECK_INT(m.n, 10); /* sockets only: /dev/null and the pipe are not */
	CHECK_INT(fd_owner(&m, 1001), 100);
	CHECK_INT(fd_owner(&m, 1003), 400);
	CHECK_INT(fd_owner(&m, 1004), 400);
	CHECK_INT(fd_owner(&m, 1009), 503);
	CHECK_INT(fd_owner(&m, 1011), 700);
	CHECK_INT(fd_owner(&m, 1008), -1);

	memset(&m, 0, sizeof m);
	attr_procfs_scan_fds(PROC, only_1004, add_fd, &m);
	CHECK_INT(m.n, 1);
	CHECK_INT(fd_owner(&m, 1004), 400);
	CHECK_INT(attr_procfs_scan_fds(FIX "/no-such-dir", NULL, add_fd, &m), -1);
}

/* A whole scan: our namespace's tables and those of every other namespace a
 * process lives in, each socket with its namespace and owner. */
static void test_scan_every_namespace(void)
{
	struct attr_scanner *sc = attr_scanner_new(PROC, ATTR_TABLES_PROCFS);
	struct attr_reach reach;
	struct socks ss;
	const struct attr_sock *s;

	memset(&ss, 0, sizeof ss);
	CHECK_INT(attr_scanner_run(sc, add_sock, &ss, &reach), 0);
	CHECK_INT(reach.procs, 10);
	CHECK_INT(reach.procs_hidden, 0);
	CHECK_INT(reach.netns, 2);
	s = by_inode(&ss, 1004); /* nginx's end, in our namespace */
	CHECK(s && s->pid == 400 && s->netns == 4026531840ull);
	s = by_inode(&ss, 1011); /* wget's end, in the container's */
	CHECK(s && s->pid == 700 && s->netns == 4026532777ull && s->lport == 40000);
	s = by_inode(&ss, 1008); /* a listener nobody holds */
	CHECK(s && s->pid == 0);
	CHECK(by_inode(&ss, 0) == NULL); /* TIME_WAIT: no owner to name, left out */
	attr_scanner_free(sc);
}

/* ---- process details ---------------------------------------------------------- */

static void test_proc_read(void)
{
	struct attr_proc_detail d;

	CHECK(attr_proc_read(PROC, 100, &d));
	CHECK_INT(d.ref.pid, 100);
	CHECK_STR(d.ref.name, "sshd");
	CHECK_STR(d.exe, "/usr/sbin/sshd");
	CHECK_STR(d.cmdline, "/usr/sbin/sshd -D");
	CHECK_INT(d.ref.uid, 0);
	CHECK_STR(d.ref.user, "root");
	CHECK_STR(d.cgroup, "/system.slice/ssh.service");
	CHECK_STR(d.unit, "ssh.service");
	CHECK_STR(d.container, "");
	CHECK(!d.exited);

	CHECK(attr_proc_read(PROC, 200, &d));
	CHECK_INT(d.ref.uid, 54321);
	CHECK_STR(d.ref.user, "54321"); /* no such user: the number */
	CHECK_STR(d.unit, "session-3.scope");

	CHECK(!attr_proc_read(PROC, 999, &d));
	CHECK(d.exited);
}

static void test_proc_name_longer_than_comm(void)
{
	struct attr_proc_detail d;

	CHECK(attr_proc_read(PROC, 300, &d));
	CHECK_STR(d.ref.name, "ThisIsALongProcessName");
	CHECK(attr_proc_read(PROC, 600, &d));
	CHECK_STR(d.ref.name, "evil\\x1b[2J");
}

static void test_proc_container_and_hybrid_cgroups(void)
{
	struct attr_proc_detail d;

	CHECK(attr_proc_read(PROC, 400, &d));
	CHECK_STR(d.container_id, "4f1b3c8e9d2a7b6c5e4f3a2b1c0d9e8f7a6b5c4d3e2f1a0b9c8d7e6f5a4b3c2d");
	CHECK_STR(d.container, "4f1b3c8e9d2a"); /* no runtime metadata read: the short id */
	CHECK(strncmp(d.unit, "docker-4f1b3c8e", 15) == 0);
	CHECK_STR(d.cmdline, "nginx: master process nginx");

	CHECK(attr_proc_read(PROC, 500, &d));
	CHECK_STR(d.cgroup, "/system.slice/dnsmasq.service");
	CHECK_STR(d.unit, "dnsmasq.service");
	CHECK_STR(d.ref.user, "nobody");
}

/* ---- sock_diag replies ----------------------------------------------------------- */

static const struct attr_sock *by_ports(const struct socks *ss, uint16_t l, uint16_t r)
{
	for (int i = 0; i < ss->n; i++)
		if (ss->v[i].lport == l && ss->v[i].rport == r)
			return &ss->v[i];
	return NULL;
}

/* ---- parents ----------------------------------------------------------------- */

/* A name is whatever the process chose, spaces and parentheses too: it
 * ends at the last ')'. */
static void test_stat_parse(void)
{
	static const char line[] = "4242 (a) (b) S 731 4242 4242 0 -1 4194560 100 0 0 0 1 1 0 0 "
				   "20 0 1 0 123456789 1000000 100\n";
	static const char spaced[] = "77 (Web Content) R 70 77 77 0 -1 0 0 0 0 0 0 0 0 0 20 0 9 0 5";
	static const char shortline[] = "5 (x) S 1";
	struct attr_stat st;

	CHECK(attr_stat_parse(line, strlen(line), &st));
	CHECK_INT(st.pid, 4242);
	CHECK_STR(st.comm, "a) (b");
	CHECK_INT(st.state, 'S');
	CHECK_INT(st.ppid, 731);
	CHECK(st.start_ticks == 123456789u);
	CHECK(attr_stat_parse(spaced, strlen(spaced), &st));
	CHECK_STR(st.comm, "Web Content");
	CHECK_INT(st.ppid, 70);
	CHECK(st.start_ticks == 5);
	/* no start time yet: the rest still counts */
	CHECK(attr_stat_parse(shortline, strlen(shortline), &st));
	CHECK_INT(st.ppid, 1);
	CHECK(st.start_ticks == 0);
	/* only the given bytes are read: the parent is cut off */
	CHECK(!attr_stat_parse(line, 14, &st));
	CHECK(!attr_stat_parse("", 0, &st));
	CHECK(!attr_stat_parse("12 comm S 1", 11, &st));  /* no parentheses */
	CHECK(!attr_stat_parse("(x) S 1", 7, &st));       /* no pid */
	CHECK(!attr_stat_parse("3 )x( S 1", 9, &st));     /* closed before opened */
	CHECK(!attr_stat_parse("3 (x)", 5, &st));         /* no state, no parent */
}

/* The fixture's parents (make_proc.sh): the chain ends after pid 1, is cut
 * at four, and a name that would steer a terminal is stored escaped. */
static void test_proc_lineage(void)
{
	struct attr_proc_detail d;

	CHECK(attr_proc_read(PROC, 200, &d));
	CHECK_INT(d.ppid, 800);
	CHECK(d.start_ticks == 2005);
	attr_proc_lineage(PROC, d.ppid, &d);
	CHECK_INT(d.nparents, 3);
	CHECK_INT(d.parents[0].pid, 800);
	CHECK_STR(d.parents[0].name, "a) (b");
	CHECK_STR(d.parents[0].exe, "/usr/bin/bash");
	CHECK_INT(d.parents[1].pid, 100);
	CHECK_STR(d.parents[1].name, "sshd");
	CHECK_STR(d.parents[1].exe, "/usr/sbin/sshd");
	CHECK_INT(d.parents[2].pid, 1);
	CHECK_STR(d.parents[2].name, "systemd");

	memset(&d, 0, sizeof d);
	attr_proc_lineage(PROC, 502, &d); /* ping's */
	CHECK_INT(d.nparents, 4);
	CHECK_INT(d.parents[0].pid, 502);
	CHECK_INT(d.parents[3].pid, 400);
	CHECK_STR(d.parents[3].name, "nginx");

	attr_proc_lineage(PROC, 600, &d); /* wget's */
	CHECK_INT(d.nparents, 4);
	CHECK_STR(d.parents[0].name, "evil\\x1b[2J");
	CHECK_STR(d.parents[1].name, "curl");

	attr_proc_lineage(PROC, 999, &d); /* gone */
	CHECK_INT(d.nparents, 0);
	attr_proc_lineage(PROC, 0, &d);
	CHECK_INT(d.nparents, 0);
}

static void test_diag_tcp4_recorded(void)
{
	struct socks ss;
	struct wt_err err = { WT_OK, "" };
	uint8_t lo[16];
	size_t len = 0;
	uint8_t *buf = (uint8_t *)slurp(FIX "/diag_tcp4.bin", &len);
	const struct attr_sock *s;

	CHECK(buf != NULL);
	if (!buf)
		return;
	memset(&ss, 0, sizeof ss);
	CHECK_INT(attr_diag_parse(buf, len, L4_TCP, add_sock, &ss, &err), 1);
	CHECK_INT(ss.n, 3);
	ip4(lo, 127, 0, 0, 1);
	s = by_ports(&ss, 5555, 0);
	CHECK(s && s->state == 10 && s->family == 4 && s->inode != 0);
	s = by_ports(&ss, 45678, 5555);
	CHECK(s && s->state == 1 && s->l4 == L4_TCP && s->inode != 0);
	if (s) {
		CHECK_MEM(s->laddr, lo, 16);
		CHECK_MEM(s->raddr, lo, 16);
	}
	s = by_ports(&ss, 5555, 45678);
	CHECK(s && s->state == 1 && s->uid == 0);

	/* cut short in the middle of a message: an error, not a crash */
	memset(&ss, 0, sizeof ss);
	CHECK_INT(attr_diag_parse(buf, 100, L4_TCP, add_sock, &ss, &err), -1);
	CHECK(strstr(err.msg, "malformed") != NULL);
	/* the first message alone: fine, more to come */
	memset(&ss, 0, sizeof ss);
	CHECK_INT(attr_diag_parse(buf, buf[0] | (size_t)buf[1] << 8, L4_TCP, add_sock, &ss, &err), 0);
	CHECK_INT(ss.n, 1);
	free(buf);
}

static void test_diag_udp6_recorded(void)
{
	static const uint8_t lo6[16] = { [15] = 1 }, any6[16] = { 0 };
	struct socks ss;
	struct wt_err err = { WT_OK, "" };
	size_t len = 0;
	uint8_t *buf = (uint8_t *)slurp(FIX "/diag_udp6.bin", &len);
	const struct attr_sock *s;

	CHECK(buf != NULL);
	if (!buf)
		return;
	memset(&ss, 0, sizeof ss);
	CHECK_INT(attr_diag_parse(buf, len, L4_UDP, add_sock, &ss, &err), 1);
	CHECK_INT(ss.n, 2);
	s = by_ports(&ss, 5353, 6000);
	CHECK(s && s->family == 6 && s->l4 == L4_UDP);
	if (s) {
		CHECK_MEM(s->laddr, lo6, 16);
		CHECK_MEM(s->raddr, lo6, 16);
	}
	s = by_ports(&ss, 5300, 0);
	CHECK(s && memcmp(s->laddr, any6, 16) == 0);
	free(buf);
}

static void test_diag_error_reply(void)
{
	/* nlmsghdr (len 36, NLMSG_ERROR) + error -EPERM + the request's header */
	uint8_t b[36] = { 36, 0, 0, 0, 2, 0, 0, 0 };
	int32_t e = -EPERM;
	struct wt_err err = { WT_OK, "" };
	struct socks ss;

	memcpy(b + 16, &e, 4);
	memset(&ss, 0, sizeof ss);
	CHECK_INT(attr_diag_parse(b, sizeof b, L4_TCP, add_sock, &ss, &err), -1);
	CHECK_INT(err.code, WT_ERR_PERM);
	b[0] = 200; /* length beyond the buffer */
	CHECK_INT(attr_diag_parse(b, sizeof b, L4_TCP, add_sock, &ss, &err), -1);
	CHECK_INT(ss.n, 0);
}

/* ---- the LRU table ------------------------------------------------------------------- */

static void test_lru_evicts_oldest(void)
{
	struct attr_lru *t = attr_lru_new(100, 8, 4, 4);
	uint32_t *v;
	bool fresh;

	for (uint32_t i = 0; i < 150; i++) {
		uint32_t key[2] = { i, 0 };
		v = attr_lru_put(t, key, &fresh);
		CHECK(fresh);
		*v = i * 10;
		if (i == 50) { /* 0 moves behind 1..50, the 50 to be evicted */
			uint32_t k0[2] = { 0, 0 };
			CHECK(attr_lru_get(t, k0) != NULL); /* 0 becomes recent */
		}
	}
	CHECK_INT(attr_lru_count(t), 100);
	{
		uint32_t k0[2] = { 0, 0 }, k1[2] = { 1, 0 }, k149[2] = { 149, 0 };
		v = attr_lru_get(t, k0);
		CHECK(v && *v == 0);
		CHECK(attr_lru_get(t, k1) == NULL);
		v = attr_lru_get(t, k149);
		CHECK(v && *v == 1490);
		CHECK(attr_lru_del(t, k149));
		CHECK(attr_lru_get(t, k149) == NULL);
		CHECK_INT(attr_lru_count(t), 99);
	}
	attr_lru_free(t);
}

static void test_lru_match_by_prefix(void)
{
	struct attr_lru *t = attr_lru_new(16, 8, 4, 4);
	uint32_t a[2] = { 7, 1 }, b[2] = { 7, 2 }, c[2] = { 8, 1 }, it = 0;
	const void *k;
	int n = 0, sum = 0;
	uint32_t *v;

	*(uint32_t *)attr_lru_put(t, a, NULL) = 1;
	*(uint32_t *)attr_lru_put(t, b, NULL) = 2;
	*(uint32_t *)attr_lru_put(t, c, NULL) = 4;
	while ((v = attr_lru_match(t, a, &it, &k)) != NULL) {
		n++;
		sum += (int)*v;
		CHECK_INT(((const uint32_t *)k)[0], 7);
	}
	CHECK_INT(n, 2);
	CHECK_INT(sum, 3);
	attr_lru_free(t);
}

/* ---- namespaces: who is credited, who is the peer ----------------------------------------- */

#define NS_HOST 4026531840ull
#define NS_BOX 4026532100ull
#define NS_BOX2 4026532200ull

/* A table with no back end; names come from the fixture /proc. */
static struct attr *bare_attr(uint64_t own_ns)
{
	struct attr *a = calloc(1, sizeof *a);

	a->be = &attr_be_none;
	snprintf(a->proc_root, sizeof a->proc_root, "%s", PROC);
	a->netns = own_ns;
	pthread_mutex_init(&a->mu, NULL);
	attr_tables_init(a);
	return a;
}

static void bare_free(struct attr *a)
{
	attr_tables_free(a);
	pthread_mutex_destroy(&a->mu);
	free(a);
}

/* A connected TCP socket of pid in namespace ns. */
static void tcp_fact(struct attr *a, int32_t pid, uint64_t ns, const uint8_t *l, uint16_t lp,
		     const uint8_t *r, uint16_t rp)
{
	struct attr_fact f;

	memset(&f, 0, sizeof f);
	f.l4 = L4_TCP;
	f.family = 4;
	memcpy(f.laddr, l, 16);
	memcpy(f.raddr, r, 16);
	f.lport = lp;
	f.rport = rp;
	f.source = ATTR_SRC_SCAN;
	f.netns = ns;
	f.pid = pid;
	attr_ingest(a, &f);
}

/* The owners of the flow src:sport -> dst:dport as the capture sees it:
 * credited pid, the end it owns, the peer's pid (0 none). */
static void check_owners(struct attr *a, const uint8_t *src, uint16_t sport, const uint8_t *dst,
			 uint16_t dport, int32_t pid, int side, int32_t peer)
{
	struct attr_owners o;

	memset(&o, 0, sizeof o);
	o.proc_side = -1;
	CHECK(attr_owners_locked(a, L4_TCP, 4, src, sport, dst, dport, &o));
	CHECK_INT(o.proc.pid, pid);
	CHECK_INT(o.proc_side, side);
	CHECK_INT(o.peer.pid, peer);
}

/* A veth between the host (nginx, pid 400) and a container (curl, pid
 * 200): the same connection is two sockets with mirrored tuples, one per
 * namespace. Whoever captures is credited with its own namespace's socket. */
static void test_netns_veth_credits_capturing_side(void)
{
	uint8_t host[16], box[16];
	struct attr_owners o;

	ip4(host, 10, 200, 0, 1);
	ip4(box, 10, 200, 0, 2);
	for (int view = 0; view < 2; view++) {
		struct attr *a = bare_attr(view == 0 ? NS_HOST : NS_BOX);
		tcp_fact(a, 200, NS_BOX, box, 40000, host, 8080);
		tcp_fact(a, 400, NS_HOST, host, 8080, box, 40000);
		if (view == 0)
			check_owners(a, box, 40000, host, 8080, 400, 1, 200);
		else
			check_owners(a, box, 40000, host, 8080, 200, 0, 400);
		memset(&o, 0, sizeof o);
		CHECK(attr_owners_locked(a, L4_TCP, 4, box, 40000, host, 8080, &o));
		CHECK_STR(o.proc.name, view == 0 ? "nginx" : "curl");
		CHECK_STR(o.peer.name, view == 0 ? "curl" : "nginx");
		bare_free(a);
	}
}

/* Our namespace holds neither end (a bridge carrying two containers'
 * traffic): the one namespace with the initiator's socket is credited, the
 * other container is the peer; the same tuple in two foreign namespaces is
 * ambiguous and names nobody. Loopback: both ends ours, initiator first. */
static void test_netns_bridge_loopback_and_ambiguity(void)
{
	uint8_t c1[16], c2[16], lo[16];
	struct attr *a = bare_attr(NS_HOST);

	ip4(c1, 172, 17, 0, 2);
	ip4(c2, 172, 17, 0, 3);
	tcp_fact(a, 200, NS_BOX, c1, 40000, c2, 8080);
	tcp_fact(a, 400, NS_BOX2, c2, 8080, c1, 40000);
	check_owners(a, c1, 40000, c2, 8080, 200, 0, 400);
	/* a third namespace with the initiator's tuple: the initiator is
	 * ambiguous, the responder is still known */
	tcp_fact(a, 501, NS_HOST + 7, c1, 40000, c2, 8080);
	check_owners(a, c1, 40000, c2, 8080, 400, 1, 0);

	ip4(lo, 127, 0, 0, 1);
	tcp_fact(a, 200, NS_HOST, lo, 40000, lo, 8080);
	tcp_fact(a, 400, NS_HOST, lo, 8080, lo, 40000);
	check_owners(a, lo, 40000, lo, 8080, 200, 0, 400);
	check_owners(a, lo, 8080, lo, 40000, 400, 0, 200); /* the other orientation */
	bare_free(a);
}

/* A fact from source src: a connected TCP socket, or (r NULL) a
 * listening one. */
static void fact_from(struct attr *a, uint8_t src, int32_t pid, uint64_t ns, const uint8_t *l,
		      uint16_t lp, const uint8_t *r, uint16_t rp)
{
	struct attr_fact f;

	memset(&f, 0, sizeof f);
	f.l4 = L4_TCP;
	f.family = 4;
	memcpy(f.laddr, l, 16);
	if (r)
		memcpy(f.raddr, r, 16);
	f.lport = lp;
	f.rport = rp;
	f.bound_only = r == NULL;
	f.source = src;
	f.netns = ns;
	f.pid = pid;
	attr_ingest(a, &f);
}

/* How the owner of src:sport -> dst:dport was found; -1 when none was. */
static int match_of(struct attr *a, const uint8_t *src, uint16_t sport, const uint8_t *dst,
		    uint16_t dport)
{
	struct attr_owners o;

	memset(&o, 0, sizeof o);
	if (!attr_owners_locked(a, L4_TCP, 4, src, sport, dst, dport, &o))
		return -1;
	return o.proc_match;
}

/* Every attribution says how it was made: the connection's own socket
 * (found by the scan at start, or since), in another namespace, or a
 * guess from the listener on its port. */
static void test_match_quality(void)
{
	uint8_t me[16], web[16], ext[16], box[16];
	struct attr *a = bare_attr(NS_HOST);

	ip4(me, 10, 0, 0, 5);
	ip4(web, 93, 184, 216, 34);
	ip4(ext, 192, 0, 2, 1);
	ip4(box, 10, 200, 0, 2);
	attr_locals_add(a, 4, me);
	/* the first scan (generation 0) finds curl's connection */
	fact_from(a, ATTR_SRC_SCAN, 200, NS_HOST, me, 51000, web, 443);
	fact_from(a, ATTR_SRC_SCAN, 100, NS_HOST, me, 22, NULL, 0);
	a->scan_gen = 1;
	CHECK_INT(match_of(a, me, 51000, web, 443), PROC_MATCH_PREEXISTING);
	CHECK_INT(match_of(a, web, 443, me, 51000), PROC_MATCH_PREEXISTING);
	/* found again by a later scan: still the one open at start */
	fact_from(a, ATTR_SRC_SCAN, 200, NS_HOST, me, 51000, web, 443);
	CHECK_INT(match_of(a, me, 51000, web, 443), PROC_MATCH_PREEXISTING);
	/* seen in its own context since (eBPF) */
	fact_from(a, ATTR_SRC_EVENT, 200, NS_HOST, me, 51000, web, 443);
	CHECK_INT(match_of(a, me, 51000, web, 443), PROC_MATCH_SOCKET);
	/* a socket a later scan finds */
	fact_from(a, ATTR_SRC_SCAN, 501, NS_HOST, me, 51002, web, 443);
	CHECK_INT(match_of(a, me, 51002, web, 443), PROC_MATCH_SOCKET);
	/* the tuple taken over by another process: not the one open at start */
	a->scan_gen = 0;
	fact_from(a, ATTR_SRC_SCAN, 300, NS_HOST, me, 51003, web, 443);
	a->scan_gen = 2;
	fact_from(a, ATTR_SRC_SCAN, 400, NS_HOST, me, 51003, web, 443);
	CHECK_INT(match_of(a, me, 51003, web, 443), PROC_MATCH_SOCKET);
	/* no socket of its own seen: sshd's listener is a guess */
	CHECK_INT(match_of(a, ext, 5000, me, 22), PROC_MATCH_LISTENER);
	/* eBPF credited the accepted socket to the listener's process */
	fact_from(a, ATTR_SRC_LISTENER, 100, NS_HOST, me, 22, ext, 5001);
	CHECK_INT(match_of(a, ext, 5001, me, 22), PROC_MATCH_LISTENER);
	/* only another namespace holds it (a container's connection seen on
	 * a bridge) */
	fact_from(a, ATTR_SRC_SCAN, 700, NS_BOX, box, 40000, web, 80);
	CHECK_INT(match_of(a, box, 40000, web, 80), PROC_MATCH_NETNS);
	CHECK_INT(match_of(a, ext, 1, web, 2), -1);
	CHECK_STR(proc_match_word(PROC_MATCH_LISTENER), "listener");
	CHECK(proc_match_word(PROC_MATCH_NONE) == NULL);
	bare_free(a);
}

/* ---- the procfs back end, end to end ------------------------------------------------------ */

static void sleep_ms(int ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };
	nanosleep(&ts, NULL);
}

/* Polls until a whole scan has been stored (3 s at most). */
static void wait_scanned(struct attr *a)
{
	struct attr_stats st;

	for (int i = 0; i < 300; i++) {
		attr_get_stats(a, &st);
		if (st.scans > 0)
			return;
		sleep_ms(10);
	}
}

/* Polls until the verdict is `want` or 3 s pass. */
static enum attr_verdict wait_verdict(struct attr *a, uint8_t l4, uint8_t fam, const uint8_t *s,
				      uint16_t sp, const uint8_t *d, uint16_t dp,
				      enum attr_verdict want, struct proc_ref *ref)
{
	enum attr_verdict v = ATTR_UNKNOWN;

	for (int i = 0; i < 300; i++) {
		v = attr_lookup_verdict(a, l4, fam, s, sp, d, dp, ref);
		if (v == want)
			break;
		sleep_ms(10);
	}
	return v;
}

static void test_backend_procfs_end_to_end(void)
{
	struct attr_opts o = { .backend = "procfs", .proc_root = PROC };
	struct wt_err err = { WT_OK, "" };
	struct attr *a = NULL;
	struct proc_ref r;
	struct attr_owners ow;
	struct attr_proc_detail d;
	char text[160];
	uint8_t me[16], web[16], peer[16], ext[16], lo[16], x1[16], x2[16];

	CHECK_INT(attr_open(&a, &o, &err), 0);
	if (!a)
		return;
	CHECK_STR(attr_backend_name(a), "procfs");
	CHECK_STR(attr_backend_notes(a), "");
	ip4(me, 10, 0, 0, 5);
	ip4(web, 93, 184, 216, 34);
	wait_scanned(a);
	attr_describe(a, text, sizeof text);
	CHECK_STR(text, "procfs: 10/10 processes, 2 netns");
	/* a scan adds its tables' sockets one by one (tcp, tcp6, udp, ...): on a
	 * loaded machine the later ones may not be in yet, so each lookup of a
	 * socket waits for it */
	CHECK_INT(wait_verdict(a, L4_TCP, 4, me, 51000, web, 443, ATTR_FOUND, &r), ATTR_FOUND);
	CHECK_INT(r.pid, 200);
	CHECK_STR(r.name, "curl");
	CHECK_STR(r.user, "54321");
	/* the other orientation: the local end is the destination */
	CHECK(attr_lookup(a, L4_TCP, 4, web, 443, me, 51000, &r));
	CHECK_INT(r.pid, 200);
	/* accepted on a dual-stack listener, listed as v4-mapped IPv6; the
	 * client is in a container's namespace: nginx is credited, wget is
	 * the peer */
	ip4(peer, 10, 0, 0, 9);
	CHECK_INT(wait_verdict(a, L4_TCP, 4, peer, 40000, me, 8080, ATTR_FOUND, &r), ATTR_FOUND);
	CHECK_INT(r.pid, 400);
	CHECK_INT(attr_lookup_owners(a, L4_TCP, 4, peer, 40000, me, 8080, &ow), ATTR_FOUND);
	CHECK_INT(ow.proc.pid, 400);
	CHECK_INT(ow.proc_side, 1);
	CHECK_INT(ow.peer.pid, 700);
	CHECK_STR(ow.peer.name, "wget");
	CHECK_INT(ow.proc_match, PROC_MATCH_PREEXISTING); /* the scan at start found it */
	/* a connection not in the table, to a listening port: the listener */
	ip4(ext, 192, 0, 2, 1);
	CHECK_INT(wait_verdict(a, L4_TCP, 4, ext, 5000, me, 22, ATTR_FOUND, &r), ATTR_FOUND);
	CHECK_STR(r.name, "sshd");
	CHECK_INT(attr_lookup_owners(a, L4_TCP, 4, ext, 5000, me, 22, &ow), ATTR_FOUND);
	CHECK_INT(ow.proc_match, PROC_MATCH_LISTENER);
	CHECK_INT(wait_verdict(a, L4_TCP, 4, ext, 5001, me, 9000, ATTR_FOUND, &r), ATTR_FOUND);
	CHECK_STR(r.name, "ThisIsALongProcessName");
	/* UDP to a server bound to any address; a connected UDP client */
	CHECK_INT(wait_verdict(a, L4_UDP, 4, ext, 3333, me, 53, ATTR_FOUND, &r), ATTR_FOUND);
	CHECK_STR(r.name, "dnsmasq");
	CHECK_STR(r.user, "nobody");
	ip4(x1, 8, 8, 8, 8);
	CHECK_INT(wait_verdict(a, L4_UDP, 4, me, 40001, x1, 53, ATTR_FOUND, &r), ATTR_FOUND);
	CHECK_STR(r.name, "dig");
	/* ping socket: by addresses only */
	ip4(x1, 1, 1, 1, 1);
	CHECK_INT(wait_verdict(a, L4_ICMP, 4, x1, 0, me, 0, ATTR_FOUND, &r), ATTR_FOUND);
	CHECK_INT(r.pid, 503);
	/* nobody holds the 127.0.0.1:631 listener: no owner, after the scans */
	ip4(lo, 127, 0, 0, 1);
	CHECK_INT(attr_lookup_verdict(a, L4_TCP, 4, lo, 40000, lo, 631, &r), ATTR_UNKNOWN);
	CHECK_INT(wait_verdict(a, L4_TCP, 4, lo, 40000, lo, 631, ATTR_NO_OWNER, &r), ATTR_NO_OWNER);
	CHECK_INT(r.pid, 0);
	/* two addresses that are not this host's */
	ip4(x1, 198, 51, 100, 1);
	ip4(x2, 198, 51, 100, 2);
	CHECK_INT(attr_lookup_verdict(a, L4_TCP, 4, x1, 1, x2, 2, &r), ATTR_NOT_LOCAL);

	/* curl's parents, read when it was attributed */
	CHECK(attr_lookup_detail(a, 200, &d));
	CHECK_INT(d.nparents, 3);
	CHECK_INT(d.parents[0].pid, 800);
	CHECK_STR(d.parents[0].name, "a) (b");
	CHECK_STR(d.parents[1].exe, "/usr/sbin/sshd");
	CHECK(attr_lookup_detail(a, 400, &d));
	CHECK_STR(d.ref.name, "nginx");
	CHECK_STR(d.exe, "/usr/sbin/nginx");
	CHECK_INT(strlen(d.container_id), 64);
	CHECK_STR(d.container, "4f1b3c8e9d2a");
	attr_close(a);
}

/* The helper killed: the next scan finds it gone, says so, and scans go
 * on in this process (which here may read the whole fixture). */
static void helper_gone_scans_here(struct attr *a)
{
	struct attr_stats st;
	uint64_t scans;
	char text[160] = "";
	uint8_t ext[16], me[16];
	struct proc_ref r;

	CHECK_INT(kill(attr_helper_of(a), SIGKILL), 0);
	attr_get_stats(a, &st);
	scans = st.scans;
	ip4(ext, 192, 0, 2, 77);
	ip4(me, 10, 0, 0, 5);
	for (int i = 0; i < 500 && attr_helper_of(a); i++) {
		attr_lookup(a, L4_TCP, 4, ext, (uint16_t)(6000 + i), me, 1, &r); /* a miss asks for a scan */
		sleep_ms(10);
	}
	CHECK_INT(attr_helper_of(a), 0);
	for (int i = 0; i < 300; i++) { /* the scan after the one that found it gone */
		attr_get_stats(a, &st);
		if (st.scans >= scans + 2)
			break;
		attr_lookup(a, L4_TCP, 4, ext, 5999, me, 1, &r);
		sleep_ms(10);
	}
	attr_describe(a, text, sizeof text);
	CHECK_STR(text, "procfs, helper gone: 10/10 processes, 2 netns");
	CHECK(attr_lookup(a, L4_TCP, 4, ext, 5001, me, 9000, &r));
	CHECK_STR(r.name, "ThisIsALongProcessName");
}

/* The same scans through the attribution helper (this test binary run
 * again, see main): the sockets, owners, namespaces and reach cross its
 * socket intact. It needs root to keep its capabilities; without, it is
 * not started and the note says why. */
static void test_backend_through_helper(void)
{
	struct attr_opts o = { .backend = "procfs", .proc_root = PROC, .helper = true,
			       .helper_violation = SANDBOX_KILL };
	struct wt_err err = { WT_OK, "" };
	struct attr *a = NULL;
	struct attr_owners ow;
	struct attr_proc_detail pd;
	char text[160];
	uint8_t me[16], peer[16];

	CHECK_INT(attr_open(&a, &o, &err), 0);
	if (!a)
		return;
	wait_scanned(a);
	attr_describe(a, text, sizeof text);
	if (geteuid() != 0) {
		CHECK(strstr(attr_backend_notes(a), "no helper: it needs CAP_SYS_PTRACE") != NULL);
		attr_close(a);
		return;
	}
	CHECK_STR(attr_backend_notes(a), "");
	CHECK(attr_helper_of(a) > 0);
	CHECK_STR(text, "procfs via helper: 10/10 processes, 2 netns");
	ip4(me, 10, 0, 0, 5);
	ip4(peer, 10, 0, 0, 9);
	CHECK_INT(attr_lookup_owners(a, L4_TCP, 4, peer, 40000, me, 8080, &ow), ATTR_FOUND);
	CHECK_INT(ow.proc.pid, 400);
	CHECK_INT(ow.peer.pid, 700);
	CHECK_STR(ow.peer.name, "wget");
	/* curl's parents, read by the helper */
	CHECK(attr_lookup_detail(a, 200, &pd));
	CHECK_INT(pd.nparents, 3);
	CHECK_STR(pd.parents[0].name, "a) (b");
	CHECK_INT(pd.parents[2].pid, 1);
	CHECK_STR(pd.parents[2].exe, "/usr/lib/systemd/systemd");
	helper_gone_scans_here(a);
	attr_close(a);
}

static void test_open_options(void)
{
	struct attr_opts bad = { .backend = "carrier-pigeon" }, none = { .backend = "none" },
			 autofix = { .proc_root = PROC };
	struct wt_err err = { WT_OK, "" };
	struct attr *a = (struct attr *)&err;
	struct proc_ref r;
	uint8_t x[16];

	CHECK_INT(attr_open(&a, &bad, &err), -1);
	CHECK(a == NULL);
	CHECK_INT(err.code, WT_ERR_USAGE);
	CHECK(strstr(err.msg, "carrier-pigeon") != NULL);

	CHECK_INT(attr_open(&a, &none, &err), 0);
	CHECK_STR(attr_backend_name(a), "none");
	ip4(x, 127, 0, 0, 1);
	CHECK(!attr_lookup(a, L4_TCP, 4, x, 1, x, 2, &r));
	CHECK_INT(attr_lookup_verdict(a, L4_TCP, 4, x, 1, x, 2, &r), ATTR_UNKNOWN);
	attr_close(a);

	/* auto with a fake /proc: the live-kernel back ends step aside, saying why */
	CHECK_INT(attr_open(&a, &autofix, &err), 0);
	CHECK_STR(attr_backend_name(a), "procfs");
	CHECK(strstr(attr_backend_notes(a), "ebpf: ") != NULL);
	CHECK(strstr(attr_backend_notes(a), "sock_diag: ") != NULL);
	attr_close(a);
	attr_close(NULL);
}

int main(int argc, char **argv)
{
	if (argc > 1 && strcmp(argv[1], ATTR_HELPER_ARG) == 0)
		return attr_helper_main(argc, argv); /* test_backend_through_helper's helper */
	RUN(test_procfs_tcp4);
	RUN(test_procfs_tcp6_folds_v4_mapped);
	RUN(test_procfs_udp6_and_icmp);
	RUN(test_procfs_rejects_bad_input);
	RUN(test_scan_fds);
	RUN(test_scan_every_namespace);
	RUN(test_proc_read);
	RUN(test_proc_name_longer_than_comm);
	RUN(test_proc_container_and_hybrid_cgroups);
	RUN(test_stat_parse);
	RUN(test_proc_lineage);
	RUN(test_diag_tcp4_recorded);
	RUN(test_diag_udp6_recorded);
	RUN(test_diag_error_reply);
	RUN(test_lru_evicts_oldest);
	RUN(test_lru_match_by_prefix);
	RUN(test_netns_veth_credits_capturing_side);
	RUN(test_netns_bridge_loopback_and_ambiguity);
	RUN(test_match_quality);
	RUN(test_backend_procfs_end_to_end);
	RUN(test_backend_through_helper);
	RUN(test_open_options);
	return check_summary("test_attr");
}
