/* oui.c - the IEEE OUI registry: its "(hex)" lines to a sorted table.
 *
 * The registry is about 6 MiB, of which only the "(hex)" lines (one in
 * six) matter, and it is read at every start: the file is mapped rather
 * than copied, the parser jumps from one "(hex)" to the next, and the
 * table sorts 8-byte entries whose names sit in one block. */
#include "base/oui.h"

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/xalloc.h"

#define OUI_FILE_MAX (64 << 20) /* far past the registry's size */
#define OUI_NAME_MAX 95         /* longer names are cut */
#define OUI_TAG "(hex)"
#define OUI_TAG_LEN 5

struct oui_entry {
	uint32_t prefix;            /* the first three bytes, big-endian */
	uint32_t name;              /* offset of its NUL-terminated name in names */
};

struct oui {
	struct oui_entry *e;
	size_t n, cap;
	char *names;
	size_t names_len, names_cap;
};

static int hex_digit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

static bool is_blank(char c)
{
	return c == ' ' || c == '\t';
}

/* "00-00-0C" at the start of a line; its value in *v. */
static bool parse_prefix(const char *s, uint32_t *v)
{
	*v = 0;
	for (int i = 0; i < 8; i++) {
		int d = hex_digit(s[i]);
		if (i % 3 == 2 ? s[i] != '-' : d < 0)
			return false;
		if (i % 3 != 2)
			*v = *v << 4 | (uint32_t)d;
	}
	return true;
}

static void add(struct oui *o, uint32_t prefix, const char *name, size_t n)
{
	if (n > OUI_NAME_MAX)
		n = OUI_NAME_MAX;
	if (o->n == o->cap) {
		o->cap = o->cap ? o->cap * 2 : 1024;
		o->e = xrealloc(o->e, o->cap * sizeof *o->e);
	}
	if (o->names_len + n + 1 > o->names_cap) {
		o->names_cap = (o->names_len + n + 1) * 2;
		o->names = xrealloc(o->names, o->names_cap);
	}
	char *out = o->names + o->names_len;
	for (size_t i = 0; i < n; i++) /* printable ASCII only */
		out[i] = (unsigned char)name[i] >= 0x20 && (unsigned char)name[i] < 0x7f ? name[i] : '?';
	out[n] = '\0';
	o->e[o->n++] = (struct oui_entry){ prefix, (uint32_t)o->names_len };
	o->names_len += n + 1;
}

/* The entry whose "(hex)" is at text[tag]: "00-00-0C   (hex)\t\tName". */
static void parse_entry(struct oui *o, const char *text, size_t len, size_t tag)
{
	size_t start = tag;
	while (start > 0 && is_blank(text[start - 1]))
		start--;
	if (start == tag || start < 8 || (start > 8 && text[start - 9] != '\n'))
		return;
	uint32_t prefix;
	if (!parse_prefix(text + start - 8, &prefix))
		return;
	size_t name = tag + OUI_TAG_LEN, end;
	while (name < len && is_blank(text[name]))
		name++;
	const char *nl = memchr(text + name, '\n', len - name);
	end = nl ? (size_t)(nl - text) : len;
	while (end > name && (is_blank(text[end - 1]) || text[end - 1] == '\r'))
		end--;
	if (end > name)
		add(o, prefix, text + name, end - name);
}

static int by_prefix(const void *a, const void *b)
{
	uint32_t x = ((const struct oui_entry *)a)->prefix, y = ((const struct oui_entry *)b)->prefix;
	return x < y ? -1 : x > y;
}

struct oui *oui_parse(const char *text, size_t len)
{
	struct oui *o = xcalloc(1, sizeof *o);
	for (const char *t = text; t && (size_t)(t - text) < len;) {
		size_t at = (size_t)(t - text);
		t = memmem(t, len - at, OUI_TAG, OUI_TAG_LEN);
		if (t) {
			parse_entry(o, text, len, (size_t)(t - text));
			t += OUI_TAG_LEN;
		}
	}
	if (o->n)
		qsort(o->e, o->n, sizeof *o->e, by_prefix);
	size_t w = 0; /* a prefix listed twice keeps one of its names */
	for (size_t i = 0; i < o->n; i++)
		if (!w || o->e[w - 1].prefix != o->e[i].prefix)
			o->e[w++] = o->e[i];
	o->n = w;
	return o;
}

int oui_load(struct oui **out, const char *path, struct wt_err *err)
{
	*out = NULL;
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return errno == ENOENT ? 0
				       : wt_err_set(err, WT_ERR_INPUT, "%s: %s", path, strerror(errno));
	struct stat st;
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) || st.st_size > OUI_FILE_MAX) {
		close(fd);
		return wt_err_set(err, WT_ERR_INPUT, "%s: not a registry file", path);
	}
	size_t len = (size_t)st.st_size;
	void *map = len ? mmap(NULL, len, PROT_READ, MAP_PRIVATE, fd, 0) : NULL;
	close(fd);
	if (map == MAP_FAILED)
		return wt_err_set(err, WT_ERR_INPUT, "%s: %s", path, strerror(errno));
	*out = oui_parse(map ? map : "", len);
	if (map)
		munmap(map, len);
	return 0;
}

void oui_free(struct oui *o)
{
	if (!o)
		return;
	free(o->e);
	free(o->names);
	free(o);
}

size_t oui_count(const struct oui *o)
{
	return o ? o->n : 0;
}

const char *oui_vendor(const struct oui *o, const uint8_t mac[6])
{
	if (!o || !o->n)
		return NULL;
	struct oui_entry key = { .prefix = (uint32_t)mac[0] << 16 | (uint32_t)mac[1] << 8 | mac[2] };
	const struct oui_entry *e = bsearch(&key, o->e, o->n, sizeof *o->e, by_prefix);
	return e ? o->names + e->name : NULL;
}
