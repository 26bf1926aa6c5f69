#include "flow/tcp_health.h"

#include <stdlib.h>
#include <string.h>

#include "base/clock.h"
#include "base/xalloc.h"

/* Times are kept as microseconds modulo 2^32: every comparison is of a
 * difference between two of them, right while it is under 71 minutes. */
typedef uint32_t stamp;

/* What tshark's analysis remembers of one direction. */
struct tcp_dir {
	uint32_t nextseq;      /* just past the highest sequence number sent */
	uint32_t lastack;      /* the ack number of the last segment */
	stamp nextseq_at;      /* when nextseq last moved */
	stamp lastack_at;      /* when the last segment came */
	uint16_t window;       /* of the last segment (once has_nextseq says there was one) */
	uint8_t dupacks;       /* duplicate ACKs in a row (stops at 255) */
	uint8_t has_nextseq : 1;
	uint8_t has_lastack : 1;  /* a segment with ACK set was seen */
	uint8_t keepalive : 1;    /* the last segment was a keep-alive */
	uint8_t zwp : 1;          /* ... a zero-window probe */
};

/* The handshake's round trip and the smoothed one are kept only as the
 * flow's meta numbers (META_TCP_HANDSHAKE_RTT_US, META_TCP_SRTT_US), read
 * back on the rare segments that need them. RTTVAR, which no row shows,
 * shares a word with the flags: 24 bits hold 16.7 s, where it stays (a
 * spike would then have to be over a minute above SRTT). */
struct tcp_health {
	struct tcp_dir dir[2];
	stamp syn_at;             /* the latest SYN (without ACK) */
	uint32_t timed_end;       /* the segment being timed ends here ... */
	stamp timed_at;           /* ... and was sent then */
	uint32_t rttvar : 24;     /* RFC 6298's RTTVAR, us (once SRTT is known) */
	uint32_t syn_seen : 1;
	uint32_t handshake_known : 1;
	uint32_t timing : 1;
};
#define RTTVAR_MAX ((1u << 24) - 1)
/* One per TCP connection with two segments or more: malloc hands out 56
 * bytes in a 64-byte chunk, 72 in an 80-byte one. */
_Static_assert(sizeof(struct tcp_health) <= 56, "a health block fits a 64-byte malloc chunk");

/* What one segment was found to be. */
enum {
	SEG_KEEPALIVE = 1,
	SEG_ZWP = 2,             /* zero-window probe */
	SEG_SKIP_DUPACK = 4,     /* keep-alive or probe acknowledged: not a duplicate */
	SEG_DUPACK = 8,
	SEG_RETRANSMIT = 16,
	SEG_OUT_OF_ORDER = 32,
};

/* tshark's thresholds: a fast retransmission follows the duplicate ACKs
 * within 20 ms; a segment is out of order rather than retransmitted when
 * it comes within the handshake's round trip (3 ms when that is unknown)
 * of the one that carried the highest sequence number. */
#define FAST_RETRANSMIT_US (20 * US_PER_MS)
#define OUT_OF_ORDER_DEFAULT_US (3 * US_PER_MS)
#define CONTROL (TCP_SYN | TCP_FIN | TCP_RST)

static bool seq_lt(uint32_t a, uint32_t b) { return (int32_t)(a - b) < 0; }
static bool seq_gt(uint32_t a, uint32_t b) { return (int32_t)(a - b) > 0; }

/* struct flow's health_bits: which member of f->health holds, and the
 * held first segment's particulars. */
enum {
	HEALTH_BLOCK = 1,        /* health.block */
	HEALTH_FIRST = 2,        /* health.first */
	FIRST_RESP = 4,          /* it was the responder's */
	FIRST_ACK = 8,           /* it had ACK set */
	FIRST_SYN = 16,          /* a SYN without ACK: the handshake is timed from it */
	FIRST_SYN_FIN = 32,      /* SYN or FIN: it took one sequence number more */
	FIRST_TIMED = 64,        /* its data is being timed for the round trip */
};

void tcp_health_release(struct flow *f)
{
	if (f->health_bits & HEALTH_BLOCK)
		free(f->health.block);
	f->health_bits = 0;
	memset(&f->health, 0, sizeof f->health);
}

bool tcp_health_has_block(const struct flow *f) { return (f->health_bits & HEALTH_BLOCK) != 0; }

/* The side whose data is timed: the local side's (the initiator's when
 * that is unknown). */
static int timed_side(const struct flow *f) { return f->local_side == DIR_RESP ? DIR_RESP : DIR_INIT; }

/* A flow's first segment is held in the flow rather than given a block
 * when its time is the flow's own first_us (not so for a datagram
 * reassembled from fragments that came earlier). What is kept is what the
 * analysis below would have remembered of it. */
static bool hold_first(struct flow *f, int dir, const struct pkt *p)
{
	if (f->health_bits || p->ts_us != f->first_us)
		return false;
	uint8_t fl = p->tcp_flags;
	bool syn_fin = fl & (TCP_SYN | TCP_FIN);
	f->health.first.nextseq = p->seq + p->l4_len + (syn_fin ? 1 : 0);
	f->health.first.ack = (fl & TCP_ACK) ? p->ack : 0;
	f->health_window = p->tcp_window;
	f->health_bits = HEALTH_FIRST | (dir == DIR_RESP ? FIRST_RESP : 0) |
			 ((fl & TCP_ACK) ? FIRST_ACK : 0) |
			 ((fl & (TCP_SYN | TCP_ACK)) == TCP_SYN ? FIRST_SYN : 0) |
			 (syn_fin ? FIRST_SYN_FIN : 0) |
			 (dir == timed_side(f) && p->l4_len ? FIRST_TIMED : 0);
	return true;
}

/* The block, made with what the held first segment left (as remember(),
 * handshake() and round_trip() below would have left it). */
static struct tcp_health *health_of(struct flow *f)
{
	if (f->health_bits & HEALTH_BLOCK)
		return f->health.block;
	struct tcp_health *h = xcalloc(1, sizeof *h);
	uint8_t b = f->health_bits;
	if (b & HEALTH_FIRST) {
		stamp at = (stamp)f->first_us;
		struct tcp_dir *d = &h->dir[(b & FIRST_RESP) ? DIR_RESP : DIR_INIT];
		d->nextseq = f->health.first.nextseq;
		d->nextseq_at = d->lastack_at = at;
		d->has_nextseq = 1;
		d->lastack = f->health.first.ack;
		d->has_lastack = (b & FIRST_ACK) != 0;
		d->window = f->health_window;
		if (b & FIRST_SYN) {
			h->syn_at = at;
			h->syn_seen = 1;
		}
		if (b & FIRST_TIMED) {
			h->timed_end = f->health.first.nextseq - ((b & FIRST_SYN_FIN) ? 1 : 0);
			h->timed_at = at;
			h->timing = 1;
		}
	}
	f->health.block = h;
	f->health_bits = HEALTH_BLOCK;
	return h;
}

static void count(struct flow_meta *m, enum meta_key k, int dir)
{
	uint64_t n = 0;
	meta_num(m, (enum meta_key)(k + dir), &n);
	meta_set_num(m, (enum meta_key)(k + dir), n + 1);
}

/* The checks that read only the sender's own last segment and what the
 * peer last said: keep-alives, zero-window probes and their ACKs, and
 * duplicate ACKs. */
static unsigned classify_ack(const struct tcp_dir *fwd, const struct tcp_dir *rev,
			     const struct pkt *p, uint32_t ack)
{
	uint32_t len = p->l4_len, win = p->tcp_window;
	bool ctl = p->tcp_flags & CONTROL;
	bool at_next = fwd->has_nextseq && p->seq == fwd->nextseq;
	if (len == 1 && at_next && rev->has_nextseq && rev->window == 0)
		return SEG_ZWP;
	unsigned seg = 0;
	if (len <= 1 && fwd->has_nextseq && p->seq == fwd->nextseq - 1 && !ctl)
		seg |= SEG_KEEPALIVE;
	bool repeat = len == 0 && at_next && ack == fwd->lastack && win == fwd->window && !ctl;
	if (!repeat)
		return seg;
	if (win && rev->keepalive)
		return seg | SEG_SKIP_DUPACK;
	if (!win && rev->zwp)
		return seg | SEG_SKIP_DUPACK;
	return win ? seg | SEG_DUPACK : seg;
}

/* Retransmission (fast and spurious ones too) or out of order: a segment
 * with data, SYN or FIN that does not advance the sequence number. */
static unsigned classify_seq(const struct flow_meta *m, const struct tcp_dir *fwd,
			     const struct tcp_dir *rev, const struct pkt *p, stamp now,
			     unsigned seg)
{
	uint32_t len = p->l4_len, seq = p->seq;
	uint32_t span = len + ((p->tcp_flags & (TCP_SYN | TCP_FIN)) ? 1 : 0);
	if (!span || (seg & SEG_KEEPALIVE))
		return 0;
	bool behind = fwd->has_nextseq && seq_lt(seq, fwd->nextseq);
	if (behind && rev->dupacks >= 2 && rev->lastack == seq &&
	    (stamp)(now - rev->lastack_at) < FAST_RETRANSMIT_US)
		return SEG_RETRANSMIT;
	if (len && rev->has_lastack && !seq_gt(seq + len, rev->lastack))
		return SEG_RETRANSMIT; /* spurious: the peer had acknowledged it */
	if (!behind)
		return 0;
	uint64_t rtt = 0;
	meta_num(m, META_TCP_HANDSHAKE_RTT_US, &rtt);
	uint32_t ooo_us = rtt ? (uint32_t)rtt : OUT_OF_ORDER_DEFAULT_US;
	if ((stamp)(now - fwd->nextseq_at) < ooo_us && fwd->nextseq != seq + span)
		return SEG_OUT_OF_ORDER;
	return SEG_RETRANSMIT;
}

/* Remembers the segment as the next one is compared with it. */
static void remember(struct tcp_dir *fwd, const struct pkt *p, uint32_t ack, stamp now,
		     unsigned seg)
{
	uint32_t next = p->seq + p->l4_len + ((p->tcp_flags & (TCP_SYN | TCP_FIN)) ? 1 : 0);
	if ((!fwd->has_nextseq || seq_gt(next, fwd->nextseq)) && !(seg & SEG_ZWP)) {
		fwd->nextseq = next;
		fwd->nextseq_at = now;
		fwd->has_nextseq = 1;
	}
	if (ack != fwd->lastack)
		fwd->dupacks = 0;
	else if ((seg & SEG_DUPACK) && fwd->dupacks < UINT8_MAX)
		fwd->dupacks++;
	fwd->window = p->tcp_window;
	fwd->lastack = ack;
	fwd->lastack_at = now;
	fwd->has_lastack = (p->tcp_flags & TCP_ACK) != 0;
	fwd->keepalive = (seg & SEG_KEEPALIVE) != 0;
	fwd->zwp = (seg & SEG_ZWP) != 0;
}

/* The handshake's round trip: the latest SYN to the first ACK after it. */
static void handshake(struct tcp_health *h, struct flow_meta *m, const struct pkt *p, stamp now)
{
	uint8_t fl = p->tcp_flags & (TCP_SYN | TCP_ACK);
	if (fl == TCP_SYN) {
		h->syn_at = now;
		h->syn_seen = 1;
	} else if (fl == TCP_ACK && h->syn_seen && !h->handshake_known) {
		h->handshake_known = 1;
		meta_set_num(m, META_TCP_HANDSHAKE_RTT_US, (stamp)(now - h->syn_at));
	}
}

/* A spike (tcp_health.h): over the retransmission timeout's base and at
 * least spike_us over SRTT, both as they stood before the sample. */
static bool rtt_spike(uint64_t srtt, uint32_t rttvar, uint32_t sample, uint32_t spike_us)
{
	return spike_us && sample > srtt + 4 * (uint64_t)rttvar && sample >= srtt + spike_us;
}

/* Counted, and the largest kept (the first of equals) with its ACK's time. */
static void note_spike(struct flow_meta *m, uint32_t sample, uint64_t at_us)
{
	uint64_t n = 0, max = 0;
	meta_num(m, META_TCP_RTT_SPIKES, &n);
	meta_set_num(m, META_TCP_RTT_SPIKES, n + 1);
	meta_num(m, META_TCP_RTT_SPIKE_MAX_US, &max);
	if (sample <= max)
		return;
	meta_set_num(m, META_TCP_RTT_SPIKE_MAX_US, sample);
	meta_set_num(m, META_TCP_RTT_SPIKE_AT_US, at_us);
}

/* One sample into RFC 6298's estimators (section 2): the first sets SRTT
 * and RTTVAR, a later one is judged a spike or not and then moves them,
 * RTTVAR first as it reads the old SRTT. */
static void rtt_sample(struct tcp_health *h, struct flow_meta *m, uint32_t sample,
		       uint64_t at_us, uint32_t spike_us)
{
	uint64_t srtt = 0;
	meta_num(m, META_TCP_SRTT_US, &srtt);
	if (!srtt) {
		meta_set_num(m, META_TCP_SRTT_US, sample ? sample : 1);
		h->rttvar = sample / 2 < RTTVAR_MAX ? sample / 2 : RTTVAR_MAX;
		return;
	}
	if (rtt_spike(srtt, h->rttvar, sample, spike_us))
		note_spike(m, sample, at_us);
	int64_t err = (int64_t)sample - (int64_t)srtt;
	int64_t var = (int64_t)h->rttvar + ((err < 0 ? -err : err) - (int64_t)h->rttvar) / 4;
	h->rttvar = var < RTTVAR_MAX ? (uint32_t)var : RTTVAR_MAX;
	meta_set_num(m, META_TCP_SRTT_US, (uint64_t)((int64_t)srtt + err / 8));
}

/* Data to its ACK on the side that is timed, one segment at a time; a
 * retransmission while one is timed spoils the sample (Karn). */
static void round_trip(struct tcp_health *h, struct flow_meta *m, bool timed_side,
		       const struct pkt *p, stamp now, unsigned seg, bool advanced, uint32_t spike_us)
{
	if (timed_side) {
		if (seg & (SEG_RETRANSMIT | SEG_OUT_OF_ORDER))
			h->timing = 0;
		else if (!h->timing && p->l4_len && advanced) {
			h->timed_end = p->seq + p->l4_len;
			h->timed_at = now;
			h->timing = 1;
		}
		return;
	}
	if (!h->timing || !(p->tcp_flags & TCP_ACK) || seq_lt(p->ack, h->timed_end))
		return;
	h->timing = 0;
	rtt_sample(h, m, now - h->timed_at, p->ts_us, spike_us);
}

void tcp_health_track(struct flow *f, int dir, const struct pkt *p, uint32_t spike_us)
{
	if (p->tcp_window == 0 && !(p->tcp_flags & CONTROL))
		count(&f->meta, META_TCP_ZERO_WINDOWS, dir);
	if (hold_first(f, dir, p))
		return;
	struct tcp_health *h = health_of(f);
	struct tcp_dir *fwd = &h->dir[dir], *rev = &h->dir[!dir];
	stamp now = (stamp)p->ts_us;
	uint32_t ack = (p->tcp_flags & TCP_ACK) ? p->ack : 0;
	unsigned seg = classify_ack(fwd, rev, p, ack);
	seg |= classify_seq(&f->meta, fwd, rev, p, now, seg);
	if (seg & SEG_DUPACK)
		count(&f->meta, META_TCP_DUP_ACKS, dir);
	if (seg & SEG_RETRANSMIT)
		count(&f->meta, META_TCP_RETRANSMITS, dir);
	if (seg & SEG_OUT_OF_ORDER)
		count(&f->meta, META_TCP_OUT_OF_ORDER, dir);
	handshake(h, &f->meta, p, now);
	bool advanced = !fwd->has_nextseq || p->seq == fwd->nextseq;
	round_trip(h, &f->meta, dir == timed_side(f), p, now, seg, advanced, spike_us);
	remember(fwd, p, ack, now, seg);
}
