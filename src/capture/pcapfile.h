/* pcapfile.h - a fast reader of pcap and pcapng files.
 *
 * Reads in large calls (a regular file into a few windows used in turn,
 * a pipe into one buffer) and walks the records in place: no
 * per-packet call into libpcap, no second copy. Handles classic
 * pcap in either byte order with micro- or nanosecond stamps, and pcapng
 * (sections of either byte order, several interfaces with their own link
 * types and timestamp resolutions, enhanced, simple and obsolete packet
 * blocks). Anything it does not recognise is left to libpcap by the
 * caller. One thread at a time.
 */
#ifndef WT_CAPTURE_PCAPFILE_H
#define WT_CAPTURE_PCAPFILE_H

#include <stdbool.h>
#include <stdint.h>

#include "base/err.h"
#include "capture/capture.h"

struct pcapfile;

/* Returns 1 opened, 0 not a format this reader handles (fd untouched,
 * nothing consumed: only possible for a seekable file), -1 error. For
 * stdin the caller must know the format is handled; see pcapfile_sniff.
 * stop (may be NULL) names two descriptors (-1: unused) that end a wait
 * for bytes of a pipe or FIFO when one becomes readable: the input then
 * counts as ended (WT_ERR_STOPPED while opening). */
int pcapfile_open(struct pcapfile **out, int fd, const char *name, const int stop[2],
		  struct wt_err *err);
void pcapfile_close(struct pcapfile *f);

/* Link type of the first interface (pcapng) or the file (pcap). */
int pcapfile_linktype(const struct pcapfile *f);
/* CAPTURE_FRAME, CAPTURE_EOF, or CAPTURE_BROKEN with a message in err. */
enum capture_result pcapfile_next(struct pcapfile *f, struct frame *fr, struct wt_err *err);
/* Whether frames come from windows that outlive the next call (a regular
 * file; see capture_set_window_gate). */
bool pcapfile_windowed(const struct pcapfile *f);
/* See capture_set_window_gate. */
void pcapfile_set_gate(struct pcapfile *f, bool (*gate)(void *ctx, uint32_t window), void *ctx);

#endif
