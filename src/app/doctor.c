/* doctor.c - `wiretop --doctor`: one line per check of what this machine
 * allows (privilege, interfaces, capture, eBPF, attribution, terminal,
 * logging, GeoIP databases): "ok", "missing" and what to do, or "note"
 * for what is optional (it does not count as missing). Capabilities come
 * from the CapEff mask in /proc/self/status, so no libcap is needed.
 */
#include "app/doctor.h"

#include <langinfo.h>
#include <limits.h>
#include <locale.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "attr/attr.h"
#include "base/macros.h"
#include "capture/capture.h"
#include "geo/geo.h"

#define DOCTOR_MIN_COLS 32 /* the UI's smallest screen */
#define DOCTOR_MIN_ROWS 8
#define SETCAP_ALL "cap_net_raw,cap_net_admin,cap_bpf,cap_perfmon=eip"

/* Bit numbers from linux/capability.h. */
enum { CAPB_NET_ADMIN = 12, CAPB_NET_RAW = 13, CAPB_SYS_ADMIN = 21, CAPB_PERFMON = 38, CAPB_BPF = 39 };

struct doctor_cap {
	int bit;
	const char *name;
	bool ebpf; /* needed for eBPF attribution only */
};

static const struct doctor_cap doctor_caps[] = {
	{ CAPB_NET_RAW, "CAP_NET_RAW", false },
	{ CAPB_NET_ADMIN, "CAP_NET_ADMIN", false },
	{ CAPB_BPF, "CAP_BPF", true },
	{ CAPB_PERFMON, "CAP_PERFMON", true },
};
#define DOCTOR_NCAPS ARRAY_LEN(doctor_caps)

struct doctor {
	FILE *out;
	const struct options *o;
	int missing;
	uint64_t caps; /* effective capability mask */
	char exe[PATH_MAX];
};

static void report(struct doctor *d, bool ok, const char *what, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static void report(struct doctor *d, bool ok, const char *what, const char *fmt, ...)
{
	va_list ap;
	fprintf(d->out, "%-8s %-12s ", ok ? "ok" : "missing", what);
	va_start(ap, fmt);
	vfprintf(d->out, fmt, ap);
	va_end(ap);
	fputc('\n', d->out);
	d->missing += !ok;
}

/* What is worth knowing but optional: said, not counted as missing. */
static void note(struct doctor *d, const char *what, const char *text)
{
	fprintf(d->out, "%-8s %-12s %s\n", "note", what, text);
}

static uint64_t doctor_cap_eff(void)
{
	FILE *f = fopen("/proc/self/status", "r");
	char line[256];
	uint64_t caps = 0;
	while (f && fgets(line, sizeof line, f))
		if (strncmp(line, "CapEff:", 7) == 0)
			caps = strtoull(line + 7, NULL, 16);
	if (f)
		fclose(f);
	return caps;
}

static bool has_cap(uint64_t caps, int bit)
{
	return (caps >> bit) & 1;
}

/* The names of the capabilities of one kind (ebpf or capture) that caps
 * lacks, comma-separated; "" when none. */
static void caps_lacking(uint64_t caps, bool ebpf, char *buf, size_t cap)
{
	size_t n = 0;
	buf[0] = '\0';
	for (size_t i = 0; i < DOCTOR_NCAPS; i++) {
		if (doctor_caps[i].ebpf != ebpf || has_cap(caps, doctor_caps[i].bit))
			continue;
		int w = snprintf(buf + n, cap - n, "%s%s", n ? ", " : "", doctor_caps[i].name);
		if (w > 0 && (size_t)w < cap - n)
			n += (size_t)w;
	}
}

static void self_exe(char *buf, size_t cap)
{
	ssize_t n = readlink("/proc/self/exe", buf, cap - 1);
	if (n > 0)
		buf[n] = '\0';
	else
		snprintf(buf, cap, "wiretop");
}

static void check_privilege(struct doctor *d)
{
	char lack[128];
	caps_lacking(d->caps, false, lack, sizeof lack);
	if (!has_cap(d->caps, CAPB_NET_RAW))
		report(d, false, "privilege", "no %s to capture: run with sudo, or once: sudo setcap %s %s",
		       lack, SETCAP_ALL, d->exe);
	else
		report(d, true, "privilege", "CAP_NET_RAW in effect%s%s", lack[0] ? "; lacking " : "",
		       lack);
	caps_lacking(d->caps, true, lack, sizeof lack);
	if (lack[0] && !has_cap(d->caps, CAPB_SYS_ADMIN))
		report(d, false, "ebpf-caps",
		       "no %s for eBPF attribution: run with sudo, or once: sudo setcap %s %s", lack,
		       SETCAP_ALL, d->exe);
	else
		report(d, true, "ebpf-caps", "may load eBPF programs");
}

/* Writes the default interface into iface ("" when there is none). */
static void check_interfaces(struct doctor *d, char *iface, size_t cap)
{
	char list[512];
	struct wt_err err = { 0 };
	capture_list_ifaces(list, sizeof list);
	iface[0] = '\0';
	if (capture_default_iface(iface, cap, &err) < 0) {
		iface[0] = '\0';
		report(d, false, "interfaces", "%s: name one with -i (available: %s)", err.msg,
		       list[0] ? list : "none");
		return;
	}
	report(d, true, "interfaces", "default %s; available: %s", iface, list[0] ? list : "none");
}

static void check_capture(struct doctor *d, const char *def_iface)
{
	const char *iface = d->o->iface ? d->o->iface : def_iface;
	if (!iface || !*iface) {
		report(d, false, "capture", "no interface to try: name one with -i");
		return;
	}
	struct capture_opts co = { .iface = iface, .bpf_filter = d->o->bpf_filter, .buffer_mb = 1,
				   .snaplen = 256 };
	struct capture *c = NULL;
	struct wt_err err = { 0 };
	if (capture_open(&c, &co, &err) < 0) {
		report(d, false, "capture", "%s", err.msg);
		return;
	}
	capture_close(c);
	report(d, true, "capture", "%s: frames can be captured", iface);
}

/* The mount point of the cgroup v2 hierarchy, or "" */
static void cgroup2_root(char *buf, size_t cap)
{
	FILE *f = fopen("/proc/mounts", "r");
	char line[512], dir[256], type[64];
	buf[0] = '\0';
	while (f && !buf[0] && fgets(line, sizeof line, f))
		if (sscanf(line, "%*s %255s %63s", dir, type) == 2 && strcmp(type, "cgroup2") == 0)
			snprintf(buf, cap, "%s", dir);
	if (f)
		fclose(f);
}

static void check_ebpf_support(struct doctor *d)
{
#ifdef WT_HAVE_BPF
	report(d, true, "ebpf-build", "built with eBPF programs");
#else
	report(d, false, "ebpf-build",
	       "built without eBPF: install clang, bpftool and libbpf-dev, then rebuild");
#endif
	if (access("/sys/kernel/btf/vmlinux", R_OK) == 0)
		report(d, true, "kernel-btf", "/sys/kernel/btf/vmlinux");
	else
		report(d, false, "kernel-btf",
		       "no /sys/kernel/btf/vmlinux: eBPF needs a kernel built with CONFIG_DEBUG_INFO_BTF=y");
	char root[256];
	cgroup2_root(root, sizeof root);
	if (root[0])
		report(d, true, "cgroup2", "mounted at %s (eBPF hooks attach there)", root);
	else
		report(d, false, "cgroup2", "not mounted: mount -t cgroup2 none /sys/fs/cgroup");
}

/* The back end attribution would use with these options, and why better
 * ones were not (attr notes are "; "-separated). */
static void check_attribution(struct doctor *d)
{
	struct attr *a = NULL;
	struct wt_err err = { 0 };
	struct attr_opts ao = { .backend = d->o->attr_backend };
	if (attr_open(&a, &ao, &err) < 0) {
		report(d, false, "attribution", "%s", err.msg);
		return;
	}
	const char *name = attr_backend_name(a);
	bool asked_none = d->o->attr_backend && strcmp(d->o->attr_backend, "none") == 0;
	if (strcmp(name, "none") == 0 && !asked_none)
		report(d, false, "attribution",
		       "no back end works: run with sudo, or see the lines below");
	else
		report(d, true, "attribution", "back end %s", name);
	char notes[1024];
	snprintf(notes, sizeof notes, "%s", attr_backend_notes(a));
	char *save = NULL;
	for (char *n = strtok_r(notes, ";", &save); n; n = strtok_r(NULL, ";", &save))
		report(d, false, "attr-note", "%s", n + strspn(n, " "));
	attr_close(a);
}

static void check_terminal(struct doctor *d)
{
	const char *term = getenv("TERM"), *nc = getenv("NO_COLOR");
	bool colour = !d->o->no_color && !(nc && *nc);
	struct winsize ws;
	if (!isatty(STDOUT_FILENO) || ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) < 0) {
		report(d, false, "terminal",
		       "standard output is not a terminal: the UI needs one (--json runs without)");
	} else if (!term || !*term || strcmp(term, "dumb") == 0) {
		report(d, false, "terminal", "TERM is %s: set it, e.g. TERM=xterm-256color",
		       term && *term ? "dumb" : "unset");
	} else if (ws.ws_col && (ws.ws_col < DOCTOR_MIN_COLS || ws.ws_row < DOCTOR_MIN_ROWS)) {
		report(d, false, "terminal", "%ux%u is too small: the UI needs %dx%d", ws.ws_col,
		       ws.ws_row, DOCTOR_MIN_COLS, DOCTOR_MIN_ROWS);
	} else {
		report(d, true, "terminal", "TERM=%s, %ux%u, colours %s", term, ws.ws_col, ws.ws_row,
		       colour ? "on" : "off (--no-color or NO_COLOR)");
	}
	setlocale(LC_CTYPE, "");
	const char *cs = nl_langinfo(CODESET);
	if (cs && strcmp(cs, "UTF-8") == 0)
		report(d, true, "locale", "UTF-8: line drawing available");
	else
		report(d, false, "locale", "charset %s: lines drawn in ASCII; set LANG=C.UTF-8 for UTF-8",
		       cs && *cs ? cs : "unknown");
}

static void check_logging(struct doctor *d)
{
	const char *dir = d->o->log_dir;
	if (!d->o->log_level) {
		report(d, true, "logging", "off (-l info writes %s/wiretop_*.log)", dir);
		return;
	}
	/* The directory, or the nearest existing one it would be created in,
	 * must be writable. */
	char parent[PATH_MAX];
	snprintf(parent, sizeof parent, "%s", dir);
	while (access(parent, F_OK) != 0) {
		char *slash = strrchr(parent, '/');
		if (!slash)
			snprintf(parent, sizeof parent, ".");
		else
			slash[slash == parent] = '\0'; /* "/x" -> "/" */
	}
	if (access(parent, W_OK | X_OK) == 0)
		report(d, true, "logging", "level %s into %s", d->o->log_level, dir);
	else
		report(d, false, "logging", "%s is not writable: choose another with --log-dir", parent);
}

/* GeoIP databases: which are read, or how to get some. A run without
 * them works (the Location column then says the same), so none at all is
 * a note, not something missing; a database asked for that cannot be
 * read is missing. */
static void check_geoip(struct doctor *d)
{
	if (d->o->no_geoip) {
		report(d, true, "geoip", "off (--no-geoip)");
		return;
	}
	struct geo *g = NULL;
	struct wt_err err = { 0 };
	if (geo_open(&g, d->o->geoip, &err) < 0)
		report(d, false, "geoip", "%s", err.msg);
	else if (!g)
		note(d, "geoip", GEO_HINT);
	else
		report(d, true, "geoip", "%s", geo_files(g));
	geo_close(g);
}

int doctor_run(const struct options *o, FILE *out)
{
	struct doctor d = { .out = out, .o = o, .caps = doctor_cap_eff() };
	char iface[64];
	self_exe(d.exe, sizeof d.exe);
	fprintf(out, "wiretop %s: what this machine allows\n", WT_VERSION);
	check_privilege(&d);
	check_interfaces(&d, iface, sizeof iface);
	check_capture(&d, iface);
	check_ebpf_support(&d);
	check_attribution(&d);
	check_terminal(&d);
	check_logging(&d);
	check_geoip(&d);
	fprintf(out, "%d missing\n", d.missing);
	return d.missing ? 1 : 0;
}

void doctor_explain_privilege(FILE *out)
{
	char exe[PATH_MAX], lack[128], lack_bpf[128];
	uint64_t caps = doctor_cap_eff();
	self_exe(exe, sizeof exe);
	caps_lacking(caps, false, lack, sizeof lack);
	caps_lacking(caps, true, lack_bpf, sizeof lack_bpf);
	if (!lack[0])
		fprintf(out, "wiretop: capture was refused although CAP_NET_RAW and CAP_NET_ADMIN are in "
			     "effect (a security module or container may forbid it)\n");
	else
		fprintf(out, "wiretop: this process lacks %s (to capture)%s%s%s. Two ways to fix it:\n",
			lack, lack_bpf[0] ? " and " : "", lack_bpf,
			lack_bpf[0] ? " (for eBPF process attribution)" : "");
	fprintf(out, "  run it as root:   sudo %s\n", exe);
	fprintf(out, "  or grant once:    sudo setcap %s %s\n", SETCAP_ALL, exe);
	fprintf(out, "  (cap_net_raw,cap_net_admin=eip is enough to capture; cap_bpf,cap_perfmon add eBPF)\n");
}
