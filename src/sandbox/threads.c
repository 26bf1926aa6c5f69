/* threads.c - the per-thread parts of confinement: capability sets,
 * no_new_privs and Landlock domains belong to a thread, not to the
 * process (capset(2), prctl(2), landlock_restrict_self(2)).
 *
 * DESIGN: threads started before sandbox_enter (the attribution thread)
 * would keep what the main thread gives up. The main thread therefore
 * sends each of them a queued signal carrying the step (rt_tgsigqueueinfo,
 * pointer in si_value); the handler performs the step with plain system
 * calls and acknowledges through atomics in the caller's context. The
 * handler is installed only for the duration of one sb_threads_run() and
 * accepts only signals queued by this process with the context's magic.
 * glibc does the same for setuid(2) (its SIGSETXID broadcast).
 */
#include "base/clock.h"
#include "sandbox/sandbox_int.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/capability.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#define SB_MAGIC 0x77745362u      /* "wtSb" */
#define SB_WAIT_MS 2000           /* a thread blocked in a system call answers at once */
#define SB_MAX_ROUNDS 8           /* rescans for threads born during a broadcast */
#define SB_MAX_THREADS 1024

#ifndef SYS_landlock_restrict_self
#define SYS_landlock_restrict_self 446
#endif

struct sb_bcast {
	unsigned magic;
	enum sb_step step;
	int arg;
	_Atomic int acks;
	_Atomic int first_errno;
};

int sb_bounding_keep(unsigned long long keep)
{
	if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) < 0 && errno != EINVAL)
		return errno;
	for (unsigned long cap = 0; cap < 64; cap++) {
		if (prctl(PR_CAPBSET_READ, cap, 0, 0, 0) < 0)
			break; /* past the kernel's last capability */
		if (!(keep >> cap & 1) && prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) < 0)
			return errno;
	}
	return 0;
}

int sb_capset(unsigned long long keep)
{
	struct __user_cap_header_struct hdr = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct data[_LINUX_CAPABILITY_U32S_3] = { { 0, 0, 0 } };
	for (int i = 0; i < _LINUX_CAPABILITY_U32S_3; i++)
		data[i].effective = data[i].permitted = (uint32_t)(keep >> (32 * i));
	if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) < 0 && errno != EINVAL)
		return errno;
	return syscall(SYS_capset, &hdr, data) < 0 ? errno : 0;
}

static int step_caps(void)
{
	int rc = sb_capset(0);
	if (rc)
		return rc;
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
		return errno;
	return 0;
}

static int step_nnp(void)
{
	return prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0 ? errno : 0;
}

static int step_landlock(int ruleset_fd)
{
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
		return errno;
	if (syscall(SYS_landlock_restrict_self, ruleset_fd, 0) < 0)
		return errno;
	return 0;
}

int sb_step_self(enum sb_step step, int arg)
{
	switch (step) {
	case SB_STEP_BOUNDING: return sb_bounding_keep(0);
	case SB_STEP_CAPS: return step_caps();
	case SB_STEP_LANDLOCK: return step_landlock(arg);
	case SB_STEP_NNP: return step_nnp();
	}
	return EINVAL;
}

static void sb_handler(int sig, siginfo_t *si, void *uc)
{
	(void)sig;
	(void)uc;
	int saved = errno;
	struct sb_bcast *b = si->si_value.sival_ptr;
	if (si->si_code == SI_QUEUE && si->si_pid == getpid() && b && b->magic == SB_MAGIC) {
		int rc = sb_step_self(b->step, b->arg);
		int none = 0;
		if (rc)
			atomic_compare_exchange_strong(&b->first_errno, &none, rc);
		atomic_fetch_add(&b->acks, 1);
	}
	errno = saved;
}

/* Thread ids of this process other than the caller, not yet in seen[]. */
static int list_new_tids(int *out, int cap, const int *seen, int nseen)
{
	DIR *d = opendir("/proc/self/task");
	if (!d)
		return -1;
	int self = (int)gettid(), n = 0;
	struct dirent *de;
	while ((de = readdir(d)) && n < cap) {
		int tid = atoi(de->d_name);
		bool old = tid <= 0 || tid == self;
		for (int i = 0; !old && i < nseen; i++)
			old = seen[i] == tid;
		if (!old)
			out[n++] = tid;
	}
	closedir(d);
	return n;
}

static int queue_to(int tid, struct sb_bcast *b)
{
	siginfo_t si;
	memset(&si, 0, sizeof si);
	si.si_signo = SANDBOX_SIGNAL;
	si.si_code = SI_QUEUE;
	si.si_pid = getpid();
	si.si_uid = getuid();
	si.si_value.sival_ptr = b;
	if (syscall(SYS_rt_tgsigqueueinfo, getpid(), tid, SANDBOX_SIGNAL, &si) < 0)
		return errno == ESRCH ? 0 : -1; /* a thread that just ended needs nothing */
	return 1;
}

static bool wait_acks(struct sb_bcast *b, int want)
{
	for (int ms = 0; ms < SB_WAIT_MS; ms++) {
		if (atomic_load(&b->acks) >= want)
			return true;
		struct timespec t = clock_span_ms(1);
		nanosleep(&t, NULL);
	}
	return atomic_load(&b->acks) >= want;
}

/* Sends to every thread not yet reached until a rescan finds none. */
static int broadcast(struct sb_bcast *b, int *seen, struct wt_err *err)
{
	int nseen = 0, sent = 0;
	for (int round = 0; round < SB_MAX_ROUNDS; round++) {
		int *fresh = seen + nseen;
		int n = list_new_tids(fresh, SB_MAX_THREADS - nseen, seen, nseen);
		if (n < 0)
			return wt_err_set(err, WT_ERR_SYSTEM, "sandbox: cannot list threads: %s", strerror(errno));
		if (n == 0)
			return sent;
		for (int i = 0; i < n; i++) {
			int rc = queue_to(fresh[i], b);
			if (rc < 0)
				return wt_err_set(err, WT_ERR_SYSTEM, "sandbox: cannot signal thread %d: %s",
						  fresh[i], strerror(errno));
			sent += rc;
		}
		nseen += n;
		if (!wait_acks(b, sent))
			return wt_err_set(err, WT_ERR_SYSTEM,
					  "sandbox: %d of %d threads did not take the confinement signal %d "
					  "(blocked?)", sent - atomic_load(&b->acks), sent, SANDBOX_SIGNAL);
	}
	return wt_err_set(err, WT_ERR_SYSTEM, "sandbox: threads keep appearing; cannot confine them all");
}

int sb_step_everywhere(enum sb_step step, struct wt_err *err)
{
	int other = 0;
	if (sb_threads_run(step, -1, &other, err) < 0)
		return -1;
	int self = sb_step_self(step, -1);
	return self ? self : other;
}

int sb_threads_run(enum sb_step step, int arg, int *step_errno, struct wt_err *err)
{
	struct sb_bcast b = { .magic = SB_MAGIC, .step = step, .arg = arg };
	struct sigaction sa, old;
	memset(&sa, 0, sizeof sa);
	sa.sa_sigaction = sb_handler;
	sa.sa_flags = SA_SIGINFO | SA_RESTART;
	sigfillset(&sa.sa_mask);
	if (sigaction(SANDBOX_SIGNAL, &sa, &old) < 0)
		return wt_err_set(err, WT_ERR_SYSTEM, "sandbox: sigaction: %s", strerror(errno));
	int *seen = calloc(SB_MAX_THREADS, sizeof *seen);
	int rc = seen ? broadcast(&b, seen, err) : wt_err_set(err, WT_ERR_NOMEM, "out of memory");
	free(seen);
	/* Ignoring discards a signal still pending on a thread that blocks it,
	 * so no late delivery can reach the default action or a stale context. */
	struct sigaction ign;
	memset(&ign, 0, sizeof ign);
	ign.sa_handler = SIG_IGN;
	sigaction(SANDBOX_SIGNAL, &ign, NULL);
	sigaction(SANDBOX_SIGNAL, &old, NULL);
	*step_errno = atomic_load(&b.first_errno);
	return rc;
}

/* ---- census ------------------------------------------------------------- */

static bool field_hex(const char *text, const char *key, unsigned long long *v)
{
	const char *p = strstr(text, key);
	return p && sscanf(p + strlen(key), " %llx", v) == 1;
}

static bool field_int(const char *text, const char *key, int *v)
{
	const char *p = strstr(text, key);
	return p && sscanf(p + strlen(key), " %d", v) == 1;
}

static bool field_ids(const char *text, const char *key, unsigned id[4])
{
	const char *p = strstr(text, key);
	return p && sscanf(p + strlen(key), " %u %u %u %u", &id[0], &id[1], &id[2], &id[3]) == 4;
}

bool sb_parse_status(const char *text, struct sb_proc_status *out)
{
	memset(out, 0, sizeof *out);
	bool ok = field_hex(text, "\nCapInh:", &out->cap_inh) && field_hex(text, "\nCapPrm:", &out->cap_prm) &&
		  field_hex(text, "\nCapEff:", &out->cap_eff) && field_hex(text, "\nCapBnd:", &out->cap_bnd) &&
		  field_ids(text, "\nUid:", out->uid) && field_ids(text, "\nGid:", out->gid) &&
		  field_int(text, "\nNoNewPrivs:", &out->no_new_privs) &&
		  field_int(text, "\nSeccomp:", &out->seccomp);
	/* CapAmb is missing on kernels before 4.3: then there is none. */
	if (ok && !field_hex(text, "\nCapAmb:", &out->cap_amb))
		out->cap_amb = 0;
	return ok;
}

static bool read_task_status(int tid, struct sb_proc_status *ps)
{
	char path[64], text[4096];
	snprintf(path, sizeof path, "/proc/self/task/%d/status", tid);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return false;
	ssize_t n = read(fd, text, sizeof text - 1);
	close(fd);
	if (n <= 0)
		return false;
	text[n] = '\0';
	return sb_parse_status(text, ps);
}

static const char *nonconforming(const struct sb_expect *w, const struct sb_proc_status *ps)
{
	if (w->caps_zero && (ps->cap_inh | ps->cap_prm | ps->cap_eff | ps->cap_amb))
		return "capabilities left";
	if (w->nnp && ps->no_new_privs != 1)
		return "no_new_privs not set";
	if (w->seccomp >= 0 && ps->seccomp != w->seccomp)
		return "seccomp mode differs";
	return NULL;
}

static void census_one(const struct sb_expect *want, int tid, struct sb_census *c)
{
	struct sb_proc_status ps;
	const char *why = read_task_status(tid, &ps) ? nonconforming(want, &ps) : "status unreadable";
	c->threads++;
	if (!why) {
		c->confined++;
	} else if (!c->first_bad_tid) {
		c->first_bad_tid = tid;
		snprintf(c->first_bad_why, sizeof c->first_bad_why, "%s", why);
	}
}

void sb_threads_census(const struct sb_expect *want, struct sb_census *c)
{
	memset(c, 0, sizeof *c);
	DIR *d = opendir("/proc/self/task");
	if (!d) {
		c->threads = 1; /* at least the caller, and it could not be checked */
		c->first_bad_tid = (int)gettid();
		snprintf(c->first_bad_why, sizeof c->first_bad_why, "/proc/self/task unreadable");
		return;
	}
	struct dirent *de;
	while ((de = readdir(d))) {
		int tid = atoi(de->d_name);
		if (tid > 0)
			census_one(want, tid, c);
	}
	closedir(d);
}
