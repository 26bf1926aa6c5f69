/* listen.c - the machine's own endpoints: every listening TCP socket and
 * bound (unconnected) UDP socket of each network namespace this process
 * can see, with the process holding it, for `wiretop --listening`.
 *
 * One socket-table scan (scan.c: sock_diag for our namespace, the
 * /proc/<pid>/net tables of a process living in each other one), the
 * owner's facts from /proc (proc.c), and the namespace's name when
 * `ip netns` gave it one (a bind mount under /run/netns whose inode is the
 * namespace's). Runs in the calling thread; no attribution thread needed.
 */
#include "attr/attr_int.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/clock.h"
#include "base/sanitize.h"
#include "base/xalloc.h"
#include "decode/pkt.h"

#define TCP_LISTEN 10 /* the kernel's TCP_LISTEN */
#define UDP_UNCONN 7  /* TCP_CLOSE: a UDP socket bound but not connected */
#define NETNS_DIR "/run/netns"

struct listen_vec {
	struct attr_sock *v;
	size_t n, cap;
};

bool attr_is_listener(const struct attr_sock *s)
{
	return (s->l4 == L4_TCP && s->state == TCP_LISTEN) ||
	       (s->l4 == L4_UDP && s->state == UDP_UNCONN);
}

static void keep_listener(void *ctx, const struct attr_sock *s)
{
	struct listen_vec *lv = ctx;

	if (!attr_is_listener(s))
		return;
	if (lv->n == lv->cap) {
		lv->cap = lv->cap ? lv->cap * 2 : 64;
		lv->v = xrealloc(lv->v, lv->cap * sizeof *lv->v);
	}
	lv->v[lv->n++] = *s;
}

static int cmp_u64(uint64_t a, uint64_t b) { return (a > b) - (a < b); }

/* Namespace, then protocol, family, port and address: stable output. */
static int cmp_listener(const void *pa, const void *pb)
{
	const struct attr_sock *a = pa, *b = pb;
	int c = cmp_u64(a->netns, b->netns);

	if (!c)
		c = cmp_u64(a->l4, b->l4);
	if (!c)
		c = cmp_u64(a->family, b->family);
	if (!c)
		c = cmp_u64(a->lport, b->lport);
	if (!c)
		c = memcmp(a->laddr, b->laddr, 16);
	if (!c)
		c = cmp_u64(a->inode, b->inode);
	return c;
}

/* The `ip netns` name of namespace id, "" when it has none. */
static void netns_name(uint64_t id, char *out, size_t cap)
{
	DIR *d = opendir(NETNS_DIR);
	struct dirent *e;

	out[0] = '\0';
	while (d && (e = readdir(d)) != NULL) {
		char path[sizeof NETNS_DIR + 256];
		struct stat st;
		if (e->d_name[0] == '.')
			continue;
		snprintf(path, sizeof path, "%s/%s", NETNS_DIR, e->d_name);
		if (stat(path, &st) == 0 && (uint64_t)st.st_ino == id) {
			sanitize_copy(out, cap, (const uint8_t *)e->d_name, strlen(e->d_name));
			break;
		}
	}
	if (d)
		closedir(d);
}

/* When a process started, in microseconds since the epoch, from its start
 * in clock ticks after boot; 0 unknown. */
static uint64_t started_us(uint64_t ticks)
{
	long hz = sysconf(_SC_CLK_TCK);
	uint64_t real = clock_ns(CLOCK_REALTIME), boot = clock_ns(CLOCK_BOOTTIME);

	if (!ticks || hz <= 0 || !real || !boot || boot > real)
		return 0;
	return (real - boot) / NS_PER_US + ticks * US_PER_SEC / (uint64_t)hz;
}

/* The owner's facts: what the attribution thread has of it (a, no I/O),
 * else what /proc says now. */
static void read_owner(struct attr *a, const char *proc_root, int32_t pid,
		       struct attr_proc_detail *d)
{
	if (a && attr_lookup_detail(a, pid, d) && !d->exited)
		return;
	if (!attr_proc_read(proc_root, pid, d))
		memset(d, 0, sizeof *d); /* it exited since the scan */
}

/* The user names of one listing: each getpwuid_r reads the user database
 * anew (a few tens of microseconds; 14 ms for 400 sockets, most of a
 * listing), while a machine's sockets belong to a handful of users. */
#define USERS_HELD 16
struct users {
	uint32_t uid[USERS_HELD];
	char name[USERS_HELD][ROW_USER_MAX];
	unsigned n;
};

static void user_of(struct users *u, uint32_t uid, char out[ROW_USER_MAX])
{
	for (unsigned i = 0; i < u->n; i++)
		if (u->uid[i] == uid) {
			memcpy(out, u->name[i], ROW_USER_MAX);
			return;
		}
	attr_user_name(uid, out, ROW_USER_MAX);
	if (u->n < USERS_HELD) {
		u->uid[u->n] = uid;
		memcpy(u->name[u->n++], out, ROW_USER_MAX);
	}
}

/* A listener's facts; prev is the one before it (sorted by namespace: a
 * namespace's name is looked up once). */
static void fill_listener(struct attr *a, const char *proc_root, struct users *users,
			  const struct attr_sock *s, const struct attr_listener *prev,
			  struct attr_listener *l)
{
	memset(l, 0, sizeof *l);
	l->l4 = s->l4;
	l->family = s->family;
	memcpy(l->addr, s->laddr, 16);
	l->port = s->lport;
	l->netns = s->netns;
	l->uid = s->uid;
	user_of(users, s->uid, l->user);
	if (prev && prev->netns == s->netns)
		memcpy(l->netns_name, prev->netns_name, sizeof l->netns_name);
	else if (s->netns)
		netns_name(s->netns, l->netns_name, sizeof l->netns_name);
	if (s->pid > 0)
		read_owner(a, proc_root, s->pid, &l->proc);
	l->started_us = l->proc.ref.pid > 0 ? started_us(l->proc.start_ticks) : 0;
}

/* Sorted, each filled and handed to fn. */
static void emit(struct attr *a, const char *proc_root, struct listen_vec *lv,
		 attr_listener_fn fn, void *ctx)
{
	struct attr_listener l[2]; /* this one and the one before */
	struct users users = { .n = 0 };

	qsort(lv->v, lv->n, sizeof *lv->v, cmp_listener);
	for (size_t i = 0; i < lv->n; i++) {
		struct attr_listener *cur = &l[i % 2], *prev = i ? &l[(i + 1) % 2] : NULL;
		fill_listener(a, proc_root, &users, &lv->v[i], prev, cur);
		fn(ctx, cur);
	}
}

int attr_listening(const char *proc_root, attr_listener_fn fn, void *ctx,
		   struct attr_listen_reach *out, struct wt_err *err)
{
	struct attr_scanner *sc;
	struct listen_vec lv = { NULL, 0, 0 };
	struct attr_reach reach;
	int rc;

	if (!proc_root)
		proc_root = "/proc";
	sc = attr_scanner_new(proc_root, ATTR_TABLES_DIAG);
	rc = attr_scanner_run(sc, keep_listener, &lv, &reach);
	attr_scanner_free(sc);
	memset(out, 0, sizeof *out);
	out->procs = reach.procs;
	out->procs_hidden = reach.procs_hidden;
	out->netns = reach.netns;
	if (rc < 0) {
		free(lv.v);
		return wt_err_set(err, WT_ERR_SYSTEM,
				  "neither sock_diag nor %s/net lists this namespace's sockets",
				  proc_root);
	}
	emit(NULL, proc_root, &lv, fn, ctx);
	out->sockets = (uint32_t)lv.n;
	free(lv.v);
	return 0;
}

/* The attribution thread's scans run in the helper when there is one,
 * which names every user's processes after this one has dropped its
 * privileges: the listing is the last scan's, and asking for it asks for
 * the next. The helper is sent nothing new: a scan request is a number. */
int attr_listening_of(struct attr *a, attr_listener_fn fn, void *ctx,
		      struct attr_listen_reach *out, struct wt_err *err)
{
	struct listen_vec lv = { NULL, 0, 0 };
	struct attr_reach reach;
	bool have;

	if (!a || !a->be->tables)
		return attr_listening(a ? a->proc_root : NULL, fn, ctx, out, err);
	pthread_mutex_lock(&a->mu);
	have = a->listen_have;
	if (have && a->listen_n) {
		lv.v = xmalloc(a->listen_n * sizeof *lv.v);
		memcpy(lv.v, a->listen_v, a->listen_n * sizeof *lv.v);
		lv.n = lv.cap = a->listen_n;
	}
	reach = a->listen_reach;
	a->want_scan = true;
	attr_wake_locked(a);
	pthread_mutex_unlock(&a->mu);
	if (!have) /* no scan yet: this once, what this process can see */
		return attr_listening(a->proc_root, fn, ctx, out, err);
	memset(out, 0, sizeof *out);
	out->procs = reach.procs;
	out->procs_hidden = reach.procs_hidden;
	out->netns = reach.netns;
	emit(a, a->proc_root, &lv, fn, ctx);
	out->sockets = (uint32_t)lv.n;
	free(lv.v);
	return 0;
}
