#include "export/pcapng.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "base/clock.h"
#include "base/fdio.h"
#include "base/outbuf.h"
#include "base/spsc.h"
#include "base/xalloc.h"
#include "decode/decode.h"
#include "export/pcapng_enc.h"

#define RING_BYTES (32u << 20)
#define WRITE_BYTES (256u << 10)
#define MAX_LINKTYPES 8
#define SNAPLEN 262144
#define REC_PACKET 1

struct tap_rec {
	uint64_t ts_us;
	uint64_t taken_us;            /* monotonic clock when captured */
	uint32_t caplen, wirelen;
	int32_t linktype;
	uint32_t pad;
};

struct pcapng_writer {
	struct pcapng_opts o;
	char path[4096], rotated[4100];
	int fd;
	uint64_t size;
	struct outbuf buf;
	int linktypes[MAX_LINKTYPES]; /* interface id -> link type */
	int nlinktypes;
	struct spsc *ring;
	pthread_t thread;
	bool started;
	_Atomic bool stop, reopen;
	_Atomic uint64_t dropped;
	_Atomic uint64_t max_bytes;   /* o.max_bytes, changed by pcapng_retune */
};

/* ---- the file ---- */

static void file_header(struct pcapng_writer *w)
{
	pcapng_put_shb(&w->buf);
	for (int i = 0; i < w->nlinktypes; i++)
		pcapng_put_idb(&w->buf, (uint16_t)w->linktypes[i], SNAPLEN);
}

static int open_file(struct pcapng_writer *w, struct wt_err *err)
{
	w->fd = open(w->path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0640);
	if (w->fd < 0)
		return wt_err_set(err, errno == EACCES ? WT_ERR_PERM : WT_ERR_SYSTEM, "--pcapng %s: %s",
				  w->path, strerror(errno));
	if (w->o.owner_uid >= 0 && fchown(w->fd, (uid_t)w->o.owner_uid, (gid_t)w->o.owner_gid) < 0)
		return wt_err_set(err, WT_ERR_SYSTEM, "--pcapng %s: cannot hand it to uid %d: %s", w->path,
				  w->o.owner_uid, strerror(errno));
	w->size = 0;
	file_header(w);
	return 0;
}

static void write_out(struct pcapng_writer *w)
{
	size_t off = fd_write_all(w->fd, w->buf.buf, w->buf.len);
	if (off < w->buf.len) /* counted per block would need parsing them: one loss */
		atomic_fetch_add_explicit(&w->dropped, 1, memory_order_relaxed);
	w->size += off;
	w->buf.len = 0;
}

/* A new file where the old one was (rename first: rotation). */
static void new_file(struct pcapng_writer *w, bool rename_old)
{
	struct wt_err err = { 0 };
	write_out(w);
	if (w->fd >= 0)
		close(w->fd);
	if (rename_old)
		rename(w->path, w->rotated);
	w->o.owner_uid = -1; /* privileges are gone by now */
	if (open_file(w, &err) < 0)
		w->fd = -1;
}

/* ---- packets (the writer's thread) ---- */

static uint32_t interface_of(struct pcapng_writer *w, int linktype)
{
	for (int i = 0; i < w->nlinktypes; i++)
		if (w->linktypes[i] == linktype)
			return (uint32_t)i;
	if (w->nlinktypes == MAX_LINKTYPES)
		return 0;
	w->linktypes[w->nlinktypes] = linktype;
	pcapng_put_idb(&w->buf, (uint16_t)linktype, SNAPLEN);
	return (uint32_t)w->nlinktypes++;
}

/* Writes the record unless its owner is worth waiting for; false then. */
static bool write_packet(struct pcapng_writer *w, const struct tap_rec *r, const uint8_t *data,
			 bool waiting_allowed)
{
	char comment[512] = "";
	if (w->o.owner) {
		struct pkt p;
		enum decode_verdict v = decode_frame(r->linktype, data, r->caplen, &p);
		enum pcapng_owner who = v == DECODE_OK || v == DECODE_FRAGMENT
					? w->o.owner(w->o.ctx, &p, comment, sizeof comment) : PCAPNG_OWNER_NONE;
		if (who == PCAPNG_OWNER_LATER && waiting_allowed && clock_mono_us() < r->taken_us + w->o.attr_wait_us)
			return false;
		if (who != PCAPNG_OWNER_KNOWN)
			comment[0] = '\0';
	}
	uint32_t ifid = interface_of(w, r->linktype);
	pcapng_put_epb(&w->buf, ifid, r->ts_us, data, r->caplen, r->wirelen, comment[0] ? comment : NULL);
	if (w->buf.len >= WRITE_BYTES)
		write_out(w);
	uint64_t max = atomic_load_explicit(&w->max_bytes, memory_order_relaxed);
	if (max && w->size + w->buf.len >= max)
		new_file(w, true);
	return true;
}

static void *writer_main(void *arg)
{
	struct pcapng_writer *w = arg;
	pthread_setname_np(pthread_self(), "wt-pcapng");
	unsigned since_release = 0;
	for (;;) {
		if (atomic_exchange(&w->reopen, false))
			new_file(w, false);
		bool stopping = atomic_load(&w->stop);
		struct spsc_hdr h;
		const void *rec = spsc_peek(w->ring, &h);
		if (!rec) {
			spsc_release(w->ring);
			write_out(w);
			if (stopping)
				break;
			spsc_wait_data(w->ring, 50);
			continue;
		}
		struct tap_rec r;
		memcpy(&r, rec, sizeof r);
		if (!write_packet(w, &r, (const uint8_t *)rec + sizeof r, !stopping)) {
			spsc_release(w->ring);
			write_out(w); /* what came before is in the file while this one waits */
			struct timespec nap = clock_span_ms(20);
			nanosleep(&nap, NULL);
			continue;
		}
		spsc_consume(w->ring, &h);
		if (++since_release >= 64) {
			spsc_release(w->ring);
			since_release = 0;
		}
	}
	write_out(w);
	return NULL;
}

/* ---- the capture thread's side ---- */

void pcapng_tap(void *writer, uint64_t ts_us, const uint8_t *data, uint32_t caplen, uint32_t wirelen,
		int linktype, bool may_wait)
{
	struct pcapng_writer *w = writer;
	uint32_t n = (uint32_t)sizeof(struct tap_rec) + caplen;
	void *slot;
	while (!(slot = spsc_reserve(w->ring, n, REC_PACKET))) {
		if (!may_wait || atomic_load_explicit(&w->stop, memory_order_relaxed)) {
			atomic_fetch_add_explicit(&w->dropped, 1, memory_order_relaxed);
			return;
		}
		spsc_publish(w->ring);
		spsc_wait_space(w->ring, n, 100);
	}
	struct tap_rec r = { ts_us, clock_mono_us(), caplen, wirelen, linktype, 0 };
	memcpy(slot, &r, sizeof r);
	memcpy((uint8_t *)slot + sizeof r, data, caplen);
	spsc_commit(w->ring, n);
	spsc_flush(w->ring);
}

/* ---- lifetime ---- */

int pcapng_open(struct pcapng_writer **out, const struct pcapng_opts *o, struct wt_err *err)
{
	struct pcapng_writer *w = xcalloc(1, sizeof *w);
	w->o = *o;
	atomic_init(&w->max_bytes, o->max_bytes);
	if (!w->o.attr_wait_us)
		w->o.attr_wait_us = 2 * US_PER_SEC;
	if (snprintf(w->path, sizeof w->path, "%s", o->path) >= (int)sizeof w->path) {
		free(w);
		return wt_err_set(err, WT_ERR_USAGE, "--pcapng: path too long");
	}
	snprintf(w->rotated, sizeof w->rotated, "%s.1", w->path);
	outbuf_init(&w->buf, WRITE_BYTES + SNAPLEN + 1024);
	if (open_file(w, err) < 0) {
		if (w->fd >= 0)
			close(w->fd);
		outbuf_fini(&w->buf);
		free(w);
		return -1;
	}
	w->ring = spsc_new(RING_BYTES);
	*out = w;
	return 0;
}

int pcapng_start(struct pcapng_writer *w, struct wt_err *err)
{
	if (pthread_create(&w->thread, NULL, writer_main, w) != 0)
		return wt_err_set(err, WT_ERR_SYSTEM, "cannot start the pcapng thread");
	w->started = true;
	return 0;
}

void pcapng_reopen(struct pcapng_writer *w)
{
	if (w)
		atomic_store(&w->reopen, true);
}

void pcapng_retune(struct pcapng_writer *w, uint64_t max_bytes)
{
	if (w)
		atomic_store_explicit(&w->max_bytes, max_bytes, memory_order_relaxed);
}

uint64_t pcapng_drops(struct pcapng_writer *w)
{
	return w ? atomic_load_explicit(&w->dropped, memory_order_relaxed) : 0;
}

void pcapng_stop(struct pcapng_writer *w)
{
	if (!w || !w->started)
		return;
	spsc_flush(w->ring);
	atomic_store(&w->stop, true);
	pthread_join(w->thread, NULL);
	w->started = false;
}

void pcapng_close(struct pcapng_writer *w)
{
	if (!w)
		return;
	pcapng_stop(w);
	if (w->fd >= 0)
		close(w->fd);
	spsc_free(w->ring);
	outbuf_fini(&w->buf);
	free(w);
}
