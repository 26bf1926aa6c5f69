/* live.c - capturing from an interface: libpcap in non-blocking mode on a
 * TPACKET_V3 ring, a wait that a tick, a request or a stop can cut short,
 * the interface's link state, and carrying on when it comes back.
 *
 * The kernel hands the ring over in blocks, each released when full or
 * when its timeout (capture_opts.timeout_ms, 50 ms) passes with a packet
 * in it, so a lone packet is readable at most that long after it arrived.
 * Reads never block: capture_wait() polls the ring and an eventfd, so the
 * caller wakes for its own clock on a silent link too.
 *
 * A link taken down leaves the packet socket bound: the kernel resumes it
 * when the link is up again. An interface that disappears unbinds it; when
 * one of the same name and kind appears, capture_reattach() binds the same
 * socket to it, which needs no privilege (those were dropped long ago).
 */
#include "capture/capture_int.h"

#include <arpa/inet.h>
#include <errno.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <net/if.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include "base/str.h"

static const char need_priv[] =
	"need CAP_NET_RAW to capture: run with sudo, or grant it once with "
	"'sudo setcap cap_net_raw,cap_net_admin=eip %s'";

static int activate_error(struct capture *c, int rc, const char *iface, struct wt_err *err)
{
	char self[512] = "wiretop";
	ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
	if (n > 0)
		self[n] = '\0';
	if (rc == PCAP_ERROR_PERM_DENIED)
		return wt_err_set(err, WT_ERR_PERM, need_priv, self);
	if (rc == PCAP_ERROR_NO_SUCH_DEVICE) {
		char list[256];
		capture_list_ifaces(list, sizeof list);
		return wt_err_set(err, WT_ERR_INPUT, "unknown interface '%s' (available: %s)", iface, list);
	}
	if (rc == PCAP_ERROR_IFACE_NOT_UP)
		return wt_err_set(err, WT_ERR_INPUT, "interface '%s' is down", iface);
	return wt_err_set(err, WT_ERR_SYSTEM, "%s: %s", iface, pcap_geterr(c->p));
}

/* An interface request on the capture's own socket (no new socket needed). */
static int if_ioctl(const struct capture *c, unsigned long req, struct ifreq *ifr)
{
	memset(ifr, 0, sizeof *ifr);
	str_copy(ifr->ifr_name, sizeof ifr->ifr_name, c->name);
	return ioctl(pcap_get_selectable_fd(c->p), req, ifr);
}

static int hw_type(const struct capture *c)
{
	struct ifreq ifr;
	return if_ioctl(c, SIOCGIFHWADDR, &ifr) == 0 ? ifr.ifr_hwaddr.sa_family : -1;
}

int capture_open_live(struct capture *c, const struct capture_opts *o, struct wt_err *err)
{
	char eb[PCAP_ERRBUF_SIZE] = "";
	char def[IF_NAMESIZE + 1];
	const char *iface = o->iface;
	if (!iface) {
		if (capture_default_iface(def, sizeof def, err) < 0)
			return -1;
		iface = def;
	}
	snprintf(c->name, sizeof c->name, "%s", iface);
	c->live = true;
	c->any = strcmp(iface, "any") == 0;
	c->wake_fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	if (c->wake_fd < 0)
		return wt_err_set(err, WT_ERR_SYSTEM, "eventfd: %s", strerror(errno));
	c->p = pcap_create(iface, eb);
	if (!c->p)
		return wt_err_set(err, WT_ERR_INPUT, "%s: %s", iface, eb);
	pcap_set_snaplen(c->p, o->snaplen ? o->snaplen : 262144);
	pcap_set_promisc(c->p, 0);
	/* Buffered mode on purpose: in immediate mode libpcap falls back to
	 * fixed ring slots sized by the snap length, so a 64 MiB ring holds a
	 * few hundred frames and a burst overflows it. A block is released
	 * when full or after the timeout (50 ms) with a packet in it. */
	pcap_set_immediate_mode(c->p, 0);
	c->block_timeout_ms = o->timeout_ms ? o->timeout_ms : 50;
	pcap_set_timeout(c->p, c->block_timeout_ms);
	pcap_set_buffer_size(c->p, (o->buffer_mb ? o->buffer_mb : 64) << 20);
	pcap_set_tstamp_precision(c->p, PCAP_TSTAMP_PRECISION_MICRO);
	int rc = pcap_activate(c->p);
	if (rc < 0)
		return activate_error(c, rc, iface, err);
	if (pcap_setnonblock(c->p, 1, eb) < 0)
		return wt_err_set(err, WT_ERR_SYSTEM, "%s: %s", iface, eb);
	c->hwtype = c->any ? -1 : hw_type(c);
	return 0;
}

void capture_close_live(struct capture *c)
{
	if (c->wake_fd > 0)
		close(c->wake_fd);
}

/* The interface index the packet socket is bound to; -1 once its
 * interface is gone (the kernel unbinds it), 0 for "any". */
static int bound_ifindex(const struct capture *c)
{
	struct sockaddr_ll sll;
	socklen_t len = sizeof sll;
	memset(&sll, 0, sizeof sll);
	if (getsockname(pcap_get_selectable_fd(c->p), (struct sockaddr *)&sll, &len) < 0)
		return -1;
	return sll.sll_ifindex;
}

/* The socket lost its interface: unbound by the kernel, or the name no
 * longer names the interface it is bound to (the two happen one after the
 * other when an interface is deleted). */
static bool interface_lost(const struct capture *c)
{
	if (!c->live || c->any)
		return false;
	int bound = bound_ifindex(c);
	struct ifreq ifr;
	return bound < 0 || if_ioctl(c, SIOCGIFINDEX, &ifr) < 0 || ifr.ifr_ifindex != bound;
}

enum capture_result capture_next_live(struct capture *c, struct frame *f, struct wt_err *err)
{
	int rc = capture_pcap_next(c, f);
	if (rc == 1)
		return CAPTURE_FRAME;
	if (rc == 0 || rc == PCAP_ERROR_BREAK)
		return CAPTURE_TIMEOUT;
	if (interface_lost(c)) {
		wt_err_set(err, WT_ERR_INPUT, "%s: the interface disappeared", c->name);
		return CAPTURE_GONE;
	}
	wt_err_set(err, WT_ERR_INPUT, "%s: %s", c->name, pcap_geterr(c->p));
	return CAPTURE_ERROR;
}

uint64_t capture_block_timeout_us(const struct capture *c)
{
	return (uint64_t)c->block_timeout_ms * 1000;
}

void capture_wait(struct capture *c, int timeout_ms)
{
	if (!c->live)
		return;
	struct pollfd pf[2] = {
		{ .fd = pcap_get_selectable_fd(c->p), .events = POLLIN },
		{ .fd = c->wake_fd, .events = POLLIN },
	};
	if (poll(pf, 2, timeout_ms) > 0 && (pf[1].revents & POLLIN)) {
		uint64_t n;
		if (read(c->wake_fd, &n, sizeof n) < 0 && errno != EAGAIN)
			return; /* nothing to drain */
	}
}

void capture_break(struct capture *c)
{
	if (!c->live && c->p)
		pcap_breakloop(c->p);
	uint64_t one = 1;
	if (c->wake_fd > 0 && write(c->wake_fd, &one, sizeof one) < 0)
		return; /* the counter is saturated: a wake-up is pending anyway */
}

enum capture_link capture_link(struct capture *c)
{
	if (!c->live || c->any)
		return CAPTURE_LINK_UP;
	struct ifreq ifr;
	if (interface_lost(c) || if_ioctl(c, SIOCGIFFLAGS, &ifr) < 0)
		return CAPTURE_LINK_GONE;
	if (!(ifr.ifr_flags & IFF_UP))
		return CAPTURE_LINK_DOWN;
	return (ifr.ifr_flags & IFF_RUNNING) ? CAPTURE_LINK_UP : CAPTURE_LINK_NO_CARRIER;
}

bool capture_reattach(struct capture *c)
{
	if (!interface_lost(c))
		return true;
	struct ifreq ifr;
	if (if_ioctl(c, SIOCGIFINDEX, &ifr) < 0 || hw_type(c) != c->hwtype)
		return false;
	struct sockaddr_ll sll;
	memset(&sll, 0, sizeof sll);
	sll.sll_family = AF_PACKET;
	sll.sll_protocol = htons(ETH_P_ALL);
	sll.sll_ifindex = ifr.ifr_ifindex;
	return bind(pcap_get_selectable_fd(c->p), (struct sockaddr *)&sll, sizeof sll) == 0;
}
