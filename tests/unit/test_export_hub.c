/* The export hub: what the exporters are told when a connection's
 * retirement is lost on a full queue, and when the hub stops with
 * connections still open. */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "check.h"
#include "export/hub.h"
#include "export/ipfix_enc.h"
#include "export/jsonlog.h"
#include "flow/state.h"
#include "flow/tracker.h"

#define S 1000000u

/* An exporter that remembers what it was told (from the hub's thread). */
struct told {
	enum export_kind kind;
	uint8_t end_reason;
	uint64_t id, ts_us, packets;
	char sni[32];
};

struct recorder {
	pthread_mutex_t mu;
	struct told v[32];
	int n;
};

static void rec_record(void *self, const struct export_rec *rec)
{
	struct recorder *r = self;
	pthread_mutex_lock(&r->mu);
	if (r->n < 32) {
		struct told *t = &r->v[r->n++];
		t->kind = rec->kind;
		t->end_reason = rec->end_reason;
		t->id = rec->row->id;
		t->ts_us = rec->ts_us;
		t->packets = rec->d_packets[0] + rec->d_packets[1];
		const char *sni = meta_str(&rec->row->meta, META_SNI);
		snprintf(t->sni, sizeof t->sni, "%s", sni ? sni : "");
	}
	pthread_mutex_unlock(&r->mu);
}

/* The index of the nth (from 0) record of kind about id; -1 none. */
static int find_told(struct recorder *r, uint64_t id, enum export_kind kind, int nth)
{
	int at = -1;
	pthread_mutex_lock(&r->mu);
	for (int i = 0; i < r->n && at < 0; i++)
		if (r->v[i].id == id && r->v[i].kind == kind && nth-- == 0)
			at = i;
	pthread_mutex_unlock(&r->mu);
	return at;
}

static int wait_told(struct recorder *r, uint64_t id, enum export_kind kind, int nth)
{
	for (int tries = 0; tries < 100; tries++) { /* 10 s: a loaded machine */
		int at = find_told(r, id, kind, nth);
		if (at >= 0)
			return at;
		usleep(100000);
	}
	return -1;
}

static void row_at(struct conn_row *r, uint64_t id, uint64_t first_s, uint64_t last_s, uint64_t expires_s,
		   uint64_t packets)
{
	memset(r, 0, sizeof *r);
	r->id = id;
	r->l4 = 6;
	r->family = 4;
	memcpy(r->src, "\x0a\x00\x00\x01", 4);
	memcpy(r->dst, "\x0a\x00\x00\x02", 4);
	r->sport = (uint16_t)(40000 + id);
	r->dport = 443;
	r->state = FS_TCP + TCP_ST_ESTABLISHED;
	r->src_packets = packets;
	r->src_bytes = packets * 100;
	r->src_ip_bytes = packets * 86;
	r->first_seen_us = first_s * S;
	r->last_seen_us = last_s * S;
	r->expires_us = expires_s * S;
	const char *sni = id == 1 ? "one.example" : "two.example";
	meta_set_str(&r->meta, META_SNI, (const uint8_t *)sni, strlen(sni));
}

static void event(struct export_hub *h, enum conn_event ev, struct conn_row *r, int why, uint64_t now_s)
{
	export_hub_event(h, ev, r, 0, why, now_s * S);
	meta_fini(&r->meta);
}

static int count_lines_with(const char *text, const char *what)
{
	int n = 0;
	for (const char *p = text; p && (p = strstr(p, what)); p++)
		n++;
	return n;
}

static void test_lost_retirement(void)
{
	char dir[] = "/tmp/wt_hub_XXXXXX";
	CHECK(mkdtemp(dir) != NULL);
	char path[64];
	snprintf(path, sizeof path, "%s/events.jsonl", dir);

	struct recorder rec = { .mu = PTHREAD_MUTEX_INITIALIZER };
	struct export_hub_opts o = { .queue_len = 2, .report_every_us = 5 * S, .max_idle_us = 600 * S };
	struct export_hub *h = export_hub_new(&o);
	export_hub_add(h, &(struct export_sink){ .name = "recorder", .record = rec_record, .self = &rec });
	struct jsonlog_opts jo = { .path = path, .owner_uid = -1, .owner_gid = -1 };
	struct export_sink log;
	struct wt_err err = { 0 };
	CHECK(jsonlog_open(&log, &jo, &err) == 0);
	export_hub_add(h, &log);

	/* Two connections open; the queue (2 events) is full when the first
	 * one's retirement comes: it is dropped and counted. */
	struct conn_row r;
	row_at(&r, 1, 1, 1, 61, 3);
	event(h, CONN_EVENT_OPENED, &r, 0, 1);
	row_at(&r, 2, 2, 2, 62, 1);
	event(h, CONN_EVENT_OPENED, &r, 0, 2);
	row_at(&r, 1, 1, 30, 90, 10);
	event(h, CONN_EVENT_RETIRED, &r, RETIRE_TIMEOUT, 90);
	CHECK_INT(export_hub_drops(h), 1);
	CHECK(export_hub_start(h, &err) == 0);
	CHECK(wait_told(&rec, 2, EXPORT_OPEN, 0) >= 0); /* the queue has room again */

	/* Connection 2 has traffic at 69 s: the shard's clock is past the
	 * first one's expiry (61 s), plus a report interval and the slack. */
	row_at(&r, 2, 2, 69, 369, 5);
	event(h, CONN_EVENT_ACTIVE, &r, 0, 69);
	int at = wait_told(&rec, 1, EXPORT_CLOSE, 0);
	CHECK(at >= 0);
	if (at >= 0) {
		CHECK_INT(rec.v[at].end_reason, IPFIX_END_IDLE);
		CHECK_INT(rec.v[at].packets, 3); /* all the hub had heard of */
		CHECK_INT(rec.v[at].ts_us, 61 * S);
		CHECK_STR(rec.v[at].sni, "one.example");
	}
	CHECK(find_told(&rec, 2, EXPORT_CLOSE, 0) < 0); /* the other one is alive */

	/* Connection 1 was alive after all (its reports were lost too): its
	 * retirement tells only what came since, so the sums stay right. */
	row_at(&r, 1, 1, 80, 140, 10);
	event(h, CONN_EVENT_RETIRED, &r, RETIRE_TIMEOUT, 140);
	at = wait_told(&rec, 1, EXPORT_CLOSE, 1);
	CHECK(at >= 0);
	if (at >= 0)
		CHECK_INT(rec.v[at].packets, 7);
	CHECK(find_told(&rec, 1, EXPORT_OPEN, 1) < 0); /* announced once */

	/* Stopping with connection 2 open (its retirement never came): it is
	 * closed as a forced end, with its counters. */
	export_hub_stop(h);
	at = find_told(&rec, 2, EXPORT_CLOSE, 0);
	CHECK(at >= 0);
	if (at >= 0) {
		CHECK_INT(rec.v[at].end_reason, IPFIX_END_FORCED);
		CHECK_INT(rec.v[at].packets, 5);
		CHECK_STR(rec.v[at].sni, "two.example");
	}
	export_hub_free(h);

	char *text = check_read_file(path);
	CHECK(text != NULL);
	CHECK_INT(count_lines_with(text, "\"event\": \"open\""), 2);
	CHECK_INT(count_lines_with(text, "\"event\": \"close\""), 3);
	CHECK_INT(count_lines_with(text, "\"sni\": \"two.example\""), 2);
	free(text);
	unlink(path);
	rmdir(dir);
}

int main(void)
{
	RUN(test_lost_retirement);
	return check_summary("export_hub");
}
