/* log.c - the optional log file (see log.h for the contract). */
#include "base/log.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "base/clock.h"
#include "base/macros.h"
#include "base/owner.h"

#define LOG_LINE_MAX 2048
#define LOG_TRIES 16      /* names with a random suffix tried after the plain one */
#define LOG_LINK_DEPTH 16 /* symbolic links followed on the way to the directory */

struct wtlog {
	int fd;
	enum log_level level;
	char path[PATH_MAX];
	_Atomic bool warned;   /* a failed write was reported on stderr */
};

/* Indexed by enum log_level: the -l spelling and the padded line tag. */
static const struct {
	const char *name, *tag;
} log_levels[] = {
	[LOGLV_ERROR] = {"error", "ERROR"}, [LOGLV_WARN] = {"warn", "WARN "},
	[LOGLV_INFO] = {"info", "INFO "},   [LOGLV_DEBUG] = {"debug", "DEBUG"},
	[LOGLV_TRACE] = {"trace", "TRACE"},
};
#define LOG_NLEVELS ARRAY_LEN(log_levels)

static int log_level_parse(const char *s, enum log_level *out)
{
	for (size_t i = 0; i < LOG_NLEVELS; i++) {
		if (strcmp(s, log_levels[i].name) == 0) {
			*out = (enum log_level)i;
			return 0;
		}
	}
	return -1;
}

/* ---- the directory: walked one name at a time -------------------------- */

static int open_dir_at(int at, const char *name)
{
	return openat(at, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
}

static int walk(int at, const char *path, int depth, const char *dir, struct wt_err *err);

/* `name` in `at` is no directory (O_NOFOLLOW refused it): a symbolic
 * link is followed, through the same walk, only when root or the
 * invoking user owns it. Returns a directory fd, -1 with err set, or -2
 * when it is no link at all. */
static int follow_link(int at, const char *name, int depth, const char *dir, struct wt_err *err)
{
	struct stat st;
	if (fstatat(at, name, &st, AT_SYMLINK_NOFOLLOW) < 0 || !S_ISLNK(st.st_mode))
		return -2;
	if (!owner_trusted_here(st.st_uid))
		return wt_err_set(err, WT_ERR_SYSTEM,
				  "%s: log directory: '%s' is a symbolic link owned by uid %u: not followed", dir,
				  name, (unsigned)st.st_uid);
	char target[PATH_MAX];
	ssize_t n = readlinkat(at, name, target, sizeof target - 1);
	if (n < 0 || depth >= LOG_LINK_DEPTH)
		return wt_err_set(err, WT_ERR_SYSTEM, "%s: log directory: '%s': %s", dir, name,
				  strerror(n < 0 ? errno : ELOOP));
	target[n] = '\0';
	return walk(target[0] == '/' ? AT_FDCWD : at, target, depth + 1, dir, err);
}

/* The directory `name` in `at`, made (0700) when missing. */
static int step(int at, const char *name, int depth, const char *dir, struct wt_err *err)
{
	int fd = open_dir_at(at, name);
	if (fd < 0 && errno == ENOENT) {
		if (mkdirat(at, name, 0700) < 0 && errno != EEXIST)
			return wt_err_set(err, WT_ERR_SYSTEM, "%s: cannot create log directory '%s': %s", dir,
					  name, strerror(errno));
		fd = open_dir_at(at, name);
	}
	if (fd >= 0)
		return fd;
	int e = errno;
	if (e == ELOOP || e == ENOTDIR) {
		int linked = follow_link(at, name, depth, dir, err);
		if (linked != -2)
			return linked;
	}
	return wt_err_set(err, WT_ERR_SYSTEM, "%s: cannot use log directory '%s': %s", dir, name,
			  strerror(e));
}

/* path from `at` (AT_FDCWD: the working directory; absolute paths start
 * at /), one name at a time, so that no link on the way is followed
 * without its owner being checked. Returns a directory fd or -1. */
static int walk(int at, const char *path, int depth, const char *dir, struct wt_err *err)
{
	char names[PATH_MAX];
	if (snprintf(names, sizeof names, "%s", path) >= (int)sizeof names)
		return wt_err_set(err, WT_ERR_USAGE, "%s: log directory name too long", dir);
	int fd = openat(at, path[0] == '/' ? "/" : ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return wt_err_set(err, WT_ERR_SYSTEM, "%s: log directory: %s", dir, strerror(errno));
	char *save = NULL;
	for (char *name = strtok_r(names, "/", &save); name && fd >= 0; name = strtok_r(NULL, "/", &save)) {
		int next = step(fd, name, depth, dir, err);
		close(fd);
		fd = next;
	}
	return fd;
}

/* ---- the file: a new name, never an existing one -------------------------- */

static uint32_t random_u32(void)
{
	uint32_t r;
	if (getrandom(&r, sizeof r, GRND_NONBLOCK) == (ssize_t)sizeof r)
		return r;
	struct timespec ts; /* no entropy yet (early boot): still unpredictable enough */
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint32_t)ts.tv_nsec ^ (uint32_t)getpid() << 16;
}

/* The plain name first, then LOG_TRIES names with a random suffix: a user
 * who can write the directory cannot make every name taken. O_EXCL and
 * O_NOFOLLOW: an existing name (file or symlink) is never opened. */
static int log_create(struct wtlog *l, int dirfd, const char *dir, struct wt_err *err)
{
	char stamp[32], name[64];
	struct tm tm;
	time_t now = time(NULL);
	localtime_r(&now, &tm);
	strftime(stamp, sizeof stamp, "%Y-%m-%d_%H-%M-%S", &tm);
	for (int i = 0; i <= LOG_TRIES; i++) {
		if (i == 0)
			snprintf(name, sizeof name, "wiretop_%s.log", stamp);
		else
			snprintf(name, sizeof name, "wiretop_%s_%08x.log", stamp, random_u32());
		if (snprintf(l->path, sizeof l->path, "%s/%s", dir, name) >= (int)sizeof l->path)
			return wt_err_set(err, WT_ERR_USAGE, "%s: log directory name too long", dir);
		l->fd = openat(dirfd, name, O_WRONLY | O_APPEND | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
			       0600);
		if (l->fd >= 0) {
			fchmod(l->fd, 0600); /* exact, whatever the umask */
			return 0;
		}
		if (errno != EEXIST)
			break;
	}
	return wt_err_set(err, WT_ERR_SYSTEM, "%s: cannot create log file: %s", l->path,
			  strerror(errno));
}

struct wtlog *log_open(const char *dir, const char *level, struct wt_err *err)
{
	enum log_level lv;
	if (err)
		err->code = WT_OK;
	if (!level)
		return NULL;
	if (log_level_parse(level, &lv) < 0) {
		wt_err_set(err, WT_ERR_USAGE, "unknown log level '%s' (error, warn, info, debug, trace)",
			   level);
		return NULL;
	}
	if (!dir || !*dir)
		dir = ".";
	int dirfd = walk(AT_FDCWD, dir, 0, dir, err);
	if (dirfd < 0)
		return NULL;
	struct wtlog *l = calloc(1, sizeof *l);
	if (!l) {
		close(dirfd);
		wt_err_set(err, WT_ERR_NOMEM, "out of memory");
		return NULL;
	}
	l->level = lv;
	int rc = log_create(l, dirfd, dir, err);
	close(dirfd);
	if (rc < 0) {
		free(l);
		return NULL;
	}
	return l;
}

void log_close(struct wtlog *l)
{
	if (!l)
		return;
	close(l->fd);
	free(l);
}

bool log_enabled(const struct wtlog *l, enum log_level lv)
{
	return l && lv <= l->level;
}

const char *log_path(const struct wtlog *l)
{
	return l ? l->path : NULL;
}

/* "2025-01-31 14:05:09.123 INFO  " */
static size_t log_header(char *buf, size_t cap, enum log_level lv)
{
	struct timespec ts;
	struct tm tm;
	clock_gettime(CLOCK_REALTIME, &ts);
	localtime_r(&ts.tv_sec, &tm);
	size_t n = strftime(buf, cap, "%Y-%m-%d %H:%M:%S", &tm);
	int m = snprintf(buf + n, cap - n, ".%03ld %s ", ts.tv_nsec / (long)NS_PER_MS, log_levels[lv].tag);
	return n + (size_t)(m > 0 ? m : 0);
}

/* Appends msg with control bytes as \xNN, never splitting an escape.
 * Returns the length written; *whole says whether all of msg fit. */
static size_t log_escape(char *dst, size_t cap, const char *msg, bool *whole)
{
	static const char hex[] = "0123456789abcdef";
	size_t n = 0;
	const unsigned char *s = (const unsigned char *)msg;
	for (; *s; s++) {
		bool ctl = *s < 0x20 || *s == 0x7f;
		if (n + (ctl ? 4 : 1) > cap)
			break;
		if (!ctl) {
			dst[n++] = (char)*s;
			continue;
		}
		dst[n++] = '\\';
		dst[n++] = 'x';
		dst[n++] = hex[*s >> 4];
		dst[n++] = hex[*s & 15];
	}
	*whole = *s == '\0';
	return n;
}

/* The log is best effort: a failed write is said once on stderr (one
 * write, so it stays one line among other threads' output) and the run
 * goes on; later lines are still tried. */
static void log_failed(struct wtlog *l, int err)
{
	if (atomic_exchange(&l->warned, true))
		return;
	char msg[PATH_MAX + 160];
	int n = snprintf(msg, sizeof msg, "wiretop: warning: log %s: %s; going on without a complete log\n",
			 l->path, strerror(err));
	if (n > 0) {
		ssize_t w = write(STDERR_FILENO, msg, (size_t)n < sizeof msg ? (size_t)n : sizeof msg - 1);
		(void)w; /* nowhere left to say it */
	}
}

void log_msg(struct wtlog *l, enum log_level lv, const char *fmt, ...)
{
	if (!log_enabled(l, lv))
		return;
	char msg[LOG_LINE_MAX], line[LOG_LINE_MAX];
	va_list ap;
	va_start(ap, fmt);
	int m = vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	if (m < 0)
		return;
	bool whole;
	size_t n = log_header(line, sizeof line, lv);
	size_t body = log_escape(line + n, sizeof line - n - 1, msg, &whole);
	n += body;
	if ((!whole || (size_t)m >= sizeof msg) && body >= 3)
		memcpy(line + n - 3, "...", 3); /* mark the cut */
	line[n++] = '\n';
	for (size_t off = 0; off < n;) { /* one write unless the file is nearly full */
		ssize_t w = write(l->fd, line + off, n - off);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			log_failed(l, w < 0 ? errno : EIO);
			return;
		}
		off += (size_t)w;
	}
}
