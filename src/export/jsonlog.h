/* jsonlog.h - the connection event log (--json-log): one JSON object a
 * line, the keys of a --json record plus "event" (open, update, close)
 * and "ts" (output/json.h writes them).
 *
 * DESIGN: opened on the main thread before the sandbox; afterwards called
 * only by the export hub's thread (sink.h). Lines are written in blocks,
 * at least every tenth of a second. Past max_bytes the file is renamed
 * to FILE.1 (replacing the previous one) and a new FILE started; reopen
 * (SIGHUP) starts a new FILE where the old one was (after logrotate). A
 * line that cannot be written is counted as dropped.
 */
#ifndef WT_EXPORT_JSONLOG_H
#define WT_EXPORT_JSONLOG_H

#include <stdbool.h>
#include <stdint.h>

#include "base/err.h"
#include "export/sink.h"

struct jsonlog_opts {
	const char *path;
	uint64_t update_us;           /* "update" of a long connection this often */
	uint64_t max_bytes;           /* rotate past this size; 0 never */
	bool with_proc;               /* pid, process, user (live attribution) */
	/* Who owns the files: the user wiretop drops to after start-up, so
	 * that it can still rotate and reopen them; -1: leave as created. */
	int owner_uid, owner_gid;
};

int jsonlog_open(struct export_sink *out, const struct jsonlog_opts *o, struct wt_err *err);

#endif
