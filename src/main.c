/* main.c - argv -> config, start modules in order, stop in reverse. */
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "app/app.h"
#include "app/doctor.h"
#include "cli/options.h"

int main(int argc, char **argv)
{
	struct options o;
	struct wt_err err = { 0 };
	signal(SIGPIPE, SIG_IGN);
	if (options_parse(&o, argc, argv, &err) < 0) {
		fprintf(stderr, "wiretop: %s\n", err.msg);
		return 2;
	}
	if (o.help) {
		options_help(stdout);
		return 0;
	}
	if (o.version) {
		printf("wiretop %s\n", WT_VERSION);
		return 0;
	}
	if (o.doctor)
		return doctor_run(&o, stdout);
	return app_run(&o);
}
