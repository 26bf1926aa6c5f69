/* test_tui_host.c - tui/host.h: the Host view's sockets credited with the
 * connections the UI holds (a TCP listener with the connections it
 * accepted, a bound UDP socket with the flows on its port, the most
 * specific socket first), and since when each socket is shown. */
#include <arpa/inet.h>
#include <string.h>

#include "base/clock.h"
#include "base/macros.h"
#include "check.h"
#include "decode/pkt.h"
#include "tui/host.h"

#define T0 (1700000000ull * US_PER_SEC)

static void addr(uint8_t out[16], const char *text)
{
	memset(out, 0, 16);
	inet_pton(strchr(text, ':') ? AF_INET6 : AF_INET, text, out);
}

static struct host_socket *sock(struct host *h, uint8_t l4, const char *a, uint16_t port,
				uint64_t netns, int32_t pid)
{
	struct host_socket *s = &h->v[h->n++];
	memset(s, 0, sizeof *s);
	s->l4 = l4;
	s->family = strchr(a, ':') ? 6 : 4;
	addr(s->addr, a);
	s->port = port;
	s->netns = netns;
	s->pid = pid;
	return s;
}

static struct conn_row row(uint8_t l4, const char *src, uint16_t sport, const char *dst,
			   uint16_t dport, uint64_t src_bytes, uint64_t dst_bytes)
{
	struct conn_row r;
	memset(&r, 0, sizeof r);
	r.l4 = l4;
	r.family = strchr(src, ':') ? 6 : 4;
	addr(r.src, src);
	addr(r.dst, dst);
	r.sport = sport;
	r.dport = dport;
	r.src_bytes = src_bytes;
	r.dst_bytes = dst_bytes;
	r.proc_side = -1;
	r.local_side = -1;
	return r;
}

#define CHECK_TRAFFIC(s, c, in, out)                                   \
	do {                                                           \
		CHECK_INT((int)(s)->conns, (c));                       \
		CHECK_INT((int)(s)->in_bytes, (in));                   \
		CHECK_INT((int)(s)->out_bytes, (out));                 \
	} while (0)

/* A TCP listener counts the connections made to its address and port
 * (the responder's end, unless the tracker marked it remote), not those
 * its port began; the same address
 * beats the wildcard, and :: takes IPv4 when nothing else does. A bound
 * UDP socket counts flows on either end. In: what the remote ends sent. */
static void test_join_by_port_and_address(void)
{
	struct host_socket v[8];
	struct host h = { .v = v, .cap = ARRAY_LEN(v) };
	struct host_socket *any80 = sock(&h, L4_TCP, "0.0.0.0", 80, 1, 10);
	struct host_socket *lo80 = sock(&h, L4_TCP, "127.0.0.1", 80, 1, 11);
	struct host_socket *ssh = sock(&h, L4_TCP, "10.0.0.1", 22, 1, 12);
	struct host_socket *v6any = sock(&h, L4_TCP, "::", 443, 1, 13);
	struct host_socket *dns = sock(&h, L4_UDP, "0.0.0.0", 53, 1, 14);
	struct conn_row rows[] = {
		row(L4_TCP, "192.168.1.5", 40000, "10.0.0.7", 80, 100, 1000),
		row(L4_TCP, "192.168.1.6", 40002, "10.0.0.7", 80, 20, 30),
		row(L4_TCP, "127.0.0.1", 40001, "127.0.0.1", 80, 7, 9),
		row(L4_TCP, "10.0.0.7", 80, "192.168.1.5", 50000, 5, 5),   /* begun from port 80 */
		row(L4_TCP, "1.2.3.4", 5555, "10.0.0.7", 443, 300, 4000),  /* IPv4 to :: */
		row(L4_TCP, "2001:db8::1", 5556, "2001:db8::7", 443, 1, 2),
		row(L4_TCP, "192.168.1.5", 40003, "10.0.0.2", 22, 50, 60), /* another address */
		row(L4_UDP, "192.168.1.5", 5000, "10.0.0.7", 53, 60, 200),
		row(L4_UDP, "10.0.0.7", 53, "8.8.8.8", 53, 70, 400),       /* it began: out 70 */
		row(L4_UDP, "192.168.1.5", 5001, "10.0.0.7", 80, 1, 1),    /* UDP, not TCP's 80 */
	};
	rows[8].local_side = 0; /* 8.8.8.8:53 is not this host's */
	rows[2].local_side = 0; /* loopback: both ends are, the initiator marked */
	host_join(&h, rows, ARRAY_LEN(rows));
	CHECK_TRAFFIC(any80, 2, 120, 1030);
	CHECK_TRAFFIC(lo80, 1, 7, 9);
	CHECK_TRAFFIC(ssh, 0, 0, 0);
	CHECK_TRAFFIC(v6any, 2, 301, 4002);
	CHECK_TRAFFIC(dns, 2, 60 + 400, 200 + 70);
	host_join(&h, rows, 1); /* counted anew each time */
	CHECK_TRAFFIC(any80, 1, 100, 1000);
	CHECK_TRAFFIC(dns, 0, 0, 0);
}

/* The same port in two namespaces: the socket of the process the row
 * names wins; without one, the first listed. */
static void test_join_prefers_the_rows_process(void)
{
	struct host_socket v[2];
	struct host h = { .v = v, .cap = ARRAY_LEN(v) };
	struct host_socket *a = sock(&h, L4_TCP, "0.0.0.0", 8080, 1, 20);
	struct host_socket *b = sock(&h, L4_TCP, "0.0.0.0", 8080, 2, 21);
	struct conn_row rows[2] = {
		row(L4_TCP, "192.168.1.5", 40000, "10.0.0.7", 8080, 1, 2),
		row(L4_TCP, "192.168.1.5", 40001, "10.0.0.7", 8080, 3, 4),
	};
	rows[1].proc.pid = 21;
	rows[1].proc_side = 1;
	host_join(&h, rows, 2);
	CHECK_TRAFFIC(a, 1, 1, 2);
	CHECK_TRAFFIC(b, 1, 3, 4);
	rows[1].proc_side = 0; /* the process is the other end's: no say */
	host_join(&h, rows, 2);
	CHECK_TRAFFIC(a, 2, 4, 6);
}

/* What the fake source lists: a listener whose process started at
 * T0 - 1 h, a socket without a process, and from the second listing on
 * a third. */
struct fake {
	int listings;
};

static int list(void *ctx, attr_listener_fn fn, void *arg, struct attr_listen_reach *reach,
		struct wt_err *err)
{
	struct fake *f = ctx;
	struct attr_listener l;
	memset(&l, 0, sizeof l);
	l.l4 = L4_TCP;
	l.family = 4;
	l.port = 80;
	l.netns = 1;
	l.proc.ref.pid = 10;
	snprintf(l.proc.ref.name, sizeof l.proc.ref.name, "nginx");
	l.started_us = T0 - 3600 * US_PER_SEC;
	fn(arg, &l);
	if (++f->listings > 1) {
		l.port = 81;
		l.proc.ref.pid = 0;
		l.started_us = 0;
		fn(arg, &l);
	}
	memset(&l.proc, 0, sizeof l.proc);
	l.started_us = 0;
	l.l4 = L4_UDP;
	l.port = 53;
	fn(arg, &l);
	return 0;
}

static const struct host_socket *find(const struct host *h, uint8_t l4, uint16_t port)
{
	for (size_t i = 0; i < h->n; i++)
		if (h->v[i].l4 == l4 && h->v[i].port == port)
			return &h->v[i];
	return NULL;
}

/* Since: the owning process's start; without a process, when the socket
 * was first listed, kept from listing to listing. */
static void test_since(void)
{
	struct host h;
	struct fake f = { 0 };
	memset(&h, 0, sizeof h);
	host_build(&h, list, &f, T0);
	CHECK_INT((int)h.n, 2);
	const struct host_socket *s = find(&h, L4_TCP, 80);
	CHECK(s && !s->since_listed && s->since_us == T0 - 3600 * US_PER_SEC);
	s = find(&h, L4_UDP, 53);
	CHECK(s && s->since_listed && s->since_us == T0);
	host_build(&h, list, &f, T0 + 5 * US_PER_SEC);
	CHECK_INT((int)h.n, 3);
	s = find(&h, L4_UDP, 53);
	CHECK(s && s->since_listed && s->since_us == T0);
	s = find(&h, L4_TCP, 81);
	CHECK(s && s->since_listed && s->since_us == T0 + 5 * US_PER_SEC);
	host_fini(&h);
}

int main(void)
{
	RUN(test_join_by_port_and_address);
	RUN(test_join_prefers_the_rows_process);
	RUN(test_since);
	return check_summary("test_tui_host");
}
