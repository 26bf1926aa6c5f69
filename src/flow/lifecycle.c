#include "flow/lifecycle.h"

#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "base/clock.h"
#include "flow/state.h"

static const struct {
	const char *name;
	uint32_t sec;
	const char *help;
} table[TO_COUNT] = {
	[TO_TCP_SYN] = {"tcp_syn", 60, "TCP handshake not completed"},
	[TO_TCP_ESTABLISHED] = {"tcp_established", 300, "idle established TCP"},
	[TO_TCP_CLOSING] = {"tcp_closing", 60, "TCP after a FIN from one side"},
	[TO_TCP_CLOSED] = {"tcp_closed", 5, "TCP closed (RST or FIN both ways), TIME_WAIT"},
	[TO_SSH] = {"ssh", 1800, "idle SSH session"},
	[TO_UDP] = {"udp", 60, "idle UDP of no known protocol"},
	[TO_DNS] = {"dns", 30, "DNS, mDNS and LLMNR"},
	[TO_QUIC] = {"quic", 300, "idle QUIC without an idle timeout of its own"},
	[TO_QUIC_DRAINING] = {"quic_draining", 10, "QUIC draining"},
	[TO_QUIC_CLOSED] = {"quic_closed", 1, "QUIC after CONNECTION_CLOSE"},
	[TO_ICMP] = {"icmp", 30, "ICMP and ICMPv6"},
	[TO_ARP] = {"arp", 30, "ARP"},
	[TO_IP] = {"ip", 180, "other IP protocols: GRE, ESP, AH, SCTP, IGMP, ..."},
};

void timeouts_default(struct timeouts *t)
{
	for (int i = 0; i < TO_COUNT; i++)
		t->sec[i] = table[i].sec;
}

const char *timeout_name(enum timeout_id id) { return table[id].name; }
const char *timeout_help(enum timeout_id id) { return table[id].help; }
uint32_t timeout_default_sec(enum timeout_id id) { return table[id].sec; }

int timeouts_set(struct timeouts *t, const char *setting, struct wt_err *err)
{
	const char *eq = strchr(setting, '=');
	if (!eq)
		return wt_err_set(err, WT_ERR_USAGE, "timeout '%s': expected NAME=SECONDS", setting);
	size_t n = (size_t)(eq - setting);
	for (int i = 0; i < TO_COUNT; i++) {
		if (strlen(table[i].name) != n || strncmp(table[i].name, setting, n) != 0)
			continue;
		char *end;
		errno = 0;
		unsigned long v = strtoul(eq + 1, &end, 10);
		if (errno || end == eq + 1 || *end || v == 0 || v > 86400 * 7)
			return wt_err_set(err, WT_ERR_USAGE,
					  "timeout '%s': seconds must be 1..604800", setting);
		t->sec[i] = (uint32_t)v;
		return 0;
	}
	return wt_err_set(err, WT_ERR_USAGE, "unknown timeout '%.*s' (see --help)", (int)n, setting);
}

static enum timeout_id tcp_timeout(const struct flow *f)
{
	if (tcp_is_closed(f))
		return TO_TCP_CLOSED;
	if (f->tcp[0].fin || f->tcp[1].fin)
		return TO_TCP_CLOSING;
	if (!f->established)
		return TO_TCP_SYN;
	return f->meta.app == APP_SSH ? TO_SSH : TO_TCP_ESTABLISHED;
}

static enum timeout_id udp_timeout(const struct flow *f)
{
	switch (f->meta.app) {
	case APP_DNS:
	case APP_MDNS:
	case APP_LLMNR:
		return TO_DNS;
	case APP_QUIC:
	case APP_GQUIC:
		if (f->meta.app_state == APP_STATE_QUIC_CLOSED)
			return TO_QUIC_CLOSED;
		if (f->meta.app_state == APP_STATE_QUIC_DRAINING)
			return TO_QUIC_DRAINING;
		return TO_QUIC;
	default:
		return TO_UDP;
	}
}

static enum timeout_id timeout_of(const struct flow *f)
{
	switch (f->key.l4) {
	case L4_TCP: return tcp_timeout(f);
	case L4_UDP: return udp_timeout(f);
	case L4_ARP: return TO_ARP;
	case L4_ICMP:
	case L4_ICMPV6: return TO_ICMP;
	default: return TO_IP;
	}
}

uint64_t flow_timeout_us(const struct flow *f, const struct timeouts *t)
{
	enum timeout_id id = timeout_of(f);
	uint64_t sec = t->sec[id];
	/* QUIC states its own idle timeout: honour it, within sane bounds. */
	uint64_t idle_ms = 0;
	if (id == TO_QUIC && meta_num(&f->meta, META_QUIC_IDLE_MS, &idle_ms) && idle_ms) {
		uint64_t q = idle_ms / MS_PER_SEC + 1;
		sec = q < 10 ? 10 : q > 3600 ? 3600 : q;
	}
	bool closing = id == TO_TCP_CLOSED || id == TO_QUIC_CLOSED || id == TO_QUIC_DRAINING;
	if (!closing && f->packets[0] + f->packets[1] >= BUSY_FLOW_PACKETS)
		sec *= 2;
	return sec * US_PER_SEC;
}
