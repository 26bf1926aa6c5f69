/* dpi.c - the per-flow deep packet inspection driver (see dpi.h).
 *
 * DESIGN: called by the flow's worker only. A SYN costs a flow a few bytes
 * (its initial sequence numbers); the working state - candidates, the
 * chosen dissector's state, reassembly - exists from the first payload
 * packet until inspection ends. Every dissector of the flow's L4 is a
 * candidate (a bit in `cand`); new bytes are shown to the candidates whose
 * port hints match first, then to the rest. PROBE_NO drops a candidate,
 * PROBE_YES selects it and from then on only its parse() runs. Inspection
 * ends - state freed, dpi_packet() false - when the chosen dissector is
 * done, every candidate said no, or a bound is reached: undecided after
 * DPI_UNDECIDED_PKTS payload packets in one direction or a full stream,
 * DPI_SELECTED_PKTS payload packets in one direction after selection
 * (unless the dissector follows the whole connection: its `consumed`
 * says what of the stream it is done with, and that is dropped; a UDP
 * one that reads the whole flow says so with `whole_flow`), both
 * directions closed, or a reset.
 *
 * A TCP connection may switch protocol (STARTTLS, an accepted HTTP CONNECT
 * or Upgrade): the chosen dissector says where each direction's new bytes
 * begin (struct dpi_upgrade), its state goes, the streams restart there,
 * and selection starts over among the dissector it names or every TCP
 * dissector, with fresh packet bounds; at most DPI_MAX_UPGRADES times.
 */
#include "dissect/dpi.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/addrtext.h"
#include "base/macros.h"
#include "base/xalloc.h"
#include "dissect/dissector.h"
#include "dissect/registry.h"
#include "dissect/stream.h"

#define DPI_UNDECIDED_PKTS 8
#define DPI_SELECTED_PKTS 64
#define DPI_MAX_UPGRADES 3 /* a CONNECT tunnel, a STARTTLS inside it, then TLS */
#define DPI_NONE (-1)

enum { DIR_CLIENT = 0, DIR_SERVER = 1 };

/* Between a SYN and the first payload a flow holds only this. */
struct dpi_flow {
	struct dpi_work *w;     /* NULL until the first payload */
	uint32_t isn[2];        /* valid when the direction's bit is in syn_seen */
	uint8_t syn_seen;
};

struct dpi_work {
	void *state;            /* chosen dissector's state (NULL when size 0) */
	size_t *acct;           /* worker's reassembly budget counter, or NULL */
	uint32_t cand;          /* remaining candidates: bit i = registry entry i */
	int8_t chosen;          /* registry index, DPI_NONE while undecided */
	uint8_t pkts[2];        /* payload packets seen per direction (saturating) */
	uint8_t upgrades;       /* protocol switches so far */
	bool fin[2];
	struct stream dir[2];   /* TCP only */
};

static const struct dissector *entry(int i)
{
	size_t n;
	return registry_all(&n)[i];
}

static uint32_t candidates_for(uint8_t l4)
{
	size_t n;
	const struct dissector *const *all = registry_all(&n);
	uint32_t mask = 0;
	for (size_t i = 0; i < n; i++)
		if (all[i]->l4 == l4)
			mask |= 1u << i;
	return mask;
}

static bool port_hinted(const struct dissector *ds, const struct pkt *p)
{
	for (size_t i = 0; i < ARRAY_LEN(ds->ports) && ds->ports[i]; i++)
		if (ds->ports[i] == p->sport || ds->ports[i] == p->dport)
			return true;
	return false;
}

static struct stream_budget budget_of(const struct dpi_work *d, const struct dpi_env *env)
{
	struct stream_budget b = { d->acct, env ? env->buffered_limit : SIZE_MAX };
	return b;
}

static int index_of(const struct dissector *ds)
{
	size_t n;
	const struct dissector *const *all = registry_all(&n);
	for (size_t i = 0; i < n; i++)
		if (all[i] == ds)
			return (int)i;
	return DPI_NONE;
}

/* The chosen dissector's state goes; nothing is chosen any more. */
static void unchoose(struct dpi_work *d)
{
	if (d->chosen != DPI_NONE && d->state) {
		const struct dissector *ds = entry(d->chosen);
		if (ds->state_fini)
			ds->state_fini(d->state);
	}
	free(d->state);
	d->state = NULL;
	d->chosen = DPI_NONE;
}

static void work_release(struct dpi_work *d)
{
	struct stream_budget b = { d->acct, SIZE_MAX };
	unchoose(d);
	stream_fini(&d->dir[DIR_CLIENT], &b);
	stream_fini(&d->dir[DIR_SERVER], &b);
	free(d);
}

void dpi_flow_free(struct dpi_flow *d)
{
	if (!d)
		return;
	if (d->w)
		work_release(d->w);
	free(d);
}

size_t dpi_flow_bytes(const struct dpi_flow *f)
{
	if (!f)
		return 0;
	size_t n = sizeof *f;
	const struct dpi_work *d = f->w;
	if (d) {
		n += sizeof *d + stream_bytes(&d->dir[DIR_CLIENT]) + stream_bytes(&d->dir[DIR_SERVER]);
		if (d->chosen != DPI_NONE)
			n += entry(d->chosen)->state_size;
	}
	return n;
}

static struct dissect_in make_in(const uint8_t *data, size_t len, int side, bool full,
				 const struct pkt *p, struct flow_meta *meta,
				 const struct dpi_env *env)
{
	struct dissect_in in = { data, len, side == DIR_CLIENT, full, p, meta, env, NULL };
	return in;
}

/* Candidate i said yes: give it state, then show it what the other
 * direction already holds (it came first) and the new bytes. */
static enum parse_result select_dissector(struct dpi_work *d, int i, const struct dissect_in *in)
{
	const struct dissector *ds = entry(i);
	d->chosen = (int8_t)i;
	d->cand = 1u << i;
	d->state = ds->state_size ? xcalloc(1, ds->state_size) : NULL;
	if (d->upgrades && ds->label)
		meta_set_str(in->meta, META_UPGRADE, (const uint8_t *)ds->label, strlen(ds->label));
	const struct stream *o = &d->dir[in->from_client ? DIR_SERVER : DIR_CLIENT];
	if (o->len) {
		struct dissect_in prev = make_in(o->buf, o->len, in->from_client ? DIR_SERVER : DIR_CLIENT,
						 o->full, in->pkt, in->meta, in->env);
		prev.upgrade = in->upgrade;
		enum parse_result r = ds->parse(d->state, &prev);
		if (r != PARSE_MORE)
			return r;
	}
	return ds->parse(d->state, in);
}

/* Probe the candidates: port-hinted ones in the first pass, the rest in
 * the second. PARSE_DONE here means "stop inspecting". */
static enum parse_result probe_all(struct dpi_work *d, const struct dissect_in *in)
{
	size_t n;
	const struct dissector *const *all = registry_all(&n);
	for (int pass = 0; pass < 2; pass++) {
		for (uint32_t todo = d->cand; todo; todo &= todo - 1) {
			int i = __builtin_ctz(todo);
			if (port_hinted(all[i], in->pkt) != (pass == 0))
				continue;
			switch (all[i]->probe(in)) {
			case PROBE_NO:
				d->cand &= ~(1u << i);
				break;
			case PROBE_YES:
				return select_dissector(d, i, in);
			case PROBE_MAYBE:
				break;
			}
		}
	}
	return d->cand ? PARSE_MORE : PARSE_DONE;
}

static enum parse_result feed(struct dpi_work *d, const struct dissect_in *in)
{
	if (d->chosen != DPI_NONE)
		return entry(d->chosen)->parse(d->state, in);
	return probe_all(d, in);
}

static enum parse_result hand_over(struct dpi_work *d, const struct dissect_in *in,
				   const struct stream_view *v, const struct stream_budget *b);

/* Show the new candidates what the streams already hold after a switch:
 * this direction's bytes when it has some (selection then shows the other
 * direction's too), else the other direction's. */
static enum parse_result show_kept(struct dpi_work *d, const struct dissect_in *in,
				   const struct stream_budget *b)
{
	int side = in->from_client ? DIR_CLIENT : DIR_SERVER;
	int pick = d->dir[side].len ? side : d->dir[!side].len ? !side : DPI_NONE;
	if (pick == DPI_NONE)
		return PARSE_MORE;
	const struct stream *s = &d->dir[pick];
	struct stream_view kept = { s->buf, s->len, false, s->full };
	struct dissect_in again = make_in(s->buf, s->len, pick, s->full, in->pkt, in->meta, in->env);
	again.upgrade = in->upgrade;
	enum parse_result r = feed(d, &again);
	return r == PARSE_UPGRADE ? hand_over(d, &again, &kept, b) : r;
}

/* The chosen dissector said the connection switches protocol: each stream
 * restarts where *in->upgrade says, and selection starts over. `v` is what
 * this direction was just shown (perhaps borrowed from the packet). */
static enum parse_result hand_over(struct dpi_work *d, const struct dissect_in *in,
				   const struct stream_view *v, const struct stream_budget *b)
{
	const struct dpi_upgrade up = *in->upgrade;
	int side = in->from_client ? DIR_CLIENT : DIR_SERVER;
	if (++d->upgrades > DPI_MAX_UPGRADES)
		return PARSE_DONE;
	unchoose(d);
	int to = up.to ? index_of(up.to) : DPI_NONE;
	d->cand = to != DPI_NONE ? 1u << to : candidates_for(L4_TCP);
	d->pkts[DIR_CLIENT] = d->pkts[DIR_SERVER] = 0;
	stream_discard(&d->dir[!side], up.start[!side]);
	if (v->borrowed) { /* nothing of this direction is kept yet: keep what follows */
		size_t from = up.start[side] < v->len ? up.start[side] : v->len;
		struct stream_view rest = { v->data + from, v->len - from, true, v->full };
		stream_keep(&d->dir[side], &rest, b);
	} else {
		stream_discard(&d->dir[side], up.start[side]);
	}
	return show_kept(d, in, b);
}

static bool count_packet(struct dpi_work *d, int side)
{
	if (d->pkts[side] < UINT8_MAX)
		d->pkts[side]++;
	if (d->chosen != DPI_NONE && (entry(d->chosen)->consumed || entry(d->chosen)->whole_flow))
		return true; /* it follows the whole connection */
	unsigned bound = d->chosen == DPI_NONE ? DPI_UNDECIDED_PKTS : DPI_SELECTED_PKTS;
	return d->pkts[side] < bound;
}

/* After a parse that wants more: keep what this direction was shown, less
 * what a dissector following the whole connection is done with. */
static void keep_unfinished(struct dpi_work *d, struct stream *s, const struct stream_view *v,
			    int side, const struct stream_budget *b)
{
	const struct dissector *ds = d->chosen != DPI_NONE ? entry(d->chosen) : NULL;
	size_t done = ds && ds->consumed ? ds->consumed(d->state, side == DIR_CLIENT) : 0;
	if (done > v->len)
		done = v->len;
	if (v->borrowed) {
		struct stream_view rest = { v->data + done, v->len - done, true, v->full };
		stream_keep(s, &rest, b);
	} else {
		stream_discard(s, done);
	}
}

static bool tcp_packet(struct dpi_work *d, struct flow_meta *meta, const struct pkt *p, int side,
		       const struct dpi_env *env)
{
	struct stream *s = &d->dir[side];
	uint32_t seq = p->seq;
	if (p->tcp_flags & TCP_RST)
		return false;
	if (p->tcp_flags & TCP_SYN) {
		stream_syn(s, p->seq);
		seq++; /* the SYN occupies one sequence number */
	}
	if (p->tcp_flags & TCP_FIN)
		d->fin[side] = true;
	if (p->payload_len) {
		struct stream_budget b = budget_of(d, env);
		struct stream_view v = {0};
		bool got = stream_add(s, seq, p->payload, p->payload_len, &b, &v);
		if (p->payload_len < p->l4_len) { /* capture cut it: the rest never comes */
			s->full = true;
			v.full = true;
		}
		if (got && v.len) {
			struct dpi_upgrade up; /* filled by a parse that returns PARSE_UPGRADE */
			struct dissect_in in = make_in(v.data, v.len, side, v.full, p, meta, env);
			in.upgrade = &up;
			enum parse_result r = feed(d, &in);
			if (r == PARSE_UPGRADE)
				r = hand_over(d, &in, &v, &b);
			else if (r == PARSE_MORE)
				keep_unfinished(d, s, &v, side, &b);
			if (r == PARSE_DONE)
				return false;
		}
		if (!count_packet(d, side))
			return false;
	}
	if (d->chosen == DPI_NONE && s->full)
		return false;
	bool ended[2] = { d->fin[0] || d->dir[0].full, d->fin[1] || d->dir[1].full };
	return !(ended[0] && ended[1]);
}

static bool udp_packet(struct dpi_work *d, struct flow_meta *meta, const struct pkt *p, int side,
		       const struct dpi_env *env)
{
	if (!p->payload_len)
		return true;
	struct dissect_in in = make_in(p->payload, p->payload_len, side, false, p, meta, env);
	if (feed(d, &in) != PARSE_MORE) /* a datagram protocol does not switch */
		return false;
	return count_packet(d, side);
}

static struct dpi_work *work_new(const struct dpi_flow *f, uint32_t cand, const struct dpi_env *env)
{
	struct dpi_work *d = xcalloc(1, sizeof *d);
	d->cand = cand;
	d->chosen = DPI_NONE;
	d->acct = env ? env->buffered_bytes : NULL;
	for (int side = 0; side < 2; side++)
		if (f->syn_seen & (1u << side))
			stream_syn(&d->dir[side], f->isn[side]);
	return d;
}

/* A SYN without payload: remember where the direction's data starts. */
static void note_syn(struct dpi_flow *f, int side, uint32_t seq)
{
	f->isn[side] = seq;
	f->syn_seen |= (uint8_t)(1u << side);
}

/* "10.0.0.1:40000 -> 10.0.0.2:21", "[fd00::1]:40000 -> [fd00::2]:21". */
static size_t ends_text(char *buf, size_t cap, const struct dpi_ends *c)
{
	char a[ADDR_TEXT_MAX], b[ADDR_TEXT_MAX];
	addr_text(a, c->family, c->src);
	addr_text(b, c->family, c->dst);
	const char *l = c->family == 6 ? "[" : "", *r = c->family == 6 ? "]" : "";
	int n = snprintf(buf, cap, "%s%s%s:%u -> %s%s%s:%u", l, a, r, (unsigned)c->sport, l, b, r,
			 (unsigned)c->dport);
	return n < 0 ? 0 : (size_t)n < cap ? (size_t)n : cap - 1;
}

void dpi_link_announced(struct flow_meta *meta, const struct dpi_ends *conn, uint64_t first_us,
			const struct dpi_env *env)
{
	struct dpi_expect e;
	if (!env || !env->expected || meta_str(meta, META_FTP_CONTROL) ||
	    !env->expected(env->expect_ctx, conn, first_us, &e))
		return;
	char text[2 * (ADDR_TEXT_MAX + 8) + 8];
	size_t n = ends_text(text, sizeof text, &e.control);
	meta->app = e.app; /* the announcement names it, whatever its bytes look like */
	meta_set_str(meta, META_FTP_CONTROL, (const uint8_t *)text, n);
	meta_set_str(meta, META_FTP_DATA_SETUP, (const uint8_t *)e.how, strnlen(e.how, sizeof e.how));
}

bool dpi_packet(struct dpi_flow **dp, struct flow_meta *meta, const struct pkt *p,
		bool from_client, const struct dpi_env *env)
{
	if (p->l4 != L4_TCP && p->l4 != L4_UDP) {
		dpi_flow_free(*dp);
		*dp = NULL;
		return false;
	}
	int side = from_client ? DIR_CLIENT : DIR_SERVER;
	bool syn = p->l4 == L4_TCP && (p->tcp_flags & TCP_SYN);
	struct dpi_flow *f = *dp;
	if (!f && !p->payload_len && !syn)
		return true; /* nothing worth remembering yet */
	if (!f)
		f = *dp = xcalloc(1, sizeof *f);
	if (!f->w && !p->payload_len && !(p->tcp_flags & TCP_RST)) {
		if (syn)
			note_syn(f, side, p->seq);
		return true;
	}
	if (!f->w && p->payload_len) {
		uint32_t cand = candidates_for(p->l4);
		if (cand)
			f->w = work_new(f, cand, env);
	}
	bool go = f->w && (p->l4 == L4_TCP ? tcp_packet(f->w, meta, p, side, env)
					   : udp_packet(f->w, meta, p, side, env));
	if (!go) {
		dpi_flow_free(f);
		*dp = NULL;
	}
	return go;
}
