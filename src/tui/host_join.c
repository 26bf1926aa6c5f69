/* host_join.c - the Host view's traffic: each connection the UI holds
 * credited to the listening or bound socket it went through (host.h says
 * which). Pure: rows and sockets in, counters out.
 */
#include "tui/host.h"

#include <stdlib.h>
#include <string.h>

#include "base/addrscope.h"
#include "base/xalloc.h"
#include "decode/pkt.h"

/* Sockets by protocol and port, for finding a row's candidates. */
struct by_port {
	struct host_socket *v;
	uint32_t *idx;
	size_t n;
};

static int key_cmp(const struct host_socket *a, uint8_t l4, uint16_t port)
{
	if (a->l4 != l4)
		return a->l4 < l4 ? -1 : 1;
	return (a->port > port) - (a->port < port);
}

/* By protocol and port; ties keep the listing's order. */
static int cmp_idx(const void *pa, const void *pb, void *ctx)
{
	const struct host_socket *v = ctx;
	uint32_t a = *(const uint32_t *)pa, b = *(const uint32_t *)pb;
	int c = key_cmp(&v[a], v[b].l4, v[b].port);
	return c ? c : (a > b) - (a < b);
}

/* The first index entry for l4 and port. */
static size_t lower(const struct by_port *bp, uint8_t l4, uint16_t port)
{
	size_t lo = 0, hi = bp->n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (key_cmp(&bp->v[bp->idx[mid]], l4, port) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static bool all_zero(const uint8_t a[16])
{
	static const uint8_t zero[16];
	return memcmp(a, zero, 16) == 0;
}

/* How well socket s claims an end with this family and address: 3 the
 * same address, 2 the family's wildcard, 1 :: for IPv4 (a dual-stack
 * socket takes IPv4 too), 0 not at all. */
static int specificity(const struct host_socket *s, uint8_t family, const uint8_t addr[16])
{
	if (s->family == family && memcmp(s->addr, addr, family == 4 ? 4 : 16) == 0)
		return 3;
	if (!all_zero(s->addr))
		return 0;
	return s->family == family ? 2 : s->family == 6 && family == 4 ? 1 : 0;
}

/* Whether end `side` (0 src, 1 dst) of r may be this host's: the tracker
 * marks one end local (the initiator's when both are, so loopback is
 * taken as it is); unmarked (no address list, a file), either may. A
 * wildcard socket would otherwise claim a remote end on its port. */
static bool maybe_local(const struct conn_row *r, int side)
{
	const char *scope;
	if (r->local_side < 0 || r->local_side == side)
		return true;
	scope = addr_scope(r->family, side ? r->dst : r->src);
	return scope && strcmp(scope, "loopback") == 0;
}

/* The socket that end `side` (0 src, 1 dst) of r went through; NULL none. */
static struct host_socket *claim(const struct by_port *bp, const struct conn_row *r, int side)
{
	uint16_t port = side ? r->dport : r->sport;
	const uint8_t *addr = side ? r->dst : r->src;
	bool by_pid = r->proc.pid > 0 && r->proc_side == side;
	struct host_socket *best = NULL;
	int best_score = 0;

	if (!maybe_local(r, side))
		return NULL;
	for (size_t i = lower(bp, (uint8_t)r->l4, port); i < bp->n; i++) {
		struct host_socket *s = &bp->v[bp->idx[i]];
		if (key_cmp(s, (uint8_t)r->l4, port) != 0)
			break;
		/* the same address first, then the process the row names */
		int score = specificity(s, r->family, addr) * 2;
		if (score && by_pid && s->pid == r->proc.pid)
			score++;
		if (score > best_score) {
			best = s;
			best_score = score;
		}
	}
	return best;
}

static void credit(struct host_socket *s, const struct conn_row *r, int side)
{
	s->conns++;
	s->in_bytes += side ? r->src_bytes : r->dst_bytes;
	s->out_bytes += side ? r->dst_bytes : r->src_bytes;
}

void host_join(struct host *h, const struct conn_row *rows, size_t n)
{
	struct by_port bp = { h->v, NULL, h->n };

	for (size_t i = 0; i < h->n; i++)
		h->v[i].conns = h->v[i].in_bytes = h->v[i].out_bytes = 0;
	if (!h->n || !n)
		return;
	bp.idx = xmalloc(h->n * sizeof *bp.idx);
	for (size_t i = 0; i < h->n; i++)
		bp.idx[i] = (uint32_t)i;
	qsort_r(bp.idx, h->n, sizeof *bp.idx, cmp_idx, h->v);
	for (size_t i = 0; i < n; i++) {
		const struct conn_row *r = &rows[i];
		struct host_socket *s;
		if (r->l4 == L4_TCP && (s = claim(&bp, r, 1)) != NULL)
			credit(s, r, 1);
		else if (r->l4 == L4_UDP && (s = claim(&bp, r, 1)) != NULL)
			credit(s, r, 1);
		else if (r->l4 == L4_UDP && (s = claim(&bp, r, 0)) != NULL)
			credit(s, r, 0);
	}
	free(bp.idx);
}
