#include "app/reload.h"

#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "base/macros.h"

enum kind { K_TEXT, K_UINT, K_INT, K_BOOL, K_SECONDS, K_TIMEOUTS };

/* Every setting a config file can hold, by its option name. */
struct setting {
	const char *name;
	size_t off;
	enum kind kind;
	bool live;                    /* applied on SIGHUP, else at the next start */
};

#define SET(name, member, kind, live) { name, offsetof(struct options, member), kind, live }

static const struct setting settings[] = {
	SET("json-log-interval", json_log_interval_s, K_UINT, true),
	SET("json-log-max-mb", json_log_max_mb, K_UINT, true),
	SET("pcapng-max-mb", pcapng_max_mb, K_UINT, true),
	SET("ipfix-active", ipfix_active_s, K_UINT, true),
	SET("ipfix-template-refresh", ipfix_template_refresh_s, K_UINT, true),
	SET("metrics-max-labels", metrics_max_labels, K_UINT, true),
	SET("interface", iface, K_TEXT, false),
	SET("read", read_path, K_TEXT, false),
	SET("bpf-filter", bpf_filter, K_TEXT, false),
	SET("snaplen", snaplen, K_INT, false),
	SET("buffer-size", buffer_mb, K_INT, false),
	SET("json", json, K_BOOL, false),
	SET("duration", duration_s, K_SECONDS, false),
	SET("filter", filter, K_TEXT, false),
	SET("pcapng", pcapng, K_TEXT, false),
	SET("json-log", json_log, K_TEXT, false),
	SET("ipfix", ipfix, K_TEXT, false),
	SET("ipfix-pen", ipfix_pen, K_UINT, false),
	SET("metrics", metrics, K_TEXT, false),
	SET("no-localhost", no_localhost, K_BOOL, false),
	SET("show-localhost", show_localhost, K_BOOL, false),
	SET("no-dpi", no_dpi, K_BOOL, false),
	SET("no-resolve", no_resolve, K_BOOL, false),
	SET("geoip", geoip, K_TEXT, false),
	SET("no-geoip", no_geoip, K_BOOL, false),
	SET("threads", threads, K_INT, false),
	SET("max-connections", max_flows, K_UINT, false),
	SET("timeout", timeouts, K_TIMEOUTS, false),
	SET("attr", attr_backend, K_TEXT, false),
	SET("log-level", log_level, K_TEXT, false),
	SET("log-dir", log_dir, K_TEXT, false),
	SET("no-sandbox", no_sandbox, K_BOOL, false),
	SET("no-priv-drop", no_priv_drop, K_BOOL, false),
};

static bool same(const struct setting *s, const struct options *a, const struct options *b)
{
	const char *pa = (const char *)a + s->off, *pb = (const char *)b + s->off;
	switch (s->kind) {
	case K_TEXT: {
		const char *x = *(const char *const *)(const void *)pa, *y = *(const char *const *)(const void *)pb;
		return x == y || (x && y && strcmp(x, y) == 0);
	}
	case K_UINT: return memcmp(pa, pb, sizeof(unsigned)) == 0;
	case K_INT: return memcmp(pa, pb, sizeof(int)) == 0;
	case K_BOOL: return memcmp(pa, pb, sizeof(bool)) == 0;
	case K_SECONDS: return memcmp(pa, pb, sizeof(double)) == 0;
	case K_TIMEOUTS: return memcmp(pa, pb, sizeof(struct timeouts)) == 0;
	}
	return true;
}

static void say(struct wtlog *log, enum log_level lv, const char *msg)
{
	log_msg(log, lv, "%s", msg);
	fprintf(stderr, "wiretop: %s\n", msg);
}

void app_reload(struct options *running, struct app_exports *x, struct wtlog *log)
{
	struct options fresh;
	struct wt_err err = { 0 };
	char msg[640];
	if (options_parse(&fresh, running->argc, running->argv, &err) < 0) {
		snprintf(msg, sizeof msg, "SIGHUP: %s; the running settings stay", err.msg);
		say(log, LOGLV_ERROR, msg);
		return;
	}
	bool applied = false;
	for (size_t i = 0; i < ARRAY_LEN(settings); i++) {
		const struct setting *s = &settings[i];
		if (same(s, running, &fresh))
			continue;
		if (s->live) { /* numbers only: the running strings stay valid */
			memcpy((char *)running + s->off, (const char *)&fresh + s->off, sizeof(unsigned));
			snprintf(msg, sizeof msg, "SIGHUP: %s is now %u", s->name,
				 *(const unsigned *)(const void *)((const char *)&fresh + s->off));
			applied = true;
		} else {
			snprintf(msg, sizeof msg, "SIGHUP: %s changed in the config: takes effect at restart",
				 s->name);
		}
		say(log, s->live ? LOGLV_INFO : LOGLV_WARN, msg);
	}
	if (applied)
		app_exports_retune(x, running);
}
