/* test_hpack.c - HPACK header blocks and the Huffman code, against the
 * examples of RFC 7541 Appendix C. */
#include <string.h>

#include "check.h"
#include "dissect/hpack.h"

struct got {
	char text[512]; /* "name: value\n" per field */
	size_t n;
	int cut;
};

static bool collect(void *ctx, const struct hpack_field *f)
{
	struct got *g = ctx;
	int w = snprintf(g->text + g->n, sizeof g->text - g->n, "%.*s: %.*s\n", (int)f->name_len,
			 (const char *)f->name, (int)f->value_len, (const char *)f->value);
	if (w > 0)
		g->n += (size_t)w;
	g->cut += f->value_cut;
	return true;
}

static bool decode_hex(const char *hex, struct got *g)
{
	uint8_t b[256];
	size_t n = check_unhex(hex, b, sizeof b);
	memset(g, 0, sizeof *g);
	return hpack_decode(b, n, collect, g);
}

static void test_literals_c2(void)
{
	struct got g;
	CHECK(decode_hex("400a637573746f6d2d6b65790d637573746f6d2d686561646572", &g)); /* C.2.1 */
	CHECK_STR(g.text, "custom-key: custom-header\n");
	CHECK(decode_hex("040c2f73616d706c652f70617468", &g)); /* C.2.2 */
	CHECK_STR(g.text, ":path: /sample/path\n");
	CHECK(decode_hex("100870617373776f726406736563726574", &g)); /* C.2.3 */
	CHECK_STR(g.text, "password: secret\n");
	CHECK(decode_hex("82", &g)); /* C.2.4 */
	CHECK_STR(g.text, ":method: GET\n");
}

static void test_requests_c3_c4(void)
{
	struct got g;
	CHECK(decode_hex("828684410f7777772e6578616d706c652e636f6d", &g)); /* C.3.1 */
	CHECK_STR(g.text, ":method: GET\n:scheme: http\n:path: /\n:authority: www.example.com\n");
	CHECK(decode_hex("828684418cf1e3c2e5f23a6ba0ab90f4ff", &g)); /* C.4.1, Huffman */
	CHECK_STR(g.text, ":method: GET\n:scheme: http\n:path: /\n:authority: www.example.com\n");
	/* C.4.2: :authority from the dynamic table (an earlier block) is passed over */
	CHECK(decode_hex("828684be5886a8eb10649cbf", &g));
	CHECK_STR(g.text, ":method: GET\n:scheme: http\n:path: /\ncache-control: no-cache\n");
	/* C.4.3: a Huffman-coded literal name */
	CHECK(decode_hex("828785bf408825a849e95ba97d7f8925a849e95bb8e8b4bf", &g));
	CHECK_STR(g.text, ":method: GET\n:scheme: https\n:path: /index.html\ncustom-key: custom-value\n");
}

static void test_response_c6(void)
{
	struct got g;
	CHECK(decode_hex("488264025885aec3771a4b6196d07abe941054d444a8200595040b8166e082a62d1bff"
			 "6e919d29ad171863c78f0b97c8e9ae82ae43d3", &g)); /* C.6.1 */
	CHECK_STR(g.text, ":status: 302\ncache-control: private\n"
			  "date: Mon, 21 Oct 2013 20:13:21 GMT\nlocation: https://www.example.com\n");
}

static void test_huffman_every_symbol(void)
{
	/* '0' (5 bits) 00000, ' ' (6 bits) 010100, then the padding */
	uint8_t in[] = { 0x02, 0x9f }, out[8];
	bool cut;
	CHECK_INT(hpack_huffman(in, sizeof in, out, sizeof out, &cut), 2);
	CHECK_MEM(out, "0 ", 2);
	/* a 30-bit code (0x0a: 0x3ffffffc) with two padding bits */
	uint8_t lf[] = { 0xff, 0xff, 0xff, 0xf3 };
	CHECK_INT(hpack_huffman(lf, sizeof lf, out, sizeof out, &cut), 1);
	CHECK_INT(out[0], '\n');
	uint8_t eos[] = { 0xff, 0xff, 0xff, 0xff }; /* EOS is an error (5.2) */
	CHECK_INT(hpack_huffman(eos, sizeof eos, out, sizeof out, &cut), -1);
	uint8_t zero_pad[] = { 0x00 }; /* '0' then padding of zeros */
	CHECK_INT(hpack_huffman(zero_pad, sizeof zero_pad, out, sizeof out, &cut), -1);
	uint8_t long_pad[] = { 0x07, 0xff }; /* '0' then 11 bits of ones: padding over 7 bits */
	CHECK_INT(hpack_huffman(long_pad, sizeof long_pad, out, sizeof out, &cut), -1);
	uint8_t www[] = { 0xf1, 0xe3, 0xc2, 0xe5, 0xf2, 0x3a, 0x6b, 0xa0, 0xab, 0x90, 0xf4, 0xff };
	CHECK_INT(hpack_huffman(www, sizeof www, out, 3, &cut), 3);
	CHECK(cut);
	CHECK_MEM(out, "www", 3);
}

static void test_malformed(void)
{
	struct got g;
	CHECK(!decode_hex("80", &g));         /* index 0 */
	CHECK(!decode_hex("4005", &g));       /* a name string that is not there */
	CHECK(!decode_hex("ffffffffff7f", &g)); /* an integer past 2^28 */
	CHECK(decode_hex("3fe11f", &g));      /* a table size update: nothing to hand out */
	CHECK_STR(g.text, "");
	CHECK(!decode_hex("04", &g));         /* a value missing */
}

int main(void)
{
	RUN(test_literals_c2);
	RUN(test_requests_c3_c4);
	RUN(test_response_c6);
	RUN(test_huffman_every_symbol);
	RUN(test_malformed);
	return check_summary("hpack");
}
