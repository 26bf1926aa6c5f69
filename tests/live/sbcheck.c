/* sbcheck.c - the sandbox on a live capture, wired as the application
 * wires it: attribution and capture opened while privileged, then
 * sandbox_enter(), then the engine threads, which keep capturing.
 *
 *   sbcheck IFACE SECONDS [deny|kill|log] [ATTR_BACKEND]
 *
 * Connection records go to stdout as JSON. On stderr: "sbcheck: ready pid
 * N" once confined (so a script can read /proc/N/status), then after
 * SECONDS "sbcheck: packets N flows N ..." and the sandbox status line.
 * Exit 0, 1 on a sandbox error. Built and run by
 * tests/live/privdrop.sh; also the tool to rediscover the seccomp list
 * (mode "log", then read the kernel's audit lines: type=1326).
 */
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "attr/attr.h"
#include "engine/engine.h"
#include "sandbox/sandbox.h"

static enum sandbox_violation parse_mode(const char *s)
{
	if (s && strcmp(s, "kill") == 0)
		return SANDBOX_KILL;
	if (s && strcmp(s, "log") == 0)
		return SANDBOX_LOG;
	return SANDBOX_DENY;
}

static void wait_seconds(double secs)
{
	sigset_t set;
	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	struct timespec tick = { 0, 100 * 1000000 };
	for (double t = 0; t < secs; t += 0.1)
		if (sigtimedwait(&set, NULL, &tick) > 0)
			break;
}

static int run(struct engine *e, struct attr *a, const struct sandbox_opts *so, double secs)
{
	struct sandbox_status st;
	struct wt_err err = { 0 };
	char line[256];
	if (sandbox_enter(so, &st, &err) < 0) {
		fprintf(stderr, "sbcheck: %s\n", err.msg);
		return 1;
	}
	if (engine_start(e, &err) < 0) {
		fprintf(stderr, "sbcheck: %s\n", err.msg);
		return 1;
	}
	fprintf(stderr, "sbcheck: ready pid %d\n", (int)getpid());
	wait_seconds(secs);
	engine_stop(e);
	engine_wait(e, NULL, 0);
	struct engine_status es;
	engine_status(e, &es);
	struct attr_stats as;
	attr_get_stats(a, &as);
	sandbox_status_line(&st, line, sizeof line);
	fprintf(stderr, "sbcheck: packets %llu flows %llu attr %s scans %llu events %llu\n",
	       (unsigned long long)es.packets, (unsigned long long)es.flows_created, attr_backend_name(a),
	       (unsigned long long)as.scans, (unsigned long long)as.events);
	fprintf(stderr, "sbcheck: threads %d confined %d\n", st.threads, st.threads_confined);
	fprintf(stderr, "sbcheck: sandbox %s%s%s\n", line, st.notes[0] ? "; " : "", st.notes);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc < 3) {
		fprintf(stderr, "usage: sbcheck IFACE SECONDS [deny|kill|log] [ATTR_BACKEND]\n");
		return 2;
	}
	sigset_t set;
	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &set, NULL);

	struct wt_err err = { 0 };
	struct attr *a = NULL;
	struct attr_opts ao = { .backend = argc > 4 ? argv[4] : NULL };
	if (attr_open(&a, &ao, &err) < 0) {
		fprintf(stderr, "sbcheck: %s\n", err.msg);
		return 1;
	}
	struct engine_opts eo;
	memset(&eo, 0, sizeof eo);
	eo.capture.iface = argv[1];
	eo.workers = 2;
	eo.json = true;
	eo.json_fd = 1;
	eo.show_localhost = true;
	struct engine *e = NULL;
	if (engine_open(&e, &eo, &err) < 0) {
		fprintf(stderr, "sbcheck: %s\n", err.msg);
		attr_close(a);
		return 1;
	}
	const char *name = attr_backend_name(a);
	struct sandbox_opts so = {
		.on_violation = parse_mode(argc > 3 ? argv[3] : NULL),
		.proc_fd_scan = strcmp(name, "sock_diag") == 0 || strcmp(name, "procfs") == 0,
	};
	int rc = run(e, a, &so, atof(argv[2]));
	engine_free(e);
	attr_close(a);
	return rc;
}
