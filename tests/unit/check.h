/* check.h - the unit-test harness: plain asserts that count.
 *
 * A test file defines test functions and a main() that calls
 * RUN(test_fn) for each, then returns check_summary("name"). Every failed
 * CHECK prints file:line and the expression. A test that cannot run here
 * (a kernel feature, a terminal capability) ends with SKIP("why"): it is
 * counted as skipped, never as passed. The summary line is
 * "<name>: N passed, N failed, N skipped" and tests/run.sh adds them up.
 */
#ifndef WT_TESTS_CHECK_H
#define WT_TESTS_CHECK_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

struct check_state {
	int passed, failed, skipped;
	int current_failures;
	bool current_skipped;
	const char *current;
};
extern struct check_state check_state;

void check_fail(const char *file, int line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void check_skip(const char *file, int line, const char *why);
int check_summary(const char *name);
/* Hex text ("0a1b...") to bytes, at most cap; returns the count. */
size_t check_unhex(const char *hex, uint8_t *out, size_t cap);
/* What fn writes, as a malloc'd string. */
char *check_capture(void (*fn)(FILE *));
/* A whole file as a malloc'd string; NULL when it cannot be read. */
char *check_read_file(const char *path);

#define CHECK(cond)                                                                   \
	do {                                                                          \
		if (!(cond))                                                          \
			check_fail(__FILE__, __LINE__, "CHECK(%s)", #cond);           \
	} while (0)

#define CHECK_INT(got, want)                                                          \
	do {                                                                          \
		long long g_ = (long long)(got), w_ = (long long)(want);              \
		if (g_ != w_)                                                         \
			check_fail(__FILE__, __LINE__, "%s == %lld, want %lld", #got, \
				   g_, w_);                                           \
	} while (0)

#define CHECK_STR(got, want)                                                           \
	do {                                                                           \
		const char *g_ = (got), *w_ = (want);                                  \
		if (!((g_ == NULL && w_ == NULL) || (g_ && w_ && strcmp(g_, w_) == 0))) \
			check_fail(__FILE__, __LINE__, "%s == \"%s\", want \"%s\"",    \
				   #got, g_ ? g_ : "(null)", w_ ? w_ : "(null)");      \
	} while (0)

#define CHECK_MEM(got, want, n)                                                       \
	do {                                                                          \
		if (memcmp((got), (want), (n)) != 0)                                  \
			check_fail(__FILE__, __LINE__, "memcmp(%s, %s, %s) != 0",     \
				   #got, #want, #n);                                  \
	} while (0)

/* Ends the current test as skipped, saying why. */
#define SKIP(why)                                                                     \
	do {                                                                          \
		check_skip(__FILE__, __LINE__, why);                                  \
		return;                                                               \
	} while (0)

#define RUN(fn)                                                                       \
	do {                                                                          \
		check_state.current = #fn;                                            \
		check_state.current_failures = 0;                                     \
		check_state.current_skipped = false;                                  \
		fn();                                                                 \
		if (check_state.current_failures)                                     \
			check_state.failed++;                                         \
		else if (check_state.current_skipped)                                 \
			check_state.skipped++;                                        \
		else                                                                  \
			check_state.passed++;                                         \
	} while (0)

#endif
