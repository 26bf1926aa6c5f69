/* stat.c - /proc/<pid>/stat: the pid, the name, the state, the parent
 * and the start time of a process, for its details (proc.c) and its
 * parents (lineage.c).
 *
 * Called by the attribution thread (and tests), never per packet. The
 * name is the process's own word: the callers sanitize it before they
 * store it.
 */
#include "attr/attr_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/fdio.h"

#define STAT_TEXT_MAX 1024 /* a stat line is about 300 bytes; starttime comes early */
#define STAT_STARTTIME 22  /* its field number (proc(5)) */

/* The start of field k of the fields after the name (k 3 is the state),
 * or NULL when there are fewer. */
static const char *nth_field(const char *after_name, int k)
{
	const char *p = after_name;

	for (int f = 3; p && f < k; f++) {
		p += strspn(p, " ");
		p = strchr(p, ' ');
	}
	if (p)
		p += strspn(p, " ");
	return p && *p ? p : NULL;
}

bool attr_stat_parse(const char *text, size_t len, struct attr_stat *out)
{
	char buf[STAT_TEXT_MAX];
	const char *open, *close, *state, *ppid, *start;
	size_t n;

	memset(out, 0, sizeof *out);
	snprintf(buf, sizeof buf, "%.*s", (int)(len < sizeof buf ? len : sizeof buf - 1), text);
	/* "pid (comm) state ppid ...": the name is whatever the process chose,
	 * ")" and spaces too, so it ends at the last ")" */
	open = strchr(buf, '(');
	close = strrchr(buf, ')');
	if (!open || !close || close < open || open == buf)
		return false;
	out->pid = (int32_t)strtol(buf, NULL, 10);
	n = (size_t)(close - open - 1);
	if (n >= sizeof out->comm)
		n = sizeof out->comm - 1;
	memcpy(out->comm, open + 1, n);
	state = nth_field(close + 1, 3);
	ppid = nth_field(close + 1, 4);
	start = nth_field(close + 1, STAT_STARTTIME);
	if (out->pid <= 0 || !state || !ppid)
		return false;
	out->state = *state;
	out->ppid = (int32_t)strtol(ppid, NULL, 10);
	out->start_ticks = start ? strtoull(start, NULL, 10) : 0;
	return out->ppid >= 0;
}

bool attr_proc_stat(const char *proc_root, int32_t pid, struct attr_stat *out)
{
	char path[ATTR_PATH_BUF], buf[STAT_TEXT_MAX];
	ssize_t n;

	snprintf(path, sizeof path, "%s/%d/stat", proc_root, (int)pid);
	n = file_read_small(path, buf, sizeof buf);
	if (n <= 0) {
		memset(out, 0, sizeof *out);
		return false;
	}
	return attr_stat_parse(buf, (size_t)n, out);
}
