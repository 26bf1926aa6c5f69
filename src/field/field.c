/* field.c - what every reader of the fields table needs besides the
 * table: lookups, the filter keywords it declares, display text, numbers.
 */
#include "field/field.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/addrtext.h"
#include "base/clock.h"
#include "base/strpool.h"
#include "field/fmt.h"

const struct field *field_by_name(const char *name)
{
	size_t n;
	const struct field *f = field_all(&n);
	for (size_t i = 0; i < n; i++)
		if (strcmp(f[i].name, name) == 0)
			return &f[i];
	return NULL;
}

/* ---- keywords ---- */

/* The next space-separated word of *list, or false at its end. */
static bool next_word(const char **list, const char **w, size_t *n)
{
	const char *s = *list;
	if (!s)
		return false;
	while (*s == ' ')
		s++;
	if (!*s)
		return false;
	*w = s;
	while (*s && *s != ' ')
		s++;
	*n = (size_t)(s - *w);
	*list = s;
	return true;
}

static bool lists(const char *list, const char *word, size_t n)
{
	const char *w;
	size_t wn;
	while (next_word(&list, &w, &wn))
		if (wn == n && strncasecmp(w, word, n) == 0)
			return true;
	return false;
}

bool field_keyword_find(const char *word, size_t n, struct field_keyword *out)
{
	size_t nf;
	const struct field *f = field_all(&nf);
	memset(out, 0, sizeof *out);
	if (n == 0 || n >= FIELD_KW_MAX)
		return false;
	for (size_t i = 0; i < nf && out->n < FIELD_KW_FIELDS; i++) {
		bool whole = lists(f[i].keywords, word, n);
		if (!whole && !lists(f[i].port_keywords, word, n))
			continue;
		out->field[out->n] = (uint16_t)i;
		out->port[out->n] = !whole;
		out->n++;
	}
	memcpy(out->word, word, n);
	out->word[n] = '\0';
	return out->n > 0;
}

#define FIELD_KW_ALL 256 /* keywords in the table, counting repeats */

bool field_keyword_at(size_t k, struct field_keyword *out)
{
	struct { const char *w; size_t n; } seen[FIELD_KW_ALL];
	size_t nf, nseen = 0;
	const struct field *f = field_all(&nf);
	for (size_t i = 0; i < nf; i++) {
		const char *lists2[2] = { f[i].keywords, f[i].port_keywords };
		for (int l = 0; l < 2; l++) {
			const char *s = lists2[l], *w;
			size_t wn;
			while (next_word(&s, &w, &wn)) {
				size_t j = 0;
				while (j < nseen && !(seen[j].n == wn && strncasecmp(seen[j].w, w, wn) == 0))
					j++;
				if (j < nseen || nseen == FIELD_KW_ALL)
					continue; /* a repeat */
				if (nseen == k)
					return field_keyword_find(w, wn, out);
				seen[nseen].w = w;
				seen[nseen++].n = wn;
			}
		}
	}
	return false;
}

/* Is word the first (own) keyword of f's whole or port lists? */
static bool owns(const struct field *f, const char *word, bool port)
{
	const char *s = port ? f->port_keywords : f->keywords, *w;
	size_t wn;
	return next_word(&s, &w, &wn) && wn == strlen(word) && strncasecmp(w, word, wn) == 0;
}

void field_keyword_help(const struct field_keyword *k, char *buf, size_t cap)
{
	size_t nf, len = 0;
	const struct field *f = field_all(&nf);
	int own = -1;
	for (int i = 0; i < k->n && own < 0; i++)
		if (owns(&f[k->field[i]], k->word, k->port[i]))
			own = i;
	if (own >= 0 && k->port[own])
		len = (size_t)snprintf(buf, cap, "%s port", f[k->field[own]].label);
	else if (own >= 0)
		len = (size_t)snprintf(buf, cap, "%s", f[k->field[own]].help);
	const char *sep = own >= 0 ? "; also " : "any of: ";
	for (int i = 0; i < k->n && len < cap; i++) {
		if (i == own)
			continue;
		const struct field *g = &f[k->field[i]];
		len += (size_t)snprintf(buf + len, cap - len, "%s%s%s", sep, g->label,
					k->port[i] ? " port" : "");
		sep = ", ";
	}
}

/* ---- numbers ---- */

bool field_number(const struct field *f, const struct field_val *v, bool port, double *out)
{
	if (port) {
		*out = v->port;
		return v->has_port;
	}
	switch (f->type) {
	case FIELD_UINT:
		*out = (double)v->u;
		return true;
	case FIELD_REAL:
		*out = v->d;
		return true;
	case FIELD_TIME:
		*out = (double)(v->u / US_PER_SEC);
		return true;
	default:
		return false;
	}
}

/* ---- display ---- */

static void list_text(const char *s, char *buf, size_t cap)
{
	size_t o = 0;
	for (; *s && o + 3 < cap; s++) {
		if (*s == META_LIST_SEP) {
			buf[o++] = ',';
			buf[o++] = ' ';
		} else {
			buf[o++] = *s;
		}
	}
	buf[o] = '\0';
}

void field_proc_at(const struct field_val *v, unsigned i, struct field_proc *out)
{
	const char *pid = strpool_part(v->s, 3 * i);
	out->pid = pid ? (int32_t)strtol(pid, NULL, 10) : 0;
	out->name = strpool_part(v->s, 3 * i + 1);
	out->exe = strpool_part(v->s, 3 * i + 2);
}

/* "bash(4242) /usr/bin/bash ← sshd(731) /usr/sbin/sshd": nearest first,
 * each started by the next. */
static void procs_text(const struct field_val *v, bool utf8, char *buf, size_t cap)
{
	size_t o = 0;
	for (unsigned i = 0; i < v->u && o < cap; i++) {
		struct field_proc p;
		field_proc_at(v, i, &p);
		int n = snprintf(buf + o, cap - o, "%s%s(%d)%s%s", i ? (utf8 ? " \u2190 " : " <- ") : "",
				 p.name ? p.name : "?", (int)p.pid, p.exe ? " " : "", p.exe ? p.exe : "");
		o += n > 0 ? (size_t)n : 0;
	}
}

/* The host part of a name: an HTTP Host may carry a port ("h:8080",
 * "[::1]:8080"), which the endpoint shows on its own. */
static int host_len(const char *name)
{
	const char *colon = strrchr(name, ':');
	if (!colon || !colon[1] || colon[strspn(colon + 1, "0123456789") + 1] != '\0')
		return (int)strlen(name);
	bool bracketed = name[0] == '[' && colon > name && colon[-1] == ']';
	if (!bracketed && memchr(name, ':', (size_t)(colon - name)))
		return (int)strlen(name); /* a bare IPv6 address */
	return (int)(colon - name);
}

/* Cells: the name (or address) and the port, by service name unless
 * numeric; Details: the address and port number, then the name. A name
 * the connection claimed is quoted ("example.com":https), and one that
 * reads as an address never stands in for the real one. */
static void addr_text_of(const struct conn_row *r, const struct field_ctx *c,
			 const struct field_val *v, char *buf, size_t cap)
{
	char a[ADDR_TEXT_MAX], name[META_STR_MAX * 4 + 1], e[sizeof name + 16], q[sizeof name + 16];
	addr_text(a, v->family, v->addr);
	if (v->name)
		snprintf(name, sizeof name, "%.*s", host_len(v->name), v->name);
	bool named = c->brief && !c->numeric_hosts && v->name &&
		     !(v->claimed && addr_text_is_address(name));
	const char *host = a;
	if (named && v->claimed) {
		snprintf(q, sizeof q, "\"%s\"", name);
		host = q;
	} else if (named) {
		host = name;
	}
	if (v->has_port)
		fmt_endpoint(e, sizeof e, host, !named && v->family == 6, r, v->port,
			     !c->brief || c->numeric_ports);
	else
		snprintf(e, sizeof e, "%s", host);
	if (!c->brief && v->name)
		snprintf(buf, cap, v->claimed ? "%s  (claimed: %s)" : "%s  (%s)", e, name);
	else
		snprintf(buf, cap, "%s", e);
}

static void uint_text(const struct field *f, const struct field_ctx *c, uint64_t u, char *buf,
		      size_t cap)
{
	char b[24];
	switch (f->unit) {
	case FIELD_UNIT_BYTES:
		fmt_bytes(b, sizeof b, (double)u);
		break;
	case FIELD_UNIT_COUNT:
		fmt_count(b, sizeof b, (double)u);
		break;
	case FIELD_UNIT_MS:
		snprintf(buf, cap, "%llu ms", (unsigned long long)u);
		return;
	default:
		snprintf(buf, cap, "%llu", (unsigned long long)u);
		return;
	}
	if (c->brief || u < 1000)
		snprintf(buf, cap, "%s", b);
	else
		snprintf(buf, cap, "%llu (%s)", (unsigned long long)u, b);
}

static void real_text(const struct field *f, double d, char *buf, size_t cap)
{
	if (f->unit == FIELD_UNIT_RATE)
		fmt_rate(buf, cap, d);
	else if (f->unit == FIELD_UNIT_SECONDS)
		fmt_duration(buf, cap, d);
	else if (f->unit == FIELD_UNIT_MS)
		snprintf(buf, cap, "%.1f ms", d);
	else
		snprintf(buf, cap, "%g", d);
}

const char *field_text(const struct field *f, const struct conn_row *r,
		       const struct field_ctx *c, char *buf, size_t cap)
{
	struct field_val v;
	if (!cap)
		return buf;
	buf[0] = '\0';
	if (!field_get(f, r, c, &v))
		return buf;
	if (f->show) {
		f->show(r, c, buf, cap);
		return buf;
	}
	switch (f->type) {
	case FIELD_TEXT:
		snprintf(buf, cap, "%s", v.s);
		break;
	case FIELD_LIST:
		list_text(v.s, buf, cap);
		break;
	case FIELD_ADDR:
		addr_text_of(r, c, &v, buf, cap);
		break;
	case FIELD_UINT:
		uint_text(f, c, v.u, buf, cap);
		break;
	case FIELD_REAL:
		real_text(f, v.d, buf, cap);
		break;
	case FIELD_TIME:
		fmt_time(buf, cap, v.u);
		break;
	case FIELD_STRINGS:
		break;
	case FIELD_FLAG:
		snprintf(buf, cap, "yes");
		break;
	case FIELD_PROCS:
		procs_text(&v, c->utf8, buf, cap);
		break;
	}
	return buf;
}
