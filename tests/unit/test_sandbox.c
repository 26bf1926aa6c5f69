/* Unit tests for src/sandbox: id parsing, drop target, /proc status
 * parsing, status and --doctor lines, and (in forked children, so the test
 * process itself stays unconfined) what sandbox_enter() really enforces:
 * ids, capabilities, no_new_privs and seccomp on every thread including
 * one started before, Landlock file access, forbidden system calls, the
 * kill mode, and failing closed when a thread blocks the signal.
 * Runs as root (ids change) or not (ids stay; the rest still applies).
 */
#include "check.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/bpf.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#include <linux/netlink.h>

#include "sandbox/sandbox.h"
#include "sandbox/sandbox_int.h"

#define TEST_UID 4242u
#define TEST_GID 4243u

static void test_parse_id(void)
{
	unsigned v = 7;
	CHECK_INT(sb_parse_id("1000", &v), 0);
	CHECK_INT(v, 1000);
	CHECK_INT(sb_parse_id("0", &v), 0);
	CHECK_INT(v, 0);
	CHECK_INT(sb_parse_id("4294967294", &v), 0);
	CHECK_INT(v, 4294967294u);
	v = 7;
	CHECK_INT(sb_parse_id("4294967295", &v), -1); /* (uid_t)-1: "unchanged" */
	CHECK_INT(sb_parse_id("99999999999", &v), -1);
	CHECK_INT(sb_parse_id("", &v), -1);
	CHECK_INT(sb_parse_id(NULL, &v), -1);
	CHECK_INT(sb_parse_id("-1", &v), -1);
	CHECK_INT(sb_parse_id("12a", &v), -1);
	CHECK_INT(sb_parse_id(" 12", &v), -1);
	CHECK_INT(v, 7);
}

static void test_drop_target(void)
{
	unsigned uid, gid;
	const char *from;
	sb_drop_target("1000", "1001", 65534, 65533, &uid, &gid, &from);
	CHECK_INT(uid, 1000);
	CHECK_INT(gid, 1001);
	CHECK_STR(from, "SUDO_UID");
	sb_drop_target("1000", "0", 65534, 65533, &uid, &gid, &from); /* never the root group */
	CHECK_INT(uid, 1000);
	CHECK_INT(gid, 65533);
	sb_drop_target("1000", NULL, 65534, 65533, &uid, &gid, &from);
	CHECK_INT(gid, 65533);
	sb_drop_target("0", "0", 65534, 65533, &uid, &gid, &from); /* sudo from root */
	CHECK_INT(uid, 65534);
	CHECK_INT(gid, 65533);
	CHECK_STR(from, "nobody");
	sb_drop_target("alice", "1000", 65534, 65533, &uid, &gid, &from);
	CHECK_INT(uid, 65534);
	CHECK_STR(from, "nobody");
	sb_drop_target(NULL, NULL, 99, 98, &uid, &gid, &from);
	CHECK_INT(uid, 99);
	CHECK_INT(gid, 98);
}

static const char status_text[] =
	"Name:\twiretop\nUmask:\t0022\nState:\tS (sleeping)\nTgid:\t812\nPid:\t812\n"
	"Uid:\t1000\t1000\t1000\t1000\nGid:\t1001\t1001\t1001\t1001\nFDSize:\t64\n"
	"CapInh:\t0000000000000000\nCapPrm:\t0000000000000000\nCapEff:\t0000000000000000\n"
	"CapBnd:\t000001ffffffffff\nCapAmb:\t0000000000000000\nNoNewPrivs:\t1\n"
	"Seccomp:\t2\nSeccomp_filters:\t1\nSpeculation_Store_Bypass:\tthread vulnerable\n";

static void test_parse_status(void)
{
	struct sb_proc_status ps;
	CHECK(sb_parse_status(status_text, &ps));
	CHECK_INT(ps.uid[0], 1000);
	CHECK_INT(ps.uid[2], 1000);
	CHECK_INT(ps.gid[1], 1001);
	CHECK_INT(ps.cap_eff, 0);
	CHECK(ps.cap_bnd == 0x1ffffffffffull);
	CHECK_INT(ps.no_new_privs, 1);
	CHECK_INT(ps.seccomp, 2); /* not confused with Seccomp_filters */
	char cut[sizeof status_text];
	memcpy(cut, status_text, sizeof status_text);
	*strstr(cut, "\nSeccomp:") = '\0';
	CHECK(!sb_parse_status(cut, &ps));
}

static void test_status_line(void)
{
	struct sandbox_status st;
	char line[256];
	memset(&st, 0, sizeof st);
	st.uid = 1000;
	st.caps_cleared = true;
	st.seccomp = true;
	st.seccomp_rules = 90;
	st.landlock_abi = 7;
	sandbox_status_line(&st, line, sizeof line);
	CHECK_STR(line, "uid 1000, caps none, seccomp (90 rules), landlock v7");
	st.on_violation = SANDBOX_KILL;
	st.landlock_abi = 0;
	sandbox_status_line(&st, line, sizeof line);
	CHECK_STR(line, "uid 1000, caps none, seccomp (90 rules, kill), no landlock");
	memset(&st, 0, sizeof st);
	sandbox_status_line(&st, line, sizeof line);
	CHECK_STR(line, "root, caps kept, no seccomp, no landlock");
	sandbox_status_line(&st, line, 5);
	CHECK_STR(line, "root");
}

static void test_support_items(void)
{
	struct sandbox_support s;
	const char *what;
	char text[256];
	memset(&s, 0, sizeof s);
	s.root = true;
	s.drop_uid = 1000;
	s.drop_gid = 1000;
	snprintf(s.drop_from, sizeof s.drop_from, "SUDO_UID");
	CHECK(sandbox_support_item(&s, SANDBOX_ITEM_PRIVILEGES, &what, text, sizeof text));
	CHECK_STR(what, "privileges");
	CHECK_STR(text, "root; after start-up uid 1000 gid 1000 (SUDO_UID), no capabilities");
	CHECK(!sandbox_support_item(&s, SANDBOX_ITEM_SECCOMP, &what, text, sizeof text));
	CHECK_STR(text, "not in this build: install libseccomp-dev and rebuild");
	s.seccomp_built = s.seccomp_kernel = true;
	snprintf(s.seccomp_version, sizeof s.seccomp_version, "2.5.4");
	CHECK(sandbox_support_item(&s, SANDBOX_ITEM_SECCOMP, &what, text, sizeof text));
	CHECK_STR(text, "system-call allowlist after start-up (libseccomp 2.5.4)");
	CHECK(!sandbox_support_item(&s, SANDBOX_ITEM_LANDLOCK, &what, text, sizeof text));
	CHECK_STR(what, "landlock");
	CHECK(!sandbox_support_item(&s, SANDBOX_ITEMS, &what, text, sizeof text));
	CHECK_STR(text, "");

	sandbox_probe(&s); /* this machine: consistent with what the calls say */
	CHECK_INT(s.root, geteuid() == 0);
	CHECK_INT(s.landlock_abi, sb_landlock_abi());
	CHECK_INT(s.seccomp_built, sb_seccomp_built());
}

/* ---- forked children ---------------------------------------------------- */

struct child_log {
	char text[2048];
	size_t len;
};

static void child_fail(struct child_log *l, int line, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void child_fail(struct child_log *l, int line, const char *fmt, ...)
{
	va_list ap;
	int n = snprintf(l->text + l->len, sizeof l->text - l->len, "line %d: ", line);
	if (n > 0 && (size_t)n < sizeof l->text - l->len)
		l->len += (size_t)n;
	va_start(ap, fmt);
	n = vsnprintf(l->text + l->len, sizeof l->text - l->len, fmt, ap);
	va_end(ap);
	if (n > 0 && (size_t)n < sizeof l->text - l->len)
		l->len += (size_t)n;
	if (l->len + 1 < sizeof l->text)
		l->text[l->len++] = '\n';
}

#define EXPECT(l, cond)                                                          \
	do {                                                                     \
		if (!(cond))                                                     \
			child_fail(l, __LINE__, "%s (errno %d)", #cond, errno);  \
	} while (0)

/* Runs fn in a child; returns its wait status and what it reported. */
static int in_child(void (*fn)(struct child_log *l, void *arg), void *arg, char *out, size_t cap)
{
	int p[2];
	if (pipe(p) < 0)
		return -1;
	fflush(NULL);
	pid_t pid = fork();
	if (pid == 0) {
		struct child_log l = { .len = 0 };
		close(p[0]);
		fn(&l, arg);
		ssize_t w = write(p[1], l.text, l.len);
		(void)w;
		_exit(0); /* no atexit handlers: they might make calls the filter refuses */
	}
	close(p[1]);
	size_t n = 0;
	ssize_t r;
	while (n + 1 < cap && (r = read(p[0], out + n, cap - 1 - n)) > 0)
		n += (size_t)r;
	out[n] = '\0';
	close(p[0]);
	int status = 0;
	waitpid(pid, &status, 0);
	return status;
}

static bool thread_status_text(pid_t tid, char *text, size_t cap)
{
	char path[64];
	snprintf(path, sizeof path, "/proc/self/task/%d/status", (int)tid);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return false;
	ssize_t n = read(fd, text, cap - 1);
	close(fd);
	if (n <= 0)
		return false;
	text[n] = '\0';
	return true;
}

static bool thread_status(pid_t tid, struct sb_proc_status *ps)
{
	char text[4096];
	return thread_status_text(tid, text, sizeof text) && sb_parse_status(text, ps);
}

/* No supplementary groups: "Groups:" followed by blanks only. */
static bool no_groups(void)
{
	char text[4096];
	const char *p = thread_status_text((pid_t)gettid(), text, sizeof text) ? strstr(text, "\nGroups:") : NULL;
	if (!p)
		return false;
	p += strlen("\nGroups:");
	p += strspn(p, " \t");
	return *p == '\n';
}

/* A thread started before the sandbox, like the attribution thread. */
struct early {
	int go[2];
	pid_t tid;
	pthread_t th;
};

static void *early_main(void *arg)
{
	struct early *e = arg;
	char c;
	e->tid = (pid_t)gettid();
	while (read(e->go[0], &c, 1) < 0 && errno == EINTR)
		;
	return NULL;
}

static void *later_main(void *arg)
{
	*(pid_t *)arg = (pid_t)gettid();
	return NULL;
}

struct dirs {
	char root[64];    /* written by the test, outside every tree */
	char out[80];     /* a write tree */
	char secret[96];  /* a file beneath root, not allowed */
};

static void expect_thread(struct child_log *l, pid_t tid, bool root, bool seccomp)
{
	struct sb_proc_status ps;
	EXPECT(l, thread_status(tid, &ps));
	EXPECT(l, ps.cap_eff == 0 && ps.cap_prm == 0 && ps.cap_inh == 0 && ps.cap_amb == 0);
	EXPECT(l, ps.no_new_privs == 1);
	EXPECT(l, ps.seccomp == (seccomp ? 2 : 0));
	if (root) {
		EXPECT(l, ps.uid[0] == TEST_UID && ps.uid[1] == TEST_UID && ps.uid[2] == TEST_UID);
		EXPECT(l, ps.gid[0] == TEST_GID && ps.gid[1] == TEST_GID && ps.gid[2] == TEST_GID);
		EXPECT(l, ps.cap_bnd == 0);
	}
}

static void expect_files(struct child_log *l, const struct dirs *d, bool landlock)
{
	char path[128];
	int fd = open("/proc/self/status", O_RDONLY | O_CLOEXEC);
	EXPECT(l, fd >= 0);
	if (fd >= 0)
		close(fd);
	snprintf(path, sizeof path, "%s/log.txt", d->out);
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	EXPECT(l, fd >= 0 && write(fd, "x", 1) == 1);
	if (fd >= 0)
		close(fd);
	fd = open(d->secret, O_RDONLY | O_CLOEXEC);
	EXPECT(l, landlock ? fd < 0 && errno == EACCES : fd >= 0);
	if (fd >= 0)
		close(fd);
}

static void expect_calls(struct child_log *l)
{
	int s = socket(AF_INET, SOCK_DGRAM, 0);
	EXPECT(l, s < 0 && errno == EPERM);
	s = socket(AF_PACKET, SOCK_RAW, 0);
	EXPECT(l, s < 0 && errno == EPERM);
	s = socket(AF_NETLINK, SOCK_DGRAM | SOCK_CLOEXEC, NETLINK_SOCK_DIAG); /* attribution */
	EXPECT(l, s >= 0);
	if (s >= 0)
		close(s);
	char *const argv[] = { (char *)(uintptr_t)"/bin/true", NULL };
	EXPECT(l, execve("/bin/true", argv, argv + 1) < 0 && errno == EPERM);
	if (!sb_seccomp_sanitizer_build())
		EXPECT(l, fork() < 0 && errno == EPERM);
	void *x = mmap(NULL, 4096, PROT_READ | PROT_EXEC, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	EXPECT(l, x == MAP_FAILED && errno == EPERM);
	EXPECT(l, kill(getppid(), 0) < 0 && errno == EPERM);
	EXPECT(l, kill(getpid(), 0) == 0);
	char c = 'x';
	EXPECT(l, ioctl(0, TIOCSTI, &c) < 0 && errno == EPERM); /* terminal injection */
	union bpf_attr a;
	memset(&a, 0, sizeof a);
	EXPECT(l, syscall(SYS_bpf, BPF_PROG_LOAD, &a, sizeof a) < 0 && errno == EPERM);
	EXPECT(l, syscall(SYS_setresuid, 0, 0, 0) < 0);
}

static void child_confined(struct child_log *l, void *arg)
{
	const struct dirs *d = arg;
	bool root = geteuid() == 0;
	struct early e = { .tid = 0 };
	EXPECT(l, pipe(e.go) == 0 && pthread_create(&e.th, NULL, early_main, &e) == 0);
	while (!__atomic_load_n(&e.tid, __ATOMIC_SEQ_CST))
		usleep(1000);
	setenv("SUDO_UID", "4242", 1);
	setenv("SUDO_GID", "4243", 1);
	int abi = sb_landlock_abi(); /* a system call the filter refuses afterwards */
	const char *const writes[] = { d->out, NULL };
	struct sandbox_opts o = { .write_paths = writes };
	struct sandbox_status st;
	struct wt_err err = { 0 };
	int rc = sandbox_enter(&o, &st, &err);
	EXPECT(l, rc == 0);
	if (rc < 0) {
		child_fail(l, __LINE__, "%s", err.msg);
		return;
	}
	bool sc = sb_seccomp_built();
	EXPECT(l, st.entered && st.caps_cleared && st.no_new_privs && st.seccomp == sc);
	EXPECT(l, st.landlock_abi == abi);
	EXPECT(l, st.threads == 2 && st.threads_confined == 2);
	EXPECT(l, st.priv_dropped == root);
	if (root)
		EXPECT(l, getuid() == TEST_UID && getgid() == TEST_GID && no_groups());
	else
		EXPECT(l, strstr(st.notes, "bounding set kept") != NULL);
	expect_thread(l, (pid_t)gettid(), root, sc);
	expect_thread(l, e.tid, root, sc);
	pid_t later = 0;
	pthread_t th;
	EXPECT(l, pthread_create(&th, NULL, later_main, &later) == 0 && pthread_join(th, NULL) == 0);
	EXPECT(l, later > 0);
	expect_files(l, d, st.landlock_abi > 0);
	if (sc)
		expect_calls(l);
	EXPECT(l, write(e.go[1], "x", 1) == 1 && pthread_join(e.th, NULL) == 0);
}

static void make_dirs(struct dirs *d)
{
	snprintf(d->root, sizeof d->root, "/tmp/wt-sandbox-XXXXXX");
	CHECK(mkdtemp(d->root) != NULL);
	snprintf(d->out, sizeof d->out, "%s/out", d->root);
	snprintf(d->secret, sizeof d->secret, "%s/secret", d->root);
	CHECK_INT(mkdir(d->out, 0700), 0);
	int fd = open(d->secret, O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
	CHECK(fd >= 0);
	if (fd >= 0)
		close(fd);
	/* The dropped user must be able to reach them, as a log directory would. */
	if (geteuid() == 0) {
		CHECK_INT(chmod(d->root, 0755), 0);
		CHECK_INT(chown(d->out, TEST_UID, TEST_GID), 0);
	}
}

static void remove_dirs(const struct dirs *d)
{
	char path[128];
	snprintf(path, sizeof path, "%s/log.txt", d->out);
	unlink(path);
	unlink(d->secret);
	rmdir(d->out);
	rmdir(d->root);
}

static void test_enter_confines_every_thread(void)
{
	struct dirs d;
	char out[2048];
	make_dirs(&d);
	int status = in_child(child_confined, &d, out, sizeof out);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	CHECK_STR(out, "");
	remove_dirs(&d);
}

static void child_kill_mode(struct child_log *l, void *arg)
{
	(void)arg;
	struct sandbox_opts o = { .no_priv_drop = true, .on_violation = SANDBOX_KILL };
	struct wt_err err = { 0 };
	EXPECT(l, sandbox_enter(&o, NULL, &err) == 0);
	int s = socket(AF_INET, SOCK_DGRAM, 0); /* the kernel ends the process here */
	EXPECT(l, s < 0);
}

static void test_kill_mode(void)
{
	if (!sb_seccomp_built())
		SKIP("built without libseccomp");
	char out[512];
	int status = in_child(child_kill_mode, NULL, out, sizeof out);
	CHECK(WIFSIGNALED(status) && WTERMSIG(status) == SIGSYS);
}

/* Both relaxations still leave no_new_privs set, on every thread. */
static void child_flags_off(struct child_log *l, void *arg)
{
	(void)arg;
	struct early e = { .tid = 0 };
	EXPECT(l, pipe(e.go) == 0 && pthread_create(&e.th, NULL, early_main, &e) == 0);
	while (!__atomic_load_n(&e.tid, __ATOMIC_SEQ_CST))
		usleep(1000);
	struct sandbox_opts o = { .no_priv_drop = true, .no_sandbox = true };
	struct sandbox_status st;
	struct wt_err err = { 0 };
	uid_t before = geteuid();
	EXPECT(l, sandbox_enter(&o, &st, &err) == 0);
	EXPECT(l, !st.seccomp && st.landlock_abi == 0 && !st.caps_cleared && !st.priv_dropped);
	EXPECT(l, strstr(st.notes, "--no-priv-drop") && strstr(st.notes, "--no-sandbox"));
	EXPECT(l, st.no_new_privs);
	EXPECT(l, geteuid() == before);
	int s = socket(AF_INET, SOCK_DGRAM, 0);
	EXPECT(l, s >= 0);
	struct sb_proc_status ps;
	EXPECT(l, thread_status((pid_t)gettid(), &ps) && ps.seccomp == 0 && ps.no_new_privs == 1);
	EXPECT(l, thread_status(e.tid, &ps) && ps.seccomp == 0 && ps.no_new_privs == 1);
	EXPECT(l, write(e.go[1], "x", 1) == 1 && pthread_join(e.th, NULL) == 0);
}

static void test_flags_relax(void)
{
	char out[1024];
	int status = in_child(child_flags_off, NULL, out, sizeof out);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	CHECK_STR(out, "");
}

static void *blocking_main(void *arg)
{
	int *go = arg;
	char c;
	sigset_t set;
	sigemptyset(&set);
	sigaddset(&set, SANDBOX_SIGNAL);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	__atomic_store_n(&go[2], 1, __ATOMIC_SEQ_CST);
	while (read(go[0], &c, 1) < 0 && errno == EINTR)
		;
	return NULL;
}

/* A thread that cannot be reached must not be left unconfined quietly. */
static void child_blocked_thread(struct child_log *l, void *arg)
{
	(void)arg;
	int go[3] = { -1, -1, 0 };
	pthread_t th;
	EXPECT(l, pipe(go) == 0 && pthread_create(&th, NULL, blocking_main, go) == 0);
	while (!__atomic_load_n(&go[2], __ATOMIC_SEQ_CST))
		usleep(1000);
	struct sandbox_opts o = { .no_priv_drop = true };
	struct wt_err err = { 0 };
	EXPECT(l, sandbox_enter(&o, NULL, &err) < 0);
	EXPECT(l, strstr(err.msg, "did not take the confinement signal") != NULL);
	EXPECT(l, write(go[1], "x", 1) == 1 && pthread_join(th, NULL) == 0);
}

static void test_blocked_thread_fails_closed(void)
{
	if (sb_landlock_abi() <= 0) /* without it and without a drop no per-thread step runs */
		SKIP("this kernel has no Landlock");
	char out[1024];
	int status = in_child(child_blocked_thread, NULL, out, sizeof out);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	CHECK_STR(out, "");
}

int main(void)
{
	RUN(test_parse_id);
	RUN(test_drop_target);
	RUN(test_parse_status);
	RUN(test_status_line);
	RUN(test_support_items);
	RUN(test_enter_confines_every_thread);
	RUN(test_kill_mode);
	RUN(test_flags_relax);
	RUN(test_blocked_thread_fails_closed);
	return check_summary("test_sandbox");
}
