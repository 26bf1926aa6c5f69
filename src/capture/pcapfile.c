/* pcapfile.c - pcap (tcpdump format) and pcapng (IETF draft-ietf-opsawg-pcapng) reader.
 *
 *  pcap:   24-byte file header, then per record
 *          +--------+---------+----------+----------+---------------+
 *          | ts_sec | ts_frac | incl_len | orig_len | incl_len data |
 *          +--------+---------+----------+----------+---------------+
 *  pcapng: blocks of  type(4) | total_len(4) | body | total_len(4)
 *          SHB 0x0A0D0D0A (byte order), IDB 1 (link type, if_tsresol,
 *          if_tsoffset), EPB 6, SPB 3, obsolete PB 2; others skipped,
 *          whatever their size, without being read into memory.
 */
#include "capture/pcapfile.h"

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/clock.h"
#include "base/rd.h"
#include "base/xalloc.h"

#define BUF_START (64u << 10)    /* read buffer for pipes, at first ... */
#define BUF_BYTES (1u << 20)     /* ... and once the stream fills it */
#define WINDOW_BYTES (512u << 10) /* one window of a regular file */
#define MAX_CAPLEN (1u << 20)
#define MAX_BLOCK (16u << 20)     /* largest interface or packet block */
/* Stamps are clamped to 1970-01-01 .. 9999-12-31T23:59:59.999999 UTC, so
 * that later sums (deadlines, ticks) stay far from overflow. */
#define MAX_TS_US 253402300799999999ull

enum { FMT_PCAP, FMT_PCAPNG };

struct iface {
	int linktype;
	uint8_t tsresol;      /* if_tsresol: 10^-k, or 2^-k with the top bit */
	int64_t offset_sec;   /* if_tsoffset */
};

struct pcapfile {
	int fd;
	char name[256];
	uint8_t *buf;         /* read buffer, or the current window */
	size_t cap, start, end;
	bool eof;
	bool stopped;         /* a stop descriptor ended a wait for bytes */
	int stop[2];          /* see pcapfile_open; -1 unused */
	bool windowed;        /* a regular file, read into windows used in turn */
	uint64_t file_size;
	uint64_t file_pos;    /* file offset of buf[end] when windowed */
	struct { uint8_t *base; size_t len; } win[CAPTURE_WINDOWS];
	uint32_t win_id;      /* id of the current window; ids count up from 0 */
	bool (*gate)(void *ctx, uint32_t window);
	void *gate_ctx;
	int fmt;
	bool le;              /* file (section) is little endian */
	bool nsec;            /* pcap: nanosecond stamps */
	int linktype;         /* pcap: the file's; pcapng: the first interface's */
	struct iface *ifs;    /* pcapng: this section's interfaces, any number */
	uint32_t nifs, ifs_cap;
};

static uint32_t get32(const uint8_t *p, bool le)
{
	return le ? (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24
		  : (uint32_t)p[3] | (uint32_t)p[2] << 8 | (uint32_t)p[1] << 16 | (uint32_t)p[0] << 24;
}

static uint16_t get16(const uint8_t *p, bool le)
{
	return le ? (uint16_t)(p[0] | p[1] << 8) : (uint16_t)(p[1] | p[0] << 8);
}

/* Regular files are read a window at a time into CAPTURE_WINDOWS buffers
 * used in turn, with pread from the start of the file whatever the
 * descriptor's offset. Frames handed out may be read after capture_next
 * moved on: before a buffer is filled again the gate (when set) waits
 * until its reader is done with the window it held. A record cut by the
 * end of a window is copied to the start of the next. Reading into
 * buffers that stay resident beats mapping the file: each mapped window
 * cost page-table work, a TLB shootdown on the other core at every unmap
 * and a cache miss at each record's first touch (docs/PERFORMANCE.md). */
static bool fill_window(struct pcapfile *f, size_t n)
{
	size_t keep = f->end - f->start;
	uint32_t id = f->win_id + 1, slot = id % CAPTURE_WINDOWS;
	if (f->win[slot].base && f->gate)
		f->gate(f->gate_ctx, id - CAPTURE_WINDOWS);
	size_t want = n > WINDOW_BYTES ? n : WINDOW_BYTES;
	if (f->win[slot].len < want) {
		free(f->win[slot].base);
		f->win[slot].base = xmalloc(want);
		f->win[slot].len = want;
	}
	uint8_t *to = f->win[slot].base;
	if (keep)
		memmove(to, f->buf + f->start, keep);
	f->buf = to;
	f->cap = f->win[slot].len;
	f->start = 0;
	f->end = keep;
	f->win_id = id;
	while (f->end < f->cap && !f->eof) {
		ssize_t got = pread(f->fd, f->buf + f->end, f->cap - f->end, (off_t)f->file_pos);
		if (got < 0 && errno == EINTR)
			continue;
		if (got <= 0) {
			f->eof = true; /* the end, or an error: the record left short says where */
			break;
		}
		f->end += (size_t)got;
		f->file_pos += (uint64_t)got;
	}
	return f->end - f->start >= n;
}

static void grow(struct pcapfile *f, size_t cap)
{
	f->cap = cap;
	f->buf = xrealloc(f->buf, cap);
}

/* Waits until fd has bytes (or its end) to read; false, and the input
 * counts as ended, when a stop descriptor became readable first. */
static bool wait_readable(struct pcapfile *f)
{
	struct pollfd p[3] = {
		{ f->fd, POLLIN, 0 }, { f->stop[0], POLLIN, 0 }, { f->stop[1], POLLIN, 0 },
	};
	int n;
	do
		n = poll(p, 3, -1);
	while (n < 0 && errno == EINTR);
	if (n > 0 && (p[1].revents || p[2].revents)) {
		f->stopped = f->eof = true;
		return false;
	}
	return true; /* readable, or poll failed: read() reports what is wrong */
}

/* At least n bytes between start and end, unless the file ends first.
 * The read buffer starts small and grows to BUF_BYTES while the stream
 * keeps it full, and beyond that only as the bytes of one big record
 * arrive: a length field that claims more than the stream holds costs no
 * memory. */
static bool fill(struct pcapfile *f, size_t n)
{
	if (f->end - f->start >= n)
		return true;
	if (f->windowed)
		return fill_window(f, n);
	if (f->start + n > f->cap) {
		memmove(f->buf, f->buf + f->start, f->end - f->start);
		f->end -= f->start;
		f->start = 0;
	}
	while (!f->eof && f->end - f->start < n) {
		if (f->end == f->cap)
			grow(f, f->cap * 2 < n ? f->cap * 2 : n);
		if (!wait_readable(f))
			break;
		ssize_t got = read(f->fd, f->buf + f->end, f->cap - f->end);
		if (got < 0 && (errno == EINTR || errno == EAGAIN))
			continue;
		if (got <= 0) {
			f->eof = true;
			break;
		}
		f->end += (size_t)got;
		if (f->end == f->cap && f->cap < BUF_BYTES)
			grow(f, f->cap * 2);
	}
	return f->end - f->start >= n;
}

/* fill() came back short: the end of the input, a stop, or damage. */
static enum capture_result short_read(struct wt_err *err, const struct pcapfile *f, const char *what,
				      size_t want)
{
	if (f->stopped || f->end == f->start)
		return CAPTURE_EOF;
	wt_err_set(err, WT_ERR_INPUT, "%s: truncated %s; wanted %zu bytes, only %zu left", f->name, what,
		   want, f->end - f->start);
	return CAPTURE_BROKEN;
}

/* Moves past n bytes without holding them: a regular file moves its read
 * offset, a pipe is read and discarded a buffer at a time. False when the
 * file ends first. */
static bool skip(struct pcapfile *f, uint64_t n)
{
	size_t have = f->end - f->start;
	if (n <= have) {
		f->start += (size_t)n;
		return true;
	}
	if (f->windowed) {
		uint64_t pos = f->file_pos + (n - have);
		if (pos > f->file_size)
			return false;
		f->file_pos = pos;
		f->start = f->end; /* the next fill reads a window at pos */
		return true;
	}
	n -= have;
	f->start = f->end;
	while (n) {
		size_t want = n < f->cap ? (size_t)n : f->cap;
		if (!fill(f, want))
			return false;
		size_t got = f->end - f->start < n ? f->end - f->start : (size_t)n;
		f->start += got;
		n -= got;
	}
	return true;
}

static int open_pcap(struct pcapfile *f, uint32_t magic_le, struct wt_err *err)
{
	f->fmt = FMT_PCAP;
	f->le = magic_le == 0xa1b2c3d4 || magic_le == 0xa1b23c4d;
	f->nsec = magic_le == 0xa1b23c4d || magic_le == 0x4d3cb2a1;
	if (!fill(f, 24))
		return wt_err_set(err, WT_ERR_INPUT, "%s: truncated file header", f->name);
	f->linktype = (int)(get32(f->buf + f->start + 20, f->le) & 0xffff);
	f->start += 24;
	return 1;
}

static void section_start(struct pcapfile *f, bool le)
{
	f->le = le;
	f->nifs = 0;
}

/* if_tsresol values this reader honours; others fall back to microseconds
 * (tshark does the same for resolutions beyond 64 bits). */
#define TSRESOL_DEFAULT 6
static bool tsresol_valid(uint8_t v)
{
	return (v & 0x80) ? (v & 0x7f) <= 63 : v <= 19;
}

static void add_iface(struct pcapfile *f, struct rd body)
{
	const uint8_t *h = rd_take(&body, 8); /* link type, reserved, snaplen */
	if (!h)
		return;
	if (f->nifs == f->ifs_cap) {
		f->ifs_cap = f->ifs_cap ? f->ifs_cap * 2 : 8;
		f->ifs = xrealloc(f->ifs, (size_t)f->ifs_cap * sizeof *f->ifs);
	}
	struct iface *i = &f->ifs[f->nifs++];
	i->linktype = get16(h, f->le);
	i->tsresol = TSRESOL_DEFAULT;
	i->offset_sec = 0;
	while (rd_left(&body) >= 4) {
		const uint8_t *opt = rd_take(&body, 4);
		uint16_t code = get16(opt, f->le), len = get16(opt + 2, f->le);
		const uint8_t *v = rd_take(&body, (len + 3u) & ~3u);
		if (!v || code == 0)
			break;
		if (code == 9 && len >= 1 && tsresol_valid(v[0]))
			i->tsresol = v[0];
		if (code == 14 && len == 8)
			i->offset_sec = (int64_t)((uint64_t)get32(v + (f->le ? 4 : 0), f->le) << 32 |
						  get32(v + (f->le ? 0 : 4), f->le));
	}
	if (f->nifs == 1 && f->linktype < 0)
		f->linktype = i->linktype;
}

static uint64_t pow10_u64(unsigned k)
{
	uint64_t u = 1;
	while (k--)
		u *= 10;
	return u;
}

/* Whole seconds and microseconds of a stamp in the interface's units
 * (k <= 19 decimal digits or k <= 63 bits: no step can overflow). */
static void split_stamp(uint8_t tsresol, uint64_t ts, uint64_t *sec, uint64_t *us)
{
	unsigned k = tsresol & 0x7f;
	if (tsresol & 0x80) {
		uint64_t frac = k ? ts & (((uint64_t)1 << k) - 1) : 0;
		unsigned drop = k > 44 ? k - 44 : 0; /* keeps frac * 10^6 below 2^64 */
		*sec = k ? ts >> k : ts;
		*us = ((frac >> drop) * US_PER_SEC) >> (k - drop);
	} else if (k >= 6) {
		uint64_t u = pow10_u64(k);
		*sec = ts / u;
		*us = ts % u / pow10_u64(k - 6);
	} else {
		uint64_t u = pow10_u64(k);
		*sec = ts / u;
		*us = ts % u * pow10_u64(6 - k);
	}
}

/* Microseconds since the epoch, if_tsoffset added, clamped to
 * 0..MAX_TS_US: an absurd stamp or offset is an odd time, never an
 * overflow. */
static uint64_t to_us(const struct iface *i, uint64_t ts)
{
	uint64_t sec, us;
	split_stamp(i->tsresol, ts, &sec, &us);
	const int64_t max_sec = (int64_t)(MAX_TS_US / US_PER_SEC);
	int64_t s = sec > (uint64_t)max_sec ? max_sec : (int64_t)sec;
	int64_t off = i->offset_sec;
	if (off > max_sec)
		off = max_sec;
	if (off < -max_sec)
		off = -max_sec;
	s += off; /* both within +-max_sec: no overflow */
	if (s < 0)
		return 0;
	uint64_t total = (uint64_t)s * US_PER_SEC + us;
	return total > MAX_TS_US ? MAX_TS_US : total;
}

static enum capture_result next_block(struct pcapfile *f, struct frame *fr, struct wt_err *err);

static int open_pcapng(struct pcapfile *f, struct wt_err *err)
{
	f->fmt = FMT_PCAPNG;
	f->linktype = -1;
	if (!fill(f, 12))
		return wt_err_set(err, WT_ERR_INPUT, "%s: truncated section header", f->name);
	uint32_t bom = get32(f->buf + f->start + 8, true);
	if (bom != 0x1a2b3c4d && bom != 0x4d3c2b1a)
		return wt_err_set(err, WT_ERR_INPUT, "%s: pcapng section header has a bad byte-order magic",
				  f->name);
	section_start(f, bom == 0x1a2b3c4d);
	/* Read blocks up to the first interface so the link type is known. */
	while (f->linktype < 0) {
		struct frame fr;
		enum capture_result rc = next_block(f, &fr, err);
		if (rc == CAPTURE_EOF)
			return wt_err_set(err, WT_ERR_INPUT, "%s: no interface description block", f->name);
		if (rc != CAPTURE_TIMEOUT)
			return -1; /* damaged, or a packet before any interface */
	}
	return 1;
}

int pcapfile_open(struct pcapfile **out, int fd, const char *name, const int stop[2],
		  struct wt_err *err)
{
	struct pcapfile *f = xcalloc(1, sizeof *f);
	f->fd = fd;
	f->stop[0] = stop ? stop[0] : -1;
	f->stop[1] = stop ? stop[1] : -1;
	snprintf(f->name, sizeof f->name, "%s", name);
	struct stat st;
	if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0) {
		f->windowed = true;
		f->file_size = (uint64_t)st.st_size;
		f->win_id = UINT32_MAX; /* the first window is 0 */
	} else {
		grow(f, BUF_START);
	}
	int rc;
	if (!fill(f, 4)) {
		rc = wt_err_set(err, WT_ERR_INPUT, "%s: empty or truncated file: not a capture", name);
	} else {
		uint32_t m = get32(f->buf, true);
		if (m == 0xa1b2c3d4 || m == 0xd4c3b2a1 || m == 0xa1b23c4d || m == 0x4d3cb2a1)
			rc = open_pcap(f, m, err);
		else if (m == 0x0a0d0d0a)
			rc = open_pcapng(f, err);
		else
			rc = 0;
	}
	if (rc < 0 && f->stopped)
		rc = wt_err_set(err, WT_ERR_STOPPED, "%s: stopped before the capture began", name);
	if (rc <= 0) {
		if (rc == 0 && lseek(fd, 0, SEEK_SET) != 0)
			rc = wt_err_set(err, WT_ERR_INPUT, "%s: not a pcap or pcapng file", name);
		pcapfile_close(f);
		return rc;
	}
	*out = f;
	return 1;
}

void pcapfile_close(struct pcapfile *f)
{
	if (!f)
		return;
	if (f->windowed) {
		for (int i = 0; i < CAPTURE_WINDOWS; i++)
			free(f->win[i].base);
	} else {
		free(f->buf);
	}
	free(f->ifs);
	free(f);
}

int pcapfile_linktype(const struct pcapfile *f) { return f->linktype; }

static enum capture_result next_pcap(struct pcapfile *f, struct frame *fr, struct wt_err *err)
{
	if (!fill(f, 16))
		return short_read(err, f, "record header", 16);
	const uint8_t *h = f->buf + f->start;
	uint32_t sec = get32(h, f->le), frac = get32(h + 4, f->le);
	uint32_t incl = get32(h + 8, f->le), orig = get32(h + 12, f->le);
	if (incl > MAX_CAPLEN) {
		wt_err_set(err, WT_ERR_INPUT, "%s: record of %u bytes is bigger than any capture allows",
			   f->name, incl);
		return CAPTURE_BROKEN;
	}
	if (!fill(f, 16 + (size_t)incl))
		return short_read(err, f, "packet", 16 + (size_t)incl);
	h = f->buf + f->start;
	fr->data = h + 16;
	fr->caplen = incl;
	fr->wirelen = orig < incl ? incl : orig;
	fr->ts_us = (uint64_t)sec * US_PER_SEC + (f->nsec ? frac / NS_PER_US : frac);
	fr->linktype = f->linktype;
	fr->window = f->windowed ? f->win_id : CAPTURE_NO_WINDOW;
	f->start += 16 + (size_t)incl;
	return CAPTURE_FRAME;
}

/* One packet block's fields into fr; false when they contradict the block. */
static bool packet_block(struct pcapfile *f, uint32_t type, struct rd body, struct frame *fr)
{
	const bool le = f->le;
	uint32_t ifid = 0, caplen, origlen;
	uint64_t ts = 0;
	if (type == 3) { /* simple: original length, data */
		const uint8_t *p = rd_take(&body, 4);
		if (!p)
			return false;
		origlen = get32(p, le);
		caplen = (uint32_t)rd_left(&body) < origlen ? (uint32_t)rd_left(&body) : origlen;
	} else {
		const uint8_t *p = rd_take(&body, 20);
		if (!p)
			return false;
		ifid = type == 2 ? get16(p, le) : get32(p, le);
		ts = (uint64_t)get32(p + 4, le) << 32 | get32(p + 8, le);
		caplen = get32(p + 12, le);
		origlen = get32(p + 16, le);
	}
	if (ifid >= f->nifs || caplen > rd_left(&body))
		return false;
	const struct iface *i = &f->ifs[ifid];
	fr->data = rd_ptr(&body);
	fr->caplen = caplen;
	fr->wirelen = origlen < caplen ? caplen : origlen;
	fr->ts_us = to_us(i, ts);
	fr->linktype = i->linktype;
	fr->window = f->windowed ? f->win_id : CAPTURE_NO_WINDOW;
	return true;
}

/* Interface and packet blocks are parsed; every other block is skipped. */
static bool block_is_read(uint32_t type)
{
	return type == 1 || type == 2 || type == 3 || type == 6;
}

/* Next block; CAPTURE_TIMEOUT here means "a block that was not a packet". */
static enum capture_result next_block(struct pcapfile *f, struct frame *fr, struct wt_err *err)
{
	if (!fill(f, 12))
		return short_read(err, f, "block header", 12);
	const uint8_t *h = f->buf + f->start;
	uint32_t type = get32(h, f->le);
	if (type == 0x0a0d0d0a) { /* a new section may switch byte order */
		uint32_t bom = get32(h + 8, true);
		if (bom != 0x1a2b3c4d && bom != 0x4d3c2b1a) {
			wt_err_set(err, WT_ERR_INPUT, "%s: section header with a bad byte-order magic", f->name);
			return CAPTURE_BROKEN;
		}
		section_start(f, bom == 0x1a2b3c4d);
	}
	uint32_t len = get32(h + 4, f->le);
	if (len < 12 || len % 4 || (block_is_read(type) && len > MAX_BLOCK)) {
		wt_err_set(err, WT_ERR_INPUT, "%s: damaged block (length %u)", f->name, len);
		return CAPTURE_BROKEN;
	}
	if (!block_is_read(type)) { /* the section header's options too: nothing in them is used */
		if (skip(f, len))
			return CAPTURE_TIMEOUT;
		if (f->stopped)
			return CAPTURE_EOF;
		wt_err_set(err, WT_ERR_INPUT, "%s: truncated block of %u bytes (type 0x%08x)", f->name, len,
			   type);
		return CAPTURE_BROKEN;
	}
	if (!fill(f, len))
		return short_read(err, f, "block", len);
	h = f->buf + f->start;
	struct rd body = rd_make(h + 8, len - 12);
	f->start += len;
	if (type == 1) {
		add_iface(f, body);
		return CAPTURE_TIMEOUT;
	}
	if (packet_block(f, type, body, fr))
		return CAPTURE_FRAME;
	wt_err_set(err, WT_ERR_INPUT, "%s: damaged packet block", f->name);
	return CAPTURE_BROKEN;
}

enum capture_result pcapfile_next(struct pcapfile *f, struct frame *fr, struct wt_err *err)
{
	if (f->fmt == FMT_PCAP)
		return next_pcap(f, fr, err);
	for (;;) {
		enum capture_result rc = next_block(f, fr, err);
		if (rc != CAPTURE_TIMEOUT || f->linktype < 0)
			return rc;
	}
}

void pcapfile_set_gate(struct pcapfile *f, bool (*gate)(void *ctx, uint32_t window), void *ctx)
{
	f->gate = gate;
	f->gate_ctx = ctx;
}

bool pcapfile_windowed(const struct pcapfile *f) { return f->windowed; }
