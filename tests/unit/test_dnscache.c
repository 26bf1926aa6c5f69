/* Unit tests for the passive address -> name cache. */
#include "check.h"

#include <malloc.h>
#include <sys/socket.h>

#include "base/clock.h"
#include "engine/dnscache.h"

#define FOREVER UINT64_MAX

static void v4(uint8_t a[16], uint8_t x, uint8_t y, uint8_t z, uint8_t w)
{
	memset(a, 0, 16);
	a[0] = x, a[1] = y, a[2] = z, a[3] = w;
}

static void test_insert_lookup(void)
{
	struct dnscache *c = dnscache_new(64);
	uint8_t a[16], b[16];
	char buf[300];
	v4(a, 93, 184, 216, 34);
	CHECK(!dnscache_lookup(c, 4, a, 0, buf, sizeof buf));
	dnscache_insert(c, "www.example.com", 4, a, FOREVER);
	CHECK(dnscache_lookup(c, 4, a, 0, buf, sizeof buf));
	CHECK_STR(buf, "www.example.com");
	/* AF_INET is the same family; an IPv6 address with equal bytes is not */
	CHECK(dnscache_lookup(c, AF_INET, a, 0, buf, sizeof buf));
	CHECK(!dnscache_lookup(c, 6, a, 0, buf, sizeof buf));
	/* IPv4 keys use only the first four bytes */
	memcpy(b, a, 16);
	b[9] = 0x77;
	CHECK(dnscache_lookup(c, 4, b, 0, buf, sizeof buf));
	/* a newer name replaces the old one, without a new entry */
	dnscache_insert(c, "cdn.example.net", 4, a, FOREVER);
	CHECK(dnscache_lookup(c, 4, a, 0, buf, sizeof buf));
	CHECK_STR(buf, "cdn.example.net");
	CHECK_INT(dnscache_count(c), 1);
	/* names longer than an entry holds, and back */
	const char *longer = "a-name-longer-than-thirty-bytes.cdn.example.net";
	dnscache_insert(c, longer, 4, a, FOREVER);
	CHECK(dnscache_lookup(c, 4, a, 0, buf, sizeof buf));
	CHECK_STR(buf, longer);
	dnscache_insert(c, "short.example", 4, a, FOREVER);
	CHECK(dnscache_lookup(c, 4, a, 0, buf, sizeof buf));
	CHECK_STR(buf, "short.example");
	dnscache_insert(c, "exactly-twenty-nine-bytes.net", 4, b, FOREVER);
	CHECK(dnscache_lookup(c, 4, b, 0, buf, sizeof buf));
	CHECK_STR(buf, "exactly-twenty-nine-bytes.net");
	dnscache_insert(c, longer, 6, a, FOREVER); /* freed with the cache */
	dnscache_free(c);
	dnscache_free(NULL);
}

static void test_ipv6_and_truncation(void)
{
	struct dnscache *c = dnscache_new(0);
	CHECK(dnscache_capacity(c) >= 4096);
	uint8_t a[16] = { 0x20, 0x01, 0x0d, 0xb8 };
	a[15] = 1;
	dnscache_insert(c, "v6.example", AF_INET6, a, FOREVER);
	char small[4];
	CHECK(dnscache_lookup(c, 6, a, 0, small, sizeof small));
	CHECK_STR(small, "v6.");
	/* ignored: empty names, unknown families */
	uint8_t z[16] = { 1 };
	dnscache_insert(c, "", 4, z, FOREVER);
	dnscache_insert(c, "x", 5, z, FOREVER);
	CHECK_INT(dnscache_count(c), 1);
	/* over-long names are cut to the longest DNS name */
	char big[600];
	memset(big, 'n', sizeof big - 1);
	big[sizeof big - 1] = '\0';
	dnscache_insert(c, big, 4, z, FOREVER);
	char out[600];
	CHECK(dnscache_lookup(c, 4, z, 0, out, sizeof out));
	CHECK_INT(strlen(out), DNSCACHE_NAME_MAX);
	dnscache_free(c);
}

static void test_bounded_and_lru(void)
{
	struct dnscache *c = dnscache_new(16);
	size_t cap = dnscache_capacity(c);
	CHECK(cap >= 16 && cap < 64);
	uint8_t a[16];
	char name[32], buf[64];
	/* a hot entry, looked up between inserts, survives a flood */
	uint8_t hot[16];
	v4(hot, 10, 0, 0, 1);
	dnscache_insert(c, "hot.example", 4, hot, FOREVER);
	for (int i = 0; i < 5000; i++) {
		v4(a, 172, 16, (uint8_t)(i >> 8), (uint8_t)i);
		snprintf(name, sizeof name, "h%d.example", i);
		dnscache_insert(c, name, 4, a, FOREVER);
		CHECK(dnscache_lookup(c, 4, hot, 0, buf, sizeof buf));
	}
	CHECK_STR(buf, "hot.example");
	CHECK(dnscache_count(c) <= cap);
	/* the most recent insert is there, the first ones are gone */
	v4(a, 172, 16, 4999 >> 8, 4999 & 0xff);
	CHECK(dnscache_lookup(c, 4, a, 0, buf, sizeof buf));
	CHECK_STR(buf, "h4999.example");
	int old_found = 0;
	for (int i = 0; i < 100; i++) {
		v4(a, 172, 16, (uint8_t)(i >> 8), (uint8_t)i);
		old_found += dnscache_lookup(c, 4, a, 0, buf, sizeof buf);
	}
	CHECK_INT(old_found, 0);
	dnscache_free(c);
}

/* An answer names connections opened while it holds (seen at t, TTL 60 s:
 * [t, t + 60 s)); a connection opened after it expired is not named, one
 * opened before keeps its name; a fresh answer holds anew. */
static void test_ttl(void)
{
	struct dnscache *c = dnscache_new(64);
	uint8_t a[16];
	char buf[64];
	v4(a, 93, 184, 216, 34);
	uint64_t t = 1700000000 * US_PER_SEC;
	dnscache_insert(c, "example.com", 4, a, t + 60 * US_PER_SEC);
	CHECK(dnscache_lookup(c, 4, a, t, buf, sizeof buf));
	CHECK(dnscache_lookup(c, 4, a, t + 59 * US_PER_SEC, buf, sizeof buf));
	CHECK_STR(buf, "example.com");
	CHECK(!dnscache_lookup(c, 4, a, t + 60 * US_PER_SEC, buf, sizeof buf));
	CHECK(!dnscache_lookup(c, 4, a, t + 3600 * US_PER_SEC, buf, sizeof buf));
	CHECK(dnscache_lookup(c, 4, a, t + 10 * US_PER_SEC, buf, sizeof buf));
	/* the most recent answer wins, even with a shorter TTL */
	dnscache_insert(c, "short.example", 4, a, t + 100 * US_PER_SEC);
	CHECK(dnscache_lookup(c, 4, a, t + 99 * US_PER_SEC, buf, sizeof buf));
	CHECK_STR(buf, "short.example");
	CHECK(!dnscache_lookup(c, 4, a, t + 100 * US_PER_SEC, buf, sizeof buf));
	/* TTL 0: never names a connection (RFC 1035: not to be cached) */
	dnscache_insert(c, "zero.example", 4, a, t + 200 * US_PER_SEC);
	CHECK(!dnscache_lookup(c, 4, a, t + 200 * US_PER_SEC, buf, sizeof buf));
	dnscache_free(c);
}

/* Full, the least recently used entry goes, and only it: every entry
 * still held is found after thousands of evictions (the index stays
 * whole as entries leave it). */
static void test_least_recent_goes(void)
{
	struct dnscache *c = dnscache_new(16);
	CHECK_INT(dnscache_capacity(c), 16);
	uint8_t a[16];
	char name[32], buf[64];
	for (int i = 0; i < 16; i++) {
		v4(a, 10, 2, 0, (uint8_t)i);
		snprintf(name, sizeof name, "n%d.example", i);
		dnscache_insert(c, name, 4, a, FOREVER);
	}
	v4(a, 10, 2, 0, 0);
	CHECK(dnscache_lookup(c, 4, a, 0, buf, sizeof buf)); /* 0 is recent again; 1 is the oldest */
	v4(a, 10, 2, 1, 0);
	dnscache_insert(c, "new.example", 4, a, FOREVER);
	CHECK_INT(dnscache_count(c), 16);
	v4(a, 10, 2, 0, 1);
	CHECK(!dnscache_lookup(c, 4, a, 0, buf, sizeof buf));
	for (int i = 0; i < 16; i++) {
		v4(a, 10, 2, 0, (uint8_t)i);
		CHECK(dnscache_lookup(c, 4, a, 0, buf, sizeof buf) == (i != 1));
	}
	for (int i = 0; i < 5000; i++) {
		v4(a, 10, 3, (uint8_t)(i >> 8), (uint8_t)i);
		snprintf(name, sizeof name, "f%d.example", i);
		dnscache_insert(c, name, 4, a, FOREVER);
	}
	int found = 0;
	for (int i = 0; i < 5000; i++) {
		v4(a, 10, 3, (uint8_t)(i >> 8), (uint8_t)i);
		bool hit = dnscache_lookup(c, 4, a, 0, buf, sizeof buf);
		found += hit;
		if (i >= 5000 - 16 && !hit)
			CHECK(hit);
	}
	CHECK_INT(found, 16);
	dnscache_free(c);
}

/* Heap bytes in use, mapped chunks included (0 where the allocator is not
 * glibc's, e.g. under a sanitizer). */
static size_t heap_in_use(void)
{
	struct mallinfo2 mi = mallinfo2();
	return mi.uordblks + mi.hblkhd;
}

/* A cache sized for 65,536 answers that has seen a thousand holds about
 * what those thousand need, not room for all 65,536: a table of whole
 * entries sized for the capacity was 19 MB, and the hash scattered the
 * first few thousand answers over nearly every page of it. */
static void test_memory_follows_answers(void)
{
	size_t before = heap_in_use();
	struct dnscache *c = dnscache_new(65536);
	size_t empty = heap_in_use();
	if (empty == before) {
		dnscache_free(c);
		SKIP("no glibc heap statistics");
	}
	uint8_t a[16];
	char name[64], buf[64];
	for (int i = 0; i < 1000; i++) {
		v4(a, 10, 1, (uint8_t)(i >> 8), (uint8_t)i);
		snprintf(name, sizeof name, "host%d.cdn.example.com", i);
		dnscache_insert(c, name, 4, a, FOREVER);
	}
	size_t full = heap_in_use();
	CHECK(empty - before <= 4096);
	CHECK(full - empty <= 1000 * 128);
	CHECK_INT(dnscache_count(c), 1000);
	v4(a, 10, 1, 999 >> 8, 999 & 0xff);
	CHECK(dnscache_lookup(c, 4, a, 0, buf, sizeof buf));
	CHECK_STR(buf, "host999.cdn.example.com");
	dnscache_free(c);
}

int main(void)
{
	RUN(test_ttl);
	RUN(test_insert_lookup);
	RUN(test_ipv6_and_truncation);
	RUN(test_bounded_and_lru);
	RUN(test_least_recent_goes);
	RUN(test_memory_follows_answers);
	return check_summary("test_dnscache");
}
