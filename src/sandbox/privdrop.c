/* privdrop.c - from root (or file capabilities) to an ordinary user with
 * no capabilities: capabilities(7), credentials(7), prctl(2)
 * PR_CAPBSET_DROP / PR_CAP_AMBIENT / PR_SET_NO_NEW_PRIVS.
 *
 * Order matters: the bounding set can only be cleared while CAP_SETPCAP is
 * still held, so it goes first; then supplementary groups, gid, uid (the
 * kernel clears permitted and effective sets when the last root id goes);
 * then the remaining sets are zeroed explicitly, which also covers the
 * file-capability case where no id changes. Already open descriptors (the
 * capture socket, eBPF maps) keep working: they were checked at open.
 */
#include "sandbox/sandbox_int.h"

#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int sb_parse_id(const char *s, unsigned *out)
{
	if (!s || !*s || strlen(s) > 10)
		return -1;
	unsigned long long v = 0;
	for (const char *p = s; *p; p++) {
		if (*p < '0' || *p > '9')
			return -1;
		v = v * 10 + (unsigned)(*p - '0');
	}
	if (v >= 0xffffffffull) /* (uid_t)-1 means "unchanged" to the kernel */
		return -1;
	*out = (unsigned)v;
	return 0;
}

void sb_drop_target(const char *sudo_uid, const char *sudo_gid, unsigned nobody_uid,
		    unsigned nobody_gid, unsigned *uid, unsigned *gid, const char **from)
{
	unsigned u, g;
	if (sb_parse_id(sudo_uid, &u) == 0 && u != 0) {
		/* A gid of 0 would keep the root group's file access. */
		*uid = u;
		*gid = sb_parse_id(sudo_gid, &g) == 0 && g != 0 ? g : nobody_gid;
		*from = "SUDO_UID";
		return;
	}
	*uid = nobody_uid;
	*gid = nobody_gid;
	*from = "nobody";
}

void sb_nobody(unsigned *uid, unsigned *gid)
{
	struct passwd pw, *res = NULL;
	char buf[1024];
	*uid = *gid = SB_NOBODY_ID;
	if (getpwnam_r("nobody", &pw, buf, sizeof buf, &res) == 0 && res && res->pw_uid != 0 &&
	    res->pw_gid != 0) {
		*uid = (unsigned)res->pw_uid;
		*gid = (unsigned)res->pw_gid;
	}
}

bool sb_any_root_id(void)
{
	uid_t r, e, s;
	return getresuid(&r, &e, &s) < 0 || r == 0 || e == 0 || s == 0;
}

void sb_drop_ids(unsigned *uid, unsigned *gid, const char **from)
{
	unsigned nu, ng;
	sb_nobody(&nu, &ng);
	sb_drop_target(getenv("SUDO_UID"), getenv("SUDO_GID"), nu, ng, uid, gid, from);
}

int sb_change_ids(unsigned uid, unsigned gid, struct wt_err *err)
{
	uid_t r, e, s;
	gid_t gr, ge, gs;
	if (setgroups(0, NULL) < 0)
		return wt_err_set(err, WT_ERR_PERM, "sandbox: setgroups: %s", strerror(errno));
	if (setresgid(gid, gid, gid) < 0)
		return wt_err_set(err, WT_ERR_PERM, "sandbox: cannot switch to gid %u: %s (--no-priv-drop keeps root)",
				  gid, strerror(errno));
	if (setresuid(uid, uid, uid) < 0)
		return wt_err_set(err, WT_ERR_PERM, "sandbox: cannot switch to uid %u: %s (--no-priv-drop keeps root)",
				  uid, strerror(errno));
	if (getresuid(&r, &e, &s) < 0 || r != uid || e != uid || s != uid ||
	    getresgid(&gr, &ge, &gs) < 0 || gr != gid || ge != gid || gs != gid)
		return wt_err_set(err, WT_ERR_PERM, "sandbox: ids did not change to %u:%u", uid, gid);
	if (setresuid(0, 0, 0) == 0)
		return wt_err_set(err, WT_ERR_PERM, "sandbox: root could be regained after the drop");
	return 0;
}

int sb_privdrop(struct sandbox_status *st, struct wt_err *err)
{
	bool root = sb_any_root_id();
	int rc = sb_step_everywhere(SB_STEP_BOUNDING, err);
	if (rc < 0)
		return -1;
	st->bounding_cleared = rc == 0;
	if (rc)
		sb_note(st, "bounding set kept (%s)", rc == EPERM ? "no CAP_SETPCAP" : strerror(rc));
	if (root) {
		unsigned uid, gid;
		const char *from;
		sb_drop_ids(&uid, &gid, &from);
		if (sb_change_ids(uid, gid, err) < 0)
			return -1;
		st->priv_dropped = true;
	}
	rc = sb_step_everywhere(SB_STEP_CAPS, err);
	if (rc < 0)
		return -1;
	if (rc)
		return wt_err_set(err, WT_ERR_PERM, "sandbox: cannot clear capabilities: %s", strerror(rc));
	st->caps_cleared = true;
	st->no_new_privs = true;
	return 0;
}
