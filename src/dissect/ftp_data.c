/* ftp_data.c - the arguments and replies that say where an FTP data
 * connection goes (see ftp_data.h). */
#include "dissect/ftp_data.h"

#include <arpa/inet.h>
#include <string.h>

#define FTP_DATA_ADDR_MAX 45 /* longest IPv6 address text (with an IPv4 tail) */

static bool is_digit(uint8_t c) { return c >= '0' && c <= '9'; }

/* A decimal number of at most `digits` digits, not above max. */
static bool number(struct rd *r, unsigned digits, unsigned long max, unsigned long *v)
{
	unsigned n = 0;
	*v = 0;
	while (rd_left(r) && is_digit(rd_peek8(r, 0))) {
		if (++n > digits)
			return false;
		*v = *v * 10 + (rd_u8(r) - '0');
	}
	return n > 0 && *v <= max;
}

static bool expect_byte(struct rd *r, uint8_t want)
{
	return rd_left(r) && rd_u8(r) == want;
}

/* Six comma-separated numbers from where r stands. */
static bool six_at(struct rd r, uint8_t addr[16], uint16_t *port)
{
	unsigned long v[6];
	for (int i = 0; i < 6; i++)
		if ((i && !expect_byte(&r, ',')) || !number(&r, 3, 255, &v[i]))
			return false;
	memset(addr, 0, 16);
	for (int i = 0; i < 4; i++)
		addr[i] = (uint8_t)v[i];
	*port = (uint16_t)(v[4] << 8 | v[5]);
	return *port != 0;
}

bool ftp_data_hostport(struct rd text, uint8_t addr[16], uint16_t *port)
{
	bool after_digit = false;
	while (rd_left(&text)) {
		bool digit = is_digit(rd_peek8(&text, 0));
		if (digit && !after_digit && six_at(text, addr, port))
			return true;
		after_digit = digit;
		rd_skip(&text, 1);
	}
	return false;
}

static bool delimiter_ok(uint8_t d) { return d >= 33 && d <= 126; }

bool ftp_data_epsv(struct rd text, uint16_t *port)
{
	long open = rd_find(&text, '(', rd_left(&text));
	if (open < 0)
		return false;
	rd_skip(&text, (size_t)open + 1);
	uint8_t d = rd_u8(&text);
	unsigned long v;
	if (!delimiter_ok(d) || is_digit(d) || !expect_byte(&text, d) || !expect_byte(&text, d) ||
	    !number(&text, 5, 65535, &v) || v == 0 || !expect_byte(&text, d) ||
	    !expect_byte(&text, ')'))
		return false;
	*port = (uint16_t)v;
	return true;
}

bool ftp_data_eprt(struct rd arg, uint8_t *family, uint8_t addr[16], uint16_t *port)
{
	uint8_t d = rd_u8(&arg);
	unsigned long proto, v;
	if (!delimiter_ok(d) || is_digit(d) || !number(&arg, 1, 2, &proto) || proto == 0 ||
	    !expect_byte(&arg, d))
		return false;
	long end = rd_find(&arg, d, rd_left(&arg));
	size_t n = end > 0 ? (size_t)end : 0;
	if (!n || n > FTP_DATA_ADDR_MAX)
		return false;
	char text[FTP_DATA_ADDR_MAX + 1];
	rd_copy(&arg, text, n);
	text[n] = '\0';
	*family = proto == 1 ? 4 : 6;
	memset(addr, 0, 16);
	if (inet_pton(*family == 4 ? AF_INET : AF_INET6, text, addr) != 1)
		return false;
	if (!expect_byte(&arg, d) || !number(&arg, 5, 65535, &v) || v == 0 || !expect_byte(&arg, d))
		return false;
	*port = (uint16_t)v;
	return true;
}
