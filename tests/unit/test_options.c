/* test_options.c - the command line: values, usage errors, config files,
 * and that the parser's table, --help and the man page name the same
 * options. Run from the repository root (docs/wiretop.1 is read). */
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check.h"
#include "cli/config_file.h"
#include "cli/options.h"

#define MAN_PAGE "docs/wiretop.1"

/* options_parse wants mutable argv and keeps pointers into it: the
 * strings are copied here and stay valid until the next parse(). */
static struct {
	char store[4096];
	char *argv[32];
} args;

static int parse(struct options *o, struct wt_err *err, const char *const *in)
{
	int argc = 0;
	size_t used = 0;
	for (; in[argc] && argc < 31; argc++) {
		size_t n = strlen(in[argc]) + 1;
		if (used + n > sizeof args.store)
			break;
		args.argv[argc] = memcpy(args.store + used, in[argc], n);
		used += n;
	}
	args.argv[argc] = NULL;
	memset(err, 0, sizeof *err);
	return options_parse(o, argc, args.argv, err);
}

#define ARGV(...) ((const char *const[]){ "wiretop", __VA_ARGS__, NULL })

static void test_defaults(void)
{
	struct options o;
	struct wt_err err;
	CHECK_INT(parse(&o, &err, (const char *const[]){ "wiretop", NULL }), 0);
	CHECK(o.iface == NULL && o.read_path == NULL && !o.json);
	CHECK_INT(o.refresh_ms, 1000);
	CHECK_INT(o.threads, 0);
	CHECK(o.log_level == NULL);
	CHECK_STR(o.log_dir, "logs");
	CHECK_STR(o.attr_backend, "auto");
	CHECK(!o.no_dpi && !o.no_localhost && !o.show_localhost && !o.doctor);
	CHECK_INT(o.timeouts.sec[TO_TCP_SYN], timeout_default_sec(TO_TCP_SYN));
}

static void test_short_and_long(void)
{
	struct options o;
	struct wt_err err;
	CHECK_INT(parse(&o, &err, ARGV("-i", "eth0", "-f", "tcp port 443", "-r", "500", "-l", "debug")), 0);
	CHECK_STR(o.iface, "eth0");
	CHECK_STR(o.bpf_filter, "tcp port 443");
	CHECK_INT(o.refresh_ms, 500);
	CHECK_STR(o.log_level, "debug");
	CHECK_INT(parse(&o, &err, ARGV("--interface=lo", "--refresh-interval", "50", "--log-level=trace",
				       "--no-dpi", "--no-localhost", "--threads", "3", "--attr", "procfs",
				       "--log-dir", "/tmp/x", "--filter", "dport:443", "--json",
				       "--duration", "2.5")),
		  0);
	CHECK_STR(o.iface, "lo");
	CHECK_INT(o.refresh_ms, 50);
	CHECK_STR(o.log_level, "trace");
	CHECK(o.no_dpi && o.no_localhost && o.json);
	CHECK_INT(o.threads, 3);
	CHECK_STR(o.attr_backend, "procfs");
	CHECK_STR(o.log_dir, "/tmp/x");
	CHECK_STR(o.filter, "dport:443");
	CHECK(o.duration_s > 2.49 && o.duration_s < 2.51);
	CHECK_INT(parse(&o, &err, ARGV("-hV")), 0);
	CHECK(o.help && o.version);
	CHECK_INT(parse(&o, &err, ARGV("--doctor")), 0);
	CHECK(o.doctor);
}

static void test_localhost_last_wins(void)
{
	struct options o;
	struct wt_err err;
	CHECK_INT(parse(&o, &err, ARGV("--no-localhost", "--show-localhost")), 0);
	CHECK(o.show_localhost && !o.no_localhost);
	CHECK_INT(parse(&o, &err, ARGV("--show-localhost", "--no-localhost")), 0);
	CHECK(!o.show_localhost && o.no_localhost);
}

static void test_timeout_option(void)
{
	struct options o;
	struct wt_err err;
	CHECK_INT(parse(&o, &err, ARGV("--timeout", "tcp_syn=7", "--timeout", "udp=90")), 0);
	CHECK_INT(o.timeouts.sec[TO_TCP_SYN], 7);
	CHECK_INT(o.timeouts.sec[TO_UDP], 90);
	CHECK_INT(parse(&o, &err, ARGV("--timeout", "nosuch=1")), -1);
	CHECK_INT(err.code, WT_ERR_USAGE);
}

/* Each bad value: -1, a usage error, and a message naming the option. */
static void test_bad_values(void)
{
	static const struct {
		const char *opt, *val, *want;
	} cases[] = {
		{"--refresh-interval", "10", "refresh-interval"},
		{"-r", "abc", "refresh-interval"},
		{"--threads", "0", "threads"},
		{"--threads", "-1", "threads"},
		{"--threads", "4x", "threads"},
		{"--duration", "0", "duration"},
		{"--duration", "soon", "duration"},
		{"-l", "verbose", "log-level"},
		{"--attr", "magic", "attr"},
		{"--snaplen", "10", "snaplen"},
		{"--max-connections", "99999999999999999999", "max-connections"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct options o;
		struct wt_err err;
		const char *argv[] = { "wiretop", cases[i].opt, cases[i].val, NULL };
		CHECK_INT(parse(&o, &err, argv), -1);
		CHECK_INT(err.code, WT_ERR_USAGE);
		if (!strstr(err.msg, cases[i].want) || !strstr(err.msg, cases[i].val))
			check_fail(__FILE__, __LINE__, "%s %s: message '%s'", cases[i].opt,
				   cases[i].val, err.msg);
	}
}

static void test_usage_errors(void)
{
	static const struct {
		const char *a, *b, *want;
	} cases[] = {
		{"--bogus", NULL, "unknown option '--bogus'"},
		{"-x", NULL, "unknown option '-x'"},
		{"-Vx", NULL, "unknown option '-x'"},
		{"-xV", NULL, "unknown option '-x'"},
		{"-i", NULL, "--interface needs a value"},
		{"--read", NULL, "--read needs a value"},
		{"--json=yes", NULL, "--json takes no value"},
		{"stray", NULL, "unexpected argument 'stray'"},
		{"-ilo", "--read=x.pcap", "exclude each other"},
		{"--read=x.pcap", "--duration=3", "live capture only"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct options o;
		struct wt_err err;
		const char *argv[] = { "wiretop", cases[i].a, cases[i].b, NULL };
		CHECK_INT(parse(&o, &err, argv), -1);
		CHECK_INT(err.code, WT_ERR_USAGE);
		if (!strstr(err.msg, cases[i].want))
			check_fail(__FILE__, __LINE__, "%s: message '%s', want '%s'", cases[i].a, err.msg,
				   cases[i].want);
		CHECK(strchr(err.msg, '\n') == NULL);
	}
}

/* A parse that stopped inside "-xV" must not leak into the next one. */
static void test_reparse_after_error(void)
{
	struct options o;
	struct wt_err err;
	CHECK_INT(parse(&o, &err, ARGV("-xV")), -1);
	CHECK_INT(parse(&o, &err, ARGV("--json")), 0);
	CHECK(o.json && !o.version);
}

static void write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");
	CHECK(f != NULL);
	if (f) {
		fputs(text, f);
		fclose(f);
	}
}

static void test_config_file(void)
{
	char path[] = "/tmp/wiretop_test_options.XXXXXX";
	int fd = mkstemp(path);
	CHECK(fd >= 0);
	close(fd);
	write_file(path, "# comment\n\n  threads = 3\nno-dpi\nlog-dir = /var/log/wt \n"
			 "timeout.tcp_syn = 9\nattr=none\nno-mouse\n");
	struct options o;
	struct wt_err err;
	CHECK_INT(parse(&o, &err, ARGV("--config", path, "--threads", "2")), 0);
	CHECK_INT(o.threads, 2); /* the command line after --config wins */
	CHECK(o.no_dpi);
	CHECK(o.no_mouse);
	CHECK_STR(o.log_dir, "/var/log/wt");
	CHECK_STR(o.attr_backend, "none");
	CHECK_INT(o.timeouts.sec[TO_TCP_SYN], 9);

	static const struct {
		const char *text, *want;
	} bad[] = {
		{"threads = 3\nfrobnicate = 1\n", ":2: unknown setting 'frobnicate'"},
		{"interface\n", ":1: 'interface' needs a value"},
		{"json = yes\n", ":1: 'json' takes no value"},
		{"threads = many\n", "threads"},
		{"config = other\n", ":1: 'config' is taken only from the command line"},
		{"no-sandbox\n", ":1: 'no-sandbox' is taken only from the command line"},
		{"threads = 2\nno-priv-drop\n", ":2: 'no-priv-drop' is taken only from the command line"},
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		write_file(path, bad[i].text);
		CHECK_INT(parse(&o, &err, ARGV("--config", path)), -1);
		CHECK_INT(err.code, WT_ERR_USAGE);
		if (!strstr(err.msg, bad[i].want))
			check_fail(__FILE__, __LINE__, "config '%s': message '%s'", bad[i].text, err.msg);
	}
	unlink(path);
	CHECK_INT(parse(&o, &err, ARGV("--config", path)), -1);
	CHECK(strstr(err.msg, path) != NULL);
}

/* A config file written with mode `mode` (whatever the umask). */
static void temp_config(char *path, const char *text, mode_t mode)
{
	int fd = mkstemp(path);
	CHECK(fd >= 0);
	close(fd);
	write_file(path, text);
	CHECK_INT(chmod(path, mode), 0);
}

/* A line is a line, however long: a comment longer than any buffer must
 * not have its tail read as a setting. */
static void test_config_long_lines(void)
{
	char text[8192], path[] = "/tmp/wiretop_test_options.XXXXXX";
	size_t n = 0;
	text[n++] = '#';
	while (n < 1023)
		text[n++] = ' ';
	n += (size_t)snprintf(text + n, sizeof text - n, "threads = 7\nno-dpi\n# %.*s\nattr = none\n",
			      5000, "");
	memset(strstr(text, "# \n") + 2, 'x', 5000); /* a 5002-byte comment */
	strcpy(strstr(text, "# x") + 5002, "\nattr = none\n");
	temp_config(path, text, 0600);
	struct options o;
	struct wt_err err;
	CHECK_INT(parse(&o, &err, ARGV("--config", path)), 0);
	CHECK_INT(o.threads, 0); /* "threads = 7" sat inside the first comment */
	CHECK(o.no_dpi);
	CHECK_STR(o.attr_backend, "none");
	/* a value longer than the store is an error, not a cut */
	char big[6000];
	memset(big, 'a', sizeof big);
	memcpy(big, "filter = ", 9);
	big[sizeof big - 2] = '\n';
	big[sizeof big - 1] = '\0';
	write_file(path, big);
	CHECK_INT(parse(&o, &err, ARGV("--config", path)), -1);
	CHECK(strstr(err.msg, "too long") != NULL);
	write_file(path, "timeout.tcp_syn = 1000000000000000000000000000000000000000000000000000000000000"
			 "0000000000000000000000000000000000000000000000000000000000000000000000000000000\n");
	CHECK_INT(parse(&o, &err, ARGV("--config", path)), -1);
	unlink(path);
}

static void test_config_trust_rule(void)
{
	char why[128];
	CHECK(config_file_trusted(0, S_IFREG | 0644, 1000, NULL, why, sizeof why));
	CHECK(config_file_trusted(1000, S_IFREG | 0600, 1000, NULL, why, sizeof why));
	CHECK(config_file_trusted(1000, S_IFREG | 0644, 0, "1000", why, sizeof why)); /* sudo */
	CHECK(!config_file_trusted(1001, S_IFREG | 0600, 1000, NULL, why, sizeof why));
	CHECK(strstr(why, "owned by uid 1001") != NULL);
	CHECK(!config_file_trusted(1001, S_IFREG | 0600, 1000, "1001", why, sizeof why)); /* not root */
	CHECK(!config_file_trusted(1001, S_IFREG | 0600, 0, "1000", why, sizeof why));
	CHECK(!config_file_trusted(1000, S_IFREG | 0600, 0, "1000x", why, sizeof why));
	CHECK(!config_file_trusted(0, S_IFREG | 0666, 0, NULL, why, sizeof why));
	CHECK(strstr(why, "writable by others (mode 0666)") != NULL);
	CHECK(!config_file_trusted(0, S_IFREG | 0620, 0, NULL, why, sizeof why));
	CHECK(strstr(why, "writable by its group") != NULL);
	CHECK(!config_file_trusted(1000, S_IFREG | 0602, 1000, NULL, why, sizeof why));
}

/* Refusals come before a byte is read, and at once: a FIFO with no
 * writer and an endless device must not block. */
static void test_config_refusals(void)
{
	char path[] = "/tmp/wiretop_test_options.XXXXXX";
	struct options o;
	struct wt_err err;
	temp_config(path, "no-dpi\n", 0666);
	CHECK_INT(parse(&o, &err, ARGV("--config", path)), -1);
	CHECK_INT(err.code, WT_ERR_USAGE);
	CHECK(strstr(err.msg, "refused: writable by others") != NULL);
	CHECK_INT(chmod(path, 0640), 0);
	CHECK_INT(parse(&o, &err, ARGV("--config", path)), 0);
	if (geteuid() == 0) { /* another user's file */
		CHECK_INT(chown(path, 4242, 4242), 0);
		CHECK_INT(parse(&o, &err, ARGV("--config", path)), -1);
		CHECK(strstr(err.msg, "refused: owned by uid 4242") != NULL);
	}
	unlink(path);

	alarm(10); /* a hang here is a failure, not a stuck suite */
	CHECK_INT(parse(&o, &err, ARGV("--config", "/dev/zero")), -1);
	CHECK(strstr(err.msg, "/dev/zero: refused: not a regular file") != NULL);
	CHECK_INT(parse(&o, &err, ARGV("--config", "/tmp")), -1);
	CHECK(strstr(err.msg, "refused: not a regular file") != NULL);
	CHECK_INT(mkfifo(path, 0600), 0);
	CHECK_INT(parse(&o, &err, ARGV("--config", path)), -1);
	CHECK(strstr(err.msg, "refused: not a regular file") != NULL);
	unlink(path);
	alarm(0);

	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0600);
	CHECK(fd >= 0 && write(fd, "no-dpi\n\0threads = 3\n", 20) == 20);
	close(fd);
	CHECK_INT(parse(&o, &err, ARGV("--config", path)), -1);
	CHECK(strstr(err.msg, "refused: a NUL byte") != NULL);
	unlink(path);
}

/* ---- the table, --help and the man page agree ----------------------- */

#define MAX_NAMES 128

struct names {
	char name[MAX_NAMES][48];
	int n;
};

static bool names_has(const struct names *ns, const char *s)
{
	for (int i = 0; i < ns->n; i++)
		if (strcmp(ns->name[i], s) == 0)
			return true;
	return false;
}

static void names_add(struct names *ns, const char *s, size_t len)
{
	char buf[48];
	if (len == 0 || len >= sizeof buf)
		return;
	memcpy(buf, s, len);
	buf[len] = '\0';
	if (!names_has(ns, buf) && ns->n < MAX_NAMES)
		strcpy(ns->name[ns->n++], buf);
}

static bool is_name_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}

/* Every "<dash><dash>name" in text, where dash is how a hyphen is spelt
 * ("-" in --help, "\\-" in roff), also inside the name. */
static void scan_names(struct names *ns, const char *text, const char *dash)
{
	char pat[16], name[48];
	size_t dl = strlen(dash);
	snprintf(pat, sizeof pat, "%s%s", dash, dash);
	for (const char *p = strstr(text, pat); p; p = strstr(p + 1, pat)) {
		const char *e = p + 2 * dl;
		size_t n = 0;
		while (n < sizeof name - 1) {
			if (is_name_char(*e))
				name[n++] = *e++;
			else if (n && strncmp(e, dash, dl) == 0 && is_name_char(e[dl]))
				name[n++] = '-', e += dl;
			else
				break;
		}
		names_add(ns, name, n);
	}
}

/* The roff text between ".SH OPTIONS" and the next ".SH". */
static char *man_options_section(char *man)
{
	char *s = strstr(man, "\n.SH OPTIONS");
	if (!s)
		return NULL;
	s++;
	char *e = strstr(s + 1, "\n.SH ");
	if (e)
		*e = '\0';
	return s;
}

static void check_same(const struct names *want, const struct names *got, const char *where)
{
	for (int i = 0; i < want->n; i++)
		if (!names_has(got, want->name[i]))
			check_fail(__FILE__, __LINE__, "--%s missing from %s", want->name[i], where);
	for (int i = 0; i < got->n; i++)
		if (!names_has(want, got->name[i]))
			check_fail(__FILE__, __LINE__, "%s lists --%s, which the parser does not know",
				   where, got->name[i]);
}

static void test_help_and_man_match_table(void)
{
	struct names table = { 0 }, help = { 0 }, man = { 0 };
	char *list = check_capture(options_list);
	scan_names(&table, list, "-");
	CHECK(table.n >= 20);
	CHECK(names_has(&table, "interface") && names_has(&table, "version"));

	/* --help: the option lines only (the examples reuse option names) */
	char *h = check_capture(options_help);
	char *ex = strstr(h, "\nTimeouts");
	if (ex)
		*ex = '\0';
	scan_names(&help, h, "-");
	check_same(&table, &help, "--help");

	char *text = check_read_file(MAN_PAGE);
	CHECK(text != NULL);
	char *opts = text ? man_options_section(text) : NULL;
	CHECK(opts != NULL);
	if (opts) {
		scan_names(&man, opts, "\\-");
		check_same(&table, &man, MAN_PAGE);
	}
	free(list);
	free(h);
	free(text);
}

/* Every option with a short form shows it in --help as "-c, --name". */
static void test_help_short_forms(void)
{
	char *h = check_capture(options_help);
	static const char *const want[] = {
		"-i, --interface IFACE", "-r, --refresh-interval MS", "-l, --log-level LEVEL",
		"-f, --bpf-filter EXPR", "-h, --help", "-V, --version",
	};
	for (size_t i = 0; i < sizeof want / sizeof want[0]; i++)
		if (!strstr(h, want[i]))
			check_fail(__FILE__, __LINE__, "--help lacks '%s'", want[i]);
	free(h);
}

int main(void)
{
	RUN(test_defaults);
	RUN(test_short_and_long);
	RUN(test_localhost_last_wins);
	RUN(test_timeout_option);
	RUN(test_bad_values);
	RUN(test_usage_errors);
	RUN(test_reparse_after_error);
	RUN(test_config_file);
	RUN(test_config_long_lines);
	RUN(test_config_trust_rule);
	RUN(test_config_refusals);
	RUN(test_help_and_man_match_table);
	RUN(test_help_short_forms);
	return check_summary("test_options");
}
