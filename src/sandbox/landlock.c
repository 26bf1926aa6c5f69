/* landlock.c - file and network confinement with Landlock
 * (Documentation/userspace-api/landlock.rst, ABI 1-7), by raw system
 * calls so that old C libraries and headers do not matter.
 *
 * Every file right the kernel knows is handled; the ruleset then grants
 * read access beneath a few trees (sb_landlock_read_trees plus the
 * caller's), and write/create access beneath the caller's write trees.
 * /sys/class/net holds only symlinks into /sys/devices, and Landlock
 * checks the resolved path, so both are granted. From ABI 4 TCP bind and
 * connect are handled with no rule (denied); from ABI 6 signals and
 * abstract UNIX sockets are scoped to the domain.
 */
#include "sandbox/sandbox_int.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#ifndef SYS_landlock_create_ruleset
#define SYS_landlock_create_ruleset 444
#define SYS_landlock_add_rule 445
#endif

/* From <linux/landlock.h>, spelled out for headers older than ABI 6. */
#define LL_CREATE_RULESET_VERSION (1u << 0)
#define LL_RULE_PATH_BENEATH 1
#define LL_FS_EXECUTE (1ull << 0)
#define LL_FS_WRITE_FILE (1ull << 1)
#define LL_FS_READ_FILE (1ull << 2)
#define LL_FS_READ_DIR (1ull << 3)
#define LL_FS_REMOVE_FILE (1ull << 5)
#define LL_FS_MAKE_REG (1ull << 8)
#define LL_FS_ABI1 ((1ull << 13) - 1) /* EXECUTE .. MAKE_SYM */
#define LL_FS_REFER (1ull << 13)      /* ABI 2 */
#define LL_FS_TRUNCATE (1ull << 14)   /* ABI 3 */
#define LL_FS_IOCTL_DEV (1ull << 15)  /* ABI 5 */
#define LL_NET_BIND_TCP (1ull << 0)   /* ABI 4 */
#define LL_NET_CONNECT_TCP (1ull << 1)
#define LL_SCOPE_ABSTRACT_UNIX (1ull << 0) /* ABI 6 */
#define LL_SCOPE_SIGNAL (1ull << 1)

/* Rights that make sense on a file (not a directory). */
#define LL_FS_FILE_RIGHTS (LL_FS_EXECUTE | LL_FS_WRITE_FILE | LL_FS_READ_FILE | LL_FS_TRUNCATE | LL_FS_IOCTL_DEV)

struct ll_ruleset_attr {
	uint64_t handled_access_fs;
	uint64_t handled_access_net;
	uint64_t scoped;
};

struct ll_path_beneath {
	uint64_t allowed_access;
	int32_t parent_fd;
} __attribute__((packed));

const char *const sb_landlock_read_trees[] = {
	"/proc",               /* socket tables, processes, this process's status */
	"/sys/class/net",      /* interface names and counters */
	"/sys/devices",        /* ... which /sys/class/net links into; CPU count */
	"/etc/passwd",         /* user names of socket owners */
	"/etc/group",
	"/etc/nsswitch.conf",
	"/etc/localtime",      /* time stamps in logs and the UI */
	"/usr/share/zoneinfo",
	"/usr/lib/locale",     /* the UI sets its locale and loads terminfo after start-up */
	"/usr/share/locale",
	"/etc/terminfo",
	"/lib/terminfo",
	"/usr/share/terminfo",
	"/var/lib/docker/containers", /* container names from the runtimes' metadata, */
	"/var/lib/containers/storage", /* where the user it drops to may read it */
	"/var/log/pods",       /* Kubernetes pods' namespaces and names */
	NULL,
};

int sb_landlock_abi(void)
{
	long v = syscall(SYS_landlock_create_ruleset, NULL, 0, LL_CREATE_RULESET_VERSION);
	return v < 0 ? 0 : (int)v;
}

static uint64_t fs_handled(int abi)
{
	uint64_t fs = LL_FS_ABI1;
	if (abi >= 2)
		fs |= LL_FS_REFER;
	if (abi >= 3)
		fs |= LL_FS_TRUNCATE;
	if (abi >= 5)
		fs |= LL_FS_IOCTL_DEV;
	return fs;
}

static int add_path(int rfd, const char *path, uint64_t access, bool required, struct wt_err *err)
{
	int fd = open(path, O_PATH | O_CLOEXEC);
	if (fd < 0) {
		if (!required && (errno == ENOENT || errno == ENOTDIR || errno == EACCES))
			return 0;
		return wt_err_set(err, WT_ERR_SYSTEM, "landlock: %s: %s", path, strerror(errno));
	}
	struct stat sbuf;
	if (fstat(fd, &sbuf) == 0 && !S_ISDIR(sbuf.st_mode))
		access &= LL_FS_FILE_RIGHTS;
	struct ll_path_beneath pb = { .allowed_access = access, .parent_fd = fd };
	long rc = syscall(SYS_landlock_add_rule, rfd, LL_RULE_PATH_BENEATH, &pb, 0);
	int e = errno;
	close(fd);
	if (rc < 0)
		return wt_err_set(err, WT_ERR_SYSTEM, "landlock: rule for %s: %s", path, strerror(e));
	return 0;
}

/* Terminal descriptions the user points at: $TERMINFO, $TERMINFO_DIRS,
 * ~/.terminfo (ncurses' search order). Missing ones are skipped. */
static int add_user_terminfo(int rfd, uint64_t access, struct wt_err *err)
{
	char path[4096];
	const char *home = getenv("HOME"), *one = getenv("TERMINFO"), *dirs = getenv("TERMINFO_DIRS");
	if (one && *one && add_path(rfd, one, access, false, err) < 0)
		return -1;
	if (home && *home && snprintf(path, sizeof path, "%s/.terminfo", home) < (int)sizeof path &&
	    add_path(rfd, path, access, false, err) < 0)
		return -1;
	while (dirs && *dirs) {
		size_t n = strcspn(dirs, ":");
		if (n > 0 && n < sizeof path) {
			memcpy(path, dirs, n);
			path[n] = '\0';
			if (add_path(rfd, path, access, false, err) < 0)
				return -1;
		}
		dirs += n + (dirs[n] == ':');
	}
	return 0;
}

static int add_list(int rfd, const char *const *paths, uint64_t access, bool required,
		    struct wt_err *err)
{
	for (size_t i = 0; paths && paths[i]; i++)
		if (add_path(rfd, paths[i], access, required, err) < 0)
			return -1;
	return 0;
}

static int create_ruleset(int abi, struct wt_err *err)
{
	struct ll_ruleset_attr ra = { .handled_access_fs = fs_handled(abi) };
	size_t size = sizeof ra.handled_access_fs;
	if (abi >= 4) {
		ra.handled_access_net = LL_NET_BIND_TCP | LL_NET_CONNECT_TCP;
		size += sizeof ra.handled_access_net;
	}
	if (abi >= 6) {
		ra.scoped = LL_SCOPE_ABSTRACT_UNIX | LL_SCOPE_SIGNAL;
		size += sizeof ra.scoped;
	}
	long fd = syscall(SYS_landlock_create_ruleset, &ra, size, 0);
	if (fd < 0)
		return wt_err_set(err, WT_ERR_SYSTEM, "landlock: create ruleset: %s", strerror(errno));
	return (int)fd;
}

int sb_landlock_ruleset(int abi, const char *const *read_paths, const char *const *write_paths,
			struct wt_err *err)
{
	uint64_t rd = LL_FS_READ_FILE | LL_FS_READ_DIR;
	/* REMOVE_FILE: rotation renames FILE over FILE.1 */
	uint64_t wr = rd | LL_FS_WRITE_FILE | LL_FS_MAKE_REG | LL_FS_REMOVE_FILE | (abi >= 3 ? LL_FS_TRUNCATE : 0);
	int fd = create_ruleset(abi, err);
	if (fd < 0)
		return -1;
	if (add_list(fd, sb_landlock_read_trees, rd, false, err) < 0 || add_user_terminfo(fd, rd, err) < 0 ||
	    add_list(fd, read_paths, rd, false, err) < 0 || add_list(fd, write_paths, wr, true, err) < 0) {
		close(fd);
		return -1;
	}
	return fd;
}
