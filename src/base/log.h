/* log.h - the optional log file: off unless -l LEVEL is given.
 *
 * log_open() creates DIR (0700) when missing and a new file
 * DIR/wiretop_YYYY-MM-DD_HH-MM-SS.log (local time; when that name is
 * taken, up to 16 names with a random suffix "_1a2b3c4d" before ".log")
 * with mode 0600, with O_EXCL and O_NOFOLLOW: never through a symlink,
 * never an existing file. DIR is opened one name at a time, and a
 * symbolic link on the way is followed only when root or the invoking
 * user owns it (base/owner.h): a link planted by another user is an
 * error, not a redirection. Every log_msg() is one write() of one line:
 *
 *     2025-01-31 14:05:09.123 INFO  wiretop 0.1.0 starting: ...
 *
 * The log is best effort: a write that fails (a full disk, a file-size
 * limit) is reported once on stderr and the run goes on.
 *
 * DESIGN: a struct wtlog is immutable after log_open (but for the atomic
 * "failure reported" flag), so any thread may
 * call log_msg / log_enabled concurrently (O_APPEND keeps lines whole);
 * log_open and log_close belong to the main thread. Every function
 * accepts NULL (logging off) and then does nothing, so callers need no ifs.
 *
 * Strings that came from the network are passed already sanitized
 * (meta strings are; otherwise sanitize_copy). As a second line of
 * defence log_msg escapes control bytes, so one call is always one line.
 */
#ifndef WT_BASE_LOG_H
#define WT_BASE_LOG_H

#include <stdbool.h>

#include "base/err.h"

enum log_level { LOGLV_ERROR, LOGLV_WARN, LOGLV_INFO, LOGLV_DEBUG, LOGLV_TRACE };

struct wtlog;

/* level is "error", "warn", "info", "debug" or "trace". level NULL means
 * logging is off: returns NULL with err->code == WT_OK. On failure returns
 * NULL with err set ("logs: Permission denied ..."). */
struct wtlog *log_open(const char *dir, const char *level, struct wt_err *err);
void log_close(struct wtlog *l);

/* True when lv would be written; cheap, for guarding costly arguments. */
bool log_enabled(const struct wtlog *l, enum log_level lv);

void log_msg(struct wtlog *l, enum log_level lv, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* The file's path, or NULL when logging is off. */
const char *log_path(const struct wtlog *l);

#endif
