/* attr.h - process attribution: which local process owns a connection.
 *
 * attr_open() picks the best back end that works on this machine (eBPF,
 * netlink sock_diag, /proc) and starts the attribution thread, which alone
 * talks to the kernel and reads /proc, and (opts.helper) the attribution
 * helper, a process that runs the socket-table scans with the capabilities
 * its caller is about to give up. Sockets are keyed by network namespace
 * as well as addresses. Callers on any thread ask by 5-tuple; a lookup
 * reads a table in memory under a short lock and never does I/O. Entries outlive their sockets and processes for a while
 * (bounded, least recently used first out), so a connection that lasted
 * 5 ms is still attributed when a reader asks about it seconds later.
 *
 * The back-end parsers are public below so that tests can feed them a
 * fake /proc tree or a recorded netlink reply without root.
 */
#ifndef WT_ATTR_ATTR_H
#define WT_ATTR_ATTR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/err.h"
#include "flow/row.h"
#include "sandbox/sandbox.h"

struct attr;

struct attr_opts {
	const char *backend;   /* "auto" (default when NULL), "bpf", "diag", "procfs",
				  "none"; "ebpf" and "sock_diag" are accepted too */
	const char *proc_root; /* "/proc" when NULL; tests point it at a fixture */
	/* Where container runtimes' metadata is read (var/lib/docker/...):
	 * "/" when NULL; tests point it at a fixture */
	const char *runtime_root;
	/* Scan socket tables in the attribution helper, a process of its own
	 * that keeps CAP_SYS_PTRACE and CAP_DAC_READ_SEARCH after the caller
	 * drops its privileges (when the caller holds them now). The caller's
	 * main() must hand ATTR_HELPER_ARG to attr_helper_main. */
	bool helper;
	const char *helper_exe; /* the program to run as the helper; NULL: this one */
	enum sandbox_violation helper_violation; /* its seccomp's answer to a stray call */
};

/* `PROG --attr-helper ...` is the attribution helper: main() returns
 * attr_helper_main(argc, argv) when argv[1] is this, before anything else. */
#define ATTR_HELPER_ARG "--attr-helper"
int attr_helper_main(int argc, char **argv);

#define ATTR_EXE_MAX 256
#define ATTR_CMDLINE_MAX 512
#define ATTR_CGROUP_MAX 256
#define ATTR_CONTAINER_MAX 72
#define ATTR_UNIT_MAX 128
#define ATTR_POD_MAX 128
#define ATTR_POD_UID_MAX 40
#define ATTR_SHORT_ID_LEN 12

/* One of the processes that started a process (parent, grandparent, ...). */
#define ATTR_PARENTS_MAX ROW_PARENTS_MAX
struct attr_parent {
	int32_t pid;
	char name[ROW_PROC_MAX];           /* its comm, sanitized */
	char exe[ATTR_EXE_MAX];            /* "" when it may not be read */
};

/* Richer facts about one process, for a details view. Every string is
 * sanitized (control bytes escaped) and NUL-terminated; "" when unknown. */
struct attr_proc_detail {
	struct proc_ref ref;               /* pid, uid, name, user */
	char exe[ATTR_EXE_MAX];            /* /proc/<pid>/exe target */
	char cmdline[ATTR_CMDLINE_MAX];    /* arguments joined by spaces */
	char cgroup[ATTR_CGROUP_MAX];      /* cgroup v2 path, e.g. /system.slice/x.service */
	char container[ATTR_CONTAINER_MAX]; /* its runtime's name for it, else its short id */
	char container_id[ATTR_CONTAINER_MAX]; /* the whole id the cgroup path has */
	char unit[ATTR_UNIT_MAX];          /* systemd unit: nginx.service,
					      user@1000.service/app.slice/foo.service */
	char pod[ATTR_POD_MAX];            /* Kubernetes: namespace/name, else the pod's UID */
	uint64_t cgroup_id;                /* cgroup v2 id when the back end saw it; 0 else */
	int32_t ppid;                      /* its parent's pid; 0 unknown */
	uint64_t start_ticks;              /* when it started (clock ticks after boot): a
					      pid with another start time is another process */
	struct attr_parent parents[ATTR_PARENTS_MAX]; /* nearest first */
	uint8_t nparents;
	bool exited;                       /* the process was gone when last looked at */
};

/* What a lookup knows about a connection. */
enum attr_verdict {
	ATTR_FOUND = 0,  /* a local process owns it */
	ATTR_UNKNOWN,    /* not known (yet); the back end has been asked */
	ATTR_NOT_LOCAL,  /* neither endpoint is an address of this host */
	ATTR_NO_OWNER,   /* local, but no socket owned it when the back end looked */
};

struct attr_stats {
	uint64_t events;      /* kernel events consumed (eBPF) */
	uint64_t lost;        /* kernel events dropped on a full ring */
	uint64_t scans;       /* socket table scans (sock_diag / procfs) */
	uint64_t entries;     /* connections in the table now */
	uint64_t lookups, hits;
	uint64_t thread_cpu_ns; /* CPU time of the attribution thread */
};

/* Starts the attribution thread. Fails only on a bad option or when no
 * thread can be started; a back end that does not work is skipped with a
 * note (attr_backend_notes), and "none" always works. Call while still
 * privileged: eBPF programs stay attached after privileges are dropped. */
int attr_open(struct attr **out, const struct attr_opts *o, struct wt_err *err);

/* "ebpf", "sock_diag", "procfs" or "none"; valid until attr_close. */
const char *attr_backend_name(const struct attr *a);

/* Why better back ends were not used, e.g. "ebpf: need CAP_BPF ..."; "" if
 * none. Valid until attr_close. */
const char *attr_backend_notes(const struct attr *a);

/* What the back end can see, for the status bar: "sock_diag via helper:
 * 312/312 processes, 3 netns" (processes whose sockets it can name of
 * those it looked at, namespaces listed), "procfs: 41/312 processes, 1
 * netns" (no helper: other users' processes are hidden), "ebpf: every
 * process, every netns; scans via helper: ...". Thread-safe. */
void attr_describe(struct attr *a, char *buf, size_t cap);

/* The attribution helper's pid, 0 when there is none (for the sandbox:
 * the one child wiretop may reap). */
int attr_helper_of(struct attr *a);

/* Both ends of a connection, as far as they are processes of this host.
 * A socket is named by its network namespace as well as its addresses: on
 * a veth between the host and a container, the host's server and the
 * container's client are two sockets with mirrored tuples. */
struct attr_owners {
	/* credited: the owner of the socket in the captured interface's
	 * namespace (the one attr_open ran in), either end; when that namespace
	 * has none, the one other namespace that has one */
	struct proc_ref proc;
	/* the process at the other end when it is on this host too (loopback,
	 * another namespace); pid 0 when not */
	struct proc_ref peer;
	int8_t proc_side; /* the end proc owns: 0 src, 1 dst, -1 none */
	uint8_t proc_match; /* enum proc_match (flow/row.h): how proc was found */
};

/* Thread-safe, no I/O; as attr_lookup_verdict, for both ends. */
enum attr_verdict attr_lookup_owners(struct attr *a, uint8_t l4, uint8_t family,
				     const uint8_t src[16], uint16_t sport,
				     const uint8_t dst[16], uint16_t dport,
				     struct attr_owners *out);

/* Thread-safe; never blocks for long and never does I/O. l4 is L4_TCP /
 * L4_UDP / L4_ICMP / L4_ICMPV6 (decode/pkt.h), family 4 or 6, addresses 16
 * bytes as in struct pkt (IPv4 in the first 4), ports in host order.
 * Either endpoint may be the local one: both orientations are tried, the
 * source first. Fills out and returns true when the owner is known;
 * otherwise zeroes out and returns false. */
bool attr_lookup(struct attr *a, uint8_t l4, uint8_t family, const uint8_t src[16],
		 uint16_t sport, const uint8_t dst[16], uint16_t dport, struct proc_ref *out);

/* As attr_lookup, and says why when the owner is not known. */
enum attr_verdict attr_lookup_verdict(struct attr *a, uint8_t l4, uint8_t family,
				      const uint8_t src[16], uint16_t sport,
				      const uint8_t dst[16], uint16_t dport,
				      struct proc_ref *out);

/* dst from src, for a row: its names are references to shared copies,
 * which live as long as a row holds them, a or not. Thread-safe. */
void attr_row_proc(struct attr *a, struct row_proc *dst, const struct proc_ref *src);

/* *place (a row's: its previous one released) from the unit, container,
 * pod and parents of process pid as far as the back end has seen them
 * (row_place and row_parents read it). Thread-safe, no I/O. */
void attr_row_place(struct attr *a, const char **place, int32_t pid);

/* Details of a process the back end has seen (also after it exited).
 * Thread-safe, no I/O; false when the pid is not known yet (the thread is
 * then asked to look, so a later call may succeed). */
bool attr_lookup_detail(struct attr *a, int32_t pid, struct attr_proc_detail *out);

void attr_get_stats(struct attr *a, struct attr_stats *out);

/* Stops the thread, detaches every eBPF program; attr_close(NULL) is a no-op. */
void attr_close(struct attr *a);

/* ---- the machine's own endpoints (listen.c) ------------------------------ */

#define ATTR_NETNS_NAME_MAX 64

/* A listening TCP socket or a bound, unconnected UDP socket. Strings are
 * sanitized; "" when unknown. */
struct attr_listener {
	uint8_t l4;                 /* L4_TCP or L4_UDP */
	uint8_t family;             /* 4 or 6 (v4-mapped folded to 4) */
	uint8_t addr[16];           /* local address; IPv4 in the first 4 */
	uint16_t port;
	uint64_t netns;             /* the namespace's nsfs inode; 0 unknown */
	char netns_name[ATTR_NETNS_NAME_MAX]; /* its `ip netns` name, "" none */
	uint32_t uid;               /* the socket's owner as the kernel has it */
	char user[ROW_USER_MAX];    /* its name */
	struct attr_proc_detail proc; /* the process holding it; proc.ref.pid 0 unknown */
	uint64_t started_us;        /* when that process started (epoch µs); 0 unknown */
};

/* What a listing could see. */
struct attr_listen_reach {
	uint32_t sockets;      /* listed */
	uint32_t procs;        /* processes looked at */
	uint32_t procs_hidden; /* of those, another user's, not looked into (no
				  CAP_SYS_PTRACE / CAP_DAC_READ_SEARCH): their sockets
				  have no owner, namespaces only they live in are missed */
	uint32_t netns;        /* namespaces whose tables were read */
};

typedef void (*attr_listener_fn)(void *ctx, const struct attr_listener *l);

/* Scans every namespace this process can see (proc_root NULL: /proc) and
 * calls fn per listening or bound socket, by namespace, protocol, family,
 * port. Returns 0, or -1 when not even this namespace's table could be
 * read. Blocking I/O, in the calling thread. */
int attr_listening(const char *proc_root, attr_listener_fn fn, void *ctx,
		   struct attr_listen_reach *reach, struct wt_err *err);
/* As attr_listening, from the attribution thread's last socket-table scan
 * (in the attribution helper when there is one, so that every user's
 * processes are named after privileges are dropped), and asks for the
 * next. Owners' facts come from the thread's cache, else /proc. a NULL or
 * a back end that does not scan, or before its first scan: attr_listening
 * in the calling thread. Any thread. */
int attr_listening_of(struct attr *a, attr_listener_fn fn, void *ctx,
		      struct attr_listen_reach *reach, struct wt_err *err);

/* ---- back-end parsers (public for tests) -------------------------------- */

/* One socket as a socket table lists it. Addresses 16 bytes, IPv4 in the
 * first 4 (v4-mapped IPv6 is folded to IPv4); ports in host order. */
struct attr_sock {
	uint8_t l4;      /* L4_TCP, L4_UDP, L4_ICMP, L4_ICMPV6 */
	uint8_t family;  /* 4 or 6 */
	uint8_t state;   /* TCP state number as the kernel has it (10 LISTEN) */
	uint16_t lport, rport;
	uint8_t laddr[16], raddr[16];
	uint32_t uid;
	uint64_t inode;  /* 0: no owner (TIME_WAIT, orphan) */
	/* filled by a whole scan, not by the parsers: */
	int32_t pid;     /* the process holding the socket; 0 unknown */
	uint64_t netns;  /* the namespace whose table listed it (nsfs inode); 0 unknown */
};

typedef void (*attr_sock_fn)(void *ctx, const struct attr_sock *s);

/* Parses the text of /proc/net/{tcp,tcp6,udp,udp6,icmp,icmp6}; family 4 or
 * 6 and l4 say which file it is. Calls fn per socket; returns the number of
 * sockets, or -1 when the header is not the one the kernel writes. */
int attr_procfs_parse_net(const char *text, size_t len, uint8_t family, uint8_t l4,
			  attr_sock_fn fn, void *ctx);

/* Walks <proc_root>/<pid>/fd/ and calls fn(ctx, inode, pid) for each socket
 * descriptor whose inode want(ctx, inode) accepts (want NULL: every one).
 * Returns the number of processes looked at, -1 when proc_root is not
 * readable. */
int attr_procfs_scan_fds(const char *proc_root, bool (*want)(void *ctx, uint64_t inode),
			 void (*fn)(void *ctx, uint64_t inode, int32_t pid), void *ctx);

/* Parses a NETLINK_SOCK_DIAG reply (one or more nlmsghdr + inet_diag_msg)
 * for protocol l4. Returns 1 when NLMSG_DONE was seen, 0 when more is to
 * come, -1 on an error reply or a malformed buffer (err says which). */
int attr_diag_parse(const uint8_t *buf, size_t len, uint8_t l4, attr_sock_fn fn, void *ctx,
		    struct wt_err *err);

/* Reads what /proc says about one process into d (no cache). Returns false
 * when <proc_root>/<pid> does not exist. */
bool attr_proc_read(const char *proc_root, int32_t pid, struct attr_proc_detail *d);

/* What /proc/<pid>/stat says (lineage.c). comm is the kernel's 15 bytes,
 * unsanitized. */
struct attr_stat {
	int32_t pid, ppid;
	char state;
	uint64_t start_ticks; /* field 22, starttime */
	char comm[16];
};
/* Parses the text of /proc/<pid>/stat; false when it is not that. The
 * name may hold spaces and parentheses: it ends at the last ')'. */
bool attr_stat_parse(const char *text, size_t len, struct attr_stat *out);
/* d->parents from process ppid up: each one's pid, name and executable,
 * nearest first, up to ATTR_PARENTS_MAX, ending after pid 1 or at a
 * process that is gone. */
void attr_proc_lineage(const char *proc_root, int32_t ppid, struct attr_proc_detail *d);

/* What a cgroup path (the v2 line, or v1's name=systemd one) says about
 * where a process runs (cgroup.c). Pure: nothing is read. */
struct attr_cgroup_facts {
	char unit[ATTR_UNIT_MAX];              /* systemd unit; "" none */
	char container_id[ATTR_CONTAINER_MAX]; /* 64 hex digits, or an LXC name; "" none */
	const char *runtime;                   /* "docker", "podman", "containerd", "cri-o",
						  "lxc"; NULL unknown or none */
	char pod_uid[ATTR_POD_UID_MAX];        /* Kubernetes pod UID; "" none */
};
void attr_cgroup_parse(const char *path, struct attr_cgroup_facts *out);
/* A container id as people write it: the first 12 of 64 hex digits, any
 * other id (an LXC name) whole. */
void attr_container_short(const char *id, char *out, size_t cap);

/* The names the runtimes' own metadata give (runtime.c), read beneath root
 * ("": /; NULL: read nothing, ids only): Docker's containers/ID/config.v2.json "Name", Podman's
 * containers.json "names", the kubelet's /var/log/pods/NAMESPACE_NAME_UID.
 * d->container gets the name, else the short id; d->pod "namespace/name",
 * else the UID. Files it may not read leave the ids. */
void attr_runtime_names(const char *root, const struct attr_cgroup_facts *f,
			struct attr_proc_detail *d);
/* Unit, container and pod of d from its cgroup path (both of the above). */
void attr_place_of(const char *root, struct attr_proc_detail *d);

#endif
