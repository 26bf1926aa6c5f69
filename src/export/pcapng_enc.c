#include "export/pcapng_enc.h"

#include <string.h>

#define SHB 0x0A0D0D0Au
#define IDB 0x00000001u
#define EPB 0x00000006u
#define BYTE_ORDER_MAGIC 0x1A2B3C4Du
#define OPT_END 0
#define OPT_COMMENT 1

static void le16(struct outbuf *o, uint16_t v)
{
	uint8_t b[2] = { (uint8_t)v, (uint8_t)(v >> 8) };
	outbuf_write(o, b, 2);
}

static void le32(struct outbuf *o, uint32_t v)
{
	le16(o, (uint16_t)v);
	le16(o, (uint16_t)(v >> 16));
}

static void pad4(struct outbuf *o, size_t n)
{
	static const uint8_t zero[4] = { 0 };
	outbuf_write(o, zero, (4 - n % 4) % 4);
}

static size_t padded(size_t n) { return (n + 3) & ~(size_t)3; }

void pcapng_put_shb(struct outbuf *o)
{
	le32(o, SHB);
	le32(o, 28);
	le32(o, BYTE_ORDER_MAGIC);
	le16(o, 1); /* version 1.0 */
	le16(o, 0);
	le32(o, 0xffffffffu); /* section length: not given */
	le32(o, 0xffffffffu);
	le32(o, 28);
}

void pcapng_put_idb(struct outbuf *o, uint16_t linktype, uint32_t snaplen)
{
	le32(o, IDB);
	le32(o, 20);
	le16(o, linktype);
	le16(o, 0);
	le32(o, snaplen);
	le32(o, 20);
}

void pcapng_put_epb(struct outbuf *o, uint32_t interface, uint64_t ts_us, const uint8_t *data,
		    uint32_t caplen, uint32_t wirelen, const char *comment)
{
	size_t clen = comment ? strlen(comment) : 0;
	if (clen > 0xffff)
		clen = 0xffff;
	size_t opts = clen ? 4 + padded(clen) + 4 : 0; /* the comment, then opt_endofopt */
	uint32_t total = (uint32_t)(28 + padded(caplen) + opts + 4);
	le32(o, EPB);
	le32(o, total);
	le32(o, interface);
	le32(o, (uint32_t)(ts_us >> 32));
	le32(o, (uint32_t)ts_us);
	le32(o, caplen);
	le32(o, wirelen);
	outbuf_write(o, data, caplen);
	pad4(o, caplen);
	if (clen) {
		le16(o, OPT_COMMENT);
		le16(o, (uint16_t)clen);
		outbuf_write(o, comment, clen);
		pad4(o, clen);
		le16(o, OPT_END);
		le16(o, 0);
	}
	le32(o, total);
}
