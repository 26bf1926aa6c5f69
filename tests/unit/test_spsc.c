/* Unit tests for src/base/spsc: record framing, wrap-around with padding,
 * batching, and a two-thread run that checks order and content. */
#include "check.h"

#include <pthread.h>
#include <stdlib.h>

#include "base/spsc.h"

static void test_records_round_trip_and_wrap(void)
{
	struct spsc *r = spsc_new(1 << 16);
	uint8_t buf[3000];
	unsigned sent = 0, got = 0;
	/* 3000-byte records never divide 64 KiB: the ring must pad and wrap */
	for (int round = 0; round < 200; round++) {
		void *slot = spsc_reserve(r, sizeof buf, 7);
		if (slot) {
			memset(buf, (int)(sent & 0xff), sizeof buf);
			memcpy(slot, buf, sizeof buf);
			spsc_commit(r, sizeof buf);
			sent++;
		}
		spsc_publish(r);
		struct spsc_hdr h;
		const uint8_t *p = spsc_peek(r, &h);
		if (round % 3 == 0 || !p)
			continue; /* let some pile up */
		CHECK_INT(h.type, 7);
		CHECK_INT(h.len, sizeof buf);
		CHECK_INT(p[0], got & 0xff);
		CHECK_INT(p[sizeof buf - 1], got & 0xff);
		spsc_consume(r, &h);
		spsc_release(r);
		got++;
	}
	CHECK(sent > 150);
	CHECK(got > 100);
	spsc_free(r);
}

static void test_unpublished_records_are_invisible(void)
{
	struct spsc *r = spsc_new(1 << 16);
	void *slot = spsc_reserve(r, 4, 1);
	CHECK(slot != NULL);
	memcpy(slot, "abcd", 4);
	spsc_commit(r, 4);
	struct spsc_hdr h;
	CHECK(spsc_peek(r, &h) == NULL);
	spsc_publish(r);
	const char *p = spsc_peek(r, &h);
	CHECK(p && memcmp(p, "abcd", 4) == 0);
	spsc_free(r);
}

static void test_full_ring_refuses(void)
{
	struct spsc *r = spsc_new(1 << 16);
	int n = 0;
	while (spsc_reserve(r, 1000, 1)) {
		spsc_commit(r, 1000);
		n++;
	}
	CHECK(n >= 60 && n <= 66); /* 64 KiB of 1008-byte records */
	CHECK(spsc_reserve(r, 1 << 20, 1) == NULL); /* larger than half the ring */
	spsc_free(r);
}

#define STRESS_RECORDS 300000

static void *consumer(void *arg)
{
	struct spsc *r = arg;
	uint64_t *bad = calloc(1, sizeof *bad);
	for (uint32_t want = 0; want < STRESS_RECORDS;) {
		struct spsc_hdr h;
		const uint8_t *p = spsc_peek(r, &h);
		if (!p) {
			spsc_release(r);
			spsc_wait_data(r, 10);
			continue;
		}
		uint32_t seq;
		memcpy(&seq, p, 4);
		if (seq != want || h.len != 4 + seq % 200 || (h.len > 4 && p[h.len - 1] != (uint8_t)seq))
			(*bad)++;
		spsc_consume(r, &h);
		if (++want % 64 == 0)
			spsc_release(r);
	}
	spsc_release(r);
	return bad;
}

static void test_two_threads_keep_order_and_content(void)
{
	struct spsc *r = spsc_new(1 << 16);
	pthread_t th;
	pthread_create(&th, NULL, consumer, r);
	for (uint32_t seq = 0; seq < STRESS_RECORDS; seq++) {
		uint32_t n = 4 + seq % 200;
		uint8_t *slot;
		while (!(slot = spsc_reserve(r, n, 1))) {
			spsc_flush(r);
			spsc_wait_space(r, n, 10);
		}
		memcpy(slot, &seq, 4);
		memset(slot + 4, (uint8_t)seq, n - 4);
		spsc_commit(r, n);
		if (seq % 32 == 0)
			spsc_publish(r);
	}
	spsc_flush(r);
	uint64_t *bad;
	pthread_join(th, (void **)&bad);
	CHECK_INT(*bad, 0);
	free(bad);
	CHECK(spsc_wait_consumed(r, spsc_produced(r), 100));
	spsc_free(r);
}

int main(void)
{
	RUN(test_records_round_trip_and_wrap);
	RUN(test_unpublished_records_are_invisible);
	RUN(test_full_ring_refuses);
	RUN(test_two_threads_keep_order_and_content);
	return check_summary("spsc");
}
