/* pcapng.h - every captured packet to a pcapng file (--pcapng), each with
 * its connection's process as a comment (pid, name, user, cgroup,
 * container) that tshark shows as frame.comment.
 *
 * DESIGN: the capture thread hands each frame to pcapng_tap (a copy into
 * a ring of its own: live, a full ring drops the frame and counts it;
 * from a file, the capture thread waits). The writer's thread decodes
 * each frame, asks who owns its connection and, while that is not known
 * yet, holds it back (and every later one, so the file stays in capture
 * order) for at most attr_wait after it was captured. Past max_bytes the
 * file is renamed to FILE.1 and a new one started (section header and
 * interface descriptions again); pcapng_reopen (SIGHUP) starts a new
 * file. open/start/stop/close from the main thread; tap from the capture
 * thread; reopen and drops from any.
 */
#ifndef WT_EXPORT_PCAPNG_H
#define WT_EXPORT_PCAPNG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/err.h"
#include "decode/pkt.h"

enum pcapng_owner {
	PCAPNG_OWNER_KNOWN,    /* comment filled */
	PCAPNG_OWNER_LATER,    /* not known yet: worth waiting for */
	PCAPNG_OWNER_NONE,     /* never will be (not local, not IP, no owner) */
};

struct pcapng_opts {
	const char *path;
	uint64_t max_bytes;           /* rotate past this; 0 never */
	int owner_uid, owner_gid;     /* hand the file to them (-1: no) */
	bool wait_when_full;          /* reading a file: never drop */
	uint64_t attr_wait_us;        /* 0 = 2 s */
	/* Who owns the connection of p; on the writer's thread. NULL: nobody. */
	enum pcapng_owner (*owner)(void *ctx, const struct pkt *p, char *comment, size_t cap);
	void *ctx;
};

struct pcapng_writer;

int pcapng_open(struct pcapng_writer **out, const struct pcapng_opts *o, struct wt_err *err);
int pcapng_start(struct pcapng_writer *w, struct wt_err *err);
/* The engine's frame tap (capture thread). */
void pcapng_tap(void *writer, uint64_t ts_us, const uint8_t *data, uint32_t caplen, uint32_t wirelen,
		int linktype, bool may_wait);
void pcapng_reopen(struct pcapng_writer *w);
/* SIGHUP: a new rotation size; any thread. */
void pcapng_retune(struct pcapng_writer *w, uint64_t max_bytes);
uint64_t pcapng_drops(struct pcapng_writer *w);
/* Write what is held back and stop; after the capture thread stopped. */
void pcapng_stop(struct pcapng_writer *w);
void pcapng_close(struct pcapng_writer *w);

#endif
