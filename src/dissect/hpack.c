/* hpack.c - HPACK header blocks (RFC 7541): integers (5.1), strings (5.2),
 * field representations (6), the static table (Appendix A) and the
 * Huffman code (Appendix B). See hpack.h.
 */
#include "dissect/hpack.h"

#include <string.h>

#include "base/macros.h"
#include "base/rd.h"

/* ---- Huffman (Appendix B) ---------------------------------------------- */

/* The code of Appendix B is canonical: codes of one length are
 * consecutive numbers in the order of the symbols they stand for, and
 * each length's first code follows the previous length's last. So it is
 * given whole by how many codes each length has and by the symbols in
 * order of (length, symbol); decoding walks the lengths, as zlib's puff
 * does. 256 is EOS, the only 30-bit code without a symbol of its own. */
#define HUFF_MAX_BITS 30
#define HUFF_EOS 256

static const uint8_t huff_count[HUFF_MAX_BITS + 1] = {
	0, 0, 0, 0, 0, 10, 26, 32, 6, 0, 5, 3, 2, 6, 2, 3,
	0, 0, 0, 3, 8, 13, 26, 29, 12, 4, 15, 19, 29, 0, 4,
};

static const uint16_t huff_symbol[257] = {
	48, 49, 50, 97, 99, 101, 105, 111, 115, 116, 32, 37, 45, 46, 47, 51, 52, 53, 54, 55, 56, 57,
	61, 65, 95, 98, 100, 102, 103, 104, 108, 109, 110, 112, 114, 117, 58, 66, 67, 68, 69, 70, 71,
	72, 73, 74, 75, 76, 77, 78, 79, 80, 81, 82, 83, 84, 85, 86, 87, 89, 106, 107, 113, 118, 119,
	120, 121, 122, 38, 42, 44, 59, 88, 90, 33, 34, 40, 41, 63, 39, 43, 124, 35, 62, 0, 36, 64, 91,
	93, 126, 94, 125, 60, 96, 123, 92, 195, 208, 128, 130, 131, 162, 184, 194, 224, 226, 153, 161,
	167, 172, 176, 177, 179, 209, 216, 217, 227, 229, 230, 129, 132, 133, 134, 136, 146, 154, 156,
	160, 163, 164, 169, 170, 173, 178, 181, 185, 186, 187, 189, 190, 196, 198, 228, 232, 233, 1,
	135, 137, 138, 139, 140, 141, 143, 147, 149, 150, 151, 152, 155, 157, 158, 165, 166, 168, 174,
	175, 180, 182, 183, 188, 191, 197, 231, 239, 9, 142, 144, 145, 148, 159, 171, 206, 215, 225,
	236, 237, 199, 207, 234, 235, 192, 193, 200, 201, 202, 205, 210, 213, 218, 219, 238, 240, 242,
	243, 255, 203, 204, 211, 212, 214, 221, 222, 223, 241, 244, 245, 246, 247, 248, 250, 251, 252,
	253, 254, 2, 3, 4, 5, 6, 7, 8, 11, 12, 14, 15, 16, 17, 18, 19, 20, 21, 23, 24, 25, 26, 27, 28,
	29, 30, 31, 127, 220, 249, 10, 13, 22, 256,
};

struct bits {
	const uint8_t *p;
	size_t n;      /* bytes */
	size_t pos;    /* bits read */
};

/* One symbol, or -1 at the end of the input (*ones: every bit read since
 * the symbol began was 1, and there were at most 7), or -2 for a code
 * past the longest. */
static int huff_symbol_next(struct bits *b, bool *ones)
{
	unsigned code = 0, first = 0, index = 0;
	size_t start = b->pos;
	*ones = true;
	for (unsigned len = 1; len <= HUFF_MAX_BITS; len++) {
		if (b->pos >= b->n * 8) {
			*ones = *ones && b->pos - start <= 7;
			return -1;
		}
		unsigned bit = (b->p[b->pos / 8] >> (7 - b->pos % 8)) & 1;
		b->pos++;
		*ones = *ones && bit;
		code |= bit;
		unsigned count = huff_count[len];
		if (code - first < count)
			return huff_symbol[index + (code - first)];
		index += count;
		first = (first + count) << 1;
		code <<= 1;
	}
	return -2;
}

long hpack_huffman(const uint8_t *in, size_t n, uint8_t *out, size_t cap, bool *cut)
{
	struct bits b = { in, n, 0 };
	size_t len = 0;
	*cut = false;
	for (;;) {
		bool ones;
		int sym = huff_symbol_next(&b, &ones);
		if (sym == -1)
			return ones ? (long)len : -1;
		if (sym < 0 || sym == HUFF_EOS)
			return -1;
		if (len < cap)
			out[len++] = (uint8_t)sym;
		else
			*cut = true;
	}
}

/* ---- the static table (Appendix A) -------------------------------------- */

static const struct {
	const char *name, *value;
} static_table[] = {
	{ ":authority", "" }, { ":method", "GET" }, { ":method", "POST" }, { ":path", "/" },
	{ ":path", "/index.html" }, { ":scheme", "http" }, { ":scheme", "https" },
	{ ":status", "200" }, { ":status", "204" }, { ":status", "206" }, { ":status", "304" },
	{ ":status", "400" }, { ":status", "404" }, { ":status", "500" }, { "accept-charset", "" },
	{ "accept-encoding", "gzip, deflate" }, { "accept-language", "" }, { "accept-ranges", "" },
	{ "accept", "" }, { "access-control-allow-origin", "" }, { "age", "" }, { "allow", "" },
	{ "authorization", "" }, { "cache-control", "" }, { "content-disposition", "" },
	{ "content-encoding", "" }, { "content-language", "" }, { "content-length", "" },
	{ "content-location", "" }, { "content-range", "" }, { "content-type", "" },
	{ "cookie", "" }, { "date", "" }, { "etag", "" }, { "expect", "" }, { "expires", "" },
	{ "from", "" }, { "host", "" }, { "if-match", "" }, { "if-modified-since", "" },
	{ "if-none-match", "" }, { "if-range", "" }, { "if-unmodified-since", "" },
	{ "last-modified", "" }, { "link", "" }, { "location", "" }, { "max-forwards", "" },
	{ "proxy-authenticate", "" }, { "proxy-authorization", "" }, { "range", "" },
	{ "referer", "" }, { "refresh", "" }, { "retry-after", "" }, { "server", "" },
	{ "set-cookie", "" }, { "strict-transport-security", "" }, { "transfer-encoding", "" },
	{ "user-agent", "" }, { "vary", "" }, { "via", "" }, { "www-authenticate", "" },
};

#define STATIC_ENTRIES ARRAY_LEN(static_table)
_Static_assert(STATIC_ENTRIES == 61, "RFC 7541 Appendix A has 61 entries");

/* ---- primitives (5.1, 5.2) ----------------------------------------------- */

/* An integer with an N-bit prefix; false when malformed or beyond 2^28. */
static bool hp_int(struct rd *r, unsigned prefix_bits, uint32_t *v)
{
	uint32_t max = (1u << prefix_bits) - 1;
	*v = rd_u8(r) & max;
	if (*v < max)
		return rd_ok(r);
	for (unsigned shift = 0; shift <= 21; shift += 7) {
		uint8_t b = rd_u8(r);
		*v += (uint32_t)(b & 0x7f) << shift;
		if (!(b & 0x80))
			return rd_ok(r);
	}
	return false;
}

/* A string literal into buf (cap bytes); false when malformed. */
static bool hp_string(struct rd *r, uint8_t *buf, size_t cap, const uint8_t **s, size_t *len,
		      bool *cut)
{
	bool huffman = rd_peek8(r, 0) & 0x80;
	uint32_t n;
	if (!hp_int(r, 7, &n))
		return false;
	const uint8_t *raw = rd_take(r, n);
	if (!raw)
		return false;
	if (!huffman) {
		*s = raw;
		*cut = n > cap;
		*len = *cut ? cap : n;
		return true;
	}
	long got = hpack_huffman(raw, n, buf, cap, cut);
	if (got < 0)
		return false;
	*s = buf;
	*len = (size_t)got;
	return true;
}

/* ---- field representations (6) ------------------------------------------ */

struct scratch {
	uint8_t name[HPACK_NAME_MAX];
	uint8_t value[HPACK_VALUE_MAX];
};

static void from_static(uint32_t index, struct hpack_field *f)
{
	f->name = (const uint8_t *)static_table[index - 1].name;
	f->name_len = strlen(static_table[index - 1].name);
	f->value = (const uint8_t *)static_table[index - 1].value;
	f->value_len = strlen(static_table[index - 1].value);
	f->value_cut = false;
}

/* A literal field (6.2) whose name index has `prefix_bits`. Returns 1
 * with *f filled, 0 for a field to pass over, -1 when malformed. */
static int literal(struct rd *r, unsigned prefix_bits, struct scratch *sc, struct hpack_field *f)
{
	uint32_t index;
	bool cut = false;
	if (!hp_int(r, prefix_bits, &index))
		return -1;
	bool known = index <= STATIC_ENTRIES;
	if (index && known)
		from_static(index, f);
	else if (!index && !hp_string(r, sc->name, sizeof sc->name, &f->name, &f->name_len, &cut))
		return -1;
	else if (!index && cut)
		known = false; /* a name longer than any worth matching */
	if (!hp_string(r, sc->value, sizeof sc->value, &f->value, &f->value_len, &f->value_cut))
		return -1;
	return known ? 1 : 0;
}

/* The next representation: 1 a field in *f, 0 nothing to hand out (a
 * table size update, a dynamic table reference), -1 malformed. */
static int representation(struct rd *r, struct scratch *sc, struct hpack_field *f)
{
	uint8_t b = rd_peek8(r, 0);
	uint32_t v;
	if (b & 0x80) { /* 6.1 indexed */
		if (!hp_int(r, 7, &v) || v == 0)
			return -1;
		if (v > STATIC_ENTRIES)
			return 0;
		from_static(v, f);
		return 1;
	}
	if (b & 0x40) /* 6.2.1 with incremental indexing */
		return literal(r, 6, sc, f);
	if (b & 0x20) /* 6.3 dynamic table size update */
		return hp_int(r, 5, &v) ? 0 : -1;
	return literal(r, 4, sc, f); /* 6.2.2 without indexing, 6.2.3 never indexed */
}

bool hpack_decode(const uint8_t *block, size_t n, hpack_field_fn fn, void *ctx)
{
	struct rd r = rd_make(block, n);
	struct scratch sc;
	while (rd_left(&r)) {
		struct hpack_field f;
		int got = representation(&r, &sc, &f);
		if (got < 0)
			return false;
		if (got > 0 && !fn(ctx, &f))
			return true;
	}
	return true;
}
