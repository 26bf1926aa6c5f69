/* table.c - the socket -> owner tables behind attr_lookup, and how facts
 * from the back ends get into them.
 *
 * Thread rules: functions marked "thread" run on the attribution thread
 * only and may do I/O with the lock released; functions marked "locked"
 * expect a->mu held and do no I/O. Readers (attr.c) only ever take a->mu
 * briefly around "locked" functions.
 *
 * Tables (all bounded, least recently used out first; slots are allocated
 * as they fill, so the caps below cost memory only under that much churn):
 *   flows   (l4, family, local, remote, netns) -> owner   connected sockets
 *   ports   (l4, family|0, addr|any, port, netns) -> owner bound / listening
 *   procs   pid -> details, kept after the process exits
 *   users   uid -> name, cgroups id -> path
 */
#include "attr/attr_int.h"

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "base/clock.h"
#include "base/macros.h"
#include "base/sanitize.h"
#include "base/strpool.h"
#include "base/xalloc.h"
#include "decode/pkt.h"

#define RECHECK_MS 2000 /* re-read a live process's /proc entry after this */

struct flow_key {
	uint8_t l4, family;
	uint16_t lport, rport;
	uint8_t pad[2];
	uint8_t laddr[16], raddr[16];
	uint64_t netns;
};

#define FLOW_HASHED offsetof(struct flow_key, netns)

struct flow_val {
	struct proc_ref ref;
	uint64_t cgroup_id;
	uint64_t seq;     /* store order: the newer of two matches wins */
	uint8_t source;
	bool preexisting; /* found by the scan at start, not seen since in its own context */
};

struct proc_val {
	struct attr_proc_detail d;
	uint64_t checked_ms;
	char comm[16];     /* /proc/<pid>/comm when read, to notice an exec */
	char alt_comm[16]; /* a thread name already known to belong here */
};

struct user_val {
	char name[ROW_USER_MAX];
};

struct cg_val {
	char path[ATTR_CGROUP_MAX];
};

void attr_tables_init(struct attr *a)
{
	a->flows = attr_lru_new(65536, sizeof(struct flow_key), FLOW_HASHED, sizeof(struct flow_val));
	a->ports = attr_lru_new(8192, sizeof(struct flow_key), FLOW_HASHED, sizeof(struct flow_val));
	a->procs = attr_lru_new(4096, sizeof(int32_t), sizeof(int32_t), sizeof(struct proc_val));
	a->misses = attr_lru_new(4096, sizeof(struct flow_key), sizeof(struct flow_key),
				 sizeof(uint64_t));
	a->users = attr_lru_new(256, sizeof(uint32_t), sizeof(uint32_t), sizeof(struct user_val));
	a->cgroups = attr_lru_new(1024, sizeof(uint64_t), sizeof(uint64_t), sizeof(struct cg_val));
	a->names = strpool_new();
}

void attr_tables_free(struct attr *a)
{
	attr_lru_free(a->flows);
	attr_lru_free(a->ports);
	attr_lru_free(a->procs);
	attr_lru_free(a->misses);
	attr_lru_free(a->users);
	attr_lru_free(a->cgroups);
	strpool_free(a->names); /* rows still holding names keep it */
	free(a->listen_v);
}

void attr_row_proc(struct attr *a, struct row_proc *dst, const struct proc_ref *src)
{
	row_proc_set(dst, a->names, src);
}

/* What a row's place is made of, copied out of the procs table so that
 * the pool is asked without a->mu held. */
struct place_copy {
	char unit[ATTR_UNIT_MAX], container[ATTR_CONTAINER_MAX], pod[ATTR_POD_MAX];
	struct attr_parent parents[ATTR_PARENTS_MAX];
	char pids[ATTR_PARENTS_MAX][12];
	uint8_t nparents;
};

static void place_parts(struct place_copy *c, const char *parts[ROW_PLACE_PARTS])
{
	parts[ROW_PLACE_UNIT] = c->unit;
	parts[ROW_PLACE_CONTAINER] = c->container;
	parts[ROW_PLACE_POD] = c->pod;
	for (unsigned i = 0; i < ATTR_PARENTS_MAX; i++) {
		const char **p = &parts[ROW_PLACE_PARENTS + 3 * i];
		bool known = i < c->nparents;
		snprintf(c->pids[i], sizeof c->pids[i], "%d", known ? (int)c->parents[i].pid : 0);
		p[0] = known ? c->pids[i] : "";
		p[1] = known ? c->parents[i].name : "";
		p[2] = known ? c->parents[i].exe : "";
	}
}

void attr_row_place(struct attr *a, const char **place, int32_t pid)
{
	struct place_copy c;
	const char *parts[ROW_PLACE_PARTS];
	const struct proc_val *pv;

	memset(&c, 0, offsetof(struct place_copy, parents));
	c.nparents = 0;
	pthread_mutex_lock(&a->mu);
	pv = pid > 0 ? attr_lru_get(a->procs, &pid) : NULL;
	if (pv) {
		memcpy(c.unit, pv->d.unit, sizeof c.unit);
		memcpy(c.container, pv->d.container, sizeof c.container);
		memcpy(c.pod, pv->d.pod, sizeof c.pod);
		c.nparents = pv->d.nparents;
		memcpy(c.parents, pv->d.parents, c.nparents * sizeof c.parents[0]);
	}
	pthread_mutex_unlock(&a->mu);
	place_parts(&c, parts);
	strpool_put(*place);
	*place = strpool_get_parts(a->names, parts, ROW_PLACE_PARTS);
}

uint8_t attr_fold_family(uint8_t family, uint8_t laddr[16], uint8_t raddr[16])
{
	static const uint8_t mapped[12] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff };
	static const uint8_t zero[16];
	bool lm = memcmp(laddr, mapped, 12) == 0, rm = memcmp(raddr, mapped, 12) == 0;
	bool lz = memcmp(laddr, zero, 16) == 0, rz = memcmp(raddr, zero, 16) == 0;

	if (family != 6 || !(lm || rm) || !(lm || lz) || !(rm || rz))
		return family;
	memmove(laddr, laddr + 12, 4);
	memset(laddr + 4, 0, 12);
	memmove(raddr, raddr + 12, 4);
	memset(raddr + 4, 0, 12);
	return 4;
}

static bool is_zero16(const uint8_t a[16])
{
	static const uint8_t zero[16];
	return memcmp(a, zero, 16) == 0;
}

/* ---- locals (locked) ------------------------------------------------------- */

void attr_locals_add(struct attr *a, uint8_t family, const uint8_t addr[16])
{
	if (is_zero16(addr) || a->nlocals >= ATTR_LOCALS_MAX)
		return;
	for (uint32_t i = 0; i < a->nlocals; i++)
		if (a->locals[i].family == family && memcmp(a->locals[i].addr, addr, 16) == 0)
			return;
	a->locals[a->nlocals].family = family;
	memcpy(a->locals[a->nlocals].addr, addr, 16);
	a->nlocals++;
}

bool attr_is_local(const struct attr *a, uint8_t family, const uint8_t addr[16])
{
	static const uint8_t lo6[16] = { [15] = 1 };

	if (family == 4 && addr[0] == 127)
		return true;
	if (family == 6 && memcmp(addr, lo6, 16) == 0)
		return true;
	for (uint32_t i = 0; i < a->nlocals; i++)
		if (a->locals[i].family == family && memcmp(a->locals[i].addr, addr, 16) == 0)
			return true;
	return false;
}

/* ---- lookups (locked) ------------------------------------------------------ */

/* Which namespaces a lookup may answer from: the captured interface's (ours)
 * or another one of this host's. */
enum ns_scope { NS_OURS, NS_OTHER };

/* Our namespace's entry for this key; or (NS_OTHER) the entry of another
 * namespace when exactly one has the key: two namespaces with the same
 * tuple and neither ours is ambiguous, no answer. */
static const struct flow_val *match_netns(struct attr_lru *t, const struct flow_key *k,
					  uint64_t own, enum ns_scope scope)
{
	const void *kp, *other = NULL;
	uint32_t it = 0;
	int others = 0;

	while (attr_lru_match(t, k, &it, &kp) != NULL) {
		const struct flow_key *fk = kp;
		if (fk->netns == own) {
			if (scope == NS_OURS)
				return attr_lru_get(t, kp); /* a hit keeps the entry fresh */
			continue;
		}
		other = kp;
		others++;
	}
	return scope == NS_OTHER && others == 1 ? attr_lru_get(t, other) : NULL;
}

static void flow_key_make(struct flow_key *k, uint8_t l4, uint8_t family, const uint8_t *laddr,
			  uint16_t lport, const uint8_t *raddr, uint16_t rport)
{
	memset(k, 0, sizeof *k);
	k->l4 = l4;
	k->family = family;
	k->lport = lport;
	k->rport = rport;
	if (laddr)
		memcpy(k->laddr, laddr, 16);
	if (raddr)
		memcpy(k->raddr, raddr, 16);
}

/* One end of a connection: the socket at (addr, port) talking to (peer, pport). */
struct conn_end {
	uint8_t l4, family;
	const uint8_t *addr, *peer;
	uint16_t port, pport;
};

/* Connected entry for the end, also one whose local address is "any" (an
 * unconnected UDP socket reported by send/recv). */
static const struct flow_val *find_flow(struct attr *a, const struct conn_end *e,
					enum ns_scope scope)
{
	struct flow_key k;
	const struct flow_val *exact, *any;

	flow_key_make(&k, e->l4, e->family, e->addr, e->port, e->peer, e->pport);
	exact = match_netns(a->flows, &k, a->netns, scope);
	memset(k.laddr, 0, 16);
	any = match_netns(a->flows, &k, a->netns, scope);
	/* a reused port: the socket that used the tuple last owns it now */
	if (exact && any)
		return exact->seq > any->seq ? exact : any;
	return exact ? exact : any;
}

/* Owner of a bound local port (listeners, UDP servers). A socket bound to
 * "any" address counts only for an address of our namespace: another
 * namespace's addresses are not known here. */
static const struct flow_val *find_port(struct attr *a, const struct conn_end *e,
					enum ns_scope scope)
{
	struct flow_key k;
	const struct flow_val *v;
	bool ours = attr_is_local(a, e->family, e->addr);

	if (!e->port || (scope == NS_OURS && !ours))
		return NULL;
	flow_key_make(&k, e->l4, e->family, e->addr, e->port, NULL, 0);
	v = match_netns(a->ports, &k, a->netns, scope);
	if (v || !ours)
		return v;
	flow_key_make(&k, e->l4, 0, NULL, e->port, NULL, 0);
	return match_netns(a->ports, &k, a->netns, scope);
}

typedef const struct flow_val *(*find_fn)(struct attr *a, const struct conn_end *e,
					  enum ns_scope scope);

/* The order owners are looked for in: exact sockets before inferred
 * listeners, our namespace before the others; and what an owner found
 * that way is (a bound port's holder is only ever a guess). */
static const struct {
	find_fn find;
	enum ns_scope scope;
	enum proc_match match;
} search_order[] = {
	{ find_flow, NS_OURS, PROC_MATCH_SOCKET },
	{ find_port, NS_OURS, PROC_MATCH_LISTENER },
	{ find_flow, NS_OTHER, PROC_MATCH_NETNS },
	{ find_port, NS_OTHER, PROC_MATCH_LISTENER },
};

#define NSEARCH ARRAY_LEN(search_order)

/* How the owner in v was found at search step `step`. A connected entry
 * eBPF credited to the listener (the accepting process was not seen) is
 * a guess too; one found only by the scan at start is said so, in our
 * namespace (in another, that it is another's says more). */
static enum proc_match match_of(const struct flow_val *v, size_t step)
{
	enum proc_match m = search_order[step].match;

	if (v->source == ATTR_SRC_LISTENER)
		return PROC_MATCH_LISTENER;
	if (m == PROC_MATCH_SOCKET && v->preexisting)
		return PROC_MATCH_PREEXISTING;
	return m;
}

/* The first owner of either end in search order; *side says which end,
 * *match how it was found. */
static const struct flow_val *find_owner(struct attr *a, const struct conn_end ends[2], int *side,
					 enum proc_match *match)
{
	for (size_t i = 0; i < NSEARCH; i++) {
		for (int s = 0; s < 2; s++) {
			const struct flow_val *v =
				search_order[i].find(a, &ends[s], search_order[i].scope);
			if (v) {
				*side = s;
				*match = match_of(v, i);
				return v;
			}
		}
	}
	return NULL;
}

static const struct flow_val *find_end(struct attr *a, const struct conn_end *e)
{
	for (size_t i = 0; i < NSEARCH; i++) {
		const struct flow_val *v = search_order[i].find(a, e, search_order[i].scope);
		if (v)
			return v;
	}
	return NULL;
}

/* The process credited with a connection is the one whose socket lives in
 * the captured interface's namespace (ours), either end; only when ours has
 * none, the one other namespace that has one (a bridge carrying a
 * container's traffic). Its peer is whoever owns the other end, in any
 * namespace (loopback, a veth to a container). */
bool attr_owners_locked(struct attr *a, uint8_t l4, uint8_t family, const uint8_t src[16],
			uint16_t sport, const uint8_t dst[16], uint16_t dport,
			struct attr_owners *out)
{
	const struct conn_end ends[2] = {
		{ l4, family, src, dst, sport, dport },
		{ l4, family, dst, src, dport, sport },
	};
	int side = 0;
	enum proc_match match = PROC_MATCH_NONE;
	const struct flow_val *v = find_owner(a, ends, &side, &match), *peer;

	if (!v)
		return false;
	out->proc = v->ref;
	out->proc_side = (int8_t)side;
	out->proc_match = (uint8_t)match;
	peer = find_end(a, &ends[!side]);
	if (peer)
		out->peer = peer->ref;
	return true;
}

/* First lookup of a missing tuple asks for a scan; once two scans have
 * finished since, the tuple has no owner. */
enum attr_verdict attr_miss_locked(struct attr *a, uint8_t l4, uint8_t family,
				   const uint8_t src[16], uint16_t sport, const uint8_t dst[16],
				   uint16_t dport, bool *ask)
{
	struct flow_key k;
	uint64_t *gen;
	bool fresh;

	*ask = false;
	if (a->nlocals && !attr_is_local(a, family, src) && !attr_is_local(a, family, dst))
		return ATTR_NOT_LOCAL;
	if (!a->be->tables)
		return ATTR_UNKNOWN;
	flow_key_make(&k, l4, family, src, sport, dst, dport);
	gen = attr_lru_put(a->misses, &k, &fresh);
	if (fresh) {
		*gen = a->scan_gen;
		*ask = true;
		return ATTR_UNKNOWN;
	}
	return a->scan_gen >= *gen + 2 ? ATTR_NO_OWNER : ATTR_UNKNOWN;
}

bool attr_detail_locked(struct attr *a, int32_t pid, struct attr_proc_detail *out)
{
	const struct proc_val *pv = attr_lru_get(a->procs, &pid);

	if (!pv)
		return false;
	*out = pv->d;
	return true;
}

/* ---- owners (thread) -------------------------------------------------------- */

static void user_of(struct attr *a, uint32_t uid, char *out, size_t cap)
{
	bool fresh;
	struct user_val *u = attr_lru_put(a->users, &uid, &fresh);

	if (fresh)
		attr_user_name(uid, u->name, sizeof u->name);
	snprintf(out, cap, "%s", u->name);
}

/* Remember which cgroup id a path has, for processes that exit early. */
static void learn_cgroup(struct attr *a, const char *path)
{
	char full[ATTR_PATH_BUF];
	struct stat st;
	struct cg_val *cv;
	uint64_t id;

	if (!a->cgroup_root[0] || !path[0])
		return;
	snprintf(full, sizeof full, "%s%s", a->cgroup_root, path);
	if (stat(full, &st) != 0)
		return;
	id = (uint64_t)st.st_ino;
	cv = attr_lru_put(a->cgroups, &id, NULL);
	snprintf(cv->path, sizeof cv->path, "%s", path);
}

/* Details of a process that is gone, from what the kernel told us. */
static void from_fact(struct attr *a, const struct attr_fact *f, struct attr_proc_detail *d)
{
	const struct cg_val *cv = f->cgroup_id ? attr_lru_get(a->cgroups, &f->cgroup_id) : NULL;

	memset(d, 0, sizeof *d);
	d->ref.pid = f->pid;
	d->ref.uid = f->uid;
	d->exited = true;
	sanitize_copy(d->ref.name, sizeof d->ref.name, (const uint8_t *)f->comm,
		      strnlen(f->comm, sizeof f->comm));
	user_of(a, f->uid, d->ref.user, sizeof d->ref.user);
	if (cv) {
		snprintf(d->cgroup, sizeof d->cgroup, "%s", cv->path);
		attr_place_of(a->runtime_root, d);
	}
}

/* Names from the runtimes' metadata are read once per process and cgroup:
 * a process read again (every RECHECK_MS) in the cgroup it had keeps them.
 * The helper reads them when there is one (their folders are usually
 * root's alone, and this process has dropped to another user); failing
 * that, this process reads what it may. */
static void name_place(struct attr *a, struct attr_proc_detail *d, const struct proc_val *old)
{
	if (old && strcmp(old->d.cgroup, d->cgroup) == 0) {
		memcpy(d->container, old->d.container, sizeof d->container);
		memcpy(d->pod, old->d.pod, sizeof d->pod);
		return;
	}
	if (!d->container_id[0] && !d->pod[0])
		return; /* nothing to name: what the cgroup path says is all */
	if (a->helper && attr_helper_names(a->helper, d->cgroup, d) == 0)
		return;
	attr_place_of(a->runtime_root, d);
}

/* The parents are read once per process: read again (every RECHECK_MS),
 * one that started when it did under the same parent keeps them. The
 * helper reads them when there is one: once this process has dropped
 * privileges (and is confined by Landlock) other processes' executables
 * are out of its reach. */
static void find_parents(struct attr *a, struct attr_proc_detail *d, const struct proc_val *old)
{
	if (old && old->d.start_ticks == d->start_ticks && old->d.ppid == d->ppid) {
		memcpy(d->parents, old->d.parents, sizeof d->parents);
		d->nparents = old->d.nparents;
		return;
	}
	if (a->helper && attr_helper_lineage(a->helper, d->ppid, d) == 0)
		return;
	attr_proc_lineage(a->proc_root, d->ppid, d);
}

static void read_owner(struct attr *a, const struct attr_fact *f, struct proc_val *pv,
		       const struct proc_val *old)
{
	memset(pv, 0, sizeof *pv);
	pv->checked_ms = clock_mono_ms();
	/* gone, or gone half way through reading it */
	if (!attr_proc_read_raw(a->proc_root, f->pid, &pv->d, pv->comm) || !pv->d.ref.name[0]) {
		from_fact(a, f, &pv->d);
		return;
	}
	user_of(a, pv->d.ref.uid, pv->d.ref.user, sizeof pv->d.ref.user);
	pv->d.cgroup_id = f->cgroup_id;
	learn_cgroup(a, pv->d.cgroup);
	name_place(a, &pv->d, old);
	find_parents(a, &pv->d, old);
}

/* Whether the cached entry still describes the process behind f. */
static bool still_valid(struct proc_val *pv, const struct attr_fact *f, uint64_t now)
{
	if (pv->d.exited || now - pv->checked_ms >= RECHECK_MS)
		return false;
	if (!f->comm[0] || strncmp(f->comm, pv->comm, sizeof pv->comm) == 0 ||
	    strncmp(f->comm, pv->alt_comm, sizeof pv->alt_comm) == 0)
		return true;
	/* another thread name, or an exec since: look once more */
	return false;
}

static void resolve_owner(struct attr *a, const struct attr_fact *f, struct proc_ref *ref,
			  uint64_t *cgroup_id)
{
	struct proc_val *pv, nv, old;
	bool had = false;

	pthread_mutex_lock(&a->mu);
	pv = attr_lru_get(a->procs, &f->pid);
	if (pv && still_valid(pv, f, clock_mono_ms())) {
		*ref = pv->d.ref;
		*cgroup_id = pv->d.cgroup_id;
		pthread_mutex_unlock(&a->mu);
		return;
	}
	if (pv && !pv->d.exited) {
		old = *pv;
		had = true;
	}
	pthread_mutex_unlock(&a->mu);

	read_owner(a, f, &nv, had ? &old : NULL);
	if (!nv.d.exited && f->comm[0] && strncmp(f->comm, nv.comm, sizeof nv.comm) != 0)
		snprintf(nv.alt_comm, sizeof nv.alt_comm, "%s", f->comm);

	pthread_mutex_lock(&a->mu);
	pv = attr_lru_put(a->procs, &f->pid, NULL);
	*pv = nv;
	pthread_mutex_unlock(&a->mu);
	*ref = nv.d.ref;
	*cgroup_id = nv.d.cgroup_id;
}

static void store_locked(struct attr *a, const struct attr_fact *f, const struct proc_ref *ref,
			 uint64_t cgroup_id)
{
	struct flow_key k;
	struct flow_val *v;
	bool fresh;

	if (f->bound_only) {
		bool any = is_zero16(f->laddr);
		flow_key_make(&k, f->l4, any ? 0 : f->family, any ? NULL : f->laddr, f->lport,
			      NULL, 0);
	} else {
		flow_key_make(&k, f->l4, f->family, f->laddr, f->lport, f->raddr, f->rport);
	}
	k.netns = f->netns ? f->netns : a->netns;
	v = attr_lru_put(f->bound_only ? a->ports : a->flows, &k, &fresh);
	if (!fresh && v->source > f->source)
		return;
	/* scan_gen counts the scans that have ended: 0 while the one at start
	 * is being stored */
	if (fresh || v->ref.pid != ref->pid)
		v->preexisting = f->source == ATTR_SRC_SCAN && a->scan_gen == 0;
	else if (f->source != ATTR_SRC_SCAN)
		v->preexisting = false; /* seen in its own context since */
	v->ref = *ref;
	v->cgroup_id = cgroup_id;
	v->source = f->source;
	v->seq = ++a->store_seq;
	if (k.netns == a->netns)
		attr_locals_add(a, f->family, f->laddr);
	a->st.entries = attr_lru_count(a->flows);
}

void attr_ingest(struct attr *a, const struct attr_fact *f)
{
	struct proc_ref ref;
	uint64_t cgroup_id = 0;

	if (f->pid <= 0)
		return;
	if (!f->bound_only && is_zero16(f->raddr))
		return; /* an unconnected ping socket says nothing about a flow */
	resolve_owner(a, f, &ref, &cgroup_id);
	if (!cgroup_id)
		cgroup_id = f->cgroup_id;
	pthread_mutex_lock(&a->mu);
	store_locked(a, f, &ref, cgroup_id);
	pthread_mutex_unlock(&a->mu);
}

/* A pid a reader asked about: resolve it so the next call finds it. */
void attr_resolve_pid(struct attr *a, int32_t pid)
{
	struct attr_fact f;
	struct proc_ref ref;
	uint64_t cg;

	memset(&f, 0, sizeof f);
	f.pid = pid;
	if (pid > 0)
		resolve_owner(a, &f, &ref, &cg);
}

/* ---- scans (thread) ---------------------------------------------------------- */

static void fact_of_sock(const struct attr_sock *s, struct attr_fact *f)
{
	memset(f, 0, sizeof *f);
	f->l4 = s->l4;
	f->family = s->family;
	f->lport = s->lport;
	f->rport = s->rport;
	memcpy(f->laddr, s->laddr, 16);
	memcpy(f->raddr, s->raddr, 16);
	f->bound_only = s->rport == 0 && is_zero16(s->raddr);
	f->source = ATTR_SRC_SCAN;
	f->netns = s->netns;
	f->pid = s->pid;
	f->uid = s->uid;
}

/* A scan's sockets with an owner, kept until the scan has ended: ingesting
 * one may ask the helper to name a container, which it must not be asked
 * while it is still sending the scan. Its listening and bound sockets,
 * owned or not, are kept apart for the machine's listing
 * (attr_listening_of). */
struct sock_vec {
	struct attr_sock *v;
	size_t n, cap;
};

struct sock_list {
	struct sock_vec owned, listeners;
};

static void push_sock(struct sock_vec *l, const struct attr_sock *s)
{
	if (l->n == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 256;
		l->v = xrealloc(l->v, l->cap * sizeof *l->v);
	}
	l->v[l->n++] = *s;
}

static void collect_sock(void *ctx, const struct attr_sock *s)
{
	struct sock_list *l = ctx;

	if (attr_is_listener(s))
		push_sock(&l->listeners, s);
	if (s->pid > 0)
		push_sock(&l->owned, s);
}

int attr_run_scan(struct attr *a)
{
	struct attr_reach reach;
	struct sock_list l = { { NULL, 0, 0 }, { NULL, 0, 0 } };
	int rc = attr_scan(a, collect_sock, &l, &reach);
	struct attr_sock *old;

	for (size_t i = 0; i < l.owned.n; i++) {
		struct attr_fact f;
		fact_of_sock(&l.owned.v[i], &f);
		attr_ingest(a, &f);
	}
	free(l.owned.v);
	pthread_mutex_lock(&a->mu);
	old = a->listen_v;
	a->listen_v = l.listeners.v;
	a->listen_n = l.listeners.n;
	a->listen_reach = reach;
	a->listen_have = rc >= 0;
	a->scan_gen++;
	a->st.scans++;
	a->reach = reach;
	a->scanned = true;
	a->scan_failing = rc < 0;
	pthread_mutex_unlock(&a->mu);
	free(old);
	return rc;
}
