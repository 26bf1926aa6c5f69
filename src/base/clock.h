/* clock.h - the clocks and time units every module uses. */
#ifndef WT_BASE_CLOCK_H
#define WT_BASE_CLOCK_H

#include <stdint.h>
#include <time.h>

#define NS_PER_US 1000ULL
#define NS_PER_MS 1000000ULL
#define NS_PER_SEC 1000000000ULL
#define US_PER_MS 1000ULL
#define US_PER_SEC 1000000ULL
#define MS_PER_SEC 1000ULL

/* Nanoseconds of any clock (a thread's CPU time too); 0 when it cannot be
 * read. */
static inline uint64_t clock_ns(clockid_t id)
{
	struct timespec ts;
	if (clock_gettime(id, &ts) != 0)
		return 0;
	return (uint64_t)ts.tv_sec * NS_PER_SEC + (uint64_t)ts.tv_nsec;
}

/* Milliseconds and microseconds of CLOCK_MONOTONIC: for intervals. */
static inline uint64_t clock_mono_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * MS_PER_SEC + (uint64_t)ts.tv_nsec / NS_PER_MS;
}

static inline uint64_t clock_mono_us(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * US_PER_SEC + (uint64_t)ts.tv_nsec / NS_PER_US;
}

/* A span of ms milliseconds: a relative timeout, or a nap. */
static inline struct timespec clock_span_ms(uint64_t ms)
{
	return (struct timespec){ (time_t)(ms / MS_PER_SEC), (long)(ms % MS_PER_SEC * NS_PER_MS) };
}

/* The CLOCK_REALTIME instant us microseconds from now: the deadline that
 * pthread_cond_timedwait takes. */
static inline struct timespec clock_real_deadline(uint64_t us)
{
	struct timespec t;
	clock_gettime(CLOCK_REALTIME, &t);
	uint64_t ns = (uint64_t)t.tv_nsec + us * NS_PER_US;
	t.tv_sec += (time_t)(ns / NS_PER_SEC);
	t.tv_nsec = (long)(ns % NS_PER_SEC);
	return t;
}

/* Microseconds since the epoch (CLOCK_REALTIME): for timestamps. */
static inline uint64_t clock_real_us(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (uint64_t)ts.tv_sec * US_PER_SEC + (uint64_t)ts.tv_nsec / NS_PER_US;
}

#endif
