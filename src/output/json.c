#include "output/json.h"

#include <stdbool.h>
#include <string.h>

#include "base/addrtext.h"
#include "base/clock.h"
#include "field/field.h"

static bool is_hex(char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
}

/* Bytes that need more than a copy: '"', '\\', and controls (which stored
 * strings never hold). Valid UTF-8 is copied as it is. */
static bool needs_escape(unsigned char c) { return c == '"' || c == '\\' || c < 0x20; }

/* One stored escape (base/sanitize.h) at s as JSON: "\\" and "\u00NN" are
 * JSON already; "\xNN" is a control (\u00NN) or, from 80 up, a byte that was
 * not valid UTF-8, written \udcNN as Python's surrogateescape does.
 * Returns the bytes of s used. */
static size_t put_stored_escape(struct outbuf *o, const char *s, size_t n)
{
	if (n >= 2 && s[1] == '\\') {
		outbuf_write(o, s, 2);
		return 2;
	}
	if (n >= 6 && s[1] == 'u' && s[2] == '0' && s[3] == '0' && is_hex(s[4]) && is_hex(s[5])) {
		outbuf_write(o, s, 6);
		return 6;
	}
	if (n >= 4 && s[1] == 'x' && is_hex(s[2]) && is_hex(s[3])) {
		bool byte = s[2] >= '8';
		char e[6] = { '\\', 'u', byte ? 'd' : '0', byte ? 'c' : '0', s[2], s[3] };
		outbuf_write(o, e, 6);
		return 4;
	}
	outbuf_write(o, "\\\\", 2); /* a lone backslash: itself */
	return 1;
}

static void put_escaped(struct outbuf *o, const char *s, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	outbuf_putc(o, '"');
	for (size_t i = 0; i < n;) {
		size_t clean = i;
		while (clean < n && !needs_escape((unsigned char)s[clean]))
			clean++;
		outbuf_write(o, s + i, clean - i); /* usually all of it */
		if ((i = clean) >= n)
			break;
		unsigned char c = (unsigned char)s[i];
		if (c == '\\') {
			i += put_stored_escape(o, s + i, n - i);
		} else if (c == '"') {
			outbuf_write(o, "\\\"", 2);
			i++;
		} else {
			char e[6] = { '\\', 'u', '0', '0', hex[c >> 4], hex[c & 15] };
			outbuf_write(o, e, 6);
			i++;
		}
	}
	outbuf_putc(o, '"');
}

void json_put_string(struct outbuf *o, const char *s) { put_escaped(o, s, strlen(s)); }

void json_put_time(struct outbuf *o, uint64_t us)
{
	outbuf_u64(o, us / US_PER_SEC);
	char frac[8];
	uint64_t f = us % US_PER_SEC;
	frac[0] = '.';
	for (int i = 6; i >= 1; i--) {
		frac[i] = (char)('0' + f % 10);
		f /= 10;
	}
	outbuf_write(o, frac, 7);
}

static void put_list(struct outbuf *o, const char *v)
{
	outbuf_putc(o, '[');
	for (const char *p = v;;) {
		const char *sep = strchr(p, META_LIST_SEP);
		size_t n = sep ? (size_t)(sep - p) : strlen(p);
		if (p != v)
			outbuf_puts(o, ", ");
		put_escaped(o, p, n);
		if (!sep)
			break;
		p = sep + 1;
	}
	outbuf_putc(o, ']');
}

static void put_text_or_null(struct outbuf *o, const char *s)
{
	if (s)
		put_escaped(o, s, strlen(s));
	else
		outbuf_puts(o, "null");
}

/* [{"pid": 4242, "name": "bash", "exe": "/usr/bin/bash"}, ...] */
static void put_procs(struct outbuf *o, const struct field_val *v)
{
	outbuf_putc(o, '[');
	for (unsigned i = 0; i < v->u; i++) {
		struct field_proc p;
		field_proc_at(v, i, &p);
		outbuf_puts(o, i ? ", {\"pid\": " : "{\"pid\": ");
		outbuf_u64(o, (uint64_t)p.pid);
		outbuf_puts(o, ", \"name\": ");
		put_text_or_null(o, p.name);
		outbuf_puts(o, ", \"exe\": ");
		put_text_or_null(o, p.exe);
		outbuf_putc(o, '}');
	}
	outbuf_putc(o, ']');
}

/* Numbers without printf: whole ones as integers, others with 3 decimals. */
static void put_real(struct outbuf *o, double d)
{
	if (!(d >= 0 && d < 1e18)) { /* negative, huge or NaN: not a measurement */
		outbuf_puts(o, "null");
		return;
	}
	uint64_t milli = (uint64_t)(d * 1000 + 0.5);
	outbuf_u64(o, milli / 1000);
	if (milli % 1000) {
		char frac[4] = { '.', (char)('0' + milli / 100 % 10), (char)('0' + milli / 10 % 10),
				 (char)('0' + milli % 10) };
		outbuf_write(o, frac, 4);
	}
}

static void put_value(struct outbuf *o, const struct field *f, const struct field_val *v)
{
	char a[ADDR_TEXT_MAX];
	switch (f->type) {
	case FIELD_TEXT:
		put_escaped(o, v->s, strlen(v->s));
		break;
	case FIELD_LIST:
		put_list(o, v->s);
		break;
	case FIELD_ADDR:
		put_escaped(o, a, addr_text(a, v->family, v->addr));
		break;
	case FIELD_UINT:
		outbuf_u64(o, v->u);
		break;
	case FIELD_REAL:
		put_real(o, v->d);
		break;
	case FIELD_TIME:
		json_put_time(o, v->u);
		break;
	case FIELD_STRINGS:
		outbuf_puts(o, "null");
		break;
	case FIELD_FLAG:
		outbuf_puts(o, "true");
		break;
	case FIELD_PROCS:
		put_procs(o, v);
		break;
	}
}

/* Every field with a JSON key, in table order, and the closing brace;
 * keys are literals written with their separator in one piece (the
 * first one without it when nothing precedes it). A sparse field's key is
 * left out where its value is unknown. */
static void put_fields(struct outbuf *o, const struct conn_row *r, bool with_proc, bool first)
{
	size_t n;
	const struct field *f = field_all(&n);
	struct field_ctx c = { .now_us = r->last_seen_us };
	unsigned absent = (with_proc && r->proc.pid > 0 ? 0 : FIELD_PROC) |
			  (with_proc && r->peer.pid > 0 ? 0 : FIELD_PEER);
	uint32_t app = 1u << r->meta.app;
	for (size_t i = 0; i < n; i++) {
		if ((f[i].apps && !(f[i].apps & app)) || !f[i].json_key || (f[i].flags & absent))
			continue; /* another application's key, a view, or an owner unknown */
		struct field_val v;
		bool known = f[i].get(&f[i], r, &c, &v);
		if (!known && (f[i].flags & FIELD_SPARSE))
			continue;
		size_t skip = first ? 2 : 0;
		first = false;
		outbuf_write(o, f[i].json_key + skip, f[i].json_key_len - skip);
		if (known)
			put_value(o, &f[i], &v);
		else
			outbuf_puts(o, "null");
		if (!f[i].port_json_key)
			continue;
		outbuf_write(o, f[i].port_json_key, f[i].port_json_key_len);
		if (known) /* 0 when the protocol has no ports */
			outbuf_u64(o, v.has_port ? v.port : 0);
		else
			outbuf_puts(o, "null");
	}
	outbuf_puts(o, "}\n");
}

void json_write_row(struct outbuf *o, const struct conn_row *r, bool with_proc)
{
	outbuf_putc(o, '{');
	put_fields(o, r, with_proc, true);
}

void json_write_event(struct outbuf *o, const char *event, uint64_t ts_us, const struct conn_row *r,
		      bool with_proc)
{
	outbuf_puts(o, "{\"event\": ");
	put_escaped(o, event, strlen(event));
	outbuf_puts(o, ", \"ts\": ");
	json_put_time(o, ts_us);
	if (strcmp(event, "close") == 0) {
		outbuf_puts(o, ", \"duration\": ");
		json_put_time(o, r->last_seen_us - r->first_seen_us);
	}
	put_fields(o, r, with_proc, false);
}
