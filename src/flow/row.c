#include "flow/row.h"

#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "base/macros.h"
#include "base/refcount.h"
#include "base/strpool.h"
#include "base/xalloc.h"
#include "flow/state.h"

#define HUGE_PAGE (2u << 20)

/* A large row array asks for huge pages: the first snapshot under a flood
 * touches tens of MiB at once, a fault per 4 KiB page otherwise. Advice
 * only; a kernel without transparent huge pages ignores it. */
static void advise_huge(void *p, size_t bytes)
{
	uintptr_t from = ((uintptr_t)p + HUGE_PAGE - 1) & ~(uintptr_t)(HUGE_PAGE - 1);
	uintptr_t to = ((uintptr_t)p + bytes) & ~(uintptr_t)(HUGE_PAGE - 1);
	if (to > from)
		(void)madvise((void *)from, to - from, MADV_HUGEPAGE);
}

struct snapshot *snapshot_new(uint32_t cap)
{
	struct snapshot *s = xcalloc(1, sizeof *s);
	s->refs = xmalloc(sizeof *s->refs);
	refcount_init(s->refs);
	s->cap = cap ? cap : 64;
	s->rows = xmalloc(sizeof *s->rows * s->cap);
	advise_huge(s->rows, sizeof *s->rows * s->cap);
	return s;
}

static void reserve_rows(struct snapshot *s, uint32_t more)
{
	if (s->n + more <= s->cap)
		return;
	while (s->n + more > s->cap)
		s->cap *= 2;
	s->rows = xrealloc(s->rows, sizeof *s->rows * s->cap);
	advise_huge(s->rows, sizeof *s->rows * s->cap);
}

struct conn_row *snapshot_push(struct snapshot *s)
{
	reserve_rows(s, 1);
	struct conn_row *r = &s->rows[s->n++];
	memset(r, 0, sizeof *r);
	meta_init(&r->meta);
	r->local_side = -1;
	r->proc_side = -1;
	return r;
}

struct snapshot *snapshot_share(struct snapshot *s)
{
	struct snapshot *v = xmalloc(sizeof *v);
	*v = *s;
	v->cap = 0;
	v->shared = s;
	v->refs = NULL;
	refcount_get(s->refs);
	return v;
}

/* The rows' own strings; the array stays. */
static void rows_fini(struct snapshot *s)
{
	for (uint32_t i = 0; i < s->n; i++)
		row_fini(&s->rows[i]);
}

void snapshot_free(struct snapshot *s)
{
	if (!s)
		return;
	if (s->shared) {
		snapshot_free(s->shared);
		free(s);
		return;
	}
	if (!refcount_put(s->refs))
		return;
	free(s->refs);
	rows_fini(s);
	free(s->rows);
	free(s);
}

/* Under a flood a snapshot's rows are tens of MiB: malloc maps such a
 * block afresh on each allocation and unmaps it on free, so each new
 * snapshot paid a page fault per 4 KiB before a row was written. The
 * last holder's array is kept instead, unless it is four times what is
 * needed (a flood is over: let its memory go). */
struct snapshot *snapshot_renew(struct snapshot *old, uint32_t cap)
{
	if (!old || old->shared || cap < old->cap / 4) {
		snapshot_free(old);
		return snapshot_new(cap);
	}
	if (!refcount_put(old->refs))
		return snapshot_new(cap); /* another holder frees it */
	rows_fini(old);
	struct conn_row *rows = old->rows;
	uint32_t had = old->cap;
	struct refcount *refs = old->refs;
	*old = (struct snapshot){ .rows = rows, .cap = had, .refs = refs };
	refcount_init(refs);
	reserve_rows(old, cap);
	return old;
}

void row_copy(struct conn_row *dst, const struct conn_row *src)
{
	*dst = *src;
	meta_copy(&dst->meta, &src->meta);
	strpool_ref(dst->proc.name);
	strpool_ref(dst->proc.user);
	strpool_ref(dst->peer.name);
	strpool_ref(dst->peer.user);
	strpool_ref(dst->peer_name);
	strpool_ref(dst->place);
	strpool_ref(dst->lan);
	row_set_tunnel(dst, src->tunnel);
}

void row_move(struct conn_row *dst, struct conn_row *src)
{
	*dst = *src;
	meta_init(&src->meta);
	src->proc.name = src->proc.user = NULL;
	src->peer.name = src->peer.user = NULL;
	src->peer_name = NULL;
	src->place = NULL;
	src->lan = NULL;
	src->tunnel = NULL;
}

static void proc_release(struct row_proc *p)
{
	strpool_put(p->name);
	strpool_put(p->user);
	p->name = p->user = NULL;
}

void row_fini_borrowed(struct conn_row *r)
{
	proc_release(&r->proc);
	proc_release(&r->peer);
	strpool_put(r->peer_name);
	r->peer_name = NULL;
	strpool_put(r->place);
	r->place = NULL;
	strpool_put(r->lan);
	r->lan = NULL;
	free((void *)(uintptr_t)r->tunnel);
	r->tunnel = NULL;
}

void row_set_tunnel(struct conn_row *r, const struct pkt_tunnel *tun)
{
	struct pkt_tunnel *own = NULL;
	if (tun && tun->type != TUNNEL_NONE) {
		own = xmalloc(sizeof *own);
		*own = *tun;
	}
	r->tunnel = own;
}

void row_fini(struct conn_row *r)
{
	meta_fini(&r->meta);
	row_fini_borrowed(r);
}

void row_proc_set(struct row_proc *dst, struct strpool *pool, const struct proc_ref *src)
{
	proc_release(dst);
	dst->pid = src->pid;
	dst->uid = src->uid;
	dst->name = strpool_get(pool, src->name);
	dst->user = strpool_get(pool, src->user);
}

const char *row_place(const struct conn_row *r, enum row_place_part part)
{
	return strpool_part(r->place, part);
}

const char *row_lan(const struct conn_row *r, enum row_lan_part part)
{
	return strpool_part(r->lan, part);
}

unsigned row_parents(const struct conn_row *r, const char **first)
{
	unsigned n = 0;
	*first = strpool_part(r->place, ROW_PLACE_PARENTS);
	while (n < ROW_PARENTS_MAX && strpool_part(*first, 3 * n))
		n++;
	return n;
}

const char *proc_match_word(enum proc_match m)
{
	static const char *const words[] = {
		[PROC_MATCH_SOCKET] = "socket",
		[PROC_MATCH_PREEXISTING] = "preexisting",
		[PROC_MATCH_NETNS] = "netns",
		[PROC_MATCH_LISTENER] = "listener",
	};
	return (unsigned)m < ARRAY_LEN(words) ? words[m] : NULL;
}

const char *row_state_word(const struct conn_row *r)
{
	return flow_state_word(r->state);
}

/* SNI and Host name the responder: they describe the remote end only when
 * the local side initiated. */
const char *row_remote_name(const struct conn_row *r, enum name_source *src)
{
	static const struct {
		enum meta_key key;
		enum name_source src;
	} claims[] = { { META_SNI, NAME_SNI }, { META_HTTP_HOST, NAME_HTTP } };
	for (size_t i = 0; row_local_index(r) == 0 && i < ARRAY_LEN(claims); i++) {
		const char *s = meta_str(&r->meta, claims[i].key);
		if (s && *s) {
			if (src)
				*src = claims[i].src;
			return s;
		}
	}
	if (src)
		*src = NAME_NONE;
	return NULL;
}

const char *row_peer_name(const struct conn_row *r, enum name_source *src)
{
	if (r->peer_name && r->peer_name_source == NAME_DNS) {
		*src = NAME_DNS;
		return r->peer_name;
	}
	const char *claimed = row_remote_name(r, src);
	if (claimed)
		return claimed;
	if (r->peer_name) {
		*src = (enum name_source)r->peer_name_source;
		return r->peer_name;
	}
	*src = NAME_NONE;
	return NULL;
}

const char *name_source_word(enum name_source src)
{
	static const char *const words[] = {
		[NAME_DNS] = "dns", [NAME_SNI] = "sni", [NAME_HTTP] = "http", [NAME_PTR] = "ptr",
	};
	return (unsigned)src < ARRAY_LEN(words) ? words[src] : NULL;
}

const char *row_service(const struct conn_row *r)
{
	const char *a = meta_app_name(&r->meta, r->dport);
	if (a)
		return a;
	if (!row_has_ports(r))
		return NULL;
	a = service_name(r->l4, r->dport);
	return a ? a : service_name(r->l4, r->sport);
}
