#include "cli/config_file.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/owner.h"
#include "base/xalloc.h"

bool config_file_trusted(uid_t owner, mode_t mode, uid_t uid, const char *sudo_uid, char *why,
			 size_t cap)
{
	uid_t sudo;
	bool by_sudo = owner_sudo_user(uid, sudo_uid, &sudo);
	if (!owner_trusted(owner, uid, sudo_uid)) {
		if (by_sudo)
			snprintf(why, cap, "owned by uid %u, not by root or uid %u (SUDO_UID)",
				 (unsigned)owner, (unsigned)sudo);
		else
			snprintf(why, cap, "owned by uid %u, not by root or you (uid %u)", (unsigned)owner,
				 (unsigned)uid);
		return false;
	}
	if (mode & (S_IWGRP | S_IWOTH)) {
		snprintf(why, cap, "writable by %s (mode %04o): chmod go-w it",
			 (mode & S_IWOTH) ? "others" : "its group", (unsigned)(mode & 07777));
		return false;
	}
	return true;
}

/* Opens path without blocking (a FIFO would wait for a writer) and keeps
 * it only when it is a regular file one may trust. */
static int open_trusted(const char *path, struct stat *st, struct wt_err *err)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
	if (fd < 0)
		return wt_err_set(err, WT_ERR_USAGE, "--config %s: %s", path, strerror(errno));
	char why[128];
	if (fstat(fd, st) < 0)
		snprintf(why, sizeof why, "%s", strerror(errno));
	else if (!S_ISREG(st->st_mode))
		snprintf(why, sizeof why, "not a regular file");
	else if (st->st_size > (off_t)CONFIG_FILE_MAX)
		snprintf(why, sizeof why, "bigger than %u bytes", CONFIG_FILE_MAX);
	else if (config_file_trusted(st->st_uid, st->st_mode, getuid(), getenv("SUDO_UID"), why, sizeof why))
		return fd;
	close(fd);
	return wt_err_set(err, WT_ERR_USAGE, "--config %s: refused: %s", path, why);
}

/* The whole file, NUL-terminated; *len excludes the NUL. */
static char *slurp(int fd, const char *path, size_t *len, struct wt_err *err)
{
	char *buf = xmalloc(CONFIG_FILE_MAX + 1);
	size_t n = 0;
	ssize_t got;
	do {
		got = read(fd, buf + n, CONFIG_FILE_MAX + 1 - n);
		if (got > 0)
			n += (size_t)got;
	} while ((got > 0 && n <= CONFIG_FILE_MAX) || (got < 0 && errno == EINTR));
	if (got < 0)
		wt_err_set(err, WT_ERR_USAGE, "--config %s: %s", path, strerror(errno));
	else if (n > CONFIG_FILE_MAX) /* it grew since fstat */
		wt_err_set(err, WT_ERR_USAGE, "--config %s: refused: bigger than %u bytes", path,
			   CONFIG_FILE_MAX);
	else if (memchr(buf, '\0', n))
		wt_err_set(err, WT_ERR_USAGE, "--config %s: refused: a NUL byte (not a text file)", path);
	else {
		buf[n] = '\0';
		*len = n;
		return buf;
	}
	free(buf);
	return NULL;
}

int config_file_read(const char *path, config_line_fn fn, void *ctx, struct wt_err *err)
{
	struct stat st;
	int fd = open_trusted(path, &st, err);
	if (fd < 0)
		return -1;
	size_t len = 0;
	char *text = slurp(fd, path, &len, err);
	close(fd);
	if (!text)
		return -1;
	int rc = 0, lineno = 0;
	for (char *line = text; rc == 0 && line < text + len;) {
		char *nl = strchr(line, '\n');
		if (nl)
			*nl = '\0';
		rc = fn(ctx, line, ++lineno, err);
		line = nl ? nl + 1 : text + len;
	}
	free(text);
	return rc;
}
