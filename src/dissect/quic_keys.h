/* quic_keys.h - QUIC versions and Initial packet protection (RFC 9001 §5,
 * RFC 9369 §3.3, drafts 22-34, mvfst, Google QUIC Q050/T050/T051).
 *
 * The only OpenSSL user in the project sits behind this header: Initial
 * keys derived from the client's Destination Connection ID, header
 * protection with AES-128-ECB, payload protection with AES-128-GCM. All
 * functions are reentrant and callable from any thread: the one shared
 * thing, the OpenSSL algorithms, is fetched on first use and read-only
 * after that; contexts are per call.
 */
#ifndef WT_DISSECT_QUIC_KEYS_H
#define WT_DISSECT_QUIC_KEYS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define QUIC_CID_MAX 20 /* RFC 9000 §17.2: v1 connection IDs are at most 20 bytes */
#define QUIC_TAG_LEN 16 /* AEAD_AES_128_GCM authentication tag */

/* How the packets of a version are laid out. */
enum quic_wire {
	QUIC_WIRE_IETF = 1, /* RFC 9000 long/short headers: v1, drafts, mvfst, Q050, T05x */
	QUIC_WIRE_V2,       /* RFC 9000 layout with the RFC 9369 §3.2 long packet types */
	QUIC_WIRE_GQUIC_LH, /* Google Q044-Q049: invariant long header, unprotected payload */
	QUIC_WIRE_GQUIC_PH, /* Google Q043 and older: public header, unprotected payload */
};

/* Initial packet protection scheme of a version. */
enum quic_salt {
	QUIC_SALT_NONE = 0, /* Initials are not protected (or not known) */
	QUIC_SALT_D22,
	QUIC_SALT_D23,
	QUIC_SALT_D29,
	QUIC_SALT_V1,
	QUIC_SALT_V2,
	QUIC_SALT_Q050,
	QUIC_SALT_T050,
	QUIC_SALT_T051,
	QUIC_SALT_COUNT,
};

struct quic_version {
	uint8_t wire;  /* enum quic_wire */
	uint8_t salt;  /* enum quic_salt */
	uint8_t draft; /* IETF draft the wire follows; 0 = RFC 9000 or not IETF */
	bool gquic;    /* a Google QUIC version (shown as GQUIC) */
};

/* Facts about a version, or false for versions this project does not know
 * (version 0, version negotiation, is not a version: callers test it). */
bool quic_version_lookup(uint32_t version, struct quic_version *out);

/* Keys protecting one direction of Initial packets. */
struct quic_keys {
	uint8_t key[16];
	uint8_t iv[12];
	uint8_t hp[16];
};

/* client_initial_secret / server_initial_secret for `dcid` (the client's
 * first Destination Connection ID). False for QUIC_SALT_NONE. */
bool quic_keys_initial_secret(enum quic_salt salt, const uint8_t *dcid, size_t dcid_len,
			      bool server, uint8_t secret[32]);
/* key/iv/hp from a traffic secret ("quic ..." labels, "quicv2 ..." for v2). */
bool quic_keys_from_secret(enum quic_salt salt, const uint8_t secret[32], struct quic_keys *out);
/* Both steps at once. */
bool quic_keys_initial(enum quic_salt salt, const uint8_t *dcid, size_t dcid_len, bool server,
		       struct quic_keys *out);
/* Client ([0]) and server ([1]) keys together, sharing the extraction. */
bool quic_keys_initial_pair(enum quic_salt salt, const uint8_t *dcid, size_t dcid_len,
			    struct quic_keys out[2]);

/* One opened packet: where its plaintext lies inside the caller's buffer. */
struct quic_opened {
	uint64_t pn;        /* full packet number */
	size_t header_len;  /* bytes of (unprotected) header incl. packet number */
	size_t payload_len; /* plaintext bytes at buf + header_len */
};

/* Remove header protection from and decrypt, in place, the packet in
 * buf[0..end): its header ends with a packet number at pn_off, and it is
 * a long header packet when buf[0] has its high bit set. `largest_pn` is
 * the largest packet number already seen in this number space, or -1.
 * Returns false when the packet is too short or fails authentication; buf
 * is then unusable. */
bool quic_packet_open(const struct quic_keys *k, uint8_t *buf, size_t pn_off, size_t end,
		      int64_t largest_pn, struct quic_opened *out);

/* The inverse, for building test traffic: buf[0..pn_off) is the header
 * with its unprotected first byte, whose low two bits give the packet
 * number length L; the low L bytes of `pn` are written at pn_off, the
 * plaintext lies at buf[pn_off + L .. end - QUIC_TAG_LEN) and the tag is
 * written at end - QUIC_TAG_LEN. Needs at least 4 bytes between the
 * packet number field and the end of the payload for the sample. */
bool quic_packet_seal(const struct quic_keys *k, uint8_t *buf, size_t pn_off, size_t end,
		      uint64_t pn);

/* Fetch the algorithms now (OpenSSL reads its configuration and loads
 * providers on first use): call before file access is confined. False
 * when this OpenSSL lacks one; QUIC decryption then stays off. */
bool quic_keys_prepare(void);

#endif
