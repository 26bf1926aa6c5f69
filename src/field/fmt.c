/* fmt.c - numbers, times and endpoints as the UI shows them. */
#include "field/fmt.h"

#include <stdio.h>
#include <time.h>

#include "base/clock.h"

void fmt_bytes(char *buf, size_t cap, double v)
{
	if (v < 1000)
		snprintf(buf, cap, "%.0fB", v);
	else
		fmt_count(buf, cap, v);
}

void fmt_count(char *buf, size_t cap, double v)
{
	static const char units[] = "kMGTP";
	if (v < 1000) {
		snprintf(buf, cap, "%.0f", v);
		return;
	}
	int u = -1;
	while (v >= 1000 && u < 4) {
		v /= 1000;
		u++;
	}
	snprintf(buf, cap, v < 10 ? "%.2f%c" : v < 100 ? "%.1f%c" : "%.0f%c", v, units[u]);
}

void fmt_rate(char *buf, size_t cap, double v)
{
	if (v < 0.5) {
		snprintf(buf, cap, "-");
		return;
	}
	char b[16];
	fmt_bytes(b, sizeof b, v);
	snprintf(buf, cap, "%s/s", b);
}

void fmt_duration(char *buf, size_t cap, double s)
{
	unsigned long t = (unsigned long)s;
	if (s < 1)
		snprintf(buf, cap, "%.0fms", s * MS_PER_SEC);
	else if (s < 60)
		snprintf(buf, cap, "%.1fs", s);
	else if (t < 3600)
		snprintf(buf, cap, "%lum%02lus", t / 60, t % 60);
	else if (t < 86400)
		snprintf(buf, cap, "%luh%02lum", t / 3600, t % 3600 / 60);
	else
		snprintf(buf, cap, "%lud%02luh", t / 86400, t % 86400 / 3600);
}

void fmt_endpoint(char *buf, size_t cap, const char *host, bool v6, const struct conn_row *r,
		  uint16_t port, bool numeric)
{
	if (!row_has_ports(r)) {
		snprintf(buf, cap, "%s", host);
		return;
	}
	const char *svc = numeric ? NULL : service_name(r->l4, port);
	char p[8];
	snprintf(p, sizeof p, "%u", port);
	snprintf(buf, cap, "%s%s%s:%s", v6 ? "[" : "", host, v6 ? "]" : "", svc ? svc : p);
}

void fmt_time(char *buf, size_t cap, uint64_t us)
{
	time_t t = (time_t)(us / US_PER_SEC);
	struct tm tm;
	char b[32];
	if (!localtime_r(&t, &tm) || !strftime(b, sizeof b, "%Y-%m-%d %H:%M:%S", &tm)) {
		snprintf(buf, cap, "-");
		return;
	}
	snprintf(buf, cap, "%s.%03u", b, (unsigned)(us % US_PER_SEC / US_PER_MS));
}
