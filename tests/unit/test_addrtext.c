/* Unit tests for src/base/addrtext: address text compared byte for byte
 * with the C library's inet_ntop, whose output the JSON contract follows. */
#include "check.h"

#include <arpa/inet.h>
#include <sys/socket.h>

#include "base/addrtext.h"

#define SENTINEL 0x5a
#define REPORT_MAX 5

/* A differential run: how many addresses were compared, how many differed,
 * and counts of the output shapes seen (so a weak generator shows up). */
struct diff {
	long compared, differed;
	long compressed, leading, trailing, quad, mapped, lone_zero;
};

/* splitmix64: deterministic, state owned by the caller. */
static uint64_t rng_next(uint64_t *s)
{
	uint64_t z = (*s += 0x9e3779b97f4a7c15u);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
	return z ^ (z >> 31);
}

static void note_shape(struct diff *d, const char *t)
{
	size_t n = strlen(t);
	d->compressed += strstr(t, "::") != NULL;
	d->leading += strncmp(t, "::", 2) == 0;
	d->trailing += n > 2 && strcmp(t + n - 2, "::") == 0;
	d->quad += strchr(t, '.') != NULL;
	d->mapped += strncmp(t, "::ffff:", 7) == 0 && strchr(t, '.') != NULL;
	d->lone_zero += strstr(t, ":0:") != NULL;
}

/* Formats addr both ways; the text, the returned length and the bytes
 * after the NUL (untouched) must all agree. */
static void compare(struct diff *d, uint8_t family, const uint8_t *addr)
{
	char want[64], got[64];
	memset(got, SENTINEL, sizeof got);
	int af = family == 6 ? AF_INET6 : AF_INET;
	if (!inet_ntop(af, addr, want, sizeof want))
		want[0] = '\0';
	size_t n = addr_text(got, family, addr);
	bool same = strcmp(got, want) == 0 && n == strlen(want);
	for (size_t i = n + 1; i < sizeof got && same; i++)
		same = got[i] == (char)SENTINEL;
	d->compared++;
	if (family == 6)
		note_shape(d, want);
	if (same)
		return;
	if (d->differed++ < REPORT_MAX) {
		got[sizeof got - 1] = '\0';
		check_fail(__FILE__, __LINE__, "family %u: got \"%s\" (%zu), inet_ntop \"%s\"",
			   (unsigned)family, got, n, want);
	}
}

static void v6_from_groups(uint8_t a[16], const unsigned g[8])
{
	for (int i = 0; i < 8; i++) {
		a[2 * i] = (uint8_t)(g[i] >> 8);
		a[2 * i + 1] = (uint8_t)g[i];
	}
}

/* Hand-picked shapes, with the text glibc gives for them. */
static const struct {
	const char *in, *text;
} v6_cases[] = {
	{ "::", "::" },
	{ "::1", "::1" },
	{ "1::", "1::" },
	{ "::0.0.0.1", "::1" },              /* seven zero groups: hex, not a quad */
	{ "::ffff", "::ffff" },
	{ "::1.2.3.4", "::1.2.3.4" },        /* IPv4-compatible */
	{ "::0.1.0.0", "::0.1.0.0" },
	{ "::ffff:1.2.3.4", "::ffff:1.2.3.4" }, /* IPv4-mapped */
	{ "::ffff:0:0", "::ffff:0.0.0.0" },
	{ "::fffe:1.2.3.4", "::fffe:102:304" }, /* only ffff is mapped */
	{ "::1:ffff:1.2.3.4", "::1:ffff:102:304" },
	{ "::2:0:0", "::2:0:0" },
	{ "1:0:0:1:0:0:1:0", "1::1:0:0:1:0" },   /* tie: the first run */
	{ "1:0:0:1:1:0:0:1", "1::1:1:0:0:1" },
	{ "0:0:1:0:0:0:1:0", "0:0:1::1:0" },     /* the longer run, not the first */
	{ "1:0:1:0:1:0:1:0", "1:0:1:0:1:0:1:0" }, /* lone zero groups stay */
	{ "1:2:3:4:5:6:7:0", "1:2:3:4:5:6:7:0" },
	{ "0:1:2:3:4:5:6:7", "0:1:2:3:4:5:6:7" },
	{ "1:2:3:4:5:6:0:0", "1:2:3:4:5:6::" },
	{ "0:0:1:2:3:4:5:6", "::1:2:3:4:5:6" },
	{ "1:2:0:0:0:3:4:5", "1:2::3:4:5" },
	{ "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff" },
	{ "2001:db8::1", "2001:db8::1" },
	{ "2001:0db8:0000:0000:0001:0000:0000:0001", "2001:db8::1:0:0:1" },
	{ "fe80::a:b0:c00:d000", "fe80::a:b0:c00:d000" },
	{ "1000:100:10:f:fff:ff:ff0:1", "1000:100:10:f:fff:ff:ff0:1" }, /* digit counts */
	{ "2001:4860:4860::8888", "2001:4860:4860::8888" },
	{ "64:ff9b::1.2.3.4", "64:ff9b::102:304" },
};

static void test_ipv6_edge_cases(void)
{
	struct diff d = { 0 };
	for (size_t i = 0; i < sizeof v6_cases / sizeof v6_cases[0]; i++) {
		uint8_t a[16];
		char got[ADDR_TEXT_MAX];
		CHECK_INT(inet_pton(AF_INET6, v6_cases[i].in, a), 1);
		CHECK_INT(addr_text(got, 6, a), strlen(v6_cases[i].text));
		CHECK_STR(got, v6_cases[i].text);
		compare(&d, 6, a);
	}
	CHECK_INT(d.differed, 0);
}

/* Every placement of one zero run (base, length) among non-zero groups,
 * and every 8-group pattern over {0, 1}: all run lengths, ties and ends. */
static void test_ipv6_every_zero_pattern(void)
{
	struct diff d = { 0 };
	for (unsigned mask = 0; mask < 256; mask++) {
		for (unsigned fill = 0; fill < 3; fill++) {
			static const unsigned values[] = { 1, 0xffff, 0xabc };
			unsigned g[8];
			uint8_t a[16];
			for (int i = 0; i < 8; i++)
				g[i] = mask >> i & 1 ? values[fill] : 0;
			v6_from_groups(a, g);
			compare(&d, 6, a);
		}
	}
	CHECK_INT(d.compared, 256 * 3);
	CHECK_INT(d.differed, 0);
}

static unsigned random_group(uint64_t *s)
{
	uint64_t r = rng_next(s);
	unsigned pick = (unsigned)(r % 20), v = (unsigned)(r >> 32) & 0xffff;
	if (pick < 9)
		return 0;
	if (pick < 11)
		return 0xffff;
	if (pick < 15)
		return v >> (r >> 48 & 15); /* 1 to 4 hex digits */
	return v;
}

/* Random groups biased towards zero runs, with the IPv4-compatible and
 * IPv4-mapped prefixes forced now and then. */
static void random_v6(uint64_t *s, uint8_t a[16])
{
	unsigned g[8];
	for (int i = 0; i < 8; i++)
		g[i] = random_group(s);
	unsigned prefix = (unsigned)(rng_next(s) % 16);
	if (prefix < 2) {
		memset(g, 0, 5 * sizeof g[0]);
		g[5] = prefix ? 0xffff : 0;
	}
	v6_from_groups(a, g);
}

static void test_ipv6_random_against_inet_ntop(void)
{
	struct diff d = { 0 };
	uint64_t seed = 0x5eed0add7e47u;
	for (int i = 0; i < 300000; i++) {
		uint8_t a[16];
		random_v6(&seed, a);
		compare(&d, 6, a);
	}
	CHECK_INT(d.differed, 0);
	/* the generator reaches every shape, often */
	CHECK(d.compressed > 100000);
	CHECK(d.leading > 10000);
	CHECK(d.trailing > 1000);
	CHECK(d.quad > 5000);
	CHECK(d.mapped > 5000);
	CHECK(d.lone_zero > 10000);
}

static void test_ipv4_edges_and_every_octet(void)
{
	static const uint8_t edges[][4] = {
		{ 0, 0, 0, 0 }, { 255, 255, 255, 255 }, { 10, 0, 0, 1 },
		{ 100, 64, 0, 1 }, { 100, 100, 100, 100 }, { 127, 0, 0, 1 },
		{ 9, 10, 99, 199 }, { 1, 20, 200, 2 },
	};
	struct diff d = { 0 };
	for (size_t i = 0; i < sizeof edges / sizeof edges[0]; i++)
		compare(&d, 4, edges[i]);
	uint8_t a[4] = { 0 };
	for (int pos = 0; pos < 4; pos++)
		for (unsigned v = 0; v < 256; v++) {
			a[pos] = (uint8_t)v;
			compare(&d, 4, a);
		}
	CHECK_INT(d.differed, 0);

	char got[ADDR_TEXT_MAX];
	CHECK_INT(addr_text(got, 4, edges[1]), 15);
	CHECK_STR(got, "255.255.255.255");
	CHECK_INT(addr_text(got, 4, edges[0]), 7);
	CHECK_STR(got, "0.0.0.0");
}

static void test_ipv4_random_against_inet_ntop(void)
{
	struct diff d = { 0 };
	uint64_t seed = 0x1234abcdu;
	for (int i = 0; i < 200000; i++) {
		uint64_t r = rng_next(&seed);
		uint8_t a[4] = { (uint8_t)r, (uint8_t)(r >> 8), (uint8_t)(r >> 16), (uint8_t)(r >> 24) };
		compare(&d, 4, a);
	}
	CHECK_INT(d.compared, 200000);
	CHECK_INT(d.differed, 0);
}

/* Rows of other families (ARP) carry IPv4 addresses. */
static void test_family_other_than_6_is_ipv4(void)
{
	const uint8_t a[16] = { 192, 168, 1, 254, 0xde, 0xad };
	char got[ADDR_TEXT_MAX];
	CHECK_INT(addr_text(got, 0, a), 13);
	CHECK_STR(got, "192.168.1.254");
	CHECK_INT(addr_text(got, 6, a), strlen("c0a8:1fe:dead::"));
	CHECK_STR(got, "c0a8:1fe:dead::");
}

static void test_mac_text(void)
{
	const uint8_t a[6] = { 0x02, 0x00, 0x5e, 0xaf, 0x0b, 0xff };
	char got[MAC_TEXT_MAX];
	CHECK_INT(addr_mac_text(got, a), 17);
	CHECK_STR(got, "02:00:5e:af:0b:ff");
}

/* What a peer may claim as its name and still mean an address. */
static void test_text_is_address(void)
{
	static const char *const yes[] = { "1.1.1.1", "1.1.1.1:8080", "1.1.1.1.", "10.1", "0x0a000001",
					   "167772161", "::1", "[::1]", "[2001:db8::1]:443", "::ffff:1.2.3.4" };
	static const char *const no[] = { "", "example.com", "1.1.1.1.example.com", "[::1", "[::1]x",
					  "1.1.1.1:http", "localhost", "one.1" };
	for (size_t i = 0; i < sizeof yes / sizeof *yes; i++)
		CHECK(addr_text_is_address(yes[i]));
	for (size_t i = 0; i < sizeof no / sizeof *no; i++)
		CHECK(!addr_text_is_address(no[i]));
	CHECK(!addr_text_is_address(NULL));
}

int main(void)
{
	RUN(test_ipv6_edge_cases);
	RUN(test_ipv6_every_zero_pattern);
	RUN(test_ipv6_random_against_inet_ntop);
	RUN(test_ipv4_edges_and_every_octet);
	RUN(test_ipv4_random_against_inet_ntop);
	RUN(test_family_other_than_6_is_ipv4);
	RUN(test_mac_text);
	RUN(test_text_is_address);
	return check_summary("addrtext");
}
