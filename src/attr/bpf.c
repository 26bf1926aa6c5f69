/* bpf.c - the eBPF back end, user-space half: load the programs of
 * src/attr/bpf/attr.bpf.c from the generated skeleton, attach the cgroup
 * hooks to the cgroup v2 root and the BTF tracepoints, and feed the ring
 * buffer's events into the tables. See attr.bpf.c for what each hook sees.
 *
 * open() runs on the opening thread while privileged; links stay attached
 * (and maps usable) after privileges are dropped, until close() destroys
 * them on the opener's thread after the attribution thread has stopped.
 * ready() and scan() run on the attribution thread. Sockets that existed
 * before the programs were loaded are learned from one sock_diag (or /proc)
 * scan at start and from further scans when a lookup misses.
 *
 * Built without clang/bpftool/libbpf, this file only says so.
 */
#include "attr/attr_int.h"

#include <stdio.h>
#include <string.h>

#ifdef WT_HAVE_BPF

#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

/* generated code casts its embedded object's const away */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wcast-qual"
#include "attr.skel.h"
#pragma GCC diagnostic pop
#include "attr/bpf/attr_event.h"
#include "base/clock.h"
#include "base/macros.h"
#include "base/xalloc.h"

#define MAX_LINKS 16
#define DROPS_CHECK_MS 1000

struct ebpf_state {
	struct attr_skel *skel;
	struct ring_buffer *rb;
	struct bpf_link *links[MAX_LINKS];
	size_t nlinks;
	int cgroup_fd;
	uint64_t events, last_drops_ms;
};

/* Programs that may be missing on older kernels, by the tracepoint they
 * need and what is lost without them. */
struct optional_tp {
	const char *prog, *btf_name, *loss;
};

static const struct optional_tp optional_tps[] = {
	{ "wt_send_length", "btf_trace_sock_send_length",
	  "connected UDP and pre-existing sockets only from scans" },
	{ "wt_recv_length", "btf_trace_sock_recv_length",
	  "accepted TCP owned by the listener, not the accepting process" },
};

static int quiet(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	(void)level;
	(void)fmt;
	(void)ap;
	return 0;
}

static void fact_of_event(const struct attr_event *e, struct attr_fact *f)
{
	memset(f, 0, sizeof *f);
	f->l4 = e->proto;
	f->lport = e->lport;
	f->rport = e->rport;
	memcpy(f->laddr, e->laddr, 16);
	memcpy(f->raddr, e->raddr, 16);
	f->family = attr_fold_family(e->family, f->laddr, f->raddr);
	f->bound_only = e->kind == ATTR_EV_BIND;
	f->source = (e->flags & ATTR_EVF_LISTENER) ? ATTR_SRC_LISTENER : ATTR_SRC_EVENT;
	f->netns = e->netns;
	f->pid = (e->flags & ATTR_EVF_OWNER) ? (int32_t)e->owner.tgid : 0;
	f->uid = e->owner.uid;
	f->cgroup_id = e->owner.cgroup;
	memcpy(f->comm, e->owner.comm, sizeof f->comm);
	f->comm[sizeof f->comm - 1] = '\0';
}

static int on_event(void *ctx, void *data, size_t len)
{
	struct attr *a = ctx;
	struct ebpf_state *es = a->be_state;
	struct attr_event e;
	struct attr_fact f;

	if (len < sizeof e)
		return 0;
	memcpy(&e, data, sizeof e);
	fact_of_event(&e, &f);
	attr_ingest(a, &f);
	es->events++;
	return 0;
}

/* Switch off programs whose tracepoint this kernel lacks. */
static void skip_missing(struct attr *a, struct attr_skel *skel)
{
	struct btf *vmlinux = btf__load_vmlinux_btf();

	for (size_t i = 0; i < ARRAY_LEN(optional_tps); i++) {
		const struct optional_tp *o = &optional_tps[i];
		struct bpf_program *p = bpf_object__find_program_by_name(skel->obj, o->prog);
		if (!p || (vmlinux && btf__find_by_name_kind(vmlinux, o->btf_name, BTF_KIND_TYPEDEF) > 0))
			continue;
		bpf_program__set_autoload(p, false);
		attr_notes_add(a, "ebpf: no %s tracepoint (%s)", o->btf_name + 10, o->loss);
	}
	btf__free(vmlinux);
}

static int attach_all(struct ebpf_state *es, char *why, size_t cap)
{
	struct bpf_program *p;

	bpf_object__for_each_program(p, es->skel->obj) {
		struct bpf_link *l;
		if (!bpf_program__autoload(p))
			continue;
		if (es->nlinks == MAX_LINKS) {
			snprintf(why, cap, "ebpf: too many programs");
			return -1;
		}
		l = bpf_program__type(p) == BPF_PROG_TYPE_TRACING
			    ? bpf_program__attach(p)
			    : bpf_program__attach_cgroup(p, es->cgroup_fd);
		if (!l) {
			snprintf(why, cap, "ebpf: attaching %s: %s", bpf_program__name(p),
				 strerror(errno));
			return -1;
		}
		es->links[es->nlinks++] = l;
	}
	return 0;
}

static void ebpf_free(struct ebpf_state *es)
{
	if (!es)
		return;
	ring_buffer__free(es->rb);
	for (size_t i = 0; i < es->nlinks; i++)
		bpf_link__destroy(es->links[i]);
	attr_skel__destroy(es->skel);
	if (es->cgroup_fd >= 0)
		close(es->cgroup_fd);
	free(es);
}

static int load(struct attr *a, struct ebpf_state *es, char *why, size_t cap)
{
	int err;

	es->skel = attr_skel__open();
	if (!es->skel) {
		snprintf(why, cap, "ebpf: cannot open the BPF object: %s", strerror(errno));
		return -1;
	}
	skip_missing(a, es->skel);
	err = attr_skel__load(es->skel);
	if (err) {
		if (err == -EPERM || errno == EPERM || err == -EACCES)
			snprintf(why, cap, "ebpf: need CAP_BPF, CAP_PERFMON and CAP_NET_ADMIN "
					   "(run as root or `make setcap`)");
		else
			snprintf(why, cap, "ebpf: loading the programs failed: %s", strerror(-err));
		return -1;
	}
	return 0;
}

static int ebpf_open(struct attr *a, char *why, size_t cap)
{
	struct ebpf_state *es;

	if (strcmp(a->proc_root, "/proc") != 0) {
		snprintf(why, cap, "ebpf: proc root is %s, not the live /proc", a->proc_root);
		return -1;
	}
	if (!a->cgroup_root[0]) {
		snprintf(why, cap, "ebpf: no cgroup v2 mount in /proc/self/mounts");
		return -1;
	}
	libbpf_set_print(quiet);
	es = xcalloc(1, sizeof *es);
	es->cgroup_fd = open(a->cgroup_root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (es->cgroup_fd < 0) {
		snprintf(why, cap, "ebpf: cannot open %s: %s", a->cgroup_root, strerror(errno));
		ebpf_free(es);
		return -1;
	}
	if (load(a, es, why, cap) < 0 || attach_all(es, why, cap) < 0) {
		ebpf_free(es);
		return -1;
	}
	es->rb = ring_buffer__new(bpf_map__fd(es->skel->maps.events), on_event, a, NULL);
	if (!es->rb) {
		snprintf(why, cap, "ebpf: ring buffer: %s", strerror(errno));
		ebpf_free(es);
		return -1;
	}
	a->be_state = es;
	return 0;
}

static void ebpf_close(struct attr *a)
{
	ebpf_free(a->be_state);
	a->be_state = NULL;
}

static int ebpf_fd(struct attr *a)
{
	struct ebpf_state *es = a->be_state;
	return ring_buffer__epoll_fd(es->rb);
}

static void ebpf_ready(struct attr *a)
{
	struct ebpf_state *es = a->be_state;
	uint64_t before = es->events, now;

	ring_buffer__consume(es->rb);
	attr_note_events(a, es->events - before);
	now = clock_mono_ms();
	if (now - es->last_drops_ms >= DROPS_CHECK_MS) {
		uint32_t zero = 0;
		uint64_t drops = 0;
		es->last_drops_ms = now;
		if (bpf_map_lookup_elem(bpf_map__fd(es->skel->maps.drops), &zero, &drops) == 0)
			attr_note_lost(a, drops);
	}
}

/* Sockets older than the programs come from scans (sock_diag, else
 * /proc) at start and when a lookup misses. */
const struct attr_backend attr_be_ebpf = {
	.name = "ebpf",
	.open = ebpf_open,
	.close = ebpf_close,
	.fd = ebpf_fd,
	.ready = ebpf_ready,
	.tables = ATTR_TABLES_DIAG,
	.period_ms = 0,
};

#else /* !WT_HAVE_BPF */

static int ebpf_open(struct attr *a, char *why, size_t cap)
{
	(void)a;
	snprintf(why, cap, "ebpf: not built in (needs clang, bpftool, libbpf and kernel BTF "
			   "when building)");
	return -1;
}

const struct attr_backend attr_be_ebpf = {
	.name = "ebpf",
	.open = ebpf_open,
};

#endif
