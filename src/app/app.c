#include "app/app.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "app/doctor.h"
#include "app/exports.h"
#include "app/findings.h"
#include "app/hooks.h"
#include "app/notify.h"
#include "app/reload.h"
#include "app/signals.h"
#include "attr/attr.h"
#include "base/clock.h"
#include "base/log.h"
#include "base/oui.h"
#include "engine/engine.h"
#include "engine/resolver.h"
#include "geo/geo.h"
#include "query/query.h"
#include "sandbox/sandbox.h"
#include "tui/tui.h"

/* Everything app_run builds, torn down in reverse by app_fini. */
struct app {
	const struct options *o;
	struct query *filter;
	struct attr *attr;
	struct engine *engine;
	struct app_exports exports;
	struct app_findings *findings; /* --findings; NULL else */
	struct app_hooks hooks;
	struct sandbox_status sandbox;
	struct oui *oui;               /* hardware vendors; NULL without the registry */
	struct resolver *resolver;     /* reverse DNS, live without --no-resolve; NULL else */
	struct geo *geo;               /* GeoIP databases; NULL: none found, or --no-geoip */
	char write_dirs[2][4096];      /* where exporters rotate and reopen files */
	const char *write_paths[3];
	char config_dir[4096];         /* the --config file's directory ... */
	const char *read_paths[3];     /* ... read again on SIGHUP, the runtime root */
	int trace_fd;                  /* --trace-ui; -1 none */
	uint64_t start_us;             /* the program's start, for the trace */
};

/* Headless runs are scripted: a lost interface ends them (status 1)
 * instead of leaving them waiting; the UI waits for it to return. */
static bool gone_ends_run(const struct options *o)
{
	return o->json || o->findings || o->duration_s > 0;
}

/* No UI: records, findings or exporters only. */
static bool is_headless(const struct options *o)
{
	return o->json || o->daemon || o->findings;
}

static void engine_opts_from(const struct options *o, struct engine_opts *eo)
{
	memset(eo, 0, sizeof *eo);
	eo->capture.iface = o->iface;
	eo->capture.path = o->read_path;
	eo->capture.bpf_filter = o->bpf_filter;
	eo->capture.snaplen = o->snaplen;
	eo->capture.buffer_mb = o->buffer_mb;
	eo->tracker.timeouts = o->timeouts;
	eo->tracker.max_flows = o->max_flows;
	eo->tracker.no_dpi = o->no_dpi;
	eo->tracker.rtt_spike_us = o->findings_rtt_spike_ms * (uint32_t)US_PER_MS;
	eo->workers = o->threads;
	bool headless = is_headless(o);
	eo->json = o->json;
	eo->exit_when_gone = gone_ends_run(o);
	eo->json_fd = 1;
	eo->keep_rows = !headless;
	eo->keep_all_closed = !headless && o->read_path;
	eo->refresh_ms = o->refresh_ms;
	eo->linger_ms = 3000;
	eo->show_localhost = o->show_localhost;
	eo->tracker.hide_localhost = o->no_localhost; /* on every source, lo included */
}

static int fail(const char *msg, int status)
{
	fprintf(stderr, "wiretop: %s\n", msg);
	return status;
}

/* --filter, in every mode: headless it selects the records written; the
 * UI takes it over as its first filter. */
static int compile_filter(struct app *a, struct wt_err *err)
{
	if (!a->o->filter)
		return 0;
	a->filter = query_compile_option(a->o->filter, err);
	return a->filter ? 0 : -1;
}

/* For tests: a folder standing for / where container runtimes' metadata
 * is read (var/lib/docker/containers/..., var/log/pods/...). */
#define RUNTIME_ROOT_ENV "WIRETOP_RUNTIME_ROOT"

/* Process attribution is for live capture; offline there is no owner. Its
 * socket-table scans run in the attribution helper when privileges are
 * about to be dropped: the helper keeps what naming other users' processes
 * takes, this process keeps nothing. */
static int open_attr(struct app *a, struct wt_err *err)
{
	if (a->o->read_path || strcmp(a->o->attr_backend, "none") == 0)
		return 0;
	struct attr_opts ao = {
		.backend = a->o->attr_backend,
		.runtime_root = getenv(RUNTIME_ROOT_ENV),
		.helper = !a->o->no_priv_drop,
		.helper_violation = SANDBOX_DENY,
	};
	return attr_open(&a->attr, &ao, err);
}

/* The directory of the --config file: SIGHUP reads the file again, and
 * an editor saves it as a new file in the same place. */
static const char *config_dir(const char *path, char *buf, size_t cap)
{
	snprintf(buf, cap, "%s", path);
	char *slash = strrchr(buf, '/');
	if (!slash)
		return ".";
	slash[slash == buf] = '\0';
	return buf;
}

/* Everything privileged is open now (capture, eBPF, log): drop to the
 * invoking user, clear capabilities, and confine before any packet is read. */
static int confine(struct app *a, struct wt_err *err)
{
	const char *backend = a->attr ? attr_backend_name(a->attr) : "none";
	int helper = attr_helper_of(a->attr);
	size_t ndirs = app_exports_dirs(a->o, a->write_dirs, 2);
	for (size_t i = 0; i < ndirs; i++)
		a->write_paths[i] = a->write_dirs[i];
	size_t nread = 0;
	if (a->o->config)
		a->read_paths[nread++] = config_dir(a->o->config, a->config_dir, sizeof a->config_dir);
	if (a->attr && getenv(RUNTIME_ROOT_ENV))
		a->read_paths[nread++] = getenv(RUNTIME_ROOT_ENV);
	a->read_paths[nread] = NULL;
	struct sandbox_opts so = {
		.no_priv_drop = a->o->no_priv_drop,
		.no_sandbox = a->o->no_sandbox,
		.on_violation = SANDBOX_DENY,
		/* the helper walks /proc/<pid>/fd when there is one, not us */
		.proc_fd_scan = !helper && (strcmp(backend, "sock_diag") == 0 ||
					   strcmp(backend, "procfs") == 0),
		.child_pid = helper,
		.write_paths = ndirs ? a->write_paths : NULL,
		.read_paths = nread ? a->read_paths : NULL,
		.dns_lookups = a->resolver != NULL,
	};
	return sandbox_enter(&so, &a->sandbox, err);
}

/* --trace-ui's file, opened before the sandbox closes the file system. */
static int open_trace(struct app *a, struct wt_err *err)
{
	if (!a->o->trace_ui)
		return 0;
	a->trace_fd = open(a->o->trace_ui, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (a->trace_fd < 0)
		return wt_err_set(err, WT_ERR_SYSTEM, "--trace-ui: %s: %s", a->o->trace_ui,
				  strerror(errno));
	return 0;
}

/* Live and not --no-resolve: reverse lookups name remote ends nothing
 * else names. Without a usable resolver configuration names come only
 * from the wire (logged). */
static void open_resolver(struct app *a, struct wtlog *log)
{
	if (a->o->read_path || a->o->no_resolve)
		return;
	struct wt_err err = { 0 };
	if (resolver_open(&a->resolver, &err) < 0)
		log_msg(log, LOGLV_WARN, "no reverse DNS: %s", err.msg);
}

static int app_init(struct app *a, const struct options *o, uint64_t start_us, struct wtlog *log,
		    int stop_fd, struct wt_err *err)
{
	memset(a, 0, sizeof *a);
	a->o = o;
	a->trace_fd = -1;
	a->start_us = start_us;
	if (compile_filter(a, err) < 0)
		return -1;
	struct engine_opts eo;
	engine_opts_from(o, &eo);
	eo.log = log;
	eo.capture.stop_fd = stop_fd; /* a signal ends a read that waits (a FIFO, a stalled pipe) */
	if (oui_load(&a->oui, o->oui_file, err) < 0)
		return -1;
	eo.tracker.oui = a->oui;
	/* mapped now: the sandbox closes the file system */
	if (!o->no_geoip && geo_open(&a->geo, o->geoip, err) < 0)
		return -1;
	eo.tracker.geo = a->geo;
	open_resolver(a, log);
	eo.resolver = a->resolver;
	if (engine_open(&a->engine, &eo, err) < 0)
		return -1;
	if (open_attr(a, err) < 0)
		return -1;
	if (o->findings) /* of the connections --filter chooses */
		a->exports.findings = a->findings = app_findings_new(o, a->filter);
	if (app_exports_open(&a->exports, o, a->engine, a->attr, err) < 0)
		return -1;
	if (open_trace(a, err) < 0)
		return -1;
	if (confine(a, err) < 0)
		return -1;
	const struct query *rows = o->json ? a->filter : NULL; /* the UI filters its own */
	app_hooks_init(&a->hooks, rows, a->attr);
	a->hooks.exports = &a->exports;
	sandbox_status_line(&a->sandbox, a->hooks.security, sizeof a->hooks.security);
	engine_set_hooks(a->engine, rows ? app_hook_filter : NULL, a->attr ? app_hook_join : NULL,
			 &a->hooks);
	return 0;
}

static void app_fini(struct app *a)
{
	if (a->engine) { /* no worker may still hand the hub events */
		engine_stop(a->engine);
		engine_wait(a->engine, NULL, 0);
	}
	app_exports_free(&a->exports); /* before the engine its metrics read */
	app_findings_free(a->findings); /* after the hub that fed it */
	engine_free(a->engine);
	resolver_close(a->resolver); /* after the engine, whose workers ask it */
	oui_free(a->oui);
	geo_close(a->geo); /* after the engine, whose trackers ask it */
	attr_close(a->attr);
	query_free(a->filter);
	if (a->trace_fd >= 0)
		close(a->trace_fd);
}

/* What a headless run has said on stderr of what the UI's status bar shows. */
struct headless_said {
	char link[64]; /* "" up */
	int helper;    /* the attribution helper's pid; 0 none (any more) */
};

/* Headless, the status bar's news goes to stderr, a line per change:
 * "wiretop: eth0: link down", then "wiretop: eth0: link up, capture
 * resumed" (an interface that disappears from a run that ends for it,
 * --json or --duration, is the run's last message instead); and the
 * attribution helper's end. */
static void report_changes(const struct options *o, struct engine *e, struct attr *attr,
			   struct headless_said *said)
{
	struct engine_status es;
	engine_status(e, &es);
	if (es.live && strcmp(es.link, said->link) != 0) {
		if (!es.gone || !gone_ends_run(o))
			fprintf(stderr, "wiretop: %s: %s\n", es.source,
				es.link[0] ? es.link : "link up, capture resumed");
		snprintf(said->link, sizeof said->link, "%s", es.link);
	}
	if (said->helper && !attr_helper_of(attr)) {
		char seen[256];
		attr_describe(attr, seen, sizeof seen);
		fprintf(stderr, "wiretop: the attribution helper exited: scans go on here and name "
				"only what this process may see (%s)\n", seen);
		said->helper = 0;
	}
}

/* Headless: wait for the end of the file, the duration, a signal, or a
 * write error. A SIGHUP reopens the exporters' files when there are any
 * (logrotate) and, for a daemon, reads the config again and applies what
 * can change while running (app/reload.h); without exporters it ends the
 * run like SIGTERM (see app_signals_open). */
static void wait_headless(const struct options *o, struct engine *e, struct attr *attr,
			  struct app_exports *exports, struct app_signals *sig,
			  const struct sd_notifier *sd, struct wtlog *log)
{
	uint64_t start = clock_mono_us();
	struct options running = *o; /* what SIGHUP applies goes here */
	struct headless_said said = { "", attr_helper_of(attr) };
	while (!engine_finished(e) && !engine_output_error(e)) {
		report_changes(o, e, attr, &said);
		enum app_signal_action act = app_signals_wait(sig, 2); /* 2 ms: notice the end promptly */
		if (act == APP_SIGNAL_REOPEN) {
			notify_send(sd, "RELOADING=1");
			if (o->daemon)
				app_reload(&running, exports, log);
			app_exports_reopen(exports);
			log_msg(log, LOGLV_INFO, "SIGHUP: outputs reopened");
			notify_send(sd, "READY=1");
			continue;
		}
		if (act == APP_SIGNAL_STOP)
			break;
		double el = (double)(clock_mono_us() - start) / US_PER_SEC;
		if (o->duration_s > 0 && el >= o->duration_s)
			break;
	}
	engine_stop(e);
}

static int run_ui(struct app *a, struct wt_err *err)
{
	struct tui_opts to = {
		.refresh_ms = a->o->refresh_ms,
		.no_color = a->o->no_color,
		.no_mouse = a->o->no_mouse,
		.theme = a->o->theme,
		.filter = a->o->filter,
		.filter_query = a->filter,
		.trace_fd = a->trace_fd,
		.start_us = a->start_us,
		.findings = app_findings_opts(a->o),
	};
	a->filter = NULL; /* the UI's now */
	struct tui_source src;
	app_tui_source(&a->hooks, a->engine, &src);
	/* SIGINT, SIGTERM and SIGHUP stay blocked: the UI sees Ctrl+C as a key. */
	int rc = tui_run(&to, &src, err);
	engine_stop(a->engine);
	return rc;
}

/* Live headless runs end with one line of counters on stderr; reading a
 * file, so do runs where frames went into no connection. */
static void print_summary(struct engine *e, struct app_exports *exports, bool live)
{
	struct engine_status st;
	engine_status(e, &st);
	if (!live && !st.unparsed)
		return;
	char ex[64] = "";
	if (app_exports_on(exports))
		snprintf(ex, sizeof ex, ", export drops %llu", (unsigned long long)app_exports_drops(exports));
	fprintf(stderr,
		"wiretop: %s: %llu packets, %llu connections, %llu evicted by the cap, "
		"kernel drops %llu, internal drops %llu, unparsed %llu%s\n",
		st.source, (unsigned long long)st.packets, (unsigned long long)st.flows_created,
		(unsigned long long)st.flows_evicted, (unsigned long long)st.kernel_drops,
		(unsigned long long)st.internal_drops, (unsigned long long)st.unparsed, ex);
}

/* Log lines at start-up: what is read and how connections are attributed. */
static void log_start(struct wtlog *log, const struct app *a)
{
	struct engine_status st;
	if (!log_enabled(log, LOGLV_INFO))
		return;
	engine_status(a->engine, &st);
	log_msg(log, LOGLV_INFO, "source %s: %s, linktype %d, %d workers, dpi %s", st.source,
		st.live ? "live" : "file", st.linktype, st.workers, a->o->no_dpi ? "off" : "on");
	if (a->attr)
		log_msg(log, LOGLV_INFO, "attribution: %s%s%s", attr_backend_name(a->attr),
			*attr_backend_notes(a->attr) ? "; " : "", attr_backend_notes(a->attr));
	log_msg(log, LOGLV_INFO, "security: %s%s%s", a->hooks.security, a->sandbox.notes[0] ? "; " : "",
		a->sandbox.notes);
}

static void log_stats(struct wtlog *log, struct engine *e, struct app_exports *exports)
{
	struct engine_status st;
	if (!log_enabled(log, LOGLV_INFO))
		return;
	engine_status(e, &st);
	log_msg(log, LOGLV_INFO,
		"capture stats: packets=%llu bytes=%llu kernel_drops=%llu internal_drops=%llu "
		"decode_errors=%llu unparsed=%llu flows_created=%llu flows_evicted=%llu flows_peak=%llu "
		"export_drops=%llu",
		(unsigned long long)st.packets, (unsigned long long)st.bytes,
		(unsigned long long)st.kernel_drops, (unsigned long long)st.internal_drops,
		(unsigned long long)st.decode_errors, (unsigned long long)st.unparsed,
		(unsigned long long)st.flows_created, (unsigned long long)st.flows_evicted,
		(unsigned long long)st.flows_peak, (unsigned long long)app_exports_drops(exports));
}

/* The one way out once the log is open: reports err (a missing privilege
 * with what is missing and how to get it), logs the end, closes the log.
 * A signal before the capture began is no failure: quietly status 0. */
static int app_exit(struct wtlog *log, struct app_signals *sig, const struct wt_err *err, int status)
{
	if (err && err->code == WT_ERR_STOPPED)
		status = 0;
	else if (err && err->code != WT_OK) {
		if (err->code == WT_ERR_PERM)
			doctor_explain_privilege(stderr);
		else
			fprintf(stderr, "wiretop: %s\n", err->msg);
		log_msg(log, LOGLV_ERROR, "%s", err->msg);
	}
	log_msg(log, LOGLV_INFO, "wiretop stopping: exit status %d", status);
	log_close(log);
	app_signals_close(sig);
	return status;
}

/* Records that could not be written end the run: said once, status 1.
 * A reader that went away (EPIPE, `| head`) is no failure: quietly 0. */
static int output_status(struct engine *e, struct wtlog *log)
{
	int oerr = engine_output_error(e);
	if (!oerr || oerr == EPIPE)
		return 0;
	fprintf(stderr, "wiretop: stdout: %s: records from here on are lost\n", strerror(oerr));
	log_msg(log, LOGLV_ERROR, "stdout: %s: records from here on are lost", strerror(oerr));
	return 1;
}

/* --findings, once every connection has reached them: to stdout. True
 * when they could not be written (said on stderr); a reader that went
 * away (EPIPE) is no failure. */
static bool write_findings(struct app_findings *af, struct wtlog *log)
{
	int werr = app_findings_write(af, STDOUT_FILENO);
	if (!werr || werr == EPIPE)
		return false;
	fprintf(stderr, "wiretop: stdout: %s: findings lost\n", strerror(werr));
	log_msg(log, LOGLV_ERROR, "stdout: %s: findings lost", strerror(werr));
	return true;
}

/* A closed standard stream would be taken by the next open (the log
 * file, the capture, the signal descriptor), and records or messages
 * written there: it is held by /dev/null instead, and a closed stdout is
 * an error when records are to go there. */
static int guard_std_streams(const struct options *o)
{
	for (int fd = STDIN_FILENO; fd <= STDERR_FILENO; fd++) {
		if (fcntl(fd, F_GETFD) >= 0 || errno != EBADF)
			continue;
		if (fd == STDOUT_FILENO && (o->json || o->findings))
			return fail("stdout: closed: nowhere to write records", 1);
		if (open("/dev/null", O_RDWR) < 0) /* the lowest free number: fd */
			return fail("cannot open /dev/null", 1);
	}
	return 0;
}

int app_run(const struct options *o, uint64_t start_us)
{
	struct app a;
	struct wt_err err = { 0 };
	if (guard_std_streams(o))
		return 1;
	struct wtlog *log = log_open(o->log_dir, o->log_level, &err);
	if (!log && err.code != WT_OK)
		return fail(err.msg, 1);
	log_msg(log, LOGLV_INFO, "wiretop %s starting: %s %s", WT_VERSION,
		o->read_path ? "file" : "interface",
		o->read_path ? o->read_path : o->iface ? o->iface : "(default route)");
	bool headless = is_headless(o);
	struct sd_notifier sd;
	notify_open(&sd); /* before the sandbox: no new sockets after it */
	/* before any thread: they inherit the mask */
	struct app_signals sig;
	if (app_signals_open(&sig, o->daemon || (headless && app_exports_wanted(o)), &err) < 0)
		return app_exit(log, &sig, &err, 1);
	if (app_init(&a, o, start_us, log, app_signals_fd(&sig), &err) < 0) {
		app_fini(&a);
		return app_exit(log, &sig, &err,
				err.code == WT_ERR_USAGE || err.code == WT_ERR_INPUT ? 2 : 1);
	}
	if (app_exports_start(&a.exports, &err) < 0 || resolver_start(a.resolver, &err) < 0 ||
	    engine_start(a.engine, &err) < 0) {
		app_fini(&a);
		return app_exit(log, &sig, &err, 1);
	}
	log_start(log, &a);
	int status = 0;
	notify_send(&sd, "READY=1");
	if (headless) {
		wait_headless(o, a.engine, a.attr, &a.exports, &sig, &sd, log);
	} else if (run_ui(&a, &err) < 0) {
		fprintf(stderr, "wiretop: %s\n", err.msg);
		log_msg(log, LOGLV_ERROR, "%s", err.msg);
		status = 1;
	}
	char warn[512];
	bool wait_failed = engine_wait(a.engine, warn, sizeof warn) < 0;
	app_exports_stop(&a.exports); /* the workers' last records are queued: deliver them */
	if (wait_failed) {
		fprintf(stderr, "wiretop: %s\n", warn);
		log_msg(log, LOGLV_ERROR, "%s", warn);
		status = 1;
	} else if (warn[0]) {
		fprintf(stderr, "wiretop: warning: %s\n", warn);
		log_msg(log, LOGLV_WARN, "%s", warn);
	}
	notify_send(&sd, "STOPPING=1");
	notify_close(&sd);
	if (headless)
		print_summary(a.engine, &a.exports, !o->read_path);
	if (o->json && status == 0)
		status = output_status(a.engine, log);
	if (a.findings) {
		struct engine_status st;
		engine_status(a.engine, &st);
		app_findings_capture(a.findings, &st, app_exports_drops(&a.exports));
		if (write_findings(a.findings, log) && status == 0)
			status = 1;
	}
	log_stats(log, a.engine, &a.exports);
	app_fini(&a);
	return app_exit(log, &sig, NULL, status);
}
