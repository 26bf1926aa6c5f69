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
#include "sandbox/sandbox.h"

#define ATTR_NOTES_MAX 512
#define ATTR_PATH_BUF (PATH_MAX + 320) /* a root or cgroup dir plus what we append */
#define ATTR_LOCALS_MAX 64
#define ATTR_WANT_PIDS 16

struct attr;

/* Which table a scan reads for our own namespace (others' always come
 * from /proc/<pid>/net). */
enum attr_tables {
	ATTR_TABLES_NONE = 0, /* the back end does not scan */
	ATTR_TABLES_DIAG,     /* netlink sock_diag, /proc/net when that fails */
	ATTR_TABLES_PROCFS,   /* /proc/net/{tcp,udp,icmp}{,6} */
};

/* One back end. open() runs on the opening thread; everything else on the
 * attribution thread. */
struct attr_backend {
	const char *name;                               /* as attr_backend_name shows it */
	int (*open)(struct attr *a, char *why, size_t cap); /* 0, or -1 with why filled */
	void (*close)(struct attr *a);
	int (*fd)(struct attr *a);                      /* wait for readable; -1 none */
	void (*ready)(struct attr *a);                  /* fd became readable */
	enum attr_tables tables;                        /* socket-table scans; NONE: never */
	uint32_t period_ms;                             /* periodic scans; 0 on demand only */
};

/* What the last scan could see, for the status bar. */
struct attr_reach {
	uint32_t procs;        /* processes looked at */
	uint32_t procs_hidden; /* of those, whose sockets it may not name (another
				  user's, without CAP_SYS_PTRACE) */
	uint32_t netns;        /* network namespaces whose sockets were listed */
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
	struct strpool *names;          /* process and user names as rows hold them */

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
	struct attr_reach reach;        /* of the last scan */
	bool scanned;                   /* reach is filled */
	bool scan_failing;              /* the last scan could not read our own table */
	struct attr_helper *helper;     /* scans in the attribution helper; NULL none
					   (set at open, cleared by the thread when it exits) */
	bool helper_lost;               /* it exited: scans went on in this process */
	struct attr_sock *listen_v;     /* the last scan's listening and bound sockets */
	size_t listen_n;
	struct attr_reach listen_reach; /* what that scan could see */
	bool listen_have;               /* a scan has stored them */

	/* attribution thread only (and open/close) */
	struct attr_lru *users;         /* uid -> name */
	struct attr_lru *cgroups;       /* cgroup id -> path */
	struct attr_scanner *scanner;   /* scans in this process; NULL with a helper */
	char cgroup_root[PATH_MAX];     /* cgroup v2 mount point, "" unknown */
	char runtime_root[PATH_MAX];    /* what stands for / for container runtimes'
					   metadata: "" (/) but in tests */
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
/* One scan (helper or in process), stored; bumps scan_gen. */
int attr_run_scan(struct attr *a);
/* Under a->mu: make sure the thread wakes (one byte per wake-up). */
void attr_wake_locked(struct attr *a);
/* listen.c: a listening TCP or bound, unconnected UDP socket. */
bool attr_is_listener(const struct attr_sock *s);

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
/* /proc/net tables (procfs.c) of <proc_root> (or <proc_root>/<pid>, for
 * that process's namespace); which: bit 0 TCP, 1 UDP, 2 ICMP. */
int attr_procfs_list(const char *proc_root, unsigned which, attr_sock_fn fn, void *ctx);
/* A /proc entry name as a pid; 0 when it is not one. */
int32_t attr_pid_of(const char *name);
/* The network namespace of <proc_root>/<pid> ("self" too) as the inode
 * number its ns/net link names ("net:[4026531840]"); 0 with errno set when
 * unreadable: EACCES for another user's process without CAP_SYS_PTRACE,
 * ENOENT for one that is gone or a zombie. */
uint64_t attr_netns_of(const char *proc_root, const char *pid);
#define ATTR_PROCFS_TCP 1u
#define ATTR_PROCFS_UDP 2u
#define ATTR_PROCFS_ICMP 4u
#define ATTR_PROCFS_ALL (ATTR_PROCFS_TCP | ATTR_PROCFS_UDP | ATTR_PROCFS_ICMP)

/* scan.c: every namespace's sockets joined to their owners' pids. */
struct attr_scanner;
struct attr_scanner *attr_scanner_new(const char *proc_root, enum attr_tables tables);
void attr_scanner_free(struct attr_scanner *s);
/* Calls fn for every socket it can see, pid and netns filled (0 unknown);
 * reach says how much that was. -1 when our own namespace's tables could
 * not be read (the others' sockets are still reported). */
int attr_scanner_run(struct attr_scanner *s, attr_sock_fn fn, void *ctx, struct attr_reach *reach);
/* A scan for a: in the helper when there is one, else in this process. */
int attr_scan(struct attr *a, attr_sock_fn fn, void *ctx, struct attr_reach *reach);

/* ---- the attribution helper (helper.c: wiretop's side; helperd.c: the
 * helper's) ------------------------------------------------------------------
 * wiretop runs itself again as `wiretop --attr-helper TABLES MODE PROCROOT RUNTIMEROOT`
 * with one end of a SOCK_SEQPACKET socket pair as descriptor 3 and nothing
 * else open. Messages, host byte order (one machine, one binary), each
 * starting with an 8-byte header: type u8, version u8, count u16, seq u32.
 *   'H' helper -> wiretop, once: uid u32, gid u32, caps u64, seccomp rules
 *       u32, then the sandbox's notes as text
 *   'X' helper -> wiretop: why it cannot serve (text); it exits
 *   'S' wiretop -> helper: scan now (seq numbers the scan)
 *   'R' helper -> wiretop: count sockets of ATTR_WIRE_SOCK bytes each:
 *       l4 u8, family u8, state u8, 0, lport u16, rport u16, laddr[16],
 *       raddr[16], uid u32, pid i32, inode u64, netns u64
 *   'E' helper -> wiretop, after a scan's 'R's: rc i32, procs u32,
 *       procs_hidden u32, netns u32
 *   'N' wiretop -> helper: a process's cgroup path (text, at most
 *       ATTR_CGROUP_MAX - 1 bytes): name the container and pod it shows.
 *       The helper only parses it (attr_cgroup_parse): the files it then
 *       reads are the runtimes' own, named by a 64-hex id or a pod UUID.
 *   'P' helper -> wiretop, the answer (same seq): the container's name or
 *       short id, NUL, the pod's namespace/name or UID (text; either "")
 *   'L' wiretop -> helper: pid i32: the parents from this process up
 *       (attr_proc_lineage: its /proc/<pid>/stat and exe, and its parents')
 *   'A' helper -> wiretop, the answer (same seq): count parents, each pid
 *       i32, name NUL, exe NUL (text, sanitized by the helper; checked
 *       again here) */
#define ATTR_HELPER_FD 3
#define ATTR_WIRE_VERSION 1
#define ATTR_WIRE_HDR 8
#define ATTR_WIRE_SOCK 64
#define ATTR_WIRE_BATCH 512
#define ATTR_WIRE_MAX (ATTR_WIRE_HDR + ATTR_WIRE_BATCH * ATTR_WIRE_SOCK)

struct attr_helper;
struct attr_helper_opts {
	const char *exe;       /* program to run; "/proc/self/exe" when NULL */
	const char *proc_root;
	const char *runtime_root; /* as struct attr's: "" for / */
	enum attr_tables tables;
	enum sandbox_violation on_violation;
};
/* Starts the helper and waits for its hello; -1 with why filled when it
 * could not be started or refused to serve. */
int attr_helper_start(struct attr_helper **out, const struct attr_helper_opts *o, char *why,
		      size_t cap);
#define ATTR_HELPER_GONE (-2)
/* One scan in the helper: fn per socket, reach filled. Returns its rc, -1
 * when it did not answer in time, ATTR_HELPER_GONE when it has exited. */
int attr_helper_scan(struct attr_helper *h, attr_sock_fn fn, void *ctx, struct attr_reach *reach);
/* The container and pod names of a process in cgroup path, read by the
 * helper (the runtimes' folders are usually root's alone): d->container
 * and d->pod filled. 0, -1 when it did not answer in time,
 * ATTR_HELPER_GONE when it has exited. */
int attr_helper_names(struct attr_helper *h, const char *cgroup, struct attr_proc_detail *d);
/* d->parents from process ppid up, read by the helper (wiretop, once it
 * has dropped privileges and is confined, may not read other processes'
 * executables). 0, -1 or ATTR_HELPER_GONE as attr_helper_names. */
int attr_helper_lineage(struct attr_helper *h, int32_t ppid, struct attr_proc_detail *d);
int attr_helper_pid(const struct attr_helper *h);
/* "uid 1000, CAP_SYS_PTRACE CAP_DAC_READ_SEARCH, seccomp (27 rules)" */
const char *attr_helper_holds(const struct attr_helper *h);
/* Closes its socket (it exits), reaps it (kills it after a second). */
void attr_helper_stop(struct attr_helper *h);
/* "deny", "kill" or "log", as the helper's command line spells it. */
const char *attr_helper_mode_name(enum sandbox_violation v);

/* proc.c */
/* attr_proc_read without the user name (callers cache those); comm gets
 * the kernel's name unsanitized, for comparing with what eBPF reports. */
bool attr_proc_read_raw(const char *proc_root, int32_t pid, struct attr_proc_detail *d,
			char comm[16]);
void attr_user_name(uint32_t uid, char *out, size_t cap);
/* The target of <proc_root>/<pid>/exe, sanitized; "" when unreadable. */
void attr_proc_exe(const char *proc_root, int32_t pid, char *out, size_t cap);
/* lineage.c: <proc_root>/<pid>/stat parsed; false when unreadable. */
bool attr_proc_stat(const char *proc_root, int32_t pid, struct attr_stat *out);
/* cgroup v2 mount point from /proc/self/mounts into out; false if none. */
bool attr_cgroup2_root(char *out, size_t cap);

void attr_notes_add(struct attr *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
