/* sandbox.c - the one entry point: privilege drop, then Landlock, then
 * seccomp (last, since it forbids the calls the others need), then a
 * census of every thread's /proc status to confirm what is in force.
 */
#include "sandbox/sandbox_int.h"

#include <errno.h>
#include <linux/capability.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "base/str.h"

void sb_note(struct sandbox_status *st, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	str_vnote(st->notes, sizeof st->notes, fmt, ap);
	va_end(ap);
}

static int enter_landlock(const struct sandbox_opts *o, struct sandbox_status *st, struct wt_err *err)
{
	int abi = sb_landlock_abi();
	if (abi <= 0) {
		sb_note(st, "landlock: not available");
		return 0;
	}
	if (o->proc_fd_scan) {
		sb_note(st, "landlock: off (attribution reads /proc/<pid>/fd, which a domain cannot)");
		return 0;
	}
	int fd = sb_landlock_ruleset(abi, o->read_paths, o->write_paths, err);
	if (fd < 0)
		return -1;
	int other = 0;
	int rc = sb_threads_run(SB_STEP_LANDLOCK, fd, &other, err);
	int self = rc < 0 ? 0 : sb_step_self(SB_STEP_LANDLOCK, fd);
	close(fd);
	if (rc < 0)
		return -1;
	if (other || self)
		return wt_err_set(err, WT_ERR_SYSTEM, "landlock: cannot restrict: %s", strerror(self ? self : other));
	st->landlock_abi = abi;
	st->no_new_privs = true;
	return 0;
}

static int enter_seccomp(const struct sandbox_opts *o, struct sandbox_status *st, struct wt_err *err)
{
	if (!sb_seccomp_built()) {
		sb_note(st, "seccomp: not in this build (libseccomp missing)");
		return 0;
	}
	if (prctl(PR_GET_SECCOMP, 0, 0, 0, 0) < 0 && errno == EINVAL) {
		sb_note(st, "seccomp: not available in this kernel");
		return 0;
	}
	bool may_write = o->write_paths && o->write_paths[0];
	int n = sb_seccomp_apply(o->on_violation, may_write, o->dns_lookups, o->child_pid, err);
	if (n < 0)
		return -1;
	st->seccomp = true;
	st->seccomp_rules = (unsigned)n;
	st->no_new_privs = true; /* libseccomp sets it before loading */
	return 0;
}

/* --no-priv-drop with --no-sandbox leaves nothing else that sets it: a
 * process that decodes hostile bytes never gains privilege through
 * execve, whatever it was asked to relax. */
static int keep_no_new_privs(struct sandbox_status *st, struct wt_err *err)
{
	int rc = sb_step_everywhere(SB_STEP_NNP, err);
	if (rc < 0)
		return -1;
	if (rc)
		return wt_err_set(err, WT_ERR_SYSTEM, "sandbox: cannot set no_new_privs: %s", strerror(rc));
	st->no_new_privs = true;
	return 0;
}

/* Every thread must show what the caller was told is in force. */
static int census(struct sandbox_status *st, struct wt_err *err)
{
	struct sb_expect want = { .caps_zero = st->caps_cleared, .nnp = st->no_new_privs,
				  .seccomp = st->seccomp ? 2 : -1 };
	struct sb_census c;
	sb_threads_census(&want, &c);
	st->threads = c.threads;
	st->threads_confined = c.confined;
	if (c.first_bad_tid)
		return wt_err_set(err, WT_ERR_SYSTEM, "sandbox: thread %d: %s", c.first_bad_tid,
				  c.first_bad_why);
	return 0;
}

int sandbox_enter(const struct sandbox_opts *o, struct sandbox_status *st, struct wt_err *err)
{
	static const struct sandbox_opts defaults;
	struct sandbox_status local;
	if (!o)
		o = &defaults;
	if (!st)
		st = &local;
	memset(st, 0, sizeof *st);
	st->on_violation = o->on_violation;
	if (o->no_priv_drop)
		sb_note(st, "privileges kept (--no-priv-drop)");
	else if (sb_privdrop(st, err) < 0)
		return -1;
	if (o->no_sandbox)
		sb_note(st, "sandbox off (--no-sandbox)");
	else if (enter_landlock(o, st, err) < 0 || enter_seccomp(o, st, err) < 0)
		return -1;
	if (!st->no_new_privs && keep_no_new_privs(st, err) < 0)
		return -1;
	st->uid = (unsigned)getuid();
	st->gid = (unsigned)getgid();
	if (census(st, err) < 0)
		return -1;
	st->entered = true;
	return 0;
}

static const char *const violation_names[] = {
	[SANDBOX_DENY] = "", [SANDBOX_KILL] = ", kill", [SANDBOX_LOG] = ", log only",
};

void sandbox_status_line(const struct sandbox_status *st, char *buf, size_t cap)
{
	char ids[32], sc[48], ll[24];
	if (st->uid == 0)
		snprintf(ids, sizeof ids, "root");
	else
		snprintf(ids, sizeof ids, "uid %u", st->uid);
	if (st->seccomp)
		snprintf(sc, sizeof sc, "seccomp (%u rules%s)", st->seccomp_rules,
			 (unsigned)st->on_violation < 3 ? violation_names[st->on_violation] : "");
	else
		snprintf(sc, sizeof sc, "no seccomp");
	if (st->landlock_abi > 0)
		snprintf(ll, sizeof ll, "landlock v%d", st->landlock_abi);
	else
		snprintf(ll, sizeof ll, "no landlock");
	snprintf(buf, cap, "%s, %s, %s, %s", ids, st->caps_cleared ? "caps none" : "caps kept", sc, ll);
}

static bool has_permitted_caps(void)
{
	struct __user_cap_header_struct hdr = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct d[_LINUX_CAPABILITY_U32S_3];
	memset(d, 0, sizeof d);
	if (syscall(SYS_capget, &hdr, d) < 0)
		return false;
	return d[0].permitted || d[1].permitted;
}

void sandbox_probe(struct sandbox_support *s)
{
	memset(s, 0, sizeof *s);
	s->root = geteuid() == 0;
	s->has_caps = has_permitted_caps();
	s->seccomp_built = sb_seccomp_built();
	s->seccomp_kernel = !(prctl(PR_GET_SECCOMP, 0, 0, 0, 0) < 0 && errno == EINVAL);
	sb_seccomp_version(s->seccomp_version, sizeof s->seccomp_version);
	s->landlock_abi = sb_landlock_abi();
	if (s->root) {
		const char *from;
		sb_drop_ids(&s->drop_uid, &s->drop_gid, &from);
		snprintf(s->drop_from, sizeof s->drop_from, "%s", from);
	} else {
		s->drop_uid = (unsigned)getuid();
		s->drop_gid = (unsigned)getgid();
		snprintf(s->drop_from, sizeof s->drop_from, "self");
	}
}

static bool item_privileges(const struct sandbox_support *s, char *text, size_t cap)
{
	if (s->root)
		snprintf(text, cap, "root; after start-up uid %u gid %u (%s), no capabilities", s->drop_uid,
			 s->drop_gid, s->drop_from);
	else
		snprintf(text, cap, "uid %u%s; after start-up no capabilities", s->drop_uid,
			 s->has_caps ? " with file capabilities" : "");
	return true;
}

static bool item_seccomp(const struct sandbox_support *s, char *text, size_t cap)
{
	if (!s->seccomp_built)
		snprintf(text, cap, "not in this build: install libseccomp-dev and rebuild");
	else if (!s->seccomp_kernel)
		snprintf(text, cap, "kernel without seccomp filters (CONFIG_SECCOMP_FILTER)");
	else
		snprintf(text, cap, "system-call allowlist after start-up (libseccomp %s)", s->seccomp_version);
	return s->seccomp_built && s->seccomp_kernel;
}

static bool item_landlock(const struct sandbox_support *s, char *text, size_t cap)
{
	if (s->landlock_abi > 0)
		snprintf(text, cap, "ABI %d: files limited to /proc, /sys/class/net and the log directory",
			 s->landlock_abi);
	else
		snprintf(text, cap, "not available: kernel without Landlock, or 'landlock' missing from lsm=");
	return s->landlock_abi > 0;
}

bool sandbox_support_item(const struct sandbox_support *s, int item, const char **what, char *text,
			  size_t cap)
{
	static const struct {
		const char *what;
		bool (*fn)(const struct sandbox_support *s, char *text, size_t cap);
	} items[SANDBOX_ITEMS] = {
		[SANDBOX_ITEM_PRIVILEGES] = { "privileges", item_privileges },
		[SANDBOX_ITEM_SECCOMP] = { "seccomp", item_seccomp },
		[SANDBOX_ITEM_LANDLOCK] = { "landlock", item_landlock },
	};
	if (item < 0 || item >= SANDBOX_ITEMS) {
		*what = "";
		if (cap)
			text[0] = '\0';
		return false;
	}
	*what = items[item].what;
	return items[item].fn(s, text, cap);
}
