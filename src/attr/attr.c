/* attr.c - process attribution: back-end choice, the attribution thread,
 * and the lookups readers make.
 *
 * DESIGN
 *   attr_open (caller's thread, while privileged) tries the back ends best
 *   first (ebpf, sock_diag, procfs, none), keeps the first that opens and a
 *   note for each that did not, starts the attribution helper when asked
 *   and worth it (helper.c), then starts the attribution thread.
 *
 *   The attribution thread alone talks to the kernel, the helper and
 *   /proc. It waits on the back end's descriptor (the eBPF ring buffer)
 *   and a self-pipe, consumes events as they come, scans socket tables
 *   (in the helper, else here: scan.c) periodically (sock_diag, procfs)
 *   or when a reader missed (never more often than MISS_GAP_MS),
 *   refreshes the host's addresses every ADDRS_MS, and resolves pids
 *   readers asked about.
 *
 *   Readers (any thread) call attr_lookup*, attr_lookup_detail,
 *   attr_get_stats: they take a->mu for a hash lookup and a copy, never do
 *   I/O, and at most write one byte to the self-pipe to ask for a scan.
 *   The thread holds a->mu only to store results, never across I/O.
 *   attr_listening_of (the Host view) copies the last scan's listening
 *   sockets the same way, asks for the next scan, and reads /proc in its
 *   caller's thread only for an owner the thread has not looked at yet.
 *
 *   attr_close (the opener's thread) sets stop under the lock, wakes the
 *   thread, joins it, stops the helper, then lets the back end detach and
 *   free.
 */
#include "attr/attr_int.h"

#include <errno.h>
#include <fcntl.h>
#include <ifaddrs.h>
#include <netinet/in.h>
#include <poll.h>
#include <linux/capability.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "base/clock.h"
#include "base/macros.h"
#include "base/str.h"
#include "base/xalloc.h"
#include "decode/pkt.h"

#define MISS_GAP_MS 200 /* at most this often a scan because a lookup missed */
#define ADDRS_MS 5000

/* ---- back-end choice ------------------------------------------------------- */

struct be_name {
	const char *name;
	size_t index; /* into backends[] */
};

static const struct attr_backend *const backends[] = {
	&attr_be_ebpf,
	&attr_be_diag,
	&attr_be_procfs,
	&attr_be_none,
};

#define NBACKENDS ARRAY_LEN(backends)

static const struct be_name be_names[] = {
	{ "bpf", 0 },    { "ebpf", 0 },   { "diag", 1 }, { "sock_diag", 1 },
	{ "procfs", 2 }, { "none", 3 },
};

/* Index of the first back end to try, and whether to try the rest. */
static int parse_backend(const char *s, size_t *first, bool *cascade)
{
	*first = 0;
	*cascade = true;
	if (!s || !*s || strcmp(s, "auto") == 0)
		return 0;
	for (size_t i = 0; i < ARRAY_LEN(be_names); i++) {
		if (strcmp(s, be_names[i].name) == 0) {
			*first = be_names[i].index;
			*cascade = false;
			return 0;
		}
	}
	return -1;
}

void attr_notes_add(struct attr *a, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	str_vnote(a->notes, sizeof a->notes, fmt, ap);
	va_end(ap);
}

/* Tries the chosen back end (and, for auto, every worse one); "none" is
 * always last and always opens. */
static void choose_backend(struct attr *a, size_t first, bool cascade)
{
	for (size_t i = first; i < NBACKENDS; i++) {
		char why[256] = "";
		if (!cascade && i != first && backends[i] != &attr_be_none)
			continue;
		if (backends[i]->open(a, why, sizeof why) == 0) {
			a->be = backends[i];
			return;
		}
		attr_notes_add(a, "%s", why[0] ? why : backends[i]->name);
	}
}

/* ---- scans: in the helper or in this process ----------------------------- */

static bool holds_helper_caps(void)
{
	struct __user_cap_header_struct hdr = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct d[_LINUX_CAPABILITY_U32S_3];
	uint32_t want = (1u << CAP_SYS_PTRACE) | (1u << CAP_DAC_READ_SEARCH);

	memset(d, 0, sizeof d);
	return syscall(SYS_capget, &hdr, d) == 0 && (d[0].permitted & want) == want;
}

/* The helper when asked for and worth it (this process holds what it
 * keeps); scans in this process otherwise. */
static void start_scans(struct attr *a, const struct attr_opts *o)
{
	char why[256];

	if (!a->be->tables)
		return;
	if (o && o->helper && !holds_helper_caps()) {
		attr_notes_add(a, "no helper: it needs CAP_SYS_PTRACE and CAP_DAC_READ_SEARCH "
				  "(run as root) to name other users' processes");
	} else if (o && o->helper) {
		struct attr_helper_opts ho = { o->helper_exe, a->proc_root, a->runtime_root,
					       a->be->tables, o->helper_violation };
		if (attr_helper_start(&a->helper, &ho, why, sizeof why) < 0)
			attr_notes_add(a, "%s", why);
	}
	if (!a->helper)
		a->scanner = attr_scanner_new(a->proc_root, a->be->tables);
}

int attr_scan(struct attr *a, attr_sock_fn fn, void *ctx, struct attr_reach *reach)
{
	struct attr_helper *gone;

	if (a->helper) {
		int rc = attr_helper_scan(a->helper, fn, ctx, reach);
		if (rc != ATTR_HELPER_GONE)
			return rc;
		/* scans go on here, seeing what this process may */
		pthread_mutex_lock(&a->mu);
		gone = a->helper;
		a->helper = NULL;
		a->helper_lost = true;
		pthread_mutex_unlock(&a->mu);
		attr_helper_stop(gone);
		a->scanner = attr_scanner_new(a->proc_root, a->be->tables);
	}
	return attr_scanner_run(a->scanner, fn, ctx, reach);
}

/* ---- the thread --------------------------------------------------------------- */

/* The host's addresses in our namespace, replacing the previous list. */
static void refresh_locals(struct attr *a)
{
	struct ifaddrs *ifs = NULL;
	struct attr_addr tmp[ATTR_LOCALS_MAX];
	uint32_t n = 0;

	if (getifaddrs(&ifs) != 0)
		return;
	for (struct ifaddrs *i = ifs; i && n < ATTR_LOCALS_MAX; i = i->ifa_next) {
		if (!i->ifa_addr)
			continue;
		memset(&tmp[n], 0, sizeof tmp[n]);
		if (i->ifa_addr->sa_family == AF_INET) {
			tmp[n].family = 4;
			memcpy(tmp[n].addr, &((struct sockaddr_in *)(void *)i->ifa_addr)->sin_addr, 4);
			n++;
		} else if (i->ifa_addr->sa_family == AF_INET6) {
			tmp[n].family = 6;
			memcpy(tmp[n].addr, &((struct sockaddr_in6 *)(void *)i->ifa_addr)->sin6_addr, 16);
			n++;
		}
	}
	freeifaddrs(ifs);
	pthread_mutex_lock(&a->mu);
	a->nlocals = 0;
	for (uint32_t i = 0; i < n; i++)
		attr_locals_add(a, tmp[i].family, tmp[i].addr);
	pthread_mutex_unlock(&a->mu);
}

static void drain(int fd)
{
	char buf[64];
	while (read(fd, buf, sizeof buf) > 0)
		;
}

struct tick {
	bool stop, want_scan;
	int32_t pids[ATTR_WANT_PIDS];
	uint32_t npids;
};

static void take_requests(struct attr *a, struct tick *t)
{
	pthread_mutex_lock(&a->mu);
	a->wake_pending = false;
	t->stop = a->stop;
	t->want_scan = a->want_scan;
	t->npids = a->nwant_pids;
	memcpy(t->pids, a->want_pids, sizeof t->pids);
	a->nwant_pids = 0;
	pthread_mutex_unlock(&a->mu);
}

struct clock_plan {
	uint64_t next_scan, last_scan, next_addrs;
};

static int wait_ms(const struct attr *a, const struct clock_plan *c, bool want, uint64_t now)
{
	uint64_t due = c->next_addrs;

	if (a->be->tables && c->next_scan < due)
		due = c->next_scan;
	if (a->be->tables && want && c->last_scan + MISS_GAP_MS < due)
		due = c->last_scan + MISS_GAP_MS;
	return due <= now ? 0 : (int)(due - now);
}

static void maybe_scan(struct attr *a, struct clock_plan *c, bool want, uint64_t now)
{
	bool periodic = now >= c->next_scan;

	if (!a->be->tables || !(periodic || (want && now >= c->last_scan + MISS_GAP_MS)))
		return;
	pthread_mutex_lock(&a->mu);
	a->want_scan = false;
	pthread_mutex_unlock(&a->mu);
	attr_run_scan(a);
	c->last_scan = clock_mono_ms();
	c->next_scan = a->be->period_ms ? c->last_scan + a->be->period_ms : UINT64_MAX;
}

static void *attr_main(void *arg)
{
	struct attr *a = arg;
	struct clock_plan c = { 0, 0, 0 };
	int bfd = a->be->fd ? a->be->fd(a) : -1;
	bool want = false;

	for (;;) {
		uint64_t now = clock_mono_ms();
		struct pollfd p[2] = { { a->wake_rd, POLLIN, 0 }, { bfd, POLLIN, 0 } };
		struct tick t;

		if (now >= c.next_addrs) {
			refresh_locals(a);
			c.next_addrs = now + ADDRS_MS;
		}
		maybe_scan(a, &c, want, now);
		poll(p, bfd >= 0 ? 2 : 1, wait_ms(a, &c, want, clock_mono_ms()));
		if (p[0].revents)
			drain(a->wake_rd);
		take_requests(a, &t);
		if (t.stop)
			break;
		want = t.want_scan;
		if (bfd >= 0 && (p[1].revents & POLLIN) && a->be->ready)
			a->be->ready(a);
		for (uint32_t i = 0; i < t.npids; i++)
			attr_resolve_pid(a, t.pids[i]);
	}
	return NULL;
}

void attr_wake_locked(struct attr *a)
{
	if (a->wake_pending)
		return;
	a->wake_pending = true;
	if (write(a->wake_wr, "w", 1) < 0 && errno != EAGAIN)
		a->wake_pending = false;
}

/* ---- open / close ------------------------------------------------------------- */

static int make_pipe(struct attr *a)
{
	int fds[2];

	if (pipe2(fds, O_CLOEXEC | O_NONBLOCK) != 0)
		return -1;
	a->wake_rd = fds[0];
	a->wake_wr = fds[1];
	return 0;
}

static void free_attr(struct attr *a)
{
	attr_helper_stop(a->helper);
	attr_scanner_free(a->scanner);
	if (a->be && a->be->close)
		a->be->close(a);
	attr_tables_free(a);
	if (a->wake_rd >= 0)
		close(a->wake_rd);
	if (a->wake_wr >= 0)
		close(a->wake_wr);
	pthread_mutex_destroy(&a->mu);
	free(a);
}

/* "" for / (paths are then "/var/lib/..."), else the root without a
 * trailing slash. */
static void runtime_root_of(const char *root, char *out, size_t cap)
{
	size_t n = root ? strlen(root) : 0;
	while (n > 0 && root[n - 1] == '/')
		n--;
	snprintf(out, cap, "%.*s", (int)n, n ? root : "");
}

int attr_open(struct attr **out, const struct attr_opts *o, struct wt_err *err)
{
	const char *root = o && o->proc_root ? o->proc_root : "/proc";
	struct attr *a;
	size_t first;
	bool cascade;
	int rc;

	*out = NULL;
	if (parse_backend(o ? o->backend : NULL, &first, &cascade) < 0)
		return wt_err_set(err, WT_ERR_USAGE,
				  "unknown attribution back end '%s' (auto, ebpf, sock_diag, procfs, none)",
				  o->backend);
	if (strlen(root) >= PATH_MAX - 64 ||
	    (o && o->runtime_root && strlen(o->runtime_root) >= PATH_MAX - 128))
		return wt_err_set(err, WT_ERR_USAGE, "proc or runtime root path too long");
	a = xcalloc(1, sizeof *a);
	a->wake_rd = a->wake_wr = -1;
	pthread_mutex_init(&a->mu, NULL);
	snprintf(a->proc_root, sizeof a->proc_root, "%s", root);
	runtime_root_of(o ? o->runtime_root : NULL, a->runtime_root, sizeof a->runtime_root);
	a->netns = attr_netns_of(a->proc_root, "self");
	attr_cgroup2_root(a->cgroup_root, sizeof a->cgroup_root);
	attr_tables_init(a);
	if (make_pipe(a) != 0) {
		free_attr(a);
		return wt_err_set(err, WT_ERR_SYSTEM, "attribution: pipe: %s", strerror(errno));
	}
	choose_backend(a, first, cascade);
	start_scans(a, o);
	rc = pthread_create(&a->thread, NULL, attr_main, a);
	if (rc != 0) {
		free_attr(a);
		return wt_err_set(err, WT_ERR_SYSTEM, "attribution: thread: %s", strerror(rc));
	}
	pthread_setname_np(a->thread, "wt-attr");
	a->started = true;
	*out = a;
	return 0;
}

void attr_close(struct attr *a)
{
	if (!a)
		return;
	if (a->started) {
		pthread_mutex_lock(&a->mu);
		a->stop = true;
		a->wake_pending = false;
		attr_wake_locked(a);
		pthread_mutex_unlock(&a->mu);
		pthread_join(a->thread, NULL);
	}
	free_attr(a);
}

const char *attr_backend_name(const struct attr *a)
{
	return a && a->be ? a->be->name : "none";
}

const char *attr_backend_notes(const struct attr *a)
{
	return a ? a->notes : "";
}

int attr_helper_of(struct attr *a)
{
	int pid;

	if (!a)
		return 0;
	pthread_mutex_lock(&a->mu);
	pid = attr_helper_pid(a->helper);
	pthread_mutex_unlock(&a->mu);
	return pid;
}

/* What the scans saw: "312/312 processes, 3 netns", or, when some
 * processes were out of reach (another user's, with no helper to look),
 * "partial, 41/312 processes (271 hidden), 1 netns". */
static void reach_text(const struct attr_reach *r, char *buf, size_t cap)
{
	uint32_t seen = r->procs - r->procs_hidden;

	if (r->procs_hidden)
		snprintf(buf, cap, "partial, %u/%u processes (%u hidden), %u netns", seen, r->procs,
			 r->procs_hidden, r->netns);
	else
		snprintf(buf, cap, "%u/%u processes, %u netns", seen, r->procs, r->netns);
}

/* Where the scans run: " via helper", ", helper gone" once it exited (the
 * scans then see what this process may), "" when there never was one. */
static const char *scans_where(const struct attr *a)
{
	return a->helper ? " via helper" : a->helper_lost ? ", helper gone" : "";
}

void attr_describe(struct attr *a, char *buf, size_t cap)
{
	char seen[96] = "";
	const char *name = attr_backend_name(a), *where;
	bool failing;

	if (!a || !a->be->tables) {
		snprintf(buf, cap, "%s", name);
		return;
	}
	pthread_mutex_lock(&a->mu);
	if (a->scanned)
		reach_text(&a->reach, seen, sizeof seen);
	where = scans_where(a);
	failing = a->scan_failing;
	pthread_mutex_unlock(&a->mu);
	if (failing)
		snprintf(seen, sizeof seen, "scans failing");
	if (a->be == &attr_be_ebpf)
		snprintf(buf, cap, "%s: every process, every netns; scans%s%s%s", name, where,
			 seen[0] ? ": " : "", seen);
	else
		snprintf(buf, cap, "%s%s%s%s", name, where, seen[0] ? ": " : "", seen);
}

/* ---- readers ------------------------------------------------------------------- */

enum attr_verdict attr_lookup_owners(struct attr *a, uint8_t l4, uint8_t family,
				     const uint8_t src[16], uint16_t sport,
				     const uint8_t dst[16], uint16_t dport,
				     struct attr_owners *out)
{
	enum attr_verdict v = ATTR_FOUND;
	bool ask = false;

	memset(out, 0, sizeof *out);
	out->proc_side = -1;
	if (!a)
		return ATTR_UNKNOWN;
	if (l4 == L4_ICMP || l4 == L4_ICMPV6)
		sport = dport = 0;
	pthread_mutex_lock(&a->mu);
	a->st.lookups++;
	if (attr_owners_locked(a, l4, family, src, sport, dst, dport, out)) {
		a->st.hits++;
	} else {
		v = attr_miss_locked(a, l4, family, src, sport, dst, dport, &ask);
		if (ask && !a->want_scan) {
			a->want_scan = true;
			attr_wake_locked(a);
		}
	}
	pthread_mutex_unlock(&a->mu);
	return v;
}

enum attr_verdict attr_lookup_verdict(struct attr *a, uint8_t l4, uint8_t family,
				      const uint8_t src[16], uint16_t sport,
				      const uint8_t dst[16], uint16_t dport,
				      struct proc_ref *out)
{
	struct attr_owners o;
	enum attr_verdict v = attr_lookup_owners(a, l4, family, src, sport, dst, dport, &o);

	*out = o.proc;
	return v;
}

bool attr_lookup(struct attr *a, uint8_t l4, uint8_t family, const uint8_t src[16],
		 uint16_t sport, const uint8_t dst[16], uint16_t dport, struct proc_ref *out)
{
	return attr_lookup_verdict(a, l4, family, src, sport, dst, dport, out) == ATTR_FOUND;
}

bool attr_lookup_detail(struct attr *a, int32_t pid, struct attr_proc_detail *out)
{
	bool ok;

	memset(out, 0, sizeof *out);
	if (!a || pid <= 0)
		return false;
	pthread_mutex_lock(&a->mu);
	ok = attr_detail_locked(a, pid, out);
	if (!ok && a->nwant_pids < ATTR_WANT_PIDS) {
		a->want_pids[a->nwant_pids++] = pid;
		attr_wake_locked(a);
	}
	pthread_mutex_unlock(&a->mu);
	return ok;
}

void attr_get_stats(struct attr *a, struct attr_stats *out)
{
	clockid_t cid;

	memset(out, 0, sizeof *out);
	if (!a)
		return;
	pthread_mutex_lock(&a->mu);
	*out = a->st;
	pthread_mutex_unlock(&a->mu);
	if (a->started && pthread_getcpuclockid(a->thread, &cid) == 0)
		out->thread_cpu_ns = clock_ns(cid);
}

void attr_note_events(struct attr *a, uint64_t n)
{
	pthread_mutex_lock(&a->mu);
	a->st.events += n;
	pthread_mutex_unlock(&a->mu);
}

void attr_note_lost(struct attr *a, uint64_t lost_total)
{
	pthread_mutex_lock(&a->mu);
	a->st.lost = lost_total;
	pthread_mutex_unlock(&a->mu);
}

/* ---- the "none" back end ------------------------------------------------------- */

static int none_open(struct attr *a, char *why, size_t cap)
{
	(void)a;
	(void)why;
	(void)cap;
	return 0;
}

const struct attr_backend attr_be_none = {
	.name = "none",
	.open = none_open,
};
