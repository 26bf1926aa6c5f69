/* options.h - the command line: one table drives parsing, --help and the
 * man page check. */
#ifndef WT_CLI_OPTIONS_H
#define WT_CLI_OPTIONS_H

#include <stdbool.h>
#include <stdio.h>

#include "base/err.h"
#include "flow/lifecycle.h"

#define OPT_MAX_TIMEOUTS 16

struct options {
	const char *iface;         /* -i */
	const char *read_path;     /* --read */
	bool json;
	bool daemon;               /* no UI, exporters only; systemd-friendly */
	double duration_s;         /* 0 = until interrupted */
	const char *bpf_filter;    /* -f */
	const char *filter;        /* --filter */
	int threads;               /* 0 = auto */
	bool no_localhost, show_localhost;
	unsigned refresh_ms;
	bool no_dpi;
	bool no_resolve;           /* no reverse DNS lookups (live) */
	const char *geoip;         /* --geoip: a .mmdb file or a folder; NULL: the system's */
	bool no_geoip;             /* no GeoIP databases, not even the system's */
	const char *log_level;     /* NULL = no logging */
	const char *log_dir;
	bool no_color;
	bool no_mouse;             /* the terminal keeps the mouse */
	const char *theme;         /* auto|muted|vivid|light */
	const char *trace_ui;      /* --trace-ui: the UI's timings go there */
	const char *attr_backend;  /* auto|ebpf|sock_diag|procfs|none */
	unsigned max_flows;
	struct timeouts timeouts;
	int snaplen;
	int buffer_mb;
	bool no_sandbox, no_priv_drop;
	/* exporters (src/export/) */
	const char *pcapng;        /* every packet, with its process */
	const char *oui_file;      /* IEEE OUI registry (ARP vendors) */
	unsigned pcapng_max_mb;
	const char *json_log;      /* connection event log */
	unsigned json_log_interval_s;
	unsigned json_log_max_mb;  /* 0: never rotate */
	const char *ipfix;         /* HOST:PORT, udp:// or tcp:// */
	const char *metrics;       /* ADDR:PORT to serve /metrics on */
	unsigned metrics_max_labels;
	unsigned ipfix_active_s;
	unsigned ipfix_pen;
	unsigned ipfix_template_refresh_s;
	bool doctor;
	bool listening;            /* list listening/bound sockets and exit */
	bool findings;             /* no UI: write what went wrong at the end (output/findings.h) */
	unsigned findings_no_answer_s;
	unsigned findings_retransmit_percent;
	unsigned findings_retransmit_min;
	unsigned findings_rtt_rise_ms;
	unsigned findings_rtt_spike_ms; /* also the tracker's: what a spike is (flow/tcp_health.h) */
	bool help, version;
	const char *config;        /* --config FILE (the last one), read again on SIGHUP */
	/* The command line, to read it (and its --config) again on SIGHUP. */
	int argc;
	char **argv;
	/* Values read by --config live here, so options never need freeing. */
	char config_store[4096];
	size_t config_used;
};

/* Parse argv. Returns 0, or -1 with a one-line message in err (usage
 * errors: exit status 2). */
int options_parse(struct options *o, int argc, char **argv, struct wt_err *err);
void options_help(FILE *out);
/* Every long option name, one per line (for the docs consistency test). */
void options_list(FILE *out);

#endif
