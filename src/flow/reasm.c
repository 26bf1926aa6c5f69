#include "flow/reasm.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "base/hash.h"
#include "base/xalloc.h"
#include "decode/decode.h"

#define BUCKETS 1024u
#define MAX_FRAGMENTS 1024u /* per datagram: a 64 KiB datagram needs 45 of 1500 bytes */
#define IP_MAXLEN 65535u
#define IPV4_MIN_HLEN 20u

/* One fragment's data. Fragments are kept in offset order; as in Linux,
 * those that arrived in order at the tail form runs (the first of a run
 * records where the run ends), and a newcomer is a duplicate only when
 * one run holds all of it. */
struct frag {
	struct frag *next;
	uint32_t off, end;       /* data range per the IP header */
	uint32_t captured;       /* bytes of it the capture kept */
	uint32_t run_end;        /* first of a run: where the run ends; else 0 */
	uint8_t data[];
};

struct dgram_key {
	uint8_t src[16], dst[16];
	uint32_t id;
	uint32_t tunnel;
	uint8_t family;
	uint8_t proto;           /* IPv4 only: IPv6 keys without it */
	uint8_t pad[2];
};

struct queue {
	struct dgram_key key;
	struct queue *chain;             /* bucket */
	struct queue *older, *newer;     /* expiry list of its family */
	struct frag *frags;
	struct frag *tail;               /* the last in offset order */
	struct frag *last_run;           /* the run fragments arriving in order extend */
	uint32_t tail_end;               /* where the last fragment of that run ends */
	uint32_t len;                    /* datagram length: exact once the last is in */
	uint32_t meat;                   /* data bytes held */
	uint32_t nfrags;
	uint8_t first_in, last_in;
	uint8_t first_proto;             /* IPv6: next header of the offset-0 fragment */
	uint32_t frames;
	uint64_t wire_bytes;
	uint64_t first_us;
	uint32_t mem;                    /* held for it: under the limit, which is far below 4 GiB */
	uint32_t ip_bytes;               /* the fragments' IP lengths (at most 64 KiB of data) */
};

struct age_list {
	struct queue *oldest, *newest;
};

struct reasm {
	struct queue *buckets[BUCKETS];
	struct age_list age[2];          /* IPv4, IPv6 */
	size_t limit;
	struct reasm_hooks hooks;
	struct reasm_stats st;
};

struct reasm *reasm_new(size_t mem_limit, const struct reasm_hooks *hooks)
{
	struct reasm *r = xcalloc(1, sizeof *r);
	r->limit = mem_limit;
	if (hooks)
		r->hooks = *hooks;
	return r;
}

const struct reasm_stats *reasm_stats(const struct reasm *r) { return &r->st; }

static uint32_t bucket_of(const struct dgram_key *k)
{
	return (uint32_t)(hash_bytes(k, sizeof *k, 0) % BUCKETS);
}

static struct age_list *age_of(struct reasm *r, const struct queue *q)
{
	return &r->age[q->key.family == 6];
}

static void key_of(const struct pkt *p, uint32_t tunnel, struct dgram_key *k)
{
	memset(k, 0, sizeof *k);
	memcpy(k->src, p->src, 16);
	memcpy(k->dst, p->dst, 16);
	k->id = p->frag_id;
	k->tunnel = tunnel;
	k->family = p->family;
	k->proto = p->family == 4 ? (uint8_t)p->l4 : 0;
}

static struct queue *find(struct reasm *r, const struct dgram_key *k)
{
	for (struct queue *q = r->buckets[bucket_of(k)]; q; q = q->chain)
		if (memcmp(&q->key, k, sizeof *k) == 0)
			return q;
	return NULL;
}

static struct queue *create(struct reasm *r, const struct dgram_key *k, uint64_t now_us)
{
	struct queue *q = xcalloc(1, sizeof *q);
	q->key = *k;
	q->first_us = now_us;
	q->mem = (uint32_t)sizeof *q;
	uint32_t b = bucket_of(k);
	q->chain = r->buckets[b];
	r->buckets[b] = q;
	struct age_list *a = age_of(r, q);
	q->older = a->newest;
	if (a->newest)
		a->newest->newer = q;
	else
		a->oldest = q;
	a->newest = q;
	r->st.held_bytes += q->mem;
	if (r->hooks.hold)
		r->hooks.hold(r->hooks.arg, k->tunnel);
	return q;
}

static void count_dropped(struct reasm *r, uint32_t tunnel, uint32_t frames)
{
	if (tunnel)
		r->st.tunneled_frames_dropped += frames;
	else
		r->st.frames_dropped += frames;
}

/* Unlink and free q; its fragments are counted dropped unless it became
 * a datagram. */
static void destroy(struct reasm *r, struct queue *q, bool dropped)
{
	struct queue **pp = &r->buckets[bucket_of(&q->key)];
	while (*pp != q)
		pp = &(*pp)->chain;
	*pp = q->chain;
	struct age_list *a = age_of(r, q);
	if (q->older)
		q->older->newer = q->newer;
	else
		a->oldest = q->newer;
	if (q->newer)
		q->newer->older = q->older;
	else
		a->newest = q->older;
	for (struct frag *f = q->frags, *next; f; f = next) {
		next = f->next;
		free(f);
	}
	r->st.held_bytes -= q->mem;
	r->st.held_frames -= q->frames;
	if (dropped)
		count_dropped(r, q->key.tunnel, q->frames);
	if (r->hooks.release)
		r->hooks.release(r->hooks.arg, q->key.tunnel);
	free(q);
}

void reasm_free(struct reasm *r)
{
	if (!r)
		return;
	for (int fam = 0; fam < 2; fam++)
		while (r->age[fam].oldest)
			destroy(r, r->age[fam].oldest, true);
	free(r);
}

void reasm_expire(struct reasm *r, uint64_t now_us)
{
	static const uint64_t timeout[2] = { REASM_TIMEOUT4_US, REASM_TIMEOUT6_US };
	for (int fam = 0; fam < 2; fam++) {
		struct queue *q;
		while ((q = r->age[fam].oldest) &&
		       (now_us == UINT64_MAX || q->first_us + timeout[fam] <= now_us)) {
			r->st.timeouts++;
			destroy(r, q, true);
		}
	}
}

enum verdict { V_OK, V_DUP, V_OVERLAP };

/* Linux's inet_frag_queue_insert, over a list instead of a tree. */
static enum verdict place(struct queue *q, struct frag *f)
{
	if (!q->frags || q->tail_end < f->end) { /* at the end, the usual case */
		if (q->frags && f->off < q->tail_end)
			return V_OVERLAP;
		if (q->frags && f->off == q->tail_end) {
			q->last_run->run_end = f->end; /* extends the run */
		} else {
			f->run_end = f->end;
			q->last_run = f;
		}
		q->tail_end = f->end;
		if (q->tail)
			q->tail->next = f;
		else
			q->frags = f;
		q->tail = f;
		return V_OK;
	}
	struct frag **at = &q->frags;
	for (struct frag *h = q->frags; h; h = h->next) {
		if (!h->run_end)
			continue;
		if (f->end > h->off && f->off < h->run_end)
			return f->off >= h->off && f->end <= h->run_end ? V_DUP : V_OVERLAP;
	}
	while (*at && (*at)->off < f->off)
		at = &(*at)->next;
	f->run_end = f->end; /* a run of its own: never merged with its neighbours */
	f->next = *at;
	*at = f;
	return V_OK;
}

static void assemble(struct reasm *r, struct queue *q, struct reasm_datagram *out)
{
	memset(out, 0, sizeof *out);
	out->family = q->key.family;
	out->proto = q->key.family == 4 ? q->key.proto : q->first_proto;
	memcpy(out->src, q->key.src, 16);
	memcpy(out->dst, q->key.dst, 16);
	out->tunnel = q->key.tunnel;
	out->len = q->len;
	out->data = xmalloc(q->len ? q->len : 1);
	bool whole = true;
	for (struct frag *f = q->frags; f; f = f->next) {
		memcpy(out->data + f->off, f->data, f->captured);
		if (whole && f->captured < f->end - f->off) {
			out->captured = f->off + f->captured;
			whole = false;
		}
	}
	if (whole)
		out->captured = q->len;
	out->frames = q->frames;
	out->wire_bytes = q->wire_bytes;
	out->ip_bytes = q->ip_bytes;
	out->first_us = q->first_us;
	r->st.datagrams++;
	destroy(r, q, false);
}

/* The length checks of Linux's ip_frag_queue / ip6_frag_queue that come
 * before a fragment is placed: false discards the datagram. */
static bool fits_length(struct queue *q, uint32_t off, uint32_t *end, bool more)
{
	if (!more) {
		if (*end < q->len || (q->last_in && *end != q->len))
			return false;
		q->last_in = 1;
		q->len = *end;
	} else {
		*end &= ~7u; /* IPv4 trims; IPv6 fragments that need it never get here */
		if (*end > q->len) {
			if (q->last_in)
				return false;
			q->len = *end;
		}
	}
	return *end != off;
}

static enum reasm_result drop_frame(struct reasm *r, const struct reasm_origin *o)
{
	count_dropped(r, o->tunnel, o->frames);
	return REASM_DROPPED;
}

/* IPv6 fragments Linux drops alone, leaving their datagram be. */
static bool ip6_frame_refused(const struct pkt *p, uint32_t end)
{
	if (end > IP_MAXLEN || (p->frag_more && (end & 7)))
		return true;
	return p->frag_off == 0 &&
	       !decode_ip6_upper_header_fits((uint8_t)p->l4, p->payload, p->payload_len, p->l4_len);
}

enum reasm_result reasm_add(struct reasm *r, const struct pkt *p, const struct reasm_origin *o,
			    struct reasm_datagram *out)
{
	uint32_t off = p->frag_off, end = off + p->l4_len;
	if (p->family == 6 && ip6_frame_refused(p, end))
		return drop_frame(r, o);
	struct dgram_key k;
	key_of(p, o->tunnel, &k);
	struct queue *q = find(r, &k);
	uint32_t captured = p->payload_len < p->l4_len ? p->payload_len : p->l4_len;
	size_t need = sizeof(struct frag) + captured + (q ? 0 : sizeof *q);
	if (r->st.held_bytes + need > r->limit) {
		r->st.over_limit++;
		if (q)
			destroy(r, q, true);
		return drop_frame(r, o);
	}
	if (!q)
		q = create(r, &k, p->ts_us);
	q->frames += o->frames;
	q->wire_bytes += o->wire_bytes;
	q->ip_bytes += p->ip_len;
	r->st.held_frames += o->frames;
	if (!fits_length(q, off, &end, p->frag_more) || q->nfrags >= MAX_FRAGMENTS) {
		destroy(r, q, true);
		return REASM_DROPPED;
	}
	if (captured > end - off)
		captured = end - off;
	struct frag *f = xmalloc(sizeof *f + captured);
	*f = (struct frag){ .off = off, .end = end, .captured = captured };
	memcpy(f->data, p->payload, captured);
	enum verdict v = place(q, f);
	if (v != V_OK) {
		free(f);
		if (v == V_DUP)
			return REASM_HELD; /* counted with its datagram, data ignored */
		r->st.overlaps++;
		destroy(r, q, true);
		return REASM_DROPPED;
	}
	q->nfrags++;
	q->mem += (uint32_t)(sizeof *f + captured);
	r->st.held_bytes += sizeof *f + captured;
	q->meat += end - off;
	if (off == 0) {
		q->first_in = 1;
		q->first_proto = (uint8_t)p->l4;
	}
	if (!q->first_in || !q->last_in || q->meat != q->len)
		return REASM_HELD;
	if (q->key.family == 4 && q->len + IPV4_MIN_HLEN > IP_MAXLEN) {
		destroy(r, q, true); /* Linux: oversized */
		return REASM_DROPPED;
	}
	assemble(r, q, out);
	return REASM_DONE;
}

void reasm_datagram_fini(struct reasm_datagram *d)
{
	free(d->data);
	d->data = NULL;
}
