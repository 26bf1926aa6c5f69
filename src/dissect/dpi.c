/* dpi.c - the per-flow deep packet inspection driver (see dpi.h).
 *
 * DESIGN: called by the flow's worker only. A flow gets a struct dpi_flow
 * on its first SYN or payload packet. Every dissector of the flow's L4 is a
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

struct dpi_flow {
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

static struct stream_budget budget_of(const struct dpi_flow *d, const struct dpi_env *env)
{
	struct stream_budget b = { d->acct, env ? env->buffered_limit : SIZE_MAX };
	return b;
}

static void flow_release(struct dpi_flow *d)
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
	if (d)
		flow_release(d);
}

size_t dpi_flow_bytes(const struct dpi_flow *d)
{
	if (!d)
		return 0;
	size_t n = sizeof *d + stream_bytes(&d->dir[DIR_CLIENT]) + stream_bytes(&d->dir[DIR_SERVER]);
	if (d->chosen != DPI_NONE)
		n += entry(d->chosen)->state_size;
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
static enum parse_result select_dissector(struct dpi_flow *d, int i, const struct dissect_in *in)
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
static enum parse_result probe_all(struct dpi_flow *d, const struct dissect_in *in)
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

static enum parse_result feed(struct dpi_flow *d, const struct dissect_in *in)
{
	if (d->chosen != DPI_NONE)
		return entry(d->chosen)->parse(d->state, in);
	return probe_all(d, in);
}

static bool count_packet(struct dpi_flow *d, int side)
{
	if (d->pkts[side] < UINT8_MAX)
		d->pkts[side]++;
	unsigned bound = d->chosen == DPI_NONE ? DPI_UNDECIDED_PKTS : DPI_SELECTED_PKTS;
	return d->pkts[side] < bound;
}

static bool tcp_packet(struct dpi_flow *d, struct flow_meta *meta, const struct pkt *p, int side,
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
		struct stream_view v;
		bool got = stream_add(s, seq, p->payload, p->payload_len, &b, &v);
		if (p->payload_len < p->l4_len) { /* capture cut it: the rest never comes */
			s->full = true;
			v.full = true;
		}
		if (got) {
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

static bool udp_packet(struct dpi_flow *d, struct flow_meta *meta, const struct pkt *p, int side,
		       const struct dpi_env *env)
{
	if (!p->payload_len)
		return true;
	struct dissect_in in = make_in(p->payload, p->payload_len, side, false, p, meta, env);
	if (feed(d, &in) == PARSE_DONE)
		return false;
	return count_packet(d, side);
}

/* Only a SYN (to remember its sequence number) or payload is worth state. */
static bool worth_state(const struct pkt *p)
{
	return p->payload_len || (p->l4 == L4_TCP && (p->tcp_flags & TCP_SYN));
}

bool dpi_packet(struct dpi_flow **dp, struct flow_meta *meta, const struct pkt *p,
		bool from_client, const struct dpi_env *env)
{
	struct dpi_flow *d = *dp;
	if (!d) {
		if (p->l4 != L4_TCP && p->l4 != L4_UDP)
			return false;
		if (!worth_state(p))
			return true;
		uint32_t cand = candidates_for(p->l4);
		if (!cand)
			return false;
		d = xcalloc(1, sizeof *d);
		d->cand = cand;
		d->chosen = DPI_NONE;
		d->acct = env ? env->buffered_bytes : NULL;
		*dp = d;
	}
	int side = from_client ? DIR_CLIENT : DIR_SERVER;
	bool go;
	if (p->l4 == L4_TCP)
		go = tcp_packet(d, meta, p, side, env);
	else if (p->l4 == L4_UDP)
		go = udp_packet(d, meta, p, side, env);
	else
		go = false;
	if (!go) {
		flow_release(d);
		*dp = NULL;
	}
	return go;
}
