/* oui.c - the IEEE registries of MAC address blocks: their "(hex)" lines
 * (and an MA-M, MA-S or IAB block's range) to one sorted table.
 *
 * The four registries are about 9 MiB, of which only the "(hex)" lines
 * (one in six) matter. Parsing them costs tens of milliseconds and a few
 * MiB of page cache in the process, which a capture with no hardware
 * address to name (most of them: IP over anything but an ARP) should not
 * pay at start. So oui_load only opens and maps the files (errors are
 * still found at start, before any sandbox closes the file system) and
 * the first lookup parses them, under a lock since lookups may come from
 * any thread. The parser jumps from one "(hex)" to the next and the table
 * sorts small entries whose names sit in one block. An entry's key is its
 * prefix and the prefix's length, so a lookup tries the three lengths
 * there are, longest first. */
#include "base/oui.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/macros.h"
#include "base/xalloc.h"
#include "base/str.h"

#define OUI_FILE_MAX (64 << 20) /* far past the registry's size */
#define OUI_NAME_MAX 95         /* longer names are cut */
#define OUI_TAG "(hex)"
#define OUI_TAG_LEN 5

/* Prefix lengths, in bits, longest first: MA-S and IAB, MA-M, MA-L. */
static const unsigned oui_bits[] = { 36, 28, 24 };

struct oui_entry {
	uint64_t key;               /* the address's first `bits` bits (of 48), << 8 | bits */
	uint32_t name;              /* offset of its NUL-terminated name in names */
};

#define OUI_FILES 4 /* MA-L, MA-M, MA-S, IAB */

struct oui_map {
	void *text;
	size_t len;
};

struct oui {
	struct oui_entry *e;
	size_t n, cap;
	char *names;
	size_t names_len, names_cap;
	struct oui_map maps[OUI_FILES]; /* mapped, not yet parsed */
	size_t n_maps;
	bool parsed;                    /* read and written atomically */
	pthread_mutex_t parse_lock;
};

static bool is_blank(char c)
{
	return c == ' ' || c == '\t';
}

static uint64_t oui_key(uint64_t addr48, unsigned bits)
{
	uint64_t mask = ~0ull << (48 - bits) & 0xffffffffffffull;
	return (addr48 & mask) << 8 | bits;
}

/* "00-00-0C" at the start of a line; its value in *v. */
static bool parse_prefix(const char *s, uint32_t *v)
{
	*v = 0;
	for (int i = 0; i < 8; i++) {
		int d = str_hex_digit(s[i]);
		if (i % 3 == 2 ? s[i] != '-' : d < 0)
			return false;
		if (i % 3 != 2)
			*v = *v << 4 | (uint32_t)d;
	}
	return true;
}

/* "B00000-BFFFFF" (an MA-M block) or "F2F000-F2FFFF" (MA-S, IAB) at text[at]:
 * the block's first address below its 24-bit prefix and its length in
 * bits. 1 when read, 0 when no range is there (MA-L's "00000C"), -1 for
 * a range that is not such a block. */
static int parse_range(const char *text, size_t len, size_t at, uint32_t *low, unsigned *bits)
{
	uint32_t v[2] = { 0, 0 };
	if (len - at < 13 || text[at + 6] != '-')
		return 0;
	for (int k = 0; k < 2; k++)
		for (int i = 0; i < 6; i++) {
			int d = str_hex_digit(text[at + (size_t)k * 7 + (size_t)i]);
			if (d < 0)
				return 0;
			v[k] = v[k] << 4 | (uint32_t)d;
		}
	uint32_t size = v[1] - v[0] + 1;
	if (v[1] < v[0] || (size & (size - 1)) || (v[0] & (size - 1)))
		return -1; /* not an aligned power-of-two block */
	*low = v[0];
	*bits = 48 - (unsigned)__builtin_ctz(size);
	for (size_t i = 0; i < ARRAY_LEN(oui_bits); i++)
		if (*bits == oui_bits[i])
			return 1;
	return -1;
}

static void add(struct oui *o, uint64_t key, const char *name, size_t n)
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
	o->e[o->n++] = (struct oui_entry){ key, (uint32_t)o->names_len };
	o->names_len += n + 1;
}

/* The entry whose "(hex)" is at text[tag]: "00-00-0C   (hex)\t\tName",
 * then on the next line its block's range when it is smaller than the
 * 24-bit prefix. */
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
	uint32_t low = 0;
	unsigned bits = 24;
	if (nl && parse_range(text, len, end + 1, &low, &bits) < 0)
		return;
	while (end > name && (is_blank(text[end - 1]) || text[end - 1] == '\r'))
		end--;
	if (end > name)
		add(o, oui_key((uint64_t)prefix << 24 | low, bits), text + name, end - name);
}

static int by_key(const void *a, const void *b)
{
	uint64_t x = ((const struct oui_entry *)a)->key, y = ((const struct oui_entry *)b)->key;
	return x < y ? -1 : x > y;
}

/* The next "(hex)" from t on. A parenthesis is rare enough in the
 * registries (the tag, "(base 16)", a few names) that jumping from one to
 * the next is several times quicker than a substring search. */
static const char *next_tag(const char *t, const char *end)
{
	while ((t = memchr(t, '(', (size_t)(end - t)))) {
		if ((size_t)(end - t) >= OUI_TAG_LEN && !memcmp(t, OUI_TAG, OUI_TAG_LEN))
			return t;
		t++;
	}
	return NULL;
}

/* The entries whose "(hex)" lies in text[from, upto); an entry reads on
 * past upto, to its range line, anywhere in text[0, len). */
static void parse_part(struct oui *o, const char *text, size_t len, size_t from, size_t upto)
{
	const char *end = text + upto;
	for (const char *t = next_tag(text + from, end); t; t = next_tag(t + OUI_TAG_LEN, end))
		parse_entry(o, text, len, (size_t)(t - text));
}

static void parse_into(struct oui *o, const char *text, size_t len)
{
	parse_part(o, text, len, 0, len);
}

/* A mapped registry, parsed a stretch at a time with the pages of the
 * stretches before given back: the first lookup comes while the capture
 * already holds its memory, and 9 MiB of registry text on top of that was
 * the run's peak. Stretches end after a line, and an entry only reads
 * forward from its line, so nothing reads a page given back (were it to,
 * the page would be read from the file again). */
#define OUI_STRETCH (256u << 10)

static void parse_mapped(struct oui *o, const struct oui_map *m)
{
	const char *text = m->text;
	size_t page = (size_t)sysconf(_SC_PAGESIZE);
	for (size_t from = 0; from < m->len;) {
		size_t upto = m->len - from > OUI_STRETCH ? from + OUI_STRETCH : m->len;
		const char *nl = upto < m->len ? memchr(text + upto, '\n', m->len - upto) : NULL;
		upto = nl ? (size_t)(nl - text) + 1 : m->len;
		parse_part(o, text, m->len, from, upto);
		size_t behind = from / page * page;
		if (behind)
			madvise(m->text, behind, MADV_DONTNEED);
		from = upto;
	}
}

/* Entries by key, least significant byte first: the table has tens of
 * thousands of entries at every parse, where a comparison sort was the
 * largest part of the registries' cost. Keys are 56 bits (prefix << 8 |
 * length); a byte that all keys share is skipped. */
static void sort_by_key(struct oui_entry *e, size_t n)
{
	struct oui_entry *tmp = xmalloc(n * sizeof *tmp), *from = e, *to = tmp;
	for (unsigned shift = 0; shift < 56; shift += 8) {
		size_t at[257] = { 0 };
		for (size_t i = 0; i < n; i++)
			at[(from[i].key >> shift & 0xff) + 1]++;
		if (at[(from[0].key >> shift & 0xff) + 1] == n)
			continue;
		for (size_t b = 1; b < 257; b++)
			at[b] += at[b - 1];
		for (size_t i = 0; i < n; i++)
			to[at[from[i].key >> shift & 0xff]++] = from[i];
		struct oui_entry *swap = from;
		from = to;
		to = swap;
	}
	if (from != e)
		memcpy(e, from, n * sizeof *e);
	free(tmp);
}

/* Sorted for lookups; a block listed twice keeps one of its names. */
static void finish(struct oui *o)
{
	if (o->n)
		sort_by_key(o->e, o->n);
	size_t w = 0;
	for (size_t i = 0; i < o->n; i++)
		if (!w || o->e[w - 1].key != o->e[i].key)
			o->e[w++] = o->e[i];
	o->n = w;
}

static struct oui *oui_new(void)
{
	struct oui *o = xcalloc(1, sizeof *o);
	pthread_mutex_init(&o->parse_lock, NULL);
	return o;
}

struct oui *oui_parse(const char *text, size_t len)
{
	struct oui *o = oui_new();
	parse_into(o, text, len);
	finish(o);
	o->parsed = true;
	return o;
}

static void unmap_all(struct oui *o)
{
	for (size_t i = 0; i < o->n_maps; i++)
		munmap(o->maps[i].text, o->maps[i].len);
	o->n_maps = 0;
}

/* The mapped registries into the table, once, by whichever lookup comes
 * first. */
static void ensure_parsed(struct oui *o)
{
	if (__atomic_load_n(&o->parsed, __ATOMIC_ACQUIRE))
		return;
	pthread_mutex_lock(&o->parse_lock);
	if (!o->parsed) {
		for (size_t i = 0; i < o->n_maps; i++)
			parse_mapped(o, &o->maps[i]);
		unmap_all(o);
		finish(o);
		__atomic_store_n(&o->parsed, true, __ATOMIC_RELEASE);
	}
	pthread_mutex_unlock(&o->parse_lock);
}

/* One registry file mapped into o: 1 found, 0 absent, -1 unreadable (err set). */
static int map_file(struct oui *o, const char *path, struct wt_err *err)
{
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
	if (map)
		o->maps[o->n_maps++] = (struct oui_map){ map, len };
	return 1;
}

int oui_load(struct oui **out, const char *path, struct wt_err *err)
{
	*out = NULL;
	const char *slash = strrchr(path, '/');
	int dir = slash ? (int)(slash - path + 1) : 0;
	char mam[PATH_MAX], mas[PATH_MAX], iab[PATH_MAX];
	snprintf(mam, sizeof mam, "%.*s%s", dir, path, OUI_MAM_FILE);
	snprintf(mas, sizeof mas, "%.*s%s", dir, path, OUI_MAS_FILE);
	snprintf(iab, sizeof iab, "%.*s%s", dir, path, OUI_IAB_FILE);
	const char *const files[OUI_FILES] = { path, mam, mas, iab };
	struct oui *o = oui_new();
	int found = 0;
	for (size_t i = 0; i < ARRAY_LEN(files); i++) {
		int r = map_file(o, files[i], err);
		if (r < 0) {
			oui_free(o);
			return -1;
		}
		found += r;
	}
	if (!found) {
		oui_free(o);
		return 0;
	}
	*out = o;
	return 0;
}

void oui_free(struct oui *o)
{
	if (!o)
		return;
	unmap_all(o);
	pthread_mutex_destroy(&o->parse_lock);
	free(o->e);
	free(o->names);
	free(o);
}

size_t oui_count(struct oui *o)
{
	if (!o)
		return 0;
	ensure_parsed(o);
	return o->n;
}

const char *oui_vendor(struct oui *o, const uint8_t mac[6])
{
	if (!o)
		return NULL;
	ensure_parsed(o);
	if (!o->n)
		return NULL;
	uint64_t addr = 0;
	for (int i = 0; i < 6; i++)
		addr = addr << 8 | mac[i];
	for (size_t i = 0; i < ARRAY_LEN(oui_bits); i++) {
		struct oui_entry key = { .key = oui_key(addr, oui_bits[i]) };
		const struct oui_entry *e = bsearch(&key, o->e, o->n, sizeof *o->e, by_key);
		if (e)
			return o->names + e->name;
	}
	return NULL;
}
