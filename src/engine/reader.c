/* reader.c - the capture thread: reads frames, hands each to the ring of
 * the worker that owns its address pair (an ICMP error also to the worker
 * of the connection it quotes), and keeps the workers' clock.
 *
 * DESIGN: the only producer of every worker's ring. Offline, packet time
 * is the clock: a tick goes out when it enters a new second. Live, the
 * wall clock is: reads never block (capture/live.c), so on a silent link
 * the thread still wakes for each tick (every LIVE_TICK_US), and a request
 * for rows or a stop wakes it at once (capture_break). Before it sleeps,
 * every frame it handed over is published and the workers woken, so no
 * frame waits for more traffic to push it on. It also watches the link:
 * down and back up needs nothing (the kernel resumes the socket), an
 * interface that disappears is reattached when it returns, or ends the run
 * when engine_opts.exit_when_gone says so. On each live tick it also looks
 * whether an address or a default route was added or removed, and hands
 * the workers the new set (REC_LOCALS) in packet time: after the frames
 * from before the change.
 *
 * The longest a packet waits live, from the wire to a worker: the kernel
 * block timeout (50 ms), then at once.
 */
#include "engine/engine_int.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "base/clock.h"
#include "base/hash.h"
#include "base/log.h"
#include "decode/decode.h"

#define PUBLISH_EVERY 32
#define LIVE_TICK_US (100 * US_PER_MS)
#define LINK_CHECK_US (250 * US_PER_MS)

/* Both directions of a flow, and all fragments of a datagram, share the
 * address pair: XOR is symmetric, the mix spreads it over the workers.
 * Nothing is decoded here beyond the addresses (decoding is the workers'
 * job) and, in an ICMP error, the addresses of the datagram it quotes,
 * and with one worker not even those. */
static int shard_of_pair(const struct engine *e, const uint8_t *src, const uint8_t *dst)
{
	uint64_t x[2], y[2];
	memcpy(x, src, 16);
	memcpy(y, dst, 16);
	return (int)(hash_mix64((x[0] ^ y[0]) * 31 + (x[1] ^ y[1])) % (uint64_t)e->nworkers);
}

/* The frame's worker, and in *quote_w the worker that tracks the
 * connection an ICMP error quotes when that is another one (else -1):
 * a router's error comes from an address the connection does not have,
 * so its frame's pair may belong to another worker. That worker gets the
 * frame too, to note the error on the connection and count it nowhere
 * (FRAME_QUOTE_ONLY): the ICMP exchange stays whole with its own worker. */
static int shard_of(const struct engine *e, const struct frame *fr, int *quote_w)
{
	*quote_w = -1;
	if (e->nworkers == 1)
		return 0;
	struct decode_shard_pairs sp;
	if (!decode_shard_addresses(fr->linktype, fr->data, fr->caplen, &sp))
		return 0; /* counted by the worker that decodes it */
	int w = shard_of_pair(e, sp.src, sp.dst);
	if (sp.quoted) {
		int q = shard_of_pair(e, sp.qsrc, sp.qdst);
		if (q != w)
			*quote_w = q;
	}
	return w;
}

static void publish_ring(struct engine *e, int w)
{
	spsc_publish(e->workers[w]->ring);
	e->unpublished[w] = 0;
}

static void flush_ring(struct engine *e, int w)
{
	spsc_flush(e->workers[w]->ring);
	e->unpublished[w] = 0;
	e->woken_at[w] = spsc_produced(e->workers[w]->ring);
}

/* Live, before sleeping: publish and wake every ring written since its
 * last wake-up. */
static void flush_written(struct engine *e)
{
	for (int w = 0; w < e->nworkers; w++)
		if (spsc_produced(e->workers[w]->ring) != e->woken_at[w])
			flush_ring(e, w);
}

static bool stopping(struct engine *e)
{
	return atomic_load_explicit(&e->stop, memory_order_relaxed);
}

/* Room in worker w's ring; offline waits for it, live drops the frame. */
static void *reserve(struct engine *e, int w, uint32_t n, uint32_t type, bool may_wait)
{
	for (;;) {
		void *slot = spsc_reserve(e->workers[w]->ring, n, type);
		if (slot || !may_wait || stopping(e))
			return slot;
		publish_ring(e, w);
		spsc_wait_space(e->workers[w]->ring, n, 100);
	}
}

static void send_time(struct engine *e, uint32_t type, uint64_t now_us, uint64_t seq, bool live)
{
	struct time_rec t = { now_us, seq };
	for (int w = 0; w < e->nworkers; w++) {
		void *slot = reserve(e, w, sizeof t, type, true);
		if (slot) {
			memcpy(slot, &t, sizeof t);
			spsc_commit(e->workers[w]->ring, sizeof t);
		}
		if (type == REC_END || live)
			flush_ring(e, w);
		else
			publish_ring(e, w);
	}
}

static void record_window_tails(struct engine *e, uint32_t window)
{
	for (int w = 0; w < e->nworkers; w++)
		e->window_tail[window % CAPTURE_WINDOWS][w] = spsc_produced(e->workers[w]->ring);
}

/* The capture's gate: returns once no worker can still read `window`. */
bool engine_window_released(void *ctx, uint32_t window)
{
	struct engine *e = ctx;
	if (e->cur_window == CAPTURE_NO_WINDOW || window > e->cur_window)
		return true; /* no frame of it was handed out */
	if (window == e->cur_window)
		record_window_tails(e, window);
	for (int w = 0; w < e->nworkers; w++) {
		flush_ring(e, w);
		while (!spsc_wait_consumed(e->workers[w]->ring, e->window_tail[window % CAPTURE_WINDOWS][w], 10))
			flush_ring(e, w);
	}
	return true;
}

/* One frame into worker w's ring, with the frame_rec flags given. */
static void send_frame(struct engine *e, const struct frame *fr, int w, uint32_t flags, bool live)
{
	bool by_ref = fr->window != CAPTURE_NO_WINDOW && e->by_ref;
	if (by_ref && fr->window != e->cur_window) {
		if (e->cur_window != CAPTURE_NO_WINDOW)
			record_window_tails(e, e->cur_window);
		e->cur_window = fr->window;
	}
	uint32_t n = (uint32_t)sizeof(struct frame_rec) + (by_ref ? (uint32_t)sizeof fr->data : fr->caplen);
	uint8_t *slot = reserve(e, w, n, by_ref ? REC_FRAME_REF : REC_FRAME, !live);
	if (!slot) {
		atomic_fetch_add_explicit(&e->internal_drops, 1, memory_order_relaxed);
		return;
	}
	struct frame_rec fh = { fr->ts_us, fr->caplen, fr->wirelen, fr->linktype, flags };
	memcpy(slot, &fh, sizeof fh);
	if (by_ref)
		memcpy(slot + sizeof fh, &fr->data, sizeof fr->data);
	else
		memcpy(slot + sizeof fh, fr->data, fr->caplen);
	spsc_commit(e->workers[w]->ring, n);
	if (++e->unpublished[w] >= PUBLISH_EVERY)
		publish_ring(e, w);
}

static void dispatch(struct engine *e, const struct frame *fr, bool live)
{
	if (e->opts.frame_tap) /* --pcapng: reading a file, the tap may hold the reader */
		e->opts.frame_tap(e->opts.tap_ctx, fr->ts_us, fr->data, fr->caplen, fr->wirelen,
				  fr->linktype, !live);
	int quote_w;
	int w = shard_of(e, fr, &quote_w);
	send_frame(e, fr, w, 0, live);
	if (quote_w >= 0)
		send_frame(e, fr, quote_w, FRAME_QUOTE_ONLY, live);
}

static void count_frame(struct engine *e, const struct frame *fr)
{
	atomic_fetch_add_explicit(&e->packets, 1, memory_order_relaxed);
	atomic_fetch_add_explicit(&e->bytes, fr->wirelen, memory_order_relaxed);
}

static bool rows_requested(struct engine *e)
{
	return atomic_load_explicit(&e->rows_wanted, memory_order_relaxed) != e->rows_sent;
}

/* Live, each tick: when an address or a route came or went, the new set
 * waits as pending from the time it was seen. */
static void watch_addrs(struct engine *e, uint64_t now_us)
{
	if (e->addr_watch < 0 || !local_watch_changed(e->addr_watch))
		return;
	struct local_set *s = local_set_read();
	const struct local_set *latest = e->locals_pending ? e->locals_pending : e->locals;
	if (!s || local_set_same(s, latest)) {
		local_set_drop(s);
		return;
	}
	local_set_drop(e->locals_pending);
	e->locals_pending = s;
	e->locals_since_us = now_us;
	log_msg(e->opts.log, LOGLV_INFO, "%s: addresses or routes changed: %u local addresses, %u gateways now",
		capture_name(e->cap), s->n, s->gw.n);
}

/* The pending set goes to every worker, behind the frames already handed
 * over, once a frame from after the change comes (frame_us; 0 for none)
 * or once every earlier frame must have come: a packet waits in the
 * kernel's block at most its timeout. So a datagram sent to the old
 * gateway just before the route changed keeps its mark, and a connection
 * to an address added later has its local side. */
static void hand_over_addrs(struct engine *e, uint64_t frame_us, uint64_t now_us)
{
	struct local_set *s = e->locals_pending;
	if (!s)
		return;
	uint64_t settled_us = e->locals_since_us + 2 * capture_block_timeout_us(e->cap);
	if (frame_us < e->locals_since_us && now_us < settled_us)
		return;
	for (int w = 0; w < e->nworkers; w++) {
		void *slot = reserve(e, w, sizeof s, REC_LOCALS, true);
		if (!slot)
			continue; /* stopping */
		local_set_hold(s);
		memcpy(slot, &s, sizeof s);
		spsc_commit(e->workers[w]->ring, sizeof s);
	}
	local_set_drop(e->locals);
	e->locals = s;
	e->locals_pending = NULL;
}

/* Live: the times drops grew, seen at a tick (so to its 100 ms). */
static void note_drops(struct engine *e, uint64_t now_us)
{
	uint64_t total = atomic_load_explicit(&e->kernel_drops, memory_order_relaxed) +
			 atomic_load_explicit(&e->internal_drops, memory_order_relaxed);
	if (total <= e->drops_seen)
		return;
	e->drops_seen = total;
	if (!atomic_load_explicit(&e->drops_first_us, memory_order_relaxed))
		atomic_store_explicit(&e->drops_first_us, now_us, memory_order_relaxed);
	atomic_store_explicit(&e->drops_last_us, now_us, memory_order_relaxed);
}

/* A tick to every worker; a REC_ROWS instead when the reader asked for rows. */
static void tick(struct engine *e, uint64_t now_us, bool live)
{
	uint64_t want = atomic_load_explicit(&e->rows_wanted, memory_order_acquire);
	uint32_t type = want != e->rows_sent ? REC_ROWS : REC_TICK;
	e->rows_sent = want;
	e->last_tick_us = now_us;
	if (live)
		watch_addrs(e, now_us);
	send_time(e, type, now_us, want, live);
	if (!live)
		return;
	atomic_store_explicit(&e->kernel_drops, capture_kernel_drops(e->cap), memory_order_relaxed);
	note_drops(e, now_us);
}

/* What ended the reading early, for the status (engine_status) and the
 * end of the run. */
static void warn(struct engine *e, const char *msg)
{
	snprintf(e->warning, sizeof e->warning, "%s", msg);
	atomic_store_explicit(&e->warned, true, memory_order_release);
}

/* ---- offline: the file's clock ---- */

static uint64_t read_file(struct engine *e)
{
	uint64_t last_ts = 0;
	struct wt_err err = { 0 };
	while (!stopping(e)) {
		struct frame fr;
		enum capture_result rc = capture_next(e->cap, &fr, &err);
		if (rc != CAPTURE_FRAME) {
			if (rc == CAPTURE_BROKEN || rc == CAPTURE_ERROR)
				warn(e, err.msg);
			break;
		}
		count_frame(e, &fr);
		if (fr.ts_us > last_ts)
			last_ts = fr.ts_us;
		/* a request for rows goes out at once, not at the file's next
		 * second: a capture of a burst may hold only one or two, and the
		 * UI showed nothing until the file was read */
		if (last_ts / US_PER_SEC != e->last_tick_us / US_PER_SEC || rows_requested(e))
			tick(e, last_ts, false);
		dispatch(e, &fr, false);
	}
	return last_ts;
}

/* ---- live: the wall clock ---- */

static void fail(struct engine *e, const char *msg)
{
	e->failed = true;
	warn(e, msg);
}

static const char *const link_log_words[] = {
	[CAPTURE_LINK_UP] = "link up", [CAPTURE_LINK_DOWN] = "link down",
	[CAPTURE_LINK_NO_CARRIER] = "no carrier", [CAPTURE_LINK_GONE] = "the interface disappeared",
};

/* The link's state for the status bar; each change is logged. */
static void set_link(struct engine *e, enum capture_link now)
{
	int before = atomic_exchange_explicit(&e->link, (int)now, memory_order_relaxed);
	if (before == CAPTURE_LINK_UP && now != CAPTURE_LINK_UP) {
		uint64_t t = clock_real_us();
		if (!atomic_fetch_add_explicit(&e->link_downs, 1, memory_order_relaxed))
			atomic_store_explicit(&e->link_first_down_us, t, memory_order_relaxed);
		atomic_store_explicit(&e->link_last_down_us, t, memory_order_relaxed);
	}
	if (before != (int)now)
		log_msg(e->opts.log, now == CAPTURE_LINK_UP ? LOGLV_INFO : LOGLV_WARN, "%s: %s",
			capture_name(e->cap), link_log_words[now]);
}

/* Every LINK_CHECK_US while idle: the link's state, and a lost interface
 * taken up again once it is back. */
static void watch_link(struct engine *e, uint64_t now_us)
{
	if (now_us < e->next_link_us)
		return;
	e->next_link_us = now_us + LINK_CHECK_US;
	if (atomic_load_explicit(&e->link, memory_order_relaxed) == CAPTURE_LINK_GONE &&
	    !capture_reattach(e->cap))
		return;
	set_link(e, capture_link(e->cap));
}

/* With nothing to read: hand over what was read, keep the clock, watch
 * the link, and sleep until the next tick, a frame or a wake-up. */
static void idle(struct engine *e)
{
	flush_written(e);
	uint64_t now = clock_real_us();
	if (now >= e->last_tick_us + LIVE_TICK_US || rows_requested(e))
		tick(e, now, true);
	watch_link(e, now);
	hand_over_addrs(e, 0, now);
	uint64_t next = e->last_tick_us + LIVE_TICK_US;
	now = clock_real_us();
	capture_wait(e->cap, next > now ? (int)((next - now + US_PER_MS - 1) / US_PER_MS) : 0);
}

static uint64_t read_live(struct engine *e)
{
	struct wt_err err = { 0 };
	atomic_store(&e->link, capture_link(e->cap));
	while (!stopping(e)) {
		/* the loss is seen by a failed read or by the link watch,
		 * whichever comes first; either ends a run that asked for it */
		bool gone = atomic_load_explicit(&e->link, memory_order_relaxed) == CAPTURE_LINK_GONE;
		if (gone && e->opts.exit_when_gone) {
			char msg[sizeof e->warning];
			snprintf(msg, sizeof msg, "%s: %s", capture_name(e->cap),
				 link_log_words[CAPTURE_LINK_GONE]);
			fail(e, msg);
			break;
		}
		struct frame fr;
		enum capture_result rc = gone ? CAPTURE_TIMEOUT : capture_next(e->cap, &fr, &err);
		if (rc == CAPTURE_FRAME) {
			count_frame(e, &fr);
			atomic_store_explicit(&e->last_packet_us, fr.ts_us, memory_order_relaxed);
			uint64_t now = clock_real_us();
			if (now >= e->last_tick_us + LIVE_TICK_US || rows_requested(e))
				tick(e, now, true);
			hand_over_addrs(e, fr.ts_us, now);
			dispatch(e, &fr, true);
			continue;
		}
		if (rc == CAPTURE_GONE) {
			set_link(e, CAPTURE_LINK_GONE);
			e->next_link_us = clock_real_us() + LINK_CHECK_US;
			continue;
		}
		if (rc == CAPTURE_ERROR) {
			fail(e, err.msg);
			break;
		}
		idle(e);
	}
	atomic_store(&e->kernel_drops, capture_kernel_drops(e->cap));
	uint64_t end = clock_real_us();
	note_drops(e, end);
	return end;
}

void *engine_reader_main(void *arg)
{
	struct engine *e = arg;
	pthread_setname_np(pthread_self(), "wt-capture");
	bool live = capture_is_live(e->cap);
	uint64_t end_us = live ? read_live(e) : read_file(e);
	send_time(e, REC_END, end_us, 0, live);
	return NULL;
}
