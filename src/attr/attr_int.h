/* attr_int.h - shared by the files of src/attr: the context, the back-end
 * ops table and the helpers the back ends call. Not for other modules.
 */
#ifndef WT_ATTR_ATTR_INT_H
#define WT_ATTR_ATTR_INT_H

#include <limits.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "attr/attr.h"
#include "attr/lru.h"

#define ATTR_NOTES_MAX 512
#define ATTR_PATH_BUF (PATH_MAX + 320) /* a root or cgroup dir plus what we append */
#define ATTR_LOCALS_MAX 64
#define ATTR_WANT_PIDS 16

struct attr;

/* One back end. open() runs on the opening thread; everything else on the
 * attribution thread. */
struct attr_backend {
	const char *name;                               /* as attr_backend_name shows it */
	int (*open)(struct attr *a, char *why, size_t cap); /* 0, or -1 with why filled */
	void (*close)(struct attr *a);
	int (*fd)(struct attr *a);                      /* wait for readable; -1 none */
	void (*ready)(struct attr *a);                  /* fd became readable */
	/* lists the sockets of this network namespace; -1 when it failed */
	int (*scan)(struct attr *a, attr_sock_fn fn, void *ctx);
	uint32_t period_ms;                             /* periodic scans; 0 on demand only */
};

extern const struct attr_backend attr_be_ebpf, attr_be_diag, attr_be_procfs, attr_be_none;

/* Where a table entry came from: a later source of equal or higher rank
 * replaces it, a lower one only fills a gap. */
enum attr_source {
	ATTR_SRC_SCAN = 1,     /* socket table scan (sock_diag, procfs) */
	ATTR_SRC_LISTENER = 2, /* eBPF, owner inferred from the listening socket */
	ATTR_SRC_EVENT = 3,    /* eBPF, owner seen in the socket's own context */
};

/* A socket -> owner fact from any back end, before names are resolved. */
struct attr_fact {
	uint8_t l4, family;      /* family 4 or 6, already folded from v4-mapped */
	uint16_t lport, rport;
	uint8_t laddr[16], raddr[16];
	bool bound_only;         /* a bound or listening socket: no peer */
	uint8_t source;          /* enum attr_source */
	uint64_t netns;          /* 0: this namespace */
	int32_t pid;
	uint32_t uid;
	uint64_t cgroup_id;
	char comm[16];           /* thread name from the kernel; may be "" */
};

struct attr_addr {
	uint8_t family;
	uint8_t addr[16];
};

struct attr {
	const struct attr_backend *be;
	void *be_state;                 /* owned by the back end */
	char proc_root[PATH_MAX];
	char notes[ATTR_NOTES_MAX];
	uint64_t netns;                 /* our network namespace (nsfs inode); 0 unknown */
	int wake_rd, wake_wr;           /* self-pipe: readers wake the thread */
	pthread_t thread;
	bool started;

	pthread_mutex_t mu;             /* guards everything down to the next comment */
	bool stop;
	bool wake_pending;
	bool want_scan;                 /* a lookup missed since the last scan */
	struct attr_lru *flows;         /* flow key -> struct attr_flow_val */
	struct attr_lru *ports;         /* bound ports -> struct attr_flow_val */
	struct attr_lru *procs;         /* pid -> struct attr_proc_val */
	struct attr_lru *misses;        /* flow key -> scan generation of the first miss */
	struct attr_addr locals[ATTR_LOCALS_MAX];
	uint32_t nlocals;
	uint64_t scan_gen;
	uint64_t store_seq;             /* counts stores into flows and ports */
	int32_t want_pids[ATTR_WANT_PIDS];
	uint32_t nwant_pids;
	struct attr_stats st;

	/* attribution thread only */
	struct attr_lru *users;         /* uid -> name */
	struct attr_lru *inodes;        /* socket inode -> pid */
	struct attr_lru *cgroups;       /* cgroup id -> path */
	char cgroup_root[PATH_MAX];     /* cgroup v2 mount point, "" unknown */
};

/* ---- tables (table.c) ------------------------------------------------------
 * "locked": caller holds a->mu, no I/O. Others: attribution thread only. */
void attr_tables_init(struct attr *a);
void attr_tables_free(struct attr *a);
void attr_locals_add(struct attr *a, uint8_t family, const uint8_t addr[16]); /* locked */
bool attr_is_local(const struct attr *a, uint8_t family, const uint8_t addr[16]); /* locked */
/* Fills out (zeroed by the caller) and returns true when an owner of
 * either end is known. */
bool attr_owners_locked(struct attr *a, uint8_t l4, uint8_t family, const uint8_t src[16],
			uint16_t sport, const uint8_t dst[16], uint16_t dport,
			struct attr_owners *out);
enum attr_verdict attr_miss_locked(struct attr *a, uint8_t l4, uint8_t family,
				   const uint8_t src[16], uint16_t sport, const uint8_t dst[16],
				   uint16_t dport, bool *ask);
bool attr_detail_locked(struct attr *a, int32_t pid, struct attr_proc_detail *out);
void attr_resolve_pid(struct attr *a, int32_t pid);
/* One scan through a->be->scan, joined to pids and stored; bumps scan_gen. */
int attr_run_scan(struct attr *a);

/* ---- helpers for the back ends (attribution thread) --------------------- */

/* Records a fact: resolves the owner's names (from /proc while it lives,
 * else from the fact) and stores the entry. */
void attr_ingest(struct attr *a, const struct attr_fact *f);
void attr_note_lost(struct attr *a, uint64_t lost_total);
void attr_note_events(struct attr *a, uint64_t n);

/* Folds a v4-mapped IPv6 address pair to IPv4; returns the family. */
uint8_t attr_fold_family(uint8_t family, uint8_t laddr[16], uint8_t raddr[16]);

/* Sock_diag dump of TCP and UDP in this namespace (diag.c); -1 on failure
 * with why filled. fd is a NETLINK_SOCK_DIAG socket. */
int attr_diag_dump(int fd, attr_sock_fn fn, void *ctx, char *why, size_t cap);
int attr_diag_socket(void);
/* A full scan for a back end: sock_diag dump on *fd (reopened after a
 * failure) plus ping sockets from /proc/net/icmp{,6}. */
int attr_diag_scan_fd(int *fd, const char *proc_root, attr_sock_fn fn, void *ctx);
/* /proc/net tables (procfs.c); which: bit 0 TCP, 1 UDP, 2 ICMP. */
int attr_procfs_list(const char *proc_root, unsigned which, attr_sock_fn fn, void *ctx);
/* The network namespace of <proc_root>/<pid> ("self" too) as the inode
 * number its ns/net link names ("net:[4026531840]"); 0 when unreadable
 * (another user's process, without CAP_SYS_PTRACE). */
uint64_t attr_netns_of(const char *proc_root, const char *pid);
/* Adds a note when other users' /proc/<pid>/fd cannot be read. */
void attr_procfs_note_reach(struct attr *a, const char *backend);
#define ATTR_PROCFS_TCP 1u
#define ATTR_PROCFS_UDP 2u
#define ATTR_PROCFS_ICMP 4u

/* proc.c */
/* attr_proc_read without the user name (callers cache those); comm gets
 * the kernel's name unsanitized, for comparing with what eBPF reports. */
bool attr_proc_read_raw(const char *proc_root, int32_t pid, struct attr_proc_detail *d,
			char comm[16]);
ssize_t attr_read_file(const char *path, char *buf, size_t cap);
/* Reads from fd until cap bytes or end of file (EINTR retried); returns the
 * bytes read: fewer than cap means the file ended. */
size_t attr_read_fd(int fd, char *buf, size_t cap);
void attr_user_name(uint32_t uid, char *out, size_t cap);
/* cgroup v2 mount point from /proc/self/mounts into out; false if none. */
bool attr_cgroup2_root(char *out, size_t cap);

void attr_notes_add(struct attr *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
