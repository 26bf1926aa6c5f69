#include "export/ipfix_enc.h"

#include <string.h>

#include "base/macros.h"

#define HEADER_LEN 16
#define SET_HEADER_LEN 4
#define SET_TEMPLATES 2
#define VARLEN 65535
#define ENTERPRISE_BIT 0x8000u

/* One field of a template: element id, length, enterprise (0: IANA;
 * 1: wiretop's configured number). */
struct field {
	uint16_t id, len;
	uint32_t pen;
};
#define OURS 1u

/* Family-specific fields come first, the rest is shared. */
static const struct field v4_addrs[] = { { 8, 4, 0 }, { 12, 4, 0 } };
static const struct field v6_addrs[] = { { 27, 16, 0 }, { 28, 16, 0 } };
static const struct field common[] = {
	{ 7, 2, 0 },     /* sourceTransportPort */
	{ 11, 2, 0 },    /* destinationTransportPort */
	{ 4, 1, 0 },     /* protocolIdentifier */
	{ 136, 1, 0 },   /* flowEndReason */
	{ 239, 1, 0 },   /* biflowDirection: 1 = the source is the initiator */
	{ 152, 8, 0 },   /* flowStartMilliseconds */
	{ 153, 8, 0 },   /* flowEndMilliseconds */
	{ 1, 8, 0 },     /* octetDeltaCount */
	{ 2, 8, 0 },     /* packetDeltaCount */
	{ 1, 8, IPFIX_REVERSE_PEN }, /* reverse octetDeltaCount */
	{ 2, 8, IPFIX_REVERSE_PEN }, /* reverse packetDeltaCount */
	{ IPFIX_WT_PROCESS_ID, 4, OURS },
	{ IPFIX_WT_PROCESS_NAME, VARLEN, OURS },
	{ IPFIX_WT_USER_NAME, VARLEN, OURS },
	{ IPFIX_WT_UNIT, VARLEN, OURS },
	{ IPFIX_WT_CONTAINER, VARLEN, OURS },
	{ IPFIX_WT_APPLICATION, VARLEN, OURS },
	{ IPFIX_WT_TLS_SNI, VARLEN, OURS },
	{ IPFIX_WT_HTTP_HOST, VARLEN, OURS },
};
#define NCOMMON ARRAY_LEN(common)

static void put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static void put32(uint8_t *p, uint32_t v)
{
	put16(p, (uint16_t)(v >> 16));
	put16(p + 2, (uint16_t)v);
}

static void put64(uint8_t *p, uint64_t v)
{
	put32(p, (uint32_t)(v >> 32));
	put32(p + 4, (uint32_t)v);
}

void ipfix_msg_begin(struct ipfix_msg *m, uint8_t *buf, size_t limit)
{
	memset(m, 0, sizeof *m);
	m->buf = buf;
	m->limit = limit > IPFIX_MESSAGE_MAX ? IPFIX_MESSAGE_MAX : limit;
	m->len = HEADER_LEN;
}

static void close_set(struct ipfix_msg *m)
{
	if (!m->set_at)
		return;
	put16(m->buf + m->set_at + 2, (uint16_t)(m->len - m->set_at));
	m->set_at = 0;
}

/* Opens a set with this id unless it is the open one; false if no room
 * for its header plus `need` bytes. */
static bool want_set(struct ipfix_msg *m, uint16_t id, size_t need)
{
	if (m->set_at && m->set_id == id)
		return m->len + need <= m->limit;
	if (m->len + SET_HEADER_LEN + need > m->limit)
		return false;
	close_set(m);
	m->set_at = m->len;
	m->set_id = id;
	put16(m->buf + m->len, id);
	m->len += SET_HEADER_LEN;
	return true;
}

static size_t field_spec_len(const struct field *f) { return f->pen ? 8 : 4; }

static size_t template_len(size_t naddr)
{
	size_t n = 4;
	for (size_t i = 0; i < naddr; i++)
		n += 4;
	for (size_t i = 0; i < NCOMMON; i++)
		n += field_spec_len(&common[i]);
	return n;
}

static void put_field_spec(struct ipfix_msg *m, const struct field *f, uint32_t pen)
{
	uint32_t number = f->pen == OURS ? pen : f->pen;
	put16(m->buf + m->len, (uint16_t)(f->id | (f->pen ? ENTERPRISE_BIT : 0)));
	put16(m->buf + m->len + 2, f->len);
	m->len += 4;
	if (f->pen) {
		put32(m->buf + m->len, number);
		m->len += 4;
	}
}

static void put_template(struct ipfix_msg *m, uint16_t id, const struct field *addrs, uint32_t pen)
{
	put16(m->buf + m->len, id);
	put16(m->buf + m->len + 2, (uint16_t)(2 + NCOMMON));
	m->len += 4;
	for (size_t i = 0; i < 2; i++)
		put_field_spec(m, &addrs[i], pen);
	for (size_t i = 0; i < NCOMMON; i++)
		put_field_spec(m, &common[i], pen);
}

bool ipfix_msg_templates(struct ipfix_msg *m, uint32_t pen)
{
	if (!want_set(m, SET_TEMPLATES, template_len(2) * 2))
		return false;
	put_template(m, IPFIX_TEMPLATE_V4, v4_addrs, pen);
	put_template(m, IPFIX_TEMPLATE_V6, v6_addrs, pen);
	return true;
}

static size_t str_len(const char *s)
{
	size_t n = s ? strlen(s) : 0;
	return n > 1024 ? 1024 : n; /* the longest string a flow keeps */
}

/* RFC 7011 7: a length under 255 in one byte, else 255 and two bytes. */
static size_t varlen_size(size_t n) { return n < 255 ? 1 + n : 3 + n; }

static void put_varlen(struct ipfix_msg *m, const char *s)
{
	size_t n = str_len(s);
	if (n < 255) {
		m->buf[m->len++] = (uint8_t)n;
	} else {
		m->buf[m->len++] = 255;
		put16(m->buf + m->len, (uint16_t)n);
		m->len += 2;
	}
	if (n)
		memcpy(m->buf + m->len, s, n);
	m->len += n;
}

static size_t record_len(const struct ipfix_flow *f)
{
	const char *strs[] = { f->process, f->user, f->unit, f->container, f->app, f->sni, f->http_host };
	size_t n = (f->family == 6 ? 32 : 8) + 2 + 2 + 1 + 1 + 1 + 8 + 8 + 4 * 8 + 4;
	for (size_t i = 0; i < ARRAY_LEN(strs); i++)
		n += varlen_size(str_len(strs[i]));
	return n;
}

bool ipfix_msg_flow(struct ipfix_msg *m, const struct ipfix_flow *f)
{
	uint16_t tid = f->family == 6 ? IPFIX_TEMPLATE_V6 : IPFIX_TEMPLATE_V4;
	size_t alen = f->family == 6 ? 16 : 4;
	if (!want_set(m, tid, record_len(f)))
		return false;
	uint8_t *p = m->buf + m->len;
	memcpy(p, f->src, alen);
	memcpy(p + alen, f->dst, alen);
	p += 2 * alen;
	put16(p, f->sport);
	put16(p + 2, f->dport);
	p[4] = f->proto;
	p[5] = f->end_reason;
	p[6] = 1; /* biflowDirection: initiator */
	put64(p + 7, f->start_ms);
	put64(p + 15, f->end_ms);
	put64(p + 23, f->octets[0]);
	put64(p + 31, f->packets[0]);
	put64(p + 39, f->octets[1]);
	put64(p + 47, f->packets[1]);
	put32(p + 55, f->pid);
	m->len = (size_t)(p + 59 - m->buf);
	const char *strs[] = { f->process, f->user, f->unit, f->container, f->app, f->sni, f->http_host };
	for (size_t i = 0; i < ARRAY_LEN(strs); i++)
		put_varlen(m, strs[i]);
	m->records++;
	return true;
}

size_t ipfix_msg_end(struct ipfix_msg *m, uint32_t export_time_s, uint32_t sequence, uint32_t domain)
{
	close_set(m);
	put16(m->buf, IPFIX_VERSION);
	put16(m->buf + 2, (uint16_t)m->len);
	put32(m->buf + 4, export_time_s);
	put32(m->buf + 8, sequence);
	put32(m->buf + 12, domain);
	return m->len;
}
