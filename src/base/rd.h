/* rd.h - bounds-checked byte reader for untrusted input (packets, files).
 *
 * Every packet byte goes through one of these. A read past the end returns
 * 0 and sets a sticky error flag; callers test rd_ok() once after a group
 * of reads instead of checking each one. Length-prefixed fields become
 * sub-readers (rd_sub) that cannot see past their own end.
 *
 * All functions are static inline: they sit on the packet path.
 */
#ifndef WT_BASE_RD_H
#define WT_BASE_RD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

struct rd {
	const uint8_t *p; /* borrowed; valid as long as the caller's buffer */
	size_t len;
	size_t off;
	bool err;
};

static inline struct rd rd_make(const void *p, size_t len)
{
	struct rd r = { (const uint8_t *)p, len, 0, false };
	return r;
}

static inline bool rd_ok(const struct rd *r) { return !r->err; }
static inline size_t rd_left(const struct rd *r) { return r->err ? 0 : r->len - r->off; }
static inline size_t rd_pos(const struct rd *r) { return r->off; }
/* Pointer to the unread bytes; only rd_left() of them may be used. */
static inline const uint8_t *rd_ptr(const struct rd *r) { return r->p + r->off; }

static inline bool rd_need(struct rd *r, size_t n)
{
	if (r->err || r->len - r->off < n) {
		r->err = true;
		return false;
	}
	return true;
}

static inline uint8_t rd_u8(struct rd *r)
{
	if (!rd_need(r, 1))
		return 0;
	return r->p[r->off++];
}

static inline uint16_t rd_be16(struct rd *r)
{
	if (!rd_need(r, 2))
		return 0;
	const uint8_t *q = r->p + r->off;
	r->off += 2;
	return (uint16_t)((q[0] << 8) | q[1]);
}

static inline uint32_t rd_be24(struct rd *r)
{
	if (!rd_need(r, 3))
		return 0;
	const uint8_t *q = r->p + r->off;
	r->off += 3;
	return ((uint32_t)q[0] << 16) | ((uint32_t)q[1] << 8) | q[2];
}

static inline uint32_t rd_be32(struct rd *r)
{
	if (!rd_need(r, 4))
		return 0;
	const uint8_t *q = r->p + r->off;
	r->off += 4;
	return ((uint32_t)q[0] << 24) | ((uint32_t)q[1] << 16) | ((uint32_t)q[2] << 8) | q[3];
}

static inline uint64_t rd_be64(struct rd *r)
{
	uint64_t hi = rd_be32(r);
	return (hi << 32) | rd_be32(r);
}

static inline uint16_t rd_le16(struct rd *r)
{
	if (!rd_need(r, 2))
		return 0;
	const uint8_t *q = r->p + r->off;
	r->off += 2;
	return (uint16_t)(q[0] | (q[1] << 8));
}

static inline uint32_t rd_le32(struct rd *r)
{
	if (!rd_need(r, 4))
		return 0;
	const uint8_t *q = r->p + r->off;
	r->off += 4;
	return (uint32_t)q[0] | ((uint32_t)q[1] << 8) | ((uint32_t)q[2] << 16) | ((uint32_t)q[3] << 24);
}

static inline void rd_skip(struct rd *r, size_t n)
{
	if (rd_need(r, n))
		r->off += n;
}

/* Copy n bytes out; on a short buffer copies nothing and sets the error. */
static inline void rd_copy(struct rd *r, void *dst, size_t n)
{
	if (!rd_need(r, n))
		return;
	memcpy(dst, r->p + r->off, n);
	r->off += n;
}

/* Integers in this machine's byte order: what the local kernel (netlink)
 * or another process of this program wrote, never the network. */
static inline uint16_t rd_host16(struct rd *r)
{
	uint16_t v = 0;
	rd_copy(r, &v, sizeof v);
	return v;
}

static inline uint32_t rd_host32(struct rd *r)
{
	uint32_t v = 0;
	rd_copy(r, &v, sizeof v);
	return v;
}

static inline uint64_t rd_host64(struct rd *r)
{
	uint64_t v = 0;
	rd_copy(r, &v, sizeof v);
	return v;
}

/* Borrow n bytes: returns a pointer into the buffer, or NULL (error set). */
static inline const uint8_t *rd_take(struct rd *r, size_t n)
{
	if (!rd_need(r, n))
		return NULL;
	const uint8_t *q = r->p + r->off;
	r->off += n;
	return q;
}

/* A sub-reader over the next n bytes; the parent moves past them. */
static inline struct rd rd_sub(struct rd *r, size_t n)
{
	struct rd s = { r->p, 0, 0, true };
	if (!rd_need(r, n))
		return s;
	s.p = r->p + r->off;
	s.len = n;
	s.err = false;
	r->off += n;
	return s;
}

/* Length-prefixed sub-readers (TLS vectors and the like). */
static inline struct rd rd_sub8(struct rd *r) { return rd_sub(r, rd_u8(r)); }
static inline struct rd rd_sub16(struct rd *r) { return rd_sub(r, rd_be16(r)); }
static inline struct rd rd_sub24(struct rd *r) { return rd_sub(r, rd_be24(r)); }

/* Peek without consuming; 0 and no error when out of range. */
static inline uint8_t rd_peek8(const struct rd *r, size_t at)
{
	if (r->err || r->len - r->off <= at)
		return 0;
	return r->p[r->off + at];
}

/* How the unread bytes begin compared with the n bytes of s: with all of
 * them (RD_PREFIX_YES), with a part of them and nothing more yet
 * (RD_PREFIX_SO_FAR: more bytes decide), or otherwise (RD_PREFIX_NO).
 * Probes use it on streams that may still be short. */
enum rd_prefix { RD_PREFIX_NO = -1, RD_PREFIX_SO_FAR = 0, RD_PREFIX_YES = 1 };

static inline enum rd_prefix rd_prefix(const struct rd *r, const void *s, size_t n)
{
	size_t k = rd_left(r) < n ? rd_left(r) : n;
	if (k && memcmp(rd_ptr(r), s, k) != 0)
		return RD_PREFIX_NO;
	return k == n ? RD_PREFIX_YES : RD_PREFIX_SO_FAR;
}

/* ASCII lower case, whatever the locale: protocol keywords are ASCII. */
static inline uint8_t rd_ascii_lower(uint8_t c)
{
	return c >= 'A' && c <= 'Z' ? (uint8_t)(c + ('a' - 'A')) : c;
}

/* rd_prefix with ASCII letters matched in either case (SMTP verbs, IMAP
 * commands, header names). */
static inline enum rd_prefix rd_prefix_case(const struct rd *r, const char *s, size_t n)
{
	size_t k = rd_left(r) < n ? rd_left(r) : n;
	for (size_t i = 0; i < k; i++)
		if (rd_ascii_lower(rd_ptr(r)[i]) != rd_ascii_lower((uint8_t)s[i]))
			return RD_PREFIX_NO;
	return k == n ? RD_PREFIX_YES : RD_PREFIX_SO_FAR;
}

/* Do the unread bytes contain s (n bytes), ASCII letters in either case? */
static inline bool rd_contains_case(const struct rd *r, const char *s, size_t n)
{
	for (struct rd t = *r; rd_left(&t) >= n; rd_skip(&t, 1))
		if (rd_prefix_case(&t, s, n) == RD_PREFIX_YES)
			return true;
	return false;
}

/* Are the unread bytes exactly the n bytes of s? */
static inline bool rd_equals(const struct rd *r, const void *s, size_t n)
{
	return rd_left(r) == n && (n == 0 || memcmp(rd_ptr(r), s, n) == 0);
}

/* The offset (from the read position) where the n bytes of s first
 * occur in the unread bytes, or -1. */
static inline long rd_search(const struct rd *r, const void *s, size_t n)
{
	const uint8_t *hit = rd_left(r) >= n ? memmem(rd_ptr(r), rd_left(r), s, n) : NULL;
	return hit ? (long)(hit - rd_ptr(r)) : -1;
}

static inline bool rd_contains(const struct rd *r, const void *s, size_t n)
{
	return rd_search(r, s, n) >= 0;
}

/* The offset (from the read position) of the first byte c among the
 * first max unread bytes, or -1. */
static inline long rd_find(const struct rd *r, uint8_t c, size_t max)
{
	size_t n = rd_left(r) < max ? rd_left(r) : max;
	const uint8_t *hit = n ? memchr(rd_ptr(r), c, n) : NULL;
	return hit ? (long)(hit - rd_ptr(r)) : -1;
}

/* The next line, if its LF comes within the first max unread bytes: a
 * sub-reader over it without its CR LF (or bare LF), and the parent moves
 * past the LF. Otherwise false, and nothing is read. */
static inline bool rd_line(struct rd *r, size_t max, struct rd *line)
{
	long lf = rd_find(r, '\n', max);
	if (lf < 0)
		return false;
	size_t n = (size_t)lf;
	*line = rd_sub(r, n);
	rd_skip(r, 1);
	if (n && line->p[n - 1] == '\r')
		line->len--;
	return true;
}

/* A reader over p[off, len): the rest of a buffer read in steps; empty
 * and failed when off lies past the end. */
static inline struct rd rd_make_at(const void *p, size_t len, size_t off)
{
	struct rd r = rd_make(p, len);
	rd_skip(&r, off);
	return rd_sub(&r, rd_left(&r));
}

#endif
