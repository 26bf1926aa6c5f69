/* listening.c - `wiretop --listening`: the machine's listening TCP and
 * bound UDP sockets with their processes (attr_listening), written as
 * listening records (docs/JSON.md) with --json, else as a table; then
 * exits. What could not be seen for lack of privilege is said on stderr.
 * Main thread only.
 */
#include "app/listening.h"

#include <stdbool.h>
#include <stdint.h>

#include "attr/attr.h"
#include "base/addrtext.h"
#include "base/outbuf.h"
#include "decode/pkt.h"
#include "output/json.h"

struct listing {
	FILE *out;
	bool json;
	struct outbuf ob;
};

static const char *proto_name(uint8_t l4) { return l4 == L4_TCP ? "TCP" : "UDP"; }

/* A string key: its value, or null when "". */
static void put_text(struct outbuf *o, const char *key, const char *v)
{
	outbuf_puts(o, key);
	if (v[0])
		json_put_string(o, v);
	else
		outbuf_puts(o, "null");
}

static void put_owner(struct outbuf *o, const struct attr_listener *l)
{
	const struct attr_proc_detail *p = &l->proc;

	outbuf_puts(o, ", \"pid\": ");
	if (p->ref.pid > 0)
		outbuf_u64(o, (uint64_t)p->ref.pid);
	else
		outbuf_puts(o, "null");
	put_text(o, ", \"process\": ", p->ref.pid > 0 ? p->ref.name : "");
	put_text(o, ", \"user\": ", l->user);
	outbuf_puts(o, ", \"uid\": ");
	outbuf_u64(o, l->uid);
	put_text(o, ", \"exe\": ", p->exe);
	put_text(o, ", \"cmdline\": ", p->cmdline);
	put_text(o, ", \"unit\": ", p->unit);
	put_text(o, ", \"container\": ", p->container);
	outbuf_puts(o, ", \"started\": ");
	if (l->started_us)
		json_put_time(o, l->started_us);
	else
		outbuf_puts(o, "null");
}

static void write_json(struct listing *ls, const struct attr_listener *l)
{
	char a[ADDR_TEXT_MAX];
	struct outbuf *o = &ls->ob;

	o->len = 0;
	put_text(o, "{\"proto\": ", proto_name(l->l4));
	addr_text(a, l->family, l->addr);
	put_text(o, ", \"addr\": ", a);
	outbuf_puts(o, ", \"port\": ");
	outbuf_u64(o, l->port);
	outbuf_puts(o, ", \"netns\": ");
	if (l->netns)
		outbuf_u64(o, l->netns);
	else
		outbuf_puts(o, "null");
	put_text(o, ", \"netns_name\": ", l->netns_name);
	put_owner(o, l);
	outbuf_puts(o, "}\n");
	fwrite(o->buf, 1, o->len, ls->out);
}

static void write_line(struct listing *ls, const struct attr_listener *l)
{
	char a[ADDR_TEXT_MAX + 2], ns[32], pid[16] = "-";
	const struct attr_proc_detail *p = &l->proc;
	size_t n = 0;

	if (l->family == 6)
		a[n++] = '[';
	n += addr_text(a + n, l->family, l->addr);
	if (l->family == 6)
		a[n++] = ']';
	a[n] = '\0';
	snprintf(ns, sizeof ns, "%llu", (unsigned long long)l->netns);
	if (p->ref.pid > 0)
		snprintf(pid, sizeof pid, "%d", (int)p->ref.pid);
	fprintf(ls->out, "%-5s %-40s %5u  %-12s %7s  %-16s %-12s %s\n", proto_name(l->l4), a,
		l->port, l->netns_name[0] ? l->netns_name : ns, pid,
		p->ref.pid > 0 ? p->ref.name : "-", l->user,
		p->unit[0] ? p->unit : p->container[0] ? p->container : "-");
}

static void one_listener(void *ctx, const struct attr_listener *l)
{
	struct listing *ls = ctx;

	if (ls->json)
		write_json(ls, l);
	else
		write_line(ls, l);
}

/* What a listing without privilege missed, and what it still shows. */
static void explain_reach(const struct attr_listen_reach *r, FILE *err)
{
	if (!r->procs_hidden)
		return;
	fprintf(err,
		"wiretop: --listening: %u of %u processes could not be looked into (another "
		"user's need CAP_SYS_PTRACE and CAP_DAC_READ_SEARCH: run as root, e.g. with "
		"sudo): their sockets in this network namespace are listed with their user "
		"but without pid and process, and namespaces only they live in are not listed "
		"(%u namespaces read)\n",
		r->procs_hidden, r->procs, r->netns);
}

int listening_run(const struct options *o, FILE *out, FILE *err)
{
	struct listing ls = { out, o->json, { 0 } };
	struct attr_listen_reach reach;
	struct wt_err e = { WT_OK, "" };
	int rc;

	outbuf_init(&ls.ob, 1024);
	if (!ls.json)
		fprintf(out, "%-5s %-40s %5s  %-12s %7s  %-16s %-12s %s\n", "PROTO", "ADDRESS", "PORT",
			"NETNS", "PID", "PROCESS", "USER", "UNIT/CONTAINER");
	rc = attr_listening(NULL, one_listener, &ls, &reach, &e);
	outbuf_fini(&ls.ob);
	if (rc < 0) {
		fprintf(err, "wiretop: --listening: %s\n", e.msg);
		return 1;
	}
	explain_reach(&reach, err);
	return 0;
}
