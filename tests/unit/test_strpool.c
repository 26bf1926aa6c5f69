/* Unit tests for pooled strings (base/strpool.c) and the names rows hold
 * through them: a row's names stay readable for as long as the row is
 * held, whoever made them has gone (run under ASan too). */
#include "check.h"

#include <pthread.h>

#include "base/clock.h"
#include "base/strpool.h"
#include "decode/pkt.h"
#include "engine/names.h"
#include "flow/row.h"

static void test_equal_strings_are_one_copy(void)
{
	struct strpool *p = strpool_new();
	const char *a = strpool_get(p, "firefox"), *b = strpool_get(p, "firefox");
	const char *c = strpool_get(p, "curl");
	CHECK(a && a == b && c && c != a);
	CHECK_STR(a, "firefox");
	CHECK_STR(c, "curl");
	CHECK(strpool_get(p, "") == NULL && strpool_get(p, NULL) == NULL);
	strpool_put(a);
	CHECK_STR(b, "firefox"); /* one reference left */
	CHECK(strpool_ref(b) == b);
	strpool_put(b);
	strpool_put(b);
	const char *again = strpool_get(p, "firefox"); /* a fresh copy after the last put */
	CHECK_STR(again, "firefox");
	strpool_put(again);
	strpool_put(c);
	strpool_put(NULL);
	strpool_free(p);
}

/* Many distinct strings: the table grows and finds each again. */
static void test_many_strings(void)
{
	struct strpool *p = strpool_new();
	const char *s[1000];
	char buf[32];
	for (int i = 0; i < 1000; i++) {
		snprintf(buf, sizeof buf, "host%d.example", i);
		s[i] = strpool_get(p, buf);
	}
	bool same = true;
	for (int i = 0; i < 1000; i++) {
		snprintf(buf, sizeof buf, "host%d.example", i);
		const char *t = strpool_get(p, buf);
		same = same && t == s[i];
		strpool_put(t);
		strpool_put(s[i]);
	}
	CHECK(same);
	strpool_free(p);
}

/* The owner lets go first: strings still held keep the pool. */
static void test_strings_outlive_the_pools_owner(void)
{
	struct strpool *p = strpool_new();
	const char *a = strpool_get(p, "alice");
	strpool_free(p);
	CHECK_STR(a, "alice");
	strpool_put(a); /* the pool goes with it (ASan: nothing leaks) */
}

struct churn {
	struct strpool *p;
	const char *held;
};

static void *churn_thread(void *arg)
{
	struct churn *c = arg;
	for (int i = 0; i < 20000; i++) {
		const char *s = strpool_get(c->p, i % 2 ? "nginx" : "sshd");
		const char *t = strpool_ref(c->held);
		strpool_put(s);
		strpool_put(t);
	}
	return NULL;
}

/* Gets and puts from several threads: every count ends where it began. */
static void test_threads_share_a_pool(void)
{
	struct churn c = { strpool_new(), NULL };
	c.held = strpool_get(c.p, "nginx");
	pthread_t t[3];
	for (int i = 0; i < 3; i++)
		pthread_create(&t[i], NULL, churn_thread, &c);
	for (int i = 0; i < 3; i++)
		pthread_join(t[i], NULL);
	CHECK_STR(c.held, "nginx");
	strpool_put(c.held);
	strpool_free(c.p);
}

/* A reader's snapshot keeps its rows' names and tunnel after the worker
 * that named them renewed its own snapshot and the names map is gone; a
 * copy of a row holds its own. */
static void test_a_snapshot_reads_its_names_after_the_producer_moved_on(void)
{
	struct names *n = names_new(64, NULL);
	const uint8_t db[16] = { 192, 0, 2, 7 };
	struct dns_answer a = { "db.example", 4, db, 300, 1 * US_PER_SEC };
	names_on_dns_answer(n, &a);
	struct strpool *procs = strpool_new();
	struct proc_ref owner = { 4242, 1000, "psql", "alice" };

	struct snapshot *s = snapshot_new(4);
	struct conn_row *r = snapshot_push(s);
	r->l4 = L4_TCP;
	r->family = 4;
	r->local_side = 0;
	memcpy(r->dst, db, 4);
	r->dport = 5432;
	r->first_seen_us = 2 * US_PER_SEC;
	names_fill_row(n, r);
	row_proc_set(&r->proc, procs, &owner);
	row_proc_set(&r->proc, procs, &owner); /* joined again: the old names are let go */
	struct pkt_tunnel tun = { .type = TUNNEL_VXLAN, .family = 4, .has_id = 1, .id = 42 };
	row_set_tunnel(r, &tun);
	tun.id = 0; /* the row has its own copy */

	struct snapshot *view = snapshot_share(s);
	struct snapshot *next = snapshot_renew(s, 4); /* the worker moves on */
	names_free(n);
	strpool_free(procs);

	enum name_source src;
	const struct conn_row *seen = &view->rows[0];
	CHECK_STR(row_peer_name(seen, &src), "db.example");
	CHECK_INT(src, NAME_DNS);
	CHECK_STR(seen->proc.name, "psql");
	CHECK_STR(seen->proc.user, "alice");
	CHECK(seen->tunnel && seen->tunnel->id == 42);

	struct snapshot *copy = snapshot_new(1);
	row_copy(snapshot_push(copy), seen);
	snapshot_free(view);
	snapshot_free(next);
	CHECK_STR(row_peer_name(&copy->rows[0], &src), "db.example");
	CHECK_STR(copy->rows[0].proc.name, "psql");
	CHECK(copy->rows[0].tunnel && copy->rows[0].tunnel->id == 42);
	struct conn_row moved;
	row_move(&moved, &copy->rows[0]);
	CHECK(copy->rows[0].proc.name == NULL && copy->rows[0].peer_name == NULL &&
	      copy->rows[0].tunnel == NULL);
	snapshot_free(copy);
	CHECK_STR(moved.proc.user, "alice");
	CHECK(moved.tunnel && moved.tunnel->type == TUNNEL_VXLAN);
	row_fini(&moved); /* the last references: both pools go (ASan: nothing leaks) */
}

int main(void)
{
	RUN(test_equal_strings_are_one_copy);
	RUN(test_many_strings);
	RUN(test_strings_outlive_the_pools_owner);
	RUN(test_threads_share_a_pool);
	RUN(test_a_snapshot_reads_its_names_after_the_producer_moved_on);
	return check_summary("strpool");
}
