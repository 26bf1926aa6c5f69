/* test_http.c - the HTTP/1.x dissector: probe and head parsing. */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "dissect/dissector.h"
#include "dissect/meta.h"

extern const struct dissector dissector_http;

static enum probe_result probe_full(const char *s, bool client, bool full)
{
	struct flow_meta m;
	meta_init(&m);
	struct dissect_in in = { (const uint8_t *)s, strlen(s), client, full, NULL, &m, NULL, NULL };
	enum probe_result r = dissector_http.probe(&in);
	meta_fini(&m);
	return r;
}

static enum probe_result probe(const char *s, bool client)
{
	return probe_full(s, client, false);
}

static void test_probe_requests(void)
{
	CHECK_INT(probe("GET / HTTP/1.1\r\nHost: a\r\n\r\n", true), PROBE_YES);
	CHECK_INT(probe("POST /submit HTTP/1.0\r\n", true), PROBE_YES);
	CHECK_INT(probe("PROPFIND /dav/ HTTP/1.1\r\n", true), PROBE_YES);
	CHECK_INT(probe("CONNECT example.com:443 HTTP/1.1\n", true), PROBE_YES);
	CHECK_INT(probe("G", true), PROBE_MAYBE);
	CHECK_INT(probe("OPTIO", true), PROBE_MAYBE);
	CHECK_INT(probe("GET /very/long/path/without/end", true), PROBE_MAYBE);
	CHECK_INT(probe_full("GET /very/long/path/without/end", true, true), PROBE_NO);
	CHECK_INT(probe("GETX / HTTP/1.1\r\n", true), PROBE_NO);
	CHECK_INT(probe("get / HTTP/1.1\r\n", true), PROBE_NO);
	CHECK_INT(probe("GET / HTTP/2.0\r\n", true), PROBE_NO);
	CHECK_INT(probe("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n", true), PROBE_NO);
	CHECK_INT(probe("SSH-2.0-OpenSSH_9.2\r\n", true), PROBE_NO);
	CHECK_INT(probe("\x16\x03\x01\x02\x00\x01", true), PROBE_NO);
}

static void test_probe_not_sip_rtsp(void)
{
	CHECK_INT(probe("INVITE sip:bob@example.com SIP/2.0\r\nVia: SIP/2.0/TCP x\r\n\r\n", true),
		  PROBE_NO);
	CHECK_INT(probe("OPTIONS sip:bob@example.com SIP/2.0\r\n", true), PROBE_NO);
	CHECK_INT(probe("OPTIONS rtsp://cam.example/stream RTSP/1.0\r\nCSeq: 1\r\n\r\n", true),
		  PROBE_NO);
	CHECK_INT(probe("GET_PARAMETER rtsp://cam.example/ RTSP/1.0\r\n", true), PROBE_NO);
	CHECK_INT(probe("RTSP/1.0 200 OK\r\n", false), PROBE_NO);
	CHECK_INT(probe("SIP/2.0 200 OK\r\n", false), PROBE_NO);
}

static void test_probe_responses(void)
{
	CHECK_INT(probe("HTTP/1.1 200 OK\r\n", false), PROBE_YES);
	CHECK_INT(probe("HTTP/", false), PROBE_MAYBE);
	CHECK_INT(probe("HTTP/2 200\r\n", false), PROBE_NO);
	CHECK_INT(probe("HTTP/1.1 200 OK\r\n", true), PROBE_YES); /* roles come from content */
	CHECK_INT(probe("H", false), PROBE_MAYBE);
}

struct session {
	struct flow_meta m;
	void *st;
};

static void session_start(struct session *s)
{
	meta_init(&s->m);
	s->st = calloc(1, dissector_http.state_size);
}

static void session_end(struct session *s)
{
	free(s->st);
	meta_fini(&s->m);
}

static enum parse_result feed(struct session *s, const char *data, size_t n, bool client)
{
	struct dissect_in in = { (const uint8_t *)data, n, client, false, NULL, &s->m, NULL, NULL };
	return dissector_http.parse(s->st, &in);
}

static const char request[] =
	"GET /search?q=a%20b HTTP/1.1\r\n"
	"user-agent:   curl/8.5.0  \r\n"
	"Accept: */*\r\n"
	"HOST: \t example.com:8080\t\r\n"
	"Host: second.example\r\n"
	"\r\n";

static void test_parse_request(void)
{
	struct session s;
	session_start(&s);
	CHECK_INT(feed(&s, request, strlen(request), true), PARSE_MORE);
	CHECK_INT(s.m.app, APP_HTTP);
	CHECK_STR(meta_str(&s.m, META_HTTP_METHOD), "GET");
	CHECK_STR(meta_str(&s.m, META_HTTP_PATH), "/search?q=a%20b");
	CHECK_STR(meta_str(&s.m, META_HTTP_HOST), "example.com:8080");
	CHECK_STR(meta_str(&s.m, META_HTTP_UA), "curl/8.5.0");
	static const char resp[] = "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n";
	CHECK_INT(feed(&s, resp, 8, false), PARSE_MORE); /* status code not here yet */
	CHECK(!meta_num(&s.m, META_HTTP_STATUS, NULL));
	CHECK_INT(feed(&s, resp, strlen(resp), false), PARSE_DONE);
	uint64_t status = 0;
	CHECK(meta_num(&s.m, META_HTTP_STATUS, &status));
	CHECK_INT(status, 404);
	session_end(&s);
}

/* The head arrives a few bytes at a time; every cut point must work. */
static void test_parse_split_everywhere(void)
{
	size_t n = strlen(request);
	for (size_t cut = 1; cut < n; cut++) {
		struct session s;
		session_start(&s);
		feed(&s, request, cut, true);
		feed(&s, request, n, true);
		const char *host = meta_str(&s.m, META_HTTP_HOST);
		const char *path = meta_str(&s.m, META_HTTP_PATH);
		if (!host || strcmp(host, "example.com:8080") != 0 || !path ||
		    strcmp(path, "/search?q=a%20b") != 0)
			check_fail(__FILE__, __LINE__, "cut at %zu: host %s path %s", cut,
				   host ? host : "(null)", path ? path : "(null)");
		session_end(&s);
	}
}

static void test_parse_only_first_request(void)
{
	static const char two[] = "HEAD /a HTTP/1.0\r\nHost: one\r\n\r\n"
				  "GET /b HTTP/1.0\r\nHost: two\r\n\r\n";
	struct session s;
	session_start(&s);
	feed(&s, two, strlen(two), true);
	CHECK_STR(meta_str(&s.m, META_HTTP_METHOD), "HEAD");
	CHECK_STR(meta_str(&s.m, META_HTTP_PATH), "/a");
	CHECK_STR(meta_str(&s.m, META_HTTP_HOST), "one");
	CHECK(meta_str(&s.m, META_HTTP_UA) == NULL);
	session_end(&s);
}

/* Control bytes in a header are stored escaped, never raw. */
static void test_parse_hostile_host(void)
{
	static const char req[] = "GET / HTTP/1.1\r\nHost: ev\x1b[2Jil\r\n\r\n";
	struct session s;
	session_start(&s);
	feed(&s, req, strlen(req), true);
	const char *host = meta_str(&s.m, META_HTTP_HOST);
	CHECK(host != NULL && strchr(host, '\x1b') == NULL);
	CHECK(host != NULL && strncmp(host, "ev", 2) == 0);
	session_end(&s);
}

/* A request target is kept up to 8 KiB, as servers accept; longer ones
 * are kept that far and marked. */
static void test_long_target(void)
{
	static char req[12000];
	size_t sizes[] = { 8000, 8192, 9000 };
	for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
		size_t t = sizes[i];
		memcpy(req, "GET /", 5);
		memset(req + 5, 'a', t - 1);
		snprintf(req + 4 + t, sizeof req - 4 - t, " HTTP/1.1\r\nHost: long\r\n\r\n");
		CHECK_INT(probe(req, true), PROBE_YES);
		struct session s;
		session_start(&s);
		feed(&s, req, strlen(req), true);
		const char *path = meta_str(&s.m, META_HTTP_PATH);
		size_t kept = t < META_PATH_MAX ? t : META_PATH_MAX;
		CHECK(path && path[0] == '/' && strspn(path + 1, "a") == kept - 1);
		CHECK_INT(path ? strlen(path) : 0, kept + (t > META_PATH_MAX ? strlen(META_TRUNCATED) : 0));
		CHECK_STR(meta_str(&s.m, META_HTTP_HOST), "long");
		session_end(&s);
	}
	/* no line end in sight: what there is of the target, marked */
	memcpy(req, "GET /", 5);
	memset(req + 5, 'b', 9995);
	req[10000] = '\0';
	CHECK_INT(probe(req, true), PROBE_YES);
	struct session s;
	session_start(&s);
	CHECK_INT(feed(&s, req, 10000, true), PARSE_MORE);
	const char *path = meta_str(&s.m, META_HTTP_PATH);
	CHECK(path && strlen(path) == META_PATH_MAX + strlen(META_TRUNCATED));
	CHECK_STR(meta_str(&s.m, META_HTTP_METHOD), "GET");
	session_end(&s);
	/* a long line of binary bytes after a method is not a request */
	memset(req + 4, 0x01, 9000);
	req[9004] = '\0';
	CHECK_INT(probe(req, true), PROBE_NO);
}

int main(void)
{
	RUN(test_probe_requests);
	RUN(test_probe_not_sip_rtsp);
	RUN(test_probe_responses);
	RUN(test_parse_request);
	RUN(test_parse_split_everywhere);
	RUN(test_parse_only_first_request);
	RUN(test_parse_hostile_host);
	RUN(test_long_target);
	return check_summary("http");
}
