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
 * DPI_SELECTED_PKTS payload packets in one direction after selection, both
 * directions closed, or a reset.
 */
#include "dissect/dpi.h"

#include <stdlib.h>

#include "base/xalloc.h"
#include "dissect/dissector.h"
#include "dissect/registry.h"
#include "dissect/stream.h"

#define DPI_UNDECIDED_PKTS 8
#define DPI_SELECTED_PKTS 64
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
	for (size_t i = 0; i < sizeof ds->ports / sizeof ds->ports[0] && ds->ports[i]; i++)
		if (ds->ports[i] == p->sport || ds->ports[i] == p->dport)
			return true;
	return false;
}

static struct stream_budget budget_of(const struct dpi_work *d, const struct dpi_env *env)
{
	struct stream_budget b = { d->acct, env ? env->buffered_limit : SIZE_MAX };
	return b;
}

static void work_release(struct dpi_work *d)
{
	struct stream_budget b = { d->acct, SIZE_MAX };
	if (d->chosen != DPI_NONE && d->state) {
		const struct dissector *ds = entry(d->chosen);
		if (ds->state_fini)
			ds->state_fini(d->state);
	}
	free(d->state);
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
	struct dissect_in in = { data, len, side == DIR_CLIENT, full, p, meta, env };
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
	const struct stream *o = &d->dir[in->from_client ? DIR_SERVER : DIR_CLIENT];
	if (o->len) {
		struct dissect_in prev = make_in(o->buf, o->len, in->from_client ? DIR_SERVER : DIR_CLIENT,
						 o->full, in->pkt, in->meta, in->env);
		if (ds->parse(d->state, &prev) == PARSE_DONE)
			return PARSE_DONE;
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
		for (size_t i = 0; i < n; i++) {
			if (!(d->cand & (1u << i)) || port_hinted(all[i], in->pkt) != (pass == 0))
				continue;
			switch (all[i]->probe(in)) {
			case PROBE_NO:
				d->cand &= ~(1u << i);
				break;
			case PROBE_YES:
				return select_dissector(d, (int)i, in);
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

static bool count_packet(struct dpi_work *d, int side)
{
	if (d->pkts[side] < UINT8_MAX)
		d->pkts[side]++;
	unsigned bound = d->chosen == DPI_NONE ? DPI_UNDECIDED_PKTS : DPI_SELECTED_PKTS;
	return d->pkts[side] < bound;
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
			struct dissect_in in = make_in(v.data, v.len, side, v.full, p, meta, env);
			if (feed(d, &in) == PARSE_DONE)
				return false;
			stream_keep(s, &v, &b);
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
	if (feed(d, &in) == PARSE_DONE)
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
