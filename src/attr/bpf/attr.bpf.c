/* attr.bpf.c - kernel half of process attribution: who owns each socket.
 *
 * DESIGN
 *
 * Hooks (all exist on kernels without kprobe events or fentry):
 *
 *   cgroup/sock_create        process context, at socket(): owner of every
 *                             inet socket, kept in socket-local storage.
 *   cgroup/connect4|6         process context, at connect(): refreshes the
 *                             owner (the connecting process may be a child
 *                             of the creator). A TCP socket's local port is
 *                             usually 0 here (chosen later), so TCP reports
 *                             from the state tracepoint instead; an already
 *                             bound UDP/ICMP socket reports here.
 *   cgroup/sendmsg4|6         process context, unconnected UDP sendto():
 *   cgroup/recvmsg4|6         the peer is the message address, the local
 *                             port is bound (sendmsg autobinds first).
 *                             Reported once per (socket, peer) per
 *                             SEEN_AGAIN_NS, so a DNS or QUIC server that
 *                             answers many peers costs one event each.
 *   cgroup/post_bind4|6       process context, at bind(): the owner of a
 *                             local port, kept in `ports` keyed by
 *                             (netns cookie, protocol, port), so equal port
 *                             numbers in two network namespaces differ.
 *   tp_btf/inet_sock_set_state
 *                             TCP state changes; both endpoints are known
 *                             from ESTABLISHED (or the failed SYN_SENT ->
 *                             CLOSE) on. It may run in softirq context (the
 *                             SYN-ACK arrives; an accepted child socket is
 *                             born), where the current task is whoever was
 *                             interrupted, so the owner is never taken from
 *                             the current task here: it comes from the
 *                             socket's storage (set at socket()/connect()),
 *                             or for an accepted child, which no process
 *                             created, from the listener's `ports` entry.
 *   tp_btf/sock_send_length   process context, after every sendmsg /
 *   tp_btf/sock_recv_length   recvmsg. A connected UDP socket (DNS stub
 *                             resolvers, QUIC clients) has both endpoints
 *                             here and nowhere else; an accepted TCP socket
 *                             meets its real owner (the accept()ing process,
 *                             not necessarily the binder) here; a socket
 *                             created before these programs were loaded is
 *                             owned here. Once a socket is reported with an
 *                             owner seen in its own context, the fast path
 *                             is one socket-storage read and a flag test.
 *
 * Storage: `owners` is BPF_MAP_TYPE_SK_STORAGE, so an owner lives exactly
 * as long as its socket and needs no key or eviction; flags say whether the
 * owner was seen in the socket's own process context (OWNER_CTX) and
 * whether the tuple has been reported (REPORTED). Every event carries the
 * socket cookie and the socket's network namespace as the inode number of
 * its nsfs file (what /proc/<pid>/ns/net links to), the one name of a
 * namespace that the socket-table scans can also learn from /proc; user
 * space keys its table by the tuple plus that number. The tracepoints read
 * it from the socket's struct net; the cgroup hooks cannot reach that, so
 * it is the creating process's namespace, kept with the owner at socket()
 * (the namespace a socket is made in), else the calling process's.
 *
 * Events go to one ring buffer consumed by the attribution thread, which
 * resolves names from /proc at once and keeps them after the process is
 * gone. A full ring drops the event and counts it in `drops`. Every
 * program allows the operation it watches: nothing here changes behaviour.
 */
#include "vmlinux.h"

#include <bpf/bpf_core_read.h>
#include <bpf/bpf_endian.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

#include "attr_event.h"

#define WT_AF_INET 2
#define WT_AF_INET6 10
#define WT_PROTO_ICMP 1
#define WT_PROTO_TCP 6
#define WT_PROTO_UDP 17
#define WT_PROTO_ICMPV6 58
#define WT_TCP_SYN_SENT 2
#define WT_PF_KTHREAD 0x00200000
#define SEEN_AGAIN_NS (30ULL * 1000000000ULL)

enum {
	OWNER_CTX = 1,   /* owner recorded in the socket's own process context */
	REPORTED = 2,    /* tuple reported with an owner */
	FROM_LISTENER = 4,
};

struct sk_owner {
	struct attr_ev_owner o;
	__u32 flags;
	__u32 netns; /* nsfs inode of the namespace the socket was made in; 0 unknown */
};

struct port_key {
	__u64 netns;
	__u16 port;
	__u8 proto;
	__u8 pad[5];
};

struct seen_key {
	__u64 cookie;
	__u32 raddr[4];
	__u16 rport;
	__u8 pad[6];
};

struct {
	__uint(type, BPF_MAP_TYPE_SK_STORAGE);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, int);
	__type(value, struct sk_owner);
} owners SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 16384);
	__type(key, struct port_key);
	__type(value, struct attr_ev_owner);
} ports SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 65536);
	__type(key, struct seen_key);
	__type(value, __u64);
} seen SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 1 << 20);
} events SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
} drops SEC(".maps");

static __always_inline void owner_current(struct attr_ev_owner *o)
{
	__u64 pt = bpf_get_current_pid_tgid();
	__u64 ug = bpf_get_current_uid_gid();

	o->tgid = pt >> 32;
	o->tid = (__u32)pt;
	o->uid = (__u32)ug;
	o->gid = ug >> 32;
	o->cgroup = bpf_get_current_cgroup_id();
	bpf_get_current_comm(o->comm, sizeof o->comm);
}

/* The calling process's network namespace (nsfs inode number). */
static __always_inline __u32 current_netns(void)
{
	struct task_struct *t = (struct task_struct *)bpf_get_current_task();

	return BPF_CORE_READ(t, nsproxy, net_ns, ns.inum);
}

/* A socket's namespace in a cgroup hook: where it was made, when
 * sock_create saw that, else the caller's. */
static __always_inline __u32 owner_netns(const struct sk_owner *so)
{
	return so && so->netns ? so->netns : current_netns();
}

static __always_inline struct attr_event *ev_reserve(void)
{
	struct attr_event *e = bpf_ringbuf_reserve(&events, sizeof(*e), 0);

	if (!e) {
		__u32 zero = 0;
		__u64 *n = bpf_map_lookup_elem(&drops, &zero);
		if (n)
			__sync_fetch_and_add(n, 1);
		return 0;
	}
	__builtin_memset(e, 0, sizeof(*e));
	return e;
}

static __always_inline int inet_proto(__u32 proto)
{
	return proto == WT_PROTO_TCP || proto == WT_PROTO_UDP || proto == WT_PROTO_ICMP ||
	       proto == WT_PROTO_ICMPV6;
}

/* ---- cgroup/sock_create, cgroup/post_bind ---------------------------- */

/* A cgroup program: it reports what `report` reads from its context and
 * lets the call go on (1). */
#define CGROUP_PROG(hook, ctx_type, report, ...)                                 \
	SEC("cgroup/" #hook)                                                     \
	int wt_##hook(ctx_type *ctx)                                             \
	{                                                                        \
		report(ctx, __VA_ARGS__);                                        \
		return 1;                                                        \
	}

SEC("cgroup/sock_create")
int wt_sock_create(struct bpf_sock *sk)
{
	struct sk_owner *so;

	if (sk->family != WT_AF_INET && sk->family != WT_AF_INET6)
		return 1;
	so = bpf_sk_storage_get(&owners, sk, 0, BPF_SK_STORAGE_GET_F_CREATE);
	if (so) {
		owner_current(&so->o);
		so->flags = OWNER_CTX;
		so->netns = current_netns();
	}
	return 1;
}

static __always_inline void on_bind(struct bpf_sock *sk, int v6)
{
	struct port_key k = {};
	struct attr_ev_owner o = {};
	struct attr_event *e;

	if (!inet_proto(sk->protocol))
		return;
	owner_current(&o);
	k.netns = bpf_get_netns_cookie(sk);
	k.port = (__u16)sk->src_port;
	k.proto = (__u8)sk->protocol;
	bpf_map_update_elem(&ports, &k, &o, BPF_ANY);

	e = ev_reserve();
	if (!e)
		return;
	e->kind = ATTR_EV_BIND;
	e->family = v6 ? 6 : 4;
	e->proto = (__u8)sk->protocol;
	e->flags = ATTR_EVF_OWNER;
	e->lport = (__u16)sk->src_port;
	if (v6) {
		e->laddr[0] = sk->src_ip6[0];
		e->laddr[1] = sk->src_ip6[1];
		e->laddr[2] = sk->src_ip6[2];
		e->laddr[3] = sk->src_ip6[3];
	} else {
		e->laddr[0] = sk->src_ip4;
	}
	e->netns = owner_netns(bpf_sk_storage_get(&owners, sk, 0, 0));
	e->cookie = bpf_get_socket_cookie(sk);
	e->owner = o;
	bpf_ringbuf_submit(e, 0);
}

CGROUP_PROG(post_bind4, struct bpf_sock, on_bind, 0)
CGROUP_PROG(post_bind6, struct bpf_sock, on_bind, 1)

/* ---- cgroup/connect, sendmsg, recvmsg ---------------------------------- */

/* Local endpoint from the bound socket, remote from the message address. */
static __always_inline void fill_addr(struct attr_event *e, struct bpf_sock_addr *ctx,
				      struct bpf_sock *sk, int v6)
{
	if (v6) {
		e->laddr[0] = sk->src_ip6[0];
		e->laddr[1] = sk->src_ip6[1];
		e->laddr[2] = sk->src_ip6[2];
		e->laddr[3] = sk->src_ip6[3];
		e->raddr[0] = ctx->user_ip6[0];
		e->raddr[1] = ctx->user_ip6[1];
		e->raddr[2] = ctx->user_ip6[2];
		e->raddr[3] = ctx->user_ip6[3];
	} else {
		e->laddr[0] = sk->src_ip4;
		e->raddr[0] = ctx->user_ip4;
	}
}

/* True when (socket, peer) was reported less than SEEN_AGAIN_NS ago. */
static __always_inline int seen_recently(struct bpf_sock_addr *ctx, __u64 cookie, int v6)
{
	struct seen_key k = {};
	__u64 now = bpf_ktime_get_ns(), *t;

	k.cookie = cookie;
	if (v6) {
		k.raddr[0] = ctx->user_ip6[0];
		k.raddr[1] = ctx->user_ip6[1];
		k.raddr[2] = ctx->user_ip6[2];
		k.raddr[3] = ctx->user_ip6[3];
	} else {
		k.raddr[0] = ctx->user_ip4;
	}
	k.rport = bpf_ntohs((__u16)ctx->user_port);
	t = bpf_map_lookup_elem(&seen, &k);
	if (t && now - *t < SEEN_AGAIN_NS)
		return 1;
	bpf_map_update_elem(&seen, &k, &now, BPF_ANY);
	return 0;
}

/* connect/sendmsg/recvmsg: record the owner; report (local, peer) when the
 * local port is already known and the socket is not TCP. */
static __always_inline void on_addr(struct bpf_sock_addr *ctx, int v6, int dedupe)
{
	struct bpf_sock *sk = ctx->sk;
	struct sk_owner *so;
	struct attr_event *e;
	__u64 cookie;
	__u32 proto;

	if (!sk)
		return;
	proto = sk->protocol;
	if (!inet_proto(proto))
		return;
	so = bpf_sk_storage_get(&owners, sk, 0, BPF_SK_STORAGE_GET_F_CREATE);
	if (so) {
		owner_current(&so->o);
		so->flags |= OWNER_CTX;
		so->flags &= ~FROM_LISTENER;
	}
	if (proto == WT_PROTO_TCP || (sk->src_port == 0 && proto == WT_PROTO_UDP))
		return;
	cookie = bpf_get_socket_cookie(ctx);
	if (dedupe && seen_recently(ctx, cookie, v6))
		return;
	e = ev_reserve();
	if (!e)
		return;
	e->kind = ATTR_EV_FLOW;
	e->family = v6 ? 6 : 4;
	e->proto = (__u8)proto;
	e->flags = ATTR_EVF_OWNER;
	if (proto == WT_PROTO_UDP) {
		e->lport = (__u16)sk->src_port;
		e->rport = bpf_ntohs((__u16)ctx->user_port);
	}
	fill_addr(e, ctx, sk, v6);
	e->netns = owner_netns(so);
	e->cookie = cookie;
	owner_current(&e->owner);
	bpf_ringbuf_submit(e, 0);
}

/* on_addr(ctx, v6, dedupe) */
CGROUP_PROG(connect4, struct bpf_sock_addr, on_addr, 0, 0)
CGROUP_PROG(connect6, struct bpf_sock_addr, on_addr, 1, 0)
CGROUP_PROG(sendmsg4, struct bpf_sock_addr, on_addr, 0, 1)
CGROUP_PROG(sendmsg6, struct bpf_sock_addr, on_addr, 1, 1)
CGROUP_PROG(recvmsg4, struct bpf_sock_addr, on_addr, 0, 1)
CGROUP_PROG(recvmsg6, struct bpf_sock_addr, on_addr, 1, 1)

/* ---- tracepoints ------------------------------------------------------- */

/* Both endpoints straight from the socket. */
static __always_inline void fill_sock(struct attr_event *e, const struct sock *sk, int v6)
{
	if (v6) {
		BPF_CORE_READ_INTO(&e->laddr, sk, __sk_common.skc_v6_rcv_saddr.in6_u.u6_addr32);
		BPF_CORE_READ_INTO(&e->raddr, sk, __sk_common.skc_v6_daddr.in6_u.u6_addr32);
	} else {
		e->laddr[0] = BPF_CORE_READ(sk, __sk_common.skc_rcv_saddr);
		e->raddr[0] = BPF_CORE_READ(sk, __sk_common.skc_daddr);
	}
	e->netns = BPF_CORE_READ(sk, __sk_common.skc_net.net, ns.inum);
	e->cookie = bpf_get_socket_cookie((void *)sk);
}

static __always_inline int emit_sock(const struct sock *sk, __u8 proto, __u16 lport,
				     __u16 rport, const struct sk_owner *so)
{
	int v6 = BPF_CORE_READ(sk, __sk_common.skc_family) == WT_AF_INET6;
	struct attr_event *e = ev_reserve();

	if (!e)
		return 0;
	e->kind = ATTR_EV_FLOW;
	e->family = v6 ? 6 : 4;
	e->proto = proto;
	e->flags = ATTR_EVF_OWNER | ((so->flags & FROM_LISTENER) ? ATTR_EVF_LISTENER : 0);
	e->lport = lport;
	e->rport = rport;
	fill_sock(e, sk, v6);
	e->owner = so->o;
	bpf_ringbuf_submit(e, 0);
	return 1;
}

SEC("tp_btf/inet_sock_set_state")
int BPF_PROG(wt_set_state, const struct sock *sk, const int oldstate, const int newstate)
{
	struct sk_owner *so;
	__u16 lport, rport;

	if (BPF_CORE_READ(sk, sk_protocol) != WT_PROTO_TCP)
		return 0;
	so = bpf_sk_storage_get(&owners, (void *)sk, 0, BPF_SK_STORAGE_GET_F_CREATE);
	if (!so)
		return 0;
	/* CLOSE -> SYN_SENT happens inside connect(): the caller owns it. */
	if (newstate == WT_TCP_SYN_SENT && !(so->flags & OWNER_CTX)) {
		owner_current(&so->o);
		so->flags |= OWNER_CTX;
	}
	if (so->flags & REPORTED)
		return 0;
	lport = BPF_CORE_READ(sk, __sk_common.skc_num);
	/* A refused connect reaches CLOSE after its port was released. */
	if (!lport)
		lport = bpf_ntohs(BPF_CORE_READ((const struct inet_sock *)sk, inet_sport));
	rport = bpf_ntohs(BPF_CORE_READ(sk, __sk_common.skc_dport));
	if (!lport || !rport)
		return 0;
	if (!(so->flags & OWNER_CTX)) {
		struct port_key k = {};
		struct attr_ev_owner *lo;

		k.netns = BPF_CORE_READ(sk, __sk_common.skc_net.net, net_cookie);
		k.port = lport;
		k.proto = WT_PROTO_TCP;
		lo = bpf_map_lookup_elem(&ports, &k);
		if (!lo)
			return 0; /* listener predates us: a later send/recv names the owner */
		so->o = *lo;
		so->flags |= FROM_LISTENER;
	}
	if (emit_sock(sk, WT_PROTO_TCP, lport, rport, so))
		so->flags |= REPORTED;
	return 0;
}

static __always_inline int peer_set(const struct sock *sk, int v6)
{
	__u32 a[4] = {};

	if (!v6)
		return BPF_CORE_READ(sk, __sk_common.skc_daddr) != 0;
	BPF_CORE_READ_INTO(&a, sk, __sk_common.skc_v6_daddr.in6_u.u6_addr32);
	return (a[0] | a[1] | a[2] | a[3]) != 0;
}

/* Send or receive in the owner's context: report what nobody reported yet. */
static __always_inline int on_io(struct sock *sk)
{
	__u16 family = BPF_CORE_READ(sk, __sk_common.skc_family);
	__u16 proto, lport, rport;
	struct task_struct *task;
	struct sk_owner *so;
	int connected;

	if (family != WT_AF_INET && family != WT_AF_INET6)
		return 0;
	so = bpf_sk_storage_get(&owners, sk, 0, 0);
	if (so && (so->flags & (OWNER_CTX | REPORTED)) == (OWNER_CTX | REPORTED))
		return 0;
	proto = BPF_CORE_READ(sk, sk_protocol);
	if (!inet_proto(proto))
		return 0;
	task = bpf_get_current_task_btf();
	if (task->flags & WT_PF_KTHREAD)
		return 0;
	if (!so)
		so = bpf_sk_storage_get(&owners, sk, 0, BPF_SK_STORAGE_GET_F_CREATE);
	if (!so)
		return 0;
	owner_current(&so->o);
	so->flags = (so->flags | OWNER_CTX) & ~FROM_LISTENER;

	lport = BPF_CORE_READ(sk, __sk_common.skc_num);
	rport = bpf_ntohs(BPF_CORE_READ(sk, __sk_common.skc_dport));
	if (proto == WT_PROTO_ICMP || proto == WT_PROTO_ICMPV6) {
		/* ping sockets: connected when a peer address is set */
		connected = peer_set(sk, family == WT_AF_INET6);
		lport = rport = 0;
	} else {
		connected = lport && rport;
	}
	if (connected && emit_sock(sk, (__u8)proto, lport, rport, so))
		so->flags |= REPORTED;
	return 0;
}

SEC("tp_btf/sock_send_length")
int BPF_PROG(wt_send_length, struct sock *sk, int ret, int flags)
{
	return on_io(sk);
}

SEC("tp_btf/sock_recv_length")
int BPF_PROG(wt_recv_length, struct sock *sk, int ret, int flags)
{
	return on_io(sk);
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
