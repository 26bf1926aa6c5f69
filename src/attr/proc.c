/* proc.c - what /proc/<pid> says about a process: name, exe, command
 * line, uid, cgroup, and the container or systemd unit the cgroup names.
 *
 * Called by the attribution thread (and tests); never on a reader's thread.
 * Everything read here is written by the process itself or by whoever
 * named its cgroup, so it is sanitized before it is stored.
 */
#include "attr/attr_int.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/macros.h"
#include "base/sanitize.h"

#define COMM_FULL 15 /* a comm this long was probably cut short by the kernel */

size_t attr_read_fd(int fd, char *buf, size_t cap)
{
	size_t got = 0;
	while (got < cap) {
		ssize_t n = read(fd, buf + got, cap - got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		got += (size_t)n;
	}
	return got;
}

/* Reads up to cap-1 bytes of a small file; returns the length or -1. */
ssize_t attr_read_file(const char *path, char *buf, size_t cap)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	size_t got = cap ? attr_read_fd(fd, buf, cap - 1) : 0;
	close(fd);
	if (cap)
		buf[got] = '\0';
	return (ssize_t)got;
}

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
	if (attr_read_file(path, buf, sizeof buf) < 0)
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
	n = attr_read_file(path, buf, sizeof buf);
	if (n > 0 && buf[n - 1] == '\n')
		n--;
	if (n < 0)
		n = 0;
	snprintf(raw, 16, "%.*s", (int)n, buf);
	sanitize_copy(out, cap, (const uint8_t *)buf, (size_t)n);
}

static void read_exe(const char *root, int32_t pid, char *out, size_t cap)
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
	n = attr_read_file(path, buf, sizeof buf);
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

/* The cgroup v2 line ("0::/path"); on hybrid hosts where that is "/" the
 * systemd hierarchy names the unit instead. */
static void read_cgroup(const char *root, int32_t pid, char *out, size_t cap)
{
	char path[ATTR_PATH_BUF], buf[4096], best[1024] = "";
	char *save = NULL;

	proc_path(path, sizeof path, root, pid, "cgroup");
	if (attr_read_file(path, buf, sizeof buf) < 0) {
		out[0] = '\0';
		return;
	}
	for (char *line = strtok_r(buf, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		if (strncmp(line, "0::", 3) == 0 && strcmp(line + 3, "/") != 0) {
			snprintf(best, sizeof best, "%s", line + 3);
			break;
		}
		const char *sd = strstr(line, ":name=systemd:");
		if (sd && !best[0] && strcmp(sd + 14, "/") != 0)
			snprintf(best, sizeof best, "%s", sd + 14);
	}
	if (!best[0] && strstr(buf, "0::/"))
		snprintf(best, sizeof best, "/");
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
	read_exe(proc_root, pid, d->exe, sizeof d->exe);
	read_cmdline(proc_root, pid, d->cmdline, sizeof d->cmdline, argv0, sizeof argv0);
	if (!read_uid(proc_root, pid, &d->ref.uid))
		d->ref.uid = (uint32_t)st.st_uid;
	read_comm(proc_root, pid, d->ref.name, sizeof d->ref.name, comm);
	pick_name(d->ref.name, sizeof d->ref.name, d->exe, argv0);
	read_cgroup(proc_root, pid, d->cgroup, sizeof d->cgroup);
	attr_cgroup_classify(d->cgroup, d->container, sizeof d->container, d->unit,
			     sizeof d->unit);
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

/* ---- cgroup path -> container, unit ------------------------------------- */

struct cg_pattern {
	const char *prefix, *suffix; /* around a container id in one path component */
};

static const struct cg_pattern cg_patterns[] = {
	{ "docker-", ".scope" },         /* docker with the systemd cgroup driver */
	{ "cri-containerd-", ".scope" }, /* containerd (Kubernetes) */
	{ "crio-", ".scope" },           /* CRI-O */
	{ "libpod-", ".scope" },         /* podman */
	{ "lxc.payload.", "" },          /* LXC 4+: the container's name */
};

static const char *const unit_suffixes[] = { ".service", ".scope", ".socket", ".mount" };

static bool all_hex(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!isxdigit((unsigned char)s[i]))
			return false;
	return n > 0;
}

static bool ends_with(const char *s, size_t n, const char *suf)
{
	size_t sl = strlen(suf);
	return n >= sl && memcmp(s + n - sl, suf, sl) == 0;
}

static bool container_of(const char *c, size_t n, const char *prev, size_t pn, char *out,
			 size_t cap)
{
	for (size_t i = 0; i < ARRAY_LEN(cg_patterns); i++) {
		const struct cg_pattern *p = &cg_patterns[i];
		size_t pl = strlen(p->prefix), sl = strlen(p->suffix);
		if (n > pl + sl && memcmp(c, p->prefix, pl) == 0 && ends_with(c, n, p->suffix)) {
			snprintf(out, cap, "%.*s", (int)(n - pl - sl), c + pl);
			return true;
		}
	}
	/* cgroupfs drivers: /docker/<64 hex>, /kubepods/.../<64 hex>, /lxc/<name> */
	if (n == 64 && all_hex(c, n)) {
		snprintf(out, cap, "%.*s", (int)n, c);
		return true;
	}
	if (prev && pn == 3 && memcmp(prev, "lxc", 3) == 0) {
		snprintf(out, cap, "%.*s", (int)n, c);
		return true;
	}
	return false;
}

static bool is_unit(const char *c, size_t n)
{
	for (size_t i = 0; i < ARRAY_LEN(unit_suffixes); i++)
		if (ends_with(c, n, unit_suffixes[i]) && n > strlen(unit_suffixes[i]))
			return true;
	return false;
}

void attr_cgroup_classify(const char *path, char *container, size_t ccap, char *unit,
			  size_t ucap)
{
	const char *prev = NULL;
	size_t pn = 0;

	if (ccap)
		container[0] = '\0';
	if (ucap)
		unit[0] = '\0';
	for (const char *c = path; *c;) {
		size_t n;
		while (*c == '/')
			c++;
		n = strcspn(c, "/");
		if (!n)
			break;
		if (ccap && !container[0])
			container_of(c, n, prev, pn, container, ccap);
		/* the innermost unit names the process best (session-3.scope
		 * rather than user@1000.service; app.service inside a slice) */
		if (ucap && is_unit(c, n))
			snprintf(unit, ucap, "%.*s", (int)n, c);
		prev = c;
		pn = n;
		c += n;
	}
}
