/* query.h - the filter language: compile an expression, match rows.
 *
 *   expr   := or
 *   or     := and { ("or" | "||") and }
 *   and    := unary { ["and" | "&&"] unary }        (juxtaposition is "and")
 *   unary  := ("!" | "not") unary | "(" expr ")" | term
 *   term   := WORD                                   any field contains WORD
 *           | KEY ":" VALUE                          KEY contains VALUE (ports, pids
 *                                                    as decimal text; CIDR for addresses)
 *           | KEY OP VALUE                           OP: < <= > >= = == !=
 *
 * Text matches are case-insensitive substrings; "=" on a text field is a
 * case-insensitive exact match. Numbers take k/M/G/T suffixes (x1000, or
 * x1024 with "i": 1Ki) and durations us/ms/s/m/h/d. A field with several
 * values (port = local or remote port) matches when any value does.
 *
 * The one fields table below is read by the parser, the UI's columns and
 * the help screen. Compiled queries are immutable: one query may be matched
 * from several threads at once.
 */
#ifndef WT_QUERY_QUERY_H
#define WT_QUERY_QUERY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "decode/decode.h"
#include "flow/row.h"

#define QUERY_MAX_LEN 1024  /* longest expression accepted */
#define QUERY_MAX_DEPTH 64  /* nesting of parentheses and negations */

struct query;
struct query_error {
	int pos;                /* byte offset into the expression */
	char msg[128];
};

/* NULL on error (err, when given, says where and why); "" matches all. */
struct query *query_compile(const char *expr, struct query_error *err);
/* now_us is the data clock (age, idle); a NULL q matches every row. */
bool query_match(const struct query *q, const struct conn_row *r, uint64_t now_us);
void query_free(struct query *q);
/* True when q matches every row (the empty expression). */
bool query_is_all(const struct query *q);

/* ---- the fields table ---- */

enum query_ftype {
	QUERY_TEXT,  /* ":" substring, "=" exact (case-insensitive) */
	QUERY_ADDR,  /* text, plus CIDR: dst:10.0.0.0/8 */
	QUERY_INT,   /* ":" substring of the decimal text, OP compares */
	QUERY_NUM,   /* ":" and OP compare, with unit suffixes */
};

enum query_unit {
	QUERY_UNIT_NONE,
	QUERY_UNIT_COUNT,   /* 10k */
	QUERY_UNIT_BYTES,   /* 1M, 1Gi */
	QUERY_UNIT_RATE,    /* bytes per second: 100k */
	QUERY_UNIT_SECONDS, /* 10s, 5m, 2h */
};

/* Receives a field's text values one at a time; put returns true to stop.
 * skip tells accessors which kinds of values the receiver cannot use, so
 * they need not be formatted (a hint: sending them anyway is harmless). */
enum {
	QUERY_SKIP_ADDR = 1,    /* addresses: the needle has a character no address has */
	QUERY_SKIP_NUMBER = 2,  /* ports, pids: the needle is not all digits */
	QUERY_SKIP_DPI = 4,     /* DPI strings: a bare word reads them all via "dpi" */
};
struct query_sink {
	bool (*put)(struct query_sink *s, const char *str, size_t n);
	unsigned skip;
};

#define QUERY_MAX_VALUES 4

struct query_field {
	const char *name;       /* the keyword */
	const char *help;       /* one line for the help screen */
	enum query_ftype type;
	enum query_unit unit;
	bool in_any;            /* searched by bare words */
	/* Text values (NULL for QUERY_NUM): addresses, names, decimal ports. */
	void (*text)(const struct conn_row *r, struct query_sink *out);
	/* Numeric values (NULL for text-only fields); returns how many. */
	int (*num)(const struct conn_row *r, uint64_t now_us, double out[QUERY_MAX_VALUES]);
	/* QUERY_ADDR: the address the CIDR form tests. */
	const uint8_t *(*addr)(const struct conn_row *r);
};

size_t query_field_count(void);
const struct query_field *query_field_at(size_t i);
/* Case-insensitive lookup of a keyword of n bytes; NULL when unknown. */
const struct query_field *query_field_find(const char *name, size_t n);

/* ---- helpers shared with the views ---- */

/* "TCP", "UDP", "ICMP", "ICMPv6", "ARP", "OTHER". */
const char *query_proto_name(uint16_t l4);
/* Canonical text of an address (as inet_ntop writes it) into buf; returns length. */
size_t query_addr_text(char *buf, size_t cap, const uint8_t *a, uint8_t family);
/* The row seen from the local side (the initiator when unknown). Inline:
 * filters and sorts call these for every row. */
static inline int query_local_index(const struct conn_row *r)
{
	return r->local_side == 1 ? 1 : 0;
}

static inline const uint8_t *query_local_addr(const struct conn_row *r)
{
	return query_local_index(r) ? r->dst : r->src;
}

static inline const uint8_t *query_remote_addr(const struct conn_row *r)
{
	return query_local_index(r) ? r->src : r->dst;
}

static inline uint16_t query_local_port(const struct conn_row *r)
{
	return query_local_index(r) ? r->dport : r->sport;
}

static inline uint16_t query_remote_port(const struct conn_row *r)
{
	return query_local_index(r) ? r->sport : r->dport;
}

/* Bytes per second and bytes received / sent by the local side. */
static inline double query_rx_rate(const struct conn_row *r)
{
	return query_local_index(r) ? r->src_rate : r->dst_rate;
}

static inline double query_tx_rate(const struct conn_row *r)
{
	return query_local_index(r) ? r->dst_rate : r->src_rate;
}

static inline uint64_t query_rx_bytes(const struct conn_row *r)
{
	return query_local_index(r) ? r->src_bytes : r->dst_bytes;
}

static inline uint64_t query_tx_bytes(const struct conn_row *r)
{
	return query_local_index(r) ? r->dst_bytes : r->src_bytes;
}

/* Do ports mean anything for this protocol (TCP, UDP, SCTP, ...)? */
static inline bool query_has_ports(const struct conn_row *r)
{
	return decode_proto_has_ports(r->l4);
}

/* A host name for the remote end from DPI (SNI, then HTTP Host); NULL if none. */
const char *query_remote_name(const struct conn_row *r);
/* Application from DPI (meta_app_name), else the well-known service of the
 * responder's or initiator's port; NULL when neither is known. */
const char *query_app_name(const struct conn_row *r);
/* Well-known service name of a port ("https", "ssh"), NULL when unknown. */
const char *query_service_name(uint16_t l4, uint16_t port);

#endif
