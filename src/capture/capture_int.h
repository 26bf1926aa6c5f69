/* capture_int.h - the capture handle, shared by capture.c (files, and what
 * both kinds have in common) and live.c (interfaces). Internal to
 * src/capture/. */
#ifndef WT_CAPTURE_CAPTURE_INT_H
#define WT_CAPTURE_CAPTURE_INT_H

#include <pcap/pcap.h>

#include "capture/capture.h"

struct pcapfile;

struct capture {
	pcap_t *p;
	struct pcapfile *file;   /* offline fast path; NULL when libpcap reads */
	struct bpf_program prog; /* --bpf-filter for the fast path */
	bool has_prog;
	int fd;
	bool live;
	int linktype;
	char name[256];
	/* eventfd: capture_break ends capture_wait (live) or a file read that
	 * waits for a pipe or FIFO (offline) at once */
	int wake_fd;
	/* live only */
	bool any;                /* "any": every interface, no link of its own */
	int hwtype;              /* ARPHRD_* of the interface, to know it when it returns */
	int block_timeout_ms;    /* the kernel block's timeout (capture_opts.timeout_ms) */
};

/* capture.c: pcap_next_ex's result; on 1 the frame is filled in. */
int capture_pcap_next(struct capture *c, struct frame *f);

/* live.c */
int capture_open_live(struct capture *c, const struct capture_opts *o, struct wt_err *err);
enum capture_result capture_next_live(struct capture *c, struct frame *f, struct wt_err *err);
void capture_close_live(struct capture *c);

#endif
