#include "base/clock.h"
#include "capture/capture_int.h"

#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include "base/xalloc.h"
#include "capture/pcapfile.h"

/* Live and libpcap-read captures filter in libpcap (or the kernel); the
 * fast file reader runs the same compiled program per frame. */
static int set_filter(struct capture *c, const char *expr, struct wt_err *err)
{
	pcap_t *p = c->p ? c->p : pcap_open_dead(c->linktype, 262144);
	if (!p)
		return wt_err_set(err, WT_ERR_NOMEM, "cannot compile filter");
	int rc = 0;
	if (pcap_compile(p, &c->prog, expr, 1, PCAP_NETMASK_UNKNOWN) < 0)
		rc = wt_err_set(err, WT_ERR_USAGE, "bad --bpf-filter '%s': %s", expr, pcap_geterr(p));
	else if (c->p && pcap_setfilter(c->p, &c->prog) < 0)
		rc = wt_err_set(err, WT_ERR_SYSTEM, "cannot set filter: %s", pcap_geterr(c->p));
	else
		c->has_prog = !c->p;
	if (!c->p)
		pcap_close(p);
	if (!c->has_prog && rc == 0)
		pcap_freecode(&c->prog);
	return rc;
}

static bool frame_passes(const struct capture *c, const struct frame *f)
{
	struct pcap_pkthdr h = { .caplen = f->caplen, .len = f->wirelen };
	return pcap_offline_filter(&c->prog, &h, f->data) != 0;
}

static int open_with_libpcap(struct capture *c, const char *path, struct wt_err *err)
{
	char eb[PCAP_ERRBUF_SIZE] = "";
	c->p = pcap_open_offline_with_tstamp_precision(path, PCAP_TSTAMP_PRECISION_MICRO, eb);
	if (!c->p)
		return wt_err_set(err, WT_ERR_INPUT, "%s: %s", path, eb[0] ? eb : "cannot read capture");
	c->linktype = pcap_datalink(c->p);
	return 0;
}

/* Our own reader handles pcap and pcapng; anything else goes to libpcap. */
static int open_offline(struct capture *c, const struct capture_opts *o, struct wt_err *err)
{
	bool is_stdin = strcmp(o->path, "-") == 0;
	snprintf(c->name, sizeof c->name, "%s", is_stdin ? "stdin" : o->path);
	/* O_NONBLOCK: opening a FIFO must not wait for its writer (the
	 * reader waits in poll, where a stop can end it) */
	c->fd = is_stdin ? 0 : open(o->path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	if (c->fd < 0)
		return wt_err_set(err, WT_ERR_INPUT, "%s: %s", o->path, strerror(errno));
	c->wake_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	if (c->wake_fd < 0)
		return wt_err_set(err, WT_ERR_SYSTEM, "eventfd: %s", strerror(errno));
	const int stop[2] = { o->stop_fd > 0 ? o->stop_fd : -1, c->wake_fd };
	int rc = pcapfile_open(&c->file, c->fd, c->name, stop, err);
	if (rc > 0) {
		c->linktype = pcapfile_linktype(c->file);
		return 0;
	}
	if (!is_stdin)
		close(c->fd);
	c->fd = -1;
	if (rc < 0)
		return -1;
	return open_with_libpcap(c, o->path, err);
}

int capture_open(struct capture **out, const struct capture_opts *o, struct wt_err *err)
{
	struct capture *c = xcalloc(1, sizeof *c);
	c->fd = -1;
	int rc = o->path ? open_offline(c, o, err) : capture_open_live(c, o, err);
	if (rc == 0 && o->bpf_filter && *o->bpf_filter)
		rc = set_filter(c, o->bpf_filter, err);
	if (rc < 0) {
		capture_close(c);
		return -1;
	}
	if (c->p)
		c->linktype = pcap_datalink(c->p);
	*out = c;
	return 0;
}

void capture_close(struct capture *c)
{
	if (!c)
		return;
	if (c->p)
		pcap_close(c->p);
	pcapfile_close(c->file);
	if (c->has_prog)
		pcap_freecode(&c->prog);
	if (c->fd > 0)
		close(c->fd);
	if (c->live)
		capture_close_live(c);
	else if (c->wake_fd > 0)
		close(c->wake_fd);
	free(c);
}

int capture_pcap_next(struct capture *c, struct frame *f)
{
	struct pcap_pkthdr *h;
	const u_char *data;
	int rc = pcap_next_ex(c->p, &h, &data);
	if (rc != 1)
		return rc;
	f->data = data;
	f->caplen = h->caplen;
	f->wirelen = h->len;
	f->ts_us = (uint64_t)h->ts.tv_sec * US_PER_SEC + (uint64_t)h->ts.tv_usec;
	f->linktype = c->linktype;
	f->window = CAPTURE_NO_WINDOW;
	return 1;
}

enum capture_result capture_next(struct capture *c, struct frame *f, struct wt_err *err)
{
	if (c->file) {
		enum capture_result rc;
		do
			rc = pcapfile_next(c->file, f, err);
		while (rc == CAPTURE_FRAME && c->has_prog && !frame_passes(c, f));
		return rc;
	}
	if (c->live)
		return capture_next_live(c, f, err);
	int rc = capture_pcap_next(c, f);
	if (rc == 1)
		return CAPTURE_FRAME;
	if (rc == PCAP_ERROR_BREAK)
		return CAPTURE_EOF; /* end of the file, or capture_break */
	wt_err_set(err, WT_ERR_INPUT, "%s: %s", c->name, pcap_geterr(c->p));
	return CAPTURE_BROKEN;
}

int capture_linktype(const struct capture *c) { return c->linktype; }
const char *capture_name(const struct capture *c) { return c->name; }
bool capture_is_live(const struct capture *c) { return c->live; }

uint64_t capture_kernel_drops(struct capture *c)
{
	struct pcap_stat st;
	if (!c->live || pcap_stats(c->p, &st) < 0)
		return 0;
	return (uint64_t)st.ps_drop + st.ps_ifdrop;
}

bool capture_has_windows(const struct capture *c)
{
	return c->file && pcapfile_windowed(c->file);
}

void capture_set_window_gate(struct capture *c, bool (*gate)(void *ctx, uint32_t window), void *ctx)
{
	if (c->file)
		pcapfile_set_gate(c->file, gate, ctx);
}

/* /proc/net/route: the row with destination 0 and mask 0 is the default. */
static bool default_from_route(char *buf, size_t cap)
{
	FILE *f = fopen("/proc/net/route", "r");
	if (!f)
		return false;
	char line[512], name[IF_NAMESIZE + 1];
	unsigned long dest, gw, flags, mask;
	bool found = false;
	while (!found && fgets(line, sizeof line, f)) {
		if (sscanf(line, "%16s %lx %lx %lx %*s %*s %*s %lx", name, &dest, &gw, &flags, &mask) == 5 &&
		    dest == 0 && mask == 0 && (flags & 1)) {
			snprintf(buf, cap, "%s", name);
			found = true;
		}
	}
	fclose(f);
	return found;
}

static bool default_from_route6(char *buf, size_t cap)
{
	FILE *f = fopen("/proc/net/ipv6_route", "r");
	if (!f)
		return false;
	char line[512], dest[40], name[IF_NAMESIZE + 1];
	unsigned plen;
	bool found = false;
	while (!found && fgets(line, sizeof line, f)) {
		if (sscanf(line, "%32s %x %*s %*s %*s %*s %*s %*s %*s %16s", dest, &plen, name) == 3 &&
		    plen == 0 && strcmp(name, "lo") != 0 && strspn(dest, "0") == 32) {
			snprintf(buf, cap, "%s", name);
			found = true;
		}
	}
	fclose(f);
	return found;
}

int capture_default_iface(char *buf, size_t cap, struct wt_err *err)
{
	if (default_from_route(buf, cap) || default_from_route6(buf, cap))
		return 0;
	char eb[PCAP_ERRBUF_SIZE];
	pcap_if_t *all = NULL;
	if (pcap_findalldevs(&all, eb) == 0) {
		for (pcap_if_t *d = all; d; d = d->next) {
			if ((d->flags & PCAP_IF_LOOPBACK) || !(d->flags & PCAP_IF_UP) ||
			    strcmp(d->name, "any") == 0)
				continue;
			snprintf(buf, cap, "%s", d->name);
			pcap_freealldevs(all);
			return 0;
		}
		pcap_freealldevs(all);
	}
	return wt_err_set(err, WT_ERR_INPUT, "no default interface: choose one with -i (or -i any)");
}

void capture_list_ifaces(char *buf, size_t cap)
{
	char eb[PCAP_ERRBUF_SIZE];
	pcap_if_t *all = NULL;
	size_t o = 0;
	buf[0] = '\0';
	if (pcap_findalldevs(&all, eb) != 0)
		return;
	for (pcap_if_t *d = all; d && o + 2 < cap; d = d->next) {
		int n = snprintf(buf + o, cap - o, "%s%s", o ? ", " : "", d->name);
		if (n < 0 || (size_t)n >= cap - o)
			break;
		o += (size_t)n;
	}
	pcap_freealldevs(all);
}
