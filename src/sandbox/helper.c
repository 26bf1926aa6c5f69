/* helper.c - confinement of a helper process that keeps a capability or
 * two after the rest of wiretop has given everything up: the attribution
 * helper, which names other users' sockets from /proc (CAP_SYS_PTRACE for
 * their fd and ns links, CAP_DAC_READ_SEARCH for their fd directories).
 *
 * Single-threaded, right after exec, before the helper reads anything:
 *   1. bounding set cut to the kept capabilities, ambient cleared
 *      (needs CAP_SETPCAP; noted when missing, as for the main process);
 *   2. when root: PR_SET_KEEPCAPS, then groups, gid and uid changed the
 *      way sandbox_enter changes them (the kernel clears the effective set
 *      on the uid change, so root cannot be regained);
 *   3. permitted = effective = the kept capabilities (those permitted
 *      before; none is gained), inheritable none;
 *   4. no_new_privs, and not dumpable: the main process runs as the same
 *      uid and must not ptrace the helper or read its memory to borrow its
 *      capabilities (nor can it: the helper holds capabilities it lacks);
 *      the parent-death signal, which the uid change would have reset;
 *   5. seccomp with the helper's allowlist (seccomp.c);
 *   6. /proc/self/status read back: the capability sets, NoNewPrivs and
 *      Seccomp must be what was asked for.
 * No Landlock: a Landlock domain may not inspect processes outside it,
 * which is the helper's whole job.
 */
#include "sandbox/sandbox_int.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <unistd.h>

static unsigned long long permitted_now(void)
{
	char text[4096];
	struct sb_proc_status ps;
	int fd = open("/proc/self/status", O_RDONLY | O_CLOEXEC);
	ssize_t n = fd >= 0 ? read(fd, text, sizeof text - 1) : -1;
	if (fd >= 0)
		close(fd);
	if (n <= 0)
		return 0;
	text[n] = '\0';
	return sb_parse_status(text, &ps) ? ps.cap_prm : 0;
}

static int drop_ids(struct sandbox_status *st, struct wt_err *err)
{
	unsigned uid, gid;
	const char *from;
	if (!sb_any_root_id())
		return 0;
	if (prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0) < 0)
		return wt_err_set(err, WT_ERR_SYSTEM, "sandbox: keepcaps: %s", strerror(errno));
	sb_drop_ids(&uid, &gid, &from);
	if (sb_change_ids(uid, gid, err) < 0)
		return -1;
	st->priv_dropped = true;
	return prctl(PR_SET_KEEPCAPS, 0, 0, 0, 0) < 0 ? wt_err_set(err, WT_ERR_SYSTEM, "sandbox: keepcaps: %s",
								 strerror(errno))
						      : 0;
}

static int keep_caps(const struct sandbox_helper_opts *o, unsigned long long keep,
		     struct sandbox_status *st, struct wt_err *err)
{
	int rc = sb_bounding_keep(keep);
	st->bounding_cleared = rc == 0;
	if (rc)
		sb_note(st, "bounding set kept (%s)", rc == EPERM ? "no CAP_SETPCAP" : strerror(rc));
	if (drop_ids(st, err) < 0)
		return -1;
	rc = sb_capset(keep);
	if (rc)
		return wt_err_set(err, WT_ERR_PERM, "sandbox: cannot keep capabilities %#llx: %s", keep,
				  strerror(rc));
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0 || prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) < 0 ||
	    prctl(PR_SET_PDEATHSIG, o->parent_death_signal, 0, 0, 0) < 0)
		return wt_err_set(err, WT_ERR_SYSTEM, "sandbox: prctl: %s", strerror(errno));
	st->caps_kept = keep;
	st->caps_cleared = keep == 0;
	st->no_new_privs = true;
	return 0;
}

/* What /proc/self/status says must be what was asked for. */
static int verify(const struct sandbox_status *st, struct wt_err *err)
{
	struct sb_expect want = { .caps_zero = false, .nnp = true, .seccomp = st->seccomp ? 2 : -1 };
	struct sb_census c;
	sb_threads_census(&want, &c);
	if (c.first_bad_tid)
		return wt_err_set(err, WT_ERR_SYSTEM, "sandbox: helper: %s", c.first_bad_why);
	if (permitted_now() != st->caps_kept)
		return wt_err_set(err, WT_ERR_SYSTEM, "sandbox: helper holds other capabilities than %#llx",
				  st->caps_kept);
	return 0;
}

int sandbox_enter_helper(const struct sandbox_helper_opts *o, struct sandbox_status *st,
			 struct wt_err *err)
{
	unsigned long long keep = o->keep_caps & permitted_now();
	int n;
	memset(st, 0, sizeof *st);
	st->on_violation = o->on_violation;
	if (keep_caps(o, keep, st, err) < 0)
		return -1;
	sb_note(st, "landlock: off (the helper inspects processes outside any domain)");
	if (!sb_seccomp_built()) {
		sb_note(st, "seccomp: not in this build (libseccomp missing)");
	} else if ((n = sb_seccomp_apply_helper(o->on_violation, err)) < 0) {
		return -1;
	} else {
		st->seccomp = true;
		st->seccomp_rules = (unsigned)n;
	}
	st->uid = (unsigned)getuid();
	st->gid = (unsigned)getgid();
	if (verify(st, err) < 0)
		return -1;
	st->threads = st->threads_confined = 1;
	st->entered = true;
	return 0;
}
