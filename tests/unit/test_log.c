/* test_log.c - the log file: name, mode, no symlink following, whole lines
 * under concurrency, escaping, levels. */
#include <dirent.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "base/log.h"
#include "check.h"

static char tmp_root[PATH_MAX];

static const char *tmp_dir(const char *name)
{
	static char buf[PATH_MAX + 64];
	snprintf(buf, sizeof buf, "%s/%s", tmp_root, name);
	return buf;
}

static size_t slurp(const char *path, char *buf, size_t cap)
{
	FILE *f = fopen(path, "r");
	if (!f)
		return 0;
	size_t n = fread(buf, 1, cap - 1, f);
	buf[n] = '\0';
	fclose(f);
	return n;
}

static bool matches(const char *re, const char *s)
{
	regex_t r;
	if (regcomp(&r, re, REG_EXTENDED | REG_NOSUB | REG_NEWLINE) != 0)
		return false;
	bool ok = regexec(&r, s, 0, NULL, 0) == 0;
	regfree(&r);
	return ok;
}

static int count_lines(const char *s)
{
	int n = 0;
	for (; *s; s++)
		n += *s == '\n';
	return n;
}

static void test_off_and_null(void)
{
	struct wt_err err = { WT_ERR_SYSTEM, "stale" };
	CHECK(log_open(tmp_dir("off"), NULL, &err) == NULL);
	CHECK_INT(err.code, WT_OK);
	CHECK(access(tmp_dir("off"), F_OK) != 0); /* nothing created */
	log_msg(NULL, LOGLV_ERROR, "ignored %d", 1);
	CHECK(!log_enabled(NULL, LOGLV_ERROR));
	CHECK(log_path(NULL) == NULL);
	log_close(NULL);
}

static void test_bad_level(void)
{
	struct wt_err err = { 0 };
	CHECK(log_open(tmp_dir("bad"), "verbose", &err) == NULL);
	CHECK_INT(err.code, WT_ERR_USAGE);
	CHECK(strstr(err.msg, "verbose") != NULL);
}

static void test_name_and_modes(void)
{
	struct wt_err err = { 0 };
	const char *dir = tmp_dir("a/b/logs");
	struct wtlog *l = log_open(dir, "info", &err);
	CHECK(l != NULL);
	if (!l)
		return;
	const char *p = log_path(l);
	CHECK(strncmp(p, dir, strlen(dir)) == 0);
	CHECK(matches("/wiretop_[0-9]{4}-[0-9]{2}-[0-9]{2}_[0-9]{2}-[0-9]{2}-[0-9]{2}\\.log$", p));
	struct stat st;
	CHECK(lstat(p, &st) == 0 && S_ISREG(st.st_mode));
	CHECK_INT(st.st_mode & 07777, 0600);
	CHECK(stat(dir, &st) == 0 && S_ISDIR(st.st_mode));
	CHECK_INT(st.st_mode & 07777, 0700);
	CHECK(stat(tmp_dir("a"), &st) == 0);
	CHECK_INT(st.st_mode & 07777, 0700);
	log_close(l);
}

static void test_mode_ignores_umask(void)
{
	struct wt_err err = { 0 };
	mode_t old = umask(0);
	struct wtlog *l = log_open(tmp_dir("umask0"), "warn", &err);
	umask(old);
	CHECK(l != NULL);
	struct stat st;
	CHECK(l && stat(log_path(l), &st) == 0);
	CHECK_INT(st.st_mode & 07777, 0600);
	log_close(l);
}

static void test_levels_and_format(void)
{
	struct wt_err err = { 0 };
	struct wtlog *l = log_open(tmp_dir("levels"), "info", &err);
	CHECK(l != NULL);
	if (!l)
		return;
	CHECK(log_enabled(l, LOGLV_ERROR));
	CHECK(log_enabled(l, LOGLV_INFO));
	CHECK(!log_enabled(l, LOGLV_DEBUG));
	log_msg(l, LOGLV_INFO, "capture stats: packets=%d", 42);
	log_msg(l, LOGLV_DEBUG, "not written");
	log_msg(l, LOGLV_ERROR, "boom %s", "here");
	char buf[4096];
	slurp(log_path(l), buf, sizeof buf);
	CHECK_INT(count_lines(buf), 2);
	CHECK(matches("^[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2}\\.[0-9]{3} "
		      "INFO  capture stats: packets=42$", buf));
	CHECK(matches("^[-0-9]{10} [:.0-9]{12} ERROR boom here$", buf));
	CHECK(strstr(buf, "not written") == NULL);
	log_close(l);
}

static void test_escapes_control_bytes(void)
{
	struct wt_err err = { 0 };
	struct wtlog *l = log_open(tmp_dir("esc"), "trace", &err);
	CHECK(l != NULL);
	if (!l)
		return;
	log_msg(l, LOGLV_TRACE, "sni=%s end", "a\nb\x1b[31mc\x7f");
	char buf[4096];
	slurp(log_path(l), buf, sizeof buf);
	CHECK_INT(count_lines(buf), 1);
	CHECK(strstr(buf, "sni=a\\x0ab\\x1b[31mc\\x7f end\n") != NULL);
	log_close(l);
}

static void test_long_line_truncated(void)
{
	struct wt_err err = { 0 };
	struct wtlog *l = log_open(tmp_dir("long"), "info", &err);
	CHECK(l != NULL);
	if (!l)
		return;
	char big[5000];
	memset(big, 'x', sizeof big - 1);
	big[sizeof big - 1] = '\0';
	log_msg(l, LOGLV_INFO, "%s", big);
	log_msg(l, LOGLV_INFO, "%s", "\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01"
				     "\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01");
	static char buf[16384];
	size_t n = slurp(log_path(l), buf, sizeof buf);
	CHECK_INT(count_lines(buf), 2);
	CHECK(n < 4200);
	CHECK(strstr(buf, "xxx...\n") != NULL);
	log_close(l);
}

/* Two logs opened within one second get different names: the second a
 * random suffix of 8 hex digits, not a number one could guess. */
static void test_suffix_when_taken(void)
{
	struct wt_err err = { 0 };
	struct wtlog *a = log_open(tmp_dir("twice"), "info", &err);
	struct wtlog *b = log_open(tmp_dir("twice"), "info", &err);
	CHECK(a && b);
	if (a && b) {
		CHECK(strcmp(log_path(a), log_path(b)) != 0);
		size_t la = strlen(log_path(a)) - 4; /* without ".log" */
		if (strncmp(log_path(a), log_path(b), la) == 0) {
			const char *sfx = log_path(b) + la;
			CHECK(strlen(sfx) == 13 && sfx[0] == '_' && strcmp(sfx + 9, ".log") == 0);
			CHECK(strspn(sfx + 1, "0123456789abcdef") == 8);
		}
	}
	log_close(a);
	log_close(b);
}

/* A symlink planted under the name the log would get is not followed. */
static void test_symlink_not_followed(void)
{
	char victim[PATH_MAX + 64], link[PATH_MAX + 128], stamp[32];
	const char *dir = tmp_dir("trap");
	mkdir(dir, 0700);
	snprintf(victim, sizeof victim, "%s/victim", tmp_root);
	int fd = open(victim, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	close(fd);
	time_t now = time(NULL);
	for (int i = 0; i < 3; i++) {
		time_t t = now + i;
		struct tm tm;
		localtime_r(&t, &tm);
		strftime(stamp, sizeof stamp, "%Y-%m-%d_%H-%M-%S", &tm);
		snprintf(link, sizeof link, "%s/wiretop_%s.log", dir, stamp);
		CHECK(symlink(victim, link) == 0);
	}
	struct wt_err err = { 0 };
	struct wtlog *l = log_open(dir, "info", &err);
	CHECK(l != NULL);
	if (!l)
		return;
	log_msg(l, LOGLV_INFO, "hello");
	struct stat st;
	CHECK(lstat(log_path(l), &st) == 0 && S_ISREG(st.st_mode));
	CHECK(stat(victim, &st) == 0);
	CHECK_INT(st.st_size, 0);
	log_close(l);
}

static void test_cannot_create(void)
{
	struct wt_err err = { 0 };
	CHECK(log_open("/dev/null/logs", "info", &err) == NULL);
	CHECK_INT(err.code, WT_ERR_SYSTEM);
	CHECK(strstr(err.msg, "/dev/null") != NULL);
}

#define N_THREADS 4
#define N_LINES 300

static void *writer(void *arg)
{
	struct wtlog *l = arg;
	for (int i = 0; i < N_LINES; i++)
		log_msg(l, LOGLV_DEBUG, "worker line %04d %s", i,
			"padding-padding-padding-padding-padding-padding-padding-padding");
	return NULL;
}

static void test_threads_whole_lines(void)
{
	struct wt_err err = { 0 };
	struct wtlog *l = log_open(tmp_dir("threads"), "debug", &err);
	CHECK(l != NULL);
	if (!l)
		return;
	pthread_t t[N_THREADS];
	for (int i = 0; i < N_THREADS; i++)
		pthread_create(&t[i], NULL, writer, l);
	for (int i = 0; i < N_THREADS; i++)
		pthread_join(t[i], NULL);
	FILE *f = fopen(log_path(l), "r");
	CHECK(f != NULL);
	char line[512];
	int good = 0, total = 0;
	while (f && fgets(line, sizeof line, f)) {
		total++;
		good += matches("^[-0-9]{10} [:.0-9]{12} DEBUG worker line [0-9]{4} (padding-){7}padding\n$",
				line);
	}
	if (f)
		fclose(f);
	CHECK_INT(total, N_THREADS * N_LINES);
	CHECK_INT(good, N_THREADS * N_LINES);
	log_close(l);
}

static void rm_tree(const char *path)
{
	struct stat st;
	if (lstat(path, &st) < 0)
		return;
	if (S_ISDIR(st.st_mode)) {
		DIR *d = opendir(path);
		struct dirent *e;
		while (d && (e = readdir(d))) {
			if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
				continue;
			char sub[PATH_MAX];
			snprintf(sub, sizeof sub, "%s/%s", path, e->d_name);
			rm_tree(sub);
		}
		if (d)
			closedir(d);
		rmdir(path);
	} else {
		unlink(path);
	}
}

int main(void)
{
	const char *base = getenv("TMPDIR");
	snprintf(tmp_root, sizeof tmp_root, "%s/wiretop_test_log.XXXXXX", base ? base : "/tmp");
	if (!mkdtemp(tmp_root)) {
		perror("mkdtemp");
		return 1;
	}
	RUN(test_off_and_null);
	RUN(test_bad_level);
	RUN(test_name_and_modes);
	RUN(test_mode_ignores_umask);
	RUN(test_levels_and_format);
	RUN(test_escapes_control_bytes);
	RUN(test_long_line_truncated);
	RUN(test_suffix_when_taken);
	RUN(test_symlink_not_followed);
	RUN(test_cannot_create);
	RUN(test_threads_whole_lines);
	rm_tree(tmp_root);
	return check_summary("test_log");
}
