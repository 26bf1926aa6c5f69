#include "cli/options.h"

#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "base/macros.h"
#include "base/oui.h"
#include "cli/config_file.h"
#include "field/field.h"
#include "geo/geo.h"
#include "output/findings.h"

enum opt_id {
	O_IFACE = 'i', O_BPF = 'f', O_REFRESH = 'r', O_LOG = 'l', O_HELP = 'h', O_VERSION = 'V',
	O_READ = 256, O_JSON, O_DURATION, O_FILTER, O_THREADS, O_NO_LOCALHOST, O_SHOW_LOCALHOST,
	O_NO_DPI, O_LOG_DIR, O_NO_COLOR, O_ATTR, O_MAX_CONN, O_TIMEOUT, O_CONFIG, O_SNAPLEN,
	O_BUFFER, O_NO_SANDBOX, O_NO_PRIV_DROP, O_DOCTOR, O_DAEMON, O_PCAPNG, O_PCAPNG_MAX, O_JSON_LOG,
	O_JSON_LOG_INTERVAL, O_JSON_LOG_MAX, O_IPFIX, O_IPFIX_ACTIVE, O_IPFIX_PEN,
	O_IPFIX_TEMPLATES, O_METRICS, O_METRICS_LABELS, O_OUI_FILE, O_LISTENING, O_TRACE_UI,
	O_NO_RESOLVE, O_FINDINGS, O_FINDINGS_NO_ANSWER, O_FINDINGS_RETRANSMIT_PERCENT,
	O_FINDINGS_RETRANSMIT_MIN, O_FINDINGS_RTT_RISE, O_FINDINGS_RTT_SPIKE, O_GEOIP, O_NO_GEOIP,
	O_THEME, O_NO_MOUSE,
};

struct opt_spec {
	const char *name;
	int id;
	const char *arg;   /* NULL: a flag */
	const char *group;
	const char *help;
};

/* The one table: getopt, --help, the man page test and config files read it. */
static const struct opt_spec specs[] = {
	{"interface", O_IFACE, "IFACE", "Capture", "interface to watch ('any' for all; default: the default route's)"},
	{"read", O_READ, "FILE", "Capture", "read a pcap/pcapng file instead ('-' for stdin)"},
	{"bpf-filter", O_BPF, "EXPR", "Capture", "kernel capture filter in pcap-filter syntax"},
	{"snaplen", O_SNAPLEN, "BYTES", "Capture", "bytes kept of each frame (default 262144)"},
	{"buffer-size", O_BUFFER, "MIB", "Capture", "kernel capture buffer in MiB (default 64)"},
	{"json", O_JSON, NULL, "Output", "no UI: write one JSON record per connection to stdout"},
	{"listening", O_LISTENING, NULL, "Output", "list the listening TCP and bound UDP sockets of every network namespace with their processes, then exit (--json: one record each)"},
	{"findings", O_FINDINGS, NULL, "Output", "no UI: at the end, write what went wrong (failed handshakes, resets, ICMP errors, DNS failures, retransmissions, round-trip rises and spikes) as JSON lines (docs/FINDINGS.md)"},
	{"duration", O_DURATION, "SECONDS", "Output", "live: stop after this long"},
	{"filter", O_FILTER, "EXPR", "Output", "show or write only connections matching EXPR (the '/' language)"},
	{"daemon", O_DAEMON, NULL, "Export", "no UI: run the exporters until SIGTERM (systemd: Type=notify; SIGHUP reopens)"},
	{"pcapng", O_PCAPNG, "FILE", "Export", "write every packet to FILE, each with its process as a comment"},
	{"pcapng-max-mb", O_PCAPNG_MAX, "MIB", "Export", "rotate the pcapng file to FILE.1 past this size (default 1024; 0 never)"},
	{"json-log", O_JSON_LOG, "FILE", "Export", "append connection events (open, update, close) as JSON lines"},
	{"json-log-interval", O_JSON_LOG_INTERVAL, "SECONDS", "Export", "an update of each long connection this often (default 60)"},
	{"json-log-max-mb", O_JSON_LOG_MAX, "MIB", "Export", "rotate the event log to FILE.1 past this size (default 100; 0 never)"},
	{"ipfix", O_IPFIX, "HOST:PORT", "Export", "send IPFIX flow records over UDP (tcp://HOST:PORT for TCP)"},
	{"ipfix-active", O_IPFIX_ACTIVE, "SECONDS", "Export", "report long connections this often (default 60)"},
	{"ipfix-pen", O_IPFIX_PEN, "N", "Export", "enterprise number of the process/application elements (default 32473)"},
	{"ipfix-template-refresh", O_IPFIX_TEMPLATES, "SECONDS", "Export", "UDP: resend the templates this often (default 600)"},
	{"metrics", O_METRICS, "ADDR:PORT", "Export", "serve Prometheus metrics at http://ADDR:PORT/metrics"},
	{"metrics-max-labels", O_METRICS_LABELS, "N", "Export", "distinct processes/applications in metrics, then \"other\" (default 100)"},
	{"findings-no-answer", O_FINDINGS_NO_ANSWER, "SECONDS", "Findings", "a SYN or DNS query unanswered this long is a finding (default 5)"},
	{"findings-retransmit-percent", O_FINDINGS_RETRANSMIT_PERCENT, "N", "Findings", "a connection with this share of its packets retransmitted is a finding (default 10) ..."},
	{"findings-retransmit-min", O_FINDINGS_RETRANSMIT_MIN, "N", "Findings", "... and at least this many retransmissions (default 3)"},
	{"findings-rtt-rise", O_FINDINGS_RTT_RISE, "MS", "Findings", "a connection whose smoothed round trip ended this far over its handshake's (and twice it) is a finding (default 100; 0 never)"},
	{"findings-rtt-spike", O_FINDINGS_RTT_SPIKE, "MS", "Findings", "a round-trip sample over SRTT + 4*RTTVAR and at least this far over SRTT is a spike (rtt_spikes), and a connection with one a finding (default 200; 0 never)"},
	{"refresh-interval", O_REFRESH, "MS", "Display", "UI refresh interval in milliseconds (default 1000)"},
	{"no-color", O_NO_COLOR, NULL, "Display", "no colours (also when NO_COLOR is set)"},
	{"no-mouse", O_NO_MOUSE, NULL, "Display", "leave the mouse to the terminal (by default a click selects or sorts, the wheel scrolls; Shift+drag selects text)"},
	{"theme", O_THEME, "NAME", "Display", "colours: auto (default: light when the terminal's background is), muted, vivid or light"},
	{"trace-ui", O_TRACE_UI, "FILE", "Display", "write a line per UI event to FILE: first and all rows shown, each refresh and key, with the time it took (docs/PERFORMANCE.md)"},
	{"no-localhost", O_NO_LOCALHOST, NULL, "Display", "hide connections between loopback addresses"},
	{"show-localhost", O_SHOW_LOCALHOST, NULL, "Display", "show them even when not capturing on lo"},
	{"no-dpi", O_NO_DPI, NULL, "Analysis", "no deep packet inspection"},
	{"no-resolve", O_NO_RESOLVE, NULL, "Analysis", "live: no reverse DNS (PTR) lookups of remote addresses"},
	{"geoip", O_GEOIP, "PATH", "Analysis", "GeoIP and ASN databases: a .mmdb file or a folder of them (MaxMind GeoLite2, ip-location-db; default: " GEO_DIR_SYSTEM " or " GEO_DIR_LOCAL ")"},
	{"no-geoip", O_NO_GEOIP, NULL, "Analysis", "no GeoIP databases, not even the system's"},
	{"threads", O_THREADS, "N", "Analysis", "worker threads (default: cores - 1, at least 1, at most 4)"},
	{"oui-file", O_OUI_FILE, "FILE", "Analysis", "IEEE OUI registry naming ARP hardware vendors (default " OUI_DEFAULT_PATH "; with " OUI_MAM_FILE ", " OUI_MAS_FILE " and " OUI_IAB_FILE " beside it; absent: none)"},
	{"max-connections", O_MAX_CONN, "N", "Analysis", "cap on tracked connections (default 1000000)"},
	{"timeout", O_TIMEOUT, "NAME=SEC", "Analysis", "override a lifecycle timeout (see below); repeatable"},
	{"config", O_CONFIG, "FILE", "Analysis", "read 'option = value' lines (and 'timeout.NAME = SEC') first"},
	{"attr", O_ATTR, "BACKEND", "Processes", "process attribution: auto, ebpf, sock_diag, procfs, none"},
	{"log-level", O_LOG, "LEVEL", "Logging", "error, warn, info, debug or trace (default: no log)"},
	{"log-dir", O_LOG_DIR, "DIR", "Logging", "where log files go (default: ./logs)"},
	{"no-sandbox", O_NO_SANDBOX, NULL, "Security", "do not confine the process after start-up"},
	{"no-priv-drop", O_NO_PRIV_DROP, NULL, "Security", "keep root privileges after start-up"},
	{"doctor", O_DOCTOR, NULL, "General", "check what this machine allows and how to fix what is missing"},
	{"help", O_HELP, NULL, "General", "print this help"},
	{"version", O_VERSION, NULL, "General", "print the version"},
};
#define NSPECS ARRAY_LEN(specs)

/* Settings a config file may not make: --config itself, and whatever
 * weakens confinement, which only the person at the command line decides. */
static const int cmdline_only[] = { O_CONFIG, O_NO_SANDBOX, O_NO_PRIV_DROP };

static bool is_cmdline_only(int id)
{
	for (size_t i = 0; i < ARRAY_LEN(cmdline_only); i++)
		if (cmdline_only[i] == id)
			return true;
	return false;
}

static const char *const groups[] = {
	"Capture", "Output", "Findings", "Export", "Display", "Analysis", "Processes", "Logging", "Security", "General",
};

static void defaults(struct options *o)
{
	memset(o, 0, sizeof *o);
	o->refresh_ms = 1000;
	o->attr_backend = "auto";
	o->theme = "auto";
	o->log_dir = "logs";
	o->pcapng_max_mb = 1024;
	o->oui_file = OUI_DEFAULT_PATH;
	o->json_log_interval_s = 60;
	o->json_log_max_mb = 100;
	o->ipfix_active_s = 60;
	o->metrics_max_labels = 100;
	o->ipfix_pen = 32473; /* RFC 5612: for documentation */
	o->ipfix_template_refresh_s = 600; /* RFC 6728's templateRefreshTimeout */
	o->findings_no_answer_s = FINDINGS_NO_ANSWER_SEC;
	o->findings_retransmit_percent = FINDINGS_RETRANSMIT_PERCENT;
	o->findings_retransmit_min = FINDINGS_RETRANSMIT_MIN;
	o->findings_rtt_rise_ms = FINDINGS_RTT_RISE_MS;
	o->findings_rtt_spike_ms = FINDINGS_RTT_SPIKE_MS;
	timeouts_default(&o->timeouts);
}

static int parse_uint(const char *opt, const char *v, unsigned long lo, unsigned long hi,
		      unsigned long *out, struct wt_err *err)
{
	char *end;
	errno = 0;
	unsigned long n = strtoul(v, &end, 10);
	if (errno || end == v || *end || v[0] == '-' || n < lo || n > hi)
		return wt_err_set(err, WT_ERR_USAGE, "--%s: '%s' is not a number from %lu to %lu", opt,
				  v, lo, hi);
	*out = n;
	return 0;
}

static int parse_duration(const char *v, double *out, struct wt_err *err)
{
	char *end;
	errno = 0;
	double d = strtod(v, &end);
	if (errno || end == v || *end || !(d > 0) || d > 1e7)
		return wt_err_set(err, WT_ERR_USAGE, "--duration: '%s' is not a positive number of seconds", v);
	*out = d;
	return 0;
}

static const char *const log_levels[] = {"error", "warn", "info", "debug", "trace"};
static const char *const attr_backends[] = {"auto", "ebpf", "sock_diag", "procfs", "none"};
static const char *const themes[] = {"auto", "muted", "vivid", "light"};

static int one_of(const char *opt, const char *v, const char *const *set, size_t n, struct wt_err *err)
{
	char choices[128] = "";
	size_t len = 0;
	for (size_t i = 0; i < n; i++) {
		if (strcmp(v, set[i]) == 0)
			return 0;
		int w = snprintf(choices + len, sizeof choices - len, "%s%s", i ? ", " : "", set[i]);
		if (w > 0 && (size_t)w < sizeof choices - len)
			len += (size_t)w;
	}
	return wt_err_set(err, WT_ERR_USAGE, "--%s: unknown value '%s' (one of: %s)", opt, v, choices);
}

static int read_config(struct options *o, const char *path, struct wt_err *err);

/* Apply one option; v is its argument (NULL for flags). */
static int apply(struct options *o, int id, const char *v, struct wt_err *err)
{
	unsigned long n;
	switch (id) {
	case O_IFACE: o->iface = v; return 0;
	case O_READ: o->read_path = v; return 0;
	case O_BPF: o->bpf_filter = v; return 0;
	case O_JSON: o->json = true; return 0;
	case O_DURATION: return parse_duration(v, &o->duration_s, err);
	case O_FILTER: o->filter = v; return 0;
	case O_NO_COLOR: o->no_color = true; return 0;
	case O_NO_MOUSE: o->no_mouse = true; return 0;
	case O_TRACE_UI: o->trace_ui = v; return 0;
	case O_NO_LOCALHOST: o->no_localhost = true; o->show_localhost = false; return 0;
	case O_SHOW_LOCALHOST: o->show_localhost = true; o->no_localhost = false; return 0;
	case O_NO_DPI: o->no_dpi = true; return 0;
	case O_NO_RESOLVE: o->no_resolve = true; return 0;
	case O_GEOIP: o->geoip = v; return 0;
	case O_NO_GEOIP: o->no_geoip = true; return 0;
	case O_LOG_DIR: o->log_dir = v; return 0;
	case O_NO_SANDBOX: o->no_sandbox = true; return 0;
	case O_NO_PRIV_DROP: o->no_priv_drop = true; return 0;
	case O_DOCTOR: o->doctor = true; return 0;
	case O_LISTENING: o->listening = true; return 0;
	case O_FINDINGS: o->findings = true; return 0;
	case O_FINDINGS_NO_ANSWER:
		if (parse_uint("findings-no-answer", v, 1, 86400, &n, err) < 0)
			return -1;
		o->findings_no_answer_s = (unsigned)n;
		return 0;
	case O_FINDINGS_RETRANSMIT_PERCENT:
		if (parse_uint("findings-retransmit-percent", v, 1, 100, &n, err) < 0)
			return -1;
		o->findings_retransmit_percent = (unsigned)n;
		return 0;
	case O_FINDINGS_RETRANSMIT_MIN:
		if (parse_uint("findings-retransmit-min", v, 1, 1000000, &n, err) < 0)
			return -1;
		o->findings_retransmit_min = (unsigned)n;
		return 0;
	case O_FINDINGS_RTT_RISE:
		if (parse_uint("findings-rtt-rise", v, 0, 3600000, &n, err) < 0)
			return -1;
		o->findings_rtt_rise_ms = (unsigned)n;
		return 0;
	case O_FINDINGS_RTT_SPIKE:
		if (parse_uint("findings-rtt-spike", v, 0, 3600000, &n, err) < 0)
			return -1;
		o->findings_rtt_spike_ms = (unsigned)n;
		return 0;
	case O_DAEMON: o->daemon = true; return 0;
	case O_HELP: o->help = true; return 0;
	case O_VERSION: o->version = true; return 0;
	case O_TIMEOUT: return timeouts_set(&o->timeouts, v, err);
	case O_CONFIG:
		o->config = v;
		return read_config(o, v, err);
	case O_LOG:
		o->log_level = v;
		return one_of("log-level", v, log_levels, 5, err);
	case O_THEME:
		o->theme = v;
		return one_of("theme", v, themes, ARRAY_LEN(themes), err);
	case O_ATTR:
		o->attr_backend = v;
		return one_of("attr", v, attr_backends, 5, err);
	case O_REFRESH:
		if (parse_uint("refresh-interval", v, 50, 60000, &n, err) < 0)
			return -1;
		o->refresh_ms = (unsigned)n;
		return 0;
	case O_THREADS:
		if (parse_uint("threads", v, 1, 64, &n, err) < 0)
			return -1;
		o->threads = (int)n;
		return 0;
	case O_MAX_CONN:
		if (parse_uint("max-connections", v, 100, 100000000, &n, err) < 0)
			return -1;
		o->max_flows = (unsigned)n;
		return 0;
	case O_SNAPLEN:
		if (parse_uint("snaplen", v, 64, 262144, &n, err) < 0)
			return -1;
		o->snaplen = (int)n;
		return 0;
	case O_PCAPNG: o->pcapng = v; return 0;
	case O_OUI_FILE: o->oui_file = v; return 0;
	case O_PCAPNG_MAX:
		if (parse_uint("pcapng-max-mb", v, 0, 1048576, &n, err) < 0)
			return -1;
		o->pcapng_max_mb = (unsigned)n;
		return 0;
	case O_JSON_LOG: o->json_log = v; return 0;
	case O_JSON_LOG_INTERVAL:
		if (parse_uint("json-log-interval", v, 1, 86400, &n, err) < 0)
			return -1;
		o->json_log_interval_s = (unsigned)n;
		return 0;
	case O_JSON_LOG_MAX:
		if (parse_uint("json-log-max-mb", v, 0, 1048576, &n, err) < 0)
			return -1;
		o->json_log_max_mb = (unsigned)n;
		return 0;
	case O_IPFIX: o->ipfix = v; return 0;
	case O_IPFIX_ACTIVE:
		if (parse_uint("ipfix-active", v, 1, 86400, &n, err) < 0)
			return -1;
		o->ipfix_active_s = (unsigned)n;
		return 0;
	case O_IPFIX_PEN:
		if (parse_uint("ipfix-pen", v, 1, 4294967295ul, &n, err) < 0)
			return -1;
		o->ipfix_pen = (unsigned)n;
		return 0;
	case O_IPFIX_TEMPLATES:
		if (parse_uint("ipfix-template-refresh", v, 1, 86400, &n, err) < 0)
			return -1;
		o->ipfix_template_refresh_s = (unsigned)n;
		return 0;
	case O_METRICS: o->metrics = v; return 0;
	case O_METRICS_LABELS:
		if (parse_uint("metrics-max-labels", v, 1, 100000, &n, err) < 0)
			return -1;
		o->metrics_max_labels = (unsigned)n;
		return 0;
	case O_BUFFER:
		if (parse_uint("buffer-size", v, 1, 4096, &n, err) < 0)
			return -1;
		o->buffer_mb = (int)n;
		return 0;
	default:
		return wt_err_set(err, WT_ERR_USAGE, "unknown option");
	}
}

static char *trim(char *s)
{
	while (*s == ' ' || *s == '\t')
		s++;
	char *e = s + strlen(s);
	while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\n' || e[-1] == '\r'))
		*--e = '\0';
	return s;
}

/* Values must outlive parsing: they are copied into o->config_store. */
static const char *config_keep(struct options *o, const char *val, const char *path,
			       struct wt_err *err)
{
	size_t n = strlen(val) + 1;
	if (n > sizeof o->config_store - o->config_used) {
		wt_err_set(err, WT_ERR_USAGE, "%s: too many or too long values", path);
		return NULL;
	}
	char *kept = memcpy(o->config_store + o->config_used, val, n);
	o->config_used += n;
	return kept;
}

/* "timeout.NAME = SEC" */
static int config_timeout(struct options *o, const char *name, const char *val, const char *path,
			  int lineno, struct wt_err *err)
{
	char setting[128];
	if (snprintf(setting, sizeof setting, "%s=%s", name, val) >= (int)sizeof setting)
		return wt_err_set(err, WT_ERR_USAGE, "%s:%d: timeout.%s: value too long", path, lineno, name);
	return timeouts_set(&o->timeouts, setting, err);
}

struct config_ctx {
	struct options *o;
	const char *path;
};

/* One "name = value" line of a config file. */
static int config_line(void *opaque, char *line, int lineno, struct wt_err *err)
{
	const struct config_ctx *c = opaque;
	char *s = trim(line);
	if (!*s || *s == '#')
		return 0;
	char *eq = strchr(s, '=');
	if (eq)
		*eq = '\0';
	char *name = trim(s), *val = eq ? trim(eq + 1) : NULL;
	if (strncmp(name, "timeout.", 8) == 0 && val)
		return config_timeout(c->o, name + 8, val, c->path, lineno, err);
	for (size_t i = 0; i < NSPECS; i++) {
		const struct opt_spec *sp = &specs[i];
		if (strcmp(sp->name, name) != 0)
			continue;
		if (is_cmdline_only(sp->id))
			return wt_err_set(err, WT_ERR_USAGE, "%s:%d: '%s' is taken only from the command line",
					  c->path, lineno, name);
		if (sp->arg && !val)
			return wt_err_set(err, WT_ERR_USAGE, "%s:%d: '%s' needs a value", c->path, lineno, name);
		if (!sp->arg && val)
			return wt_err_set(err, WT_ERR_USAGE, "%s:%d: '%s' takes no value", c->path, lineno, name);
		const char *kept = val ? config_keep(c->o, val, c->path, err) : NULL;
		if (val && !kept)
			return -1;
		return apply(c->o, sp->id, kept, err);
	}
	return wt_err_set(err, WT_ERR_USAGE, "%s:%d: unknown setting '%s'", c->path, lineno, name);
}

static int read_config(struct options *o, const char *path, struct wt_err *err)
{
	struct config_ctx c = { o, path };
	return config_file_read(path, config_line, &c, err);
}

static const struct opt_spec *spec_by_id(int id)
{
	for (size_t i = 0; i < NSPECS; i++)
		if (specs[i].id == id)
			return &specs[i];
	return NULL;
}

/* The shorts string starts with ':' so that a missing value is told apart
 * from an unknown option. */
static void build_getopt(struct option *longs, char *shorts)
{
	size_t s = 0;
	shorts[s++] = ':';
	for (size_t i = 0; i < NSPECS; i++) {
		longs[i] = (struct option){ specs[i].name, specs[i].arg ? required_argument : no_argument,
					    NULL, specs[i].id };
		if (specs[i].id < 256) {
			shorts[s++] = (char)specs[i].id;
			if (specs[i].arg)
				shorts[s++] = ':';
		}
	}
	longs[NSPECS] = (struct option){ 0 };
	shorts[s] = '\0';
}

/* getopt_long returned '?' or ':'. optopt names the option when getopt
 * knows it (0 for an unknown or ambiguous long one, which is then the
 * previous argv element). */
static int getopt_error(int c, char **argv, struct wt_err *err)
{
	const struct opt_spec *s = optopt ? spec_by_id(optopt) : NULL;
	if (c == ':' && s)
		return wt_err_set(err, WT_ERR_USAGE, "option --%s needs a value (see --help)", s->name);
	if (s)
		return wt_err_set(err, WT_ERR_USAGE, "option --%s takes no value (see --help)", s->name);
	if (optopt)
		return wt_err_set(err, WT_ERR_USAGE, "unknown option '-%c' (see --help)", optopt);
	return wt_err_set(err, WT_ERR_USAGE, "unknown option '%s' (see --help)", argv[optind - 1]);
}

int options_parse(struct options *o, int argc, char **argv, struct wt_err *err)
{
	struct option longs[NSPECS + 1];
	char shorts[2 * NSPECS + 3];
	defaults(o);
	o->argc = argc;
	o->argv = argv;
	build_getopt(longs, shorts);
	opterr = 0;
	optind = 0; /* 0, not 1: glibc then also forgets a half-read "-abc" of an earlier call */
	int c;
	while ((c = getopt_long(argc, argv, shorts, longs, NULL)) != -1) {
		if (c == '?' || c == ':')
			return getopt_error(c, argv, err);
		if (apply(o, c, optarg, err) < 0)
			return -1;
	}
	if (optind < argc)
		return wt_err_set(err, WT_ERR_USAGE, "unexpected argument '%s' (see --help)", argv[optind]);
	if (o->iface && o->read_path)
		return wt_err_set(err, WT_ERR_USAGE, "--interface and --read exclude each other");
	if (o->duration_s > 0 && o->read_path)
		return wt_err_set(err, WT_ERR_USAGE, "--duration applies to live capture only");
	if (o->listening && (o->read_path || o->iface || o->daemon || o->duration_s > 0 || o->filter))
		return wt_err_set(err, WT_ERR_USAGE,
				  "--listening lists this machine's sockets and exits: it takes no --read, "
				  "--interface, --daemon, --duration or --filter");
	if (o->findings && (o->json || o->daemon || o->listening))
		return wt_err_set(err, WT_ERR_USAGE,
				  "--findings writes its own lines to stdout: it takes no --json, --daemon "
				  "or --listening");
	if (o->daemon && !o->json && !o->pcapng && !o->json_log && !o->ipfix && !o->metrics)
		return wt_err_set(err, WT_ERR_USAGE,
				  "--daemon needs an output: --json-log, --pcapng, --ipfix, --metrics or --json");
	if (o->trace_ui && (o->json || o->daemon || o->listening || o->findings))
		return wt_err_set(err, WT_ERR_USAGE, "--trace-ui times the UI: it takes no --json, "
				  "--daemon, --listening or --findings");
	if (o->daemon && o->filter && !o->json)
		return wt_err_set(err, WT_ERR_USAGE,
				  "--filter chooses what the UI shows and --json writes; the exporters get "
				  "every connection captured (narrow the capture with --bpf-filter)");
	return 0;
}

static void help_group(FILE *out, const char *group)
{
	fprintf(out, "\n%s:\n", group);
	for (size_t i = 0; i < NSPECS; i++) {
		const struct opt_spec *s = &specs[i];
		if (strcmp(s->group, group) != 0)
			continue;
		char left[64];
		if (s->id < 256)
			snprintf(left, sizeof left, "-%c, --%s%s%s", s->id, s->name, s->arg ? " " : "",
				 s->arg ? s->arg : "");
		else
			snprintf(left, sizeof left, "    --%s%s%s", s->name, s->arg ? " " : "", s->arg ? s->arg : "");
		fprintf(out, "  %-32s %s\n", left, s->help);
	}
}

/* Every keyword of the fields table, wrapped. */
static void help_filter_keywords(FILE *out)
{
	struct field_keyword kw;
	int col = 0;
	fprintf(out, "\nFilter keywords (--filter, and / in the UI; see FILTERS in wiretop(1)):\n");
	for (size_t i = 0; field_keyword_at(i, &kw); i++) {
		int n = (int)strlen(kw.word);
		if (col && col + 1 + n > 78) {
			fputc('\n', out);
			col = 0;
		}
		col += fprintf(out, "%s%s", col ? " " : "  ", kw.word);
	}
	fputc('\n', out);
}

void options_help(FILE *out)
{
	fprintf(out, "Usage: wiretop [OPTIONS]\n"
		     "Watch every connection of this machine: state, application, process, traffic.\n");
	for (size_t g = 0; g < ARRAY_LEN(groups); g++)
		help_group(out, groups[g]);
	fprintf(out, "\nTimeouts (--timeout NAME=SECONDS):\n");
	for (int i = 0; i < TO_COUNT; i++)
		fprintf(out, "  %-18s %5us  %s\n", timeout_name((enum timeout_id)i),
			timeout_default_sec((enum timeout_id)i), timeout_help((enum timeout_id)i));
	help_filter_keywords(out);
	fprintf(out, "\nExamples:\n"
		     "  sudo wiretop                         watch the default interface\n"
		     "  wiretop --read trace.pcap            explore a capture in the UI\n"
		     "  wiretop --read trace.pcap --json     one JSON record per connection\n"
		     "  sudo wiretop -i eth0 --json --duration 10 --filter 'dport:443'\n"
		     "  sudo wiretop --listening --json      every listening socket and its process\n"
		     "  wiretop --read trace.pcap --findings what went wrong, one JSON line per finding\n"
		     "\nExit status: 0 success, 1 runtime failure, 2 bad usage or input.\n");
}

void options_list(FILE *out)
{
	for (size_t i = 0; i < NSPECS; i++)
		fprintf(out, "--%s\n", specs[i].name);
}
