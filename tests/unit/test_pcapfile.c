/* test_pcapfile.c - the pcapng edge cases tshark reads: any number of
 * interfaces, unknown blocks of any size, extreme timestamp options.
 * Each file is built here from the format's rules (draft-ietf-opsawg-
 * pcapng) and read twice: as a regular file (read into windows used in
 * turn) and through a pipe. */
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include "capture/pcapfile.h"
#include "check.h"

struct buf {
	uint8_t *p;
	size_t n, cap;
};

static void put(struct buf *b, const void *p, size_t n)
{
	if (b->n + n > b->cap) {
		b->cap = (b->n + n) * 2;
		b->p = realloc(b->p, b->cap);
	}
	memcpy(b->p + b->n, p, n);
	b->n += n;
}

static void put32(struct buf *b, uint32_t v) { put(b, &v, 4); } /* little endian host */
static void put16(struct buf *b, uint16_t v) { put(b, &v, 2); }

static void block(struct buf *b, uint32_t type, const struct buf *body)
{
	put32(b, type);
	put32(b, (uint32_t)(12 + body->n));
	put(b, body->p, body->n);
	put32(b, (uint32_t)(12 + body->n));
}

static void shb(struct buf *b)
{
	struct buf body = { 0 };
	put32(&body, 0x1a2b3c4d);
	put16(&body, 1);
	put16(&body, 0);
	put32(&body, 0xffffffff);
	put32(&body, 0xffffffff); /* section length unknown */
	block(b, 0x0a0d0d0a, &body);
	free(body.p);
}

/* An IDB; tsresol < 0: no if_tsresol option; with_offset: if_tsoffset. */
static void idb(struct buf *b, uint16_t linktype, int tsresol, bool with_offset, int64_t offset)
{
	struct buf body = { 0 };
	put16(&body, linktype);
	put16(&body, 0);
	put32(&body, 262144);
	if (tsresol >= 0) {
		put16(&body, 9);
		put16(&body, 1);
		put32(&body, (uint32_t)tsresol); /* the value byte, then padding */
	}
	if (with_offset) {
		put16(&body, 14);
		put16(&body, 8);
		put(&body, &offset, 8);
	}
	put32(&body, 0); /* opt_endofopt */
	block(b, 1, &body);
	free(body.p);
}

static void epb(struct buf *b, uint32_t ifid, uint64_t ts, const char *data)
{
	struct buf body = { 0 };
	uint32_t n = (uint32_t)strlen(data);
	put32(&body, ifid);
	put32(&body, (uint32_t)(ts >> 32));
	put32(&body, (uint32_t)ts);
	put32(&body, n);
	put32(&body, n);
	put(&body, data, n);
	while (body.n % 4)
		put(&body, "", 1);
	block(b, 6, &body);
	free(body.p);
}

struct frames {
	int n;
	uint64_t ts[8];
	int linktype[8];
	char data[8][16];
	enum capture_result end;
	char msg[sizeof((struct wt_err *)0)->msg];
};

static void read_all(int fd, struct frames *out)
{
	struct pcapfile *f = NULL;
	struct wt_err err = { 0 };
	memset(out, 0, sizeof *out);
	if (pcapfile_open(&f, fd, "test.pcapng", NULL, &err) != 1) {
		out->end = CAPTURE_ERROR;
		snprintf(out->msg, sizeof out->msg, "%s", err.msg);
		return;
	}
	struct frame fr;
	enum capture_result rc;
	while ((rc = pcapfile_next(f, &fr, &err)) == CAPTURE_FRAME) {
		if (out->n < 8) {
			out->ts[out->n] = fr.ts_us;
			out->linktype[out->n] = fr.linktype;
			snprintf(out->data[out->n], sizeof out->data[0], "%.*s", (int)fr.caplen,
				 (const char *)fr.data);
		}
		out->n++;
	}
	out->end = rc;
	if (rc != CAPTURE_EOF)
		snprintf(out->msg, sizeof out->msg, "%s", err.msg);
	pcapfile_close(f);
}

static void read_regular(const struct buf *b, struct frames *out)
{
	int fd = memfd_create("pcapng", MFD_CLOEXEC);
	CHECK(fd >= 0 && write(fd, b->p, b->n) == (ssize_t)b->n);
	read_all(fd, out);
	close(fd);
}

struct feeder {
	const struct buf *b;
	int fd;
};

static void *feed(void *arg)
{
	struct feeder *fe = arg;
	size_t off = 0;
	while (off < fe->b->n) {
		ssize_t w = write(fe->fd, fe->b->p + off, fe->b->n - off);
		if (w <= 0)
			break;
		off += (size_t)w;
	}
	close(fe->fd);
	return NULL;
}

static void read_piped(const struct buf *b, struct frames *out)
{
	int p[2];
	CHECK(pipe(p) == 0);
	struct feeder fe = { b, p[1] };
	pthread_t th;
	CHECK(pthread_create(&th, NULL, feed, &fe) == 0);
	read_all(p[0], out);
	close(p[0]); /* a reader that stopped early must not leave the writer stuck */
	pthread_join(th, NULL);
}

/* Both ways of reading see the same frames and the same end. */
static void read_both(const struct buf *b, struct frames *out)
{
	struct frames piped;
	read_regular(b, out);
	read_piped(b, &piped);
	CHECK_INT(piped.n, out->n);
	CHECK_INT(piped.end, out->end);
	for (int i = 0; i < out->n && i < 8; i++) {
		CHECK(piped.ts[i] == out->ts[i]);
		CHECK_STR(piped.data[i], out->data[i]);
	}
}

/* Reads b both ways and checks the frame count and how the input ended. */
#define READ_EXPECT(b, fr, n_want, end_want)                                  \
	do {                                                                  \
		read_both(b, fr);                                             \
		CHECK_INT((fr)->n, n_want);                                   \
		CHECK_INT((fr)->end, end_want);                               \
	} while (0)

/* tshark reads captures with thousands of interfaces (one per pod, per
 * VLAN); a packet on the 300th must not be called damaged. */
static void test_many_interfaces(void)
{
	struct buf b = { 0 };
	shb(&b);
	for (int i = 0; i < 300; i++)
		idb(&b, i == 299 ? 101 : 1, -1, false, 0); /* the last one: raw IP */
	epb(&b, 0, 1700000000000000ull, "first");
	epb(&b, 299, 1700000001000000ull, "last");
	struct frames fr;
	READ_EXPECT(&b, &fr, 2, CAPTURE_EOF);
	CHECK_STR(fr.data[1], "last");
	CHECK_INT(fr.linktype[0], 1);
	CHECK_INT(fr.linktype[1], 101);
	/* a packet naming an interface that does not exist still is damaged */
	epb(&b, 300, 1700000002000000ull, "none");
	READ_EXPECT(&b, &fr, 2, CAPTURE_BROKEN);
	CHECK(strstr(fr.msg, "damaged packet block") != NULL);
	free(b.p);
}

/* Blocks this reader does not know are skipped whatever their size,
 * without being read into memory; one cut short is reported. */
static void test_huge_unknown_block(void)
{
	struct buf b = { 0 }, big = { 0 };
	shb(&b);
	idb(&b, 1, -1, false, 0);
	epb(&b, 0, 1700000000000000ull, "before");
	big.cap = big.n = 17u << 20;
	big.p = calloc(1, big.n);
	block(&b, 0x00000bad, &big);
	epb(&b, 0, 1700000001000000ull, "after");
	struct frames fr;
	READ_EXPECT(&b, &fr, 2, CAPTURE_EOF);
	CHECK_STR(fr.data[0], "before");
	CHECK_STR(fr.data[1], "after");
	/* cut inside the big block */
	b.n = 200 + (8u << 20);
	READ_EXPECT(&b, &fr, 1, CAPTURE_BROKEN);
	CHECK(strstr(fr.msg, "truncated block of 17825804 bytes (type 0x00000bad)") != NULL);
	free(big.p);
	free(b.p);
}

/* if_tsresol and if_tsoffset: resolutions convert exactly, and offsets
 * at the ends of int64 clamp the time instead of overflowing. */
static void test_timestamps(void)
{
	static const struct {
		int tsresol;
		bool with_offset;
		int64_t offset;
		uint64_t ts, want_us;
	} cases[] = {
		{-1, false, 0, 1700000000123456ull, 1700000000123456ull},       /* microseconds */
		{9, false, 0, 1700000000123456789ull, 1700000000123456ull},      /* nanoseconds */
		{0, false, 0, 1700000000ull, 1700000000000000ull},               /* seconds */
		{3, true, 100, 1700000000123ull, 1700000100123000ull},           /* ms, +100 s */
		{0x80 | 20, false, 0, (1700000000ull << 20) | (1u << 19), 1700000000500000ull},
		{0x80 | 63, false, 0, (1ull << 63) | (1ull << 62), 1500000ull},  /* 1.5 s */
		{19, false, 0, UINT64_MAX, 1000000ull + 844674ull},              /* 1.8446744073709551615 s */
		{6, true, INT64_MAX, 1700000000000000ull, 253402300799999999ull}, /* year 9999, clamped */
		{6, true, INT64_MIN, 1700000000000000ull, 0},                    /* 1970, clamped */
		{0, true, INT64_MAX, UINT64_MAX, 253402300799999999ull},
		{0, false, 0, UINT64_MAX, 253402300799000000ull},                /* its last second */
		{0x80 | 64, false, 0, 1700000000123456ull, 1700000000123456ull},  /* unusable: microseconds */
		{20, false, 0, 1700000000123456ull, 1700000000123456ull},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct buf b = { 0 };
		shb(&b);
		idb(&b, 1, cases[i].tsresol, cases[i].with_offset, cases[i].offset);
		epb(&b, 0, cases[i].ts, "x");
		struct frames fr;
		READ_EXPECT(&b, &fr, 1, CAPTURE_EOF);
		if (fr.ts[0] != cases[i].want_us)
			check_fail(__FILE__, __LINE__, "case %zu: %llu us, want %llu", i,
				   (unsigned long long)fr.ts[0], (unsigned long long)cases[i].want_us);
		free(b.p);
	}
}

static uint64_t now_ms(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (uint64_t)t.tv_sec * 1000 + (uint64_t)t.tv_nsec / 1000000;
}

struct stopper {
	int fd;
	unsigned after_ms;
};

static void *stop_later(void *arg)
{
	struct stopper *s = arg;
	usleep(s->after_ms * 1000);
	eventfd_write(s->fd, 1);
	return NULL;
}

/* A pipe whose writer stalls (keeps it open, sends nothing more) blocks
 * a read for ever; a stop descriptor ends the wait as the end of the
 * input: the frames read so far stand, the open reports "stopped". */
static void test_stop_ends_a_stalled_pipe(void)
{
	struct buf b = { 0 };
	shb(&b);
	idb(&b, 1, -1, false, 0);
	epb(&b, 0, 1700000000000000ull, "one");
	int p[2], ev = eventfd(0, EFD_CLOEXEC);
	CHECK(ev >= 0 && pipe(p) == 0);
	CHECK(write(p[1], b.p, b.n) == (ssize_t)b.n);
	const int stop[2] = { -1, ev };
	struct pcapfile *f = NULL;
	struct wt_err err = { 0 };
	CHECK_INT(pcapfile_open(&f, p[0], "stalled", stop, &err), 1);
	struct frame fr;
	CHECK_INT(pcapfile_next(f, &fr, &err), CAPTURE_FRAME);
	struct stopper s = { ev, 200 };
	pthread_t th;
	uint64_t t0 = now_ms();
	CHECK(pthread_create(&th, NULL, stop_later, &s) == 0);
	CHECK_INT(pcapfile_next(f, &fr, &err), CAPTURE_EOF); /* not damaged: ended */
	uint64_t took = now_ms() - t0;
	CHECK(took >= 150 && took < 1000);
	pthread_join(th, NULL);
	pcapfile_close(f);
	close(p[0]);
	close(p[1]);

	/* nothing sent at all: the open gives up, and says it was stopped */
	CHECK(pipe(p) == 0);
	t0 = now_ms();
	CHECK(pthread_create(&th, NULL, stop_later, &s) == 0); /* ev is still readable: at once */
	CHECK_INT(pcapfile_open(&f, p[0], "silent", stop, &err), -1);
	CHECK_INT(err.code, WT_ERR_STOPPED);
	CHECK(now_ms() - t0 < 1000);
	pthread_join(th, NULL);
	close(p[0]);
	close(p[1]);
	close(ev);
	free(b.p);
}

/* Frames of a regular file stay where they were handed out until the
 * gate has released their window: a frame's bytes are checked when its
 * window is released and at the end, over records that cross windows and
 * one bigger than a window. */
#define WIN_FRAMES 3000
#define WIN_BIG_AT 500
#define WIN_BIG_LEN (700u << 10)

static uint32_t win_frame_len(uint32_t i) { return i == WIN_BIG_AT ? WIN_BIG_LEN : 20 + (i * 7919u) % 1500; }

static bool win_frame_intact(const uint8_t *p, uint32_t len, uint32_t i)
{
	for (uint32_t j = 0; j < len; j++)
		if (p[j] != (uint8_t)(i * 31 + j))
			return false;
	return true;
}

struct held {
	const uint8_t *data;
	uint32_t len, window;
	bool released;
};

struct win_check {
	struct held *frames;
	uint32_t n, gates, next_gate, damaged;
};

static bool release_window(void *ctx, uint32_t window)
{
	struct win_check *w = ctx;
	CHECK_INT(window, w->next_gate); /* oldest first, each once */
	w->next_gate = window + 1;
	w->gates++;
	for (uint32_t i = 0; i < w->n; i++)
		if (w->frames[i].window == window) {
			w->damaged += !win_frame_intact(w->frames[i].data, w->frames[i].len, i);
			w->frames[i].released = true;
		}
	return true;
}

static void test_windows_hold_frames_until_released(void)
{
	struct buf b = { 0 };
	const uint32_t hdr[6] = { 0xa1b2c3d4, 0x00040002, 0, 0, 1u << 20, 1 };
	put(&b, hdr, sizeof hdr);
	uint8_t *data = malloc(WIN_BIG_LEN);
	for (uint32_t i = 0; i < WIN_FRAMES; i++) {
		uint32_t len = win_frame_len(i);
		const uint32_t rec[4] = { 1700000000 + i, 0, len, len };
		for (uint32_t j = 0; j < len; j++)
			data[j] = (uint8_t)(i * 31 + j);
		put(&b, rec, sizeof rec);
		put(&b, data, len);
	}
	free(data);
	int fd = memfd_create("pcap", MFD_CLOEXEC);
	CHECK(fd >= 0 && write(fd, b.p, b.n) == (ssize_t)b.n);
	struct pcapfile *f = NULL;
	struct wt_err err = { 0 };
	CHECK_INT(pcapfile_open(&f, fd, "windows.pcap", NULL, &err), 1);
	CHECK(pcapfile_windowed(f));
	struct win_check w = { calloc(WIN_FRAMES, sizeof(struct held)), 0, 0, 0, 0 };
	pcapfile_set_gate(f, release_window, &w);
	struct frame fr;
	enum capture_result rc;
	while ((rc = pcapfile_next(f, &fr, &err)) == CAPTURE_FRAME && w.n < WIN_FRAMES) {
		CHECK(fr.window != CAPTURE_NO_WINDOW);
		CHECK_INT(fr.caplen, win_frame_len(w.n));
		w.frames[w.n++] = (struct held){ fr.data, fr.caplen, fr.window, false };
	}
	CHECK_INT(rc, CAPTURE_EOF);
	CHECK_INT(w.n, WIN_FRAMES);
	CHECK(w.gates >= 2); /* the file spans more windows than are kept */
	CHECK_INT(w.damaged, 0);
	for (uint32_t i = 0; i < w.n; i++) /* the windows still held */
		if (!w.frames[i].released)
			CHECK(win_frame_intact(w.frames[i].data, w.frames[i].len, i));
	pcapfile_close(f);
	close(fd);
	free(w.frames);
	free(b.p);
}

int main(void)
{
	signal(SIGPIPE, SIG_IGN); /* a reader that stops early closes the pipe */
	RUN(test_many_interfaces);
	RUN(test_huge_unknown_block);
	RUN(test_timestamps);
	RUN(test_stop_ends_a_stalled_pipe);
	RUN(test_windows_hold_frames_until_released);
	return check_summary("test_pcapfile");
}
