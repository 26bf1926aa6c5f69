#include "check.h"

#include <stdarg.h>
#include <stdlib.h>

struct check_state check_state;

void check_fail(const char *file, int line, const char *fmt, ...)
{
	va_list ap;
	fprintf(stderr, "FAIL %s (%s:%d): ", check_state.current ? check_state.current : "?", file, line);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	check_state.current_failures++;
}

void check_skip(const char *file, int line, const char *why)
{
	printf("skip: %s (%s:%d): %s\n", check_state.current ? check_state.current : "?", file,
	       line, why);
	check_state.current_skipped = true;
}

int check_summary(const char *name)
{
	printf("%s: %d passed, %d failed, %d skipped\n", name, check_state.passed,
	       check_state.failed, check_state.skipped);
	return check_state.failed ? 1 : 0;
}

size_t check_unhex(const char *hex, uint8_t *out, size_t cap)
{
	size_t n = 0;
	for (; hex[0] && hex[1] && n < cap; hex += 2) {
		char b[3] = { hex[0], hex[1], 0 };
		out[n++] = (uint8_t)strtoul(b, NULL, 16);
	}
	return n;
}

char *check_capture(void (*fn)(FILE *))
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	fn(f);
	fclose(f);
	return buf;
}

char *check_read_file(const char *path)
{
	FILE *f = fopen(path, "r");
	if (!f)
		return NULL;
	char *buf = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&buf, &len);
	char chunk[4096];
	size_t n;
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
		fwrite(chunk, 1, n, m);
	fclose(m);
	fclose(f);
	return buf;
}
