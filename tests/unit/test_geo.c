/* test_geo.c - which addresses have no place, and the errors of a
 * --geoip that names no database. The lookups themselves run against
 * databases built by tests/cli/geoip.sh. */
#include <arpa/inet.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check.h"
#include "base/addrscope.h"
#include "geo/geo.h"

static const char *scope_of(const char *text)
{
	uint8_t a[16] = { 0 };
	int family = strchr(text, ':') ? 6 : 4;
	CHECK(inet_pton(family == 6 ? AF_INET6 : AF_INET, text, a) == 1);
	return addr_scope(family, a);
}

static void test_addresses_without_a_place(void)
{
	static const char *const cases[][2] = {
		{ "10.1.2.3", "private" }, { "172.16.0.1", "private" }, { "172.31.255.1", "private" },
		{ "192.168.1.1", "private" }, { "100.64.0.1", "private" }, { "127.0.0.1", "loopback" },
		{ "169.254.1.1", "link-local" }, { "224.0.0.251", "multicast" },
		{ "239.255.255.250", "multicast" }, { "255.255.255.255", "broadcast" },
		{ "0.0.0.0", "unspecified" }, { "::1", "loopback" }, { "::", "unspecified" },
		{ "fd00::1", "private" }, { "fe80::1", "link-local" }, { "ff02::fb", "multicast" },
		{ "::ffff:192.168.0.1", "private" },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		const char *got = scope_of(cases[i][0]);
		if (!got || strcmp(got, cases[i][1]) != 0)
			check_fail(__FILE__, __LINE__, "%s: want %s, got %s", cases[i][0], cases[i][1],
				   got ? got : "(looked up)");
	}
}

static void test_public_addresses_are_looked_up(void)
{
	static const char *const public[] = {
		"192.0.2.1", "198.51.100.7", "8.8.8.8", "172.32.0.1", "100.128.0.1", "2001:db8::1",
		"2a00:1450::1", "::ffff:8.8.8.8",
	};
	for (size_t i = 0; i < sizeof public / sizeof public[0]; i++)
		if (scope_of(public[i]))
			check_fail(__FILE__, __LINE__, "%s labelled %s", public[i], scope_of(public[i]));
}

static void test_a_path_without_a_database_is_an_error(void)
{
	char dir[] = "/tmp/test_geo.XXXXXX";
	CHECK(mkdtemp(dir) != NULL);
	struct geo *g = (struct geo *)1;
	struct wt_err err = { 0 };
	char path[256];
	snprintf(path, sizeof path, "%s/none.mmdb", dir);
	CHECK_INT(geo_open(&g, path, &err), -1);
	CHECK(g == NULL);
	CHECK(strstr(err.msg, path) != NULL);
	CHECK_INT(geo_open(&g, dir, &err), -1);
	CHECK(strstr(err.msg, "holds no .mmdb") != NULL);
	FILE *f = fopen(path, "w"); /* a .mmdb that is not one */
	CHECK(f != NULL);
	fputs("not a database\n", f);
	fclose(f);
	CHECK_INT(geo_open(&g, dir, &err), -1);
	CHECK(strstr(err.msg, path) != NULL);
	unlink(path);
	rmdir(dir);
	geo_close(NULL);
}

int main(void)
{
	RUN(test_addresses_without_a_place);
	RUN(test_public_addresses_are_looked_up);
	RUN(test_a_path_without_a_database_is_an_error);
	return check_summary("test_geo");
}
