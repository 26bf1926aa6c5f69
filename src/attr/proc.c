/* proc.c - what /proc/<pid> says about a process: name, exe, command
 * line, uid and cgroup (what that says about units, containers and pods
 * is cgroup.c's and runtime.c's).
 *
 * Called by the attribution thread (and tests); never on a reader's thread.
 * Everything read here is written by the process itself or by whoever
 * named its cgroup, so it is sanitized before it is stored.
 */
#include "attr/attr_int.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/fdio.h"
#include "base/macros.h"
#include "base/sanitize.h"

#define COMM_FULL 15 /* a comm this long was probably cut short by the kernel */

static void proc_path(char *out, size_t cap, const char *root, int32_t pid, const char *leaf)
{
	snprintf(out, cap, "%s/%d/%s", root, (int)pid, leaf);
}

static const char *base_name(const char *path)
{
	const char *s = strrchr(path, '/');
	return s ? s + 1 : path;
}

void attr_user_name(uint32_t uid, char *out, size_t cap)
{
	struct passwd pw, *res = NULL;
	char buf[1024];

	if (getpwuid_r((uid_t)uid, &pw, buf, sizeof buf, &res) == 0 && res && res->pw_name)
		sanitize_copy(out, cap, (const uint8_t *)res->pw_name, strlen(res->pw_name));
	else
		snprintf(out, cap, "%u", uid);
}

/* Real uid from the "Uid:" line of status. */
static bool read_uid(const char *root, int32_t pid, uint32_t *uid)
{
	char path[ATTR_PATH_BUF], buf[2048];
	const char *p;

	proc_path(path, sizeof path, root, pid, "status");
	if (file_read_small(path, buf, sizeof buf) < 0)
		return false;
	p = strstr(buf, "\nUid:");
	if (!p)
		return false;
	*uid = (uint32_t)strtoul(p + 5, NULL, 10);
	return true;
}

/* The name as the kernel has it (raw, for comparisons) and sanitized. */
static void read_comm(const char *root, int32_t pid, char *out, size_t cap, char raw[16])
{
	char path[ATTR_PATH_BUF], buf[64];
	ssize_t n;

	proc_path(path, sizeof path, root, pid, "comm");
	n = file_read_small(path, buf, sizeof buf);
	if (n > 0 && buf[n - 1] == '\n')
		n--;
	if (n < 0)
		n = 0;
	snprintf(raw, 16, "%.*s", (int)n, buf);
	sanitize_copy(out, cap, (const uint8_t *)buf, (size_t)n);
}

void attr_proc_exe(const char *root, int32_t pid, char *out, size_t cap)
{
	static const char deleted[] = " (deleted)";
	char path[ATTR_PATH_BUF], buf[PATH_MAX];
	ssize_t n;
	size_t dl = sizeof deleted - 1;

	proc_path(path, sizeof path, root, pid, "exe");
	n = readlink(path, buf, sizeof buf - 1);
	if (n < 0)
		n = 0;
	if ((size_t)n > dl && memcmp(buf + n - dl, deleted, dl) == 0)
		n -= (ssize_t)dl;
	sanitize_copy(out, cap, (const uint8_t *)buf, (size_t)n);
}

/* Arguments joined by spaces; argv0 (unsanitized basename source) too. */
static void read_cmdline(const char *root, int32_t pid, char *out, size_t cap, char *argv0,
			 size_t acap)
{
	char path[ATTR_PATH_BUF], buf[4096];
	ssize_t n;

	proc_path(path, sizeof path, root, pid, "cmdline");
	n = file_read_small(path, buf, sizeof buf);
	if (n < 0)
		n = 0;
	while (n > 0 && buf[n - 1] == '\0')
		n--;
	snprintf(argv0, acap, "%s", buf);
	for (ssize_t i = 0; i < n; i++)
		if (buf[i] == '\0')
			buf[i] = ' ';
	sanitize_copy(out, cap, (const uint8_t *)buf, (size_t)n);
}

/* Whether a v1 line ("4:cpu,cpuacct:/path") is controller ctl's. */
static bool v1_controls(const char *line, const char *ctl)
{
	char ctls[128], *save = NULL;
	const char *a = strchr(line, ':'), *b = a ? strchr(a + 1, ':') : NULL;

	if (!b || (size_t)(b - a - 1) >= sizeof ctls)
		return false;
	snprintf(ctls, sizeof ctls, "%.*s", (int)(b - a - 1), a + 1);
	for (char *t = strtok_r(ctls, ",", &save); t; t = strtok_r(NULL, ",", &save))
		if (strcmp(t, ctl) == 0)
			return true;
	return false;
}

/* The path that says most about where the process runs: cgroup v2's single
 * "0::" line; on v1 and hybrid hosts, where that is missing or "/", the
 * systemd hierarchy's, then the cpu or memory controller's (a runtime
 * without systemd puts containers there). "/" when every line says so. */
static void read_cgroup(const char *root, int32_t pid, char *out, size_t cap)
{
	static const char *const v1_order[] = { "name=systemd", "cpu", "memory" };
	char path[ATTR_PATH_BUF], buf[4096];
	const char *lines[64], *best = NULL;
	size_t n = 0;
	char *save = NULL;

	proc_path(path, sizeof path, root, pid, "cgroup");
	if (file_read_small(path, buf, sizeof buf) < 0) {
		out[0] = '\0';
		return;
	}
	for (char *l = strtok_r(buf, "\n", &save); l && n < ARRAY_LEN(lines); l = strtok_r(NULL, "\n", &save))
		lines[n++] = l;
	for (size_t i = 0; i < n && !best; i++)
		if (strncmp(lines[i], "0::/", 4) == 0 && lines[i][4])
			best = lines[i] + 3;
	for (size_t k = 0; k < ARRAY_LEN(v1_order) && !best; k++)
		for (size_t i = 0; i < n && !best; i++) {
			const char *p = strchr(lines[i], ':');
			p = p ? strchr(p + 1, ':') : NULL;
			if (p && p[1] == '/' && p[2] && v1_controls(lines[i], v1_order[k]))
				best = p + 1;
		}
	if (!best)
		best = n ? "/" : "";
	sanitize_copy(out, cap, (const uint8_t *)best, strlen(best));
}

/* The kernel keeps 15 bytes of a name; when exe or argv[0] starts with them
 * and is longer, that is the real name. */
static void pick_name(char *name, size_t cap, const char *exe, const char *argv0)
{
	const char *cand[2] = { base_name(exe), base_name(argv0) };
	size_t len = strlen(name);

	if (len < COMM_FULL)
		return;
	for (size_t i = 0; i < 2; i++) {
		const char *c = cand[i];
		size_t cl = strcspn(c, " ");
		if (cl > len && strncmp(c, name, len) == 0) {
			sanitize_copy(name, cap, (const uint8_t *)c, cl);
			return;
		}
	}
}

bool attr_proc_read_raw(const char *proc_root, int32_t pid, struct attr_proc_detail *d,
			char comm[16])
{
	char path[ATTR_PATH_BUF], argv0[PATH_MAX];
	struct stat st;
	struct attr_stat ps;

	memset(d, 0, sizeof *d);
	comm[0] = '\0';
	d->ref.pid = pid;
	proc_path(path, sizeof path, proc_root, pid, "");
	if (pid <= 0 || stat(path, &st) != 0) {
		d->exited = true;
		return false;
	}
	/* exe and cmdline go first: an exiting process loses them (its memory)
	 * before it loses the rest */
	attr_proc_exe(proc_root, pid, d->exe, sizeof d->exe);
	read_cmdline(proc_root, pid, d->cmdline, sizeof d->cmdline, argv0, sizeof argv0);
	if (!read_uid(proc_root, pid, &d->ref.uid))
		d->ref.uid = (uint32_t)st.st_uid;
	read_comm(proc_root, pid, d->ref.name, sizeof d->ref.name, comm);
	pick_name(d->ref.name, sizeof d->ref.name, d->exe, argv0);
	read_cgroup(proc_root, pid, d->cgroup, sizeof d->cgroup);
	attr_place_of(NULL, d);
	if (attr_proc_stat(proc_root, pid, &ps)) {
		d->ppid = ps.ppid;
		d->start_ticks = ps.start_ticks;
	}
	return true;
}

bool attr_proc_read(const char *proc_root, int32_t pid, struct attr_proc_detail *d)
{
	char comm[16];

	if (!attr_proc_read_raw(proc_root, pid, d, comm))
		return false;
	attr_user_name(d->ref.uid, d->ref.user, sizeof d->ref.user);
	return true;
}

bool attr_cgroup2_root(char *out, size_t cap)
{
	FILE *f = fopen("/proc/self/mounts", "re");
	char *line = NULL;
	size_t lcap = 0;
	bool found = false;

	out[0] = '\0';
	if (!f)
		return false;
	while (!found && getline(&line, &lcap, f) > 0) {
		char dev[64], dir[PATH_MAX], type[32];
		if (sscanf(line, "%63s %4095s %31s", dev, dir, type) == 3 &&
		    strcmp(type, "cgroup2") == 0) {
			snprintf(out, cap, "%s", dir);
			found = true;
		}
	}
	free(line);
	fclose(f);
	return found;
}
