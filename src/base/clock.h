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

/* Microseconds since the epoch (CLOCK_REALTIME): for timestamps. */
static inline uint64_t clock_real_us(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (uint64_t)ts.tv_sec * US_PER_SEC + (uint64_t)ts.tv_nsec / NS_PER_US;
}

#endif
