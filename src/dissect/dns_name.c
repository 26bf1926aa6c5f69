/* dns_name.c - DNS name decoding with compression (RFC 1035 3.1, 4.1.4). */
#include "dissect/dns_name.h"

#include <stdbool.h>
#include <string.h>

/* Append one label to out; the caller has checked the wire bound, which
 * also bounds the text (wire length 255 -> at most 253 text bytes). */
static void name_append(struct dns_name *out, const uint8_t *label, size_t n)
{
	if (out->labels)
		out->text[out->len++] = '.';
	memcpy(out->text + out->len, label, n);
	out->len = (uint8_t)(out->len + n);
	out->text[out->len] = '\0';
	out->labels++;
}

/* Follow labels and pointers from `start`; returns the error and sets
 * *end to the offset just past the name as it sits at `start`. */
static enum dns_name_err name_walk(const uint8_t *msg, size_t len, size_t start,
				   struct dns_name *out, size_t *end)
{
	size_t pos = start, run_start = start, wire = 1; /* the final zero */
	unsigned ptrs = 0;
	bool jumped = false;

	for (;;) {
		if (pos >= len)
			return DNS_NAME_TRUNCATED;
		uint8_t b = msg[pos];
		if (b == 0) {
			if (!jumped)
				*end = pos + 1;
			return DNS_NAME_OK;
		}
		switch (b & 0xc0) {
		case 0xc0: {
			if (pos + 1 >= len)
				return DNS_NAME_TRUNCATED;
			size_t target = ((size_t)(b & 0x3f) << 8) | msg[pos + 1];
			/* strictly before the current run: offsets decrease, no loop */
			if (target >= run_start || ++ptrs > DNS_NAME_MAX_PTRS)
				return DNS_NAME_BAD_POINTER;
			if (!jumped)
				*end = pos + 2;
			jumped = true;
			pos = run_start = target;
			break;
		}
		case 0x00:
			wire += (size_t)b + 1;
			if (wire > DNS_NAME_WIRE_MAX)
				return DNS_NAME_TOO_LONG;
			if (len - pos - 1 < b)
				return DNS_NAME_TRUNCATED;
			if (out)
				name_append(out, msg + pos + 1, b);
			pos += (size_t)b + 1;
			break;
		default: /* 0x40 extended / 0x80 reserved */
			return DNS_NAME_BAD_LABEL;
		}
	}
}

static enum dns_name_err name_read(struct rd *msg, struct dns_name *out)
{
	if (out) {
		out->len = 0;
		out->labels = 0;
		out->text[0] = '\0';
	}
	if (!rd_ok(msg))
		return DNS_NAME_TRUNCATED;
	size_t end = 0;
	enum dns_name_err e = name_walk(msg->p, msg->len, rd_pos(msg), out, &end);
	if (e != DNS_NAME_OK) {
		if (out) {
			out->len = 0;
			out->labels = 0;
			out->text[0] = '\0';
		}
		msg->err = true;
		return e;
	}
	rd_skip(msg, end - rd_pos(msg));
	return DNS_NAME_OK;
}

enum dns_name_err dns_name_read(struct rd *msg, struct dns_name *out)
{
	return name_read(msg, out);
}

enum dns_name_err dns_name_skip(struct rd *msg)
{
	return name_read(msg, NULL);
}

static int ascii_lower(int c)
{
	return c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c;
}

int dns_name_equal(const struct dns_name *a, const struct dns_name *b)
{
	if (a->len != b->len)
		return 0;
	for (size_t i = 0; i < a->len; i++)
		if (ascii_lower((unsigned char)a->text[i]) != ascii_lower((unsigned char)b->text[i]))
			return 0;
	return 1;
}
