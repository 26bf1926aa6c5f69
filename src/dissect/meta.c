#include "dissect/meta.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/macros.h"
#include "base/sanitize.h"
#include "base/xalloc.h"

void meta_init(struct flow_meta *m)
{
	memset(m, 0, sizeof *m);
}

void meta_fini(struct flow_meta *m)
{
	free(m->strs);
	m->strs = NULL;
	m->strs_len = m->strs_cap = 0;
}

void meta_copy(struct flow_meta *dst, const struct flow_meta *src)
{
	*dst = *src;
	if (src->strs) {
		dst->strs = xmalloc(src->strs_len ? src->strs_len : 1);
		memcpy(dst->strs, src->strs, src->strs_len);
		dst->strs_cap = src->strs_len;
	}
}

/* An entry of the block: key, kind, data length (little endian), data.
 * A string's data ends with its NUL; a number's is 4 bytes when it fits
 * (counts, round trips, codes: nearly all), else 8. Entries are few per
 * flow, so a lookup walks them. */
enum { ENTRY_HDR = 4, KIND_STR = 1, KIND_NUM = 2 };

static size_t entry_len(const char *e)
{
	return ENTRY_HDR + ((size_t)(uint8_t)e[2] | (size_t)(uint8_t)e[3] << 8);
}

/* Offset of key k's entry of that kind, or -1. */
static long find(const struct flow_meta *m, enum meta_key k, int kind)
{
	for (size_t off = 0; off < m->strs_len; off += entry_len(m->strs + off))
		if ((uint8_t)m->strs[off] == k && m->strs[off + 1] == kind)
			return (long)off;
	return -1;
}

/* What a block of `need` bytes is given: the most that malloc's chunk
 * holding it has room for (chunks come in 16-byte steps, 8 bytes of each
 * its own header), within the 16-bit cap. */
static size_t block_size(size_t need)
{
	size_t size = ((need + 8 + 15) & ~(size_t)15) - 8;
	return size > UINT16_MAX ? UINT16_MAX : size;
}

/* Room for n more bytes; the block is capped so 16-bit offsets suffice.
 * It grows to what it needs, not by doubling: a flow stores a few
 * entries, each once (a number is rewritten in place), so a realloc per
 * entry costs little, and doubling left a quarter of every block empty
 * on average, for as long as the connection lived. */
static bool reserve(struct flow_meta *m, size_t n)
{
	size_t need = (size_t)m->strs_len + n;
	if (need > UINT16_MAX)
		return false;
	if (need > m->strs_cap) {
		size_t cap = block_size(need);
		m->strs = xrealloc(m->strs, cap);
		m->strs_cap = (uint16_t)cap;
	}
	return true;
}

static void append(struct flow_meta *m, enum meta_key k, int kind, const void *data, size_t n)
{
	if (!reserve(m, ENTRY_HDR + n))
		return;
	char *e = m->strs + m->strs_len;
	e[0] = (char)k;
	e[1] = (char)kind;
	e[2] = (char)(n & 0xff);
	e[3] = (char)(n >> 8);
	memcpy(e + ENTRY_HDR, data, n);
	m->strs_len = (uint16_t)(m->strs_len + ENTRY_HDR + n);
}

static void drop(struct flow_meta *m, long off)
{
	size_t n = entry_len(m->strs + off);
	memmove(m->strs + off, m->strs + off + n, m->strs_len - (size_t)off - n);
	m->strs_len = (uint16_t)(m->strs_len - n);
}

const char *meta_str(const struct flow_meta *m, enum meta_key k)
{
	long off = find(m, k, KIND_STR);
	return off < 0 ? NULL : m->strs + off + ENTRY_HDR;
}

const char *meta_str_next(const struct flow_meta *m, size_t *pos)
{
	while (*pos < m->strs_len) {
		const char *e = m->strs + *pos;
		*pos += entry_len(e);
		bool geo = (uint8_t)e[0] >= META_GEO_COUNTRY && (uint8_t)e[0] <= META_GEO_ASKED;
		if (e[1] == KIND_STR && !geo)
			return e + ENTRY_HDR;
	}
	return NULL;
}

/* Sanitized text of at most `max` wire bytes, marked when cut. */
#define META_TEXT_CAP(max) ((max) * 4 + sizeof META_TRUNCATED)
static size_t meta_text(char *dst, const uint8_t *s, size_t n, size_t max, bool cut)
{
	size_t len = sanitize_copy(dst, max * 4 + 1, s, n < max ? n : max);
	if (cut || n > max) {
		memcpy(dst + len, META_TRUNCATED, sizeof META_TRUNCATED);
		len += sizeof META_TRUNCATED - 1;
	}
	return len;
}

/* Sanitize into tmp (META_TEXT_CAP(max) bytes), then store. */
static bool store_text(struct flow_meta *m, enum meta_key k, char *tmp, const uint8_t *s, size_t n,
		       size_t max, bool cut)
{
	size_t len = meta_text(tmp, s, n, max, cut);
	size_t before = m->strs_len;
	append(m, k, KIND_STR, tmp, len + 1);
	return m->strs_len != before;
}

/* Apart, so that only an HTTP target pays for a frame this size. */
__attribute__((noinline)) static bool store_long_text(struct flow_meta *m, enum meta_key k,
						      const uint8_t *s, size_t n, bool cut)
{
	char tmp[META_TEXT_CAP(META_PATH_MAX)];
	return store_text(m, k, tmp, s, n, META_PATH_MAX, cut);
}

static bool set_str(struct flow_meta *m, enum meta_key k, const uint8_t *s, size_t n, bool cut)
{
	if (find(m, k, KIND_STR) >= 0)
		return false;
	if (k == META_HTTP_PATH && n > META_STR_MAX)
		return store_long_text(m, k, s, n, cut);
	char tmp[META_TEXT_CAP(META_STR_MAX)];
	return store_text(m, k, tmp, s, n, k == META_HTTP_PATH ? META_PATH_MAX : META_STR_MAX, cut);
}

bool meta_set_str(struct flow_meta *m, enum meta_key k, const uint8_t *s, size_t n)
{
	return set_str(m, k, s, n, false);
}

bool meta_set_str_cut(struct flow_meta *m, enum meta_key k, const uint8_t *s, size_t n)
{
	return set_str(m, k, s, n, true);
}

/* A list is rewritten whole at the end of the block. */
void meta_add_item(struct flow_meta *m, enum meta_key k, const uint8_t *s, size_t n)
{
	char item[META_TEXT_CAP(META_STR_MAX)];
	size_t ilen = meta_text(item, s, n, META_STR_MAX, false);
	long off = find(m, k, KIND_STR);
	const char *old = off < 0 ? NULL : m->strs + off + ENTRY_HDR;
	size_t olen = old ? strlen(old) : 0;
	if (olen + ilen + 1 > META_STR_MAX * 4)
		return;
	char joined[META_STR_MAX * 8 + 2];
	size_t j = 0;
	if (old) {
		memcpy(joined, old, olen);
		j = olen;
		joined[j++] = META_LIST_SEP;
		drop(m, off);
	}
	memcpy(joined + j, item, ilen);
	j += ilen;
	joined[j] = '\0';
	append(m, k, KIND_STR, joined, j + 1);
}

void meta_add_once(struct flow_meta *m, enum meta_key k, const char *name)
{
	size_t n = strlen(name);
	const char *list = meta_str(m, k);
	for (const char *p = list; p;) {
		const char *sep = strchr(p, META_LIST_SEP);
		size_t len = sep ? (size_t)(sep - p) : strlen(p);
		if (len == n && memcmp(p, name, n) == 0)
			return;
		p = sep ? sep + 1 : NULL;
	}
	meta_add_item(m, k, (const uint8_t *)name, n);
}

void meta_set_num(struct flow_meta *m, enum meta_key k, uint64_t v)
{
	uint32_t narrow = (uint32_t)v;
	const void *data = &v;
	size_t n = sizeof v;
	if (narrow == v)
		data = &narrow, n = sizeof narrow;
	long off = find(m, k, KIND_NUM);
	if (off >= 0 && entry_len(m->strs + off) == ENTRY_HDR + n) {
		memcpy(m->strs + off + ENTRY_HDR, data, n);
		return;
	}
	if (off >= 0)
		drop(m, off);
	append(m, k, KIND_NUM, data, n);
}

bool meta_num(const struct flow_meta *m, enum meta_key k, uint64_t *v)
{
	long off = find(m, k, KIND_NUM);
	if (off < 0 || !v)
		return off >= 0;
	const char *data = m->strs + off + ENTRY_HDR;
	if (entry_len(m->strs + off) == ENTRY_HDR + sizeof(uint32_t)) {
		uint32_t narrow;
		memcpy(&narrow, data, sizeof narrow);
		*v = narrow;
	} else {
		memcpy(v, data, sizeof *v);
	}
	return true;
}

static const char *const app_names[APP_COUNT] = {
	[APP_HTTP] = "HTTP", [APP_TLS] = "TLS", [APP_DNS] = "DNS", [APP_MDNS] = "mDNS",
	[APP_LLMNR] = "LLMNR", [APP_SSH] = "SSH", [APP_QUIC] = "QUIC", [APP_GQUIC] = "QUIC",
	[APP_NTP] = "NTP", [APP_SSDP] = "SSDP", [APP_SNMP] = "SNMP", [APP_STUN] = "STUN",
	[APP_TURN] = "TURN", [APP_DHCP] = "DHCP", [APP_DHCPV6] = "DHCPv6", [APP_NBNS] = "NBNS",
	[APP_MQTT] = "MQTT", [APP_BITTORRENT] = "BitTorrent",
	[APP_SMTP] = "SMTP", [APP_IMAP] = "IMAP", [APP_POP3] = "POP3", [APP_PGSQL] = "PostgreSQL",
	[APP_XMPP] = "XMPP", [APP_LDAP] = "LDAP", [APP_HTTP2] = "HTTP2",
	[APP_DOH] = "DoH", [APP_FTP] = "FTP", [APP_FTP_DATA] = "FTP-DATA",
	[APP_WIREGUARD] = "WireGuard", [APP_OPENVPN] = "OpenVPN",
};

/* RFC 7858 and RFC 9250: DNS over TLS and over QUIC, port 853, ALPN "dot"
 * and "doq" (the hello parser sets dns_alpn). */
enum { DNS_OVER_TLS_PORT = 853 };

const char *meta_app_name(const struct flow_meta *m, uint16_t server_port)
{
	bool dns = server_port == DNS_OVER_TLS_PORT || m->dns_alpn;
	if (m->app == APP_TLS) {
		const char *alpn = meta_str(m, META_ALPN);
		if (dns)
			return "DoT";
		if (server_port == 443 || server_port == 8443 ||
		    (alpn && (strstr(alpn, "http") || strncmp(alpn, "h2", 2) == 0)))
			return "HTTPS";
	}
	if (m->app == APP_QUIC && dns)
		return "DoQ";
	return m->app < APP_COUNT ? app_names[m->app] : NULL;
}

static const char *const state_names[APP_STATE_COUNT] = {
	[APP_STATE_DNS_QUERY] = "DNS_QUERY",
	[APP_STATE_DNS_RESPONSE] = "DNS_RESPONSE",
	[APP_STATE_QUIC_INITIAL] = "QUIC_INITIAL",
	[APP_STATE_QUIC_HANDSHAKE] = "QUIC_HANDSHAKE",
	[APP_STATE_QUIC_CONNECTED] = "QUIC_CONNECTED",
	[APP_STATE_QUIC_DRAINING] = "QUIC_DRAINING",
	[APP_STATE_QUIC_CLOSED] = "QUIC_CLOSED",
	[APP_STATE_SSH_BANNER] = "BANNER",
	[APP_STATE_SSH_KEYEXCHANGE] = "KEYEXCHANGE",
	[APP_STATE_SSH_AUTHENTICATION] = "AUTHENTICATION",
	[APP_STATE_SSH_ESTABLISHED] = "ESTABLISHED",
};

const char *meta_app_state_name(enum app_state s)
{
	return (unsigned)s < APP_STATE_COUNT ? state_names[s] : NULL;
}

const char *meta_tls_version_name(uint16_t v)
{
	switch (v) {
	case 0x0300: return "SSL3.0";
	case 0x0301: return "TLS1.0";
	case 0x0302: return "TLS1.1";
	case 0x0303: return "TLS1.2";
	case 0x0304: return "TLS1.3";
	default: return NULL;
	}
}

static const struct { uint16_t v; const char *name; } qtypes[] = {
	{1, "A"}, {2, "NS"}, {5, "CNAME"}, {6, "SOA"}, {12, "PTR"}, {13, "HINFO"},
	{15, "MX"}, {16, "TXT"}, {17, "RP"}, {18, "AFSDB"}, {24, "SIG"}, {25, "KEY"},
	{28, "AAAA"}, {29, "LOC"}, {33, "SRV"}, {35, "NAPTR"}, {36, "KX"}, {37, "CERT"},
	{39, "DNAME"}, {41, "OPT"}, {42, "APL"}, {43, "DS"}, {44, "SSHFP"}, {45, "IPSECKEY"},
	{46, "RRSIG"}, {47, "NSEC"}, {48, "DNSKEY"}, {49, "DHCID"}, {50, "NSEC3"},
	{51, "NSEC3PARAM"}, {52, "TLSA"}, {53, "SMIMEA"}, {55, "HIP"}, {59, "CDS"},
	{60, "CDNSKEY"}, {61, "OPENPGPKEY"}, {62, "CSYNC"}, {63, "ZONEMD"}, {64, "SVCB"},
	{65, "HTTPS"}, {99, "SPF"}, {108, "EUI48"}, {109, "EUI64"}, {249, "TKEY"},
	{250, "TSIG"}, {251, "IXFR"}, {252, "AXFR"}, {253, "MAILB"}, {254, "MAILA"},
	{255, "ANY"}, {256, "URI"}, {257, "CAA"}, {32768, "TA"}, {32769, "DLV"},
};

const char *meta_dns_qtype_name(uint16_t t, char *buf, size_t cap)
{
	for (size_t i = 0; i < ARRAY_LEN(qtypes); i++)
		if (qtypes[i].v == t)
			return qtypes[i].name;
	snprintf(buf, cap, "TYPE%u", t);
	return buf;
}
