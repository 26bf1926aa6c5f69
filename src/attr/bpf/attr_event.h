/* attr_event.h - records the kernel half of attribution hands to user space.
 *
 * Shared by src/attr/bpf/attr.bpf.c (built with clang -target bpf against
 * vmlinux.h) and src/attr/bpf.c (user space, <linux/types.h>). Fixed-size
 * fields only; both sides see the same layout on one machine.
 */
#ifndef WT_ATTR_BPF_EVENT_H
#define WT_ATTR_BPF_EVENT_H

#ifndef __VMLINUX_H__
#include <linux/types.h>
#endif

#define ATTR_EV_COMM_LEN 16

enum attr_ev_kind {
	ATTR_EV_FLOW = 1, /* a socket's local and remote endpoints are known */
	ATTR_EV_BIND = 2, /* a socket was bound to a local port (servers) */
};

enum attr_ev_flag {
	ATTR_EVF_OWNER = 1,    /* owner fields are valid */
	ATTR_EVF_LISTENER = 2, /* owner is the listening socket's (accept not yet seen) */
};

struct attr_ev_owner {
	__u32 tgid;  /* process id in the initial pid namespace */
	__u32 tid;
	__u32 uid;
	__u32 gid;
	__u64 cgroup; /* cgroup v2 id (inode of the cgroup directory) */
	char comm[ATTR_EV_COMM_LEN]; /* the calling thread's name */
};

struct attr_event {
	__u8 kind;     /* enum attr_ev_kind */
	__u8 family;   /* 4 or 6 */
	__u8 proto;    /* IPPROTO_TCP, IPPROTO_UDP, IPPROTO_ICMP, IPPROTO_ICMPV6 */
	__u8 flags;    /* enum attr_ev_flag */
	__u16 lport;   /* host order; 0 for ICMP */
	__u16 rport;
	__u32 laddr[4]; /* network order; IPv4 in laddr[0]; all zero = any */
	__u32 raddr[4];
	__u64 netns;   /* network namespace: inode of /proc/<pid>/ns/net */
	__u64 cookie;  /* socket cookie */
	struct attr_ev_owner owner;
};

#endif
