/* nbns.c - the NetBIOS Name Service (RFC 1002 section 4.2).
 *
 * DNS-shaped: a 12-byte header (name_trn_id, flags with a 4-bit opcode,
 * QD/AN/NS/AR counts), then a question or a resource record whose name is
 * a NetBIOS name in "first-level encoding" (RFC 1001 14.1): the 16 bytes
 * of the name (15 characters padded with spaces, then a suffix byte that
 * says which service) each written as two letters 'A'+high nibble and
 * 'A'+low nibble, a 32-byte label, optionally followed by a DNS-style
 * scope. That label is the signature (on any port), ahead of the DNS
 * dissector, which would otherwise show "FHEPFCELEHFCEPFF..." as a query.
 *
 * The first name is kept decoded as tshark writes it: trailing spaces
 * dropped, bytes that are not printable as <xx>, the suffix as <xx>, then
 * ".scope" when there is one: "WORKGROUP<1d>", "FRED<20>".
 */
#include <stdio.h>
#include <string.h>

#include "base/rd.h"
#include "dissect/dissector.h"

#define NBNS_PORT 137
#define NBNS_HEADER 12
#define NBNS_LABEL 32
#define NBNS_MAX_CALLS 16
#define NBNS_NAME_MAX 200

struct nbns_state {
	uint8_t calls;
};

/* The 16 decoded bytes of the first name; its scope labels stay in r. */
static bool nbns_first_level(struct rd *r, uint8_t out[16])
{
	if (rd_u8(r) != NBNS_LABEL)
		return false;
	const uint8_t *enc = rd_take(r, NBNS_LABEL);
	if (!enc)
		return false;
	for (int i = 0; i < 16; i++) {
		uint8_t hi = enc[2 * i] - 'A', lo = enc[2 * i + 1] - 'A';
		if (hi > 15 || lo > 15)
			return false;
		out[i] = (uint8_t)(hi << 4 | lo);
	}
	return true;
}

/* A header with a question or a record, and the encoded name; false
 * when the datagram is not NetBIOS Name Service. */
static bool nbns_read(const uint8_t *d, size_t n, uint8_t name[16], struct rd *scope)
{
	struct rd r = rd_make(d, n);
	rd_skip(&r, 4);
	uint16_t qd = rd_be16(&r), an = rd_be16(&r), ns = rd_be16(&r), ar = rd_be16(&r);
	if (!rd_ok(&r) || qd + an + ns + ar == 0 || qd > 1 || an > 1 || ns > 1 || ar > 1)
		return false;
	if (!nbns_first_level(&r, name))
		return false;
	*scope = r;
	return true;
}

static enum probe_result nbns_probe(const struct dissect_in *in)
{
	uint8_t name[16];
	struct rd scope;
	return nbns_read(in->data, in->len, name, &scope) ? PROBE_YES : PROBE_NO;
}

/* tshark's spelling of a NetBIOS name (epan/dissectors/packet-netbios.c). */
static size_t nbns_text(char *out, size_t cap, const uint8_t name[16], struct rd scope)
{
	int end = 15;
	while (end > 0 && name[end - 1] == ' ')
		end--;
	size_t n = 0;
	for (int i = 0; i < end && n + 5 < cap; i++) {
		if (name[i] >= 0x20 && name[i] < 0x7f)
			out[n++] = (char)name[i];
		else
			n += (size_t)snprintf(out + n, cap - n, "<%02x>", name[i]);
	}
	n += (size_t)snprintf(out + n, cap - n, "<%02x>", name[15]);
	while (rd_left(&scope) && n < cap - 1) {
		uint8_t len = rd_u8(&scope);
		const uint8_t *label = rd_take(&scope, len);
		if (!len || !label || len > 63 || n + 1 + len >= cap)
			break;
		out[n++] = '.';
		memcpy(out + n, label, len);
		n += len;
	}
	return n < cap ? n : cap - 1;
}

static enum parse_result nbns_parse(void *state, const struct dissect_in *in)
{
	struct nbns_state *st = state;
	uint8_t name[16];
	struct rd scope;
	if (nbns_read(in->data, in->len, name, &scope)) {
		char text[NBNS_NAME_MAX];
		in->meta->app = APP_NBNS;
		meta_set_str(in->meta, META_NETBIOS_NAME, (const uint8_t *)text,
			     nbns_text(text, sizeof text, name, scope));
	}
	return meta_str(in->meta, META_NETBIOS_NAME) || ++st->calls >= NBNS_MAX_CALLS ? PARSE_DONE
										       : PARSE_MORE;
}

const struct dissector dissector_nbns = {
	.name = "nbns",
	.l4 = L4_UDP,
	.ports = { NBNS_PORT, 0 },
	.probe = nbns_probe,
	.parse = nbns_parse,
	.state_size = sizeof(struct nbns_state),
};
