/* Unit tests for src/query: the filter language as tables of
 * (expression, rows expected to match) and (expression, error position). */
#include "check.h"

#include <arpa/inet.h>
#include <stdlib.h>

#include "base/macros.h"
#include "decode/pkt.h"
#include "field/field.h"
#include "flow/state.h"
#include "query/query.h"
#include "full_row.h"

#define NOW 1700000000000000ULL /* the data clock of every test row */
#define SEC 1000000ULL

enum { A, B, C, D, E, F, G, NROWS };
#define R(x) (1u << (x))
#define ALL ((1u << NROWS) - 1)

struct row_spec {
	uint8_t l4, family;
	int8_t local_side;
	const char *src, *dst;
	uint16_t sport, dport;
	const char *state;
	uint8_t app, app_state;
	uint16_t tls_version;
	const char *strs[META_KEY_COUNT];
	const char *proc;
	int32_t pid;
	const char *user;
	uint64_t sbytes, dbytes, spk, dpk;
	double srate, drate;
	uint64_t age_s, idle_s;
};

static const struct row_spec specs[NROWS] = {
	[A] = { L4_TCP, 4, 0, "192.168.1.10", "140.82.112.3", 51514, 443, "ESTABLISHED",
		APP_TLS, 0, 0x0304,
		{ [META_SNI] = "github.com", [META_ALPN] = "h2\x1fhttp/1.1" },
		"firefox", 4242, "alice", 1200, 2500000, 10, 2000, 100, 150000, 30, 1 },
	[B] = { L4_TCP, 4, 1, "203.0.113.9", "10.0.0.5", 60000, 22, "ESTABLISHED",
		APP_SSH, APP_STATE_SSH_ESTABLISHED, 0,
		{ [META_SSH_CLIENT] = "SSH-2.0-PuTTY_Release_0.78",
		  [META_SSH_SERVER] = "SSH-2.0-OpenSSH_9.2p1 Debian-2" },
		"sshd", 900, "root", 5000, 9000, 40, 50, 10, 20, 7200, 60 },
	[C] = { L4_UDP, 6, -1, "fd00::10", "2001:4860:4860::8888", 40000, 53, "DNS_RESPONSE",
		APP_DNS, APP_STATE_DNS_RESPONSE, 0,
		{ [META_DNS_QUERY] = "example.org", [META_DNS_ANSWERS] = "93.184.216.34" },
		"", 0, "", 80, 120, 1, 1, 0, 0, 5, 5 },
	[D] = { L4_TCP, 4, 0, "192.168.1.10", "93.184.216.34", 40001, 80, "FIN_WAIT1",
		APP_HTTP, 0, 0,
		{ [META_HTTP_HOST] = "neverssl.com", [META_HTTP_METHOD] = "GET",
		  [META_HTTP_PATH] = "/index.html", [META_HTTP_UA] = "curl/8.0" },
		"curl", 31337, "bob", 300, 4000, 5, 6, 0, 0, 12, 2 },
	[E] = { L4_ICMP, 4, 0, "192.168.1.10", "8.8.8.8", 0, 0, "ECHO_REPLY", 0, 0, 0,
		{ 0 }, "ping", 77, "bob", 84, 84, 1, 1, 0, 0, 1, 1 },
	[F] = { L4_UDP, 4, 0, "192.168.1.10", "142.250.1.1", 50000, 443, "QUIC_CONNECTED",
		APP_QUIC, APP_STATE_QUIC_CONNECTED, 0, { [META_SNI] = "www.google.com" },
		"chrome", 5555, "alice", 20000, 3000000, 100, 2500, 1000, 2000000, 600, 0 },
	[G] = { L4_TCP, 4, 0, "192.168.1.10", "10.1.2.3", 33333, 8443, "SYN_SENT", 0, 0, 0,
		{ 0 }, "", 0, "", 60, 0, 1, 0, 0, 0, 3, 3 },
};

static void parse_addr(uint8_t out[16], uint8_t family, const char *s)
{
	memset(out, 0, 16);
	CHECK(inet_pton(family == 6 ? AF_INET6 : AF_INET, s, out) == 1);
}

static void fill_row(struct conn_row *r, const struct row_spec *sp, uint64_t id)
{
	r->id = id;
	r->l4 = sp->l4;
	r->family = sp->family;
	r->local_side = sp->local_side;
	parse_addr(r->src, sp->family, sp->src);
	parse_addr(r->dst, sp->family, sp->dst);
	r->sport = sp->sport;
	r->dport = sp->dport;
	r->state = (uint8_t)flow_state_parse(sp->state);
	r->meta.app = sp->app;
	r->meta.app_state = sp->app_state;
	r->meta.tls_version = sp->tls_version;
	for (int f = 0; f < META_KEY_COUNT; f++)
		if (sp->strs[f])
			meta_set_str(&r->meta, (enum meta_key)f, (const uint8_t *)sp->strs[f],
				     strlen(sp->strs[f]));
	r->proc.name = pooled_name(sp->proc);
	r->proc.user = pooled_name(sp->user);
	r->proc.pid = sp->pid;
	r->src_bytes = sp->sbytes;
	r->dst_bytes = sp->dbytes;
	r->src_packets = sp->spk;
	r->dst_packets = sp->dpk;
	r->src_rate = sp->srate;
	r->dst_rate = sp->drate;
	r->first_seen_us = NOW - sp->age_s * SEC;
	r->last_seen_us = NOW - sp->idle_s * SEC;
}

static struct snapshot *make_rows(void)
{
	struct snapshot *s = snapshot_new(NROWS);
	for (int i = 0; i < NROWS; i++)
		fill_row(snapshot_push(s), &specs[i], (uint64_t)i + 1);
	return s;
}

/* The ALPN list is stored with the separator the wire format uses. */
static void fix_alpn(struct snapshot *s)
{
	struct flow_meta *m = &s->rows[A].meta;
	meta_fini(m);
	meta_init(m);
	m->app = APP_TLS;
	m->tls_version = 0x0304;
	meta_set_str(m, META_SNI, (const uint8_t *)"github.com", 10);
	meta_add_item(m, META_ALPN, (const uint8_t *)"h2", 2);
	meta_add_item(m, META_ALPN, (const uint8_t *)"http/1.1", 8);
}

struct match_case {
	const char *expr;
	unsigned want; /* bit i: row i matches */
};

static const struct match_case matches[] = {
	/* empty and bare words: case-insensitive substrings of any field */
	{ "", ALL },
	{ "   ", ALL },
	{ "github", R(A) },
	{ "GitHub", R(A) },
	{ "google", R(F) },
	{ "firefox", R(A) },
	{ "openssh", R(B) },
	{ "putty", R(B) },
	{ "example.org", R(C) },
	{ "93.184.216.34", R(C) | R(D) }, /* DNS answer and remote address */
	{ "neverssl", R(D) },
	{ "curl", R(D) },                 /* process and User-Agent */
	{ "h2", R(A) },                   /* ALPN */
	{ "https", R(A) | R(G) },         /* app HTTPS, service https-alt */
	{ "quic", R(F) },
	{ "tls1.3", R(A) },
	{ "fd00", R(C) },
	{ "fd00::10", R(C) },             /* hex before ':' is an address, not a key */
	{ "2001:4860", R(C) },
	{ "alice", R(A) | R(F) },
	{ "icmp", R(E) },
	{ "zzz-nothing", 0 },
	{ "\"google.com\"", R(F) },
	/* keywords (src/sport local, dst/dport remote) */
	{ "port:44", R(A) | R(F) | R(G) },
	{ "port:22", R(B) },
	{ "sport:22", R(B) },             /* B's local side is the responder */
	{ "dport:22", 0 },
	{ "dport:443", R(A) | R(F) | R(G) }, /* 8443 contains 443 */
	{ "sport:4000", R(C) | R(D) },
	{ "src:192.168", R(A) | R(D) | R(E) | R(F) | R(G) },
	{ "src:10.0.0.5", R(B) },
	{ "dst:203.0", R(B) },
	{ "dst:github.com", R(A) },
	{ "dst:neverssl", R(D) },
	{ "process:ssh", R(B) },
	{ "process:FIRE", R(A) },
	{ "sni:api", 0 },
	{ "sni:google.com", R(F) },
	{ "sni:neverssl", R(D) },         /* the HTTP Host too, as for HTTP connections */
	{ "http_host:neverssl", R(D) },
	{ "http_host:github", 0 },        /* the SNI is not a Host */
	{ "src_ip:203.0.113.9", R(B) },   /* initiator, whichever side is local */
	{ "src_ip:10.0.0.0/8", 0 },
	{ "dst_ip:10.0.0.0/8", R(B) | R(G) },
	{ "src_port:60000", R(B) },
	{ "app_state:established", R(B) },
	{ "http_user_agent:curl", R(D) },
	{ "src_bytes>=5000", R(B) | R(F) },
	{ "ssh:openssh", R(B) },
	{ "state:established", R(A) | R(B) },
	{ "state:fin_wait", R(D) },
	{ "state:quic", R(F) },
	{ "state:dns_response", R(C) },
	{ "proto:tcp", R(A) | R(B) | R(D) | R(G) },
	{ "proto:udp", R(C) | R(F) },
	{ "proto:icmp", R(E) },
	{ "app:https", R(A) | R(G) },
	{ "app:dns", R(C) },
	{ "app:ssh", R(B) },
	{ "host:neverssl.com", R(D) },
	{ "host:example", R(C) },
	{ "host:github", R(A) },
	{ "dns:93.184", R(C) },
	{ "alpn:http/1.1", R(A) },
	{ "http:get", R(D) },
	{ "user:alice", R(A) | R(F) },
	{ "pid:42", R(A) },
	{ "sni:\"www.google.com\"", R(F) },
	{ "SNI:GOOGLE", R(F) },
	/* exact matches */
	{ "sni=google.com", 0 },
	{ "sni=WWW.Google.com", R(F) },
	{ "process!=curl", ALL & ~R(D) },
	{ "dport=443", R(A) | R(F) },
	{ "port=22", R(B) },
	{ "port==53", R(C) },
	{ "pid=900", R(B) },
	/* boolean structure */
	{ "dport:443 sni:google.com", R(F) },
	{ "dport:443 and sni:google.com", R(F) },
	{ "dport:443 && process:firefox", R(A) },
	{ "sni:github or sni:google", R(A) | R(F) },
	{ "sni:github || ssh:openssh", R(A) | R(B) },
	{ "!proto:tcp", R(C) | R(E) | R(F) },
	{ "not proto:tcp", R(C) | R(E) | R(F) },
	{ "NOT proto:tcp", R(C) | R(E) | R(F) },
	{ "!!proto:tcp", R(A) | R(B) | R(D) | R(G) },
	{ "proto:tcp !state:established", R(D) | R(G) },
	{ "(sni:github or sni:google) and proto:udp", R(F) },
	{ "sni:github or sni:google and proto:udp", R(A) | R(F) }, /* and binds tighter */
	{ "!(port:443 or port:53)", R(B) | R(D) | R(E) },
	{ "((((port:22))))", R(B) },
	{ "\"or\"", R(C) },               /* quoted: a word (example.org), not the operator */
	/* CIDR */
	{ "dst:10.0.0.0/8", R(G) },
	{ "src:10.0.0.0/8", R(B) },
	{ "dst:93.184.216.0/24", R(D) },
	{ "dst:93.184.216.35/32", 0 },
	{ "dst:0.0.0.0/0", ALL & ~R(C) },
	{ "src:fd00::/64", R(C) },
	{ "src:fd00::/7", R(C) },
	{ "dst:2001:4860::/32", R(C) },
	{ "dst:2001:4861::/32", 0 },
	{ "!dst:192.168.0.0/16", ALL },
	{ "src:192.168.1.8/30", R(A) | R(D) | R(E) | R(F) | R(G) },
	{ "src:192.168.1.8/31", 0 },
	/* numbers with units */
	{ "bytes>1M", R(A) | R(F) },
	{ "bytes>2.6M", R(F) },
	{ "bytes>=2501200", R(A) | R(F) },
	{ "bytes>2501200", R(F) },
	{ "bytes<200", R(E) | R(G) },
	{ "bytes<=200", R(C) | R(E) | R(G) },
	{ "bytes:200", R(C) },
	{ "bytes=168", R(E) },
	{ "bytes!=168", ALL & ~R(E) },
	{ "bytes>2Mi", R(A) | R(F) },
	{ "bytes>3MB", R(F) },
	{ "bytes:>1G", 0 },
	{ "rate>100k", R(A) | R(F) },
	{ "rate>1M", R(F) },
	{ "rate>100k/s", R(A) | R(F) },
	{ "rxrate>=150k", R(A) | R(F) },
	{ "txrate>500", R(F) },
	{ "rxrate>15", R(A) | R(F) },          /* B: local is the responder, rx 10 */
	{ "txrate>15", R(A) | R(B) | R(F) },
	{ "rxbytes>5000", R(A) | R(F) },
	{ "txbytes=9000", R(B) },
	{ "packets>=10", R(A) | R(B) | R(D) | R(F) },
	{ "packets>2k", R(A) | R(F) },
	{ "age<10s", R(C) | R(E) | R(G) },
	{ "age>1h", R(B) },
	{ "age>=10m", R(B) | R(F) },
	{ "age<30", R(C) | R(D) | R(E) | R(G) },
	{ "idle>30s", R(B) },
	{ "idle<500ms", R(F) },
	{ "age>1.5h", R(B) },
	{ "age>2h", 0 },
	{ "age>2d", 0 },
	{ "port>1024", R(A) | R(B) | R(C) | R(D) | R(F) | R(G) },
	{ "sport<1024", R(B) },
	{ "dport<=80", R(C) | R(D) },
	{ "port:>50000", R(A) | R(B) },
	{ "bytes>1M !process:chrome", R(A) },
};

static void test_query_match_table(void)
{
	struct snapshot *s = make_rows();
	fix_alpn(s);
	for (size_t i = 0; i < sizeof matches / sizeof matches[0]; i++) {
		struct query_error err;
		struct query *q = query_compile(matches[i].expr, &err);
		if (!q) {
			check_fail(__FILE__, __LINE__, "\"%s\" failed at %d: %s", matches[i].expr,
				   err.pos, err.msg);
			continue;
		}
		unsigned got = 0;
		for (int r = 0; r < NROWS; r++)
			if (query_match(q, &s->rows[r], NOW))
				got |= R(r);
		if (got != matches[i].want)
			check_fail(__FILE__, __LINE__, "\"%s\" matched rows 0x%02x, want 0x%02x",
				   matches[i].expr, got, matches[i].want);
		query_free(q);
	}
	snapshot_free(s);
}

struct error_case {
	const char *expr;
	int pos;
	const char *msg; /* a substring of the message */
};

static const struct error_case errors[] = {
	{ "(", 1, "expected a term" },
	{ "(port:22", 0, "unclosed '('" },
	{ "a (b or c", 2, "unclosed '('" },
	{ "port:22)", 7, "unmatched ')'" },
	{ ")", 0, "unmatched ')'" },
	{ "()", 1, "empty parentheses" },
	{ "port:", 5, "missing value after 'port:'" },
	{ "sni: google", 4, "missing value" },
	{ "bytes>", 6, "missing value" },
	{ "a and", 5, "expected a term after 'and'" },
	{ "a or", 4, "expected a term after 'or'" },
	{ "a or or b", 5, "'or' needs a term on its left" },
	{ "and a", 0, "'and' needs a term on its left" },
	{ "or", 0, "'or' needs a term on its left" },
	{ "!", 1, "expected a term after '!'" },
	{ "a !", 3, "expected a term after '!'" },
	{ "prot:tcp", 0, "unknown field 'prot'" },
	{ "x proto:tcp foo>3", 12, "unknown field 'foo'" },
	{ ">5", 0, "missing field name" },
	{ "bytes>1X", 6, "bad suffix" },
	{ "bytes>lots", 6, "expected a number" },
	{ "bytes:>1X", 7, "bad suffix" },
	{ "age<10y", 4, "bad duration" },
	{ "rate>", 5, "missing value" },
	{ "port>1k", 5, "whole number" },
	{ "port:4a", 5, "expected digits" },
	{ "pid>1.5", 4, "whole number" },
	{ "sni>3", 3, "'sni' is text" },
	{ "state<=x", 5, "'state' is text" },
	{ "dst:10.0.0.0/33", 13, "bad prefix length" },
	{ "src:fd00::/129", 11, "bad prefix length" },
	{ "dst:10.0.0.0/", 13, "bad prefix length" },
	{ "sni:\"open", 4, "unterminated quote" },
	{ "\"", 0, "unterminated quote" },
	{ "not", 3, "expected a term after 'not'" },
	{ ":x", 0, "missing field name before ':'" },  /* not an address like "::1" */
	{ "\"\"", 0, "empty term" },                   /* would match everything */
	{ "a \"\"", 2, "empty term" },
	{ "dst:/8", 4, "expected ADDRESS/PREFIX" },      /* would match nothing */
	{ "src:fd00:/x", 4, "expected ADDRESS/PREFIX" },
	{ "a\x01", 1, "invalid character" },
	{ "a\x1b[31m", 1, "invalid character" },
};

static void test_query_error_table(void)
{
	for (size_t i = 0; i < sizeof errors / sizeof errors[0]; i++) {
		struct query_error err = { -1, "" };
		struct query *q = query_compile(errors[i].expr, &err);
		if (q) {
			check_fail(__FILE__, __LINE__, "\"%s\" compiled, want an error",
				   errors[i].expr);
			query_free(q);
			continue;
		}
		if (err.pos != errors[i].pos || !strstr(err.msg, errors[i].msg))
			check_fail(__FILE__, __LINE__, "\"%s\": error at %d \"%s\", want %d \"%s\"",
				   errors[i].expr, err.pos, err.msg, errors[i].pos,
				   errors[i].msg);
	}
}

static void test_query_nesting_is_bounded(void)
{
	char deep[QUERY_MAX_LEN + 1];
	int n = QUERY_MAX_DEPTH + 1;
	memset(deep, '(', (size_t)n);
	memcpy(deep + n, "x", 2);
	struct query_error err;
	CHECK(query_compile(deep, &err) == NULL);
	CHECK_STR(err.msg, "too deeply nested");
	CHECK_INT(err.pos, QUERY_MAX_DEPTH);
	memset(deep, '!', (size_t)n);
	memcpy(deep + n, "x", 2);
	CHECK(query_compile(deep, &err) == NULL);
	/* just inside the bound compiles */
	memset(deep, '(', QUERY_MAX_DEPTH);
	memcpy(deep + QUERY_MAX_DEPTH, "x", 1);
	memset(deep + QUERY_MAX_DEPTH + 1, ')', QUERY_MAX_DEPTH);
	deep[2 * QUERY_MAX_DEPTH + 1] = '\0';
	struct query *q = query_compile(deep, &err);
	CHECK(q != NULL);
	query_free(q);
}

static void test_query_too_long(void)
{
	char *big = malloc(QUERY_MAX_LEN + 2);
	memset(big, 'a', QUERY_MAX_LEN + 1);
	big[QUERY_MAX_LEN + 1] = '\0';
	struct query_error err;
	CHECK(query_compile(big, &err) == NULL);
	CHECK_INT(err.pos, QUERY_MAX_LEN);
	big[QUERY_MAX_LEN] = '\0';
	struct query *q = query_compile(big, &err);
	CHECK(q != NULL);
	query_free(q);
	free(big);
}

static void test_query_long_chains(void)
{
	/* 300 terms joined by or: n-ary nodes, no recursion per operand */
	char buf[QUERY_MAX_LEN + 1] = "";
	size_t len = 0;
	while (len + 12 < QUERY_MAX_LEN)
		len += (size_t)snprintf(buf + len, sizeof buf - len, "%sport:99", len ? " or " : "");
	struct snapshot *s = make_rows();
	struct query *q = query_compile(buf, NULL);
	CHECK(q != NULL);
	CHECK(!query_match(q, &s->rows[A], NOW));
	query_free(q);
	snapshot_free(s);
}

static void test_query_all_and_null(void)
{
	struct snapshot *s = make_rows();
	struct query *q = query_compile("", NULL);
	CHECK(query_is_all(q));
	CHECK(query_match(q, &s->rows[E], NOW));
	query_free(q);
	q = query_compile("a", NULL);
	CHECK(!query_is_all(q));
	query_free(q);
	CHECK(query_match(NULL, &s->rows[E], NOW)); /* no filter: everything */
	query_free(NULL);
	snapshot_free(s);
}

/* Typed a character further, a filter matches a subset of the rows it
 * matched: the UI then only matches the rows it shows again. */
static const struct {
	const char *wider, *q;
	bool narrows;
} narrowing[] = {
	{ "", "git", true },
	{ "gi", "git", true },
	{ "GI", "github", true },            /* needles are lowercased */
	{ "git", "gi", false },              /* wider, not narrower */
	{ "hub", "github", true },           /* contained anywhere */
	{ "sni:git", "sni:github", true },
	{ "sni:git", "host:github", false }, /* another field */
	{ "dport:4", "dport:443", true },    /* ports as decimal text */
	{ "git and 443", "git and 4431", true },
	{ "git or chrome", "gith or chrome", true },
	{ "git or chrome", "git", false },   /* the tree changed */
	{ "!git", "!gith", false },          /* under "not" it turns around */
	{ "!git", "!git", true },
	{ "bytes>1", "bytes>10", false },    /* numbers are no text */
	{ "bytes>1", "bytes>1", true },
	{ "sni=git", "sni=github", false },  /* "=" is exact */
	{ "dst:10.0.0.0/8", "dst:10.0.0.0/8", true },
	{ "dst:10.0.0.0/8", "dst:10.0.0.0/16", false },
};

static void test_query_narrows(void)
{
	struct snapshot *s = make_rows();
	fix_alpn(s);
	CHECK(query_narrows(NULL, NULL));
	for (size_t i = 0; i < ARRAY_LEN(narrowing); i++) {
		struct query *w = query_compile(narrowing[i].wider, NULL);
		struct query *q = query_compile(narrowing[i].q, NULL);
		CHECK(w && q);
		if (query_narrows(w, q) != narrowing[i].narrows)
			check_fail(__FILE__, __LINE__, "\"%s\" -> \"%s\": narrows should be %d",
				   narrowing[i].wider, narrowing[i].q, narrowing[i].narrows);
		for (int r = 0; r < NROWS && narrowing[i].narrows; r++)
			if (query_match(q, &s->rows[r], NOW) && !query_match(w, &s->rows[r], NOW))
				check_fail(__FILE__, __LINE__, "\"%s\" matches row %d, \"%s\" not",
					   narrowing[i].q, r, narrowing[i].wider);
		query_free(w);
		query_free(q);
	}
	snapshot_free(s);
}

/* A hostile SNI is stored escaped; filters see the escaped text. */
static void test_query_sees_sanitized_strings(void)
{
	struct snapshot *s = snapshot_new(1);
	struct conn_row *r = snapshot_push(s);
	meta_set_str(&r->meta, META_SNI, (const uint8_t *)"evil\x1b[2Jhost", 13);
	struct query *q = query_compile("sni:\"x1b[2J\"", NULL);
	CHECK(query_match(q, r, NOW));
	query_free(q);
	snapshot_free(s);
}

static void test_query_keywords(void)
{
	const char *need[] = { "port", "sport", "dport", "src", "dst", "process", "sni",
			       "ssh", "state", "proto", "app", "host", "bytes", "rate",
			       "age", "packets" };
	struct field_keyword kw, kw2;
	for (size_t i = 0; i < ARRAY_LEN(need); i++) {
		CHECK(field_keyword_find(need[i], strlen(need[i]), &kw));
		char help[256];
		field_keyword_help(&kw, help, sizeof help);
		CHECK(help[0] != '\0');
	}
	CHECK(field_keyword_find("SNI", 3, &kw) && field_keyword_find("sni", 3, &kw2));
	CHECK_INT(kw.n, kw2.n);
	CHECK(!field_keyword_find("sn", 2, &kw));
}

/* unit:, container: and pod: read where the row's process runs; a bare
 * word searches them too. */
static void test_query_unit_container_pod(void)
{
	static const struct {
		const char *expr;
		bool match;
	} cases[] = {
		{ "unit:curl.scope", true },   { "unit:app.slice", true },
		{ "unit:nginx.service", false }, { "container:web", true },
		{ "container:db", false },      { "pod:shop/", true },
		{ "pod:web-7d4b9", true },      { "pod:kube-system", false },
		{ "user@1000", true },          { "unit:x or container:web", true },
		/* the parents (bash, then sshd) by name or executable, and how
		 * the owner was found */
		{ "parent:sshd", true },        { "parent:bash", true },
		{ "parent:/usr/bin/", true },   { "parent:nginx", false },
		{ "parent=bash", true },        { "parent=bas", false },
		{ "process_match:socket", true }, { "process_match:listener", false },
	};
	struct conn_row r;
	struct query_error err;

	CHECK(full_row(&r, 0));
	for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
		struct query *q = query_compile(cases[i].expr, &err);
		CHECK(q != NULL);
		if (!q)
			continue;
		if (query_match(q, &r, r.last_seen_us) != cases[i].match)
			CHECK_STR(cases[i].expr, "(matched the other way)");
		query_free(q);
	}
	row_fini(&r);
	memset(&r, 0, sizeof r);
	struct query *q = query_compile("container:web", &err);
	CHECK(q && !query_match(q, &r, 0)); /* nothing known: no match */
	query_free(q);
}

/* A flag (gateway) is found by its bare keyword and by KEYWORD:yes, on
 * the rows where it is set and no other. */
static void test_query_gateway_flag(void)
{
	static const struct {
		const char *expr;
		bool marked, unmarked;
	} cases[] = {
		{ "gateway", true, false },     { "gateway:yes", true, false },
		{ "not gateway", false, true }, { "gateway:no", false, false },
		{ "gateway and proto:tcp", true, false },
	};
	struct conn_row r;
	CHECK(full_row(&r, 0));
	for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
		struct query *q = query_compile(cases[i].expr, NULL);
		CHECK(q != NULL);
		if (!q)
			continue;
		r.gateway = true;
		if (query_match(q, &r, r.last_seen_us) != cases[i].marked)
			CHECK_STR(cases[i].expr, "(matched the other way on a gateway's row)");
		r.gateway = false;
		if (query_match(q, &r, r.last_seen_us) != cases[i].unmarked)
			CHECK_STR(cases[i].expr, "(matched the other way on another row)");
		query_free(q);
	}
	row_fini(&r);
}

static void test_query_services_and_names(void)
{
	CHECK_STR(service_name(L4_TCP, 443), "https");
	CHECK_STR(service_name(L4_UDP, 53), "dns");
	CHECK_STR(service_name(L4_TCP, 22), "ssh");
	CHECK_STR(service_name(L4_UDP, 22), NULL);
	CHECK_STR(service_name(L4_TCP, 9092), "kafka");
	CHECK_STR(service_name(L4_TCP, 51820), NULL);
	CHECK_STR(service_name(L4_UDP, 51820), "wireguard");
	CHECK_STR(service_name(L4_ICMP, 443), NULL);
	CHECK_STR(decode_proto_name(L4_ICMPV6), "ICMPv6");
	CHECK_STR(decode_proto_name(200), "IP-200");
	CHECK_STR(decode_proto_name(L4_GRE), "GRE");

	struct snapshot *s = make_rows();
	CHECK_STR(row_remote_name(&s->rows[A], NULL), "github.com");
	CHECK_STR(row_remote_name(&s->rows[D], NULL), "neverssl.com");
	CHECK_STR(row_remote_name(&s->rows[B], NULL), NULL);
	CHECK_STR(row_service(&s->rows[G]), "https-alt");
	CHECK_STR(row_service(&s->rows[A]), "HTTPS");
	CHECK_STR(row_service(&s->rows[E]), NULL);
	CHECK_INT(row_local_port(&s->rows[B]), 22);
	CHECK_INT(row_remote_port(&s->rows[B]), 60000);
	CHECK(row_rx_rate(&s->rows[B]) == 10);
	snapshot_free(s);
}

int main(void)
{
	RUN(test_query_match_table);
	RUN(test_query_error_table);
	RUN(test_query_nesting_is_bounded);
	RUN(test_query_too_long);
	RUN(test_query_long_chains);
	RUN(test_query_all_and_null);
	RUN(test_query_narrows);
	RUN(test_query_sees_sanitized_strings);
	RUN(test_query_keywords);
	RUN(test_query_services_and_names);
	RUN(test_query_unit_container_pod);
	RUN(test_query_gateway_flag);
	return check_summary("test_query");
}
