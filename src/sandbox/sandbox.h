/* sandbox.h - least privilege after start-up: drop to the invoking user,
 * clear every capability, set no_new_privs, then confine with Landlock
 * (file access) and a seccomp allowlist (system calls).
 *
 * Call sandbox_enter() once, from the main thread, after everything that
 * needs privilege is open (capture handle, eBPF programs, log file) and
 * before the engine's threads start. Threads that already run (the
 * attribution thread) are brought along: seccomp synchronises them itself,
 * and the per-thread parts (capabilities, no_new_privs, Landlock) are
 * applied in each of them by a queued signal (SANDBOX_SIGNAL), so no
 * thread may keep that signal blocked at that moment. Threads created
 * afterwards inherit everything.
 *
 * What is in force afterwards is reported in struct sandbox_status, one
 * line of it for the status bar (sandbox_status_line); what this machine
 * supports at all is for --doctor (sandbox_probe, sandbox_support_lines).
 */
#ifndef WT_SANDBOX_SANDBOX_H
#define WT_SANDBOX_SANDBOX_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>

#include "base/err.h"

/* Used only while sandbox_enter() runs; restored afterwards. */
#define SANDBOX_SIGNAL (SIGRTMAX - 1) /* valgrind keeps SIGRTMAX for itself */

/* What a system call outside the allowlist does. */
enum sandbox_violation {
	SANDBOX_DENY = 0, /* fails with EPERM (default: a missed call degrades a feature, never kills) */
	SANDBOX_KILL,     /* the whole process dies with SIGSYS */
	SANDBOX_LOG,      /* allowed, and logged by the kernel's audit (to rediscover the list) */
};

struct sandbox_opts {
	bool no_priv_drop;  /* --no-priv-drop: keep uid, groups and capabilities */
	bool no_sandbox;    /* --no-sandbox: no Landlock, no seccomp */
	enum sandbox_violation on_violation;
	/* The attribution back end walks /proc/<pid>/fd (sock_diag, procfs).
	 * A Landlock domain may not look into processes outside it, which
	 * hides those directories, so Landlock is then left off (noted). */
	bool proc_fd_scan;
	/* Extra trees to read (NULL-terminated list, or NULL). */
	const char *const *read_paths;
	/* Trees to create and write files in, e.g. the log directory; each
	 * must exist already. NULL-terminated list, or NULL. */
	const char *const *write_paths;
	/* A child process (the attribution helper) that may be reaped and, if
	 * it hangs at exit, killed; 0 none. */
	int child_pid;
	/* Reverse DNS lookups run (engine/resolver.h): they open UDP and TCP
	 * sockets to the configured DNS servers after start-up. */
	bool dns_lookups;
};

struct sandbox_status {
	bool entered;              /* sandbox_enter() succeeded */
	bool priv_dropped;         /* uid and gid changed (was root) */
	unsigned uid, gid;         /* real = effective = saved, now */
	bool caps_cleared;         /* permitted, effective, inheritable, ambient empty */
	unsigned long long caps_kept; /* a helper's permitted = effective set (bit n: capability n) */
	bool bounding_cleared;     /* bounding set empty too */
	bool no_new_privs;
	bool seccomp;              /* filter loaded on every thread */
	unsigned seccomp_rules;
	enum sandbox_violation on_violation;
	int landlock_abi;          /* Landlock ABI in force; 0 = none */
	int threads;               /* threads seen when checking /proc/self/task */
	int threads_confined;      /* of those, with CapEff 0 and the same seccomp/NNP state */
	char notes[384];           /* why a part is not in force, "; "-separated */
};

/* The attribution helper: a separate process that keeps CAP_SYS_PTRACE and
 * CAP_DAC_READ_SEARCH (to name other users' sockets from /proc) after
 * wiretop has given everything up, and can do little else. */
struct sandbox_helper_opts {
	unsigned long long keep_caps; /* bit n: capability n; those not permitted now are not gained */
	enum sandbox_violation on_violation;
	int parent_death_signal;      /* sent to the helper when its parent dies; 0 none */
};

/* In a single-threaded helper, before it reads anything: bounding set cut
 * to keep_caps, the same uid and gid as sandbox_enter would pick (when
 * root), permitted = effective = keep_caps (as far as permitted before),
 * no_new_privs, not dumpable, the parent-death signal (set after the uid
 * change, which would reset it), and the helper's own seccomp allowlist; no
 * Landlock (a domain may not inspect processes outside it, the helper's
 * whole job). st->caps_kept says what it holds. Returns 0 or -1 with err
 * filled. */
int sandbox_enter_helper(const struct sandbox_helper_opts *o, struct sandbox_status *st,
			 struct wt_err *err);

/* Drops privileges and confines the process as o says (NULL: defaults).
 * st (may be NULL) is filled in either case. Returns 0, or -1 with err
 * filled when a part that this machine supports could not be applied; the
 * caller should then exit rather than run with less protection than
 * asked for. A part the machine lacks (no Landlock, no libseccomp in this
 * build) is not an error: st->notes says so. */
int sandbox_enter(const struct sandbox_opts *o, struct sandbox_status *st, struct wt_err *err);

/* One line for the status bar, e.g.
 * "uid 1000, caps none, seccomp (112 rules), landlock v7" or
 * "root, caps kept (--no-priv-drop), sandbox off (--no-sandbox)". */
void sandbox_status_line(const struct sandbox_status *st, char *buf, size_t cap);

/* What this machine and build support, for --doctor. */
struct sandbox_support {
	bool root;                 /* effective uid 0 */
	bool has_caps;             /* some permitted capability (file capabilities) */
	bool seccomp_built;        /* built with libseccomp */
	bool seccomp_kernel;       /* kernel accepts seccomp filters */
	char seccomp_version[16];  /* libseccomp version, "" when not built */
	int landlock_abi;          /* 0 = not available */
	unsigned drop_uid, drop_gid; /* where a privilege drop would go */
	char drop_from[16];        /* "SUDO_UID", "nobody" or "self" */
};

void sandbox_probe(struct sandbox_support *s);

/* --doctor lines, one per part: for item in [0, SANDBOX_ITEMS) sets *what
 * ("privileges", "seccomp", "landlock"), writes what will be in force or
 * what is missing and how to get it into text, and returns whether the
 * part is available. */
enum { SANDBOX_ITEM_PRIVILEGES, SANDBOX_ITEM_SECCOMP, SANDBOX_ITEM_LANDLOCK, SANDBOX_ITEMS };
bool sandbox_support_item(const struct sandbox_support *s, int item, const char **what, char *text,
			  size_t cap);

#endif
