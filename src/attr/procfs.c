/* procfs.c - the /proc back end: socket tables from /proc/net/{tcp,tcp6,
 * udp,udp6,icmp,icmp6} joined to processes through /proc/<pid>/fd.
 *
 * The last resort: a scan sees only sockets alive at that moment, so
 * connections shorter than the scan period are missed. The table text is
 * read through the bounded reader. Addresses are printed by the kernel as
 * 32-bit words in host order (%08X per word), so they are parsed back into
 * host-order words.
 *
 *   sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
 *    0: 0100007F:0277 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 16850 ...
 *
 * Runs on the attribution thread (and in tests).
 */
#include "attr/attr_int.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/fdio.h"
#include "base/macros.h"
#include "base/rd.h"
#include "base/xalloc.h"
#include "base/str.h"
#include "decode/pkt.h"

/* ---- text helpers over struct rd ---------------------------------------- */

static struct rd next_line(struct rd *r)
{
	const uint8_t *p = rd_ptr(r);
	size_t left = rd_left(r);
	const uint8_t *nl = memchr(p, '\n', left);
	struct rd line = rd_sub(r, nl ? (size_t)(nl - p) : left);

	if (nl)
		rd_skip(r, 1);
	return line;
}

static bool is_space(uint8_t c)
{
	return c == ' ' || c == '\t' || c == '\r';
}

static struct rd next_token(struct rd *line)
{
	size_t n = 0;

	while (rd_left(line) && is_space(rd_peek8(line, 0)))
		rd_skip(line, 1);
	while (n < rd_left(line) && !is_space(rd_peek8(line, n)))
		n++;
	return rd_sub(line, n);
}

/* Exactly n hex digits (n <= 8) from r. */
static bool take_hex(struct rd *r, size_t n, uint32_t *out)
{
	uint32_t v = 0;

	for (size_t i = 0; i < n; i++) {
		int d = str_hex_digit(rd_u8(r));
		if (d < 0 || !rd_ok(r))
			return false;
		v = (v << 4) | (uint32_t)d;
	}
	*out = v;
	return true;
}

/* A whole token of decimal digits. */
static bool token_dec(struct rd t, uint64_t *out)
{
	uint64_t v = 0;

	if (!rd_left(&t))
		return false;
	while (rd_left(&t)) {
		uint8_t c = rd_u8(&t);
		if (c < '0' || c > '9')
			return false;
		v = v * 10 + (uint64_t)(c - '0');
	}
	*out = v;
	return true;
}

/* "ADDR:PORT" with 8 (IPv4) or 32 (IPv6) address digits. */
static bool token_endpoint(struct rd t, uint8_t family, uint8_t addr[16], uint16_t *port)
{
	size_t words = family == 4 ? 1 : 4;
	uint32_t w, p;

	memset(addr, 0, 16);
	for (size_t i = 0; i < words; i++) {
		if (!take_hex(&t, 8, &w))
			return false;
		memcpy(addr + 4 * i, &w, 4); /* host order, as the kernel printed it */
	}
	if (rd_u8(&t) != ':' || !take_hex(&t, 4, &p) || rd_left(&t) != 0)
		return false;
	*port = (uint16_t)p;
	return true;
}

static bool parse_line(struct rd line, uint8_t family, uint8_t l4, struct attr_sock *s)
{
	struct rd tok[10];
	uint32_t st;
	uint64_t uid, inode;

	for (size_t i = 0; i < 10; i++)
		tok[i] = next_token(&line);
	memset(s, 0, sizeof *s);
	s->l4 = l4;
	if (!token_endpoint(tok[1], family, s->laddr, &s->lport) ||
	    !token_endpoint(tok[2], family, s->raddr, &s->rport) || !take_hex(&tok[3], 2, &st) ||
	    !token_dec(tok[7], &uid) || !token_dec(tok[9], &inode))
		return false;
	s->state = (uint8_t)st;
	s->uid = (uint32_t)uid;
	s->inode = inode;
	s->family = attr_fold_family(family, s->laddr, s->raddr);
	if (l4 == L4_ICMP || l4 == L4_ICMPV6)
		s->lport = s->rport = 0; /* the "port" is the echo identifier */
	return true;
}

int attr_procfs_parse_net(const char *text, size_t len, uint8_t family, uint8_t l4,
			  attr_sock_fn fn, void *ctx)
{
	struct rd r = rd_make(text, len);
	struct rd head = next_line(&r), first = next_token(&head);
	int n = 0;

	if (family != 4 && family != 6)
		return -1;
	if (rd_left(&first) != 2 || memcmp(rd_ptr(&first), "sl", 2) != 0)
		return -1;
	while (rd_left(&r)) {
		struct rd line = next_line(&r);
		struct attr_sock s;
		if (!rd_left(&line) || !parse_line(line, family, l4, &s))
			continue;
		fn(ctx, &s);
		n++;
	}
	return n;
}

/* ---- whole files ---------------------------------------------------------- */

struct net_file {
	const char *leaf;
	uint8_t family, l4;
	unsigned which;
};

static const struct net_file net_files[] = {
	{ "net/tcp", 4, L4_TCP, ATTR_PROCFS_TCP },
	{ "net/tcp6", 6, L4_TCP, ATTR_PROCFS_TCP },
	{ "net/udp", 4, L4_UDP, ATTR_PROCFS_UDP },
	{ "net/udp6", 6, L4_UDP, ATTR_PROCFS_UDP },
	{ "net/icmp", 4, L4_ICMP, ATTR_PROCFS_ICMP },
	{ "net/icmp6", 6, L4_ICMPV6, ATTR_PROCFS_ICMP },
};

/* Whole file into a growing buffer; NULL when it cannot be opened. */
static char *slurp(const char *path, size_t *len)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	size_t cap = 16384, got = 0;
	char *buf;

	if (fd < 0)
		return NULL;
	buf = xmalloc(cap);
	for (;;) {
		got += fd_read_all(fd, buf + got, cap - got);
		if (got < cap)
			break; /* end of file */
		buf = xrealloc(buf, cap *= 2);
	}
	close(fd);
	*len = got;
	return buf;
}

int attr_procfs_list(const char *proc_root, unsigned which, attr_sock_fn fn, void *ctx)
{
	int total = 0, files = 0;

	for (size_t i = 0; i < ARRAY_LEN(net_files); i++) {
		const struct net_file *f = &net_files[i];
		char path[ATTR_PATH_BUF];
		size_t len = 0;
		char *text;
		int n;

		if (!(which & f->which))
			continue;
		snprintf(path, sizeof path, "%s/%s", proc_root, f->leaf);
		text = slurp(path, &len);
		if (!text)
			continue; /* no IPv6, no ping sockets: fine */
		n = attr_procfs_parse_net(text, len, f->family, f->l4, fn, ctx);
		free(text);
		if (n >= 0) {
			total += n;
			files++;
		}
	}
	return files ? total : -1;
}

/* ---- /proc/<pid>/fd ------------------------------------------------------- */

/* The number in a link such as "socket:[12345]" or "net:[4026531840]". */
static bool link_number(const char *link, size_t n, const char *pre, uint64_t *out)
{
	uint64_t v = 0;
	size_t i = strlen(pre);

	if (n <= i + 1 || memcmp(link, pre, i) != 0 || link[n - 1] != ']')
		return false;
	for (; i < n - 1; i++) {
		if (link[i] < '0' || link[i] > '9')
			return false;
		v = v * 10 + (uint64_t)(link[i] - '0');
	}
	*out = v;
	return true;
}

int32_t attr_pid_of(const char *name)
{
	long v = 0;

	for (const char *p = name; *p; p++) {
		if (*p < '0' || *p > '9' || v > 100000000)
			return 0;
		v = v * 10 + (*p - '0');
	}
	return (int32_t)v;
}

static void scan_pid(int rootfd, int32_t pid, bool (*want)(void *, uint64_t),
		     void (*fn)(void *, uint64_t, int32_t), void *ctx)
{
	char sub[32];
	int dfd;
	DIR *d;
	struct dirent *e;

	snprintf(sub, sizeof sub, "%d/fd", (int)pid);
	dfd = openat(rootfd, sub, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd < 0)
		return; /* gone, or not ours to read */
	d = fdopendir(dfd);
	if (!d) {
		close(dfd);
		return;
	}
	while ((e = readdir(d)) != NULL) {
		char link[64];
		uint64_t inode;
		ssize_t n;
		if (e->d_name[0] == '.')
			continue;
		n = readlinkat(dfd, e->d_name, link, sizeof link);
		if (n > 0 && link_number(link, (size_t)n, "socket:[", &inode) && (!want || want(ctx, inode)))
			fn(ctx, inode, pid);
	}
	closedir(d);
}

int attr_procfs_scan_fds(const char *proc_root, bool (*want)(void *ctx, uint64_t inode),
			 void (*fn)(void *ctx, uint64_t inode, int32_t pid), void *ctx)
{
	int rootfd = open(proc_root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	DIR *d;
	struct dirent *e;
	int n = 0;

	if (rootfd < 0)
		return -1;
	d = opendir(proc_root);
	if (!d) {
		close(rootfd);
		return -1;
	}
	while ((e = readdir(d)) != NULL) {
		int32_t pid = attr_pid_of(e->d_name);
		if (pid <= 0)
			continue;
		scan_pid(rootfd, pid, want, fn, ctx);
		n++;
	}
	closedir(d);
	close(rootfd);
	return n;
}

uint64_t attr_netns_of(const char *proc_root, const char *pid)
{
	char path[ATTR_PATH_BUF], link[64];
	uint64_t v = 0;
	ssize_t n;

	snprintf(path, sizeof path, "%s/%s/ns/net", proc_root, pid);
	n = readlink(path, link, sizeof link);
	if (n > 0 && !link_number(link, (size_t)n, "net:[", &v))
		errno = EINVAL;
	return v;
}

/* ---- the back end ----------------------------------------------------------- */

static int procfs_open(struct attr *a, char *why, size_t cap)
{
	char path[ATTR_PATH_BUF];

	snprintf(path, sizeof path, "%s/net/tcp", a->proc_root);
	if (access(path, R_OK) != 0) {
		snprintf(why, cap, "procfs: cannot read %s: %s", path, strerror(errno));
		return -1;
	}
	return 0;
}

const struct attr_backend attr_be_procfs = {
	.name = "procfs",
	.open = procfs_open,
	.tables = ATTR_TABLES_PROCFS,
	.period_ms = 1000,
};
