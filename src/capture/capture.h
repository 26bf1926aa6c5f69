/* capture.h - frames in, from an interface or a capture file.
 * The only module that includes <pcap.h>. A capture is used by one thread
 * at a time, except capture_break(), which any thread may call.
 * capture.c: files and what both have in common; live.c: interfaces.
 */
#ifndef WT_CAPTURE_CAPTURE_H
#define WT_CAPTURE_CAPTURE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/err.h"

struct capture;

struct capture_opts {
	const char *iface;       /* live: interface name, "any"; NULL = default route's */
	const char *path;        /* offline: file name, "-" for stdin */
	const char *bpf_filter;  /* pcap-filter expression or NULL */
	int snaplen;             /* 0 = 262144 */
	int buffer_mb;           /* live kernel buffer; 0 = 64 MiB */
	int timeout_ms;          /* live read timeout; 0 = 50 */
	/* Offline: a read that waits (a FIFO with no writer yet, a stalled
	 * pipe) gives up as if the input ended once this descriptor becomes
	 * readable (a signalfd: a signal is pending). 0 (the zero value, and
	 * stdin's number, never a stop descriptor) or -1: none. */
	int stop_fd;
};

/* Capture files are read into this many windows, used in turn (see below).
 * Every window is resident, so on any file larger than them they are a
 * fixed part of the resident set (1.5 MB); the reader runs up to two
 * windows ahead of the workers. Four held 0.5 MB more (docs/PERFORMANCE.md). */
#define CAPTURE_WINDOWS 3
#define CAPTURE_NO_WINDOW UINT32_MAX

/* One frame; data is borrowed. With window == CAPTURE_NO_WINDOW it is
 * valid until the next capture_next(); otherwise it lies in file window
 * `window` and stays valid until that window is released (see
 * capture_set_window_gate), so a reader may pass it on without a copy. */
struct frame {
	const uint8_t *data;
	uint32_t caplen, wirelen;
	uint64_t ts_us;
	int linktype;
	uint32_t window;
};

enum capture_result {
	CAPTURE_FRAME = 1,
	CAPTURE_TIMEOUT = 0,  /* live: nothing ready now (see capture_wait) */
	CAPTURE_EOF = -1,     /* offline: end of file */
	CAPTURE_BROKEN = -2,  /* offline: file damaged at this point; err says how */
	CAPTURE_ERROR = -3,
	CAPTURE_GONE = -4,    /* live: the interface disappeared (see capture_reattach) */
};

/* A live interface's state (files and "any": always up). */
enum capture_link {
	CAPTURE_LINK_UP,
	CAPTURE_LINK_DOWN,       /* administratively down (ip link set IF down) */
	CAPTURE_LINK_NO_CARRIER, /* up, but no carrier (cable, peer of a veth down) */
	CAPTURE_LINK_GONE,       /* no such interface any more */
};

int capture_open(struct capture **out, const struct capture_opts *o, struct wt_err *err);
void capture_close(struct capture *c);

enum capture_result capture_next(struct capture *c, struct frame *f, struct wt_err *err);
int capture_linktype(const struct capture *c);
const char *capture_name(const struct capture *c); /* interface or file */
bool capture_is_live(const struct capture *c);
/* Packets the kernel dropped (live); 0 offline. */
uint64_t capture_kernel_drops(struct capture *c);
/* Before window `window`'s buffer is filled again (inside capture_next,
 * once CAPTURE_WINDOWS newer windows exist), gate is called and must
 * return only when nothing reads that window any more. Without a gate,
 * buffers are reused at once: frames must then be copied before the next
 * call. */
bool capture_has_windows(const struct capture *c);
void capture_set_window_gate(struct capture *c, bool (*gate)(void *ctx, uint32_t window), void *ctx);

/* Live reads never block: capture_next returns CAPTURE_TIMEOUT when no
 * frame is ready. Wait until one may be, capture_break is called, or
 * timeout_ms passes (a lone packet becomes ready at most the block timeout,
 * capture_opts.timeout_ms, after it arrived). Offline: returns at once. */
void capture_wait(struct capture *c, int timeout_ms);
/* Live: the longest a packet waits in the kernel before a read can see
 * it (the block timeout). 0 offline. */
uint64_t capture_block_timeout_us(const struct capture *c);
/* End a capture_wait now, or the next one (live); stop a file read, also
 * one that waits for a pipe or FIFO, as at the end of the input
 * (offline). Any thread; async-signal-safe. */
void capture_break(struct capture *c);

enum capture_link capture_link(struct capture *c);
/* After CAPTURE_GONE: if an interface of the same name and kind exists
 * again, capture from it (the socket is rebound: no privilege needed) and
 * return true. True at once when nothing was lost. */
bool capture_reattach(struct capture *c);

/* The interface of the default route (IPv4, else IPv6), or the first
 * interface that is up and not loopback. Writes into buf. */
int capture_default_iface(char *buf, size_t cap, struct wt_err *err);
/* Comma-separated list of capturable interfaces, for error messages. */
void capture_list_ifaces(char *buf, size_t cap);

#endif
