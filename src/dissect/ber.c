/* ber.c - ASN.1 BER elements (see ber.h). */
#include "dissect/ber.h"

/* The length octets (X.690 8.1.3): -1 indefinite or more than 4 bytes. */
static long ber_len(struct rd *r)
{
	uint8_t l = rd_u8(r);
	if (!(l & 0x80))
		return l;
	unsigned k = l & 0x7f;
	if (k == 0 || k > 4)
		return -1;
	uint32_t len = 0;
	for (unsigned i = 0; i < k; i++)
		len = len << 8 | rd_u8(r);
	return len > 0x7fffffffu ? -1 : (long)len;
}

struct rd ber_next(struct rd *r, uint8_t *tag)
{
	*tag = rd_u8(r);
	long len = ber_len(r);
	if (len < 0) {
		rd_skip(r, rd_left(r) + 1); /* not something we read */
		return rd_sub(r, 0);
	}
	return rd_sub(r, (size_t)len);
}

long ber_small(struct rd *r, uint8_t tag)
{
	uint8_t got;
	struct rd v = ber_next(r, &got);
	if (!rd_ok(&v) || got != tag || rd_left(&v) < 1 || rd_left(&v) > 4 || (rd_peek8(&v, 0) & 0x80))
		return -1;
	long x = 0;
	while (rd_left(&v))
		x = x << 8 | rd_u8(&v);
	return x;
}

long ber_element_len(const uint8_t *p, size_t n)
{
	struct rd r = rd_make(p, n);
	rd_u8(&r);
	long len = ber_len(&r);
	if (!rd_ok(&r))
		return 0;
	if (len < 0)
		return -1;
	return (long)rd_pos(&r) + len;
}
