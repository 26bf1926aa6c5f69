/* Unit tests for src/base: the byte reader, sanitizer, hash and OUI registry. */
#include "check.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/hash.h"
#include "base/oui.h"
#include "base/owner.h"
#include "base/ownports.h"
#include "base/rd.h"
#include "base/sanitize.h"
#include "dissect/meta.h"

static void test_rd_reads_big_endian(void)
{
	const uint8_t b[] = { 1, 2, 3, 4, 5, 6, 7 };
	struct rd r = rd_make(b, sizeof b);
	CHECK_INT(rd_u8(&r), 1);
	CHECK_INT(rd_be16(&r), 0x0203);
	CHECK_INT(rd_be32(&r), 0x04050607);
	CHECK(rd_ok(&r));
	CHECK_INT(rd_left(&r), 0);
}

static void test_rd_past_end_is_sticky(void)
{
	const uint8_t b[] = { 0xaa, 0xbb };
	struct rd r = rd_make(b, sizeof b);
	CHECK_INT(rd_be32(&r), 0);
	CHECK(!rd_ok(&r));
	CHECK_INT(rd_u8(&r), 0); /* still failing, even though a byte is there */
	CHECK_INT(rd_left(&r), 0);
}

static void test_rd_sub_cannot_see_past_its_end(void)
{
	const uint8_t b[] = { 2, 0x10, 0x20, 0x30 };
	struct rd r = rd_make(b, sizeof b);
	struct rd s = rd_sub8(&r);
	CHECK_INT(rd_be16(&s), 0x1020);
	CHECK_INT(rd_u8(&s), 0);
	CHECK(!rd_ok(&s));
	CHECK(rd_ok(&r));
	CHECK_INT(rd_u8(&r), 0x30);
	struct rd bad = rd_sub(&r, 5);
	CHECK(!rd_ok(&bad));
	CHECK(!rd_ok(&r));
}

/* Text searches stay inside the reader: a match that would need one byte
 * past its end is no match. */
static void test_rd_text_helpers_stay_in_bounds(void)
{
	const char buf[] = "EHLO x\r\nSMTPz";
	struct rd r = rd_make(buf, 6); /* "EHLO x" */
	CHECK_INT(rd_prefix_case(&r, "ehlo ", 5), RD_PREFIX_YES);
	CHECK_INT(rd_prefix_case(&r, "EHLO xy", 7), RD_PREFIX_SO_FAR);
	CHECK_INT(rd_prefix_case(&r, "HELO", 4), RD_PREFIX_NO);
	CHECK(rd_contains_case(&r, "LO X", 4));
	CHECK(!rd_contains_case(&r, "x\r", 2)); /* the CR lies past the reader */
	CHECK(!rd_contains(&r, "x\r", 2));
	CHECK(rd_equals(&r, "EHLO x", 6));
	CHECK(!rd_equals(&r, "EHLO", 4));
	CHECK_INT(rd_find(&r, 'x', 6), 5);
	CHECK_INT(rd_find(&r, 'x', 5), -1); /* only the first max bytes */
	CHECK_INT(rd_find(&r, '\r', 100), -1);

	struct rd all = rd_make(buf, sizeof buf - 1), line;
	CHECK(rd_line(&all, 64, &line));
	CHECK(rd_equals(&line, "EHLO x", 6)); /* without its CR LF */
	CHECK_INT(rd_pos(&all), 8);
	CHECK(!rd_line(&all, 64, &line)); /* "SMTPz" has no line end yet */
	CHECK_INT(rd_pos(&all), 8);
	struct rd lf_late = rd_make(buf, sizeof buf - 1);
	CHECK(!rd_line(&lf_late, 7, &line)); /* the LF is the 8th byte */

	struct rd at = rd_make_at(buf, sizeof buf - 1, 8);
	CHECK(rd_equals(&at, "SMTPz", 5));
	at = rd_make_at(buf, 3, 4);
	CHECK(!rd_ok(&at));
	CHECK_INT(rd_left(&at), 0);
}

static void test_sanitize_escapes_control_bytes(void)
{
	char out[64];
	const uint8_t in[] = "a\x1b[31mb\\c\xff";
	sanitize_copy(out, sizeof out, in, sizeof in - 1);
	CHECK_STR(out, "a\\x1b[31mb\\\\c\\xff");
	/* never splits an escape at the bound */
	sanitize_copy(out, 4, (const uint8_t *)"\x01\x02", 2);
	CHECK_STR(out, "");
	/* plain text fills the bound exactly, its terminator included */
	CHECK_INT(sanitize_copy(out, 4, (const uint8_t *)"abcdef", 6), 3);
	CHECK_STR(out, "abc");
	CHECK_INT(sanitize_copy(out, 1, (const uint8_t *)"a", 1), 0);
	CHECK_STR(out, "");
}

/* Valid UTF-8 stays as it is; what is not UTF-8 is escaped byte by byte. */
static void test_sanitize_keeps_utf8(void)
{
	char out[128];
	const uint8_t in[] = "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80 \x7f \xc2\x9b \xc2\xa0";
	sanitize_copy(out, sizeof out, in, sizeof in - 1);
	CHECK_STR(out, "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80 \\x7f \\u009b \xc2\xa0");
	/* overlong, surrogate, past U+10FFFF, truncated, stray continuation */
	const uint8_t bad[] = "\xc0\xaf \xed\xa0\x80 \xf4\x90\x80\x80 \x80 \xe2\x82";
	sanitize_copy(out, sizeof out, bad, sizeof bad - 1);
	CHECK_STR(out, "\\xc0\\xaf \\xed\\xa0\\x80 \\xf4\\x90\\x80\\x80 \\x80 \\xe2\\x82");
	/* a character is never cut in half at the bound */
	sanitize_copy(out, 5, (const uint8_t *)"ab\xe2\x82\xac", 5);
	CHECK_STR(out, "ab");
}

static void test_hash_mixes_trailing_bytes(void)
{
	uint8_t a[16] = { 10, 0, 0, 1 }, b[16] = { 10, 0, 0, 2 };
	CHECK(hash_bytes(a, 16, 0) != hash_bytes(b, 16, 0));
	CHECK((hash_bytes(a, 16, 0) & 0xfff) != (hash_bytes(b, 16, 0) & 0xfff));
}

static void test_meta_strings_first_wins_and_lists_append(void)
{
	struct flow_meta m;
	meta_init(&m);
	CHECK(meta_str(&m, META_SNI) == NULL);
	CHECK(meta_set_str(&m, META_SNI, (const uint8_t *)"example.com", 11));
	CHECK(!meta_set_str(&m, META_SNI, (const uint8_t *)"other", 5));
	meta_add_item(&m, META_ALPN, (const uint8_t *)"h2", 2);
	CHECK(meta_set_str(&m, META_HTTP_HOST, (const uint8_t *)"h", 1));
	meta_add_item(&m, META_ALPN, (const uint8_t *)"http/1.1", 8);
	CHECK_STR(meta_str(&m, META_SNI), "example.com");
	CHECK_STR(meta_str(&m, META_ALPN), "h2\x1fhttp/1.1");
	CHECK_STR(meta_str(&m, META_HTTP_HOST), "h");
	struct flow_meta c;
	meta_copy(&c, &m);
	meta_fini(&m);
	CHECK_STR(meta_str(&c, META_ALPN), "h2\x1fhttp/1.1");
	meta_fini(&c);
}

/* Numbers share the block with strings; each kind is found only as itself,
 * and the walk over strings skips numbers. */
static void test_meta_numbers_and_the_string_walk(void)
{
	struct flow_meta m;
	uint64_t v = 0;
	meta_init(&m);
	CHECK(!meta_num(&m, META_HTTP_STATUS, &v));
	size_t pos = 0;
	CHECK(meta_str_next(&m, &pos) == NULL);
	meta_set_num(&m, META_HTTP_STATUS, 404);
	CHECK(meta_set_str(&m, META_HTTP_HOST, (const uint8_t *)"a.test", 6));
	meta_set_num(&m, META_DNS_RCODE, 0);
	meta_add_item(&m, META_DNS_ANSWERS, (const uint8_t *)"10.0.0.1", 8);
	meta_set_num(&m, META_HTTP_STATUS, 200); /* replaced in place */
	meta_add_item(&m, META_DNS_ANSWERS, (const uint8_t *)"10.0.0.2", 8);
	CHECK(meta_num(&m, META_HTTP_STATUS, &v));
	CHECK_INT(v, 200);
	CHECK(meta_num(&m, META_DNS_RCODE, &v));
	CHECK_INT(v, 0);
	CHECK(meta_str(&m, META_HTTP_STATUS) == NULL);
	CHECK(!meta_num(&m, META_HTTP_HOST, NULL));
	CHECK_STR(meta_str(&m, META_HTTP_HOST), "a.test");
	/* GeoIP notes are no DPI string: the dpi: filter and bare words skip them */
	meta_set_str(&m, META_GEO_AS_ORG_RESP, (const uint8_t *)"GOOGLE", 6);
	CHECK_STR(meta_str(&m, META_GEO_AS_ORG_RESP), "GOOGLE");
	pos = 0;
	CHECK_STR(meta_str_next(&m, &pos), "a.test");
	CHECK_STR(meta_str_next(&m, &pos), "10.0.0.1\x1f" "10.0.0.2");
	CHECK(meta_str_next(&m, &pos) == NULL);
	/* a number takes 4 bytes when it fits, 8 when it does not, either way round */
	size_t len = m.strs_len;
	meta_set_num(&m, META_TCP_SRTT_US, 5000);
	CHECK_INT(m.strs_len, len + 8);
	meta_set_num(&m, META_TCP_SRTT_US, (uint64_t)1 << 40);
	CHECK_INT(m.strs_len, len + 12);
	CHECK(meta_num(&m, META_TCP_SRTT_US, &v));
	CHECK(v == (uint64_t)1 << 40);
	meta_set_num(&m, META_TCP_SRTT_US, UINT32_MAX);
	CHECK_INT(m.strs_len, len + 8);
	CHECK(meta_num(&m, META_TCP_SRTT_US, &v));
	CHECK(v == UINT32_MAX);
	CHECK(meta_num(&m, META_HTTP_STATUS, &v));
	CHECK_INT(v, 200);
	meta_fini(&m);
}

/* A value longer than what is kept, or cut by the input, is kept
 * truncated and marked, never dropped or silently shortened. */
static void test_meta_long_values_marked(void)
{
	static uint8_t big[65536];
	memset(big, 'h', sizeof big);
	big[0] = 0x1b; /* sanitized as ever: \x1b */
	struct flow_meta m;
	meta_init(&m);
	CHECK(meta_set_str(&m, META_HTTP_HOST, big, sizeof big));
	const char *v = meta_str(&m, META_HTTP_HOST);
	CHECK(v && strncmp(v, "\\x1bhhh", 7) == 0);
	CHECK_INT(strlen(v), 4 + (META_STR_MAX - 1) + strlen(META_TRUNCATED));
	CHECK(v && strcmp(v + strlen(v) - strlen(META_TRUNCATED), "[truncated]") == 0);
	CHECK(meta_set_str(&m, META_SNI, big + 1, META_STR_MAX)); /* exactly the limit: whole */
	CHECK_INT(strlen(meta_str(&m, META_SNI)), META_STR_MAX);
	CHECK(meta_set_str_cut(&m, META_SSH_CLIENT, (const uint8_t *)"SSH-2.0-ab", 10));
	CHECK_STR(meta_str(&m, META_SSH_CLIENT), "SSH-2.0-ab[truncated]");
	meta_add_item(&m, META_ALPN, big + 1, 2000);
	v = meta_str(&m, META_ALPN);
	CHECK(v && strlen(v) == META_STR_MAX + strlen(META_TRUNCATED) && strstr(v, "h[truncated]"));
	meta_fini(&m);
}

/* Root's and the invoking user's; under sudo (real uid 0) also SUDO_UID's. */
static void test_owner_trusted(void)
{
	CHECK(owner_trusted(0, 1000, NULL));
	CHECK(owner_trusted(1000, 1000, NULL));
	CHECK(!owner_trusted(1001, 1000, NULL));
	CHECK(!owner_trusted(1001, 1000, "1001")); /* SUDO_UID counts only for root */
	CHECK(owner_trusted(1001, 0, "1001"));
	CHECK(!owner_trusted(1002, 0, "1001"));
	CHECK(!owner_trusted(1001, 0, "1001x"));
	CHECK(!owner_trusted(1001, 0, ""));
	CHECK(!owner_trusted(1001, 0, "-1001"));
	uid_t u;
	CHECK(owner_sudo_user(0, "4242", &u) && u == 4242);
	CHECK(!owner_sudo_user(0, "99999999999999999999", &u));
}

/* The registry's "(hex)" lines, CRLF or LF; its other lines and damaged
 * ones are skipped. */
static void test_oui_registry_lines(void)
{
	static const char text[] =
		"OUI/MA-L                 Organization\r\n"
		"\r\n"
		"00-00-0C   (hex)\t\tCisco Systems, Inc\r\n"
		"00000C     (base 16)\t\tCisco Systems, Inc\r\n"
		"\t\t\t\t170 WEST TASMAN DRIVE\r\n"
		"3c-22-fb   (hex)\t\tApple, Inc.  \n"
		"00-1B-2    (hex)\t\tcut short\n"
		"00-1B-21   (hex)\t\t\n"
		"AA-BB-CC   (hex)\t\tNon\001printable";
	struct oui *o = oui_parse(text, sizeof text - 1);
	CHECK_INT(oui_count(o), 3);
	CHECK_STR(oui_vendor(o, (const uint8_t[6]){ 0x00, 0x00, 0x0c, 1, 2, 3 }), "Cisco Systems, Inc");
	CHECK_STR(oui_vendor(o, (const uint8_t[6]){ 0x3c, 0x22, 0xfb, 0, 0, 0 }), "Apple, Inc.");
	CHECK_STR(oui_vendor(o, (const uint8_t[6]){ 0xaa, 0xbb, 0xcc, 0, 0, 0 }), "Non?printable");
	CHECK(!oui_vendor(o, (const uint8_t[6]){ 0x00, 0x1b, 0x21, 0, 0, 0 }));
	CHECK(!oui_vendor(NULL, (const uint8_t[6]){ 0x00, 0x00, 0x0c, 0, 0, 0 }));
	oui_free(o);
	oui_free(NULL);
	struct oui *empty = oui_parse("", 0);
	CHECK_INT(oui_count(empty), 0);
	CHECK(!oui_vendor(empty, (const uint8_t[6]){ 0 }));
	oui_free(empty);
}

#define OUI_FIX "tests/fixtures/oui/"

static const char *vendor_of(struct oui *o, uint64_t mac48)
{
	uint8_t mac[6];
	for (int i = 0; i < 6; i++)
		mac[i] = (uint8_t)(mac48 >> (40 - 8 * i));
	return oui_vendor(o, mac);
}

/* MA-L, MA-M (28-bit), MA-S and IAB (36-bit, CRLF as the IEEE writes
 * them) read together from one folder: the most specific block names an
 * address; a range that is not an aligned block is skipped. */
static void test_oui_most_specific(void)
{
	struct wt_err err = { 0 };
	struct oui *o;
	CHECK_INT(oui_load(&o, OUI_FIX "oui.txt", &err), 0);
	CHECK_INT(oui_count(o), 10);
	CHECK_STR(vendor_of(o, 0x00000c123456), "Cisco Systems, Inc");
	CHECK_STR(vendor_of(o, 0x0050c27d5abc), "DEUTA-WERKE GmbH"); /* IAB */
	CHECK_STR(vendor_of(o, 0x40d85511cfff), "DEUTA-WERKE GmbH");
	CHECK_STR(vendor_of(o, 0x0050c27d6000), "IEEE Registration Authority");
	CHECK(!vendor_of(o, 0x40d85511d000)); /* outside the IAB block, no MA-L entry */
	CHECK_STR(vendor_of(o, 0x70b3d5f2f123), "TELEPLATFORMS");
	CHECK_STR(vendor_of(o, 0x70b3d51f0abc), "2M Technology");
	CHECK_STR(vendor_of(o, 0x70b3d5f30000), "IEEE Registration Authority");
	CHECK_STR(vendor_of(o, 0x741ae0900000), "Private");
	CHECK_STR(vendor_of(o, 0x741ae09fffff), "Private");
	CHECK_STR(vendor_of(o, 0x741ae0a00000), "IEEE Registration Authority");
	CHECK_STR(vendor_of(o, 0x208593b12345), "IOG Products LLC");
	CHECK(!vendor_of(o, 0x208593c00000)); /* outside the block, no MA-L entry */
	oui_free(o);
}

struct oui_lookup {
	struct oui *o;
	const char *vendor;
};

static void *look_up_cisco(void *arg)
{
	struct oui_lookup *l = arg;
	l->vendor = vendor_of(l->o, 0x00000c123456);
	return NULL;
}

/* The registries are parsed by the first lookup, which may come from any
 * worker: two threads asking at once both get the vendor, and the table
 * is built once (a second parse would list every entry twice before
 * sorting, and leak under ASan). */
static void test_oui_first_lookups_at_once(void)
{
	struct wt_err err = { 0 };
	struct oui *o;
	CHECK_INT(oui_load(&o, OUI_FIX "oui.txt", &err), 0);
	struct oui_lookup l[4];
	pthread_t th[4];
	for (int i = 0; i < 4; i++) {
		l[i] = (struct oui_lookup){ o, NULL };
		CHECK_INT(pthread_create(&th[i], NULL, look_up_cisco, &l[i]), 0);
	}
	for (int i = 0; i < 4; i++) {
		pthread_join(th[i], NULL);
		CHECK_STR(l[i].vendor, "Cisco Systems, Inc");
	}
	CHECK_INT(oui_count(o), 10);
	oui_free(o);
}

/* Each file may be missing: no vendors from it, not an error; none at all
 * is no registry. One that is not a file is an error. */
static void test_oui_files_missing(void)
{
	struct wt_err err = { 0 };
	struct oui *o;
	CHECK_INT(oui_load(&o, OUI_FIX "no-such-ma-l.txt", &err), 0);
	CHECK_INT(oui_count(o), 6); /* MA-M, MA-S and IAB still read */
	CHECK(!vendor_of(o, 0x00000c123456));
	CHECK_STR(vendor_of(o, 0x70b3d5f2f123), "TELEPLATFORMS");
	oui_free(o);
	CHECK_INT(oui_load(&o, "tests/fixtures/no-such-folder/oui.txt", &err), 0);
	CHECK(o == NULL);
	CHECK(!vendor_of(o, 0x00000c123456));
	CHECK_INT(oui_load(&o, OUI_FIX, &err), -1); /* a folder */
	CHECK(o == NULL);
	CHECK(strstr(err.msg, "not a registry file") != NULL);
}

/* A registry read in stretches (the real MA-L file is 5 MiB): 20,000 MA-M
 * blocks, each "(hex)" line with its range on the next, so that stretch
 * ends fall between the two lines of many entries; every block is named,
 * with its own name, and none as the 24-bit prefix it lies in. */
static void test_oui_long_registry(void)
{
	char dir[] = "/tmp/wiretop_ouibig_XXXXXX", path[64];
	CHECK(mkdtemp(dir) != NULL);
	snprintf(path, sizeof path, "%s/oui.txt", dir);
	FILE *f = fopen(path, "w");
	CHECK(f != NULL);
	enum { N = 20000 };
	for (unsigned i = 0; i < N; i++) /* prefix 10-00-00 + i; block 0x500000-0x5FFFFF */
		fprintf(f, "%02X-%02X-%02X   (hex)\t\tMaker %u\r\n500000-5FFFFF     (base 16)\t\tMaker %u\r\n"
			   "\t\t\t\tSome Street %u\r\n\t\t\t\tTown\r\n\r\n",
			0x10, (i >> 8) & 0xff, i & 0xff, i, i, i);
	fclose(f);
	struct wt_err err = { 0 };
	struct oui *o;
	CHECK_INT(oui_load(&o, path, &err), 0);
	CHECK_INT(oui_count(o), N < 65536 ? N : 0);
	unsigned named = 0, wrong = 0;
	for (unsigned i = 0; i < N; i++) {
		uint64_t prefix = (uint64_t)(0x100000 | i) << 24;
		char want[32];
		snprintf(want, sizeof want, "Maker %u", i);
		const char *in = vendor_of(o, prefix | 0x5abcde), *out = vendor_of(o, prefix | 0x400000);
		named += in && strcmp(in, want) == 0;
		wrong += out != NULL;
	}
	CHECK_INT(named, N);
	CHECK_INT(wrong, 0);
	oui_free(o);
	unlink(path);
	rmdir(dir);
}

/* A registry that is not installed is no error; one that cannot be read is. */
static void test_oui_load(void)
{
	struct oui *o = (struct oui *)1;
	struct wt_err err = { 0 };
	CHECK_INT(oui_load(&o, "/nonexistent/oui.txt", &err), 0);
	CHECK(o == NULL);
	CHECK_INT(oui_load(&o, "/", &err), -1); /* a directory cannot be read */
	CHECK(o == NULL && strstr(err.msg, "/") != NULL);
	char path[] = "/tmp/wiretop_oui_XXXXXX";
	int fd = mkstemp(path);
	CHECK(fd >= 0);
	static const char line[] = "08-00-27   (hex)\t\tPCS Systemtechnik GmbH\n";
	CHECK(write(fd, line, sizeof line - 1) == (ssize_t)(sizeof line - 1));
	close(fd);
	CHECK_INT(oui_load(&o, path, &err), 0);
	CHECK_STR(oui_vendor(o, (const uint8_t[6]){ 0x08, 0x00, 0x27, 9, 9, 9 }), "PCS Systemtechnik GmbH");
	oui_free(o);
	unlink(path);
}

/* wiretop's own lookups: one of its ports to one of its servers, either
 * way; the same port to another server, or another port, is not its own;
 * a port unmarked is free again. */
static void test_own_ports(void)
{
	static struct own_ports o; /* 8 KiB of bits: not on the stack */
	memset(&o, 0, sizeof o);
	const uint8_t server[16] = { 10, 0, 0, 53 }, other[16] = { 10, 0, 0, 54 };
	const uint8_t me[16] = { 10, 0, 0, 1 }, v6[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 0x53 };
	own_ports_add_server(&o, 4, server, 53);
	own_ports_add_server(&o, 6, v6, 5353);
	own_ports_mark(&o, 40000, true);
	CHECK(own_ports_match(&o, 4, me, 40000, server, 53));
	CHECK(own_ports_match(&o, 4, server, 53, me, 40000));
	CHECK(!own_ports_match(&o, 4, me, 40000, other, 53));
	CHECK(!own_ports_match(&o, 4, me, 40001, server, 53));
	CHECK(!own_ports_match(&o, 4, me, 40000, server, 54));
	CHECK(!own_ports_match(&o, 6, me, 40000, server, 53));
	CHECK(own_ports_match(&o, 6, me, 40000, v6, 5353));
	own_ports_mark(&o, 40001, true);
	own_ports_mark(&o, 40000, false);
	CHECK(!own_ports_match(&o, 4, me, 40000, server, 53));
	CHECK(own_ports_match(&o, 4, me, 40001, server, 53));
}

int main(void)
{
	RUN(test_rd_reads_big_endian);
	RUN(test_rd_past_end_is_sticky);
	RUN(test_rd_sub_cannot_see_past_its_end);
	RUN(test_rd_text_helpers_stay_in_bounds);
	RUN(test_sanitize_escapes_control_bytes);
	RUN(test_sanitize_keeps_utf8);
	RUN(test_hash_mixes_trailing_bytes);
	RUN(test_meta_strings_first_wins_and_lists_append);
	RUN(test_meta_numbers_and_the_string_walk);
	RUN(test_meta_long_values_marked);
	RUN(test_owner_trusted);
	RUN(test_oui_registry_lines);
	RUN(test_oui_most_specific);
	RUN(test_oui_first_lookups_at_once);
	RUN(test_oui_files_missing);
	RUN(test_oui_long_registry);
	RUN(test_oui_load);
	RUN(test_own_ports);
	return check_summary("base");
}
