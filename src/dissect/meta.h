/* meta.h - what deep packet inspection learned about one connection.
 *
 * Owned by the flow; written only by dissectors on the flow's worker
 * thread. The fixed part is small and lives inline in the flow; keyed
 * strings and numbers live in one growable block (see struct flow_meta).
 * Strings are sanitized on the way in (base/sanitize.h); the first value
 * stored for a string wins.
 */
#ifndef WT_DISSECT_META_H
#define WT_DISSECT_META_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum app_proto {
	APP_NONE = 0,
	APP_HTTP,
	APP_TLS,     /* shown as HTTPS on 443/8443 or with an HTTP ALPN, else TLS */
	APP_DNS,
	APP_MDNS,
	APP_LLMNR,
	APP_SSH,
	APP_QUIC,
	APP_GQUIC,   /* Google QUIC (Q0xx) */
	APP_NTP,
	APP_SSDP,
	APP_SNMP,
	APP_STUN,
	APP_TURN,    /* STUN with a TURN method (RFC 8656) */
	APP_DHCP,
	APP_DHCPV6,
	APP_NBNS,    /* NetBIOS Name Service */
	APP_MQTT,
	APP_BITTORRENT,
	APP_SMTP,
	APP_IMAP,
	APP_POP3,
	APP_PGSQL,   /* PostgreSQL */
	APP_XMPP,
	APP_LDAP,
	APP_HTTP2,   /* HTTP/2 in the clear (prior knowledge or h2c) */
	APP_DOH,     /* DNS over HTTP in the clear (application/dns-message) */
	APP_FTP,     /* FTP control connection */
	APP_FTP_DATA, /* a data connection an FTP control connection announced */
	APP_WIREGUARD,
	APP_OPENVPN,
	APP_COUNT,
};
_Static_assert(APP_COUNT <= 32, "a field names its applications in a 32-bit mask");

/* Application-level states; APP_STATE_NONE means "use the transport state". */
enum app_state {
	APP_STATE_NONE = 0,
	APP_STATE_DNS_QUERY,
	APP_STATE_DNS_RESPONSE,
	APP_STATE_QUIC_INITIAL,
	APP_STATE_QUIC_HANDSHAKE,
	APP_STATE_QUIC_CONNECTED,
	APP_STATE_QUIC_DRAINING,
	APP_STATE_QUIC_CLOSED,
	APP_STATE_SSH_BANNER,
	APP_STATE_SSH_KEYEXCHANGE,
	APP_STATE_SSH_AUTHENTICATION,
	APP_STATE_SSH_ESTABLISHED,
	APP_STATE_COUNT,
};

/* What a dissector stores beyond the fixed part below: strings (text as
 * the wire had it, sanitized; a list is items joined by META_LIST_SEP) and
 * numbers. Adding one is a key here, the dissector's meta_set_* call, and
 * one entry in the fields table (field/fields.c) that shows and writes it. */
enum meta_key {
	META_HTTP_HOST,
	META_HTTP_METHOD,
	META_HTTP_PATH,
	META_HTTP_UA,
	META_HTTP_STATUS, /* number: first response's status code */
	META_SNI,
	META_ALPN,        /* list */
	META_TLS_CIPHER,  /* negotiated cipher suite name or 0xNNNN */
	META_DNS_QUERY,   /* without trailing dot */
	META_DNS_RCODE,   /* number: first response's code (RFC 6895) */
	META_DNS_RESPONSE_US, /* number: the first query to its response, capture time */
	META_DNS_ANSWERS, /* list of addresses / names */
	META_SSH_CLIENT,
	META_SSH_SERVER,
	META_NTP_VERSION,     /* number */
	META_NTP_MODE,        /* list: modes seen, each once */
	META_NTP_STRATUM,     /* number: of the first packet not from a client */
	META_NTP_RESPONSE_US, /* number: a request to its response, capture time */
	META_SSDP_METHOD,
	META_SSDP_TYPE,       /* ST or NT header */
	META_SNMP_VERSION,
	META_SNMP_COMMUNITY,
	META_SNMP_PDU,        /* list: PDU types seen, each once */
	META_STUN_METHOD,
	META_STUN_CLASS,      /* list: classes seen, each once */
	META_STUN_SOFTWARE,
	META_DHCP_TYPE,       /* list: message types seen, each once (DHCP and DHCPv6) */
	META_DHCP_HOSTNAME,
	META_DHCP_CLIENT_MAC,
	META_NETBIOS_NAME,
	META_MQTT_VERSION,
	META_MQTT_CLIENT_ID,
	META_MQTT_TOPIC,
	META_BT_INFO_HASH,
	META_BT_CLIENT,       /* list: each side's client, in handshake order */
	META_BT_DHT_QUERY,    /* list: DHT methods queried, each once */
	META_FTP_SERVER,      /* the 220 greeting's text: server software */
	META_FTP_USER,        /* USER's argument (never PASS's) */
	META_FTP_COMMANDS,    /* list: commands sent, each once */
	META_FTP_REPLIES,     /* list: reply codes received, each once */
	META_FTP_CONTROL,     /* FTP-DATA: its control connection, "a:port -> b:port" */
	META_FTP_DATA_SETUP,  /* FTP-DATA: the command that set it up (PASV, EPSV, PORT, EPRT) */
	META_UPGRADE,     /* what the connection switched to: TLS, websocket, h2c, ... */
	META_ARP_SRC_MAC,     /* ARP: the initiator's hardware address, as text */
	META_ARP_DST_MAC,     /* ARP: the responder's */
	META_ARP_SRC_VENDOR,  /* their vendors, from the OUI registry */
	META_ARP_DST_VENDOR,
	META_XMPP_TO,         /* the domain the client's XMPP stream is addressed to */
	META_QUIC_VERSION,    /* number: the version on the wire, the client's latest */
	META_QUIC_IDLE_MS,    /* number: max_idle_timeout from the transport parameters */
	META_WG_TYPE,         /* list: WireGuard message types seen, each once */
	META_WG_SENDER,       /* the first handshake initiation's sender index, 0xNNNNNNNN */
	META_WG_RECEIVER,     /* the first handshake response's sender index */
	META_WG_HANDSHAKES,   /* number: handshake initiations seen */
	META_OVPN_OPCODE,     /* list: OpenVPN opcodes seen, each once */
	META_OVPN_SRC_SESSION, /* the initiator's OpenVPN session id, 16 hex digits */
	META_OVPN_DST_SESSION, /* the responder's */
	/* TCP analysis (flow/tcp_health.c), numbers; each count twice: the
	 * initiator's segments, then (key + 1) the responder's */
	META_TCP_RETRANSMITS,
	META_TCP_RETRANSMITS_RESP,
	META_TCP_OUT_OF_ORDER,
	META_TCP_OUT_OF_ORDER_RESP,
	META_TCP_DUP_ACKS,
	META_TCP_DUP_ACKS_RESP,
	META_TCP_ZERO_WINDOWS,
	META_TCP_ZERO_WINDOWS_RESP,
	META_TCP_HANDSHAKE_RTT_US, /* SYN to the ACK of the SYN+ACK */
	META_TCP_SRTT_US,          /* smoothed RTT, data to its ACK */
	META_TCP_RTT_SPIKES,       /* round-trip samples far over SRTT (flow/tcp_health.h) */
	META_TCP_RTT_SPIKE_MAX_US, /* the largest of them ... */
	META_TCP_RTT_SPIKE_AT_US,  /* ... and the time of the ACK that ended it */
	META_ICMP_RESPONSE_US,     /* ICMP echo: the latest answered request to its reply */
	META_QUIC_HANDSHAKE_RTT_US, /* QUIC: client's first datagram to its first after the server's */
	/* ICMP errors that quoted a datagram of the connection (flow/tracker.c) */
	META_ICMP_ERROR,           /* number: the first's kind (meta_icmp_error_pack) */
	META_ICMP_ERROR_FROM,      /* the first's sender, address text */
	META_ICMP_ERRORS,          /* number: how many */
	/* GeoIP (geo/geo.h), noted by the tracker when the connection is
	 * made: each the initiator's, then the responder's (key + 1) */
	META_GEO_COUNTRY,          /* ISO code */
	META_GEO_COUNTRY_RESP,
	META_GEO_CITY,
	META_GEO_CITY_RESP,
	META_GEO_ASN,              /* number */
	META_GEO_ASN_RESP,
	META_GEO_AS_ORG,
	META_GEO_AS_ORG_RESP,
	META_GEO_ASKED,            /* number: 1, the databases were asked */
	META_KEY_COUNT,
};
_Static_assert(META_KEY_COUNT <= 256, "meta keys are stored in one byte");

#define META_LIST_SEP '\x1f' /* never appears in a sanitized string */
#define META_STR_MAX 1024    /* longest single string kept ... */
#define META_PATH_MAX 8192   /* ... but an HTTP request target, as servers accept */
/* Ends a value that was longer than what is kept: longer than
 * META_STR_MAX, or cut by the reassembly bound (tshark marks such labels
 * with the same word). */
#define META_TRUNCATED "[truncated]"

/* TLS versions as on the wire (0x0300 SSL3.0 .. 0x0304 TLS1.3); 0 unknown.
 * The fixed part holds what the dissectors and the lifecycle read back;
 * everything else lives in `strs`, one entry per stored key, allocated
 * when the first one is stored: a flow that carries nothing recognisable
 * pays for no key it does not have. */
struct flow_meta {
	uint8_t app;            /* enum app_proto */
	uint8_t app_state;      /* enum app_state */
	uint16_t dns_qtype;     /* 0 unknown */
	uint16_t tls_version;   /* negotiated, else highest offered */
	uint16_t tls_cipher;    /* negotiated cipher suite id, 0 unknown */
	uint16_t strs_len, strs_cap;
	bool dns_alpn;          /* the ClientHello offered ALPN "dot" or "doq" */
	char *strs;             /* entries, owned (a row filled with borrow_meta only borrows them) */
};

void meta_init(struct flow_meta *m);
void meta_fini(struct flow_meta *m);
/* Deep copy (dst must be uninitialised or finalised). */
void meta_copy(struct flow_meta *dst, const struct flow_meta *src);

/* Store a string from the wire (sanitized; beyond META_STR_MAX bytes,
 * META_PATH_MAX for META_HTTP_PATH, cut and marked META_TRUNCATED) if the
 * key is still unset. Returns true when stored. */
bool meta_set_str(struct flow_meta *m, enum meta_key k, const uint8_t *s, size_t n);
/* The same for a value the input itself cut short (the stream ended
 * inside it): always marked. */
bool meta_set_str_cut(struct flow_meta *m, enum meta_key k, const uint8_t *s, size_t n);
/* Append an item to a list (ALPN, DNS answers); items are sanitized. */
void meta_add_item(struct flow_meta *m, enum meta_key k, const uint8_t *s, size_t n);
/* The same for a name of our own (a message type): appended only when
 * the list does not hold it yet, so a list says which kinds were seen. */
void meta_add_once(struct flow_meta *m, enum meta_key k, const char *name);
/* The stored string, or NULL when unset. Valid until the next set/add. */
const char *meta_str(const struct flow_meta *m, enum meta_key k);
/* Store a number (replacing an earlier one). */
void meta_set_num(struct flow_meta *m, enum meta_key k, uint64_t v);
/* True when k holds a number; its value goes to *v (v may be NULL). */
bool meta_num(const struct flow_meta *m, enum meta_key k, uint64_t *v);
/* Every string DPI stored in turn (not the GeoIP notes, which have fields
 * of their own): start with *pos = 0; NULL at the end. */
const char *meta_str_next(const struct flow_meta *m, size_t *pos);

/* META_ICMP_ERROR: an ICMP or ICMPv6 error's type and code, the MTU it
 * reported (0: none), and whether the datagram it quoted was the
 * responder's (else the initiator's), packed in one number. */
struct meta_icmp_error {
	uint8_t type, code;
	uint32_t mtu;
	bool by_responder;
};

static inline uint64_t meta_icmp_error_pack(struct meta_icmp_error e)
{
	return (uint64_t)e.by_responder << 48 | (uint64_t)e.mtu << 16 | (uint64_t)e.type << 8 | e.code;
}

static inline struct meta_icmp_error meta_icmp_error_unpack(uint64_t v)
{
	struct meta_icmp_error e = { (uint8_t)(v >> 8), (uint8_t)v, (uint32_t)(v >> 16), (v >> 48) & 1 };
	return e;
}

/* The first protocol recognised on a connection names it: the one that
 * follows an upgrade (TLS after SMTP's STARTTLS, whatever runs inside an
 * HTTP CONNECT tunnel) does not replace it. */
static inline void meta_set_app(struct flow_meta *m, enum app_proto a)
{
	if (m->app == APP_NONE)
		m->app = (uint8_t)a;
}

/* Names for output: "HTTP", "HTTPS", "DNS", ...; NULL for APP_NONE. The
 * server's port and the ALPN offered decide between TLS, HTTPS and DoT
 * (853, "dot") for APP_TLS, and between QUIC and DoQ (853, "doq") for
 * APP_QUIC. */
const char *meta_app_name(const struct flow_meta *m, uint16_t server_port);
/* "DNS_QUERY", "QUIC_CONNECTED", "BANNER", ...; NULL for APP_STATE_NONE. */
const char *meta_app_state_name(enum app_state s);
/* "TLS1.2" and friends; NULL when unknown. */
const char *meta_tls_version_name(uint16_t v);
/* IANA mnemonic, or "TYPE<n>" written into buf. */
const char *meta_dns_qtype_name(uint16_t t, char *buf, size_t cap);

#endif
