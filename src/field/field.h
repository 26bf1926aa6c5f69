/* field.h - the one table of connection fields.
 *
 * Everything wiretop shows or writes about a connection is one entry of
 * the table in field/fields.c: its JSON key, its label in the Details
 * view, its overview column, its filter keywords, its type and unit, and
 * the getter that reads it from a row. The JSON writer (output/json.c),
 * the filter language (query/), the Details view, the overview's columns,
 * the help screen and --help all walk this table, so adding a field is one
 * entry there plus the code that produces the value (docs/HACKING.md).
 *
 * Fields are read-only; every function here may be called from any thread.
 */
#ifndef WT_FIELD_FIELD_H
#define WT_FIELD_FIELD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "flow/row.h"

enum field_type {
	FIELD_TEXT,    /* a string */
	FIELD_LIST,    /* strings joined by META_LIST_SEP; a JSON array */
	FIELD_ADDR,    /* an IP address (CIDR in filters), with a port when the protocol has ports */
	FIELD_UINT,    /* a whole number */
	FIELD_REAL,    /* a measured quantity */
	FIELD_TIME,    /* a point in time: microseconds since the epoch */
	FIELD_STRINGS, /* every string DPI stored (filters and display only) */
	FIELD_FLAG,    /* a mark, known only when set: JSON true, shown "yes"; a bare
			  filter word of its keyword, or KEYWORD:yes, finds it */
	FIELD_PROCS,   /* processes, nearest first: v->s holds each one's pid, name and
			  executable as three strpool parts (row_parents), v->u of
			  them; a JSON array of {"pid", "name", "exe"}; filters
			  search the names and executables */
};

/* What a number measures: how it is shown and which suffixes a filter
 * takes. A field with a unit compares on ':' ("bytes:1M" is bytes=1M);
 * one without matches its digits ("port:44" matches 443). */
enum field_unit {
	FIELD_UNIT_NONE,
	FIELD_UNIT_COUNT,   /* 10k */
	FIELD_UNIT_BYTES,   /* 1M, 1Gi */
	FIELD_UNIT_RATE,    /* bytes per second: 100k */
	FIELD_UNIT_SECONDS, /* 10s, 5m, 2h */
	FIELD_UNIT_MS,      /* milliseconds: a bare number is ms, 2s is 2000 */
};

/* Where the Details view shows a field, in the order it shows them. */
enum field_section {
	FIELD_SEC_CONNECTION,
	FIELD_SEC_PROCESS,
	FIELD_SEC_APP,
	FIELD_SEC_TRAFFIC,
	FIELD_SEC_TIMING,
	FIELD_SEC_HEALTH,
	FIELD_SEC_COUNT,
};

enum {
	FIELD_ANY = 1,      /* bare filter words search it */
	FIELD_VIEW = 2,     /* not a JSON key: computed for display from other fields */
	FIELD_PROC = 4,     /* a JSON key only when the row has an owning process (live) */
	FIELD_PEER = 8,     /* a JSON key only when the other end's process is known (live) */
	FIELD_COLUMN = 16,  /* an overview column shown by default */
	FIELD_SPARSE = 32,  /* a JSON key only when known: one protocol's detail, absent elsewhere */
};

/* The overview column of a field (title NULL: none). */
struct field_column {
	const char *title;
	short width;        /* default */
	short min_width;
	short drop;         /* narrow screens drop the highest first; 0 never */
	bool flex;          /* takes the width left over */
};

/* A field's value as its getter reads it. `s` may point into `buf`, so a
 * value is used where it was filled, never copied. */
struct field_val {
	const char *s;             /* TEXT, LIST */
	uint64_t u;                /* UINT, TIME */
	double d;                  /* REAL */
	const uint8_t *addr;       /* ADDR: 4 or 16 bytes of family */
	uint8_t family;
	bool has_port;
	uint16_t port;
	const char *name;          /* ADDR: the host's name when known, else NULL */
	bool claimed;              /* ADDR: name is the connection's own word (SNI, HTTP
				      Host), not a DNS answer's */
	const struct flow_meta *meta; /* STRINGS */
	char buf[64];
};

/* Process i (below v->u) of a FIELD_PROCS value: its pid, and its name and
 * executable (NULL unknown). */
struct field_proc {
	int32_t pid;
	const char *name, *exe;
};
void field_proc_at(const struct field_val *v, unsigned i, struct field_proc *out);

/* What a getter may need besides the row. */
struct field_ctx {
	uint64_t now_us;           /* the data clock (ages, idle times) */
	bool numeric_ports;        /* display: 443 rather than https */
	bool numeric_hosts;        /* display: a cell shows the address even when a name is known */
	bool brief;                /* display: a cell (name:port) rather than a Details line */
	bool utf8;                 /* display: may use characters beyond ASCII (arrows) */
};

struct field {
	const char *name;          /* the JSON key; a view's name */
	const char *json_key;      /* ", \"name\": " as written; NULL for views */
	uint8_t json_key_len;
	const char *port_json_key; /* ADDR with a port: its own JSON key, likewise */
	uint8_t port_json_key_len;
	const char *label;         /* the Details view's label */
	/* Filter keywords, space-separated. The first is the field's own; the
	 * others are shared: a keyword searches every field that lists it. */
	const char *keywords;
	const char *port_keywords; /* ADDR: keywords for the port alone */
	const char *help;          /* one line for the help screen and docs */
	enum field_type type;
	enum field_unit unit;
	enum field_section section;
	uint8_t flags;             /* FIELD_* */
	uint16_t arg;              /* for the getter: a meta key */
	/* The applications (bit n: enum app_proto n) whose connections may
	 * know it, 0 for all; the others skip it without a lookup. */
	uint32_t apps;
	struct field_column column;
	/* Fills v; false when the row does not know the value (JSON null). */
	bool (*get)(const struct field *f, const struct conn_row *r, const struct field_ctx *c,
		    struct field_val *v);
	/* Display text when the generic one (field_text) does not fit; may be NULL. */
	void (*show)(const struct conn_row *r, const struct field_ctx *c, char *buf, size_t cap);
};

/* The table, in JSON key order. */
const struct field *field_all(size_t *n);
/* Its entry i (an index from field_keyword), or NULL past the end. */
const struct field *field_at(size_t i);
/* The field called name (JSON key or view name), or NULL. */
const struct field *field_by_name(const char *name);

/* False when f is sure to be unknown in r without reading it: a field of
 * another application's connections. */
static inline bool field_may_know(const struct field *f, const struct conn_row *r)
{
	return !f->apps || (f->apps >> r->meta.app & 1);
}

/* Reads f from r into v; false when unknown. */
static inline bool field_get(const struct field *f, const struct conn_row *r,
			     const struct field_ctx *c, struct field_val *v)
{
	return field_may_know(f, r) && f->get(f, r, c, v);
}

/* ---- display ---- */

/* The value as the UI shows it; "" when unknown. Returns buf. */
const char *field_text(const struct field *f, const struct conn_row *r,
		       const struct field_ctx *c, char *buf, size_t cap);

/* ---- filter keywords ---- */

#define FIELD_KW_MAX 32        /* longest keyword */
#define FIELD_KW_FIELDS 8      /* most fields one keyword searches */

/* One filter keyword and what it searches: fields, and for each whether
 * the keyword names its port (a port keyword of an ADDR field). */
struct field_keyword {
	char word[FIELD_KW_MAX];
	uint8_t n;
	uint16_t field[FIELD_KW_FIELDS]; /* indices into field_all() */
	bool port[FIELD_KW_FIELDS];
};

/* Case-insensitive lookup of a keyword of n bytes; false when unknown. */
bool field_keyword_find(const char *word, size_t n, struct field_keyword *out);
/* The distinct keywords in table order, i = 0, 1, ... until false. */
bool field_keyword_at(size_t i, struct field_keyword *out);
/* Help line for a keyword: its own field's help, or what it searches. */
void field_keyword_help(const struct field_keyword *k, char *buf, size_t cap);

/* ---- numbers ---- */

/* A numeric view of a value for comparisons and sorting: UINT, REAL,
 * TIME (seconds), an ADDR's port when port; false for the rest. */
bool field_number(const struct field *f, const struct field_val *v, bool port, double *out);
/* Does a field (or its port) take ':' as a digit search rather than a
 * comparison? */
static inline bool field_is_digits(const struct field *f, bool port)
{
	return port || f->type == FIELD_TIME || (f->type == FIELD_UINT && f->unit == FIELD_UNIT_NONE);
}
/* Is it compared as a number at all? */
static inline bool field_is_numeric(const struct field *f, bool port)
{
	return port || f->type == FIELD_UINT || f->type == FIELD_REAL || f->type == FIELD_TIME;
}

#endif
