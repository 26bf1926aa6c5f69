/* Unit tests for src/field: the table of connection fields is complete,
 * and every field reaches the JSON records, --help and the man page (the
 * Details view is walked in test_tui_render.c). */
#include "check.h"

#include <stdlib.h>

#include "cli/options.h"
#include "field/field.h"
#include "full_row.h"
#include "output/json.h"

#ifndef MAN_PAGE
#define MAN_PAGE "docs/wiretop.1"
#endif

static const struct field *fields(size_t *n)
{
	return field_all(n);
}

static bool json_key_is(const char *lit, size_t len, const char *name)
{
	char want[64];
	int n = snprintf(want, sizeof want, ", \"%s\": ", name);
	return lit && (size_t)n == len && memcmp(lit, want, len) == 0;
}

/* In which of the full rows f has a value (-1: none). */
static int known_in(const struct field *f, struct conn_row *r)
{
	for (int v = 0; full_row(r, v); v++) {
		struct field_ctx c = { .now_us = r->last_seen_us + 1000000 };
		struct field_val val;
		bool known = field_get(f, r, &c, &val);
		row_fini(r);
		if (known)
			return v;
	}
	return -1;
}

/* Each entry says what it is, and one of the full rows has a value for it. */
static void test_every_field_is_described_and_known(void)
{
	size_t n;
	const struct field *f = fields(&n);
	struct conn_row r;
	CHECK(n >= 40);
	for (size_t i = 0; i < n; i++) {
		if (!f[i].label || !f[i].keywords || !f[i].help || !f[i].get || !f[i].name[0]) {
			check_fail(__FILE__, __LINE__, "field %zu (%s) lacks a label, keyword, help or getter",
				   i, f[i].name);
			continue;
		}
		if (known_in(&f[i], &r) < 0)
			check_fail(__FILE__, __LINE__, "no full row has %s: give one a value in full_row.c",
				   f[i].name);
		if (!(f[i].flags & FIELD_VIEW) != (f[i].json_key != NULL))
			check_fail(__FILE__, __LINE__, "%s: a JSON key, or FIELD_VIEW, not both", f[i].name);
		if (f[i].json_key && !json_key_is(f[i].json_key, f[i].json_key_len, f[i].name))
			check_fail(__FILE__, __LINE__, "%s: the JSON key literal spells another name",
				   f[i].name);
		if ((f[i].port_json_key || f[i].port_keywords) && f[i].type != FIELD_ADDR)
			check_fail(__FILE__, __LINE__, "%s: only addresses have ports", f[i].name);
		if (!(f[i].flags & FIELD_COLUMN) != !f[i].column.title)
			check_fail(__FILE__, __LINE__, "%s: a column needs a title and the flag", f[i].name);
		CHECK(field_by_name(f[i].name) == &f[i]); /* names are unique */
		CHECK(field_at(i) == &f[i]);
	}
	CHECK(field_at(n) == NULL);
}

/* The fields one keyword searches agree on how a value is read. */
static void test_keywords_search_alike_fields(void)
{
	struct field_keyword kw;
	size_t count = 0;
	for (size_t i = 0; field_keyword_at(i, &kw); i++, count++) {
		CHECK(kw.n > 0 && kw.n < FIELD_KW_FIELDS); /* none left out */
		const struct field *a = field_at(kw.field[0]);
		for (int j = 1; j < kw.n; j++) {
			const struct field *b = field_at(kw.field[j]);
			bool pa = kw.port[0], pb = kw.port[j];
			if (field_is_numeric(a, pa) != field_is_numeric(b, pb) ||
			    field_is_digits(a, pa) != field_is_digits(b, pb) ||
			    (!pa && !pb && a->unit != b->unit) ||
			    ((a->type == FIELD_ADDR && !pa) != (b->type == FIELD_ADDR && !pb)))
				check_fail(__FILE__, __LINE__, "'%s' searches %s and %s, read differently",
					   kw.word, a->name, b->name);
		}
	}
	CHECK(count >= 50);
	CHECK(field_keyword_find("HOST", 4, &kw));
	CHECK_INT(kw.n, 6); /* HTTP Host, SNI, DNS query, DHCP host name, NetBIOS name, XMPP domain */
	CHECK(field_keyword_find("sni", 3, &kw));
	CHECK_INT(kw.n, 2); /* the SNI and the HTTP Host */
	CHECK(field_keyword_find("port", 4, &kw));
	CHECK(kw.n == 2 && kw.port[0] && kw.port[1]);
	CHECK(!field_keyword_find("sn", 2, &kw));
}

/* Whether f tells a row holding a meta key from one without it: known
 * only with it, or known in both with another value (a count is 0
 * without its key; a text may say what is missing). */
static bool reads_key(const struct field *f, const struct conn_row *with,
		      const struct conn_row *without, const struct field_ctx *c)
{
	struct field_val a, b;
	if (!field_get(f, with, c, &a))
		return false;
	if (!field_get(f, without, c, &b))
		return true;
	return (f->type == FIELD_UINT && a.u != b.u) || (f->type == FIELD_REAL && a.d != b.d) ||
	       (f->type == FIELD_TEXT && strcmp(a.s, b.s) != 0);
}

/* A key a dissector can store that no field reads would be lost. */
static void test_every_meta_key_is_read(void)
{
	size_t n;
	const struct field *f = fields(&n);
	struct conn_row empty, one;
	full_row(&empty, 0);
	meta_fini(&empty.meta);
	meta_init(&empty.meta);
	struct field_ctx c = { .now_us = empty.last_seen_us };
	for (int k = 0; k < META_KEY_COUNT; k++) {
		one = empty;
		meta_init(&one.meta);
		meta_set_str(&one.meta, (enum meta_key)k, (const uint8_t *)"x", 1);
		meta_set_num(&one.meta, (enum meta_key)k, 1);
		bool read = false;
		for (int app = 0; app < APP_COUNT && !read; app++) { /* fields of one application */
			one.meta.app = empty.meta.app = (uint8_t)app;
			for (size_t i = 0; i < n && !read; i++)
				read = f[i].type != FIELD_STRINGS && reads_key(&f[i], &one, &empty, &c);
		}
		if (!read)
			check_fail(__FILE__, __LINE__, "no field reads meta key %d", k);
		meta_fini(&one.meta);
	}
	row_fini_borrowed(&empty); /* one shared them */
}

/* The position of `"name": ` in a record, or NULL. */
static const char *json_value(const char *rec, const char *key)
{
	char pat[64];
	snprintf(pat, sizeof pat, "\"%s\": ", key);
	const char *p = strstr(rec, pat);
	return p ? p + strlen(pat) : NULL;
}

static void check_json_value(const char *rec, const char *anon, const struct field *f,
			     const char *key)
{
	const char *v = json_value(rec, key);
	if (!v || strncmp(v, "null", 4) == 0)
		check_fail(__FILE__, __LINE__, "JSON lacks a value for %s", key);
	if ((f->flags & (FIELD_PROC | FIELD_PEER)) && json_value(anon, key))
		check_fail(__FILE__, __LINE__, "%s written without an owner", key);
}

/* Every JSON field, with its port's key too, has a value in the record of
 * a row that knows it; owner keys only live. */
static void test_every_field_is_in_json(void)
{
	size_t n;
	const struct field *f = fields(&n);
	struct conn_row r;
	struct outbuf o, anon;
	outbuf_init(&o, 256);
	outbuf_init(&anon, 256);
	for (size_t i = 0; i < n; i++) {
		int v = f[i].json_key ? known_in(&f[i], &r) : -1;
		if (v < 0)
			continue;
		full_row(&r, v);
		o.len = anon.len = 0;
		json_write_row(&o, &r, true);
		json_write_row(&anon, &r, false);
		outbuf_putc(&o, '\0');
		outbuf_putc(&anon, '\0');
		check_json_value(o.buf, anon.buf, &f[i], f[i].name);
		if (f[i].port_json_key) { /* ", \"src_port\": " */
			char port[64];
			snprintf(port, sizeof port, "%.*s", (int)f[i].port_json_key_len - 6,
				 f[i].port_json_key + 3);
			check_json_value(o.buf, anon.buf, &f[i], port);
		}
		CHECK(json_value(o.buf, "local") == NULL); /* views are not keys */
		row_fini(&r);
	}
	outbuf_fini(&o);
	outbuf_fini(&anon);
}

static bool is_word_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
}

/* word in text, not as part of a longer word. */
static bool has_word(const char *text, const char *word)
{
	size_t n = strlen(word);
	for (const char *p = strstr(text, word); p; p = strstr(p + 1, word))
		if ((p == text || !is_word_char(p[-1])) && !is_word_char(p[n]))
			return true;
	return false;
}

/* The text from heading to the next line starting with stop. */
/* An HTTP Host that carries the port shows it once. */
static void test_host_port_shown_once(void)
{
	static const struct {
		const char *host;
		uint16_t port;
		const char *cell, *details;
	} cases[] = {
		{ "127.0.0.1:18080", 18080, "127.0.0.1:18080", "127.0.0.1:18080  (claimed: 127.0.0.1)" },
		{ "www.example:8080", 8080, "\"www.example\":8080", "127.0.0.1:8080  (claimed: www.example)" },
		{ "www.example", 80, "\"www.example\":80", "127.0.0.1:80  (claimed: www.example)" },
		{ "[2001:db8::1]:8443", 8443, "127.0.0.1:8443", "127.0.0.1:8443  (claimed: [2001:db8::1])" },
	};
	const struct field *remote = field_by_name("remote");
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct conn_row r;
		full_row(&r, 0);
		meta_fini(&r.meta);
		meta_init(&r.meta);
		const uint8_t lo[4] = { 127, 0, 0, 1 };
		memcpy(r.dst, lo, 4);
		r.dport = cases[i].port;
		meta_set_str(&r.meta, META_HTTP_HOST, (const uint8_t *)cases[i].host,
			     strlen(cases[i].host));
		char b[128];
		struct field_ctx cell = { .numeric_ports = true, .brief = true }, det = { 0 };
		CHECK_STR(field_text(remote, &r, &cell, b, sizeof b), cases[i].cell);
		CHECK_STR(field_text(remote, &r, &det, b, sizeof b), cases[i].details);
		row_fini(&r);
	}
}

static char *section(char *text, const char *heading, const char *stop)
{
	char *s = text ? strstr(text, heading) : NULL;
	if (!s)
		return NULL;
	char *e = strstr(s + strlen(heading), stop);
	if (e)
		*e = '\0';
	return s;
}

/* Every keyword is in --help and in the man page's FILTERS; every
 * ".BI word:" the man page documents is a keyword. */
static void test_every_keyword_is_documented(void)
{
	char *help = check_capture(options_help), *man = check_read_file(MAN_PAGE);
	char *hs = section(help, "\nFilter keywords", "\n\n");
	char *ms = section(man, "\n.SH FILTERS", "\n.SH ");
	CHECK(hs != NULL);
	CHECK(ms != NULL);
	struct field_keyword kw;
	for (size_t i = 0; hs && ms && field_keyword_at(i, &kw); i++) {
		if (!has_word(hs, kw.word))
			check_fail(__FILE__, __LINE__, "--help lacks the filter keyword %s", kw.word);
		if (!has_word(ms, kw.word))
			check_fail(__FILE__, __LINE__, "%s FILTERS lacks the keyword %s", MAN_PAGE, kw.word);
	}
	for (const char *p = ms ? strstr(ms, "\n.BI ") : NULL; p; p = strstr(p + 1, "\n.BI ")) {
		const char *w = p + 5;
		size_t len = strcspn(w, ": \n");
		if (w[len] == ':' && !field_keyword_find(w, len, &kw))
			check_fail(__FILE__, __LINE__, "%s documents '%.*s', which is no keyword", MAN_PAGE,
				   (int)len, w);
	}
	free(help);
	free(man);
}

int main(void)
{
	RUN(test_every_field_is_described_and_known);
	RUN(test_keywords_search_alike_fields);
	RUN(test_every_meta_key_is_read);
	RUN(test_every_field_is_in_json);
	RUN(test_every_keyword_is_documented);
	RUN(test_host_port_shown_once);
	return check_summary("test_field");
}
