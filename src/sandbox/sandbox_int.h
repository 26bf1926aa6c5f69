/* sandbox_int.h - shared by the files of src/sandbox (and its unit test):
 * the privilege drop, the per-thread steps, Landlock and seccomp.
 * Not for other modules: they call sandbox.h.
 */
#ifndef WT_SANDBOX_SANDBOX_INT_H
#define WT_SANDBOX_SANDBOX_INT_H

#include <stdbool.h>
#include <stddef.h>

#include "sandbox/sandbox.h"

#define SB_NOBODY_ID 65534u

/* Appends "; "-separated text to st->notes (truncates quietly). */
void sb_note(struct sandbox_status *st, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* ---- threads.c: steps that the kernel applies per thread ---------------- */

enum sb_step {
	SB_STEP_BOUNDING = 1, /* clear ambient and bounding sets (needs CAP_SETPCAP) */
	SB_STEP_CAPS,         /* capset(all zero) + no_new_privs */
	SB_STEP_LANDLOCK,     /* no_new_privs + landlock_restrict_self(arg) */
	SB_STEP_NNP,          /* no_new_privs alone (when the rest is relaxed) */
};

/* In the calling thread: ambient set cleared, every capability but those
 * in keep (bit n: capability n) dropped from the bounding set (needs
 * CAP_SETPCAP). Returns 0 or an errno value; async-signal-safe. */
int sb_bounding_keep(unsigned long long keep);
/* In the calling thread: ambient cleared, permitted = effective = keep,
 * inheritable none. Returns 0 or an errno value; async-signal-safe. */
int sb_capset(unsigned long long keep);

/* Runs step in the calling thread. Returns 0 or an errno value.
 * Async-signal-safe: the signal handler calls it too. */
int sb_step_self(enum sb_step step, int arg);

/* Runs step in every other thread of the process and waits for each to
 * answer. *step_errno gets the first errno a thread reported (0: none).
 * Returns the number of threads reached, or -1 (err filled) when a thread
 * did not answer in time. */
int sb_threads_run(enum sb_step step, int arg, int *step_errno, struct wt_err *err);

/* Runs step (without argument) in every other thread, then in the
 * caller. Returns 0, an errno value a thread reported, or -1 with err
 * filled when a thread did not answer. */
int sb_step_everywhere(enum sb_step step, struct wt_err *err);

/* What /proc/self/task/<tid>/status says about each thread. */
struct sb_expect {
	bool caps_zero;   /* CapInh, CapPrm, CapEff, CapAmb all 0 */
	bool nnp;         /* NoNewPrivs 1 */
	int seccomp;      /* Seccomp mode wanted: 0 or 2 (-1: any) */
};
struct sb_census {
	int threads, confined;
	int first_bad_tid;            /* 0 when all conform */
	char first_bad_why[64];
};
void sb_threads_census(const struct sb_expect *want, struct sb_census *c);

/* Parses the text of a /proc/<pid>/status file: the fields the sandbox
 * cares about. Returns false when one of them is missing. */
struct sb_proc_status {
	unsigned long long cap_inh, cap_prm, cap_eff, cap_bnd, cap_amb;
	int no_new_privs, seccomp;
	unsigned uid[4], gid[4]; /* real, effective, saved, filesystem */
};
bool sb_parse_status(const char *text, struct sb_proc_status *out);

/* ---- privdrop.c --------------------------------------------------------- */

/* A uid/gid in decimal, 0 .. 2^32-2; -1 on anything else. */
int sb_parse_id(const char *s, unsigned *out);

/* Where root drops to: SUDO_UID/SUDO_GID when they name a non-root user,
 * otherwise nobody (nobody_uid / nobody_gid). *from names the choice. */
void sb_drop_target(const char *sudo_uid, const char *sudo_gid, unsigned nobody_uid,
		    unsigned nobody_gid, unsigned *uid, unsigned *gid, const char **from);

/* The nobody account of this system (65534 when it has none). */
void sb_nobody(unsigned *uid, unsigned *gid);

/* setgroups/setresgid/setresuid when root, then every capability set
 * cleared and no_new_privs, on every thread. */
int sb_privdrop(struct sandbox_status *st, struct wt_err *err);

/* Whether any of the real, effective or saved uids is 0. */
bool sb_any_root_id(void);
/* The uid and gid root drops to, and what chose them ("SUDO_UID", "nobody"). */
void sb_drop_ids(unsigned *uid, unsigned *gid, const char **from);
/* setgroups(0), setresgid, setresuid to uid:gid, verified; root must not
 * be regainable afterwards. */
int sb_change_ids(unsigned uid, unsigned gid, struct wt_err *err);

/* ---- landlock.c --------------------------------------------------------- */

/* The kernel's Landlock ABI version, 0 when it has none. */
int sb_landlock_abi(void);

/* A ruleset allowing reads of the default trees plus read_paths, writes
 * beneath write_paths, and (ABI >= 4) no TCP bind/connect, (ABI >= 6) no
 * signals or abstract sockets outside the domain. Returns its fd, or -1
 * with err filled. */
int sb_landlock_ruleset(int abi, const char *const *read_paths, const char *const *write_paths,
			struct wt_err *err);

/* The read-only trees every ruleset allows (NULL-terminated). */
extern const char *const sb_landlock_read_trees[];

/* ---- seccomp.c ---------------------------------------------------------- */

bool sb_seccomp_built(void);
/* Built with AddressSanitizer: the filter then also lets LeakSanitizer
 * fork a ptrace-ing helper at exit (clone, ptrace, wait4). */
bool sb_seccomp_sanitizer_build(void);
/* "2.5.4"; "" when not built. */
void sb_seccomp_version(char *buf, size_t cap);

/* Loads the allowlist on every thread (TSYNC). may_write: opens for
 * writing are allowed (there are write paths); child: a child process it
 * may reap and kill (0 none). Returns the number of rules, or -1 with err
 * filled. */
int sb_seccomp_apply(enum sandbox_violation v, bool may_write, bool dns, int child,
		     struct wt_err *err);
/* The attribution helper's allowlist (read /proc, a sock_diag socket,
 * talk on its socket; nothing else). Returns the number of rules, or -1
 * with err filled. */
int sb_seccomp_apply_helper(enum sandbox_violation v, struct wt_err *err);

#endif
