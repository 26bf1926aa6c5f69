/* value.c - values in filter terms: numbers with unit suffixes, CIDR
 * prefixes, and the case-insensitive comparisons every match runs.
 */
#include "query/query_int.h"

#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "base/clock.h"
#include "base/macros.h"

struct suffix {
	const char *text;
	double mult;
};

static const struct suffix time_suffixes[] = {
	{ "", 1 }, { "us", 1.0 / US_PER_SEC }, { "ms", 1.0 / MS_PER_SEC }, { "s", 1 }, { "m", 60 },
	{ "min", 60 }, { "h", 3600 }, { "d", 86400 },
};

/* Decimal (k = 1000) and binary (ki = 1024) multipliers. */
static const struct suffix size_suffixes[] = {
	{ "", 1 }, { "k", 1e3 }, { "m", 1e6 }, { "g", 1e9 }, { "t", 1e12 },
	{ "ki", 1024.0 }, { "mi", 1048576.0 }, { "gi", 1073741824.0 },
	{ "ti", 1099511627776.0 },
};

static bool lower_eq(const char *a, const char *b, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		char c = a[i];
		if (c >= 'A' && c <= 'Z')
			c = (char)(c + 32);
		if (c != b[i])
			return false;
	}
	return true;
}

/* Strips an optional tail ("B", "/s") off [s, *end). */
static void strip_tail(const char *s, size_t *end, const char *tail)
{
	size_t n = strlen(tail);
	if (*end >= n && lower_eq(s + *end - n, tail, n))
		*end -= n;
}

static bool match_suffix(const char *s, size_t n, const struct suffix *t, size_t nt,
			 double *mult)
{
	for (size_t i = 0; i < nt; i++)
		if (strlen(t[i].text) == n && lower_eq(s, t[i].text, n)) {
			*mult = t[i].mult;
			return true;
		}
	return false;
}

/* Digits with at most one '.'; returns characters used (0: none). */
static size_t scan_decimal(const char *s, double *v)
{
	size_t i = 0, digits = 0;
	double x = 0, scale = 0;
	for (; s[i]; i++) {
		if (s[i] >= '0' && s[i] <= '9') {
			x = x * 10 + (s[i] - '0');
			digits++;
			if (scale)
				scale *= 10;
		} else if (s[i] == '.' && !scale) {
			scale = 1;
		} else {
			break;
		}
	}
	*v = scale ? x / scale : x;
	return digits ? i : 0;
}

static bool suffix_mult(const char *rest, enum field_unit unit, double *mult)
{
	size_t end = strlen(rest);
	if (unit == FIELD_UNIT_RATE)
		strip_tail(rest, &end, "/s");
	if (unit == FIELD_UNIT_RATE || unit == FIELD_UNIT_BYTES)
		strip_tail(rest, &end, "b");
	switch (unit) {
	case FIELD_UNIT_NONE:
		*mult = 1;
		return end == 0;
	case FIELD_UNIT_SECONDS:
		return match_suffix(rest, end, time_suffixes, ARRAY_LEN(time_suffixes), mult);
	case FIELD_UNIT_MS: /* a bare number is ms; a suffix says what it is */
		if (!match_suffix(rest, end, time_suffixes, ARRAY_LEN(time_suffixes), mult))
			return false;
		*mult = end ? *mult * MS_PER_SEC : 1;
		return true;
	default:
		return match_suffix(rest, end, size_suffixes,
				    ARRAY_LEN(size_suffixes), mult);
	}
}

bool query_parse_number(const char *s, enum field_unit unit, double *out, const char **why)
{
	double v, mult;
	size_t used = scan_decimal(s, &v);
	if (!used) {
		*why = "expected a number";
		return false;
	}
	if (unit == FIELD_UNIT_NONE && strchr(s, '.')) {
		*why = "expected a whole number";
		return false;
	}
	if (!suffix_mult(s + used, unit, &mult)) {
		*why = unit == FIELD_UNIT_SECONDS || unit == FIELD_UNIT_MS
			       ? "bad duration (use us, ms, s, m, h, d)"
		       : unit == FIELD_UNIT_NONE  ? "expected a whole number"
						  : "bad suffix (use k, M, G, T or Ki, Mi, Gi)";
		return false;
	}
	*out = v * mult;
	return true;
}

static int parse_plen(const char *s, int max)
{
	if (!*s || strlen(s) > 3)
		return -1;
	int v = 0;
	for (; *s; s++) {
		if (*s < '0' || *s > '9')
			return -1;
		v = v * 10 + (*s - '0');
	}
	return v <= max ? v : -1;
}

int query_parse_cidr(const char *s, uint8_t net[16], uint8_t *family, uint8_t *plen)
{
	const char *slash = strchr(s, '/');
	char addr[64];
	size_t n = slash ? (size_t)(slash - s) : 0;
	if (!slash || n == 0 || n >= sizeof addr)
		return 0;
	memcpy(addr, s, n);
	addr[n] = '\0';
	memset(net, 0, 16);
	if (inet_pton(AF_INET, addr, net) == 1)
		*family = 4;
	else if (inet_pton(AF_INET6, addr, net) == 1)
		*family = 6;
	else
		return 0;
	int p = parse_plen(slash + 1, *family == 4 ? 32 : 128);
	if (p < 0)
		return -1;
	*plen = (uint8_t)p;
	return 1;
}

static inline unsigned char lower(unsigned char c)
{
	return c >= 'A' && c <= 'Z' ? (unsigned char)(c + 32) : c;
}

/* needle is already lower case. */
bool query_ci_contains(const char *h, size_t hn, const char *needle, size_t nn)
{
	if (nn == 0)
		return true;
	const unsigned char *hs = (const unsigned char *)h, *nd = (const unsigned char *)needle;
	unsigned char first = nd[0], probe = (unsigned char)(first | 0x20);
	for (size_t i = 0; i + nn <= hn; i++) {
		/* |0x20 folds case for letters; other bytes it lets through are
		 * rejected by the exact test below */
		if ((hs[i] | 0x20) != probe || lower(hs[i]) != first)
			continue;
		size_t k = 1;
		while (k < nn && lower(hs[i + k]) == nd[k])
			k++;
		if (k == nn)
			return true;
	}
	return false;
}

bool query_ci_equal(const char *a, size_t an, const char *b, size_t bn)
{
	if (an != bn)
		return false;
	for (size_t i = 0; i < an; i++)
		if (lower((unsigned char)a[i]) != lower((unsigned char)b[i]))
			return false;
	return true;
}
