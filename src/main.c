/* main.c - argv -> config, start modules in order, stop in reverse. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "app/app.h"
#include "app/doctor.h"
#include "app/listening.h"
#include "attr/attr.h"
#include "base/clock.h"
#include "cli/options.h"

/* What went to stdout must have arrived: a full disk is an error, a
 * reader that went away (EPIPE) is not. */
static int stdout_status(int status)
{
	if (fflush(stdout) == 0 && !ferror(stdout))
		return status;
	if (errno == EPIPE)
		return status;
	fprintf(stderr, "wiretop: stdout: %s\n", strerror(errno));
	return status ? status : 1;
}

int main(int argc, char **argv)
{
	uint64_t start_us = clock_mono_us(); /* --trace-ui counts from here */
	struct options o;
	struct wt_err err = { 0 };
	if (argc > 1 && strcmp(argv[1], ATTR_HELPER_ARG) == 0)
		return attr_helper_main(argc, argv); /* wiretop's own attribution helper */
	/* Write errors are reported where they happen, not fatal signals: a
	 * closed pipe (SIGPIPE) or a file-size limit (SIGXFSZ, on the log). */
	signal(SIGPIPE, SIG_IGN);
	signal(SIGXFSZ, SIG_IGN);
	if (options_parse(&o, argc, argv, &err) < 0) {
		fprintf(stderr, "wiretop: %s\n", err.msg);
		return 2;
	}
	if (o.help) {
		options_help(stdout);
		return stdout_status(0);
	}
	if (o.version) {
		printf("wiretop %s\n", WT_VERSION);
		return stdout_status(0);
	}
	if (o.doctor)
		return stdout_status(doctor_run(&o, stdout));
	if (o.listening)
		return stdout_status(listening_run(&o, stdout, stderr));
	return app_run(&o, start_us);
}
