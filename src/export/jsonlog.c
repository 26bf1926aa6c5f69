#include "export/jsonlog.h"

#include <errno.h>
#include <fcntl.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/fdio.h"
#include "base/outbuf.h"
#include "base/xalloc.h"
#include "output/json.h"

#define FLUSH_BYTES (64u << 10)

struct jsonlog {
	struct jsonlog_opts o;
	char path[4096], rotated[4100];
	int fd;
	uint64_t size;
	struct outbuf buf;
	_Atomic uint64_t dropped;
};

static int open_file(struct jsonlog *j, struct wt_err *err)
{
	j->fd = open(j->path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC | O_NOFOLLOW, 0640);
	if (j->fd < 0)
		return wt_err_set(err, errno == EACCES ? WT_ERR_PERM : WT_ERR_SYSTEM, "--json-log %s: %s",
				  j->path, strerror(errno));
	struct stat st;
	j->size = fstat(j->fd, &st) == 0 ? (uint64_t)st.st_size : 0;
	if (j->o.owner_uid >= 0 && fchown(j->fd, (uid_t)j->o.owner_uid, (gid_t)j->o.owner_gid) < 0)
		return wt_err_set(err, WT_ERR_SYSTEM, "--json-log %s: cannot hand it to uid %d: %s", j->path,
				  j->o.owner_uid, strerror(errno));
	return 0;
}

static uint64_t count_lines(const char *p, size_t n)
{
	uint64_t k = 0;
	for (size_t i = 0; i < n; i++)
		k += p[i] == '\n';
	return k;
}

static void write_out(struct jsonlog *j)
{
	size_t off = fd_write_all(j->fd, j->buf.buf, j->buf.len);
	j->size += off;
	if (off < j->buf.len) /* disk full, or no file: the lines not written are lost */
		atomic_fetch_add_explicit(&j->dropped, count_lines(j->buf.buf + off, j->buf.len - off),
					  memory_order_relaxed);
	j->buf.len = 0;
}

static void reopen_file(struct jsonlog *j)
{
	struct wt_err err = { 0 };
	j->o.owner_uid = -1; /* privileges are gone by now: it is ours */
	if (j->fd >= 0)
		close(j->fd);
	if (open_file(j, &err) < 0)
		j->fd = -1; /* lines are counted as dropped until a reopen works */
}

static void rotate(struct jsonlog *j)
{
	rename(j->path, j->rotated);
	reopen_file(j);
}

static void flush_lines(struct jsonlog *j)
{
	write_out(j);
	if (j->o.max_bytes && j->size >= j->o.max_bytes)
		rotate(j);
}

static const char *const event_names[] = {
	[EXPORT_OPEN] = "open", [EXPORT_UPDATE] = "update", [EXPORT_CLOSE] = "close",
};

static void jsonlog_record(void *self, const struct export_rec *rec)
{
	struct jsonlog *j = self;
	json_write_event(&j->buf, event_names[rec->kind], rec->ts_us, rec->row, j->o.with_proc);
	if (j->buf.len >= FLUSH_BYTES || (j->o.max_bytes && j->size + j->buf.len >= j->o.max_bytes))
		flush_lines(j);
}

static void jsonlog_tick(void *self, uint64_t wall_us) { flush_lines(self); }

static void jsonlog_flush(void *self) { flush_lines(self); }

static void jsonlog_reopen(void *self)
{
	struct jsonlog *j = self;
	write_out(j);
	reopen_file(j);
}

static void jsonlog_retune(void *self, const void *opts, uint64_t *active_us)
{
	struct jsonlog *j = self;
	const struct jsonlog_opts *o = opts;
	j->o.update_us = *active_us = o->update_us;
	j->o.max_bytes = o->max_bytes;
}

static uint64_t jsonlog_drops(void *self)
{
	struct jsonlog *j = self;
	return atomic_load_explicit(&j->dropped, memory_order_relaxed);
}

static void jsonlog_destroy(void *self)
{
	struct jsonlog *j = self;
	if (j->fd >= 0)
		close(j->fd);
	outbuf_fini(&j->buf);
	free(j);
}

int jsonlog_open(struct export_sink *out, const struct jsonlog_opts *o, struct wt_err *err)
{
	struct jsonlog *j = xcalloc(1, sizeof *j);
	j->o = *o;
	if (snprintf(j->path, sizeof j->path, "%s", o->path) >= (int)sizeof j->path) {
		free(j);
		return wt_err_set(err, WT_ERR_USAGE, "--json-log: path too long");
	}
	snprintf(j->rotated, sizeof j->rotated, "%s.1", j->path);
	if (open_file(j, err) < 0) {
		free(j);
		return -1;
	}
	j->o.path = j->path;
	outbuf_init(&j->buf, FLUSH_BYTES + 8192);
	*out = (struct export_sink){
		.name = "json-log", .active_us = o->update_us, .record = jsonlog_record,
		.tick = jsonlog_tick, .reopen = jsonlog_reopen, .retune = jsonlog_retune, .flush = jsonlog_flush,
		.drops = jsonlog_drops, .destroy = jsonlog_destroy, .self = j,
	};
	return 0;
}
