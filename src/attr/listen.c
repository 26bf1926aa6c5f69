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

static bool is_listener(const struct attr_sock *s)
{
	return (s->l4 == L4_TCP && s->state == TCP_LISTEN) ||
	       (s->l4 == L4_UDP && s->state == UDP_UNCONN);
}

static void keep_listener(void *ctx, const struct attr_sock *s)
{
	struct listen_vec *lv = ctx;

	if (!is_listener(s))
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

/* A listener's facts; prev is the one before it (sorted by namespace: a
 * namespace's name is looked up once). */
static void fill_listener(const char *proc_root, const struct attr_sock *s,
			  const struct attr_listener *prev, struct attr_listener *l)
{
	memset(l, 0, sizeof *l);
	l->l4 = s->l4;
	l->family = s->family;
	memcpy(l->addr, s->laddr, 16);
	l->port = s->lport;
	l->netns = s->netns;
	l->uid = s->uid;
	attr_user_name(s->uid, l->user, sizeof l->user);
	if (prev && prev->netns == s->netns)
		memcpy(l->netns_name, prev->netns_name, sizeof l->netns_name);
	else if (s->netns)
		netns_name(s->netns, l->netns_name, sizeof l->netns_name);
	if (s->pid > 0 && !attr_proc_read(proc_root, s->pid, &l->proc))
		memset(&l->proc, 0, sizeof l->proc); /* it exited since the scan */
}

int attr_listening(const char *proc_root, attr_listener_fn fn, void *ctx,
		   struct attr_listen_reach *out, struct wt_err *err)
{
	struct attr_scanner *sc;
	struct listen_vec lv = { NULL, 0, 0 };
	struct attr_reach reach;
	struct attr_listener l[2]; /* this one and the one before */
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
	qsort(lv.v, lv.n, sizeof *lv.v, cmp_listener);
	for (size_t i = 0; i < lv.n; i++) {
		struct attr_listener *cur = &l[i % 2], *prev = i ? &l[(i + 1) % 2] : NULL;
		fill_listener(proc_root, &lv.v[i], prev, cur);
		fn(ctx, cur);
	}
	out->sockets = (uint32_t)lv.n;
	free(lv.v);
	return 0;
}
