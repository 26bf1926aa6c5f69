/* tls_hello.h - TLS ClientHello and ServerHello parsing (RFC 8446 4.1.2-3), shared by
 * the TLS-over-TCP dissector and the QUIC Initial decoder (RFC 9001 4.1).
 */
#ifndef WT_DISSECT_TLS_HELLO_H
#define WT_DISSECT_TLS_HELLO_H

#include <stddef.h>
#include <stdint.h>

#include "dissect/meta.h"

struct tls_hello_info {
	const uint8_t *quic_tp;    /* quic_transport_parameters body, or NULL */
	size_t quic_tp_len;
	uint16_t legacy_version;   /* ClientHello.legacy_version */
	uint16_t highest_offered;  /* supported_versions max (GREASE skipped), else legacy */
};

/* Parse one TLS handshake message (1-byte type, 24-bit length, body)
 * holding a ClientHello. Stores SNI (META_SNI), each ALPN protocol
 * (meta_add_item META_ALPN, in order; skipped when ALPN is already set so a
 * repeated hello does not duplicate it), and the highest offered version
 * into meta->tls_version only if meta->tls_version is 0. `info` (may be
 * NULL) receives a pointer into `msg` to the quic_transport_parameters
 * extension body (type 0x0039, or 0xffa5 for QUIC drafts) when present.
 * Nothing is stored unless the whole message parses.
 * Returns 1 parsed, 0 need more bytes (message incomplete), -1 not a
 * ClientHello or malformed. */
int tls_client_hello_parse(const uint8_t *msg, size_t len, struct flow_meta *meta,
			   struct tls_hello_info *info);

/* A ClientHello that the stream ended inside (the reassembly bound fell
 * within it, e.g. a 64 KiB server name): the extensions before the cut
 * are walked, and a server name is stored as far as it goes, marked
 * META_TRUNCATED when cut. Nothing else is stored. Returns 1 when msg is
 * such a hello (cut), -1 otherwise. */
int tls_client_hello_cut(const uint8_t *msg, size_t len, struct flow_meta *meta);

/* Parse one handshake message holding a ServerHello (RFC 8446 4.1.3):
 * the negotiated version (supported_versions extension, else
 * legacy_version) overrides meta->tls_version; the cipher suite goes to
 * meta->tls_cipher and its name to META_TLS_CIPHER. A HelloRetryRequest
 * counts as a ServerHello. Returns 1 parsed, 0 need more bytes, -1 not a
 * ServerHello or malformed. */
int tls_server_hello_parse(const uint8_t *msg, size_t len, struct flow_meta *meta);

/* IANA name of a cipher suite, or NULL when not in the table. */
const char *tls_cipher_name(uint16_t suite);

/* True for the reserved GREASE values 0x?a?a (RFC 8701). */
static inline int tls_is_grease(uint16_t v)
{
	return (v & 0x0f0f) == 0x0a0a && (v >> 8) == (v & 0xff);
}

/* Rank used to compare offered versions: TLS 1.3 drafts (0x7fNN) and the
 * experimental 0xfbNN family count as TLS 1.3; unknown values rank 0. */
uint16_t tls_version_normalize(uint16_t v);

#endif
