/* backoff.h - waiting for a ring without burning a core: spin briefly,
 * then yield, then sleep in short naps. */
#ifndef WT_ENGINE_BACKOFF_H
#define WT_ENGINE_BACKOFF_H

#include <sched.h>
#include <time.h>

struct backoff {
	unsigned n;
};

#define BACKOFF_INIT { 0 }

static inline void backoff_reset(struct backoff *b) { b->n = 0; }

static inline void backoff_wait(struct backoff *b)
{
	if (b->n < 64) {
#if defined(__x86_64__) || defined(__i386__)
		__builtin_ia32_pause();
#endif
	} else if (b->n < 128) {
		sched_yield();
	} else {
		struct timespec ts = { 0, b->n < 1024 ? 20000 : 200000 };
		nanosleep(&ts, NULL);
	}
	if (b->n < 4096)
		b->n++;
}

#endif
