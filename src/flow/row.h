/* row.h - a published copy of one connection, for readers on other threads
 * (UI, exporters). Workers fill rows; nothing here points into a worker's
 * flow table. A snapshot is an immutable array of rows plus counters.
 */
#ifndef WT_FLOW_ROW_H
#define WT_FLOW_ROW_H

#include <stdbool.h>
#include <stdint.h>

#include "decode/decode.h"
#include "dissect/meta.h"

struct refcount;
struct strpool;

/* Where the remote end's name came from, best first: a DNS answer seen on
 * the wire for its address, the connection's own TLS SNI or HTTP Host (the
 * client's word), a reverse (PTR) lookup wiretop made. */
enum name_source {
	NAME_NONE,
	NAME_DNS,
	NAME_SNI,
	NAME_HTTP,
	NAME_PTR,
};

/* How attribution found the process credited with a connection
 * (conn_row.proc_match; docs/JSON.md's process_match). */
enum proc_match {
	PROC_MATCH_NONE,        /* no owner known */
	PROC_MATCH_SOCKET,      /* the connection's own socket, seen held by the process */
	PROC_MATCH_PREEXISTING, /* its own socket, found by the scan made at start: it was
				   open before wiretop began watching */
	PROC_MATCH_NETNS,       /* its own socket, in another network namespace of this host
				   than the captured interface's: the only one with that tuple */
	PROC_MATCH_LISTENER,    /* a guess: the connection's own socket was not seen, the
				   process holding the listening or bound socket on its
				   local port is credited */
};

/* What a TCP connection's opening and end went through, as bits of
 * conn_row.tcp_seen: the health findings (output/findings.h) tell a
 * handshake nobody answered, one refused with a RST and a reset
 * mid-connection apart by them. */
enum row_tcp_seen {
	ROW_TCP_SYN = 1,              /* the initiator sent a SYN */
	ROW_TCP_SYN_ACK = 2,          /* the responder answered with SYN+ACK */
	ROW_TCP_ESTABLISHED = 4,      /* the handshake completed, or the connection was picked up mid-stream */
	ROW_TCP_RST = 8,              /* a RST, from either side */
	ROW_TCP_FIN_BOTH = 16,        /* both sides sent a FIN */
};

/* A row's size is what the UI pays per connection (a cap's worth under a
 * flood): 256 bytes. Strings many rows repeat (process, user and DNS
 * names, the process's unit, container, pod and parents, the MACs of
 * the ends) are references to shared copies (base/strpool.h) the row holds;
 * the tunnel, which most rows lack, is a copy of its own; row_fini
 * releases both. A process name longer than ROW_PROC_MAX - 1 is cut
 * (Details reads the whole command line from /proc). */
#define ROW_PROC_MAX 32
#define ROW_USER_MAX 32

/* A process as attribution (attr/) knows it. */
struct proc_ref {
	int32_t pid;                  /* 0 unknown */
	uint32_t uid;
	char name[ROW_PROC_MAX];      /* process name; "" unknown */
	char user[ROW_USER_MAX];
};

/* A process as a row holds it: its names are pooled references. */
struct row_proc {
	int32_t pid;                  /* 0 unknown */
	uint32_t uid;
	const char *name;             /* process name; NULL unknown */
	const char *user;             /* NULL unknown */
};

struct conn_row {
	uint64_t id;                  /* stable for the connection's lifetime */
	uint16_t l4;                  /* IP protocol number or L4_ARP (decode/pkt.h) */
	uint8_t family;               /* 4 or 6 */
	int8_t local_side;            /* 0 src (initiator) is local, 1 dst, -1 unknown */
	bool closed;                  /* retired, lingering before it vanishes */
	bool gateway;                 /* the remote end was a default gateway when it began */
	uint8_t src[16], dst[16];     /* initiator / responder */
	uint16_t sport, dport;
	uint8_t has_xid;              /* xid holds ESP/AH's SPI or a GRE key */
	uint8_t state;                /* enum flow_state (flow/state.h); row_state_word spells it */
	uint32_t xid;
	uint32_t igmp_group;          /* IGMP: group of the last message (big-endian number) */
	int8_t proc_side;             /* the end proc owns: 0 src, 1 dst, -1 unknown */
	uint8_t peer_name_source;     /* enum name_source of peer_name: NAME_DNS or NAME_PTR */
	uint8_t tcp_seen;             /* TCP: enum row_tcp_seen bits; 0 for other protocols */
	uint8_t proc_match;           /* enum proc_match: how proc was found */
	const struct pkt_tunnel *tunnel; /* the tunnel it came through, owned; NULL none; src is the initiator's side */
	uint64_t src_packets, src_bytes;
	uint64_t dst_packets, dst_bytes;
	uint64_t src_ip_bytes, dst_ip_bytes; /* IP header and payload only (IPFIX octets) */
	uint64_t first_seen_us, last_seen_us;
	uint64_t expires_us;          /* when the lifecycle retires it if idle */
	double src_rate, dst_rate;    /* bytes per second over the last refresh interval */
	struct flow_meta meta;        /* deep copy; owned by the row */
	struct row_proc proc;         /* filled by the attribution join: the owner in the
				       captured interface's network namespace */
	struct row_proc peer;         /* the other end's process when it is local too
				       (loopback, another namespace); pid 0 else */
	const char *peer_name;        /* remote endpoint's name from DNS or PTR; NULL unknown */
	/* where proc runs and who started it, a pooled strpool_get_parts
	 * reference: part ROW_PLACE_UNIT, _CONTAINER, _POD (row_place), then
	 * its parents (row_parents); NULL none known */
	const char *place;
	/* the ends' hardware addresses, a pooled strpool_get_parts
	 * reference: part ROW_LAN_LOCAL_MAC (from the connection's Ethernet
	 * frames), _REMOTE_MAC and _REMOTE_VENDOR (the remote end on the
	 * link only) (row_lan); NULL none known */
	const char *lan;
};
_Static_assert(sizeof(struct conn_row) <= 256, "a row's size bounds the UI's memory under a flood");

/* A snapshot is freed with snapshot_free by whoever holds it. A view made
 * by snapshot_share has its own counters but reads the rows of the
 * snapshot it shares, which lives until the last view of it is freed. */
struct snapshot {
	struct conn_row *rows;        /* owned, unless this is a view */
	uint32_t n, cap;
	uint64_t now_us;              /* clock of the data (packet time offline) */
	uint64_t packets, bytes;      /* totals seen */
	uint64_t last_packet_us;      /* time of the newest packet; 0 none yet */
	uint64_t kernel_drops, internal_drops;
	uint64_t flows_total;         /* connections held now: tracked, and closed ones still listed */
	uint64_t flows_evicted;       /* retired early by the connection cap */
	uint64_t unparsed;            /* frames counted into no connection */
	uint64_t closed_cut;          /* closed rows dropped early to stay within the cap */
	bool late;                    /* older rows than were asked for: a worker had not answered */
	struct snapshot *shared;      /* a view: the snapshot whose rows it reads */
	struct refcount *refs;        /* holders of this snapshot (itself and views) */
};

/* What happens to a connection, for exporters (engine_set_events). */
enum conn_event {
	CONN_EVENT_OPENED,            /* first packet */
	CONN_EVENT_ACTIVE,            /* still open, with traffic since the last such event */
	CONN_EVENT_RETIRED,           /* gone: the final counters */
};

struct snapshot *snapshot_new(uint32_t cap);
/* A view of s's rows (no copy); s stays alive until the view is freed. */
struct snapshot *snapshot_share(struct snapshot *s);
/* Append a row (deep-copies meta); grows as needed. */
struct conn_row *snapshot_push(struct snapshot *s);
void snapshot_free(struct snapshot *s);
/* Frees old and returns an empty snapshot with room for cap rows, made of
 * old's row array when this was its last holder. */
struct snapshot *snapshot_renew(struct snapshot *old, uint32_t cap);
/* Deep copy of a row (dst's previous contents are not released). */
void row_copy(struct conn_row *dst, const struct conn_row *src);
/* dst takes what src owns; src is left owning nothing (dst's previous
 * contents are not released). */
void row_move(struct conn_row *dst, struct conn_row *src);
/* Releases what a row owns: its meta, its names and its tunnel. */
void row_fini(struct conn_row *r);
/* As row_fini, but for a row whose meta is borrowed (tracker_fill_row
 * with borrow_meta): its names and its tunnel only. */
void row_fini_borrowed(struct conn_row *r);
/* r's tunnel: a copy of tun (NULL or type TUNNEL_NONE: none); r's
 * previous tunnel is not released. */
void row_set_tunnel(struct conn_row *r, const struct pkt_tunnel *tun);
/* The parents a row keeps of its process: its parent, the parent's
 * parent, ... up to this many. */
#define ROW_PARENTS_MAX 4
/* Parts of conn_row.place: unit, container and pod, then per parent
 * (nearest first) its pid (decimal), name and executable ("" unknown). */
enum row_place_part {
	ROW_PLACE_UNIT,
	ROW_PLACE_CONTAINER,
	ROW_PLACE_POD,
	ROW_PLACE_PARENTS,
	ROW_PLACE_PARTS = ROW_PLACE_PARENTS + 3 * ROW_PARENTS_MAX,
};
/* The systemd unit, container or pod of the row's process; NULL unknown. */
const char *row_place(const struct conn_row *r, enum row_place_part part);
/* The parents of the row's process: how many are known (0 to
 * ROW_PARENTS_MAX); *first (when any) is the first one's pid part, after
 * which come its name, its executable and the next parent's parts (read
 * them with strpool_part(*first, 3 * i + 0, 1 or 2)). */
unsigned row_parents(const struct conn_row *r, const char **first);
/* Parts of conn_row.lan: the local end's MAC (when known: tracker_fill_row
 * takes it from the connection's Ethernet frames), the remote end's and
 * the remote end's vendor ("locally administered" for a random or
 * private address; both only when it is on the link, as
 * neighbours_fill_row (engine/) adds them). */
enum row_lan_part {
	ROW_LAN_LOCAL_MAC,
	ROW_LAN_REMOTE_MAC,
	ROW_LAN_REMOTE_VENDOR,
	ROW_LAN_PARTS,
};
/* A part of the row's MACs; NULL unknown (or the remote end not on the link). */
const char *row_lan(const struct conn_row *r, enum row_lan_part part);
/* "socket", "preexisting", "netns", "listener"; NULL for PROC_MATCH_NONE. */
const char *proc_match_word(enum proc_match m);

/* dst from src, its names pooled in pool (dst's previous names released). */
void row_proc_set(struct row_proc *dst, struct strpool *pool, const struct proc_ref *src);

/* ---- what every reader says about a row (its protocol's name is
 * decode_proto_name(r->l4)) ---- */

/* The row seen from the local side (the initiator when unknown). Inline:
 * filters and sorts call these for every row. */
static inline int row_local_index(const struct conn_row *r)
{
	return r->local_side == 1 ? 1 : 0;
}

static inline const uint8_t *row_local_addr(const struct conn_row *r)
{
	return row_local_index(r) ? r->dst : r->src;
}

static inline const uint8_t *row_remote_addr(const struct conn_row *r)
{
	return row_local_index(r) ? r->src : r->dst;
}

static inline uint16_t row_local_port(const struct conn_row *r)
{
	return row_local_index(r) ? r->dport : r->sport;
}

static inline uint16_t row_remote_port(const struct conn_row *r)
{
	return row_local_index(r) ? r->sport : r->dport;
}

/* Bytes per second and bytes received / sent by the local side. */
static inline double row_rx_rate(const struct conn_row *r)
{
	return row_local_index(r) ? r->src_rate : r->dst_rate;
}

static inline double row_tx_rate(const struct conn_row *r)
{
	return row_local_index(r) ? r->dst_rate : r->src_rate;
}

static inline uint64_t row_rx_bytes(const struct conn_row *r)
{
	return row_local_index(r) ? r->src_bytes : r->dst_bytes;
}

static inline uint64_t row_tx_bytes(const struct conn_row *r)
{
	return row_local_index(r) ? r->dst_bytes : r->src_bytes;
}

/* The state as the UI and JSON spell it ("ESTABLISHED"); "" none. */
const char *row_state_word(const struct conn_row *r);

/* Do ports mean anything for this protocol (TCP, UDP, SCTP, ...)? */
static inline bool row_has_ports(const struct conn_row *r)
{
	return decode_proto_has_ports(r->l4);
}

/* A host name for the remote end from DPI (SNI, then HTTP Host) when the
 * local side initiated; NULL if none. *src (may be NULL) says which. */
const char *row_remote_name(const struct conn_row *r, enum name_source *src);
/* The remote end's name by precedence (DNS answer, SNI, HTTP Host, PTR);
 * NULL, *src NAME_NONE, when none is known. */
const char *row_peer_name(const struct conn_row *r, enum name_source *src);
/* "dns", "sni", "http", "ptr"; NULL for NAME_NONE. */
const char *name_source_word(enum name_source src);
/* Application from DPI (meta_app_name), else the well-known service of the
 * responder's or initiator's port; NULL when neither is known. */
const char *row_service(const struct conn_row *r);
/* Well-known service name of a port ("https", "ssh"), NULL when unknown
 * (flow/services.c). */
const char *service_name(uint16_t l4, uint16_t port);

#endif
