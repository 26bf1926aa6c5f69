/* test_expect.c - the shared table of announced connections: what
 * matches (target, opener, time window), the newest winning, and a flood
 * staying within its fixed size. */
#include <string.h>

#include "check.h"
#include "engine/expect.h"

#define T0 1700000000000000ull

static struct dpi_expect announced(uint8_t last, uint16_t port, uint64_t ts, const char *how)
{
	struct dpi_expect e;
	memset(&e, 0, sizeof e);
	e.family = 4;
	e.control.family = 4;
	e.control.sport = 40000;
	e.control.dport = 21;
	e.control.src[0] = 10, e.control.src[3] = 1;
	e.control.dst[0] = 10, e.control.dst[3] = 2;
	memcpy(e.from, e.control.src, 16);
	e.to[0] = 10, e.to[3] = last;
	e.to_port = port;
	e.app = APP_FTP_DATA;
	snprintf(e.how, sizeof e.how, "%s", how);
	e.ts_us = ts;
	return e;
}

static struct dpi_ends conn_to(uint8_t last, uint16_t port, uint8_t from_last)
{
	struct dpi_ends c;
	memset(&c, 0, sizeof c);
	c.family = 4;
	c.src[0] = 10, c.src[3] = from_last;
	c.dst[0] = 10, c.dst[3] = last;
	c.sport = 45000;
	c.dport = port;
	return c;
}

static void test_match(void)
{
	struct expect_table *t = expect_new(0);
	struct dpi_expect got;
	struct dpi_ends c = conn_to(2, 50000, 1);
	CHECK(!expect_find(t, &c, T0, &got)); /* nothing announced yet */
	struct dpi_expect e = announced(2, 50000, T0, "PASV");
	expect_announce(t, &e);
	CHECK(expect_find(t, &c, T0 + 1000, &got));
	CHECK_STR(got.how, "PASV");
	CHECK_INT(got.control.dport, 21);
	struct dpi_ends other_port = conn_to(2, 50001, 1), other_opener = conn_to(2, 50000, 9);
	CHECK(!expect_find(t, &other_port, T0 + 1000, &got));
	CHECK(!expect_find(t, &other_opener, T0 + 1000, &got));
	/* begun long before or after the announcement: not its connection */
	CHECK(!expect_find(t, &c, T0 - 2 * EXPECT_EARLY_US, &got));
	CHECK(!expect_find(t, &c, T0 + EXPECT_TTL_US + 1, &got));
	CHECK(expect_find(t, &c, T0 + EXPECT_TTL_US, &got));
	expect_free(t);
}

/* The same target announced again: the newest announcement that a
 * connection's start allows names it. */
static void test_newest(void)
{
	struct expect_table *t = expect_new(0);
	struct dpi_expect got, a = announced(2, 50000, T0, "PASV"), b = announced(2, 50000, T0 + 10000000, "EPSV");
	b.any_from = true;
	expect_announce(t, &a);
	expect_announce(t, &b);
	struct dpi_ends c = conn_to(2, 50000, 1);
	CHECK(expect_find(t, &c, T0 + 20000000, &got));
	CHECK_STR(got.how, "EPSV");
	CHECK(expect_find(t, &c, T0 + 1000, &got));
	CHECK_STR(got.how, "PASV");
	expect_free(t);
}

/* Thousands of PORT commands: the table keeps its size and the newest. */
static void test_flood(void)
{
	struct expect_table *t = expect_new(64);
	for (unsigned i = 0; i < 5000; i++) {
		struct dpi_expect e = announced(2, (uint16_t)(1024 + i), T0 + i, "PORT");
		expect_announce(t, &e);
	}
	struct dpi_expect got;
	struct dpi_ends newest = conn_to(2, 1024 + 4999, 1), oldest = conn_to(2, 1024, 1);
	CHECK(expect_find(t, &newest, T0 + 5000, &got));
	CHECK(!expect_find(t, &oldest, T0 + 5000, &got));
	expect_free(t);
	expect_free(NULL);
}

int main(void)
{
	RUN(test_match);
	RUN(test_newest);
	RUN(test_flood);
	return check_summary("expect");
}
