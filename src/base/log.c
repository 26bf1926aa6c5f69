/* log.c - the optional log file (see log.h for the contract). */
#include "base/log.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define LOG_LINE_MAX 2048
#define LOG_SUFFIX_MAX 100

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
#define LOG_NLEVELS (sizeof log_levels / sizeof log_levels[0])

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

/* mkdir -p with mode 0700 for what it creates. */
static int log_mkdirs(const char *dir, struct wt_err *err)
{
	char p[PATH_MAX];
	if (snprintf(p, sizeof p, "%s", dir) >= (int)sizeof p)
		return wt_err_set(err, WT_ERR_USAGE, "%s: log directory name too long", dir);
	for (char *s = p + 1; *s; s++) {
		if (*s != '/')
			continue;
		*s = '\0';
		if (mkdir(p, 0700) < 0 && errno != EEXIST)
			return wt_err_set(err, WT_ERR_SYSTEM, "%s: cannot create log directory: %s", p,
					  strerror(errno));
		*s = '/';
	}
	if (mkdir(p, 0700) < 0 && errno != EEXIST)
		return wt_err_set(err, WT_ERR_SYSTEM, "%s: cannot create log directory: %s", p,
				  strerror(errno));
	return 0;
}

/* Creates a fresh file; an existing name (file or symlink) is never
 * opened: O_EXCL fails on it and the next suffix is tried. */
static int log_create(struct wtlog *l, const char *dir, struct wt_err *err)
{
	char stamp[32];
	struct tm tm;
	time_t now = time(NULL);
	localtime_r(&now, &tm);
	strftime(stamp, sizeof stamp, "%Y-%m-%d_%H-%M-%S", &tm);
	for (int n = 1; n <= LOG_SUFFIX_MAX; n++) {
		int len = n == 1 ? snprintf(l->path, sizeof l->path, "%s/wiretop_%s.log", dir, stamp)
				 : snprintf(l->path, sizeof l->path, "%s/wiretop_%s_%d.log", dir, stamp, n);
		if (len >= (int)sizeof l->path)
			return wt_err_set(err, WT_ERR_USAGE, "%s: log directory name too long", dir);
		l->fd = open(l->path, O_WRONLY | O_APPEND | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
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
	if (log_mkdirs(dir, err) < 0)
		return NULL;
	struct wtlog *l = calloc(1, sizeof *l);
	if (!l) {
		wt_err_set(err, WT_ERR_NOMEM, "out of memory");
		return NULL;
	}
	l->level = lv;
	if (log_create(l, dir, err) < 0) {
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
	int m = snprintf(buf + n, cap - n, ".%03ld %s ", ts.tv_nsec / 1000000L, log_levels[lv].tag);
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
