/* tls_hello.c - TLS ClientHello and ServerHello parsing (RFC 8446 4.1.2; extensions:
 * server_name RFC 6066 3, ALPN RFC 7301 3.1, supported_versions RFC 8446
 * 4.2.1, quic_transport_parameters RFC 9001 8.2) and ServerHello (RFC 8446
 * 4.1.3).
 *
 * The message is parsed completely into borrowed pointers first and only
 * then stored, so a malformed hello leaves the flow's metadata untouched.
 */
#include "dissect/tls_hello.h"

#include <stdbool.h>
#include <string.h>

#include "base/macros.h"
#include "base/rd.h"

enum {
	TLS_HS_CLIENT_HELLO = 1,
	TLS_HS_SERVER_HELLO = 2,
	TLS_EXT_SERVER_NAME = 0x0000,
	TLS_EXT_ALPN = 0x0010,
	TLS_EXT_SUPPORTED_VERSIONS = 0x002b,
	TLS_EXT_QUIC_TP = 0x0039,
	TLS_EXT_QUIC_TP_DRAFT = 0xffa5,
	TLS_SNI_HOST_NAME = 0,
};

struct hello {
	struct rd sni;           /* host name bytes; len 0 when absent */
	struct rd alpn;          /* protocol_name_list body */
	bool has_sni, has_alpn;
	uint16_t legacy, highest;
	const uint8_t *quic_tp;
	size_t quic_tp_len;
};

uint16_t tls_version_normalize(uint16_t v)
{
	if (v >= 0x0300 && v <= 0x0304)
		return v;
	if ((v >> 8) == 0x7f || (v >> 8) == 0xfb)
		return 0x0304;
	return 0;
}

/* server_name: list of (type, name); the first host_name wins. */
static bool ext_sni(struct rd *e, struct hello *h)
{
	struct rd list = rd_sub16(e);
	while (rd_ok(&list) && rd_left(&list) > 0) {
		uint8_t type = rd_u8(&list);
		struct rd name = rd_sub16(&list);
		if (!rd_ok(&list))
			return false;
		if (type == TLS_SNI_HOST_NAME && !h->has_sni && rd_left(&name) > 0) {
			h->sni = name;
			h->has_sni = true;
		}
	}
	return rd_ok(&list);
}

/* ALPN: validate the list now, store it later. */
static bool ext_alpn(struct rd *e, struct hello *h)
{
	struct rd list = rd_sub16(e);
	struct rd walk = list;
	while (rd_ok(&walk) && rd_left(&walk) > 0)
		rd_sub8(&walk);
	if (!rd_ok(&walk))
		return false;
	h->alpn = list;
	h->has_alpn = true;
	return true;
}

static bool ext_versions(struct rd *e, struct hello *h)
{
	struct rd list = rd_sub8(e);
	uint16_t best = 0;
	while (rd_ok(&list) && rd_left(&list) >= 2) {
		uint16_t v = rd_be16(&list);
		if (!tls_is_grease(v) && tls_version_normalize(v) > best)
			best = tls_version_normalize(v);
	}
	if (!rd_ok(&list) || rd_left(&list) != 0)
		return false;
	if (best)
		h->highest = best;
	return true;
}

static bool parse_extensions(struct rd *r, struct hello *h)
{
	if (rd_left(r) == 0) /* extensions are optional before TLS 1.2 */
		return true;
	struct rd exts = rd_sub16(r);
	while (rd_ok(&exts) && rd_left(&exts) > 0) {
		uint16_t type = rd_be16(&exts);
		struct rd e = rd_sub16(&exts);
		if (!rd_ok(&exts))
			return false;
		bool ok = true;
		switch (type) {
		case TLS_EXT_SERVER_NAME:
			ok = rd_left(&e) == 0 || ext_sni(&e, h);
			break;
		case TLS_EXT_ALPN:
			ok = ext_alpn(&e, h);
			break;
		case TLS_EXT_SUPPORTED_VERSIONS:
			ok = ext_versions(&e, h);
			break;
		case TLS_EXT_QUIC_TP:
		case TLS_EXT_QUIC_TP_DRAFT:
			if (!h->quic_tp) {
				h->quic_tp_len = rd_left(&e);
				h->quic_tp = rd_ptr(&e);
			}
			break;
		default:
			break;
		}
		if (!ok)
			return false;
	}
	return rd_ok(&exts);
}

static bool parse_body(struct rd *b, struct hello *h)
{
	h->legacy = rd_be16(b);
	rd_skip(b, 32);                 /* random */
	struct rd sid = rd_sub8(b);
	struct rd suites = rd_sub16(b);
	struct rd comp = rd_sub8(b);
	if (!rd_ok(b) || rd_left(&sid) > 32 || rd_left(&suites) < 2 ||
	    (rd_left(&suites) & 1) || rd_left(&comp) < 1)
		return false;
	h->highest = tls_version_normalize(h->legacy) ? h->legacy : 0;
	return parse_extensions(b, h);
}

static void store(const struct hello *h, struct flow_meta *meta)
{
	if (h->has_sni)
		meta_set_str(meta, META_SNI, rd_ptr(&h->sni), rd_left(&h->sni));
	if (h->has_alpn && !meta_str(meta, META_ALPN)) {
		struct rd list = h->alpn;
		while (rd_left(&list) > 0) {
			struct rd p = rd_sub8(&list);
			if (!rd_ok(&list))
				break;
			if (rd_left(&p) > 0)
				meta_add_item(meta, META_ALPN, rd_ptr(&p), rd_left(&p));
			/* DNS over TLS and over QUIC (RFC 7858, RFC 9250; IANA ALPN ids) */
			if (rd_equals(&p, "dot", 3) || rd_equals(&p, "doq", 3))
				meta->dns_alpn = true;
		}
	}
	if (meta->tls_version == 0 && h->highest)
		meta->tls_version = h->highest;
}

int tls_client_hello_parse(const uint8_t *msg, size_t len, struct flow_meta *meta,
			   struct tls_hello_info *info)
{
	struct rd r = rd_make(msg, len);
	if (len >= 1 && msg[0] != TLS_HS_CLIENT_HELLO)
		return -1;
	if (len < 4)
		return 0;
	rd_u8(&r);
	uint32_t body_len = rd_be24(&r);
	if (rd_left(&r) < body_len)
		return 0;
	struct rd body = rd_sub(&r, body_len);
	struct hello h = {0};
	if (!parse_body(&body, &h))
		return -1;
	store(&h, meta);
	if (info) {
		info->quic_tp = h.quic_tp;
		info->quic_tp_len = h.quic_tp_len;
		info->legacy_version = h.legacy;
		info->highest_offered = h.highest ? h.highest : h.legacy;
	}
	return 1;
}

/* The extensions of a hello that ends early: walked while whole, until
 * server_name; its host name is stored as far as it goes. */
static void sni_before_cut(struct rd *exts, struct flow_meta *meta)
{
	while (rd_ok(exts) && rd_left(exts) >= 4) {
		uint16_t type = rd_be16(exts), elen = rd_be16(exts);
		if (type != TLS_EXT_SERVER_NAME) {
			rd_skip(exts, elen);
			continue;
		}
		rd_skip(exts, 2); /* server_name_list length */
		uint8_t name_type = rd_u8(exts);
		uint16_t n = rd_be16(exts);
		if (!rd_ok(exts) || name_type != TLS_SNI_HOST_NAME || !rd_left(exts))
			return;
		if (n <= rd_left(exts))
			meta_set_str(meta, META_SNI, rd_ptr(exts), n);
		else
			meta_set_str_cut(meta, META_SNI, rd_ptr(exts), rd_left(exts));
		return;
	}
}

int tls_client_hello_cut(const uint8_t *msg, size_t len, struct flow_meta *meta)
{
	struct rd r = rd_make(msg, len);
	if (rd_u8(&r) != TLS_HS_CLIENT_HELLO || (size_t)rd_be24(&r) <= rd_left(&r))
		return -1;
	rd_skip(&r, 2 + 32);           /* legacy_version, random */
	struct rd sid = rd_sub8(&r);
	rd_sub16(&r);                  /* cipher suites */
	rd_sub8(&r);                   /* compression methods */
	rd_skip(&r, 2);                /* extensions length: past the cut */
	if (!rd_ok(&r) || rd_left(&sid) > 32)
		return -1;
	sni_before_cut(&r, meta);
	return 1;
}

static const struct {
	uint16_t id;
	const char *name;
} tls_ciphers[] = {
	{0x0004, "TLS_RSA_WITH_RC4_128_MD5"},
	{0x0005, "TLS_RSA_WITH_RC4_128_SHA"},
	{0x000a, "TLS_RSA_WITH_3DES_EDE_CBC_SHA"},
	{0x002f, "TLS_RSA_WITH_AES_128_CBC_SHA"},
	{0x0035, "TLS_RSA_WITH_AES_256_CBC_SHA"},
	{0x003c, "TLS_RSA_WITH_AES_128_CBC_SHA256"},
	{0x009c, "TLS_RSA_WITH_AES_128_GCM_SHA256"},
	{0x009d, "TLS_RSA_WITH_AES_256_GCM_SHA384"},
	{0x009e, "TLS_DHE_RSA_WITH_AES_128_GCM_SHA256"},
	{0x009f, "TLS_DHE_RSA_WITH_AES_256_GCM_SHA384"},
	{0x1301, "TLS_AES_128_GCM_SHA256"},
	{0x1302, "TLS_AES_256_GCM_SHA384"},
	{0x1303, "TLS_CHACHA20_POLY1305_SHA256"},
	{0xc009, "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA"},
	{0xc00a, "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA"},
	{0xc013, "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA"},
	{0xc014, "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA"},
	{0xc023, "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256"},
	{0xc027, "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256"},
	{0xc028, "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384"},
	{0xc02b, "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256"},
	{0xc02c, "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384"},
	{0xc02f, "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256"},
	{0xc030, "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384"},
	{0xcca8, "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256"},
	{0xcca9, "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256"},
	{0xccaa, "TLS_DHE_RSA_WITH_CHACHA20_POLY1305_SHA256"},
};

const char *tls_cipher_name(uint16_t suite)
{
	for (size_t i = 0; i < ARRAY_LEN(tls_ciphers); i++)
		if (tls_ciphers[i].id == suite)
			return tls_ciphers[i].name;
	return NULL;
}

/* ServerHello extensions: only supported_versions (one selected value). */
static bool server_version(struct rd *b, uint16_t *version)
{
	if (rd_left(b) == 0)
		return true;
	struct rd exts = rd_sub16(b);
	while (rd_ok(&exts) && rd_left(&exts) > 0) {
		uint16_t type = rd_be16(&exts);
		struct rd e = rd_sub16(&exts);
		if (type == TLS_EXT_SUPPORTED_VERSIONS && rd_left(&e) == 2)
			*version = rd_be16(&e);
	}
	return rd_ok(&exts);
}

int tls_server_hello_parse(const uint8_t *msg, size_t len, struct flow_meta *meta)
{
	if (len >= 1 && msg[0] != TLS_HS_SERVER_HELLO)
		return -1;
	if (len < 4)
		return 0;
	struct rd r = rd_make(msg, len);
	rd_u8(&r);
	uint32_t body_len = rd_be24(&r);
	if (rd_left(&r) < body_len)
		return 0;
	struct rd b = rd_sub(&r, body_len);
	uint16_t version = rd_be16(&b);
	rd_skip(&b, 32); /* random */
	/* TLS 1.3 drafts before 22 had neither session id nor compression */
	bool draft = (version >> 8) == 0x7f;
	struct rd sid = draft ? rd_make(NULL, 0) : rd_sub8(&b);
	uint16_t suite = rd_be16(&b);
	if (!draft)
		rd_u8(&b); /* compression */
	if (!rd_ok(&b) || rd_left(&sid) > 32 || !server_version(&b, &version))
		return -1;
	if (tls_version_normalize(version))
		meta->tls_version = tls_version_normalize(version);
	meta->tls_cipher = suite;
	const char *name = tls_cipher_name(suite);
	char hex[8];
	if (!name) {
		static const char digits[] = "0123456789abcdef";
		hex[0] = '0';
		hex[1] = 'x';
		for (int i = 0; i < 4; i++)
			hex[2 + i] = digits[(suite >> (12 - 4 * i)) & 0xf];
		hex[6] = '\0';
		name = hex;
	}
	meta_set_str(meta, META_TLS_CIPHER, (const uint8_t *)name, strlen(name));
	return 1;
}
