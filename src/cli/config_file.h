/* config_file.h - reading a --config file only when it can be trusted.
 *
 * A config file steers a process that starts as root, so it is read only
 * when nobody else could have written it (the rule sshd applies to its
 * files): a regular file, owned by root or by the invoking user (the real
 * uid; under sudo also SUDO_UID: base/owner.h), and writable by neither
 * group nor others. Anything else is refused before a byte is read. Lines are
 * handed over whole, whatever their length.
 */
#ifndef WT_CLI_CONFIG_FILE_H
#define WT_CLI_CONFIG_FILE_H

#include <stdbool.h>
#include <sys/types.h>

#include "base/err.h"

#define CONFIG_FILE_MAX (1u << 20) /* bigger is refused: no config is that long */

/* Called for each line, without its newline, numbered from 1; the text
 * may be modified. A non-zero return stops the reading and is returned. */
typedef int (*config_line_fn)(void *ctx, char *line, int lineno, struct wt_err *err);

/* Reads path line by line. Returns 0, or -1 with err set (WT_ERR_USAGE:
 * missing, not a regular file, not trusted, too big, a NUL byte), or the
 * callback's return. */
int config_file_read(const char *path, config_line_fn fn, void *ctx, struct wt_err *err);

/* Whether a file of this owner and mode may be trusted by a process of
 * real uid `uid` started through sudo by `sudo_uid` (the SUDO_UID text,
 * or NULL). When not, *why says so ("owned by uid 1001, ...").
 * Exposed for the unit test. */
bool config_file_trusted(uid_t owner, mode_t mode, uid_t uid, const char *sudo_uid, char *why,
			 size_t cap);

#endif
