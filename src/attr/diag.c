/* diag.c - the sock_diag back end: the socket table from NETLINK_SOCK_DIAG
 * (inet_diag_req_v2, as iproute2's ss asks), joined to processes through
 * /proc/<pid>/fd inodes.
 *
 * Exact and fast for connections that live long enough to be in a dump;
 * ping sockets are not in inet_diag, so they come from /proc/net/icmp.
 * Replies are parsed through the bounded reader; netlink fields are in host
 * order, the socket id's ports and addresses in network order:
 *
 *   nlmsghdr      len:32 type:16 flags:16 seq:32 pid:32          (host order)
 *   inet_diag_msg family:8 state:8 timer:8 retrans:8
 *                 sport:16 dport:16 src:128 dst:128              (network order)
 *                 if:32 cookie:64 expires:32 rqueue:32 wqueue:32 uid:32 inode:32
 *                 [attributes]
 *
 * Runs on the attribution thread (and in tests).
 */
#include "attr/attr_int.h"

#include <errno.h>
#include <linux/inet_diag.h>
#include <linux/netlink.h>
#include <linux/sock_diag.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include "base/macros.h"
#include "base/rd.h"
#include "base/xalloc.h"
#include "decode/pkt.h"

#define NL_HDR_LEN 16
#define DIAG_MSG_LEN 72
#define DIAG_BUF 65536

static bool parse_msg(struct rd *m, uint8_t l4, attr_sock_fn fn, void *ctx)
{
	struct attr_sock s;
	uint8_t family;

	memset(&s, 0, sizeof s);
	family = rd_u8(m);
	s.state = rd_u8(m);
	rd_skip(m, 2); /* timer, retrans */
	s.lport = rd_be16(m);
	s.rport = rd_be16(m);
	rd_copy(m, s.laddr, 16);
	rd_copy(m, s.raddr, 16);
	rd_skip(m, 4 + 8 + 12); /* if, cookie, expires, rqueue, wqueue */
	s.uid = rd_host32(m);
	s.inode = rd_host32(m);
	if (!rd_ok(m))
		return false;
	if (family != AF_INET && family != AF_INET6)
		return true; /* not ours to interpret; skip */
	if (family == AF_INET) {
		memset(s.laddr + 4, 0, 12);
		memset(s.raddr + 4, 0, 12);
	}
	s.l4 = l4;
	s.family = attr_fold_family(family == AF_INET ? 4 : 6, s.laddr, s.raddr);
	fn(ctx, &s);
	return true;
}

/* As attr_diag_parse; *nlerr gets the errno of an error reply. */
static int parse_reply(const uint8_t *buf, size_t len, uint8_t l4, attr_sock_fn fn, void *ctx,
		       struct wt_err *err, int *nlerr)
{
	struct rd r = rd_make(buf, len);

	while (rd_left(&r)) {
		struct rd peek = r, m;
		uint32_t mlen = rd_host32(&peek), pad;
		uint16_t type;

		if (!rd_ok(&peek) || mlen < NL_HDR_LEN || mlen > rd_left(&r))
			return wt_err_set(err, WT_ERR_INPUT, "sock_diag: malformed reply at byte %zu",
					  rd_pos(&r));
		m = rd_sub(&r, mlen);
		pad = ((mlen + 3u) & ~3u) - mlen;
		rd_skip(&r, pad < rd_left(&r) ? pad : rd_left(&r));
		rd_host32(&m);
		type = rd_host16(&m);
		rd_skip(&m, 2 + 4 + 4); /* flags, seq, pid */
		if (type == NLMSG_DONE)
			return 1;
		if (type == NLMSG_ERROR) {
			int32_t e = (int32_t)rd_host32(&m);
			if (!rd_ok(&m))
				return wt_err_set(err, WT_ERR_INPUT, "sock_diag: short error reply");
			if (e == 0)
				continue; /* an acknowledgement */
			*nlerr = -e;
			return wt_err_set(err, e == -EPERM ? WT_ERR_PERM : WT_ERR_SYSTEM,
					  "sock_diag: %s", strerror(-e));
		}
		if (type != SOCK_DIAG_BY_FAMILY)
			continue;
		if (rd_left(&m) < DIAG_MSG_LEN || !parse_msg(&m, l4, fn, ctx))
			return wt_err_set(err, WT_ERR_INPUT, "sock_diag: short inet_diag_msg");
	}
	return 0;
}

int attr_diag_parse(const uint8_t *buf, size_t len, uint8_t l4, attr_sock_fn fn, void *ctx,
		    struct wt_err *err)
{
	int nlerr = 0;
	return parse_reply(buf, len, l4, fn, ctx, err, &nlerr);
}

/* ---- the dump ---------------------------------------------------------------- */

int attr_diag_socket(void)
{
	struct timeval tv = { 1, 0 };
	int fd = socket(AF_NETLINK, SOCK_DGRAM | SOCK_CLOEXEC, NETLINK_SOCK_DIAG);

	if (fd >= 0)
		setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
	return fd;
}

struct diag_query {
	uint8_t family, proto, l4;
	uint32_t states;
};

/* TIME_WAIT and request sockets have no owner (inode 0): not asked for. */
#define TCP_OWNED_STATES (~((1u << 6) | (1u << 3) | (1u << 12)))

static const struct diag_query diag_queries[] = {
	{ AF_INET, IPPROTO_TCP, L4_TCP, TCP_OWNED_STATES },
	{ AF_INET6, IPPROTO_TCP, L4_TCP, TCP_OWNED_STATES },
	{ AF_INET, IPPROTO_UDP, L4_UDP, ~0u },
	{ AF_INET6, IPPROTO_UDP, L4_UDP, ~0u },
};

static int diag_send(int fd, const struct diag_query *q, uint32_t seq)
{
	struct {
		struct nlmsghdr nlh;
		struct inet_diag_req_v2 req;
	} msg;
	struct sockaddr_nl nl = { .nl_family = AF_NETLINK };

	memset(&msg, 0, sizeof msg);
	msg.nlh.nlmsg_len = sizeof msg;
	msg.nlh.nlmsg_type = SOCK_DIAG_BY_FAMILY;
	msg.nlh.nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
	msg.nlh.nlmsg_seq = seq;
	msg.req.sdiag_family = q->family;
	msg.req.sdiag_protocol = q->proto;
	msg.req.idiag_states = q->states;
	return sendto(fd, &msg, sizeof msg, 0, (struct sockaddr *)&nl, sizeof nl) < 0 ? -1 : 0;
}

static int diag_query_one(int fd, const struct diag_query *q, uint8_t *buf, attr_sock_fn fn,
			  void *ctx, struct wt_err *err)
{
	int done = 0, nlerr = 0;

	if (diag_send(fd, q, 0x77740000u + q->proto) < 0)
		return wt_err_set(err, errno == EPERM ? WT_ERR_PERM : WT_ERR_SYSTEM,
				  "sock_diag: send: %s", strerror(errno));
	while (!done) {
		ssize_t n = recv(fd, buf, DIAG_BUF, 0);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return wt_err_set(err, WT_ERR_SYSTEM, "sock_diag: receive: %s",
					  n < 0 ? strerror(errno) : "closed");
		done = parse_reply(buf, (size_t)n, q->l4, fn, ctx, err, &nlerr);
		if (done < 0)
			/* no IPv6 or no UDP diag in this kernel: not fatal */
			return nlerr == ENOENT || nlerr == EPROTONOSUPPORT ? 0 : -1;
	}
	return 0;
}

int attr_diag_dump(int fd, attr_sock_fn fn, void *ctx, char *why, size_t cap)
{
	uint8_t *buf = xmalloc(DIAG_BUF);
	struct wt_err err = { WT_OK, "" };
	int rc = 0;

	for (size_t i = 0; i < ARRAY_LEN(diag_queries) && rc == 0; i++)
		rc = diag_query_one(fd, &diag_queries[i], buf, fn, ctx, &err);
	free(buf);
	if (rc < 0 && why)
		snprintf(why, cap, "%s", err.msg);
	return rc;
}

/* ---- the back end ------------------------------------------------------------- */

static void count_sock(void *ctx, const struct attr_sock *s)
{
	(void)s;
	(*(int *)ctx)++;
}

/* Usable when a dump works here; the scans open their own socket. */
static int diag_open(struct attr *a, char *why, size_t cap)
{
	int fd, n = 0, rc;

	if (strcmp(a->proc_root, "/proc") != 0) {
		snprintf(why, cap, "sock_diag: proc root is %s, not the live /proc", a->proc_root);
		return -1;
	}
	fd = attr_diag_socket();
	if (fd < 0) {
		snprintf(why, cap, "sock_diag: no NETLINK_SOCK_DIAG socket: %s", strerror(errno));
		return -1;
	}
	rc = attr_diag_dump(fd, count_sock, &n, why, cap);
	close(fd);
	return rc;
}

const struct attr_backend attr_be_diag = {
	.name = "sock_diag",
	.open = diag_open,
	.tables = ATTR_TABLES_DIAG,
	.period_ms = 1000,
};
