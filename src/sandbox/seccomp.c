/* seccomp.c - the system-call allowlist for after start-up (seccomp(2),
 * libseccomp), loaded on every thread at once (SECCOMP_FILTER_FLAG_TSYNC).
 *
 * The list is what the running program needs, found by running it with
 * SANDBOX_LOG (the kernel audits every call outside the list) in each
 * mode: offline JSON, live JSON, the UI, each attribution back end.
 * Nothing here creates a network socket other than netlink, executes a
 * program, maps memory executable, forks, ptraces or loads eBPF: those
 * all happened before the filter, if at all. Arguments are checked where
 * a call has both a needed and a dangerous use (socket, ioctl, prctl,
 * bpf, clone, mmap, open, kill).
 *
 * A call outside the list fails with EPERM by default (SANDBOX_DENY):
 * a path this list missed degrades a feature instead of killing the
 * monitor in the middle of an incident, and hostile code gains nothing
 * from an error code. SANDBOX_KILL is for those who prefer the other
 * trade; non-native system call ABIs (x32, ia32) always kill.
 */
#include "sandbox/sandbox_int.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#ifdef WT_HAVE_SECCOMP

#include <fcntl.h>
#include <linux/bpf.h>
#include <linux/netlink.h>
#include <linux/perf_event.h>
#include <linux/sockios.h>
#include <sched.h>
#include <seccomp.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <termios.h>
#include <unistd.h>

#include "base/macros.h"

/* LeakSanitizer stops the world at exit from a ptrace-ing clone of the
 * process; sanitizer builds (make asan) let it, and only them. */
#if defined(__SANITIZE_ADDRESS__)
#define SB_SANITIZER 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define SB_SANITIZER 1
#endif
#endif

#ifndef PR_SET_VMA
#define PR_SET_VMA 0x53564d41 /* glibc >= 2.39 names anonymous mappings */
#endif

struct sb_rule {
	int nr;
	unsigned ncmp;
	struct scmp_arg_cmp cmp[2];
};

#define ALLOW(sys) { SCMP_SYS(sys), 0, { { 0, SCMP_CMP_EQ, 0, 0 } } }
#define ARG_EQ(sys, a, v) { SCMP_SYS(sys), 1, { { a, SCMP_CMP_EQ, (scmp_datum_t)(v), 0 } } }
#define ARG_CLEAR(sys, a, bits) { SCMP_SYS(sys), 1, { { a, SCMP_CMP_MASKED_EQ, (bits), 0 } } }
#define ARG_SET(sys, a, bits) { SCMP_SYS(sys), 1, { { a, SCMP_CMP_MASKED_EQ, (bits), (bits) } } }
#define NETLINK(proto) \
	{ SCMP_SYS(socket), 2, { { 0, SCMP_CMP_EQ, AF_NETLINK, 0 }, { 2, SCMP_CMP_EQ, (proto), 0 } } }

#define OPEN_WRITE_BITS ((scmp_datum_t)(O_WRONLY | O_RDWR | O_CREAT | O_TRUNC))

static const struct sb_rule sb_rules[] = {
	/* descriptors: capture ring, netlink, /proc files, stdout, log, terminal */
	ALLOW(read), ALLOW(readv), ALLOW(pread64), ALLOW(write), ALLOW(writev), ALLOW(close),
	ALLOW(lseek), ALLOW(fstat), ALLOW(newfstatat), ALLOW(statx), ALLOW(fcntl),
	ALLOW(getdents64), ALLOW(readlink), ALLOW(readlinkat), ALLOW(fsync), ALLOW(fdatasync),
	ALLOW(access), ALLOW(faccessat), ALLOW(faccessat2), /* terminfo lookup */
	/* waiting: pcap ring, attribution wake-up pipe and eBPF ring, terminal input */
	ALLOW(poll), ALLOW(ppoll), ALLOW(select), ALLOW(pselect6), ALLOW(epoll_wait),
	ALLOW(epoll_pwait), ALLOW(epoll_ctl),
	/* packet socket statistics, netlink sock_diag / route dumps */
	ALLOW(recvfrom), ALLOW(recvmsg), ALLOW(sendto), ALLOW(sendmsg), ALLOW(getsockopt),
	ALLOW(setsockopt), ALLOW(bind), ALLOW(getsockname),
	/* the metrics endpoint: its socket listens from start-up on */
	ALLOW(accept4),
	NETLINK(NETLINK_SOCK_DIAG), NETLINK(NETLINK_ROUTE),
	/* memory (malloc, thread stacks, eBPF ring buffer): never executable */
	ARG_CLEAR(mmap, 2, PROT_EXEC), ARG_CLEAR(mprotect, 2, PROT_EXEC), ALLOW(munmap),
	ALLOW(mremap), ALLOW(brk), ALLOW(madvise),
	/* threads: the engine starts its threads after the filter; no fork */
	ARG_SET(clone, 0, CLONE_THREAD), ALLOW(futex), ALLOW(set_robust_list), ALLOW(rseq),
	ALLOW(exit), ALLOW(exit_group), ALLOW(sched_yield), ALLOW(sched_getaffinity),
	ALLOW(gettid), ALLOW(getpid), ALLOW(getuid), ALLOW(geteuid), ALLOW(getgid),
	ALLOW(getegid), ALLOW(getresuid), ALLOW(getresgid), ARG_EQ(prlimit64, 2, 0),
	/* signals: SIGINT/SIGTERM waits, SIGWINCH, terminal restore */
	ALLOW(rt_sigaction), ALLOW(rt_sigprocmask), ALLOW(rt_sigreturn), ALLOW(rt_sigtimedwait),
	ALLOW(sigaltstack), ALLOW(restart_syscall),
	/* time */
	ALLOW(clock_gettime), ALLOW(clock_getres), ALLOW(gettimeofday), ALLOW(nanosleep),
	ALLOW(clock_nanosleep), ALLOW(getrandom),
	/* terminal size and modes (UI), pending bytes; eBPF perf link teardown */
	ARG_EQ(ioctl, 1, TIOCGWINSZ), ARG_EQ(ioctl, 1, TCGETS), ARG_EQ(ioctl, 1, TCSETS),
	ARG_EQ(ioctl, 1, TCSETSW), ARG_EQ(ioctl, 1, TCSETSF), ARG_EQ(ioctl, 1, FIONREAD),
	ARG_EQ(ioctl, 1, PERF_EVENT_IOC_DISABLE),
	/* the captured interface's state, and its index when it comes back */
	ARG_EQ(ioctl, 1, SIOCGIFFLAGS), ARG_EQ(ioctl, 1, SIOCGIFINDEX), ARG_EQ(ioctl, 1, SIOCGIFHWADDR),
	/* thread names, and reads of the process's own state */
	ARG_EQ(prctl, 0, PR_SET_NAME), ARG_EQ(prctl, 0, PR_GET_NAME), ARG_EQ(prctl, 0, PR_SET_VMA),
	ARG_EQ(prctl, 0, PR_GET_SECCOMP), ARG_EQ(prctl, 0, PR_GET_NO_NEW_PRIVS),
	ARG_EQ(prctl, 0, PR_CAPBSET_READ),
	/* eBPF maps that attribution reads and trims; nothing that loads or attaches */
	ARG_EQ(bpf, 0, BPF_MAP_LOOKUP_ELEM), ARG_EQ(bpf, 0, BPF_MAP_UPDATE_ELEM),
	ARG_EQ(bpf, 0, BPF_MAP_DELETE_ELEM), ARG_EQ(bpf, 0, BPF_MAP_GET_NEXT_KEY),
	ARG_EQ(bpf, 0, BPF_MAP_LOOKUP_AND_DELETE_ELEM), ARG_EQ(bpf, 0, BPF_MAP_LOOKUP_BATCH),
	ARG_EQ(bpf, 0, BPF_OBJ_GET_INFO_BY_FD),
};

/* Reverse DNS (engine/resolver.c): c-ares opens a UDP socket to each
 * server, TCP for an answer too long for UDP, as lookups come. */
static const struct sb_rule sb_dns_rules[] = {
	{ SCMP_SYS(socket), 1, { { 0, SCMP_CMP_EQ, AF_INET, 0 } } },
	{ SCMP_SYS(socket), 1, { { 0, SCMP_CMP_EQ, AF_INET6, 0 } } },
	ALLOW(connect),
};

#ifdef SB_SANITIZER
static const struct sb_rule sb_sanitizer_rules[] = {
	ALLOW(ptrace), ALLOW(clone), ALLOW(wait4), ALLOW(getppid), ALLOW(getdents),
	ARG_EQ(prctl, 0, PR_SET_PTRACER), ARG_EQ(prctl, 0, PR_SET_DUMPABLE),
	ARG_EQ(prctl, 0, PR_GET_DUMPABLE), ARG_EQ(prctl, 0, PR_SET_PDEATHSIG),
};
#endif

/* The attribution helper (src/attr/helperd.c): reads /proc, dumps
 * sock_diag, answers on the socket it was given. It holds CAP_SYS_PTRACE
 * and CAP_DAC_READ_SEARCH, so everything those would add is refused:
 * ptrace, process_vm_readv, open_by_handle_at, pidfd_getfd, writes. */
static const struct sb_rule sb_helper_rules[] = {
	ALLOW(read), ALLOW(close), ALLOW(lseek), ALLOW(fstat), ALLOW(newfstatat), ALLOW(statx),
	ALLOW(fcntl), ALLOW(getdents64), ALLOW(readlink), ALLOW(readlinkat),
	ALLOW(recvfrom), ALLOW(recvmsg), ALLOW(sendto), ALLOW(sendmsg), ALLOW(setsockopt),
	NETLINK(NETLINK_SOCK_DIAG),
	ARG_CLEAR(mmap, 2, PROT_EXEC), ARG_CLEAR(mprotect, 2, PROT_EXEC), ALLOW(munmap),
	ALLOW(mremap), ALLOW(brk), ALLOW(madvise), ALLOW(futex),
	ALLOW(exit), ALLOW(exit_group), ALLOW(rt_sigreturn), ALLOW(rt_sigprocmask),
	ALLOW(restart_syscall), ALLOW(clock_gettime), ALLOW(getpid), ALLOW(gettid),
	ALLOW(getuid), ALLOW(getgid), ALLOW(getrandom),
};

static const struct sb_rule sb_open_read[] = {
	ARG_CLEAR(openat, 2, OPEN_WRITE_BITS), ARG_CLEAR(open, 1, OPEN_WRITE_BITS),
};

static const struct sb_rule sb_open_any[] = {
	ALLOW(openat), ALLOW(open),
	ALLOW(rename), ALLOW(renameat), ALLOW(renameat2), /* rotation of the event log, pcapng */
};

bool sb_seccomp_built(void) { return true; }

bool sb_seccomp_sanitizer_build(void)
{
#ifdef SB_SANITIZER
	return true;
#else
	return false;
#endif
}

void sb_seccomp_version(char *buf, size_t cap)
{
	const struct scmp_version *v = seccomp_version();
	snprintf(buf, cap, "%u.%u.%u", v ? v->major : 0, v ? v->minor : 0, v ? v->micro : 0);
}

/* -EDOM: the call does not exist on this architecture (e.g. open, select
 * on arm64); nothing to allow then. */
static int add_rules(scmp_filter_ctx ctx, const struct sb_rule *r, size_t n, unsigned *count)
{
	for (size_t i = 0; i < n; i++) {
		int rc = seccomp_rule_add_array(ctx, SCMP_ACT_ALLOW, r[i].nr, r[i].ncmp, r[i].cmp);
		if (rc == -EDOM)
			continue;
		if (rc < 0)
			return rc;
		(*count)++;
	}
	return 0;
}

/* Signals only to this process (raise, job control of its own group). */
static int add_self_signals(scmp_filter_ctx ctx, unsigned *count)
{
	struct scmp_arg_cmp self = { 0, SCMP_CMP_EQ, (scmp_datum_t)getpid(), 0 };
	struct scmp_arg_cmp group = { 0, SCMP_CMP_EQ, 0, 0 };
	int rc = seccomp_rule_add_array(ctx, SCMP_ACT_ALLOW, SCMP_SYS(tgkill), 1, &self);
	if (rc == 0)
		rc = seccomp_rule_add_array(ctx, SCMP_ACT_ALLOW, SCMP_SYS(kill), 1, &self);
	if (rc == 0)
		rc = seccomp_rule_add_array(ctx, SCMP_ACT_ALLOW, SCMP_SYS(kill), 1, &group);
	/* glibc tries clone3 first and falls back to clone, whose flags a
	 * filter can see: ENOSYS sends it there. */
	if (rc == 0)
		rc = seccomp_rule_add_array(ctx, SCMP_ACT_ERRNO(ENOSYS), SCMP_SYS(clone3), 0, NULL);
	if (rc == 0)
		*count += 4;
	return rc;
}

static uint32_t default_action(enum sandbox_violation v)
{
	switch (v) {
	case SANDBOX_KILL: return SCMP_ACT_KILL_PROCESS;
	case SANDBOX_LOG: return SCMP_ACT_LOG;
	case SANDBOX_DENY: break;
	}
	return SCMP_ACT_ERRNO(EPERM);
}

/* Reaping and, if it hangs at exit, killing the attribution helper: that
 * one child, no other process. */
static int add_child(scmp_filter_ctx ctx, int child, unsigned *count)
{
	struct scmp_arg_cmp pid = { 0, SCMP_CMP_EQ, (scmp_datum_t)child, 0 };
	int rc = seccomp_rule_add_array(ctx, SCMP_ACT_ALLOW, SCMP_SYS(wait4), 1, &pid);
	if (rc == 0)
		rc = seccomp_rule_add_array(ctx, SCMP_ACT_ALLOW, SCMP_SYS(kill), 1, &pid);
	if (rc == 0)
		*count += 2;
	return rc;
}

/* What one program may call after start-up. */
struct sb_profile {
	const struct sb_rule *rules;
	size_t nrules;
	bool may_write;  /* opens for writing (a log directory) */
	bool dns;        /* the resolver's sockets */
	bool tsync;      /* several threads to bring along */
	bool self_signals;
	int child;       /* a child process to reap; 0 none */
};

static int build(scmp_filter_ctx ctx, const struct sb_profile *p, unsigned *count)
{
	int rc = p->tsync ? seccomp_attr_set(ctx, SCMP_FLTATR_CTL_TSYNC, 1) : 0;
	if (rc == 0)
		rc = add_rules(ctx, p->rules, p->nrules, count);
	if (rc == 0 && p->may_write)
		rc = add_rules(ctx, sb_open_any, ARRAY_LEN(sb_open_any), count);
	else if (rc == 0)
		rc = add_rules(ctx, sb_open_read, ARRAY_LEN(sb_open_read), count);
	if (rc == 0 && p->dns)
		rc = add_rules(ctx, sb_dns_rules, ARRAY_LEN(sb_dns_rules), count);
	if (rc == 0 && p->self_signals)
		rc = add_self_signals(ctx, count);
	if (rc == 0 && p->child > 0)
		rc = add_child(ctx, p->child, count);
#ifdef SB_SANITIZER
	if (rc == 0)
		rc = add_rules(ctx, sb_sanitizer_rules, ARRAY_LEN(sb_sanitizer_rules), count);
#endif
	return rc;
}

static int apply(enum sandbox_violation v, const struct sb_profile *p, struct wt_err *err)
{
	unsigned count = 0;
	scmp_filter_ctx ctx = seccomp_init(default_action(v));
	if (!ctx)
		return wt_err_set(err, WT_ERR_SYSTEM, "seccomp: cannot create a filter");
	int rc = build(ctx, p, &count);
	if (rc == 0)
		rc = seccomp_load(ctx);
	seccomp_release(ctx);
	if (rc < 0)
		return wt_err_set(err, WT_ERR_SYSTEM, "seccomp: cannot load the filter: %s", strerror(-rc));
	return (int)count;
}

int sb_seccomp_apply(enum sandbox_violation v, bool may_write, bool dns, int child,
		     struct wt_err *err)
{
	const struct sb_profile p = { sb_rules, ARRAY_LEN(sb_rules), may_write, dns,
				      true, true, child };
	return apply(v, &p, err);
}

int sb_seccomp_apply_helper(enum sandbox_violation v, struct wt_err *err)
{
	const struct sb_profile p = { sb_helper_rules,
				      ARRAY_LEN(sb_helper_rules), false, false, false,
				      false, 0 };
	return apply(v, &p, err);
}

#else /* !WT_HAVE_SECCOMP */

bool sb_seccomp_built(void) { return false; }

bool sb_seccomp_sanitizer_build(void) { return false; }

void sb_seccomp_version(char *buf, size_t cap)
{
	if (cap)
		buf[0] = '\0';
}

int sb_seccomp_apply(enum sandbox_violation v, bool may_write, bool dns, int child,
		     struct wt_err *err)
{
	(void)v;
	(void)may_write;
	(void)dns;
	(void)child;
	return wt_err_set(err, WT_ERR_SYSTEM, "seccomp: not in this build (libseccomp missing)");
}

int sb_seccomp_apply_helper(enum sandbox_violation v, struct wt_err *err)
{
	(void)v;
	return wt_err_set(err, WT_ERR_SYSTEM, "seccomp: not in this build (libseccomp missing)");
}

#endif
