/* scan.c - one scan of the socket tables of every network namespace this
 * process can see, each socket joined to the process holding it.
 *
 * Our namespace's table comes from sock_diag (or /proc/net); another
 * namespace's from the /proc/<pid>/net tables of one process living in
 * it, found by reading each process's ns/net link. A socket inode is
 * joined to a pid through /proc/<pid>/fd, walked only when an inode is new
 * since the last scan. Reading another user's ns/net and fd links takes
 * CAP_SYS_PTRACE (and CAP_DAC_READ_SEARCH for the fd directory): without
 * them those processes are counted as hidden, and their sockets come out
 * without an owner.
 *
 * Used by the attribution thread (in this process) or by the attribution
 * helper (helperd.c), which holds those capabilities after wiretop has
 * dropped its own. One thread at a time per scanner.
 */
#include "attr/attr_int.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/xalloc.h"

#define NETNS_MAX 1024 /* namespaces listed per scan */

struct attr_scanner {
	char proc_root[PATH_MAX];
	enum attr_tables tables;
	int diag_fd;                /* -1: not open (yet, or after a failure) */
	uint64_t own_netns;         /* 0: unknown */
	struct attr_lru *inodes;    /* socket inode -> pid; 0 looked for, not found */
};

struct netns_ref {
	uint64_t netns;
	int32_t pid; /* a process living in it */
};

/* The sockets of one scan, before they are joined to pids. */
struct sock_vec {
	struct attr_sock *v;
	size_t n, cap;
	uint64_t netns; /* of the table being read */
};

struct attr_scanner *attr_scanner_new(const char *proc_root, enum attr_tables tables)
{
	struct attr_scanner *s = xcalloc(1, sizeof *s);

	snprintf(s->proc_root, sizeof s->proc_root, "%s", proc_root);
	s->tables = tables;
	s->diag_fd = -1;
	s->own_netns = attr_netns_of(proc_root, "self");
	s->inodes = attr_lru_new(65536, sizeof(uint64_t), sizeof(uint64_t), sizeof(int32_t));
	return s;
}

void attr_scanner_free(struct attr_scanner *s)
{
	if (!s)
		return;
	if (s->diag_fd >= 0)
		close(s->diag_fd);
	attr_lru_free(s->inodes);
	free(s);
}

static void collect(void *ctx, const struct attr_sock *s)
{
	struct sock_vec *sv = ctx;

	if (!s->inode)
		return; /* TIME_WAIT, orphans: nobody to name */
	if (sv->n == sv->cap) {
		sv->cap = sv->cap ? sv->cap * 2 : 256;
		sv->v = xrealloc(sv->v, sv->cap * sizeof *sv->v);
	}
	sv->v[sv->n] = *s;
	sv->v[sv->n].netns = sv->netns;
	sv->n++;
}

/* Our namespace: sock_diag when asked for and working (ping sockets are
 * not in it: /proc/net/icmp), else /proc/net. */
static int list_own(struct attr_scanner *s, struct sock_vec *sv)
{
	char why[256];

	sv->netns = s->own_netns;
	if (s->tables == ATTR_TABLES_DIAG) {
		if (s->diag_fd < 0)
			s->diag_fd = attr_diag_socket();
		if (s->diag_fd >= 0 && attr_diag_dump(s->diag_fd, collect, sv, why, sizeof why) == 0) {
			attr_procfs_list(s->proc_root, ATTR_PROCFS_ICMP, collect, sv);
			return 0;
		}
		/* a dump that failed half way may leave replies queued: start afresh */
		if (s->diag_fd >= 0)
			close(s->diag_fd);
		s->diag_fd = -1;
		sv->n = 0;
	}
	return attr_procfs_list(s->proc_root, ATTR_PROCFS_ALL, collect, sv) < 0 ? -1 : 0;
}

static bool known_netns(const struct netns_ref *ns, size_t n, uint64_t id)
{
	for (size_t i = 0; i < n; i++)
		if (ns[i].netns == id)
			return true;
	return false;
}

/* Every process's namespace: one process per namespace other than ours
 * into ns (at most cap), the census into reach. */
static size_t find_netns(struct attr_scanner *s, struct netns_ref *ns, size_t cap,
			 struct attr_reach *reach)
{
	DIR *d = opendir(s->proc_root);
	struct dirent *e;
	size_t n = 0;

	while (d && (e = readdir(d)) != NULL) {
		int32_t pid = attr_pid_of(e->d_name);
		uint64_t id;
		if (pid <= 0)
			continue;
		id = attr_netns_of(s->proc_root, e->d_name);
		if (!id && errno != EACCES && errno != EPERM)
			continue; /* gone, or a zombie: no sockets */
		reach->procs++;
		if (!id) {
			reach->procs_hidden++; /* another user's */
			continue;
		}
		if (id == s->own_netns || n == cap || known_netns(ns, n, id))
			continue;
		ns[n].netns = id;
		ns[n].pid = pid;
		n++;
	}
	if (d)
		closedir(d);
	return n;
}

/* Another namespace's TCP and UDP tables, as /proc/<pid>/net shows them.
 * The kernel walks every socket of the host for each of those files, so
 * ping sockets (seldom a peer) are left out of this per-namespace cost. */
static void list_other(struct attr_scanner *s, const struct netns_ref *ns, struct sock_vec *sv,
		       struct attr_reach *reach)
{
	char root[ATTR_PATH_BUF];

	snprintf(root, sizeof root, "%s/%d", s->proc_root, (int)ns->pid);
	sv->netns = ns->netns;
	if (attr_procfs_list(root, ATTR_PROCFS_TCP | ATTR_PROCFS_UDP, collect, sv) >= 0)
		reach->netns++;
}

static bool want_inode(void *ctx, uint64_t inode)
{
	struct attr_scanner *s = ctx;
	const int32_t *pid = attr_lru_get(s->inodes, &inode);
	return pid && *pid == 0;
}

static void found_inode(void *ctx, uint64_t inode, int32_t pid)
{
	struct attr_scanner *s = ctx;
	int32_t *p = attr_lru_get(s->inodes, &inode);

	if (p && *p == 0)
		*p = pid;
}

/* inode -> pid for every socket; walks /proc/<pid>/fd only when some inode
 * is new since the last scan. */
static void join_inodes(struct attr_scanner *s, struct sock_vec *sv)
{
	bool unknown = false;

	for (size_t i = 0; i < sv->n; i++) {
		bool fresh;
		attr_lru_put(s->inodes, &sv->v[i].inode, &fresh);
		unknown |= fresh;
	}
	if (unknown)
		attr_procfs_scan_fds(s->proc_root, want_inode, found_inode, s);
	for (size_t i = 0; i < sv->n; i++) {
		const int32_t *pid = attr_lru_get(s->inodes, &sv->v[i].inode);
		sv->v[i].pid = pid ? *pid : 0;
	}
}

int attr_scanner_run(struct attr_scanner *s, attr_sock_fn fn, void *ctx, struct attr_reach *reach)
{
	struct netns_ref *ns = xmalloc(NETNS_MAX * sizeof *ns);
	struct sock_vec sv = { NULL, 0, 0, 0 };
	size_t nns;
	int rc;

	memset(reach, 0, sizeof *reach);
	nns = find_netns(s, ns, NETNS_MAX, reach);
	rc = list_own(s, &sv);
	if (rc == 0)
		reach->netns++;
	for (size_t i = 0; i < nns; i++)
		list_other(s, &ns[i], &sv, reach);
	join_inodes(s, &sv);
	for (size_t i = 0; i < sv.n; i++)
		fn(ctx, &sv.v[i]);
	free(sv.v);
	free(ns);
	return rc;
}
